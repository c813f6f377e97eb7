/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gupbench ioctl ABI: shared by kmod/, bench/ and selftests/.
 *
 * Every request struct starts with a __u32 size that userspace sets to
 * sizeof() of the struct it was compiled with.  The module follows the
 * clone3()/openat2() rules: a size below the first published version is
 * EINVAL, a larger size whose unknown tail is not all zero is E2BIG, a
 * larger size with a zero tail is accepted.  Output fields are written back
 * up to min(size, what the module knows), also when the ioctl fails after
 * it started taking pages, so a caller can see how far it got.
 *
 * Nothing here is a raw FOLL_* value: the module translates GUPBENCH_F_*
 * into the running kernel's FOLL_* bits.
 *
 * Which errno each ioctl returns for what is written down in gupbench's
 * docs/RELIABILITY.md and enforced by selftests/badinput.c and fuzz.c.
 */
#ifndef _UAPI_GUPBENCH_H
#define _UAPI_GUPBENCH_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define GUPBENCH_ABI_VERSION	2
#define GUPBENCH_DEVICE		"/dev/gupbench"

/* The GUP entry point a request calls; names are the kernel's own. */
enum gupbench_api {
	GUPBENCH_API_NOOP = 0,		/* the timing loop alone, no GUP call */
	GUPBENCH_API_GET_USER_PAGES,
	GUPBENCH_API_GET_USER_PAGES_FAST,
	GUPBENCH_API_GET_USER_PAGES_UNLOCKED,
	GUPBENCH_API_GET_USER_PAGES_REMOTE,
	GUPBENCH_API_PIN_USER_PAGES,
	GUPBENCH_API_PIN_USER_PAGES_FAST,
	GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
	GUPBENCH_API_PIN_USER_PAGES_REMOTE,
	GUPBENCH_API_COUNT
};

/* Request flags.  Bits 0-7 map to FOLL_* flags, the rest are options. */
#define GUPBENCH_F_WRITE	(1ULL << 0)	/* FOLL_WRITE */
#define GUPBENCH_F_LONGTERM	(1ULL << 1)	/* FOLL_LONGTERM: pin_* only */
#define GUPBENCH_F_FORCE	(1ULL << 2)	/* FOLL_FORCE */
/*
 * VER2, FOLL_NOFAULT: take only what is mapped, never fault (as gfs2 and
 * the iov_iter fault-in paths do); an unpopulated page ends the range with
 * EFAULT.  Where the kernel has it (caps.flags).
 */
#define GUPBENCH_F_NOFAULT	(1ULL << 3)
/*
 * Take mmap_lock once, outside the timed window (the in-tree gup_test's
 * way).  Default: each call takes and drops it inside its timed window, as
 * a real caller pays it.  Only for APIs whose caller holds the lock:
 * get/pin_user_pages and get/pin_user_pages_remote; EINVAL otherwise.
 */
#define GUPBENCH_F_LOCK_OUTSIDE	(1ULL << 8)
/*
 * Release with unpin_user_pages_dirty_lock(..., true): pin_* only, and
 * only with GUPBENCH_F_WRITE (EINVAL otherwise): dirtying what was pinned
 * for reading would mark page-cache folios, or the shared zero page,
 * dirty behind the file system's back.
 */
#define GUPBENCH_F_UNPIN_DIRTY	(1ULL << 9)
/*
 * Also count the kernel instructions the calling task retires in the timed
 * windows (a perf counter on the CPU's retired-instruction event): RUN
 * only, and only where gupbench_caps.instr_error is 0; EOPNOTSUPP else.
 */
#define GUPBENCH_F_INSTRUCTIONS	(1ULL << 10)
/*
 * VER2: get_user_pages_fast only: call get_user_pages_fast_only(), the
 * lockless walk without the slow-path fallback (KVM's and perf's way).  A
 * call that takes nothing ends the range with EFAULT.  Where the kernel
 * has it (caps.flags).
 */
#define GUPBENCH_F_FAST_ONLY	(1ULL << 11)
/*
 * VER2: get/pin_user_pages_remote only, not with LOCK_OUTSIDE: pass a
 * `locked` pointer, as process_vm_rw and the ptrace access paths do, so
 * GUP may drop mmap_lock to retry a fault; GUPBENCH_OUT_LOCK_DROPPED says
 * a call came back with it dropped.  With GUPBENCH_F_LONGTERM only on
 * 6.3+ (EINVAL before: the kernel WARNs on the pair).
 */
