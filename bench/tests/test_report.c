// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests: results written as JSON and CSV read back with the
 * fields and values that went in.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include <linux/gupbench.h>
#include "../report.h"

FIXTURE(report) {
	struct gb_result r;
	struct gb_meta m;
	uint64_t get[3], put[3];
	double calls[4];
};

FIXTURE_SETUP(report)
{
	struct gb_result *r = &self->r;

	memset(r, 0, sizeof(*r));
	gb_case_defaults(&r->c);
	r->c.api = GUPBENCH_API_PIN_USER_PAGES;
	r->c.mem = GB_MEM_THP;
	r->c.size = 4 << 20;
	r->c.batch = 512;
	r->c.repeat = 3;
	r->c.write = true;
	r->pages = 1024;
	r->batch_used = 512;
	r->nthr = 1;
	r->thr = calloc(1, sizeof(*r->thr));
	self->get[0] = 1024000; self->get[1] = 2048000; self->get[2] = 1536000;
	self->put[0] = 512000; self->put[1] = 512000; self->put[2] = 1024000;
	r->thr[0].get_ns = self->get;
	r->thr[0].put_ns = self->put;
	r->thr[0].calls = 2;
	r->thr[0].large_folio_pages = 1024;
	r->thr[0].cpu = 1;
	r->thr[0].placement[0] = 1024;
	r->thr[0].placement_looked = 1024;
	self->calls[0] = 400; self->calls[1] = 100;
	self->calls[2] = 300; self->calls[3] = 200;
	gb_summarize(self->calls, 4, &r->call_ns);
	{
		double pp[3] = { 1000, 2000, 1500 };

		gb_summarize(pp, 3, &r->per_page_ns);
	}
	r->put_per_page_ns = r->per_page_ns;
	r->large_folio_pages = 1024;
	r->huge_fraction = 1.0;
	r->gib_per_s = 2.5;
	r->noop_call_ns = 30;
	r->noop_per_page_ns = NAN;
	r->pins.valid = true;
	r->pins.acquired = r->pins.released = 4096;
	r->pins_taken = r->pins_released = 4096;
	r->vmstat_applicable = true;
	r->pins_balanced = true;
	memset(&self->m, 0, sizeof(self->m));
	strcpy(self->m.kernel_release, "6.12.0-test");
	strcpy(self->m.tool_version, "v0-test");
	strcpy(self->m.command_line, "gupbench run --api \"x\"");
}

FIXTURE_TEARDOWN(report)
{
	free(self->r.thr);
}

static char *render(struct gb_result *r, struct gb_meta *m, enum gb_format f)
{
	struct gb_report rp;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	gb_report_begin(&rp, out, f, m);
	gb_report_result(&rp, r);
	gb_report_result(&rp, r);
	gb_report_end(&rp);
	fclose(out);
	return buf;
}

