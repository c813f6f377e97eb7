// SPDX-License-Identifier: GPL-2.0
/*
 * Races between pins and the mm: while pinner threads RUN (and briefly
 * HOLD) over a range, the test munmaps, mremaps, mprotects, madvises,
 * forks, exits or gets SIGKILLed.  Every scenario races for a bounded time
 * (GUPBENCH_RACE_SECONDS, default 1.5 s) and then checks its contract,
 * written above each TEST and in docs/RELIABILITY.md: which errnos the
 * racing RUNs may see, which pages a hold owns afterwards (CONTENT against
 * what userspace reads and writes), that every pin was given back
 * (/proc/vmstat), and that the module still works.  run_vmtests.sh scans
 * the kernel log around the binary, vm/run the whole boot.
 *
 * The range is 4 MiB, 2 MiB aligned: the first half THP (when the kernel
 * has it), the second base pages; the holds ("keepers") cover 32 pages
 * across the boundary, so both kinds are in every scenario.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
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

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

#define RLEN		(2 * GB_HPAGE_SIZE)
#define KEEP_OFF	(GB_HPAGE_SIZE - 16 * GB_PAGE_SIZE)
#define KEEP_LEN	(32 * GB_PAGE_SIZE)
#define KEEP_PAGES	(KEEP_LEN / GB_PAGE_SIZE)
#define NPIN		2
#define SEED		0x7ace0000000001ULL

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define FREE_HUGEPAGES	"/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

/*
 * Every scenario runs at least MIN_ROUNDS rounds, more while its time
 * budget lasts.  RACE_TIMEOUT only catches a hang: a round takes seconds
 * on the debug kernel (DEBUG_PAGEALLOC unmaps every page it frees).
 */
#define MIN_ROUNDS	2
#define RACE_TIMEOUT	600

/* Which errnos racing RUNs may return: bit 0 is success. */
#define MAY_OK		(1U << 0)
#define MAY_EFAULT	(1U << 1)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How long each scenario races; a budget, never a pass/fail threshold. */
static double race_seconds(void)
{
	const char *v = getenv("GUPBENCH_RACE_SECONDS");
	double s = v ? strtod(v, NULL) : 0;

	return s > 0 ? s : 1.5;
}

static uint64_t xrand(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}


/* --- the raced range ------------------------------------------------------ */

/*
 * Map RLEN at @at (MAP_FIXED) or anywhere 2 MiB aligned, as one VMA: the
 * second half is faulted in as base pages first, then the VMA asks for
 * THP and the first half is faulted in (as a THP when @thp).  With
 * @collapsible both halves are base pages in a THP-eligible VMA.  Each
 * half holds @seed's pattern, and the keep window its own, relative to
 * its start (what CONTENT VERIFY of a keeper expects).  NULL on failure.
 */
