// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of `gupbench compare`: cases matched by parameters,
 * unmatched ones listed both ways, verdicts against the threshold, the
 * exit statuses 0/1/2, refused and warned-about metadata, and synthetic
 * A/A (no regression in 95% of cases) and A/B (a 20% shift flagged).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../ci.h"
#include "../compare/compare.h"
#include "../json.h"
#include "../resultset.h"

struct synth {
	int abi;
	const char *units, *thp;
	double scale, run_sd, rep_sd;
	size_t reps;
	bool reverse;		/* write the cases in reverse order */
	const char *clock;	/* meta.clock, or NULL for none */
	double put_scale;	/* > 0: put_ns_total too, around this */
	double outlier;		/* repeat 2 is this much larger (an interrupt) */
	const char *release_call;	/* the result's release_call, or none */
};

static void synth_defaults(struct synth *s)
{
	*s = (struct synth){ .abi = 1, .units = "ns", .thp = "[always] madvise never",
			     .scale = 1e6, .run_sd = 0.02, .rep_sd = 0.01, .reps = 5 };
}

/* Case id i: an API by parity, base pages, (i + 1) MiB, batch 512, read. */
static void write_case(FILE *f, size_t id, const struct synth *s,
		       struct gb_rng *rng, bool comma)
{
	double run = exp(s->run_sd * gb_rng_normal(rng));
	double size = (double)(id + 1) * 1048576;

	fprintf(f, "%s{\"api\":\"%s\",\"mem\":\"base\",\"file\":null,\"size_bytes\":%.0f,"
		"\"pages\":%.0f,\"batch\":512,\"threads\":1,\"shared_buffer\":false,"
		"\"write\":false,\"longterm\":false,\"force\":false,\"unpin_dirty\":false,"
		"\"prefault\":true,\"release\":\"after_all\",\"mmap_lock\":\"kernel\","
		"\"cpu_node\":-1,\"mem_node\":-1,\"repeat\":%zu,\"warmup\":1,\"samples\":true,"
		"\"get_ns_total\":[",
		comma ? ",\n" : "", id % 2 ? "pin_user_pages_fast" : "get_user_pages_fast",
		size, size / 4096, s->reps);
	for (size_t r = 0; r < s->reps; r++)
		fprintf(f, "%s%.0f", r ? "," : "",
			s->scale * run * exp(s->rep_sd * gb_rng_normal(rng)) *
			(r == 2 ? 1 + s->outlier : 1));
	fprintf(f, "]");
	if (s->put_scale > 0) {
		fprintf(f, ",\"put_ns_total\":[");
		for (size_t r = 0; r < s->reps; r++)
			fprintf(f, "%s%.0f", r ? "," : "", s->put_scale * run *
				exp(s->rep_sd * gb_rng_normal(rng)));
		fprintf(f, "]");
	}
	if (s->release_call)
		fprintf(f, ",\"release_call\":\"%s\"", s->release_call);
	fprintf(f, ",\"per_page_ns\":{\"median\":1},\"note\":null}");
}

static void write_run(const char *path, const size_t *ids, size_t n,
		      const struct synth *s, struct gb_rng *rng)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "{\"meta\":{\"kernel_release\":\"6.12.0-test\",\"module_abi\":%d,"
		"\"units\":\"%s\",\"thp_enabled\":\"%s\",\"cpu_model\":\"test cpu\","
		"\"clocksource\":\"tsc\",\"tool_version\":\"t\",\"date_utc\":\"2026-11-25T00:00:00Z\","
		"\"command_line\":\"gupbench matrix --preset quick\"%s%s%s},\n\"results\":[\n",
		s->abi, s->units, s->thp, s->clock ? ",\"clock\":\"" : "",
		s->clock ? s->clock : "", s->clock ? "\"" : "");
	for (size_t i = 0; i < n; i++)
		write_case(f, ids[s->reverse ? n - 1 - i : i], s, rng, i > 0);
	fprintf(f, "\n]}\n");
	fclose(f);
}

/* DIR/NAME/run<k>/results.json for k = 1..runs; returns DIR/NAME. */
static char *write_set(const char *dir, const char *name, size_t runs,
		       const size_t *ids, size_t n, const struct synth *s,
		       struct gb_rng *rng)
{
	char *set = malloc(1024), path[1100];

