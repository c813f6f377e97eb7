/* SPDX-License-Identifier: GPL-2.0 */
/* The cases `gupbench matrix --backend syscall` runs, and what skips them. */
#ifndef GB_BACKEND_MATRIX_H
#define GB_BACKEND_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "matrix.h"
#include "numa.h"

/*
 * Fills @l with the syscall preset's cases (the module presets' axes where
 * they mean something for a system call); @numa_pairs adds every (cpu,
 * mem) node pair; @direct_path is where odirect_read cases read.
 */
int gb_sys_matrix_build(struct gb_case_list *l, enum gb_preset p,
			bool numa_pairs, const struct gb_numa *numa,
			const char *direct_path);
/* Why a syscall case cannot run on this machine, or NULL when it can. */
const char *gb_sys_case_unavailable(const struct gb_case *c,
				    const struct gb_numa *numa, char *buf,
				    size_t len);

#endif
