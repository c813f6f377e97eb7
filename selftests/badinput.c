// SPDX-License-Identifier: GPL-2.0
/*
 * Every input the module must refuse, with the exact errno, and proof from
 * /proc/vmstat that nothing stayed pinned: a request refused by validation
 * moves neither pin counter, one that failed half way released everything
 * it had taken.  Also the struct size rules of all three ABI structs, the
 * unknown ioctl, and a process killed in the middle of a long pin.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"

/* Long-term, as every pinned HOLD must be, so RUN and HOLD take the same */
#define PIN_FAST	GUPBENCH_API_PIN_USER_PAGES_FAST
#define LONGTERM	GUPBENCH_F_LONGTERM

#define NR		16UL
#define LEN		(NR * GB_PAGE_SIZE)
#define SEED		0xbad1a90007ULL

#define MAX_LEN_PARAM	"/sys/module/gupbench/parameters/max_len"

#define FOR_EACH_API(i)	for (i = 0; i < GB_NR_GUP_APIS; i++)

FIXTURE(badinput) {
	int fd;
	struct gb_buf buf;	/* NR base pages, filled */
	struct gb_pins p0;	/* the counters when setup ended */
};

FIXTURE_SETUP(badinput)
{
	char why[256];

	self->fd = gb_open();
	if (self->fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));
	ASSERT_EQ(0, gb_buf_map(&self->buf, GB_MEM_BASE, LEN, why,
				sizeof(why)));
	gb_fill(self->buf.addr, LEN, SEED);
	ASSERT_EQ(0, gb_pins_read(&self->p0))
		TH_LOG("/proc/vmstat pin counters: %s", strerror(errno));
}

FIXTURE_TEARDOWN(badinput)
{
	gb_buf_unmap(&self->buf);
	if (self->fd >= 0)
		close(self->fd);
}

/* A refused request must not have moved either counter since setup. */
static void expect_untouched(struct __test_metadata *_metadata,
			     const struct gb_pins *p0)
{
	struct gb_pins p1;

	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(0, p1.acquired - p0->acquired)
		TH_LOG("nr_foll_pin_acquired moved");
	EXPECT_EQ(0, p1.released - p0->released)
		TH_LOG("nr_foll_pin_released moved");
}

/* Everything taken since @p0 was given back; @acquired pins were taken. */
static void expect_balanced(struct __test_metadata *_metadata,
			    const struct gb_pins *p0, int64_t acquired)
{
	struct gb_pins p1;

	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(acquired, p1.acquired - p0->acquired)
		TH_LOG("nr_foll_pin_acquired delta");
	EXPECT_EQ(acquired, p1.released - p0->released)
		TH_LOG("nr_foll_pin_released delta");
}

/* RUN and HOLD of @run (a copy each) both fail with @err. */
static void expect_refused(struct __test_metadata *_metadata, int fd,
			   const struct gupbench_run *run, int err,
			   const char *what)
{
	struct gupbench_run r = *run;

	EXPECT_EQ(err, gb_ioctl(fd, GUPBENCH_IOC_RUN, &r))
		TH_LOG("RUN %s (%s)", what, gb_api_name(run->api));
	/* a pinned hold is long-term; where the API cannot be, EINVAL */
	r = *run;
	r.flags = gb_hold_flags(r.api, r.flags);
	EXPECT_EQ(gb_hold_unsupported(fd, r.api) ? EINVAL : err,
		  gb_ioctl(fd, GUPBENCH_IOC_HOLD, &r))
		TH_LOG("HOLD %s (%s)", what, gb_api_name(run->api));
	EXPECT_EQ(ENOENT, gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL))
		TH_LOG("a refused HOLD left a hold behind");
}

