// SPDX-License-Identifier: GPL-2.0
/*
 * The ABI as published: what GUPBENCH_IOC_CAPS reports, the struct
 * layouts of version 1, and the device node (root only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"

#define MAX_LEN_PARAM	"/sys/module/gupbench/parameters/max_len"

FIXTURE(abi) {
	int fd;
};

FIXTURE_SETUP(abi)
{
	self->fd = gb_open();
	if (self->fd < 0 && gb_no_device(errno))
		SKIP(return, "%s", gb_no_device(errno));
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", GUPBENCH_DEVICE, strerror(errno));
}

FIXTURE_TEARDOWN(abi)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(abi, caps)
{
	struct gupbench_caps caps;
	struct utsname uts;
	uint64_t param;

	ASSERT_EQ(0, gb_caps(self->fd, &caps));
	ASSERT_EQ(0, uname(&uts));
	EXPECT_EQ(sizeof(caps), caps.size);
	EXPECT_EQ((__u32)GUPBENCH_ABI_VERSION, caps.abi_version);
	/* every API of the header, noop included */
	EXPECT_EQ((1ULL << GUPBENCH_API_COUNT) - 1, caps.apis);
	/* FOLL_NOFAULT (5.16) and get_user_pages_fast_only (5.9) included */
	EXPECT_EQ(GUPBENCH_F_ALL, caps.flags);
	EXPECT_EQ((__u32)sysconf(_SC_PAGESIZE), caps.page_size);
	EXPECT_EQ(sizeof(struct gupbench_run), caps.run_size);
	EXPECT_NE(0U, caps.max_len);
	if (!gb_read_u64(MAX_LEN_PARAM, &param))
		EXPECT_EQ(param, caps.max_len);

	ASSERT_NE(NULL, memchr(caps.kernel_release, '\0',
			       sizeof(caps.kernel_release)));
	EXPECT_STREQ(uts.release, caps.kernel_release);
	ASSERT_NE(NULL, memchr(caps.module_version, '\0',
			       sizeof(caps.module_version)));
	EXPECT_NE(0, caps.module_version[0]);
	/* FOLL_LONGTERM: every pin API, and pin_user_pages_unlocked only
	 * from 6.3 on (before, get_user_pages_unlocked() WARNs on it) */
	for (unsigned int api = GUPBENCH_API_GET_USER_PAGES;
	     api < GUPBENCH_API_COUNT; api++) {
		bool want = gb_api_pins(api) &&
			    !(api == GUPBENCH_API_PIN_USER_PAGES_UNLOCKED &&
			      gb_kernel_before(6, 3));

		EXPECT_EQ(want, !!(caps.longterm_apis & (1ULL << api)))
			TH_LOG("longterm_apis for %s", gb_api_name(api));
	}
	TH_LOG("module %s for %s, max_len %llu", caps.module_version,
	       caps.kernel_release, (unsigned long long)caps.max_len);
}

