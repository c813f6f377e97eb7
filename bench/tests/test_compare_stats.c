// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the comparison's statistics: the Mann-Whitney null
 * distribution and critical values against published tables, the
 * Hodges-Lehmann estimate and interval on hand-computed sets, and the
 * seeded bootstrap: reproducible, and covering the true ratio.
 */
#include <math.h>

#include "kselftest_harness.h"
#include "../ci.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

TEST(mann_whitney_distribution_of_two_and_two)
{
	/* 6 arrangements; U = 0, 1, 2, 3, 4 counted 1, 1, 2, 1, 1 times */
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, 0), 1.0 / 6));
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, 1), 2.0 / 6));
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, 2), 4.0 / 6));
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, 3), 5.0 / 6));
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, 4), 1));
	EXPECT_TRUE(NEAR(gb_mw_cdf(2, 2, -1), 0));
}

TEST(mann_whitney_five_and_five)
{
	/* C(10, 5) = 252 arrangements: 1 + 1 + 2 with U <= 2, + 3 with U = 3 */
	EXPECT_TRUE(NEAR(gb_mw_cdf(5, 5, 2), 4.0 / 252));
	EXPECT_TRUE(NEAR(gb_mw_cdf(5, 5, 3), 7.0 / 252));
}

TEST(mann_whitney_critical_values_match_the_tables)
{
	/* two-sided, alpha 0.05: the usual printed table */
	EXPECT_EQ(-1, gb_mw_crit(3, 3, 0.05));	/* too small for 95% */
	EXPECT_EQ(0, gb_mw_crit(4, 4, 0.05));
	EXPECT_EQ(1, gb_mw_crit(4, 5, 0.05));
	EXPECT_EQ(1, gb_mw_crit(5, 4, 0.05));	/* symmetric */
	EXPECT_EQ(2, gb_mw_crit(5, 5, 0.05));
	EXPECT_EQ(5, gb_mw_crit(6, 6, 0.05));
	EXPECT_EQ(5, gb_mw_crit(5, 7, 0.05));
	EXPECT_EQ(13, gb_mw_crit(8, 8, 0.05));
	EXPECT_EQ(23, gb_mw_crit(10, 10, 0.05));
	EXPECT_EQ(3, gb_mw_crit(3, 10, 0.05));
	EXPECT_EQ(127, gb_mw_crit(20, 20, 0.05));
}

TEST(mann_whitney_normal_approximation_beyond_exact)
{
	/* 60 x 60 is past GB_MW_EXACT_MAX: mn/2 - 1.96 sd - 0.5, floored */
	double sd = sqrt(60.0 * 60 * 121 / 12);
	long want = (long)floor(1800 - 1.959964 * sd - 0.5);

	ASSERT_LT(GB_MW_EXACT_MAX, 60 * 60);
	EXPECT_LE(labs(gb_mw_crit(60, 60, 0.05) - want), 1);
}

TEST(hodges_lehmann_shift_and_interval)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 11, 12, 13, 14, 15 };
	struct gb_ci ci;

	/* differences 10 + (j - i): 6 once, 7 twice, 8 three times ... 14 once */
	ASSERT_EQ(0, gb_hl_shift(x, 5, y, 5, 0.95, &ci));
	EXPECT_TRUE(NEAR(ci.est, 10));
	/* c = 2: the third smallest (7) and third largest (13) difference */
	EXPECT_TRUE(NEAR(ci.lo, 7));
	EXPECT_TRUE(NEAR(ci.hi, 13));
}

TEST(hodges_lehmann_uneven_sets)
{
	double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	double a[] = { 3, 1 }, b[] = { 10, 20, 30 };
	struct gb_ci ci;

	/* 3, 4, 5, 2, 3, 4, 1, 2, 3: median 3; 3 x 3 cannot reach 95% */
	ASSERT_EQ(0, gb_hl_shift(x, 3, y, 3, 0.95, &ci));
	EXPECT_TRUE(NEAR(ci.est, 3));
	EXPECT_TRUE(isinf(ci.lo) && ci.lo < 0);
	EXPECT_TRUE(isinf(ci.hi) && ci.hi > 0);
	/* 7, 9, 17, 19, 27, 29: median (17 + 19) / 2 */
	ASSERT_EQ(0, gb_hl_shift(a, 2, b, 3, 0.5, &ci));
	EXPECT_TRUE(NEAR(ci.est, 18));
	EXPECT_EQ(-1, gb_hl_shift(a, 0, b, 3, 0.95, &ci));
}

TEST(groups_median)
{
	double v[] = { 5, 1, 3, 100, 2, 4 };
	size_t start[] = { 0, 3, 6 };
	struct gb_groups g = { v, start, 2 };

	EXPECT_TRUE(NEAR(gb_groups_median(&g), 3.5));
}

