// SPDX-License-Identifier: GPL-2.0
/*
 * THP and hugetlb speed-up over base pages, per API, at the size where
 * most APIs have both.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../options.h"
#include "common.h"

static double speedup_of(const struct gb_rset *s, const char *api,
			 const char *mem, double size, double batch)
{
	const struct gbj_val *base = pl_find_plain(s, api, "base", size, batch);
	const struct gbj_val *huge = pl_find_plain(s, api, mem, size, batch);

	return base && huge ? pl_median_ns(base) / pl_median_ns(huge) : NAN;
}

int pl_speedup(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const char *apis[PL_MAX_ITEMS];
	size_t napis = pl_api_list(s, apis), best_n = 0, rows = 0;
	double batch = pl_pick_batch(s), best_size = -1;
	bool has_thp = false, has_huge = false;
	char path[4400], sub[256], size[16], bt[48];
	FILE *f;

	/* the size where most APIs have a pair; the larger on a tie */
	for (size_t i = 0; i < s->ncases; i++) {
		double sz = pl_num(s->cases[i].res, "size_bytes", 0);
		size_t n = 0;

		for (size_t a = 0; a < napis; a++)
			n += strcmp(apis[a], "noop") &&
			     (isfinite(speedup_of(s, apis[a], "thp", sz, batch)) ||
			      isfinite(speedup_of(s, apis[a], "hugetlb", sz, batch)));
		if (n > best_n || (n == best_n && n && sz > best_size)) {
			best_n = n;
			best_size = sz;
		}
	}
	if (!best_n) {
		snprintf(job->skip, sizeof(job->skip),
			 "no API measured on base pages and on THP or hugetlb at one size and batch");
		return 0;
	}
	f = pl_open_data(ctx, "speedup.dat", path, sizeof(path), err, errlen);
	if (!f)
		return -1;
	fprintf(f, "# api\tTHP speed-up\thugetlb speed-up (base ns/page / huge ns/page)\n");
	for (size_t a = 0; a < napis; a++) {
		double t, h;

		if (!strcmp(apis[a], "noop"))
			continue;
		t = speedup_of(s, apis[a], "thp", best_size, batch);
		h = speedup_of(s, apis[a], "hugetlb", best_size, batch);
		if (!isfinite(t) && !isfinite(h))
			continue;
		fprintf(f, "%s\t%.6g\t%.6g\n", apis[a], t, h);
		has_thp |= isfinite(t);
		has_huge |= isfinite(h);
		rows++;
	}
	if (pl_close_data(f, path, err, errlen))
		return -1;
	gb_format_size((uint64_t)best_size, size, sizeof(size));
	pl_batch_text(batch, bt, sizeof(bt));
	snprintf(sub, sizeof(sub), "%s buffer, %s, read, one thread; %zu APIs", size,
		 bt, rows);
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "sub", sub);
	gb_plot_num(job, "has_thp", has_thp);
	gb_plot_num(job, "has_hugetlb", has_huge);
	pl_title(job, ctx, "THP and hugetlb speed-up over base pages");
	return 0;
}