/* Version 1 of the ABI, byte for byte: these may never move. */
TEST(layout_v1)
{
	EXPECT_EQ((size_t)GUPBENCH_RUN_SIZE_VER3, sizeof(struct gupbench_run));
	EXPECT_EQ((size_t)GUPBENCH_RUN_SIZE_VER2,
		  offsetof(struct gupbench_run, order_pages));
	EXPECT_EQ(352U, sizeof(struct gupbench_run));
	EXPECT_EQ((size_t)GUPBENCH_RUN_SIZE_VER1,
		  offsetof(struct gupbench_run, zero_pages));
	EXPECT_EQ(184U, offsetof(struct gupbench_run, longterm_unpinnable));
	EXPECT_EQ((size_t)GUPBENCH_CAPS_SIZE_VER2, sizeof(struct gupbench_caps));
	EXPECT_EQ(144U, offsetof(struct gupbench_run, get_instructions));
	EXPECT_EQ(160U, offsetof(struct gupbench_run, pins_taken));
	EXPECT_EQ(152U, offsetof(struct gupbench_caps, instr_error));
	EXPECT_EQ((size_t)GUPBENCH_CONTENT_SIZE_VER1,
		  sizeof(struct gupbench_content));
	EXPECT_EQ((size_t)GUPBENCH_CONTENT_SIZE_VER0,
		  offsetof(struct gupbench_content, buf));
	EXPECT_EQ(24U, sizeof(struct gupbench_sample));

	EXPECT_EQ(0U, offsetof(struct gupbench_run, size));
	EXPECT_EQ(4U, offsetof(struct gupbench_run, api));
	EXPECT_EQ(8U, offsetof(struct gupbench_run, flags));
	EXPECT_EQ(16U, offsetof(struct gupbench_run, addr));
	EXPECT_EQ(24U, offsetof(struct gupbench_run, len));
	EXPECT_EQ(32U, offsetof(struct gupbench_run, batch));
	EXPECT_EQ(40U, offsetof(struct gupbench_run, samples));
	EXPECT_EQ(48U, offsetof(struct gupbench_run, samples_cap));
	EXPECT_EQ(56U, offsetof(struct gupbench_run, release));
	EXPECT_EQ(60U, offsetof(struct gupbench_run, __reserved));
	EXPECT_EQ(64U, offsetof(struct gupbench_run, out_flags));
	EXPECT_EQ(136U, offsetof(struct gupbench_run, fail_addr));

	EXPECT_EQ(0U, offsetof(struct gupbench_caps, size));
	EXPECT_EQ(8U, offsetof(struct gupbench_caps, apis));
	EXPECT_EQ(32U, offsetof(struct gupbench_caps, page_size));
	EXPECT_EQ(40U, offsetof(struct gupbench_caps, module_version));
	EXPECT_EQ(72U, offsetof(struct gupbench_caps, kernel_release));
	EXPECT_EQ((size_t)GUPBENCH_CAPS_SIZE_VER0,
		  offsetof(struct gupbench_caps, longterm_apis));

	EXPECT_EQ(0U, offsetof(struct gupbench_content, size));
	EXPECT_EQ(8U, offsetof(struct gupbench_content, seed));
	EXPECT_EQ(40U, offsetof(struct gupbench_content, pages));

	EXPECT_EQ(0U, offsetof(struct gupbench_sample, get_ns));
	EXPECT_EQ(16U, offsetof(struct gupbench_sample, pages));
}

/*
 * ABI 2's numbers: 'Y', read-write, the size of each struct's first
 * version (the struct's own size field is what grows).
 */
TEST(ioctl_numbers)
{
	EXPECT_EQ((unsigned int)GUPBENCH_RUN_SIZE_VER0, _IOC_SIZE(GUPBENCH_IOC_RUN));
	EXPECT_EQ((unsigned int)GUPBENCH_RUN_SIZE_VER0, _IOC_SIZE(GUPBENCH_IOC_HOLD));
	EXPECT_EQ((unsigned int)GUPBENCH_CAPS_SIZE_VER0, _IOC_SIZE(GUPBENCH_IOC_CAPS));
	EXPECT_EQ((unsigned int)GUPBENCH_CONTENT_SIZE_VER0,
		  _IOC_SIZE(GUPBENCH_IOC_CONTENT));
	EXPECT_EQ((unsigned int)(_IOC_READ | _IOC_WRITE), _IOC_DIR(GUPBENCH_IOC_RUN));
	EXPECT_EQ(0U, _IOC_DIR(GUPBENCH_IOC_UNHOLD));
	EXPECT_EQ((unsigned int)'Y', _IOC_TYPE(GUPBENCH_IOC_CAPS));
	EXPECT_EQ(0U, _IOC_NR(GUPBENCH_IOC_CAPS));
	EXPECT_EQ(1U, _IOC_NR(GUPBENCH_IOC_RUN));
	EXPECT_EQ(2U, _IOC_NR(GUPBENCH_IOC_HOLD));
	EXPECT_EQ(3U, _IOC_NR(GUPBENCH_IOC_UNHOLD));
	EXPECT_EQ(4U, _IOC_NR(GUPBENCH_IOC_CONTENT));
}

/* The pattern and hash both sides compute, pinned to known values. */
TEST(pattern_and_hash)
{
	uint64_t w[2] = { gupbench_pattern_word(1, 0),
			  gupbench_pattern_word(1, 8) };

	EXPECT_EQ(1U, w[0]);
	EXPECT_EQ(1ULL ^ 8 ^ (8ULL << 29), w[1]);
	EXPECT_EQ((GUPBENCH_HASH_INIT ^ 1) * GUPBENCH_HASH_PRIME,
		  gb_checksum(w, sizeof(w[0])));
	EXPECT_EQ(((GUPBENCH_HASH_INIT ^ w[0]) * GUPBENCH_HASH_PRIME ^ w[1]) *
		  GUPBENCH_HASH_PRIME, gb_checksum(w, sizeof(w)));
}

