// SPDX-License-Identifier: GPL-2.0
/*
 * The GUP matrix: every API x memory kind x read/write x batch size takes
 * an 8 MiB buffer twice, once with RUN (exact counts, per-call samples,
 * pin accounting in /proc/vmstat) and once with HOLD + CONTENT (the pages
 * the kernel holds are the pages userspace sees).  Around it: the noop
 * API, both release orders, both mmap_lock modes, LONGTERM,
 * UNPIN_DIRTY, FOLL_NOFAULT, get_user_pages_fast_only and the remote
 * APIs' `locked` pointer.
 *
 * Fixtures, which run_vmtests.sh selects with -f:
 *   gup, gup_modes    the get_* APIs (FOLL_GET) and the noop loop
 *   pin, pin_modes    the pin_* APIs (FOLL_PIN)
 *   longterm          the pin_* APIs with FOLL_LONGTERM
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"

#define BUF_LEN		(4 * GB_HPAGE_SIZE)
#define NR_PAGES	(BUF_LEN / GB_PAGE_SIZE)
#define SEED_USER	0x5eed0000cafe0001ULL
#define SEED_KERNEL	0x5eed0000beef0002ULL

/* One cell of the matrix. */
struct gb_case {
	unsigned int api;
	enum gb_mem mem;
	bool write;
	uint64_t batch;		/* as passed in: 0 = all in one call */
	uint64_t flags;		/* GUPBENCH_F_* beyond WRITE */
};

/* What a test works on: the device and one filled buffer. */
struct gb_env {
	int fd;
	struct gb_buf buf;
};

static uint64_t clamp_batch(uint64_t batch)
{
	return !batch || batch > NR_PAGES ? NR_PAGES : batch;
}

static uint64_t calls_for(uint64_t batch)
{
	uint64_t b = clamp_batch(batch);

	return (NR_PAGES + b - 1) / b;
}

static uint64_t case_flags(const struct gb_case *c)
{
	return c->flags | (c->write ? GUPBENCH_F_WRITE : 0);
}

/*
 * Before Linux 6.3 get_user_pages_unlocked() refused FOLL_LONGTERM with a
 * WARN_ON_ONCE and EINVAL.  There the module refuses the request itself, up
 * front, says so in caps.longterm_apis (abi.c checks that against the
 * kernel version), and the case is skipped.
 */
static bool longterm_unsupported(int fd, const struct gb_case *c)
{
	struct gupbench_caps caps;

	if (!(c->flags & GUPBENCH_F_LONGTERM) || gb_caps(fd, &caps))
		return false;
	return !(caps.longterm_apis & (1ULL << c->api));
}

#define LONGTERM_UNLOCKED_SKIP \
	"FOLL_LONGTERM in pin_user_pages_unlocked needs Linux 6.3+ " \
	"(refused with EINVAL, nothing pinned)"

/* Ends with SKIP or a failed ASSERT when the buffer cannot be had. */
static void env_setup(struct __test_metadata *_metadata, struct gb_env *env,
		      enum gb_mem mem)
{
	char why[256] = "";
	int ret;

	env->fd = gb_open();
	if (env->fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, env->fd)
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));

	ret = gb_buf_map(&env->buf, mem, BUF_LEN, why, sizeof(why));
	if (ret == GB_SKIP)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret)
		TH_LOG("mapping %s memory: %s", gb_mem_name(mem),
		       strerror(errno));
	gb_fill(env->buf.addr, env->buf.len, SEED_USER);
}

static void env_teardown(struct gb_env *env)
{
	gb_buf_unmap(&env->buf);
	if (env->fd >= 0)
		close(env->fd);
}

/*
 * The large-folio pages a GUP over the buffer must report: none for base
 * pages and noop, all for hugetlb, and for THP what smaps says is huge.
 */
static uint64_t expected_large(struct __test_metadata *_metadata,
			       const struct gb_env *env, unsigned int api)
{
	long long huge;

	if (api == GUPBENCH_API_NOOP || env->buf.mem == GB_MEM_BASE)
		return 0;
	if (env->buf.mem == GB_MEM_HUGETLB)
		return NR_PAGES;
	huge = gb_smaps_anon_huge(env->buf.addr, env->buf.len);
	ASSERT_LE(0, huge)
		TH_LOG("reading AnonHugePages from /proc/self/smaps: %s",
		       strerror(errno));
	if (!huge)
		SKIP(return 0, "no THP in the buffer: smaps AnonHugePages is "
		     "0 kB for the 2 MiB aligned MADV_HUGEPAGE range "
		     "(memory fragmented, or defrag off)");
	return huge / GB_PAGE_SIZE;
}

