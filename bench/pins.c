// SPDX-License-Identifier: GPL-2.0
/* The kernel's FOLL_PIN accounting: /proc/vmstat and per-node counters. */
#include <stdio.h>
#include <string.h>

#include "pins.h"

/*
 * Without the fold (it needs root) per-CPU deltas are missing from
 * /proc/vmstat and the counters look unbalanced when they are not: then
 * they are reported as not valid rather than as a leak.
 */
static bool stat_refresh(void)
{
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "w");

	if (!f)
		return false;
	if (fputs("1\n", f) < 0) {
		fclose(f);
		return false;
	}
	return fclose(f) == 0;
}

void gb_pins_read(struct gb_pins *p)
{
	unsigned long long v;
	char key[64];
	int found = 0;
	FILE *f;

	bool folded;

	memset(p, 0, sizeof(*p));
	folded = stat_refresh();
	f = fopen("/proc/vmstat", "r");
	if (f) {
		while (fscanf(f, "%63s %llu", key, &v) == 2) {
			if (!strcmp(key, "nr_foll_pin_acquired")) {
				p->acquired = v;
				found++;
			} else if (!strcmp(key, "nr_foll_pin_released")) {
				p->released = v;
				found++;
			}
		}
		fclose(f);
	}
	p->valid = found == 2 && folded;
	for (int n = 0; n < GB_MAX_NODES; n++)
		p->node_valid[n] = folded &&
				   !gb_numa_node_pins(n, &p->node_acq[n],
						      &p->node_rel[n]);
}

void gb_pins_delta(const struct gb_pins *before, const struct gb_pins *after,
		   struct gb_pins *delta)
{
	memset(delta, 0, sizeof(*delta));
	delta->valid = before->valid && after->valid;
	delta->acquired = after->acquired - before->acquired;
	delta->released = after->released - before->released;
	for (int n = 0; n < GB_MAX_NODES; n++) {
		delta->node_valid[n] = before->node_valid[n] &&
				       after->node_valid[n];
		delta->node_acq[n] = after->node_acq[n] - before->node_acq[n];
		delta->node_rel[n] = after->node_rel[n] - before->node_rel[n];
	}
}
