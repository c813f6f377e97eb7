// SPDX-License-Identifier: GPL-2.0
/*
 * Access and limits: /dev/gupbench is for root only; a request larger
 * than the machine can back fails cleanly (ENOMEM, or EINVAL above
 * max_len) before anything is taken, never by way of the OOM killer; a
 * HOLD that reports failure keeps nothing; and many threads hammering the
 * ioctls on one file or on many leave the pins balanced.  The contracts
 * are in docs/RELIABILITY.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"

#define NOBODY		65534
#define NR		64UL
#define LEN		(NR * GB_PAGE_SIZE)
#define SEED		0x11a175000001ULL
#define NTHREADS	4


static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t xrand(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

/* Drop to nobody; 0 or the errno of the step that failed. */
static int become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return errno;
	return 0;
}

/* --- access ---------------------------------------------------------------- */

/*
 * The device node is mode 0600, owner root: an unprivileged user cannot
 * open it, for reading or writing.
 */
TEST(unprivileged_open)
{
	int status;
	pid_t pid;

	if (access(GUPBENCH_DEVICE, F_OK))
		SKIP(return, "%s", GB_NO_MODULE);
	if (geteuid())
		SKIP(return, "needs root to become uid %d", NOBODY);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (become_nobody())
			_exit(10);
		fd = open(GUPBENCH_DEVICE, O_RDWR);
		if (fd >= 0)
			_exit(11);
		if (errno != EACCES)
			_exit(12);
		fd = open(GUPBENCH_DEVICE, O_RDONLY);
		if (fd >= 0)
			_exit(13);
		_exit(errno == EACCES ? 0 : 14);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: setuid failed, 11/13: uid %d opened the device, "
		       "12/14: another errno than EACCES", NOBODY);
}

/*
 * The mode is the whole access control, as for any device: a file root
 * opened keeps working in a process that dropped its privileges (the
 * ioctls act on that process's own memory only).
 */
TEST(opened_file_survives_setuid)
{
	int fd, status;
	pid_t pid;

	fd = gb_open();
	if (fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, fd);
	if (geteuid())
		SKIP(return, "needs root to become uid %d", NOBODY);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct gupbench_run run;
		struct gb_buf b;
		char why[128];

		if (become_nobody())
			_exit(10);
		if (gb_buf_map(&b, GB_MEM_BASE, LEN, why, sizeof(why)))
			_exit(11);
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST, 0, b.addr,
			    LEN, 0);
		if (gb_ioctl(fd, GUPBENCH_IOC_RUN, &run) ||
		    run.pages_done != NR)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

/* --- requests against RAM -------------------------------------------------- */

FIXTURE(limits) {
	int fd;
	struct gupbench_caps caps;
	uint64_t ram_pages;	/* totalram_pages(), as the module sees it */
	struct gb_pins p0;
	int64_t oom0;		/* /proc/vmstat oom_kill at setup */
	void *big;		/* an unpopulated MAP_NORESERVE reservation */
	size_t big_len;
};

FIXTURE_SETUP(limits)
{
	struct sysinfo si;

	self->big = NULL;
	self->fd = gb_open();
	if (self->fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));
	ASSERT_EQ(0, gb_caps(self->fd, &self->caps));
	ASSERT_EQ(0, sysinfo(&si));
	self->ram_pages = (uint64_t)si.totalram * si.mem_unit / GB_PAGE_SIZE;
	ASSERT_EQ(0, gb_vmstat("oom_kill", &self->oom0))
		TH_LOG("/proc/vmstat has no oom_kill");
	ASSERT_EQ(0, gb_pins_read(&self->p0));
}

FIXTURE_TEARDOWN(limits)
{
	if (self->big)
		munmap(self->big, self->big_len);
	if (self->fd >= 0)
		close(self->fd);
}

/* An address range of @len with nothing in it yet; NULL: SKIP. */
static void *reserve(FIXTURE_DATA(limits) *self, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	self->big = p;
	self->big_len = len;
	return p;
}