/* A THP split or collapse during the ioctl would change the answer. */
static void thp_unchanged(struct __test_metadata *_metadata,
			  const struct gb_env *env, uint64_t large)
{
	long long huge;

	if (env->buf.mem != GB_MEM_THP)
		return;
	huge = gb_smaps_anon_huge(env->buf.addr, env->buf.len);
	if (huge >= 0 && (uint64_t)huge / GB_PAGE_SIZE != large)
		SKIP(return, "THP layout changed during the test (%llu -> "
		     "%lld huge pages): khugepaged or reclaim at work",
		     (unsigned long long)large, huge / (long long)GB_PAGE_SIZE);
}

static void expect_pins(struct __test_metadata *_metadata,
			const struct gb_pins *p0, const struct gb_pins *p1,
			int64_t acquired, int64_t released)
{
	EXPECT_EQ(acquired, p1->acquired - p0->acquired)
		TH_LOG("nr_foll_pin_acquired delta");
	EXPECT_EQ(released, p1->released - p0->released)
		TH_LOG("nr_foll_pin_released delta");
}

/*
 * LONGTERM may migrate pages out of movable zones and pin again: both
 * counters then move by more than the range, but must move together.
 */
static void expect_balanced(struct __test_metadata *_metadata,
			    const struct gb_pins *p0, const struct gb_pins *p1,
			    const struct gb_case *c)
{
	int64_t acq = p1->acquired - p0->acquired;
	int64_t rel = p1->released - p0->released;

	if (!gb_api_pins(c->api)) {
		expect_pins(_metadata, p0, p1, 0, 0);
		return;
	}
	if (!(c->flags & GUPBENCH_F_LONGTERM)) {
		expect_pins(_metadata, p0, p1, NR_PAGES, NR_PAGES);
		return;
	}
	EXPECT_EQ(acq, rel) TH_LOG("LONGTERM pins not balanced");
	EXPECT_LE((int64_t)NR_PAGES, acq);
	if (acq != (int64_t)NR_PAGES)
		TH_LOG("LONGTERM pinned %lld times for %lu pages (migration)",
		       (long long)acq, NR_PAGES);
}

static void expect_out_flags(struct __test_metadata *_metadata,
			     const struct gb_case *c, uint64_t out,
			     unsigned int release)
{
	bool outside = c->flags & GUPBENCH_F_LOCK_OUTSIDE;
	bool noop = c->api == GUPBENCH_API_NOOP;

	EXPECT_EQ(outside, !!(out & GUPBENCH_OUT_LOCK_OUTSIDE));
	EXPECT_EQ(!outside && gb_api_caller_locks(c->api),
		  !!(out & GUPBENCH_OUT_LOCK_IN_WINDOW));
	EXPECT_EQ(!outside && !noop && !gb_api_caller_locks(c->api),
		  !!(out & GUPBENCH_OUT_LOCK_BY_GUP));
	EXPECT_EQ(gb_api_pins(c->api), !!(out & GUPBENCH_OUT_PIN_CHECKED));
	EXPECT_EQ(release == GUPBENCH_RELEASE_EACH_BATCH,
		  !!(out & GUPBENCH_OUT_SUMMED_CALLS));
	/* one release call over the range only for AFTER_ALL */
	EXPECT_EQ(release == GUPBENCH_RELEASE_AFTER_ALL,
		  !!(out & GUPBENCH_OUT_RELEASE_WHOLE));
	EXPECT_EQ(release != GUPBENCH_RELEASE_AFTER_ALL,
		  !!(out & GUPBENCH_OUT_RELEASE_PER_CALL));
}

/*
 * A release per call is timed per call: the samples' put times are part of
 * the total.  One release over the range has no per-call time to give.
 */
