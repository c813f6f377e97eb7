#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm/run --clock instructions: QEMU counts instructions (-icount), the tools
# in the guest know it and record it; the same measurement twice gives the
# same count (2 boots of the default kernel).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

vmrun --clock instructions --results "$t_tmp/r1" -- gupbench info --format json
check_eq "gupbench info in an icount guest: exit 0" "$rc" 0
check "meta.clock and meta.units say instructions" \
	eval 'grep -q "\"clock\": *\"instructions\"" "$t_tmp/out" && grep -q "\"units\": *\"instructions\"" "$t_tmp/out"'
check "no PMU under TCG: the reason is given" grep -q 'instructions_unavailable": *"no retired-instruction counter' "$t_tmp/out"

# noop's loop is the same instructions every time: the median of three
# repeats (one may take a timer interrupt) is the same in both boots
run_noop() {
	vmrun --clock instructions --results "$t_tmp/$1" -- \
		gupbench run --api noop --size 2M --batch 1 --repeat 3 --warmup 1 \
		--no-samples --format json
	tr -d ' \n' <"$t_tmp/out" | grep -o '"get_ns_total":\[[^]]*\]' | head -n 1 |
		tr -dc '0-9,' | tr , '\n' | sort -n | sed -n 2p
}
a=$(run_noop r2)
check "the first icount boot measured noop" test -n "$a"
b=$(run_noop r3)
check "two icount boots give the same noop median ($a instructions)" test "$a" = "$b"
# a boot that dies before /init measured nothing: icount boots once more,
# says so, keeps the first console, and a second failure stands
vmrun --clock instructions --timeout 120 --results "$t_tmp/r4" --append "rdinit=/nonexistent" -- true
check "a guest that never reaches /init fails (exit $rc)" test "$rc" -ne 0
check "the failed boot is retried once, and the retry is said" \
	eval '[ "$(grep -c "booting once more" "$t_tmp/err")" = 1 ]'
check "the first boot's console is kept" grep -aq 'Kernel panic' "$t_tmp/r4/console-failed-boot.log"
done_testing
