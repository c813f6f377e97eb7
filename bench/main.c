// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench: measure and check the kernel's get_user_pages family through
 * /dev/gupbench, or without a module through system calls (bench/backend.h).
 * Subcommands: run, matrix, compare, plot, info.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "backend_matrix.h"
#include "compare/compare.h"
#include "dump.h"
#include "device.h"
#include "matrix.h"
#include "meta.h"
#include "numa.h"
#include "options.h"
#include "plot/plot.h"
#include "report.h"
#include "runner.h"
#include "samples.h"

/* Exit codes: 0 ok, 1 measurement failed, 2 bad usage, 3 check failed. */
enum { EXIT_MEASURE = 1, EXIT_USAGE = 2, EXIT_CHECK = 3 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench run --api NAME [options]   one case (gupbench run --help)\n"
		"       gupbench matrix --preset quick|standard|full [--numa] [--out DIR]\n"
		"                       [--backend module|syscall] [--direct-path PATH]\n"
		"                       [--save-samples all|API,...] [--list] [--anonymize]\n"
		"       gupbench compare [--format table|md|json] [--threshold PCT] A B\n"
		"       gupbench plot [--format png|svg|both] DIR\n"
		"       gupbench info [--format table|json]\n"
		"       gupbench dump --api NAME --page N... [--mem KIND] [--size SIZE]\n"
		"       gupbench version\n");
}

/* The syscall backend needs no device: dev->fd stays -1. */
static int open_all(struct gb_dev *dev, struct gb_numa *numa, const char *cmd,
		    enum gb_backend_kind backend, const char *cpus)
{
	char err[GB_ERRLEN];

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	if (gb_meta_clock(err, sizeof(err)) < 0) {
		fprintf(stderr, "gupbench %s: %s\n", cmd, err);
		return -1;
	}
	if (gb_numa_init(numa, err, sizeof(err))) {
		fprintf(stderr, "gupbench %s: %s\n", cmd, err);
		return -1;
	}
	if (cpus && gb_numa_restrict(numa, cpus, err, sizeof(err))) {
		fprintf(stderr, "gupbench %s: %s\n", cmd, err);
		gb_numa_fini(numa);
		return -1;
	}
	if (backend == GB_BACKEND_MODULE && gb_dev_open(dev, err, sizeof(err))) {
		fprintf(stderr, "gupbench %s: %s\n", cmd, err);
		gb_numa_fini(numa);
		return -1;
	}
	return 0;
}

/* Whether the module counts retired instructions beside the time. */
static bool dev_counts_instructions(const struct gb_dev *dev)
{
	char why[GB_ERRLEN];

	return dev->fd >= 0 && !gb_dev_instr_unavailable(dev, why, sizeof(why));
}

/* Correctness verdicts that make a result a failed check. */
static int check_result(const struct gb_result *r, const char *cmd)
{
	uint64_t unpinned = 0, unpinnable = 0;

	for (unsigned int t = 0; t < r->nthr; t++) {
		unpinned += r->thr[t].unpinned_pages;
		unpinnable += r->thr[t].longterm_unpinnable;
	}
	if (!r->pins_balanced) {
		fprintf(stderr,
			"gupbench %s: %s/%s: pins unbalanced: the module took %llu and released %llu; /proc/vmstat acquired %llu, released %llu%s\n",
			cmd, gb_api_name(r->c.api), gb_mem_name(r->c.mem),
			(unsigned long long)r->pins_taken,
			(unsigned long long)r->pins_released,
			(unsigned long long)r->pins.acquired,
			(unsigned long long)r->pins.released,
			r->vmstat_applicable ? "" : " (not applicable: something else pinned meanwhile)");
		return -1;
	}
	if (unpinned) {
		fprintf(stderr,
			"gupbench %s: %s/%s: %llu pinned pages failed folio_maybe_dma_pinned()\n",
			cmd, gb_api_name(r->c.api), gb_mem_name(r->c.mem),
			(unsigned long long)unpinned);
		return -1;
	}
	if (unpinnable) {
		fprintf(stderr,
			"gupbench %s: %s/%s: %llu long-term pinned pages are in folios that may not be pinned long-term (ZONE_MOVABLE or CMA): GUP did not migrate them\n",
			cmd, gb_api_name(r->c.api), gb_mem_name(r->c.mem),
			(unsigned long long)unpinnable);
		return -1;
	}
	return 0;
}

