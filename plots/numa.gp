# SPDX-License-Identifier: GPL-2.0
# NUMA matrix: CPU node x memory node heat map of the per-page cost, one
# panel per API and memory kind.  Variables: data (one block per panel,
# "mem_node<TAB>cpu_node<TAB>ns", rows separated by a blank line),
# panels (panel titles, quoted), nlo and nhi (the lowest and highest
# node id).
n = words(panels)
rows = (n <= 2) ? 1 : 2
cols = (n <= 2) ? n : (n + 1) / 2
set multiplot layout rows, cols title ttl font ",12"
set xlabel "memory node"
set ylabel "CPU node"
set cblabel "ns per page (median)"
set palette defined (0 "#fff5eb", 1 "#fd8d3c", 2 "#7f2704")
# the node ids lo..hi, one cell each
set xrange [nlo - 0.5 : nhi + 0.5]
set yrange [nlo - 0.5 : nhi + 0.5]
set xtics 1
set ytics 1
set size ratio -1
unset key
do for [i = 1:n] {
	set title word(panels, i)
	plot data index (i - 1) using 1:2:3 with image, \
		'' index (i - 1) using 1:2:(sprintf("%.2f", $3)) with labels font ",10"
}
unset multiplot
