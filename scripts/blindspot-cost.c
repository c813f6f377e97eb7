// SPDX-License-Identifier: GPL-2.0
/*
 * What the blind-spot canary (kernel-patches/canary-blindspot) costs on
 * real hardware, measured in userspace where no module loads: per 64-byte
 * slot (a struct page), a reference-count atomic alone, and the same after
 * a clflush of its line, as the canary does in gup_fast_pte_range().
 *   cc -O2 -o blindspot-cost scripts/blindspot-cost.c && ./blindspot-cost
 * docs/PERFORMANCE.md quotes its output.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLOTS (1u << 14)	/* 64 MiB of base pages: 16384 struct pages */
#define ROUNDS 50

struct slot {
	long refcount;
	char rest[56];
};

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double per_slot(struct slot *s, int flush)
{
	double best = 1e30;

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_ns(), t;

		for (unsigned int i = 0; i < SLOTS; i++) {
			if (flush)
				__asm__ volatile("clflush %0" : "+m"(s[i].refcount));
			__atomic_fetch_add(&s[i].refcount, 1, __ATOMIC_SEQ_CST);
		}
		t = (now_ns() - t0) / SLOTS;
		if (t < best)
			best = t;
	}
	return best;
}

int main(void)
{
	struct slot *s = aligned_alloc(64, SLOTS * sizeof(*s));
	double plain, flushed;

	if (!s) {
		perror("blindspot-cost: aligned_alloc");
		return 1;
	}
	for (unsigned int i = 0; i < SLOTS; i++)
		s[i].refcount = 1;
	plain = per_slot(s, 0);
	flushed = per_slot(s, 1);
	printf("atomic per slot: %.2f ns; clflush + atomic: %.2f ns; %.1fx (best of %d rounds of %u slots)\n",
	       plain, flushed, flushed / plain, ROUNDS, SLOTS);
	free(s);
	return 0;
}
