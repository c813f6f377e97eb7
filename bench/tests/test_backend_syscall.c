// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the syscall backend: they run on the machine itself (no
 * module): every syscall API end to end through the runner, what each one
 * does to the buffer and to the kernel's pin counters, and the errors that
 * must name their fix (RLIMIT_MEMLOCK, tmpfs, holes, io_uring's limits).
 * A feature the machine lacks (io_uring disabled, no O_DIRECT file system
 * here) is a SKIP with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include <linux/gupbench.h>
#include "../backend.h"
#include "../backend_matrix.h"
#include "../backend_syscall.h"
#include "../buffer.h"
#include "../report.h"
#include "../runner.h"

#define MIB (1UL << 20)

/* Where odirect_read reads: $GUPBENCH_DIRECT_PATH or the current dir. */
static const char *direct_path(void)
{
	const char *p = getenv("GUPBENCH_DIRECT_PATH");

	return p && *p ? p : ".";
}

/* NULL when the API can run here, else why not. */
static const char *missing(unsigned int api, char *why, size_t len)
{
	struct gb_direct d;

	if (api == GB_SYS_IO_URING && gb_uring_probe(why, len))
		return why;
	if (api == GB_SYS_O_DIRECT) {
		if (gb_direct_open(&d, direct_path(), 4096, why, len))
			return why;
		gb_direct_close(&d);
	}
	return NULL;
}

static void sys_case(struct gb_case *c, unsigned int api, enum gb_mem_kind mem)
{
	gb_case_defaults(c);
	c->backend = GB_BACKEND_SYSCALL;
	c->api = api;
	c->mem = mem;
	c->size = 4 * MIB;
	c->batch = 256;
	c->repeat = 2;
	c->warmup = 1;
	if (api == GB_SYS_O_DIRECT)
		c->direct_path = direct_path();
	gb_sys_normalize(c, false);
}

FIXTURE(run) {
	struct gb_numa numa;
	struct gb_env env;
	struct gb_result r;
	bool have_result;
};

FIXTURE_VARIANT(run) {
	unsigned int api;
	enum gb_mem_kind mem;
	bool pins;		/* FOLL_PIN on this (6.5+) kernel */
	bool put_call;		/* the release is a timed call of its own */
};

#define RUN(name, a, m, p, pc) \
	FIXTURE_VARIANT_ADD(run, name) { .api = a, .mem = m, .pins = p, \
					 .put_call = pc }

RUN(io_uring_base, GB_SYS_IO_URING, GB_MEM_BASE, true, true);
RUN(io_uring_thp, GB_SYS_IO_URING, GB_MEM_THP, true, true);
RUN(readv_base, GB_SYS_PROCESS_VM_READV, GB_MEM_BASE, true, false);
RUN(readv_thp, GB_SYS_PROCESS_VM_READV, GB_MEM_THP, true, false);
RUN(writev_base, GB_SYS_PROCESS_VM_WRITEV, GB_MEM_BASE, true, false);
RUN(writev_memfd, GB_SYS_PROCESS_VM_WRITEV, GB_MEM_MEMFD, true, false);
RUN(vmsplice_base, GB_SYS_VMSPLICE, GB_MEM_BASE, false, true);
RUN(vmsplice_thp, GB_SYS_VMSPLICE, GB_MEM_THP, false, true);
RUN(odirect_base, GB_SYS_O_DIRECT, GB_MEM_BASE, true, false);
RUN(odirect_thp, GB_SYS_O_DIRECT, GB_MEM_THP, true, false);
RUN(noop_base, GUPBENCH_API_NOOP, GB_MEM_BASE, false, false);

FIXTURE_SETUP(run)
{
	char err[GB_ERRLEN];

	ASSERT_EQ(0, gb_numa_init(&self->numa, err, sizeof(err))) TH_LOG("%s", err);
	self->env = (struct gb_env){ .dev = NULL, .numa = &self->numa,
				     .max_samples = 4096,
				     .measure_noop = true };
}

FIXTURE_TEARDOWN(run)
{
	if (self->have_result)
		gb_result_free(&self->r);
	gb_numa_fini(&self->numa);
}

TEST_F(run, whole_buffer_in_calls)
{
	struct gb_result *r = &self->r;
	uint64_t taken = 0, reps, calls;
	char err[GB_ERRLEN], why[GB_ERRLEN];
	struct gb_case c;

	if (missing(variant->api, why, sizeof(why)))
		SKIP(return, "%s", why);
	if (variant->mem == GB_MEM_THP && gb_thp_usable(why, sizeof(why)))
		SKIP(return, "%s", why);
	sys_case(&c, variant->api, variant->mem);
	ASSERT_EQ(0, gb_check_case(&c, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, gb_run_case(&self->env, &c, r, err, sizeof(err)))
		TH_LOG("%s", err);
	self->have_result = true;

	/* every page, in calls of at most the batch, each repeat */
	EXPECT_EQ(1024, r->pages);
	ASSERT_GE(256, r->batch_used);
	ASSERT_LT(0, r->batch_used);
	calls = (r->pages + r->batch_used - 1) / r->batch_used;
	EXPECT_EQ(calls, r->thr[0].calls);
	EXPECT_EQ(calls, r->call_ns.n / c.repeat);
	for (unsigned int i = 0; i < c.repeat; i++) {
		EXPECT_LT(0, r->thr[0].get_ns[i]);
		/* released inside the call: nothing separate to time */
		if (!variant->put_call)
			EXPECT_EQ(0, r->thr[0].put_ns[i]);
	}
	if (variant->mem == GB_MEM_THP)
		EXPECT_LT(0.0, r->huge_fraction);
	EXPECT_EQ(0, r->thr[0].unpinned_pages);

	/*
	 * The pin APIs moved the FOLL_PIN counters by every page of every
	 * repeat (more if something else on the machine pinned meanwhile).
	 */
	if (!r->pins.valid)
		SKIP(return, "pin counters not readable (needs root)");
	reps = c.repeat + c.warmup;
	taken = r->pages * reps;
	if (variant->pins) {
		EXPECT_LE(taken, r->pins.acquired);
		EXPECT_LE(taken, r->pins.released);
	}
}

/* What each API does to the buffer: the data path, not only the pins. */
FIXTURE(data) {
	struct gb_buffer buf;
	struct gb_case c;
	void *ctx;
};

FIXTURE_SETUP(data)
{
	self->buf.map = NULL;
	self->ctx = NULL;
}

FIXTURE_TEARDOWN(data)
{
	if (self->ctx)
		gb_backend_syscall.close(self->ctx);
	if (self->buf.map)
		gb_buffer_destroy(&self->buf);
}

/* Open the backend for @api over a fresh 1 MiB buffer of byte @fill. */
static int prepare(struct __test_metadata *_metadata,
		      FIXTURE_DATA(data) *self, unsigned int api, int fill,
		      struct gupbench_run *run, char *why, size_t len)
{
	char err[GB_ERRLEN];

	if (missing(api, why, len))
		return 1;
	sys_case(&self->c, api, GB_MEM_BASE);
	self->c.size = MIB;
	self->c.batch = 0;
	EXPECT_EQ(0, gb_buffer_create(&self->buf, &self->c, err, sizeof(err)))
		TH_LOG("%s", err);
	memset(self->buf.addr, fill, self->buf.len);
	EXPECT_EQ(0, gb_backend_syscall.open(NULL, &self->c, &self->buf,
					     &self->ctx, err, sizeof(err)))
		TH_LOG("%s", err);
	memset(run, 0, sizeof(*run));
	run->api = api;
	run->addr = (uintptr_t)self->buf.addr;
	run->len = self->buf.len;
	return 0;
}

static bool all_bytes(const void *p, size_t len, int byte)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != (unsigned char)byte)
			return false;
	return true;
}