	snprintf(set, 1024, "%s/%s", dir, name);
	mkdir(set, 0755);
	for (size_t r = 1; r <= runs; r++) {
		snprintf(path, sizeof(path), "%s/run%zu", set, r);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/run%zu/results.json", set, r);
		write_run(path, ids, n, s, rng);
	}
	return set;
}

static char *slurp_file(const char *path)
{
	char err[256];

	return gb_slurp(path, err, sizeof(err));
}

/* gupbench compare [opts...] A B --out DIR/out.txt: exit status. */
static int compare_cmd(const char *dir, const char *a, const char *b,
		       const char *o1, const char *o2)
{
	char out[1100];
	char *argv[10];
	int n = 0;

	snprintf(out, sizeof(out), "%s/out.txt", dir);
	argv[n++] = "compare";
	argv[n++] = "--out";
	argv[n++] = out;
	if (o1)
		argv[n++] = (char *)o1;
	if (o2)
		argv[n++] = (char *)o2;
	argv[n++] = (char *)a;
	argv[n++] = (char *)b;
	argv[n] = NULL;
	return gb_cmd_compare(n, argv);
}

/* Loads A and B into @ra and @rb: 0, or -1 with the reason logged. */
static int load_pair(struct __test_metadata *_metadata, struct gb_rset *ra,
		     struct gb_rset *rb, const char *a, const char *b)
{
	char err[512];

	if (gb_rset_load(ra, a, err, sizeof(err))) {
		TH_LOG("A: %s", err);
		return -1;
	}
	if (gb_rset_load(rb, b, err, sizeof(err))) {
		TH_LOG("B: %s", err);
		gb_rset_free(ra);
		return -1;
	}
	return 0;
}

static void free_pair(struct gb_cmp *cmp, struct gb_rset *ra,
		      struct gb_rset *rb)
{
	gb_cmp_free(cmp);
	gb_rset_free(ra);
	gb_rset_free(rb);
}

FIXTURE(cmp) {
	char dir[64];
	struct gb_rng rng;
	struct synth s;
	size_t ids[100];
};

FIXTURE_SETUP(cmp)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/gupbench-test-compare.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	gb_rng_seed(&self->rng, 2026);
	synth_defaults(&self->s);
	for (size_t i = 0; i < 100; i++)
		self->ids[i] = i;
}

FIXTURE_TEARDOWN(cmp)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(cmp, unmatched_cases_are_listed_both_ways)
{
	size_t a_ids[] = { 0, 1, 2 }, b_ids[] = { 1, 2, 3 };
	char *a = write_set(self->dir, "a", 1, a_ids, 3, &self->s, &self->rng);
	char *b = write_set(self->dir, "b", 1, b_ids, 3, &self->s, &self->rng);
	char err[512], path[1100], *text;
	struct gb_cmp_opts o;
	struct gb_rset ra, rb;
	struct gb_cmp cmp;

	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(2, cmp.nrows);
	ASSERT_EQ(1, cmp.nonly_a);
	ASSERT_EQ(1, cmp.nonly_b);
	EXPECT_STREQ("get_user_pages_fast base 1M b512 r", cmp.only_a[0]->label);
	EXPECT_STREQ("pin_user_pages_fast base 4M b512 r", cmp.only_b[0]->label);
	free_pair(&cmp, &ra, &rb);

	/* and the reader is told, in every format; a comparison that left
	 * cases out does not pass */
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, NULL, NULL));
	snprintf(path, sizeof(path), "%s/out.txt", self->dir);
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "only in A (not compared): get_user_pages_fast base 1M b512 r"));
	EXPECT_NE(NULL, strstr(text, "only in B (not compared): pin_user_pages_fast base 4M b512 r"));
	EXPECT_NE(NULL, strstr(text, "2 matched cases:"));
	EXPECT_NE(NULL, strstr(text, "1 only in A, 1 only in B"));
	free(text);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, "--format", "md"));
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "- only in A: get_user_pages_fast base 1M b512 r"));
	EXPECT_NE(NULL, strstr(text, "- only in B: pin_user_pages_fast base 4M b512 r"));
	free(text);
	free(a);
	free(b);
}

