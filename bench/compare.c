// SPDX-License-Identifier: GPL-2.0
/* Comparing two result sets case by case: ratio, interval, verdict. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "json.h"
#include "stats.h"

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

/* --- output ------------------------------------------------------------ */

static const char *kernel_of(const struct gb_rset *s)
{
	const char *k = gbj_get_str(s->meta, "kernel_release");

	return k ? k : "?";
}

static const char *method_text(const struct gb_cmp_opts *o, char *buf,
			       size_t len)
{
	if (o->method == GB_CMP_BOOTSTRAP)
		snprintf(buf, len, "bootstrap over runs and repeats of each phase's totals, get and put (%u resamples, seed %" PRIu64 ")",
			 o->resamples, o->seed);
	else
		snprintf(buf, len, "Hodges-Lehmann with the exact Mann-Whitney interval, on run medians when both sides have several runs, else on repeats");
	return buf;
}

/* The ratio shown: the Hodges-Lehmann estimate with --method hl. */
static double row_est(const struct gb_cmp_opts *o, const struct gb_cmp_row *r)
{
	return o->method == GB_CMP_HL ? r->hl_ratio : r->ratio.est;
}

/* "±7.3%": a change this data would have flagged; "-" when it has a verdict. */
static void mde_text(const struct gb_cmp_row *r, char *buf, size_t len)
{
	if (isnan(r->mde))
		snprintf(buf, len, "-");
	else if (!isfinite(r->mde))
		snprintf(buf, len, "nothing");
	else
		snprintf(buf, len, ">=%.1f%%", 100 * r->mde);
}

/* The statistic compared: the minimum on the instruction clock. */
static const char *stat_name(const struct gb_cmp *cmp)
{
	return cmp->pct == 0 ? "min" : "median";
}

static void interval_text(const struct gb_ci *ci, char *buf, size_t len)
{
	if (isfinite(ci->lo) && isfinite(ci->hi) && ci->lo > 0)
		snprintf(buf, len, "[%.3f, %.3f]", ci->lo, ci->hi);
	else
		snprintf(buf, len, "[unbounded]");
}

static void summary_text(const struct gb_cmp *cmp, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%zu matched cases: %zu slower (regressions), %zu faster, %zu equivalent, %zu inconclusive; %zu only in A, %zu only in B",
			 cmp->nrows, cmp->nslower, cmp->nfaster, cmp->nequiv,
			 cmp->ninconclusive, cmp->nonly_a, cmp->nonly_b);

	if (n > 0 && (size_t)n < len) {
		if (cmp->o.fdr > 0)
			snprintf(buf + n, len - (size_t)n,
				 "; false discovery rate of the slower rows held at %.3g (Benjamini-Hochberg)",
				 cmp->o.fdr);
		else
			snprintf(buf + n, len - (size_t)n,
				 "; if nothing changed, at most about %.1f rows would be called slower by chance (%.0f%% intervals; --fdr Q controls that)",
				 cmp->expected_false, 100 * cmp->o.confidence);
	}
}

static int label_width(const struct gb_cmp *cmp)
{
	size_t w = 4;

	for (size_t i = 0; i < cmp->nrows; i++)
		if (strlen(cmp->rows[i].a->label) > w)
			w = strlen(cmp->rows[i].a->label);
	return (int)w;
}

