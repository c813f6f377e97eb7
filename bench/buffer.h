/* SPDX-License-Identifier: GPL-2.0 */
/* The user buffers GUP is measured on, one per memory kind. */
#ifndef GB_BUFFER_H
#define GB_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"

struct gb_buffer {
	void *addr;			/* aligned start, what GUP sees */
	size_t len;
	void *map;			/* what to munmap */
	size_t map_len;
	enum gb_mem_kind kind;
	int fd;				/* memfd or file, else -1 */
	const char *unlink_path;	/* a file we created, removed at the end */
};

/* Map it (not touched yet); -1 with a message naming the fix. */
int gb_buffer_create(struct gb_buffer *b, const struct gb_case *c,
		     char *err, size_t errlen);
/* Touch every page (by writing), so GUP finds them present. */
void gb_buffer_prefault(const struct gb_buffer *b);
/* Empty it again, for --no-prefault: the next GUP faults everything in. */
int gb_buffer_drop(const struct gb_buffer *b);
void gb_buffer_destroy(struct gb_buffer *b);
/* Bytes of the range mapped huge according to /proc/self/smaps. */
uint64_t gb_buffer_huge_bytes(const struct gb_buffer *b);

/* THP availability: 0 when usable, -1 with a message. */
int gb_thp_usable(char *err, size_t errlen);
/* Free huge pages of one size (kB), optionally of one node (-1: all). */
long gb_hugetlb_free(unsigned long kb, int node);
/* Make sure @need pages of @kb are free, raising nr_hugepages (root). */
int gb_hugetlb_reserve(unsigned long kb, long need, int node,
		       char *err, size_t errlen);

#endif
