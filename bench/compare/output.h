/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by compare's output formats (table.c, markdown.c, json.c):
 * the texts every format words the same way.
 */
#ifndef GB_COMPARE_OUTPUT_H
#define GB_COMPARE_OUTPUT_H

#include <stdio.h>

#include "compare.h"

const char *cmp_kernel_of(const struct gb_rset *s);	/* "?" if unknown */
/* The interval's method, one sentence. */
const char *cmp_method_text(const struct gb_cmp_opts *o, char *buf,
			    size_t len);
/* The ratio shown: the Hodges-Lehmann estimate with --method hl. */
double cmp_row_est(const struct gb_cmp_opts *o, const struct gb_cmp_row *r);
/* ">=7.3%": a change this data would have flagged; "-" with a verdict. */
void cmp_mde_text(const struct gb_cmp_row *r, char *buf, size_t len);
/* The statistic compared: "min" on the instruction clock, else "median". */
const char *cmp_stat_name(const struct gb_cmp *cmp);
/* "[0.981, 1.020]" or "[unbounded]". */
void cmp_interval_text(const struct gb_ci *ci, char *buf, size_t len);
/* The counts of each verdict and the expected false "slower" rows. */
void cmp_summary_text(const struct gb_cmp *cmp, char *buf, size_t len);
int cmp_label_width(const struct gb_cmp *cmp);	/* the longest label */

void cmp_print_table(FILE *f, const struct gb_cmp *cmp);
void cmp_print_md(FILE *f, const struct gb_cmp *cmp);
void cmp_print_json(FILE *f, const struct gb_cmp *cmp);

#endif