static void print_table(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	char buf[512], ci[64];
	int w = label_width(cmp);

	fprintf(f, "A: %s (%s, %zu run%s)\nB: %s (%s, %zu run%s)\n",
		cmp->a->path, kernel_of(cmp->a), cmp->a->nruns,
		cmp->a->nruns == 1 ? "" : "s", cmp->b->path, kernel_of(cmp->b),
		cmp->b->nruns, cmp->b->nruns == 1 ? "" : "s");
	fprintf(f, "method: %s; %.0f%% interval of %s(B)/%s(A); slower/faster: the whole interval beyond %.3g%%\n",
		method_text(o, buf, sizeof(buf)), 100 * o->confidence,
		stat_name(cmp), stat_name(cmp), 100 * o->threshold);
	for (size_t i = 0; i < cmp->nwarn; i++)
		fprintf(f, "warning: %s\n", cmp->warnings[i]);
	fprintf(f, "MDE: the smallest change the data of an equivalent or inconclusive row would have flagged\n");
	fprintf(f, "clock: %s\n", cmp->unit[0] == 'i' ?
		"instructions (QEMU icount: 1 ns per instruction; blind to cache misses, atomics and contention)" :
		"time");
	fprintf(f, "\n%-*s %7s %12s %12s %7s  %-18s %-12s %s\n", w, "case", "runs",
		cmp->unit[0] == 'i' ? "A instr/pg" : "A ns/page",
		cmp->unit[0] == 'i' ? "B instr/pg" : "B ns/page", "B/A",
		"95% interval", "verdict", "MDE");
	for (size_t i = 0; i < cmp->nrows; i++) {
		const struct gb_cmp_row *r = &cmp->rows[i];
		char runs[16], mde[24];

		snprintf(runs, sizeof(runs), "%zu/%zu", r->a->nruns, r->b->nruns);
		interval_text(&r->ratio, ci, sizeof(ci));
		mde_text(r, mde, sizeof(mde));
		fprintf(f, "%-*s %7s %12.3f %12.3f %7.3f  %-18s %-12s %s\n", w,
			r->a->label, runs, r->a_ns, r->b_ns, row_est(o, r), ci,
			gb_verdict_name(r->verdict), mde);
	}
	for (size_t i = 0; i < cmp->nonly_a; i++)
		fprintf(f, "only in A (not compared): %s\n", cmp->only_a[i]->label);
	for (size_t i = 0; i < cmp->nonly_b; i++)
		fprintf(f, "only in B (not compared): %s\n", cmp->only_b[i]->label);
	summary_text(cmp, buf, sizeof(buf));
	fprintf(f, "\n%s\n", buf);
}

static const struct gb_cmp_row *row_of(const struct gb_cmp *cmp,
				       const char *key)
{
	for (size_t i = 0; i < cmp->nrows; i++)
		if (!strcmp(cmp->rows[i].a->key, key))
			return &cmp->rows[i];
	return NULL;
}

void gb_cmp_print_beside(FILE *f, const struct gb_cmp *c1,
			 const struct gb_cmp *c2)
{
	int w = label_width(c1);
	char buf[512], ci[64];

	fprintf(f, "1: %s -> %s (%s, threshold %.3g%%)\n", c1->a->path,
		c1->b->path, c1->unit, 100 * c1->o.threshold);
	fprintf(f, "2: %s -> %s (%s, threshold %.3g%%)\n", c2->a->path,
		c2->b->path, c2->unit, 100 * c2->o.threshold);
	for (size_t i = 0; i < c1->nwarn; i++)
		fprintf(f, "warning (1): %s\n", c1->warnings[i]);
	for (size_t i = 0; i < c2->nwarn; i++)
		fprintf(f, "warning (2): %s\n", c2->warnings[i]);
	fprintf(f, "\n%-*s  %7s %-18s %-9s  %7s %-18s %s\n", w, "case",
		"1: B/A", "interval", "verdict", "2: B/A", "interval",
		"verdict");
	for (size_t i = 0; i < c1->nrows; i++) {
		const struct gb_cmp_row *r = &c1->rows[i];
		const struct gb_cmp_row *q = row_of(c2, r->a->key);

		interval_text(&r->ratio, ci, sizeof(ci));
		fprintf(f, "%-*s  %7.3f %-18s %-9s", w, r->a->label,
			r->ratio.est, ci, gb_verdict_name(r->verdict));
		if (q) {
			interval_text(&q->ratio, ci, sizeof(ci));
			fprintf(f, "  %7.3f %-18s %s\n", q->ratio.est, ci,
				gb_verdict_name(q->verdict));
		} else {
			fprintf(f, "  %7s (not measured)\n", "-");
		}
	}
	summary_text(c1, buf, sizeof(buf));
	fprintf(f, "\n1: %s\n", buf);
	summary_text(c2, buf, sizeof(buf));
	fprintf(f, "2: %s\n", buf);
}

