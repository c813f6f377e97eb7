// SPDX-License-Identifier: GPL-2.0
/* Presets: the sets of cases `gupbench matrix` runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gupbench.h>
#include "buffer.h"
#include "matrix.h"
#include "mthp.h"

#define MIB (UINT64_C(1) << 20)

static const char *const preset_names[] = { "quick", "standard", "full" };

int gb_preset_from_name(const char *s, enum gb_preset *p)
{
	for (int i = 0; i < 3; i++) {
		if (!strcmp(s, preset_names[i])) {
			*p = (enum gb_preset)i;
			return 0;
		}
	}
	return -1;
}

const char *gb_preset_name(enum gb_preset p)
{
	return preset_names[p];
}

int gb_case_list_add(struct gb_case_list *l, const struct gb_case *c)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct gb_case *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

int gb_sweep_add(struct gb_case_list *l, const struct gb_case *c,
		 gb_case_fit fit)
{
	struct gb_case n = *c;

	if (fit && !fit(&n))
		return 0;
	return gb_case_list_add(l, &n);
}

/* The axes of each preset's main sweep, the same for every backend. */
static const enum gb_mem_kind sweep_mems[] = {
	GB_MEM_BASE, GB_MEM_THP, GB_MEM_HUGETLB,
};
static const uint64_t quick_sizes[] = { 16 * MIB };
static const uint64_t quick_batches[] = { 512 };
static const uint64_t std_sizes[] = { 2 * MIB, 64 * MIB, 512 * MIB };
static const uint64_t std_batches[] = { 1, 512, 0 };

#define NR(a) (sizeof(a) / sizeof((a)[0]))

int gb_sweep_preset(struct gb_case_list *l, const struct gb_case *base,
		    enum gb_preset p, const struct gb_sweep *sw)
{
	bool quick = p == GB_PRESET_QUICK;
	const uint64_t *sizes = quick ? quick_sizes : std_sizes;
	const uint64_t *batches = quick ? quick_batches : std_batches;
	size_t nsize = quick ? NR(quick_sizes) : NR(std_sizes);
	size_t nbatch = quick ? NR(quick_batches) : NR(std_batches);

	for (size_t m = 0; m < NR(sweep_mems); m++)
		for (size_t s = 0; s < nsize; s++)
			for (size_t b = 0; b < nbatch; b++)
				for (int w = 0; w < (sw->both_directions ? 2 : 1); w++)
					for (size_t a = 0; a < sw->napis; a++) {
						struct gb_case c = *base;

						c.api = sw->apis[a];
						c.mem = sweep_mems[m];
						c.size = sizes[s];
						c.batch = batches[b];
						c.write = w;
						c.repeat = quick ? 5 : 10;
						if (gb_sweep_add(l, &c, sw->fit))
							return -1;
					}
	return 0;
}

int gb_sweep_threads(struct gb_case_list *l, const struct gb_case *base,
		     const struct gb_sweep *sw)
{
	for (unsigned int t = 2; t <= 4; t *= 2)
		for (int sh = 0; sh < 2; sh++)
			for (size_t a = 0; a < sw->napis; a++) {
				struct gb_case c = *base;

				c.api = sw->apis[a];
				c.size = 64 * MIB;
				c.threads = t;
				c.shared_buffer = sh;
				if (gb_sweep_add(l, &c, sw->fit))
					return -1;
			}
	return 0;
}

int gb_sweep_numa(struct gb_case_list *l, const struct gb_case *base,
		  const struct gb_numa *numa, const struct gb_sweep *sw)
{
	for (int ci = 0; ci < numa->nr_nodes; ci++)
		for (int mi = 0; mi < numa->nr_nodes; mi++)
			for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++)
				for (size_t a = 0; a < sw->napis; a++) {
					struct gb_case c = *base;

					c.api = sw->apis[a];
					c.mem = (enum gb_mem_kind)m;
					c.size = 64 * MIB;
					c.cpu_node = numa->node_ids[ci];
					c.mem_node = numa->node_ids[mi];
					if (gb_sweep_add(l, &c, sw->fit))
						return -1;
				}
	return 0;
}

