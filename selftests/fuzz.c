// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: every gupbench ioctl with random and boundary arguments, each call
 * checked against a model of the ABI (docs/RELIABILITY.md lists the rules).
 *
 * A step's arguments come from (seed, step index) alone, so a run is
 * repeated by its seed, and a failing step is reached again with
 * --seed S --calls N.  A step fails when the ioctl returns an errno outside
 * the set the ABI allows for that request, succeeds where it must fail,
 * writes outside its struct, or reports outputs that contradict the model
 * (pages taken, where it stopped, content of held pages).  Every
 * --check-every steps and at the end all holds are dropped and the pin
 * counters of /proc/vmstat must balance; at the end the module must unload
 * and load again.  Output is TAP (kselftest.h): run_vmtests.sh -t fuzz.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "gupbench_util.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#define PG		GB_PAGE_SIZE
#define HPG		GB_HPAGE_SIZE
#define TASK_TOP	0x00007ffffffff000ULL	/* TASK_SIZE_MAX, 4-level */
#define MIN_MAP_ADDR	65536ULL		/* vm.mmap_min_addr default */
#define KO_DEFAULT	"/gupbench/kmod/gupbench.ko"
#define MAX_LEN_PARAM	"/sys/module/gupbench/parameters/max_len"
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define FREE_HUGEPAGES	"/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

#define NFDS		4	/* open files the steps spread over */
#define NSAMPLES	256	/* entries of the valid samples buffer */
/* CONTENT READ copies at most this much into the samples buffer */
#define READ_MAX	(NSAMPLES * sizeof(struct gupbench_sample))
#define ARGS_RW		(2 * PG)
#define MAX_REPORTS	25	/* failing steps printed in full */
#define NERRNO		256

/* The errnos the model speaks of; anything else is E_OTHER, never allowed. */
enum fz_err {
	E_OK, E_FAULT, E_INVAL, E_2BIG, E_NOMEM, E_NOENT, E_BUSY, E_PERM,
	E_NOTTY, E_INTR, E_OPNOTSUPP, E_OTHER, E_NR
};

static const int fz_errno[E_NR] = {
	0, EFAULT, EINVAL, E2BIG, ENOMEM, ENOENT, EBUSY, EPERM, ENOTTY,
	EINTR, EOPNOTSUPP, -1,
};

#define B(e)	(1U << (e))

enum fz_cmd {
	C_CAPS, C_RUN, C_HOLD, C_UNHOLD, C_CONTENT, C_DUMP, C_UNKNOWN, C_NR
};

static const char *const fz_cmd_name[C_NR] = {
	"CAPS", "RUN", "HOLD", "UNHOLD", "CONTENT", "DUMP", "unknown",
};

/* What GUP does with a page of a region, given the request's flags. */
enum fz_kind {
	K_SCRATCH,	/* populated, read-write: every request succeeds */
	K_RO,		/* populated PROT_READ private anon */
	K_NONE,		/* PROT_NONE private anon (the arena's filler) */
	K_HOLE,		/* nothing mapped: always EFAULT */
	K_OTHER,	/* the process's own stack, text, heap: unknown */
};

enum fz_outcome { O_OK, O_MAY, O_FAIL };

struct fz_region {
	const char *name;
	uintptr_t start, end;
	enum fz_kind kind;
	bool user_rw;		/* userspace may write it (pokes) */
};

#define NREGIONS	8

/* Where the ioctl's argument lives. */
enum fz_argk {
	A_MID,		/* inside the 2-page read-write args area */
	A_EDGE,		/* the struct ends where the args area's guard starts */
	A_RO,		/* a read-only page: read works, write-back fails */
	A_NULL, A_KERNEL, A_HOLE, A_NONCANON,
	A_NR
};

static const char *const fz_argk_name[A_NR] = {
	"mid", "edge", "read-only", "NULL", "kernel", "freed", "non-canonical",
};

struct fz_hold {
	bool on;
	unsigned int api;
	uint64_t flags;
	uint64_t addr, len, pages;
	bool fillable;		/* all inside the arena: FILL is harmless */
	bool checkable;		/* all readable scratch: checksum comparable */
};

struct fz_opts {
	uint64_t seed;
	uint64_t calls;		/* 0: unbounded */
	double seconds;		/* 0: unbounded */
	uint64_t check_every;
	const char *ko;
	bool reload;
	uint64_t trace_from;	/* print every step from this index on */
};

struct fz {
	struct fz_opts o;
	int fd[NFDS];
	struct fz_hold hold[NFDS];

	char *arena;
	size_t arena_len;
	struct fz_region reg[NREGIONS];
	unsigned int nreg;
	uintptr_t hole;		/* a freed mapping inside the arena */

	char *args;		/* ARGS_RW read-write, then a guard page */
	char *args_ro;		/* one page, PROT_READ between uses, guard */
	unsigned char shadow[ARGS_RW];
	struct gupbench_sample *samples; /* NSAMPLES, ends at a guard */
	uintptr_t stack, text, heap;

	struct gupbench_caps caps;
	uint64_t ram_pages;
	int hp_old;		/* nr_hugepages to restore, or -1 */

	uint64_t steps, ioctls, failures, content_checks, checkpoints;
	uint64_t first_fail;
	bool pins_ok;
	struct gb_pins p0;
	uint64_t hist[C_NR][NERRNO];
};

/* --- random numbers: splitmix64, one stream per step ------------------- */

static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *st)
{
	*st += 0x9e3779b97f4a7c15ULL;
	return mix64(*st);
}

static uint64_t below(uint64_t *st, uint64_t n)
{
	return n ? rnd(st) % n : 0;
}

static bool pct(uint64_t *st, unsigned int p)
{
	return below(st, 100) < p;
}

static uint64_t pick64(uint64_t *st, const uint64_t *v, size_t n)
{
	return v[below(st, n)];
}

#define PICK(st, arr)	pick64(st, arr, sizeof(arr) / sizeof(arr[0]))

/* --- reporting --------------------------------------------------------- */

static unsigned int errbit(int err)
{
	unsigned int i;

	for (i = 0; i < E_OTHER; i++)
		if (fz_errno[i] == err)
			return i;
	return E_OTHER;
}

static void set_str(unsigned int allow, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < E_OTHER && n < len; i++) {
		if (!(allow & B(i)))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			      i == E_OK ? "0" : strerrorname_np(fz_errno[i]));
	}
}

static const char *err_name(int err)
{
	const char *s = err ? strerrorname_np(err) : "0";

	return s ? s : "?";
}

static __attribute__((format(printf, 3, 4)))
void fz_fail(struct fz *fz, const char *desc, const char *fmt, ...)
{
	va_list ap;

	if (!fz->failures)
		fz->first_fail = fz->steps;
	fz->failures++;
	if (fz->failures > MAX_REPORTS)
		return;
	printf("# FAIL seed=%" PRIu64 " step=%" PRIu64 ": %s: ", fz->o.seed,
	       fz->steps, desc);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n#   reproduce: fuzz --seed %" PRIu64 " --calls %" PRIu64
	       " --trace-from %" PRIu64 "\n", fz->o.seed, fz->steps + 1,
	       fz->steps);
}

/* --- the address space ------------------------------------------------- */

static const struct fz_region *region_at(const struct fz *fz, uintptr_t a,
					 struct fz_region *tmp)
{
	uintptr_t lo = (uintptr_t)fz->arena, hi = lo + fz->arena_len;
	unsigned int i;

	for (i = 0; i < fz->nreg; i++)
		if (a >= fz->reg[i].start && a < fz->reg[i].end)
			return &fz->reg[i];
	memset(tmp, 0, sizeof(*tmp));
	if (a < MIN_MAP_ADDR) {
		*tmp = (struct fz_region){ "page 0", 0, MIN_MAP_ADDR, K_HOLE,
					   false };
		return tmp;
	}
	if (a >= lo && a < hi) {
		/* the arena's PROT_NONE filler, up to the next region */
		tmp->name = "arena guard";
		tmp->kind = K_NONE;
		tmp->start = a & ~(PG - 1);
		tmp->end = hi;
		for (i = 0; i < fz->nreg; i++)
			if (fz->reg[i].start > a && fz->reg[i].start < tmp->end)
				tmp->end = fz->reg[i].start;
		return tmp;
	}
	tmp->name = "other";
	tmp->kind = K_OTHER;
	tmp->start = a;
	tmp->end = a < lo ? lo : UINTPTR_MAX;
	return tmp;
}

static enum fz_outcome page_outcome(enum fz_kind k, uint64_t flags)
{
	bool write = flags & GUPBENCH_F_WRITE, force = flags & GUPBENCH_F_FORCE;
	/* without faulting (NOFAULT, FAST_ONLY) a page may need a fault */
	enum fz_outcome ok = flags & (GUPBENCH_F_NOFAULT |
				      GUPBENCH_F_FAST_ONLY) ? O_MAY : O_OK;

	switch (k) {
	case K_SCRATCH:
		return ok;
	case K_RO:
		return !write ? ok : force ? O_MAY : O_FAIL;
	case K_NONE:
		/* FOLL_FORCE may read (and COW-write) PROT_NONE, as ptrace */
		return force ? O_MAY : O_FAIL;
	case K_HOLE:
		return O_FAIL;
	case K_OTHER:
		return O_MAY;
	}
	return O_MAY;
}

/* What GUP over [addr, addr + len) must do, page order, first stop wins. */
struct fz_walk {
	enum fz_outcome res;
	uint64_t ok_pages;	/* pages before the first non-OK page */
	uintptr_t stop;		/* res == O_FAIL, no MAY before: where */
	bool exact;		/* stop and ok_pages are exact */
	bool in_arena;		/* every page inside the arena */
	bool readable;		/* every page in SCRATCH or RO */
};