#define GUPBENCH_F_REMOTE_LOCKED (1ULL << 12)

#define GUPBENCH_F_FOLL_MASK	(GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM | \
				 GUPBENCH_F_FORCE | GUPBENCH_F_NOFAULT)
#define GUPBENCH_F_ALL		(GUPBENCH_F_FOLL_MASK | \
				 GUPBENCH_F_LOCK_OUTSIDE | \
				 GUPBENCH_F_UNPIN_DIRTY | \
				 GUPBENCH_F_INSTRUCTIONS | \
				 GUPBENCH_F_FAST_ONLY | \
				 GUPBENCH_F_REMOTE_LOCKED)

/* When and how pages are released relative to taking them. */
enum gupbench_release {
	/*
	 * Take the whole range, then release it with one call over all of
	 * it, as a real caller that is done with a buffer does (gup_test,
	 * io_uring, VFIO): unpin_user_pages() or its _dirty_lock form once;
	 * get_* have no range release, theirs is one put_page() loop.
	 * Samples carry no put_ns: there is no per-call release to time.
	 */
	GUPBENCH_RELEASE_AFTER_ALL = 0,
	/* Release each batch right after the call that took it. */
	GUPBENCH_RELEASE_EACH_BATCH = 1,
	/*
	 * Take the whole range, then release it in the slices the calls
	 * took, each timed on its own: per-call put_ns in the samples.
	 */
	GUPBENCH_RELEASE_PER_CALL = 2,
	GUPBENCH_RELEASE_COUNT
};

/* One entry per GUP call, written to gupbench_run.samples. */
struct gupbench_sample {
	__u64 get_ns;		/* time of the call that took the pages */
	__u64 put_ns;		/* time to release what it took */
	__u32 pages;		/* pages the call returned */
	__u32 flags;		/* GUPBENCH_SAMPLE_* */
};

/* The call returned fewer pages than asked (the kernel's short pin). */
#define GUPBENCH_SAMPLE_SHORT	(1U << 0)
/* The call failed (the request's error is its error); pages is 0. */
#define GUPBENCH_SAMPLE_FAILED	(1U << 1)
/* The task was scheduled out during the call: its time includes others'. */
#define GUPBENCH_SAMPLE_SCHEDULED	(1U << 2)

/* Output flags: how the measurement was taken. */
/*
 * Who took mmap_lock: the module per call inside the timed window, the
 * module once outside it (LOCK_OUTSIDE), or GUP itself when it needed to
 * (the _fast and _unlocked APIs: LOCK_BY_GUP).  noop takes none: no flag.
 */
#define GUPBENCH_OUT_LOCK_IN_WINDOW	(1ULL << 0) /* mmap_lock timed */
#define GUPBENCH_OUT_LOCK_OUTSIDE	(1ULL << 1) /* mmap_lock not timed */
#define GUPBENCH_OUT_PIN_CHECKED	(1ULL << 2) /* unpinned_pages valid */
#define GUPBENCH_OUT_SUMMED_CALLS	(1ULL << 3) /* totals = sum of calls */
#define GUPBENCH_OUT_INSTRUCTIONS	(1ULL << 4) /* *_instructions valid */
/*
 * The totals are sums of timed windows of up to caps.window_pages pages;
 * the fatal-signal check and cond_resched() run between windows, untimed.
 */
#define GUPBENCH_OUT_WINDOWS		(1ULL << 5)
/* How the pages were released: one call over the range, or one per call. */
#define GUPBENCH_OUT_RELEASE_WHOLE	(1ULL << 6)
#define GUPBENCH_OUT_RELEASE_PER_CALL	(1ULL << 7)
#define GUPBENCH_OUT_LOCK_BY_GUP	(1ULL << 8) /* VER2 */
/* VER2, GUPBENCH_F_REMOTE_LOCKED: GUP returned with mmap_lock dropped */
#define GUPBENCH_OUT_LOCK_DROPPED	(1ULL << 9)

/* Folio orders order_pages[] tells apart (VER3 of struct gupbench_run). */
#define GUPBENCH_ORDERS		20

