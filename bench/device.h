/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/gupbench: opening it with a useful error, and its ioctls. */
#ifndef GB_DEVICE_H
#define GB_DEVICE_H

#include <stddef.h>
#include <linux/gupbench.h>

struct gb_dev {
	int fd;
	struct gupbench_caps caps;
};

/* 0, or -1 with a message that says how to get a usable device. */
int gb_dev_open(struct gb_dev *d, char *err, size_t errlen);
void gb_dev_close(struct gb_dev *d);
/* 0 or -errno; r->size is set here. */
int gb_dev_run(const struct gb_dev *d, struct gupbench_run *r);
/*
 * NULL when the module can count retired instructions for us
 * (GUPBENCH_F_INSTRUCTIONS), else why not, written into @buf.
 */
const char *gb_dev_instr_unavailable(const struct gb_dev *d, char *buf,
				     size_t len);
/* Why a RUN failed, and what to do about it. */
const char *gb_dev_explain(int err);

#endif
