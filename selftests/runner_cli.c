// SPDX-License-Identifier: GPL-2.0
/*
 * The gupbench command, end to end in a guest: `gupbench run --format json`
 * for each memory kind, its JSON checked against what the module and the
 * kernel counted; and the command's errors (not root, bad options).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gupbench.h>

#include "kselftest_harness.h"
#include "../bench/json.h"

struct cmd_result {
	int status;		/* exit status, or -1 if it did not exit */
	char *out, *err;
};

static char *slurp(FILE *f)
{
	size_t cap = 4096, len = 0, n;
	char *buf = malloc(cap);

	rewind(f);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (buf)
		buf[len] = 0;
	return buf;
}

/* Run argv (searched in PATH) as @uid (-1: as we are), capture both outputs. */
static void run(struct cmd_result *r, uid_t uid, char *const argv[])
{
	FILE *out = tmpfile(), *err = tmpfile();
	int st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!out || !err)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		if (uid != (uid_t)-1 && (setgid(uid) || setuid(uid)))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	r->out = slurp(out);
	r->err = slurp(err);
	fclose(out);
	fclose(err);
}

static void done(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
}

static int nr_nodes(void)
{
	int n = 0;
	char path[64];
	struct stat st;

	for (;; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
		if (stat(path, &st))
			return n ? n : 1;
	}
}

/* The first line of @path into @buf ("" when empty); false if unreadable. */
static bool first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return false;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	return true;
}

static bool thp_off(void)
{
	char line[128];

	if (!first_line("/sys/kernel/mm/transparent_hugepage/enabled", line,
			sizeof(line)))
		return true;
	return strstr(line, "[never]") != NULL;
}

FIXTURE(run_json) {
	struct cmd_result r;
	struct gbj_val *doc;
	const struct gbj_val *res;
};

FIXTURE_VARIANT(run_json) {
	const char *mem;
	const char *api;
	bool pins;
	bool huge;	/* every page in a large folio */
	int order;	/* ... of this order; -1: any (shmem, memfd, file) */
	const char *size;
	double pages;
};

#define RUN_VARIANT(name, m, a, p, h, o) \
	FIXTURE_VARIANT_ADD(run_json, name) { .mem = m, .api = a, .pins = p, \
					      .huge = h, .order = o, .size = "8M", \
					      .pages = 2048 }

RUN_VARIANT(base_pin_fast, "base", "pin_user_pages_fast", true, false, 0);
RUN_VARIANT(thp_pin, "thp", "pin_user_pages", true, true, 9);
RUN_VARIANT(hugetlb_get_fast, "hugetlb", "get_user_pages_fast", false, true, 9);
RUN_VARIANT(shmem_pin_remote, "shmem", "pin_user_pages_remote", true, false, -1);
RUN_VARIANT(memfd_pin_unlocked, "memfd", "pin_user_pages_unlocked", true, false, -1);
RUN_VARIANT(file_get, "file:/tmp/gupbench-selftest-file", "get_user_pages", false, false, -1);
FIXTURE_VARIANT_ADD(run_json, hugetlb_1g_pin_fast) {
	.mem = "hugetlb-1g", .api = "pin_user_pages_fast", .pins = true,
	.huge = true, .order = 18, .size = "1G", .pages = 262144,
};

