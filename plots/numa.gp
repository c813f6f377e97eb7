# SPDX-License-Identifier: GPL-2.0
# NUMA matrix: CPU node x memory node, each cell's per-page cost over the
# local cell of its CPU node, on one fixed colour scale for every panel
# and every run (1 = local, white; 2 = twice the cost).  Cells whose
# repeats overlap the local cell's are within the noise: drawn as 1 and
# labelled so.  Variables: data (one block per panel,
# "mem_node<TAB>cpu_node<TAB>ratio<TAB>label", rows separated by a blank
# line), panels (panel titles, quoted), nlo and nhi (the lowest and
# highest node id).
n = words(panels)
rows = (n <= 2) ? 1 : 2
cols = (n <= 2) ? n : (n + 1) / 2
set multiplot layout rows, cols title ttl font ",12"
set xlabel "memory node"
set ylabel "CPU node"
set cblabel "cost per page over local memory (x)"
set cbrange [0.8:2]
set palette defined (0.8 "#4393c3", 1 "#f7f7f7", 2 "#b2182b")
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
		'' index (i - 1) using 1:2:4 with labels font ",10"
}
unset multiplot
