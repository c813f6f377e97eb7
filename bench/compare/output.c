// SPDX-License-Identifier: GPL-2.0
/*
 * What every output format of compare says the same way: the method,
 * the interval, the minimum detectable effect, the summary line.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../json.h"
#include "output.h"

const char *cmp_kernel_of(const struct gb_rset *s)
{
	const char *k = gbj_get_str(s->meta, "kernel_release");

	return k ? k : "?";
}

const char *cmp_method_text(const struct gb_cmp_opts *o, char *buf,
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
double cmp_row_est(const struct gb_cmp_opts *o, const struct gb_cmp_row *r)
{
	return o->method == GB_CMP_HL ? r->hl_ratio : r->ratio.est;
}

/* "±7.3%": a change this data would have flagged; "-" when it has a verdict. */
void cmp_mde_text(const struct gb_cmp_row *r, char *buf, size_t len)
{
	if (isnan(r->mde))
		snprintf(buf, len, "-");
	else if (!isfinite(r->mde))
		snprintf(buf, len, "nothing");
	else
		snprintf(buf, len, ">=%.1f%%", 100 * r->mde);
}

/* The statistic compared: the minimum on the instruction clock. */
const char *cmp_stat_name(const struct gb_cmp *cmp)
{
	return cmp->pct == 0 ? "min" : "median";
}

void cmp_interval_text(const struct gb_ci *ci, char *buf, size_t len)
{
	if (isfinite(ci->lo) && isfinite(ci->hi) && ci->lo > 0)
		snprintf(buf, len, "[%.3f, %.3f]", ci->lo, ci->hi);
	else
		snprintf(buf, len, "[unbounded]");
}

void cmp_summary_text(const struct gb_cmp *cmp, char *buf, size_t len)
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

int cmp_label_width(const struct gb_cmp *cmp)
{
	size_t w = 4;

	for (size_t i = 0; i < cmp->nrows; i++)
		if (strlen(cmp->rows[i].a->label) > w)
			w = strlen(cmp->rows[i].a->label);
	return (int)w;
}
