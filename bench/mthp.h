/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-size anonymous THP controls (Linux 6.8+,
 * /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled): a case of
 * memory kind thp:<size> gets its size alone for the time it runs, and
 * every control is put back afterwards.
 */
#ifndef GB_MTHP_H
#define GB_MTHP_H

#include <stddef.h>

#define GB_MTHP_MAX 16		/* sizes a kernel may offer (x86-64: 8) */

struct gb_mthp_saved {
	unsigned int n;
	unsigned long kb[GB_MTHP_MAX];
	char mode[GB_MTHP_MAX][16];	/* "always", "inherit", ... */
};

/* Does this kernel offer anonymous THP of @kb?  -1 with a message. */
int gb_mthp_available(unsigned long kb, char *err, size_t errlen);
/*
 * Make @kb the one size anonymous faults may use in MADV_HUGEPAGE memory
 * (madvise for it, never for the others); what was there goes to @saved.
 * Writes nothing that is already so.  -1 with a message naming the fix.
 */
int gb_mthp_select(unsigned long kb, struct gb_mthp_saved *saved,
		   char *err, size_t errlen);
/* Put back what gb_mthp_select found. */
void gb_mthp_restore(const struct gb_mthp_saved *saved);

#endif
