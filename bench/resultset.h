/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results read back: one results.json, a matrix output directory, or a
 * directory of such runs (one per boot), pooled case by case.  Cases are
 * identified by their parameters (a canonical key), never by position.
 */
#ifndef GB_RESULTSET_H
#define GB_RESULTSET_H

#include <stddef.h>

#include "json.h"

#define GB_KEY_LEN 512
#define GB_LABEL_LEN 192

/*
 * One case and phase (taking or releasing), its per-repeat totals from
 * every run that measured it.
 */
struct gb_rcase {
	const struct gbj_val *res;	/* its object in the first such run */
	char key[GB_KEY_LEN];
	char label[GB_LABEL_LEN];
	double pages;			/* 4 KiB pages per thread */
	bool put;			/* the release phase (put_ns_total) */
	double *v;			/* the phase's totals, run after run */
	size_t *start;			/* run r: v[start[r] .. start[r + 1]) */
	size_t nv, nruns;		/* runs that measured it */
	size_t last_run;		/* while loading */
};

struct gb_rset {
	char path[4096];		/* as given */
	size_t nruns;
	char **run_paths;		/* the results.json of each run */
	struct gbj_val **docs;
	const struct gbj_val *meta;	/* the first run's */
	struct gb_rcase *cases;
	size_t ncases;
};

/*
 * path: a results.json, a directory with one, or a directory whose
 * subdirectories (sorted by name) each hold one.  0, or -1 with a message
 * naming the file and what to do.  Runs of one set must agree on
 * meta.module_abi and meta.units.
 */
int gb_rset_load(struct gb_rset *s, const char *path, char *err,
		 size_t errlen);
void gb_rset_free(struct gb_rset *s);
const struct gb_rcase *gb_rset_find(const struct gb_rset *s, const char *key);

/* The parameter fields that identify a case, in key order. */
extern const char *const gb_case_params[];

/* "api=...;mem=...;..." from a results[] object; "-" for a missing field. */
void gb_case_key(const struct gbj_val *res, char *buf, size_t len);
/* "pin_user_pages_fast thp 16M b512 w", with what differs from the
 * defaults appended (" t4 shared", " cpu0/mem1", " longterm", ...). */
void gb_case_label(const struct gbj_val *res, char *buf, size_t len);
/* The preset named by meta.command_line ("quick", ...), or "custom". */
void gb_meta_preset(const struct gbj_val *meta, char *buf, size_t len);

/* Reads a whole file; NULL with a message in err. */
char *gb_slurp(const char *path, char *err, size_t errlen);

#endif
