// SPDX-License-Identifier: GPL-2.0
/*
 * Held ranges are state of one open file: two files hold two ranges at
 * once, a second HOLD on one file is EBUSY, close() gives the pages back,
 * and the CONTENT ioctl proves the held pages are the pages userspace
 * reads and writes.  Every API that can hold runs every test.  A pinned
 * hold is always FOLL_LONGTERM; a plain-reference (get_*) hold is
 * read-only for the kernel: FILL writes only into long-term write pins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"

#define NR_A		64UL
#define NR_B		32UL
#define SEED_A		0xa11ce0000000000aULL
#define SEED_B		0xb0b000000000000bULL
#define SEED_C		0xc0ffee000000000cULL
#define SEED_D		0xd00d00000000000dULL
#define PIN_FAST	GUPBENCH_API_PIN_USER_PAGES_FAST

FIXTURE(hold) {
	int fd1, fd2;		/* two opens of the device */
	struct gb_buf a, b;	/* NR_A and NR_B base pages */
	struct gb_pins p0;	/* the counters when setup ended */
};

FIXTURE_VARIANT(hold) {
	unsigned int api;
};

FIXTURE_VARIANT_ADD(hold, get_user_pages) {
	.api = GUPBENCH_API_GET_USER_PAGES,
};

FIXTURE_VARIANT_ADD(hold, get_user_pages_fast) {
	.api = GUPBENCH_API_GET_USER_PAGES_FAST,
};

FIXTURE_VARIANT_ADD(hold, get_user_pages_unlocked) {
	.api = GUPBENCH_API_GET_USER_PAGES_UNLOCKED,
};

FIXTURE_VARIANT_ADD(hold, get_user_pages_remote) {
	.api = GUPBENCH_API_GET_USER_PAGES_REMOTE,
};

FIXTURE_VARIANT_ADD(hold, pin_user_pages) {
	.api = GUPBENCH_API_PIN_USER_PAGES,
};

FIXTURE_VARIANT_ADD(hold, pin_user_pages_fast) {
	.api = GUPBENCH_API_PIN_USER_PAGES_FAST,
};

FIXTURE_VARIANT_ADD(hold, pin_user_pages_unlocked) {
	.api = GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
};

FIXTURE_VARIANT_ADD(hold, pin_user_pages_remote) {
	.api = GUPBENCH_API_PIN_USER_PAGES_REMOTE,
};

FIXTURE_SETUP(hold)
{
	const char *why_not;
	char why[256];

	self->fd1 = gb_open();
	if (self->fd1 < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, self->fd1)
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));
	self->fd2 = gb_open();
	ASSERT_LE(0, self->fd2);
	why_not = gb_hold_unsupported(self->fd1, variant->api);
	if (why_not)
		SKIP(return, "%s", why_not);
	ASSERT_EQ(0, gb_buf_map(&self->a, GB_MEM_BASE, NR_A * GB_PAGE_SIZE,
				why, sizeof(why)));
	ASSERT_EQ(0, gb_buf_map(&self->b, GB_MEM_BASE, NR_B * GB_PAGE_SIZE,
				why, sizeof(why)));
	gb_fill(self->a.addr, self->a.len, SEED_A);
	gb_fill(self->b.addr, self->b.len, SEED_B);
	ASSERT_EQ(0, gb_pins_read(&self->p0))
		TH_LOG("/proc/vmstat pin counters: %s", strerror(errno));
}

FIXTURE_TEARDOWN(hold)
{
	gb_buf_unmap(&self->a);
	gb_buf_unmap(&self->b);
	if (self->fd1 >= 0)
		close(self->fd1);
	if (self->fd2 >= 0)
		close(self->fd2);
}

static int hold(int fd, unsigned int api, uint64_t flags,
		const struct gb_buf *b)
{
	struct gupbench_run run;
	int ret;

	gb_run_init(&run, api, gb_hold_flags(api, flags), b->addr, b->len, 0);
	ret = gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run);
	if (!ret && run.pages_done != b->len / GB_PAGE_SIZE)
		ret = -1;
	return ret;
}

