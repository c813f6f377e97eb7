#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module with W=1 for one kernel (a vm/run label or a kernel
# tree) and fail on any compiler or modpost warning.  A cached build is
# judged by the log of the build that produced it.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${1:?usage: scripts/build-warnings.sh LABEL|KDIR}

ko=$("$top/vm/build-kmod" --W1 --quiet "$kernel") || {
	echo "build-warnings: the module does not build for $kernel"
	exit 1
}
log=$(dirname "$(dirname "$ko")")/build.log
[ -s "$log" ] || { echo "build-warnings: no build log at $log"; exit 1; }
cat "$log"
if grep -E 'warning:|WARNING:' "$log"; then
	echo "build-warnings: the module builds with warnings for $kernel"
	exit 1
fi
echo "build-warnings: clean W=1 build of $ko"
