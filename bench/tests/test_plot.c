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
#include "../compare/compare.h"
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

/* prepare one plot of the fixture; its data file's text, or NULL */
static char *prepared(struct __test_metadata *_metadata, const char *dir,
		      enum gb_plot_kind k, const char *file,
		      struct gb_plot_job *job)
{
	struct gb_plot_ctx ctx = { .dir = dir, .out = dir };
	char err[256], path[256];
	struct gb_rset res;
	char *text;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	if (gb_rset_load(&res, path, err, sizeof(err))) {
		TH_LOG("%s", err);
		return NULL;
	}
	ctx.res = &res;
	if (gb_plot_prepare(&ctx, k, job, err, sizeof(err)) || job->skip[0]) {
		TH_LOG("%s: %s%s", gb_plot_name(k), err, job->skip);
		gb_rset_free(&res);
		return NULL;
	}
	gb_rset_free(&res);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = gb_slurp(path, err, sizeof(err));
	if (!text)
		TH_LOG("%s", err);
	return text;
}

/* threads: tics at the measured counts, y from 0, an ideal per series */
TEST_F(plot, threads_has_an_ideal_and_the_measured_counts)
{
	struct gb_plot_job *job = malloc(sizeof(*job));
	char *text;

	ASSERT_NE(NULL, job);
	text = prepared(_metadata, self->dir, GB_PLOT_THREADS, "threads.dat", job);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(job->vars, "tics='1 2 4'")) TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, "tmin=1;"));
	EXPECT_NE(NULL, strstr(job->vars, "tmax=4;"));
	/* own buffers: 17.561 GiB/s on one thread, so the ideal of 4 is 4x */
	EXPECT_NE(NULL, strstr(text, "\n4\t72\t600\t70.244\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\n1\t17.561\t146.432\t17.561\n"));
	free(text);
	free(job);
}

/* latency: one y range over all panels, and each point's repeat range */
TEST_F(plot, latency_panels_share_one_y_range)
{
	struct gb_plot_job *job = malloc(sizeof(*job));
	char *text;

	ASSERT_NE(NULL, job);
	text = prepared(_metadata, self->dir, GB_PLOT_LATENCY, "latency-thp.dat", job);
	ASSERT_NE(NULL, text);
	/* the fastest repeat of all (thp 64M gupf: 71825 ns / 16384 pages) and
	 * the slowest (base 2M pupf: 127445 / 512), 1.5x of room */
	EXPECT_NE(NULL, strstr(job->vars, "ylo=2.92256")) TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, "yhi=373.374")) TH_LOG("%s", job->vars);
	/* size, median, fastest and slowest repeat */
	EXPECT_NE(NULL, strstr(text, "2\t4.81836\t4.8125\t4.95312\n")) TH_LOG("%s", text);
	free(text);
	free(job);
}

/* folio: a line per API over the anonymous folio sizes, hugetlb apart */
TEST_F(plot, folio_lines_by_folio_size)
{
	struct gb_plot_job *job = malloc(sizeof(*job));
	char err[256], path[256], *text;

	ASSERT_NE(NULL, job);
	text = prepared(_metadata, self->dir, GB_PLOT_FOLIO, "folio.dat", job);
	ASSERT_NE(NULL, text);
	/* 64M is where the fixture has its thp:SIZE cases */
	EXPECT_NE(NULL, strstr(job->vars, "sub='64M buffer, batch 512 pages, read"))
		TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, "apis='get_user_pages_fast pin_user_pages_fast'"))
		TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, "has_hugetlb=1;"));
	/* gupf: base, 16K, 64K, 256K and 2M THP, in folio-size order */
	EXPECT_NE(NULL, strstr(text, "repeat\n4\t178.549\t")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\n16\t60\t58.8\t63\n64\t20\t"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\n256\t8\t"));
	EXPECT_NE(NULL, strstr(text, "\n2048\t4.38947\t"));
	EXPECT_EQ(NULL, strstr(text, "noop"));
	free(text);
	snprintf(path, sizeof(path), "%s/folio-hugetlb.dat", self->dir);
	text = gb_slurp(path, err, sizeof(err));
	ASSERT_NE(NULL, text) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(text, "\n2048\t4.63519\t")) TH_LOG("%s", text);
	free(text);
	free(job);
}