static char *map_range(char *at, bool thp, bool collapsible, uint64_t seed)
{
	char *p;

	if (!at) {
		char *res = mmap(NULL, RLEN + GB_HPAGE_SIZE, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				 -1, 0);

		if (res == MAP_FAILED)
			return NULL;
		at = (char *)(((uintptr_t)res + GB_HPAGE_SIZE - 1) &
			      ~(GB_HPAGE_SIZE - 1));
	}
	p = mmap(at, RLEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* EINVAL without THP: then it is all base pages anyway */
	madvise(p, RLEN, MADV_NOHUGEPAGE);
	gb_fill(p + GB_HPAGE_SIZE, GB_HPAGE_SIZE, seed);
	if (collapsible)
		gb_fill(p, GB_HPAGE_SIZE, seed);
	if (thp || collapsible)
		madvise(p, RLEN, MADV_HUGEPAGE);
	if (!collapsible)
		gb_fill(p, GB_HPAGE_SIZE, seed);
	gb_fill(p + KEEP_OFF, KEEP_LEN, seed);
	return p;
}

/* --- pinner threads ------------------------------------------------------- */

struct race;

struct pinner {
	pthread_t th;
	struct race *rc;
	uint64_t rng;
	int fd;
	uint64_t runs, ok, efault, holds;
	int bad_err;		/* first errno outside the allowed set */
	uint64_t bad;
	uint64_t short_ok;	/* successes that took fewer pages */
};

struct race {
	char *addr;		/* what the pinners RUN over */
	size_t len;
	unsigned int allow;	/* MAY_* */
	uint64_t longterm_apis;
	int stop;
	bool running;
	struct pinner p[NPIN];
};

static bool allowed(const struct race *rc, int err)
{
	if (!err)
		return rc->allow & MAY_OK;
	if (err == EFAULT)
		return rc->allow & MAY_EFAULT;
	return false;
}

static void pinner_note(struct pinner *p, int err)
{
	if (!err)
		p->ok++;
	else if (err == EFAULT)
		p->efault++;
	if (!allowed(p->rc, err) && !p->bad++)
		p->bad_err = err;
}

/* One RUN (or a HOLD, CONTENT, UNHOLD cycle) over the raced range. */
static void pinner_step(struct pinner *p)
{
	static const uint64_t batches[] = { 0, 1, 16, 512 };
	struct race *rc = p->rc;
	unsigned int api = gb_gup_apis[xrand(&p->rng) % GB_NR_GUP_APIS];
	uint64_t flags = 0, r = xrand(&p->rng);
	struct gupbench_content c;
	struct gupbench_run run;
	int err;

	if (r & 1)
		flags |= GUPBENCH_F_WRITE;
	if ((r & 2) && (rc->longterm_apis & (1ULL << api)))
		flags |= GUPBENCH_F_LONGTERM;
	if ((r & 12) == 12 && (api == GUPBENCH_API_GET_USER_PAGES ||
			       api == GUPBENCH_API_PIN_USER_PAGES))
		flags |= GUPBENCH_F_LOCK_OUTSIDE;
	gb_run_init(&run, api, flags, rc->addr, rc->len,
		    batches[(r >> 4) % 4]);
	run.release = (r >> 6) & 1;

	p->runs++;
	if ((r >> 8) % 10) {
		err = gb_ioctl(p->fd, GUPBENCH_IOC_RUN, &run);
		pinner_note(p, err);
		if (!err && run.pages_done != rc->len / GB_PAGE_SIZE)
			p->short_ok++;
		return;
	}
	/* a pinned hold is long-term: none where the API cannot be */
	if (gb_api_pins(api) && !(rc->longterm_apis & (1ULL << api)))
		return;
	run.flags = gb_hold_flags(api, run.flags);
	run.release = 0;
	err = gb_ioctl(p->fd, GUPBENCH_IOC_HOLD, &run);
	pinner_note(p, err);
	if (err)
		return;
	p->holds++;
	if (gb_content(p->fd, GUPBENCH_CONTENT_CHECKSUM, 0, &c) ||
	    c.pages != rc->len / GB_PAGE_SIZE)
		pinner_note(p, -1);
	if (gb_ioctl(p->fd, GUPBENCH_IOC_UNHOLD, NULL))
		pinner_note(p, -2);
}

static void *pinner_main(void *arg)
{
	struct pinner *p = arg;

	while (!__atomic_load_n(&p->rc->stop, __ATOMIC_RELAXED))
		pinner_step(p);
	return NULL;
}

static int race_start(struct race *rc, char *addr, size_t len,
		      unsigned int allow, uint64_t longterm_apis)
{
	unsigned int i;

	rc->addr = addr;
	rc->len = len;
	rc->allow = allow;
	rc->longterm_apis = longterm_apis;
	rc->stop = 0;
	for (i = 0; i < NPIN; i++) {
		struct pinner *p = &rc->p[i];

		memset(p, 0, sizeof(*p));
		p->rc = rc;
		p->rng = SEED * (i + 1) + (uint64_t)getpid();
		p->fd = gb_open();
		if (p->fd < 0)
			return -1;
	}
	for (i = 0; i < NPIN; i++)
		if (pthread_create(&rc->p[i].th, NULL, pinner_main, &rc->p[i]))
			return -1;
	rc->running = true;
	return 0;
}

/* Stop and join the pinners; every result must have been allowed. */
static void race_stop(struct __test_metadata *_metadata, struct race *rc)
{
	uint64_t runs = 0, ok = 0, efault = 0, holds = 0;
	unsigned int i;

	if (!rc->running)
		return;
	__atomic_store_n(&rc->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < NPIN; i++) {
		struct pinner *p = &rc->p[i];

		pthread_join(p->th, NULL);
		close(p->fd);
		runs += p->runs;
		ok += p->ok;
		efault += p->efault;
		holds += p->holds;
		EXPECT_EQ(0U, p->bad)
			TH_LOG("pinner %u: %llu results outside the contract, "
			       "first %d (%s)", i, (unsigned long long)p->bad,
			       p->bad_err, p->bad_err > 0 ?
			       strerror(p->bad_err) : "content/unhold");
		EXPECT_EQ(0U, p->short_ok)
			TH_LOG("pinner %u: a RUN succeeded with fewer pages", i);
	}
	rc->running = false;
	TH_LOG("pinners: %llu RUN/HOLD, %llu ok, %llu EFAULT, %llu holds",
	       (unsigned long long)runs, (unsigned long long)ok,
	       (unsigned long long)efault, (unsigned long long)holds);
}

/* --- the fixture ---------------------------------------------------------- */

FIXTURE(races) {
	int fd[3];		/* the keepers' files */
	struct gupbench_caps caps;
	bool thp;
	char *r;		/* the raced range, RLEN */
	struct gb_pins p0;
	struct race rc;
	int hp_old;		/* nr_hugepages to restore, or -1 */
};

FIXTURE_SETUP(races)
{
	char why[256];
	unsigned int i;

	self->hp_old = -1;
	self->rc.running = false;
	for (i = 0; i < 3; i++)
		self->fd[i] = -1;
	self->fd[0] = gb_open();
	if (self->fd[0] < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, self->fd[0])
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));
	for (i = 1; i < 3; i++)
		ASSERT_LE(0, self->fd[i] = gb_open());
	ASSERT_EQ(0, gb_caps(self->fd[0], &self->caps));
	self->thp = !gb_thp_usable(why, sizeof(why));
	self->r = map_range(NULL, self->thp, false, SEED);
	ASSERT_NE(NULL, self->r) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, gb_pins_read(&self->p0))
		TH_LOG("/proc/vmstat pin counters: %s", strerror(errno));
}

