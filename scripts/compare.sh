#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make compare: the same matrix on each of several kernels in QEMU guests,
# on both clocks, then gupbench compare of every kernel against the first
# (A) and plots.
#   KERNELS="6.1 6.12"  vm/run labels, releases, kernel image files (first =
#                       A; an image needs KDIR= for its module), or make
#                       kernel result directories (as make ab passes them)
#   PRESET=quick        the matrix preset
#   CLOCKS="instructions time"  which clocks, in this order (vm/run --clock):
#                       the instruction clock gives the verdict on work
#                       done, the time clock the magnitude a user feels
#   RUNS=3              boots per kernel on the time clock, interleaved
#                       A B A B ...: whole runs differ by more than their
#                       repeats, so the comparison needs several
#                       (docs/PERFORMANCE.md)
#   RUNS_INSTRUCTIONS=1 boots per kernel on the instruction clock, which
#                       repeats itself from boot to boot
#   THRESHOLD=          percent; default per clock (0.5 instructions, 5 time)
#   METHOD=bootstrap|hl; VM_MEM=4G
# Writes results/<stamp>-compare/:
#   <clock>/k<N>-<kernel>/run<R>/  each boot's results (+ console.log, ...)
#   <clock>/compare.{txt,md,json}, <clock>/plots/   (two kernels)
#   <clock>/vs-k<N>-<kernel>/...    the same for each further kernel
#   compare.txt         both clocks side by side, case by case (two kernels)
# Exit status: 0 no regression, 1 a regression (the first clock's
# verdict), 2 a kernel without results.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
read -r -a kernels <<<"${KERNELS:-6.1 6.12}"
preset=${PRESET:-quick}
read -r -a clocks <<<"${CLOCKS:-instructions time}"
runs_time=${RUNS:-3}
runs_instr=${RUNS_INSTRUCTIONS:-1}
threshold=${THRESHOLD:-}
method=${METHOD:-bootstrap}
samples=${SAMPLES:-pin_user_pages_fast}

die() {
	echo "make compare: $*" >&2
	exit 2
}

[ "${#kernels[@]}" -ge 2 ] ||
	die "KERNELS='${KERNELS:-}': name two kernels or more, e.g. KERNELS=\"6.1 6.12\" (the first is A)"
[[ $runs_time =~ ^[1-9][0-9]*$ ]] || die "RUNS='$runs_time': use a count of boots per kernel, e.g. 3"
[[ $runs_instr =~ ^[1-9][0-9]*$ ]] || die "RUNS_INSTRUCTIONS='$runs_instr': use a count of boots per kernel, e.g. 1"
[ "${#clocks[@]}" -ge 1 ] || die "CLOCKS is empty: name instructions, time or both"
for c in "${clocks[@]}"; do
	case $c in instructions | time) ;; *) die "CLOCKS: '$c': use instructions and/or time" ;; esac
done
[[ " ${clocks[*]} " == *" time "* && $runs_time -lt 2 ]] &&
	echo "make compare: RUNS=1: one time-clock run per kernel; the intervals will be too narrow (see docs/PERFORMANCE.md)" >&2

scripts/deps.sh bench || die "cannot install what the comparison needs (scripts/deps.sh bench)"
make -s tools >/dev/null || die "the tools do not build: run make tools"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="results/$stamp-compare"
mkdir -p "$out" || die "cannot create $out"
failed_runs=0
status=0
first=${clocks[0]}
declare -A kdirs=()
for clock in "${clocks[@]}"; do
	cout="$out/$clock"
	if [ "$clock" = instructions ]; then runs=$runs_instr; else runs=$runs_time; fi
	dirs=()
	for i in "${!kernels[@]}"; do
		name=$(basename "${kernels[$i]}" | tr -c 'A-Za-z0-9._+\n-' '_')
		dirs+=("$cout/k$((i + 1))-$name")
	done

	echo "make compare: $preset matrix on ${kernels[*]} (A: ${kernels[0]}), $clock clock, $runs boot(s) each, interleaved; into $cout"
	for r in $(seq 1 "$runs"); do
		for i in "${!kernels[@]}"; do
			k=${kernels[$i]}
			d="${dirs[$i]}/run$r"
			args=()
			# samples for the CDF plot, once per kernel
			[ "$r" = 1 ] && args=(--save-samples "$samples")
			mkdir -p "$d"
			echo "make compare: $clock clock, run $r/$runs on $k"
			# a make kernel result says itself how vm/run boots it
			if [ -f "$k/vm-run-args" ]; then
				read -r -a kargs <"$k/vm-run-args"
			else
				kargs=(--kernel "$k")
			fi
			vm/run "${kargs[@]}" --clock "$clock" --numa 2 --mem "${VM_MEM:-4G}" \
				--timeout "${VM_TIMEOUT:-1800}" --results "$d" -- \
				gupbench matrix --preset "$preset" --reserve-hugetlb --numa \
				"${args[@]}" --out /results >"$d/gupbench.log" 2>&1
			st=$?
			if [ ! -s "$d/results.json" ]; then
				echo "make compare: run $r on $k produced no results (status $st; see $d/gupbench.log, $d/console.log)" >&2
				rm -f "$d/results.json"
				failed_runs=$((failed_runs + 1))
			elif [ "$st" != 0 ]; then
				echo "make compare: run $r on $k: status $st (failed cases or checks: see $d/summary.txt); its results are used" >&2
			fi
		done
	done

	for i in "${!kernels[@]}"; do
		ls "${dirs[$i]}"/run*/results.json >/dev/null 2>&1 ||
			die "${kernels[$i]}: no run produced results; see ${dirs[$i]}/run*/gupbench.log"
		[ -s "${dirs[$i]}/run1/results.json" ] && bin/gupbench plot "${dirs[$i]}/run1"
	done

	for i in $(seq 1 $((${#kernels[@]} - 1))); do
		cdir=$cout
		[ "${#kernels[@]}" -gt 2 ] && cdir="$cout/vs-$(basename "${dirs[$i]}")"
		mkdir -p "$cdir"
		copts=(--method "$method")
		[ -n "$threshold" ] && copts+=(--threshold "$threshold")
		bin/gupbench compare "${copts[@]}" --format json --out "$cdir/compare.json" \
			"${dirs[0]}" "${dirs[$i]}"
		st=$?
		[ "$st" -ge 2 ] && die "gupbench compare failed (status $st)"
		[ "$first" = "$clock" ] && [ "$st" -gt "$status" ] && status=$st
		bin/gupbench compare "${copts[@]}" --format md --out "$cdir/compare.md" \
			"${dirs[0]}" "${dirs[$i]}" 2>/dev/null
		bin/gupbench compare "${copts[@]}" --out "$cdir/compare.txt" \
			"${dirs[0]}" "${dirs[$i]}" 2>/dev/null
		bin/gupbench plot "$cdir"
		echo
		cat "$cdir/compare.txt"
	done
	kdirs[$clock]="${dirs[0]} ${dirs[1]}"
done
if [ "${#clocks[@]}" -ge 2 ] && [ "${#kernels[@]}" -eq 2 ]; then
	# both clocks side by side: the verdict on work done beside the magnitude
	bin/gupbench compare --method "$method" ${threshold:+--threshold "$threshold"} \
		--out "$out/compare.txt" ${kdirs[${clocks[0]}]} ${kdirs[${clocks[1]}]} 2>/dev/null
	echo
	cat "$out/compare.txt"
fi
echo
echo "make compare: results, comparison and plots in $out"
[ "$failed_runs" -gt 0 ] &&
	echo "make compare: $failed_runs run(s) produced no results; the comparison pools the others" >&2
exit "$status"
