/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gupbench compare A B`: cases of two result sets matched by their
 * parameters, the ratio of medians B/A per case with a 95% interval, a
 * verdict against a threshold, as a table, markdown or JSON.
 */
#ifndef GB_COMPARE_H
#define GB_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ci.h"
#include "../resultset.h"

/* Exit statuses of the command. */
enum { GB_CMP_OK = 0, GB_CMP_REGRESSION = 1, GB_CMP_BAD_INPUT = 2 };

enum gb_cmp_method { GB_CMP_BOOTSTRAP, GB_CMP_HL };
enum gb_cmp_format { GB_CMP_TABLE, GB_CMP_MD, GB_CMP_JSON };
/*
 * slower/faster: the whole interval beyond the threshold; equivalent: the
 * whole interval inside it; inconclusive: anything else, too little data
 * included.
 */
enum gb_verdict { GB_EQUIVALENT, GB_SLOWER, GB_FASTER, GB_INCONCLUSIVE };

struct gb_cmp_opts {
	double threshold;		/* fraction: 0.05 is 5% */
	bool threshold_given;		/* else the clock's default */
	double confidence;		/* 0.95 */
	enum gb_cmp_method method;
	uint64_t seed;
	unsigned int resamples;
	enum gb_cmp_format format;
	bool allow_single_run;		/* judge one time-clock run a side */
	double fdr;			/* > 0: Benjamini-Hochberg at this q */
};

struct gb_cmp_row {
	const struct gb_rcase *a, *b;
	double a_ns, b_ns;		/* median get total per page */
	struct gb_ci ratio;		/* est: median(B) / median(A) */
	double hl_ratio;		/* method hl: the Hodges-Lehmann ratio */
	bool per_run;			/* units: run medians, not repeats */
	enum gb_verdict verdict;
	double mde;			/* equivalent/inconclusive: the smallest
					 * change (fraction) this data would
					 * have flagged; INFINITY: none */
	double p_slower;		/* bootstrap p of "slower than the
					 * threshold", for --fdr */
	const char *why;		/* inconclusive: the reason */
};

struct gb_cmp {
	struct gb_cmp_opts o;
	const struct gb_rset *a, *b;
	struct gb_cmp_row *rows;
	size_t nrows;
	const struct gb_rcase **only_a, **only_b;
	size_t nonly_a, nonly_b;
	char warnings[12][320];
	size_t nwarn;
	size_t nslower, nfaster, nequiv, ninconclusive;
	double expected_false;		/* false "slower" rows if nothing changed */
	const char *unit;		/* "ns/page" or "instr/page" */
	double pct;			/* statistic: 50 median, 0 minimum */
};

void gb_cmp_defaults(struct gb_cmp_opts *o);
/*
 * Matches, measures and judges every case.  -1 with a message when the
 * sets cannot be compared (different meta.module_abi or meta.units) or
 * memory runs out; differences that matter (THP setting, CPU model,
 * clocksource, ...) become warnings in cmp.
 */
int gb_cmp_run(struct gb_cmp *cmp, const struct gb_rset *a,
	       const struct gb_rset *b, const struct gb_cmp_opts *o,
	       char *err, size_t errlen);
void gb_cmp_print(FILE *f, const struct gb_cmp *cmp);
/*
 * Two comparisons of the same cases side by side (make ab: the instruction
 * clock's verdict beside the time clock's), matched by case, table only.
 */
void gb_cmp_print_beside(FILE *f, const struct gb_cmp *c1,
			 const struct gb_cmp *c2);
void gb_cmp_free(struct gb_cmp *cmp);
const char *gb_verdict_name(enum gb_verdict v);

/* The whole command; argv[0] is "compare".  Returns the exit status. */
int gb_cmd_compare(int argc, char **argv);

#endif
