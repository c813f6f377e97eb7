// SPDX-License-Identifier: GPL-2.0
/*
 * The file an odirect_read case reads from.  A direct read reaches GUP only
 * when the file system really does direct I/O into the user buffer: a hole
 * or an unwritten extent is zero-filled without touching GUP, and tmpfs
 * (6.6+) accepts O_DIRECT but copies from its page cache.  So the file is
 * written with real blocks first, and tmpfs/ramfs are refused.
 */
/* also built into selftests/syscall_gup, which has no -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "backend_syscall.h"

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static const struct {
	long magic;
	const char *name;
} fs_names[] = {
	{ TMPFS_MAGIC, "tmpfs" },
	{ RAMFS_MAGIC, "ramfs" },
	{ EXT4_SUPER_MAGIC, "ext2/3/4" },
	{ XFS_SUPER_MAGIC, "xfs" },
	{ BTRFS_SUPER_MAGIC, "btrfs" },
	{ F2FS_SUPER_MAGIC, "f2fs" },
	{ NFS_SUPER_MAGIC, "nfs" },
	{ V9FS_MAGIC, "9p" },
	{ FUSE_SUPER_MAGIC, "fuse" },
	{ OVERLAYFS_SUPER_MAGIC, "overlayfs" },
	{ HUGETLBFS_MAGIC, "hugetlbfs" },
	{ SQUASHFS_MAGIC, "squashfs" },
};

const char *gb_fs_name(long magic)
{
	for (size_t i = 0; i < sizeof(fs_names) / sizeof(*fs_names); i++)
		if (fs_names[i].magic == magic)
			return fs_names[i].name;
	return NULL;
}

/*
 * The mount's own type from /proc/self/mountinfo, matched by device
 * number: statfs() is not enough, 9p passes the host's f_type through
 * (a 9p share of an ext4 directory says EXT4_SUPER_MAGIC).
 */
static bool mount_type(dev_t dev, char *buf, size_t len)
{
	unsigned int maj, min;
	char line[4096], *sep;
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2 ||
		    maj != major(dev) || min != minor(dev))
			continue;
		sep = strstr(line, " - ");
		if (sep && sscanf(sep + 3, "%31s", buf) == 1 && len >= 32)
			found = true;
	}
	fclose(f);
	return found;
}

static void fs_type(int fd, char *buf, size_t len)
{
	struct statfs sfs;
	struct stat st;
	const char *name;

	if (!fstat(fd, &st) && mount_type(st.st_dev, buf, len))
		return;
	if (fstatfs(fd, &sfs)) {
		snprintf(buf, len, "unknown");
		return;
	}
	name = gb_fs_name((long)sfs.f_type);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%lx", (unsigned long)sfs.f_type);
}

void gb_direct_fstype(const char *path, char *buf, size_t len)
{
	struct stat st;
	int fd;

	snprintf(buf, len, "unknown");
	if (!path)
		path = ".";
	if (!stat(path, &st) && S_ISBLK(st.st_mode)) {
		snprintf(buf, len, "block device");
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	fs_type(fd, buf, len);
	close(fd);
}

static int refuse_fs(const struct gb_direct *d, const char *path,
		     char *err, size_t errlen)
{
	if (strcmp(d->fstype, "tmpfs") && strcmp(d->fstype, "ramfs") &&
	    strcmp(d->fstype, "rootfs"))
		return 0;
	snprintf(err, errlen,
		 "odirect_read: %s is on %s, which has no direct I/O (tmpfs accepts O_DIRECT since 6.6 but copies from its page cache; ramfs and an initramfs refuse it): no GUP would happen. Point --direct-path at a directory on a disk file system (ext4, xfs, btrfs) or at a block device",
		 path, d->fstype);
	return -EINVAL;
}

static int no_odirect(const struct gb_direct *d, const char *path, int e,
		      char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "odirect_read: %s (%s) does not support O_DIRECT (%s); point --direct-path at a directory on ext4, xfs or btrfs, or at a block device",
		 path, d->fstype, strerror(e));
	return -e;
}

