# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Debian kernels for the guest: label -> version, image, headers, and the
# virtio/9p modules the guest needs (sourced after vm/common.sh).
#
# Nothing is installed on the host: packages are fetched with
# `apt-get download` and unpacked with `dpkg -x` under the cache:
#   debs/                      the downloaded .deb files
#   kernels/<ver>/             linux-image-<ver> unpacked (boot/, lib/modules/)
#   kernels/<ver>/guest-modules/  virtio/9p .ko files for the initramfs + order
#   hdr/usr/src/linux-headers-<ver>/  headers (+ -common, linux-kbuild) unpacked
#   apt/                       package lists of Debian sid and experimental
#                              (the 7.x kernels), with a sources list of
#                              their own: the host's apt setup is not touched
#   buildroot/<ver>/           for 7.x: a sid system with that kernel's
#                              headers and compiler (vm/buildroot.sh)

GB_LABELS="6.12 6.1 6.1-rt 6.1-cloud 7.2 7.3"
GB_MIRROR=${GUPBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# label_regex LABEL: the apt-cache regex of the image packages of a label.
# ABI numbers move with point releases, so the label names a family and the
# highest version available wins.
label_regex() {
	case $1 in
	6.12)      echo '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	6.1)       echo '^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.1-rt)    echo '^linux-image-6\.1\.0-[0-9]+-rt-amd64$' ;;
	6.1-cloud) echo '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' ;;
	# sid names a release by its version (7.2.13+deb14), experimental's
	# release candidates by the series alone (7.3)
	7.2)       echo '^linux-image-7\.2(\.[0-9]+\+deb[0-9]+)?-amd64$' ;;
	7.3)       echo '^linux-image-7\.3(\.[0-9]+\+deb[0-9]+)?-amd64$' ;;
	*) return 1 ;;
	esac
}

is_label() { label_regex "$1" >/dev/null; }

# label_suite LABEL: where Debian ships it: the host's bookworm, or sid and
# experimental (whose lists gb_apt keeps apart from the host's).
label_suite() {
	case $1 in
	7.*) echo newer ;;
	*) echo host ;;
	esac
}

# The package lists of sid and experimental: fetched into the cache with a
# sources list of their own and refreshed when a day old.  The archive's
# Release files of these suites may be past their Valid-Until on machines
# whose clock runs ahead of the mirror; the signatures are still checked.
_newer_apt_dir() { printf '%s\n' "$(cache_dir)/apt"; }
_newer_apt_opts() {
	local d; d=$(_newer_apt_dir)
	printf '%s\n' -o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
		-o "Dir::State::Lists=$d/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root
}
_newer_apt_update() {
	local d; d=$(_newer_apt_dir)
	# apt keeps the archive's dates on the lists: a stamp of our own
	if [[ -n $(find "$d/updated" -mmin -1440 2>/dev/null) ]] &&
		compgen -G "$d/lists/*_Packages" >/dev/null; then
		return 0
	fi
	mkdir -p "$d/lists/partial"
	printf 'deb %s sid main\ndeb %s experimental main\n' "$GB_MIRROR" "$GB_MIRROR" >"$d/sources.list"
	msg "fetching the package lists of Debian sid and experimental into $d (the host's apt setup is not used)"
	local opts; mapfile -t opts < <(_newer_apt_opts)
	apt-get "${opts[@]}" -q update >&2 ||
		die "apt-get update of Debian sid/experimental failed; check the network (mirror: $GB_MIRROR, GUPBENCH_DEBIAN_MIRROR= to change it)"
	touch "$d/updated"
}

# gb_apt SUITE apt-get|apt-cache ARGS...: run the apt tool on the host's
# lists (host) or on the sid/experimental ones (newer).
gb_apt() {
	local suite=$1 tool=$2 opts; shift 2
	if [[ $suite == host ]]; then
		"$tool" "$@"
		return
	fi
	with_lock apt-newer _newer_apt_update
	mapfile -t opts < <(_newer_apt_opts)
	"$tool" "${opts[@]}" "$@"
}