TEST_F(cmp, cases_match_by_parameters_not_position)
{
	struct synth rev = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	rev.reverse = true;
	a = write_set(self->dir, "a", 1, self->ids, 10, &self->s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 10, &rev, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	o.allow_single_run = true;
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(10, cmp.nrows);
	EXPECT_EQ(0, cmp.nonly_a + cmp.nonly_b);
	for (size_t i = 0; i < cmp.nrows; i++) {
		EXPECT_STREQ(cmp.rows[i].a->key, cmp.rows[i].b->key);
		EXPECT_NE(GB_SLOWER, cmp.rows[i].verdict);
		EXPECT_NE(GB_FASTER, cmp.rows[i].verdict);
	}
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

TEST_F(cmp, runs_of_a_directory_are_pooled)
{
	char *a = write_set(self->dir, "a", 3, self->ids, 4, &self->s, &self->rng);
	struct gb_rset ra;
	char err[512];

	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(3, ra.nruns);
	ASSERT_EQ(4, ra.ncases);
	EXPECT_EQ(3, ra.cases[0].nruns);
	EXPECT_EQ(15, ra.cases[0].nv);
	EXPECT_EQ(5, ra.cases[0].start[1]);
	EXPECT_EQ(10, ra.cases[0].start[2]);
	gb_rset_free(&ra);
	free(a);
}

/* A/A: B drawn like A; no more than 5% of the cases may be flagged. */
TEST_F(cmp, aa_synthetic_flags_at_most_five_percent)
{
	struct synth s = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	s.run_sd = 0.05;	/* whole runs move, as under TCG */
	s.rep_sd = 0.02;
	a = write_set(self->dir, "a", 3, self->ids, 100, &s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 100, &s, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(100, cmp.nrows);
	EXPECT_LE(cmp.nslower, 5) TH_LOG("%zu of 100 A/A cases flagged slower", cmp.nslower);
	EXPECT_LE(cmp.nfaster, 5);
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

/* A/B: B 20% slower everywhere; every case is a regression, exit 1. */
TEST_F(cmp, ab_synthetic_20_percent_is_flagged)
{
	struct synth s = self->s, slow;
	char *a, *b, err[512], path[1100], *text;
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	s.run_sd = 0.03;
	s.rep_sd = 0.02;
	slow = s;
	slow.scale *= 1.2;
	a = write_set(self->dir, "a", 3, self->ids, 100, &s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 100, &slow, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(100, cmp.nslower);
	for (size_t i = 0; i < cmp.nrows; i++) {
		EXPECT_LT(1.05, cmp.rows[i].ratio.lo);
		EXPECT_LT(1.05, cmp.rows[i].ratio.est);
		EXPECT_GT(1.35, cmp.rows[i].ratio.est);
	}
	free_pair(&cmp, &ra, &rb);

	EXPECT_EQ(GB_CMP_REGRESSION, compare_cmd(self->dir, a, b, "--format", "md"));
	snprintf(path, sizeof(path), "%s/out.txt", self->dir);
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "| **slower** |"));
	EXPECT_NE(NULL, strstr(text, "100 matched cases: 100 slower (regressions)"));
	free(text);
	/* the other way round it is 20% faster: no regression */
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, b, a, NULL, NULL));
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "0 slower (regressions), 100 faster"));
	free(text);
	free(a);
	free(b);
}

TEST_F(cmp, threshold_decides_what_is_a_regression)
{
	struct synth s = self->s, slow;
	char *a, *b;

	/* a clear 3% shift: inside the default 5%, beyond 1% */
	s.run_sd = 0.002;
	s.rep_sd = 0.002;
	slow = s;
	slow.scale *= 1.03;
	a = write_set(self->dir, "a", 3, self->ids, 10, &s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 10, &slow, &self->rng);
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a, b, NULL, NULL));
	EXPECT_EQ(GB_CMP_REGRESSION, compare_cmd(self->dir, a, b, "--threshold", "1"));
	EXPECT_EQ(GB_CMP_REGRESSION, compare_cmd(self->dir, a, b, "--threshold", "1%"));
	free(a);
	free(b);
}

