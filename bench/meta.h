/* SPDX-License-Identifier: GPL-2.0 */
/* The metadata that makes a result reproducible and comparable. */
#ifndef GB_META_H
#define GB_META_H

#include <stdbool.h>
#include <stdio.h>

/* The version of the results schema (docs/results.md); 2: clock, MDE, ... */
#define GB_SCHEMA_VERSION 2

#include "device.h"
#include "json.h"
#include "numa.h"

struct gb_meta {
	char kernel_release[136];
	char kernel_version[288];
	char tool_version[64];
	unsigned int module_abi;
	char module_version[32];
	char module_built_for[65];
	char cpu_model[128];
	int nr_cpus;
	int numa_nodes;
	char topology[512];
	char thp_enabled[128];
	char thp_defrag[128];
	char hugetlb_pools[256];	/* "2048kB:64/64 1048576kB:0/0" */
	char clocksource[64];
	char clock[16];			/* "time" or "instructions" */
	char units[16];			/* what the *_ns fields count */
	char clock_detail[96];
	unsigned int schema;		/* GB_SCHEMA_VERSION */
	char proc_cmdline[1024];
	char kconfig[320];		/* preempt=... kasan=... lockdep=... */
	char cpu_id[192];		/* family/model/stepping/microcode */
	char cpufreq[256];		/* governor, boost, SMT */
	char mitigations[1024];		/* vulnerabilities: name=state;... */
	char hypervisor[320];
	char thp_sizes[512];		/* per-size mTHP "enabled" */
	char shmem_thp[256];		/* shmem_enabled, global and per size */
	char tool_compiler[512];	/* compiler and flags of gupbench */
	char module_compiler[160];	/* the module's, from its parameter */
	bool anonymized;
	char command_line[1024];
	char date_utc[32];
	char hostname[72];
};

/*
 * The clock the figures are taken on.  vm/run --clock instructions boots
 * QEMU with -icount shift=0, where the guest's clock advances one
 * nanosecond per executed instruction, and says so in $GUPBENCH_CLOCK.
 * 0 (time), 1 (instructions), or -1 with a message for a bad value.
 */
int gb_meta_clock(char *err, size_t errlen);
void gb_meta_collect(struct gb_meta *m, const struct gb_dev *dev,
		     const struct gb_numa *numa, int argc, char **argv);
/* Drops what names the machine: hostname, /proc/cmdline, hypervisor. */
void gb_meta_anonymize(struct gb_meta *m);
void gb_meta_json(struct gbj_writer *w, const struct gb_meta *m);
void gb_meta_print(FILE *f, const struct gb_meta *m);

#endif