# pkg_suite PKG: host for the 6.x packages (without asking apt: this runs
# on every vm/run); for a 7.x one, host when the host's lists know it,
# newer when only sid/experimental do, nothing when neither does.
pkg_suite() {
	if [[ ! $1 =~ -7\.[0-9] ]]; then
		echo host
	elif [[ -n $(apt-cache show --no-all-versions "$1" 2>/dev/null | head -n 1) ]]; then
		echo host
	elif [[ -n $(gb_apt newer apt-cache show --no-all-versions "$1" 2>/dev/null | head -n 1) ]]; then
		echo newer
	fi
}

# apt_show PKG: apt-cache show of the candidate version; empty if unknown.
apt_show() {
	local suite; suite=$(pkg_suite "$1")
	[[ -n $suite ]] || return 0
	gb_apt "$suite" apt-cache show --no-all-versions "$1" 2>/dev/null || true
}

# apt_lists_stamp SUITE: changes whenever apt-get update rewrites the lists.
apt_lists_stamp() {
	if [[ $1 == host ]]; then
		stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0
	else
		stat -c %Y "$(_newer_apt_dir)/lists" 2>/dev/null || echo 0
	fi
}

# _search_label LABEL: the newest image package of LABEL, via apt-cache (which
# takes most of a second here, so the answer is remembered until the package
# lists change).
_search_label() {
	local label=$1 memo stamp pkg s
	memo="$(cache_dir)/labels/$label"
	stamp=$(apt_lists_stamp "$(label_suite "$label")")
	if [[ -f $memo ]] && read -r s pkg <"$memo" && [[ $s == "$stamp" && -n $pkg ]]; then
		printf '%s\n' "$pkg"
		return
	fi
	pkg=$(gb_apt "$(label_suite "$label")" apt-cache search --names-only "$(label_regex "$label")" 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n 1)
	[[ -n $pkg ]] || return 0
	mkdir -p "${memo%/*}"
	echo "$stamp $pkg" >"$memo"
	printf '%s\n' "$pkg"
}

# resolve_kernel LABEL|RELEASE: print the kernel release (e.g. 6.1.0-56-amd64).
# A RELEASE is an exact one such as 6.1.0-55-amd64, to pin an older ABI.
resolve_kernel() {
	local arg=$1 pkg tried_update=
	while :; do
		if is_label "$arg"; then
			pkg=$(_search_label "$arg")
		elif [[ -e "$(cache_dir)/kernels/$arg/.complete" || -n $(apt_show "linux-image-$arg") ]]; then
			pkg=linux-image-$arg
		else
			pkg=
		fi
		[[ -n $pkg ]] && break
		[[ -z $tried_update ]] || die "no Debian kernel package for '$arg'; use one of: $GB_LABELS, an exact release like 6.1.0-56-amd64 or 7.2.13+deb14-amd64, or a bzImage path"
		# Package lists may be missing or stale: refresh once.
		msg "apt-cache knows no kernel for '$arg'; running apt-get update"
		apt-get update >&2 || die "apt-get update failed; check /etc/apt/sources.list and the network"
		tried_update=1
	done
	printf '%s\n' "${pkg#linux-image-}"
}

# fetch_deb PKG: print the path of PKG's .deb in the cache, downloading it if
# absent. The package name carries the kernel ABI, so any cached .deb of that
# name is the right kernel.
fetch_deb() {
	local pkg=$1 dir f suite
	dir="$(cache_dir)/debs"
	mkdir -p "$dir"
	f=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
	if [[ -z $f ]]; then
		suite=$(pkg_suite "$pkg")
		[[ -n $suite ]] || die "apt-cache knows no package $pkg (in bookworm, sid or experimental); try 'apt-get update'"
		msg "downloading $pkg (once; cached in $dir)"
		# Root's apt-get would warn that it cannot drop to _apt; run as root on purpose.
		(cd "$dir" && gb_apt "$suite" apt-get -q -o APT::Sandbox::User=root download "$pkg" >&2) ||
			die "apt-get download $pkg failed; try 'apt-get update' or check the network"
		f=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
		[[ -n $f ]] || die "apt-get download $pkg left no .deb in $dir"
	fi
	printf '%s\n' "$f"
}

# --- image --------------------------------------------------------------

