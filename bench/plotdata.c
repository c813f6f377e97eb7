// SPDX-License-Identifier: GPL-2.0
/*
 * The data behind each plot: picked out of results.json, samples/ and
 * compare.json, written as tab-separated gnuplot data files, with the
 * variables the scripts in plots/ expect.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "plot.h"
#include "stats.h"

#define MAX_ITEMS 64
#define CDF_POINTS 2000

static const char *const mem_order[] = {
	"base", "thp", "hugetlb", "hugetlb-1g", "shmem", "memfd", "file", NULL,
};

const char *gb_plot_name(enum gb_plot_kind k)
{
	static const char *const names[GB_PLOT_COUNT] = {
		"latency", "cdf", "speedup", "numa", "threads", "compare",
	};

	return k < GB_PLOT_COUNT ? names[k] : "?";
}

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

static void add_text(char *buf, size_t len, const char *s)
{
	size_t o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, "%s", s);
}

void gb_plot_var(struct gb_plot_job *job, const char *name, const char *val)
{
	char one[2] = "";

	add_text(job->vars, sizeof(job->vars), name);
	add_text(job->vars, sizeof(job->vars), "='");
	for (const char *p = val; *p; p++) {
		/* inside gnuplot's single quotes only a quote is special: '' */
		one[0] = *p;
		add_text(job->vars, sizeof(job->vars), *p == '\'' ? "''" : one);
	}
	add_text(job->vars, sizeof(job->vars), "';");
}

void gb_plot_num(struct gb_plot_job *job, const char *name, double val)
{
	char num[64];

	snprintf(num, sizeof(num), "=%.17g;", val);
	add_text(job->vars, sizeof(job->vars), name);
	add_text(job->vars, sizeof(job->vars), num);
}

/* --- reading cases ------------------------------------------------------ */

static double num(const struct gbj_val *r, const char *key, double dflt)
{
	return gbj_get_num(r, key, dflt);
}

static bool flag(const struct gbj_val *r, const char *key, bool dflt)
{
	const struct gbj_val *v = gbj_get(r, key);

	return v && v->type == GBJ_BOOL ? v->b : dflt;
}

static bool str_is(const struct gbj_val *r, const char *key, const char *val)
{
	const char *s = gbj_get_str(r, key);

	return s && !strcmp(s, val);
}

static double median_ns(const struct gbj_val *r)
{
	return gbj_get_num(gbj_get(r, "per_page_ns"), "median", NAN);
}

/* One thread, unbound, default flags: the cases of the main sweep. */
static bool plain(const struct gbj_val *r)
{
	return num(r, "threads", 1) == 1 && num(r, "cpu_node", -1) < 0 &&
	       num(r, "mem_node", -1) < 0 && !flag(r, "longterm", false) &&
	       !flag(r, "force", false) && !flag(r, "unpin_dirty", false) &&
	       flag(r, "prefault", true) && !str_is(r, "mmap_lock", "outside") &&
	       !str_is(r, "release", "each_batch");
}

static const char *api_of(const struct gbj_val *r)
{
	const char *s = gbj_get_str(r, "api");

	return s ? s : "?";
}

static const char *mem_of(const struct gbj_val *r)
{
	const char *s = gbj_get_str(r, "mem");

	return s ? s : "?";
}

/* The APIs in the order the results first name them. */
static size_t api_list(const struct gb_rset *s, const char **apis)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncases && n < MAX_ITEMS; i++) {
		const char *a = api_of(s->cases[i].res);
		size_t j;

		for (j = 0; j < n && strcmp(apis[j], a); j++)
			;
		if (j == n)
			apis[n++] = a;
	}
	return n;
}