static void expect_put_samples(struct __test_metadata *_metadata,
			       const struct gb_case *c,
			       const struct gupbench_run *run,
			       const struct gupbench_sample *s)
{
	uint64_t i, sum = 0;

	for (i = 0; i < run->samples_written; i++)
		sum += s[i].put_ns;
	if (run->release == GUPBENCH_RELEASE_AFTER_ALL) {
		EXPECT_EQ(0U, sum) TH_LOG("per-call put time of a whole release");
		return;
	}
	EXPECT_LE(sum, run->put_ns);
	if (c->api != GUPBENCH_API_NOOP)
		EXPECT_LT(0U, sum) TH_LOG("no per-call put time");
}

/* The per-call samples must add up to the run they came from. */
static void expect_samples(struct __test_metadata *_metadata,
			   const struct gupbench_sample *s, uint64_t n,
			   uint64_t batch)
{
	uint64_t i, sum = 0;

	for (i = 0; i < n; i++) {
		uint64_t want = NR_PAGES - sum < batch ? NR_PAGES - sum : batch;

		EXPECT_EQ(want, s[i].pages) TH_LOG("sample %llu",
						   (unsigned long long)i);
		EXPECT_EQ(0U, s[i].flags & GUPBENCH_SAMPLE_SHORT);
		sum += s[i].pages;
	}
	EXPECT_EQ(NR_PAGES, sum) TH_LOG("sum of sample pages");
}

/* RUN over the whole buffer with samples; *out gets the result. */
static void check_run(struct __test_metadata *_metadata,
		      const struct gb_env *env, const struct gb_case *c,
		      unsigned int release, struct gupbench_run *out)
{
	uint64_t calls = calls_for(c->batch);
	struct gupbench_sample *samples;
	struct gupbench_run run;
	struct gb_pins p0, p1;
	uint64_t large;
	int ret;

	large = expected_large(_metadata, env, c->api);
	if (_metadata->exit_code)
		return;
	samples = calloc(calls, sizeof(*samples));
	ASSERT_NE(NULL, samples);
	gb_run_init(&run, c->api, case_flags(c), env->buf.addr, env->buf.len,
		    c->batch);
	run.samples = (uintptr_t)samples;
	run.samples_cap = calls;
	run.release = release;

	ASSERT_EQ(0, gb_pins_read(&p0))
		TH_LOG("/proc/vmstat pin counters: %s", strerror(errno));
	ret = gb_ioctl(env->fd, GUPBENCH_IOC_RUN, &run);
	ASSERT_EQ(0, gb_pins_read(&p1));
	if (longterm_unsupported(env->fd, c)) {
		ASSERT_EQ(EINVAL, ret);
		expect_pins(_metadata, &p0, &p1, 0, 0);
		if (!_metadata->exit_code)
			SKIP(return, LONGTERM_UNLOCKED_SKIP);
		return;
	}
	ASSERT_EQ(0, ret) TH_LOG("RUN %s %s %s batch %llu: %s",
				 gb_api_name(c->api), gb_mem_name(c->mem),
				 c->write ? "write" : "read",
				 (unsigned long long)c->batch, strerror(ret));
	thp_unchanged(_metadata, env, large);
	if (_metadata->exit_code)
		return;

	EXPECT_EQ(NR_PAGES, run.pages_done);
	EXPECT_EQ(clamp_batch(c->batch), run.batch);
	EXPECT_EQ(calls, run.calls);
	EXPECT_EQ(0U, run.short_calls);
	EXPECT_EQ(large, run.large_folio_pages);
	EXPECT_EQ(0U, run.unpinned_pages);
	/* a long-term pin never leaves a page where it may not stay */
	EXPECT_EQ(0U, run.longterm_unpinnable);
	EXPECT_EQ(0U, run.fail_addr);
	expect_out_flags(_metadata, c, run.out_flags, release);
	EXPECT_EQ(calls, run.samples_written);
	expect_samples(_metadata, samples, run.samples_written,
		       clamp_batch(c->batch));
	expect_put_samples(_metadata, c, &run, samples);
	expect_balanced(_metadata, &p0, &p1, c);
	/* GUP must not have changed what userspace sees */
	EXPECT_EQ(0U, gb_bad_pages(env->buf.addr, env->buf.len, SEED_USER));
	free(samples);
	if (out)
		*out = run;
}

