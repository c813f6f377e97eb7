#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest half of make crosscheck (busybox sh): in one boot, alternate the
# kernel's gup_test and gupbench on the same workloads, ROUNDS times each,
# and write one line per repeat to /results/crosscheck.raw:
#   TOOL CASE MEM GET_NS_PER_PAGE REPEAT
# gup_test reports whole microseconds per 64 MiB; gupbench nanoseconds.
# REPEAT counts from 0 in each block of repeats, so that the host side can
# drop each block's first (cold) repeat for both tools alike.
set -eu

rounds=${ROUNDS:-2}
repeat=${REPEAT:-10}
out=/results/crosscheck.raw
gup_test=${GUP_TEST:-/gupbench/bin/gup_test}
pages=16384	# 64 MiB of 4 KiB pages

echo 96 >/proc/sys/vm/nr_hugepages
: >"$out"

# gup_test's own flags: -u GUP_FAST, -a PIN_FAST, -L PIN_LONGTERM (its
# pin_user_pages call holds mmap_lock taken outside the timed window);
# -T/-t MADV_NOHUGEPAGE/MADV_HUGEPAGE, -H hugetlb.  It writes (FOLL_WRITE)
# by default and takes no warm-up repeat.
gt_mem() {
	case $1 in base) echo -T ;; thp) echo -t ;; hugetlb) echo -H ;; esac
}

run_gup_test() {	# CASE FLAG MEM
	# into a file, read afterwards: a pipe's reader woken after every
	# repeat would run beside the next timed repeat (gupbench prints only
	# at the end)
	# and on CPU 0, where gupbench binds its worker thread too
	taskset -c 0 "$gup_test" "$2" $(gt_mem "$3") -m 64 -n 512 -r "$repeat" >/tmp/gt.out 2>&1
	sed -n 's/.*Time: get:\([0-9]*\) put:.*/\1/p' /tmp/gt.out | {
		k=0
		while read -r us; do
			echo "gup_test $1 $3 $((us * 1000 / pages)).$(((us * 1000 % pages) * 100 / pages)) $k"
			k=$((k + 1))
		done
	} >>"$out"
}

run_gupbench() {	# CASE MEM GUPBENCH-ARGS...
	c=$1 m=$2
	shift 2
	gupbench run "$@" --mem "$m" --size 64M --batch 512 --repeat "$repeat" \
		--warmup 0 --write --no-samples --reserve-hugetlb --format json \
		--out /tmp/cc.json
	# one get total per repeat, in ns, from the JSON's get_ns_total array
	tr -d ' \n' </tmp/cc.json | sed 's/.*"get_ns_total":\[\([0-9,]*\)\].*/\1/' |
		{ tr ',' '\n'; echo; } | {
		k=0
		while read -r ns; do
			[ -n "$ns" ] || continue
			echo "gupbench $c $m $((ns / pages)).$(((ns % pages) * 100 / pages)) $k"
			k=$((k + 1))
		done
	} >>"$out"
}

i=0
while [ "$i" -lt "$rounds" ]; do
	for mem in base thp hugetlb; do
		run_gup_test gup_fast -u "$mem"
		run_gupbench gup_fast "$mem" --api get_user_pages_fast
		run_gup_test pin_fast -a "$mem"
		run_gupbench pin_fast "$mem" --api pin_user_pages_fast
		run_gup_test pin_longterm -L "$mem"
		run_gupbench pin_longterm "$mem" --api pin_user_pages --longterm --lock-outside
		# gupbench's default: mmap_lock taken per call inside the window
		run_gupbench pin_longterm_lock_in_window "$mem" --api pin_user_pages --longterm
	done
	i=$((i + 1))
done
echo "crosscheck: $(wc -l <"$out") repeats recorded"
