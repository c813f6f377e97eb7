// SPDX-License-Identifier: GPL-2.0
/* Descriptive statistics over latency samples. */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void gb_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double gb_percentile(const double *sorted, size_t n, double p)
{
	double h, lo;
	size_t i;

	if (!n)
		return NAN;
	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	h = (double)(n - 1) * p / 100.0;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

static void mean_stddev(const double *v, size_t n, double *mean, double *sd)
{
	double sum = 0, sq = 0, m;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	m = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - m) * (v[i] - m);
	*mean = m;
	*sd = n > 1 ? sqrt(sq / (double)(n - 1)) : NAN;
}

int gb_percentile_supported(size_t n, double p)
{
	return (double)n * (100 - p) / 100 >= GB_TAIL_SAMPLES;
}

void gb_summarize(double *v, size_t n, struct gb_summary *s)
{
	s->n = n;
	if (!n) {
		s->min = s->max = s->mean = s->stddev = NAN;
		s->p50 = s->p90 = s->p99 = s->p999 = NAN;
		return;
	}
	gb_sort(v, n);
	s->min = v[0];
	s->max = v[n - 1];
	mean_stddev(v, n, &s->mean, &s->stddev);
	s->p50 = gb_percentile(v, n, 50);
	s->p90 = gb_percentile(v, n, 90);
	s->p99 = gb_percentile(v, n, 99);
	s->p999 = gb_percentile(v, n, 99.9);
}

double gb_cv(const double *v, size_t n)
{
	double mean, sd;

	if (n < 2)
		return NAN;
	mean_stddev(v, n, &mean, &sd);
	return mean != 0 ? sd / mean : NAN;
}