/* The batch of the plain read cases: 512 when there, else the commonest. */
static double pick_batch(const struct gb_rset *s)
{
	double batches[MAX_ITEMS];
	size_t count[MAX_ITEMS] = { 0 }, nb = 0, best = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;
		double b = num(r, "batch", -1);
		size_t j;

		if (!plain(r) || flag(r, "write", false))
			continue;
		if (b == 512)
			return 512;
		for (j = 0; j < nb && batches[j] != b; j++)
			;
		if (j == nb) {
			if (nb == MAX_ITEMS)
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

static void batch_text(double batch, char *buf, size_t len)
{
	if (batch == 0)
		snprintf(buf, len, "whole buffer per call");
	else
		snprintf(buf, len, "batch %.0f pages", batch);
}

static FILE *open_data(const struct gb_plot_ctx *ctx, const char *name,
		       char *path, size_t plen, char *err, size_t errlen)
{
	FILE *f;

	snprintf(path, plen, "%s/%s", ctx->out, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

static int close_data(FILE *f, const char *path, char *err, size_t errlen)
{
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void title(struct gb_plot_job *job, const struct gb_plot_ctx *ctx,
		  const char *what)
{
	char t[512];

	snprintf(t, sizeof(t), "gupbench: %s | %s", what, ctx->title_tail);
	gb_plot_var(job, "ttl", t);
}

/* A gnuplot word: quoted, since titles hold spaces. */
static void add_word(char *buf, size_t len, const char *w)
{
	add_text(buf, len, buf[0] ? " \"" : "\"");
	add_text(buf, len, w);
	add_text(buf, len, "\"");
}

/* --- 1: latency per page against size ----------------------------------- */

struct point {
	double x, y;
};

static int cmp_point(const void *a, const void *b)
{
	double x = ((const struct point *)a)->x, y = ((const struct point *)b)->x;

	return (x > y) - (x < y);
}

/* A gnuplot variable name for a memory kind: hugetlb-1g -> hugetlb_1g */
static void mem_id(const char *mem, char *buf, size_t len)
{
	snprintf(buf, len, "%s", mem);
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == ':' || *p == '/' || *p == '.')
			*p = '_';
}

static int latency(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const char *apis[MAX_ITEMS];
	size_t napis = api_list(s, apis), npanels = 0;
	double batch = pick_batch(s), lo = INFINITY, hi = 0;
	char mems[256] = "", sub[256], bt[48];
	struct point *pts = calloc(s->ncases + 1, sizeof(*pts));

	if (!pts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int m = 0; mem_order[m]; m++) {
		char name[64], path[4400], id[32], var[64], alist[2048] = "", clist[256] = "";
		FILE *f = NULL;

		mem_id(mem_order[m], id, sizeof(id));
		for (size_t a = 0; a < napis; a++) {
			size_t np = 0;

			for (size_t i = 0; i < s->ncases; i++) {
				const struct gbj_val *r = s->cases[i].res;

				if (!plain(r) || flag(r, "write", false) ||
				    num(r, "batch", -1) != batch ||
				    strcmp(mem_of(r), mem_order[m]) ||
				    strcmp(api_of(r), apis[a]) || !(median_ns(r) > 0))
					continue;
				pts[np].x = num(r, "size_bytes", 0) / 1048576.0;
				pts[np].y = median_ns(r);
				lo = fmin(lo, pts[np].x);
				hi = fmax(hi, pts[np].x);
				np++;
			}
			if (!np)
				continue;
			if (!f) {
				snprintf(name, sizeof(name), "latency-%s.dat", id);
				f = open_data(ctx, name, path, sizeof(path), err, errlen);
				if (!f) {
					free(pts);
					return -1;
				}
			}
			qsort(pts, np, sizeof(*pts), cmp_point);
			fprintf(f, "# %s %s: size MiB, median ns per page\n",
				mem_order[m], apis[a]);
			for (size_t i = 0; i < np; i++)
				fprintf(f, "%.6g\t%.6g\n", pts[i].x, pts[i].y);
			fprintf(f, "\n\n");
			add_text(alist, sizeof(alist), alist[0] ? " " : "");
			add_text(alist, sizeof(alist), apis[a]);
			snprintf(var, sizeof(var), "%s%zu", clist[0] ? " " : "", a + 1);
			add_text(clist, sizeof(clist), var);
		}
		if (!f)
			continue;
		if (close_data(f, path, err, errlen)) {
			free(pts);
			return -1;
		}
		npanels++;
		add_text(mems, sizeof(mems), mems[0] ? " " : "");
		add_text(mems, sizeof(mems), id);
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
	batch_text(batch, bt, sizeof(bt));
	snprintf(sub, sizeof(sub), "%s, read, one thread, unbound; median of repeats%s",
		 bt, lo == hi ? "; one buffer size in these results: points, not lines" : "");
	gb_plot_var(job, "mems", mems);
	/* a little room either side on the log axis */
	gb_plot_num(job, "xlo", lo / 1.5);
	gb_plot_num(job, "xhi", hi * 1.5);
	gb_plot_var(job, "sub", sub);
	title(job, ctx, "latency per page against buffer size");
	return 0;
}

/* --- 2: per-call latency CDF -------------------------------------------- */

struct stem {
	char name[256];
	char mems[8][32];
	size_t nmems;
};

static int add_sample_file(struct stem *stems, size_t *n, const char *file)
{
	char base[256], *dot;
	size_t len = strlen(file), i;

	if (len < 5 || strcmp(file + len - 4, ".dat") || len >= sizeof(base))
		return 0;
	snprintf(base, sizeof(base), "%.*s", (int)(len - 4), file);
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	*dot = 0;
	for (i = 0; i < *n && strcmp(stems[i].name, base); i++)
		;
	if (i == *n) {
		if (*n == MAX_ITEMS * 4)
			return 0;
		memset(&stems[i], 0, sizeof(stems[i]));
		snprintf(stems[i].name, sizeof(stems[i].name), "%s", base);
		(*n)++;
	}
	if (stems[i].nmems < 8)
		snprintf(stems[i].mems[stems[i].nmems++], 32, "%s", dot + 1);
	return 0;
}

/* Default case: pin_user_pages_fast, batch 512, read, largest size. */
static double stem_score(const char *stem)
{
	const char *dash = strchr(stem, '-');
	char size[32];
	uint64_t bytes = 0;
	double score = 0;
	size_t len = strlen(stem);

	if (!strncmp(stem, "pin_user_pages_fast-", 20))
		score += 4e15;
	if (len > 7 && !strcmp(stem + len - 7, "-b512-r"))
		score += 2e15;
	if (dash) {
		snprintf(size, sizeof(size), "%.*s", (int)strcspn(dash + 1, "-"),
			 dash + 1);
		if (!gb_parse_size(size, &bytes))
			score += (double)bytes / 1024;
	}
	return score;
}

static int mem_rank(const char *mem)
{
	int i;

	for (i = 0; mem_order[i] && strcmp(mem_order[i], mem); i++)
		;
	return i;
}

/* The values of one samples file, sorted; its "# title:" in sub. */
static double *read_samples(const char *path, size_t *n, char *sub,
			    size_t sublen)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1024;
	double *v = malloc(cap * sizeof(*v));
	char line[512];

	*n = 0;
	if (!f || !v) {
		if (f)
			fclose(f);
		free(v);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			if (!strncmp(line, "# title: ", 9) && sub && !sub[0])
				snprintf(sub, sublen, "%.*s", (int)strcspn(line + 9, "\n"),
					 line + 9);
			continue;
		}
		if (*n == cap) {
			double *nv = realloc(v, (cap *= 2) * sizeof(*v));

			if (!nv) {
				free(v);
				fclose(f);
				return NULL;
			}
			v = nv;
		}
		if (sscanf(line, "%lf", &v[*n]) == 1 && v[*n] > 0)
			(*n)++;
	}
	fclose(f);
	gb_sort(v, *n);
	return v;
}

static int cdf(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen)
{
	struct stem *stems = calloc(MAX_ITEMS * 4, sizeof(*stems)), *st = NULL;
	char sdir[4200], path[4400], titles[2048] = "", sub[256] = "";
	size_t nstems = 0, drawn = 0;
	struct dirent *de;
	DIR *d;
	FILE *f;

	if (!stems) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(sdir, sizeof(sdir), "%s/samples", ctx->dir);
	d = opendir(sdir);
	while (d && (de = readdir(d)))
		add_sample_file(stems, &nstems, de->d_name);
	if (d)
		closedir(d);
	for (size_t i = 0; i < nstems; i++) {
		if (ctx->cdf_stem ? !strcmp(stems[i].name, ctx->cdf_stem) :
		    (!st || stem_score(stems[i].name) > stem_score(st->name)))
			st = &stems[i];
	}
	if (!st) {
		if (ctx->cdf_stem && nstems)
			snprintf(job->skip, sizeof(job->skip),
				 "no samples/%s.*.dat (--cdf); there are e.g. %s",
				 ctx->cdf_stem, stems[0].name);
		else
			snprintf(job->skip, sizeof(job->skip),
				 "no per-call samples in %.200s (gupbench matrix --save-samples APIS writes them)",
				 sdir);
		free(stems);
		return 0;
	}
	f = open_data(ctx, "cdf.dat", path, sizeof(path), err, errlen);
	if (!f) {
		free(stems);
		return -1;
	}
	for (int rank = 0; rank <= (int)(sizeof(mem_order) / sizeof(mem_order[0])); rank++) {
		for (size_t k = 0; k < st->nmems; k++) {
			char file[4600], t[160];
			size_t n;
			double *v;

			if (mem_rank(st->mems[k]) != rank)
				continue;
			snprintf(file, sizeof(file), "%s/%s.%s.dat", sdir, st->name,
				 st->mems[k]);
			v = read_samples(file, &n, sub, sizeof(sub));
			if (!v || !n) {
				free(v);
				continue;
			}
			fprintf(f, "# %s: ns, fraction of calls at or below\n", st->mems[k]);
			if (n <= CDF_POINTS) {
				for (size_t i = 0; i < n; i++)
					fprintf(f, "%.6g\t%.6g\n", v[i], (double)(i + 1) / (double)n);
			} else {
				for (size_t p = 0; p < CDF_POINTS; p++) {
					size_t i = p * (n - 1) / (CDF_POINTS - 1);

					fprintf(f, "%.6g\t%.6g\n", v[i], (double)(i + 1) / (double)n);
				}
			}
			fprintf(f, "\n\n");
			snprintf(t, sizeof(t), "%s (n=%zu, p50 %.0f ns, p99 %.0f ns)",
				 st->mems[k], n, gb_percentile(v, n, 50),
				 gb_percentile(v, n, 99));
			add_word(titles, sizeof(titles), t);
			drawn++;
			free(v);
		}
	}
	free(stems);
	if (close_data(f, path, err, errlen))
		return -1;
	if (!drawn) {
		snprintf(job->skip, sizeof(job->skip), "the samples files in %.200s hold no values",
			 sdir);
		return 0;
	}
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "titles", titles);
	gb_plot_var(job, "sub", sub[0] ? sub : "per-call samples");
	title(job, ctx, "per-call latency distribution");
	return 0;
}

/* --- 3: huge-page speed-up ---------------------------------------------- */

/* The plain read case of api/mem/size at batch, or NULL. */
static const struct gbj_val *find_plain(const struct gb_rset *s, const char *api,
					const char *mem, double size, double batch)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;

		if (plain(r) && !flag(r, "write", false) &&
		    num(r, "batch", -1) == batch && num(r, "size_bytes", 0) == size &&
		    !strcmp(api_of(r), api) && !strcmp(mem_of(r), mem) &&
		    median_ns(r) > 0)
			return r;
	}
	return NULL;
}