/* A misc char device, root only: GUP on anyone's behalf is not for all. */
TEST_F(abi, device_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(GUPBENCH_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	EXPECT_EQ(0U, st.st_gid);
	EXPECT_EQ(10U, major(st.st_rdev)) TH_LOG("not a misc device");
}

TEST_F(abi, nonroot_refused)
{
	int status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to drop to uid 65534");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (gb_open() >= 0)
			_exit(1);
		_exit(errno == EACCES ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("1: uid 65534 opened %s; 2: setuid failed; 3: not EACCES",
		       GUPBENCH_DEVICE);
}

/*
 * A caller built against version 0 of struct gupbench_caps (144 bytes)
 * gets exactly those bytes back: the fields added since are not written.
 */
TEST_F(abi, caps_ver0_caller)
{
	unsigned char buf[sizeof(struct gupbench_caps)];
	struct gupbench_caps *caps = (struct gupbench_caps *)buf;

	memset(buf, 0, sizeof(buf));
	memset(buf + GUPBENCH_CAPS_SIZE_VER0, 0xa5,
	       sizeof(buf) - GUPBENCH_CAPS_SIZE_VER0);
	/* the tail beyond VER0 is not the caller's: it is not checked either */
	caps->size = GUPBENCH_CAPS_SIZE_VER0;
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, caps));
	EXPECT_EQ((__u32)GUPBENCH_ABI_VERSION, caps->abi_version);
	for (size_t i = GUPBENCH_CAPS_SIZE_VER0; i < sizeof(buf); i++) {
		EXPECT_EQ(0xa5, buf[i]) TH_LOG("byte %zu written", i);
	}
}

TEST_HARNESS_MAIN

/*
 * The instruction counter: where the kernel gives none (no PMU, as under
 * QEMU TCG), RUN with GUPBENCH_F_INSTRUCTIONS is EOPNOTSUPP and takes
 * nothing; where it does, the counts come back flagged.  HOLD never
 * counts: EINVAL.
 */
TEST_F(abi, instructions)
{
	const size_t len = 64 * 4096;
	struct gupbench_caps caps;
	struct gupbench_run run;
	struct gb_pins p0, p1;
	char *buf;

	ASSERT_EQ(0, gb_caps(self->fd, &caps));
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);

	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST,
		    GUPBENCH_F_INSTRUCTIONS, buf, len, 16);
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_HOLD, &run));

	ASSERT_EQ(0, gb_pins_read(&p0));
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST,
		    GUPBENCH_F_INSTRUCTIONS, buf, len, 16);
	if (caps.instr_error) {
		EXPECT_EQ(EOPNOTSUPP, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_EQ(0U, run.pages_done);
		EXPECT_EQ(0U, run.out_flags & GUPBENCH_OUT_INSTRUCTIONS);
		TH_LOG("no instruction counter here: %s",
		       strerror(caps.instr_error));
	} else {
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_NE(0U, run.out_flags & GUPBENCH_OUT_INSTRUCTIONS);
		EXPECT_LT(0U, run.get_instructions);
		EXPECT_LT(0U, run.put_instructions);
	}
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(p1.acquired - p0.acquired, p1.released - p0.released);
	munmap(buf, len);
}

/*
 * Totals are sums of timed windows of caps.window_pages pages, and the
 * per-call samples of a window add up to it: their sum never exceeds the
 * total, and with one call per page every call was sampled.
 */
TEST_F(abi, windows)
{
	const size_t pages = 8192, len = pages * 4096;	/* two windows */
	struct gupbench_sample *s;
	struct gupbench_caps caps;
	struct gupbench_run run;
	uint64_t sum = 0;
	char *buf;

	ASSERT_EQ(0, gb_caps(self->fd, &caps));
	EXPECT_EQ(4096U, caps.window_pages);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	s = calloc(pages, sizeof(*s));
	ASSERT_NE(NULL, s);

	gb_run_init(&run, GUPBENCH_API_GET_USER_PAGES_FAST, 0, buf, len, 1);
	run.samples = (uintptr_t)s;
	run.samples_cap = pages;
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_NE(0U, run.out_flags & GUPBENCH_OUT_WINDOWS);
	EXPECT_EQ(pages, run.calls);
	EXPECT_EQ(pages, run.samples_written);
	for (size_t i = 0; i < pages; i++) {
		EXPECT_EQ(1U, s[i].pages);
		sum += s[i].get_ns;
	}
	EXPECT_LT(0U, sum);
	EXPECT_GE(run.get_ns, sum);
	free(s);
	munmap(buf, len);
}

/* How often @what appears in the kernel log buffer; -1 if unreadable. */
static int klog_count(const char *what)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0), n = 0;
	char *buf, *p;

	if (len <= 0 || !(buf = calloc(1, (size_t)len + 1)))
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	for (p = buf; len > 0 && (p = strstr(p, what)); p++)
		n++;
	free(buf);
	return len < 0 ? -1 : n;
}

