# SPDX-License-Identifier: GPL-2.0
# Latency per page against buffer size, log-log: one panel per memory
# kind, one line per API, error bars from the fastest to the slowest
# repeat.  Variables: mems ("base thp hugetlb"); for each mem M: file_M
# (its data: one block per API, "size_mib<TAB>ns<TAB>low<TAB>high"),
# apis_M (the APIs in block order), col_M (their colour indices); sub
# (what the points are: batch, direction); xlo, xhi (the x range, MiB);
# ylo, yhi (one y range for every panel, so that they compare by eye).
n = words(mems)
rows = (n <= 3) ? 1 : 2
cols = (n <= 3) ? n : (n + 1) / 2
set multiplot layout rows, cols title ttl."\n".sub font ",12"
set logscale xy
set xlabel "buffer size (MiB)"
set ylabel "get time per 4 KiB page (ns, median of repeats)"
# below each panel: a legend inside would cover the lines
set key below font ",8" spacing 0.9 maxrows 5
set xrange [xlo:xhi]
set yrange [ylo:yhi]
do for [i = 1:n] {
	m = word(mems, i)
	f = value("file_".m)
	a = value("apis_".m)
	c = value("col_".m)
	set title m
	plot for [j = 1:words(a)] f index (j - 1) using 1:2:3:4 with yerrorlines \
		lw 2 pt 7 ps 0.8 lc rgb api_color(word(c, j) + 0) \
		dt dashed_if(word(a, j) eq "noop") title word(a, j)
}
unset multiplot
