// SPDX-License-Identifier: GPL-2.0
/* Backend names, the syscall APIs' vocabulary and what a case may ask. */
#include <stdio.h>
#include <string.h>

#include "backend.h"

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


int gb_sys_check_case(const struct gb_case *c, char *err, size_t errlen)
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

const struct gb_backend *gb_backend_of(const struct gb_case *c)
{
	return c->backend == GB_BACKEND_SYSCALL ? &gb_backend_syscall :
						  &gb_backend_module;
}
