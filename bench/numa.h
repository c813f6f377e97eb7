/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where things run and where memory lives: hwloc for the topology and for
 * binding threads to CPUs, libnuma for binding buffers to nodes and for
 * checking where their pages really are.
 */
#ifndef GB_NUMA_H
#define GB_NUMA_H

#include <stddef.h>
#include <stdint.h>
#include <hwloc.h>

#define GB_MAX_NODES 64

struct gb_numa {
	hwloc_topology_t topo;
	int nr_nodes;			/* NUMA nodes hwloc sees (>= 1) */
	int node_ids[GB_MAX_NODES];	/* their OS numbers */
	int nr_cpus;
	hwloc_bitmap_t allowed;		/* the CPUs the process may use: its
					 * inherited affinity, less --cpus */
};

int gb_numa_init(struct gb_numa *n, char *err, size_t errlen);
void gb_numa_fini(struct gb_numa *n);
int gb_numa_has_node(const struct gb_numa *n, int node);
/*
 * Keep only the CPUs of @list ("0-3,6", as taskset -c takes) among those
 * allowed.  0, or -1 with a message.
 */
int gb_numa_restrict(struct gb_numa *n, const char *list, char *err,
		     size_t errlen);
/*
 * The idx-th CPU (round-robin) among the allowed CPUs of @node, or of the
 * machine for node < 0; -1 with a message when there is none.
 */
int gb_numa_cpu_for(const struct gb_numa *n, int node, unsigned int idx,
		    char *err, size_t errlen);
/* How many allowed CPUs @node (or the machine, node < 0) has. */
int gb_numa_cpus_usable(const struct gb_numa *n, int node);
int gb_numa_node_of_cpu(const struct gb_numa *n, int cpu);
/* Bind the calling thread to one CPU. */
int gb_numa_bind_cpu(const struct gb_numa *n, int cpu);
/* MPOL_BIND [addr, addr+len) to @node; call before the first touch. */
int gb_numa_bind_memory(void *addr, size_t len, int node,
			char *err, size_t errlen);
/* Pages of the range per node (sampled: at most 4096 pages looked at).
 * per_node[] has GB_MAX_NODES entries; returns pages looked at. */
uint64_t gb_numa_placement(void *addr, size_t len, uint64_t *per_node,
			   uint64_t *not_present);
/* nr_foll_pin_acquired/released of one node; -1 if not readable. */
int gb_numa_node_pins(int node, uint64_t *acquired, uint64_t *released);
void gb_numa_describe(const struct gb_numa *n, char *buf, size_t len);

#endif
