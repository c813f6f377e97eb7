// SPDX-License-Identifier: GPL-2.0
/*
 * What a case is: the names of its APIs, memory kinds, release modes and
 * backends, its defaults, and which combinations of them are valid.
 * Parsing (options.c), presets (matrix.c) and the runner all use these.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/gupbench.h>
#include "case.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

static const char *const api_names[GUPBENCH_API_COUNT] = {
	[GUPBENCH_API_NOOP] = "noop",
	[GUPBENCH_API_GET_USER_PAGES] = "get_user_pages",
	[GUPBENCH_API_GET_USER_PAGES_FAST] = "get_user_pages_fast",
	[GUPBENCH_API_GET_USER_PAGES_UNLOCKED] = "get_user_pages_unlocked",
	[GUPBENCH_API_GET_USER_PAGES_REMOTE] = "get_user_pages_remote",
	[GUPBENCH_API_PIN_USER_PAGES] = "pin_user_pages",
	[GUPBENCH_API_PIN_USER_PAGES_FAST] = "pin_user_pages_fast",
	[GUPBENCH_API_PIN_USER_PAGES_UNLOCKED] = "pin_user_pages_unlocked",
	[GUPBENCH_API_PIN_USER_PAGES_REMOTE] = "pin_user_pages_remote",
};

static const char *const mem_names[GB_MEM_COUNT] = {
	[GB_MEM_BASE] = "base",
	[GB_MEM_THP] = "thp",
	[GB_MEM_HUGETLB] = "hugetlb",
	[GB_MEM_HUGETLB_1G] = "hugetlb-1g",
	[GB_MEM_SHMEM] = "shmem",
	[GB_MEM_MEMFD] = "memfd",
	[GB_MEM_THP_16K] = "thp:16K",
	[GB_MEM_THP_32K] = "thp:32K",
	[GB_MEM_THP_64K] = "thp:64K",
	[GB_MEM_THP_128K] = "thp:128K",
	[GB_MEM_THP_256K] = "thp:256K",
	[GB_MEM_THP_512K] = "thp:512K",
	[GB_MEM_THP_1M] = "thp:1M",
	[GB_MEM_SHMEM_16K] = "shmem:16K",
	[GB_MEM_SHMEM_32K] = "shmem:32K",
	[GB_MEM_SHMEM_64K] = "shmem:64K",
	[GB_MEM_SHMEM_128K] = "shmem:128K",
	[GB_MEM_SHMEM_256K] = "shmem:256K",
	[GB_MEM_SHMEM_512K] = "shmem:512K",
	[GB_MEM_SHMEM_1M] = "shmem:1M",
	[GB_MEM_SHMEM_2M] = "shmem:2M",
	[GB_MEM_FILE] = "file",
};

void gb_case_defaults(struct gb_case *c)
{
	memset(c, 0, sizeof(*c));
	c->api = GUPBENCH_API_PIN_USER_PAGES_FAST;
	c->mem = GB_MEM_BASE;
	c->size = 64 * MIB;
	c->batch = 512;
	c->repeat = 10;
	c->warmup = 1;
	c->threads = 1;
	c->prefault = true;
	c->samples = true;
	c->cpu_node = -1;
	c->mem_node = -1;
}

/* A module API or a syscall API (bench/backend.h): one namespace. */
int gb_api_from_name(const char *name)
{
	for (unsigned int i = 0; i < GUPBENCH_API_COUNT; i++)
		if (!strcmp(name, api_names[i]))
			return (int)i;
	return gb_sys_api_from_name(name);
}

const char *gb_api_name(unsigned int api)
{
	if (gb_api_is_sys(api))
		return gb_sys_api_name(api);
	return api < GUPBENCH_API_COUNT ? api_names[api] : "?";
}

int gb_mem_from_name(const char *s, enum gb_mem_kind *kind, const char **path)
{
	if (!strncmp(s, "file:", 5)) {
		if (!s[5])
			return -1;
		*kind = GB_MEM_FILE;
		*path = s + 5;
		return 0;
	}
	if (!strcmp(s, "thp:2M")) {
		*kind = GB_MEM_THP;
		*path = NULL;
		return 0;
	}
	for (int i = 0; i < GB_MEM_FILE; i++) {
		if (!strcmp(s, mem_names[i])) {
			*kind = (enum gb_mem_kind)i;
			*path = NULL;
			return 0;
		}
	}
	return -1;
}

