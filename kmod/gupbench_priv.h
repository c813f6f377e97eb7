/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pieces of gupbench.ko offer each other: the validated request,
 * the per-open-file state, and the take/release/inspect primitives.
 */
#ifndef _GUPBENCH_PRIV_H
#define _GUPBENCH_PRIV_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/gupbench.h>

#define GUPBENCH_MODULE_VERSION "0.2.0"

/*
 * Pages per timed window: the fatal-signal check and cond_resched() run
 * between windows, so they cost nothing inside one, and a SIGKILL waits at
 * most one window (16 MiB: 4096 one-page calls, about a millisecond on
 * hardware).  The window's own clock pair is spread over as many pages:
 * at 512 pages it was 2% of a hugetlb pin of 12 instructions per page.
 */
#define GB_WINDOW_PAGES 4096

struct perf_event;

/* The retired-instruction counter of one RUN (gupbench_instr.c). */
struct gb_instr {
	struct perf_event *ev;
	bool incomplete;		/* not counting the whole time */
};

/* A request after validation: every field is trusted from here on. */
struct gb_req {
	unsigned int api;
	unsigned int foll;		/* FOLL_* for the running kernel */
	u64 flags;			/* GUPBENCH_F_* */
	unsigned long addr;
	unsigned long nr_pages;
	unsigned long batch;		/* clamped to [1, nr_pages] */
	unsigned int release;
	struct gupbench_sample __user *usamples;
	unsigned long nsamples;		/* entries to fill, <= calls needed */
	struct gb_instr *instr;		/* GUPBENCH_F_INSTRUCTIONS, or NULL */
};

struct mm_struct;

/* State of one open file: at most one held range. */
struct gb_file {
	struct mutex lock;		/* protects everything below */
	struct page **pages;		/* NULL when nothing is held */
	unsigned long nr_pages;
	struct mm_struct *mm;		/* took the hold (mmgrab), is charged */
	struct gb_req req;		/* how the held pages were taken */
	bool written;			/* FILL wrote through the kernel */
	bool fill_ok;			/* anon, shmem or hugetlb throughout */
	u64 gen;			/* bumped by every HOLD that keeps */
};

bool gb_api_pins(unsigned int api);
bool gb_api_caller_locks(unsigned int api);

int gb_lock_outside(const struct gb_req *req);
void gb_unlock_outside(const struct gb_req *req);
int gb_take_range(const struct gb_req *req, struct gupbench_run *out,
		  struct page **pages, struct gupbench_sample *samples);
void gb_release(const struct gb_req *req, struct page **pages,
		unsigned long nr, bool dirty);
void gb_inspect(const struct gb_req *req, struct page **pages,
		unsigned long nr, struct gupbench_run *out);
int gb_run(const struct gb_req *req, struct gupbench_run *out);

struct perf_event *gb_instr_open(void);
int gb_instr_probe(void);
bool gb_instr_read(struct gb_instr *in, u64 *value);
void gb_instr_close(struct perf_event *ev);

int gb_hold(struct gb_file *f, const struct gb_req *req,
	    struct gupbench_run *out, u64 *gen);
int gb_unhold(struct gb_file *f);
void gb_unhold_gen(struct gb_file *f, u64 gen);
int gb_content(struct gb_file *f, struct gupbench_content *c,
	       struct mm_struct *mm);
void gb_hold_release(struct gb_file *f);

#endif /* _GUPBENCH_PRIV_H */
