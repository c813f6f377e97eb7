/* SPDX-License-Identifier: GPL-2.0 */
/* Presets: the sets of cases `gupbench matrix` runs. */
#ifndef GB_MATRIX_H
#define GB_MATRIX_H

#include <stddef.h>

#include "device.h"
#include "numa.h"
#include "options.h"

enum gb_preset { GB_PRESET_QUICK, GB_PRESET_STANDARD, GB_PRESET_FULL };

struct gb_case_list {
	struct gb_case *v;
	size_t n, cap;
};

int gb_preset_from_name(const char *s, enum gb_preset *p);
const char *gb_preset_name(enum gb_preset p);
/* Fills @l with the preset's cases; @numa adds every (cpu, mem) node pair. */
int gb_matrix_build(struct gb_case_list *l, enum gb_preset p, bool numa_pairs,
		    const struct gb_numa *numa);
void gb_case_list_free(struct gb_case_list *l);
/* Append a copy of @c; -1 when out of memory. */
int gb_case_list_add(struct gb_case_list *l, const struct gb_case *c);
/*
 * The sweeps every backend's presets are made of.  A backend names its
 * APIs, and @fit makes each case its own (a syscall fixes direction and
 * pin kind) or refuses it (returns false: left out).  NULL: as is.
 */
typedef bool (*gb_case_fit)(struct gb_case *c);
struct gb_sweep {
	const unsigned int *apis;
	size_t napis;
	bool both_directions;		/* each case read, then write */
	gb_case_fit fit;
};
/* The main sweep of @p: memory kinds x sizes x batches (x directions) x APIs. */
int gb_sweep_preset(struct gb_case_list *l, const struct gb_case *base,
		    enum gb_preset p, const struct gb_sweep *sw);
/* 2 and 4 threads, each on its own 64 MiB buffer, then on one. */
int gb_sweep_threads(struct gb_case_list *l, const struct gb_case *base,
		     const struct gb_sweep *sw);
/* Every (CPU node, memory node) pair, base and THP, 64 MiB. */
int gb_sweep_numa(struct gb_case_list *l, const struct gb_case *base,
		  const struct gb_numa *numa, const struct gb_sweep *sw);
/* Adds @c after @fit; 0 also when @fit leaves it out, -1 out of memory. */
int gb_sweep_add(struct gb_case_list *l, const struct gb_case *c,
		 gb_case_fit fit);

/* Why a case cannot run on this machine, or NULL when it can. */
const char *gb_case_unavailable(const struct gb_case *c,
				const struct gb_dev *dev,
				const struct gb_numa *numa, char *buf,
				size_t len);

#endif
