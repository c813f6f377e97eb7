#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --numa 2 gives the guest two NUMA nodes with a CPU each, without the
# topology WARNING (which the splat scan would turn into 123) (1 boot).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vmrun --numa 2 --results "$t_tmp/r" -- sh -c 'cat /sys/devices/system/node/online; cat /sys/devices/system/node/node1/cpulist'
check_eq "--numa 2: exit 0" "$rc" 0
check_eq "nodes 0-1 online, node1 has CPU 1" "$(tr '\n' ' ' <"$t_tmp/out")" "0-1 1 "
((t_failed)) && show_err
done_testing