const char *gb_mem_name(enum gb_mem_kind kind)
{
	return kind < GB_MEM_COUNT ? mem_names[kind] : "?";
}

bool gb_mem_is_mthp(enum gb_mem_kind kind)
{
	return kind >= GB_MEM_THP_16K && kind <= GB_MEM_THP_1M;
}

bool gb_mem_is_shmem_sized(enum gb_mem_kind kind)
{
	return kind >= GB_MEM_SHMEM_16K && kind <= GB_MEM_SHMEM_2M;
}

bool gb_mem_is_sized(enum gb_mem_kind kind)
{
	return gb_mem_is_mthp(kind) || gb_mem_is_shmem_sized(kind);
}

int gb_mem_folio_order(enum gb_mem_kind kind)
{
	if (gb_mem_is_mthp(kind))
		return 2 + (int)(kind - GB_MEM_THP_16K);
	if (gb_mem_is_shmem_sized(kind))
		return 2 + (int)(kind - GB_MEM_SHMEM_16K);
	switch (kind) {
	case GB_MEM_BASE:
		return 0;
	case GB_MEM_THP:
	case GB_MEM_HUGETLB:
		return 9;
	case GB_MEM_HUGETLB_1G:
		return 18;
	default:
		return -1;
	}
}

/* What a buffer's size must be a multiple of. */
uint64_t gb_mem_align(enum gb_mem_kind kind)
{
	if (gb_mem_is_sized(kind))
		return UINT64_C(4096) << gb_mem_folio_order(kind);
	switch (kind) {
	case GB_MEM_THP:
	case GB_MEM_HUGETLB:
		return 2 * MIB;
	case GB_MEM_HUGETLB_1G:
		return GIB;
	default:
		return 4096;
	}
}

/* The results' names of GUPBENCH_RELEASE_*; the CLI also takes '-'. */
static const char *const release_names[GUPBENCH_RELEASE_COUNT] = {
	[GUPBENCH_RELEASE_AFTER_ALL] = "after_all",
	[GUPBENCH_RELEASE_EACH_BATCH] = "each_batch",
	[GUPBENCH_RELEASE_PER_CALL] = "per_call",
};

int gb_release_from_name(const char *s, unsigned int *release)
{
	for (unsigned int i = 0; i < GUPBENCH_RELEASE_COUNT; i++) {
		const char *n = release_names[i];
		size_t k = 0;

		while (n[k] && (s[k] == n[k] || (s[k] == '-' && n[k] == '_')))
			k++;
		if (!n[k] && !s[k]) {
			*release = i;
			return 0;
		}
	}
	return -1;
}

const char *gb_release_name(unsigned int release)
{
	return release < GUPBENCH_RELEASE_COUNT ? release_names[release] : "?";
}

void gb_format_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes && !(bytes % GIB))
		snprintf(buf, len, "%" PRIu64 "G", bytes / GIB);
	else if (bytes && !(bytes % MIB))
		snprintf(buf, len, "%" PRIu64 "M", bytes / MIB);
	else if (bytes && !(bytes % 1024))
		snprintf(buf, len, "%" PRIu64 "K", bytes / 1024);
	else
		snprintf(buf, len, "%" PRIu64, bytes);
}

int gb_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const backend_names[] = {
	[GB_BACKEND_MODULE] = "module",
	[GB_BACKEND_SYSCALL] = "syscall",
};

#define NR_SYS (GB_SYS_API_END - GB_SYS_API_FIRST)

static const char *const sys_names[NR_SYS] = {
	[GB_SYS_IO_URING - GB_SYS_API_FIRST] = "io_uring_register_buffers",
	[GB_SYS_PROCESS_VM_READV - GB_SYS_API_FIRST] = "process_vm_readv",
	[GB_SYS_PROCESS_VM_WRITEV - GB_SYS_API_FIRST] = "process_vm_writev",
	[GB_SYS_VMSPLICE - GB_SYS_API_FIRST] = "vmsplice",
	[GB_SYS_O_DIRECT - GB_SYS_API_FIRST] = "odirect_read",
};

