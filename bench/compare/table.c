// SPDX-License-Identifier: GPL-2.0
/*
 * compare as an aligned table (the default), and two comparisons side
 * by side (make ab: the instruction and the time clock).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

void cmp_print_table(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	char buf[512], ci[64];
	int w = cmp_label_width(cmp);

	fprintf(f, "A: %s (%s, %zu run%s)\nB: %s (%s, %zu run%s)\n",
		cmp->a->path, cmp_kernel_of(cmp->a), cmp->a->nruns,
		cmp->a->nruns == 1 ? "" : "s", cmp->b->path, cmp_kernel_of(cmp->b),
		cmp->b->nruns, cmp->b->nruns == 1 ? "" : "s");
	fprintf(f, "method: %s; %.0f%% interval of %s(B)/%s(A); slower/faster: the whole interval beyond %.3g%%\n",
		cmp_method_text(o, buf, sizeof(buf)), 100 * o->confidence,
		cmp_stat_name(cmp), cmp_stat_name(cmp), 100 * o->threshold);
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
		cmp_interval_text(&r->ratio, ci, sizeof(ci));
		cmp_mde_text(r, mde, sizeof(mde));
		fprintf(f, "%-*s %7s %12.3f %12.3f %7.3f  %-18s %-12s %s\n", w,
			r->a->label, runs, r->a_ns, r->b_ns, cmp_row_est(o, r), ci,
			gb_verdict_name(r->verdict), mde);
	}
	for (size_t i = 0; i < cmp->nonly_a; i++)
		fprintf(f, "only in A (not compared): %s\n", cmp->only_a[i]->label);
	for (size_t i = 0; i < cmp->nonly_b; i++)
		fprintf(f, "only in B (not compared): %s\n", cmp->only_b[i]->label);
	cmp_summary_text(cmp, buf, sizeof(buf));
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
	int w = cmp_label_width(c1);
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

		cmp_interval_text(&r->ratio, ci, sizeof(ci));
		fprintf(f, "%-*s  %7.3f %-18s %-9s", w, r->a->label,
			r->ratio.est, ci, gb_verdict_name(r->verdict));
		if (q) {
			cmp_interval_text(&q->ratio, ci, sizeof(ci));
			fprintf(f, "  %7.3f %-18s %s\n", q->ratio.est, ci,
				gb_verdict_name(q->verdict));
		} else {
			fprintf(f, "  %7s (not measured)\n", "-");
		}
	}
	cmp_summary_text(c1, buf, sizeof(buf));
	fprintf(f, "\n1: %s\n", buf);
	cmp_summary_text(c2, buf, sizeof(buf));
	fprintf(f, "2: %s\n", buf);
}
