// SPDX-License-Identifier: GPL-2.0
/*
 * The A/B plot: B/A per case with its interval, coloured by verdict,
 * from compare.json.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

/* The colour of a verdict; the legend in plots/compare.gp names them. */
static unsigned int verdict_rgb(const char *v)
{
	if (v && !strcmp(v, "slower"))
		return 0xd62728;
	if (v && !strcmp(v, "faster"))
		return 0x2ca02c;
	if (v && !strcmp(v, "equivalent"))
		return 0x555555;
	return 0xff7f0e;	/* inconclusive, or a verdict this plot does not know */
}

int pl_compare(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gbj_val *cases = gbj_get(ctx->cmp, "cases");
	const struct gbj_val *a = gbj_get(ctx->cmp, "a"), *b = gbj_get(ctx->cmp, "b");
	const struct gbj_val *sum = gbj_get(ctx->cmp, "summary");
	char path[4400], t[512], sub[512];
	const char *ka, *kb, *method;
	double ylo, yhi;
	size_t unbounded = 0;
	FILE *f;

	if (!ctx->cmp || !cases || cases->type != GBJ_ARR || !cases->n) {
		snprintf(job->skip, sizeof(job->skip),
			 ctx->cmp ? "compare.json has no matched case" :
			 "no compare.json here (gupbench compare --format json A B > DIR/compare.json)");
		return 0;
	}
	f = pl_open_data(ctx, "compare.dat", path, sizeof(path), err, errlen);
	if (!f)
		return -1;
	fprintf(f, "# case index, B/A, interval low, high (NaN: unbounded), colour, case\n");
	ylo = 1 - pl_num(ctx->cmp, "threshold", 0.05);
	yhi = 1 + pl_num(ctx->cmp, "threshold", 0.05);
	for (size_t i = 0; i < cases->n; i++) {
		const struct gbj_val *c = gbj_at(cases, i);
		const char *label = gbj_get_str(c, "label"), *v = gbj_get_str(c, "verdict");
		double r = pl_num(c, "ratio", NAN), lo = pl_num(c, "ci_low", NAN);
		double hi = pl_num(c, "ci_high", NAN);
		char api[64], lab[GB_LABEL_LEN];
		size_t n;

		if (!isfinite(lo) || !isfinite(hi) || lo <= 0) {
			lo = NAN;	/* unbounded: drawn as such, not as a dot */
			hi = NAN;
			unbounded++;
		} else {
			ylo = fmin(ylo, lo);
			yhi = fmax(yhi, hi);
		}
		if (isfinite(r) && r > 0) {
			ylo = fmin(ylo, r);
			yhi = fmax(yhi, r);
		}
		label = label ? label : "?";
		n = strcspn(label, " ");
		snprintf(api, sizeof(api), "%.*s", (int)(n < 63 ? n : 63), label);
		/* short API names, and at most 40 characters: room for the data */
		snprintf(lab, sizeof(lab), "%s%s", gb_api_short(api), label + n);
		if (strlen(lab) > 40)
			snprintf(lab + 37, sizeof(lab) - 37, "...");
		fprintf(f, "%zu\t%.6g\t%.6g\t%.6g\t%u\t%s\n", i + 1, r, lo, hi,
			verdict_rgb(v), lab);
	}
	if (pl_close_data(f, path, err, errlen))
		return -1;
	ka = gbj_get_str(a, "kernel_release");
	kb = gbj_get_str(b, "kernel_release");
	method = gbj_get_str(ctx->cmp, "method");
	snprintf(t, sizeof(t), "gupbench compare: A %s (%.0f run%s) vs B %s (%.0f run%s)",
		 ka ? ka : "?", pl_num(a, "runs", 1), pl_num(a, "runs", 1) == 1 ? "" : "s",
		 kb ? kb : "?", pl_num(b, "runs", 1), pl_num(b, "runs", 1) == 1 ? "" : "s");
	snprintf(sub, sizeof(sub), "%.3g%% interval (%s); %.0f slower, %.0f faster, %.0f equivalent, %.0f inconclusive, %.0f only in A, %.0f only in B",
		 100 * pl_num(ctx->cmp, "confidence", 0.95), method ? method : "?", pl_num(sum, "slower", 0), pl_num(sum, "faster", 0),
		 pl_num(sum, "equivalent", 0), pl_num(sum, "inconclusive", 0),
		 pl_num(sum, "only_in_a", 0), pl_num(sum, "only_in_b", 0));
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "ttl", t);
	gb_plot_var(job, "sub", sub);
	gb_plot_num(job, "thr", pl_num(ctx->cmp, "threshold", 0.05));
	gb_plot_num(job, "unbounded", (double)unbounded);
	/* room around the intervals; an absurd one does not flatten the rest */
	gb_plot_num(job, "ylo", fmax(ylo / 1.1, 0.1));
	gb_plot_num(job, "yhi", fmin(yhi * 1.1, 10));
	if (cases->n > 60)
		job->w = (int)(200 + GB_PLOT_CASE_PX * cases->n);
	return 0;
}
