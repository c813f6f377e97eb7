/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel-version differences live.  Everything else in
 * kmod/ calls these wrappers.  The GB_* feature macros come from the probes
 * in Kbuild, which read the headers being built against.
 *
 * Tested on 6.1, 6.12, 7.2 and 7.3.  When a newer kernel changes a GUP
 * prototype or FOLL_* rule, the compiler's error lands in the wrapper below
 * that makes the call: add a probe to Kbuild that greps the new form from
 * the headers (not a version number, so distribution backports work), and
 * a variant of the wrapper under its GB_* macro.
 */
#ifndef _GUPBENCH_COMPAT_H
#define _GUPBENCH_COMPAT_H

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/sched.h>

/*
 * Linux 6.5 dropped the vmas argument of get/pin_user_pages() and of their
 * _remote variants; gupbench never wants the vmas.
 */
#ifdef GB_GUP_HAS_VMAS
static inline long gb_get_user_pages(unsigned long start, unsigned long nr,
				     unsigned int foll, struct page **pages)
{
	return get_user_pages(start, nr, foll, pages, NULL);
}

static inline long gb_pin_user_pages(unsigned long start, unsigned long nr,
				     unsigned int foll, struct page **pages)
{
	return pin_user_pages(start, nr, foll, pages, NULL);
}

static inline long gb_get_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages, int *locked)
{
	return get_user_pages_remote(mm, start, nr, foll, pages, NULL, locked);
}

static inline long gb_pin_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages, int *locked)
{
	return pin_user_pages_remote(mm, start, nr, foll, pages, NULL, locked);
}
#else
static inline long gb_get_user_pages(unsigned long start, unsigned long nr,
				     unsigned int foll, struct page **pages)
{
	return get_user_pages(start, nr, foll, pages);
}

static inline long gb_pin_user_pages(unsigned long start, unsigned long nr,
				     unsigned int foll, struct page **pages)
{
	return pin_user_pages(start, nr, foll, pages);
}

static inline long gb_get_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages, int *locked)
{
	return get_user_pages_remote(mm, start, nr, foll, pages, locked);
}

static inline long gb_pin_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages, int *locked)
{
	return pin_user_pages_remote(mm, start, nr, foll, pages, locked);
}
#endif

/* FOLL_NOFAULT and get_user_pages_fast_only(), where the kernel has them */
#ifdef GB_HAS_FOLL_NOFAULT
#define GB_FOLL_NOFAULT	FOLL_NOFAULT
#else
#define GB_FOLL_NOFAULT	0
#endif

static inline bool gb_has_fast_only(void)
{
#ifdef GB_HAS_FAST_ONLY
	return true;
#else
	return false;
#endif
}

static inline int gb_get_user_pages_fast_only(unsigned long start, int nr,
					      unsigned int foll,
					      struct page **pages)
{
#ifdef GB_HAS_FAST_ONLY
	return get_user_pages_fast_only(start, nr, foll, pages);
#else
	return -EOPNOTSUPP;	/* refused up front: caps.flags lacks it */
#endif
}

/* Can pin_user_pages_unlocked() take FOLL_LONGTERM without a WARN? */
static inline bool gb_unlocked_takes_longterm(void)
{
#ifdef GB_UNLOCKED_TAKES_LONGTERM
	return true;
#else
	return false;
#endif
}

/*
 * The same 6.3 rework let the _remote APIs take FOLL_LONGTERM with a
 * `locked` pointer; before it __get_user_pages_remote() WARNs and fails.
 */
static inline bool gb_locked_takes_longterm(void)
{
	return gb_unlocked_takes_longterm();
}

/*
 * The check that a long-term pin left no folio where it must not stay.  Out
 * of tree on kernels whose test reads the migratetype through an unexported
 * function (7.2 and 7.3; Kbuild: GB_NO_MIGRATETYPE_EXPORT) it cannot be
 * called; the same test is made then without its CMA part: folios in
 * ZONE_MOVABLE, device-coherent and fsdax ones still count.
 */
#ifdef GB_NO_MIGRATETYPE_EXPORT
static inline bool gb_folio_longterm_pinnable(struct folio *folio)
{
	if (!IS_ENABLED(CONFIG_MIGRATION) || is_zero_folio(folio))
		return true;
	return !folio_is_device_coherent(folio) && !folio_is_fsdax(folio) &&
	       !folio_is_zone_movable(folio);
}
#else
static inline bool gb_folio_longterm_pinnable(struct folio *folio)
{
	return folio_is_longterm_pinnable(folio);
}
#endif

/*
 * A counter of the calling task's events, and reading it.  A kernel built
 * without CONFIG_PERF_EVENTS (tinyconfig) has no stubs for these.
 */
#if IS_ENABLED(CONFIG_PERF_EVENTS)
static inline struct perf_event *gb_perf_task_counter(struct perf_event_attr *attr)
{
	return perf_event_create_kernel_counter(attr, -1, current, NULL, NULL);
}

static inline u64 gb_perf_read(struct perf_event *ev, u64 *enabled,
			       u64 *running)
{
	return perf_event_read_value(ev, enabled, running);
}

static inline void gb_perf_release(struct perf_event *ev)
{
	perf_event_release_kernel(ev);
}
#else
static inline struct perf_event *gb_perf_task_counter(struct perf_event_attr *attr)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline u64 gb_perf_read(struct perf_event *ev, u64 *enabled,
			       u64 *running)
{
	*enabled = 0;
	*running = 0;
	return 0;
}

static inline void gb_perf_release(struct perf_event *ev)
{
}
#endif

#endif /* _GUPBENCH_COMPAT_H */
