// SPDX-License-Identifier: GPL-2.0
/*
 * The system calls of gupbench's syscall backend, checked in a guest where
 * nothing else pins: each one takes exactly the pages it should, of the
 * kind it should (FOLL_PIN counted in nr_foll_pin_*, or FOLL_GET
 * references that the counters never see), gives them all back, and moves
 * the right bytes.  Then `gupbench run --backend syscall` end to end: its
 * JSON must count the same pins the kernel counted.
 *
 *   io_uring_register_buffers  long-term pins until unregistered
 *   process_vm_readv/writev    pins for the copy, released in the call
 *   vmsplice                   references (no pins), dropped by the drain
 *   odirect_read               6.1: references; 6.12: pins (block layer or
 *                              netfs iov_iter extraction), released at
 *                              completion
 *
 * odirect_read reads from $GUPBENCH_DIRECT_PATH, else a loop device over a
 * file in /tmp when /dev/loop-control exists (the block layer), else
 * /results when it takes O_DIRECT (9p in vm/run guests: netfs, not the
 * block layer), else it skips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "gupbench_util.h"
#include "../bench/backend_syscall.h"
#include "../bench/json.h"

#define BUF_LEN		(2 * GB_HPAGE_SIZE)
#define NR_PAGES	((int64_t)(BUF_LEN / GB_PAGE_SIZE))
#define SEED		0x5ca11ab1e0000001ULL

enum sys_api { IO_URING, READV, WRITEV, VMSPLICE, ODIRECT };

/* Where odirect_read reads from, set up once per test. */
struct direct_src {
	char path[PATH_MAX];
	char what[PATH_MAX + 64]; /* for the log: which path the kernel takes */
	int loop_nr;		/* a loop device we attached, or -1 */
	int loop_fd;		/* held open: AUTOCLEAR detaches it on close */
	int backing;		/* its backing file */
};

/*
 * A loop device over a file in /tmp: a block device without a disk, so
 * O_DIRECT reads go through blkdev_direct_IO -> bio_iov_iter_get_pages.
 */
static int loop_attach(struct direct_src *s, size_t len)
{
	char back[] = "/tmp/syscall_gup.XXXXXX";
	struct loop_info64 info;
	int ctl, nr, fd;
	char *data;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -1;
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0)
		return -1;
	s->backing = mkstemp(back);
	if (s->backing < 0)
		return -1;
	unlink(back);
	data = malloc(len);
	if (!data)
		return -1;
	gb_fill(data, len, SEED);
	if (pwrite(s->backing, data, len, 0) != (ssize_t)len) {
		free(data);
		return -1;
	}
	free(data);
	snprintf(s->path, sizeof(s->path), "/dev/loop%d", nr);
	fd = open(s->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, LOOP_SET_FD, s->backing)) {
		close(fd);
		return -1;
	}
	/* detached when the last opener closes, even if the test dies */
	memset(&info, 0, sizeof(info));
	info.lo_flags = LO_FLAGS_AUTOCLEAR;
	ioctl(fd, LOOP_SET_STATUS64, &info);
	s->loop_fd = fd;
	s->loop_nr = nr;
	snprintf(s->what, sizeof(s->what), "loop device %s (block layer)", s->path);
	return 0;
}

/* After every other opener (the O_DIRECT fd) is closed. */
static void loop_detach(struct direct_src *s)
{
	if (s->loop_fd >= 0)
		close(s->loop_fd);
	if (s->backing >= 0)
		close(s->backing);
	s->loop_nr = s->loop_fd = s->backing = -1;
}

/* 0 with s->path set, or GB_SKIP with the reason. */
static int direct_source(struct direct_src *s, char *why, size_t len)
{
	const char *env = getenv("GUPBENCH_DIRECT_PATH");
	struct gb_direct d;
	char err[400];

	s->loop_nr = s->loop_fd = s->backing = -1;
	if (env && *env) {
		snprintf(s->path, sizeof(s->path), "%s", env);
		snprintf(s->what, sizeof(s->what), "$GUPBENCH_DIRECT_PATH %s", env);
		return 0;
	}
	if (!loop_attach(s, BUF_LEN))
		return 0;
	loop_detach(s);
	if (!gb_direct_open(&d, "/results", GB_PAGE_SIZE, err, sizeof(err))) {
		snprintf(s->path, sizeof(s->path), "/results");
		snprintf(s->what, sizeof(s->what), "/results on %s", d.fstype);
		gb_direct_close(&d);
		return 0;
	}
	snprintf(why, len,
		 "no O_DIRECT source: no loop device (insmod loop.ko), /results: %s; set GUPBENCH_DIRECT_PATH",
		 err);
	return GB_SKIP;
}

