// SPDX-License-Identifier: GPL-2.0
/* Thread and memory placement: hwloc for CPUs, libnuma for memory. */
#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numa.h"

int gb_numa_init(struct gb_numa *n, char *err, size_t errlen)
{
	hwloc_obj_t obj = NULL;

	memset(n, 0, sizeof(*n));
	if (hwloc_topology_init(&n->topo) || hwloc_topology_load(n->topo)) {
		snprintf(err, errlen, "hwloc: cannot read the machine topology (%s)",
			 strerror(errno));
		return -1;
	}
	while ((obj = hwloc_get_next_obj_by_type(n->topo, HWLOC_OBJ_NUMANODE,
						 obj)) &&
	       n->nr_nodes < GB_MAX_NODES)
		n->node_ids[n->nr_nodes++] = (int)obj->os_index;
	if (!n->nr_nodes)
		n->node_ids[n->nr_nodes++] = 0;
	n->nr_cpus = hwloc_get_nbobjs_by_type(n->topo, HWLOC_OBJ_PU);
	/* start from the affinity gupbench was started with (taskset) */
	n->allowed = hwloc_bitmap_alloc();
	if (!n->allowed ||
	    hwloc_get_cpubind(n->topo, n->allowed, HWLOC_CPUBIND_PROCESS))
		hwloc_bitmap_copy(n->allowed,
				  hwloc_topology_get_topology_cpuset(n->topo));
	return 0;
}

int gb_numa_restrict(struct gb_numa *n, const char *list, char *err,
		     size_t errlen)
{
	hwloc_bitmap_t want = hwloc_bitmap_alloc();
	int ret = 0;

	if (!want || hwloc_bitmap_list_sscanf(want, list) ||
	    hwloc_bitmap_iszero(want)) {
		snprintf(err, errlen, "--cpus '%s': use a CPU list like 0-3,6 (as taskset -c takes)",
			 list);
		ret = -1;
	} else {
		hwloc_bitmap_and(want, want, n->allowed);
		if (hwloc_bitmap_iszero(want)) {
			snprintf(err, errlen, "--cpus '%s': none of these CPUs may be used here (this process may use the CPUs gupbench info lists, within its taskset)",
				 list);
			ret = -1;
		} else {
			hwloc_bitmap_copy(n->allowed, want);
		}
	}
	hwloc_bitmap_free(want);
	return ret;
}

void gb_numa_fini(struct gb_numa *n)
{
	if (n->allowed)
		hwloc_bitmap_free(n->allowed);
	n->allowed = NULL;
	if (n->topo)
		hwloc_topology_destroy(n->topo);
	n->topo = NULL;
}

int gb_numa_has_node(const struct gb_numa *n, int node)
{
	for (int i = 0; i < n->nr_nodes; i++)
		if (n->node_ids[i] == node)
			return 1;
	return 0;
}

static hwloc_const_cpuset_t node_cpuset(const struct gb_numa *n, int node)
{
	hwloc_obj_t obj = NULL;

	if (node < 0)
		return hwloc_topology_get_topology_cpuset(n->topo);
	while ((obj = hwloc_get_next_obj_by_type(n->topo, HWLOC_OBJ_NUMANODE,
						 obj)))
		if ((int)obj->os_index == node)
			return obj->cpuset;
	/* no NUMA objects at all: everything is node 0 */
	return node == 0 ? hwloc_topology_get_topology_cpuset(n->topo) : NULL;
}

/* The allowed CPUs of @node (node < 0: all), allocated; NULL: no node. */
static hwloc_bitmap_t usable_set(const struct gb_numa *n, int node)
{
	hwloc_const_cpuset_t set = node_cpuset(n, node);
	hwloc_bitmap_t u;

	if (!set || !(u = hwloc_bitmap_dup(set)))
		return NULL;
	if (n->allowed)
		hwloc_bitmap_and(u, u, n->allowed);
	return u;
}

int gb_numa_cpus_usable(const struct gb_numa *n, int node)
{
	hwloc_bitmap_t u = usable_set(n, node);
	int nr = u ? hwloc_bitmap_weight(u) : 0;

	hwloc_bitmap_free(u);
	return nr;
}

