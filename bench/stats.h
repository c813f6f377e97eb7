/* SPDX-License-Identifier: GPL-2.0 */
/* Descriptive statistics over latency samples. */
#ifndef GB_STATS_H
#define GB_STATS_H

#include <stddef.h>

struct gb_summary {
	size_t n;
	double min, max, mean, stddev;	/* stddev: sample (n - 1) */
	double p50, p90, p99, p999;
};

void gb_sort(double *v, size_t n);
/* p in [0, 100] over sorted v: linear interpolation between closest
 * ranks (Hyndman-Fan type 7, as numpy and R default to). */
double gb_percentile(const double *sorted, size_t n, double p);
/*
 * Whether n samples support a p-th percentile: at least GB_TAIL_SAMPLES of
 * them lie beyond it (p99 needs 1000, p50 20).  A p99 of 24 samples is the
 * second-largest of them, not a tail.
 */
#define GB_TAIL_SAMPLES 10
int gb_percentile_supported(size_t n, double p);
/* Sorts v in place. All fields are NaN when n == 0. */
void gb_summarize(double *v, size_t n, struct gb_summary *s);
/* Coefficient of variation, stddev / mean; NaN for n < 2 or mean 0. */
double gb_cv(const double *v, size_t n);

#endif
