#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install: the tools, the selftests, the man pages and the module.
#   PREFIX=/usr/local  DESTDIR=  (a staging root: nothing outside it changes)
#   KDIR=  kernel build tree to build the module against (default: the
#          running kernel's, when it has headers); KO= a module already
#          built (vm/build-kmod prints one) instead of building
#   MODULE=0  leave the module out
#   DKMS=1  also put the module's sources under $DESTDIR/usr/src/gupbench-VER
#           for DKMS, and (without DESTDIR) register them with `dkms add`
#
# Layout:
#   $PREFIX/bin/gupbench, $PREFIX/bin/gupbench-run_vmtests (wrapper)
#   $PREFIX/libexec/gupbench/run_vmtests.sh and selftests/*
#   $PREFIX/share/man/man1/gupbench.1, gupbench-run_vmtests.1
#   $DESTDIR/lib/modules/KVER/extra/gupbench.ko, then depmod (-b $DESTDIR)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
prefix=${PREFIX:-/usr/local}
destdir=${DESTDIR:-}
dkms_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

[[ $prefix == /* ]] || die "PREFIX=$prefix must be an absolute path"
[[ -z $destdir || $destdir == /* ]] || destdir=$(pwd)/$destdir
[[ -x bin/gupbench ]] || die "bin/gupbench is missing: run make tools (make install does)"

root=$destdir$prefix
libexec=$prefix/libexec/gupbench

install -d "$root/bin" "$root/share/man/man1" "$destdir$libexec/selftests"
install -m 0755 bin/gupbench "$root/bin/gupbench"
say "$root/bin/gupbench"

# The selftests keep run_vmtests.sh's layout (selftests/ next to it); the
# programs only, not their sources.
install -m 0755 run_vmtests.sh "$destdir$libexec/run_vmtests.sh"
n=0
for f in selftests/*; do
	[[ -f $f && -x $f && $(head -c 4 "$f" | od -An -c | tr -d ' ') == '177ELF' ]] || continue
	install -m 0755 "$f" "$destdir$libexec/selftests/${f##*/}"
	n=$((n + 1))
done
((n)) || say "warning: no selftest binaries in selftests/ (make selftests)"
# A wrapper rather than a symlink: run_vmtests.sh finds selftests/ next to
# the path it was started by.
cat >"$root/bin/gupbench-run_vmtests" <<EOF
#!/bin/sh
exec "$libexec/run_vmtests.sh" "\$@"
EOF
chmod 0755 "$root/bin/gupbench-run_vmtests"
say "$destdir$libexec/run_vmtests.sh, $n selftests, wrapper $root/bin/gupbench-run_vmtests"

install -m 0644 man/gupbench.1 man/gupbench-run_vmtests.1 "$root/share/man/man1/"
say "man pages in $root/share/man/man1"

# The module: built against KDIR, or taken from KO; KVER is the kernel
# the module says it is for (its vermagic), so the two cannot disagree.
module() {
	local ko=${KO:-} kver dir
	if [[ -z $ko ]]; then
		if [[ -z ${KDIR:-} ]]; then
			say "module: no kernel headers for $(uname -r) (set KDIR= or KO=, or use DKMS=1); not installed"
			return 0
		fi
		make -s -C kmod KDIR="$KDIR" >&2 || die "module build against $KDIR failed"
		ko=kmod/gupbench.ko
	fi
	[[ -f $ko ]] || die "KO=$ko: no such file"
	kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[[ -n $kver ]] || die "$ko has no vermagic: not a kernel module"
	dir=$destdir/lib/modules/$kver/extra
	install -d "$dir"
	install -m 0644 "$ko" "$dir/gupbench.ko"
	say "$dir/gupbench.ko"
	if [[ -n $destdir ]]; then
		# a staging root has no modules.order/builtin: that is expected
		depmod -b "$destdir" "$kver" 2>&1 |
			{ grep -v 'WARNING: could not open modules\.' || true; } >&2
	else
		depmod -a "$kver"
	fi
	say "depmod for $kver${destdir:+ under $destdir}"
}
[[ ${MODULE:-1} == 0 ]] || module

# DKMS: only what the module build needs, in the layout dkms.conf names.
if [[ ${DKMS:-0} == 1 ]]; then
	src=$destdir/usr/src/gupbench-$dkms_ver
	rm -rf "$src"
	install -d "$src/kmod" "$src/include/uapi/linux"
	install -m 0644 dkms.conf "$src/"
	install -m 0644 kmod/Kbuild kmod/Makefile kmod/*.c kmod/*.h "$src/kmod/"
	install -m 0644 include/uapi/linux/*.h "$src/include/uapi/linux/"
	say "DKMS sources in $src"
	if [[ -z $destdir ]]; then
		command -v dkms >/dev/null || die "dkms is not installed: apt-get install dkms"
		dkms add -m gupbench -v "$dkms_ver"
		say "dkms add done; now: dkms install -m gupbench -v $dkms_ver -k \$(uname -r)"
	fi
fi
