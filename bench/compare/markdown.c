// SPDX-License-Identifier: GPL-2.0
/*
 * compare as markdown: a table for a cover letter or a CI summary.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

void cmp_print_md(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	char buf[512], ci[64];

	fprintf(f, "### gupbench compare: %s (A) vs %s (B)\n\n", cmp_kernel_of(cmp->a),
		cmp_kernel_of(cmp->b));
	fprintf(f, "- A: `%s`, %zu run(s); B: `%s`, %zu run(s)\n", cmp->a->path,
		cmp->a->nruns, cmp->b->path, cmp->b->nruns);
	fprintf(f, "- %.0f%% interval of %s(B)/%s(A) by %s\n",
		100 * o->confidence, cmp_stat_name(cmp), cmp_stat_name(cmp),
		cmp_method_text(o, buf, sizeof(buf)));
	fprintf(f, "- slower/faster: the whole interval beyond %.3g%%\n",
		100 * o->threshold);
	for (size_t i = 0; i < cmp->nwarn; i++)
		fprintf(f, "- **warning:** %s\n", cmp->warnings[i]);
	cmp_summary_text(cmp, buf, sizeof(buf));
	fprintf(f, "\n%s\n\n", buf);
	fprintf(f, "| case | runs A/B | A %s | B %s | B/A | 95%% interval | verdict | MDE |\n",
		cmp->unit, cmp->unit);
	fprintf(f, "|---|---:|---:|---:|---:|---|---|---|\n");
	for (size_t i = 0; i < cmp->nrows; i++) {
		const struct gb_cmp_row *r = &cmp->rows[i];
		const char *em = r->verdict == GB_SLOWER ? "**" : "";
		char mde[24];

		cmp_interval_text(&r->ratio, ci, sizeof(ci));
		cmp_mde_text(r, mde, sizeof(mde));
		fprintf(f, "| %s | %zu/%zu | %.3f | %.3f | %s%.3f%s | %s | %s%s%s | %s |\n",
			r->a->label, r->a->nruns, r->b->nruns, r->a_ns, r->b_ns,
			em, cmp_row_est(o, r), em, ci, em, gb_verdict_name(r->verdict), em,
			mde);
	}
	if (cmp->nonly_a || cmp->nonly_b)
		fprintf(f, "\nNot compared:\n\n");
	for (size_t i = 0; i < cmp->nonly_a; i++)
		fprintf(f, "- only in A: %s\n", cmp->only_a[i]->label);
	for (size_t i = 0; i < cmp->nonly_b; i++)
		fprintf(f, "- only in B: %s\n", cmp->only_b[i]->label);
}