TEST_F(badinput, unknown_api)
{
	const uint32_t apis[] = { GUPBENCH_API_COUNT, GUPBENCH_API_COUNT + 1,
				  1000, UINT32_MAX };
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(apis) / sizeof(apis[0]); i++) {
		gb_run_init(&run, apis[i], 0, self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "unknown api");
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, unknown_flags)
{
	struct gupbench_run run;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		uint64_t flag = 1ULL << bit;

		if (flag & GUPBENCH_F_ALL)
			continue;
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, flag,
			    self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "unknown flag bit");
		gb_run_init(&run, GUPBENCH_API_GET_USER_PAGES_FAST, flag,
			    self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "unknown flag bit");
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, reserved_nonzero)
{
	const uint32_t vals[] = { 1, 0x80000000u, UINT32_MAX };
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM,
			    self->buf.addr, LEN, 0);
		run.__reserved = vals[i];
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "__reserved != 0");
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, bad_release)
{
	const uint32_t vals[] = { GUPBENCH_RELEASE_COUNT, 1000, UINT32_MAX };
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM,
			    self->buf.addr, LEN, 0);
		run.release = vals[i];
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("release %u", vals[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

/* FOLL_LONGTERM and the dirtying unpin only exist for pins. */
TEST_F(badinput, pin_flags_on_get)
{
	struct gupbench_run run;
	unsigned int i;

	FOR_EACH_API(i) {
		if (gb_api_pins(gb_gup_apis[i]))
			continue;
		gb_run_init(&run, gb_gup_apis[i], GUPBENCH_F_LONGTERM,
			    self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL, "LONGTERM");
		gb_run_init(&run, gb_gup_apis[i],
			    GUPBENCH_F_WRITE | GUPBENCH_F_UNPIN_DIRTY,
			    self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "UNPIN_DIRTY");
	}
	gb_run_init(&run, GUPBENCH_API_NOOP, GUPBENCH_F_UNPIN_DIRTY,
		    self->buf.addr, LEN, 0);
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	expect_untouched(_metadata, &self->p0);
}

/*
 * Dirtying on release what was pinned for reading would mark page-cache
 * folios or the shared zero page dirty: UNPIN_DIRTY needs WRITE.
 */
TEST_F(badinput, unpin_dirty_needs_write)
{
	struct gupbench_run run;
	unsigned int i;

	FOR_EACH_API(i) {
		if (!gb_api_pins(gb_gup_apis[i]))
			continue;
		gb_run_init(&run, gb_gup_apis[i], GUPBENCH_F_UNPIN_DIRTY,
			    self->buf.addr, LEN, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "UNPIN_DIRTY without WRITE");
		gb_run_init(&run, gb_gup_apis[i],
			    gb_hold_flags(gb_gup_apis[i], GUPBENCH_F_UNPIN_DIRTY),
			    self->buf.addr, LEN, 0);
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run));
	}
	expect_untouched(_metadata, &self->p0);
}

/* Only the APIs whose caller holds mmap_lock can have it taken outside. */
TEST_F(badinput, lock_outside_not_allowed)
{
	const unsigned int apis[] = {
		GUPBENCH_API_NOOP,
		GUPBENCH_API_GET_USER_PAGES_FAST,
		GUPBENCH_API_GET_USER_PAGES_UNLOCKED,
		GUPBENCH_API_PIN_USER_PAGES_FAST,
		GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
	};
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(apis) / sizeof(apis[0]); i++) {
		gb_run_init(&run, apis[i], GUPBENCH_F_LOCK_OUTSIDE,
			    self->buf.addr, LEN, 0);
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("%s", gb_api_name(apis[i]));
	}
	expect_untouched(_metadata, &self->p0);
}

/* The control for the test above: the other four accept it. */
TEST_F(badinput, lock_outside_accepted)
{
	struct gupbench_run run;
	int64_t pinned = 0;
	unsigned int i;

	FOR_EACH_API(i) {
		unsigned int api = gb_gup_apis[i];

		if (api == GUPBENCH_API_GET_USER_PAGES_FAST ||
		    api == GUPBENCH_API_GET_USER_PAGES_UNLOCKED ||
		    api == GUPBENCH_API_PIN_USER_PAGES_FAST ||
		    api == GUPBENCH_API_PIN_USER_PAGES_UNLOCKED)
			continue;
		gb_run_init(&run, api, GUPBENCH_F_LOCK_OUTSIDE,
			    self->buf.addr, LEN, 0);
		EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("%s", gb_api_name(api));
		EXPECT_NE(0U, run.out_flags & GUPBENCH_OUT_LOCK_OUTSIDE);
		if (gb_api_pins(api))
			pinned += NR;
	}
	expect_balanced(_metadata, &self->p0, pinned);
}

/* A size field @size over a zeroed 2-page area with @ioctl's struct. */
struct sized_arg {
	char *mem;		/* 2 pages, zeroed */
	size_t len;
};