/*
 * HOLD the buffer, prove through CONTENT that the held pages are the
 * buffer's pages (VERIFY, CHECKSUM, and FILL seen by userspace for write
 * pins), UNHOLD, and check the pins came back.  A pinned hold is always
 * long-term: without FOLL_LONGTERM it is refused first, nothing pinned.
 * A plain-reference (get_*) hold is read-only: FILL is refused.
 */
static void check_content(struct __test_metadata *_metadata,
			  const struct gb_env *env, const struct gb_case *cc)
{
	int64_t pinned = gb_api_pins(cc->api) ? NR_PAGES : 0;
	struct gb_case hc = *cc, *c = &hc;
	struct gupbench_content ct;
	struct gupbench_run run;
	struct gb_pins p0, p1, p2;
	uint64_t large;
	int ret;

	large = expected_large(_metadata, env, c->api);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, gb_pins_read(&p0))
		TH_LOG("/proc/vmstat pin counters: %s", strerror(errno));
	if (gb_api_pins(c->api) && !(c->flags & GUPBENCH_F_LONGTERM)) {
		gb_run_init(&run, c->api, case_flags(c), env->buf.addr,
			    env->buf.len, c->batch);
		EXPECT_EQ(EINVAL, gb_ioctl(env->fd, GUPBENCH_IOC_HOLD, &run))
			TH_LOG("a short-term pin accepted as a hold");
		ASSERT_EQ(0, gb_pins_read(&p1));
		expect_pins(_metadata, &p0, &p1, 0, 0);
		c->flags |= GUPBENCH_F_LONGTERM;
	}
	gb_run_init(&run, c->api, case_flags(c), env->buf.addr, env->buf.len,
		    c->batch);
	ret = gb_ioctl(env->fd, GUPBENCH_IOC_HOLD, &run);
	ASSERT_EQ(0, gb_pins_read(&p1));
	if (longterm_unsupported(env->fd, c)) {
		ASSERT_EQ(EINVAL, ret);
		expect_pins(_metadata, &p0, &p1, 0, 0);
		if (!_metadata->exit_code)
			SKIP(return, LONGTERM_UNLOCKED_SKIP);
		return;
	}
	ASSERT_EQ(0, ret) TH_LOG("HOLD %s %s %s batch %llu: %s",
				 gb_api_name(c->api), gb_mem_name(c->mem),
				 c->write ? "write" : "read",
				 (unsigned long long)c->batch, strerror(ret));
	EXPECT_EQ(NR_PAGES, run.pages_done);
	EXPECT_EQ(calls_for(c->batch), run.calls);
	EXPECT_EQ(0U, run.short_calls);
	EXPECT_EQ(large, run.large_folio_pages);
	EXPECT_EQ(0U, run.unpinned_pages);
	EXPECT_EQ(gb_api_pins(c->api),
		  !!(run.out_flags & GUPBENCH_OUT_PIN_CHECKED));
	if (!(c->flags & GUPBENCH_F_LONGTERM))
		expect_pins(_metadata, &p0, &p1, pinned, 0);

	ASSERT_EQ(0, gb_content(env->fd, GUPBENCH_CONTENT_VERIFY, SEED_USER,
				&ct));
	EXPECT_EQ(0U, ct.bad_pages) TH_LOG("first bad byte at %llu",
					  (unsigned long long)ct.first_bad);
	EXPECT_EQ(NR_PAGES, ct.pages);
	ASSERT_EQ(0, gb_content(env->fd, GUPBENCH_CONTENT_CHECKSUM, 0, &ct));
	EXPECT_EQ(gb_checksum(env->buf.addr, env->buf.len), ct.checksum);

	if (c->write && gb_api_pins(c->api)) {
		ASSERT_EQ(0, gb_content(env->fd, GUPBENCH_CONTENT_FILL,
					SEED_KERNEL, &ct));
		EXPECT_EQ(NR_PAGES, ct.pages);
		EXPECT_EQ(0U, gb_bad_pages(env->buf.addr, env->buf.len,
					  SEED_KERNEL))
			TH_LOG("userspace does not see what the kernel wrote");
		ASSERT_EQ(0, gb_content(env->fd, GUPBENCH_CONTENT_CHECKSUM, 0,
					&ct));
		EXPECT_EQ(gb_checksum(env->buf.addr, env->buf.len),
			  ct.checksum);
	} else {
		EXPECT_EQ(EPERM, gb_content(env->fd, GUPBENCH_CONTENT_FILL,
					    SEED_KERNEL, &ct));
	}

	ASSERT_EQ(0, gb_ioctl(env->fd, GUPBENCH_IOC_UNHOLD, NULL));
	ASSERT_EQ(0, gb_pins_read(&p2));
	expect_balanced(_metadata, &p0, &p2, c);
	EXPECT_EQ(0U, gb_bad_pages(env->buf.addr, env->buf.len,
				  c->write && gb_api_pins(c->api) ?
				  SEED_KERNEL : SEED_USER));
}