/* Whether the kernel may FILL a write hold of @api: pins only. */
static bool fills(unsigned int api)
{
	return gb_api_pins(api);
}

/* Pins the kernel counts for @pages pages taken with @api. */
static int64_t pins(unsigned int api, unsigned long pages)
{
	return gb_api_pins(api) ? (int64_t)pages : 0;
}

static void expect_pins(struct __test_metadata *_metadata,
			const struct gb_pins *p0, int64_t acquired,
			int64_t released)
{
	struct gb_pins p1;

	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(acquired, p1.acquired - p0->acquired)
		TH_LOG("nr_foll_pin_acquired delta");
	EXPECT_EQ(released, p1.released - p0->released)
		TH_LOG("nr_foll_pin_released delta");
}

/* CHECKSUM and VERIFY of @fd's hold against what userspace sees in @b. */
static void expect_held(struct __test_metadata *_metadata, int fd,
			const struct gb_buf *b, uint64_t seed)
{
	struct gupbench_content c;

	ASSERT_EQ(0, gb_content(fd, GUPBENCH_CONTENT_CHECKSUM, 0, &c));
	EXPECT_EQ(b->len / GB_PAGE_SIZE, c.pages);
	EXPECT_EQ(gb_checksum(b->addr, b->len), c.checksum)
		TH_LOG("held pages differ from userspace's");
	ASSERT_EQ(0, gb_content(fd, GUPBENCH_CONTENT_VERIFY, seed, &c));
	EXPECT_EQ(0U, c.bad_pages) TH_LOG("first bad byte at %llu",
					  (unsigned long long)c.first_bad);
}

TEST_F(hold, two_files)
{
	struct gupbench_content c;

	ASSERT_EQ(0, hold(self->fd1, variant->api, GUPBENCH_F_WRITE,
			  &self->a));
	ASSERT_EQ(0, hold(self->fd2, variant->api, 0, &self->b));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B), 0);

	expect_held(_metadata, self->fd1, &self->a, SEED_A);
	expect_held(_metadata, self->fd2, &self->b, SEED_B);
	/* each file holds its own range, not the other's */
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_VERIFY, SEED_B,
				&c));
	EXPECT_EQ(NR_A, c.bad_pages);

	ASSERT_EQ(0, gb_ioctl(self->fd2, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B),
		    pins(variant->api, NR_B));
	expect_held(_metadata, self->fd1, &self->a, SEED_A);
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B),
		    pins(variant->api, NR_A + NR_B));
}

TEST_F(hold, second_hold_busy)
{
	struct gupbench_content c;

	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	EXPECT_EQ(EBUSY, hold(self->fd1, variant->api, 0, &self->b));
	EXPECT_EQ(EBUSY, hold(self->fd1, variant->api, 0, &self->a));
	/* the refused HOLDs took nothing and did not replace the first */
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A), 0);
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_CHECKSUM, 0, &c));
	EXPECT_EQ(NR_A, c.pages);
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

TEST_F(hold, unhold_without_hold)
{
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	/* the other file holds nothing */
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd2, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

TEST_F(hold, content_without_hold)
{
	const unsigned int ops[] = { GUPBENCH_CONTENT_CHECKSUM,
				     GUPBENCH_CONTENT_VERIFY,
				     GUPBENCH_CONTENT_FILL };
	struct gupbench_content c;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(ENOENT, gb_content(self->fd1, ops[i], SEED_A, &c))
			TH_LOG("op %u", ops[i]);
	}
	ASSERT_EQ(0, hold(self->fd1, variant->api, GUPBENCH_F_WRITE,
			  &self->a));
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(ENOENT, gb_content(self->fd1, ops[i], SEED_A, &c))
			TH_LOG("op %u after UNHOLD", ops[i]);
	}
	/* FILL after UNHOLD must not have written anything */
	EXPECT_EQ(0U, gb_bad_pages(self->a.addr, self->a.len, SEED_A));
}