/*
 * Flush and close an output (stdout included), saying so when the data did
 * not get there (a full disk, /dev/full, a closed pipe): 0 or -1.
 */
static int close_out(FILE *f, const char *what, const char *cmd)
{
	int bad = fflush(f) || ferror(f);

	if (f != stdout)
		bad |= fclose(f) != 0;
	if (bad)
		fprintf(stderr, "gupbench %s: writing %s failed: %s; the result is lost\n",
			cmd, what, strerror(errno ? errno : EIO));
	return bad ? -1 : 0;
}

static int cmd_run(int argc, char **argv)
{
	char err[GB_ERRLEN];
	struct gb_report rp;
	struct gb_result r;
	struct gb_opts o;
	struct gb_meta m;
	struct gb_numa numa;
	struct gb_dev dev;
	struct gb_env env;
	FILE *out = stdout;
	int ret;

	ret = gb_parse_run(argc, argv, &o, err, sizeof(err));
	if (ret > 0) {
		gb_run_usage(stdout);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "gupbench run: %s\n", err);
		return EXIT_USAGE;
	}
	/* a bad --out is found before the work, not after it */
	if (o.out && !(out = fopen(o.out, "w"))) {
		fprintf(stderr, "gupbench run: --out %s: %s\n", o.out,
			strerror(errno));
		return EXIT_USAGE;
	}
	if (open_all(&dev, &numa, "run", o.c.backend, o.cpus)) {
		if (out != stdout)
			fclose(out);
		return EXIT_MEASURE;
	}
	env = (struct gb_env){ .dev = dev.fd >= 0 ? &dev : NULL, .numa = &numa,
			       .count_instructions = dev_counts_instructions(&dev),
			       .drop_scheduled = o.drop_scheduled,
			       .max_samples = o.max_samples,
			       .reserve_hugetlb = o.reserve_hugetlb,
			       .measure_noop = true };
	ret = gb_run_case(&env, &o.c, &r, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "gupbench run: %s\n", err);
		ret = EXIT_MEASURE;
		goto out;
	}
	gb_meta_collect(&m, &dev, &numa, argc + 1, argv - 1);
	if (o.anonymize)
		gb_meta_anonymize(&m);
	gb_report_begin(&rp, out, o.format, &m);
	gb_report_result(&rp, &r);
	gb_report_end(&rp);
	if (r.note[0])
		fprintf(stderr, "gupbench run: note: %s\n", r.note);
	ret = check_result(&r, "run") ? EXIT_CHECK : 0;
	/* a result that did not reach its file is no result */
	if (close_out(out, o.out ? o.out : "standard output", "run"))
		ret = EXIT_MEASURE;
	out = stdout;
out:
	if (out != stdout)
		fclose(out);
	gb_result_free(&r);
	gb_dev_close(&dev);
	gb_numa_fini(&numa);
	return ret;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "w");
}

static void default_out_dir(char *buf, size_t len)
{
	struct utsname u;
	time_t now = time(NULL);
	char stamp[32];

	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
	uname(&u);
	snprintf(buf, len, "results/%s-%s", stamp, u.release);
}

static int mkdir_p(const char *dir)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

/* Progress lines on stderr: on a terminal, unless GUPBENCH_PROGRESS=0;
 * GUPBENCH_PROGRESS=1 forces them (vm/run passes the host's choice). */
static bool show_progress(void)
{
	const char *env = getenv("GUPBENCH_PROGRESS");

	if (env && *env)
		return strcmp(env, "0") != 0;
	return isatty(2);
}