static long free_1g_pages(void)
{
	FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

FIXTURE_SETUP(run_json)
{
	char *argv[] = {
		"gupbench", "run", "--api", (char *)variant->api,
		"--mem", (char *)variant->mem, "--size", (char *)variant->size,
		"--batch", "512",
		"--repeat", "3", "--warmup", "1", "--write", "--reserve-hugetlb",
		"--format", "json", NULL,
	};
	char err[128];

	self->doc = NULL;
	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	if (!strcmp(variant->mem, "thp") && thp_off())
		SKIP(return, "THP is not available on this kernel");
	if (!strcmp(variant->mem, "hugetlb-1g") && free_1g_pages() < 1)
		SKIP(return, "no free 1 GiB huge page: boot with hugepagesz=1G hugepages=1 (vm/run --append)");
	run(&self->r, (uid_t)-1, argv);
	ASSERT_EQ(0, self->r.status) TH_LOG("stderr: %s", self->r.err);
	self->doc = gbj_parse(self->r.out, err, sizeof(err));
	ASSERT_NE(NULL, self->doc) TH_LOG("%s in: %s", err, self->r.out);
	self->res = gbj_at(gbj_get(self->doc, "results"), 0);
	ASSERT_NE(NULL, self->res);
}

FIXTURE_TEARDOWN(run_json)
{
	gbj_free(self->doc);
	done(&self->r);
}

TEST_F(run_json, fields_match_the_counts)
{
	const struct gbj_val *r = self->res, *get, *thr, *pins, *calls, *orders;
	const double pages = variant->pages, repeats = 3, warmup = 1;
	double sum;

	EXPECT_STREQ(variant->api, gbj_get_str(r, "api"));
	EXPECT_EQ(pages * 4096, gbj_get_num(r, "size_bytes", 0));
	EXPECT_EQ(pages, gbj_get_num(r, "pages", 0));
	EXPECT_EQ(512, gbj_get_num(r, "batch_used", 0));
	EXPECT_EQ(pages / 512, gbj_get_num(r, "calls", 0));
	EXPECT_EQ(repeats, gbj_get_num(r, "repeat", 0));
	/* by default the whole range goes back in one call, as a user's */
	EXPECT_STREQ("after_all", gbj_get_str(r, "release"));
	EXPECT_STREQ("whole_range", gbj_get_str(r, "release_call"));

	get = gbj_get(r, "get_ns_total");
	ASSERT_NE(NULL, get);
	ASSERT_EQ(3, get->n);
	for (size_t i = 0; i < get->n; i++)
		EXPECT_LT(0, gbj_at(get, i)->num);
	EXPECT_EQ(3, gbj_get(r, "put_ns_total")->n);

	/* every call of every measured repeat was sampled */
	calls = gbj_get(r, "call_ns");
	EXPECT_EQ(pages / 512 * repeats, gbj_get_num(calls, "n", 0));
	EXPECT_LE(gbj_get_num(calls, "p50", -1), gbj_get_num(calls, "p99", -2));
	EXPECT_LE(gbj_get_num(calls, "p99", -1), gbj_get_num(calls, "max", -2));

	/* the kernel's FOLL_PIN counters: every pin of every repeat */
	pins = gbj_get(r, "pins");
	ASSERT_NE(NULL, pins);
	EXPECT_TRUE(gbj_get(r, "pins_balanced")->b);
	EXPECT_EQ(variant->pins ? pages * (repeats + warmup) : 0,
		  gbj_get_num(pins, "acquired", -1));
	EXPECT_EQ(gbj_get_num(pins, "acquired", -1),
		  gbj_get_num(pins, "released", -2));
	EXPECT_EQ(0, gbj_get_num(r, "unpinned_pages", -1));

	EXPECT_EQ(variant->huge ? pages : 0,
		  gbj_get_num(r, "large_folio_pages", -1));
	EXPECT_EQ(variant->huge ? 1.0 : 0.0, gbj_get_num(r, "huge_fraction", -1));
	/* the module's folio orders: every page once, at the kind's order */
	orders = gbj_get(r, "folio_order_pages");
	ASSERT_NE(NULL, orders);
	ASSERT_EQ(GUPBENCH_ORDERS, orders->n);
	sum = 0;
	for (size_t i = 0; i < orders->n; i++)
		sum += gbj_at(orders, i)->num;
	EXPECT_EQ(pages, sum);
	if (variant->order >= 0)
		EXPECT_EQ(pages, gbj_at(orders, variant->order)->num);

	thr = gbj_at(gbj_get(r, "per_thread"), 0);
	ASSERT_NE(NULL, thr);
	EXPECT_EQ(NULL, gbj_at(gbj_get(r, "per_thread"), 1));
	/* placement looks at every page, or an even 4096 of them */
	EXPECT_EQ(pages > 4096 ? 4096 : pages,
		  gbj_get_num(gbj_get(thr, "placement"), "pages_looked_at", 0));
	EXPECT_EQ(0, gbj_get_num(gbj_get(thr, "placement"), "not_present", -1));

	EXPECT_NE(NULL, gbj_get_str(gbj_get(self->doc, "meta"), "kernel_release"));
	EXPECT_LT(0, gbj_get_num(gbj_get(r, "noop"), "call_ns", -1));
}

static struct gbj_val *run_doc(struct __test_metadata *_metadata,
			       struct cmd_result *r, char *const argv[])
{
	struct gbj_val *doc;
	char err[128];

	run(r, (uid_t)-1, argv);
	if (r->status != 0) {
		TH_LOG("exit %d, stderr: %s", r->status, r->err);
		return NULL;
	}
	doc = gbj_parse(r->out, err, sizeof(err));
	if (!doc)
		TH_LOG("%s", err);
	return doc;
}

/* --release picks the mode; the result records it and what the module did. */
TEST(release_modes_are_recorded)
{
	static const char *const modes[][3] = {
		{ "after-all", "after_all", "whole_range" },
		{ "per-call", "per_call", "per_call" },
		{ "each-batch", "each_batch", "per_call" },
	};

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *argv[] = {
			"gupbench", "run", "--api", "pin_user_pages_fast",
			"--size", "2M", "--batch", "64", "--repeat", "3",
			"--release", (char *)modes[i][0], "--format", "json",
			NULL,
		};
		struct cmd_result r;
		struct gbj_val *doc = run_doc(_metadata, &r, argv);
		const struct gbj_val *res;

		ASSERT_NE(NULL, doc) TH_LOG("--release %s", modes[i][0]);
		res = gbj_at(gbj_get(doc, "results"), 0);
		ASSERT_NE(NULL, res);
		EXPECT_STREQ(modes[i][1], gbj_get_str(res, "release"));
		EXPECT_STREQ(modes[i][2], gbj_get_str(res, "release_call"));
		EXPECT_TRUE(gbj_get(res, "pins_balanced")->b);
		gbj_free(doc);
		done(&r);
	}
}

