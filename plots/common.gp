# SPDX-License-Identifier: GPL-2.0
# Loaded before every gupbench plot script (bench/plot.c runs
# "gnuplot -e VARS plots/common.gp plots/NAME.gp").  Variables from the
# caller: term ("png" or "svg"), out (the file), W, H (pixels), ttl (the
# title: what, kernel release, date, preset).
if (!exists("W")) W = 1024
if (!exists("H")) H = 768
# noenhanced: API names are full of underscores, not subscripts
if (term eq "svg") {
	set terminal svg size W,H dynamic noenhanced font "Sans,11" background "#ffffff"
} else {
	set terminal pngcairo size W,H noenhanced font "Sans,10" background "#ffffff"
}
set output out
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set datafile missing "NaN"
set datafile separator "\t"
# one colour per API, the same in every panel: index k is word k
palette_api = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #7f7f7f #bcbd22"
api_color(k) = word(palette_api, (k - 1) % words(palette_api) + 1)
# "dt (...)" would be read as a dash pattern: choose dash types by function
dashed_if(flag) = flag ? 2 : 1