/*
 * DUMP dump_page()s the chosen pages of a range it takes and releases
 * (gup_test's DUMP_USER_PAGES_TEST); indices outside the range and bad
 * shapes are EINVAL, and nothing stays pinned either way.
 */
TEST_F(abi, dump_pages)
{
	const size_t pages = 16, len = pages * 4096;
	uint64_t idx[3] = { 0, 15, 7 };
	struct gupbench_dump d;
	struct gb_pins p0, p1;
	int before;
	char *buf;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	before = klog_count("gupbench dump");
	ASSERT_LE(0, before) TH_LOG("kernel log: %s", strerror(errno));
	ASSERT_EQ(0, gb_pins_read(&p0));
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.api = GUPBENCH_API_PIN_USER_PAGES_FAST;
	d.addr = (uintptr_t)buf;
	d.len = len;
	d.pages = (uintptr_t)idx;
	d.nr = 3;
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	EXPECT_EQ(3U, d.dumped);
	EXPECT_EQ(before + 3, klog_count("gupbench dump"));
	idx[2] = pages;		/* one past the range */
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	idx[2] = 7;
	d.nr = 0;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	d.nr = GUPBENCH_DUMP_MAX + 1;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	d.nr = 3;
	d.api = GUPBENCH_API_NOOP;
	EXPECT_EQ(EINVAL, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	d.api = GUPBENCH_API_GET_USER_PAGES;
	d.pages = 0;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_DUMP, &d));
	ASSERT_EQ(0, gb_pins_read(&p1));
	EXPECT_EQ(p1.acquired - p0.acquired, p1.released - p0.released);
	munmap(buf, len);
}

/* ABI 1's numbers are refused: an old tool learns it must be updated. */
TEST_F(abi, abi1_numbers_refused)
{
	struct gupbench_caps caps;

	for (unsigned int nr = 0; nr <= GUPBENCH_IOC_ABI1_LAST; nr++) {
		memset(&caps, 0, sizeof(caps));
		caps.size = sizeof(caps);
		EXPECT_EQ(ENOTTY, gb_ioctl(self->fd,
					   _IO(GUPBENCH_IOC_ABI1_MAGIC, nr), &caps))
			TH_LOG("ABI 1 number %u", nr);
	}
	EXPECT_EQ(0, gb_caps(self->fd, &caps));
	EXPECT_EQ(2U, caps.abi_version);
}

/*
 * The CAPS reply is the module's alone: a caller that sends garbage in
 * the struct gets no bit of it back.
 */
TEST_F(abi, caps_reply_ignores_what_was_sent)
{
	struct gupbench_caps clean, dirty;
	uint64_t want = 0;

	ASSERT_EQ(0, gb_caps(self->fd, &clean));
	memset(&dirty, 0xa5, sizeof(dirty));
	dirty.size = sizeof(dirty);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_CAPS, &dirty));
	/* noop takes every FOLL flag; of the rest only the pin_* family */
	for (unsigned int api = 0; api < GUPBENCH_API_COUNT; api++)
		if (api == GUPBENCH_API_NOOP || gb_api_pins(api))
			want |= 1ULL << api;
	EXPECT_EQ(clean.longterm_apis, dirty.longterm_apis);
	EXPECT_EQ(0U, dirty.longterm_apis & ~want);
	EXPECT_EQ(0, memcmp(&clean, &dirty, sizeof(clean)))
		TH_LOG("the reply kept bytes the caller sent");
}

/*
 * Read-only GUP of anonymous memory never written returns the shared
 * zero page; since 6.5 pin_* do not pin it.  The module counts those
 * pages as zero_pages, never as pages that failed to be pinned.
 */
TEST_F(abi, zero_page_counted_on_its_own)
{
	static const unsigned int apis[] = { GUPBENCH_API_GET_USER_PAGES_FAST,
					     GUPBENCH_API_PIN_USER_PAGES_FAST,
					     GUPBENCH_API_PIN_USER_PAGES };
	const size_t pages = 16, len = pages * 4096;
	struct gupbench_run run;
	char *buf;

	/* 64 KiB: too small for a huge zero page */
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (size_t i = 0; i < sizeof(apis) / sizeof(apis[0]); i++) {
		gb_run_init(&run, apis[i], 0, buf, len, 0);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run))
			TH_LOG("%s", gb_api_name(apis[i]));
		EXPECT_EQ(pages, run.zero_pages) TH_LOG("%s", gb_api_name(apis[i]));
		EXPECT_EQ(0U, run.unpinned_pages) TH_LOG("%s", gb_api_name(apis[i]));
	}
	/* written, they are the process's own pages */
	memset(buf, 1, len);
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST, 0, buf, len, 0);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(0U, run.zero_pages);
	munmap(buf, len);
}