/*
 * --nofault, --fast-only, --remote-locked reach the module: each run
 * succeeds over the prefaulted buffer, is recorded, and its case key
 * tells it apart from the plain case.
 */
TEST(gup_flag_options_are_recorded)
{
	static const char *const opts[][3] = {
		{ "get_user_pages_fast", "--fast-only", "fast_only" },
		{ "pin_user_pages", "--nofault", "nofault" },
		{ "pin_user_pages_remote", "--remote-locked", "remote_locked" },
	};

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char *argv[] = {
			"gupbench", "run", "--api", (char *)opts[i][0],
			"--size", "2M", "--batch", "64", "--repeat", "3",
			(char *)opts[i][1], "--format", "json", NULL,
		};
		struct cmd_result r;
		struct gbj_val *doc = run_doc(_metadata, &r, argv);
		const struct gbj_val *res, *v;

		ASSERT_NE(NULL, doc) TH_LOG("%s", opts[i][1]);
		res = gbj_at(gbj_get(doc, "results"), 0);
		ASSERT_NE(NULL, res);
		v = gbj_get(res, opts[i][2]);
		ASSERT_NE(NULL, v) TH_LOG("no %s in the result", opts[i][2]);
		EXPECT_TRUE(v->b);
		EXPECT_EQ(512, gbj_get(res, "pages")->num);
		EXPECT_TRUE(gbj_get(res, "pins_balanced")->b);
		gbj_free(doc);
		done(&r);
	}
}

