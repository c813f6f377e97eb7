#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over the module and the uapi header, and over
# the patch that carries them into a kernel tree.  checkpatch
# comes from Debian's linux-source-6.12, unpacked once into the cache.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${GUPBENCH_CACHE:-$HOME/.cache/gupbench}/checkpatch
tar=/usr/src/linux-source-6.12.tar.xz

# (and drivers/misc/{Kconfig,Makefile}, which the driver patch hooks into:
# scripts/driver-patch-test.sh applies it with git am on top of them)
if [ ! -x "$dir/scripts/checkpatch.pl" ] || [ ! -f "$dir/drivers/misc/Makefile" ]; then
	"$top/scripts/deps.sh" linux-source-6.12
	tmp=$(mktemp -d)
	tar -xJf "$tar" -C "$tmp" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' \
		'*/drivers/misc/Kconfig' '*/drivers/misc/Makefile'
	mkdir -p "$dir"
	rm -rf "$dir/scripts" "$dir/drivers"
	mv "$tmp"/*/scripts "$tmp"/*/drivers "$dir/"
	rm -rf "$tmp"
fi
[ "${1:-}" != --fetch ] || exit 0

cd "$top"
cp=(perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types)
# checkpatch exits 1 on findings: keep them (|| true) to print them below
out=$("${cp[@]}" -f kmod/*.c kmod/*.h kmod/Kbuild kmod/Kconfig include/uapi/linux/gupbench.h) || true
if [ -n "$out" ]; then
	echo "$out"
	echo "checkpatch: fix the findings above (kernel style is required in kmod/)"
	exit 1
fi
echo "checkpatch: kmod/ and include/uapi/linux/gupbench.h are clean"

# The driver patch as a patch (its commit message, its hunks): clean but
# for the two findings it has on purpose: no Signed-off-by (the sender
# adds theirs: make driver-patch SIGNOFF=1) and no MAINTAINERS entry (the
# driver lives in gupbench's tree; docs/RELIABILITY.md says why).
# It goes in on stdin: checkpatch reads a file git tracks as a source
# file, not as a patch (git_is_single_file), and the patch is committed.
patch=$(ls kernel-patches/0001-misc-gupbench-*.patch)
out=$("${cp[@]}" --ignore MISSING_SIGN_OFF,FILE_PATH_CHANGES - <"$patch") || true
if [ -n "$out" ]; then
	echo "$out"
	echo "checkpatch: $patch has findings: fix scripts/driver-patch.sh or kmod/, then make driver-patch"
	exit 1
fi
echo "checkpatch: $patch is clean (but for the Signed-off-by and MAINTAINERS, on purpose)"