/* Who took mmap_lock, as it happened: the module, GUP itself, or none. */
TEST_F(abi, lock_flags_say_who_locked)
{
	const size_t len = 16 * 4096;
	struct gupbench_run run;
	char *buf;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (unsigned int api = 0; api < GUPBENCH_API_COUNT; api++) {
		const uint64_t locks = GUPBENCH_OUT_LOCK_IN_WINDOW |
				       GUPBENCH_OUT_LOCK_OUTSIDE |
				       GUPBENCH_OUT_LOCK_BY_GUP;
		bool caller = gb_api_caller_locks(api);
		uint64_t want = api == GUPBENCH_API_NOOP ? 0 :
				caller ? GUPBENCH_OUT_LOCK_IN_WINDOW :
				GUPBENCH_OUT_LOCK_BY_GUP;

		gb_run_init(&run, api, 0, buf, len, 4);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_EQ(want, run.out_flags & locks) TH_LOG("%s", gb_api_name(api));
		if (!caller)
			continue;
		gb_run_init(&run, api, GUPBENCH_F_LOCK_OUTSIDE, buf, len, 4);
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_EQ(GUPBENCH_OUT_LOCK_OUTSIDE, run.out_flags & locks)
			TH_LOG("%s lock-outside", gb_api_name(api));
	}
	munmap(buf, len);
}

/*
 * The module counts the pins of a request itself: a pin API reports every
 * page taken and released, in every release mode; a get API none.
 */
TEST_F(abi, pins_counted_by_the_module)
{
	const size_t pages = 1024, len = pages * 4096;
	struct gupbench_run run;
	char *buf;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (unsigned int m = 0; m < GUPBENCH_RELEASE_COUNT; m++) {
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST, 0, buf, len, 100);
		run.release = m;
		ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		EXPECT_EQ(pages, run.pins_taken) TH_LOG("release mode %u", m);
		EXPECT_EQ(pages, run.pins_released) TH_LOG("release mode %u", m);
	}
	gb_run_init(&run, GUPBENCH_API_GET_USER_PAGES_FAST, 0, buf, len, 100);
	ASSERT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(0U, run.pins_taken);
	EXPECT_EQ(0U, run.pins_released);
	munmap(buf, len);
}

/*
 * Samples say what happened to their call: a failed call is flagged FAILED
 * (pages 0), and a call the task was scheduled out in is flagged
 * SCHEDULED: here a busy process shares the CPU while slow-path pins,
 * which give the CPU away inside the call, run.
 */
TEST_F(abi, samples_flag_failed_and_scheduled_calls)
{
	const size_t pages = 4096, len = pages * 4096;
	struct gupbench_sample s[2], *many;
	struct gupbench_run run;
	unsigned int sched = 0;
	cpu_set_t one;
	char *buf;
	pid_t hog;

	buf = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, munmap(buf + 4096, 4096));
	memset(s, 0, sizeof(s));
	gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES_FAST, 0, buf, 2 * 4096, 1);
	run.samples = (uintptr_t)s;
	run.samples_cap = 2;
	EXPECT_EQ(EFAULT, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
	EXPECT_EQ(2U, run.samples_written);
	EXPECT_EQ(0U, s[0].flags & GUPBENCH_SAMPLE_FAILED);
	EXPECT_NE(0U, s[1].flags & GUPBENCH_SAMPLE_FAILED);
	EXPECT_EQ(0U, s[1].pages);
	munmap(buf, 4096);

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	hog = fork();
	ASSERT_LE(0, hog);
	if (!hog) {
		/* dies with the test, whatever ends it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			;	/* inherits CPU 0 */
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	many = calloc(pages / 64, sizeof(*many));
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_NE(NULL, many);
	/* a tick must land inside a call: try until one has, for long enough */
	for (int rep = 0; rep < 400 && !sched; rep++) {
		gb_run_init(&run, GUPBENCH_API_PIN_USER_PAGES, 0, buf, len, 64);
		run.samples = (uintptr_t)many;
		run.samples_cap = pages / 64;
		EXPECT_EQ(0, gb_ioctl(self->fd, GUPBENCH_IOC_RUN, &run));
		for (size_t i = 0; i < run.samples_written; i++)
			sched += !!(many[i].flags & GUPBENCH_SAMPLE_SCHEDULED);
	}
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	EXPECT_LT(0U, sched) TH_LOG("no call was scheduled out beside a busy process");
	free(many);
	munmap(buf, len);
}