TEST(threads_shared_buffer)
{
	char *argv[] = {
		"gupbench", "run", "--api", "pin_user_pages_fast", "--size", "4M",
		"--threads", "2", "--shared-buffer", "--repeat", "2",
		"--format", "json", NULL,
	};
	const struct gbj_val *thr, *res;
	struct cmd_result r;
	struct gbj_val *doc;

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	doc = run_doc(_metadata, &r, argv);
	ASSERT_NE(NULL, doc);
	res = gbj_at(gbj_get(doc, "results"), 0);
	thr = gbj_get(res, "per_thread");
	ASSERT_EQ(2, thr->n);
	/* each thread pinned the whole shared buffer in every repeat (+1 warm-up) */
	EXPECT_EQ(2 * 1024 * 3, gbj_get_num(gbj_get(res, "pins"), "acquired", 0));
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		EXPECT_NE(gbj_get_num(gbj_at(thr, 0), "cpu", -1),
			  gbj_get_num(gbj_at(thr, 1), "cpu", -1));
	gbj_free(doc);
	done(&r);
}

TEST(memory_on_the_asked_node)
{
	char *argv[] = {
		"gupbench", "run", "--api", "get_user_pages_fast", "--size", "4M",
		"--cpu-node", "0", "--mem-node", "1", "--repeat", "2",
		"--format", "json", NULL,
	};
	const struct gbj_val *res, *place;
	struct cmd_result r;
	struct gbj_val *doc;

	if (nr_nodes() < 2)
		SKIP(return, "one NUMA node here: boot with vm/run --numa 2");
	doc = run_doc(_metadata, &r, argv);
	ASSERT_NE(NULL, doc);
	res = gbj_at(gbj_get(doc, "results"), 0);
	place = gbj_get(gbj_at(gbj_get(res, "per_thread"), 0), "placement");
	EXPECT_EQ(1024, gbj_get_num(place, "node1", 0));
	EXPECT_EQ(0, gbj_get_num(place, "node0", 0));
	EXPECT_EQ(0, gbj_get_num(gbj_at(gbj_get(res, "per_thread"), 0), "node", -1));
	gbj_free(doc);
	done(&r);
}

TEST(not_root_is_told)
{
	char *argv[] = { "gupbench", "run", "--api", "noop", NULL };
	struct cmd_result r;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop to an unprivileged user");
	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	run(&r, 65534, argv);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "needs root")) TH_LOG("%s", r.err);
	done(&r);
}