static void sized_arg_init(struct __test_metadata *_metadata,
			   struct sized_arg *a)
{
	a->len = 2 * GB_PAGE_SIZE;
	a->mem = mmap(NULL, a->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a->mem);
}

static void sized_run(struct sized_arg *a, const struct gupbench_run *run,
		      uint32_t size)
{
	memset(a->mem, 0, a->len);
	memcpy(a->mem, run, sizeof(*run));
	((struct gupbench_run *)a->mem)->size = size;
}

TEST_F(badinput, run_size_too_small)
{
	const uint32_t sizes[] = { 0, 4, GUPBENCH_RUN_SIZE_VER0 - 8,
				   GUPBENCH_RUN_SIZE_VER0 - 1 };
	struct gupbench_run run;
	struct sized_arg a;
	unsigned int i;

	sized_arg_init(_metadata, &a);
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sized_run(&a, &run, sizes[i]);
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, a.mem))
			TH_LOG("size %u", sizes[i]);
		sized_run(&a, &run, sizes[i]);
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, a.mem))
			TH_LOG("size %u", sizes[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

/* A newer caller's bigger struct with a zero tail is fine. */
TEST_F(badinput, run_size_larger_zero_tail)
{
	const uint32_t sizes[] = { sizeof(struct gupbench_run) + 8,
				   sizeof(struct gupbench_run) + 1,
				   GB_PAGE_SIZE };
	struct gupbench_run run, *out;
	struct sized_arg a;
	unsigned int i;
	size_t j;

	sized_arg_init(_metadata, &a);
	out = (struct gupbench_run *)a.mem;
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sized_run(&a, &run, sizes[i]);
		EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, a.mem))
			TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(NR, out->pages_done);
		EXPECT_EQ(sizes[i], out->size);
		/* the module writes back only what it knows */
		for (j = sizeof(run); j < a.len; j++)
			if (a.mem[j])
				break;
		EXPECT_EQ(a.len, j) TH_LOG("tail written at byte %zu", j);
	}
	expect_balanced(_metadata, &self->p0, 3 * NR);
}

TEST_F(badinput, run_size_larger_nonzero_tail)
{
	const size_t at[] = { sizeof(struct gupbench_run),
			      sizeof(struct gupbench_run) + 7,
			      GB_PAGE_SIZE - 1 };
	struct gupbench_run run;
	struct sized_arg a;
	unsigned int i;

	sized_arg_init(_metadata, &a);
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 0);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sized_run(&a, &run, GB_PAGE_SIZE);
		a.mem[at[i]] = 1;
		EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, a.mem))
			TH_LOG("non-zero byte at %zu", at[i]);
		sized_run(&a, &run, GB_PAGE_SIZE);
		a.mem[at[i]] = 1;
		EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, a.mem))
			TH_LOG("non-zero byte at %zu", at[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, run_size_too_large)
{
	const uint32_t sizes[] = { GB_PAGE_SIZE + 1, 2 * GB_PAGE_SIZE,
				   UINT32_MAX };
	struct gupbench_run run;
	struct sized_arg a;
	unsigned int i;

	sized_arg_init(_metadata, &a);
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sized_run(&a, &run, sizes[i]);
		EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, a.mem))
			TH_LOG("size %u", sizes[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, bad_range)
{
	const struct {
		uint64_t addr, len;
		const char *what;
	} bad[] = {
		{ 0, 0, "len 0" },
		{ 1, 0, "len 0" },
		{ 1, LEN, "addr + 1" },
		{ GB_PAGE_SIZE / 2, LEN, "addr + 2048" },
		{ 0, LEN - 1, "len not page aligned" },
		{ 0, GB_PAGE_SIZE + 1, "len not page aligned" },
		{ 0, 1, "len 1" },
	};
	uintptr_t base = (uintptr_t)self->buf.addr;
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM,
			    (void *)(base + bad[i].addr), bad[i].len, 0);
		expect_refused(_metadata, self->fd, &run, EINVAL, bad[i].what);
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, range_overflow)
{
	const struct {
		uint64_t addr, len;
	} bad[] = {
		{ 0xfffffffffffff000ULL, 2 * GB_PAGE_SIZE },
		{ 0xffffffffffff0000ULL, 0x10000 },
		{ 0xffffffff80000000ULL, 0x80001000ULL },
	};
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM, NULL,
			    bad[i].len, 0);
		run.addr = bad[i].addr;
		expect_refused(_metadata, self->fd, &run, EINVAL,
			       "addr + len wraps");
	}
	expect_untouched(_metadata, &self->p0);
}

