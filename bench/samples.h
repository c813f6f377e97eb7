/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-call latency samples on disk, for CDF plots: `gupbench matrix
 * --save-samples APIS` writes DIR/samples/<stem>.<mem>.dat per measured
 * case of those APIs; one case's memory kinds share the stem.
 */
#ifndef GB_SAMPLES_H
#define GB_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>

#include "runner.h"

#define GB_SAMPLES_DIR "samples"

/* "pin_user_pages_fast-16M-b512-r" (+ "-t2s", "-c0m1", "-lt", ...). */
void gb_samples_stem(const struct gb_case *c, char *buf, size_t len);
/* "all", or API names separated by commas: 0, or -1 naming the bad one. */
int gb_samples_check_filter(const char *filter, char *err, size_t errlen);
bool gb_samples_wanted(const char *filter, const struct gb_case *c);
/*
 * DIR/samples/<stem>.<mem>.dat: a "#" header (what, case, fields) and
 * the kept per-call get latencies in ns, one per line, thread after
 * thread, repeat after repeat, in call order.  0, or -1 with a message.
 */
int gb_samples_save(const char *dir, const struct gb_result *r, char *err,
		    size_t errlen);

#endif