/* gupbench dump: the pages asked for go to the kernel log, a bad index is usage. */
TEST(dump_command)
{
	char *ok[] = { "gupbench", "dump", "--api", "pin_user_pages_fast",
		       "--page", "0", "--page", "511", NULL };
	char *bad[] = { "gupbench", "dump", "--api", "pin_user_pages_fast",
			"--page", "512", NULL };
	struct cmd_result r;

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	run(&r, (uid_t)-1, ok);
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_NE(NULL, strstr(r.out, "2 pages of a base buffer taken with pin_user_pages_fast dumped"))
		TH_LOG("stdout: %s", r.out);
	done(&r);
	run(&r, (uid_t)-1, bad);
	EXPECT_EQ(2, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--page")) TH_LOG("%s", r.err);
	done(&r);
}

TEST(bad_option_exit_code)
{
	char *argv[] = { "gupbench", "run", "--api", "noop", "--size", "7", NULL };
	struct cmd_result r;

	run(&r, (uid_t)-1, argv);
	EXPECT_EQ(2, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--size")) TH_LOG("%s", r.err);
	EXPECT_EQ(0, strlen(r.out));
	done(&r);
}

TEST(thp_asked_but_off)
{
	char *argv[] = {
		"gupbench", "run", "--api", "pin_user_pages_fast", "--mem", "thp",
		"--size", "4M", NULL,
	};
	struct cmd_result r;

	if (!thp_off())
		SKIP(return, "THP is available here; this checks the message when it is not");
	run(&r, (uid_t)-1, argv);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--mem thp")) TH_LOG("%s", r.err);
	done(&r);
}

/*
 * thp:<size> and shmem:<size>: gupbench sets that folio size alone for
 * the case (madvise, for shmem advise; never for every other size), the
 * module's folio orders show it took, and every per-size control of the
 * kind is back afterwards.
 */
#define MTHP_DIR "/sys/kernel/mm/transparent_hugepage"

/* Every hugepages-<N>kB/(shmem_)enabled line, concatenated; "" without. */
static void mthp_state(char *buf, size_t len, bool shmem)
{
	static const unsigned int kb[] = {
		16, 32, 64, 128, 256, 512, 1024, 2048,
	};
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(kb) / sizeof(kb[0]) && n < len; i++) {
		char path[96], line[96];

		snprintf(path, sizeof(path), MTHP_DIR "/hugepages-%ukB/%s",
			 kb[i], shmem ? "shmem_enabled" : "enabled");
		if (first_line(path, line, sizeof(line)))
			n += (size_t)snprintf(buf + n, len - n, "%u: %s", kb[i], line);
	}
}

FIXTURE(mthp) {
	struct cmd_result r;
	struct gbj_val *doc;
};

FIXTURE_VARIANT(mthp) {
	const char *mem;
	unsigned int kb;
	int order;
	bool shmem;
};

#define MTHP_VARIANT(name, m, k, o, s) \
	FIXTURE_VARIANT_ADD(mthp, name) { .mem = m, .kb = k, .order = o, \
					  .shmem = s }

MTHP_VARIANT(thp_16K, "thp:16K", 16, 2, false);
MTHP_VARIANT(thp_64K, "thp:64K", 64, 4, false);
MTHP_VARIANT(thp_256K, "thp:256K", 256, 6, false);
MTHP_VARIANT(thp_1M, "thp:1M", 1024, 8, false);
MTHP_VARIANT(shmem_16K, "shmem:16K", 16, 2, true);
MTHP_VARIANT(shmem_64K, "shmem:64K", 64, 4, true);
MTHP_VARIANT(shmem_2M, "shmem:2M", 2048, 9, true);

FIXTURE_SETUP(mthp)
{
	self->doc = NULL;
	memset(&self->r, 0, sizeof(self->r));
}

FIXTURE_TEARDOWN(mthp)
{
	gbj_free(self->doc);
	done(&self->r);
}

TEST_F(mthp, one_size_alone_and_restored)
{
	char path[96], before[1024], after[1024];
	char *argv[] = {
		"gupbench", "run", "--api", "pin_user_pages_fast",
		"--mem", (char *)variant->mem,
		"--size", "4M", "--repeat", "2", "--warmup", "1",
		"--format", "json", NULL,
	};
	const struct gbj_val *res, *orders;
	const double pages = 1024;
	double other = 0;

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	snprintf(path, sizeof(path), MTHP_DIR "/hugepages-%ukB/%s", variant->kb,
		 variant->shmem ? "shmem_enabled" : "enabled");
	if (access(path, F_OK))
		SKIP(return, "no %s: per-size %s is Linux %s", path,
		     variant->shmem ? "shmem THP" : "anonymous THP",
		     variant->shmem ? "6.11+" : "6.8+");
	mthp_state(before, sizeof(before), variant->shmem);
	self->doc = run_doc(_metadata, &self->r, argv);
	ASSERT_NE(NULL, self->doc);
	mthp_state(after, sizeof(after), variant->shmem);
	EXPECT_STREQ(before, after);

	res = gbj_at(gbj_get(self->doc, "results"), 0);
	ASSERT_NE(NULL, res);
	EXPECT_STREQ(variant->mem, gbj_get_str(res, "mem"));
	orders = gbj_get(res, "folio_order_pages");
	ASSERT_NE(NULL, orders);
	ASSERT_EQ(GUPBENCH_ORDERS, orders->n);
	/* every other large size was off: nothing may come back in it */
	for (size_t i = 1; i < orders->n; i++)
		if ((int)i != variant->order)
			other += gbj_at(orders, i)->num;
	EXPECT_EQ(0, other);
	/* most of it in folios of the size (a failed allocation is order 0) */
	EXPECT_LT(pages / 2, gbj_at(orders, variant->order)->num)
		TH_LOG("%s", self->r.out);
	EXPECT_EQ(gbj_at(orders, variant->order)->num / pages,
		  gbj_get_num(res, "huge_fraction", -1));
}

/* The bracketed mode of one size's control, "" when there is none. */
static void mthp_mode(unsigned int kb, char *buf, size_t len)
{
	char path[96], line[96], *o, *c;

	buf[0] = 0;
	snprintf(path, sizeof(path), MTHP_DIR "/hugepages-%ukB/enabled", kb);
	if (!first_line(path, line, sizeof(line)))
		return;
	o = strchr(line, '[');
	c = o ? strchr(o, ']') : NULL;
	if (c && (size_t)(c - o) < len) {
		memcpy(buf, o + 1, (size_t)(c - o - 1));
		buf[c - o - 1] = 0;
	}
}

/* Interrupted while a size is selected, the run still puts it back. */
TEST(mthp_restored_after_sigint)
{
	char before[1024], after[1024], mode[16];
	int st = 0;
	pid_t pid;

	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	if (access(MTHP_DIR "/hugepages-64kB/enabled", F_OK))
		SKIP(return, "no 64 kB anonymous THP: per-size THP is Linux 6.8+");
	mthp_mode(64, mode, sizeof(mode));
	if (!strcmp(mode, "madvise"))
		SKIP(return, "64 kB THP is madvise already: its selection cannot be seen");
	mthp_state(before, sizeof(before), false);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execlp("gupbench", "gupbench", "run", "--api", "pin_user_pages_fast",
		       "--mem", "thp:64K", "--size", "64M", "--repeat", "100000",
		       "--warmup", "0", (char *)NULL);
		_exit(127);
	}
	/* wait (at most a minute) until the size is selected */
	for (int i = 0; i < 1200; i++) {
		mthp_mode(64, mode, sizeof(mode));
		if (!strcmp(mode, "madvise") || waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(50000);
	}
	ASSERT_STREQ("madvise", mode);
	kill(pid, SIGINT);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT)
		TH_LOG("status 0x%x", st);
	mthp_state(after, sizeof(after), false);
	EXPECT_STREQ(before, after);
}