static void hugetlb_restore(int old)
{
	char buf[32];
	int fd, n;

	if (old < 0)
		return;
	fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d", old);
	if (write(fd, buf, n) != n)
		fprintf(stderr, "could not restore %s to %d\n", NR_HUGEPAGES,
			old);
	close(fd);
}

FIXTURE_TEARDOWN(races)
{
	unsigned int i;

	race_stop(_metadata, &self->rc);
	for (i = 0; i < 3; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	if (self->r)
		munmap(self->r, RLEN);
	hugetlb_restore(self->hp_old);
}

static uint64_t longterm_if(const FIXTURE_DATA(races) *self, unsigned int api)
{
	return (self->caps.longterm_apis & (1ULL << api)) ?
		GUPBENCH_F_LONGTERM : 0;
}

static int hold(int fd, unsigned int api, uint64_t flags, void *addr,
		size_t len)
{
	struct gupbench_run run;
	int err;

	gb_run_init(&run, api, gb_hold_flags(api, flags), addr, len, 0);
	err = gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run);
	if (!err && run.pages_done != len / GB_PAGE_SIZE)
		err = -1;
	return err;
}

/* The three keepers of most scenarios, over the range's keep window. */
static void keep3(struct __test_metadata *_metadata,
		  FIXTURE_DATA(races) *self, char *base)
{
	unsigned int pin = GUPBENCH_API_PIN_USER_PAGES_FAST;

	/* R/W long-term pin, as RDMA or VFIO take them */
	ASSERT_EQ(0, hold(self->fd[0], pin,
			  GUPBENCH_F_WRITE | longterm_if(self, pin),
			  base + KEEP_OFF, KEEP_LEN));
	/* a plain reference, as old direct I/O took them */
	ASSERT_EQ(0, hold(self->fd[1], GUPBENCH_API_GET_USER_PAGES,
			  GUPBENCH_F_WRITE, base + KEEP_OFF, KEEP_LEN));
	/* a read-only pin */
	ASSERT_EQ(0, hold(self->fd[2], GUPBENCH_API_PIN_USER_PAGES, 0,
			  base + KEEP_OFF, KEEP_LEN));
}

static uint64_t held_bad(struct __test_metadata *_metadata, int fd,
			 uint64_t seed)
{
	struct gupbench_content c;

	EXPECT_EQ(0, gb_content(fd, GUPBENCH_CONTENT_VERIFY, seed, &c));
	EXPECT_EQ(KEEP_PAGES, c.pages);
	return c.bad_pages;
}

/* Does the hold on @fd see exactly what userspace reads at @addr? */
static bool held_is_mapped(int fd, const void *addr)
{
	struct gupbench_content c;

	return !gb_content(fd, GUPBENCH_CONTENT_CHECKSUM, 0, &c) &&
	       c.checksum == gb_checksum(addr, KEEP_LEN);
}

/* Close every file, then the pins must balance; the module still works. */
static void expect_clean_end(struct __test_metadata *_metadata,
			     FIXTURE_DATA(races) *self)
{
	struct gupbench_run run;
	struct gb_pins p1;
	unsigned int i;
	int fd;

	race_stop(_metadata, &self->rc);
	for (i = 0; i < 3; i++) {
		if (self->fd[i] >= 0)
			close(self->fd[i]);
		self->fd[i] = -1;
	}
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(p1.acquired - self->p0.acquired,
		  p1.released - self->p0.released)
		TH_LOG("pins left behind: %lld acquired, %lld released",
		       (long long)(p1.acquired - self->p0.acquired),
		       (long long)(p1.released - self->p0.released));

	fd = gb_open();
	ASSERT_LE(0, fd) TH_LOG("the device went away: %s", strerror(errno));
	munmap(self->r, RLEN);
	self->r = map_range(self->r, self->thp, false, SEED);
	ASSERT_NE(NULL, self->r);
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST, GUPBENCH_F_WRITE,
		    self->r, RLEN, 0);
	EXPECT_EQ(0, gb_ioctl(fd, GUPBENCH_IOC_RUN, &run))
		TH_LOG("a plain RUN after the race failed");
	EXPECT_EQ(RLEN / GB_PAGE_SIZE, run.pages_done);
	close(fd);
}

