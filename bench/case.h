/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a case is: its parameters, the names of their values, and which
 * combinations are valid.  Below everything that makes or reads cases.
 */
#ifndef GB_CASE_H
#define GB_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gb_mem_kind {
	GB_MEM_BASE,
	GB_MEM_THP,			/* PMD-sized: 2 MiB ("thp:2M" too) */
	GB_MEM_HUGETLB,
	GB_MEM_HUGETLB_1G,
	GB_MEM_SHMEM,
	GB_MEM_MEMFD,
	/* anonymous THP of one smaller size (mTHP, Linux 6.8+): thp:<size> */
	GB_MEM_THP_16K,
	GB_MEM_THP_32K,
	GB_MEM_THP_64K,
	GB_MEM_THP_128K,
	GB_MEM_THP_256K,
	GB_MEM_THP_512K,
	GB_MEM_THP_1M,
	/* shmem (MAP_SHARED anonymous) in folios of one size (6.11+) */
	GB_MEM_SHMEM_16K,
	GB_MEM_SHMEM_32K,
	GB_MEM_SHMEM_64K,
	GB_MEM_SHMEM_128K,
	GB_MEM_SHMEM_256K,
	GB_MEM_SHMEM_512K,
	GB_MEM_SHMEM_1M,
	GB_MEM_SHMEM_2M,
	GB_MEM_FILE,
	GB_MEM_COUNT
};

/* Who takes the pages: /dev/gupbench, or system calls (bench/backend.h). */
enum gb_backend_kind { GB_BACKEND_MODULE, GB_BACKEND_SYSCALL };

/* The parameters of one measured case. */
struct gb_case {
	enum gb_backend_kind backend;
	unsigned int api;		/* enum gupbench_api, or gb_sys_api */
	enum gb_mem_kind mem;
	const char *file_path;		/* GB_MEM_FILE only */
	uint64_t size;			/* bytes */
	uint64_t batch;			/* pages per call, 0 = all */
	unsigned int repeat;		/* measured repeats */
	unsigned int warmup;		/* discarded repeats before them */
	unsigned int threads;
	bool write, longterm, force, lock_outside, unpin_dirty;
	bool nofault, fast_only, remote_locked;	/* module: FOLL_NOFAULT, ... */
	unsigned int release;		/* GUPBENCH_RELEASE_* */
	bool prefault;
	bool shared_buffer;		/* all threads on one buffer */
	bool samples;			/* per-call samples from the module */
	int cpu_node, mem_node;		/* -1: not bound */
	const char *direct_path;	/* O_DIRECT file, dir or block device */
};

/*
 * The syscall backend's APIs share gb_case.api with the module's enum
 * gupbench_api, numbered above it so one field names either.  noop
 * (GUPBENCH_API_NOOP) is valid with both backends.
 */
enum gb_sys_api {
	GB_SYS_API_FIRST = 32,
	GB_SYS_IO_URING = GB_SYS_API_FIRST,	/* io_uring_register_buffers */
	GB_SYS_PROCESS_VM_READV,
	GB_SYS_PROCESS_VM_WRITEV,
	GB_SYS_VMSPLICE,
	GB_SYS_O_DIRECT,			/* O_DIRECT read into the buffer */
	GB_SYS_API_END
};

void gb_case_defaults(struct gb_case *c);
int gb_api_from_name(const char *name);
const char *gb_api_name(unsigned int api);
int gb_mem_from_name(const char *s, enum gb_mem_kind *kind, const char **path);
const char *gb_mem_name(enum gb_mem_kind kind);
int gb_release_from_name(const char *s, unsigned int *release);
const char *gb_release_name(unsigned int release);
uint64_t gb_mem_align(enum gb_mem_kind kind);
/* thp:16K ... thp:1M, the sizes set up one at a time (bench/mthp.h) */
bool gb_mem_is_mthp(enum gb_mem_kind kind);
/* shmem:16K ... shmem:2M, the same for shmem's folios */
bool gb_mem_is_shmem_sized(enum gb_mem_kind kind);
/* Either: a folio size gupbench sets up for the case */
bool gb_mem_is_sized(enum gb_mem_kind kind);
/*
 * The folio order the kind is made of (0 base pages, 9 THP and hugetlb,
 * 18 hugetlb-1g), -1 where the kind asks for none (shmem, memfd, file).
 */
int gb_mem_folio_order(enum gb_mem_kind kind);
void gb_format_size(uint64_t bytes, char *buf, size_t len);
/* Format a one-line error into err; returns -1 for 'return gb_fail(...)'. */
int gb_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Consistency of a case, whatever it came from (options or a preset). */
int gb_check_case(const struct gb_case *c, char *err, size_t errlen);

const char *gb_backend_name(enum gb_backend_kind k);
int gb_backend_from_name(const char *s, enum gb_backend_kind *k);
bool gb_api_is_sys(unsigned int api);
/* GB_SYS_* for a syscall API name, -1 for anything else. */
int gb_sys_api_from_name(const char *name);
const char *gb_sys_api_name(unsigned int api);
/* "a, b, c": the syscall API names, for usage and error messages. */
const char *gb_sys_api_list(void);

/* Does the API write the buffer (FOLL_WRITE)? pin (FOLL_PIN)? long-term? */
bool gb_sys_api_writes(unsigned int api);
bool gb_sys_api_longterm(unsigned int api);

/*
 * A syscall case's direction and pin kind follow from the API: fill them
 * in unless the user named a direction (then gb_sys_check_case says
 * whether it fits).
 */
void gb_sys_normalize(struct gb_case *c, bool rw_given);

#endif
