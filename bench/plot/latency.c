// SPDX-License-Identifier: GPL-2.0
/*
 * Latency per page against buffer size: one panel per memory kind,
 * one line per API, the plain read cases of one batch.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/*
 * Each panel's data file holds one block per API: size, median ns/page,
 * and the fastest and slowest repeat (error bars).  All panels share one
 * y range, so that memory kinds compare by eye.
 */
int pl_latency(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const char *apis[PL_MAX_ITEMS];
	size_t napis = pl_api_list(s, apis), npanels = 0;
	double batch = pl_pick_batch(s), lo = INFINITY, hi = 0;
	double ylo = INFINITY, yhi = 0;
	char mems[256] = "", sub[256], bt[48];
	struct pl_point *pts = calloc(s->ncases + 1, sizeof(*pts));

	if (!pts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int m = 0; pl_mem_order[m]; m++) {
		char name[64], path[4400], id[32], var[64], alist[2048] = "", clist[256] = "";
		FILE *f = NULL;

		pl_mem_id(pl_mem_order[m], id, sizeof(id));
		for (size_t a = 0; a < napis; a++) {
			size_t np = 0;

			for (size_t i = 0; i < s->ncases; i++) {
				const struct gbj_val *r = s->cases[i].res;

				if (!pl_plain(r) || pl_flag(r, "write", false) ||
				    pl_num(r, "batch", -1) != batch ||
				    strcmp(pl_mem_of(r), pl_mem_order[m]) ||
				    strcmp(pl_api_of(r), apis[a]) || !(pl_median_ns(r) > 0))
					continue;
				pts[np].x = pl_num(r, "size_bytes", 0) / 1048576.0;
				pts[np].y = pl_median_ns(r);
				pl_repeat_range(r, &pts[np].lo, &pts[np].hi);
				ylo = fmin(ylo, fmin(pts[np].lo, pts[np].y));
				yhi = fmax(yhi, fmax(pts[np].hi, pts[np].y));
				lo = fmin(lo, pts[np].x);
				hi = fmax(hi, pts[np].x);
				np++;
			}
			if (!np)
				continue;
			if (!f) {
				snprintf(name, sizeof(name), "latency-%s.dat", id);
				f = pl_open_data(ctx, name, path, sizeof(path), err, errlen);
				if (!f) {
					free(pts);
					return -1;
				}
			}
			qsort(pts, np, sizeof(*pts), pl_cmp_point);
			fprintf(f, "# %s %s: size MiB, median ns per page, fastest and slowest repeat\n",
				pl_mem_order[m], apis[a]);
			for (size_t i = 0; i < np; i++)
				fprintf(f, "%.6g\t%.6g\t%.6g\t%.6g\n", pts[i].x,
					pts[i].y, pts[i].lo, pts[i].hi);
			fprintf(f, "\n\n");
			pl_add_text(alist, sizeof(alist), alist[0] ? " " : "");
			pl_add_text(alist, sizeof(alist), apis[a]);
			snprintf(var, sizeof(var), "%s%zu", clist[0] ? " " : "", a + 1);
			pl_add_text(clist, sizeof(clist), var);
		}
		if (!f)
			continue;
		if (pl_close_data(f, path, err, errlen)) {
			free(pts);
			return -1;
		}
		npanels++;
		pl_add_text(mems, sizeof(mems), mems[0] ? " " : "");
		pl_add_text(mems, sizeof(mems), id);
		snprintf(var, sizeof(var), "file_%s", id);
		gb_plot_var(job, var, path);
		snprintf(var, sizeof(var), "apis_%s", id);
		gb_plot_var(job, var, alist);
		snprintf(var, sizeof(var), "col_%s", id);
		gb_plot_var(job, var, clist);
	}
	free(pts);
	if (!npanels) {
		snprintf(job->skip, sizeof(job->skip),
			 "no single-thread, unbound read case with a per-page median");
		return 0;
	}
	pl_batch_text(batch, bt, sizeof(bt));
	snprintf(sub, sizeof(sub), "%s, read, one thread, unbound; median of repeats, bars: fastest to slowest repeat%s",
		 bt, lo == hi ? "; one buffer size in these results: points, not lines" : "");
	gb_plot_var(job, "mems", mems);
	/* a little room either side on the log axis */
	gb_plot_num(job, "xlo", lo / 1.5);
	gb_plot_num(job, "xhi", hi * 1.5);
	gb_plot_num(job, "ylo", ylo / 1.5);
	gb_plot_num(job, "yhi", yhi * 1.5);
	gb_plot_var(job, "sub", sub);
	pl_title(job, ctx, "latency per page against buffer size");
	return 0;
}
