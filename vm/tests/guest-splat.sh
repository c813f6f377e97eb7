#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel WARNING during CMD fails the run with 123 and names the lines,
# although CMD itself succeeded (1 boot).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vmrun --results "$t_tmp/r" -- sh -c 'echo "WARNING: CPU: 0 PID: 1 at fake_splat" > /dev/kmsg'
check_eq "WARNING in the kernel log: exit 123" "$rc" 123
check "the message names console.log and the line" grep -q "$t_tmp/r/console.log:[0-9]*:.*WARNING: CPU: 0 PID: 1 at fake_splat" "$t_tmp/err"
check "the message names dmesg.txt and the line" grep -q "$t_tmp/r/dmesg.txt:[0-9]*:.*WARNING: CPU: 0 PID: 1 at fake_splat" "$t_tmp/err"
((t_failed)) && show_err
done_testing
