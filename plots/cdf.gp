# SPDX-License-Identifier: GPL-2.0
# Per-call latency distribution (CDF) of one case, one line per memory
# kind.  Variables: data (one block per line, "ns<TAB>fraction"),
# titles (the legend of each block, quoted), sub (the case).
set title ttl."\n".sub font ",12"
set logscale x
set xlabel "per-call get latency (ns)"
set ylabel "fraction of calls at or below (CDF)"
set yrange [0:1.02]
set key bottom right box opaque
plot for [j = 1:words(titles)] data index (j - 1) using 1:2 with steps \
	lw 2 lc rgb api_color(j) title word(titles, j)
