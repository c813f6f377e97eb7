// SPDX-License-Identifier: GPL-2.0
/* Presets: the sets of cases `gupbench matrix` runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gupbench.h>
#include "buffer.h"
#include "matrix.h"

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

/* Every API (noop first, as the reference) over the given axes. */
static int sweep(struct gb_case_list *l, const struct gb_case *base,
		 const enum gb_mem_kind *mems, size_t nmem,
		 const uint64_t *sizes, size_t nsize,
		 const uint64_t *batches, size_t nbatch, unsigned int repeat)
{
	for (size_t m = 0; m < nmem; m++)
		for (size_t s = 0; s < nsize; s++)
			for (size_t b = 0; b < nbatch; b++)
				for (int w = 0; w < 2; w++)
					for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++) {
						struct gb_case c = *base;

						c.api = a;
						c.mem = mems[m];
						c.size = sizes[s];
						c.batch = batches[b];
						c.write = w;
						c.repeat = repeat;
						if (gb_case_list_add(l, &c))
							return -1;
					}
	return 0;
}

static int full_extras(struct gb_case_list *l, const struct gb_case *base)
{
	static const unsigned int apis[] = {
		GUPBENCH_API_GET_USER_PAGES_FAST, GUPBENCH_API_PIN_USER_PAGES_FAST,
		GUPBENCH_API_PIN_USER_PAGES,
	};
	static const enum gb_mem_kind shared_kinds[] = {
		GB_MEM_SHMEM, GB_MEM_MEMFD,
	};
	struct gb_case c;

	/* threads: own buffers, then one shared buffer */
	for (unsigned int t = 2; t <= 4; t *= 2)
		for (int sh = 0; sh < 2; sh++)
			for (size_t a = 0; a < 3; a++) {
				c = *base;
				c.api = apis[a];
				c.size = 64 * MIB;
				c.threads = t;
				c.shared_buffer = sh;
				if (gb_case_list_add(l, &c))
					return -1;
			}
	/* longterm pins, every pin API, base and THP */
	for (unsigned int a = GUPBENCH_API_PIN_USER_PAGES; a < GUPBENCH_API_COUNT; a++)
		for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++) {
			c = *base;
			c.api = a;
			c.mem = (enum gb_mem_kind)m;
			c.size = 64 * MIB;
			c.longterm = true;
			c.write = true;
			if (gb_case_list_add(l, &c))
				return -1;
		}
	/* shared memory kinds, every API */
	for (size_t k = 0; k < 2; k++)
		for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++) {
			c = *base;
			c.api = a;
			c.mem = shared_kinds[k];
			c.size = 64 * MIB;
			c.longterm = false;
			if (gb_case_list_add(l, &c))
				return -1;
		}
	return 0;
}

static int numa_pairs(struct gb_case_list *l, const struct gb_case *base,
		      const struct gb_numa *numa)
{
	static const unsigned int apis[] = {
		GUPBENCH_API_GET_USER_PAGES_FAST, GUPBENCH_API_PIN_USER_PAGES_FAST,
	};

	for (int ci = 0; ci < numa->nr_nodes; ci++)
		for (int mi = 0; mi < numa->nr_nodes; mi++)
			for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++)
				for (size_t a = 0; a < 2; a++) {
					struct gb_case c = *base;

					c.api = apis[a];
					c.mem = (enum gb_mem_kind)m;
					c.size = 64 * MIB;
					c.cpu_node = numa->node_ids[ci];
					c.mem_node = numa->node_ids[mi];
					if (gb_case_list_add(l, &c))
						return -1;
				}
	return 0;
}

int gb_matrix_build(struct gb_case_list *l, enum gb_preset p, bool numa,
		    const struct gb_numa *topo)
{
	static const enum gb_mem_kind mems[] = {
		GB_MEM_BASE, GB_MEM_THP, GB_MEM_HUGETLB,
	};
	static const uint64_t quick_sizes[] = { 16 * MIB };
	static const uint64_t quick_batches[] = { 512 };
	static const uint64_t std_sizes[] = { 2 * MIB, 64 * MIB, 512 * MIB };
	static const uint64_t std_batches[] = { 1, 512, 0 };
	struct gb_case base;
	int ret;

	memset(l, 0, sizeof(*l));
	gb_case_defaults(&base);
	base.batch = 512;
	if (p == GB_PRESET_QUICK)
		ret = sweep(l, &base, mems, 3, quick_sizes, 1, quick_batches, 1, 5);
	else
		ret = sweep(l, &base, mems, 3, std_sizes, 3, std_batches, 3, 10);
	if (!ret && p == GB_PRESET_FULL)
		ret = full_extras(l, &base);
	if (!ret && (numa || p == GB_PRESET_FULL))
		ret = numa_pairs(l, &base, topo);
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
	if (c->mem == GB_MEM_THP && gb_thp_usable(err, sizeof(err))) {
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
