// SPDX-License-Identifier: GPL-2.0
/*
 * The NUMA matrix: CPU node x memory node, per API and memory kind.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../options.h"
#include "common.h"

static bool numa_case(const struct gbj_val *r)
{
	return pl_num(r, "threads", 1) == 1 && pl_num(r, "cpu_node", -1) >= 0 &&
	       pl_num(r, "mem_node", -1) >= 0;
}

static bool same_group(const struct gbj_val *a, const struct gbj_val *b)
{
	return !strcmp(pl_api_of(a), pl_api_of(b)) && !strcmp(pl_mem_of(a), pl_mem_of(b)) &&
	       pl_num(a, "size_bytes", 0) == pl_num(b, "size_bytes", 0) &&
	       pl_num(a, "batch", -1) == pl_num(b, "batch", -1) &&
	       pl_flag(a, "write", false) == pl_flag(b, "write", false) &&
	       pl_flag(a, "longterm", false) == pl_flag(b, "longterm", false);
}

/* The case of @group run on CPU node @cpu with memory on node @mem. */
static const struct gbj_val *cell(const struct gb_rset *s,
				  const struct gbj_val *group, int cpu, int mem)
{
	const struct gbj_val *found = NULL;

	for (size_t i = 0; i < s->ncases; i++) {
		const struct gbj_val *r = s->cases[i].res;

		if (numa_case(r) && same_group(group, r) &&
		    pl_num(r, "cpu_node", -1) == cpu &&
		    pl_num(r, "mem_node", -1) == mem)
			found = r;
	}
	return found;
}

/*
 * One cell: its median over the local cell's (CPU and memory on the CPU's
 * node), and a label.  Where the repeats of the two overlap, the
 * difference is within the noise: the cell is drawn as 1 and says so.
 * Under QEMU, which models no NUMA distance, every cell should be that.
 */
static void write_cell(FILE *f, const struct gbj_val *local,
		       const struct gbj_val *r, int cpu, int mem)
{
	double v = r ? pl_median_ns(r) : NAN, l = local ? pl_median_ns(local) : NAN;
	double vlo, vhi, llo, lhi, ratio = v / l;
	char label[96];
	bool noise;

	if (!(v > 0) || !(l > 0)) {
		fprintf(f, "%d\t%d\tNaN\t%s\n", mem, cpu,
			r ? "no local cell" : "not measured");
		return;
	}
	pl_repeat_range(r, &vlo, &vhi);
	pl_repeat_range(local, &llo, &lhi);
	noise = vlo <= lhi && llo <= vhi;
	if (cpu == mem)
		snprintf(label, sizeof(label), "local, %.0f ns", v);
	else
		snprintf(label, sizeof(label), "%.2fx, %.0f ns%s", ratio, v,
			 noise ? " (within noise)" : "");
	fprintf(f, "%d\t%d\t%.6g\t%s\n", mem, cpu, noise ? 1.0 : ratio, label);
}

int pl_numa(const struct gb_plot_ctx *ctx, struct gb_plot_job *job,
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
			int id = (int)pl_num(r, k ? "mem_node" : "cpu_node", -1), j;

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
	f = pl_open_data(ctx, "numa.dat", path, sizeof(path), err, errlen);
	if (!f)
		return -1;
	for (size_t g = 0; g < ngroups; g++) {
		char size[16], t[160];

		fprintf(f, "# %s %s: memory node, cpu node, ratio to local (1 within the noise), label\n",
			pl_api_of(groups[g]), pl_mem_of(groups[g]));
		for (int c = 0; c < nnodes; c++) {
			const struct gbj_val *local = cell(s, groups[g], nodes[c],
							   nodes[c]);

			for (int m = 0; m < nnodes; m++)
				write_cell(f, local, cell(s, groups[g], nodes[c], nodes[m]),
					   nodes[c], nodes[m]);
			fprintf(f, "\n");
		}
		fprintf(f, "\n");
		gb_format_size((uint64_t)pl_num(groups[g], "size_bytes", 0), size,
			       sizeof(size));
		snprintf(t, sizeof(t), "%s %s %s %s", pl_api_of(groups[g]),
			 pl_mem_of(groups[g]), size,
			 pl_flag(groups[g], "write", false) ? "write" : "read");
		pl_add_word(panels, sizeof(panels), t);
	}
	if (pl_close_data(f, path, err, errlen))
		return -1;
	if (more)
		fprintf(stderr, "gupbench plot: numa: %zu more API/memory groups not drawn (4 panels at most)\n",
			more);
	gb_plot_var(job, "data", path);
	gb_plot_var(job, "panels", panels);
	gb_plot_num(job, "nlo", nodes[0]);
	gb_plot_num(job, "nhi", nodes[nnodes - 1]);
	pl_title(job, ctx, "NUMA matrix: per-page cost over local memory");
	return 0;
}