TEST_F(cmp, hodges_lehmann_needs_enough_runs)
{
	struct synth s = self->s, slow;
	char *a5, *b5, *a3, *b3;

	s.run_sd = 0.02;
	slow = s;
	slow.scale *= 1.2;
	a5 = write_set(self->dir, "a5", 5, self->ids, 10, &s, &self->rng);
	b5 = write_set(self->dir, "b5", 5, self->ids, 10, &slow, &self->rng);
	a3 = write_set(self->dir, "a3", 3, self->ids, 10, &s, &self->rng);
	b3 = write_set(self->dir, "b3", 3, self->ids, 10, &slow, &self->rng);
	/* 5 run medians a side: an exact 96.8% interval, clear of 5% */
	EXPECT_EQ(GB_CMP_REGRESSION, compare_cmd(self->dir, a5, b5, "--method", "hl"));
	/* 3 a side cannot make a 95% interval: nothing can be claimed */
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a3, b3, "--method", "hl"));
	free(a5);
	free(b5);
	free(a3);
	free(b3);
}

TEST_F(cmp, json_output)
{
	char *a = write_set(self->dir, "a", 2, self->ids, 6, &self->s, &self->rng);
	char path[1100], err[256], *text;
	const struct gbj_val *c0;
	struct gbj_val *doc;

	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a, a, "--format", "json"));
	snprintf(path, sizeof(path), "%s/out.txt", self->dir);
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	doc = gbj_parse(text, err, sizeof(err));
	free(text);
	ASSERT_NE(NULL, doc) TH_LOG("%s", err);
	EXPECT_EQ(6, gbj_get_num(gbj_get(doc, "summary"), "matched", -1));
	EXPECT_EQ(6, gbj_get_num(gbj_get(doc, "summary"), "equivalent", -1));
	EXPECT_EQ(0, gbj_get_num(gbj_get(doc, "summary"), "inconclusive", -1));
	EXPECT_TRUE(fabs(gbj_get_num(gbj_get(doc, "summary"),
				     "expected_false_slower", -1) - 0.15) < 1e-9);
	EXPECT_EQ(0, gbj_get_num(gbj_get(doc, "summary"), "slower", -1));
	EXPECT_EQ(0.05, gbj_get_num(doc, "threshold", -1));
	EXPECT_EQ(2, gbj_get_num(gbj_get(doc, "a"), "runs", -1));
	c0 = gbj_at(gbj_get(doc, "cases"), 0);
	ASSERT_NE(NULL, c0);
	EXPECT_STREQ("equivalent", gbj_get_str(c0, "verdict"));
	EXPECT_LT(0.05, gbj_get_num(c0, "mde", -1));
	EXPECT_GT(0.2, gbj_get_num(c0, "mde", 9));
	EXPECT_EQ(1, gbj_get_num(c0, "ratio", -1));
	EXPECT_LE(gbj_get_num(c0, "ci_low", 9), 1);
	EXPECT_GE(gbj_get_num(c0, "ci_high", -9), 1);
	EXPECT_STREQ("get_user_pages_fast", gbj_get_str(gbj_get(c0, "params"), "api"));
	EXPECT_EQ(0, gbj_get(doc, "only_in_a")->n);
	gbj_free(doc);
	free(a);
}

TEST_F(cmp, bad_input_exits_2)
{
	struct synth other = self->s;
	char *a = write_set(self->dir, "a", 1, self->ids, 3, &self->s, &self->rng);
	char path[1100], *b;
	FILE *f;

	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, "/nonexistent/x", NULL, NULL));
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, self->dir, NULL, NULL));
	snprintf(path, sizeof(path), "%s/broken.json", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "{\"meta\": {\"units\": \"ns\"}, \"results\": [");
	fclose(f);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, path, NULL, NULL));
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "{\"something\": 1}");
	fclose(f);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, path, NULL, NULL));
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, a, "--threshold", "five"));
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, a, "--method", "magic"));
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, a, "--bogus", NULL));
	{
		char *argv[] = { "compare", a, NULL };

		EXPECT_EQ(GB_CMP_BAD_INPUT, gb_cmd_compare(1 + 1, argv));
	}
	other.abi = 2;
	b = write_set(self->dir, "abi2", 1, self->ids, 3, &other, &self->rng);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, NULL, NULL));
	free(b);
	other = self->s;
	other.units = "us";
	b = write_set(self->dir, "us", 1, self->ids, 3, &other, &self->rng);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, NULL, NULL));
	free(b);
	free(a);
}

TEST_F(cmp, incomparable_metadata_is_refused_with_the_reason)
{
	struct synth other = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	other.abi = 2;
	a = write_set(self->dir, "a", 1, self->ids, 3, &self->s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 3, &other, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	EXPECT_EQ(-1, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "module ABI")) TH_LOG("%s", err);
	gb_rset_free(&ra);
	gb_rset_free(&rb);
	free(a);
	free(b);
}

