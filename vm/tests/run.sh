#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the vm/ harness tests and print a summary.
# usage: vm/tests/run.sh [TEST...]   (TEST: a file name like guest-io.sh;
#                                     default: all; host-only tests first)
# Exit 0 when nothing failed. GUPBENCH_TEST_ALL_KERNELS=1 adds 6.1-rt.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)

if (($#)); then
	tests=("$@")
else
	# Host-only tests first: they fail fast and need no guest.
	tests=(splat-scan.sh options.sh guest-io.sh guest-kernels.sh guest-files.sh guest-splat.sh
		guest-timeout.sh guest-numa.sh guest-clock.sh)
fi

pass=0 fail=0 skip=0 failed=()
for t in "${tests[@]}"; do
	t=${t##*/}
	echo "# --- $t"
	start=$SECONDS
	"$dir/$t"
	st=$?
	case $st in
	0) pass=$((pass + 1)); r=PASS ;;
	77) skip=$((skip + 1)); r=SKIP ;;
	*) fail=$((fail + 1)); failed+=("$t"); r=FAIL ;;
	esac
	echo "# $r $t ($((SECONDS - start)) s)"
done
echo "$pass passed, $fail failed, $skip skipped${failed:+ (failed: ${failed[*]})}"
((fail == 0))
