#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A guest that runs past --timeout is killed: exit 124 and a message (1 boot).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
start=$SECONDS
vmrun --timeout 15 --results "$t_tmp/r" -- sleep 1000
check_eq "sleep 1000 with --timeout 15: exit 124" "$rc" 124
check "a message says it timed out" grep -q 'timed out' "$t_tmp/err"
check "killed in time (under 60 s)" test $((SECONDS - start)) -lt 60
((t_failed)) && show_err
done_testing
