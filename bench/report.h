/* SPDX-License-Identifier: GPL-2.0 */
/* Writing results: an aligned table, CSV, or JSON with metadata. */
#ifndef GB_REPORT_H
#define GB_REPORT_H

#include <stdio.h>

#include "json.h"
#include "meta.h"
#include "options.h"
#include "runner.h"

struct gb_report {
	FILE *f;
	enum gb_format fmt;
	struct gbj_writer jw;
	unsigned int rows;
};

void gb_report_begin(struct gb_report *rp, FILE *f, enum gb_format fmt,
		     const struct gb_meta *m);
void gb_report_result(struct gb_report *rp, const struct gb_result *r);
void gb_report_end(struct gb_report *rp);

#endif