/*
 * munmap of a held range.  Contract: munmap takes nothing from a hold:
 * every keeper still owns the pages that were mapped when it was taken,
 * and CONTENT reads the data they had (VERIFY of the first pattern finds
 * no bad page); the new mapping at the same address gets new pages, so
 * what userspace writes there is not what the keepers see.  RUNs racing
 * with munmap/mmap take the whole range or fail with EFAULT, having given
 * back what they took.
 */
TEST_F_TIMEOUT(races, munmap, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	uint64_t i;

	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN,
				MAY_OK | MAY_EFAULT,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		ASSERT_EQ(0, munmap(self->r, RLEN));
		ASSERT_NE(NULL, map_range(self->r, self->thp, false,
					  SEED + 1 + i));
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu munmap/mmap cycles", (unsigned long long)i);

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0U, held_bad(_metadata, self->fd[i], SEED))
			TH_LOG("keeper %llu lost its pages",
			       (unsigned long long)i);
		EXPECT_FALSE(held_is_mapped(self->fd[i], self->r + KEEP_OFF))
			TH_LOG("keeper %llu sees the new mapping",
			       (unsigned long long)i);
	}
	expect_clean_end(_metadata, self);
}

/*
 * mremap of a held range back and forth between two addresses.  Contract:
 * mremap moves the held pages with the mapping (page tables move, pages
 * do not): after every move, each keeper's CONTENT equals what userspace
 * reads at the new address, also after userspace wrote a new pattern
 * there.  RUNs at the old address race with the moves: whole range or
 * EFAULT.
 */
TEST_F_TIMEOUT(races, mremap, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	char *cur = self->r, *other, *res;
	uint64_t i, k;

	res = mmap(NULL, RLEN + GB_HPAGE_SIZE, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	other = (char *)(((uintptr_t)res + GB_HPAGE_SIZE - 1) &
			 ~(GB_HPAGE_SIZE - 1));

	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN,
				MAY_OK | MAY_EFAULT,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		char *to = other;

		ASSERT_EQ(to, mremap(cur, RLEN, RLEN,
				     MREMAP_MAYMOVE | MREMAP_FIXED, to))
			TH_LOG("mremap: %s", strerror(errno));
		other = cur;
		cur = to;
		gb_fill(cur + KEEP_OFF, KEEP_LEN, SEED + 1 + i);
		for (k = 0; k < 3; k++)
			EXPECT_TRUE(held_is_mapped(self->fd[k], cur + KEEP_OFF))
				TH_LOG("move %llu: keeper %llu left behind",
				       (unsigned long long)i,
				       (unsigned long long)k);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu moves", (unsigned long long)i);
	if (cur != self->r)
		ASSERT_EQ(self->r, mremap(cur, RLEN, RLEN,
					  MREMAP_MAYMOVE | MREMAP_FIXED,
					  self->r));
	munmap(res, RLEN + GB_HPAGE_SIZE);
	for (k = 0; k < 3; k++)
		EXPECT_TRUE(held_is_mapped(self->fd[k], self->r + KEEP_OFF));
	expect_clean_end(_metadata, self);
}

/*
 * mprotect cycling read-only, PROT_NONE and read-write.  Contract:
 * mprotect changes what new GUP calls may take (a write RUN on read-only
 * memory and any RUN on PROT_NONE fail with EFAULT), never which pages
 * back the range: every keeper, write or read-only pin or plain
 * reference, sees each pattern userspace writes once access is back.
 */
TEST_F_TIMEOUT(races, mprotect, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	char *keep = self->r + KEEP_OFF;
	uint64_t i, k;

	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN,
				MAY_OK | MAY_EFAULT,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		ASSERT_EQ(0, mprotect(self->r, RLEN, PROT_READ));
		ASSERT_EQ(0, mprotect(self->r, RLEN, PROT_NONE));
		ASSERT_EQ(0, mprotect(self->r, RLEN, PROT_READ | PROT_WRITE));
		gb_fill(keep, KEEP_LEN, SEED + 1 + i);
		for (k = 0; k < 3; k++)
			EXPECT_TRUE(held_is_mapped(self->fd[k], keep))
				TH_LOG("cycle %llu: keeper %llu diverged",
				       (unsigned long long)i,
				       (unsigned long long)k);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu mprotect cycles", (unsigned long long)i);
	expect_clean_end(_metadata, self);
}

/*
 * MADV_DONTNEED of a held range.  Contract: DONTNEED drops the mapping's
 * pages, not the hold's: every keeper still reads the pattern it was
 * taken with, while userspace gets fresh zero-filled pages and writes its
 * new pattern into those, so the keepers no longer see userspace's
 * memory.  RUNs racing with DONTNEED always succeed (GUP faults the range
 * in again).
 */
TEST_F_TIMEOUT(races, madv_dontneed, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	char *keep = self->r + KEEP_OFF;
	uint64_t i;

	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN, MAY_OK,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		ASSERT_EQ(0, madvise(self->r, RLEN, MADV_DONTNEED));
		EXPECT_EQ(0, ((volatile uint64_t *)keep)[1])
			TH_LOG("DONTNEED left the old page mapped");
		gb_fill(self->r, RLEN, SEED + 1 + i);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu DONTNEED cycles", (unsigned long long)i);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0U, held_bad(_metadata, self->fd[i], SEED))
			TH_LOG("keeper %llu lost its pages",
			       (unsigned long long)i);
		EXPECT_FALSE(held_is_mapped(self->fd[i], keep));
	}
	expect_clean_end(_metadata, self);
}