/* Writing into pages taken without FOLL_WRITE would bypass COW. */
TEST_F(hold, fill_on_read_hold)
{
	struct gupbench_content c;

	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	EXPECT_EQ(EPERM, gb_content(self->fd1, GUPBENCH_CONTENT_FILL, SEED_C,
				    &c));
	EXPECT_EQ(0U, gb_bad_pages(self->a.addr, self->a.len, SEED_A));
	expect_held(_metadata, self->fd1, &self->a, SEED_A);
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

TEST_F(hold, bad_content_op)
{
	const uint32_t ops[] = { GUPBENCH_CONTENT_COUNT, 1000, UINT32_MAX };
	struct gupbench_content c;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(EINVAL, gb_content(self->fd1, ops[i], 0, &c))
			TH_LOG("op %u, no hold", ops[i]);
	}
	ASSERT_EQ(0, hold(self->fd1, variant->api, GUPBENCH_F_WRITE,
			  &self->a));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(EINVAL, gb_content(self->fd1, ops[i], 0, &c))
			TH_LOG("op %u, held", ops[i]);
	}
	EXPECT_EQ(0U, gb_bad_pages(self->a.addr, self->a.len, SEED_A));
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

TEST_F(hold, close_releases)
{
	struct gupbench_content c;

	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	ASSERT_EQ(0, hold(self->fd2, variant->api, GUPBENCH_F_WRITE,
			  &self->b));
	ASSERT_EQ(fills(variant->api) ? 0 : EPERM,
		  gb_content(self->fd2, GUPBENCH_CONTENT_FILL, SEED_C, &c));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B), 0);

	ASSERT_EQ(0, close(self->fd1));
	self->fd1 = -1;
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B),
		    pins(variant->api, NR_A));
	/* the written hold goes back dirty, and the data stays */
	ASSERT_EQ(0, close(self->fd2));
	self->fd2 = -1;
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A + NR_B),
		    pins(variant->api, NR_A + NR_B));
	EXPECT_EQ(0U, gb_bad_pages(self->b.addr, self->b.len,
				   fills(variant->api) ? SEED_C : SEED_B));
}

/* VmPin of /proc/self/status, in kB (the mm's pinned_vm); -1 if unread. */
static long vm_pin_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * A hold lasts as long as userspace likes, so a pinned one must be
 * FOLL_LONGTERM: a short-term pin is refused before anything is taken or
 * charged.  A plain reference cannot be long-term (FOLL_LONGTERM is for
 * pins): refused too.
 */
TEST_F(hold, short_term_pin_refused)
{
	uint64_t lt = gb_api_pins(variant->api) ? 0 : GUPBENCH_F_LONGTERM;
	long vm_pin = vm_pin_kb();
	struct gupbench_run run;

	gb_run_init(&run, variant->api, GUPBENCH_F_WRITE | lt, self->a.addr,
		    self->a.len, 0);
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd1, GUPBENCH_IOC_HOLD, &run));
	EXPECT_EQ(0U, run.pages_done);
	EXPECT_EQ(vm_pin, vm_pin_kb()) TH_LOG("a refused hold was charged");
	expect_pins(_metadata, &self->p0, 0, 0);
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
}

