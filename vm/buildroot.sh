# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Build roots for kernels the host's compiler cannot build modules for
# (sourced by vm/kernels.sh).
#
# Debian's 7.x kernels (sid, experimental) are built with gcc 16, whose
# flags bookworm's gcc 12 rejects.  For such a kernel, the module is built
# inside a small Debian sid system under the cache, made once with
# mmdebstrap: the essential packages, make, and linux-headers-<ver> with
# what it depends on (the compiler that built the kernel, pahole, kbuild).
# About 30 s and 410 MB per kernel here; used only to compile, never booted.
#   buildroot/<ver>/            the root; usr/src/linux-headers-<ver> in it
#   buildroot/<ver>.log         mmdebstrap's output

# needs_buildroot VER: true when VER comes from sid or experimental.
needs_buildroot() {
	[[ $(pkg_suite "linux-headers-$1") == newer ]]
}

_make_buildroot() {
	local ver=$1 dir=$2 log=$2.log
	[[ -e $dir/.complete ]] && return 0
	need_pkgs mmdebstrap
	with_lock apt-newer _newer_apt_update
	rm -rf "$dir.tmp"
	msg "making a Debian sid build root for $ver in $dir (once: about 30 s and 410 MB; log: $log)"
	if ! mmdebstrap --variant=essential --mode=root \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="make,linux-headers-$ver" sid "$dir.tmp" \
		"deb $GB_MIRROR sid main" "deb $GB_MIRROR experimental main" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -rf "$dir.tmp"
		die "mmdebstrap could not make the build root for $ver (log: $log)"
	fi
	[[ -f $dir.tmp/usr/src/linux-headers-$ver/Makefile ]] || die "the build root for $ver has no linux-headers-$ver (log: $log)"
	touch "$dir.tmp/.complete"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

# buildroot_dir VER: the build root of VER, made if missing.
buildroot_dir() {
	local dir
	dir="$(cache_dir)/buildroot/$1"
	mkdir -p "${dir%/*}"
	with_lock "buildroot-$1" _make_buildroot "$1" "$dir"
	printf '%s\n' "$dir"
}

# in_buildroot ROOT CMD...: run CMD chrooted into ROOT with /proc mounted
# (objtool reads it) in a mount namespace of its own, so nothing stays
# mounted on the host when it ends.
in_buildroot() {
	local root=$1; shift
	unshare --mount --propagation private /bin/sh -c \
		'root=$1; shift; mount -t proc proc "$root/proc" && exec chroot "$root" "$@"' \
		sh "$root" "$@"
}