/* max_len from the module parameter and from CAPS agree, and binds. */
TEST_F(badinput, len_above_max_len)
{
	struct gupbench_caps caps;
	struct gupbench_run run;
	uint64_t param, over;

	ASSERT_EQ(0, gb_caps(self->fd, &caps));
	ASSERT_EQ(0, gb_read_u64(MAX_LEN_PARAM, &param))
		TH_LOG("reading %s: %s", MAX_LEN_PARAM, strerror(errno));
	EXPECT_EQ(param, caps.max_len);
	over = (caps.max_len / GB_PAGE_SIZE + 1) * GB_PAGE_SIZE;
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, 0, 0);
	run.len = over;
	expect_refused(_metadata, self->fd, &run, EINVAL, "len > max_len");
	run.len = UINT64_MAX & ~(GB_PAGE_SIZE - 1);
	run.addr = GB_PAGE_SIZE;
	expect_refused(_metadata, self->fd, &run, EINVAL, "len huge");
	expect_untouched(_metadata, &self->p0);
}

/* A batch beyond the range is no error: it is clamped and reported. */
TEST_F(badinput, batch_clamped)
{
	const uint64_t batches[] = { NR + 1, NR * 100, UINT64_MAX };
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM,
			    self->buf.addr, LEN, batches[i]);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_EQ(NR, run.batch);
		EXPECT_EQ(1U, run.calls);
		EXPECT_EQ(NR, run.pages_done);

		gb_run_init(&run, PIN_FAST, LONGTERM,
			    self->buf.addr, LEN, batches[i]);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run));
		EXPECT_EQ(NR, run.batch);
		EXPECT_EQ(NR, run.pages_done);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL));
	}
	expect_balanced(_metadata, &self->p0, 6 * NR);
}

/* A range nothing of which can be taken: EFAULT, nothing taken. */
static void expect_efault_all(struct __test_metadata *_metadata, int fd,
			      uint64_t addr, uint64_t len, uint64_t flags,
			      const char *what)
{
	struct gupbench_run run;
	unsigned int i;

	FOR_EACH_API(i) {
		gb_run_init(&run, gb_gup_apis[i], flags, NULL, len, 0);
		run.addr = addr;
		expect_refused(_metadata, fd, &run, EFAULT, what);
		gb_run_init(&run, gb_gup_apis[i], flags, NULL, len, 0);
		run.addr = addr;
		gb_ioctl(fd, GUPBENCH_IOC_RUN, &run);
		EXPECT_EQ(0U, run.pages_done) TH_LOG("%s", what);
	}
}

