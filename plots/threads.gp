# SPDX-License-Identifier: GPL-2.0
# Thread scaling: aggregate throughput and p99 call latency against the
# thread count, own buffers against one shared buffer, and the ideal of
# each series (its one-thread throughput times the threads).  Variables:
# data (one block per series, "threads<TAB>GiB/s<TAB>p99_us<TAB>ideal"),
# series (the legend of each block, quoted), shared (1 per series when
# the buffer is shared: dashed), tics (the thread counts measured), tmin,
# tmax (the smallest and largest).
set multiplot layout 1, 2 title ttl font ",12"
set xlabel "threads (log 2)"
set logscale x 2
set xrange [tmin / 1.25 : tmax * 1.25]
set xtics ()
do for [k = 1:words(tics)] {
	set xtics add (word(tics, k) word(tics, k) + 0)
}
set key top left font ",8" box opaque
# room above the top point only: a padded bottom would go below zero
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set title "aggregate throughput"
set ylabel "GiB/s pinned (all threads, median repeat)"
plot for [j = 1:words(series)] data index (j - 1) using 1:2 with linespoints \
	lw 2 pt 7 lc rgb api_color(j) dt dashed_if(word(shared, j) eq "1") \
	title word(series, j), \
	for [j = 1:words(series)] data index (j - 1) using 1:4 with lines \
	lw 1 lc rgb api_color(j) dt 3 title (j == 1 ? "ideal: 1 thread x N" : "")
set title "per-call latency, p99"
set ylabel "p99 get latency per call (us)"
plot for [j = 1:words(series)] data index (j - 1) using 1:3 with linespoints \
	lw 2 pt 7 lc rgb api_color(j) dt dashed_if(word(shared, j) eq "1") \
	title word(series, j)
unset multiplot