/* The hold is state of the open file, so a dup() shares it. */
TEST_F(hold, dup_shares_hold)
{
	int fd = dup(self->fd1);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	EXPECT_EQ(EBUSY, hold(fd, variant->api, 0, &self->b));
	EXPECT_EQ(0, gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(ENOENT, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	close(fd);
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

/* A hold is charged to the holder's pinned_vm, and uncharged on UNHOLD. */
TEST_F(hold, charged_to_pinned_vm)
{
	long before = vm_pin_kb();

	ASSERT_LE(0, before) TH_LOG("no VmPin in /proc/self/status");
	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	EXPECT_EQ(before + (long)(NR_A * GB_PAGE_SIZE / 1024), vm_pin_kb());
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(before, vm_pin_kb());
	/* close() uncharges too */
	ASSERT_EQ(0, hold(self->fd2, variant->api, 0, &self->b));
	close(self->fd2);
	self->fd2 = -1;
	EXPECT_EQ(before, vm_pin_kb());
}

/*
 * The pages of a hold are the memory of the process that took it: a
 * process that got the file by fork may not read them (EPERM).
 */
TEST_F(hold, content_only_for_the_holder)
{
	struct gupbench_content c;
	int status;
	pid_t pid;

	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(gb_content(self->fd1, GUPBENCH_CONTENT_CHECKSUM, 0, &c) ==
		      EPERM ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("a child read its parent's hold (status 0x%x)", status);
	expect_held(_metadata, self->fd1, &self->a, SEED_A);
	EXPECT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
}

/* READ copies out exactly the held bytes asked for, and nothing else. */
TEST_F(hold, read_copies_the_held_bytes)
{
	const size_t off = 100, len = 3 * GB_PAGE_SIZE + 17;
	struct gupbench_content c;
	char out[3 * 4096 + 64];

	ASSERT_EQ(0, hold(self->fd1, variant->api, 0, &self->a));
	memset(out, 0x5a, sizeof(out));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = GUPBENCH_CONTENT_READ;
	c.buf = (uintptr_t)out;
	c.offset = off;
	c.len = len;
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_CONTENT, &c));
	EXPECT_EQ(0, memcmp(out, (char *)self->a.addr + off, len));
	EXPECT_EQ(0x5a, out[len]) TH_LOG("READ wrote past len");
	EXPECT_EQ(NR_A, c.pages);
	/* nothing, or beyond the hold: EINVAL; a bad buffer: EFAULT */
	c.len = 0;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd1, GUPBENCH_IOC_CONTENT, &c));
	c.offset = NR_A * GB_PAGE_SIZE - 8;
	c.len = 9;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd1, GUPBENCH_IOC_CONTENT, &c));
	c.offset = UINT64_MAX - 4;
	c.len = 16;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd1, GUPBENCH_IOC_CONTENT, &c));
	c.offset = 0;
	c.len = 64;
	c.buf = 0;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd1, GUPBENCH_IOC_CONTENT, &c));
	EXPECT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

/* What userspace writes, the kernel reads, and the other way round. */
static void check_identity(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hold) *self, unsigned int api,
			   bool write)
{
	struct gupbench_content c;
	uint64_t *word;

	ASSERT_EQ(0, hold(self->fd1, api, write ? GUPBENCH_F_WRITE : 0,
			  &self->a));
	expect_held(_metadata, self->fd1, &self->a, SEED_A);

	gb_fill(self->a.addr, self->a.len, SEED_C);
	expect_held(_metadata, self->fd1, &self->a, SEED_C);
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_VERIFY, SEED_A,
				&c));
	EXPECT_EQ(NR_A, c.bad_pages) TH_LOG("stale pages held");

	/* one word in page 5: one bad page, found at its offset */
	word = (uint64_t *)(self->a.addr + 5 * GB_PAGE_SIZE + 24);
	*word ^= 1;
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_VERIFY, SEED_C,
				&c));
	EXPECT_EQ(1U, c.bad_pages);
	EXPECT_EQ(5 * GB_PAGE_SIZE + 24, c.first_bad);
	*word ^= 1;

	if (write && !fills(api)) {
		EXPECT_EQ(EPERM, gb_content(self->fd1, GUPBENCH_CONTENT_FILL,
					    SEED_D, &c))
			TH_LOG("FILL into a plain-reference hold");
		write = false;
	} else if (write) {
		ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_FILL,
					SEED_D, &c));
		EXPECT_EQ(NR_A, c.pages);
		EXPECT_EQ(0U, gb_bad_pages(self->a.addr, self->a.len, SEED_D))
			TH_LOG("userspace does not see the kernel's FILL");
		expect_held(_metadata, self->fd1, &self->a, SEED_D);
	}
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(0U, gb_bad_pages(self->a.addr, self->a.len,
				   write ? SEED_D : SEED_C));
	expect_pins(_metadata, &self->p0, pins(api, NR_A), pins(api, NR_A));
}