TEST_F(badinput, unmapped)
{
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p, LEN));
	expect_efault_all(_metadata, self->fd, (uintptr_t)p, LEN, 0,
			  "unmapped range");
	expect_efault_all(_metadata, self->fd, (uintptr_t)p, LEN,
			  GUPBENCH_F_WRITE, "unmapped range, write");
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, prot_none)
{
	char *p = mmap(NULL, LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	expect_efault_all(_metadata, self->fd, (uintptr_t)p, LEN, 0,
			  "PROT_NONE");
	expect_efault_all(_metadata, self->fd, (uintptr_t)p, LEN,
			  GUPBENCH_F_WRITE, "PROT_NONE, write");
	munmap(p, LEN);
	expect_untouched(_metadata, &self->p0);
}

/* Kernel and non-canonical addresses fail access_ok(), noop included. */
TEST_F(badinput, kernel_address)
{
	const uint64_t addrs[] = {
		0xffffffff81000000ULL,	/* kernel text */
		0xffff888000000000ULL,	/* direct map */
		0x00007ffffffff000ULL,	/* the page just below TASK_SIZE */
		0x0000800000000000ULL,	/* first non-canonical (4-level) */
		0x8000000000000000ULL,
	};
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		expect_efault_all(_metadata, self->fd, addrs[i], GB_PAGE_SIZE,
				  0, "kernel/non-canonical address");
		gb_run_init(&run, GUPBENCH_API_NOOP, 0, NULL, GB_PAGE_SIZE, 0);
		run.addr = addrs[i];
		EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("noop at 0x%llx", (unsigned long long)addrs[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

/* FOLL_WRITE on a read-only mapping fails; reading it works. */
TEST_F(badinput, write_to_readonly)
{
	struct gupbench_run run;
	int64_t pinned = 0;
	unsigned int i;

	ASSERT_EQ(0, mprotect(self->buf.addr, LEN, PROT_READ));
	expect_efault_all(_metadata, self->fd, (uintptr_t)self->buf.addr, LEN,
			  GUPBENCH_F_WRITE, "WRITE on PROT_READ");
	expect_untouched(_metadata, &self->p0);

	FOR_EACH_API(i) {
		gb_run_init(&run, gb_gup_apis[i], 0, self->buf.addr, LEN, 0);
		EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("read of PROT_READ, %s",
			       gb_api_name(gb_gup_apis[i]));
		if (gb_api_pins(gb_gup_apis[i]))
			pinned += NR;
	}
	expect_balanced(_metadata, &self->p0, pinned);
}

/*
 * The first half is mapped, the second is a hole: the calls take the first
 * half, the call at the hole fails, and everything taken goes back.  The
 * outputs still say how far it got.
 */
TEST_F(badinput, half_mapped)
{
	const uint64_t batches[] = { 0, 1, 3 };
	const unsigned int releases[] = { GUPBENCH_RELEASE_AFTER_ALL,
					  GUPBENCH_RELEASE_EACH_BATCH,
					  GUPBENCH_RELEASE_PER_CALL };
	struct gupbench_run run;
	unsigned int i, j, k;
	int err;
	uintptr_t hole;
	char *p;

	p = mmap(NULL, 2 * LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	gb_fill(p, LEN, SEED);
	hole = (uintptr_t)p + LEN;
	ASSERT_EQ(0, munmap((void *)hole, LEN));

	FOR_EACH_API(i) {
		unsigned int api = gb_gup_apis[i];
		int64_t pins = gb_api_pins(api) ? NR : 0;

		for (j = 0; j < sizeof(batches) / sizeof(batches[0]); j++) {
			for (k = 0; k < sizeof(releases) / sizeof(releases[0]); k++) {
				struct gb_pins p0;

				ASSERT_EQ(0, gb_pins_read(&p0));
				gb_run_init(&run, api, GUPBENCH_F_WRITE, p,
					    2 * LEN, batches[j]);
				run.release = releases[k];
				EXPECT_EQ(EFAULT, gb_ioctl(self->fd,
							   GUPBENCH_IOC_RUN,
							   &run))
					TH_LOG("%s batch %llu release %u",
					       gb_api_name(api),
					       (unsigned long long)batches[j],
					       releases[k]);
				EXPECT_EQ(NR, run.pages_done);
				EXPECT_EQ(hole, run.fail_addr);
				expect_balanced(_metadata, &p0, pins);
			}
		}

		{
			struct gb_pins p0;

			ASSERT_EQ(0, gb_pins_read(&p0));
			gb_run_init(&run, api,
				    gb_hold_flags(api, GUPBENCH_F_WRITE), p,
				    2 * LEN, 0);
			err = gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run);
			if (gb_hold_unsupported(self->fd, api)) {
				EXPECT_EQ(EINVAL, err);	/* nothing taken */
				run.pages_done = 0;
			} else {
				EXPECT_EQ(EFAULT, err)
					TH_LOG("HOLD %s", gb_api_name(api));
				EXPECT_EQ(NR, run.pages_done);
				EXPECT_EQ(hole, run.fail_addr);
			}
			EXPECT_EQ(ENOENT, gb_ioctl(self->fd,
						   GUPBENCH_IOC_UNHOLD, NULL))
				TH_LOG("a failed HOLD kept a hold");
			expect_balanced(_metadata, &p0,
					run.pages_done ? pins : 0);
		}
	}
	munmap(p, LEN);
}

/* A bad samples pointer is found before anything is taken. */
TEST_F(badinput, samples_bad_pointer)
{
	struct gupbench_run run;
	char *ro, *gone;

	ro = mmap(NULL, GB_PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	gone = mmap(NULL, GB_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, munmap(gone, GB_PAGE_SIZE));

	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, self->buf.addr,
		    LEN, 1);
	run.samples = (uintptr_t)gone;
	run.samples_cap = NR;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("samples unmapped");

	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, self->buf.addr,
		    LEN, 1);
	run.samples = (uintptr_t)ro;
	run.samples_cap = NR;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("samples read-only");

	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, self->buf.addr,
		    LEN, 1);
	run.samples = 0;
	run.samples_cap = 1;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("samples NULL with samples_cap 1");

	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, self->buf.addr,
		    LEN, 1);
	run.samples = 0xffffffff81000000ULL;
	run.samples_cap = NR;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("samples at a kernel address");
	munmap(ro, GB_PAGE_SIZE);
	expect_untouched(_metadata, &self->p0);
}

/* Fewer sample slots than calls: the first ones are filled, no more. */
TEST_F(badinput, samples_cap_short)
{
	struct gupbench_sample s[4];
	struct gupbench_run run;

	memset(s, 0xa5, sizeof(s));
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, self->buf.addr,
		    LEN, 1);
	run.samples = (uintptr_t)s;
	run.samples_cap = 2;
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(NR, run.calls);
	EXPECT_EQ(2U, run.samples_written);
	EXPECT_EQ(1U, s[0].pages);
	EXPECT_EQ(1U, s[1].pages);
	EXPECT_EQ(0xa5a5a5a5U, s[2].pages) TH_LOG("wrote beyond samples_cap");
	expect_balanced(_metadata, &self->p0, NR);
}

