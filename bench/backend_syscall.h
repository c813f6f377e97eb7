/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pieces of the syscall backend (backend_syscall.c): io_uring buffer
 * registration by raw system calls, the O_DIRECT source file, and the
 * probes that say why a syscall API cannot run here.  Each returns 0 or
 * -errno; the *_explain() helpers turn an errno into a message that names
 * the fix.
 */
#ifndef GB_BACKEND_SYSCALL_H
#define GB_BACKEND_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* io_uring (backend_iouring.c) */
int gb_uring_setup(int *fd);
/* IORING_REGISTER_BUFFERS of one buffer: pins it (FOLL_LONGTERM). */
int gb_uring_register(int fd, void *addr, size_t len);
/* IORING_REGISTER_BUFFERS2, sparse: @nr empty slots, nothing pinned. */
int gb_uring_register_sparse(int fd, unsigned int nr);
/* IORING_REGISTER_BUFFERS_UPDATE of one slot: pins the buffer into it. */
int gb_uring_update(int fd, unsigned int slot, void *addr, size_t len);
/* IORING_UNREGISTER_BUFFERS: unpins every registered buffer. */
int gb_uring_unregister(int fd);
/* Why io_uring_setup failed (-errno), and what to do. */
void gb_uring_setup_explain(int err, char *buf, size_t len);
/* Why a registration of @bytes failed (-errno), and what to do. */
void gb_uring_register_explain(int err, uint64_t bytes, char *buf,
			       size_t len);
/* 0 when io_uring can be set up here, else -errno with the reason. */
int gb_uring_probe(char *why, size_t len);

/* O_DIRECT source (backend_direct.c) */
struct gb_direct {
	int fd;			/* open with O_DIRECT, read from offset 0 */
	uint64_t bytes;		/* readable bytes from offset 0 */
	char fstype[32];	/* "ext4", "xfs", "block device", ... */
};

/*
 * Open @path for O_DIRECT reads of @bytes: a directory (a file with real
 * blocks is written there and unlinked), an existing file or a block
 * device.  NULL means the current directory.  Refuses file systems that
 * accept O_DIRECT without doing direct I/O (tmpfs).
 */
int gb_direct_open(struct gb_direct *d, const char *path, uint64_t bytes,
		   char *err, size_t errlen);
void gb_direct_close(struct gb_direct *d);
/* The file system @path is on ("ext4", "9p", "block device", ...). */
void gb_direct_fstype(const char *path, char *buf, size_t len);
/* The name of a file system magic (statfs f_type), or NULL. */
const char *gb_fs_name(long magic);

#endif