FIXTURE(sys) {
	struct gb_buf buf;
	struct gb_pins p0;
	char *local;		/* process_vm_*: the other side of the copy */
	int ring, pipe[2], devnull;
	struct gb_direct direct;
	struct direct_src src;
};

FIXTURE_VARIANT(sys) {
	enum sys_api api;
	enum gb_mem mem;
};

#define SYS(name, a, m) \
	FIXTURE_VARIANT_ADD(sys, name) { .api = a, .mem = m }

SYS(io_uring_base, IO_URING, GB_MEM_BASE);
SYS(io_uring_thp, IO_URING, GB_MEM_THP);
SYS(io_uring_hugetlb, IO_URING, GB_MEM_HUGETLB);
SYS(readv_base, READV, GB_MEM_BASE);
SYS(readv_thp, READV, GB_MEM_THP);
SYS(readv_hugetlb, READV, GB_MEM_HUGETLB);
SYS(writev_base, WRITEV, GB_MEM_BASE);
SYS(writev_thp, WRITEV, GB_MEM_THP);
SYS(writev_hugetlb, WRITEV, GB_MEM_HUGETLB);
SYS(vmsplice_base, VMSPLICE, GB_MEM_BASE);
SYS(vmsplice_thp, VMSPLICE, GB_MEM_THP);
SYS(vmsplice_hugetlb, VMSPLICE, GB_MEM_HUGETLB);
SYS(odirect_base, ODIRECT, GB_MEM_BASE);
SYS(odirect_thp, ODIRECT, GB_MEM_THP);
SYS(odirect_hugetlb, ODIRECT, GB_MEM_HUGETLB);

FIXTURE_SETUP(sys)
{
	char why[512];
	int ret;

	self->ring = self->pipe[0] = self->pipe[1] = self->devnull = -1;
	self->direct.fd = -1;
	self->src.loop_nr = self->src.loop_fd = self->src.backing = -1;
	self->local = NULL;
	ret = gb_buf_map(&self->buf, variant->mem, BUF_LEN, why, sizeof(why));
	if (ret == GB_SKIP)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret);
	self->local = mmap(NULL, BUF_LEN, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->local);
	if (gb_pins_read(&self->p0))
		SKIP(return, "FOLL_PIN counters need root and nr_foll_pin_* in /proc/vmstat");
}

FIXTURE_TEARDOWN(sys)
{
	if (self->ring >= 0)
		close(self->ring);
	if (self->pipe[0] >= 0) {
		close(self->pipe[0]);
		close(self->pipe[1]);
	}
	if (self->devnull >= 0)
		close(self->devnull);
	gb_direct_close(&self->direct);
	loop_detach(&self->src);
	if (self->local && self->local != MAP_FAILED)
		munmap(self->local, BUF_LEN);
	gb_buf_unmap(&self->buf);
}

/* Pins taken and released since setup. */
static void pins_since(const struct gb_pins *p0, int64_t *acq, int64_t *rel)
{
	struct gb_pins p;

	*acq = *rel = -1;
	if (gb_pins_read(&p))
		return;
	*acq = p.acquired - p0->acquired;
	*rel = p.released - p0->released;
}