static double speedup_of(const struct gb_rset *s, const char *api,
			 const char *mem, double size, double batch)
{
	const struct gbj_val *base = find_plain(s, api, "base", size, batch);
	const struct gbj_val *huge = find_plain(s, api, mem, size, batch);

	return base && huge ? median_ns(base) / median_ns(huge) : NAN;
}

static int speedup(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const char *apis[MAX_ITEMS];
	size_t napis = api_list(s, apis), best_n = 0, rows = 0;
	double batch = pick_batch(s), best_size = -1;
	bool has_thp = false, has_huge = false;
	char path[4400], sub[256], size[16], bt[48];
	FILE *f;

	/* the size where most APIs have a pair; the larger on a tie */
	for (size_t i = 0; i < s->ncases; i++) {
		double sz = num(s->cases[i].res, "size_bytes", 0);
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
	f = open_data(ctx, "speedup.dat", path, sizeof(path), err, errlen);
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
	if (close_data(f, path, err, errlen))
		return -1;
	gb_format_size((uint64_t)best_size, size, sizeof(size));
	batch_text(batch, bt, sizeof(bt));
	snprintf(sub, sizeof(sub), "%s buffer, %s, read, one thread; %zu APIs", size,
		 bt, rows);
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "sub", sub);
	gb_plot_num(job, "has_thp", has_thp);
	gb_plot_num(job, "has_hugetlb", has_huge);
	title(job, ctx, "THP and hugetlb speed-up over base pages");
	return 0;
}