static void print_md(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	char buf[512], ci[64];

	fprintf(f, "### gupbench compare: %s (A) vs %s (B)\n\n", kernel_of(cmp->a),
		kernel_of(cmp->b));
	fprintf(f, "- A: `%s`, %zu run(s); B: `%s`, %zu run(s)\n", cmp->a->path,
		cmp->a->nruns, cmp->b->path, cmp->b->nruns);
	fprintf(f, "- %.0f%% interval of %s(B)/%s(A) by %s\n",
		100 * o->confidence, stat_name(cmp), stat_name(cmp),
		method_text(o, buf, sizeof(buf)));
	fprintf(f, "- slower/faster: the whole interval beyond %.3g%%\n",
		100 * o->threshold);
	for (size_t i = 0; i < cmp->nwarn; i++)
		fprintf(f, "- **warning:** %s\n", cmp->warnings[i]);
	summary_text(cmp, buf, sizeof(buf));
	fprintf(f, "\n%s\n\n", buf);
	fprintf(f, "| case | runs A/B | A %s | B %s | B/A | 95%% interval | verdict | MDE |\n",
		cmp->unit, cmp->unit);
	fprintf(f, "|---|---:|---:|---:|---:|---|---|---|\n");
	for (size_t i = 0; i < cmp->nrows; i++) {
		const struct gb_cmp_row *r = &cmp->rows[i];
		const char *em = r->verdict == GB_SLOWER ? "**" : "";
		char mde[24];

		interval_text(&r->ratio, ci, sizeof(ci));
		mde_text(r, mde, sizeof(mde));
		fprintf(f, "| %s | %zu/%zu | %.3f | %.3f | %s%.3f%s | %s | %s%s%s | %s |\n",
			r->a->label, r->a->nruns, r->b->nruns, r->a_ns, r->b_ns,
			em, row_est(o, r), em, ci, em, gb_verdict_name(r->verdict), em,
			mde);
	}
	if (cmp->nonly_a || cmp->nonly_b)
		fprintf(f, "\nNot compared:\n\n");
	for (size_t i = 0; i < cmp->nonly_a; i++)
		fprintf(f, "- only in A: %s\n", cmp->only_a[i]->label);
	for (size_t i = 0; i < cmp->nonly_b; i++)
		fprintf(f, "- only in B: %s\n", cmp->only_b[i]->label);
}

static void json_scalar(struct gbj_writer *w, const char *key,
			const struct gbj_val *v)
{
	if (!v || v->type == GBJ_NULL)
		gbj_null(w, key);
	else if (v->type == GBJ_BOOL)
		gbj_bool(w, key, v->b);
	else if (v->type == GBJ_NUM)
		gbj_num(w, key, v->num);
	else if (v->type == GBJ_STR)
		gbj_str(w, key, v->str);
}

static void json_side(struct gbj_writer *w, const char *key,
		      const struct gb_rset *s)
{
	gbj_obj_open(w, key);
	gbj_str(w, "path", s->path);
	gbj_u64(w, "runs", s->nruns);
	json_scalar(w, "kernel_release", gbj_get(s->meta, "kernel_release"));
	json_scalar(w, "tool_version", gbj_get(s->meta, "tool_version"));
	json_scalar(w, "date_utc", gbj_get(s->meta, "date_utc"));
	json_scalar(w, "command_line", gbj_get(s->meta, "command_line"));
	gbj_obj_close(w);
}

static void json_case_side(struct gbj_writer *w, const char *key,
			   const struct gb_rcase *c, double per_page)
{
	gbj_obj_open(w, key);
	gbj_num(w, "per_page_ns", per_page);
	gbj_u64(w, "runs", c->nruns);
	gbj_arr_open(w, "get_ns_total");
	for (size_t i = 0; i < c->nv; i++)
		gbj_num(w, NULL, c->v[i]);
	gbj_arr_close(w);
	gbj_obj_close(w);
}

static void json_unmatched(struct gbj_writer *w, const char *key,
			   const struct gb_rcase *const *v, size_t n)
{
	gbj_arr_open(w, key);
	for (size_t i = 0; i < n; i++) {
		gbj_obj_open(w, NULL);
		gbj_str(w, "label", v[i]->label);
		gbj_str(w, "key", v[i]->key);
		gbj_obj_close(w);
	}
	gbj_arr_close(w);
}

/* What the interval was computed over. */
static const char *unit_name(const struct gb_cmp_opts *o,
			     const struct gb_cmp_row *r)
{
	if (o->method == GB_CMP_HL)
		return r->per_run ? "run medians" : "repeats";
	return r->a->nruns > 1 || r->b->nruns > 1 ? "runs and repeats" : "repeats";
}

