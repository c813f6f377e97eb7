#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make crosscheck: gupbench against the kernel's own gup_test, in one boot of
# the patched kernel (CONFIG_GUP_TEST=y, gup_test built from the same
# source): {get_user_pages_fast, pin_user_pages_fast, pin_user_pages +
# LONGTERM} x {base, thp, hugetlb} x batch 512 x 64 MiB x 10 repeats, the
# two tools alternating.  Writes crosscheck.md (the table) and the raw
# repeats into results/<stamp>-crosscheck/ and prints the table.
#   SERIES= BASE= (as make kernel)  ROUNDS= (alternations, default 2)
#   CLOCKS="instructions time" (vm/run --clock, one boot each): like-for-like
#   cases must agree within 2% on the instruction clock, 10% on time
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
scripts/deps.sh build vm
make -s tools >/dev/null

read -r -a clocks <<<"${CLOCKS:-instructions time}"
if ((${#clocks[@]} > 1)); then
	rc=0
	for c in "${clocks[@]}"; do CLOCKS=$c "$0" || rc=1; done
	exit "$rc"
fi
clock=${clocks[0]}
case $clock in
instructions) bound=2 unit=instr/page ;;
time) bound=10 unit=ns/page ;;
*) echo "crosscheck: CLOCKS: '$clock': use instructions and/or time" >&2; exit 2 ;;
esac

kdir=$(FLAVOUR=bench scripts/build-kernel.sh)
read -r -a vmargs <"$kdir/vm-run-args"
dir=results/$(date -u +%Y%m%dT%H%M%SZ)-crosscheck-$clock
mkdir -p "$dir"
cp scripts/crosscheck-guest.sh "$dir/"

vm/run "${vmargs[@]}" --clock "$clock" --mem 2G --timeout 1800 --results "$dir" -- \
	env ROUNDS="${ROUNDS:-2}" sh /results/crosscheck-guest.sh >&2

raw=$dir/crosscheck.raw
[[ -s $raw ]] || { echo "crosscheck: the guest recorded nothing; see $dir/console.log" >&2; exit 1; }

# median and coefficient of variation of the per-page times of one series;
# the first repeat of every block is the cold one (TCG translates the code
# afresh, caches are cold) and is dropped for both tools alike
stats() {	# TOOL CASE MEM
	awk -v t="$1" -v c="$2" -v m="$3" '$1 == t && $2 == c && $3 == m && $5 > 0 { print $4 }' "$raw" |
		sort -g | awk '{ v[NR] = $1; s += $1; q += $1 * $1 }
		END {
			if (!NR) { print "- -"; exit }
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			mean = s / NR; var = NR > 1 ? (q - NR * mean * mean) / (NR - 1) : 0
			cv = var > 0 ? 100 * sqrt(var) / mean : 0
			printf "%.2f %.1f\n", med, cv
		}'
}

{
	echo "| case | mem | gup_test $unit (CV %) | gupbench $unit (CV %) | gupbench / gup_test | same thing measured? |"
	echo "|---|---|---|---|---|---|"
	for case in gup_fast pin_fast pin_longterm pin_longterm_lock_in_window; do
		for mem in base thp hugetlb; do
			gcase=$case
			[[ $case == pin_longterm_lock_in_window ]] && gcase=pin_longterm
			read -r gm gcv < <(stats gup_test "$gcase" "$mem")
			read -r bm bcv < <(stats gupbench "$case" "$mem")
			ratio=$(awk -v a="$gm" -v b="$bm" 'BEGIN { if (a > 0) printf "%.3f", b / a; else print "-" }')
			same=yes
			[[ $mem == thp ]] && same="no: gup_test's THP buffer is not 2 MiB aligned"
			[[ $case == pin_longterm_lock_in_window ]] && same="no: mmap_lock per call inside the window (gupbench's default)"
			verdict=
			if [[ $same == yes ]]; then
				verdict=$(awk -v r="$ratio" -v b="$bound" 'BEGIN { print (r >= 1 - b / 100 && r <= 1 + b / 100) ? "agree within " b "%" : "DIFFER by more than " b "%" }')
				same="yes, $verdict"
			fi
			echo "| $case | $mem | $gm ($gcv) | $bm ($bcv) | $ratio | $same |"
		done
	done
	echo
	echo "$(sed -n 's/^release: /kernel /p' "$kdir/info"), $(grep -c . "$raw") repeats, ${ROUNDS:-2} alternations of 10 repeats per tool and case (the first of each 10 dropped), TCG guest, $clock clock."
} >"$dir/crosscheck.md"
cat "$dir/crosscheck.md"
echo "crosscheck: results in $dir" >&2