/* --- 4: NUMA heat map --------------------------------------------------- */

static bool numa_case(const struct gbj_val *r)
{
	return num(r, "threads", 1) == 1 && num(r, "cpu_node", -1) >= 0 &&
	       num(r, "mem_node", -1) >= 0;
}

static bool same_group(const struct gbj_val *a, const struct gbj_val *b)
{
	return !strcmp(api_of(a), api_of(b)) && !strcmp(mem_of(a), mem_of(b)) &&
	       num(a, "size_bytes", 0) == num(b, "size_bytes", 0) &&
	       num(a, "batch", -1) == num(b, "batch", -1) &&
	       flag(a, "write", false) == flag(b, "write", false) &&
	       flag(a, "longterm", false) == flag(b, "longterm", false);
}

static int numa(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const struct gbj_val *groups[4];
	size_t ngroups = 0, more = 0;
	int nodes[64], nnodes = 0;
	char path[4400], panels[1024] = "";
	FILE *f;

	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;
		size_t g;

		if (!numa_case(r))
			continue;
		for (int k = 0; k < 2; k++) {
			int id = (int)num(r, k ? "mem_node" : "cpu_node", -1), j;

			for (j = 0; j < nnodes && nodes[j] != id; j++)
				;
			if (j == nnodes && nnodes < 64)
				nodes[nnodes++] = id;
		}
		for (g = 0; g < ngroups && !same_group(groups[g], r); g++)
			;
		if (g == ngroups) {
			if (ngroups < 4)
				groups[ngroups++] = r;
			else
				more++;
		}
	}
	if (!ngroups) {
		snprintf(job->skip, sizeof(job->skip),
			 "no case bound to a CPU node and a memory node (gupbench matrix --numa)");
		return 0;
	}
	if (nnodes < 2) {
		snprintf(job->skip, sizeof(job->skip),
			 "only node %d was measured: one cell is no matrix (a machine or guest with two nodes: vm/run --numa 2)",
			 nodes[0]);
		return 0;
	}
	for (int i = 1; i < nnodes; i++)	/* sort the few node ids */
		for (int j = i; j > 0 && nodes[j - 1] > nodes[j]; j--) {
			int t = nodes[j];

			nodes[j] = nodes[j - 1];
			nodes[j - 1] = t;
		}
	f = open_data(ctx, "numa.dat", path, sizeof(path), err, errlen);
	if (!f)
		return -1;
	for (size_t g = 0; g < ngroups; g++) {
		char size[16], t[160];

		fprintf(f, "# %s %s: memory node, cpu node, median ns per page\n",
			api_of(groups[g]), mem_of(groups[g]));
		for (int c = 0; c < nnodes; c++) {
			for (int m = 0; m < nnodes; m++) {
				double v = NAN;

				for (size_t i = 0; i < s->ncases; i++) {
					const struct gbj_val *r = s->cases[i].res;

					if (numa_case(r) && same_group(groups[g], r) &&
					    num(r, "cpu_node", -1) == nodes[c] &&
					    num(r, "mem_node", -1) == nodes[m])
						v = median_ns(r);
				}
				fprintf(f, "%d\t%d\t%.6g\n", nodes[m], nodes[c], v);
			}
			fprintf(f, "\n");
		}
		fprintf(f, "\n");
		gb_format_size((uint64_t)num(groups[g], "size_bytes", 0), size,
			       sizeof(size));
		snprintf(t, sizeof(t), "%s %s %s %s", api_of(groups[g]),
			 mem_of(groups[g]), size,
			 flag(groups[g], "write", false) ? "write" : "read");
		add_word(panels, sizeof(panels), t);
	}
	if (close_data(f, path, err, errlen))
		return -1;
	if (more)
		fprintf(stderr, "gupbench plot: numa: %zu more API/memory groups not drawn (4 panels at most)\n",
			more);
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "panels", panels);
	gb_plot_num(job, "nlo", nodes[0]);
	gb_plot_num(job, "nhi", nodes[nnodes - 1]);
	title(job, ctx, "NUMA matrix, median ns per page");
	return 0;
}

