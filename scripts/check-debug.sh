#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the selftests and a long fuzzer run on the debug kernel
# (make kernel FLAVOUR=debug: KASAN, lockdep, DEBUG_VM, DEBUG_PAGEALLOC),
# where a use-after-free, a lock inversion or a bad page state in the
# module shows up as a splat that vm/run and run_vmtests.sh turn into a
# failure.  Logs in build/check-debug/; the last line is
# "N passed, N failed, N skipped" (TAP lines counted as in make check).
#   FUZZ_CALLS=1000000  fuzzer steps (the time bound is off)
#   FUZZ_SEED=          fuzzer seed (default: from the clock, printed)
#   DEBUG_BASE=6.12     which linux-source the debug kernel is built from
#   DEBUG_GUEST_TIMEOUT=14400  seconds each guest (suite, fuzzer) may take
# A cold run builds the debug kernel first (about 15 minutes on 2 cores).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
logs=build/check-debug
calls=${FUZZ_CALLS:-1000000}
# each guest's hard limit: a hung debug kernel must not outlive a CI run
guest_timeout=${DEBUG_GUEST_TIMEOUT:-14400}
base=${DEBUG_BASE:-6.12}
passed=0 failed=0 skipped=0

mkdir -p "$logs"

# TAP of a step: every "ok"/"not ok" line at any nesting level counts.
count() {
	local log=$1 rc=$2 ok sk bad
	ok=$(grep -aEc '^(# )*ok [0-9]+ ' "$log")
	sk=$(grep -aEc '^(# )*ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$log")
	bad=$(grep -aEc '^(# )*not ok [0-9]+ ' "$log")
	[ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
	passed=$((passed + ok - sk)) skipped=$((skipped + sk))
	failed=$((failed + bad))
	grep -aE '^(# )*not ok [0-9]+ ' "$log" | sed 's/^/    /' | head -20
	return "$bad"
}

echo "== the debug kernel ($base)"
if ! out=$(scripts/build-kernel.sh --base "$base" --flavour debug \
	2>"$logs/build.log"); then
	tail -n 20 "$logs/build.log"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
read -r -a vmargs <"$out/vm-run-args"
echo "kernel: $out"

run() {
	local name=$1 log=$logs/$1.log start rc
	shift
	start=$(date +%s)
	vm/run "${vmargs[@]}" --numa 2 --mem 4G --timeout "$guest_timeout" \
		--results "$logs/guest-$name" -- "$@" >"$log" 2>&1
	rc=$?
	if count "$log" "$rc"; then
		printf 'PASS %s (%d s)\n' "$name" $(($(date +%s) - start))
	else
		printf 'FAIL %s (exit %d, %d s; log: %s)\n' "$name" "$rc" \
			$(($(date +%s) - start)) "$log"
	fi
	grep -a '^# Summary' "$log" | sed 's/^/    /'
}

echo "== selftests on the debug kernel"
run selftests /gupbench/run_vmtests.sh -a

echo "== $calls fuzzer steps on the debug kernel"
run fuzz env GUPBENCH_FUZZ_CALLS="$calls" GUPBENCH_FUZZ_SECONDS=0 \
	${FUZZ_SEED:+GUPBENCH_FUZZ_SEED=$FUZZ_SEED} GUPBENCH_TIMEOUT=$((guest_timeout - 60)) \
	/gupbench/run_vmtests.sh -t fuzz
grep -aE 'seed [0-9]+,|steps, .* ioctls' "$logs/fuzz.log" | sed 's/^[# ]*/    /'

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
