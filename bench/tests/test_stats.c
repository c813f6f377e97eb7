// SPDX-License-Identifier: GPL-2.0
/* Host unit tests: percentiles and moments against hand-computed sets. */
#include <math.h>

#include "kselftest_harness.h"
#include "../stats.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

TEST(percentiles_one_to_ten)
{
	double v[] = { 7, 3, 10, 1, 5, 2, 9, 4, 8, 6 };

	gb_sort(v, 10);
	/* type 7: h = (n - 1) p / 100, interpolate v[floor h] .. v[ceil h] */
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 50), 5.5));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 90), 9.1));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 99), 9.91));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 99.9), 9.991));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 0), 1));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 100), 10));
	EXPECT_TRUE(NEAR(gb_percentile(v, 10, 25), 3.25));
}

TEST(percentile_uneven)
{
	double v[] = { 15, 20, 35, 40, 50 };

	/* h = 4 * 0.4 = 1.6: 20 + 0.6 * (35 - 20) = 29 */
	EXPECT_TRUE(NEAR(gb_percentile(v, 5, 40), 29));
	/* h = 4 * 0.75 = 3: exactly 40 */
	EXPECT_TRUE(NEAR(gb_percentile(v, 5, 75), 40));
}

/* A percentile needs GB_TAIL_SAMPLES samples beyond it. */
TEST(percentiles_supported_by_the_sample_count)
{
	EXPECT_FALSE(gb_percentile_supported(19, 50));
	EXPECT_TRUE(gb_percentile_supported(20, 50));
	EXPECT_FALSE(gb_percentile_supported(24, 90));
	EXPECT_TRUE(gb_percentile_supported(100, 90));
	EXPECT_FALSE(gb_percentile_supported(999, 99));
	EXPECT_TRUE(gb_percentile_supported(1000, 99));
	EXPECT_FALSE(gb_percentile_supported(0, 0));
}

TEST(summary_moments)
{
	double v[] = { 9, 2, 4, 4, 5, 4, 7, 5 };
	struct gb_summary s;

	gb_summarize(v, 8, &s);
	EXPECT_EQ(8, s.n);
	EXPECT_TRUE(NEAR(s.min, 2));
	EXPECT_TRUE(NEAR(s.max, 9));
	EXPECT_TRUE(NEAR(s.mean, 5));
	/* sum of squares 32, n - 1 = 7 */
	EXPECT_TRUE(NEAR(s.stddev, sqrt(32.0 / 7.0)));
	EXPECT_TRUE(NEAR(s.p50, 4.5));
	/* sorted 2 4 4 4 5 5 7 9: h = 6.3 -> 7 + 0.3 * 2 */
	EXPECT_TRUE(NEAR(s.p90, 7.6));
}

TEST(single_and_empty)
{
	double one[] = { 42 };
	struct gb_summary s;

	gb_summarize(one, 1, &s);
	EXPECT_TRUE(NEAR(s.p50, 42));
	EXPECT_TRUE(NEAR(s.p999, 42));
	EXPECT_TRUE(isnan(s.stddev));
	gb_summarize(NULL, 0, &s);
	EXPECT_EQ(0, s.n);
	EXPECT_TRUE(isnan(s.p50));
	EXPECT_TRUE(isnan(s.mean));
}

TEST(coefficient_of_variation)
{
	double v[] = { 10, 12, 8, 10 };
	double same[] = { 5, 5, 5 };

	/* mean 10, sample variance (0 + 4 + 4 + 0) / 3 */
	EXPECT_TRUE(NEAR(gb_cv(v, 4), sqrt(8.0 / 3.0) / 10.0));
	EXPECT_TRUE(NEAR(gb_cv(same, 3), 0));
	EXPECT_TRUE(isnan(gb_cv(v, 1)));
}

TEST_HARNESS_MAIN