/* The runner's own memory: peak RSS less the largest buffer it held. */
static void peak_rss(FILE *f, const struct gb_case_list *l)
{
	uint64_t biggest = 0;
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct gb_case *c = &l->v[i];
		uint64_t bytes = c->size * (c->shared_buffer ? 1 : c->threads);

		if (bytes > biggest)
			biggest = bytes;
	}
	fprintf(f, "# runner peak RSS %.1f MiB, largest buffer set %.1f MiB, beyond it at most %.1f MiB\n",
		(double)ru.ru_maxrss / 1024.0, (double)biggest / 1048576.0,
		((double)ru.ru_maxrss * 1024.0 - (double)biggest) / 1048576.0);
}

struct matrix_opts {
	enum gb_preset preset;
	enum gb_backend_kind backend;
	const char *direct_path;
	bool numa;
	bool reserve_hugetlb;
	const char *out;
	uint64_t max_samples;
	const char *save_samples;	/* "all" or API names: samples/ */
	bool list;			/* print the cases, run nothing */
	bool anonymize;			/* drop what names the machine */
	const char *cpus;		/* --cpus LIST */
	bool drop_scheduled;		/* --drop-scheduled */
};

static void matrix_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench matrix [--preset quick|standard|full] [--numa] [--out DIR]\n"
		"       [--backend module|syscall] [--direct-path PATH] [--reserve-hugetlb]\n"
		"       [--max-samples N] [--save-samples all|API,...] [--list] [--anonymize]\n"
		"       [--cpus LIST] [--drop-scheduled]\n"
		"  --preset NAME       the cases (default quick; gupbench(1) lists them,\n"
		"                      --list prints them)\n"
		"  --numa              add every (CPU node, memory node) pair for the _fast APIs\n"
		"  --out DIR           results.json, results.csv, summary.txt (default\n"
		"                      results/<UTC stamp>-<kernel>)\n"
		"  --backend           module (default) or syscall\n"
		"  --reserve-hugetlb   grow the hugetlb pool per case, then restore it\n"
		"  --max-samples N     per-call samples kept per case (default %u)\n"
		"  --save-samples      per-call samples of these APIs into DIR/samples/\n"
		"  --list              print the preset's cases, run nothing\n"
		"  --anonymize         drop the hostname and what else names the machine\n"
		"  --cpus LIST         use only these CPUs, within gupbench's affinity\n"
		"  --drop-scheduled    leave scheduled-out calls out of the latency statistics\n"
		"exit status: 0, 1 a case failed, 2 bad usage, 3 a check failed\n",
		GB_DEFAULT_MAX_SAMPLES);
}