/*
 * The variants, as nested X-macros: API list -> memory kinds -> read/write
 * -> batch sizes.  Each level passes the name parts and values down; the
 * last one adds the variant "<api>_<mem>_<rw>_b<batch>".
 */
#define GB_VARIANT(fix, an, av, mn, mv, rn, rv, bn, bv, fv)		\
	FIXTURE_VARIANT_ADD(fix, an##_##mn##_##rn##_##bn) {		\
		.c = { .api = av, .mem = mv, .write = rv, .batch = bv,	\
		       .flags = fv },					\
	};
#define GB_BATCHES(fix, an, av, mn, mv, rn, rv, fv)			\
	GB_VARIANT(fix, an, av, mn, mv, rn, rv, b1, 1, fv)		\
	GB_VARIANT(fix, an, av, mn, mv, rn, rv, b512, 512, fv)		\
	GB_VARIANT(fix, an, av, mn, mv, rn, rv, b123, 123, fv)		\
	GB_VARIANT(fix, an, av, mn, mv, rn, rv, ball, 0, fv)
#define GB_RWS(fix, an, av, mn, mv, fv)					\
	GB_BATCHES(fix, an, av, mn, mv, read, false, fv)		\
	GB_BATCHES(fix, an, av, mn, mv, write, true, fv)
#define GB_MEMS(fix, an, av, fv)					\
	GB_RWS(fix, an, av, base, GB_MEM_BASE, fv)			\
	GB_RWS(fix, an, av, thp, GB_MEM_THP, fv)			\
	GB_RWS(fix, an, av, hugetlb, GB_MEM_HUGETLB, fv)

#define GB_GET_APIS(X, fix, fv)						\
	X(fix, get_user_pages, GUPBENCH_API_GET_USER_PAGES, fv)		\
	X(fix, get_user_pages_fast, GUPBENCH_API_GET_USER_PAGES_FAST, fv) \
	X(fix, get_user_pages_unlocked,					\
	  GUPBENCH_API_GET_USER_PAGES_UNLOCKED, fv)			\
	X(fix, get_user_pages_remote, GUPBENCH_API_GET_USER_PAGES_REMOTE, fv)
#define GB_PIN_APIS(X, fix, fv)						\
	X(fix, pin_user_pages, GUPBENCH_API_PIN_USER_PAGES, fv)		\
	X(fix, pin_user_pages_fast, GUPBENCH_API_PIN_USER_PAGES_FAST, fv) \
	X(fix, pin_user_pages_unlocked,					\
	  GUPBENCH_API_PIN_USER_PAGES_UNLOCKED, fv)			\
	X(fix, pin_user_pages_remote, GUPBENCH_API_PIN_USER_PAGES_REMOTE, fv)

/* LONGTERM: one batch size is enough, the pinning path is what differs. */
#define GB_LT_RWS(fix, an, av, mn, mv, fv)				\
	GB_VARIANT(fix, an, av, mn, mv, read, false, b512, 512, fv)	\
	GB_VARIANT(fix, an, av, mn, mv, write, true, b512, 512, fv)
#define GB_LT_MEMS(fix, an, av, fv)					\
	GB_LT_RWS(fix, an, av, base, GB_MEM_BASE, fv)			\
	GB_LT_RWS(fix, an, av, thp, GB_MEM_THP, fv)			\
	GB_LT_RWS(fix, an, av, hugetlb, GB_MEM_HUGETLB, fv)

/* get_* (FOLL_GET) */
FIXTURE(gup) {
	struct gb_env env;
};

FIXTURE_VARIANT(gup) {
	struct gb_case c;
};