/* One case of @base with the given fields changed. */
static int add(struct gb_case_list *l, const struct gb_case *base,
	       unsigned int api, enum gb_mem_kind mem, uint64_t size,
	       uint64_t batch, bool write, bool longterm)
{
	struct gb_case c = *base;

	c.api = api;
	c.mem = mem;
	c.size = size;
	c.batch = batch;
	c.write = write;
	c.longterm = longterm;
	return gb_case_list_add(l, &c);
}

/* The APIs that take FOLL_LONGTERM: the pin_* family. */
#define FOR_EACH_PIN_API(a) \
	for (unsigned int a = GUPBENCH_API_PIN_USER_PAGES; a < GUPBENCH_API_COUNT; a++)

/*
 * What quick adds to its sweep, so that every GUP path class is in the
 * preset make ab runs by default: one page per call, FOLL_LONGTERM on
 * every pin API and memory kind of the sweep, and a shared memory kind.
 */
static int quick_extras(struct gb_case_list *l, const struct gb_case *base)
{
	static const enum gb_mem_kind pinned[] = {
		GB_MEM_BASE, GB_MEM_THP, GB_MEM_HUGETLB, GB_MEM_MEMFD,
	};

	for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++)
		for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
			if (add(l, base, a, (enum gb_mem_kind)m, 2 * MIB, 1,
				false, false))
				return -1;
	for (size_t m = 0; m < 4; m++)
		FOR_EACH_PIN_API(a)
			if (add(l, base, a, pinned[m], 16 * MIB, 512, true, true))
				return -1;
	for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
		if (add(l, base, a, GB_MEM_MEMFD, 16 * MIB, 512, false, false))
			return -1;
	return 0;
}

/*
 * What standard adds to its sweep: long-term pins over every memory kind,
 * in batches and all in one call; unpin with dirtying; mmap_lock taken
 * outside the window (gup_test's way); the shared memory kinds; every
 * anonymous THP size between base pages and 2 MiB (kernels before 6.8
 * skip them, saying why) and every shmem folio size (6.11+), for the
 * per-page cost by folio size.
 */
static int standard_extras(struct gb_case_list *l, const struct gb_case *base)
{
	static const enum gb_mem_kind kinds[] = {
		GB_MEM_BASE, GB_MEM_THP, GB_MEM_HUGETLB, GB_MEM_SHMEM,
		GB_MEM_MEMFD,
	};
	static const unsigned int by_size[] = {
		GUPBENCH_API_GET_USER_PAGES_FAST, GUPBENCH_API_PIN_USER_PAGES_FAST,
		GUPBENCH_API_PIN_USER_PAGES,
	};
	static const unsigned int locking[] = {
		GUPBENCH_API_GET_USER_PAGES, GUPBENCH_API_GET_USER_PAGES_REMOTE,
		GUPBENCH_API_PIN_USER_PAGES, GUPBENCH_API_PIN_USER_PAGES_REMOTE,
	};
	struct gb_case c;

	for (size_t m = 0; m < 5; m++)
		for (int all = 0; all < 2; all++)
			FOR_EACH_PIN_API(a)
				if (add(l, base, a, kinds[m], 64 * MIB,
					all ? 0 : 512, true, true))
					return -1;
	for (int m = GB_MEM_BASE; m <= GB_MEM_HUGETLB; m++)
		FOR_EACH_PIN_API(a) {
			c = *base;
			c.unpin_dirty = true;
			if (add(l, &c, a, (enum gb_mem_kind)m, 64 * MIB, 512,
				true, false))
				return -1;
		}
	for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++)
		for (size_t a = 0; a < 4; a++) {
			c = *base;
			c.lock_outside = true;
			if (add(l, &c, locking[a], (enum gb_mem_kind)m, 64 * MIB,
				512, false, false))
				return -1;
		}
	for (size_t m = 3; m < 5; m++)
		for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
			if (add(l, base, a, kinds[m], 64 * MIB, 512, false, false))
				return -1;
	for (int m = GB_MEM_THP_16K; m <= GB_MEM_THP_1M; m++)
		for (size_t a = 0; a < NR(by_size); a++)
			if (add(l, base, by_size[a], (enum gb_mem_kind)m, 64 * MIB,
				512, false, false))
				return -1;
	for (int m = GB_MEM_SHMEM_16K; m <= GB_MEM_SHMEM_2M; m++)
		for (size_t a = 0; a < 2; a++)
			if (add(l, base, by_size[a], (enum gb_mem_kind)m, 64 * MIB,
				512, false, false))
				return -1;
	return 0;
}