TEST_F(hold, identity_write)
{
	check_identity(_metadata, self, variant->api, true);
}

TEST_F(hold, identity_read)
{
	check_identity(_metadata, self, variant->api, false);
}

/* RUN on held memory, from another file and from the holding one. */
TEST_F(hold, survives_run)
{
	struct gupbench_run run;
	int64_t p = pins(variant->api, NR_A);

	ASSERT_EQ(0, hold(self->fd1, variant->api, GUPBENCH_F_WRITE,
			  &self->a));
	gb_run_init(&run, variant->api, GUPBENCH_F_WRITE, self->a.addr,
		    self->a.len, 7);
	ASSERT_EQ(0, gb_ioctl(self->fd2, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(NR_A, run.pages_done);
	EXPECT_EQ(0U, run.unpinned_pages);
	expect_pins(_metadata, &self->p0, 2 * p, p);

	gb_run_init(&run, variant->api, 0, self->a.addr, self->a.len, 0);
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(NR_A, run.pages_done);
	expect_pins(_metadata, &self->p0, 3 * p, 2 * p);

	expect_held(_metadata, self->fd1, &self->a, SEED_A);
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, 3 * p, 3 * p);
}

/* Held pages outlive the mapping they were taken from. */
TEST_F(hold, survives_munmap)
{
	struct gupbench_content c;
	uint64_t sum = gb_checksum(self->a.addr, self->a.len);

	ASSERT_EQ(0, hold(self->fd1, variant->api, GUPBENCH_F_WRITE,
			  &self->a));
	gb_buf_unmap(&self->a);
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_CHECKSUM, 0, &c));
	EXPECT_EQ(sum, c.checksum);
	ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_VERIFY, SEED_A,
				&c));
	EXPECT_EQ(0U, c.bad_pages);
	if (fills(variant->api)) {
		ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_FILL,
					SEED_C, &c));
		ASSERT_EQ(0, gb_content(self->fd1, GUPBENCH_CONTENT_VERIFY,
					SEED_C, &c));
		EXPECT_EQ(0U, c.bad_pages);
	}
	ASSERT_EQ(0, gb_ioctl(self->fd1, GUPBENCH_IOC_UNHOLD, NULL));
	expect_pins(_metadata, &self->p0, pins(variant->api, NR_A),
		    pins(variant->api, NR_A));
}

/*
 * Without CAP_IPC_LOCK a hold counts against RLIMIT_MEMLOCK, as io_uring
 * and RDMA registrations do: a child that gave up root (and so the
 * capability) on an open file gets ENOMEM beyond its limit, not before.
 */
TEST(memlock_limit_without_cap_ipc_lock)
{
	const size_t len = 64 * GB_PAGE_SIZE;
	int fd = gb_open(), status;
	struct gupbench_run run;
	pid_t pid;
	char *buf;

	if (fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, fd);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit lim = { 32 * GB_PAGE_SIZE, 32 * GB_PAGE_SIZE };

		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setgid(65534) ||
		    setuid(65534))
			_exit(2);
		gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf,
			    len, 0);
		if (gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run) != ENOMEM)
			_exit(3);
		gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf,
			    len / 2, 0);
		if (gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run))
			_exit(4);
		_exit(gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL) ? 5 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("status 0x%x (2: could not drop root, 3: the hold over "
		       "the limit was not ENOMEM, 4: the one within it failed)",
		       status);
	close(fd);
	munmap(buf, len);
}

#define MAX_HELD "/sys/module/gupbench/parameters/max_held"

static int write_param(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%lu\n", v) < 0;
	return fclose(f) || ret ? -1 : 0;
}