/* Real blocks, written and on disk, then dropped from the page cache. */
static int fill(int fd, uint64_t bytes, const char *path, char *err,
		size_t errlen)
{
	size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	uint64_t off = 0;

	if (!buf) {
		snprintf(err, errlen, "odirect_read: out of memory");
		return -ENOMEM;
	}
	memset(buf, 0x5a, chunk);
	while (off < bytes) {
		size_t n = bytes - off < chunk ? (size_t)(bytes - off) : chunk;
		ssize_t w = pwrite(fd, buf, n, (off_t)off);

		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;

			free(buf);
			snprintf(err, errlen,
				 "odirect_read: writing the %" PRIu64 " byte source file in %s: %s",
				 bytes, path, strerror(e));
			return -e;
		}
		off += (uint64_t)w;
	}
	free(buf);
	if (fdatasync(fd)) {
		snprintf(err, errlen, "odirect_read: fdatasync in %s: %s", path,
			 strerror(errno));
		return -errno;
	}
	posix_fadvise(fd, 0, (off_t)bytes, POSIX_FADV_DONTNEED);
	return 0;
}

static int open_in_dir(struct gb_direct *d, const char *dir, uint64_t bytes,
		       char *err, size_t errlen)
{
	char path[4096];
	int fl, ret;

	d->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (d->fd < 0) {
		/* 9p, older file systems: a named file, unlinked at once */
		snprintf(path, sizeof(path), "%s/.gupbench-direct.XXXXXX", dir);
		d->fd = mkstemp(path);
		if (d->fd < 0) {
			snprintf(err, errlen,
				 "odirect_read: cannot create a file in %s: %s; pass a writable directory with --direct-path",
				 dir, strerror(errno));
			return -errno;
		}
		unlink(path);
	}
	fs_type(d->fd, d->fstype, sizeof(d->fstype));
	ret = refuse_fs(d, dir, err, errlen);
	if (!ret)
		ret = fill(d->fd, bytes, dir, err, errlen);
	if (ret)
		return ret;
	fl = fcntl(d->fd, F_GETFL);
	if (fl < 0 || fcntl(d->fd, F_SETFL, fl | O_DIRECT))
		return no_odirect(d, dir, errno, err, errlen);
	d->bytes = bytes;
	return 0;
}

static int open_existing(struct gb_direct *d, const char *path,
			 const struct stat *st, uint64_t bytes,
			 char *err, size_t errlen)
{
	uint64_t have = (uint64_t)st->st_size;
	off_t hole;
	int ret;

	d->fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (d->fd < 0 && errno == EINVAL) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			fs_type(fd, d->fstype, sizeof(d->fstype));
			close(fd);
		}
		return no_odirect(d, path, EINVAL, err, errlen);
	}
	if (d->fd < 0) {
		snprintf(err, errlen, "odirect_read: cannot open %s: %s", path,
			 strerror(errno));
		return -errno;
	}
	if (S_ISBLK(st->st_mode)) {
		snprintf(d->fstype, sizeof(d->fstype), "block device");
		if (ioctl(d->fd, BLKGETSIZE64, &have))
			have = 0;
	} else {
		fs_type(d->fd, d->fstype, sizeof(d->fstype));
		ret = refuse_fs(d, path, err, errlen);
		if (ret)
			return ret;
		hole = lseek(d->fd, 0, SEEK_HOLE);
		if (hole >= 0 && (uint64_t)hole < bytes && (uint64_t)hole < have) {
			snprintf(err, errlen,
				 "odirect_read: %s has a hole at byte %lld: a direct read of a hole is zero-filled without GUP; write the file fully first (dd if=/dev/urandom of=%s bs=1M count=%" PRIu64 " conv=fsync)",
				 path, (long long)hole, path, (bytes + (1 << 20) - 1) >> 20);
			return -EINVAL;
		}
	}
	if (have < bytes) {
		snprintf(err, errlen,
			 "odirect_read: %s has %" PRIu64 " bytes, one call reads %" PRIu64 ": use a bigger file or a smaller --batch",
			 path, have, bytes);
		return -EINVAL;
	}
	d->bytes = bytes;
	return 0;
}

int gb_direct_open(struct gb_direct *d, const char *path, uint64_t bytes,
		   char *err, size_t errlen)
{
	struct stat st;
	int ret;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	snprintf(d->fstype, sizeof(d->fstype), "unknown");
	if (!path)
		path = ".";
	if (stat(path, &st)) {
		snprintf(err, errlen, "--direct-path %s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		ret = open_in_dir(d, path, bytes, err, errlen);
	else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
		ret = open_existing(d, path, &st, bytes, err, errlen);
	else {
		snprintf(err, errlen,
			 "--direct-path %s: not a directory, regular file or block device",
			 path);
		ret = -EINVAL;
	}
	if (ret)
		gb_direct_close(d);
	return ret;
}

void gb_direct_close(struct gb_direct *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
