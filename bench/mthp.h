/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-size THP controls under /sys/kernel/mm/transparent_hugepage/
 * hugepages-<N>kB/: enabled for anonymous memory (Linux 6.8+),
 * shmem_enabled for shmem (6.11+).  A case of memory kind thp:<size> or
 * shmem:<size> gets its size alone for the time it runs, and every control
 * of that kind is put back afterwards.
 */
#ifndef GB_MTHP_H
#define GB_MTHP_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

#define GB_MTHP_MAX 16		/* sizes a kernel may offer (x86-64: 8) */

struct gb_mthp_saved {
	bool shmem;			/* shmem_enabled, else enabled */
	unsigned int n;
	unsigned long kb[GB_MTHP_MAX];
	char mode[GB_MTHP_MAX][16];	/* "always", "inherit", ... */
	char path[GB_MTHP_MAX][96];	/* for the signal handler */
};

/* Does this kernel offer folios of @kind's size for it?  -1 with a message. */
int gb_mthp_available(enum gb_mem_kind kind, char *err, size_t errlen);
/*
 * Make @kind's size the one its faults may use in MADV_HUGEPAGE memory
 * (madvise, for shmem advise; never for every other size); what was there
 * goes to @saved.  Writes nothing that is already so.  -1 with a message
 * naming the fix.
 */
int gb_mthp_select(enum gb_mem_kind kind, struct gb_mthp_saved *saved,
		   char *err, size_t errlen);
/*
 * Put back what gb_mthp_select found.  Until then SIGINT, SIGTERM and
 * SIGHUP put it back too before they end the process.
 */
void gb_mthp_restore(const struct gb_mthp_saved *saved);

#endif