static void expect_no_pins_no_oom(struct __test_metadata *_metadata,
				  FIXTURE_DATA(limits) *self)
{
	struct gb_pins p1;
	int64_t oom;

	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(0, p1.acquired - self->p0.acquired)
		TH_LOG("a refused request pinned something");
	EXPECT_EQ(0, p1.released - self->p0.released);
	ASSERT_EQ(0, gb_vmstat("oom_kill", &oom));
	EXPECT_EQ(self->oom0, oom) TH_LOG("the OOM killer ran");
}

/* Every API, RUN and HOLD, read/write/long-term: all refused with @err. */
static void expect_all_refused(struct __test_metadata *_metadata,
			       FIXTURE_DATA(limits) *self, void *addr,
			       uint64_t len, int err)
{
	const uint64_t flags[] = { 0, GUPBENCH_F_WRITE,
				   GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM };
	struct gupbench_run run;
	unsigned int i, j;

	for (i = 0; i < GB_NR_GUP_APIS; i++) {
		for (j = 0; j < 3; j++) {
			unsigned int api = gb_gup_apis[i];

			if ((flags[j] & GUPBENCH_F_LONGTERM) &&
			    !(self->caps.longterm_apis & (1ULL << api)))
				continue;
			gb_run_init(&run, api, flags[j], addr, len, 0);
			EXPECT_EQ(err, gb_ioctl(self->fd, GUPBENCH_IOC_RUN,
						&run))
				TH_LOG("RUN %s flags 0x%llx len %llu MiB",
				       gb_api_name(api),
				       (unsigned long long)flags[j],
				       (unsigned long long)(len >> 20));
			EXPECT_EQ(0U, run.pages_done);
			/* a pinned hold is long-term */
			if (gb_hold_unsupported(self->fd, api))
				continue;
			gb_run_init(&run, api, gb_hold_flags(api, flags[j]),
				    addr, len, 0);
			EXPECT_EQ(err, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD,
						&run))
				TH_LOG("HOLD %s", gb_api_name(api));
		}
	}
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL));
}

/*
 * More than the machine's RAM, none of it populated: refused up front,
 * ENOMEM (EINVAL when it is above max_len too); GUP never starts
 * faulting, so the OOM killer never runs and nothing is pinned.
 */
TEST_F(limits, above_ram)
{
	uint64_t len = (self->ram_pages * GB_PAGE_SIZE + (64UL << 20)) &
		       ~(GB_HPAGE_SIZE - 1);
	void *p = reserve(self, len);

	if (!p)
		SKIP(return, "cannot reserve %llu MiB of address space: %s",
		     (unsigned long long)(len >> 20), strerror(errno));
	expect_all_refused(_metadata, self, p, len,
			   len > self->caps.max_len ? EINVAL : ENOMEM);
	expect_no_pins_no_oom(_metadata, self);
}

/*
 * A request of max_len over unpopulated memory, where max_len is more
 * than half of RAM (any machine with less than 2 * max_len): ENOMEM.
 */
TEST_F(limits, max_len_unpopulated)
{
	uint64_t len = self->caps.max_len & ~(GB_PAGE_SIZE - 1);
	void *p;

	if (len / GB_PAGE_SIZE <= self->ram_pages / 2)
		SKIP(return, "max_len (%llu MiB) is at most half of RAM here: "
		     "such a request may fault it all in",
		     (unsigned long long)(len >> 20));
	p = reserve(self, len);
	if (!p)
		SKIP(return, "cannot reserve %llu MiB of address space",
		     (unsigned long long)(len >> 20));
	expect_all_refused(_metadata, self, p, len, ENOMEM);
	expect_no_pins_no_oom(_metadata, self);
}

/*
 * The rule's edge: half of RAM (in pages, rounded down) is accepted,
 * one page more is ENOMEM.  The accepted size is tried with noop, which
 * takes no page, so the test does not fault in half of the guest.
 */
