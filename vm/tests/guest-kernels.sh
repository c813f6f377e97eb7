#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Each kernel boots with the module loaded and writes back to --results:
# 6.12 and 6.1 (9p), 6.1-cloud (no 9p: results copied in and out), 7.2
# (Debian sid: the split image, the module from the gcc 16 build root);
# 6.1-rt too with GUPBENCH_TEST_ALL_KERNELS=1. One boot per kernel (7.3
# boots in make check's selftests).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

kernels=(6.12 6.1 6.1-cloud 7.2)
[[ -n ${GUPBENCH_TEST_ALL_KERNELS:-} ]] && kernels+=(6.1-rt)

for k in "${kernels[@]}"; do
	r=$t_tmp/r-$k
	mkdir -p "$r" && echo in >"$r/input"
	vmrun --kernel "$k" --results "$r" -- \
		sh -c "uname -r; $module_check || { echo 'module not loaded' >&2; exit 9; }; cat /results/input; echo x >/results/f; mkdir -p /results/d && echo y >/results/d/g"
	check_eq "$k: exit 0" "$rc" 0
	# keep what the guest said last: the temporary dir goes at exit
	[[ $rc == 0 ]] || tail -n 40 "$r/console.log" 2>/dev/null | tr -d '\033\r' | sed 's/^/# console: /'
	case $k in
	6.12) want='^6\.12\.[0-9]+\+deb12-amd64$' ;;
	6.1) want='^6\.1\.0-[0-9]+-amd64$' ;;
	6.1-*) want="^6\\.1\\.0-[0-9]+-${k#6.1-}-amd64\$" ;;
	7.2) want='^7\.2\.[0-9]+\+deb[0-9]+-amd64$' ;;
	esac
	check "$k: uname -r matches $want" grep -qE "$want" "$t_tmp/out"
	if [[ -n $has_real_kmod ]]; then d='/dev/gupbench is a 0600 char device'; else d='stand-in module loaded'; fi
	check "$k: $d" eval '[[ $rc == 0 ]] && ! grep -q "module not loaded" "$t_tmp/err"'
	check "$k: the guest reads /results" grep -qx in "$t_tmp/out"
	check "$k: files written to /results come back" eval '[[ $(cat "$r/f" 2>/dev/null) == x && $(cat "$r/d/g" 2>/dev/null) == y ]]'
	check "$k: console.log and dmesg.txt saved" eval '[[ -s $r/console.log && -s $r/dmesg.txt ]]'
	((t_failed)) && show_err
done
done_testing