const char *gb_backend_name(enum gb_backend_kind k)
{
	return k <= GB_BACKEND_SYSCALL ? backend_names[k] : "?";
}

int gb_backend_from_name(const char *s, enum gb_backend_kind *k)
{
	for (int i = 0; i <= GB_BACKEND_SYSCALL; i++) {
		if (!strcmp(s, backend_names[i])) {
			*k = (enum gb_backend_kind)i;
			return 0;
		}
	}
	return -1;
}

bool gb_api_is_sys(unsigned int api)
{
	return api >= GB_SYS_API_FIRST && api < GB_SYS_API_END;
}

int gb_sys_api_from_name(const char *name)
{
	for (int i = 0; i < NR_SYS; i++)
		if (!strcmp(name, sys_names[i]))
			return GB_SYS_API_FIRST + i;
	return -1;
}

const char *gb_sys_api_name(unsigned int api)
{
	return gb_api_is_sys(api) ? sys_names[api - GB_SYS_API_FIRST] : "?";
}

const char *gb_sys_api_list(void)
{
	return "io_uring_register_buffers, process_vm_readv, process_vm_writev, vmsplice, odirect_read";
}

bool gb_sys_api_writes(unsigned int api)
{
	/*
	 * io_uring pins FOLL_WRITE whatever the buffer is used for;
	 * process_vm_writev and a read into the buffer store into it;
	 * process_vm_readv and vmsplice only read it.
	 */
	return api == GB_SYS_IO_URING || api == GB_SYS_PROCESS_VM_WRITEV ||
	       api == GB_SYS_O_DIRECT;
}

bool gb_sys_api_longterm(unsigned int api)
{
	return api == GB_SYS_IO_URING;
}

void gb_sys_normalize(struct gb_case *c, bool rw_given)
{
	if (c->backend != GB_BACKEND_SYSCALL || !gb_api_is_sys(c->api))
		return;
	if (!rw_given)
		c->write = gb_sys_api_writes(c->api);
	if (gb_sys_api_longterm(c->api))
		c->longterm = true;
}

/* The syscall backend's part of gb_check_case(). */
static int gb_sys_check_case(const struct gb_case *c, char *err, size_t errlen)
{
	const char *name = gb_sys_api_name(c->api);

	if (c->api != GUPBENCH_API_NOOP && !gb_api_is_sys(c->api))
		return gb_fail(err, errlen,
			    "--backend syscall: --api must be noop or one of %s (the module's APIs need --backend module)",
			    gb_sys_api_list());
	if (c->force)
		return gb_fail(err, errlen,
			    "--force: no system call passes FOLL_FORCE to GUP this way; use --backend module");
	if (c->lock_outside)
		return gb_fail(err, errlen,
			    "--lock-outside: the system calls take mmap_lock themselves; use --backend module");
	if (c->unpin_dirty)
		return gb_fail(err, errlen,
			    "--unpin-dirty: the system calls choose how they release; use --backend module");
	if (c->nofault || c->fast_only || c->remote_locked)
		return gb_fail(err, errlen,
			    "--%s: the system calls choose their GUP flags; use --backend module",
			    c->nofault ? "nofault" : c->fast_only ? "fast-only" :
			    "remote-locked");
	if (c->direct_path && c->api != GB_SYS_O_DIRECT)
		return gb_fail(err, errlen, "--direct-path: only --api odirect_read reads a file");
	if (c->api == GUPBENCH_API_NOOP)
		return 0;
	if (c->write != gb_sys_api_writes(c->api))
		return gb_fail(err, errlen, "--%s: %s %s; %s",
			    c->write ? "write" : "read", name,
			    gb_sys_api_writes(c->api) ?
			    "always takes the pages for writing (FOLL_WRITE)" :
			    "only reads the buffer",
			    c->api == GB_SYS_PROCESS_VM_READV ?
			    "use process_vm_writev to write it" :
			    "leave out --read/--write: the API decides");
	if (c->longterm != gb_sys_api_longterm(c->api))
		return gb_fail(err, errlen,
			    "--longterm: only io_uring_register_buffers pins long-term; %s holds the pages for the call only",
			    name);
	if (c->release == GUPBENCH_RELEASE_PER_CALL)
		return gb_fail(err, errlen,
			    "--release per-call: the system calls cannot be released call by call after the fact; use --backend module, or each-batch with io_uring_register_buffers");
	if (c->release != GUPBENCH_RELEASE_AFTER_ALL &&
	    c->api != GB_SYS_IO_URING)
		return gb_fail(err, errlen,
			    "--release-each: %s releases the pages %s, so there is no order to choose; it applies to io_uring_register_buffers",
			    name, c->api == GB_SYS_VMSPLICE ?
			    "when the pipe is drained after each call" :
			    "before the call returns");
	return 0;
}