TEST_F(data, odirect_read_fills_the_buffer_from_the_file)
{
	struct gupbench_run run;
	char why[GB_ERRLEN], err[GB_ERRLEN];

	if (prepare(_metadata, self, GB_SYS_O_DIRECT, 0, &run, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, gb_backend_syscall.run(NULL, &self->c, self->ctx, &run,
					    err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(256, run.pages_done);
	EXPECT_EQ(1, run.calls);
	EXPECT_TRUE(all_bytes(self->buf.addr, self->buf.len, 0x5a));
}

TEST_F(data, process_vm_writev_writes_the_buffer)
{
	struct gupbench_run run;
	char why[GB_ERRLEN], err[GB_ERRLEN];

	if (prepare(_metadata, self, GB_SYS_PROCESS_VM_WRITEV, 0, &run, why,
		       sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, gb_backend_syscall.run(NULL, &self->c, self->ctx, &run,
					    err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(256, run.pages_done);
	EXPECT_TRUE(all_bytes(self->buf.addr, self->buf.len, 0x6b));
}

TEST_F(data, process_vm_readv_and_vmsplice_leave_it_alone)
{
	static const unsigned int apis[] = {
		GB_SYS_PROCESS_VM_READV, GB_SYS_VMSPLICE,
	};
	struct gupbench_run run;
	char why[GB_ERRLEN], err[GB_ERRLEN];

	for (size_t i = 0; i < 2; i++) {
		if (prepare(_metadata, self, apis[i], 0x33, &run, why, sizeof(why)))
			SKIP(return, "%s", why);
		ASSERT_EQ(0, gb_backend_syscall.run(NULL, &self->c, self->ctx,
						    &run, err, sizeof(err)))
			TH_LOG("%s", err);
		EXPECT_EQ(256, run.pages_done);
		EXPECT_TRUE(all_bytes(self->buf.addr, self->buf.len, 0x33));
		gb_backend_syscall.close(self->ctx);
		self->ctx = NULL;
		gb_buffer_destroy(&self->buf);
		self->buf.map = NULL;
	}
}

TEST_F(data, vmsplice_drains_the_pipe_every_call)
{
	struct gupbench_run run;
	char why[GB_ERRLEN], err[GB_ERRLEN];

	if (prepare(_metadata, self, GB_SYS_VMSPLICE, 1, &run, why, sizeof(why)))
		SKIP(return, "%s", why);
	run.batch = 16;
	/* more data than the pipe holds at once: it must be drained between */
	for (int rep = 0; rep < 3; rep++) {
		run.pages_done = run.calls = 0;
		ASSERT_EQ(0, gb_backend_syscall.run(NULL, &self->c, self->ctx,
						    &run, err, sizeof(err)))
			TH_LOG("%s", err);
		EXPECT_EQ(256, run.pages_done);
		EXPECT_EQ(16, run.batch);
		EXPECT_EQ(16, run.calls);
	}
}

/* io_uring: a registered buffer stays pinned until it is unregistered. */
TEST(io_uring_pins_until_unregistered)
{
	struct gb_pins p0, p1, p2;
	char why[GB_ERRLEN];
	size_t len = 2 * MIB;
	char *buf;
	int fd;

	if (gb_uring_probe(why, sizeof(why)))
		SKIP(return, "%s", why);
	gb_pins_read(&p0);
	if (!p0.valid)
		SKIP(return, "pin counters not readable (needs root)");
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 1, len);
	ASSERT_EQ(0, gb_uring_setup(&fd));
	ASSERT_EQ(0, gb_uring_register(fd, buf, len));
	gb_pins_read(&p1);
	EXPECT_LE(512, p1.acquired - p0.acquired);
	/* a second table while one is registered: the kernel says busy */
	EXPECT_EQ(-EBUSY, gb_uring_register(fd, buf, len));
	ASSERT_EQ(0, gb_uring_unregister(fd));
	gb_pins_read(&p2);
	EXPECT_LE(512, p2.released - p1.released);
	EXPECT_EQ(-ENXIO, gb_uring_unregister(fd));
	close(fd);
	munmap(buf, len);
}

TEST(io_uring_table_over_the_kernel_limit_says_so)
{
	struct gupbench_run run;
	char why[GB_ERRLEN], err[GB_ERRLEN];
	struct gb_case c;
	void *ctx = NULL;

	if (gb_uring_probe(why, sizeof(why)))
		SKIP(return, "%s", why);
	sys_case(&c, GB_SYS_IO_URING, GB_MEM_BASE);
	c.size = 128 * MIB;
	c.batch = 1;
	ASSERT_EQ(0, gb_backend_syscall.open(NULL, &c, NULL, &ctx, err, sizeof(err)))
		TH_LOG("%s", err);
	memset(&run, 0, sizeof(run));
	run.addr = 0x10000000;	/* never touched: refused before pinning */
	run.len = c.size;
	run.batch = 1;
	err[0] = 0;
	EXPECT_EQ(-EINVAL, gb_backend_syscall.run(NULL, &c, ctx, &run, err,
						  sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "16384")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "--release-each")) TH_LOG("%s", err);
	gb_backend_syscall.close(ctx);
	EXPECT_NE(NULL, gb_sys_case_unavailable(&c, NULL, why, sizeof(why)));
}

/*
 * Without CAP_IPC_LOCK io_uring charges registered buffers to
 * RLIMIT_MEMLOCK: the error says which limit and how to raise it.
 */
TEST(io_uring_memlock_limit_names_the_fix)
{
	char why[GB_ERRLEN];
	int st;
	pid_t pid;

	if (gb_uring_probe(why, sizeof(why)))
		SKIP(return, "%s", why);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit rl = { 64 << 10, 64 << 10 };
		char err[GB_ERRLEN] = "";
		struct gb_case c;
		void *ctx = NULL;
		int ret;

		if (setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    (!geteuid() && (setgid(65534) || setuid(65534))))
			_exit(2);
		sys_case(&c, GB_SYS_IO_URING, GB_MEM_BASE);
		ret = gb_backend_syscall.open(NULL, &c, NULL, &ctx, err, sizeof(err));
		if (ret == -EPERM)
			_exit(4);	/* io_uring limited to a group */
		_exit(ret == -ENOMEM && strstr(err, "RLIMIT_MEMLOCK") &&
		      strstr(err, "ulimit -l") ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	if (WEXITSTATUS(st) == 4)
		SKIP(return, "io_uring is not open to unprivileged users here");
	EXPECT_EQ(0, WEXITSTATUS(st));
}

TEST(io_uring_setup_errors_name_the_fix)
{
	char buf[GB_ERRLEN];

	gb_uring_setup_explain(-ENOSYS, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "CONFIG_IO_URING"));
	gb_uring_setup_explain(-EPERM, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "io_uring")) TH_LOG("%s", buf);
	gb_uring_register_explain(-EOPNOTSUPP, 4096, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "--mem")) TH_LOG("%s", buf);
}

TEST(odirect_refuses_tmpfs)
{
	char err[GB_ERRLEN];
	struct gb_direct d;
	struct statfs sfs;

	if (statfs("/dev/shm", &sfs) || sfs.f_type != 0x01021994)
		SKIP(return, "/dev/shm is not a tmpfs here");
	EXPECT_EQ(-EINVAL, gb_direct_open(&d, "/dev/shm", 4096, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "tmpfs")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "--direct-path")) TH_LOG("%s", err);
}

TEST(odirect_refuses_a_file_with_holes)
{
	char path[] = "./.test-direct-hole.XXXXXX", why[GB_ERRLEN], err[GB_ERRLEN];
	struct gb_direct d;
	int fd;

	if (missing(GB_SYS_O_DIRECT, why, sizeof(why)))
		SKIP(return, "%s", why);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, MIB));	/* all hole */
	close(fd);
	EXPECT_EQ(-EINVAL, gb_direct_open(&d, path, MIB, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "hole")) TH_LOG("%s", err);
	unlink(path);
}

