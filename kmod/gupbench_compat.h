/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel-version differences live.  Everything else in
 * kmod/ calls these wrappers.  The GB_* feature macros come from the probes
 * in Kbuild, which read the headers being built against.
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
					    struct page **pages)
{
	return get_user_pages_remote(mm, start, nr, foll, pages, NULL, NULL);
}

static inline long gb_pin_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages)
{
	return pin_user_pages_remote(mm, start, nr, foll, pages, NULL, NULL);
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
					    struct page **pages)
{
	return get_user_pages_remote(mm, start, nr, foll, pages, NULL);
}

static inline long gb_pin_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr, unsigned int foll,
					    struct page **pages)
{
	return pin_user_pages_remote(mm, start, nr, foll, pages, NULL);
}
#endif

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
