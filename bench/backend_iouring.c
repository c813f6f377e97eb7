// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring buffer registration by raw system calls: a registered buffer is
 * pinned with FOLL_WRITE | FOLL_LONGTERM until it is unregistered, which
 * makes it the one long-term pin that userspace can take without a module.
 * Only the ring's file descriptor is needed (no SQ/CQ mmap): registration
 * is all that is measured.
 */
/* also built into selftests/syscall_gup, which has no -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backend_syscall.h"

static int ret_errno(long ret)
{
	return ret < 0 ? -errno : 0;
}

int gb_uring_setup(int *fd)
{
	struct io_uring_params p;
	long ret;

	memset(&p, 0, sizeof(p));
	ret = syscall(__NR_io_uring_setup, 1, &p);
	if (ret < 0)
		return -errno;
	*fd = (int)ret;
	return 0;
}

static long uring_register(int fd, unsigned int op, const void *arg,
			   unsigned int nr)
{
	return syscall(__NR_io_uring_register, fd, op, arg, nr);
}

int gb_uring_register(int fd, void *addr, size_t len)
{
	struct iovec iov = { .iov_base = addr, .iov_len = len };

	return ret_errno(uring_register(fd, IORING_REGISTER_BUFFERS, &iov, 1));
}

int gb_uring_register_sparse(int fd, unsigned int nr)
{
	struct io_uring_rsrc_register rr;

	memset(&rr, 0, sizeof(rr));
	rr.nr = nr;
	rr.flags = IORING_RSRC_REGISTER_SPARSE;
	return ret_errno(uring_register(fd, IORING_REGISTER_BUFFERS2, &rr,
					sizeof(rr)));
}

int gb_uring_update(int fd, unsigned int slot, void *addr, size_t len)
{
	struct iovec iov = { .iov_base = addr, .iov_len = len };
	struct io_uring_rsrc_update2 up;
	long ret;

	memset(&up, 0, sizeof(up));
	up.offset = slot;
	up.data = (uintptr_t)&iov;
	up.nr = 1;
	ret = uring_register(fd, IORING_REGISTER_BUFFERS_UPDATE, &up,
			     sizeof(up));
	if (ret < 0)
		return -errno;
	return ret == 1 ? 0 : -EIO;	/* it returns the slots updated */
}

int gb_uring_unregister(int fd)
{
	return ret_errno(uring_register(fd, IORING_UNREGISTER_BUFFERS, NULL, 0));
}

static int read_int(const char *path, long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

void gb_uring_setup_explain(int err, char *buf, size_t len)
{
	long disabled = 0, group = -1;

	switch (-err) {
	case ENOSYS:
		snprintf(buf, len,
			 "io_uring_setup: not implemented: the kernel is built without io_uring (CONFIG_IO_URING) or a seccomp filter (container runtime) blocks it; allow io_uring or use another --api");
		return;
	case EPERM:
		read_int("/proc/sys/kernel/io_uring_disabled", &disabled);
		read_int("/proc/sys/kernel/io_uring_group", &group);
		if (disabled == 2)
			snprintf(buf, len,
				 "io_uring_setup: io_uring is disabled (kernel.io_uring_disabled = 2); enable it with: sysctl -w kernel.io_uring_disabled=0");
		else if (disabled == 1)
			snprintf(buf, len,
				 "io_uring_setup: io_uring is limited to root and the group kernel.io_uring_group = %ld (kernel.io_uring_disabled = 1); add this user to that group, run as root, or: sysctl -w kernel.io_uring_disabled=0",
				 group);
		else
			snprintf(buf, len,
				 "io_uring_setup: not permitted by a security policy (seccomp, SELinux, AppArmor or a container runtime); allow io_uring or use another --api");
		return;
	case EMFILE:
	case ENFILE:
		snprintf(buf, len, "io_uring_setup: out of file descriptors; raise ulimit -n");
		return;
	}
	snprintf(buf, len, "io_uring_setup: %s", strerror(-err));
}

void gb_uring_register_explain(int err, uint64_t bytes, char *buf,
			       size_t len)
{
	struct rlimit rl;

	switch (-err) {
	case ENOMEM:
		if (!getrlimit(RLIMIT_MEMLOCK, &rl) && rl.rlim_cur != RLIM_INFINITY &&
		    (uint64_t)rl.rlim_cur < bytes) {
			snprintf(buf, len,
				 "io_uring_register_buffers: RLIMIT_MEMLOCK is %llu KiB and the buffer is %llu KiB; without CAP_IPC_LOCK io_uring charges registered buffers to it: raise it (ulimit -l unlimited, memlock in /etc/security/limits.conf, LimitMEMLOCK= for a service) or run as root",
				 (unsigned long long)rl.rlim_cur >> 10,
				 (unsigned long long)bytes >> 10);
			return;
		}
		snprintf(buf, len,
			 "io_uring_register_buffers: out of memory (or over RLIMIT_MEMLOCK, ulimit -l, with other pinned memory): use a smaller --size or raise the limit");
		return;
	case EOPNOTSUPP:
		snprintf(buf, len,
			 "io_uring_register_buffers: this kernel refuses file-backed buffers other than shmem and hugetlbfs; use --mem base, thp, hugetlb, shmem or memfd");
		return;
	case EFAULT:
		snprintf(buf, len,
			 "io_uring_register_buffers: the kernel refused to pin the range long-term (since 6.5 a long-term write pin of a file mapping other than shmem/hugetlbfs is refused; a buffer over 1 GiB is too)");
		return;
	case EINVAL:
		snprintf(buf, len,
			 "io_uring_register_buffers: EINVAL: the kernel rejected the registration (before 5.19 sparse tables do not exist: use --release-each or --batch all)");
		return;
	}
	snprintf(buf, len, "io_uring_register_buffers: %s", strerror(-err));
}

int gb_uring_probe(char *why, size_t len)
{
	int fd = -1, ret;

	ret = gb_uring_setup(&fd);
	if (ret) {
		gb_uring_setup_explain(ret, why, len);
		return ret;
	}
	close(fd);
	return 0;
}