TEST_F(limits, half_ram_edge)
{
	uint64_t half = self->ram_pages / 2 * GB_PAGE_SIZE;
	struct gupbench_run run;
	char *p;

	if (half + GB_PAGE_SIZE > self->caps.max_len)
		SKIP(return, "half of RAM is above max_len: EINVAL decides");
	p = reserve(self, half + GB_PAGE_SIZE);
	if (!p)
		SKIP(return, "cannot reserve half of RAM of address space");
	gb_run_init(&run, GUPBENCH_API_NOOP, 0, p, half, 0);
	EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("noop over exactly half of RAM");
	EXPECT_EQ(half / GB_PAGE_SIZE, run.pages_done);
	gb_run_init(&run, GUPBENCH_API_NOOP, 0, p, half + GB_PAGE_SIZE, 0);
	EXPECT_EQ(ENOMEM, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("noop over half of RAM and a page");
	expect_all_refused(_metadata, self, p, half + GB_PAGE_SIZE, ENOMEM);
	expect_no_pins_no_oom(_metadata, self);
}

/* Below the rule, GUP faults unpopulated memory in as before. */
TEST_F(limits, faults_in_below_limit)
{
	const uint64_t len = 64UL << 20;
	struct gupbench_content c;
	struct gupbench_run run;
	struct gb_pins p1;
	char *p = reserve(self, len);

	ASSERT_NE(NULL, p);
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, GUPBENCH_F_WRITE, p,
		    len, 512);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(len / GB_PAGE_SIZE, run.pages_done);
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST,
		    GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM, p, len, 0);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run));
	gb_fill(p, len, SEED);
	ASSERT_EQ(0, gb_content(self->fd, GUPBENCH_CONTENT_VERIFY, SEED, &c));
	EXPECT_EQ(0U, c.bad_pages);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL));
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(2 * len / GB_PAGE_SIZE, p1.acquired - self->p0.acquired);
	EXPECT_EQ(p1.acquired - self->p0.acquired,
		  p1.released - self->p0.released);
}

/* --- a HOLD that fails keeps nothing (regression) -------------------------- */

/*
 * The outputs of a HOLD cannot be written back (the struct is in a
 * read-only page): the ioctl fails with EFAULT, and since the caller is
 * told it failed, the module must not keep the pages.  Before the fix
 * the hold stayed (UNHOLD then returned 0, a second HOLD EBUSY).
 */
TEST_F(limits, hold_readonly_arg)
{
	struct gupbench_run *ro;
	struct gb_pins p1;
	struct gb_buf b;
	int64_t pinned = 0;
	char why[128];
	unsigned int i;

	ASSERT_EQ(0, gb_buf_map(&b, GB_MEM_BASE, LEN, why, sizeof(why)));
	ro = mmap(NULL, GB_PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	for (i = 0; i < GB_NR_GUP_APIS; i++) {
		if (gb_hold_unsupported(self->fd, gb_gup_apis[i]))
			continue;
		ASSERT_EQ(0, mprotect(ro, GB_PAGE_SIZE, PROT_READ | PROT_WRITE));
		gb_run_init(ro, gb_gup_apis[i],
			    gb_hold_flags(gb_gup_apis[i], GUPBENCH_F_WRITE),
			    b.addr, LEN, 0);
		ASSERT_EQ(0, mprotect(ro, GB_PAGE_SIZE, PROT_READ));
		EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, ro))
			TH_LOG("HOLD %s, read-only struct",
			       gb_api_name(gb_gup_apis[i]));
		EXPECT_EQ(ENOENT, gb_ioctl(self->fd, GUPBENCH_IOC_UNHOLD, NULL))
			TH_LOG("HOLD %s failed but kept the pages",
			       gb_api_name(gb_gup_apis[i]));
		EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, ro));
		if (gb_api_pins(gb_gup_apis[i]))
			pinned += 2 * NR;
	}
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(pinned, p1.acquired - self->p0.acquired);
	EXPECT_EQ(pinned, p1.released - self->p0.released);
	munmap(ro, GB_PAGE_SIZE);
	gb_buf_unmap(&b);
}

