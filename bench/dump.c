// SPDX-License-Identifier: GPL-2.0
/*
 * `gupbench dump`: take a buffer with one API and have the module
 * dump_page() chosen pages of it into the kernel log (GUPBENCH_IOC_DUMP,
 * gup_test's DUMP_USER_PAGES_TEST): what the kernel thinks of a page GUP
 * returned, its flags, refcount and mapping.  Not a measurement.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/gupbench.h>
#include "buffer.h"
#include "device.h"
#include "dump.h"
#include "mthp.h"
#include "options.h"

static void dump_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench dump --api NAME --page N [--page N...] [--mem KIND]\n"
		"       [--size SIZE] [--write] [--longterm]\n"
		"  takes the buffer (default base, 2M) with the API, dump_page()s\n"
		"  the pages at the indices given (up to %d) into the kernel log\n"
		"  (read it with dmesg), releases them\n",
		GUPBENCH_DUMP_MAX);
}

/* A usage error: the message, the argument, exit status 2. */
static int dump_fail(const char *msg, const char *arg)
{
	fprintf(stderr, "gupbench dump: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	return 2;
}

int gb_cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api", required_argument, NULL, 'a' },
		{ "mem", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "page", required_argument, NULL, 'p' },
		{ "write", no_argument, NULL, 'w' },
		{ "longterm", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t idx[GUPBENCH_DUMP_MAX], v;
	struct gupbench_dump d = { .size = sizeof(d) };
	char err[GB_ERRLEN];
	struct gb_buffer buf;
	struct gb_mthp_saved mthp;
	bool sized;
	struct gb_dev dev;
	struct gb_case c;
	unsigned int nr = 0;
	int opt, api, ret;

	gb_case_defaults(&c);
	c.size = 2 << 20;
	c.api = GUPBENCH_API_NOOP;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			api = gb_api_from_name(optarg);
			if (api <= GUPBENCH_API_NOOP)
				return dump_fail("--api: give a GUP API, e.g. pin_user_pages_fast", optarg);
			c.api = (unsigned int)api;
			break;
		case 'm':
			if (gb_mem_from_name(optarg, &c.mem, &c.file_path))
				return dump_fail("--mem: base, thp, hugetlb, hugetlb-1g, shmem, memfd or file:PATH", optarg);
			break;
		case 's':
			if (gb_parse_size(optarg, &c.size))
				return dump_fail("--size: a size such as 64K or 2M", optarg);
			break;
		case 'p':
			if (nr == GUPBENCH_DUMP_MAX)
				return dump_fail("--page: too many (the module dumps at most 64 at once)", optarg);
			if (gb_parse_count(optarg, UINT64_MAX, &v))
				return dump_fail("--page: a page index from 0", optarg);
			idx[nr++] = v;
			break;
		case 'w': c.write = true; break;
		case 'l': c.longterm = true; break;
		case 'h': dump_usage(stdout); return 0;
		default:
			return dump_fail("unknown option or missing value (see gupbench dump --help)",
					 argv[optind - 1]);
		}
	}
	if (optind != argc)
		return dump_fail("unexpected argument", argv[optind]);
	if (c.api == GUPBENCH_API_NOOP || !nr)
		return dump_fail("give --api and at least one --page", NULL);
	if (gb_check_case(&c, err, sizeof(err)))
		return dump_fail(err, NULL);
	for (unsigned int i = 0; i < nr; i++)
		if (idx[i] >= c.size / 4096)
			return dump_fail("--page: beyond the buffer (indices run from 0 to size/4K - 1)", NULL);
	/* from here on a failure is the machine's, exit status 1 */
	if (gb_dev_open(&dev, err, sizeof(err))) {
		fprintf(stderr, "gupbench dump: %s\n", err);
		return 1;
	}
	/* thp:SIZE, shmem:SIZE: that size alone while the buffer faults in */
	sized = gb_mem_is_sized(c.mem);
	if (sized && gb_mthp_select(c.mem, &mthp, err, sizeof(err))) {
		fprintf(stderr, "gupbench dump: %s\n", err);
		gb_dev_close(&dev);
		return 1;
	}
	if (gb_buffer_create(&buf, &c, err, sizeof(err))) {
		fprintf(stderr, "gupbench dump: %s\n", err);
		if (sized)
			gb_mthp_restore(&mthp);
		gb_dev_close(&dev);
		return 1;
	}
	gb_buffer_prefault(&buf);
	if (sized)
		gb_mthp_restore(&mthp);
	d.api = c.api;
	d.flags = (c.write ? GUPBENCH_F_WRITE : 0) |
		  (c.longterm ? GUPBENCH_F_LONGTERM : 0);
	d.addr = (uintptr_t)buf.addr;
	d.len = buf.len;
	d.pages = (uintptr_t)idx;
	d.nr = nr;
	ret = ioctl(dev.fd, GUPBENCH_IOC_DUMP, &d) ? errno : 0;
	gb_buffer_destroy(&buf);
	gb_dev_close(&dev);
	if (ret) {
		fprintf(stderr, "gupbench dump: %s: %s\n", gb_api_name(c.api),
			ret == ENOTTY ? "the module has no DUMP (ABI 2 needed): rebuild and reload it" :
			strerror(ret));
		return 1;
	}
	printf("gupbench dump: %" PRIu64 " page%s of a %s buffer taken with %s dumped to the kernel log (dmesg | grep -A4 'gupbench dump')\n",
	       (uint64_t)d.dumped, d.dumped == 1 ? "" : "s", gb_mem_name(c.mem),
	       gb_api_name(c.api));
	return 0;
}
