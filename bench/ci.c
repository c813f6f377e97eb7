// SPDX-License-Identifier: GPL-2.0
/* Confidence intervals for a ratio: Hodges-Lehmann/Mann-Whitney, bootstrap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "stats.h"

void gb_rng_seed(struct gb_rng *g, uint64_t seed)
{
	g->s = seed;
}

uint64_t gb_rng_next(struct gb_rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t gb_rng_below(struct gb_rng *g, uint64_t n)
{
	/* reject the top partial block so every value is equally likely */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = gb_rng_next(g);
	while (x >= limit);
	return x % n;
}

double gb_rng_normal(struct gb_rng *g)
{
	double u1 = ((double)(gb_rng_next(g) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = (double)(gb_rng_next(g) >> 11) / 9007199254740992.0;

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/*
 * The exact null distribution of U as cumulative probabilities
 * cdf[0 .. m*n].  Arrangements of i x's and j y's with U = u: the largest
 * value is an x (it beats all j y's: u - j) or a y (adds nothing), so
 * f(i, j, u) = f(i - 1, j, u - j) + f(i, j - 1, u).  Rows over i are
 * rolled; counts stay exact in doubles far beyond the sizes used here.
 */
static double *mw_exact(size_t m, size_t n)
{
	size_t len = m * n + 1;
	double *prev, *cur, *cdf;

	if (n > m) {		/* the distribution is symmetric in m, n */
		size_t t = m;

		m = n;
		n = t;
	}
	prev = calloc((n + 1) * len, sizeof(double));
	cur = calloc((n + 1) * len, sizeof(double));
	cdf = calloc(len, sizeof(double));
	if (!prev || !cur || !cdf) {
		free(prev);
		free(cur);
		free(cdf);
		return NULL;
	}
	for (size_t j = 0; j <= n; j++)
		prev[j * len] = 1;		/* i = 0 */
	for (size_t i = 1; i <= m; i++) {
		double *t;

		memset(cur, 0, (n + 1) * len * sizeof(double));
		cur[0] = 1;			/* j = 0 */
		for (size_t j = 1; j <= n; j++) {
			double *f = cur + j * len;
			const double *left = cur + (j - 1) * len;
			const double *up = prev + j * len;

			for (size_t u = 0; u <= i * j; u++)
				f[u] = left[u] + (u >= j ? up[u - j] : 0);
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	{
		const double *f = prev + n * len;
		double total = 0, run = 0;

		for (size_t u = 0; u < len; u++)
			total += f[u];
		for (size_t u = 0; u < len; u++) {
			run += f[u];
			cdf[u] = run / total;
		}
	}
	free(prev);
	free(cur);
	return cdf;
}

static double mw_normal(size_t m, size_t n, long u)
{
	double mu = (double)m * (double)n / 2.0;
	double sd = sqrt((double)m * (double)n * (double)(m + n + 1) / 12.0);

	return 0.5 * erfc(-((double)u + 0.5 - mu) / (sd * M_SQRT2));
}

double gb_mw_cdf(size_t m, size_t n, long u)
{
	double *cdf, p;

	if (u < 0)
		return 0;
	if ((size_t)u >= m * n)
		return 1;
	if (m * n > GB_MW_EXACT_MAX)
		return mw_normal(m, n, u);
	cdf = mw_exact(m, n);
	if (!cdf)
		return mw_normal(m, n, u);
	p = cdf[u];
	free(cdf);
	return p;
}

long gb_mw_crit(size_t m, size_t n, double alpha)
{
	double *cdf = NULL;
	long c = -1;

	if (!m || !n)
		return -1;
	if (m * n <= GB_MW_EXACT_MAX)
		cdf = mw_exact(m, n);
	for (long u = 0; (size_t)u <= m * n / 2; u++) {
		double p = cdf ? cdf[u] : mw_normal(m, n, u);

		/* a relative slack: 0.025 computed as a sum must still pass */
		if (p > alpha / 2 * (1 + 1e-9))
			break;
		c = u;
	}
	free(cdf);
	return c;
}

int gb_hl_shift(const double *x, size_t m, const double *y, size_t n,
		double conf, struct gb_ci *ci)
{
	size_t k = 0, mn = m * n;
	double *d;
	long c;

	if (!m || !n)
		return -1;
	d = malloc(mn * sizeof(*d));
	if (!d)
		return -1;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			d[k++] = y[j] - x[i];
	gb_sort(d, mn);
	ci->est = gb_percentile(d, mn, 50);
	c = gb_mw_crit(m, n, 1 - conf);
	if (c < 0) {
		ci->lo = -INFINITY;
		ci->hi = INFINITY;
	} else {
		ci->lo = d[c];
		ci->hi = d[mn - 1 - (size_t)c];
	}
	free(d);
	return 0;
}

static size_t groups_total(const struct gb_groups *g)
{
	return g->start[g->nruns] - g->start[0];
}

static double percentile_of(double *v, size_t n, double pct)
{
	gb_sort(v, n);
	return gb_percentile(v, n, pct);
}

double gb_groups_percentile(const struct gb_groups *g, double pct)
{
	size_t n = groups_total(g);
	double *v = malloc((n ? n : 1) * sizeof(*v)), x;

	if (!v || !n) {
		free(v);
		return NAN;
	}
	memcpy(v, g->v + g->start[0], n * sizeof(*v));
	x = percentile_of(v, n, pct);
	free(v);
	return x;
}

double gb_groups_median(const struct gb_groups *g)
{
	return gb_groups_percentile(g, 50);
}

/* One resample of a side into buf (room for nruns * largest run). */
static double resample_stat(const struct gb_groups *g, struct gb_rng *rng,
			    double *buf, double pct)
{
	size_t k = 0;

	for (size_t r = 0; r < g->nruns; r++) {
		size_t run = g->nruns > 1 ? gb_rng_below(rng, g->nruns) : r;
		size_t s = g->start[run], len = g->start[run + 1] - s;

		for (size_t i = 0; i < len; i++)
			buf[k++] = g->v[s + gb_rng_below(rng, len)];
	}
	return percentile_of(buf, k, pct);
}

static size_t largest_run(const struct gb_groups *g)
{
	size_t big = 0;

	for (size_t r = 0; r < g->nruns; r++)
		if (g->start[r + 1] - g->start[r] > big)
			big = g->start[r + 1] - g->start[r];
	return big;
}

int gb_boot_ratio(const struct gb_groups *a, const struct gb_groups *b,
		  double conf, unsigned int resamples, uint64_t seed,
		  struct gb_ci *ci)
{
	return gb_boot_ratio_at(a, b, 50, conf, resamples, seed, ci);
}

int gb_boot_ratio_at(const struct gb_groups *a, const struct gb_groups *b,
		     double pct, double conf, unsigned int resamples,
		     uint64_t seed, struct gb_ci *ci)
{
	return gb_boot_ratio_p(a, b, pct, conf, resamples, seed, 1, ci, NULL);
}

int gb_boot_ratio_p(const struct gb_groups *a, const struct gb_groups *b,
		    double pct, double conf, unsigned int resamples,
		    uint64_t seed, double bound, struct gb_ci *ci, double *p)
{
	double *ba, *bb, *ratios;
	struct gb_rng rng;
	unsigned int k = 0;

	if (!groups_total(a) || !groups_total(b) || !resamples)
		return -1;
	ba = malloc(a->nruns * largest_run(a) * sizeof(double));
	bb = malloc(b->nruns * largest_run(b) * sizeof(double));
	ratios = malloc(resamples * sizeof(double));
	if (!ba || !bb || !ratios) {
		free(ba);
		free(bb);
		free(ratios);
		return -1;
	}
	gb_rng_seed(&rng, seed);
	for (unsigned int i = 0; i < resamples; i++) {
		double ma = resample_stat(a, &rng, ba, pct);
		double mb = resample_stat(b, &rng, bb, pct);

		if (ma > 0 && isfinite(mb))
			ratios[k++] = mb / ma;
	}
	ci->est = gb_groups_percentile(b, pct) / gb_groups_percentile(a, pct);
	if (p) {
		unsigned int below = 0;

		for (unsigned int i = 0; i < k; i++)
			below += ratios[i] <= bound;
		*p = (below + 1.0) / (k + 1.0);
	}
	if (k) {
		gb_sort(ratios, k);
		ci->lo = gb_percentile(ratios, k, 50 * (1 - conf));
		ci->hi = gb_percentile(ratios, k, 50 * (1 + conf));
	} else {
		ci->lo = -INFINITY;
		ci->hi = INFINITY;
	}
	free(ba);
	free(bb);
	free(ratios);
	return 0;
}
