// SPDX-License-Identifier: GPL-2.0
/*
 * What every plot's data writer shares: picking cases out of
 * results.json, writing tab-separated gnuplot data files, and the
 * variables handed to the scripts in plots/.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

const char *const pl_mem_order[] = {
	"base", "thp", "hugetlb", "hugetlb-1g", "shmem", "memfd", "file", NULL,
};

const char *gb_api_short(const char *api)
{
	static const char *const map[][2] = {
		{ "get_user_pages", "gup" },
		{ "get_user_pages_fast", "gupf" },
		{ "get_user_pages_unlocked", "gupu" },
		{ "get_user_pages_remote", "gupr" },
		{ "pin_user_pages", "pup" },
		{ "pin_user_pages_fast", "pupf" },
		{ "pin_user_pages_unlocked", "pupu" },
		{ "pin_user_pages_remote", "pupr" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(api, map[i][0]))
			return map[i][1];
	return api;
}

void pl_add_text(char *buf, size_t len, const char *s)
{
	size_t o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, "%s", s);
}

void gb_plot_var(struct gb_plot_job *job, const char *name, const char *val)
{
	char one[2] = "";

	pl_add_text(job->vars, sizeof(job->vars), name);
	pl_add_text(job->vars, sizeof(job->vars), "='");
	for (const char *p = val; *p; p++) {
		/* inside gnuplot's single quotes only a quote is special: '' */
		one[0] = *p;
		pl_add_text(job->vars, sizeof(job->vars), *p == '\'' ? "''" : one);
	}
	pl_add_text(job->vars, sizeof(job->vars), "';");
}

void gb_plot_num(struct gb_plot_job *job, const char *name, double val)
{
	char num[64];

	snprintf(num, sizeof(num), "=%.17g;", val);
	pl_add_text(job->vars, sizeof(job->vars), name);
	pl_add_text(job->vars, sizeof(job->vars), num);
}

double pl_num(const struct gbj_val *r, const char *key, double dflt)
{
	return gbj_get_num(r, key, dflt);
}

bool pl_flag(const struct gbj_val *r, const char *key, bool dflt)
{
	const struct gbj_val *v = gbj_get(r, key);

	return v && v->type == GBJ_BOOL ? v->b : dflt;
}

bool pl_str_is(const struct gbj_val *r, const char *key, const char *val)
{
	const char *s = gbj_get_str(r, key);

	return s && !strcmp(s, val);
}

double pl_median_ns(const struct gbj_val *r)
{
	return gbj_get_num(gbj_get(r, "per_page_ns"), "median", NAN);
}

void pl_repeat_range(const struct gbj_val *r, double *lo, double *hi)
{
	const struct gbj_val *pp = gbj_get(r, "per_page_ns");
	const struct gbj_val *tot = gbj_get(r, "get_ns_total");
	double pages = pl_num(r, "pages", pl_num(r, "size_bytes", 0) / 4096);

	*lo = gbj_get_num(pp, "min", NAN);
	*hi = gbj_get_num(pp, "max", NAN);
	if (isfinite(*lo) && isfinite(*hi))
		return;
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; tot && tot->type == GBJ_ARR && i < tot->n && pages > 0; i++) {
		double v = gbj_at(tot, i)->num / pages;

		*lo = fmin(*lo, v);
		*hi = fmax(*hi, v);
	}
	if (!isfinite(*lo) || !isfinite(*hi))
		*lo = *hi = pl_median_ns(r);
}

/* One thread, unbound, default flags: the cases of the main sweep. */
bool pl_plain(const struct gbj_val *r)
{
	return pl_num(r, "threads", 1) == 1 && pl_num(r, "cpu_node", -1) < 0 &&
	       pl_num(r, "mem_node", -1) < 0 && !pl_flag(r, "longterm", false) &&
	       !pl_flag(r, "force", false) && !pl_flag(r, "unpin_dirty", false) &&
	       !pl_flag(r, "nofault", false) && !pl_flag(r, "fast_only", false) &&
	       !pl_flag(r, "remote_locked", false) &&
	       pl_flag(r, "prefault", true) && !pl_str_is(r, "mmap_lock", "outside") &&
	       !pl_str_is(r, "release", "each_batch");
}