/* --- concurrent ioctls ------------------------------------------------- */

struct hammer {
	pthread_t th;
	int fd;			/* the shared file, or this thread's own */
	bool own;		/* fd is this thread's alone: exact model */
	struct gb_buf *shared;	/* everyone RUNs over it */
	struct gb_buf mine;	/* this thread's holds (own mode) */
	const struct gupbench_caps *caps;
	struct gupbench_run *ro; /* a read-only struct page */
	uint64_t rng;
	double end;
	uint64_t ops, bad;
	char what[160];		/* the first bad result */
	bool held;		/* own mode: this thread's file holds */
	bool held_write;	/* ... FILL-able: a WRITE pin (long-term) */
};

static void hammer_bad(struct hammer *h, const char *op, int err)
{
	if (!h->bad++)
		snprintf(h->what, sizeof(h->what), "%s: %s", op,
			 err < 0 ? "wrong outputs" : strerror(err));
}

static void hammer_step(struct hammer *h)
{
	unsigned int r = xrand(&h->rng) % 100;
	unsigned int api = gb_gup_apis[xrand(&h->rng) % GB_NR_GUP_APIS];
	struct gb_buf *b = h->own ? &h->mine : h->shared;
	uint64_t flags = xrand(&h->rng) & GUPBENCH_F_WRITE;
	struct gupbench_content c;
	struct gupbench_run run;
	int err;

	if (r < 40) {
		gb_run_init(&run, api, flags, h->shared->addr, h->shared->len,
			    xrand(&h->rng) % 3 ? 0 : 1);
		run.release = xrand(&h->rng) & 1;
		err = gb_ioctl(h->fd, GUPBENCH_IOC_RUN, &run);
		if (err || run.pages_done != h->shared->len / GB_PAGE_SIZE)
			hammer_bad(h, "RUN", err ? err : -1);
	} else if (r < 60) {
		bool ro = !(xrand(&h->rng) % 8);
		struct gupbench_run *arg = ro ? h->ro : &run;

		/* a pinned hold is long-term: none where it cannot be */
		if (gb_hold_unsupported(h->fd, api))
			api = GUPBENCH_API_PIN_USER_PAGES_FAST;
		gb_run_init(&run, api, gb_hold_flags(api, flags), b->addr,
			    b->len, 0);
		err = gb_ioctl(h->fd, GUPBENCH_IOC_HOLD, arg);
		if (h->own && !ro && err != (h->held ? EBUSY : 0))
			hammer_bad(h, "HOLD", err ? err : -1);
		else if (!h->own && !ro && err && err != EBUSY)
			hammer_bad(h, "HOLD", err);
		else if (ro && err != EFAULT && err != EBUSY)
			hammer_bad(h, "HOLD, read-only struct", err ? err : -1);
		if (!err && !ro) {
			h->held = true;
			/* FILL: into a long-term write pin only */
			h->held_write = (flags & GUPBENCH_F_WRITE) &&
					gb_api_pins(api);
		}
	} else if (r < 72) {
		err = gb_ioctl(h->fd, GUPBENCH_IOC_UNHOLD, NULL);
		if (h->own ? err != (h->held ? 0 : ENOENT) :
		    err && err != ENOENT)
			hammer_bad(h, "UNHOLD", err ? err : -1);
		h->held = false;
	} else if (r < 97) {
		/* the whole-hold ops; READ needs a range and a buffer */
		unsigned int op = xrand(&h->rng) % GUPBENCH_CONTENT_READ;
		uint64_t seed = xrand(&h->rng) | 1;

		int want = !h->held ? ENOENT :
			   op == GUPBENCH_CONTENT_FILL && !h->held_write ?
			   EPERM : 0;

		err = gb_content(h->fd, op, seed, &c);
		if (err && err != ENOENT && err != EPERM)
			hammer_bad(h, "CONTENT", err);
		else if (!err && c.pages != b->len / GB_PAGE_SIZE)
			hammer_bad(h, "CONTENT pages", -1);
		else if (h->own && err != want)
			hammer_bad(h, "CONTENT", err ? err : -1);
		if (h->own && !err && op == GUPBENCH_CONTENT_FILL &&
		    gb_bad_pages(b->addr, b->len, seed))
			hammer_bad(h, "FILL not seen by userspace", -1);
		if (h->own && !err && op == GUPBENCH_CONTENT_CHECKSUM &&
		    c.checksum != gb_checksum(b->addr, b->len))
			hammer_bad(h, "CHECKSUM differs from userspace", -1);
	} else if (h->own) {
		/* close with whatever is held; start afresh */
		close(h->fd);
		h->fd = gb_open();
		h->held = false;
		if (h->fd < 0)
			hammer_bad(h, "reopen", errno);
	} else {
		err = gb_caps(h->fd, &(struct gupbench_caps){ 0 });
		if (err)
			hammer_bad(h, "CAPS", err);
	}
	h->ops++;
}

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;

	while (now() < h->end && h->ops < 20000 && h->fd >= 0)
		hammer_step(h);
	return NULL;
}

