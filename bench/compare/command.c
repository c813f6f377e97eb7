// SPDX-License-Identifier: GPL-2.0
/*
 * `gupbench compare [options] A B [A2 B2]`: options, loading the two
 * sides, the format asked for, the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "output.h"

void gb_cmp_print(FILE *f, const struct gb_cmp *cmp)
{
	switch (cmp->o.format) {
	case GB_CMP_TABLE: cmp_print_table(f, cmp); break;
	case GB_CMP_MD: cmp_print_md(f, cmp); break;
	case GB_CMP_JSON: cmp_print_json(f, cmp); break;
	}
}

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench compare [options] A B [A2 B2]\n"
		"  A, B: a results.json, a gupbench matrix output directory, or a\n"
		"        directory of such run directories (pooled: one run per boot);\n"
		"        every case is compared twice: taking pages (get) and releasing\n"
		"        them (put, where it is timed)\n"
		"  A2 B2: a second pair shown beside the first, case by case (make ab:\n"
		"        the instruction clock, then the time clock); the exit status\n"
		"        is the first pair's\n"
		"  Results of different clocks (meta.clock) are never compared.\n"
		"  --format table|md|json  output (default table)\n"
		"  --threshold PCT         slower/faster only when the whole interval lies\n"
		"                          beyond PCT percent (default 5 on the time clock,\n"
		"                          0.5 on the instruction clock)\n"
		"  --method bootstrap|hl   interval of median(B)/median(A): bootstrap over\n"
		"                          runs and repeats (default), or Hodges-Lehmann\n"
		"                          with the exact Mann-Whitney interval\n"
		"  --confidence PCT        of the intervals (default 95)\n"
		"  --fdr Q                 hold the false discovery rate of \"slower\" rows\n"
		"                          at Q percent (Benjamini-Hochberg over the rows'\n"
		"                          bootstrap p-values); default: report how many\n"
		"                          rows would be called slower by chance\n"
		"  --allow-single-run      judge time-clock rows with one run a side (by\n"
		"                          default they are inconclusive: single runs\n"
		"                          flagged 16-22%% of A/A rows, docs/PERFORMANCE.md)\n"
		"  --seed N                bootstrap seed (default 1): same seed, same result\n"
		"  --resamples N           bootstrap resamples (default 10000)\n"
		"  --out FILE              write there instead of stdout\n"
		"verdicts: slower, faster (the whole interval beyond the threshold),\n"
		"  equivalent (the whole interval inside it), inconclusive (anything else,\n"
		"  too little data included); equivalent and inconclusive rows say the\n"
		"  smallest change the data would have flagged\n"
		"exit status: 0 no regression, 1 a regression, 2 bad input, no case\n"
		"  matched, or cases on one side only (listed)\n");
}

static int parse_pct(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v >= 100)
		return -1;
	*out = v / 100;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct gb_cmp_opts *o,
		      const char **out, const char *pv[4])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "threshold", required_argument, NULL, 't' },
		{ "method", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "resamples", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "fdr", required_argument, NULL, 'q' },
		{ "allow-single-run", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t n;
	double x;
	int opt;

	gb_cmp_defaults(o);
	*out = NULL;
	optind = 0;	/* 0: a full restart, with argument permutation */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "table"))
				o->format = GB_CMP_TABLE;
			else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
				o->format = GB_CMP_MD;
			else if (!strcmp(optarg, "json"))
				o->format = GB_CMP_JSON;
			else {
				fprintf(stderr, "gupbench compare: --format '%s': use table, md or json\n",
					optarg);
				return -1;
			}
			break;
		case 't':
			o->threshold_given = true;
			if (parse_pct(optarg, &o->threshold)) {
				fprintf(stderr, "gupbench compare: --threshold '%s': use a percentage from 0 to 100, e.g. 5 or 2.5%%\n",
					optarg);
				return -1;
			}
			break;
		case 'm':
			if (!strcmp(optarg, "bootstrap"))
				o->method = GB_CMP_BOOTSTRAP;
			else if (!strcmp(optarg, "hl"))
				o->method = GB_CMP_HL;
			else {
				fprintf(stderr, "gupbench compare: --method '%s': use bootstrap or hl\n",
					optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &o->seed)) {
				fprintf(stderr, "gupbench compare: --seed '%s': use a non-negative integer\n",
					optarg);
				return -1;
			}
			break;
		case 'r':
			if (parse_u64(optarg, 10000000, &n) || n < 100) {
				fprintf(stderr, "gupbench compare: --resamples '%s': use a count from 100 to 10000000\n",
					optarg);
				return -1;
			}
			o->resamples = (unsigned int)n;
			break;
		case 'o': *out = optarg; break;
		case 'c':
			if (parse_pct(optarg, &x) || x < 0.5 || x >= 1) {
				fprintf(stderr, "gupbench compare: --confidence '%s': use a percentage from 50 to below 100, e.g. 95 or 99\n",
					optarg);
				return -1;
			}
			o->confidence = x;
			break;
		case 'q':
			if (parse_pct(optarg, &x) || x <= 0 || x >= 1) {
				fprintf(stderr, "gupbench compare: --fdr '%s': use a false discovery rate in percent above 0 and below 100, e.g. 5\n",
					optarg);
				return -1;
			}
			o->fdr = x;
			break;
		case '1': o->allow_single_run = true; break;
		case 'h': compare_usage(stdout); return 1;
		default:
			fprintf(stderr, "gupbench compare: %s: unknown option or missing value (see gupbench compare --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != 2 && argc - optind != 4) {
		fprintf(stderr, "gupbench compare: give two results, A (before) and B (after), or two such pairs to show side by side; see gupbench compare --help\n");
		return -1;
	}
	if (o->fdr > 0 && o->method != GB_CMP_BOOTSTRAP) {
		fprintf(stderr, "gupbench compare: --fdr needs the bootstrap's p-values: drop --method hl\n");
		return -1;
	}
	if (argc - optind == 4 && o->format != GB_CMP_TABLE) {
		fprintf(stderr, "gupbench compare: two pairs are shown side by side as a table only: drop --format, or compare each pair alone\n");
		return -1;
	}
	pv[0] = argv[optind];
	pv[1] = argv[optind + 1];
	pv[2] = argc - optind == 4 ? argv[optind + 2] : NULL;
	pv[3] = argc - optind == 4 ? argv[optind + 3] : NULL;
	return 0;
}

