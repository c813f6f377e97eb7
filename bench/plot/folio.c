// SPDX-License-Identifier: GPL-2.0
/*
 * Per-page cost against folio size: one line per API over anonymous
 * memory of each folio size (base pages, thp:16K ... thp:1M, thp), with
 * hugetlb's 2 MiB and 1 GiB as points beside them; the plain read cases
 * of one buffer size and batch, the size most folio sizes were measured
 * at.  The picture a THP vs base-page comparison is about.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../options.h"
#include "common.h"

static const struct {
	const char *mem;
	double kb;
	bool hugetlb;
} folios[] = {
	{ "base", 4, false },		{ "thp:16K", 16, false },
	{ "thp:32K", 32, false },	{ "thp:64K", 64, false },
	{ "thp:128K", 128, false },	{ "thp:256K", 256, false },
	{ "thp:512K", 512, false },	{ "thp:1M", 1024, false },
	{ "thp", 2048, false },		{ "hugetlb", 2048, true },
	{ "hugetlb-1g", 1048576, true },
};

#define NFOLIOS (sizeof(folios) / sizeof(folios[0]))

/* Anonymous folio sizes measured for @api at @size: the line's points. */
static size_t anon_points(const struct gb_rset *s, const char *api,
			  double size, double batch)
{
	size_t n = 0;

	for (size_t k = 0; k < NFOLIOS; k++)
		n += !folios[k].hugetlb &&
		     pl_find_plain(s, api, folios[k].mem, size, batch);
	return n;
}

/*
 * One block per API of @hugetlb kinds (or not); NaN for an empty one.
 * *@any (if given) is set when some block has a point.
 */
static void write_blocks(FILE *f, const struct gb_rset *s, const char **apis,
			 size_t napis, double size, double batch, bool hugetlb,
			 bool *any)
{
	for (size_t a = 0; a < napis; a++) {
		size_t rows = 0;

		fprintf(f, "# %s: folio KiB, median ns per page, fastest and slowest repeat\n",
			apis[a]);
		for (size_t k = 0; k < NFOLIOS; k++) {
			const struct gbj_val *r;
			double lo, hi;

			if (folios[k].hugetlb != hugetlb)
				continue;
			r = pl_find_plain(s, apis[a], folios[k].mem, size, batch);
			if (!r)
				continue;
			pl_repeat_range(r, &lo, &hi);
			fprintf(f, "%.6g\t%.6g\t%.6g\t%.6g\n", folios[k].kb,
				pl_median_ns(r), lo, hi);
			rows++;
		}
		if (!rows)
			fprintf(f, "NaN\tNaN\tNaN\tNaN\n");
		if (any)
			*any |= rows > 0;
		fprintf(f, "\n\n");
	}
}

/* ctx->out/@name (its path in @path) holding write_blocks()' output. */
static int write_file(const struct gb_plot_ctx *ctx, const char *name,
		      char *path, size_t plen, const char **apis, size_t napis,
		      double size, double batch, bool hugetlb, bool *any,
		      char *err, size_t errlen)
{
	FILE *f = pl_open_data(ctx, name, path, plen, err, errlen);

	if (!f)
		return -1;
	write_blocks(f, ctx->res, apis, napis, size, batch, hugetlb, any);
	return pl_close_data(f, path, err, errlen);
}

int pl_folio(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	     char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const char *all[PL_MAX_ITEMS], *apis[PL_MAX_ITEMS];
	size_t nall = pl_api_list(s, all), napis = 0, best_n = 0;
	double batch = pl_pick_batch(s), best_size = -1;
	char path[4400], hpath[4400], sub[320], size[16], bt[48];
	char alist[2048] = "", clist[256] = "", num[24];
	bool points = false;

	/* the buffer size with the most (API, anonymous folio size) points */
	for (size_t i = 0; i < s->ncases; i++) {
		double sz = pl_num(s->cases[i].res, "size_bytes", 0);
		size_t n = 0;

		for (size_t a = 0; a < nall; a++)
			n += anon_points(s, all[a], sz, batch);
		if (n > best_n || (n == best_n && n && sz > best_size)) {
			best_n = n;
			best_size = sz;
		}
	}
	/* a line needs two folio sizes of one API */
	for (size_t a = 0; a < nall; a++) {
		if (strcmp(all[a], "noop") &&
		    anon_points(s, all[a], best_size, batch) >= 2) {
			apis[napis++] = all[a];
			pl_add_text(alist, sizeof(alist), alist[0] ? " " : "");
			pl_add_text(alist, sizeof(alist), all[a]);
			snprintf(num, sizeof(num), "%s%zu", clist[0] ? " " : "", a + 1);
			pl_add_text(clist, sizeof(clist), num);
		}
	}
	if (!napis) {
		snprintf(job->skip, sizeof(job->skip),
			 "no API measured at two anonymous folio sizes (base, thp:SIZE, thp) at one buffer size and batch: the standard preset has them on 6.8+");
		return 0;
	}
	if (write_file(ctx, "folio.dat", path, sizeof(path), apis, napis,
		       best_size, batch, false, NULL, err, errlen) ||
	    write_file(ctx, "folio-hugetlb.dat", hpath, sizeof(hpath), apis, napis,
		       best_size, batch, true, &points, err, errlen))
		return -1;

	gb_format_size((uint64_t)best_size, size, sizeof(size));
	pl_batch_text(batch, bt, sizeof(bt));
	snprintf(sub, sizeof(sub), "%s buffer, %s, read, one thread; lines: anonymous memory of each folio size%s",
		 size, bt, points ? ", squares: hugetlb" : "");
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "hdata", hpath);
	gb_plot_var(job, "apis", alist);
	gb_plot_var(job, "cols", clist);
	gb_plot_num(job, "has_hugetlb", points);
	gb_plot_num(job, "has_1g", pl_find_plain(s, apis[0], "hugetlb-1g",
						 best_size, batch) != NULL);
	gb_plot_var(job, "sub", sub);
	pl_title(job, ctx, "cost per page against folio size");
	return 0;
}
