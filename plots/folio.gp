# SPDX-License-Identifier: GPL-2.0
# Per-page cost against folio size, log-log: one line per API over
# anonymous memory (base pages, each mTHP size, 2 MiB THP), hugetlb as
# squares of the same colour.  Variables: data, hdata (one block per API,
# "folio_kib<TAB>ns<TAB>low<TAB>high", NaN in an empty block), apis (in
# block order), cols (their colour indices), has_hugetlb, has_1g, sub.
set title ttl."\n".sub font ",12"
set logscale x 2
set logscale y
set xtics ("4K" 4, "16K" 16, "32K" 32, "64K" 64, "128K" 128, "256K" 256, \
	"512K" 512, "1M" 1024, "2M" 2048, "1G" 1048576)
set xrange [3:(has_1g ? 1.5e6 : 2900)]
set xlabel "folio size"
set ylabel "get time per 4 KiB page (ns, median of repeats)"
set key below font ",9"
n = words(apis)
if (has_hugetlb) {
	plot for [j = 1:n] data index (j - 1) using 1:2:3:4 with yerrorlines \
		lw 2 pt 7 ps 0.8 lc rgb api_color(word(cols, j) + 0) \
		title word(apis, j), \
	     for [j = 1:n] hdata index (j - 1) using 1:2 with points pt 5 \
		ps 1.4 lc rgb api_color(word(cols, j) + 0) \
		title (j == 1 ? "hugetlb (squares)" : "")
} else {
	plot for [j = 1:n] data index (j - 1) using 1:2:3:4 with yerrorlines \
		lw 2 pt 7 ps 0.8 lc rgb api_color(word(cols, j) + 0) \
		title word(apis, j)
}