/*
 * GUPBENCH_IOC_RUN: take [addr, addr + len) with @api, release it, report.
 * GUPBENCH_IOC_HOLD takes the same struct, keeps the pages until
 * GUPBENCH_IOC_UNHOLD or close(); samples and release must be 0 for it.
 * A hold is charged to the caller's mm->pinned_vm (VmPin in
 * /proc/PID/status) against RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK,
 * and to the module-wide limit max_held (module parameter): ENOMEM
 * beyond either.  It is uncharged from the same mm when it goes.
 * CONTENT on a hold is refused (EPERM) from any other mm than the one
 * that took it (a file passed on by fork or SCM_RIGHTS).
 */
struct gupbench_run {
	__u32 size;		/* in: sizeof(struct gupbench_run) */
	__u32 api;		/* in: enum gupbench_api */
	__u64 flags;		/* in: GUPBENCH_F_* */
	__u64 addr;		/* in: page aligned user address */
	__u64 len;		/* in: bytes, page aligned, > 0 */
	__u64 batch;		/* in: pages per call, 0 = all in one call;
				 * out: the batch actually used (clamped)
				 */
	__u64 samples;		/* in: struct gupbench_sample * or 0 */
	__u64 samples_cap;	/* in: entries at @samples */
	__u32 release;		/* in: enum gupbench_release */
	__u32 __reserved;	/* in: must be 0 */

	/* out */
	__u64 out_flags;	/* GUPBENCH_OUT_* */
	__u64 pages_done;	/* pages taken (and released) */
	__u64 calls;		/* GUP calls made */
	__u64 short_calls;	/* calls that returned fewer pages than asked */
	__u64 get_ns;		/* total time taking pages */
	__u64 put_ns;		/* total time releasing pages */
	__u64 samples_written;	/* entries written to @samples */
	__u64 large_folio_pages; /* pages inside large folios (THP/hugetlb) */
	__u64 unpinned_pages;	/* pin_*: pages failing folio_maybe_dma_pinned */
	__u64 fail_addr;	/* on error: the address of the failing call */
	/* VER1, with GUPBENCH_OUT_INSTRUCTIONS: retired kernel instructions */
	__u64 get_instructions;	/* in the windows that took pages */
	__u64 put_instructions;	/* in the windows that released them */
	/*
	 * VER1, pin_* APIs: pages this request pinned and unpinned (zero-page
	 * results included, which the kernel's vmstat counters skip), so a
	 * caller's balance needs no system-wide counter.
	 */
	__u64 pins_taken;
	__u64 pins_released;
	/*
	 * VER2: pages that are the shared zero page (read-only GUP of memory
	 * never written).  Since 6.5 pin_* do not pin it (no pin count, not
	 * in the vmstat counters): such pages are counted here and not as
	 * unpinned_pages.
	 */
	__u64 zero_pages;
	/*
	 * VER2, FOLL_LONGTERM requests: pages returned in folios that may not
	 * be pinned long-term (folio_is_longterm_pinnable(): ZONE_MOVABLE,
	 * CMA, device memory).  GUP migrates such pages first: must be 0.
	 * gup_test's PIN_LONGTERM_BENCHMARK makes the same check.
	 */
	__u64 longterm_unpinnable;
	/*
	 * VER3: the pages GUP returned by the order of their folio (0: base
	 * pages, 4: 64 KiB mTHP, 9: 2 MiB THP or hugetlb, 18: 1 GiB hugetlb
	 * with 4 KiB pages); the last slot counts that order and above.  The
	 * shared zero page is order 0.  Adds up to the pages inspected: all
	 * of pages_done but for noop.
	 */
	__u64 order_pages[GUPBENCH_ORDERS];
};

#define GUPBENCH_RUN_SIZE_VER0	144	/* first published struct size */
#define GUPBENCH_RUN_SIZE_VER1	176
#define GUPBENCH_RUN_SIZE_VER2	192
#define GUPBENCH_RUN_SIZE_VER3	(192 + 8 * GUPBENCH_ORDERS)