int gb_numa_cpu_for(const struct gb_numa *n, int node, unsigned int idx,
		    char *err, size_t errlen)
{
	hwloc_bitmap_t u = usable_set(n, node);
	int nr, cpu = -1;

	if (!u) {
		snprintf(err, errlen, "--cpu-node %d: no such NUMA node (see gupbench info)",
			 node);
		return -1;
	}
	nr = hwloc_bitmap_weight(u);
	if (nr <= 0) {
		if (node >= 0)
			snprintf(err, errlen, "--cpu-node %d: none of the node's CPUs may be used (a memory-only node, or outside taskset/--cpus); pick another",
				 node);
		else
			snprintf(err, errlen, "no CPU may be used (taskset/--cpus)");
		hwloc_bitmap_free(u);
		return -1;
	}
	/* bitmap indexes of a cpuset are the CPUs' OS numbers */
	for (unsigned int k = 0, want = idx % (unsigned int)nr; k <= want; k++)
		cpu = hwloc_bitmap_next(u, cpu);
	hwloc_bitmap_free(u);
	return cpu;
}

int gb_numa_node_of_cpu(const struct gb_numa *n, int cpu)
{
	hwloc_obj_t obj = NULL;

	while ((obj = hwloc_get_next_obj_by_type(n->topo, HWLOC_OBJ_NUMANODE,
						 obj)))
		if (hwloc_bitmap_isset(obj->cpuset, (unsigned int)cpu))
			return (int)obj->os_index;
	return 0;
}

int gb_numa_bind_cpu(const struct gb_numa *n, int cpu)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int ret;

	if (!set)
		return -1;
	hwloc_bitmap_only(set, (unsigned int)cpu);
	ret = hwloc_set_cpubind(n->topo, set, HWLOC_CPUBIND_THREAD |
				HWLOC_CPUBIND_STRICT);
	hwloc_bitmap_free(set);
	return ret;
}

int gb_numa_bind_memory(void *addr, size_t len, int node,
			char *err, size_t errlen)
{
	unsigned long mask[GB_MAX_NODES / (8 * sizeof(unsigned long)) + 1];

	if (node < 0)
		return 0;
	if (numa_available() < 0) {
		if (node == 0)
			return 0;	/* a kernel without NUMA: all is node 0 */
		snprintf(err, errlen, "--mem-node %d: this kernel has no NUMA support; only node 0 exists",
			 node);
		return -1;
	}
	if (node >= GB_MAX_NODES) {
		snprintf(err, errlen, "--mem-node %d: gupbench handles nodes 0-%d",
			 node, GB_MAX_NODES - 1);
		return -1;
	}
	memset(mask, 0, sizeof(mask));
	mask[node / (8 * sizeof(unsigned long))] |=
		1UL << (node % (8 * sizeof(unsigned long)));
	if (mbind(addr, len, MPOL_BIND, mask, GB_MAX_NODES + 1, 0)) {
		snprintf(err, errlen, "--mem-node %d: mbind failed: %s", node,
			 strerror(errno));
		return -1;
	}
	return 0;
}

uint64_t gb_numa_placement(void *addr, size_t len, uint64_t *per_node,
			   uint64_t *not_present)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t nr = len / page, step, count;
	void **pages;
	int *status;

	memset(per_node, 0, GB_MAX_NODES * sizeof(*per_node));
	*not_present = 0;
	if (!nr)
		return 0;
	step = nr > 4096 ? nr / 4096 : 1;
	count = (nr + step - 1) / step;
	pages = calloc(count, sizeof(*pages));
	status = calloc(count, sizeof(*status));
	if (!pages || !status) {
		free(pages);
		free(status);
		return 0;
	}
	for (size_t i = 0; i < count; i++)
		pages[i] = (char *)addr + i * step * page;
	if (move_pages(0, count, pages, NULL, status, 0)) {
		count = 0;
	} else {
		for (size_t i = 0; i < count; i++) {
			if (status[i] >= 0 && status[i] < GB_MAX_NODES)
				per_node[status[i]]++;
			else
				(*not_present)++;
		}
	}
	free(pages);
	free(status);
	return count;
}

int gb_numa_node_pins(int node, uint64_t *acquired, uint64_t *released)
{
	char path[96], key[64];
	unsigned long long v;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/vmstat",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired")) {
			*acquired = v;
			found++;
		} else if (!strcmp(key, "nr_foll_pin_released")) {
			*released = v;
			found++;
		}
	}
	fclose(f);
	return found == 2 ? 0 : -1;
}

void gb_numa_describe(const struct gb_numa *n, char *buf, size_t len)
{
	size_t off = 0;

	off += snprintf(buf + off, len - off, "%d node%s, %d cpus:",
			n->nr_nodes, n->nr_nodes == 1 ? "" : "s", n->nr_cpus);
	for (int i = 0; i < n->nr_nodes && off < len; i++) {
		hwloc_const_cpuset_t set = node_cpuset(n, n->node_ids[i]);
		char cpus[128] = "none";

		if (set)
			hwloc_bitmap_list_snprintf(cpus, sizeof(cpus), set);
		off += snprintf(buf + off, len - off, " node%d=[%s]",
				n->node_ids[i], cpus);
	}
}