/* HOLD keeps pages, it does not time or release them: no such options. */
TEST_F(badinput, hold_options)
{
	struct gupbench_sample s[NR];
	struct gupbench_run run;

	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 1);
	run.samples = (uintptr_t)s;
	run.samples_cap = NR;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run))
		TH_LOG("HOLD with samples");

	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 1);
	run.samples_cap = NR;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run))
		TH_LOG("HOLD with samples_cap");

	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 1);
	run.release = GUPBENCH_RELEASE_EACH_BATCH;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run))
		TH_LOG("HOLD with release");

	gb_run_init(&run, GUPBENCH_API_NOOP, 0, self->buf.addr, LEN, 1);
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run))
		TH_LOG("HOLD with noop");

	EXPECT_EQ(ENOENT, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL));
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, unknown_ioctl)
{
	const unsigned long cmds[] = {
		_IO(GUPBENCH_IOC_MAGIC, 0x05),
		_IO(GUPBENCH_IOC_MAGIC, 0xff),
		/* RUN's number with another size or direction is another command */
		_IOWR(GUPBENCH_IOC_MAGIC, 0x01, struct gupbench_run),
		_IO(GUPBENCH_IOC_MAGIC, 0x01),
		/* ABI 1's RUN */
		_IO(GUPBENCH_IOC_ABI1_MAGIC, 0x01),
		_IO('H', 0x01),
		0,
	};
	struct gupbench_run run;
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		gb_run_init(&run, PIN_FAST, LONGTERM,
			    self->buf.addr, LEN, 0);
		EXPECT_EQ(ENOTTY, gb_ioctl(self->fd, cmds[i], &run))
			TH_LOG("cmd 0x%lx", cmds[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

TEST_F(badinput, bad_arg_pointer)
{
	const unsigned long cmds[] = {
		GUPBENCH_IOC_CAPS, GUPBENCH_IOC_RUN, GUPBENCH_IOC_HOLD,
		GUPBENCH_IOC_CONTENT,
	};
	void *kernel = (void *)0xffffffff81000000ULL;
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(EFAULT, gb_ioctl(self->fd, cmds[i], NULL))
			TH_LOG("cmd 0x%lx with NULL", cmds[i]);
		EXPECT_EQ(EFAULT, gb_ioctl(self->fd, cmds[i], kernel))
			TH_LOG("cmd 0x%lx with a kernel pointer", cmds[i]);
	}
	expect_untouched(_metadata, &self->p0);
}

/* The size rules again, for CAPS. */
TEST_F(badinput, caps_size)
{
	const uint32_t small[] = { 0, 4, GUPBENCH_CAPS_SIZE_VER0 - 1 };
	const uint32_t big[] = { GB_PAGE_SIZE + 1, UINT32_MAX };
	struct gupbench_caps *caps;
	struct sized_arg a;
	unsigned int i;

	sized_arg_init(_metadata, &a);
	caps = (struct gupbench_caps *)a.mem;
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		memset(a.mem, 0, a.len);
		caps->size = small[i];
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, caps))
			TH_LOG("size %u", small[i]);
	}
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		memset(a.mem, 0, a.len);
		caps->size = big[i];
		EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, caps))
			TH_LOG("size %u", big[i]);
	}
	memset(a.mem, 0, a.len);
	caps->size = GB_PAGE_SIZE;
	a.mem[GB_PAGE_SIZE - 1] = 1;
	EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, caps));

	memset(a.mem, 0, a.len);
	caps->size = sizeof(*caps) + 8;
	EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, caps));
	EXPECT_EQ((__u32)GUPBENCH_ABI_VERSION, caps->abi_version);
	EXPECT_EQ(0, a.mem[sizeof(*caps)]) TH_LOG("tail written");
}