/* GUPBENCH_IOC_CAPS: what this build of the module can do. */
struct gupbench_caps {
	__u32 size;		/* in: sizeof(struct gupbench_caps) */
	__u32 abi_version;	/* GUPBENCH_ABI_VERSION of the module */
	__u64 apis;		/* bit (1 << api) per supported API */
	__u64 flags;		/* supported GUPBENCH_F_* */
	__u64 max_len;		/* largest len accepted (module parameter) */
	__u32 page_size;
	__u32 run_size;		/* sizeof(struct gupbench_run) in the module */
	char module_version[32];
	char kernel_release[65]; /* the release the module was built for */
	__u8 __pad[7];
	/* VER1: bit (1 << api) per API that accepts GUPBENCH_F_LONGTERM */
	__u64 longterm_apis;
	/*
	 * VER2: 0 when GUPBENCH_F_INSTRUCTIONS works for the caller, else the
	 * positive errno the kernel gave for a retired-instruction counter
	 * (ENOENT/EOPNOTSUPP: no hardware PMU, as under QEMU TCG).
	 */
	__s32 instr_error;
	__u32 window_pages;	/* pages per timed window (GUPBENCH_OUT_WINDOWS) */
};

#define GUPBENCH_CAPS_SIZE_VER0	144
#define GUPBENCH_CAPS_SIZE_VER1	152
#define GUPBENCH_CAPS_SIZE_VER2	160

/* GUPBENCH_IOC_CONTENT: read or write the held pages via the kernel. */
enum gupbench_content_op {
	/* Hash the held bytes; gupbench_hash_step() defines the hash. */
	GUPBENCH_CONTENT_CHECKSUM = 0,
	/* Count pages whose words differ from gupbench_pattern_word(). */
	GUPBENCH_CONTENT_VERIFY = 1,
	/* Write gupbench_pattern_word() through the kernel (WRITE holds). */
	GUPBENCH_CONTENT_FILL = 2,
	/*
	 * VER1: copy @len held bytes from byte @offset of the hold to the
	 * user buffer @buf (gup_test's PIN_LONGTERM_TEST_READ).  EINVAL when
	 * @len is 0 or the range leaves the hold, EFAULT when @buf is not
	 * writable.  The other ops ignore @buf, @offset and @len.
	 */
	GUPBENCH_CONTENT_READ = 3,
	GUPBENCH_CONTENT_COUNT
};

struct gupbench_content {
	__u32 size;		/* in: sizeof(struct gupbench_content) */
	__u32 op;		/* in: enum gupbench_content_op */
	__u64 seed;		/* in: pattern seed for VERIFY and FILL */
	__u64 checksum;		/* out: CHECKSUM result */
	__u64 bad_pages;	/* out: VERIFY pages with a wrong word */
	__u64 first_bad;	/* out: VERIFY byte offset of the first one */
	__u64 pages;		/* out: pages covered (the whole hold) */
	/* VER1: GUPBENCH_CONTENT_READ only */
	__u64 buf;		/* in: user buffer of @len bytes */
	__u64 offset;		/* in: byte offset in the hold */
	__u64 len;		/* in: bytes to copy */
};

#define GUPBENCH_CONTENT_SIZE_VER0	48
#define GUPBENCH_CONTENT_SIZE_VER1	72

/*
 * GUPBENCH_IOC_DUMP (ABI 2): take [addr, addr + len) with @api and
 * @flags as RUN would, dump_page() the pages at the @nr indices in the
 * user array @pages (into the kernel log), release them.  gup_test's
 * DUMP_USER_PAGES_TEST: a debugging aid, timed not at all.
 */
#define GUPBENCH_DUMP_MAX	64	/* indices one request may name */

struct gupbench_dump {
	__u32 size;		/* in: sizeof(struct gupbench_dump) */
	__u32 api;		/* in: enum gupbench_api, not noop */
	__u64 flags;		/* in: GUPBENCH_F_WRITE/LONGTERM/FORCE */
	__u64 addr;		/* in: page aligned user address */
	__u64 len;		/* in: bytes, page aligned, > 0 */
	__u64 pages;		/* in: __u64 * page indices in the range */
	__u32 nr;		/* in: 1..GUPBENCH_DUMP_MAX indices */
	__u32 __reserved;	/* in: must be 0 */
	__u64 dumped;		/* out: pages dumped */
};

#define GUPBENCH_DUMP_SIZE_VER0	56

/*
 * The checksum is FNV-1a over 64-bit words in address order; both sides
 * compute it the same way.  The pattern word at byte offset @off (from
 * the start of the held range) is seed ^ off ^ (off << 29), so every word
 * of every page differs and stale or swapped pages are caught.
 */
#define GUPBENCH_HASH_INIT	0xcbf29ce484222325ULL
#define GUPBENCH_HASH_PRIME	0x100000001b3ULL

static inline __u64 gupbench_hash_step(__u64 h, __u64 word)
{
	return (h ^ word) * GUPBENCH_HASH_PRIME;
}