const struct gbj_val *pl_find_plain(const struct gb_rset *s, const char *api,
				    const char *mem, double size, double batch)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;

		if (pl_plain(r) && !pl_flag(r, "write", false) &&
		    pl_num(r, "batch", -1) == batch && pl_num(r, "size_bytes", 0) == size &&
		    !strcmp(pl_api_of(r), api) && !strcmp(pl_mem_of(r), mem) &&
		    pl_median_ns(r) > 0)
			return r;
	}
	return NULL;
}

const char *pl_api_of(const struct gbj_val *r)
{
	const char *s = gbj_get_str(r, "api");

	return s ? s : "?";
}

const char *pl_mem_of(const struct gbj_val *r)
{
	const char *s = gbj_get_str(r, "mem");

	return s ? s : "?";
}

/* The APIs in the order the results first name them. */
size_t pl_api_list(const struct gb_rset *s, const char **apis)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncases && n < PL_MAX_ITEMS; i++) {
		const char *a = pl_api_of(s->cases[i].res);
		size_t j;

		for (j = 0; j < n && strcmp(apis[j], a); j++)
			;
		if (j == n)
			apis[n++] = a;
	}
	return n;
}

/* The batch of the plain read cases: 512 when there, else the commonest. */
double pl_pick_batch(const struct gb_rset *s)
{
	double batches[PL_MAX_ITEMS];
	size_t count[PL_MAX_ITEMS] = { 0 }, nb = 0, best = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;
		double b = pl_num(r, "batch", -1);
		size_t j;

		if (!pl_plain(r) || pl_flag(r, "write", false))
			continue;
		if (b == 512)
			return 512;
		for (j = 0; j < nb && batches[j] != b; j++)
			;
		if (j == nb) {
			if (nb == PL_MAX_ITEMS)
				continue;
			batches[nb++] = b;
		}
		count[j]++;
	}
	for (size_t j = 1; j < nb; j++)
		if (count[j] > count[best])
			best = j;
	return nb ? batches[best] : -1;
}

void pl_batch_text(double batch, char *buf, size_t len)
{
	if (batch == 0)
		snprintf(buf, len, "whole buffer per call");
	else
		snprintf(buf, len, "batch %.0f pages", batch);
}

FILE *pl_open_data(const struct gb_plot_ctx *ctx, const char *name,
		   char *path, size_t plen, char *err, size_t errlen)
{
	FILE *f;

	snprintf(path, plen, "%s/%s", ctx->out, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

int pl_close_data(FILE *f, const char *path, char *err, size_t errlen)
{
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void pl_title(struct gb_plot_job *job, const struct gb_plot_ctx *ctx,
	      const char *what)
{
	char t[512];

	snprintf(t, sizeof(t), "gupbench: %s | %s", what, ctx->title_tail);
	gb_plot_var(job, "ttl", t);
}

/* A gnuplot word: quoted, since titles hold spaces. */
void pl_add_word(char *buf, size_t len, const char *w)
{
	pl_add_text(buf, len, buf[0] ? " \"" : "\"");
	pl_add_text(buf, len, w);
	pl_add_text(buf, len, "\"");
}

int pl_cmp_point(const void *a, const void *b)
{
	double x = ((const struct pl_point *)a)->x, y = ((const struct pl_point *)b)->x;

	return (x > y) - (x < y);
}

/* A gnuplot variable name for a memory kind: hugetlb-1g -> hugetlb_1g */
void pl_mem_id(const char *mem, char *buf, size_t len)
{
	snprintf(buf, len, "%s", mem);
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == ':' || *p == '/' || *p == '.')
			*p = '_';
}
