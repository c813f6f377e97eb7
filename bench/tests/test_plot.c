// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of `gupbench plot`: every plot drawn from the small
 * fixed results in bench/tests/data/plot-results (and a comparison of
 * them), each PNG present, not trivial, and of the promised size (read
 * from its IHDR); plots without data skipped, not drawn empty.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../compare.h"
#include "../plot/plot.h"

/* The fixture, found from this binary: build/tests/ -> bench/tests/data */
static void fixture_dir(char *buf, size_t len)
{
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = 0;
	snprintf(buf, len, "%s/../../bench/tests/data/plot-results", exe);
}

static bool have_gnuplot(void)
{
	return system("gnuplot --version >/dev/null 2>&1") == 0;
}

/* Width and height from the IHDR chunk right after the PNG signature. */
static int png_size(const char *path, uint32_t *w, uint32_t *h, long *bytes)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char b[24];
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	if (fread(b, 1, sizeof(b), f) != sizeof(b) || memcmp(b, sig, 8) ||
	    memcmp(b + 12, "IHDR", 4)) {
		fclose(f);
		return -1;
	}
	*w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
	*h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
	fseek(f, 0, SEEK_END);
	*bytes = ftell(f);
	fclose(f);
	return 0;
}

FIXTURE(plot) {
	char dir[64];
};

FIXTURE_SETUP(plot)
{
	char fx[PATH_MAX], cmd[PATH_MAX + 200];

	if (!have_gnuplot())
		SKIP(return, "gnuplot not installed: apt-get install gnuplot-nox (scripts/deps.sh bench)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/gupbench-test-plot.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	fixture_dir(fx, sizeof(fx));
	/* a copy: the plots are written next to the results */
	snprintf(cmd, sizeof(cmd), "cp -r '%s'/. '%s'/", fx, self->dir);
	ASSERT_EQ(0, system(cmd)) TH_LOG("cannot copy %s", fx);
}

FIXTURE_TEARDOWN(plot)
{
	char cmd[128];

	if (!self->dir[0] || strncmp(self->dir, "/tmp/gupbench-test-plot.", 24))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(plot, every_plot_from_the_fixed_results)
{
	char out[128], json[128], path[256];
	char *argv[] = { "compare", "--format", "json", "--out", json,
			 self->dir, self->dir, NULL };
	struct gb_plot_opts o = { .dir = self->dir, .png = true, .svg = true };
	struct stat st;

	/* the A/B plot needs a comparison: the fixture against itself */
	snprintf(json, sizeof(json), "%s/compare.json", self->dir);
	ASSERT_EQ(GB_CMP_OK, gb_cmd_compare(7, argv));
	ASSERT_EQ(0, gb_plot_run(&o));
	snprintf(out, sizeof(out), "%s/plots", self->dir);
	for (int k = 0; k < GB_PLOT_COUNT; k++) {
		const char *name = gb_plot_name((enum gb_plot_kind)k);
		uint32_t w = 0, h = 0;
		long bytes = 0;

		snprintf(path, sizeof(path), "%s/%s.png", out, name);
		ASSERT_EQ(0, png_size(path, &w, &h, &bytes)) TH_LOG("%s: no PNG", path);
		EXPECT_EQ(GB_PLOT_WIDTH, w) TH_LOG("%s", name);
		EXPECT_EQ(GB_PLOT_HEIGHT, h) TH_LOG("%s", name);
		/* an empty frame with a title is about 10 KB */
		EXPECT_LT(15000, bytes) TH_LOG("%s: only %ld bytes", name, bytes);
		snprintf(path, sizeof(path), "%s/%s.svg", out, name);
		EXPECT_EQ(0, stat(path, &st)) TH_LOG("%s: no SVG", path);
		EXPECT_LT(2000, st.st_size);
	}
}

TEST_F(plot, plots_without_data_are_skipped)
{
	struct gb_plot_opts o = { .dir = self->dir, .png = true };
	char cmd[256], path[256];
	struct stat st;

	/* no samples, no comparison: no CDF and no A/B picture */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/samples'", self->dir);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, gb_plot_run(&o));
	snprintf(path, sizeof(path), "%s/plots/cdf.png", self->dir);
	EXPECT_NE(0, stat(path, &st));
	snprintf(path, sizeof(path), "%s/plots/compare.png", self->dir);
	EXPECT_NE(0, stat(path, &st));
	snprintf(path, sizeof(path), "%s/plots/latency.png", self->dir);
	EXPECT_EQ(0, stat(path, &st));
	snprintf(path, sizeof(path), "%s/plots/latency.svg", self->dir);
	EXPECT_NE(0, stat(path, &st));	/* --format png */
}

TEST_F(plot, the_data_behind_a_plot)
{
	struct gb_plot_ctx ctx = { .dir = self->dir, .out = self->dir };
	char err[256], path[256];
	struct gb_plot_job *job = malloc(sizeof(*job));
	struct gb_rset res;
	char *text;

	ASSERT_NE(NULL, job);
	snprintf(path, sizeof(path), "%s/results.json", self->dir);
	ASSERT_EQ(0, gb_rset_load(&res, path, err, sizeof(err))) TH_LOG("%s", err);
	ctx.res = &res;
	/* speed-up: base / huge, per API, at the size most APIs have */
	ASSERT_EQ(0, gb_plot_prepare(&ctx, GB_PLOT_SPEEDUP, job, err, sizeof(err)));
	EXPECT_STREQ("", job->skip);
	snprintf(path, sizeof(path), "%s/speedup.dat", self->dir);
	text = gb_slurp(path, err, sizeof(err));
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "get_user_pages_fast\t"));
	EXPECT_NE(NULL, strstr(text, "pin_user_pages_fast\t"));
	EXPECT_EQ(NULL, strstr(text, "noop"));
	free(text);
	EXPECT_NE(NULL, strstr(job->vars, "sub='64M buffer, batch 512 pages, read"))
		TH_LOG("%s", job->vars);
	/* NUMA: the fixture binds pin_user_pages_fast on base pages */
	ASSERT_EQ(0, gb_plot_prepare(&ctx, GB_PLOT_NUMA, job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(job->vars, "panels='\"pin_user_pages_fast base 64M read\"'"))
		TH_LOG("%s", job->vars);
	/* no comparison loaded: skipped with the reason */
	ASSERT_EQ(0, gb_plot_prepare(&ctx, GB_PLOT_COMPARE, job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(job->skip, "no compare.json"));
	gb_rset_free(&res);
	free(job);
}

TEST(short_api_names)
{
	EXPECT_STREQ("pupf", gb_api_short("pin_user_pages_fast"));
	EXPECT_STREQ("gup", gb_api_short("get_user_pages"));
	EXPECT_STREQ("noop", gb_api_short("noop"));
}

/* Options may follow the directory: "plot DIR --format png". */
TEST_F(plot, options_after_the_directory)
{
	char *argv[] = { "plot", self->dir, "--format", "png", NULL };
	char path[256];
	struct stat st;

	ASSERT_EQ(0, gb_cmd_plot(4, argv));
	snprintf(path, sizeof(path), "%s/plots/latency.png", self->dir);
	EXPECT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
	snprintf(path, sizeof(path), "%s/plots/latency.svg", self->dir);
	EXPECT_NE(0, stat(path, &st)) TH_LOG("--format png drew an SVG too");
}

TEST_HARNESS_MAIN