TEST_F(cmp, differences_that_matter_are_warned_about)
{
	struct synth other = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;
	bool thp = false;

	other.thp = "always [madvise] never";
	a = write_set(self->dir, "a", 1, self->ids, 3, &self->s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 3, &other, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	for (size_t i = 0; i < cmp.nwarn; i++)
		thp |= strstr(cmp.warnings[i], "THP setting") != NULL;
	EXPECT_TRUE(thp);
	free_pair(&cmp, &ra, &rb);
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a, b, NULL, NULL));
	free(a);
	free(b);
}

/* Releasing is a phase of its own: a change that only slows put is seen. */
TEST_F(cmp, the_release_phase_is_compared_too)
{
	struct synth b2 = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	self->s.put_scale = 2e5;
	b2 = self->s;
	b2.put_scale = 4e5;	/* put twice as slow, get unchanged */
	a = write_set(self->dir, "a", 3, self->ids, 10, &self->s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 10, &b2, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(20, cmp.nrows);
	EXPECT_EQ(10, cmp.nslower);
	for (size_t i = 0; i < cmp.nrows; i++) {
		const struct gb_cmp_row *r = &cmp.rows[i];
		bool put = strstr(r->a->label, " put") != NULL;

		EXPECT_EQ(put, r->verdict == GB_SLOWER) TH_LOG("%s", r->a->label);
		EXPECT_EQ(put, r->a->put);
	}
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

/*
 * One release over the whole range is another measurement than a release
 * per call (what results without release_call did): their put rows are
 * not matched, the get rows are.
 */
TEST_F(cmp, put_rows_of_two_release_calls_are_not_matched)
{
	struct synth b2;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	self->s.put_scale = 2e5;
	b2 = self->s;
	b2.release_call = "whole_range";
	a = write_set(self->dir, "a", 3, self->ids, 4, &self->s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 4, &b2, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(4, cmp.nrows);
	for (size_t i = 0; i < cmp.nrows; i++) {
		EXPECT_FALSE(cmp.rows[i].a->put)
			TH_LOG("%s", cmp.rows[i].a->label);
	}
	EXPECT_EQ(4, cmp.nonly_a);
	EXPECT_EQ(4, cmp.nonly_b);
	free_pair(&cmp, &ra, &rb);
	/* per_call and absent are the same measurement */
	b2.release_call = "per_call";
	free(b);
	b = write_set(self->dir, "c", 3, self->ids, 4, &b2, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(8, cmp.nrows);
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

TEST_F(cmp, different_clocks_are_refused)
{
	struct synth b2 = self->s;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	self->s.clock = "time";
	b2.clock = "instructions";
	a = write_set(self->dir, "a", 1, self->ids, 3, &self->s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 3, &b2, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	gb_cmp_defaults(&o);
	EXPECT_EQ(-1, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "clock (meta.clock")) TH_LOG("%s", err);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, NULL, NULL));
	gb_rset_free(&ra);
	gb_rset_free(&rb);
	free(a);
	free(b);
}

/*
 * The instruction clock: the work is the same in every repeat, and a timer
 * interrupt in one repeat only adds.  A 1% change is flagged in every case
 * at the clock's 0.5% threshold, whatever the interrupts; the same data as
 * a time-clock result is not (5%); an A/A with interrupts flags nothing.
 */
TEST_F(cmp, instruction_clock_sees_one_percent)
{
	struct synth s = self->s, s1;
	char *a, *b, *a2, err[512];
	struct gb_rset ra, rb, ra2;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	s.clock = "instructions";
	s.units = "instructions";
	s.run_sd = 0;
	s.rep_sd = 0;
	s.outlier = 0.05;
	s1 = s;
	s1.scale = s.scale * 1.01;
	a = write_set(self->dir, "a", 1, self->ids, 20, &s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 20, &s1, &self->rng);
	a2 = write_set(self->dir, "a2", 1, self->ids, 20, &s, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	ASSERT_EQ(0, gb_rset_load(&ra2, a2, err, sizeof(err))) TH_LOG("%s", err);
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(20, cmp.nslower);
	EXPECT_EQ(0, cmp.nwarn);	/* one boot a side is this clock's way */
	EXPECT_TRUE(fabs(cmp.rows[0].ratio.est - 1.01) < 1e-6);
	gb_cmp_free(&cmp);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &ra2, &o, err, sizeof(err)));
	EXPECT_EQ(0, cmp.nslower + cmp.nfaster);
	free_pair(&cmp, &ra, &rb);
	gb_rset_free(&ra2);
	free(a);
	free(b);
	free(a2);

	s.clock = NULL;
	s.units = "ns";
	s1.clock = NULL;
	s1.units = "ns";
	a = write_set(self->dir, "ta", 1, self->ids, 20, &s, &self->rng);
	b = write_set(self->dir, "tb", 1, self->ids, 20, &s1, &self->rng);
	ASSERT_EQ(0, load_pair(_metadata, &ra, &rb, a, b));
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(0, cmp.nslower);
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

/* Two pairs side by side; the exit status is the first pair's. */
TEST_F(cmp, two_pairs_side_by_side)
{
	struct synth slow = self->s;
	char *a, *b, *c, path[1100], out[1100], *text;
	char *argv[] = { "compare", "--out", out, NULL, NULL, NULL, NULL, NULL };

	slow.scale *= 2;
	a = write_set(self->dir, "a", 3, self->ids, 4, &self->s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 4, &self->s, &self->rng);
	c = write_set(self->dir, "c", 3, self->ids, 4, &slow, &self->rng);
	snprintf(out, sizeof(out), "%s/out.txt", self->dir);
	argv[3] = a; argv[4] = b; argv[5] = a; argv[6] = c;
	EXPECT_EQ(GB_CMP_OK, gb_cmd_compare(7, argv));
	snprintf(path, sizeof(path), "%s/out.txt", self->dir);
	text = slurp_file(path);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "1: 4 matched cases: 0 slower")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "2: 4 matched cases: 4 slower")) TH_LOG("%s", text);
	free(text);
	argv[3] = a; argv[4] = c; argv[5] = a; argv[6] = b;
	EXPECT_EQ(GB_CMP_REGRESSION, gb_cmd_compare(7, argv));
	free(a);
	free(b);
	free(c);
}

