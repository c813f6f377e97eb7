# SPDX-License-Identifier: GPL-2.0
# A/B comparison: the ratio B/A per case with its confidence interval,
# coloured by verdict.  Variables: data ("index<TAB>ratio<TAB>low<TAB>
# high<TAB>rgb<TAB>label"), thr (the threshold as a fraction), sub (the
# method), ylo, yhi (the y range: the intervals, clipped to 0.1-10).
set title ttl."\n".sub font ",11"
set logscale y
set ylabel "B/A, median get time (95% interval)"
set xlabel "case"
set xtics rotate by 90 right font ",7" nomirror
set xrange [0:*]
set yrange [ylo:yhi]
# a log axis over less than a decade needs its tics named
set ytics (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10)
set key top left box opaque font ",9"
set offsets 0.5, 0.5, graph 0.05, graph 0.05
plot 1 with lines lc rgb "#555555" lw 1 notitle, \
	1 + thr with lines lc rgb "#d62728" dt 2 title sprintf("1 + threshold (%.3g%%)", 100 * thr), \
	1 - thr with lines lc rgb "#2ca02c" dt 2 title sprintf("1 - threshold (%.3g%%)", 100 * thr), \
	data using 1:2:3:4:5:xtic(6) with yerrorbars lc rgb variable pt 7 ps 0.7 notitle, \
	NaN with points pt 7 lc rgb "#d62728" title "slower (regression)", \
	NaN with points pt 7 lc rgb "#2ca02c" title "faster", \
	NaN with points pt 7 lc rgb "#7f7f7f" title "no change"