/* The size rules again, for CONTENT, on a held range. */
TEST_F(badinput, content_size)
{
	const uint32_t small[] = { 0, 4, GUPBENCH_CONTENT_SIZE_VER0 - 1 };
	const uint32_t big[] = { GB_PAGE_SIZE + 1, UINT32_MAX };
	struct gupbench_content *c;
	struct gupbench_run run;
	struct sized_arg a;
	unsigned int i;

	sized_arg_init(_metadata, &a);
	c = (struct gupbench_content *)a.mem;
	gb_run_init(&run, PIN_FAST, LONGTERM,
		    self->buf.addr, LEN, 0);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run));

	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		memset(a.mem, 0, a.len);
		c->size = small[i];
		c->op = GUPBENCH_CONTENT_VERIFY;
		EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_CONTENT, c))
			TH_LOG("size %u", small[i]);
	}
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		memset(a.mem, 0, a.len);
		c->size = big[i];
		c->op = GUPBENCH_CONTENT_VERIFY;
		EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_CONTENT, c))
			TH_LOG("size %u", big[i]);
	}
	memset(a.mem, 0, a.len);
	c->size = GB_PAGE_SIZE;
	c->op = GUPBENCH_CONTENT_VERIFY;
	a.mem[sizeof(*c) + 3] = 1;
	EXPECT_EQ(E2BIG, gb_ioctl(self->fd, GUPBENCH_IOC_CONTENT, c));

	memset(a.mem, 0, a.len);
	c->size = sizeof(*c) + 8;
	c->op = GUPBENCH_CONTENT_VERIFY;
	c->seed = SEED;
	EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_CONTENT, c));
	EXPECT_EQ(NR, c->pages);
	EXPECT_EQ(0U, c->bad_pages);
	EXPECT_EQ(0, a.mem[sizeof(*c)]) TH_LOG("tail written");

	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL));
	expect_balanced(_metadata, &self->p0, NR);
}

/* The child: pin a large range one page per call, forever. */
static void __attribute__((noreturn)) pin_forever(int ready, size_t len)
{
	struct gupbench_run run;
	struct gb_buf buf;
	char why[256];
	int fd;

	fd = gb_open();
	if (fd < 0 || gb_buf_map(&buf, GB_MEM_BASE, len, why, sizeof(why)))
		_exit(2);
	if (write(ready, "r", 1) != 1)
		_exit(3);
	for (;;) {
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, buf.addr,
			    len, 1);
		if (gb_ioctl(fd, GUPBENCH_IOC_RUN, &run))
			_exit(4);
	}
}

/*
 * SIGKILL during a long pin: the module notices the fatal signal, gives
 * back what it took, and the counters balance once the process is gone.
 */
TEST_F_TIMEOUT(badinput, fatal_signal, 120)
{
	const struct timespec wait = { .tv_nsec = 200 * 1000 * 1000 };
	size_t len = gb_kill_len(16UL << 20, 256UL << 20);
	struct gb_pins p0, p1;
	int pfd[2], status;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, gb_pins_read(&p0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pfd[0]);
		pin_forever(pfd[1], len);
	}
	close(pfd[1]);
	ASSERT_EQ(1, read(pfd[0], &c, 1))
		TH_LOG("the child could not map %zu MiB", len >> 20);
	nanosleep(&wait, NULL);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status))
		TH_LOG("child exited with %d", WEXITSTATUS(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));

	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_LT(0, p1.acquired - p0.acquired)
		TH_LOG("the child pinned nothing in 200 ms");
	EXPECT_EQ(p1.acquired - p0.acquired, p1.released - p0.released)
		TH_LOG("pins left after SIGKILL");
	TH_LOG("killed after %lld pins of %zu MiB",
	       (long long)(p1.acquired - p0.acquired), len >> 20);
}

TEST_HARNESS_MAIN