/* cdf: 24 samples support a median, not a p99 */
TEST_F(plot, cdf_prints_only_supported_percentiles)
{
	struct gb_plot_job *job = malloc(sizeof(*job));
	char *text;

	ASSERT_NE(NULL, job);
	text = prepared(_metadata, self->dir, GB_PLOT_CDF, "cdf.dat", job);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(job->vars, "base (n=24, p50 ")) TH_LOG("%s", job->vars);
	EXPECT_EQ(NULL, strstr(job->vars, "p90")) TH_LOG("%s", job->vars);
	EXPECT_EQ(NULL, strstr(job->vars, "p99")) TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, ", max ")) TH_LOG("%s", job->vars);
	free(text);
	free(job);
}

/* A results file of four NUMA cells: local 100 ns, remote @remote. */
static void write_numa(const char *dir, double remote, double spread)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "{\"meta\":{\"kernel_release\":\"t\",\"units\":\"ns\",\"module_abi\":1},\"results\":[");
	for (int c = 0; c < 2; c++)
		for (int m = 0; m < 2; m++) {
			double v = c == m ? 100 : remote;

			fprintf(f, "%s{\"api\":\"pin_user_pages_fast\",\"mem\":\"base\",\"size_bytes\":4096,\"pages\":1,\"batch\":1,\"threads\":1,"
				"\"cpu_node\":%d,\"mem_node\":%d,\"get_ns_total\":[%g,%g,%g],"
				"\"per_page_ns\":{\"median\":%g,\"min\":%g,\"max\":%g}}",
				c || m ? "," : "", c, m, v, v - spread, v + spread, v,
				v - spread, v + spread);
		}
	fprintf(f, "]}\n");
	fclose(f);
}

/* numa: ratios to local on a fixed scale; overlapping repeats are noise */
TEST_F(plot, numa_shows_ratios_and_marks_the_noise)
{
	struct gb_plot_job *job = malloc(sizeof(*job));
	char *text;

	ASSERT_NE(NULL, job);
	write_numa(self->dir, 150, 5);
	text = prepared(_metadata, self->dir, GB_PLOT_NUMA, "numa.dat", job);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "0\t0\t1\tlocal, 100 ns\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "1\t0\t1.5\t1.50x, 150 ns\n")) TH_LOG("%s", text);
	free(text);
	/* 104 +- 5 overlaps 100 +- 5: within the noise, drawn as 1 */
	write_numa(self->dir, 104, 5);
	text = prepared(_metadata, self->dir, GB_PLOT_NUMA, "numa.dat", job);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "1\t0\t1\t1.04x, 104 ns (within noise)\n"))
		TH_LOG("%s", text);
	free(text);
	free(job);
}

/* compare: unbounded intervals are NaN (drawn as such), labels short */
TEST_F(plot, compare_draws_unbounded_intervals_as_unbounded)
{
	struct gb_plot_ctx ctx = { .dir = self->dir, .out = self->dir };
	struct gb_plot_job *job = malloc(sizeof(*job));
	char err[256], path[256], *text;
	struct gbj_val *cmp;
	static const char json[] =
		"{\"a\":{\"runs\":1},\"b\":{\"runs\":1},\"threshold\":0.05,\"confidence\":0.9,"
		"\"method\":\"bootstrap\",\"summary\":{},\"cases\":["
		"{\"label\":\"pin_user_pages_fast base 2M b512 r\",\"ratio\":1.3,\"ci_low\":null,\"ci_high\":null,\"verdict\":\"inconclusive\"},"
		"{\"label\":\"get_user_pages base 64M b512 r t4 shared longterm unpin-dirty lock-outside\",\"ratio\":1.2,\"ci_low\":1.1,\"ci_high\":1.3,\"verdict\":\"slower\"},"
		"{\"label\":\"noop base 2M b1 r\",\"ratio\":1,\"ci_low\":0.99,\"ci_high\":1.01,\"verdict\":\"equivalent\"}]}";

	ASSERT_NE(NULL, job);
	cmp = gbj_parse(json, err, sizeof(err));
	ASSERT_NE(NULL, cmp) TH_LOG("%s", err);
	ctx.cmp = cmp;
	ASSERT_EQ(0, gb_plot_prepare(&ctx, GB_PLOT_COMPARE, job, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/compare.dat", self->dir);
	text = gb_slurp(path, err, sizeof(err));
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "1\t1.3\tnan\tnan\t16744206\tpupf base 2M b512 r\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "2\t1.2\t1.1\t1.3\t14034728\tgup base 64M b512 r t4 shared longter...\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\t5592405\tnoop base 2M b1 r\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(job->vars, "unbounded=1;")) TH_LOG("%s", job->vars);
	EXPECT_NE(NULL, strstr(job->vars, "sub='90% interval")) TH_LOG("%s", job->vars);
	free(text);
	gbj_free(cmp);
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
