// SPDX-License-Identifier: GPL-2.0
/* The cases `gupbench matrix --backend syscall` runs, and what skips them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "backend.h"
#include "backend_matrix.h"
#include "backend_syscall.h"

#define MIB (UINT64_C(1) << 20)

static const unsigned int sys_apis[] = {
	GUPBENCH_API_NOOP, GB_SYS_IO_URING, GB_SYS_PROCESS_VM_READV,
	GB_SYS_PROCESS_VM_WRITEV, GB_SYS_VMSPLICE, GB_SYS_O_DIRECT,
};
#define NR_APIS (sizeof(sys_apis) / sizeof(*sys_apis))

/*
 * A direct read of a disk costs the device's latency per call: one page
 * per call over hundreds of MiB would measure the disk, for minutes.
 */
static bool direct_too_slow(uint64_t size, uint64_t batch)
{
	return (batch && batch < 512) || size > 64 * MIB;
}

/*
 * A case made a syscall's: direction and pin kind follow from the API,
 * only odirect_read keeps the path it reads, and odirect_read cases that
 * would time the disk are left out.
 */
static bool sys_fit(struct gb_case *c)
{
	if (c->api == GB_SYS_O_DIRECT && direct_too_slow(c->size, c->batch))
		return false;
	if (c->api != GB_SYS_O_DIRECT)
		c->direct_path = NULL;
	c->write = false;
	c->longterm = false;
	gb_sys_normalize(c, false);
	return true;
}

/* What full adds beside threads: io_uring released per call, shared kinds. */
static int full_extras(struct gb_case_list *l, const struct gb_case *base)
{
	static const enum gb_mem_kind shared_kinds[] = { GB_MEM_SHMEM, GB_MEM_MEMFD };
	struct gb_case c;

	/* io_uring with each registration released on its own */
	for (int m = GB_MEM_BASE; m <= GB_MEM_THP; m++) {
		c = *base;
		c.api = GB_SYS_IO_URING;
		c.mem = (enum gb_mem_kind)m;
		c.size = 64 * MIB;
		c.release = GUPBENCH_RELEASE_EACH_BATCH;
		if (gb_sweep_add(l, &c, sys_fit))
			return -1;
	}
	/* shared memory kinds, every API */
	for (size_t k = 0; k < 2; k++)
		for (size_t a = 0; a < NR_APIS; a++) {
			c = *base;
			c.api = sys_apis[a];
			c.mem = shared_kinds[k];
			c.size = 64 * MIB;
			if (gb_sweep_add(l, &c, sys_fit))
				return -1;
		}
	return 0;
}

int gb_sys_matrix_build(struct gb_case_list *l, enum gb_preset p,
			bool numa, const struct gb_numa *topo,
			const char *direct_path)
{
	const struct gb_sweep sweep = { sys_apis, NR_APIS, false, sys_fit };
	/* io_uring, process_vm_readv and _writev: what threads share */
	const struct gb_sweep threads = { sys_apis + 1, 3, false, sys_fit };
	const struct gb_sweep pairs = { sys_apis + 1, 2, false, sys_fit };
	struct gb_case base;
	int ret;

	memset(l, 0, sizeof(*l));
	gb_case_defaults(&base);
	base.backend = GB_BACKEND_SYSCALL;
	base.batch = 512;
	base.direct_path = direct_path;
	ret = gb_sweep_preset(l, &base, p, &sweep);
	if (!ret && p == GB_PRESET_FULL)
		ret = gb_sweep_threads(l, &base, &threads);
	if (!ret && p == GB_PRESET_FULL)
		ret = full_extras(l, &base);
	if (!ret && (numa || p == GB_PRESET_FULL))
		ret = gb_sweep_numa(l, &base, topo, &pairs);
	return ret;
}

const char *gb_sys_case_unavailable(const struct gb_case *c,
				    const struct gb_numa *numa, char *buf,
				    size_t len)
{
	static const struct gb_dev no_dev = { .fd = -1 };
	uint64_t pages = c->size / 4096;
	uint64_t batch = c->batch && c->batch < pages ? c->batch : pages;
	struct gb_case plain = *c;
	struct statfs sfs;
	const char *fs;

	if (c->api == GB_SYS_IO_URING) {
		if (gb_uring_probe(buf, len))
			return buf;
		if (batch > GB_IO_URING_MAX_PAGES)
			batch = GB_IO_URING_MAX_PAGES;
		if (c->release != GUPBENCH_RELEASE_EACH_BATCH &&
		    (pages + batch - 1) / batch > GB_IO_URING_MAX_BUFS) {
			snprintf(buf, len,
				 "io_uring holds at most %d registered buffers; %llu calls of %llu pages would need more",
				 GB_IO_URING_MAX_BUFS,
				 (unsigned long long)((pages + batch - 1) / batch),
				 (unsigned long long)batch);
			return buf;
		}
	}
	if (c->api == GB_SYS_O_DIRECT &&
	    !statfs(c->direct_path ? c->direct_path : ".", &sfs) &&
	    (fs = gb_fs_name((long)sfs.f_type)) &&
	    (!strcmp(fs, "tmpfs") || !strcmp(fs, "ramfs"))) {
		snprintf(buf, len,
			 "odirect_read: %s is on %s, which does no direct I/O; pass --direct-path on a disk file system or a block device",
			 c->direct_path ? c->direct_path : "the current directory", fs);
		return buf;
	}
	/* the rest is the memory and the nodes, as for the module */
	plain.longterm = false;
	return gb_case_unavailable(&plain, &no_dev, numa, buf, len);
}