/* runs x reps lognormal values around scale, run and repeat noise */
static void synth(struct gb_rng *rng, double *v, size_t *start, size_t runs,
		  size_t reps, double scale, double run_sd, double rep_sd)
{
	for (size_t r = 0; r < runs; r++) {
		double run = exp(run_sd * gb_rng_normal(rng));

		start[r] = r * reps;
		for (size_t i = 0; i < reps; i++)
			v[r * reps + i] = scale * run * exp(rep_sd * gb_rng_normal(rng));
	}
	start[runs] = runs * reps;
}

TEST(bootstrap_is_reproducible_with_a_seed)
{
	double va[50], vb[50];
	size_t sa[6], sb[6];
	struct gb_groups a = { va, sa, 5 }, b = { vb, sb, 5 };
	struct gb_ci c1, c2, c3;
	struct gb_rng rng;

	gb_rng_seed(&rng, 42);
	synth(&rng, va, sa, 5, 10, 1000, 0.05, 0.02);
	synth(&rng, vb, sb, 5, 10, 1100, 0.05, 0.02);
	ASSERT_EQ(0, gb_boot_ratio(&a, &b, 0.95, 2000, 7, &c1));
	ASSERT_EQ(0, gb_boot_ratio(&a, &b, 0.95, 2000, 7, &c2));
	ASSERT_EQ(0, gb_boot_ratio(&a, &b, 0.95, 2000, 8, &c3));
	EXPECT_EQ(c1.lo, c2.lo);
	EXPECT_EQ(c1.hi, c2.hi);
	EXPECT_EQ(c1.est, c2.est);
	EXPECT_TRUE(c1.lo != c3.lo || c1.hi != c3.hi);
	EXPECT_TRUE(NEAR(c1.est, gb_groups_median(&b) / gb_groups_median(&a)));
	EXPECT_LE(c1.lo, c1.est);
	EXPECT_GE(c1.hi, c1.est);
}

TEST(bootstrap_interval_covers_the_true_ratio)
{
	double va[60], vb[60];
	size_t sa[7], sb[7];
	struct gb_groups a = { va, sa, 6 }, b = { vb, sb, 6 };
	struct gb_rng rng;
	int covered = 0, excluded_one = 0;

	/* 40 synthetic experiments with a true ratio of 1.2 */
	gb_rng_seed(&rng, 1);
	for (int t = 0; t < 40; t++) {
		struct gb_ci ci;

		synth(&rng, va, sa, 6, 10, 1000, 0.03, 0.03);
		synth(&rng, vb, sb, 6, 10, 1200, 0.03, 0.03);
		ASSERT_EQ(0, gb_boot_ratio(&a, &b, 0.95, 2000, (uint64_t)t, &ci));
		covered += ci.lo <= 1.2 && 1.2 <= ci.hi;
		excluded_one += ci.lo > 1.05;
	}
	/* a 95% interval, a little narrow with six runs: most, not all */
	EXPECT_GE(covered, 34);
	EXPECT_EQ(40, excluded_one);
}

TEST(bootstrap_over_runs_is_wider_than_over_repeats)
{
	double va[30], vb[30];
	size_t sa[4], sb[4], one[2] = { 0, 30 };
	struct gb_groups a = { va, sa, 3 }, b = { vb, sb, 3 };
	struct gb_groups a1 = { va, one, 1 }, b1 = { vb, one, 1 };
	struct gb_ci runs, flat;
	struct gb_rng rng;

	/* whole runs move 20%, repeats inside a run 1% */
	gb_rng_seed(&rng, 3);
	synth(&rng, va, sa, 3, 10, 1000, 0.2, 0.01);
	synth(&rng, vb, sb, 3, 10, 1000, 0.2, 0.01);
	ASSERT_EQ(0, gb_boot_ratio(&a, &b, 0.95, 4000, 1, &runs));
	ASSERT_EQ(0, gb_boot_ratio(&a1, &b1, 0.95, 4000, 1, &flat));
	EXPECT_LT(flat.hi - flat.lo, runs.hi - runs.lo);
}

TEST(rng_below_stays_in_range)
{
	struct gb_rng rng;
	int seen[7] = { 0 };

	gb_rng_seed(&rng, 5);
	for (int i = 0; i < 7000; i++) {
		uint64_t v = gb_rng_below(&rng, 7);

		ASSERT_LT(v, 7);
		seen[v]++;
	}
	for (int i = 0; i < 7; i++)
		EXPECT_LT(0, seen[i]);
}

TEST_HARNESS_MAIN
