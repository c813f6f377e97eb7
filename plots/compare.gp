# SPDX-License-Identifier: GPL-2.0
# A/B comparison: the ratio B/A per case with its confidence interval,
# coloured by verdict.  A case whose interval is unbounded (too little
# data) is a hollow point on a dotted line across the whole axis: it
# could be anything, and must not look precise.  Variables: data
# ("index<TAB>ratio<TAB>low<TAB>high<TAB>rgb<TAB>label", low and high NaN
# when unbounded), thr (the threshold as a fraction), sub (the method and
# the counts), ylo, yhi (the y range: the intervals, clipped to 0.1-10),
# unbounded (how many cases have no interval).
set title ttl."\n".sub font ",11"
set logscale y
set ylabel "B/A of each case's statistic (interval)"
unset xlabel
set xtics rotate by 90 right font ",7" nomirror
set xrange [0:*]
set yrange [ylo:yhi]
# a log axis over less than a decade needs its tics named
set ytics (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2, 3, 5, 10)
# below the plot, in one row: inside it would cover cases
set key outside bottom center horizontal font ",9" samplen 2
set offsets 0.5, 0.5, 0, 0
common = "1 with lines lc rgb '#555555' lw 1 notitle, " . \
	"1 + thr with lines lc rgb '#d62728' dt 2 title sprintf('+/- threshold (%.3g%%)', 100 * thr), " . \
	"1 - thr with lines lc rgb '#2ca02c' dt 2 notitle, " . \
	"data using 1:2:3:4:5:xtic(6) with yerrorbars lc rgb variable pt 7 ps 0.7 notitle, " . \
	"NaN with points pt 7 lc rgb '#d62728' title 'slower', " . \
	"NaN with points pt 7 lc rgb '#2ca02c' title 'faster', " . \
	"NaN with points pt 7 lc rgb '#555555' title 'equivalent', " . \
	"NaN with points pt 7 lc rgb '#ff7f0e' title 'inconclusive'"
# the unbounded cases' layers only when there are some: an empty layer warns
if (unbounded) {
	plot @common, \
		data using 1:(ylo):(0):(yhi - ylo):(valid(3) ? NaN : $5) with vectors nohead dt 3 lc rgb variable notitle, \
		data using 1:(valid(3) ? NaN : $2):5 with points lc rgb variable pt 6 ps 1.2 notitle, \
		NaN with points pt 6 lc rgb "#7f7f7f" title "no interval (unbounded)"
} else {
	plot @common
}