GB_GET_APIS(GB_MEMS, gup, 0)

FIXTURE_SETUP(gup)
{
	env_setup(_metadata, &self->env, variant->c.mem);
}

FIXTURE_TEARDOWN(gup)
{
	env_teardown(&self->env);
}

TEST_F(gup, run)
{
	check_run(_metadata, &self->env, &variant->c,
		  GUPBENCH_RELEASE_AFTER_ALL, NULL);
}

TEST_F(gup, content)
{
	check_content(_metadata, &self->env, &variant->c);
}

/* pin_* (FOLL_PIN) */
FIXTURE(pin) {
	struct gb_env env;
};

FIXTURE_VARIANT(pin) {
	struct gb_case c;
};

GB_PIN_APIS(GB_MEMS, pin, 0)

FIXTURE_SETUP(pin)
{
	env_setup(_metadata, &self->env, variant->c.mem);
}

FIXTURE_TEARDOWN(pin)
{
	env_teardown(&self->env);
}

TEST_F(pin, run)
{
	check_run(_metadata, &self->env, &variant->c,
		  GUPBENCH_RELEASE_AFTER_ALL, NULL);
}

TEST_F(pin, content)
{
	check_content(_metadata, &self->env, &variant->c);
}

/* pin_* with FOLL_LONGTERM */
FIXTURE(longterm) {
	struct gb_env env;
};

FIXTURE_VARIANT(longterm) {
	struct gb_case c;
};

GB_PIN_APIS(GB_LT_MEMS, longterm, GUPBENCH_F_LONGTERM)

FIXTURE_SETUP(longterm)
{
	env_setup(_metadata, &self->env, variant->c.mem);
}

FIXTURE_TEARDOWN(longterm)
{
	env_teardown(&self->env);
}

TEST_F(longterm, run)
{
	check_run(_metadata, &self->env, &variant->c,
		  GUPBENCH_RELEASE_AFTER_ALL, NULL);
}

TEST_F(longterm, content)
{
	check_content(_metadata, &self->env, &variant->c);
}

/*
 * The three release modes over one case: the same pages, calls and folio
 * counts; only EACH_BATCH says its totals are sums of the calls, only
 * AFTER_ALL released in one call (check_run checks the flags).
 */
static void check_release_orders(struct __test_metadata *_metadata,
				 const struct gb_env *env,
				 const struct gb_case *c)
{
	static const unsigned int modes[] = { GUPBENCH_RELEASE_EACH_BATCH,
					      GUPBENCH_RELEASE_PER_CALL };
	struct gupbench_run all, other;
	size_t i;

	check_run(_metadata, env, c, GUPBENCH_RELEASE_AFTER_ALL, &all);
	if (_metadata->exit_code)
		return;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		check_run(_metadata, env, c, modes[i], &other);
		if (_metadata->exit_code)
			return;
		EXPECT_EQ(all.pages_done, other.pages_done);
		EXPECT_EQ(all.calls, other.calls);
		EXPECT_EQ(all.short_calls, other.short_calls);
		EXPECT_EQ(all.large_folio_pages, other.large_folio_pages);
		EXPECT_EQ(all.unpinned_pages, other.unpinned_pages);
		EXPECT_EQ(0U, all.out_flags & GUPBENCH_OUT_SUMMED_CALLS);
	}
}

/* Modes over base pages, where every count is exact. */
FIXTURE(gup_modes) {
	struct gb_env env;
};

FIXTURE_SETUP(gup_modes)
{
	env_setup(_metadata, &self->env, GB_MEM_BASE);
}

FIXTURE_TEARDOWN(gup_modes)
{
	env_teardown(&self->env);
}

/* The timing loop alone: right counts, nothing taken. */
TEST_F(gup_modes, noop)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_NOOP, .mem = GB_MEM_BASE, .batch = 123,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(gup_modes, release_orders)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_GET_USER_PAGES_FAST, .mem = GB_MEM_BASE,
		.write = true, .batch = 123,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(gup_modes, lock_in_window)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_GET_USER_PAGES, .mem = GB_MEM_BASE,
		.batch = 123,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(gup_modes, lock_outside)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_GET_USER_PAGES_REMOTE, .mem = GB_MEM_BASE,
		.batch = 123, .flags = GUPBENCH_F_LOCK_OUTSIDE,
	};

	check_release_orders(_metadata, &self->env, &c);
}