/* --- 5: thread scaling -------------------------------------------------- */

/* Same series: all but the thread count (and, for one thread, sharing). */
static bool same_series(const struct gbj_val *key, const struct gbj_val *r)
{
	if (strcmp(api_of(key), api_of(r)) || strcmp(mem_of(key), mem_of(r)) ||
	    num(key, "size_bytes", 0) != num(r, "size_bytes", 0) ||
	    num(key, "batch", -1) != num(r, "batch", -1) ||
	    flag(key, "write", false) != flag(r, "write", false) ||
	    flag(key, "longterm", false) != flag(r, "longterm", false) ||
	    num(key, "cpu_node", -1) != num(r, "cpu_node", -1) ||
	    num(key, "mem_node", -1) != num(r, "mem_node", -1))
		return false;
	return num(r, "threads", 1) == 1 ||
	       flag(key, "shared_buffer", false) == flag(r, "shared_buffer", false);
}

static int threads(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gb_rset *s = ctx->res;
	const struct gbj_val *series[MAX_ITEMS];
	size_t nseries = 0;
	char path[4400], names[4096] = "", shared[256] = "";
	struct point *pts = calloc(s->ncases + 1, sizeof(*pts) * 2);
	FILE *f;

	if (!pts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;
		size_t k;

		if (num(r, "threads", 1) <= 1)
			continue;
		for (k = 0; k < nseries && !same_series(series[k], r); k++)
			;
		if (k == nseries && nseries < MAX_ITEMS)
			series[nseries++] = r;
	}
	if (!nseries) {
		free(pts);
		snprintf(job->skip, sizeof(job->skip),
			 "no case with several threads (the full preset, or gupbench run --threads N)");
		return 0;
	}
	f = open_data(ctx, "threads.dat", path, sizeof(path), err, errlen);
	if (!f) {
		free(pts);
		return -1;
	}
	for (size_t k = 0; k < nseries; k++) {
		const struct gbj_val *key = series[k];
		char size[16], t[160];
		size_t np = 0;

		for (size_t i = 0; i < s->ncases; i++) {
			const struct gbj_val *r = s->cases[i].res;

			if (!same_series(key, r))
				continue;
			/* x, then GiB/s and p99 (us) in two points */
			pts[2 * np].x = num(r, "threads", 1);
			pts[2 * np].y = num(r, "gib_per_s", NAN);
			pts[2 * np + 1].x = pts[2 * np].x;
			pts[2 * np + 1].y = gbj_get_num(gbj_get(r, "call_ns"), "p99", NAN) / 1000;
			np++;
		}
		/* sort pairs by thread count: tiny n, insertion sort */
		for (size_t i = 1; i < np; i++)
			for (size_t j = i; j > 0 && pts[2 * (j - 1)].x > pts[2 * j].x; j--) {
				struct point a = pts[2 * j], b = pts[2 * j + 1];

				pts[2 * j] = pts[2 * (j - 1)];
				pts[2 * j + 1] = pts[2 * (j - 1) + 1];
				pts[2 * (j - 1)] = a;
				pts[2 * (j - 1) + 1] = b;
			}
		fprintf(f, "# %s %s: threads, GiB/s, p99 call us\n", api_of(key),
			mem_of(key));
		for (size_t i = 0; i < np; i++)
			fprintf(f, "%.0f\t%.6g\t%.6g\n", pts[2 * i].x, pts[2 * i].y,
				pts[2 * i + 1].y);
		fprintf(f, "\n\n");
		gb_format_size((uint64_t)num(key, "size_bytes", 0), size, sizeof(size));
		snprintf(t, sizeof(t), "%s %s %s %s", api_of(key), mem_of(key), size,
			 flag(key, "shared_buffer", false) ? "shared buffer" : "own buffers");
		add_word(names, sizeof(names), t);
		add_text(shared, sizeof(shared), shared[0] ? " " : "");
		add_text(shared, sizeof(shared), flag(key, "shared_buffer", false) ? "1" : "0");
	}
	free(pts);
	if (close_data(f, path, err, errlen))
		return -1;
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "series", names);
	gb_plot_var(job, "shared", shared);
	title(job, ctx, "thread scaling (dashed: one shared buffer)");
	return 0;
}

