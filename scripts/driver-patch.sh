#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make driver-patch: write kernel-patches/0001, the patch that adds the
# driver to a kernel tree as drivers/misc/gupbench/ (CONFIG_GUPBENCH) and
# its ABI as include/uapi/linux/gupbench.h, from kmod/ and include/uapi/.
# The patch is made, never edited: kmod/ is the one copy of the driver.
#
#   scripts/driver-patch.sh            rewrite kernel-patches/0001
#   scripts/driver-patch.sh -o FILE    write it to FILE instead ("-": stdout)
#   scripts/driver-patch.sh --check    exit 1 if kernel-patches/0001 is not
#                                      what kmod/ makes (make check runs it)
#   scripts/driver-patch.sh --signoff  add your Signed-off-by (git config
#                                      user.name and user.email), as
#                                      git format-patch -s does
#
# The result is a mail git am takes (and patch -p1, as make kernel applies
# it).  It carries no Signed-off-by of its own: the Developer's Certificate
# of Origin is a person's statement, so whoever sends it adds theirs.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=0001-misc-gupbench-add-a-device-that-times-and-checks-GUP-calls.patch
out=$top/kernel-patches/$name
check=0 signoff=
while (($#)); do
	case $1 in
	-o) out=${2:?-o needs a file}; shift ;;
	--check) check=1 ;;
	--signoff)
		sname=$(git config user.name) && semail=$(git config user.email) ||
			{ echo "driver-patch: --signoff needs git config user.name and user.email" >&2; exit 2; }
		signoff="$sname <$semail>" ;;
	-h | --help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "driver-patch: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# kmod/ file -> its place in the kernel tree.  kmod/Makefile is the
# out-of-tree wrapper and stays out.
files=()
for f in "$top"/kmod/Kconfig "$top"/kmod/Kbuild "$top"/kmod/*.h "$top"/kmod/*.c; do
	files+=("$f=drivers/misc/gupbench/${f##*/}")
done
files+=("$top/include/uapi/linux/gupbench.h=include/uapi/linux/gupbench.h")

message() {
	# the sender who signs off is the author of the mail
	printf 'From: %s\n' "${signoff:-gupbench developers <dev@gupbench.invalid>}"
	cat <<'EOF'
Subject: [PATCH] misc: gupbench: add a device that times and checks GUP calls

/dev/gupbench lets a test program call each entry point of the
get_user_pages() and pin_user_pages() family on its own memory, time
every call from inside the kernel, and check what came back.

mm/gup_test.c (CONFIG_GUP_TEST) answers part of this from debugfs.  It
reports one mean per request over a whole range, counts nothing but
wall-clock time, and checks little of the result.  This driver:

- calls get_user_pages(), _fast(), _unlocked(), _remote() and their
  pin_user_pages() counterparts, get_user_pages_fast_only() and
  FOLL_NOFAULT where the kernel has them, with FOLL_LONGTERM and
  FOLL_WRITE as asked, in batches of a chosen size;
- records a sample per call, acquire and release apart, in nanoseconds
  and, where perf events are there, in instructions retired by the
  calling task (a clock that does not move with the machine's load, for
  A/B runs of two kernels);
- checks each result: pages returned against pages asked, the folio
  order of every page, folio_maybe_dma_pinned() after FOLL_PIN,
  folio_is_longterm_pinnable() after FOLL_LONGTERM, the shared zero
  page counted apart;
- can hold pins across ioctls, to time the release on its own and to
  read back the pinned contents.  A held pin is always FOLL_LONGTERM
  and charged to the caller's pinned_vm against RLIMIT_MEMLOCK (unless
  CAP_IPC_LOCK), under a module-wide limit (max_held); only the mm that
  took a hold can read or write it.

The ABI (include/uapi/linux/gupbench.h) is versioned and sized the way
clone3() and openat2() are, with its own ioctl code ('Y', 0x00-0x05),
and every request is bounded (max_len).  The header's kernel-doc says
what each ioctl does; the errno of each bad request is written down in
the suite's docs and enforced by its selftests and fuzzer.

The device is root-only (0600) and meant for test and benchmark
kernels: it is default n and says so.  The userspace suite that drives
it (presets, statistics, plots, kselftests) builds the same sources out
of tree as a module; built in, it serves kernels without module
support.  Version differences of the GUP API are kept in one header,
gupbench_compat.h, probed by Kbuild from the headers being built
against.
EOF
	[[ -z $signoff ]] || printf '\nSigned-off-by: %s\n' "$signoff"
}

# The two lines that hook the directory into drivers/misc.
hook() {
	cat <<'EOF'
diff --git a/drivers/misc/Kconfig b/drivers/misc/Kconfig
--- a/drivers/misc/Kconfig
+++ b/drivers/misc/Kconfig
@@ -5,6 +5,8 @@
 
 menu "Misc devices"
 
+source "drivers/misc/gupbench/Kconfig"
+
 config SENSORS_LIS3LV02D
 	tristate
 	depends on INPUT
diff --git a/drivers/misc/Makefile b/drivers/misc/Makefile
--- a/drivers/misc/Makefile
+++ b/drivers/misc/Makefile
@@ -4,2 +4,4 @@
 #
+
+obj-$(CONFIG_GUPBENCH)		+= gupbench/
 
EOF
}

new_file() {
	local src=$1 dst=$2 n
	n=$(wc -l <"$src")
	[[ -z $(tail -c 1 "$src") ]] || { echo "driver-patch: $src does not end in a newline" >&2; exit 1; }
	printf 'diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n' \
		"$dst" "$dst" "$dst" "$n"
	sed 's/^/+/' "$src"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	hook
	for f in "${files[@]}"; do new_file "${f%%=*}" "${f#*=}"; done
} >"$tmp/diff"
command -v git >/dev/null || { echo "driver-patch: needs git (apt-get install git)" >&2; exit 2; }
{
	message
	printf -- '---\n'
	(cd "$tmp" && git apply --stat --summary diff)
	printf '\n'
	cat "$tmp/diff"
} >"$tmp/patch"

if ((check)); then
	if cmp -s "$tmp/patch" "$out"; then
		echo "driver-patch: ${out#"$top"/} is what kmod/ makes"
		exit 0
	fi
	echo "driver-patch: ${out#"$top"/} differs from what kmod/ and include/uapi/ make:" >&2
	diff -U1 "$out" "$tmp/patch" | head -n 60 >&2 || true
	echo "driver-patch: run 'make driver-patch' and commit the result" >&2
	exit 1
fi
if [[ $out == - ]]; then
	cat "$tmp/patch"
else
	cp "$tmp/patch" "$out"
	echo "driver-patch: wrote ${out#"$top"/}" >&2
fi
