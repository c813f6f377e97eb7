#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the standard matrix, on this machine when /dev/gupbench is
# usable, otherwise in a QEMU guest (vm/run, two NUMA nodes) on a Debian
# kernel.  Results land in results/<UTC stamp>-<kernel release>/.
#   PRESET=quick|standard|full (default standard)  KERNEL=vm/run label
#   (default 6.12)  VM_MEM=guest memory (default 4G)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
preset=${PRESET:-standard}
kernel=${KERNEL:-6.12}
stamp=$(date -u +%Y%m%dT%H%M%SZ)

scripts/deps.sh bench
make -s tools selftests >/dev/null

# Name the directory after the kernel the results came from.
finish() {
	local dir=$1 krel
	krel=$(sed -n 's/^ *"kernel_release": "\(.*\)",$/\1/p' "$dir/results.json" | head -1)
	local final="results/$stamp-${krel:-unknown}"
	mv "$dir" "$final"
	echo
	cat "$final/summary.txt"
	echo
	echo "gupbench: results in $final (results.json, results.csv, summary.txt)"
}

mkdir -p results
if [ -w /dev/gupbench ]; then
	echo "gupbench: /dev/gupbench is usable here: running the $preset matrix on $(uname -r)"
	out="results/$stamp-$(uname -r)"
	bin/gupbench matrix --preset "$preset" --reserve-hugetlb --numa --out "$out"
	echo
	cat "$out/summary.txt"
	echo "gupbench: results in $out"
	exit 0
fi

echo "gupbench: no usable /dev/gupbench on this machine ($(uname -r)): running the $preset matrix in a QEMU guest on Debian $kernel (2 NUMA nodes, TCG: compare ratios, not absolute numbers)"
tmp="results/$stamp-pending"
mkdir -p "$tmp"
status=0
vm/run --kernel "$kernel" --numa 2 --mem "${VM_MEM:-4G}" --timeout "${VM_TIMEOUT:-5400}" \
	--results "$tmp" -- \
	gupbench matrix --preset "$preset" --reserve-hugetlb --numa --out /results ||
	status=$?
if [ ! -s "$tmp/results.json" ]; then
	echo "gupbench: the guest produced no results (status $status); console log: $tmp/console.log" >&2
	exit 1
fi
finish "$tmp"
exit "$status"
