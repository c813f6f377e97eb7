# SPDX-License-Identifier: GPL-2.0
# Thread scaling: aggregate throughput and p99 call latency against the
# thread count, own buffers against one shared buffer.  Variables: data
# (one block per series, "threads<TAB>GiB/s<TAB>p99_us"), series (the
# legend of each block, quoted), shared (1 per series when the buffer is
# shared: dashed).
set multiplot layout 1, 2 title ttl font ",12"
set xlabel "threads"
set xtics 1
set key top left font ",8" box opaque
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set title "aggregate throughput"
set ylabel "GiB/s pinned (all threads, median repeat)"
set yrange [0:*]
plot for [j = 1:words(series)] data index (j - 1) using 1:2 with linespoints \
	lw 2 pt 7 lc rgb api_color(j) dt dashed_if(word(shared, j) eq "1") \
	title word(series, j)
set title "per-call latency, p99"
set ylabel "p99 get latency per call (us)"
plot for [j = 1:words(series)] data index (j - 1) using 1:3 with linespoints \
	lw 2 pt 7 lc rgb api_color(j) dt dashed_if(word(shared, j) eq "1") \
	title word(series, j)
unset multiplot