/* Where the kernel has no such size, the run says so and what to use. */
TEST(mthp_missing_is_told)
{
	char *argv[] = {
		"gupbench", "run", "--api", "pin_user_pages_fast", "--mem",
		"thp:64K", "--size", "4M", NULL,
	};
	struct cmd_result r;

	if (!access(MTHP_DIR "/hugepages-64kB", F_OK))
		SKIP(return, "64 kB THP is there; this checks the message when it is not");
	run(&r, (uid_t)-1, argv);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--mem thp:64K")) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, "hugepages-")) TH_LOG("%s", r.err);
	done(&r);
}

/* thp:2M is the PMD size, the kind thp; a size not a multiple is refused. */
TEST(thp_size_names)
{
	char *two_m[] = {
		"gupbench", "run", "--api", "get_user_pages_fast", "--mem",
		"thp:2M", "--size", "4M", "--repeat", "1", "--format", "json",
		NULL,
	};
	char *odd[] = {
		"gupbench", "run", "--api", "noop", "--mem", "thp:64K",
		"--size", "96K", NULL,
	};
	char *bad[] = {
		"gupbench", "run", "--api", "noop", "--mem", "thp:48K", NULL,
	};
	struct cmd_result r;
	struct gbj_val *doc;

	run(&r, (uid_t)-1, bad);
	EXPECT_EQ(2, r.status);
	EXPECT_NE(NULL, strstr(r.err, "thp:SIZE")) TH_LOG("%s", r.err);
	done(&r);
	run(&r, (uid_t)-1, odd);
	EXPECT_EQ(2, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--size")) TH_LOG("%s", r.err);
	done(&r);
	if (access("/dev/gupbench", F_OK) || thp_off())
		SKIP(return, "needs the module and THP");
	doc = run_doc(_metadata, &r, two_m);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("thp", gbj_get_str(gbj_at(gbj_get(doc, "results"), 0), "mem"));
	gbj_free(doc);
	done(&r);
}

TEST_HARNESS_MAIN