/* Whether the module offers @flag on this kernel (caps.flags). */
static bool offers(int fd, uint64_t flag)
{
	struct gupbench_caps caps;

	return !gb_caps(fd, &caps) && (caps.flags & flag);
}

/* Whole pages of @p that are resident (mincore). */
static unsigned long resident(void *p, size_t len)
{
	unsigned char vec[NR_PAGES];
	unsigned long i, n = 0;

	if (len > BUF_LEN || mincore(p, len, vec))
		return ~0UL;
	for (i = 0; i < len / GB_PAGE_SIZE; i++)
		n += vec[i] & 1;
	return n;
}

/*
 * @api with @flags over a fresh anonymous range nothing ever touched: the
 * result, what was taken, and the pins must balance whatever it was.
 */
static int run_unpopulated(struct __test_metadata *_metadata, int fd,
			   unsigned int api, uint64_t flags,
			   struct gupbench_run *run, unsigned long *res)
{
	struct gb_pins p0, p1;
	char *p;
	int err;

	p = mmap(NULL, BUF_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, BUF_LEN, MADV_NOHUGEPAGE);
	gb_pins_read(&p0);
	gb_run_init(run, api, flags, p, BUF_LEN, 64);
	err = gb_ioctl(fd, GUPBENCH_IOC_RUN, run);
	gb_pins_read(&p1);
	EXPECT_EQ(p1.acquired - p0.acquired, p1.released - p0.released)
		TH_LOG("pins not balanced");
	*res = resident(p, BUF_LEN);
	if (err)
		EXPECT_EQ((uintptr_t)p, run->fail_addr);
	munmap(p, BUF_LEN);
	return err;
}

/*
 * get_user_pages_fast_only(): the lockless walk and nothing else.  Over
 * mapped pages it takes them all; over pages never touched it cannot take
 * the first, so the range ends there with EFAULT, nothing taken, nothing
 * faulted in.  Only for get_user_pages_fast.
 */
TEST_F(gup_modes, fast_only)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_GET_USER_PAGES_FAST, .mem = GB_MEM_BASE,
		.batch = 123, .flags = GUPBENCH_F_FAST_ONLY,
	};
	struct gupbench_run run;
	unsigned long res;

	if (!offers(self->env.fd, GUPBENCH_F_FAST_ONLY))
		SKIP(return, "no get_user_pages_fast_only() in this kernel");
	check_release_orders(_metadata, &self->env, &c);
	EXPECT_EQ(EFAULT, run_unpopulated(_metadata, self->env.fd, c.api,
					  c.flags, &run, &res));
	EXPECT_EQ(0U, run.pages_done);
	EXPECT_EQ(0UL, res) TH_LOG("fast_only faulted pages in");
	gb_run_init(&run, GUPBENCH_API_GET_USER_PAGES, GUPBENCH_F_FAST_ONLY,
		    self->env.buf.addr, self->env.buf.len, 0);
	EXPECT_EQ(EINVAL, gb_ioctl(self->env.fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("FAST_ONLY accepted by get_user_pages");
}

/* FOLL_NOFAULT: mapped pages are taken, unmapped ones never faulted in. */
static void check_nofault(struct __test_metadata *_metadata,
			  const struct gb_env *env, unsigned int api)
{
	const struct gb_case c = {
		.api = api, .mem = GB_MEM_BASE, .batch = 123,
		.flags = GUPBENCH_F_NOFAULT,
	};
	struct gupbench_run run;
	unsigned long res;

	if (!offers(env->fd, GUPBENCH_F_NOFAULT))
		SKIP(return, "no FOLL_NOFAULT in this kernel");
	check_release_orders(_metadata, env, &c);
	EXPECT_EQ(EFAULT, run_unpopulated(_metadata, env->fd, api, c.flags,
					  &run, &res));
	EXPECT_EQ(0U, run.pages_done);
	EXPECT_EQ(0UL, res) TH_LOG("FOLL_NOFAULT faulted pages in");
}

TEST_F(gup_modes, nofault)
{
	check_nofault(_metadata, &self->env, GUPBENCH_API_GET_USER_PAGES);
}

TEST_F(gup_modes, nofault_fast)
{
	check_nofault(_metadata, &self->env,
		      GUPBENCH_API_GET_USER_PAGES_FAST);
}

FIXTURE(pin_modes) {
	struct gb_env env;
};

FIXTURE_SETUP(pin_modes)
{
	env_setup(_metadata, &self->env, GB_MEM_BASE);
}

FIXTURE_TEARDOWN(pin_modes)
{
	env_teardown(&self->env);
}

TEST_F(pin_modes, release_orders)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES_FAST, .mem = GB_MEM_BASE,
		.write = true, .batch = 123,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(pin_modes, lock_in_window)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES, .mem = GB_MEM_BASE,
		.batch = 123,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(pin_modes, lock_outside)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES, .mem = GB_MEM_BASE,
		.batch = 123, .flags = GUPBENCH_F_LOCK_OUTSIDE,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(pin_modes, lock_outside_remote)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES_REMOTE, .mem = GB_MEM_BASE,
		.write = true, .batch = 512, .flags = GUPBENCH_F_LOCK_OUTSIDE,
	};

	check_release_orders(_metadata, &self->env, &c);
}

