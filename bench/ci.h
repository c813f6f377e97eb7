/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Confidence intervals for the ratio B/A of two sets of timings: the
 * Hodges-Lehmann shift with its exact Mann-Whitney interval, and a
 * seeded (reproducible) percentile bootstrap over runs and repeats.
 */
#ifndef GB_CI_H
#define GB_CI_H

#include <stddef.h>
#include <stdint.h>

/* A small seeded generator (splitmix64): same seed, same resamples. */
struct gb_rng {
	uint64_t s;
};

void gb_rng_seed(struct gb_rng *g, uint64_t seed);
uint64_t gb_rng_next(struct gb_rng *g);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t gb_rng_below(struct gb_rng *g, uint64_t n);
/* Standard normal (Box-Muller), for synthetic data in tests. */
double gb_rng_normal(struct gb_rng *g);

/*
 * P(U <= u) for the Mann-Whitney U of samples of sizes m and n under the
 * null hypothesis (no ties): exact for m * n <= GB_MW_EXACT_MAX, normal
 * approximation with continuity correction beyond.
 */
#define GB_MW_EXACT_MAX 2500
double gb_mw_cdf(size_t m, size_t n, long u);
/*
 * The lower critical value of a two-sided test at level alpha: the
 * largest u with P(U <= u) <= alpha / 2, or -1 when even U = 0 is more
 * likely than that (samples too small for this level).
 */
long gb_mw_crit(size_t m, size_t n, double alpha);

/* An interval with its point estimate; lo/hi are infinite when the data
 * are too few for the asked confidence. */
struct gb_ci {
	double est, lo, hi;
};

/*
 * Hodges-Lehmann estimate of the shift y - x (median of all m * n
 * differences y_j - x_i) and its distribution-free interval at level
 * conf: the (c+1)-th smallest and largest difference, c = gb_mw_crit.
 * Returns -1 when out of memory or m or n is 0.
 */
int gb_hl_shift(const double *x, size_t m, const double *y, size_t n,
		double conf, struct gb_ci *ci);

/*
 * Timings of one side, grouped in runs (a run: one matrix, one boot):
 * run r holds v[start[r] .. start[r + 1]).
 */
struct gb_groups {
	const double *v;
	const size_t *start;	/* nruns + 1 entries */
	size_t nruns;
};

/* The median (the @pct percentile) of all values of a side. */
double gb_groups_median(const struct gb_groups *g);
double gb_groups_percentile(const struct gb_groups *g, double pct);

/*
 * Percentile bootstrap of median(B) / median(A): each resample draws
 * runs with replacement, then values with replacement inside each drawn
 * run (a side with one run: its values only), so variation between runs
 * widens the interval as it should.  ci->est is the plain ratio of
 * medians.  Deterministic for a given seed.  -1 when out of memory or a
 * side is empty.
 */
int gb_boot_ratio(const struct gb_groups *a, const struct gb_groups *b,
		  double conf, unsigned int resamples, uint64_t seed,
		  struct gb_ci *ci);
/*
 * The same for another statistic: the @pct percentile of each side (0:
 * the minimum, the instruction clock's, where interrupts only ever add).
 */
int gb_boot_ratio_at(const struct gb_groups *a, const struct gb_groups *b,
		     double pct, double conf, unsigned int resamples,
		     uint64_t seed, struct gb_ci *ci);
/*
 * And with it the bootstrap p-value of "B/A is above @bound": the share
 * of resampled ratios at or below it, (k + 1) / (n + 1).
 */
int gb_boot_ratio_p(const struct gb_groups *a, const struct gb_groups *b,
		    double pct, double conf, unsigned int resamples,
		    uint64_t seed, double bound, struct gb_ci *ci, double *p);

#endif
