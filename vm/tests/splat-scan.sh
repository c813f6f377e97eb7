#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm/scan-splat on small synthetic logs (host only, no guest).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
scan=$vm_dir/scan-splat

positives=(
	'[   12.3] WARNING: CPU: 0 PID: 1 at mm/gup.c:100 foo+0x1/0x2'
	'[   12.3] BUG: kernel NULL pointer dereference, address: 0000000000000000'
	'[   12.3] Oops: 0000 [#1] PREEMPT SMP NOPTI'
	'[   12.3] kernel BUG at mm/gup.c:123!'
	'[   12.3] general protection fault, probably for non-canonical address 0xdead: 0000 [#1]'
	'[   12.3] Kernel panic - not syncing: Fatal exception'
	'[   12.3] WARNING: possible circular locking dependency detected'
	'[   12.3] possible recursive locking detected'
	'[   12.3] inconsistent lock state'
	'[   12.3] suspicious RCU usage.'
	'[   12.3] BUG: KASAN: slab-out-of-bounds in gupbench_run+0x10/0x20'
	'[   12.3] UBSAN: array-index-out-of-bounds in mm/gup.c:12:3'
	'[   12.3] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [sh:1]'
	'[   12.3] INFO: task sh:77 blocked for more than 120 seconds.'
	'[   12.3] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
	'[   12.3] rcu: INFO: rcu_sched self-detected stall on CPU'
	$'\e[?7l\e[2J[   12.3] WARNING: CPU: 1 PID: 9 at fake\r'
)
negatives=(
	'[    3.0] hello_gupbench: loading out-of-tree module taints kernel.'
	'[    3.0] hello_gupbench: module verification failed: signature and/or required key missing - tainting kernel'
	'[    3.0] CPU: 0 PID: 1 Comm: sh Tainted: G           OE      6.1.0-56-amd64 #1'
	'[    0.1] rcu: Hierarchical RCU implementation.'
	'[    0.1] rcu: RCU calculated value of scheduler-enlistment delay is 25 jiffies.'
	'[    1.0] acpi PNP0A03:00: fail to add MMCONFIG information, can'"'"'t access extended configuration space'
	'[    2.1] RAS: Correctable Errors collector initialized.'
	'[    2.2] ACPI: PM: Preparing to enter system sleep state S5'
	$'\e[?7l\e[2J\e[0mSeaBIOS (version 1.16.2-debian-1.16.2-1)\r'
	'@@GUPBENCH-EXIT=0@@'
)

for line in "${positives[@]}"; do
	printf 'clean line\n%s\nafter\n' "$line" >"$t_tmp/pos.log"
	out=$("$scan" "$t_tmp/pos.log"); st=$?
	desc=${line//[$'\e\r']/}
	if [[ $st == 1 ]] && grep -q "^$t_tmp/pos.log:2:" <<<"$out"; then
		ok "flagged as FILE:2: $desc"
	else
		not_ok "flagged as FILE:2: $desc (exit $st, output '$out')"
	fi
done

printf '%s\n' "${negatives[@]}" >"$t_tmp/neg.log"
out=$("$scan" "$t_tmp/neg.log"); st=$?
check_eq "clean log with unsigned-module taint messages passes" "$st" 0
check_eq "clean log prints nothing" "$out" ""

printf '%s\n' '[1] WARNING: CPU: 0 PID: 1 at x' >"$t_tmp/bad.log"
out=$("$scan" "$t_tmp/neg.log" "$t_tmp/bad.log"); st=$?
check_eq "several files: a splat in the second is found" "$st" 1
check "several files: the second file is named" grep -q "^$t_tmp/bad.log:1:.*WARNING: CPU" <<<"$out"

"$scan" "$t_tmp/missing.log" >/dev/null 2>&1; st=$?
check_eq "unreadable file is a usage error (2)" "$st" 2
"$scan" >/dev/null 2>&1; st=$?
check_eq "no arguments is a usage error (2)" "$st" 2
done_testing
