# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP for the test scripts in scripts/ (sourced).  ok NAME CMD... runs CMD
# as the next test and prints "ok N NAME", or "not ok N NAME" and the last
# 20 lines of what CMD printed; tap_done prints the plan and exits 1 when
# a test failed.
n=0 failed=0
ok() {
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		failed=$((failed + 1))
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
	fi
}

tap_done() {
	echo "1..$n"
	exit $((failed > 0))
}
