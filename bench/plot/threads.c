// SPDX-License-Identifier: GPL-2.0
/*
 * Thread scaling: aggregate throughput and p99 call latency against
 * the thread count, own buffers and one shared buffer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "common.h"

/* Same series: all but the thread count (and, for one thread, sharing). */
static bool same_series(const struct gbj_val *key, const struct gbj_val *r)
{
	if (strcmp(pl_api_of(key), pl_api_of(r)) || strcmp(pl_mem_of(key), pl_mem_of(r)) ||
	    pl_num(key, "size_bytes", 0) != pl_num(r, "size_bytes", 0) ||
	    pl_num(key, "batch", -1) != pl_num(r, "batch", -1) ||
	    pl_flag(key, "write", false) != pl_flag(r, "write", false) ||
	    pl_flag(key, "longterm", false) != pl_flag(r, "longterm", false) ||
	    pl_num(key, "cpu_node", -1) != pl_num(r, "cpu_node", -1) ||
	    pl_num(key, "mem_node", -1) != pl_num(r, "mem_node", -1))
		return false;
	return pl_num(r, "threads", 1) == 1 ||
	       pl_flag(key, "shared_buffer", false) == pl_flag(r, "shared_buffer", false);
}

/* One point of a series: a thread count and what it measured. */
struct tpoint {
	double threads, gib, p99_us;
};

static int cmp_threads(const void *a, const void *b)
{
	double x = ((const struct tpoint *)a)->threads;
	double y = ((const struct tpoint *)b)->threads;

	return (x > y) - (x < y);
}

/* Adds @t to the sorted, distinct thread counts in @tc. */
static void add_count(double *tc, size_t *n, double t)
{
	size_t i = 0;

	while (i < *n && tc[i] < t)
		i++;
	if ((i < *n && tc[i] == t) || *n == PL_MAX_ITEMS)
		return;
	memmove(tc + i + 1, tc + i, (*n - i) * sizeof(*tc));
	tc[i] = t;
	(*n)++;
}

/*
 * Per series, threads against aggregate GiB/s and p99 per call, and the
 * ideal: the one-thread throughput times the thread count (NaN without a
 * one-thread point).  The x axis is log 2 with a tic at each count.
 */
int pl_threads(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const struct gbj_val *series[PL_MAX_ITEMS];
	double counts[PL_MAX_ITEMS];
	size_t nseries = 0, ncounts = 0;
	char path[4400], names[4096] = "", shared[256] = "", tics[512] = "";
	struct tpoint *pts = calloc(s->ncases + 1, sizeof(*pts));
	FILE *f;

	if (!pts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;
		size_t k;

		if (pl_num(r, "threads", 1) <= 1)
			continue;
		for (k = 0; k < nseries && !same_series(series[k], r); k++)
			;
		if (k == nseries && nseries < PL_MAX_ITEMS)
			series[nseries++] = r;
	}
	if (!nseries) {
		free(pts);
		snprintf(job->skip, sizeof(job->skip),
			 "no case with several threads (the full preset, or gupbench run --threads N)");
		return 0;
	}
	f = pl_open_data(ctx, "threads.dat", path, sizeof(path), err, errlen);
	if (!f) {
		free(pts);
		return -1;
	}
	for (size_t k = 0; k < nseries; k++) {
		const struct gbj_val *key = series[k];
		double one = NAN;
		char size[16], t[160];
		size_t np = 0;

		for (size_t i = 0; i < s->ncases; i++) {
			const struct gbj_val *r = s->cases[i].res;

			if (!same_series(key, r))
				continue;
			pts[np].threads = pl_num(r, "threads", 1);
			pts[np].gib = pl_num(r, "gib_per_s", NAN);
			pts[np].p99_us = gbj_get_num(gbj_get(r, "call_ns"), "p99", NAN) / 1000;
			if (pts[np].threads == 1)
				one = pts[np].gib;
			add_count(counts, &ncounts, pts[np].threads);
			np++;
		}
		qsort(pts, np, sizeof(*pts), cmp_threads);
		fprintf(f, "# %s %s: threads, GiB/s, p99 call us, ideal GiB/s (1 thread x threads)\n",
			pl_api_of(key), pl_mem_of(key));
		for (size_t i = 0; i < np; i++)
			fprintf(f, "%.0f\t%.6g\t%.6g\t%.6g\n", pts[i].threads,
				pts[i].gib, pts[i].p99_us, one * pts[i].threads);
		fprintf(f, "\n\n");
		gb_format_size((uint64_t)pl_num(key, "size_bytes", 0), size, sizeof(size));
		snprintf(t, sizeof(t), "%s %s %s %s", pl_api_of(key), pl_mem_of(key), size,
			 pl_flag(key, "shared_buffer", false) ? "shared buffer" : "own buffers");
		pl_add_word(names, sizeof(names), t);
		pl_add_text(shared, sizeof(shared), shared[0] ? " " : "");
		pl_add_text(shared, sizeof(shared), pl_flag(key, "shared_buffer", false) ? "1" : "0");
	}
	free(pts);
	if (pl_close_data(f, path, err, errlen))
		return -1;
	for (size_t i = 0; i < ncounts; i++) {
		char w[24];

		snprintf(w, sizeof(w), "%s%.0f", i ? " " : "", counts[i]);
		pl_add_text(tics, sizeof(tics), w);
	}
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "series", names);
	gb_plot_var(job, "shared", shared);
	gb_plot_var(job, "tics", tics);
	gb_plot_num(job, "tmin", counts[0]);
	gb_plot_num(job, "tmax", counts[ncounts - 1]);
	pl_title(job, ctx, "thread scaling (dashed: one shared buffer; dotted: ideal)");
	return 0;
}