/* One repeat a side: a zero-width interval, and no verdict but inconclusive. */
TEST_F(cmp, one_repeat_a_side_is_inconclusive)
{
	struct synth s = self->s, slow;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	s.reps = 1;
	slow = s;
	slow.scale *= 1.35;
	a = write_set(self->dir, "a", 1, self->ids, 20, &s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 20, &slow, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	o.allow_single_run = true;	/* even then: one value is no interval */
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(0, cmp.nslower);
	EXPECT_EQ(20, cmp.ninconclusive);
	EXPECT_NE(NULL, strstr(cmp.rows[0].why, "fewer than 3 repeats"));
	EXPECT_TRUE(isinf(cmp.rows[0].mde));
	free_pair(&cmp, &ra, &rb);
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a, b, "--allow-single-run", NULL));
	free(a);
	free(b);
}

/* One run a side on the time clock fails no CI unless asked to. */
TEST_F(cmp, single_runs_on_the_time_clock_need_allow_single_run)
{
	struct synth slow = self->s;
	char *a, *b;

	slow.scale *= 1.5;
	a = write_set(self->dir, "a", 1, self->ids, 10, &self->s, &self->rng);
	b = write_set(self->dir, "b", 1, self->ids, 10, &slow, &self->rng);
	EXPECT_EQ(GB_CMP_OK, compare_cmd(self->dir, a, b, NULL, NULL));
	EXPECT_EQ(GB_CMP_REGRESSION,
		  compare_cmd(self->dir, a, b, "--allow-single-run", NULL));
	free(a);
	free(b);
}

/*
 * A real 10% shift that noisy runs cannot resolve is inconclusive, never
 * "equivalent", and says how large a change the data would have seen;
 * Hodges-Lehmann with 2 runs a side calls a 50% regression inconclusive.
 */
