/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line vocabulary: sizes, API and memory-kind names, run options. */
#ifndef GB_OPTIONS_H
#define GB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum gb_mem_kind {
	GB_MEM_BASE,
	GB_MEM_THP,
	GB_MEM_HUGETLB,
	GB_MEM_HUGETLB_1G,
	GB_MEM_SHMEM,
	GB_MEM_MEMFD,
	GB_MEM_FILE,
	GB_MEM_COUNT
};

enum gb_format { GB_FMT_TABLE, GB_FMT_CSV, GB_FMT_JSON };

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
	unsigned int release;		/* GUPBENCH_RELEASE_* */
	bool prefault;
	bool shared_buffer;		/* all threads on one buffer */
	bool samples;			/* per-call samples from the module */
	int cpu_node, mem_node;		/* -1: not bound */
	const char *direct_path;	/* O_DIRECT file, dir or block device */
};

/* Everything `gupbench run` was told. */
struct gb_opts {
	struct gb_case c;
	enum gb_format format;
	const char *out;		/* NULL: stdout */
	uint64_t max_samples;		/* per-call samples kept per case */
	bool reserve_hugetlb;
	bool anonymize;			/* drop what names the machine */
	const char *cpus;		/* --cpus LIST, or NULL */
	bool drop_scheduled;		/* --drop-scheduled */
	bool rw_given;			/* --read or --write was given */
};

#define GB_ERRLEN 512
/* Per-call samples kept per case unless --max-samples says otherwise. */
#define GB_DEFAULT_MAX_SAMPLES (1u << 18)

void gb_case_defaults(struct gb_case *c);
int gb_parse_size(const char *s, uint64_t *out);
int gb_parse_count(const char *s, uint64_t max, uint64_t *out);
int gb_parse_node(const char *s, int *out);
int gb_api_from_name(const char *name);
const char *gb_api_name(unsigned int api);
int gb_mem_from_name(const char *s, enum gb_mem_kind *kind, const char **path);
const char *gb_mem_name(enum gb_mem_kind kind);
int gb_release_from_name(const char *s, unsigned int *release);
const char *gb_release_name(unsigned int release);
uint64_t gb_mem_align(enum gb_mem_kind kind);
int gb_format_from_name(const char *s, enum gb_format *f);
void gb_format_size(uint64_t bytes, char *buf, size_t len);
/* Format a one-line error into err; returns -1 for 'return gb_fail(...)'. */
int gb_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* argv[0] is "run"; on error returns -1 with a one-line message in err. */
int gb_parse_run(int argc, char **argv, struct gb_opts *o,
		 char *err, size_t errlen);
int gb_check_case(const struct gb_case *c, char *err, size_t errlen);
void gb_run_usage(FILE *f);

#endif
