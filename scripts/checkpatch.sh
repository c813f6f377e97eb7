#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over the module and the uapi header.  checkpatch
# comes from Debian's linux-source-6.12, unpacked once into the cache.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${GUPBENCH_CACHE:-$HOME/.cache/gupbench}/checkpatch
tar=/usr/src/linux-source-6.12.tar.xz

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	"$top/scripts/deps.sh" linux-source-6.12
	tmp=$(mktemp -d)
	tar -xJf "$tar" -C "$tmp" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	mkdir -p "$dir"
	rm -rf "$dir/scripts"
	mv "$tmp"/*/scripts "$dir/scripts"
	rm -rf "$tmp"
fi

cd "$top"
out=$(perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types -f kmod/*.c kmod/*.h kmod/Kbuild include/uapi/gupbench.h)
if [ -n "$out" ]; then
	echo "$out"
	echo "checkpatch: fix the findings above (kernel style is required in kmod/)"
	exit 1
fi
echo "checkpatch: kmod/ and include/uapi/gupbench.h are clean"
