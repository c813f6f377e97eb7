/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the data writers of the plots (one file each: latency.c,
 * cdf.c, speedup.c, folio.c, numa.c, threads.c, compare.c): reading a case's
 * fields, choosing the cases of the main sweep, writing data files.
 */
#ifndef GB_PLOT_COMMON_H
#define GB_PLOT_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "plot.h"

/* Most APIs, memory kinds or series one plot draws. */
#define PL_MAX_ITEMS 64

/* Memory kinds in the order panels and lines are drawn; NULL-terminated. */
extern const char *const pl_mem_order[];

/* A point and the range of its repeats around it. */
struct pl_point {
	double x, y, lo, hi;
};

/* Appends @s to the string in @buf (of @len bytes), cut if it is full. */
void pl_add_text(char *buf, size_t len, const char *s);
/* Appends @w as a quoted gnuplot word: titles hold spaces. */
void pl_add_word(char *buf, size_t len, const char *w);

/* A result's fields, with a default when missing or of another type. */
double pl_num(const struct gbj_val *r, const char *key, double dflt);
bool pl_flag(const struct gbj_val *r, const char *key, bool dflt);
bool pl_str_is(const struct gbj_val *r, const char *key, const char *val);
double pl_median_ns(const struct gbj_val *r);	/* per_page_ns.median */
/*
 * The fastest and slowest repeat per page: per_page_ns.min/max, else from
 * get_ns_total over pages, else the median both.
 */
void pl_repeat_range(const struct gbj_val *r, double *lo, double *hi);
const char *pl_api_of(const struct gbj_val *r);	/* "?" when missing */
const char *pl_mem_of(const struct gbj_val *r);

/* One thread, unbound, default flags: the cases of the main sweep. */
bool pl_plain(const struct gbj_val *r);
/* The plain read case of api/mem/size at batch with a median, or NULL. */
const struct gbj_val *pl_find_plain(const struct gb_rset *s, const char *api,
				    const char *mem, double size, double batch);
/* The APIs in the order the results first name them (PL_MAX_ITEMS). */
size_t pl_api_list(const struct gb_rset *s, const char **apis);
/* The batch of the plain read cases: 512 when there, else the commonest. */
double pl_pick_batch(const struct gb_rset *s);
void pl_batch_text(double batch, char *buf, size_t len);

/* ctx->out/@name for writing (its path in @path), or NULL with @err. */
FILE *pl_open_data(const struct gb_plot_ctx *ctx, const char *name,
		   char *path, size_t plen, char *err, size_t errlen);
int pl_close_data(FILE *f, const char *path, char *err, size_t errlen);
/* The plot's title: "gupbench: @what | kernel, date, preset". */
void pl_title(struct gb_plot_job *job, const struct gb_plot_ctx *ctx,
	      const char *what);
int pl_cmp_point(const void *a, const void *b);	/* qsort by x */
/* A gnuplot variable name for a memory kind: hugetlb-1g -> hugetlb_1g */
void pl_mem_id(const char *mem, char *buf, size_t len);

/* The plots' data writers: gb_plot_prepare() calls the one asked for. */
int pl_latency(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen);
int pl_cdf(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	   char *err, size_t errlen);
int pl_speedup(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen);
int pl_folio(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	     char *err, size_t errlen);
int pl_numa(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	    char *err, size_t errlen);
int pl_threads(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen);
int pl_compare(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen);

#endif