static void walk(const struct fz *fz, uint64_t addr, uint64_t len,
		 uint64_t flags, struct fz_walk *w)
{
	uintptr_t lo = (uintptr_t)fz->arena, hi = lo + fz->arena_len;
	uint64_t cur = addr, end = addr + len;
	bool may = false;

	memset(w, 0, sizeof(*w));
	w->res = O_OK;
	w->in_arena = addr >= lo && end <= hi;
	w->readable = true;
	while (cur < end) {
		struct fz_region tmp;
		const struct fz_region *r = region_at(fz, cur, &tmp);
		uint64_t seg_end = r->end < end ? r->end : end;
		enum fz_outcome o = page_outcome(r->kind, flags);

		if (r->kind != K_SCRATCH && r->kind != K_RO)
			w->readable = false;
		if (o == O_FAIL) {
			w->res = O_FAIL;
			w->stop = cur;
			w->exact = !may;
			return;
		}
		if (o == O_MAY) {
			may = true;
			w->res = O_MAY;
		} else if (!may) {
			w->ok_pages += (seg_end - cur) / PG;
		}
		cur = seg_end;
	}
}

static void *map_fixed(void *at, size_t len, int prot, int flags, int fd)
{
	void *p = mmap(at, len, prot, flags | MAP_FIXED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void touch(char *p, size_t len, uint64_t seed)
{
	gb_fill(p, len, seed);
}

static void add_region(struct fz *fz, const char *name, void *p, size_t len,
		       enum fz_kind kind, bool user_rw)
{
	struct fz_region *r = &fz->reg[fz->nreg++];

	r->name = name;
	r->start = (uintptr_t)p;
	r->end = (uintptr_t)p + len;
	r->kind = kind;
	r->user_rw = user_rw;
}

/* Two free 2 MiB pages for the hugetlb region; remembers what to restore. */
static void reserve_hugetlb(struct fz *fz)
{
	uint64_t nr, free_hp;
	char buf[32];
	int fd, n;

	fz->hp_old = -1;
	if (gb_read_u64(NR_HUGEPAGES, &nr) ||
	    gb_read_u64(FREE_HUGEPAGES, &free_hp) || free_hp >= 2)
		return;
	fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%" PRIu64, nr + 2 - free_hp);
	if (write(fd, buf, n) == n)
		fz->hp_old = (int)nr;
	close(fd);
}

static void restore_hugetlb(struct fz *fz)
{
	char buf[32];
	int fd, n;

	if (fz->hp_old < 0)
		return;
	fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d", fz->hp_old);
	if (write(fd, buf, n) != n)
		ksft_print_msg("could not restore %s to %d\n", NR_HUGEPAGES,
			       fz->hp_old);
	close(fd);
}

/*
 * One PROT_NONE arena holds every region GUP may be pointed at, each
 * followed by PROT_NONE filler, so a range running off a region's end
 * stops at a known page (unless FOLL_FORCE, which may read PROT_NONE).
 *   +0     thp      4 MiB, 2 MiB aligned, MADV_HUGEPAGE ("anon" w/o THP)
 *   +6M    hugetlb  4 MiB of 2 MiB pages (when the pool has them)
 *   +12M   base     128 pages, MADV_NOHUGEPAGE
 *   +13M   shmem    32 pages of a memfd, MAP_SHARED
 *   +14M   ro       16 pages, PROT_READ
 *   +15M   freed    16 pages mapped, filled, unmapped
 */
static int map_arena(struct fz *fz, char *why, size_t whylen)
{
	const size_t len = 16UL << 20;
	char *res, *a, *p;
	bool thp;
	int mfd;

	res = mmap(NULL, len + HPG, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED) {
		snprintf(why, whylen, "mmap arena: %s", strerror(errno));
		return -1;
	}
	a = (char *)(((uintptr_t)res + HPG - 1) & ~(HPG - 1));
	fz->arena = a;
	fz->arena_len = len;

	p = map_fixed(a, 4 << 20, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (!p)
		goto fail;
	thp = !gb_thp_usable(why, whylen);
	if (thp)
		madvise(p, 4 << 20, MADV_HUGEPAGE);
	touch(p, 4 << 20, 1);
	/* without THP (PREEMPT_RT) it is one more range of base pages */
	add_region(fz, thp ? "thp" : "anon", p, 4 << 20, K_SCRATCH, true);

	reserve_hugetlb(fz);
	p = mmap(a + (6 << 20), 4 << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB |
		 (21 << MAP_HUGE_SHIFT), -1, 0);
	if (p != MAP_FAILED) {
		touch(p, 4 << 20, 2);
		add_region(fz, "hugetlb", p, 4 << 20, K_SCRATCH, true);
	} else {
		ksft_print_msg("no hugetlb region: %s (free 2 MiB pages?)\n",
			       strerror(errno));
		/* MAP_FIXED may have unmapped the filler: put it back */
		if (!map_fixed(a + (6 << 20), 4 << 20, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1))
			goto fail;
	}

	p = map_fixed(a + (12 << 20), 128 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (!p)
		goto fail;
	madvise(p, 128 * PG, MADV_NOHUGEPAGE);
	touch(p, 128 * PG, 3);
	add_region(fz, "base", p, 128 * PG, K_SCRATCH, true);

	mfd = memfd_create("gupbench-fuzz", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, 32 * PG))
		goto fail;
	p = map_fixed(a + (13 << 20), 32 * PG, PROT_READ | PROT_WRITE,
		      MAP_SHARED, mfd);
	close(mfd);
	if (!p)
		goto fail;
	touch(p, 32 * PG, 4);
	add_region(fz, "shmem", p, 32 * PG, K_SCRATCH, true);

	p = map_fixed(a + (14 << 20), 16 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (!p)
		goto fail;
	touch(p, 16 * PG, 5);
	if (mprotect(p, 16 * PG, PROT_READ))
		goto fail;
	add_region(fz, "ro", p, 16 * PG, K_RO, false);

	p = map_fixed(a + (15 << 20), 16 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (!p)
		goto fail;
	touch(p, 16 * PG, 6);
	if (munmap(p, 16 * PG))
		goto fail;
	fz->hole = (uintptr_t)p;
	add_region(fz, "freed", p, 16 * PG, K_HOLE, false);
	return 0;
fail:
	snprintf(why, whylen, "building the arena: %s", strerror(errno));
	return -1;
}

/* The args area, a read-only page and the samples buffer, with guards. */
static int map_args(struct fz *fz, char *why, size_t whylen)
{
	char *p = mmap(NULL, 8 * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED ||
	    mprotect(p, ARGS_RW, PROT_READ | PROT_WRITE) ||
	    mprotect(p + 3 * PG, PG, PROT_READ | PROT_WRITE) ||
	    mprotect(p + 5 * PG, 2 * PG, PROT_READ | PROT_WRITE)) {
		snprintf(why, whylen, "mmap args: %s", strerror(errno));
		return -1;
	}
	fz->args = p;			/* pages 0-1, guard at 2 */
	fz->args_ro = p + 3 * PG;	/* page 3, guard at 4 */
	/* pages 5-6, guard at 7: the buffer ends at the guard */
	fz->samples = (struct gupbench_sample *)
		(p + 7 * PG - NSAMPLES * sizeof(struct gupbench_sample));
	memset(p + 5 * PG, 0, 2 * PG);
	return mprotect(fz->args_ro, PG, PROT_READ);
}

/* Is the freed mapping still unmapped?  A later mmap could reuse it. */
static bool hole_intact(const struct fz *fz)
{
	unsigned char v;

	return mincore((void *)fz->hole, PG, &v) && errno == ENOMEM;
}

/* --- requests ------------------------------------------------------------ */

/* The flags the module accepts for @api (gb_api_flags() in the module). */
static uint64_t api_flags(const struct fz *fz, unsigned int api)
{
	uint64_t ok = GUPBENCH_F_WRITE | GUPBENCH_F_FORCE |
		      GUPBENCH_F_INSTRUCTIONS;

	if (api == GUPBENCH_API_NOOP)
		return GUPBENCH_F_FOLL_MASK | GUPBENCH_F_INSTRUCTIONS;
	if (gb_api_pins(api)) {
		ok |= GUPBENCH_F_UNPIN_DIRTY;
		if (fz->caps.longterm_apis & (1ULL << api))
			ok |= GUPBENCH_F_LONGTERM;
	}
	switch (api) {
	case GUPBENCH_API_GET_USER_PAGES:
	case GUPBENCH_API_GET_USER_PAGES_REMOTE:
	case GUPBENCH_API_PIN_USER_PAGES:
	case GUPBENCH_API_PIN_USER_PAGES_REMOTE:
		ok |= GUPBENCH_F_LOCK_OUTSIDE;
	}
	ok |= fz->caps.flags & GUPBENCH_F_NOFAULT;
	if (api == GUPBENCH_API_GET_USER_PAGES_FAST)
		ok |= fz->caps.flags & GUPBENCH_F_FAST_ONLY;
	if (api == GUPBENCH_API_GET_USER_PAGES_REMOTE ||
	    api == GUPBENCH_API_PIN_USER_PAGES_REMOTE)
		ok |= GUPBENCH_F_REMOTE_LOCKED;
	return ok;
}

/* A step: the command, its argument as built, and what the model says. */
struct fz_step {
	enum fz_cmd cmd;
	unsigned int fdi;
	unsigned long ioc;
	enum fz_argk argk;
	char *arg;		/* where the struct goes (A_MID/EDGE/RO) */
	uintptr_t argp;		/* what the ioctl gets */
	uint32_t size;
	size_t ksize, ver0;
	bool tail_nonzero;
	size_t tail_at;		/* offset of the non-zero tail byte */
	const char *what;	/* the range's class */
	union {
		struct gupbench_run run;
		struct gupbench_content c;
		struct gupbench_dump d;
		struct gupbench_caps caps;
	} u;

	unsigned int allow;	/* errnos allowed */
	const char *rule;	/* why, for the report */
	struct fz_walk w;	/* RUN/HOLD: the range */
	uint64_t calls_min;	/* RUN success: calls at least */
	uint64_t nsamples;	/* RUN: sample slots the module fills */
};

static void describe(const struct fz *fz, const struct fz_step *s, char *buf,
		     size_t len)
{
	const struct gupbench_run *r = &s->u.run;
	int n;

	(void)fz;
	n = snprintf(buf, len, "%s fd%u size=%u arg=%s", fz_cmd_name[s->cmd],
		     s->fdi, s->size, fz_argk_name[s->argk]);
	if (s->tail_nonzero)
		n += snprintf(buf + n, len - n, "+tail@%zu", s->tail_at);
	switch (s->cmd) {
	case C_RUN:
	case C_HOLD:
		snprintf(buf + n, len - n,
			 " api=%u(%s) flags=0x%" PRIx64 " addr=0x%" PRIx64
			 "(%s) len=0x%" PRIx64 " batch=%" PRIu64
			 " samples=0x%" PRIx64 " cap=%" PRIu64
			 " release=%u reserved=%u", r->api,
			 gb_api_name(r->api), (uint64_t)r->flags,
			 (uint64_t)r->addr, s->what, (uint64_t)r->len,
			 (uint64_t)r->batch, (uint64_t)r->samples,
			 (uint64_t)r->samples_cap, r->release, r->__reserved);
		break;
	case C_CONTENT:
		snprintf(buf + n, len - n, " op=%u seed=0x%" PRIx64, s->u.c.op,
			 (uint64_t)s->u.c.seed);
		break;
	case C_DUMP:
		snprintf(buf + n, len - n,
			 " api=%u(%s) flags=0x%" PRIx64 " addr=0x%" PRIx64
			 "(%s) len=0x%" PRIx64 " pages=0x%" PRIx64 " nr=%u"
			 " reserved=%u", s->u.d.api, gb_api_name(s->u.d.api),
			 (uint64_t)s->u.d.flags, (uint64_t)s->u.d.addr, s->what,
			 (uint64_t)s->u.d.len, (uint64_t)s->u.d.pages, s->u.d.nr,
			 s->u.d.__reserved);
		break;
	case C_UNKNOWN:
		snprintf(buf + n, len - n, " cmd=0x%lx", s->ioc);
		break;
	default:
		break;
	}
}

static void pick_arg(struct fz *fz, uint64_t *st, struct fz_step *s)
{
	static const uint64_t kernel[] = {
		0xffffffff81000000ULL, 0xffff888000000000ULL,
		0xffffffffff600000ULL, 0xfffffffffffff000ULL,
	};
	static const uint64_t noncanon[] = {
		0x0000800000000000ULL, 0x8000000000000000ULL,
		0x0001000000000000ULL, 0x7fffffffffffffffULL,
	};
	unsigned int r = below(st, 100);

	s->argk = r < 90 ? A_MID : r < 93 ? A_EDGE : r < 95 ? A_RO :
		  r < 97 ? A_NULL : r < 98 ? A_KERNEL : r < 99 ? A_HOLE :
		  A_NONCANON;
	/* HOLD's EFAULT-after-success path is a case of its own: A_RO */
	switch (s->argk) {
	case A_MID:
		s->arg = fz->args + (pct(st, 90) ? below(st, PG / 8) * 8 :
				     below(st, PG));
		break;
	case A_EDGE:
		s->arg = fz->args + ARGS_RW - s->ksize;
		break;
	case A_RO:
		s->arg = fz->args_ro;
		break;
	case A_NULL:
		s->argp = 0;
		break;
	case A_KERNEL:
		s->argp = PICK(st, kernel);
		break;
	case A_HOLE:
		s->argp = fz->hole + below(st, 16) * PG;
		break;
	case A_NONCANON:
		s->argp = PICK(st, noncanon);
		break;
	case A_NR:
		break;
	}
	if (s->argk <= A_RO)
		s->argp = (uintptr_t)s->arg;
}

static void pick_size(uint64_t *st, struct fz_step *s)
{
	static const uint64_t huge[] = { PG + 1, 2 * PG, 65536, UINT32_MAX };
	unsigned int r = below(st, 100);

	s->size = s->ksize;
	if (r < 84)
		return;
	if (r < 88) {
		s->size = s->ksize + 1 + below(st, PG - s->ksize);
	} else if (r < 91) {
		s->size = s->ksize + 1 + below(st, PG - s->ksize);
		s->tail_nonzero = true;
		s->tail_at = s->ksize + below(st, s->size - s->ksize);
	} else if (r < 94) {
		static const uint64_t small[] = { 0, 1, 4, 8 };

		s->size = pct(st, 50) ? PICK(st, small) : below(st, s->ver0);
		if (pct(st, 30))
			s->size = s->ver0 - 1;
	} else if (r < 97) {
		s->size = PICK(st, huge);
	} else if (s->ver0 < s->ksize) {
		/* an older, shorter version of the struct */
		s->size = s->ver0 + below(st, s->ksize - s->ver0);
	}
}

/* Size rules (clone3/openat2); 0 when they pass, else the allowed set. */
static unsigned int size_rules(const struct fz *fz, const struct fz_step *s,
			       const char **rule)
{
	size_t readable;

	switch (s->argk) {
	case A_MID:
	case A_EDGE:
		readable = fz->args + ARGS_RW - s->arg;
		break;
	case A_RO:
		readable = PG;
		break;
	default:
		*rule = "argument pointer not readable";
		return B(E_FAULT);
	}
	if (s->size < s->ver0) {
		*rule = "size below the first version";
		return B(E_INVAL);
	}
	if (s->size > PG) {
		*rule = "size above a page";
		return B(E_2BIG);
	}
	if (s->size > readable) {
		/* a non-zero tail byte before the fault is found first */
		*rule = "struct runs into a guard page";
		return B(E_FAULT) | (s->tail_nonzero ? B(E_2BIG) : 0);
	}
	if (s->tail_nonzero) {
		*rule = "non-zero tail beyond the known struct";
		return B(E_2BIG);
	}
	return 0;
}

/* Lay the struct into its place; the shadow says what must not change. */
static void place_arg(struct fz *fz, struct fz_step *s)
{
	size_t n = s->size < s->ksize ? s->size : s->ksize;
	char *end;

	/* the size word itself is always there, whatever it says */
	if (n < sizeof(s->size))
		n = sizeof(s->size);

	if (s->argk == A_RO) {
		if (mprotect(fz->args_ro, PG, PROT_READ | PROT_WRITE))
			ksft_exit_fail_perror("mprotect args_ro");
		memset(fz->args_ro, 0, PG);
		memcpy(s->arg, &s->u, n > PG ? PG : n);
		if (s->tail_nonzero && s->tail_at < PG)
			s->arg[s->tail_at] = 0x5a;
		if (mprotect(fz->args_ro, PG, PROT_READ))
			ksft_exit_fail_perror("mprotect args_ro");
		return;
	}
	if (s->argk != A_MID && s->argk != A_EDGE)
		return;
	/* canary everywhere, zeros for a tail, then the struct's prefix */
	memset(fz->args, 0xc5, ARGS_RW);
	end = fz->args + ARGS_RW;
	if (s->size > s->ksize) {
		size_t tail = s->size - s->ksize;

		if (s->arg + s->ksize + tail > end)
			tail = end - (s->arg + s->ksize);
		memset(s->arg + s->ksize, 0, tail);
		if (s->tail_nonzero && s->arg + s->tail_at < end)
			s->arg[s->tail_at] = 0x5a;
	}
	memcpy(s->arg, &s->u, s->arg + n > end ? (size_t)(end - s->arg) : n);
	memcpy(fz->shadow, fz->args, ARGS_RW);
}

/* Nothing outside [arg, arg + min(size, ksize)) may have been written. */
static bool arg_area_intact(const struct fz *fz, const struct fz_step *s,
			    bool may_write)
{
	size_t off = s->arg - fz->args;
	size_t n = may_write ? (s->size < s->ksize ? s->size : s->ksize) : 0;

	if (s->argk != A_MID && s->argk != A_EDGE)
		return true;
	if (off + n > ARGS_RW)
		n = ARGS_RW - off;
	return !memcmp(fz->shadow, fz->args, off) &&
	       !memcmp(fz->shadow + off + n, fz->args + off + n,
		       ARGS_RW - off - n);
}

/* --- RUN and HOLD ---------------------------------------------------- */

static const struct fz_region *pick_scratch(const struct fz *fz, uint64_t *st)
{
	const struct fz_region *v[NREGIONS];
	unsigned int i, n = 0;

	for (i = 0; i < fz->nreg; i++)
		if (fz->reg[i].kind == K_SCRATCH)
			v[n++] = &fz->reg[i];
	return v[below(st, n)];
}

static const struct fz_region *find_region(const struct fz *fz,
					   const char *name)
{
	unsigned int i;

	for (i = 0; i < fz->nreg; i++)
		if (!strcmp(fz->reg[i].name, name))
			return &fz->reg[i];
	return NULL;
}

static void pick_in(uint64_t *st, const struct fz_region *r, uint64_t *addr,
		    uint64_t *len)
{
	uint64_t pages = (r->end - r->start) / PG;
	uint64_t first = pct(st, 30) ? 0 : below(st, pages);

	*addr = r->start + first * PG;
	*len = (pct(st, 25) ? pages - first : 1 + below(st, pages - first)) *
	       PG;
}

static void pick_range(struct fz *fz, uint64_t *st, struct fz_step *s)
{
	static const uint64_t kernel[] = {
		0xffffffff81000000ULL, 0xffff888000000000ULL,
		0xffffffffff600000ULL, 0xfffffffffffff000ULL,
	};
	static const uint64_t noncanon[] = {
		0x0000800000000000ULL, 0x8000000000000000ULL,
		0xffff800000000000ULL, 0x0000fffffffff000ULL,
	};
	struct gupbench_run *r = &s->u.run;
	const struct fz_region *reg;
	unsigned int c = below(st, 100);
	uint64_t addr, len;

	if (c < 50) {
		reg = pick_scratch(fz, st);
		pick_in(st, reg, &addr, &len);
		s->what = reg->name;
	} else if (c < 58) {
		reg = pick_scratch(fz, st);
		pick_in(st, reg, &addr, &len);
		len = reg->end - addr + (1 + below(st, 64)) * PG;
		s->what = "overrun";
	} else if (c < 62) {
		pick_in(st, find_region(fz, "ro"), &addr, &len);
		s->what = "ro";
	} else if (c < 65) {
		addr = (uintptr_t)fz->arena + (10 << 20) + below(st, 16) * PG;
		len = (1 + below(st, 16)) * PG;
		s->what = "prot-none";
	} else if (c < 68) {
		pick_in(st, find_region(fz, "freed"), &addr, &len);
		s->what = "freed";
	} else if (c < 71) {
		const uint64_t other[] = {
			fz->stack, fz->text, fz->heap, (uintptr_t)fz->args,
			(uintptr_t)fz->samples & ~(PG - 1),
		};

		addr = PICK(st, other);
		len = (1 + below(st, 8)) * PG;
		s->what = "own memory";
	} else if (c < 73) {
		addr = 0;
		len = (1 + below(st, 16)) * PG;
		s->what = "0";
	} else if (c < 75) {
		addr = PG - 1;
		len = PG;
		s->what = "page-1";
	} else if (c < 78) {
		reg = pick_scratch(fz, st);
		pick_in(st, reg, &addr, &len);
		addr += 1 + below(st, PG - 1);
		s->what = "unaligned";
	} else if (c < 81) {
		uint64_t k = 1 + below(st, 8);

		addr = TASK_TOP - k * PG;
		len = (1 + below(st, 2 * k)) * PG;
		s->what = "top of user space";
	} else if (c < 84) {
		addr = PICK(st, noncanon) - (pct(st, 50) ? 0 : PG);
		len = (1 + below(st, 4)) * PG;
		s->what = "non-canonical";
	} else if (c < 87) {
		addr = PICK(st, kernel);
		len = (1 + below(st, 4)) * PG;
		s->what = "kernel";
	} else if (c < 90) {
		static const uint64_t lens[] = { 0, 1, PG - 1, PG + 1, 8 };

		reg = pick_scratch(fz, st);
		addr = reg->start;
		len = PICK(st, lens);
		s->what = "bad length";
	} else if (c < 93) {
		reg = pick_scratch(fz, st);
		addr = reg->start;
		len = -addr + below(st, 4) * PG;
		s->what = "wrap-around";
	} else if (c < 97) {
		const uint64_t lens[] = {
			fz->caps.max_len, fz->caps.max_len + PG,
			fz->ram_pages / 2 * PG, (fz->ram_pages / 2 + 1) * PG,
			fz->ram_pages * PG, 1ULL << 40, UINT64_MAX & ~(PG - 1),
		};

		reg = pick_scratch(fz, st);
		addr = reg->start;
		len = PICK(st, lens);
		s->what = "huge";
	} else {
		addr = rnd(st) & (pct(st, 50) ? ~(PG - 1) : ~0ULL);
		len = rnd(st) & (pct(st, 50) ? ~(PG - 1) : ~0ULL);
		if (pct(st, 50))
			len &= (1ULL << 30) - 1;
		s->what = "random";
	}
	r->addr = addr;
	r->len = len;
}

static uint64_t pick_flags(struct fz *fz, uint64_t *st, unsigned int api)
{
	unsigned int c = below(st, 100);
	uint64_t ok = api < GUPBENCH_API_COUNT ? api_flags(fz, api) :
		      GUPBENCH_F_ALL;

	/* the flags that make outcomes "may or may not": now and then */
	if (c < 82)
		return rnd(st) & ok & (pct(st, 75) ?
				       ~(GUPBENCH_F_NOFAULT |
					 GUPBENCH_F_FAST_ONLY) : ~0ULL);
	if (c < 90)
		return rnd(st) & GUPBENCH_F_ALL;
	if (c < 96)
		return (rnd(st) & ok) | (1ULL << below(st, 64));
	return rnd(st);
}

static void pick_samples(struct fz *fz, uint64_t *st, struct fz_step *s,
			 bool hold)
{
	struct gupbench_run *r = &s->u.run;
	unsigned int c = below(st, 100);

	if (c < (hold ? 85U : 60U))
		return;
	if (c < 80) {
		uint64_t at = below(st, NSAMPLES);

		r->samples = (uintptr_t)(fz->samples + at);
		r->samples_cap = pct(st, 80) ? 1 + below(st, NSAMPLES - at) :
				 1 + below(st, 2 * NSAMPLES);
	} else if (c < 84) {
		r->samples = 0;
		r->samples_cap = 1 + below(st, 16);
	} else if (c < 88) {
		r->samples = (uintptr_t)fz->args_ro;
		r->samples_cap = 1 + below(st, 16);
	} else if (c < 92) {
		r->samples = fz->hole;
		r->samples_cap = 1 + below(st, 16);
	} else if (c < 95) {
		r->samples = 0xffffffff81000000ULL;
		r->samples_cap = 1 + below(st, 16);
	} else if (c < 98) {
		r->samples = (uintptr_t)fz->samples;
		r->samples_cap = 0;
	} else {
		r->samples = (uintptr_t)fz->samples + 1 + below(st, 23);
		r->samples_cap = 1 + below(st, 8);
	}
}

/*
 * The field rules of RUN/HOLD, the request's range and samples.  False
 * when the request fails its validation (nothing would be taken).
 */
static bool run_model(struct fz *fz, struct fz_step *s, bool hold)
{
	const struct gupbench_run *r = &s->u.run;
	unsigned int bad = 0;
	uint64_t nr, batch, calls, need;

	if (r->api >= GUPBENCH_API_COUNT || r->__reserved ||
	    r->release >= GUPBENCH_RELEASE_COUNT) {
		bad |= B(E_INVAL);
		s->rule = "api, reserved or release out of range";
	}
	if (r->api < GUPBENCH_API_COUNT && (r->flags & ~api_flags(fz, r->api))) {
		bad |= B(E_INVAL);
		s->rule = "flags not allowed for this api";
	}
	if ((r->flags & GUPBENCH_F_UNPIN_DIRTY) &&
	    !(r->flags & GUPBENCH_F_WRITE)) {
		bad |= B(E_INVAL);
		s->rule = "UNPIN_DIRTY without WRITE";
	}
	if (hold && (r->api == GUPBENCH_API_NOOP || r->samples ||
		     r->samples_cap || r->release ||
		     (r->flags & GUPBENCH_F_INSTRUCTIONS))) {
		bad |= B(E_INVAL);
		s->rule = "HOLD with noop, samples, release or instructions";
	}
	if ((r->flags & GUPBENCH_F_REMOTE_LOCKED) &&
	    (r->flags & GUPBENCH_F_LOCK_OUTSIDE)) {
		bad |= B(E_INVAL);
		s->rule = "REMOTE_LOCKED with LOCK_OUTSIDE";
	}
	/* one 6.3 rework: LONGTERM in _unlocked and with `locked` */
	if ((r->flags & GUPBENCH_F_REMOTE_LOCKED) &&
	    (r->flags & GUPBENCH_F_LONGTERM) &&
	    !(fz->caps.longterm_apis &
	      (1ULL << GUPBENCH_API_PIN_USER_PAGES_UNLOCKED))) {
		bad |= B(E_INVAL);
		s->rule = "REMOTE_LOCKED with LONGTERM before 6.3";
	}
	if (hold && gb_api_pins(r->api) && !(r->flags & GUPBENCH_F_LONGTERM)) {
		bad |= B(E_INVAL);
		s->rule = "a pinned HOLD without LONGTERM";
	}
	if (!r->len || (r->addr & (PG - 1)) || (r->len & (PG - 1))) {
		bad |= B(E_INVAL);
		s->rule = "empty or unaligned range";
		s->allow = bad;
		return false;
	}
	if (r->addr + r->len < r->addr || r->len > fz->caps.max_len) {
		bad |= B(E_INVAL);
		s->rule = "range wraps or exceeds max_len";
		s->allow = bad;
		return false;
	}
	/* access_ok(): the end must not pass TASK_SIZE_MAX (6.12: one less) */
	if (r->addr + r->len > TASK_TOP) {
		bad |= B(E_FAULT);
		s->rule = "range beyond user space";
	}
	nr = r->len / PG;
	if (nr > fz->ram_pages / 2) {
		bad |= B(E_NOMEM);
		s->rule = "range above half of RAM";
	}
	batch = r->batch && r->batch < nr ? r->batch : nr;
	if (batch > INT_MAX)
		batch = INT_MAX;
	calls = (nr + batch - 1) / batch;
	s->calls_min = calls;
	if (r->samples_cap && !r->samples) {
		bad |= B(E_FAULT);
		s->rule = "samples_cap without samples";
	}
	s->nsamples = r->samples_cap < calls ? r->samples_cap : calls;
	if (r->samples && s->nsamples) {
		uintptr_t lo = (uintptr_t)fz->samples;
		uintptr_t hi = lo + NSAMPLES * sizeof(struct gupbench_sample);

		need = s->nsamples * sizeof(struct gupbench_sample);
		if (r->samples < lo || r->samples > hi ||
		    need > hi - r->samples) {
			bad |= B(E_FAULT);
			s->rule = "samples not writable for the calls made";
		}
	}
	if (bad) {
		s->allow = bad;
		return false;
	}
	/* no retired-instruction counter here (no PMU under TCG) */
	if (!hold && (r->flags & GUPBENCH_F_INSTRUCTIONS) &&
	    fz->caps.instr_error) {
		s->allow = B(E_OPNOTSUPP);
		s->rule = "instructions asked for without a counter";
		return false;
	}

	if (r->api == GUPBENCH_API_NOOP) {
		s->w.res = O_OK;
		s->w.ok_pages = nr;
	} else {
		walk(fz, r->addr, r->len, r->flags, &s->w);
	}
	switch (s->w.res) {
	case O_OK:
		s->allow = B(E_OK);
		s->rule = "valid request over populated memory";
		break;
	case O_MAY:
		s->allow = B(E_OK) | B(E_FAULT) | B(E_NOMEM) | B(E_OPNOTSUPP);
		s->rule = "range over memory GUP may or may not take";
		break;
	case O_FAIL:
		s->allow = B(E_FAULT);
		if (!s->w.exact)
			s->allow |= B(E_NOMEM) | B(E_OPNOTSUPP);
		s->rule = "range reaches a page GUP must refuse";
		break;
	}
	/* the array of pages (8 bytes a page) may not be there */
	if (nr > (1UL << 16))
		s->allow |= B(E_NOMEM);
	if (hold && fz->hold[s->fdi].on) {
		s->allow = B(E_BUSY);
		s->rule = "the file already holds a range";
		return true;
	}
	/* read-only argument: the outputs cannot go back */
	if (s->argk == A_RO) {
		s->allow = (s->allow & ~B(E_OK)) | B(E_FAULT);
		s->rule = "outputs not writable";
	}
	return true;
}

static void run_check(struct fz *fz, const struct fz_step *s, bool hold,
		      int err, const char *desc)
{
	const struct gupbench_run *o = (const void *)s->arg;
	const struct gupbench_run *in = &s->u.run;
	uint64_t nr = in->len / PG;

	if (s->argk != A_MID && s->argk != A_EDGE)
		return;
	if (!err) {
		if (o->pages_done != nr || o->fail_addr)
			fz_fail(fz, desc, "success with pages_done %" PRIu64
				" of %" PRIu64 ", fail_addr 0x%" PRIx64,
				(uint64_t)o->pages_done, nr,
				(uint64_t)o->fail_addr);
		if (o->calls < s->calls_min ||
		    (!o->short_calls && o->calls != s->calls_min))
			fz_fail(fz, desc, "%" PRIu64 " calls, %" PRIu64
				" short; expected %" PRIu64,
				(uint64_t)o->calls, (uint64_t)o->short_calls,
				s->calls_min);
		if (!hold && o->samples_written !=
		    (o->calls < s->nsamples ? o->calls : s->nsamples))
			fz_fail(fz, desc, "samples_written %" PRIu64,
				(uint64_t)o->samples_written);
		/* VER3: every page inspected is counted at one folio order */
		if (in->api != GUPBENCH_API_NOOP &&
		    s->size >= GUPBENCH_RUN_SIZE_VER3) {
			uint64_t sum = 0;
			unsigned int i;

			for (i = 0; i < GUPBENCH_ORDERS; i++)
				sum += o->order_pages[i];
			if (sum != nr)
				fz_fail(fz, desc, "order_pages add up to %" PRIu64
					" of %" PRIu64 " pages", sum, nr);
		}
		/* zero pages are not pinned: only populated memory counts */
		if (gb_api_pins(in->api) && s->w.res == O_OK &&
		    (!(o->out_flags & GUPBENCH_OUT_PIN_CHECKED) ||
		     o->unpinned_pages))
			fz_fail(fz, desc, "pins not seen: out_flags 0x%" PRIx64
				" unpinned %" PRIu64, (uint64_t)o->out_flags,
				(uint64_t)o->unpinned_pages);
		return;
	}
	/* a GUP failure at a known page: outputs say how far it got */
	if (s->w.res == O_FAIL && s->w.exact && err == EFAULT &&
	    !(s->allow & B(E_BUSY)) && s->w.stop >= in->addr) {
		if (o->pages_done != s->w.ok_pages || o->fail_addr != s->w.stop)
			fz_fail(fz, desc, "stopped after %" PRIu64
				" pages at 0x%" PRIx64 "; expected %" PRIu64
				" at 0x%" PRIx64, (uint64_t)o->pages_done,
				(uint64_t)o->fail_addr, s->w.ok_pages,
				(uint64_t)s->w.stop);
	}
}

static void gen_run(struct fz *fz, uint64_t *st, struct fz_step *s, bool hold)
{
	static const uint64_t hbatch[] = {
		UINT64_MAX, 1ULL << 31, 1ULL << 32, INT_MAX, (uint64_t)INT_MAX + 1,
	};
	static const uint32_t brelease[] = { 2, 3, 0x80000000U, UINT32_MAX };
	struct gupbench_run *r = &s->u.run;
	unsigned int c;
	uint64_t nr;

	s->ksize = sizeof(*r);
	s->ver0 = GUPBENCH_RUN_SIZE_VER0;
	c = below(st, 100);
	r->api = c < 94 ? below(st, GUPBENCH_API_COUNT) :
		 c < 98 ? GUPBENCH_API_COUNT + below(st, 4) : (uint32_t)rnd(st);
	if (hold && r->api == GUPBENCH_API_NOOP && pct(st, 80))
		r->api = 1 + below(st, GUPBENCH_API_COUNT - 1);
	r->flags = pick_flags(fz, st, r->api);
	/* mostly a valid hold: a pinned one is long-term */
	if (hold && gb_api_pins(r->api) && pct(st, 90) &&
	    (api_flags(fz, r->api) & GUPBENCH_F_LONGTERM))
		r->flags |= GUPBENCH_F_LONGTERM;
	pick_range(fz, st, s);

	nr = r->len / PG ? r->len / PG : 1;
	c = below(st, 100);
	r->batch = c < 30 ? 0 : c < 50 ? 1 : c < 75 ? 1 + below(st, nr) :
		   c < 85 ? nr + 1 + below(st, 1000) :
		   c < 95 ? PICK(st, hbatch) : rnd(st);
	if (hold)
		r->release = pct(st, 95) ? 0 : pct(st, 50) ? 1 :
			     brelease[below(st, 4)];
	else
		r->release = pct(st, 95) ? below(st, 2) : brelease[below(st, 4)];
	pick_samples(fz, st, s, hold);
	r->__reserved = pct(st, 98) ? 0 : 1 + below(st, UINT32_MAX);

	/* garbage in the outputs: the module must not read them */
	r->out_flags = rnd(st);
	r->pages_done = rnd(st);
	r->calls = rnd(st);
	r->fail_addr = rnd(st);
	r->samples_written = rnd(st);
}

static void note_hold(struct fz *fz, const struct fz_step *s)
{
	const struct gupbench_run *r = &s->u.run;
	struct fz_hold *h = &fz->hold[s->fdi];
	struct fz_walk w;

	walk(fz, r->addr, r->len, r->flags, &w);
	h->on = true;
	h->api = r->api;
	h->flags = r->flags;
	h->addr = r->addr;
	h->len = r->len;
	h->pages = r->len / PG;
	h->fillable = w.in_arena;
	h->checkable = w.readable;
}

/* --- CONTENT, CAPS, UNHOLD, unknown ---------------------------------- */

static void gen_content(struct fz *fz, uint64_t *st, struct fz_step *s)
{
	const struct fz_hold *h = &fz->hold[s->fdi];
	struct gupbench_content *c = &s->u.c;
	unsigned int r = below(st, 100);

	s->ksize = sizeof(*c);
	s->ver0 = GUPBENCH_CONTENT_SIZE_VER0;
	c->op = r < 90 ? below(st, GUPBENCH_CONTENT_COUNT) :
		r < 97 ? GUPBENCH_CONTENT_COUNT + below(st, 4) :
		(uint32_t)rnd(st);
	/* FILL writes the held pages: only where that cannot hurt us */
	if (c->op == GUPBENCH_CONTENT_FILL && h->on &&
	    (h->flags & GUPBENCH_F_WRITE) && !h->fillable)
		c->op = GUPBENCH_CONTENT_VERIFY;
	c->seed = !pct(st, 20) ? rnd(st) : pct(st, 50) ? 0 : ~0ULL;
	c->checksum = rnd(st);
	c->bad_pages = rnd(st);
	c->pages = rnd(st);
	/* READ's range and buffer: mostly valid, into the samples scratch */
	if (c->op == GUPBENCH_CONTENT_READ) {
		uint64_t held = h->on ? h->len : 64 * PG, most = READ_MAX;
		unsigned int k = below(st, 100);

		if (most > held)
			most = held;
		c->len = k < 80 ? 1 + below(st, most) : k < 90 ? 0 : rnd(st);
		c->offset = pct(st, 85) && c->len <= held ?
			    below(st, held - c->len + 1) : rnd(st);
		c->buf = pct(st, 90) ? (uintptr_t)fz->samples :
			 pct(st, 50) ? 0 : (uintptr_t)fz->args_ro;
	} else {
		/* ignored by the other ops */
		c->buf = rnd(st);
		c->offset = rnd(st);
		c->len = rnd(st);
	}
}

/*
 * A VER1 field as the module sees it: the bytes of it within the size
 * sent (little endian), zero beyond.
 */
static uint64_t sent(const struct fz_step *s, size_t off, uint64_t v)
{
	if (s->size <= off)
		return 0;
	if (s->size >= off + sizeof(v))
		return v;
	return v & ((1ULL << (8 * (s->size - off))) - 1);
}

static void content_model(struct fz *fz, struct fz_step *s)
{
	const struct fz_hold *h = &fz->hold[s->fdi];
	const struct gupbench_content *c = &s->u.c;
	uint64_t buf = sent(s, offsetof(struct gupbench_content, buf), c->buf);
	uint64_t off = sent(s, offsetof(struct gupbench_content, offset),
			    c->offset);
	uint64_t len = sent(s, offsetof(struct gupbench_content, len), c->len);

	if (c->op >= GUPBENCH_CONTENT_COUNT) {
		s->allow = B(E_INVAL);
		s->rule = "unknown content op";
	} else if (!h->on) {
		s->allow = B(E_NOENT);
		s->rule = "nothing held";
	} else if (c->op == GUPBENCH_CONTENT_FILL &&
		   (!(h->flags & GUPBENCH_F_WRITE) || !gb_api_pins(h->api))) {
		s->allow = B(E_PERM);
		s->rule = "FILL on a hold that is not a write pin";
	} else if (c->op == GUPBENCH_CONTENT_READ && (!len || off > h->len ||
						       len > h->len - off)) {
		s->allow = B(E_INVAL);
		s->rule = "READ of nothing, or beyond the hold";
	} else if (c->op == GUPBENCH_CONTENT_READ &&
		   (buf != (uintptr_t)fz->samples || len > READ_MAX)) {
		s->allow = B(E_FAULT);
		s->rule = "READ into a buffer that is not writable, or past its guard";
	} else if (s->argk == A_RO) {
		s->allow = B(E_FAULT);
		s->rule = "outputs not writable";
	} else {
		s->allow = B(E_OK);
		s->rule = "content op on a hold";
	}
}

static int do_ioctl(struct fz *fz, const struct fz_step *s, unsigned long cmd)
{
	int err = ioctl(fz->fd[s->fdi], cmd, (void *)s->argp) ? errno : 0;

	fz->ioctls++;
	fz->hist[s->cmd][err < NERRNO ? err : NERRNO - 1]++;
	return err;
}

/* After a FILL: userspace and a VERIFY must both see the pattern. */
static void content_check(struct fz *fz, const struct fz_step *s,
			  const char *desc)
{
	const struct gupbench_content *o = (const void *)s->arg;
	const struct fz_hold *h = &fz->hold[s->fdi];
	struct gupbench_content v;
	uint64_t bad, off, len;
	int err;

	if (o->pages != h->pages)
		fz_fail(fz, desc, "content covered %" PRIu64 " pages, the hold %"
			PRIu64, (uint64_t)o->pages, h->pages);
	switch (s->u.c.op) {
	case GUPBENCH_CONTENT_CHECKSUM:
		if (!h->checkable)
			return;
		fz->content_checks++;
		if (o->checksum != gb_checksum((void *)h->addr, h->len))
			fz_fail(fz, desc, "held pages differ from what userspace "
				"reads at 0x%" PRIx64 " (%s)", h->addr,
				gb_api_name(h->api));
		break;
	case GUPBENCH_CONTENT_VERIFY:
		if (o->bad_pages > o->pages ||
		    (o->bad_pages && o->first_bad >= h->len))
			fz_fail(fz, desc, "VERIFY: %" PRIu64 " bad of %" PRIu64
				", first at %" PRIu64, (uint64_t)o->bad_pages,
				(uint64_t)o->pages, (uint64_t)o->first_bad);
		break;
	case GUPBENCH_CONTENT_READ:
		if (!h->checkable)
			return;
		fz->content_checks++;
		off = sent(s, offsetof(struct gupbench_content, offset),
			   s->u.c.offset);
		len = sent(s, offsetof(struct gupbench_content, len), s->u.c.len);
		if (memcmp(fz->samples, (char *)h->addr + off, len))
			fz_fail(fz, desc, "READ of %" PRIu64 " bytes at %" PRIu64
				" differs from what userspace reads (%s)",
				len, off, gb_api_name(h->api));
		break;
	case GUPBENCH_CONTENT_FILL:
		fz->content_checks++;
		if (h->checkable) {
			bad = gb_bad_pages((void *)h->addr, h->len, s->u.c.seed);
			if (bad)
				fz_fail(fz, desc, "FILL: userspace sees %" PRIu64
					" pages without the pattern", bad);
		}
		err = gb_content(fz->fd[s->fdi], GUPBENCH_CONTENT_VERIFY,
				 s->u.c.seed, &v);
		fz->ioctls++;
		fz->hist[C_CONTENT][err]++;
		if (err || v.bad_pages)
			fz_fail(fz, desc, "VERIFY after FILL: %s, %" PRIu64
				" bad pages", err_name(err),
				(uint64_t)v.bad_pages);
		break;
	}
}

static void caps_check(struct fz *fz, const struct fz_step *s,
		       const char *desc)
{
	const struct gupbench_caps *o = (const void *)s->arg;

	if (o->abi_version != GUPBENCH_ABI_VERSION || o->page_size != PG ||
	    o->run_size != sizeof(struct gupbench_run) ||
	    o->max_len != fz->caps.max_len || o->apis != fz->caps.apis ||
	    o->flags != fz->caps.flags ||
	    strnlen(o->kernel_release, sizeof(o->kernel_release)) ==
	    sizeof(o->kernel_release))
		fz_fail(fz, desc, "CAPS fields differ from the first CAPS");
	if (s->size >= GUPBENCH_CAPS_SIZE_VER1 &&
	    o->longterm_apis != fz->caps.longterm_apis)
		fz_fail(fz, desc, "CAPS longterm_apis 0x%" PRIx64,
			(uint64_t)o->longterm_apis);
}

/* --- DUMP ----------------------------------------------------------------- */

/*
 * A DUMP names its range as a RUN does (gen_run picks it) and up to
 * GUPBENCH_DUMP_MAX page indices in an array, which lives at the start
 * of the samples scratch buffer (or somewhere it cannot be read).  The
 * valid ones are few and short: every index dumped is a dump_page() in
 * the guest's log.
 */
static void gen_dump(struct fz *fz, uint64_t *st, struct fz_step *s)
{
	static const uint64_t kernel[] = {
		0xffffffff81000000ULL, 0xffff888000000000ULL,
	};
	struct gupbench_dump *d = &s->u.d;
	uint64_t *idx = (uint64_t *)fz->samples;
	char *end = (char *)fz->samples + READ_MAX;
	struct fz_step t;
	uint64_t np, i, n;
	unsigned int c;

	s->ksize = sizeof(*d);
	s->ver0 = GUPBENCH_DUMP_SIZE_VER0;
	memset(&t, 0, sizeof(t));
	gen_run(fz, st, &t, false);
	d->api = t.u.run.api;
	/* mostly the FOLL_* flags DUMP takes */
	d->flags = pct(st, 85) ? t.u.run.flags & GUPBENCH_F_FOLL_MASK :
		   t.u.run.flags;
	d->addr = t.u.run.addr;
	d->len = t.u.run.len;
	s->what = t.what;
	d->__reserved = pct(st, 98) ? 0 : 1 + below(st, UINT32_MAX);
	d->dumped = rnd(st);	/* an output: must not be read */

	c = below(st, 100);
	d->nr = c < 75 ? 1 + below(st, 2) : c < 85 ? 1 + below(st, 64) :
		c < 90 ? 0 : c < 95 ? GUPBENCH_DUMP_MAX + 1 + below(st, 8) :
		(uint32_t)rnd(st);
	np = d->len / PG;
	n = d->nr < GUPBENCH_DUMP_MAX ? d->nr : GUPBENCH_DUMP_MAX;
	for (i = 0; i < n; i++)
		idx[i] = np ? below(st, np) : 0;
	/* one index past the range, now and then */
	if (n && pct(st, 10))
		idx[below(st, n)] = pct(st, 70) ? np + below(st, 4) : rnd(st);

	c = below(st, 100);
	if (c < 86)
		d->pages = (uintptr_t)idx;
	else if (c < 90)	/* the array runs into the guard page */
		d->pages = (uintptr_t)(end - 8 * below(st, n ? n : 1));
	else if (c < 93)
		d->pages = 0;
	else if (c < 97)
		d->pages = fz->hole;
	else
		d->pages = PICK(st, kernel);
}

static void dump_model(struct fz *fz, struct fz_step *s)
{
	const struct gupbench_dump *d = &s->u.d;
	uintptr_t lo = (uintptr_t)fz->samples, hi = lo + READ_MAX;
	const uint64_t *idx = (const uint64_t *)(uintptr_t)d->pages;
	struct fz_step t;
	uint32_t i;

	if (d->api == GUPBENCH_API_NOOP || d->__reserved || !d->nr ||
	    d->nr > GUPBENCH_DUMP_MAX ||
	    (d->flags & ~(uint64_t)GUPBENCH_F_FOLL_MASK)) {
		s->allow = B(E_INVAL);
		s->rule = "noop, reserved, nr outside 1..64 or a flag DUMP does not take";
		return;
	}
	/* then the range is checked as a RUN over it (no samples) */
	memset(&t, 0, sizeof(t));
	t.argk = A_MID;
	t.u.run.size = sizeof(t.u.run);
	t.u.run.api = d->api;
	t.u.run.flags = d->flags;
	t.u.run.addr = d->addr;
	t.u.run.len = d->len;
	if (!run_model(fz, &t, false)) {
		s->allow = t.allow;
		s->rule = t.rule;
		return;
	}
	if (d->pages < lo || d->pages > hi || d->nr * 8ULL > hi - d->pages) {
		s->allow = B(E_FAULT);
		s->rule = "page indices not readable";
		return;
	}
	for (i = 0; i < d->nr; i++)
		if (idx[i] >= d->len / PG) {
			s->allow = B(E_INVAL);
			s->rule = "a page index beyond the range";
			return;
		}
	s->w = t.w;
	s->allow = t.allow;
	s->rule = t.rule;
	if (s->argk == A_RO) {
		s->allow = (s->allow & ~B(E_OK)) | B(E_FAULT);
		s->rule = "outputs not writable";
	}
}

static void dump_check(struct fz *fz, const struct fz_step *s,
		       const char *desc)
{
	const struct gupbench_dump *o = (const void *)s->arg;

	if (s->argk != A_MID && s->argk != A_EDGE)
		return;
	if (o->dumped != s->u.d.nr)
		fz_fail(fz, desc, "dumped %" PRIu64 " of %u pages",
			(uint64_t)o->dumped, s->u.d.nr);
}

static unsigned long pick_unknown(uint64_t *st)
{
	/* not 0, 'T', 'X', 'f', 0x94: types the VFS answers itself */
	static const unsigned char other_types[] = { 'H', 'g', 0xab, 'Z' };
	unsigned int c = below(st, 100);

	if (c < 40)
		return _IO(GUPBENCH_IOC_MAGIC, 5 + below(st, 251));
	if (c < 70) {
		/* a known number with a direction and size encoded */
		static const unsigned int dirs[] = {
			_IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
		};

		return _IOC(dirs[below(st, 3)], GUPBENCH_IOC_MAGIC,
			    below(st, 5), 1 + below(st, 1023));
	}
	if (c < 90)
		return _IOC(below(st, 4), 'G', below(st, 256),
			    below(st, 1 << 14));
	return _IOC(below(st, 4), other_types[below(st, 4)], below(st, 256),
		    below(st, 1 << 14));
}

static bool is_known(unsigned long cmd)
{
	return cmd == GUPBENCH_IOC_CAPS || cmd == GUPBENCH_IOC_RUN ||
	       cmd == GUPBENCH_IOC_HOLD || cmd == GUPBENCH_IOC_UNHOLD ||
	       cmd == GUPBENCH_IOC_CONTENT || cmd == GUPBENCH_IOC_DUMP;
}

/* --- the step ------------------------------------------------------------ */

static int reopen(struct fz *fz, unsigned int i)
{
	if (fz->fd[i] >= 0)
		close(fz->fd[i]);
	memset(&fz->hold[i], 0, sizeof(fz->hold[i]));
	fz->fd[i] = gb_open();
	return fz->fd[i] < 0 ? -1 : 0;
}

static void poke(struct fz *fz, uint64_t *st)
{
	const struct fz_region *r;
	uint64_t *w;
	unsigned int i;

	do {
		r = &fz->reg[below(st, fz->nreg)];
	} while (!r->user_rw);
	w = (uint64_t *)(r->start + below(st, (r->end - r->start) / PG) * PG);
	for (i = 0; i < 8; i++)
		w[below(st, PG / 8)] = rnd(st);
}

static void step(struct fz *fz)
{
	uint64_t st = mix64(fz->o.seed ^ mix64(fz->steps + 1));
	bool trace = fz->steps >= fz->o.trace_from;
	unsigned int c = below(&st, 100);
	struct fz_step s;
	char desc[512], want[128];
	unsigned long cmd = 0;
	int err;

	memset(&s, 0, sizeof(s));
	s.fdi = below(&st, NFDS);
	if (c < 3) {
		if (trace)
			printf("# step %" PRIu64 ": reopen fd%u\n", fz->steps,
			       s.fdi);
		if (reopen(fz, s.fdi))
			ksft_exit_fail_msg("reopen %s: %s\n", GUPBENCH_DEVICE,
					   strerror(errno));
		return;
	}
	if (c < 6) {
		if (trace)
			printf("# step %" PRIu64 ": poke\n", fz->steps);
		poke(fz, &st);
		return;
	}
	s.cmd = c < 10 ? C_CAPS : c < 50 ? C_RUN : c < 66 ? C_HOLD :
		c < 74 ? C_UNHOLD : c < 95 ? C_CONTENT : c < 97 ? C_DUMP :
		C_UNKNOWN;

	switch (s.cmd) {
	case C_CAPS:
		s.ksize = sizeof(s.u.caps);
		s.ver0 = GUPBENCH_CAPS_SIZE_VER0;
		cmd = GUPBENCH_IOC_CAPS;
		break;
	case C_RUN:
	case C_HOLD:
		gen_run(fz, &st, &s, s.cmd == C_HOLD);
		cmd = s.cmd == C_RUN ? GUPBENCH_IOC_RUN : GUPBENCH_IOC_HOLD;
		break;
	case C_CONTENT:
		gen_content(fz, &st, &s);
		cmd = GUPBENCH_IOC_CONTENT;
		break;
	case C_DUMP:
		gen_dump(fz, &st, &s);
		cmd = GUPBENCH_IOC_DUMP;
		break;
	case C_UNHOLD:
	case C_UNKNOWN:
		s.ksize = 8;
		s.ver0 = 0;
		cmd = GUPBENCH_IOC_UNHOLD;
		if (s.cmd == C_UNKNOWN) {
			do {
				cmd = pick_unknown(&st);
			} while (is_known(cmd));
			s.ioc = cmd;
		}
		break;
	case C_NR:
		return;
	}
	pick_arg(fz, &st, &s);
	pick_size(&st, &s);
	if (s.cmd == C_UNHOLD || s.cmd == C_UNKNOWN)
		s.size = 8;	/* no struct: the argument is ignored */
	s.u.run.size = s.size;	/* size is the first field of every struct */

	/* the model */
	switch (s.cmd) {
	case C_UNHOLD:
		s.allow = fz->hold[s.fdi].on ? B(E_OK) : B(E_NOENT);
		s.rule = "UNHOLD ignores its argument";
		break;
	case C_UNKNOWN:
		s.allow = B(E_NOTTY);
		s.rule = "unknown command";
		break;
	default:
		s.allow = size_rules(fz, &s, &s.rule);
		if (s.allow)
			break;
		if (s.cmd == C_RUN || s.cmd == C_HOLD)
			run_model(fz, &s, s.cmd == C_HOLD);
		else if (s.cmd == C_CONTENT)
			content_model(fz, &s);
		else if (s.cmd == C_DUMP)
			dump_model(fz, &s);
		else
			s.allow = s.argk == A_RO ? B(E_FAULT) : B(E_OK);
		if (!s.rule)
			s.rule = "CAPS";
		break;
	}

	place_arg(fz, &s);
	describe(fz, &s, desc, sizeof(desc));
	err = do_ioctl(fz, &s, cmd);
	if (trace) {
		set_str(s.allow, want, sizeof(want));
		printf("# step %" PRIu64 ": %s -> %s (allowed {%s}: %s)\n",
		       fz->steps, desc, err_name(err), want, s.rule);
	}

	if (!(s.allow & B(errbit(err)))) {
		set_str(s.allow, want, sizeof(want));
		fz_fail(fz, desc, "returned %s, allowed {%s} (%s)",
			err_name(err), want, s.rule);
		/* the file's state is unknown now: start it afresh */
		if (reopen(fz, s.fdi))
			ksft_exit_fail_msg("reopen: %s\n", strerror(errno));
		return;
	}
	if (!arg_area_intact(fz, &s, true))
		fz_fail(fz, desc, "wrote outside [arg, arg + min(size, %zu))",
			s.ksize);

	switch (s.cmd) {
	case C_RUN:
		run_check(fz, &s, false, err, desc);
		break;
	case C_HOLD:
		run_check(fz, &s, true, err, desc);
		if (!err)
			note_hold(fz, &s);
		break;
	case C_UNHOLD:
		if (!err)
			memset(&fz->hold[s.fdi], 0, sizeof(fz->hold[s.fdi]));
		break;
	case C_CONTENT:
		if (!err)
			content_check(fz, &s, desc);
		break;
	case C_DUMP:
		if (!err)
			dump_check(fz, &s, desc);
		break;
	case C_CAPS:
		if (!err && s.argk != A_RO)
			caps_check(fz, &s, desc);
		break;
	default:
		break;
	}
}

/* --- checkpoints, module reload ---------------------------------------- */

/* Drop every hold, then the pin counters must balance since the start. */
static void checkpoint(struct fz *fz, const char *when)
{
	struct gb_pins p;
	unsigned int i;

	for (i = 0; i < NFDS; i++) {
		if (fz->hold[i].on &&
		    gb_ioctl(fz->fd[i], GUPBENCH_IOC_UNHOLD, NULL))
			fz_fail(fz, "checkpoint", "UNHOLD of fd%u: %s", i,
				strerror(errno));
		memset(&fz->hold[i], 0, sizeof(fz->hold[i]));
	}
	fz->checkpoints++;
	if (!hole_intact(fz))
		ksft_exit_fail_msg("the freed mapping at 0x%" PRIxPTR
				   " was mapped again: the model is void\n",
				   fz->hole);
	if (gb_pins_read(&p))
		ksft_exit_fail_msg("/proc/vmstat pin counters: %s\n",
				   strerror(errno));
	if (p.acquired - fz->p0.acquired != p.released - fz->p0.released) {
		if (fz->pins_ok)
			printf("# FAIL seed=%" PRIu64 " %s (step %" PRIu64
			       "): pins left behind: %" PRId64 " acquired, %"
			       PRId64 " released since the start\n",
			       fz->o.seed, when, fz->steps,
			       p.acquired - fz->p0.acquired,
			       p.released - fz->p0.released);
		fz->pins_ok = false;
	}
}

static int read_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return -1;
	ok = fgets(buf, len, f);
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* rmmod gupbench, insmod it again with the same max_len, use it. */
static int reload(const struct fz *fz, char *why, size_t whylen)
{
	struct gupbench_caps caps;
	char maxlen[64], params[96];
	int ko, fd, err;

	ko = open(fz->o.ko, O_RDONLY | O_CLOEXEC);
	if (ko < 0) {
		snprintf(why, whylen, "SKIP module file %s: %s (--ko PATH)",
			 fz->o.ko, strerror(errno));
		return 1;
	}
	if (read_str(MAX_LEN_PARAM, maxlen, sizeof(maxlen))) {
		snprintf(why, whylen, "reading %s: %s", MAX_LEN_PARAM,
			 strerror(errno));
		close(ko);
		return -1;
	}
	if (syscall(SYS_delete_module, "gupbench", O_NONBLOCK)) {
		snprintf(why, whylen, "rmmod gupbench: %s%s", strerror(errno),
			 errno == EWOULDBLOCK ?
			 " (still in use with every file closed)" : "");
		close(ko);
		return -1;
	}
	snprintf(params, sizeof(params), "max_len=%s", maxlen);
	err = syscall(SYS_finit_module, ko, params, 0) ? errno : 0;
	close(ko);
	if (err) {
		snprintf(why, whylen, "insmod %s %s: %s; the module is gone "
			 "for the rest of this boot", fz->o.ko, params,
			 strerror(err));
		return -1;
	}
	fd = gb_open();
	if (fd < 0) {
		snprintf(why, whylen, "open %s after insmod: %s",
			 GUPBENCH_DEVICE, strerror(errno));
		return -1;
	}
	err = gb_caps(fd, &caps);
	close(fd);
	if (err || caps.max_len != fz->caps.max_len) {
		snprintf(why, whylen, "CAPS after insmod: %s, max_len %llu",
			 strerror(err), (unsigned long long)caps.max_len);
		return -1;
	}
	snprintf(why, whylen, "rmmod and insmod %s (%s)", fz->o.ko, params);
	return 0;
}

/* --- main -------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: fuzz [--seed N] [--calls N] [--seconds S] [--check-every N]\n"
"            [--ko PATH] [--no-reload] [--trace-from STEP] [-v]\n"
"Drives every /dev/gupbench ioctl with random and boundary arguments and\n"
"checks each result against the ABI (docs/RELIABILITY.md).  TAP output.\n"
"  --seed N         the run's seed (default: from the clock; printed)\n"
"  --calls N        steps to run, 0 = no limit (default 100000 or\n"
"                   $GUPBENCH_FUZZ_CALLS)\n"
"  --seconds S      stop after S seconds, 0 = no limit (default 60 or\n"
"                   $GUPBENCH_FUZZ_SECONDS)\n"
"  --check-every N  drop all holds and check the pin counters every N\n"
"                   steps (default 2000)\n"
"  --ko PATH        the module file for the unload/reload check\n"
"                   (default %s or $GUPBENCH_KO)\n"
"  --no-reload      skip the unload/reload check\n"
"  --trace-from I   print every step from step I on (-v: all)\n"
"A failing step prints its seed and index; --seed S --calls I+1\n"
"--trace-from I runs up to it again and shows it.\n", KO_DEFAULT);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static void parse(int argc, char **argv, struct fz_opts *o)
{
	struct timespec ts;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	o->seed = env_u64("GUPBENCH_FUZZ_SEED",
			  mix64(ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
				getpid()) & 0xffffffffffffULL);
	o->calls = env_u64("GUPBENCH_FUZZ_CALLS", 100000);
	o->seconds = getenv("GUPBENCH_FUZZ_SECONDS") ?
		     strtod(getenv("GUPBENCH_FUZZ_SECONDS"), NULL) : 60;
	o->check_every = 2000;
	o->ko = getenv("GUPBENCH_KO") ? getenv("GUPBENCH_KO") : KO_DEFAULT;
	o->reload = true;
	o->trace_from = UINT64_MAX;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "-v")) {
			o->trace_from = 0;
		} else if (!strcmp(a, "--no-reload")) {
			o->reload = false;
		} else if (!v) {
			fprintf(stderr, "fuzz: %s needs a value\n", a);
			usage(stderr);
			exit(2);
		} else if (!strcmp(a, "--seed")) {
			o->seed = strtoull(v, NULL, 0), i++;
		} else if (!strcmp(a, "--calls")) {
			o->calls = strtoull(v, NULL, 0), i++;
		} else if (!strcmp(a, "--seconds")) {
			o->seconds = strtod(v, NULL), i++;
		} else if (!strcmp(a, "--check-every")) {
			o->check_every = strtoull(v, NULL, 0), i++;
		} else if (!strcmp(a, "--ko")) {
			o->ko = v, i++;
		} else if (!strcmp(a, "--trace-from")) {
			o->trace_from = strtoull(v, NULL, 0), i++;
		} else {
			fprintf(stderr, "fuzz: unknown option %s\n", a);
			usage(stderr);
			exit(2);
		}
	}
	if (!o->check_every)
		o->check_every = UINT64_MAX;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_histogram(const struct fz *fz)
{
	unsigned int c, e;

	ksft_print_msg("errno histogram (ioctl: errno=count ...):\n");
	for (c = 0; c < C_NR; c++) {
		char line[512];
		int n = 0;

		for (e = 0; e < NERRNO; e++)
			if (fz->hist[c][e] && n < (int)sizeof(line))
				n += snprintf(line + n, sizeof(line) - n,
					      " %s=%" PRIu64, err_name(e),
					      fz->hist[c][e]);
		ksft_print_msg("  %-8s%s\n", fz_cmd_name[c], n ? line : " -");
	}
}

int main(int argc, char **argv)
{
	static struct fz fz;
	char why[512];
	struct sysinfo si;
	double t0, secs;
	unsigned int i;
	int local, ret;

	parse(argc, argv, &fz.o);
	ksft_print_header();
	ksft_set_plan(3);
	ksft_print_msg("seed %" PRIu64 ", at most %" PRIu64 " steps and %.0f s"
		       " (repeat with --seed %" PRIu64 ")\n", fz.o.seed,
		       fz.o.calls, fz.o.seconds, fz.o.seed);

	for (i = 0; i < NFDS; i++)
		fz.fd[i] = -1;
	fz.fd[0] = gb_open();
	if (fz.fd[0] < 0 && gb_no_device(errno)) {
		const char *why = gb_no_device(errno);

		/* like the harness: every test skipped, exit status 0 */
		ksft_test_result_skip("calls: %s\n", why);
		ksft_test_result_skip("pins balanced: %s\n", why);
		ksft_test_result_skip("module reload: %s\n", why);
		ksft_finished();
	}
	if (fz.fd[0] < 0)
		ksft_exit_fail_perror("open " GUPBENCH_DEVICE);
	for (i = 1; i < NFDS; i++)
		if (reopen(&fz, i))
			ksft_exit_fail_perror("open " GUPBENCH_DEVICE);
	if (gb_caps(fz.fd[0], &fz.caps))
		ksft_exit_fail_perror("GUPBENCH_IOC_CAPS");
	if (sysinfo(&si))
		ksft_exit_fail_perror("sysinfo");
	fz.ram_pages = (uint64_t)si.totalram * si.mem_unit / PG;

	fz.heap = ((uintptr_t)malloc(8 * PG) + PG - 1) & ~(PG - 1);
	fz.stack = (uintptr_t)&local & ~(PG - 1);
	fz.text = (uintptr_t)main & ~(PG - 1);
	if (map_args(&fz, why, sizeof(why)) ||
	    map_arena(&fz, why, sizeof(why)))
		ksft_exit_fail_msg("%s\n", why);
	for (i = 0; i < fz.nreg; i++)
		ksft_print_msg("region %-8s 0x%" PRIxPTR "-0x%" PRIxPTR "\n",
			       fz.reg[i].name, fz.reg[i].start, fz.reg[i].end);
	if (gb_pins_read(&fz.p0))
		ksft_exit_fail_perror("/proc/vmstat pin counters");
	fz.pins_ok = true;

	t0 = now();
	for (fz.steps = 0; !fz.o.calls || fz.steps < fz.o.calls; fz.steps++) {
		if (fz.o.seconds > 0 && !(fz.steps & 15) &&
		    now() - t0 >= fz.o.seconds)
			break;
		step(&fz);
		if (fz.steps && !(fz.steps % fz.o.check_every))
			checkpoint(&fz, "checkpoint");
	}
	checkpoint(&fz, "end");
	secs = now() - t0;

	ksft_print_msg("%" PRIu64 " steps, %" PRIu64 " ioctls, %" PRIu64
		       " content checks, %" PRIu64 " pin checkpoints in %.1f s\n",
		       fz.steps, fz.ioctls, fz.content_checks, fz.checkpoints,
		       secs);
	print_histogram(&fz);
	if (fz.failures)
		ksft_test_result_fail("calls: %" PRIu64 " of %" PRIu64
				      " steps outside the ABI, first at step %"
				      PRIu64 " (seed %" PRIu64 ")\n",
				      fz.failures, fz.steps, fz.first_fail,
				      fz.o.seed);
	else
		ksft_test_result_pass("calls: %" PRIu64 " steps, all within "
				      "the ABI\n", fz.steps);

	/* close() must give back whatever is still held */
	for (i = 0; i < NFDS; i++)
		close(fz.fd[i]);
	{
		struct gb_pins p;

		if (gb_pins_read(&p) ||
		    p.acquired - fz.p0.acquired != p.released - fz.p0.released)
			fz.pins_ok = false;
		ksft_test_result(fz.pins_ok, "pins balanced: %" PRId64
				 " pins taken and given back\n",
				 p.acquired - fz.p0.acquired);
	}

	restore_hugetlb(&fz);
	if (!fz.o.reload) {
		ksft_test_result_skip("module reload: --no-reload\n");
	} else {
		ret = reload(&fz, why, sizeof(why));
		if (ret > 0)
			ksft_test_result_skip("module reload: %s\n", why + 5);
		else
			ksft_test_result(!ret, "module reload: %s\n", why);
	}
	ksft_finished();
}