/*
 * MADV_COLLAPSE (6.1+) over base pages, part of them held.  Contract:
 * collapse never replaces a pinned or referenced page: after any number
 * of collapses (which may succeed on the unheld half and fail on the held
 * one) the keepers still see what userspace reads and writes; a collapse
 * preserves the data of every page; RUNs racing with it always succeed.
 */
TEST_F_TIMEOUT(races, madv_collapse, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	char *keep, *shadow;
	uint64_t i, k, collapsed = 0, refused = 0;

	if (!self->thp)
		SKIP(return, "THP not available: nothing to collapse");
	/* probe on a range of its own: the raced one must stay base pages */
	shadow = map_range(NULL, true, true, SEED);
	ASSERT_NE(NULL, shadow);
	k = madvise(shadow, RLEN, MADV_COLLAPSE) && errno == EINVAL;
	munmap(shadow, RLEN);
	if (k)
		SKIP(return, "MADV_COLLAPSE not supported (kernel before 6.1)");
	munmap(self->r, RLEN);
	self->r = map_range(self->r, true, true, SEED);
	ASSERT_NE(NULL, self->r);
	keep = self->r + KEEP_OFF;
	shadow = malloc(RLEN);
	ASSERT_NE(NULL, shadow);
	memcpy(shadow, self->r, RLEN);

	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN, MAY_OK,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		/* split the second half again: zap one of its unheld pages */
		char *pg = self->r + GB_HPAGE_SIZE +
			   (KEEP_PAGES / 2 + i % (512 - KEEP_PAGES / 2)) *
			   GB_PAGE_SIZE;

		for (k = 0; k < 2; k++) {
			if (madvise(self->r + k * GB_HPAGE_SIZE, GB_HPAGE_SIZE,
				    MADV_COLLAPSE))
				refused++;
			else
				collapsed++;
		}
		EXPECT_EQ(0, memcmp(self->r, shadow, RLEN))
			TH_LOG("collapse %llu changed the data",
			       (unsigned long long)i);
		ASSERT_EQ(0, madvise(pg, GB_PAGE_SIZE, MADV_DONTNEED));
		memcpy(pg, shadow + (pg - self->r), GB_PAGE_SIZE);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("MADV_COLLAPSE: %llu succeeded, %llu refused",
	       (unsigned long long)collapsed, (unsigned long long)refused);
	gb_fill(keep, KEEP_LEN, SEED + 99);
	for (k = 0; k < 3; k++)
		EXPECT_TRUE(held_is_mapped(self->fd[k], keep))
			TH_LOG("keeper %llu was collapsed away",
			       (unsigned long long)k);
	free(shadow);
	expect_clean_end(_metadata, self);
}

/*
 * MADV_PAGEOUT of a held range.  Contract: pageout leaves pinned and
 * referenced pages where they are (without swap, as in the guests, it
 * reclaims no anonymous page at all): the data is intact, the keepers
 * still see what userspace reads and writes; RUNs always succeed.
 */
