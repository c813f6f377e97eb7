/* SPDX-License-Identifier: GPL-2.0 */
/* The command line of `gupbench run`: sizes, counts, output, run options. */
#ifndef GB_OPTIONS_H
#define GB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"

enum gb_format { GB_FMT_TABLE, GB_FMT_CSV, GB_FMT_JSON };

/* Everything `gupbench run` was told. */
struct gb_opts {
	struct gb_case c;
	enum gb_format format;
	const char *out;		/* NULL: stdout */
	uint64_t max_samples;		/* per-call samples kept per case */
	bool reserve_hugetlb;
	bool anonymize;			/* drop what names the machine */
	const char *cpus;		/* --cpus LIST, or NULL */
	bool drop_scheduled;		/* --drop-scheduled */
	bool rw_given;			/* --read or --write was given */
};

#define GB_ERRLEN 512
/* Per-call samples kept per case unless --max-samples says otherwise. */
#define GB_DEFAULT_MAX_SAMPLES (1u << 18)

int gb_parse_size(const char *s, uint64_t *out);
int gb_parse_count(const char *s, uint64_t max, uint64_t *out);
int gb_parse_node(const char *s, int *out);
int gb_format_from_name(const char *s, enum gb_format *f);

/* argv[0] is "run"; on error returns -1 with a one-line message in err. */
int gb_parse_run(int argc, char **argv, struct gb_opts *o,
		 char *err, size_t errlen);
void gb_run_usage(FILE *f);

#endif
