// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts: two result sets matched case by case, each case's ratio
 * and interval, the minimum-data rules, slower / faster / equivalent /
 * inconclusive against the threshold, false-discovery control.  Printing
 * is output.c and the format files; the command line is command.c.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../stats.h"
#include "compare.h"

/*
 * What the A/A measurement in docs/PERFORMANCE.md found for one run per
 * side; quoted in the warning so the reader knows how far to trust it.
 */
#define SINGLE_RUN_AA_FP "16-22%"

/*
 * The default threshold on the instruction clock (QEMU icount).  Its A/A
 * comparisons moved no case by more than 0.2% (docs/PERFORMANCE.md), so
 * a 1% change is flagged; the time clock keeps 5%.
 */
#define ICOUNT_THRESHOLD 0.005

void gb_cmp_defaults(struct gb_cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 0.05;
	o->confidence = 0.95;
	o->method = GB_CMP_BOOTSTRAP;
	o->seed = 1;
	o->resamples = 10000;
	o->format = GB_CMP_TABLE;
}

const char *gb_verdict_name(enum gb_verdict v)
{
	switch (v) {
	case GB_SLOWER: return "slower";
	case GB_FASTER: return "faster";
	case GB_EQUIVALENT: return "equivalent";
	default: return "inconclusive";
	}
}

