// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall backend: GUP reached from userspace, for kernels that cannot
 * load the module.  One call is one system call over `batch` pages, timed
 * with CLOCK_MONOTONIC around it; "get" is the call that takes the pages,
 * "put" the one that gives them back where that is a separate call:
 *
 *   io_uring_register_buffers  get: register (FOLL_WRITE | FOLL_LONGTERM
 *                              pins), put: unregister (unpin)
 *   process_vm_readv/_writev   get: the call (pin_user_pages_remote on our
 *                              own pid, copy, unpin inside), put: 0
 *   vmsplice                   get: vmsplice into a pipe (FOLL_GET page
 *                              references), put: draining the pipe into
 *                              /dev/null, which drops them without a copy
 *   odirect_read               get: pread(O_DIRECT) into the buffer (the
 *                              block layer pins or references the pages,
 *                              does the I/O, releases at completion), put: 0
 *   noop                       the two clock reads alone
 *
 * Timing in userspace includes the syscall entry and exit and the work
 * each syscall does besides GUP (see docs/backends.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "backend_syscall.h"
#include "buffer.h"
#include "runner.h"

#define PAGE 4096ULL
/* read/write/process_vm_* move at most MAX_RW_COUNT per call */
#define MAX_RW_PAGES ((uint64_t)(0x7fffffff & ~(PAGE - 1)) / PAGE)
/* the local side of process_vm_*: at most this many iovecs ... */
#define LOCAL_IOVS 1024
/* ... each at least this long, all over one scratch area */
#define LOCAL_CHUNK (1ULL << 20)

struct sys_ctx {
	unsigned int api;
	uint64_t max_batch;	/* what this API can take in one call */
	int ring;
	int pipe_rd, pipe_wr, devnull;
	struct gb_direct direct;
	char *scratch;		/* process_vm_*: the local side */
	size_t scratch_len;
	struct iovec *liov;
	size_t nliov;
	pid_t pid;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Pages per call asked by the case, before the API's own limit. */
static uint64_t case_batch(uint64_t batch, uint64_t pages)
{
	return !batch || batch > pages ? pages : batch;
}

static int open_ring(struct sys_ctx *x, const struct gb_case *c,
		     uint64_t batch, char *err, size_t errlen)
{
	bool each = c->release == GUPBENCH_RELEASE_EACH_BATCH;
	uint64_t held = (each ? batch : c->size / PAGE) * PAGE;
	struct rlimit rl;
	int ret;

	ret = gb_uring_setup(&x->ring);
	if (ret) {
		gb_uring_setup_explain(ret, err, errlen);
		return ret;
	}
	/* Say it before the first registration fails with a bare ENOMEM. */
	if (geteuid() && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY && (uint64_t)rl.rlim_cur < held) {
		gb_uring_register_explain(-ENOMEM, held, err, errlen);
		return -ENOMEM;
	}
	x->max_batch = GB_IO_URING_MAX_PAGES;
	return 0;
}

static int open_vm(struct sys_ctx *x, uint64_t batch, char *err,
		   size_t errlen)
{
	uint64_t bytes = batch * PAGE;
	size_t n = (size_t)((bytes + LOCAL_CHUNK - 1) / LOCAL_CHUNK);

	x->max_batch = MAX_RW_PAGES;
	if (n > LOCAL_IOVS)
		n = LOCAL_IOVS;
	if (bytes > MAX_RW_PAGES * PAGE)
		bytes = MAX_RW_PAGES * PAGE;
	/* n iovecs over one scratch area: the copy lands in a bounded space */
	x->scratch_len = (size_t)(((bytes + n - 1) / n + PAGE - 1) & ~(PAGE - 1));
	x->nliov = n;
	x->scratch = mmap(NULL, x->scratch_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	x->liov = calloc(n, sizeof(*x->liov));
	if (x->scratch == MAP_FAILED || !x->liov) {
		if (x->scratch == MAP_FAILED)
			x->scratch = NULL;
		snprintf(err, errlen, "%s: out of memory for a %zu byte local buffer",
			 gb_sys_api_name(x->api), x->scratch_len);
		return -ENOMEM;
	}
	memset(x->scratch, 0x6b, x->scratch_len);	/* faulted in, not timed */
	x->pid = getpid();
	return 0;
}

/* A pipe that holds one call: vmsplice stops when the pipe is full. */
static int open_pipe(struct sys_ctx *x, uint64_t batch, char *err,
		     size_t errlen)
{
	int fds[2], sz;
	uint64_t want = 1;

	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(err, errlen, "vmsplice: pipe2: %s", strerror(errno));
		return -errno;
	}
	x->pipe_rd = fds[0];
	x->pipe_wr = fds[1];
	x->devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (x->devnull < 0) {
		snprintf(err, errlen, "vmsplice: /dev/null: %s", strerror(errno));
		return -errno;
	}
	while (want < batch * PAGE && want < (1ULL << 30))
		want <<= 1;
	/* Over fs.pipe-max-size (1 MiB) needs CAP_SYS_RESOURCE: shrink. */
	while (fcntl(x->pipe_wr, F_SETPIPE_SZ, (int)want) < 0 && want > PAGE)
		want >>= 1;
	sz = fcntl(x->pipe_wr, F_GETPIPE_SZ);
	if (sz < (int)PAGE) {
		snprintf(err, errlen, "vmsplice: F_GETPIPE_SZ: %s", strerror(errno));
		return -EINVAL;
	}
	x->max_batch = (uint64_t)sz / PAGE;
	return 0;
}

static void sys_close(void *ctx)
{
	struct sys_ctx *x = ctx;

	if (!x)
		return;
	if (x->ring >= 0)
		close(x->ring);
	if (x->pipe_rd >= 0)
		close(x->pipe_rd);
	if (x->pipe_wr >= 0)
		close(x->pipe_wr);
	if (x->devnull >= 0)
		close(x->devnull);
	gb_direct_close(&x->direct);
	if (x->scratch)
		munmap(x->scratch, x->scratch_len);
	free(x->liov);
	free(x);
}

static int sys_open(const struct gb_env *env, const struct gb_case *c,
		    const struct gb_buffer *buf, void **ctx, char *err,
		    size_t errlen)
{
	uint64_t batch = case_batch(c->batch, c->size / PAGE);
	struct sys_ctx *x;
	int ret = 0;

	(void)env;
	(void)buf;
	*ctx = NULL;
	if (c->api == GUPBENCH_API_NOOP)
		return 0;
	x = calloc(1, sizeof(*x));
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	x->api = c->api;
	x->ring = x->pipe_rd = x->pipe_wr = x->devnull = -1;
	x->direct.fd = -1;
	switch (c->api) {
	case GB_SYS_IO_URING:
		ret = open_ring(x, c, batch, err, errlen);
		break;
	case GB_SYS_PROCESS_VM_READV:
	case GB_SYS_PROCESS_VM_WRITEV:
		ret = open_vm(x, batch, err, errlen);
		break;
	case GB_SYS_VMSPLICE:
		ret = open_pipe(x, batch, err, errlen);
		break;
	case GB_SYS_O_DIRECT:
		if (batch > MAX_RW_PAGES)
			batch = MAX_RW_PAGES;
		x->max_batch = batch;
		ret = gb_direct_open(&x->direct, c->direct_path, batch * PAGE,
				     err, errlen);
		break;
	default:
		snprintf(err, errlen, "--backend syscall: unknown API %u", c->api);
		ret = -EINVAL;
	}
	if (ret) {
		sys_close(x);
		return ret;
	}
	*ctx = x;
	return 0;
}

/* process_vm_*: the local iovecs for @bytes, all over the scratch area. */
static size_t local_iov(struct sys_ctx *x, uint64_t bytes)
{
	size_t n = 0;

	while (bytes && n < x->nliov) {
		size_t len = bytes < x->scratch_len ? (size_t)bytes : x->scratch_len;

		x->liov[n].iov_base = x->scratch;
		x->liov[n].iov_len = len;
		bytes -= len;
		n++;
	}
	return n;
}

/* Take @pages at @addr: pages taken (> 0), or -errno. */
static int64_t take(struct sys_ctx *x, bool table, uint64_t call,
		    char *addr, uint64_t pages)
{
	uint64_t bytes = pages * PAGE;
	struct iovec riov = { .iov_base = addr, .iov_len = bytes };
	size_t nl;
	ssize_t n;
	int ret;

	switch (x->api) {
	case GB_SYS_IO_URING:
		ret = table ? gb_uring_update(x->ring, (unsigned int)call, addr, bytes) :
			      gb_uring_register(x->ring, addr, bytes);
		return ret ? ret : (int64_t)pages;
	case GB_SYS_PROCESS_VM_READV:
		nl = local_iov(x, bytes);
		n = process_vm_readv(x->pid, x->liov, nl, &riov, 1, 0);
		break;
	case GB_SYS_PROCESS_VM_WRITEV:
		nl = local_iov(x, bytes);
		n = process_vm_writev(x->pid, x->liov, nl, &riov, 1, 0);
		break;
	case GB_SYS_VMSPLICE:
		n = vmsplice(x->pipe_wr, &riov, 1, 0);
		break;
	case GB_SYS_O_DIRECT:
		n = pread(x->direct.fd, addr, bytes, 0);
		break;
	default:
		return -EINVAL;
	}
	if (n < 0)
		return -errno;
	return (int64_t)((uint64_t)n / PAGE);
}

/* The release that is a call of its own: vmsplice's drain, io_uring's
 * unregister when each call is released on its own. */
static int put(struct sys_ctx *x, uint64_t pages)
{
	uint64_t left = pages * PAGE;
	ssize_t n;

	switch (x->api) {
	case GB_SYS_IO_URING:
		return gb_uring_unregister(x->ring);
	case GB_SYS_VMSPLICE:
		while (left) {
			n = splice(x->pipe_rd, NULL, x->devnull, NULL, left, 0);
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
			left -= (uint64_t)n;
		}
		return 0;
	default:
		return 0;
	}
}

static const char *explain(unsigned int api, int err)
{
	switch (err) {
	case EFAULT:
		return api == GB_SYS_O_DIRECT ?
		       "the kernel could not take the buffer's pages for the I/O" :
		       "the kernel could not take the range (unmapped, PROT_NONE or not writable)";
	case ENOMEM:
		return "out of memory: use a smaller --size or --batch";
	case EPERM:
		return "not permitted by a security policy (process_vm_* on our own pid is a ptrace-mode access check)";
	case ENOSYS:
		return "not in this kernel (process_vm_*: CONFIG_CROSS_MEMORY_ATTACH)";
	case EINVAL:
		return api == GB_SYS_O_DIRECT ?
		       "the device rejected the transfer's alignment or size" :
		       "the kernel rejected the arguments";
	case EIO:
		return "I/O error or an unexpected result from the kernel";
	}
	return "unexpected error";
}

static void call_error(const struct gb_case *c, int ret, uint64_t done,
		       uint64_t pages, uint64_t want, char *err, size_t errlen)
{
	if (!err)
		return;
	if (c->api == GB_SYS_IO_URING) {
		gb_uring_register_explain(ret, want * PAGE, err, errlen);
		return;
	}
	snprintf(err, errlen,
		 "%s on %s memory failed: %s: %s (pages done %" PRIu64 " of %" PRIu64 ")",
		 gb_sys_api_name(c->api), gb_mem_name(c->mem), strerror(-ret),
		 explain(c->api, -ret), done, pages);
}

static int sys_run(const struct gb_env *env, const struct gb_case *c,
		   void *ctx, struct gupbench_run *r, char *err, size_t errlen)
{
	struct gupbench_sample *samples = (void *)(uintptr_t)r->samples;
	uint64_t pages = r->len / PAGE, batch, calls, done = 0, t0, t1;
	struct sys_ctx *x = ctx;
	char *base = (char *)(uintptr_t)r->addr;
	bool table;
	int ret = 0;

	(void)env;
	batch = case_batch(r->batch, pages);
	if (x && batch > x->max_batch)
		batch = x->max_batch;
	r->batch = batch;
	calls = (pages + batch - 1) / batch;
	r->out_flags = GUPBENCH_OUT_SUMMED_CALLS;
	if (!x && c->api != GUPBENCH_API_NOOP) {
		snprintf(err, errlen, "--backend syscall: %s was not set up",
			 gb_sys_api_name(c->api));
		return -EINVAL;
	}

	/* io_uring holds the whole buffer at once in a table of slots */
	table = x && x->api == GB_SYS_IO_URING &&
		c->release != GUPBENCH_RELEASE_EACH_BATCH && calls > 1;
	/* one unregister of the whole table, or a release after each call */
	if (table || (x && calls == 1))
		r->out_flags |= GUPBENCH_OUT_RELEASE_WHOLE;
	else if (x)
		r->out_flags |= GUPBENCH_OUT_RELEASE_PER_CALL;
	if (table) {
		if (calls > GB_IO_URING_MAX_BUFS) {
			snprintf(err, errlen,
				 "io_uring_register_buffers: %" PRIu64 " calls would need %" PRIu64 " registered buffers at once, over the kernel's %d: use --batch %" PRIu64 " or more, or --release-each",
				 calls, calls, GB_IO_URING_MAX_BUFS,
				 (pages + GB_IO_URING_MAX_BUFS - 1) / GB_IO_URING_MAX_BUFS);
			return -EINVAL;
		}
		ret = gb_uring_register_sparse(x->ring, (unsigned int)calls);
		if (ret) {
			gb_uring_register_explain(ret, 0, err, errlen);
			return ret;
		}
	}

	for (uint64_t call = 0; done < pages; call++) {
		uint64_t want = pages - done < batch ? pages - done : batch;
		struct gupbench_sample *s = samples && call < r->samples_cap ?
					    &samples[call] : NULL;
		uint64_t g, p = 0;
		int64_t n;

		t0 = now_ns();
		n = x ? take(x, table, call, base + done * PAGE, want) :
			(int64_t)want;
		t1 = now_ns();
		g = t1 - t0;
		r->calls++;
		if (n <= 0) {
			ret = n ? (int)n : -EIO;
			call_error(c, ret, done, pages, want, err, errlen);
			r->fail_addr = (uintptr_t)(base + done * PAGE);
			break;
		}
		if ((uint64_t)n < want)
			r->short_calls++;
		/* only a release that is a call of its own is timed */
		if (x && (x->api == GB_SYS_VMSPLICE ||
			  (x->api == GB_SYS_IO_URING && !table))) {
			t0 = now_ns();
			ret = put(x, (uint64_t)n);
			t1 = now_ns();
			p = t1 - t0;
			if (ret) {
				snprintf(err, errlen, "%s: releasing %" PRId64 " pages failed: %s",
					 gb_sys_api_name(c->api), n, strerror(-ret));
				break;
			}
		}
		r->get_ns += g;
		r->put_ns += p;
		if (s) {
			s->get_ns = g;
			s->put_ns = p;
			s->pages = (uint32_t)n;
			s->flags = (uint64_t)n < want ? GUPBENCH_SAMPLE_SHORT : 0;
			r->samples_written = call + 1;
		}
		done += (uint64_t)n;
	}
	r->pages_done = done;

	if (table) {
		int uret;

		t0 = now_ns();
		uret = gb_uring_unregister(x->ring);
		r->put_ns += now_ns() - t0;
		if (uret && !ret) {
			snprintf(err, errlen, "io_uring: unregistering the buffers: %s",
				 strerror(-uret));
			ret = uret;
		}
	}
	return ret;
}

const struct gb_backend gb_backend_syscall = {
	.name = "syscall",
	.open = sys_open,
	.run = sys_run,
	.close = sys_close,
};
