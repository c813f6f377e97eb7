#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Long-term pins two ways, in one guest boot: io_uring_register_buffers
# (syscall backend) against the module's pin_user_pages and
# pin_user_pages_fast with FOLL_LONGTERM, on the same memory kind and size,
# alternating ROUNDS times.  Prints a markdown table of median ns/page and
# the ratio io_uring / module, and keeps the raw CSV rows in
# results/<stamp>-backend-crosscheck/.
#   KERNELS="6.12 6.1" (vm/run labels)  ROUNDS=3  SIZE=64M  BATCH=all
#   --table DIR: print the table of an earlier run again
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
kernels=${KERNELS:-6.12 6.1}
rounds=${ROUNDS:-3}
size=${SIZE:-64M}
batch=${BATCH:-all}
dir=results/$(date -u +%Y%m%dT%H%M%SZ)-backend-crosscheck
redo=
if [[ ${1:-} == --table ]]; then	# --table DIR: the table of an earlier run
	dir=${2:?--table needs the directory of an earlier run}
	redo=1
fi
mkdir -p "$dir"

if [[ -z $redo ]]; then
scripts/deps.sh build vm >&2
make -s tools selftests >/dev/null

# The guest half (busybox sh): one CSV row per run, tagged with the round.
cat >"$dir/guest.sh" <<'EOF'
set -eu
echo 96 >/proc/sys/vm/nr_hugepages
out=/results/crosscheck-$(uname -r).csv
: >"$out"
for MEM in base thp hugetlb; do
	common="--mem $MEM --size $SIZE --batch $BATCH --repeat 10 --warmup 1 --format csv"
	for r in $(seq "$ROUNDS"); do
		for tool in pin_user_pages pin_user_pages_fast io_uring_register_buffers; do
			case $tool in
			io_uring*) args="--backend syscall --api $tool" ;;
			*) args="--api $tool --longterm --write" ;;
			esac
			# shellcheck disable=SC2086 # option lists on purpose
			gupbench run $args $common | sed -n 2p | sed "s/^/$r,/" >>"$out"
		done
	done
done
EOF

for k in $kernels; do
	vm/run --kernel "$k" --numa 2 --mem 4G --timeout 1800 --results "$dir" -- \
		env ROUNDS="$rounds" SIZE="$size" BATCH="$batch" sh /results/guest.sh >&2
done
fi

# Columns (docs/results.md) shifted by the round: 2 api, 3 mem, 20 per-page
# get median, 23 per-page put median.  Medians over rounds.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() {	# FILE API MEM COLUMN
	awk -F, -v a="$2" -v m="$3" -v c="$4" '$2 == a && $3 == m { print $c }' "$1" | median
}
table() {
	echo "Take (get), median ns/page; ratios io_uring / module:"
	echo
	echo "| kernel | mem | pin_user_pages LT | pin_user_pages_fast LT | io_uring register | / pin_user_pages | / pin_user_pages_fast |"
	echo "|---|---|---|---|---|---|---|"
	rows 20
	echo
	echo "Release (put), median ns/page: unpin_user_pages vs IORING_UNREGISTER_BUFFERS:"
	echo
	echo "| kernel | mem | pin_user_pages LT | pin_user_pages_fast LT | io_uring unregister | / pin_user_pages | / pin_user_pages_fast |"
	echo "|---|---|---|---|---|---|---|"
	rows 23
}
rows() {	# COLUMN
	local f krel mem a b c
	for f in "$dir"/crosscheck-*.csv; do
		krel=${f##*/crosscheck-}
		krel=${krel%.csv}
		for mem in base thp hugetlb; do
			a=$(col "$f" pin_user_pages "$mem" "$1")
			b=$(col "$f" pin_user_pages_fast "$mem" "$1")
			c=$(col "$f" io_uring_register_buffers "$mem" "$1")
			[[ -n $a && -n $b && -n $c ]] || continue
			awk -v k="$krel" -v m="$mem" -v a="$a" -v b="$b" -v c="$c" \
				'BEGIN { printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", k, m, a, b, c, c / a, c / b }'
		done
	done
}
table | tee "$dir/crosscheck.md"
echo "backend-crosscheck: raw rows and the table in $dir" >&2
