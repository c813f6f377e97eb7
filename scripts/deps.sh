#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages a gupbench job needs, only those missing.
#   scripts/deps.sh build|vm|check|bench|PKG...
# Groups name what a job needs; anything else is taken as a package name.
set -euo pipefail

pkgs_for() {
	case "$1" in
	build) echo build-essential libnuma-dev libhwloc-dev pkg-config ;;
	vm) echo qemu-system-x86 busybox-static cpio kmod xz-utils \
		build-essential libelf-dev dwarves bc ;;
	check) pkgs_for build; pkgs_for vm; echo linux-source-6.12 ;;
	bench) pkgs_for build; pkgs_for vm; echo gnuplot-nox ;;
	*) echo "$1" ;;
	esac
}

want=()
for group in "$@"; do
	for p in $(pkgs_for "$group"); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || want+=("$p")
	done
done
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "gupbench: missing packages: ${want[*]}" >&2
	echo "gupbench: run as root, or: sudo apt-get install ${want[*]}" >&2
	exit 1
fi
echo "gupbench: installing ${want[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; update once and retry.
apt-get install -y -q --no-install-recommends "${want[@]}" >&2 ||
	{ apt-get update -q >&2 &&
	  apt-get install -y -q --no-install-recommends "${want[@]}" >&2; }