TEST_F(cmp, what_the_data_cannot_tell_is_inconclusive)
{
	struct synth s = self->s, slow;
	char *a, *b, err[512];
	struct gb_rset ra, rb;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;

	s.run_sd = 0.15;
	s.rep_sd = 0.02;
	slow = s;
	slow.scale *= 1.10;
	a = write_set(self->dir, "a", 3, self->ids, 50, &s, &self->rng);
	b = write_set(self->dir, "b", 3, self->ids, 50, &slow, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	gb_cmp_defaults(&o);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(0, cmp.nequiv);
	EXPECT_LT(25, cmp.ninconclusive);
	for (size_t i = 0; i < cmp.nrows; i++) {
		const struct gb_cmp_row *r = &cmp.rows[i];

		if (r->verdict == GB_INCONCLUSIVE) {
			EXPECT_LT(0.10, r->mde);
		}
	}
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);

	s = self->s;
	slow = s;
	slow.scale *= 1.5;
	a = write_set(self->dir, "ha", 2, self->ids, 5, &s, &self->rng);
	b = write_set(self->dir, "hb", 2, self->ids, 5, &slow, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	o.method = GB_CMP_HL;
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_EQ(5, cmp.ninconclusive);
	free_pair(&cmp, &ra, &rb);
	free(a);
	free(b);
}

/*
 * Many rows at once: at --threshold 0 an A/A calls rows slower by chance,
 * and the report says how many to expect; --fdr holds the rate of false
 * "slower" rows, and a real 20% regression survives it.
 */
TEST_F(cmp, false_discovery_rate_control)
{
	struct synth s = self->s, slow;
	char *a, *b, *c, err[512];
	struct gb_rset ra, rb, rc;
	struct gb_cmp_opts o;
	struct gb_cmp cmp;
	size_t plain;

	s.run_sd = 0.03;
	a = write_set(self->dir, "a", 8, self->ids, 100, &s, &self->rng);
	b = write_set(self->dir, "b", 8, self->ids, 100, &s, &self->rng);
	slow = s;
	slow.scale *= 1.2;
	c = write_set(self->dir, "c", 8, self->ids, 100, &slow, &self->rng);
	ASSERT_EQ(0, gb_rset_load(&ra, a, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rb, b, err, sizeof(err)));
	ASSERT_EQ(0, gb_rset_load(&rc, c, err, sizeof(err)));
	gb_cmp_defaults(&o);
	o.threshold = 0;
	o.threshold_given = true;
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_LT(0, cmp.nslower) TH_LOG("an A/A at threshold 0 with no false slower row");
	EXPECT_TRUE(fabs(cmp.expected_false - 2.5) < 1e-9);
	plain = cmp.nslower;
	gb_cmp_free(&cmp);
	/* fewer false rows: bootstrap p-values from 8 runs are a little
	 * optimistic, so BH cannot promise none */
	o.fdr = 0.05;
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rb, &o, err, sizeof(err)));
	EXPECT_LT(cmp.nslower, plain);
	TH_LOG("A/A at threshold 0: %zu slower, %zu with --fdr 5", plain, cmp.nslower);
	gb_cmp_free(&cmp);
	ASSERT_EQ(0, gb_cmp_run(&cmp, &ra, &rc, &o, err, sizeof(err)));
	EXPECT_EQ(100, cmp.nslower);
	free_pair(&cmp, &ra, &rb);
	gb_rset_free(&rc);
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, "--fdr", "0"));
	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, "--confidence", "30"));
	free(a);
	free(b);
	free(c);
}

/* No case in common: exit 2, whatever else the files say. */
TEST_F(cmp, nothing_matched_exits_2)
{
	size_t a_ids[] = { 0, 1 }, b_ids[] = { 5, 6 };
	char *a = write_set(self->dir, "a", 2, a_ids, 2, &self->s, &self->rng);
	char *b = write_set(self->dir, "b", 2, b_ids, 2, &self->s, &self->rng);

	EXPECT_EQ(GB_CMP_BAD_INPUT, compare_cmd(self->dir, a, b, NULL, NULL));
	free(a);
	free(b);
}

/* Options may follow the results, as in "compare A B --format json". */
TEST_F(cmp, options_after_the_paths)
{
	char *a = write_set(self->dir, "a", 2, self->ids, 3, &self->s, &self->rng);
	char out[1100], *text;
	char *argv[] = { "compare", a, a, "--format", "json", "--out", out, NULL };

	snprintf(out, sizeof(out), "%s/after.json", self->dir);
	EXPECT_EQ(GB_CMP_OK, gb_cmd_compare(7, argv));
	text = slurp_file(out);
	ASSERT_NE(NULL, text);
	EXPECT_EQ('{', text[0]);
	free(text);
	free(a);
}

TEST_HARNESS_MAIN
