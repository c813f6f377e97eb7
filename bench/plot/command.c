// SPDX-License-Identifier: GPL-2.0
/*
 * `gupbench plot DIR`: find the data and the scripts, have each plot write
 * its data (one file per plot in this folder), run gnuplot on it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../resultset.h"
#include "common.h"

/* The plots, in drawing order: their names (= plots/NAME.gp) and writers. */
static const struct {
	const char *name;
	int (*prepare)(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
		       char *err, size_t errlen);
} plots[GB_PLOT_COUNT] = {
	[GB_PLOT_LATENCY] = { "latency", pl_latency },
	[GB_PLOT_CDF] = { "cdf", pl_cdf },
	[GB_PLOT_SPEEDUP] = { "speedup", pl_speedup },
	[GB_PLOT_FOLIO] = { "folio", pl_folio },
	[GB_PLOT_NUMA] = { "numa", pl_numa },
	[GB_PLOT_THREADS] = { "threads", pl_threads },
	[GB_PLOT_COMPARE] = { "compare", pl_compare },
};

const char *gb_plot_name(enum gb_plot_kind k)
{
	return k < GB_PLOT_COUNT ? plots[k].name : "?";
}

int gb_plot_prepare(const struct gb_plot_ctx *ctx, enum gb_plot_kind k,
		    struct gb_plot_job *job, char *err, size_t errlen)
{
	memset(job, 0, sizeof(*job));
	job->kind = k;
	job->w = GB_PLOT_WIDTH;
	job->h = GB_PLOT_HEIGHT;
	if (k >= GB_PLOT_COUNT)
		return -1;
	/* the A/B plot needs compare.json only */
	if (k != GB_PLOT_COMPARE && !ctx->res) {
		snprintf(job->skip, sizeof(job->skip), "no results.json in %s", ctx->dir);
		return 0;
	}
	return plots[k].prepare(ctx, job, err, errlen);
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * The plots/ folder: --scripts, $GUPBENCH_PLOTS, or found from the
 * binary: bin/gupbench and build/tests/test_* in the source tree, or an
 * installed PREFIX/bin/gupbench with PREFIX/share/gupbench/plots.
 */
static int find_scripts(const char *given, char *buf, size_t len)
{
	const char *env = getenv("GUPBENCH_PLOTS");
	static const char *const rel[] = {
		"/../plots", "/../../plots", "/../share/gupbench/plots",
	};
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n;

	if (given || (env && *env)) {
		snprintf(buf, len, "%s", given ? given : env);
		snprintf(probe, sizeof(probe), "%s/common.gp", buf);
		return exists(probe) ? 0 : -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(probe, sizeof(probe), "%s%s/common.gp", exe, rel[i]);
		if (exists(probe)) {
			snprintf(buf, len, "%s%s", exe, rel[i]);
			return 0;
		}
	}
	return -1;
}

/*
 * gnuplot -e VARS common.gp NAME.gp with the terminal and output file
 * added to the job's variables; 0, or gnuplot's exit status (127: none).
 */
static int gnuplot(const char *scripts, struct gb_plot_job *job,
		   const char *term, const char *out)
{
	char common[PATH_MAX + 32], script[PATH_MAX + 32];
	size_t keep = strlen(job->vars);
	int st = -1;
	pid_t pid;

	snprintf(common, sizeof(common), "%s/common.gp", scripts);
	snprintf(script, sizeof(script), "%s/%s.gp", scripts, gb_plot_name(job->kind));
	gb_plot_var(job, "term", term);
	gb_plot_var(job, "out", out);
	gb_plot_num(job, "W", job->w);
	gb_plot_num(job, "H", job->h);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", job->vars, common, script,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		st = -1;
	else
		st = WEXITSTATUS(st);
	job->vars[keep] = 0;	/* the next terminal adds its own */
	return st;
}

static void title_tail(struct gb_plot_ctx *ctx)
{
	const struct gbj_val *m = ctx->res ? ctx->res->meta : NULL;
	const char *k = gbj_get_str(m, "kernel_release");
	const char *d = gbj_get_str(m, "date_utc");
	char preset[40];

	gb_meta_preset(m, preset, sizeof(preset));
	snprintf(ctx->title_tail, sizeof(ctx->title_tail), "%s, %s, preset %s",
		 k ? k : "?", d ? d : "?", preset);
}

static int mkdir_one(const char *dir)
{
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

int gb_plot_run(const struct gb_plot_opts *o)
{
	char path[PATH_MAX], out[PATH_MAX], scripts[PATH_MAX], err[4600];
	struct gb_plot_ctx ctx = { .dir = o->dir, .cdf_stem = o->cdf_stem };
	struct gbj_val *cmp = NULL;
	struct gb_rset res;
	bool have_res = false;
	int ret = 0, drawn = 0;

	if (find_scripts(o->scripts, scripts, sizeof(scripts))) {
		fprintf(stderr, "gupbench plot: the gnuplot scripts (plots/common.gp, ...) are not %s; use --scripts DIR or GUPBENCH_PLOTS=DIR with the plots/ folder of the gupbench tree\n",
			o->scripts || getenv("GUPBENCH_PLOTS") ? "in the folder given" :
			"next to the gupbench binary");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/results.json", o->dir);
	if (exists(path)) {
		if (gb_rset_load(&res, path, err, sizeof(err))) {
			fprintf(stderr, "gupbench plot: %s\n", err);
			return 2;
		}
		have_res = true;
		ctx.res = &res;
	}
	snprintf(path, sizeof(path), "%s/compare.json", o->dir);
	if (exists(path)) {
		char perr[256], *text = gb_slurp(path, err, sizeof(err));

		cmp = text ? gbj_parse(text, perr, sizeof(perr)) : NULL;
		free(text);
		if (!cmp) {
			fprintf(stderr, "gupbench plot: %s: %s\n", path,
				text ? perr : err);
			ret = 2;
			goto out;
		}
		ctx.cmp = cmp;
	}
	if (!have_res && !cmp) {
		fprintf(stderr, "gupbench plot: %s: no results.json or compare.json; give a gupbench matrix output directory (or make compare's)\n",
			o->dir);
		return 2;
	}
	snprintf(out, sizeof(out), "%s", o->out ? o->out : "");
	if (!o->out)
		snprintf(out, sizeof(out), "%s/plots", o->dir);
	if (mkdir_one(out)) {
		fprintf(stderr, "gupbench plot: %s: %s\n", out, strerror(errno));
		ret = 2;
		goto out;
	}
	ctx.out = out;
	title_tail(&ctx);
	if (!have_res)
		fprintf(stderr, "gupbench plot: %s: no results.json: the A/B plot only\n",
			o->dir);
	for (int k = have_res ? 0 : GB_PLOT_COMPARE; k < GB_PLOT_COUNT && ret != 2; k++) {
		static const char *const terms[2] = { "png", "svg" };
		struct gb_plot_job *job = malloc(sizeof(*job));

		if (!job || gb_plot_prepare(&ctx, (enum gb_plot_kind)k, job, err, sizeof(err))) {
			fprintf(stderr, "gupbench plot: %s: %s\n", gb_plot_name((enum gb_plot_kind)k),
				job ? err : "out of memory");
			free(job);
			ret = 2;
			break;
		}
		if (job->skip[0]) {
			/* the compare plot is only news in a comparison */
			if (k != GB_PLOT_COMPARE || !have_res || cmp)
				fprintf(stderr, "gupbench plot: %s: skipped: %s\n",
					gb_plot_name((enum gb_plot_kind)k), job->skip);
			free(job);
			continue;
		}
		for (int t = 0; t < 2; t++) {
			char file[PATH_MAX + 64];
			int st;

			if (!(t ? o->svg : o->png))
				continue;
			snprintf(file, sizeof(file), "%s/%s.%s", out,
				 gb_plot_name((enum gb_plot_kind)k), terms[t]);
			st = gnuplot(scripts, job, terms[t], file);
			if (st == 127) {
				fprintf(stderr, "gupbench plot: gnuplot not found: apt-get install gnuplot-nox (or scripts/deps.sh bench)\n");
				ret = 2;
				break;
			}
			if (st) {
				fprintf(stderr, "gupbench plot: gnuplot failed on %s/%s.gp (status %d); its data is in %s\n",
					scripts, gb_plot_name((enum gb_plot_kind)k), st, out);
				ret = 1;
				continue;
			}
			fprintf(stderr, "gupbench plot: %s\n", file);
			drawn++;
		}
		free(job);
	}
	if (!ret && !drawn)
		fprintf(stderr, "gupbench plot: %s: nothing to draw\n", o->dir);
out:
	if (have_res)
		gb_rset_free(&res);
	gbj_free(cmp);
	return ret;
}

static void plot_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench plot [options] DIR\n"
		"  DIR: a gupbench matrix output directory (results.json, samples/) or a\n"
		"       make compare directory (compare.json); pictures go to DIR/plots/\n"
		"  --format png|svg|both   (default both)\n"
		"  --out DIR2              write the pictures and their data there\n"
		"  --cdf STEM              the case of the CDF plot: samples/STEM.<mem>.dat\n"
		"                          (default: pin_user_pages_fast, batch 512, read,\n"
		"                          the largest size)\n"
		"  --scripts DIR           the gnuplot scripts (default: plots/ of the tree\n"
		"                          the binary is in, or $GUPBENCH_PLOTS)\n"
		"exit status: 0 drawn (plots without data skipped), 1 gnuplot failed, 2 bad input\n");
}

int gb_cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "cdf", required_argument, NULL, 'c' },
		{ "scripts", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gb_plot_opts o = { .png = true, .svg = true };
	int opt;

	optind = 0;	/* 0: a full restart, with argument permutation */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o.png = !strcmp(optarg, "png") || !strcmp(optarg, "both");
			o.svg = !strcmp(optarg, "svg") || !strcmp(optarg, "both");
			if (!o.png && !o.svg) {
				fprintf(stderr, "gupbench plot: --format '%s': use png, svg or both\n",
					optarg);
				return 2;
			}
			break;
		case 'o': o.out = optarg; break;
		case 'c': o.cdf_stem = optarg; break;
		case 's': o.scripts = optarg; break;
		case 'h': plot_usage(stdout); return 0;
		default:
			fprintf(stderr, "gupbench plot: %s: unknown option or missing value (see gupbench plot --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "gupbench plot: give one results directory; see gupbench plot --help\n");
		return 2;
	}
	o.dir = argv[optind];
	return gb_plot_run(&o);
}