_unpack_image() {
	local ver=$1 dir=$2 deb
	[[ -e $dir/.complete ]] && return 0
	deb=$(fetch_deb "linux-image-$ver")
	rm -rf "$dir.tmp"
	dpkg -x "$deb" "$dir.tmp" || die "dpkg -x $deb failed (corrupt download? delete it and retry)"
	# Since 7.x Debian splits the image: linux-image-<ver> is a metapackage
	# on linux-binary-<ver> (the vmlinuz), linux-modules-<ver> and
	# linux-base-<ver> (config, modules.builtin: which drivers are built in).
	if [[ ! -f $dir.tmp/boot/vmlinuz-$ver ]]; then
		local p
		for p in "linux-binary-$ver" "linux-modules-$ver" "linux-base-$ver"; do
			apt_show "linux-image-$ver" | sed -n 's/^Depends: //p' | tr ',|' '\n' | awk '{print $1}' | grep -qx "$p" ||
				die "linux-image-$ver has no vmlinuz and does not depend on $p: an image layout gupbench does not know"
			dpkg -x "$(fetch_deb "$p")" "$dir.tmp" || die "dpkg -x of $p failed (corrupt download? delete it and retry)"
		done
	fi
	# ... and installs into /usr/lib/modules/<ver>/ (vmlinuz included):
	# give it the boot/ and lib/modules/ shape of the older packages.
	if [[ ! -e $dir.tmp/boot/vmlinuz-$ver && -f $dir.tmp/usr/lib/modules/$ver/vmlinuz ]]; then
		mkdir -p "$dir.tmp/boot" "$dir.tmp/lib/modules"
		ln -s "../usr/lib/modules/$ver/vmlinuz" "$dir.tmp/boot/vmlinuz-$ver"
		ln -s "../../usr/lib/modules/$ver" "$dir.tmp/lib/modules/$ver"
	fi
	touch "$dir.tmp/.complete"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

# kernel_image_dir VER: the unpacked image package; boot/vmlinuz-VER in it.
kernel_image_dir() {
	local ver=$1 dir
	dir="$(cache_dir)/kernels/$ver"
	mkdir -p "${dir%/*}"
	with_lock "kernel-$ver" _unpack_image "$ver" "$dir"
	[[ -f $dir/boot/vmlinuz-$ver ]] || die "$dir has no boot/vmlinuz-$ver; delete $dir and retry"
	printf '%s\n' "$dir"
}

# --- headers ------------------------------------------------------------

# headers_ok DIR: a usable build tree: its Makefile's include target and the
# kbuild helpers exist.
headers_ok() {
	local dir=$1 inc
	[[ -f $dir/Makefile && -x $dir/scripts/basic/fixdep ]] || return 1
	inc=$(sed -n 's/^include //p' "$dir/Makefile" | head -n 1)
	[[ -z $inc || -f $inc ]]
}

_unpack_headers() {
	local ver=$1 root=$2 hdr=$2/usr/src/linux-headers-$1 deps pkgs p common
	headers_ok "$hdr" && return 0
	# The flavour package depends on its -common package (6.1-rt: -common-rt)
	# and on the linux-kbuild package with the build helpers; take their names
	# from its Depends instead of guessing.
	deps=$(apt_show "linux-headers-$ver" | sed -n 's/^Depends: //p' | tr ',|' '\n' | awk '{print $1}')
	[[ -n $deps ]] || die "apt-cache does not know linux-headers-$ver; run 'apt-get update'"
	pkgs=("linux-headers-$ver")
	for p in $deps; do
		case $p in linux-headers-*-common* | linux-kbuild-*) pkgs+=("$p") ;; esac
	done
	((${#pkgs[@]} == 3)) || die "unexpected dependencies of linux-headers-$ver: $deps"
	for p in "${pkgs[@]}"; do
		dpkg -x "$(fetch_deb "$p")" "$root" || die "dpkg -x of $p failed"
	done
	# The flavour Makefile includes the -common Makefile by its absolute
	# /usr/src path; point it at the cached copy instead.
	common=$(sed -n 's|^include /usr/src/\(linux-headers-[^/]*\)/Makefile$|\1|p' "$hdr/Makefile")
	[[ -n $common ]] && sed -i "s|^include /usr/src/$common/|include $root/usr/src/$common/|" "$hdr/Makefile"
	headers_ok "$hdr" || die "unpacked headers in $hdr are incomplete; delete $root and retry"
}

# kernel_headers_dir VER: a kernel build tree for VER (make -C it M=...);
# for a 7.x kernel, the tree inside its build root.
# An installed /usr/src/linux-headers-VER is used as is; otherwise the
# packages are unpacked into the cache.
kernel_headers_dir() {
	local ver=$1 root
	if needs_buildroot "$ver"; then
		# the host's compiler cannot build for it: the headers live in
		# its build root (vm/buildroot.sh), used with in_buildroot
		root=$(buildroot_dir "$ver")
		printf '%s\n' "$root/usr/src/linux-headers-$ver"
		return
	fi
	if headers_ok "/usr/src/linux-headers-$ver"; then
		printf '%s\n' "/usr/src/linux-headers-$ver"
		return
	fi
	root="$(cache_dir)/hdr"
	mkdir -p "$root"
	with_lock hdr _unpack_headers "$ver" "$root"
	printf '%s\n' "$root/usr/src/linux-headers-$ver"
}

# --- guest modules ------------------------------------------------------

# The drivers the guest needs for the 9p results share. Their dependencies
# are found with modinfo, so what is built in or split out per kernel does
# not matter. A kernel without 9p (6.1-cloud, small custom kernels) gets its
# results directory copied in and out instead (see vm/init).
GB_GUEST_MODULES="virtio_pci 9pnet_virtio 9p"
# Loaded when the kernel has them as modules (Debian's 7.x builds loop as
# one; the O_DIRECT cases of the syscall backend need a loop device).
GB_GUEST_OPTIONAL_MODULES="loop"

_norm() { printf '%s\n' "${1//-/_}"; }

# _collect_modules SRCROOT OUTDIR NAME...: copy NAMEs and their dependencies,
# decompressed, into OUTDIR and append them to OUTDIR/order after their
# dependencies. Built-in modules (modules.builtin) are skipped. Fails if a
# module is neither built in nor there.
_collect_modules() {
	local src=$1 out=$2 name f deps; shift 2
	for name in "$@"; do
		name=$(_norm "$name")
		[[ -e $out/$name.ko ]] && continue
		if [[ -f $src/modules.builtin ]] &&
			sed 's|.*/||; s|\.ko$||; s|-|_|g' "$src/modules.builtin" | grep -qx "$name"; then
			continue
		fi
		# "$src/": a lib/modules/<ver> that is a symlink (7.x) is followed
		f=$(find "$src/" -name '*.ko*' | awk -v n="$name" '{b=$0; sub(/.*\//,"",b); sub(/\.ko(\.[a-z]+)?$/,"",b); gsub(/-/,"_",b); if (b==n) {print; exit}}')
		[[ -n $f ]] || return 1
		case $f in
		*.ko.xz) xz -dc "$f" >"$out/$name.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$out/$name.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$out/$name.ko" ;;
		*) cp "$f" "$out/$name.ko" ;;
		esac
		deps=$(modinfo -F depends "$out/$name.ko" | tr ',' ' ')
		# shellcheck disable=SC2086 # deps is a word list
		_collect_modules "$src" "$out" $deps || return 1
		echo "$name" >>"$out/order"
	done
}

_prepare_guest_modules() {
	local src=$1 out=$2
	[[ -e $out/.complete ]] && return 0
	rm -rf "$out" && mkdir -p "$out"
	: >"$out/order"
	# shellcheck disable=SC2086
	if _collect_modules "$src" "$out" $GB_GUEST_MODULES; then
		echo 9p >"$out/results-mode"
	else
		rm -f "$out"/*.ko && : >"$out/order"
		echo copy >"$out/results-mode"
	fi
	# shellcheck disable=SC2086
	_collect_modules "$src" "$out" $GB_GUEST_OPTIONAL_MODULES || true
	touch "$out/.complete"
}

# guest_modules_dir SRCROOT OUTDIR: OUTDIR with the needed .ko files, the
# file 'order' (load order, one name a line) and the file 'results-mode'
# (9p, or copy when the kernel has no 9p). SRCROOT is lib/modules/<ver> of an
# unpacked image or a kernel build tree.
guest_modules_dir() {
	with_lock "modules-${2//\//_}" _prepare_guest_modules "$1" "$2"
	printf '%s\n' "$2"
}

# Build roots for the kernels the host's compiler cannot build for.
# shellcheck source=vm/buildroot.sh
. "$(dirname "${BASH_SOURCE[0]}")/buildroot.sh"
