# SPDX-License-Identifier: GPL-2.0
# THP and hugetlb speed-up over base pages, per API: bars.  Variables:
# data ("api<TAB>thp<TAB>hugetlb", a header line first, NaN where not
# measured), sub (the case the ratios are taken at), has_thp and
# has_hugetlb (1 when the column has a value).
set title ttl."\n".sub font ",12"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.5:*]
set ylabel "speed-up over base pages (x, base ns/page / huge ns/page)"
set xlabel "API"
set xtics rotate by -30 font ",9" nomirror
set key top left box opaque
# a column with no value at all would draw nothing and warn: leave it out
if (has_thp && has_hugetlb) {
	plot data using 2:xtic(1) title "THP" lc rgb "#1f77b4", \
		'' using 3 title "hugetlb (2 MiB)" lc rgb "#ff7f0e", \
		'' using ($0 - 0.17):2:(sprintf($2 < 10 ? "%.1fx" : "%.0fx", $2)) with labels offset 0,0.7 font ",8" notitle, \
		'' using ($0 + 0.17):3:(sprintf($3 < 10 ? "%.1fx" : "%.0fx", $3)) with labels offset 0,0.7 font ",8" notitle
} else {
	col = has_thp ? 2 : 3
	plot data using col:xtic(1) title (has_thp ? "THP" : "hugetlb (2 MiB)") \
		lc rgb (has_thp ? "#1f77b4" : "#ff7f0e"), \
		'' using 0:col:(sprintf(column(col) < 10 ? "%.1fx" : "%.0fx", column(col))) with labels offset 0,0.7 font ",8" notitle
}
