#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the gupbench selftests the way the kernel's mm/run_vmtests.sh does:
# by category, as TAP, with a summary line, exiting non-zero when anything
# failed.  Each category is one TAP test; the harness output of its binary
# is nested as "# " comments.  A kernel splat (WARNING, BUG, lockdep, ...)
# logged while a binary ran fails that category.
#
# POSIX sh: it runs in the busybox ash of the vm/run guest too.

usage() {
	cat <<EOF
usage: ${0##*/} [-h] [-n] [-a] [-t CATEGORY]...
  -t CATEGORY  run this category; repeatable:
       abi        GUPBENCH_IOC_CAPS, the ABI's layout, the device node
       gup        the get_* matrix, noop, release orders, mmap_lock modes
       pin        the pin_* matrix, release orders, mmap_lock modes, UNPIN_DIRTY
       longterm   the pin_* APIs with FOLL_LONGTERM
       badinput   every refused input: the errno, and nothing left pinned
       hold       per-file HOLD/UNHOLD/CONTENT state
       runner     the gupbench command: JSON against the kernel's counts, errors
       bench      gupbench matrix --preset quick: results well-formed (JSON,
                  CSV, summary, samples), no failed case, compare A/A clean
       syscall    the syscall backend's system calls (io_uring, process_vm_*,
                  vmsplice, O_DIRECT): pins/references counted, data moved
       fuzz       random and boundary arguments to every ioctl, checked against
                  the ABI; pins balanced; module unload/reload
       races      munmap/mremap/mprotect/madvise/fork/exit/SIGKILL against pins
       limits     root-only device, requests above RAM, concurrent ioctls
  -a           all categories (the default)
  -n           list what would run, run nothing
  -h           this help
environment:
  GUPBENCH_SELFTESTS  directory of the test binaries
                      (default: selftests/ next to this script)
  GUPBENCH_HUGEPAGES  2 MiB hugetlb pages to make sure of (default 64, 0: none)
  GUPBENCH_DIRECT_PATH  where syscall's O_DIRECT test reads (default: a loop
                      device when /dev/loop-control exists, else /results)
  GUPBENCH_TIMEOUT    seconds per binary when timeout(1) exists (default 1200)
  GUPBENCH_FUZZ_CALLS    fuzz: steps (default 100000; 0: no limit)
  GUPBENCH_FUZZ_SECONDS  fuzz: time bound, whichever comes first (default 60)
  GUPBENCH_FUZZ_SEED     fuzz: the seed (default: from the clock, printed)
  GUPBENCH_RACE_SECONDS  races: seconds each scenario races (default 1.5)
Build the binaries with: make -C selftests
EOF
}

all_categories="abi gup pin longterm badinput hold runner syscall bench fuzz races limits"

# The binary and harness filter (-f fixture, exact names) of a category.
category_cmd() {
	case $1 in
	abi)		echo "abi" ;;
	gup)		echo "gup_matrix -f gup -f gup_modes" ;;
	pin)		echo "gup_matrix -f pin -f pin_modes" ;;
	longterm)	echo "gup_matrix -f longterm" ;;
	badinput)	echo "badinput" ;;
	hold)		echo "hold" ;;
	runner)		echo "runner_cli" ;;
	syscall)	echo "syscall_gup" ;;
	bench)		echo "bench_results" ;;
	fuzz)		echo "fuzz" ;;
	races)		echo "races" ;;
	limits)		echo "limits" ;;
	*)		return 1 ;;
	esac
}

die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

selected=""
list_only=0
while getopts "t:anh" opt; do
	case $opt in
	t)
		category_cmd "$OPTARG" >/dev/null ||
			die "unknown category '$OPTARG' (one of: $all_categories)"
		case " $selected " in
		*" $OPTARG "*) ;;
		*) selected="$selected $OPTARG" ;;
		esac
		;;
	a)	selected=$all_categories ;;
	n)	list_only=1 ;;
	h)	usage; exit 0 ;;
	*)	usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1'; see -h"
[ -n "$selected" ] || selected=$all_categories

here=$(cd "$(dirname "$0")" && pwd) || die "cannot find my own directory"
bindir=${GUPBENCH_SELFTESTS:-$here/selftests}

count=0
for cat in $selected; do
	count=$((count + 1))
done

if [ "$list_only" = 1 ]; then
	for cat in $selected; do
		echo "$cat: $bindir/$(category_cmd "$cat")"
	done
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_vmtests.XXXXXX") ||
	die "cannot create a temporary directory; set TMPDIR"

# hugetlb: make sure of enough free 2 MiB pages, give back the old setting.
hp_file=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -e "$hp_file" ] || hp_file=/proc/sys/vm/nr_hugepages
hp_old=""
# shellcheck disable=SC2317 # called from the traps below
restore() {
	if [ -n "$hp_old" ]; then
		echo "$hp_old" >"$hp_file" 2>/dev/null
		hp_old=""
	fi
	rm -rf "$tmp"
}
trap 'restore' EXIT
trap 'restore; exit 130' INT TERM