static void print_json(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	struct gbj_writer w;

	gbj_init(&w, f);
	gbj_obj_open(&w, NULL);
	json_side(&w, "a", cmp->a);
	json_side(&w, "b", cmp->b);
	gbj_str(&w, "method", o->method == GB_CMP_BOOTSTRAP ? "bootstrap" : "hl");
	gbj_num(&w, "confidence", o->confidence);
	gbj_num(&w, "threshold", o->threshold);
	gbj_u64(&w, "seed", o->seed);
	gbj_u64(&w, "resamples", o->resamples);
	gbj_arr_open(&w, "warnings");
	for (size_t i = 0; i < cmp->nwarn; i++)
		gbj_str(&w, NULL, cmp->warnings[i]);
	gbj_arr_close(&w);
	gbj_arr_open(&w, "cases");
	for (size_t i = 0; i < cmp->nrows; i++) {
		const struct gb_cmp_row *r = &cmp->rows[i];

		gbj_obj_open(&w, NULL);
		gbj_str(&w, "label", r->a->label);
		gbj_str(&w, "key", r->a->key);
		gbj_obj_open(&w, "params");
		for (int p = 0; gb_case_params[p]; p++)
			if (gbj_get(r->a->res, gb_case_params[p]))
				json_scalar(&w, gb_case_params[p],
					    gbj_get(r->a->res, gb_case_params[p]));
		gbj_obj_close(&w);
		json_case_side(&w, "a", r->a, r->a_ns);
		json_case_side(&w, "b", r->b, r->b_ns);
		gbj_num(&w, "ratio", r->ratio.est);
		gbj_num(&w, "ci_low", r->ratio.lo);
		gbj_num(&w, "ci_high", r->ratio.hi);
		gbj_num(&w, "hl_ratio", r->hl_ratio);
		gbj_str(&w, "unit", unit_name(o, r));
		gbj_str(&w, "verdict", gb_verdict_name(r->verdict));
		gbj_bool(&w, "regression", r->verdict == GB_SLOWER);
		if (isfinite(r->mde))
			gbj_num(&w, "mde", r->mde);
		else
			gbj_null(&w, "mde");
		gbj_str(&w, "why", r->why);
		gbj_num(&w, "p_slower", r->p_slower);
		gbj_obj_close(&w);
	}
	gbj_arr_close(&w);
	json_unmatched(&w, "only_in_a", cmp->only_a, cmp->nonly_a);
	json_unmatched(&w, "only_in_b", cmp->only_b, cmp->nonly_b);
	gbj_obj_open(&w, "summary");
	gbj_u64(&w, "matched", cmp->nrows);
	gbj_u64(&w, "slower", cmp->nslower);
	gbj_u64(&w, "faster", cmp->nfaster);
	gbj_u64(&w, "equivalent", cmp->nequiv);
	gbj_u64(&w, "inconclusive", cmp->ninconclusive);
	gbj_num(&w, "expected_false_slower", cmp->expected_false);
	gbj_u64(&w, "only_in_a", cmp->nonly_a);
	gbj_u64(&w, "only_in_b", cmp->nonly_b);
	gbj_obj_close(&w);
	gbj_obj_close(&w);
	fputc('\n', f);
}

void gb_cmp_print(FILE *f, const struct gb_cmp *cmp)
{
	switch (cmp->o.format) {
	case GB_CMP_TABLE: print_table(f, cmp); break;
	case GB_CMP_MD: print_md(f, cmp); break;
	case GB_CMP_JSON: print_json(f, cmp); break;
	}
}