static int parse_matrix(int argc, char **argv, struct matrix_opts *mo)
{
	static const struct option opts[] = {
		{ "preset", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "numa", no_argument, NULL, 'n' },
		{ "reserve-hugetlb", no_argument, NULL, 'r' },
		{ "max-samples", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "direct-path", required_argument, NULL, 'd' },
		{ "save-samples", required_argument, NULL, 'S' },
		{ "list", no_argument, NULL, 'l' },
		{ "anonymize", no_argument, NULL, 'A' },
		{ "cpus", required_argument, NULL, 'C' },
		{ "drop-scheduled", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(mo, 0, sizeof(*mo));
	mo->preset = GB_PRESET_QUICK;
	mo->max_samples = GB_DEFAULT_MAX_SAMPLES;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (gb_preset_from_name(optarg, &mo->preset)) {
				fprintf(stderr, "gupbench matrix: --preset '%s': use quick, standard or full\n",
					optarg);
				return -1;
			}
			break;
		case 'o': mo->out = optarg; break;
		case 'b':
			if (gb_backend_from_name(optarg, &mo->backend)) {
				fprintf(stderr, "gupbench matrix: --backend '%s': use module or syscall\n",
					optarg);
				return -1;
			}
			break;
		case 'd': mo->direct_path = optarg; break;
		case 'S': {
			char err[GB_ERRLEN];

			if (gb_samples_check_filter(optarg, err, sizeof(err))) {
				fprintf(stderr, "gupbench matrix: %s\n", err);
				return -1;
			}
			mo->save_samples = optarg;
			break;
		}
		case 'n': mo->numa = true; break;
		case 'l': mo->list = true; break;
		case 'A': mo->anonymize = true; break;
		case 'C': mo->cpus = optarg; break;
		case 'D': mo->drop_scheduled = true; break;
		case 'r': mo->reserve_hugetlb = true; break;
		case 's':
			if (gb_parse_count(optarg, 1ULL << 28, &mo->max_samples) ||
			    !mo->max_samples) {
				fprintf(stderr, "gupbench matrix: --max-samples '%s': use a count from 1 to %llu\n",
					optarg, 1ULL << 28);
				return -1;
			}
			break;
		case 'h': matrix_usage(stdout); exit(0);
		default:
			fprintf(stderr, "gupbench matrix: %s: unknown option or missing value (see gupbench help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gupbench matrix: '%s': unexpected argument\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* What the NUMA table needs of a measured case; the rest is freed. */
struct numa_cell {
	bool ok;
	unsigned int api;
	enum gb_mem_kind mem;
	int cpu_node, mem_node;
	double per_page_ns;
};

/* The local/remote table of a NUMA sweep: per-page ns by node pair. */
static void numa_table(FILE *f, const struct numa_cell *cells, size_t n,
		       const struct gb_numa *numa)
{
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= cells[i].ok && cells[i].cpu_node >= 0;
	if (!any)
		return;
	if (numa->nr_nodes < 2)
		fprintf(f, "\nNUMA: a single node here: only node 0 was measured\n");
	fprintf(f, "\nNUMA matrix, median ns/page (rows: cpu node, columns: memory node)\n");
	for (size_t i = 0; i < n; i++) {
		const struct numa_cell *r = &cells[i];

		if (!r->ok || r->cpu_node < 0 || r->mem_node != numa->node_ids[0])
			continue;
		fprintf(f, "%s %s cpu%d:", gb_api_name(r->api), gb_mem_name(r->mem),
			r->cpu_node);
		for (size_t j = 0; j < n; j++) {
			const struct numa_cell *q = &cells[j];

			if (q->ok && q->cpu_node == r->cpu_node && q->api == r->api &&
			    q->mem == r->mem && q->mem_node >= 0)
				fprintf(f, "  mem%d %.2f%s", q->mem_node, q->per_page_ns,
					q->mem_node == q->cpu_node ? " (local)" : "");
		}
		fputc('\n', f);
	}
}

/* Why a case cannot run here, whichever backend measures it. */
static const char *unavailable(const struct gb_case *c, const struct gb_dev *dev,
			       const struct gb_numa *numa, char *buf, size_t len)
{
	if (c->backend == GB_BACKEND_SYSCALL)
		return gb_sys_case_unavailable(c, numa, buf, len);
	return gb_case_unavailable(c, dev, numa, buf, len);
}

/* One line per case of the preset, in the order matrix runs them. */
static int list_cases(const struct matrix_opts *mo)
{
	struct gb_case_list l;
	struct gb_numa numa;
	char err[GB_ERRLEN];

	if (gb_numa_init(&numa, err, sizeof(err))) {
		fprintf(stderr, "gupbench matrix: %s\n", err);
		return EXIT_MEASURE;
	}
	if (mo->backend == GB_BACKEND_SYSCALL ?
	    gb_sys_matrix_build(&l, mo->preset, mo->numa, &numa, mo->direct_path) :
	    gb_matrix_build(&l, mo->preset, mo->numa, &numa)) {
		fprintf(stderr, "gupbench matrix: out of memory\n");
		gb_numa_fini(&numa);
		return EXIT_MEASURE;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct gb_case *c = &l.v[i];
		char size[16], batch[24];

		gb_format_size(c->size, size, sizeof(size));
		if (c->batch)
			snprintf(batch, sizeof(batch), "b%llu",
				 (unsigned long long)c->batch);
		else
			snprintf(batch, sizeof(batch), "ball");
		printf("%s %s %s %s %s r%u%s%s%s%s%s%s%s", gb_api_name(c->api),
		       gb_mem_name(c->mem), size, batch,
		       c->write ? "w" : "r", c->repeat,
		       c->longterm ? " longterm" : "",
		       c->unpin_dirty ? " unpin-dirty" : "",
		       c->nofault ? " nofault" : "",
		       c->fast_only ? " fast-only" : "",
		       c->remote_locked ? " remote-locked" : "",
		       c->lock_outside ? " lock-outside" : "",
		       c->release == GUPBENCH_RELEASE_EACH_BATCH ?
		       " release-each" : c->release ? " release-per-call" : "");
		if (c->threads > 1)
			printf(" t%u%s", c->threads,
			       c->shared_buffer ? " shared" : "");
		if (c->cpu_node >= 0 || c->mem_node >= 0)
			printf(" cpu%d/mem%d", c->cpu_node, c->mem_node);
		putchar('\n');
	}
	fprintf(stderr, "%zu cases in the %s preset%s\n", l.n,
		gb_preset_name(mo->preset), mo->numa ? " with --numa" : "");
	gb_case_list_free(&l);
	gb_numa_fini(&numa);
	return 0;
}

static double mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "1m05s, ~3m20s left": elapsed, and the rest at the pace so far. */
static void progress_times(double started, size_t done, size_t total, char *buf,
		    size_t len)
{
	double el = mono_s() - started;
	double left = done ? el / (double)done * (double)(total - done) : NAN;

	if (isfinite(left))
		snprintf(buf, len, "%dm%02ds, ~%dm%02ds left", (int)el / 60,
			 (int)el % 60, (int)left / 60, (int)left % 60);
	else
		snprintf(buf, len, "%dm%02ds", (int)el / 60, (int)el % 60);
}

static int cmd_matrix(int argc, char **argv)
{
	struct gb_report reps[3];
	static const enum gb_format fmts[3] = { GB_FMT_JSON, GB_FMT_CSV, GB_FMT_TABLE };
	static const char *const names[3] = { "results.json", "results.csv", "summary.txt" };
	struct matrix_opts mo;
	struct gb_case_list l;
	struct numa_cell *cells;
	struct gb_result res;
	struct gb_numa numa;
	struct gb_dev dev;
	struct gb_env env;
	struct gb_meta m;
	char dir[4096], err[GB_ERRLEN];
	bool tty = show_progress();
	FILE *files[3] = { NULL, NULL, NULL };
	size_t failed = 0, skipped = 0, checks = 0, lost = 0;
	double started = mono_s();
	int ret = 0;

	if (parse_matrix(argc, argv, &mo))
		return EXIT_USAGE;
	if (mo.list)
		return list_cases(&mo);
	if (open_all(&dev, &numa, "matrix", mo.backend, mo.cpus))
		return EXIT_MEASURE;
	if (mo.backend == GB_BACKEND_SYSCALL ?
	    gb_sys_matrix_build(&l, mo.preset, mo.numa, &numa, mo.direct_path) :
	    gb_matrix_build(&l, mo.preset, mo.numa, &numa)) {
		fprintf(stderr, "gupbench matrix: out of memory\n");
		return EXIT_MEASURE;
	}
	if (mo.numa && numa.nr_nodes < 2)
		fprintf(stderr, "gupbench matrix: --numa: this machine has a single NUMA node; running node 0 only\n");
	if (mo.out)
		snprintf(dir, sizeof(dir), "%s", mo.out);
	else
		default_out_dir(dir, sizeof(dir));
	if (mkdir_p(dir)) {
		fprintf(stderr, "gupbench matrix: --out %s: %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	gb_meta_collect(&m, &dev, &numa, argc + 1, argv - 1);
	if (mo.anonymize)
		gb_meta_anonymize(&m);
	for (int i = 0; i < 3; i++) {
		files[i] = open_in(dir, names[i]);
		if (!files[i]) {
			fprintf(stderr, "gupbench matrix: %s/%s: %s\n", dir, names[i],
				strerror(errno));
			return EXIT_USAGE;
		}
		gb_report_begin(&reps[i], files[i], fmts[i], &m);
	}
	cells = calloc(l.n, sizeof(*cells));
	env = (struct gb_env){ .dev = dev.fd >= 0 ? &dev : NULL, .numa = &numa,
			       .count_instructions = dev_counts_instructions(&dev),
			       .drop_scheduled = mo.drop_scheduled,
			       .max_samples = mo.max_samples,
			       .reserve_hugetlb = mo.reserve_hugetlb,
			       .measure_noop = true };
	for (size_t i = 0; i < l.n && cells; i++) {
		const struct gb_case *c = &l.v[i];
		char why[GB_ERRLEN], size[16];

		gb_format_size(c->size, size, sizeof(size));
		if (tty) {
			char eta[48];

			progress_times(started, i, l.n, eta, sizeof(eta));
			fprintf(stderr, "\r[%zu/%zu %s] %-24s %-8s %5s batch %-4llu %s\033[K",
				i + 1, l.n, eta, gb_api_name(c->api), gb_mem_name(c->mem),
				size, (unsigned long long)c->batch,
				c->write ? "write" : "read");
		}
		if (!mo.reserve_hugetlb &&
		    unavailable(c, &dev, &numa, why, sizeof(why))) {
			skipped++;
			fprintf(files[2], "# skipped %s %s %s: %s\n",
				gb_api_name(c->api), gb_mem_name(c->mem), size, why);
			continue;
		}
		if (gb_run_case(&env, c, &res, err, sizeof(err))) {
			gb_result_free(&res);
			if (mo.reserve_hugetlb &&
			    unavailable(c, &dev, &numa, why, sizeof(why))) {
				skipped++;
				fprintf(files[2], "# skipped %s %s %s: %s\n",
					gb_api_name(c->api), gb_mem_name(c->mem), size, why);
				continue;
			}
			failed++;
			fprintf(stderr, "%sgupbench matrix: %s\n", tty ? "\n" : "", err);
			fprintf(files[2], "# FAILED %s %s %s: %s\n",
				gb_api_name(c->api), gb_mem_name(c->mem), size, err);
			continue;
		}
		if (check_result(&res, "matrix"))
			checks++;
		if (gb_samples_wanted(mo.save_samples, c) &&
		    gb_samples_save(dir, &res, err, sizeof(err)))
			fprintf(stderr, "%sgupbench matrix: --save-samples: %s\n",
				tty ? "\n" : "", err);
		for (int f = 0; f < 3; f++)
			gb_report_result(&reps[f], &res);
		cells[i] = (struct numa_cell){ true, c->api, c->mem, c->cpu_node,
					       c->mem_node, res.per_page_ns.p50 };
		gb_result_free(&res);
	}
	if (tty)
		fputc('\n', stderr);
	if (cells)
		numa_table(files[2], cells, l.n, &numa);
	fprintf(files[2], "# %zu cases: %zu measured, %zu skipped, %zu failed, %zu failed checks\n",
		l.n, l.n - skipped - failed, skipped, failed, checks);
	peak_rss(files[2], &l);
	for (int i = 0; i < 3; i++) {
		char what[4200];

		gb_report_end(&reps[i]);
		snprintf(what, sizeof(what), "%s/%s", dir, names[i]);
		if (close_out(files[i], what, "matrix"))
			lost++;
	}
	free(cells);
	fprintf(stderr, "gupbench matrix: results in %s\n", dir);
	if (failed || lost)
		ret = EXIT_MEASURE;
	else if (checks)
		ret = EXIT_CHECK;
	gb_case_list_free(&l);
	gb_dev_close(&dev);
	gb_numa_fini(&numa);
	return ret;
}

static int cmd_info(int argc, char **argv)
{
	enum gb_format fmt = GB_FMT_TABLE;
	struct gb_numa numa;
	struct gb_dev dev;
	struct gb_meta m;
	char err[GB_ERRLEN], why[GB_ERRLEN];
	const char *no;
	bool have_dev;

	if (argc == 3 && !strcmp(argv[1], "--format") &&
	    !gb_format_from_name(argv[2], &fmt) && fmt != GB_FMT_CSV) {
		/* accepted */
	} else if (argc != 1) {
		fprintf(stderr, "gupbench info: usage: gupbench info [--format table|json]\n");
		return EXIT_USAGE;
	}
	if (gb_numa_init(&numa, err, sizeof(err))) {
		fprintf(stderr, "gupbench info: %s\n", err);
		return EXIT_MEASURE;
	}
	have_dev = !gb_dev_open(&dev, err, sizeof(err));
	gb_meta_collect(&m, have_dev ? &dev : NULL, &numa, argc + 1, argv - 1);
	if (fmt == GB_FMT_JSON) {
		struct gbj_writer w;

		gbj_init(&w, stdout);
		gbj_obj_open(&w, NULL);
		gb_meta_json(&w, &m);
		gbj_obj_open(&w, "module");
		gbj_bool(&w, "loaded", have_dev);
		if (have_dev) {
			gbj_u64(&w, "abi_version", dev.caps.abi_version);
			gbj_str(&w, "version", dev.caps.module_version);
			gbj_str(&w, "built_for", dev.caps.kernel_release);
			gbj_u64(&w, "max_len", dev.caps.max_len);
			gbj_u64(&w, "page_size", dev.caps.page_size);
			gbj_arr_open(&w, "apis");
			for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
				if (dev.caps.apis & (1ULL << a))
					gbj_str(&w, NULL, gb_api_name(a));
			gbj_arr_close(&w);
			gbj_u64(&w, "flags", dev.caps.flags);
			gbj_u64(&w, "window_pages", dev.caps.window_pages);
			gbj_str(&w, "instructions_unavailable",
				gb_dev_instr_unavailable(&dev, why, sizeof(why)));
		} else {
			gbj_str(&w, "error", err);
		}
		gbj_obj_close(&w);
		gbj_obj_close(&w);
	} else {
		gb_meta_print(stdout, &m);
		if (have_dev) {
			printf("module:         max_len %llu bytes, page size %u, flags 0x%llx\n",
			       (unsigned long long)dev.caps.max_len, dev.caps.page_size,
			       (unsigned long long)dev.caps.flags);
			printf("apis:          ");
			for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
				if (dev.caps.apis & (1ULL << a))
					printf(" %s", gb_api_name(a));
			printf("\n");
			no = gb_dev_instr_unavailable(&dev, why, sizeof(why));
			printf("instructions:   %s\n", no ? no :
			       "counted by the module (the CPU's retired-instruction counter)");
		} else {
			printf("module:         not usable: %s\n", err);
		}
	}
	if (have_dev)
		gb_dev_close(&dev);
	gb_numa_fini(&numa);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "matrix"))
		return cmd_matrix(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return gb_cmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "plot"))
		return gb_cmd_plot(argc - 1, argv + 1);
	if (!strcmp(cmd, "dump"))
		return gb_cmd_dump(argc - 1, argv + 1);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		struct gb_meta m;

		gb_meta_collect(&m, NULL, NULL, 0, NULL);
		printf("gupbench %s (ABI %d)\n", m.tool_version, GUPBENCH_ABI_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "gupbench: '%s': unknown command\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