hp_want=${GUPBENCH_HUGEPAGES:-64}
case " $selected " in
*" gup "* | *" pin "* | *" longterm "* | *" syscall "*) ;;
*) hp_want=0 ;;
esac

echo "TAP version 13"
if [ "$hp_want" -gt 0 ] 2>/dev/null; then
	if [ -w "$hp_file" ]; then
		cur=$(cat "$hp_file")
		if [ "$cur" -lt "$hp_want" ]; then
			hp_old=$cur
			echo "$hp_want" >"$hp_file" 2>/dev/null
			echo "# hugetlb: $hp_file $cur -> $(cat "$hp_file")" \
			     "(wanted $hp_want; restored at exit)"
		else
			echo "# hugetlb: $hp_file is $cur (>= $hp_want)"
		fi
	else
		echo "# hugetlb: $hp_file not writable; hugetlb tests may skip"
	fi
fi

# timeout(1) from coreutils or a busybox new enough for "timeout SECS CMD".
tmo=""
if timeout 5 true 2>/dev/null; then
	tmo="timeout ${GUPBENCH_TIMEOUT:-1200}"
fi

# Kernel log from the marker on, when the log can be read and written.
can_mark=0
if [ -w /dev/kmsg ] && dmesg >/dev/null 2>&1; then
	can_mark=1
fi
splat_re='WARNING:|BUG:|BUG |Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|INFO: task .* blocked|UBSAN:|KASAN:|refcount_t:|list_add corruption|list_del corruption|Bad page|bad page state|Kernel panic'

log_since() {
	dmesg 2>/dev/null | awk -v m="$1" '
		index($0, m) { out = ""; on = 1; next }
		on { out = out $0 "\n" }
		END { printf "%s", out }'
}

echo "1..$count"
n=0
n_ok=0
n_fail=0
n_skip=0
t_pass=0
t_fail=0
t_skip=0
for cat in $selected; do
	n=$((n + 1))
	cmd=$(category_cmd "$cat")
	bin=${cmd%% *}
	args=${cmd#"$bin"}
	echo "# ----- $n $cat: $bindir/$cmd"

	if [ ! -x "$bindir/$bin" ]; then
		echo "# $bindir/$bin missing: build it with make -C selftests"
		echo "not ok $n $cat"
		n_fail=$((n_fail + 1))
		continue
	fi

	marker="gupbench-run_vmtests[$$]: start $n $cat"
	[ "$can_mark" = 1 ] && echo "$marker" >/dev/kmsg

	# $args is word-split on purpose: it holds harness options.
	# shellcheck disable=SC2086
	{ $tmo "$bindir/$bin" $args 2>&1; echo "$?" >"$tmp/rc"; } |
		tee "$tmp/out" | sed 's/^/# /'
	rc=$(cat "$tmp/rc")

	totals=$(grep '^# Totals:' "$tmp/out" | tail -n 1)
	pass=$(echo "$totals" | sed -n 's/.* pass:\([0-9]*\).*/\1/p')
	fail=$(echo "$totals" | sed -n 's/.* fail:\([0-9]*\).*/\1/p')
	skip=$(echo "$totals" | sed -n 's/.* skip:\([0-9]*\).*/\1/p')
	err=$(echo "$totals" | sed -n 's/.* error:\([0-9]*\).*/\1/p')
	t_pass=$((t_pass + ${pass:-0}))
	t_fail=$((t_fail + ${fail:-0} + ${err:-0}))
	t_skip=$((t_skip + ${skip:-0}))

	why=""
	if [ "$rc" = 124 ] || [ "$rc" = 143 ] || [ "$rc" = 137 ]; then
		why="timed out or killed (exit $rc)"
	elif [ "$rc" != 0 ]; then
		why="exit status $rc"
	elif [ -z "$totals" ]; then
		why="no '# Totals:' line: the binary did not finish"
	fi

	if [ "$can_mark" = 1 ]; then
		splat=$(log_since "$marker" | grep -E "$splat_re")
		if [ -n "$splat" ]; then
			echo "# kernel log while $cat ran:"
			log_since "$marker" | sed 's/^/#   /'
			why="${why:+$why; }kernel splat: $(echo "$splat" | head -n 1)"
		fi
	fi

	if [ -n "$why" ]; then
		echo "not ok $n $cat # $why"
		n_fail=$((n_fail + 1))
	elif [ "${pass:-0}" = 0 ] && [ "${skip:-0}" != 0 ]; then
		reason=$(sed -n 's/^ok [0-9]* .* # SKIP //p' "$tmp/out" | head -n 1)
		echo "ok $n $cat # SKIP ${reason:-every test skipped}"
		n_skip=$((n_skip + 1))
	else
		echo "ok $n $cat"
		n_ok=$((n_ok + 1))
	fi
done

echo "# Summary: categories: $n_ok ok, $n_fail failed, $n_skip skipped;" \
     "tests: $t_pass passed, $t_fail failed, $t_skip skipped"
[ "$n_fail" = 0 ] || exit 1
exit 0