TEST_F(pin_modes, nofault_unlocked)
{
	check_nofault(_metadata, &self->env,
		      GUPBENCH_API_PIN_USER_PAGES_UNLOCKED);
}

/*
 * pin_user_pages_remote() with a `locked` pointer, as process_vm_rw calls
 * it: the same counts over mapped pages; over untouched ones GUP faults
 * them in (and may drop mmap_lock to retry) and still takes them all.
 * Not with the lock taken outside: nobody could retake it.
 */
TEST_F(pin_modes, remote_locked)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES_REMOTE, .mem = GB_MEM_BASE,
		.write = true, .batch = 123, .flags = GUPBENCH_F_REMOTE_LOCKED,
	};
	struct gupbench_run run;
	unsigned long res;

	check_release_orders(_metadata, &self->env, &c);
	EXPECT_EQ(0, run_unpopulated(_metadata, self->env.fd, c.api,
				     GUPBENCH_F_WRITE | c.flags, &run, &res));
	EXPECT_EQ(NR_PAGES, run.pages_done);
	EXPECT_EQ(NR_PAGES, res);
	if (run.out_flags & GUPBENCH_OUT_LOCK_DROPPED)
		TH_LOG("GUP came back with mmap_lock dropped");
	gb_run_init(&run, c.api, c.flags | GUPBENCH_F_LOCK_OUTSIDE,
		    self->env.buf.addr, self->env.buf.len, 0);
	EXPECT_EQ(EINVAL, gb_ioctl(self->env.fd, GUPBENCH_IOC_RUN, &run));
	/*
	 * Long-term with `locked`: 6.3+ takes it; before, the kernel WARNs
	 * on the pair, so the module refuses it up front (the same rework
	 * as pin_user_pages_unlocked's FOLL_LONGTERM, in caps).
	 */
	gb_run_init(&run, c.api, c.flags | GUPBENCH_F_LONGTERM |
		    GUPBENCH_F_WRITE, self->env.buf.addr, self->env.buf.len, 0);
	EXPECT_EQ(longterm_unsupported(self->env.fd, &(struct gb_case){
			.api = GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
			.flags = GUPBENCH_F_LONGTERM }) ? EINVAL : 0,
		  gb_ioctl(self->env.fd, GUPBENCH_IOC_RUN, &run));
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, c.flags,
		    self->env.buf.addr, self->env.buf.len, 0);
	EXPECT_EQ(EINVAL, gb_ioctl(self->env.fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("REMOTE_LOCKED accepted by pin_user_pages");
}

/* unpin_user_pages_dirty_lock(): same counts, and a held FILL sticks. */
TEST_F(pin_modes, unpin_dirty)
{
	const struct gb_case c = {
		.api = GUPBENCH_API_PIN_USER_PAGES_FAST, .mem = GB_MEM_BASE,
		.write = true, .batch = 512, .flags = GUPBENCH_F_UNPIN_DIRTY,
	};

	check_release_orders(_metadata, &self->env, &c);
	if (_metadata->exit_code)
		return;
	check_content(_metadata, &self->env, &c);
}

TEST_HARNESS_MAIN
