/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one case: buffers placed, threads bound and released together,
 * repeats measured through a backend (bench/backend.h), pins checked,
 * statistics made.
 */
#ifndef GB_RUNNER_H
#define GB_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "numa.h"
#include "options.h"
#include "pins.h"
#include "stats.h"

/* What one worker thread measured. */
struct gb_thread_result {
	int cpu, node;
	uint64_t *get_ns;		/* per measured repeat */
	uint64_t *put_ns;
	uint64_t *get_instr;		/* per measured repeat (hardware PMU) */
	uint64_t *put_instr;
	bool instr_valid;		/* every measured repeat was counted */
	double *call_ns;		/* kept per-call get samples */
	size_t ncall;
	uint64_t calls;			/* per repeat */
	uint64_t large_folio_pages;	/* from the module, last repeat */
	uint64_t order_pages[GUPBENCH_ORDERS]; /* by folio order, same */
	uint64_t unpinned_pages;	/* summed over repeats: must be 0 */
	uint64_t zero_pages;		/* shared zero page, last repeat */
	uint64_t longterm_unpinnable;	/* summed over repeats: must be 0 */
	uint64_t scheduled_samples;	/* samples of calls scheduled out */
	bool samples_truncated;		/* later calls of a repeat unsampled */
	uint64_t pins_taken;		/* the module's count, every repeat */
	uint64_t pins_released;
	uint64_t out_flags;
	uint64_t placement[GB_MAX_NODES]; /* sampled pages per node */
	uint64_t placement_looked, placement_missing;
	uint64_t huge_bytes;		/* smaps view of the buffer */
};

struct gb_result {
	struct gb_case c;
	uint64_t pages;			/* per thread per repeat */
	uint64_t batch_used;		/* after the module's clamping */
	struct gb_thread_result *thr;
	unsigned int nthr;

	struct gb_summary call_ns;	/* per-call get latency */
	struct gb_summary per_page_ns;	/* get total / pages, per repeat */
	struct gb_summary put_per_page_ns;
	double get_cv, put_cv;		/* over repeats (thread 0) */
	double gib_per_s;		/* aggregate, median repeat */
	uint64_t large_folio_pages;	/* all threads */
	/*
	 * All threads, from the module: pages by folio order; and whether
	 * there is such a histogram (not with noop or system calls).
	 */
	uint64_t order_pages[GUPBENCH_ORDERS];
	bool have_orders;
	/*
	 * The share of the pages in the folios the kind asks for (the
	 * module's histogram: thp:64K counts 64 KiB folios only); for base,
	 * shmem, memfd and file, or without a histogram, in any large folio.
	 */
	double huge_fraction;
	struct gb_pins pins;		/* delta over the whole case */
	bool pins_balanced;		/* the case released every pin it took */
	uint64_t pins_taken, pins_released; /* the module's own count */
	/*
	 * The system-wide counters as an extra check: applicable only when
	 * nothing but this case pinned while it ran (the acquired delta is
	 * what the case took); else they say nothing about this case.
	 */
	bool vmstat_applicable;
	double noop_call_ns;		/* harness cost per call (p50) */
	double noop_per_page_ns;
	char note[256];			/* a warning worth printing */
	bool oversubscribed;		/* more threads than usable CPUs */
	bool drop_scheduled;		/* call_ns leaves scheduled-out calls out */
};

struct gb_env {
	const struct gb_dev *dev;	/* NULL with the syscall backend */
	bool count_instructions;	/* the module has a PMU counter */
	bool drop_scheduled;		/* leave scheduled-out calls' samples out */
	const struct gb_numa *numa;
	uint64_t max_samples;
	bool reserve_hugetlb;
	bool measure_noop;
};

/* 0, or -1 with a message saying what failed and what to do. */
int gb_run_case(const struct gb_env *env, const struct gb_case *c,
		struct gb_result *r, char *err, size_t errlen);
void gb_result_free(struct gb_result *r);
/*
 * Sets pins_taken/released from the threads and decides pins_balanced and
 * vmstat_applicable (see runner.c); exposed for the unit tests.
 */
void gb_judge_pins(struct gb_result *r);
/*
 * A repeat's total: the slowest thread's (all threads together), the
 * figure get_ns_total/put_ns_total, compare and the per-page statistics
 * are made of.
 */
uint64_t gb_result_total(const struct gb_result *r, size_t rep, bool put);
/*
 * Notes the result when its first measured repeat is over 1.25x the
 * median of the others: the warm-up was too short (exposed for the tests).
 */
void gb_check_warmup(struct gb_result *r);
/*
 * Is the buffer what its memory kind asked for (the module's folio
 * orders, else smaps)?  Sets huge_fraction and the histogram over the
 * threads; -1 with a message when none of a THP kind's pages is at its
 * size, a note when part of them is.
 */
int gb_check_hugeness(struct gb_result *r, char *err, size_t errlen);
/*
 * Keeps @keep of one repeat's @n samples, evenly spread, as get_ns values
 * in @out; counts the scheduled-out calls of all @n into *@scheduled and,
 * with @drop_scheduled, leaves the kept ones that were out.  Returns how
 * many went to @out.
 */
size_t gb_keep_samples(const struct gupbench_sample *s, uint64_t n,
		       uint64_t keep, bool drop_scheduled, double *out,
		       uint64_t *scheduled);
/* per_page_ns, put_per_page_ns, the CVs, call_ns and GiB/s from the threads. */
void gb_result_stats(struct gb_result *r);

#endif