/*
 * NTHREADS threads issue random RUN, HOLD (some with a read-only struct),
 * UNHOLD, CONTENT and CAPS on @own ? a file each : one shared file.
 * Contract: the per-file lock serialises HOLD/UNHOLD/CONTENT, so every
 * result is one the serial ABI allows (exactly, for a file of one's own;
 * EBUSY/ENOENT/EPERM when another thread's hold is in the way), and once
 * the files are closed every pin is given back.
 */
static void hammer(struct __test_metadata *_metadata,
		   FIXTURE_DATA(limits) *self, bool own)
{
	struct hammer h[NTHREADS];
	struct gupbench_run *ro;
	struct gb_buf shared;
	uint64_t ops = 0;
	struct gb_pins p1;
	char why[128];
	unsigned int i;
	int fd;

	ASSERT_EQ(0, gb_buf_map(&shared, GB_MEM_BASE, LEN, why, sizeof(why)));
	ro = mmap(NULL, GB_PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	gb_run_init(ro, GUPBENCH_API_PIN_USER_PAGES_FAST, GUPBENCH_F_LONGTERM,
		    shared.addr, LEN, 0);
	ASSERT_EQ(0, mprotect(ro, GB_PAGE_SIZE, PROT_READ));

	for (i = 0; i < NTHREADS; i++) {
		memset(&h[i], 0, sizeof(h[i]));
		h[i].own = own;
		h[i].fd = own ? gb_open() : self->fd;
		ASSERT_LE(0, h[i].fd);
		h[i].shared = &shared;
		h[i].caps = &self->caps;
		h[i].ro = ro;
		h[i].rng = SEED * (i + 7);
		h[i].end = now() + 2.0;
		ASSERT_EQ(0, gb_buf_map(&h[i].mine, GB_MEM_BASE, LEN, why,
					sizeof(why)));
	}
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_create(&h[i].th, NULL, hammer_main, &h[i]));
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(h[i].th, NULL);
		ops += h[i].ops;
		EXPECT_EQ(0U, h[i].bad)
			TH_LOG("thread %u: %llu bad results, first %s", i,
			       (unsigned long long)h[i].bad, h[i].what);
		if (own && h[i].fd >= 0)
			close(h[i].fd);
		gb_buf_unmap(&h[i].mine);
	}
	TH_LOG("%llu ioctls from %d threads on %s", (unsigned long long)ops,
	       NTHREADS, own ? "a file each" : "one file");
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(p1.acquired - self->p0.acquired,
		  p1.released - self->p0.released)
		TH_LOG("pins left behind");
	fd = gb_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, gb_caps(fd, &self->caps));
	close(fd);
	munmap(ro, GB_PAGE_SIZE);
	gb_buf_unmap(&shared);
}

TEST_F(limits, concurrent_one_file)
{
	hammer(_metadata, self, false);
}

TEST_F(limits, concurrent_many_files)
{
	hammer(_metadata, self, true);
}

TEST_HARNESS_MAIN
