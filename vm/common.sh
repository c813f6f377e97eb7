# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the vm/ scripts (sourced, not run).
#
# Everything here is a function of its arguments and of two environment
# variables that the user may set: GUPBENCH_CACHE (where downloads and builds
# go) and GUPBENCH_VERBOSE (show commands' chatter).

# Command substitutions stop at the first failure too, like the script.
shopt -s inherit_errexit

# The program name for messages: "vm/run: ...", "vm/build-kmod: ...".
gb_prog="vm/${0##*/}"

msg() { printf '%s: %s\n' "$gb_prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$gb_prog" "$*" >&2; exit 125; }

# The cache root. It holds only things that can be re-created, so any part of
# it may be deleted at any time (see vm/README.md for the layout).
cache_dir() {
	local d="${GUPBENCH_CACHE:-${HOME:-/root}/.cache/gupbench}"
	mkdir -p "$d" || die "cannot create cache dir $d; set GUPBENCH_CACHE to a writable directory"
	printf '%s\n' "$d"
}

# with_lock NAME CMD...: run CMD holding an exclusive lock, so that two runs
# started together (make -j check) do not download or build into the same
# directory at once.
with_lock() {
	local name=$1; shift
	local dir; dir="$(cache_dir)/locks"
	mkdir -p "$dir"
	(
		flock 9 || die "cannot lock $dir/$name.lock"
		"$@"
	) 9>"$dir/$name.lock"
}

# need_pkgs PKG...: install the Debian packages that are missing. Checking with
# dpkg-query costs a few ms, so every run does it; apt-get update only happens
# when an install fails (stale package lists).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	((${#missing[@]})) || return 0
	[[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
	msg "installing ${missing[*]}"
	local apt=(apt-get install -y --no-install-recommends "${missing[@]}")
	if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" >&2; then
		apt-get update >&2 || die "apt-get update failed; check the network and /etc/apt/sources.list"
		DEBIAN_FRONTEND=noninteractive "${apt[@]}" >&2 ||
			die "cannot install ${missing[*]}; see the apt-get messages above"
	fi
}

# The host packages vm/run and vm/build-kmod use, in one place.
# dwarves: pahole, which 6.12's headers (they ship vmlinux) need for the
# module's BTF.
need_host_tools() {
	need_pkgs qemu-system-x86 busybox-static cpio kmod xz-utils build-essential gcc-12 libelf-dev dwarves
}

# run_logged LOG CMD...: run CMD with its output in LOG (or on stderr when
# GUPBENCH_VERBOSE is set); on failure show the end of LOG.
run_logged() {
	local log=$1; shift
	if [[ -n ${GUPBENCH_VERBOSE:-} ]]; then
		"$@" 2>&1 | tee "$log" >&2
		return "${PIPESTATUS[0]}"
	fi
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		return 1
	fi
}

# hash_files FILE...: one content hash over the names and contents of FILEs,
# used to decide whether a build or an unpack is still current.
hash_files() {
	local f
	for f in "$@"; do
		printf '%s\n' "${f##*/}"
		sha256sum <"$f"
	done | sha256sum | cut -c1-16
}
