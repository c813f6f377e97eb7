#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of `make install` and of DKMS, in temporary roots only: nothing
# outside them changes (DKMS gets --sourcetree/--dkmstree/--installtree in
# the root, --no-depmod, and no signing, so no MOK key appears in
# /var/lib/dkms).  TAP output, one test per check.
#   INSTALL_TEST_KERNELS="6.12 6.1" (vm/run labels whose Debian headers
#   the module is built against)
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
. vm/common.sh
. vm/kernels.sh
gb_prog=install-test
kernels=${INSTALL_TEST_KERNELS:-6.12 6.1}

need_pkgs dkms groff-base kmod
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tap.sh
. "$top/scripts/tap.sh"

# --- make install into a DESTDIR ------------------------------------------
root=$tmp/root
ko=$(vm/build-kmod --quiet 6.12) || { echo "Bail out! no module for 6.12"; exit 1; }
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)

ok "make install DESTDIR=... PREFIX=/usr KO=... (6.12 module)" \
	make -s install DESTDIR="$root" PREFIX=/usr KO="$ko"
ok "the tool runs from the staging root" \
	"$root/usr/bin/gupbench" version
ok "the selftests and run_vmtests.sh are in libexec" \
	bash -c "test -x '$root/usr/libexec/gupbench/run_vmtests.sh' &&
		 test -x '$root/usr/libexec/gupbench/selftests/syscall_gup' &&
		 GUPBENCH_SELFTESTS='$root/usr/libexec/gupbench/selftests' \
		 '$root/usr/libexec/gupbench/run_vmtests.sh' -n -t syscall | grep -q syscall_gup"
ok "the wrapper execs the final path, not the staging root" \
	bash -c "grep -q '^exec \"/usr/libexec/gupbench/run_vmtests.sh\"' '$root/usr/bin/gupbench-run_vmtests' &&
		 ! grep -q '$root' '$root/usr/bin/gupbench-run_vmtests'"
for m in gupbench.1 gupbench-run_vmtests.1; do
	ok "man page $m renders without warnings" \
		bash -c "test -f '$root/usr/share/man/man1/$m' &&
			 groff -man -Tutf8 -ww -z '$root/usr/share/man/man1/$m' 2>&1 | { ! grep .; }"
done
ok "the module is in lib/modules/$kver/extra" \
	test -f "$root/lib/modules/$kver/extra/gupbench.ko"
ok "depmod -b ran: modules.dep names it, modinfo finds it" \
	bash -c "grep -q '^extra/gupbench.ko:' '$root/lib/modules/$kver/modules.dep' &&
		 modinfo -b '$root' -k '$kver' -F license gupbench | grep -qx GPL"
ok "nothing was written outside the staging root" \
	bash -c "test ! -e /usr/libexec/gupbench/selftests/syscall_gup || \
		 test /usr/libexec/gupbench/selftests/syscall_gup -ot '$root/usr/bin/gupbench'"

# --- DKMS: add, build and install per kernel, in a temporary root ----------
droot=$tmp/dkms
ok "DKMS=1 stages dkms.conf, kmod/ and include/uapi/ under usr/src" \
	bash -c "DESTDIR='$droot' PREFIX=/usr MODULE=0 DKMS=1 scripts/install.sh >/dev/null &&
		 test -f '$droot/usr/src/gupbench-1.0/dkms.conf' &&
		 test -f '$droot/usr/src/gupbench-1.0/kmod/Kbuild' &&
		 test -f '$droot/usr/src/gupbench-1.0/include/uapi/linux/gupbench.h'"
trees=(--sourcetree "$droot/usr/src" --dkmstree "$droot/var/lib/dkms")
mkdir -p "$droot/var/lib/dkms"
# No sign-file: dkms would otherwise make a MOK key in /var/lib/dkms.
export sign_file=/nonexistent
ok "dkms add" dkms add -m gupbench -v 1.0 "${trees[@]}"
for k in $kernels; do
	ver=$(resolve_kernel "$k") || { echo "not ok $((n += 1)) $k: no such kernel"; continue; }
	hdr=$(kernel_headers_dir "$ver")
	mkdir -p "$droot/lib/modules/$ver"
	ok "dkms build -k $ver (Debian headers)" \
		dkms build -m gupbench -v 1.0 -k "$ver" --kernelsourcedir "$hdr" "${trees[@]}"
	ok "dkms install -k $ver into the temporary root" \
		dkms install -m gupbench -v 1.0 -k "$ver" --kernelsourcedir "$hdr" \
		"${trees[@]}" --installtree "$droot/lib/modules" --no-depmod
	ok "the installed module is for $ver" \
		bash -c "ko=\$(find '$droot/lib/modules/$ver' -name 'gupbench.ko*' | head -n 1) &&
			 test -n \"\$ko\" &&
			 test \"\$(modinfo -F vermagic \"\$ko\" | cut -d' ' -f1)\" = '$ver' &&
			 depmod -b '$droot' '$ver' &&
			 grep -q 'gupbench.ko' '$droot/lib/modules/$ver/modules.dep'"
	ok "dkms status says installed for $ver" \
		bash -c "dkms status -m gupbench -k '$ver' ${trees[*]} | grep -q installed"
done
ok "dkms remove --all" \
	dkms remove -m gupbench -v 1.0 --all "${trees[@]}" --installtree "$droot/lib/modules" --no-depmod

tap_done