/* --- the command -------------------------------------------------------- */

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench compare [options] A B [A2 B2]\n"
		"  A, B: a results.json, a gupbench matrix output directory, or a\n"
		"        directory of such run directories (pooled: one run per boot);\n"
		"        every case is compared twice: taking pages (get) and releasing\n"
		"        them (put, where it is timed)\n"
		"  A2 B2: a second pair shown beside the first, case by case (make ab:\n"
		"        the instruction clock, then the time clock); the exit status\n"
		"        is the first pair's\n"
		"  Results of different clocks (meta.clock) are never compared.\n"
		"  --format table|md|json  output (default table)\n"
		"  --threshold PCT         slower/faster only when the whole interval lies\n"
		"                          beyond PCT percent (default 5 on the time clock,\n"
		"                          0.5 on the instruction clock)\n"
		"  --method bootstrap|hl   interval of median(B)/median(A): bootstrap over\n"
		"                          runs and repeats (default), or Hodges-Lehmann\n"
		"                          with the exact Mann-Whitney interval\n"
		"  --confidence PCT        of the intervals (default 95)\n"
		"  --fdr Q                 hold the false discovery rate of \"slower\" rows\n"
		"                          at Q percent (Benjamini-Hochberg over the rows'\n"
		"                          bootstrap p-values); default: report how many\n"
		"                          rows would be called slower by chance\n"
		"  --allow-single-run      judge time-clock rows with one run a side (by\n"
		"                          default they are inconclusive: single runs\n"
		"                          flagged 16-22%% of A/A rows, docs/PERFORMANCE.md)\n"
		"  --seed N                bootstrap seed (default 1): same seed, same result\n"
		"  --resamples N           bootstrap resamples (default 10000)\n"
		"  --out FILE              write there instead of stdout\n"
		"verdicts: slower, faster (the whole interval beyond the threshold),\n"
		"  equivalent (the whole interval inside it), inconclusive (anything else,\n"
		"  too little data included); equivalent and inconclusive rows say the\n"
		"  smallest change the data would have flagged\n"
		"exit status: 0 no regression, 1 a regression, 2 bad input, no case\n"
		"  matched, or cases on one side only (listed)\n");
}

static int parse_pct(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v >= 100)
		return -1;
	*out = v / 100;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct gb_cmp_opts *o,
		      const char **out, const char *pv[4])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "threshold", required_argument, NULL, 't' },
		{ "method", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "resamples", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "fdr", required_argument, NULL, 'q' },
		{ "allow-single-run", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t n;
	double x;
	int opt;

	gb_cmp_defaults(o);
	*out = NULL;
	optind = 0;	/* 0: a full restart, with argument permutation */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "table"))
				o->format = GB_CMP_TABLE;
			else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
				o->format = GB_CMP_MD;
			else if (!strcmp(optarg, "json"))
				o->format = GB_CMP_JSON;
			else {
				fprintf(stderr, "gupbench compare: --format '%s': use table, md or json\n",
					optarg);
				return -1;
			}
			break;
		case 't':
			o->threshold_given = true;
			if (parse_pct(optarg, &o->threshold)) {
				fprintf(stderr, "gupbench compare: --threshold '%s': use a percentage from 0 to 100, e.g. 5 or 2.5%%\n",
					optarg);
				return -1;
			}
			break;
		case 'm':
			if (!strcmp(optarg, "bootstrap"))
				o->method = GB_CMP_BOOTSTRAP;
			else if (!strcmp(optarg, "hl"))
				o->method = GB_CMP_HL;
			else {
				fprintf(stderr, "gupbench compare: --method '%s': use bootstrap or hl\n",
					optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &o->seed)) {
				fprintf(stderr, "gupbench compare: --seed '%s': use a non-negative integer\n",
					optarg);
				return -1;
			}
			break;
		case 'r':
			if (parse_u64(optarg, 10000000, &n) || n < 100) {
				fprintf(stderr, "gupbench compare: --resamples '%s': use a count from 100 to 10000000\n",
					optarg);
				return -1;
			}
			o->resamples = (unsigned int)n;
			break;
		case 'o': *out = optarg; break;
		case 'c':
			if (parse_pct(optarg, &x) || x < 0.5 || x >= 1) {
				fprintf(stderr, "gupbench compare: --confidence '%s': use a percentage from 50 to below 100, e.g. 95 or 99\n",
					optarg);
				return -1;
			}
			o->confidence = x;
			break;
		case 'q':
			if (parse_pct(optarg, &x) || x <= 0 || x >= 1) {
				fprintf(stderr, "gupbench compare: --fdr '%s': use a false discovery rate in percent above 0 and below 100, e.g. 5\n",
					optarg);
				return -1;
			}
			o->fdr = x;
			break;
		case '1': o->allow_single_run = true; break;
		case 'h': compare_usage(stdout); return 1;
		default:
			fprintf(stderr, "gupbench compare: %s: unknown option or missing value (see gupbench compare --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != 2 && argc - optind != 4) {
		fprintf(stderr, "gupbench compare: give two results, A (before) and B (after), or two such pairs to show side by side; see gupbench compare --help\n");
		return -1;
	}
	if (o->fdr > 0 && o->method != GB_CMP_BOOTSTRAP) {
		fprintf(stderr, "gupbench compare: --fdr needs the bootstrap's p-values: drop --method hl\n");
		return -1;
	}
	if (argc - optind == 4 && o->format != GB_CMP_TABLE) {
		fprintf(stderr, "gupbench compare: two pairs are shown side by side as a table only: drop --format, or compare each pair alone\n");
		return -1;
	}
	pv[0] = argv[optind];
	pv[1] = argv[optind + 1];
	pv[2] = argc - optind == 4 ? argv[optind + 2] : NULL;
	pv[3] = argc - optind == 4 ? argv[optind + 3] : NULL;
	return 0;
}