int gb_matrix_build(struct gb_case_list *l, enum gb_preset p, bool numa,
		    const struct gb_numa *topo)
{
	static const unsigned int all[] = {
		GUPBENCH_API_NOOP, GUPBENCH_API_GET_USER_PAGES,
		GUPBENCH_API_GET_USER_PAGES_FAST,
		GUPBENCH_API_GET_USER_PAGES_UNLOCKED,
		GUPBENCH_API_GET_USER_PAGES_REMOTE, GUPBENCH_API_PIN_USER_PAGES,
		GUPBENCH_API_PIN_USER_PAGES_FAST,
		GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
		GUPBENCH_API_PIN_USER_PAGES_REMOTE,
	};
	static const unsigned int threaded[] = {
		GUPBENCH_API_GET_USER_PAGES_FAST, GUPBENCH_API_PIN_USER_PAGES_FAST,
		GUPBENCH_API_PIN_USER_PAGES,
	};
	/* noop first in the sweep: the reference of every other row */
	const struct gb_sweep sweep = { all, NR(all), true, NULL };
	const struct gb_sweep threads = { threaded, NR(threaded), false, NULL };
	const struct gb_sweep pairs = { threaded, 2, false, NULL };
	struct gb_case base;
	int ret;

	memset(l, 0, sizeof(*l));
	gb_case_defaults(&base);
	base.batch = 512;
	base.repeat = p == GB_PRESET_QUICK ? 5 : 10;
	ret = gb_sweep_preset(l, &base, p, &sweep);
	if (!ret)
		ret = p == GB_PRESET_QUICK ? quick_extras(l, &base) :
					     standard_extras(l, &base);
	if (!ret && p == GB_PRESET_FULL)
		ret = gb_sweep_threads(l, &base, &threads);
	if (!ret && (numa || p == GB_PRESET_FULL))
		ret = gb_sweep_numa(l, &base, topo, &pairs);
	return ret;
}

void gb_case_list_free(struct gb_case_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *gb_case_unavailable(const struct gb_case *c,
				const struct gb_dev *dev,
				const struct gb_numa *numa, char *buf,
				size_t len)
{
	char err[GB_ERRLEN];

	if (c->longterm && !(dev->caps.longterm_apis & (1ULL << c->api))) {
		snprintf(buf, len, "%s does not take FOLL_LONGTERM on this kernel",
			 gb_api_name(c->api));
		return buf;
	}
	if ((c->mem == GB_MEM_THP && gb_thp_usable(err, sizeof(err))) ||
	    (gb_mem_is_sized(c->mem) &&
	     gb_mthp_available(c->mem, err, sizeof(err)))) {
		snprintf(buf, len, "%s", err);
		return buf;
	}
	if (c->mem == GB_MEM_HUGETLB || c->mem == GB_MEM_HUGETLB_1G) {
		unsigned long kb = c->mem == GB_MEM_HUGETLB ? 2048 : 1UL << 20;
		long need = (long)(c->size / (kb << 10)) *
			    (c->shared_buffer ? 1 : c->threads);
		long have = gb_hugetlb_free(kb, c->mem_node);

		if (have < need) {
			snprintf(buf, len,
				 "hugetlb: %ld free %lu kB pages, the case needs %ld (use --reserve-hugetlb)",
				 have < 0 ? 0 : have, kb, need);
			return buf;
		}
	}
	if ((c->cpu_node >= 0 && !gb_numa_has_node(numa, c->cpu_node)) ||
	    (c->mem_node >= 0 && !gb_numa_has_node(numa, c->mem_node))) {
		snprintf(buf, len, "NUMA node %d/%d does not exist here",
			 c->cpu_node, c->mem_node);
		return buf;
	}
	return NULL;
}