static inline __u64 gupbench_pattern_word(__u64 seed, __u64 off)
{
	return seed ^ off ^ (off << 29);
}

/**
 * DOC: GUPBENCH_IOC_CAPS
 *
 * Reads &struct gupbench_caps: the module's ABI version, the APIs and
 * flags it takes, max_len, the struct sizes it knows, which APIs take
 * FOLL_LONGTERM, whether a retired-instruction counter is there.  Never
 * fails on a valid struct; takes no pages.
 */

/**
 * DOC: GUPBENCH_IOC_RUN
 *
 * Takes [addr, addr + len) of the caller's memory with the API asked for,
 * in calls of batch pages, in timed windows of caps.window_pages pages;
 * inspects the pages (large folios, pins, the zero page, long-term
 * pinnability); releases them (one call over the range, per call, or
 * each batch right away); reports totals, per-call samples and what was
 * done in &struct gupbench_run.  The outputs go back on failure too; a
 * failed RUN has released all it took.  Errors: docs/RELIABILITY.md.
 */

/**
 * DOC: GUPBENCH_IOC_HOLD and GUPBENCH_IOC_UNHOLD
 *
 * HOLD takes a range as RUN does and keeps it for the open file, charged
 * to the caller's pinned_vm (RLIMIT_MEMLOCK unless CAP_IPC_LOCK) and to
 * the module's max_held, until UNHOLD or the file's last close.  One
 * hold per file (EBUSY); a failed HOLD keeps nothing.  UNHOLD takes no
 * argument and gives the pages back (ENOENT when nothing is held).
 * A pinned hold is always long-term: the pin_* APIs hold only with
 * GUPBENCH_F_LONGTERM (EINVAL otherwise).  A get_* hold is a plain
 * reference and read-only for the kernel: CONTENT FILL writes only into
 * long-term write pins of anonymous, shmem or hugetlb memory.
 */

/**
 * DOC: GUPBENCH_IOC_CONTENT
 *
 * Reads or writes the held pages through the kernel's mapping
 * (&struct gupbench_content): CHECKSUM, VERIFY against the pattern, FILL
 * with it (long-term write pins only), READ a byte range out.  Only from
 * the mm that took the hold (EPERM otherwise).
 */

/*
 * ABI 2: 'Y', a code Documentation/userspace-api/ioctl/ioctl-number.rst
 * (6.12) lists for no driver ('G' of ABI 1 is sgi-gru's and xen's).  The
 * commands that read and write a struct are _IOWR with the size of its
 * first published version: the size field inside the struct, not the
 * number, is what makes it extensible, so the number never changes.
 */
#define GUPBENCH_IOC_MAGIC	'Y'
#define GUPBENCH_IOC_CAPS	_IOC(_IOC_READ | _IOC_WRITE, GUPBENCH_IOC_MAGIC, \
				     0x00, GUPBENCH_CAPS_SIZE_VER0)
#define GUPBENCH_IOC_RUN	_IOC(_IOC_READ | _IOC_WRITE, GUPBENCH_IOC_MAGIC, \
				     0x01, GUPBENCH_RUN_SIZE_VER0)
#define GUPBENCH_IOC_HOLD	_IOC(_IOC_READ | _IOC_WRITE, GUPBENCH_IOC_MAGIC, \
				     0x02, GUPBENCH_RUN_SIZE_VER0)
#define GUPBENCH_IOC_UNHOLD	_IO(GUPBENCH_IOC_MAGIC, 0x03)
#define GUPBENCH_IOC_CONTENT	_IOC(_IOC_READ | _IOC_WRITE, GUPBENCH_IOC_MAGIC, \
				     0x04, GUPBENCH_CONTENT_SIZE_VER0)
#define GUPBENCH_IOC_DUMP	_IOC(_IOC_READ | _IOC_WRITE, GUPBENCH_IOC_MAGIC, \
				     0x05, GUPBENCH_DUMP_SIZE_VER0)

/*
 * ABI 1's numbers, _IO('G', 0..4): refused with ENOTTY and a kernel log
 * line that tells to update the tool.  Userspace never sends them.
 */
#define GUPBENCH_IOC_ABI1_MAGIC	'G'
#define GUPBENCH_IOC_ABI1_LAST	0x04

#endif /* _UAPI_GUPBENCH_H */