TEST_F_TIMEOUT(races, madv_pageout, RACE_TIMEOUT)
{
	const double end = now() + race_seconds();
	char *keep = self->r + KEEP_OFF;
	char *shadow;
	uint64_t i;

	if (madvise(self->r, RLEN, MADV_PAGEOUT) && errno == EINVAL)
		SKIP(return, "MADV_PAGEOUT not supported");
	shadow = malloc(RLEN);
	ASSERT_NE(NULL, shadow);
	memcpy(shadow, self->r, RLEN);
	keep3(_metadata, self, self->r);
	ASSERT_EQ(0, race_start(&self->rc, self->r, RLEN, MAY_OK,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		ASSERT_EQ(0, madvise(self->r, RLEN, MADV_PAGEOUT));
		EXPECT_EQ(0, memcmp(self->r, shadow, RLEN))
			TH_LOG("pageout %llu lost data",
			       (unsigned long long)i);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu PAGEOUT calls", (unsigned long long)i);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0U, held_bad(_metadata, self->fd[i], SEED));
	gb_fill(keep, KEEP_LEN, SEED + 1);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(held_is_mapped(self->fd[i], keep));
	free(shadow);
	expect_clean_end(_metadata, self);
}

/* --- fork ---------------------------------------------------------------- */

/* Free 2 MiB hugetlb pages >= @want, raising nr_hugepages if needed. */
static bool hugetlb_ensure(FIXTURE_DATA(races) *self, uint64_t want)
{
	uint64_t nr, free_hp;
	char buf[32];
	int fd, n;

	if (gb_read_u64(NR_HUGEPAGES, &nr) ||
	    gb_read_u64(FREE_HUGEPAGES, &free_hp))
		return false;
	if (free_hp >= want)
		return true;
	fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = snprintf(buf, sizeof(buf), "%llu",
		     (unsigned long long)(nr + want - free_hp));
	if (write(fd, buf, n) == n && self->hp_old < 0)
		self->hp_old = (int)nr;
	close(fd);
	return !gb_read_u64(FREE_HUGEPAGES, &free_hp) && free_hp >= want;
}

/*
 * The child of fork_cow: write its own pattern and check that it sees it.
 * The hold came with the file, but its pages are the parent's memory: the
 * child may not read them through CONTENT (EPERM).  That the child's
 * writes went to its copy, the parent checks through the hold afterwards.
 */
static void __attribute__((noreturn))
fork_child(int fd, char *buf, size_t len, uint64_t parent_seed,
	   uint64_t child_seed)
{
	struct gupbench_content c;

	gb_fill(buf, len, child_seed);
	if (gb_bad_pages(buf, len, child_seed))
		_exit(3);
	if (gb_content(fd, GUPBENCH_CONTENT_VERIFY, parent_seed, &c) != EPERM)
		_exit(4);
	_exit(0);
}

/*
 * fork() while @buf is held by a pin (@flags: WRITE|LONGTERM, or 0 for a
 * read-only pin) and pinner threads pin and unpin it.  Contract (FOLL_PIN
 * on private anonymous memory, 5.19+): at fork the child gets a copy of
 * every maybe-pinned page, so the pinned page stays the parent's: the
 * child's writes never reach the hold or the parent; the parent's writes
 * after the fork are seen through the hold (CONTENT VERIFY), and a FILL
 * through the hold is seen by the parent.  A hugetlb fork may fail with
 * ENOMEM when no free huge page is left for the child's copy.
 */
static void fork_cow(struct __test_metadata *_metadata,
		     FIXTURE_DATA(races) *self, char *buf, size_t len,
		     uint64_t flags, bool hugetlb)
{
	const double end = now() + race_seconds();
	struct gupbench_content c;
	struct gupbench_run run;
	uint64_t seed = SEED + 100, i, nomem = 0;
	int status;
	pid_t pid;

	gb_fill(buf, len, seed);
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST,
		    flags | GUPBENCH_F_LONGTERM, buf, len, 0);
	ASSERT_EQ(0, gb_ioctl(self->fd[0], GUPBENCH_IOC_HOLD, &run));
	ASSERT_EQ(0, race_start(&self->rc, buf, len, MAY_OK,
				self->caps.longterm_apis));
	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		pid = fork();
		if (pid < 0 && hugetlb && errno == ENOMEM) {
			nomem++;
			continue;
		}
		ASSERT_LE(0, pid) TH_LOG("fork: %s", strerror(errno));
		if (!pid)
			fork_child(self->fd[0], buf, len, seed, ~seed);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("fork %llu: child status 0x%x (3: own writes "
			       "lost, 4: it could read the parent's hold)",
			       (unsigned long long)i, status);
		EXPECT_EQ(0U, gb_bad_pages(buf, len, seed))
			TH_LOG("the child's writes reached the parent");
		ASSERT_EQ(0, gb_content(self->fd[0], GUPBENCH_CONTENT_VERIFY,
					seed, &c));
		EXPECT_EQ(0U, c.bad_pages)
			TH_LOG("fork %llu: the child's writes reached the hold",
			       (unsigned long long)i);
		seed++;
		gb_fill(buf, len, seed);
		ASSERT_EQ(0, gb_content(self->fd[0], GUPBENCH_CONTENT_VERIFY,
					seed, &c));
		EXPECT_EQ(0U, c.bad_pages)
			TH_LOG("fork %llu: the parent's writes do not reach "
			       "the pinned pages (%llu bad)",
			       (unsigned long long)i,
			       (unsigned long long)c.bad_pages);
	}
	race_stop(_metadata, &self->rc);
	TH_LOG("%llu forks (%llu ENOMEM)", (unsigned long long)i,
	       (unsigned long long)nomem);
	if (flags & GUPBENCH_F_WRITE) {
		ASSERT_EQ(0, gb_content(self->fd[0], GUPBENCH_CONTENT_FILL,
					~seed, &c));
		EXPECT_EQ(0U, gb_bad_pages(buf, len, ~seed))
			TH_LOG("a FILL through the pin is not seen by the parent");
	}
	ASSERT_EQ(0, gb_ioctl(self->fd[0], GUPBENCH_IOC_UNHOLD, NULL));
}