/* Consistency of a case, whatever it came from (options or a preset). */
int gb_check_case(const struct gb_case *c, char *err, size_t errlen)
{
	uint64_t align = gb_mem_align(c->mem);
	char a[32];

	if (!c->size || c->size % align) {
		gb_format_size(align, a, sizeof(a));
		return gb_fail(err, errlen,
			    "--size %" PRIu64 ": must be a non-zero multiple of %s for --mem %s",
			    c->size, a, gb_mem_name(c->mem));
	}
	if (c->shared_buffer && c->threads < 2)
		return gb_fail(err, errlen,
			    "--shared-buffer: needs --threads 2 or more");
	if (c->backend == GB_BACKEND_SYSCALL)
		return gb_sys_check_case(c, err, errlen);
	if (gb_api_is_sys(c->api))
		return gb_fail(err, errlen,
			    "--api %s is a system call, not a module API: add --backend syscall",
			    gb_api_name(c->api));
	if (c->direct_path)
		return gb_fail(err, errlen,
			    "--direct-path: only with --backend syscall --api odirect_read");
	if (c->longterm && !(c->api >= GUPBENCH_API_PIN_USER_PAGES ||
			     c->api == GUPBENCH_API_NOOP))
		return gb_fail(err, errlen,
			    "--longterm: only the pin_user_pages* APIs take FOLL_LONGTERM (got --api %s)",
			    gb_api_name(c->api));
	if (c->unpin_dirty && c->api < GUPBENCH_API_PIN_USER_PAGES)
		return gb_fail(err, errlen,
			    "--unpin-dirty: only the pin_user_pages* APIs release with unpin_user_pages_dirty_lock (got --api %s)",
			    gb_api_name(c->api));
	if (c->fast_only && c->api != GUPBENCH_API_GET_USER_PAGES_FAST)
		return gb_fail(err, errlen,
			    "--fast-only: only get_user_pages_fast has a _fast_only form (got --api %s)",
			    gb_api_name(c->api));
	if (c->remote_locked && c->api != GUPBENCH_API_GET_USER_PAGES_REMOTE &&
	    c->api != GUPBENCH_API_PIN_USER_PAGES_REMOTE)
		return gb_fail(err, errlen,
			    "--remote-locked: only get/pin_user_pages_remote take a `locked` pointer (got --api %s)",
			    gb_api_name(c->api));
	if (c->remote_locked && c->lock_outside)
		return gb_fail(err, errlen,
			    "--remote-locked: GUP may drop mmap_lock, so it cannot be taken outside; leave out --lock-outside");
	if (c->unpin_dirty && !c->write)
		return gb_fail(err, errlen,
			    "--unpin-dirty: dirtying pages pinned for reading would mark the file's or the zero page dirty; add --write");
	if (c->lock_outside &&
	    c->api != GUPBENCH_API_GET_USER_PAGES &&
	    c->api != GUPBENCH_API_GET_USER_PAGES_REMOTE &&
	    c->api != GUPBENCH_API_PIN_USER_PAGES &&
	    c->api != GUPBENCH_API_PIN_USER_PAGES_REMOTE)
		return gb_fail(err, errlen,
			    "--lock-outside: --api %s takes mmap_lock itself; use get/pin_user_pages or their _remote variants",
			    gb_api_name(c->api));
	return 0;
}