/* --- 6: A/B comparison -------------------------------------------------- */

static int compare(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		   char *err, size_t errlen)
{
	const struct gbj_val *cases = gbj_get(ctx->cmp, "cases");
	const struct gbj_val *a = gbj_get(ctx->cmp, "a"), *b = gbj_get(ctx->cmp, "b");
	const struct gbj_val *sum = gbj_get(ctx->cmp, "summary");
	char path[4400], t[512], sub[512];
	const char *ka, *kb, *method;
	double ylo, yhi;
	FILE *f;

	if (!ctx->cmp || !cases || cases->type != GBJ_ARR || !cases->n) {
		snprintf(job->skip, sizeof(job->skip),
			 ctx->cmp ? "compare.json has no matched case" :
			 "no compare.json here (gupbench compare --format json A B > DIR/compare.json)");
		return 0;
	}
	f = open_data(ctx, "compare.dat", path, sizeof(path), err, errlen);
	if (!f)
		return -1;
	fprintf(f, "# case index, B/A, interval low, high, colour, case\n");
	ylo = 1 - num(ctx->cmp, "threshold", 0.05);
	yhi = 1 + num(ctx->cmp, "threshold", 0.05);
	for (size_t i = 0; i < cases->n; i++) {
		const struct gbj_val *c = gbj_at(cases, i);
		const char *label = gbj_get_str(c, "label"), *v = gbj_get_str(c, "verdict");
		double r = num(c, "ratio", NAN), lo = num(c, "ci_low", NAN);
		double hi = num(c, "ci_high", NAN);
		unsigned int rgb = 0x7f7f7f;
		char api[64], lab[GB_LABEL_LEN];
		size_t n;

		if (v && !strcmp(v, "slower"))
			rgb = 0xd62728;
		else if (v && !strcmp(v, "faster"))
			rgb = 0x2ca02c;
		if (!isfinite(lo) || !isfinite(hi) || lo <= 0) {
			lo = r;		/* unbounded: the point alone */
			hi = r;
		}
		ylo = fmin(ylo, lo);
		yhi = fmax(yhi, hi);
		label = label ? label : "?";
		n = strcspn(label, " ");
		snprintf(api, sizeof(api), "%.*s", (int)(n < 63 ? n : 63), label);
		snprintf(lab, sizeof(lab), "%s%s", gb_api_short(api), label + n);
		fprintf(f, "%zu\t%.6g\t%.6g\t%.6g\t%u\t%s\n", i + 1, r, lo, hi,
			rgb, lab);
	}
	if (close_data(f, path, err, errlen))
		return -1;
	ka = gbj_get_str(a, "kernel_release");
	kb = gbj_get_str(b, "kernel_release");
	method = gbj_get_str(ctx->cmp, "method");
	snprintf(t, sizeof(t), "gupbench compare: A %s (%.0f run%s) vs B %s (%.0f run%s)",
		 ka ? ka : "?", num(a, "runs", 1), num(a, "runs", 1) == 1 ? "" : "s",
		 kb ? kb : "?", num(b, "runs", 1), num(b, "runs", 1) == 1 ? "" : "s");
	snprintf(sub, sizeof(sub), "%s interval (%s); %.0f slower, %.0f faster, %.0f equivalent, %.0f inconclusive, %.0f only in A, %.0f only in B",
		 "95%", method ? method : "?", num(sum, "slower", 0), num(sum, "faster", 0),
		 num(sum, "equivalent", 0), num(sum, "inconclusive", 0),
		 num(sum, "only_in_a", 0), num(sum, "only_in_b", 0));
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "ttl", t);
	gb_plot_var(job, "sub", sub);
	gb_plot_num(job, "thr", num(ctx->cmp, "threshold", 0.05));
	/* room around the intervals; an absurd one does not flatten the rest */
	gb_plot_num(job, "ylo", fmax(ylo / 1.1, 0.1));
	gb_plot_num(job, "yhi", fmin(yhi * 1.1, 10));
	if (cases->n > 60)
		job->w = (int)(200 + GB_PLOT_CASE_PX * cases->n);
	return 0;
}

int gb_plot_prepare(const struct gb_plot_ctx *ctx, enum gb_plot_kind k,
		    struct gb_plot_job *job, char *err, size_t errlen)
{
	memset(job, 0, sizeof(*job));
	job->kind = k;
	job->w = GB_PLOT_WIDTH;
	job->h = GB_PLOT_HEIGHT;
	if (k == GB_PLOT_COMPARE)
		return compare(ctx, job, err, errlen);
	if (!ctx->res) {
		snprintf(job->skip, sizeof(job->skip), "no results.json in %s", ctx->dir);
		return 0;
	}
	switch (k) {
	case GB_PLOT_LATENCY: return latency(ctx, job, err, errlen);
	case GB_PLOT_CDF: return cdf(ctx, job, err, errlen);
	case GB_PLOT_SPEEDUP: return speedup(ctx, job, err, errlen);
	case GB_PLOT_NUMA: return numa(ctx, job, err, errlen);
	case GB_PLOT_THREADS: return threads(ctx, job, err, errlen);
	default: return -1;
	}
}