TEST(options_direction_follows_the_api)
{
	char *io[] = { "run", "--backend", "syscall", "--api",
		       "io_uring_register_buffers", NULL };
	char *rd[] = { "run", "--backend", "syscall", "--api", "process_vm_readv",
		       NULL };
	char *bad[] = { "run", "--backend", "syscall", "--api", "process_vm_readv",
			"--write", NULL };
	char *nobk[] = { "run", "--api", "vmsplice", NULL };
	char *mod[] = { "run", "--backend", "syscall", "--api", "pin_user_pages",
			NULL };
	char err[GB_ERRLEN];
	struct gb_opts o;

	ASSERT_EQ(0, gb_parse_run(5, io, &o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(GB_BACKEND_SYSCALL, o.c.backend);
	EXPECT_EQ(GB_SYS_IO_URING, o.c.api);
	EXPECT_TRUE(o.c.write);
	EXPECT_TRUE(o.c.longterm);
	EXPECT_STREQ("io_uring_register_buffers", gb_api_name(o.c.api));
	ASSERT_EQ(0, gb_parse_run(5, rd, &o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_FALSE(o.c.write);
	EXPECT_FALSE(o.c.longterm);
	EXPECT_EQ(-1, gb_parse_run(6, bad, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "process_vm_writev")) TH_LOG("%s", err);
	EXPECT_EQ(-1, gb_parse_run(3, nobk, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "--backend syscall")) TH_LOG("%s", err);
	EXPECT_EQ(-1, gb_parse_run(5, mod, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "--backend module")) TH_LOG("%s", err);
}

/* A release call by call after the fact exists for the module only. */
TEST(per_call_release_is_the_modules)
{
	char *pc[] = { "run", "--backend", "syscall", "--api",
		       "io_uring_register_buffers", "--release", "per-call", NULL };
	char *each[] = { "run", "--backend", "syscall", "--api",
			 "io_uring_register_buffers", "--release", "each-batch",
			 NULL };
	char err[GB_ERRLEN];
	struct gb_opts o;

	EXPECT_EQ(-1, gb_parse_run(7, pc, &o, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "--release per-call")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "--backend module")) TH_LOG("%s", err);
	ASSERT_EQ(0, gb_parse_run(7, each, &o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(GUPBENCH_RELEASE_EACH_BATCH, o.c.release);
}

/* Without root the counters cannot be folded: not valid, not a leak. */
TEST(pins_not_valid_without_root)
{
	int st;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		struct gb_pins p;

		if (!geteuid() && (setgid(65534) || setuid(65534)))
			_exit(2);
		gb_pins_read(&p);
		_exit(p.valid ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

TEST(results_name_the_backend)
{
	struct gb_result r;
	struct gb_report rp;
	struct gb_meta m;
	uint64_t get[1] = { 1000 }, put[1] = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
	sys_case(&r.c, GB_SYS_PROCESS_VM_READV, GB_MEM_BASE);
	r.c.repeat = 1;
	r.pages = 1024;
	r.nthr = 1;
	r.thr = calloc(1, sizeof(*r.thr));
	ASSERT_NE(NULL, r.thr);
	r.thr[0].get_ns = get;
	r.thr[0].put_ns = put;
	for (int fmt = GB_FMT_CSV; fmt <= GB_FMT_JSON; fmt++) {
		f = open_memstream(&text, &len);
		ASSERT_NE(NULL, f);
		gb_report_begin(&rp, f, (enum gb_format)fmt, &m);
		gb_report_result(&rp, &r);
		gb_report_end(&rp);
		fclose(f);
		if (fmt == GB_FMT_CSV) {
			EXPECT_NE(NULL, strstr(text, ",note,backend,noise,release_call\n"));
			EXPECT_NE(NULL, strstr(text, ",in_call\n")) TH_LOG("%s", text);
			EXPECT_NE(NULL, strstr(text, ",syscall,\"")) TH_LOG("%s", text);
			EXPECT_NE(NULL, strstr(text, ",in_call,kernel,"));
		} else {
			EXPECT_NE(NULL, strstr(text, "\"backend\": \"syscall\""));
			EXPECT_NE(NULL, strstr(text, "\"release\": \"in_call\""));
			EXPECT_NE(NULL, strstr(text, "\"release_call\": \"in_call\""));
		}
		free(text);
		text = NULL;
	}
	free(r.thr);
}

/*
 * Placement starts from the affinity the process was started with
 * (taskset), --cpus narrows it, and more threads than usable CPUs are
 * said and recorded, not silently doubled up.
 */
TEST(placement_follows_the_inherited_affinity)
{
	struct gb_numa numa;
	struct gb_env env;
	struct gb_result r;
	char err[GB_ERRLEN];
	struct gb_case c;
	cpu_set_t one;
	int last;

	ASSERT_EQ(0, gb_numa_init(&numa, err, sizeof(err)));
	last = numa.nr_cpus - 1;
	gb_numa_fini(&numa);
	if (last < 1)
		SKIP(return, "one CPU: nothing to choose from");
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, gb_numa_init(&numa, err, sizeof(err)));
	EXPECT_EQ(1, gb_numa_cpus_usable(&numa, -1));
	env = (struct gb_env){ .numa = &numa, .max_samples = 64 };
	sys_case(&c, GUPBENCH_API_NOOP, GB_MEM_BASE);
	c.size = MIB;
	ASSERT_EQ(0, gb_run_case(&env, &c, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(last, r.thr[0].cpu);
	EXPECT_FALSE(r.oversubscribed);
	gb_result_free(&r);

	c.threads = 2;
	ASSERT_EQ(0, gb_run_case(&env, &c, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(r.oversubscribed);
	EXPECT_NE(NULL, strstr(r.note, "2 threads on 1 usable CPUs"));
	EXPECT_EQ(last, r.thr[1].cpu);
	gb_result_free(&r);
	gb_numa_fini(&numa);

	/* --cpus within the affinity, and outside it */
	CPU_ZERO(&one);
	for (int i = 0; i <= last; i++)
		CPU_SET(i, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, gb_numa_init(&numa, err, sizeof(err)));
	EXPECT_EQ(0, gb_numa_restrict(&numa, "0", err, sizeof(err)));
	EXPECT_EQ(0, gb_numa_cpu_for(&numa, -1, 1, err, sizeof(err)));
	EXPECT_EQ(-1, gb_numa_restrict(&numa, "1000", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "none of these CPUs"));
	EXPECT_EQ(-1, gb_numa_restrict(&numa, "x", err, sizeof(err)));
	gb_numa_fini(&numa);
}

TEST_HARNESS_MAIN