/* R/W long-term pin of base pages and THP (the whole raced range). */
TEST_F_TIMEOUT(races, fork_cow_rw_longterm, RACE_TIMEOUT)
{
	unsigned int pin = GUPBENCH_API_PIN_USER_PAGES_FAST;

	fork_cow(_metadata, self, self->r, RLEN,
		 GUPBENCH_F_WRITE | longterm_if(self, pin), false);
	expect_clean_end(_metadata, self);
}

/* The same contract for a read-only pin (reliable since 5.19). */
TEST_F_TIMEOUT(races, fork_cow_ro_pin, RACE_TIMEOUT)
{
	fork_cow(_metadata, self, self->r, RLEN, 0, false);
	expect_clean_end(_metadata, self);
}

/* R/W long-term pin of 2 MiB hugetlb pages. */
TEST_F_TIMEOUT(races, fork_cow_hugetlb, RACE_TIMEOUT)
{
	unsigned int pin = GUPBENCH_API_PIN_USER_PAGES_FAST;
	char *h;

	/* the buffer's 2 pages and 2 for the child's copies */
	if (!hugetlb_ensure(self, 4))
		SKIP(return, "need 4 free 2 MiB hugetlb pages: echo 64 > %s",
		     NR_HUGEPAGES);
	h = mmap(NULL, RLEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		 (21 << MAP_HUGE_SHIFT), -1, 0);
	ASSERT_NE(MAP_FAILED, h) TH_LOG("MAP_HUGETLB: %s", strerror(errno));
	fork_cow(_metadata, self, h, RLEN,
		 GUPBENCH_F_WRITE | longterm_if(self, pin), true);
	munmap(h, RLEN);
	expect_clean_end(_metadata, self);
}

/* --- exit and SIGKILL -------------------------------------------------- */

static void __attribute__((noreturn))
exit_child(int shared_fd, int ready, uint64_t seed, unsigned int delay_us,
	   uint64_t longterm_apis)
{
	unsigned int pin = GUPBENCH_API_PIN_USER_PAGES_FAST;
	struct race rc = { 0 };
	char *buf;
	int fa, fb;

	buf = map_range(NULL, true, false, seed);
	if (!buf)
		_exit(2);
	/* on the file the parent keeps: this hold outlives us */
	if (hold(shared_fd, pin, GUPBENCH_F_WRITE |
		 ((longterm_apis & (1ULL << pin)) ? GUPBENCH_F_LONGTERM : 0),
		 buf + KEEP_OFF, KEEP_LEN))
		_exit(3);
	/* on our own files: exit closes them */
	fa = gb_open();
	fb = gb_open();
	if (fa < 0 || fb < 0 ||
	    hold(fa, GUPBENCH_API_GET_USER_PAGES, GUPBENCH_F_WRITE, buf, RLEN) ||
	    hold(fb, GUPBENCH_API_PIN_USER_PAGES, 0, buf, RLEN))
		_exit(4);
	if (race_start(&rc, buf, RLEN, MAY_OK, longterm_apis))
		_exit(5);
	if (write(ready, "r", 1) != 1)
		_exit(6);
	usleep(delay_us);
	/* exit_group with holds and RUNs in flight */
	_exit(0);
}

/*
 * A process exits while it holds ranges and its threads are inside RUNs.
 * Contract: exit tears the mm down first and closes the files after; the
 * module's release gives back every hold on a file only the process had;
 * a hold on a file shared with a surviving process (here the parent's,
 * inherited) outlives the mm that took it: the parent may not read its
 * pages (CONTENT: EPERM, they were the child's memory), UNHOLD gives them
 * back and uncharges the child's mm.  Nothing stays pinned.
 */