TEST_F(report, json_fields)
{
	char *text = render(&self->r, &self->m, GB_FMT_JSON), err[128];
	struct gbj_val *v = gbj_parse(text, err, sizeof(err));
	const struct gbj_val *meta, *res, *r0, *arr;

	ASSERT_NE(NULL, v) TH_LOG("%s", err);
	meta = gbj_get(v, "meta");
	ASSERT_NE(NULL, meta);
	static const char *const meta_keys[] = {
		"kernel_release", "tool_version", "module_abi", "cpu_model",
		"nr_cpus", "numa_nodes", "thp_enabled", "thp_defrag",
		"hugetlb_pools", "clocksource", "command_line", "date_utc",
	};
	for (size_t i = 0; i < sizeof(meta_keys) / sizeof(*meta_keys); i++) {
		EXPECT_NE(NULL, gbj_get(meta, meta_keys[i])) TH_LOG("%s", meta_keys[i]);
	}
	EXPECT_STREQ("6.12.0-test", gbj_get_str(meta, "kernel_release"));
	EXPECT_STREQ("gupbench run --api \"x\"", gbj_get_str(meta, "command_line"));

	res = gbj_get(v, "results");
	ASSERT_NE(NULL, res);
	ASSERT_EQ(2, res->n);
	r0 = gbj_at(res, 0);
	EXPECT_STREQ("pin_user_pages", gbj_get_str(r0, "api"));
	EXPECT_STREQ("thp", gbj_get_str(r0, "mem"));
	EXPECT_EQ(4 << 20, gbj_get_num(r0, "size_bytes", 0));
	EXPECT_EQ(512, gbj_get_num(r0, "batch", 0));
	EXPECT_EQ(1, gbj_get_num(r0, "threads", 0));
	EXPECT_TRUE(gbj_get(r0, "write")->b);
	EXPECT_FALSE(gbj_get(r0, "longterm")->b);
	EXPECT_TRUE(gbj_get(r0, "prefault")->b);
	EXPECT_EQ(-1, gbj_get_num(r0, "cpu_node", 0));
	EXPECT_EQ(-1, gbj_get_num(r0, "mem_node", 0));
	EXPECT_EQ(3, gbj_get_num(r0, "repeat", 0));
	arr = gbj_get(r0, "get_ns_total");
	ASSERT_EQ(3, arr->n);
	EXPECT_EQ(2048000, gbj_at(arr, 1)->num);
	EXPECT_EQ(1024000, gbj_at(gbj_get(r0, "put_ns_total"), 2)->num);
	EXPECT_EQ(1500, gbj_get_num(gbj_get(r0, "per_page_ns"), "median", 0));
	EXPECT_EQ(250, gbj_get_num(gbj_get(r0, "call_ns"), "p50", 0));
	EXPECT_EQ(400, gbj_get_num(gbj_get(r0, "call_ns"), "max", 0));
	EXPECT_NE(NULL, gbj_get(gbj_get(r0, "call_ns"), "p999"));
	EXPECT_EQ(1024, gbj_get_num(r0, "large_folio_pages", 0));
	EXPECT_TRUE(gbj_get(r0, "pins_balanced")->b);
	EXPECT_EQ(GBJ_NULL, gbj_get(gbj_get(r0, "noop"), "per_page_ns")->type);
	EXPECT_EQ(1024, gbj_get_num(gbj_get(gbj_at(gbj_get(r0, "per_thread"), 0),
					    "placement"), "node0", 0));
	gbj_free(v);
	free(text);
}

static size_t fields(const char *line)
{
	size_t n = 1;
	bool quoted = false;

	for (; *line && *line != '\n'; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (*line == ',' && !quoted)
			n++;
	}
	return n;
}

TEST_F(report, csv_columns)
{
	char *text = render(&self->r, &self->m, GB_FMT_CSV);
	char *row1 = strchr(text, '\n') + 1;
	char *row2 = strchr(row1, '\n') + 1;

	ASSERT_NE(NULL, row1);
	EXPECT_EQ(fields(text), fields(row1));
	EXPECT_EQ(fields(text), fields(row2));
	EXPECT_EQ(0, strncmp(text, "api,mem,file,size_bytes,batch,", 30));
	EXPECT_EQ(0, strncmp(row1, "pin_user_pages,thp,\"\",4194304,512,512,1,", 40))
		TH_LOG("%s", row1);
	free(text);
}

TEST_F(report, table_has_header_and_rows)
{
	char *text = render(&self->r, &self->m, GB_FMT_TABLE);

	EXPECT_NE(NULL, strstr(text, "6.12.0-test"));
	EXPECT_NE(NULL, strstr(text, "call_p50"));
	EXPECT_NE(NULL, strstr(text, "pin_user_pages"));
	EXPECT_NE(NULL, strstr(text, " ok\n"));
	free(text);
}

/* A file path is one CSV field, whatever it holds. */
TEST_F(report, csv_quotes_paths)
{
	char *text;

	self->r.c.mem = GB_MEM_FILE;
	self->r.c.file_path = "/tmp/a,b \"c\".img";
	text = render(&self->r, &self->m, GB_FMT_CSV);
	EXPECT_NE(NULL, strstr(text, ",\"/tmp/a,b \"\"c\"\".img\",")) TH_LOG("%s", text);
	EXPECT_EQ(fields(text), fields(strchr(text, '\n') + 1));
	free(text);
}

/*
 * Shaky figures are said where they are read: the fixture's repeats
 * (1000, 2000, 1500 ns/page) have a CV of 33% and a maximum 1.33x the
 * median.  The table fits 120 columns.
 */
