/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gupbench plot DIR`: pictures of a results directory (results.json,
 * samples/, compare.json) drawn by the gnuplot scripts in plots/, as PNG
 * and SVG in DIR/plots/.  A plot without data is skipped with a message.
 */
#ifndef GB_PLOT_H
#define GB_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "../json.h"
#include "../resultset.h"

/* Every plot is this size; the A/B plot grows wider past 60 cases. */
#define GB_PLOT_WIDTH 1024
#define GB_PLOT_HEIGHT 768
#define GB_PLOT_CASE_PX 14

/* The plots, in the order they are drawn. */
enum gb_plot_kind {
	GB_PLOT_LATENCY,	/* ns/page vs size, per API, per memory kind */
	GB_PLOT_CDF,		/* per-call latency CDF of one case */
	GB_PLOT_SPEEDUP,	/* THP and hugetlb over base, per API */
	GB_PLOT_FOLIO,		/* ns/page against folio size, per API */
	GB_PLOT_NUMA,		/* cpu node x memory node heat map */
	GB_PLOT_THREADS,	/* throughput and p99 per thread count */
	GB_PLOT_COMPARE,	/* B/A per case with its interval */
	GB_PLOT_COUNT
};

const char *gb_plot_name(enum gb_plot_kind k);

/* What the data writers need. */
struct gb_plot_ctx {
	const char *dir;		/* the results directory */
	const char *out;		/* where data and pictures go */
	const struct gb_rset *res;	/* results.json, or NULL */
	const struct gbj_val *cmp;	/* compare.json, or NULL */
	const char *cdf_stem;		/* --cdf, or NULL: chosen here */
	char title_tail[256];		/* "kernel, date, preset ..." */
};

/* One plot ready for gnuplot, or why it is not drawn. */
struct gb_plot_job {
	enum gb_plot_kind kind;
	int w, h;
	char vars[16384];		/* gnuplot -e assignments */
	char skip[320];			/* non-empty: skipped, and why */
};

/*
 * Writes the plot's data files into ctx->out and fills job->vars, or
 * job->skip when there is nothing to draw.  -1 with a message on an I/O
 * error.
 */
int gb_plot_prepare(const struct gb_plot_ctx *ctx, enum gb_plot_kind k,
		    struct gb_plot_job *job, char *err, size_t errlen);

/* Appends name='value' (quotes doubled) or name=number to job->vars. */
void gb_plot_var(struct gb_plot_job *job, const char *name, const char *val);
void gb_plot_num(struct gb_plot_job *job, const char *name, double val);

/*
 * Short API names for crowded axes: gup, gupf, gupu, gupr, pup, pupf,
 * pupu, pupr; other names as they are.
 */
const char *gb_api_short(const char *api);

struct gb_plot_opts {
	const char *dir;
	const char *out;		/* default DIR/plots */
	const char *scripts;		/* default: found next to the binary */
	const char *cdf_stem;
	bool png, svg;
};

/*
 * Draws every plot DIR has data for.  Returns 0 (some may be skipped,
 * each with a message on stderr), 1 when gnuplot failed, 2 on bad
 * input (no results, unreadable JSON, no scripts, no gnuplot).
 */
int gb_plot_run(const struct gb_plot_opts *o);

/* The whole command; argv[0] is "plot".  Returns the exit status. */
int gb_cmd_plot(int argc, char **argv);

#endif
