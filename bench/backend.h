/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How one repeat is taken: through /dev/gupbench (the module backend), or
 * through system calls that reach GUP from userspace (the syscall backend),
 * for kernels where no module can be loaded.  Both fill a struct
 * gupbench_run the same way, so the runner, the statistics and the reports
 * do not care which one measured.
 */
#ifndef GB_BACKEND_H
#define GB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include <gupbench.h>
#include "options.h"

struct gb_buffer;
struct gb_env;

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

/* io_uring refuses a registered buffer over 1 GiB (io_buffer_validate). */
#define GB_IO_URING_MAX_PAGES	(1UL << 18)
/* ... and a table of more than 16384 (IORING_MAX_REG_BUFFERS). */
#define GB_IO_URING_MAX_BUFS	16384

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
/* The syscall backend's part of gb_check_case(). */
int gb_sys_check_case(const struct gb_case *c, char *err, size_t errlen);

/*
 * One backend.  open() makes a thread's state for one case (a ring, a
 * pipe, a file), run() takes one repeat into @r exactly as
 * GUPBENCH_IOC_RUN would (r->batch in, clamped batch out), close() frees
 * the state.  run() with ctx NULL is only valid for GUPBENCH_API_NOOP.
 * Errors: -errno, with a message naming the fix in @err.
 */
struct gb_backend {
	const char *name;
	int (*open)(const struct gb_env *env, const struct gb_case *c,
		    const struct gb_buffer *buf, void **ctx,
		    char *err, size_t errlen);
	int (*run)(const struct gb_env *env, const struct gb_case *c,
		   void *ctx, struct gupbench_run *r, char *err,
		   size_t errlen);
	void (*close)(void *ctx);
};

extern const struct gb_backend gb_backend_module;
extern const struct gb_backend gb_backend_syscall;

const struct gb_backend *gb_backend_of(const struct gb_case *c);

#endif