/* The module-wide limit on held pages, max_held, holds for root too. */
TEST(module_wide_limit)
{
	const size_t len = 64 * GB_PAGE_SIZE;
	struct gupbench_run run;
	int fd1 = gb_open(), fd2 = gb_open();
	uint64_t old;
	char *buf;

	if (fd1 < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, gb_read_u64(MAX_HELD, &old)) TH_LOG("%s", MAX_HELD);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, write_param(MAX_HELD, 96));
	gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf, len, 0);
	EXPECT_EQ(0, gb_ioctl(fd1, GUPBENCH_IOC_HOLD, &run));
	/* 64 + 64 > 96: the second file is refused, the first unaffected */
	gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf, len, 0);
	EXPECT_EQ(ENOMEM, gb_ioctl(fd2, GUPBENCH_IOC_HOLD, &run));
	gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf, len / 2, 0);
	EXPECT_EQ(0, gb_ioctl(fd2, GUPBENCH_IOC_HOLD, &run));
	EXPECT_EQ(0, write_param(MAX_HELD, old));
	close(fd1);
	close(fd2);
	munmap(buf, len);
}

/*
 * FILL never writes into a file system's page cache, whatever the pin:
 * that would bypass page_mkwrite and writeback.  A MAP_SHARED file on a
 * ramfs the test mounts (not shmem): 6.5+ refuses the long-term write pin
 * itself (EFAULT: the mapping is dirty-tracked), older kernels take it
 * and the module refuses the FILL (EPERM).  A read hold of it is fine,
 * FILL on it is not.
 */
TEST(fill_refused_on_file_page_cache)
{
	const size_t len = 16 * GB_PAGE_SIZE;
	char dir[] = "/tmp/gupbench-ramfs-XXXXXX", path[64];
	struct gupbench_content c;
	struct gupbench_run run;
	struct gb_pins p0, p1;
	int fd = gb_open(), file, err;
	char *buf;

	if (fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, mkdtemp(dir));
	if (mount("none", dir, "ramfs", 0, NULL)) {
		err = errno;
		rmdir(dir);
		close(fd);
		SKIP(return, "cannot mount a ramfs: %s", strerror(err));
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	file = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, file);
	ASSERT_EQ(0, ftruncate(file, len));
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
	ASSERT_NE(MAP_FAILED, buf);
	gb_fill(buf, len, SEED_A);
	ASSERT_EQ(0, gb_pins_read(&p0));

	gb_run_init(&run, PIN_FAST, GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM,
		    buf, len, 0);
	err = gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run);
	if (err) {
		EXPECT_EQ(EFAULT, err) TH_LOG("long-term write pin of a file");
		TH_LOG("the kernel refuses the long-term write pin: %s",
		       strerror(err));
	} else {
		EXPECT_EQ(EPERM, gb_content(fd, GUPBENCH_CONTENT_FILL, SEED_C,
					    &c))
			TH_LOG("FILL wrote into page cache");
		ASSERT_EQ(0, gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL));
	}
	gb_run_init(&run, PIN_FAST, GUPBENCH_F_LONGTERM, buf, len, 0);
	ASSERT_EQ(0, gb_ioctl(fd, GUPBENCH_IOC_HOLD, &run));
	EXPECT_EQ(EPERM, gb_content(fd, GUPBENCH_CONTENT_FILL, SEED_C, &c));
	ASSERT_EQ(0, gb_content(fd, GUPBENCH_CONTENT_VERIFY, SEED_A, &c));
	EXPECT_EQ(0U, c.bad_pages);
	ASSERT_EQ(0, gb_ioctl(fd, GUPBENCH_IOC_UNHOLD, NULL));
	EXPECT_EQ(0U, gb_bad_pages(buf, len, SEED_A));
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(p1.acquired - p0.acquired, p1.released - p0.released);
	munmap(buf, len);
	close(file);
	unlink(path);
	EXPECT_EQ(0, umount(dir));
	rmdir(dir);
	close(fd);
}

TEST_HARNESS_MAIN
