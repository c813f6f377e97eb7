// SPDX-License-Identifier: GPL-2.0
/*
 * The per-call latency CDF of one case, one line per memory kind, from
 * the samples files gupbench matrix --save-samples writes.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "../stats.h"
#include "common.h"

#define CDF_POINTS 2000

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
		if (*n == PL_MAX_ITEMS * 4)
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

	for (i = 0; pl_mem_order[i] && strcmp(pl_mem_order[i], mem); i++)
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

/*
 * "base (n=24, p50 140 ns)": the percentiles the sample count supports
 * (gb_percentile_supported), up to p99.9; the largest sample otherwise.
 */
static void legend(const char *mem, const double *v, size_t n, char *buf,
		   size_t len)
{
	static const double ps[] = { 50, 90, 99, 99.9 };
	int o = snprintf(buf, len, "%s (n=%zu", mem, n);

	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		if (!gb_percentile_supported(n, ps[i]) || o < 0 || (size_t)o >= len)
			continue;
		o += snprintf(buf + o, len - o, ", p%g %.0f ns", ps[i],
			      gb_percentile(v, n, ps[i]));
	}
	if (o >= 0 && (size_t)o < len)
		snprintf(buf + o, len - o, "%s, max %.0f ns)",
			 gb_percentile_supported(n, 50) ? "" : ", too few for a percentile",
			 v[n - 1]);
}

int pl_cdf(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
	       char *err, size_t errlen)
{
	struct stem *stems = calloc(PL_MAX_ITEMS * 4, sizeof(*stems)), *st = NULL;
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
	f = pl_open_data(ctx, "cdf.dat", path, sizeof(path), err, errlen);
	if (!f) {
		free(stems);
		return -1;
	}
	/* every known kind in order, then the unknown ones (rank = the count) */
	for (int rank = 0; rank == 0 || pl_mem_order[rank - 1]; rank++) {
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
			legend(st->mems[k], v, n, t, sizeof(t));
			pl_add_word(titles, sizeof(titles), t);
			drawn++;
			free(v);
		}
	}
	free(stems);
	if (pl_close_data(f, path, err, errlen))
		return -1;
	if (!drawn) {
		snprintf(job->skip, sizeof(job->skip), "the samples files in %.200s hold no values",
			 sdir);
		return 0;
	}
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "titles", titles);
	gb_plot_var(job, "sub", sub[0] ? sub : "per-call samples");
	pl_title(job, ctx, "per-call latency distribution");
	return 0;
}
