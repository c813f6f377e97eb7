#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages a gupbench job needs, only those missing.
#   scripts/deps.sh build|vm|check|bench|PKG...
# Groups name what a job needs; anything else is taken as a package name.
# The installing itself is vm/common.sh's need_pkgs, shared with vm/.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/vm/common.sh"
gb_prog=gupbench

for group in "$@"; do
	case $group in
	build) need_pkgs build-essential libnuma-dev libhwloc-dev ;;
	vm) need_host_tools ;;
	check) need_pkgs build-essential libnuma-dev libhwloc-dev linux-source-6.12 \
			 clang sparse dkms groff-base
	       need_host_tools ;;
	bench) need_pkgs build-essential libnuma-dev libhwloc-dev gnuplot-nox
	       need_host_tools ;;
	*) need_pkgs "$group" ;;
	esac
done