int gb_cmd_compare(int argc, char **argv)
{
	const char *out_path, *pv[4];
	struct gb_rset set[4];
	struct gb_cmp_opts o;
	struct gb_cmp cmp[2];
	char err[4600];
	FILE *out = stdout;
	size_t nsets = 0, ncmp = 0;
	int ret;

	ret = parse_args(argc, argv, &o, &out_path, pv);
	if (ret)
		return ret > 0 ? GB_CMP_OK : GB_CMP_BAD_INPUT;
	ret = GB_CMP_BAD_INPUT;
	for (; nsets < 4 && pv[nsets]; nsets++) {
		if (gb_rset_load(&set[nsets], pv[nsets], err, sizeof(err))) {
			fprintf(stderr, "gupbench compare: %s%s: %s\n",
				nsets > 1 ? "2nd pair, " : "",
				nsets % 2 ? "B" : "A", err);
			goto out;
		}
	}
	for (; ncmp < nsets / 2; ncmp++) {
		if (gb_cmp_run(&cmp[ncmp], &set[2 * ncmp], &set[2 * ncmp + 1],
			       &o, err, sizeof(err))) {
			fprintf(stderr, "gupbench compare: %s\n", err);
			goto out;
		}
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		fprintf(stderr, "gupbench compare: --out %s: %s\n", out_path,
			strerror(errno));
		goto out;
	}
	/* the report may go to a file: the warnings are for the reader too */
	for (size_t i = 0; i < cmp[0].nwarn && (out != stdout || o.format == GB_CMP_JSON); i++)
		fprintf(stderr, "gupbench compare: warning: %s\n", cmp[0].warnings[i]);
	if (ncmp == 2)
		gb_cmp_print_beside(out, &cmp[0], &cmp[1]);
	else
		gb_cmp_print(out, &cmp[0]);
	if (out != stdout && fclose(out)) {
		fprintf(stderr, "gupbench compare: --out %s: %s\n", out_path,
			strerror(errno));
		goto out;
	}
	/* the first pair's verdict: make ab puts the instruction clock there */
	ret = cmp[0].nslower ? GB_CMP_REGRESSION : GB_CMP_OK;
	for (size_t c = 0; c < ncmp; c++) {
		/* a comparison that left cases out is no comparison to pass */
		if (!cmp[c].nrows) {
			fprintf(stderr, "gupbench compare: %sno case of A matches a case of B: compare results of the same preset\n",
				ncmp > 1 ? (c ? "2nd pair: " : "1st pair: ") : "");
			ret = GB_CMP_BAD_INPUT;
		}
		for (size_t i = 0; i < cmp[c].nonly_a; i++)
			fprintf(stderr, "gupbench compare: only in A, not compared: %s\n",
				cmp[c].only_a[i]->label);
		for (size_t i = 0; i < cmp[c].nonly_b; i++)
			fprintf(stderr, "gupbench compare: only in B, not compared: %s\n",
				cmp[c].only_b[i]->label);
		if (cmp[c].nonly_a || cmp[c].nonly_b)
			ret = GB_CMP_BAD_INPUT;
	}
out:
	while (ncmp)
		gb_cmp_free(&cmp[--ncmp]);
	while (nsets)
		gb_rset_free(&set[--nsets]);
	return ret;
}
