#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the standard matrix, on this machine when /dev/gupbench is
# usable, otherwise in a QEMU guest (vm/run, two NUMA nodes) on a Debian
# kernel.  Results land in results/<UTC stamp>-<kernel release>/, with
# their plots in plots/ there (gupbench plot).
# Besides, the syscall backend's matrix (io_uring, process_vm_*, vmsplice,
# O_DIRECT: GUP reached without the module) runs on this machine itself,
# on its real hardware, into results/<stamp>-<kernel>-syscall/.
#   PRESET=quick|standard|full (default standard)  KERNEL=vm/run label
#   (default 6.12)  VM_MEM=guest memory (default 4G)  SYSCALL=0 (skip the
#   host syscall matrix)  DIRECT_PATH=where odirect_read reads (default:
#   this directory; it must not be tmpfs)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
preset=${PRESET:-standard}
kernel=${KERNEL:-6.12}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
# per-call samples for the CDF plot (gupbench matrix --save-samples)
samples=${SAMPLES:-pin_user_pages_fast}

scripts/deps.sh bench
make -s tools selftests >/dev/null

# The plots; a missing picture is not a failed benchmark.
plots() {
	bin/gupbench plot "$1" ||
		echo "gupbench: plotting failed; the results are complete (retry: make plots DIR=$1)" >&2
}

# Name the directory after the kernel the results came from.
finish() {
	local dir=$1 krel
	krel=$(sed -n 's/^ *"kernel_release": "\(.*\)",$/\1/p' "$dir/results.json" | head -1)
	local final="results/$stamp-${krel:-unknown}"
	mv "$dir" "$final"
	echo
	echo "== module backend, QEMU guest (Debian ${krel:-?}, TCG: ratios, not absolute numbers) =="
	cat "$final/summary.txt"
	echo
	plots "$final"
	echo "gupbench: module backend results in $final (results.json, results.csv, summary.txt, samples/, plots/)"
}

mkdir -p results

# The syscall matrix on this machine: no module needed.  Hugetlb cases run
# only if the pool already has pages: a shared host's pool is not raised.
syscall_matrix() {
	local out="results/$stamp-$(uname -r)-syscall" args=()
	[[ ${SYSCALL:-1} == 0 ]] && return 0
	[[ -n ${DIRECT_PATH:-} ]] && args+=(--direct-path "$DIRECT_PATH")
	echo "gupbench: syscall backend on this machine ($(uname -r), real hardware, timed in userspace around each system call): the $preset syscall matrix"
	bin/gupbench matrix --backend syscall --preset "$preset" --numa \
		"${args[@]}" --out "$out" || syscall_status=$?
	echo
	echo "== syscall backend, this machine ($(uname -r), real hardware) =="
	cat "$out/summary.txt"
	echo "gupbench: syscall backend results in $out"
	echo
}
syscall_status=0
syscall_matrix

if [ -w /dev/gupbench ]; then
	echo "gupbench: /dev/gupbench is usable here: running the $preset module matrix on $(uname -r)"
	out="results/$stamp-$(uname -r)"
	bin/gupbench matrix --preset "$preset" --reserve-hugetlb --numa \
		--save-samples "$samples" --out "$out"
	echo
	echo "== module backend, this machine ($(uname -r)) =="
	cat "$out/summary.txt"
	plots "$out"
	echo "gupbench: module backend results in $out"
	exit "$syscall_status"
fi

echo "gupbench: no usable /dev/gupbench on this machine ($(uname -r)): running the $preset matrix in a QEMU guest on Debian $kernel (2 NUMA nodes, TCG: compare ratios, not absolute numbers)"
tmp="results/$stamp-pending"
mkdir -p "$tmp"
status=0
vm/run --kernel "$kernel" --numa 2 --mem "${VM_MEM:-4G}" --timeout "${VM_TIMEOUT:-5400}" \
	--results "$tmp" -- \
	gupbench matrix --preset "$preset" --reserve-hugetlb --numa \
		--save-samples "$samples" --out /results ||
	status=$?
if [ ! -s "$tmp/results.json" ]; then
	echo "gupbench: the guest produced no results (status $status); console log: $tmp/console.log" >&2
	exit 1
fi
finish "$tmp"
[ "$status" -ne 0 ] && exit "$status"
exit "$syscall_status"