TEST_F_TIMEOUT(races, exit_with_holds, RACE_TIMEOUT)
{
	static const unsigned int delays[] = { 0, 100, 1000, 5000, 20000 };
	const double end = now() + race_seconds();
	struct gupbench_content cc;
	int pfd[2], status;
	uint64_t i;
	pid_t pid;
	char c;

	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		uint64_t seed = SEED + 200 + i;

		ASSERT_EQ(0, pipe(pfd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			close(pfd[0]);
			exit_child(self->fd[0], pfd[1], seed, delays[i % 5],
				   self->caps.longterm_apis);
		}
		close(pfd[1]);
		EXPECT_EQ(1, read(pfd[0], &c, 1));
		close(pfd[0]);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("child status 0x%x", status);
		EXPECT_EQ(EPERM, gb_content(self->fd[0], GUPBENCH_CONTENT_VERIFY,
					    seed, &cc))
			TH_LOG("exit %llu: the parent read the child's hold",
			       (unsigned long long)i);
		ASSERT_EQ(0, gb_ioctl(self->fd[0], GUPBENCH_IOC_UNHOLD, NULL));
	}
	TH_LOG("%llu exits with holds", (unsigned long long)i);
	expect_clean_end(_metadata, self);
}

struct killee {
	char *buf;
	size_t len;
	int fd;
};

/* Long pins: the whole buffer in one call, half of it never touched. */
static void *long_runs(void *arg)
{
	struct killee *k = arg;
	struct gupbench_run run;

	for (;;) {
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES,
			    GUPBENCH_F_WRITE, k->buf, k->len, 0);
		gb_ioctl(k->fd, GUPBENCH_IOC_RUN, &run);
		gb_run_init(&run, GUPBENCH_API_GET_USER_PAGES_FAST, 0, k->buf,
			    k->len, 1);
		gb_ioctl(k->fd, GUPBENCH_IOC_RUN, &run);
	}
	return NULL;
}

static void *long_holds(void *arg)
{
	struct killee *k = arg;
	struct gupbench_content c;
	struct gupbench_run run;
	int fd = gb_open();

	for (;;) {
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_REMOTE,
			    GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM, k->buf,
			    k->len, 64);
		if (!gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run)) {
			gb_content(fd, GUPBENCH_CONTENT_CHECKSUM, 0, &c);
			gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL);
		}
	}
	return NULL;
}

static void *zapper(void *arg)
{
	struct killee *k = arg;

	for (;;)
		madvise(k->buf + k->len / 2, k->len / 2, MADV_DONTNEED);
	return NULL;
}

static void __attribute__((noreturn)) kill_child(int ready, size_t len)
{
	struct killee k = { .len = len };
	pthread_t th;

	k.buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	k.fd = gb_open();
	if (k.buf == MAP_FAILED || k.fd < 0)
		_exit(2);
	gb_fill(k.buf, len / 2, SEED);
	if (pthread_create(&th, NULL, long_runs, &k) ||
	    pthread_create(&th, NULL, long_holds, &k) ||
	    pthread_create(&th, NULL, zapper, &k))
		_exit(3);
	if (write(ready, "r", 1) != 1)
		_exit(4);
	for (;;)
		pause();
}

/*
 * SIGKILL at varying moments while threads are inside long RUNs and
 * HOLDs (one GUP call over the whole range, half of it to be faulted in)
 * and another zaps half the range.  Contract: the fatal signal ends the
 * GUP calls and the module's loops between calls, the process dies of
 * SIGKILL, and once it is reaped everything it took is given back.
 */
TEST_F_TIMEOUT(races, sigkill_long_pin, RACE_TIMEOUT)
{
	static const unsigned int delays_us[] = {
		0, 1000, 5000, 20000, 50000, 100000,
	};
	const double end = now() + race_seconds();
	size_t len = gb_kill_len(8UL << 20, 64UL << 20);
	int pfd[2], status;
	struct gb_pins p1;
	uint64_t i;
	pid_t pid;
	char c;

	for (i = 0; now() < end || i < MIN_ROUNDS; i++) {
		ASSERT_EQ(0, pipe(pfd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			close(pfd[0]);
			kill_child(pfd[1], len);
		}
		close(pfd[1]);
		ASSERT_EQ(1, read(pfd[0], &c, 1))
			TH_LOG("the child could not start");
		close(pfd[0]);
		usleep(delays_us[i % 6]);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("child status 0x%x", status);
		ASSERT_EQ(0, gb_pins_read(&p1));
		EXPECT_EQ(p1.acquired - self->p0.acquired,
			  p1.released - self->p0.released)
			TH_LOG("kill %llu after %u us: pins left",
			       (unsigned long long)i, delays_us[i % 6]);
	}
	TH_LOG("%llu kills of %zu MiB pinners", (unsigned long long)i,
	       len >> 20);
	expect_clean_end(_metadata, self);
}

TEST_HARNESS_MAIN