static void warn(struct gb_cmp *cmp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct gb_cmp *cmp, const char *fmt, ...)
{
	va_list ap;

	if (cmp->nwarn >= sizeof(cmp->warnings) / sizeof(cmp->warnings[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(cmp->warnings[cmp->nwarn++], sizeof(cmp->warnings[0]), fmt, ap);
	va_end(ap);
}

/* A meta field as text, numbers and strings alike; "" when missing. */
static void meta_text(const struct gbj_val *meta, const char *key, char *buf,
		      size_t len)
{
	const struct gbj_val *v = gbj_get(meta, key);

	if (v && v->type == GBJ_STR)
		snprintf(buf, len, "%s", v->str);
	else if (v && v->type == GBJ_NUM)
		snprintf(buf, len, "%.17g", v->num);
	else
		snprintf(buf, len, "%s", "");
}

static int check_meta(struct gb_cmp *cmp, char *err, size_t errlen)
{
	static const struct { const char *key, *what; } refuse[] = {
		{ "module_abi", "module ABI (meta.module_abi)" },
		{ "units", "units (meta.units)" },
		{ "clock", "clock (meta.clock: time or instructions)" },
	}, warn_on[] = {
		{ "thp_enabled", "THP setting (transparent_hugepage/enabled)" },
		{ "thp_defrag", "THP defrag setting" },
		{ "cpu_model", "CPU model" },
		{ "clocksource", "clocksource" },
		{ "nr_cpus", "number of CPUs" },
		{ "numa_nodes", "number of NUMA nodes" },
		{ "tool_version", "gupbench version" },
	};
	const struct gbj_val *ma = cmp->a->meta, *mb = cmp->b->meta;
	char va[256], vb[256];

	for (size_t i = 0; i < sizeof(refuse) / sizeof(refuse[0]); i++) {
		meta_text(ma, refuse[i].key, va, sizeof(va));
		meta_text(mb, refuse[i].key, vb, sizeof(vb));
		if (strcmp(va, vb)) {
			snprintf(err, errlen,
				 "A and B differ in %s: A '%s', B '%s'; their numbers cannot be compared: measure both with one gupbench",
				 refuse[i].what, va, vb);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(warn_on) / sizeof(warn_on[0]); i++) {
		meta_text(ma, warn_on[i].key, va, sizeof(va));
		meta_text(mb, warn_on[i].key, vb, sizeof(vb));
		if (strcmp(va, vb))
			warn(cmp, "%s differs: A '%s', B '%s'", warn_on[i].what,
			     va, vb);
	}
	for (int side = 0; side < 2; side++) {
		const struct gb_rset *s = side ? cmp->b : cmp->a;

		meta_text(s->meta, "kernel_release", va, sizeof(va));
		for (size_t r = 1; r < s->nruns; r++) {
			meta_text(gbj_get(s->docs[r], "meta"), "kernel_release",
				  vb, sizeof(vb));
			if (strcmp(va, vb)) {
				warn(cmp, "%c pools runs of different kernels: '%s' (%s) and '%s' (%s)",
				     side ? 'B' : 'A', va, s->run_paths[0], vb,
				     s->run_paths[r]);
				break;
			}
		}
	}
	return 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

static struct gb_groups groups_of(const struct gb_rcase *c)
{
	return (struct gb_groups){ c->v, c->start, c->nruns };
}

/* log of each run's median, or of every value: the units of HL. */
static double *hl_units(const struct gb_rcase *c, bool per_run, size_t *n)
{
	double *u = malloc((c->nv ? c->nv : 1) * sizeof(*u));

	if (!u)
		return NULL;
	if (per_run) {
		for (size_t r = 0; r < c->nruns; r++) {
			struct gb_groups g = { c->v, c->start + r, 1 };

			u[r] = log(gb_groups_median(&g));
		}
		*n = c->nruns;
	} else {
		for (size_t i = 0; i < c->nv; i++)
			u[i] = log(c->v[i]);
		*n = c->nv;
	}
	return u;
}

/*
 * Too little data for a verdict, whatever the interval says: a side with
 * fewer than GB_MIN_VALUES repeats, and on the time clock a side with one
 * run (whole runs differ by more than their repeats: docs/PERFORMANCE.md)
 * unless the user asked for it.  The instruction clock repeats itself
 * from boot to boot: one run a side is its normal case.
 */
#define GB_MIN_VALUES 3

static const char *too_little(const struct gb_cmp *cmp,
			      const struct gb_cmp_row *row)
{
	if (row->a->nv < GB_MIN_VALUES || row->b->nv < GB_MIN_VALUES)
		return "too little data: fewer than 3 repeats a side";
	if (cmp->pct != 0 && !cmp->o.allow_single_run &&
	    (row->a->nruns < 2 || row->b->nruns < 2))
		return "too little data: one run a side on the time clock (--allow-single-run judges it anyway)";
	return NULL;
}

/* The verdict, and for rows without one the smallest change it would see. */
static int decide(struct gb_cmp *cmp, struct gb_cmp_row *row)
{
	const double t = cmp->o.threshold;
	const struct gb_ci *ci = &row->ratio;
	bool bounded = isfinite(ci->lo) && isfinite(ci->hi) && ci->lo > 0;
	const char *little = too_little(cmp, row);

	row->why = little;
	row->mde = NAN;
	if (little)
		row->verdict = GB_INCONCLUSIVE;
	else if (bounded && ci->lo > 1 + t)
		row->verdict = GB_SLOWER;
	else if (bounded && ci->hi < 1 - t)
		row->verdict = GB_FASTER;
	else if (bounded && ci->lo >= 1 - t && ci->hi <= 1 + t)
		row->verdict = GB_EQUIVALENT;
	else {
		row->verdict = GB_INCONCLUSIVE;
		row->why = bounded ? "the interval reaches beyond the threshold" :
				     "the interval is unbounded";
	}
	/*
	 * A true change d moves the interval with it; it is flagged once
	 * the near end passes the threshold: d > t + (est - lo) for slower,
	 * t + (hi - est) for faster.  The larger of the two is what this
	 * data can promise to see.
	 */
	if (row->verdict == GB_SLOWER || row->verdict == GB_FASTER)
		return 0;
	if (bounded && !little)
		row->mde = t + fmax(ci->est - ci->lo, ci->hi - ci->est);
	else
		row->mde = INFINITY;	/* it can promise nothing */
	return 0;
}

/*
 * Benjamini-Hochberg over the rows' p-values of "slower": a "slower" row
 * whose p is above the largest p(k) <= k q / m becomes inconclusive.
 */
static void fdr_control(struct gb_cmp *cmp)
{
	size_t m = cmp->nrows, k = 0;
	double *p = malloc((m ? m : 1) * sizeof(*p)), cut = -1;

	if (!p)
		return;
	for (size_t i = 0; i < m; i++)
		p[i] = isfinite(cmp->rows[i].p_slower) ? cmp->rows[i].p_slower : 1;
	gb_sort(p, m);
	for (size_t i = 0; i < m; i++)
		if (p[i] <= (double)(i + 1) * cmp->o.fdr / (double)m)
			k = i + 1;
	if (k)
		cut = p[k - 1];
	for (size_t i = 0; i < m; i++) {
		struct gb_cmp_row *r = &cmp->rows[i];

		if (r->verdict == GB_SLOWER && !(r->p_slower <= cut)) {
			r->verdict = GB_INCONCLUSIVE;
			r->why = "not significant under false-discovery-rate control (--fdr)";
			r->mde = NAN;
		}
	}
	free(p);
}

static int judge(struct gb_cmp *cmp, struct gb_cmp_row *row)
{
	const struct gb_cmp_opts *o = &cmp->o;
	struct gb_groups ga = groups_of(row->a), gb = groups_of(row->b);
	double ma = gb_groups_percentile(&ga, cmp->pct);
	double mb = gb_groups_percentile(&gb, cmp->pct);

	row->a_ns = ma / row->a->pages;
	row->b_ns = mb / row->b->pages;
	row->per_run = row->a->nruns > 1 && row->b->nruns > 1;
	row->hl_ratio = NAN;
	row->p_slower = NAN;
	if (o->method == GB_CMP_BOOTSTRAP) {
		/* a seed per case: reproducible, and not the same draws
		 * for every case */
		if (gb_boot_ratio_p(&ga, &gb, cmp->pct, o->confidence,
				    o->resamples, o->seed ^ fnv1a(row->a->key),
				    1 + o->threshold, &row->ratio,
				    &row->p_slower))
			return -1;
	} else {
		size_t m, n;
		double *x = hl_units(row->a, row->per_run, &m);
		double *y = hl_units(row->b, row->per_run, &n);
		struct gb_ci ci;
		int ret = x && y ? gb_hl_shift(x, m, y, n, o->confidence, &ci) : -1;

		free(x);
		free(y);
		if (ret)
			return -1;
		row->ratio.est = mb / ma;
		row->ratio.lo = exp(ci.lo);
		row->ratio.hi = exp(ci.hi);
		row->hl_ratio = exp(ci.est);
	}
	return decide(cmp, row);
}

int gb_cmp_run(struct gb_cmp *cmp, const struct gb_rset *a,
	       const struct gb_rset *b, const struct gb_cmp_opts *o,
	       char *err, size_t errlen)
{
	bool single = false, icount;

	memset(cmp, 0, sizeof(*cmp));
	cmp->o = *o;
	cmp->a = a;
	cmp->b = b;
	if (check_meta(cmp, err, errlen))
		return -1;
	icount = !strcmp(gbj_get_str(a->meta, "clock") ?
			 gbj_get_str(a->meta, "clock") : "", "instructions");
	if (icount && !o->threshold_given)
		cmp->o.threshold = ICOUNT_THRESHOLD;
	cmp->unit = icount ? "instr/page" : "ns/page";
	/*
	 * On the instruction clock the work of a case is the same in every
	 * repeat; a timer interrupt inside a window only ever adds to it.
	 * The least count is the work, the median would carry interrupts.
	 */
	cmp->pct = icount ? 0 : 50;
	cmp->rows = calloc(a->ncases + 1, sizeof(*cmp->rows));
	cmp->only_a = calloc(a->ncases + 1, sizeof(*cmp->only_a));
	cmp->only_b = calloc(b->ncases + 1, sizeof(*cmp->only_b));
	if (!cmp->rows || !cmp->only_a || !cmp->only_b)
		goto oom;
	for (size_t i = 0; i < a->ncases; i++) {
		const struct gb_rcase *ca = &a->cases[i];
		const struct gb_rcase *cb = gb_rset_find(b, ca->key);
		struct gb_cmp_row *row;

		if (!cb) {
			cmp->only_a[cmp->nonly_a++] = ca;
			continue;
		}
		row = &cmp->rows[cmp->nrows++];
		row->a = ca;
		row->b = cb;
		if (judge(cmp, row))
			goto oom;
		single |= ca->nruns == 1 && cb->nruns == 1;
	}
	if (o->fdr > 0)
		fdr_control(cmp);
	for (size_t i = 0; i < cmp->nrows; i++) {
		switch (cmp->rows[i].verdict) {
		case GB_SLOWER: cmp->nslower++; break;
		case GB_FASTER: cmp->nfaster++; break;
		case GB_EQUIVALENT: cmp->nequiv++; break;
		default: cmp->ninconclusive++; break;
		}
	}
	/* one-sided: each unchanged row is "slower" with (1 - c) / 2 */
	cmp->expected_false = o->fdr > 0 ? NAN :
			      (double)cmp->nrows * (1 - o->confidence) / 2;
	for (size_t i = 0; i < b->ncases; i++)
		if (!gb_rset_find(a, b->cases[i].key))
			cmp->only_b[cmp->nonly_b++] = &b->cases[i];
	/* one boot a side is the instruction clock's normal case */
	if (single && !icount)
		warn(cmp, "one run per side: the intervals see only the noise between repeats of one run, and whole runs of one kernel differ by more than that (single-run A/A comparisons flagged %s of cases as regressions, see docs/PERFORMANCE.md); %s; give each side several runs (a directory of run directories, as make compare RUNS=3 writes)",
		     SINGLE_RUN_AA_FP, o->allow_single_run ?
		     "judged anyway (--allow-single-run)" :
		     "such rows are inconclusive");
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	gb_cmp_free(cmp);
	return -1;
}

void gb_cmp_free(struct gb_cmp *cmp)
{
	free(cmp->rows);
	free(cmp->only_a);
	free(cmp->only_b);
	cmp->rows = NULL;
	cmp->only_a = cmp->only_b = NULL;
}