int gb_cmd_compare(int argc, char **argv)
{
	const char *out_path, *pv[4];
	struct gb_rset set[4];
	struct gb_cmp_opts o;
	struct gb_cmp cmp[2];
	char err[4600];
	FILE *out = stdout;
	size_t nsets = 0, ncmp = 0;
	int ret;

	ret = parse_args(argc, argv, &o, &out_path, pv);
	if (ret)
		return ret > 0 ? GB_CMP_OK : GB_CMP_BAD_INPUT;
	ret = GB_CMP_BAD_INPUT;
	for (; nsets < 4 && pv[nsets]; nsets++) {
		if (gb_rset_load(&set[nsets], pv[nsets], err, sizeof(err))) {
			fprintf(stderr, "gupbench compare: %s%s: %s\n",
				nsets > 1 ? "2nd pair, " : "",
				nsets % 2 ? "B" : "A", err);
			goto out;
		}
	}
	for (; ncmp < nsets / 2; ncmp++) {
		if (gb_cmp_run(&cmp[ncmp], &set[2 * ncmp], &set[2 * ncmp + 1],
			       &o, err, sizeof(err))) {
			fprintf(stderr, "gupbench compare: %s\n", err);
			goto out;
		}
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		fprintf(stderr, "gupbench compare: --out %s: %s\n", out_path,
			strerror(errno));
		goto out;
	}
	/* the report may go to a file: the warnings are for the reader too */
	for (size_t i = 0; i < cmp[0].nwarn && (out != stdout || o.format == GB_CMP_JSON); i++)
		fprintf(stderr, "gupbench compare: warning: %s\n", cmp[0].warnings[i]);
	if (ncmp == 2)
		gb_cmp_print_beside(out, &cmp[0], &cmp[1]);
	else
		gb_cmp_print(out, &cmp[0]);
	if (out != stdout && fclose(out)) {
		fprintf(stderr, "gupbench compare: --out %s: %s\n", out_path,
			strerror(errno));
		goto out;
	}
	/* the first pair's verdict: make ab puts the instruction clock there */
	ret = cmp[0].nslower ? GB_CMP_REGRESSION : GB_CMP_OK;
	for (size_t c = 0; c < ncmp; c++) {
		/* a comparison that left cases out is no comparison to pass */
		if (!cmp[c].nrows) {
			fprintf(stderr, "gupbench compare: %sno case of A matches a case of B: compare results of the same preset\n",
				ncmp > 1 ? (c ? "2nd pair: " : "1st pair: ") : "");
			ret = GB_CMP_BAD_INPUT;
		}
		for (size_t i = 0; i < cmp[c].nonly_a; i++)
			fprintf(stderr, "gupbench compare: only in A, not compared: %s\n",
				cmp[c].only_a[i]->label);
		for (size_t i = 0; i < cmp[c].nonly_b; i++)
			fprintf(stderr, "gupbench compare: only in B, not compared: %s\n",
				cmp[c].only_b[i]->label);
		if (cmp[c].nonly_a || cmp[c].nonly_b)
			ret = GB_CMP_BAD_INPUT;
	}
out:
	while (ncmp)
		gb_cmp_free(&cmp[--ncmp]);
	while (nsets)
		gb_rset_free(&set[--nsets]);
	return ret;
}