TEST_F(report, noise_is_flagged)
{
	char *text, *line;

	self->r.get_cv = 0.33;
	text = render(&self->r, &self->m, GB_FMT_TABLE);
	EXPECT_NE(NULL, strstr(text, "noisy: CV 33% > 10%")) TH_LOG("%s", text);
	EXPECT_EQ(NULL, strstr(text, "max/median"));
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strcspn(line, "\n");

		if (line[0] != '#' && !strncmp(line, "pin_user_pages", 14))
			EXPECT_GE(120, n);
	}
	free(text);
	self->r.get_cv = 0.05;
	self->r.per_page_ns.max = 2 * self->r.per_page_ns.p50;
	text = render(&self->r, &self->m, GB_FMT_JSON);
	EXPECT_NE(NULL, strstr(text, "\"noise\": \"max/median 2.00 > 1.5\"")) TH_LOG("%s", text);
	free(text);
}

/*
 * The pins column: balanced by the module and by /proc/vmstat (ok), by the
 * module alone while something else pinned (ok/na, never LEAK), or not.
 */
TEST_F(report, pins_say_whose_word_it_is)
{
	char *text;

	self->r.vmstat_applicable = false;
	self->r.pins.acquired = 9999;
	text = render(&self->r, &self->m, GB_FMT_TABLE);
	EXPECT_NE(NULL, strstr(text, " ok/na\n")) TH_LOG("%s", text);
	free(text);
	text = render(&self->r, &self->m, GB_FMT_JSON);
	EXPECT_NE(NULL, strstr(text, "\"vmstat_applicable\": false"));
	EXPECT_NE(NULL, strstr(text, "\"module_taken\": 4096"));
	free(text);
	self->r.pins_balanced = false;
	text = render(&self->r, &self->m, GB_FMT_TABLE);
	EXPECT_NE(NULL, strstr(text, " LEAK\n"));
	free(text);
}

/* Another pinner on the machine is not a leak; a kernel that loses one is. */
TEST_F(report, pin_balance_is_judged_from_the_module_first)
{
	struct gb_result *r = &self->r;

	r->thr[0].pins_taken = r->thr[0].pins_released = 4096;
	r->pins.acquired = 4096 + 700;	/* someone else pinned meanwhile */
	r->pins.released = 4096 + 300;
	gb_judge_pins(r);
	EXPECT_TRUE(r->pins_balanced);
	EXPECT_FALSE(r->vmstat_applicable);
	EXPECT_EQ(4096, r->pins_taken);

	r->pins.acquired = 4096;	/* only us, but one release went missing */
	r->pins.released = 4095;
	gb_judge_pins(r);
	EXPECT_TRUE(r->vmstat_applicable);
	EXPECT_FALSE(r->pins_balanced);

	r->pins.released = 4096;	/* the module kept one */
	r->thr[0].pins_released = 4095;
	gb_judge_pins(r);
	EXPECT_FALSE(r->pins_balanced);

	/* the syscall backend: vmstat only, and only up to what it could take */
	r->c.backend = GB_BACKEND_SYSCALL;
	r->pins.acquired = 100 * r->pages * 5;
	r->pins.released = 0;
	gb_judge_pins(r);
	EXPECT_FALSE(r->vmstat_applicable);
	EXPECT_TRUE(r->pins_balanced);
}

/*
 * ns/page has one definition: per repeat, the slowest thread's total (what
 * the threads took together, get_ns_total) over one thread's pages.  Two
 * threads: slowest per repeat 3000, 2000, 1500 ns/page: median 2000 (the
 * six thread values pooled would say 1250).
 */
TEST_F(report, per_page_is_the_slowest_thread_per_repeat)
{
	struct gb_result *r = &self->r;
	uint64_t get1[3] = { 3072000, 1024000, 1024000 };
	uint64_t put1[3] = { 512000, 512000, 512000 };
	struct gb_thread_result *thr = calloc(2, sizeof(*thr));

	ASSERT_NE(NULL, thr);
	thr[0] = r->thr[0];
	thr[1] = r->thr[0];
	thr[1].get_ns = get1;
	thr[1].put_ns = put1;
	free(r->thr);
	r->thr = thr;
	r->nthr = 2;
	r->c.threads = 2;
	gb_result_stats(r);
	EXPECT_EQ(2000, r->per_page_ns.p50);
	EXPECT_EQ(3072000, gb_result_total(r, 0, false));
	EXPECT_EQ(500, r->put_per_page_ns.p50);	/* 500, 500, 1000 */
}

TEST_HARNESS_MAIN
