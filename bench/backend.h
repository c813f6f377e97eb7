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

#include <linux/gupbench.h>
#include "case.h"
#include "options.h"

struct gb_buffer;
struct gb_env;

/* io_uring refuses a registered buffer over 1 GiB (io_buffer_validate). */
#define GB_IO_URING_MAX_PAGES	(1UL << 18)
/* ... and a table of more than 16384 (IORING_MAX_REG_BUFFERS). */
#define GB_IO_URING_MAX_BUFS	16384

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