TEST_F(sys, takes_and_releases_exactly)
{
	struct iovec liov = { self->local, BUF_LEN };
	struct iovec riov = { self->buf.addr, BUF_LEN };
	int64_t acq, rel, held;
	char why[512];
	ssize_t n = 0;
	int chunk;

	switch (variant->api) {
	case IO_URING:
		if (gb_uring_probe(why, sizeof(why)))
			SKIP(return, "%s", why);
		ASSERT_EQ(0, gb_uring_setup(&self->ring));
		ASSERT_EQ(0, gb_uring_register(self->ring, self->buf.addr, BUF_LEN));
		pins_since(&self->p0, &acq, &rel);
		held = acq - rel;
		/* every page pinned by pin_user_pages(_fast)(FOLL_LONGTERM) */
		EXPECT_EQ(NR_PAGES, acq);
		/*
		 * 6.12 coalesces a buffer of large folios: it keeps one pin
		 * per folio and drops the others at once.
		 */
		if (variant->mem == GB_MEM_BASE || gb_kernel_before(6, 12)) {
			EXPECT_EQ(NR_PAGES, held);
		} else {
			EXPECT_TRUE(held == NR_PAGES || held == BUF_LEN / GB_HPAGE_SIZE)
				TH_LOG("held %lld", (long long)held);
		}
		TH_LOG("registered: %lld pins taken, %lld held", (long long)acq,
		       (long long)held);
		ASSERT_EQ(0, gb_uring_unregister(self->ring));
		pins_since(&self->p0, &acq, &rel);
		EXPECT_EQ(NR_PAGES, acq);
		EXPECT_EQ(acq, rel);
		break;
	case READV:
		gb_fill(self->buf.addr, BUF_LEN, SEED);
		n = process_vm_readv(getpid(), &liov, 1, &riov, 1, 0);
		ASSERT_EQ((ssize_t)BUF_LEN, n);
		EXPECT_EQ(0, memcmp(self->local, self->buf.addr, BUF_LEN));
		pins_since(&self->p0, &acq, &rel);
		EXPECT_EQ(NR_PAGES, acq);	/* pin_user_pages_remote */
		EXPECT_EQ(NR_PAGES, rel);	/* unpinned before returning */
		break;
	case WRITEV:
		gb_fill(self->local, BUF_LEN, SEED);
		n = process_vm_writev(getpid(), &liov, 1, &riov, 1, 0);
		ASSERT_EQ((ssize_t)BUF_LEN, n);
		EXPECT_EQ(0, gb_bad_pages(self->buf.addr, BUF_LEN, SEED));
		pins_since(&self->p0, &acq, &rel);
		EXPECT_EQ(NR_PAGES, acq);
		EXPECT_EQ(NR_PAGES, rel);
		break;
	case VMSPLICE:
		gb_fill(self->buf.addr, BUF_LEN, SEED);
		ASSERT_EQ(0, pipe2(self->pipe, O_CLOEXEC));
		/* as much as we may (fs.pipe-max-size without CAP_SYS_RESOURCE) */
		for (int sz = BUF_LEN; sz >= (int)GB_PAGE_SIZE; sz /= 2)
			if (fcntl(self->pipe[1], F_SETPIPE_SZ, sz) >= 0)
				break;
		chunk = fcntl(self->pipe[1], F_GETPIPE_SZ);
		ASSERT_LE((int)GB_PAGE_SIZE, chunk);
		for (size_t off = 0; off < BUF_LEN; off += (size_t)n) {
			riov.iov_base = (char *)self->buf.addr + off;
			riov.iov_len = BUF_LEN - off;
			n = vmsplice(self->pipe[1], &riov, 1, 0);
			ASSERT_LT(0, n) TH_LOG("vmsplice: %s", strerror(errno));
			if (!off) {
				/* the pipe holds page references: no pins */
				pins_since(&self->p0, &acq, &rel);
				EXPECT_EQ(0, acq);
				/* ... of the buffer's pages: a write shows through */
				memset(self->buf.addr, 0x77, GB_PAGE_SIZE);
			}
			ASSERT_EQ(n, read(self->pipe[0], self->local + off, (size_t)n));
		}
		EXPECT_EQ(0x77, self->local[0]);
		EXPECT_EQ(0, memcmp(self->local + GB_PAGE_SIZE,
				    (char *)self->buf.addr + GB_PAGE_SIZE,
				    BUF_LEN - GB_PAGE_SIZE));
		pins_since(&self->p0, &acq, &rel);
		EXPECT_EQ(0, acq);
		break;
	case ODIRECT:
		if (direct_source(&self->src, why, sizeof(why)))
			SKIP(return, "%s", why);
		ASSERT_EQ(0, gb_direct_open(&self->direct, self->src.path, BUF_LEN,
					    why, sizeof(why))) TH_LOG("%s", why);
		memset(self->buf.addr, 0, BUF_LEN);
		pins_since(&self->p0, &acq, &rel);
		self->p0.acquired += acq;	/* the file's preparation */
		self->p0.released += rel;
		n = pread(self->direct.fd, self->buf.addr, BUF_LEN, 0);
		ASSERT_EQ((ssize_t)BUF_LEN, n) TH_LOG("%s", strerror(errno));
		/* the loop device carries the pattern; a file we wrote 0x5a */
		if (self->src.loop_nr >= 0) {
			EXPECT_EQ(0, gb_bad_pages(self->buf.addr, BUF_LEN, SEED));
		} else if (!getenv("GUPBENCH_DIRECT_PATH")) {
			EXPECT_EQ(0x5a, ((unsigned char *)self->buf.addr)[BUF_LEN - 1]);
		}
		pins_since(&self->p0, &acq, &rel);
		TH_LOG("%s: %lld pins taken, %lld released", self->src.what,
		       (long long)acq, (long long)rel);
		EXPECT_EQ(acq, rel);
		/* 6.1: iov_iter_get_pages2 (refs); 6.12: iov_iter_extract_pages */
		if (gb_kernel_before(6, 3)) {
			EXPECT_EQ(0, acq);
		} else if (!gb_kernel_before(6, 12)) {
			EXPECT_LE(NR_PAGES, acq);
		}
		break;
	}
}

