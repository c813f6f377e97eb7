#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of kernel-patches/0001, the driver as a kernel patch (TAP): it is
# what kmod/ makes now; a change to kmod/ is caught; git am takes it on top
# of linux-source-6.12's drivers/misc and the result is kmod/ file for
# file; --signoff adds the sender's Signed-off-by; scripts/checkpatch.sh
# finds a defect in it where git tracks it.  (make kernel applies
# the same patch to 6.12 and 7.3 and boots it: scripts/check-kernel.sh.)
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
dir=${GUPBENCH_CACHE:-$HOME/.cache/gupbench}/checkpatch
scripts/deps.sh git >/dev/null
scripts/checkpatch.sh --fetch >/dev/null || { echo "Bail out! cannot fetch drivers/misc from linux-source-6.12"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-patch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
patch=$(ls kernel-patches/0001-misc-gupbench-*.patch)

# shellcheck source=scripts/tap.sh
. "$top/scripts/tap.sh"

ok "kernel-patches/0001 is what kmod/ and include/uapi/ make" \
	scripts/driver-patch.sh --check

# A copy of what the generator reads, with one changed line in kmod/.
stale() {
	local c=$tmp/stale
	mkdir -p "$c/scripts" "$c/kernel-patches" "$c/include/uapi"
	cp scripts/driver-patch.sh "$c/scripts/"
	cp -r kmod "$c/"
	cp -r include/uapi/linux "$c/include/uapi/"
	cp "$patch" "$c/kernel-patches/"
	echo '/* changed */' >>"$c/kmod/gupbench_run.c"
	if "$c/scripts/driver-patch.sh" --check >"$c/out" 2>&1; then
		echo "--check passed with a changed kmod/gupbench_run.c"; return 1
	fi
	grep -q "make driver-patch" "$c/out" && grep -qF '+/* changed */' "$c/out" ||
		{ cat "$c/out"; echo "the message does not show the change and the fix"; return 1; }
}
ok "a kmod/ change not in kernel-patches/0001 fails --check, naming the fix" stale

# git am on a repository of linux-source-6.12's drivers/misc files.
git_am() {
	local r=$tmp/linux f
	mkdir -p "$r/drivers"
	cp -r "$dir/drivers/misc" "$r/drivers/"
	git -C "$r" init -q &&
		git -C "$r" add -A &&
		git -C "$r" -c user.name=t -c user.email=t@t.invalid commit -q -m base || return 1
	git -C "$r" -c user.name=t -c user.email=t@t.invalid am -q "$top/$patch" || return 1
	[[ $(git -C "$r" log -1 --format=%s) == "misc: gupbench: add a device that times and checks GUP calls" ]] ||
		{ git -C "$r" log -1; echo "subject not taken from the mail"; return 1; }
	[[ -z $(git -C "$r" status --porcelain) ]] || { git -C "$r" status; return 1; }
	for f in kmod/Kconfig kmod/Kbuild kmod/*.h kmod/*.c; do
		cmp "$f" "$r/drivers/misc/gupbench/${f##*/}" || return 1
	done
	cmp include/uapi/linux/gupbench.h "$r/include/uapi/linux/gupbench.h" || return 1
	[[ ! -e $r/drivers/misc/gupbench/Makefile ]] || { echo "the out-of-tree Makefile went in"; return 1; }
	grep -qx 'source "drivers/misc/gupbench/Kconfig"' "$r/drivers/misc/Kconfig" &&
		grep -q '^obj-$(CONFIG_GUPBENCH)[[:space:]]*+= gupbench/$' "$r/drivers/misc/Makefile"
}
ok "git am takes it on linux-source-6.12's drivers/misc; the files are kmod/'s" git_am

signoff() {
	local r=$tmp/signed
	mkdir -p "$r/scripts" && cp -r scripts/driver-patch.sh kmod include "$r/" 2>/dev/null
	mv "$r/driver-patch.sh" "$r/scripts/"
	mkdir -p "$r/kernel-patches"
	git -C "$r" init -q || return 1
	git -C "$r" config user.name "A Sender"
	git -C "$r" config user.email sender@example.org
	(cd "$r" && scripts/driver-patch.sh --signoff -o "$r/p.patch") || return 1
	grep -qx 'Signed-off-by: A Sender <sender@example.org>' "$r/p.patch" ||
		{ echo "no Signed-off-by line"; return 1; }
	# the trailer closes the message, right before the ---
	[[ $(grep -B2 -m1 -x -- '---' "$r/p.patch" | head -n 1) == "" ]] &&
		[[ $(grep -B1 -m1 -x -- '---' "$r/p.patch" | head -n 1) == Signed-off-by:* ]] ||
		{ echo "Signed-off-by is not the message's last paragraph"; return 1; }
	local out
	out=$(perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES "$r/p.patch")
	[[ -z $out ]] || { echo "$out"; return 1; }
}
ok "--signoff adds the sender's Signed-off-by; checkpatch --strict is then clean" signoff


# scripts/checkpatch.sh reads the patch as a patch where git tracks it: a
# defect in one of its added lines is found and printed.  (It once read
# the committed file as C source, flagging the diffstat and nothing real,
# and under set -e ended before it printed what it had found.)
tracked() {
	local c=$tmp/tracked
	mkdir -p "$c/scripts" "$c/kernel-patches" "$c/include/uapi"
	cp scripts/checkpatch.sh scripts/deps.sh "$c/scripts/"
	cp -r kmod "$c/"
	cp -r include/uapi/linux "$c/include/uapi/"
	sed '0,/^+#include/s/^+#include.*/& /' "$patch" >"$c/$patch"
	git -C "$c" init -q && git -C "$c" add -A || return 1
	if (cd "$c" && scripts/checkpatch.sh) >"$c/out" 2>&1; then
		cat "$c/out"; echo "a trailing space in an added line went through"; return 1
	fi
	grep -q "^-:[0-9]*: ERROR:TRAILING_WHITESPACE" "$c/out" &&
		grep -q "make driver-patch" "$c/out" ||
		{ cat "$c/out"; echo "the finding or the fix is not printed"; return 1; }
}
ok "checkpatch.sh checks the committed patch as a patch and prints its findings" tracked

tap_done
