/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every gupbench selftest needs besides the harness: the device, test
 * buffers of each memory kind, the kernel's pin counters, and the content
 * pattern and checksum that the module computes on its side too.
 */
#ifndef GUPBENCH_UTIL_H
#define GUPBENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/gupbench.h>

#define GB_PAGE_SIZE	4096UL
#define GB_HPAGE_SIZE	(2UL << 20)

/* The reason every test gives when /dev/gupbench is not there. */
#define GB_NO_MODULE	"module not loaded: insmod gupbench.ko or use vm/run"

/* Returned by the probes below when the machine lacks a feature. */
#define GB_SKIP		1

enum gb_mem {
	GB_MEM_BASE,	/* anonymous, MADV_NOHUGEPAGE */
	GB_MEM_THP,	/* anonymous, 2 MiB aligned, MADV_HUGEPAGE */
	GB_MEM_HUGETLB,	/* MAP_HUGETLB, 2 MiB pages */
};

struct gb_buf {
	char *addr;		/* start of the usable, aligned range */
	size_t len;
	void *map;		/* what to munmap() */
	size_t map_len;
	enum gb_mem mem;
};

/* Counters from /proc/vmstat, folded with vm.stat_refresh first. */
struct gb_pins {
	int64_t acquired;	/* nr_foll_pin_acquired */
	int64_t released;	/* nr_foll_pin_released */
};

/* open(/dev/gupbench); -1 with errno on failure. */
int gb_open(void);
/*
 * Why a failed gb_open() means "skip" rather than "fail": the reason for
 * errno @err (module not loaded, not root), or NULL for a real failure.
 */
const char *gb_no_device(int err);
/* ioctl() that returns 0 or the errno it failed with. */
int gb_ioctl(int fd, unsigned long cmd, void *arg);

/* A RUN/HOLD request over [addr, addr + len), everything else zero. */
void gb_run_init(struct gupbench_run *run, unsigned int api, uint64_t flags,
		 const void *addr, size_t len, uint64_t batch);
int gb_content(int fd, unsigned int op, uint64_t seed,
	       struct gupbench_content *c);
int gb_caps(int fd, struct gupbench_caps *caps);

const char *gb_api_name(unsigned int api);

/* Every GUP entry point of the ABI (all APIs but noop), for loops. */
#define GB_NR_GUP_APIS	(GUPBENCH_API_COUNT - GUPBENCH_API_GET_USER_PAGES)
extern const unsigned int gb_gup_apis[GB_NR_GUP_APIS];
bool gb_api_pins(unsigned int api);
/* HOLD's flags for @api: a pinned hold is always FOLL_LONGTERM. */
uint64_t gb_hold_flags(unsigned int api, uint64_t flags);
/* Why @api cannot hold on this kernel (a SKIP reason), or NULL. */
const char *gb_hold_unsupported(int fd, unsigned int api);
/* get/pin_user_pages(_remote): the caller takes mmap_lock around them. */
bool gb_api_caller_locks(unsigned int api);
const char *gb_mem_name(enum gb_mem mem);

/*
 * Map @len bytes of @mem and touch every page.  Returns 0, GB_SKIP with
 * the reason in @why when the machine cannot give that kind, or -1 with
 * errno.
 */
int gb_buf_map(struct gb_buf *b, enum gb_mem mem, size_t len,
	       char *why, size_t whylen);
void gb_buf_unmap(struct gb_buf *b);

/* Can THP be asked for here?  0, or GB_SKIP with the reason in @why. */
int gb_thp_usable(char *why, size_t whylen);
/* AnonHugePages of the mappings inside [addr, addr + len), in bytes; -1. */
long long gb_smaps_anon_huge(const void *addr, size_t len);

/*
 * A buffer size for a process that is killed mid-pin: a quarter of free
 * RAM, clamped to [min, max], in whole 2 MiB.  Large enough that the kill
 * lands inside a long pin, small enough never to need the OOM killer.
 */
size_t gb_kill_len(size_t min, size_t max);

/* 0, or -1 with errno when /proc/vmstat lacks the counters. */
int gb_pins_read(struct gb_pins *p);
/* One /proc/vmstat counter as it is (no stat_refresh); -1/ENOENT. */
int gb_vmstat(const char *name, int64_t *val);

/* The pattern of include/uapi/linux/gupbench.h, from userspace's side. */
void gb_fill(void *addr, size_t len, uint64_t seed);
/* Pages of [addr, addr + len) holding a word that is not the pattern. */
uint64_t gb_bad_pages(const void *addr, size_t len, uint64_t seed);
uint64_t gb_checksum(const void *addr, size_t len);

/* Is the running kernel (uname -r) older than @major.@minor? */
bool gb_kernel_before(unsigned int major, unsigned int minor);

/* A whole file's first line as an unsigned number; -1 with errno. */
int gb_read_u64(const char *path, uint64_t *val);

#endif /* GUPBENCH_UTIL_H */