/* `gupbench run --backend syscall --format json`, read back. */
static char *run_json(const char *api, const char *mem, int *status)
{
	char cmd[512], *out = NULL;
	size_t cap = 0, len = 0, n;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "gupbench run --backend syscall --api %s --mem %s --size 8M --batch 512 --repeat 2 --warmup 1 --format json 2>&1",
		 api, mem);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	do {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			out = realloc(out, cap);
			if (!out)
				break;
		}
		n = fread(out + len, 1, cap - len - 1, p);
		len += n;
	} while (n);
	if (out)
		out[len] = 0;
	*status = pclose(p);
	return out;
}

static bool have_gupbench(void)
{
	return !system("command -v gupbench >/dev/null 2>&1");
}

FIXTURE(cli) {
	char *out;
	struct gbj_val *doc;
};

FIXTURE_VARIANT(cli) {
	const char *api;
	bool pins;		/* FOLL_PIN: the counters move by every page */
};

FIXTURE_VARIANT_ADD(cli, io_uring) { .api = "io_uring_register_buffers", .pins = true };
FIXTURE_VARIANT_ADD(cli, readv) { .api = "process_vm_readv", .pins = true };
FIXTURE_VARIANT_ADD(cli, writev) { .api = "process_vm_writev", .pins = true };
FIXTURE_VARIANT_ADD(cli, vmsplice) { .api = "vmsplice", .pins = false };

FIXTURE_SETUP(cli)
{
	self->out = NULL;
	self->doc = NULL;
}

FIXTURE_TEARDOWN(cli)
{
	gbj_free(self->doc);
	free(self->out);
}

TEST_F(cli, json_counts_what_the_kernel_counted)
{
	const struct gbj_val *res, *pins;
	char err[256], why[256];
	int status;

	if (!have_gupbench())
		SKIP(return, "gupbench is not on PATH (make tools; vm/run puts it there)");
	if (!strcmp(variant->api, "io_uring_register_buffers") &&
	    gb_uring_probe(why, sizeof(why)))
		SKIP(return, "%s", why);
	self->out = run_json(variant->api, "base", &status);
	ASSERT_NE(NULL, self->out);
	ASSERT_EQ(0, status) TH_LOG("%s", self->out);
	self->doc = gbj_parse(self->out, err, sizeof(err));
	ASSERT_NE(NULL, self->doc) TH_LOG("%s: %s", err, self->out);
	res = gbj_at(gbj_get(self->doc, "results"), 0);
	ASSERT_NE(NULL, res);
	EXPECT_STREQ("syscall", gbj_get_str(res, "backend"));
	EXPECT_STREQ(variant->api, gbj_get_str(res, "api"));
	EXPECT_EQ(2048, gbj_get_num(res, "pages", 0));
	pins = gbj_get(res, "pins");
	ASSERT_NE(NULL, pins);
	if (!gbj_get(pins, "valid")->b)
		SKIP(return, "pin counters not valid (needs root)");
	EXPECT_TRUE(gbj_get(res, "pins_balanced")->b);
	/* three repeats (one warm-up) of 2048 pages, nothing else pinning */
	EXPECT_EQ(variant->pins ? 3 * 2048 : 0, gbj_get_num(pins, "acquired", -1));
}

TEST_HARNESS_MAIN
