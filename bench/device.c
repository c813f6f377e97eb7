// SPDX-License-Identifier: GPL-2.0
/* /dev/gupbench: opening it with a useful error, and its ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"

int gb_dev_open(struct gb_dev *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->fd = open(GUPBENCH_DEVICE, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		int e = errno;

		if (e == ENOENT)
			snprintf(err, errlen,
				 "%s not found: load the module (insmod kmod/gupbench.ko) or run inside a guest with vm/run -- gupbench ...",
				 GUPBENCH_DEVICE);
		else if (e == EACCES || e == EPERM)
			snprintf(err, errlen,
				 "%s: permission denied: gupbench needs root (the device is mode 0600)",
				 GUPBENCH_DEVICE);
		else
			snprintf(err, errlen, "%s: %s", GUPBENCH_DEVICE,
				 strerror(e));
		return -1;
	}
	d->caps.size = sizeof(d->caps);
	if (ioctl(d->fd, GUPBENCH_IOC_CAPS, &d->caps)) {
		snprintf(err, errlen,
			 "%s: capabilities query failed (%s): the loaded module does not speak this tool's ABI; rebuild and reload it",
			 GUPBENCH_DEVICE, strerror(errno));
		gb_dev_close(d);
		return -1;
	}
	if (d->caps.abi_version != GUPBENCH_ABI_VERSION) {
		snprintf(err, errlen,
			 "%s: module ABI %u, tool ABI %u: rebuild the module and the tools from one tree",
			 GUPBENCH_DEVICE, d->caps.abi_version,
			 GUPBENCH_ABI_VERSION);
		gb_dev_close(d);
		return -1;
	}
	return 0;
}

void gb_dev_close(struct gb_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int gb_dev_run(const struct gb_dev *d, struct gupbench_run *r)
{
	r->size = sizeof(*r);
	return ioctl(d->fd, GUPBENCH_IOC_RUN, r) ? -errno : 0;
}

const char *gb_dev_instr_unavailable(const struct gb_dev *d, char *buf,
				     size_t len)
{
	/* a module older than the counter leaves instr_error at 0 */
	if (d->caps.run_size < GUPBENCH_RUN_SIZE_VER1)
		snprintf(buf, len,
			 "the loaded module predates the instruction counter: rebuild and reload it");
	else if (d->caps.instr_error == ENOENT ||
		 d->caps.instr_error == EOPNOTSUPP)
		snprintf(buf, len,
			 "no retired-instruction counter (%s): the kernel has no hardware PMU here, as under QEMU TCG; use vm/run --clock instructions there",
			 strerror(d->caps.instr_error));
	else if (d->caps.instr_error)
		snprintf(buf, len,
			 "the kernel refused a retired-instruction counter: %s",
			 strerror(d->caps.instr_error));
	else
		return NULL;
	return buf;
}

const char *gb_dev_explain(int err)
{
	switch (err) {
	case EFAULT:
		return "the kernel refused the range (unmapped, PROT_NONE, read-only for --write, or a longterm pin of memory that cannot be pinned long-term)";
	case EINVAL:
		return "the module rejected the request's parameters";
	case ENOMEM:
		return "out of memory: use a smaller --size";
	case EINTR:
		return "interrupted by a fatal signal";
	case EOPNOTSUPP:
		return "the kernel does not support this kind of pin on this memory";
	}
	return "unexpected error from the module";
}
