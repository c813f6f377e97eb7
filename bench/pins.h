/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's FOLL_PIN accounting: /proc/vmstat and per-node counters. */
#ifndef GB_PINS_H
#define GB_PINS_H

#include <stdbool.h>
#include <stdint.h>

#include "numa.h"

struct gb_pins {
	bool valid;
	uint64_t acquired, released;		/* /proc/vmstat */
	uint64_t node_acq[GB_MAX_NODES];	/* nodeN/vmstat */
	uint64_t node_rel[GB_MAX_NODES];
	bool node_valid[GB_MAX_NODES];
};

/* Folds the per-CPU deltas first (vm/stat_refresh, root), then reads. */
void gb_pins_read(struct gb_pins *p);
/* after - before, per counter. */
void gb_pins_delta(const struct gb_pins *before, const struct gb_pins *after,
		   struct gb_pins *delta);

#endif
