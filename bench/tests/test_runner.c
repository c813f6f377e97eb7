// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the runner's judgements that need no kernel: the
 * warm-up note (a first measured repeat far above the rest), which
 * per-call samples are kept, with and without --drop-scheduled, and the
 * verdict of the module's folio orders on a sized THP kind.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../runner.h"

/* One thread, @n repeats of the given get totals, pin_user_pages_fast. */
static void result_of(struct gb_result *r, struct gb_thread_result *t,
		      uint64_t *get, unsigned int n)
{
	memset(r, 0, sizeof(*r));
	memset(t, 0, sizeof(*t));
	gb_case_defaults(&r->c);
	r->c.repeat = n;
	r->c.warmup = 1;
	t->get_ns = get;
	r->thr = t;
	r->nthr = 1;
}

TEST(a_slow_first_repeat_is_noted)
{
	uint64_t get[5] = { 1500, 1000, 1010, 990, 1005 };
	struct gb_thread_result t;
	struct gb_result r;

	result_of(&r, &t, get, 5);
	gb_check_warmup(&r);
	EXPECT_NE(NULL, strstr(r.note, "first measured repeat took 1.50x"))
		TH_LOG("note: '%s'", r.note);
	EXPECT_NE(NULL, strstr(r.note, "raise --warmup (now 1)"));
}

TEST(a_first_repeat_within_the_rest_is_not_noted)
{
	uint64_t get[5] = { 1200, 1000, 1010, 990, 1005 };
	struct gb_thread_result t;
	struct gb_result r;

	result_of(&r, &t, get, 5);
	gb_check_warmup(&r);
	EXPECT_STREQ("", r.note);
	/* nor with two repeats (no "rest" to speak of), nor for noop */
	get[0] = 5000;
	result_of(&r, &t, get, 2);
	gb_check_warmup(&r);
	EXPECT_STREQ("", r.note);
	result_of(&r, &t, get, 5);
	r.c.api = GUPBENCH_API_NOOP;
	gb_check_warmup(&r);
	EXPECT_STREQ("", r.note);
}

/* thp:64K or shmem:64K over 1024 pages, @at of them in 64K folios. */
static void sized_of(struct gb_result *r, struct gb_thread_result *t,
		     const char *mem, uint64_t at)
{
	const char *path;

	memset(r, 0, sizeof(*r));
	memset(t, 0, sizeof(*t));
	gb_case_defaults(&r->c);
	gb_mem_from_name(mem, &r->c.mem, &path);
	r->pages = 1024;
	t->order_pages[4] = at;
	t->order_pages[0] = 1024 - at;
	t->large_folio_pages = at;
	r->thr = t;
	r->nthr = 1;
}

TEST(a_sized_thp_case_is_judged_by_its_folio_orders)
{
	struct gb_thread_result t;
	struct gb_result r;
	char err[256] = "";

	/* none at the size: an error naming the orders it got */
	sized_of(&r, &t, "thp:64K", 0);
	EXPECT_EQ(-1, gb_check_hugeness(&r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "--mem thp:64K: none of the buffer came back in 64K folios (order 0: 1024 pages)"))
		TH_LOG("%s", err);
	/* half: a result, with a note and huge_fraction 0.5 */
	sized_of(&r, &t, "shmem:64K", 512);
	EXPECT_EQ(0, gb_check_hugeness(&r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(r.note, "only 50.0% of the shmem:64K buffer is in 64K folios"))
		TH_LOG("%s", r.note);
	EXPECT_EQ(0.5, r.huge_fraction);
	EXPECT_TRUE(r.have_orders);
	EXPECT_EQ(512, r.order_pages[4]);
	/* all: no note; 2M folios would not count for thp:64K */
	sized_of(&r, &t, "thp:64K", 1024);
	EXPECT_EQ(0, gb_check_hugeness(&r, err, sizeof(err)));
	EXPECT_STREQ("", r.note);
	EXPECT_EQ(1.0, r.huge_fraction);
	t.order_pages[4] = 0;
	t.order_pages[9] = 1024;
	EXPECT_EQ(-1, gb_check_hugeness(&r, err, sizeof(err)));
	/* the syscall backend cannot see folios: a note, no verdict */
	sized_of(&r, &t, "thp:64K", 0);
	r.c.backend = GB_BACKEND_SYSCALL;
	EXPECT_EQ(0, gb_check_hugeness(&r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(r.note, "folio sizes not checked"));
	EXPECT_FALSE(r.have_orders);
}

/* Eight calls, every other one scheduled out and slow. */
static void eight_calls(struct gupbench_sample *s)
{
	for (int i = 0; i < 8; i++) {
		s[i] = (struct gupbench_sample){ .get_ns = 100 + i, .pages = 1 };
		if (i % 2) {
			s[i].get_ns = 10000 + i;
			s[i].flags = GUPBENCH_SAMPLE_SCHEDULED;
		}
	}
}

TEST(scheduled_samples_are_counted_and_kept_by_default)
{
	struct gupbench_sample s[8];
	uint64_t sched = 0;
	double out[8];

	eight_calls(s);
	EXPECT_EQ(8, gb_keep_samples(s, 8, 8, false, out, &sched));
	EXPECT_EQ(4, sched);
	EXPECT_EQ(100, out[0]);
	EXPECT_EQ(10001, out[1]);
}

TEST(drop_scheduled_leaves_them_out_of_the_statistics)
{
	struct gupbench_sample s[8];
	uint64_t sched = 0;
	double out[8];
	size_t n;

	eight_calls(s);
	n = gb_keep_samples(s, 8, 8, true, out, &sched);
	EXPECT_EQ(4, n);
	EXPECT_EQ(4, sched);	/* counted either way */
	for (size_t i = 0; i < n; i++) {
		EXPECT_GT(1000, out[i]) TH_LOG("sample %zu: %g", i, out[i]);
	}
}

TEST(keeping_fewer_spreads_them_evenly)
{
	struct gupbench_sample s[8];
	uint64_t sched = 0;
	double out[8];

	eight_calls(s);
	/* every second call: 0, 2, 4, 6, the ones not scheduled out */
	EXPECT_EQ(4, gb_keep_samples(s, 8, 4, false, out, &sched));
	EXPECT_EQ(100, out[0]);
	EXPECT_EQ(102, out[1]);
	EXPECT_EQ(106, out[3]);
	EXPECT_EQ(4, sched);	/* all eight calls looked at */
	EXPECT_EQ(0, gb_keep_samples(s, 0, 4, false, out, &sched));
}

TEST_HARNESS_MAIN
