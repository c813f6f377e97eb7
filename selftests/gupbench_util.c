// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the gupbench selftests; see gupbench_util.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "gupbench_util.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#define GB_MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)

#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

int gb_open(void)
{
	return open(GUPBENCH_DEVICE, O_RDWR | O_CLOEXEC);
}

const char *gb_no_device(int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return GB_NO_MODULE;
	case EACCES:
	case EPERM:
		return "needs root: " GUPBENCH_DEVICE " is mode 0600, owner root";
	}
	return NULL;
}

int gb_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

void gb_run_init(struct gupbench_run *run, unsigned int api, uint64_t flags,
		 const void *addr, size_t len, uint64_t batch)
{
	memset(run, 0, sizeof(*run));
	run->size = sizeof(*run);
	run->api = api;
	run->flags = flags;
	run->addr = (uintptr_t)addr;
	run->len = len;
	run->batch = batch;
}

int gb_content(int fd, unsigned int op, uint64_t seed,
	       struct gupbench_content *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->op = op;
	c->seed = seed;
	return gb_ioctl(fd, GUPBENCH_IOC_CONTENT, c);
}

int gb_caps(int fd, struct gupbench_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->size = sizeof(*caps);
	return gb_ioctl(fd, GUPBENCH_IOC_CAPS, caps);
}

static const char *const gb_api_names[GUPBENCH_API_COUNT] = {
	[GUPBENCH_API_NOOP] = "noop",
	[GUPBENCH_API_GET_USER_PAGES] = "get_user_pages",
	[GUPBENCH_API_GET_USER_PAGES_FAST] = "get_user_pages_fast",
	[GUPBENCH_API_GET_USER_PAGES_UNLOCKED] = "get_user_pages_unlocked",
	[GUPBENCH_API_GET_USER_PAGES_REMOTE] = "get_user_pages_remote",
	[GUPBENCH_API_PIN_USER_PAGES] = "pin_user_pages",
	[GUPBENCH_API_PIN_USER_PAGES_FAST] = "pin_user_pages_fast",
	[GUPBENCH_API_PIN_USER_PAGES_UNLOCKED] = "pin_user_pages_unlocked",
	[GUPBENCH_API_PIN_USER_PAGES_REMOTE] = "pin_user_pages_remote",
};

const unsigned int gb_gup_apis[GB_NR_GUP_APIS] = {
	GUPBENCH_API_GET_USER_PAGES,
	GUPBENCH_API_GET_USER_PAGES_FAST,
	GUPBENCH_API_GET_USER_PAGES_UNLOCKED,
	GUPBENCH_API_GET_USER_PAGES_REMOTE,
	GUPBENCH_API_PIN_USER_PAGES,
	GUPBENCH_API_PIN_USER_PAGES_FAST,
	GUPBENCH_API_PIN_USER_PAGES_UNLOCKED,
	GUPBENCH_API_PIN_USER_PAGES_REMOTE,
};

const char *gb_api_name(unsigned int api)
{
	return api < GUPBENCH_API_COUNT ? gb_api_names[api] : "unknown";
}

bool gb_api_pins(unsigned int api)
{
	return api >= GUPBENCH_API_PIN_USER_PAGES &&
	       api <= GUPBENCH_API_PIN_USER_PAGES_REMOTE;
}

uint64_t gb_hold_flags(unsigned int api, uint64_t flags)
{
	return gb_api_pins(api) ? flags | GUPBENCH_F_LONGTERM : flags;
}

const char *gb_hold_unsupported(int fd, unsigned int api)
{
	struct gupbench_caps caps;

	if (!gb_api_pins(api) || gb_caps(fd, &caps) ||
	    (caps.longterm_apis & (1ULL << api)))
		return NULL;
	return "a pinned hold is FOLL_LONGTERM, which this kernel's "
	       "pin_user_pages_unlocked refuses (Linux 6.3+)";
}

bool gb_api_caller_locks(unsigned int api)
{
	return api == GUPBENCH_API_GET_USER_PAGES ||
	       api == GUPBENCH_API_GET_USER_PAGES_REMOTE ||
	       api == GUPBENCH_API_PIN_USER_PAGES ||
	       api == GUPBENCH_API_PIN_USER_PAGES_REMOTE;
}

const char *gb_mem_name(enum gb_mem mem)
{
	switch (mem) {
	case GB_MEM_BASE:
		return "base";
	case GB_MEM_THP:
		return "thp";
	case GB_MEM_HUGETLB:
		return "hugetlb";
	}
	return "unknown";
}

int gb_thp_usable(char *why, size_t whylen)
{
	char line[256] = "";
	FILE *f = fopen(THP_ENABLED, "r");

	if (!f) {
		snprintf(why, whylen, "THP not available: %s missing "
			 "(kernel without TRANSPARENT_HUGEPAGE, e.g. PREEMPT_RT)",
			 THP_ENABLED);
		return GB_SKIP;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	if (strstr(line, "[never]")) {
		snprintf(why, whylen, "THP disabled: %s is [never]; "
			 "echo madvise > %s", THP_ENABLED, THP_ENABLED);
		return GB_SKIP;
	}
	return 0;
}

/* Write one byte per page, so every page is present before GUP runs. */
static void gb_touch(char *addr, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += GB_PAGE_SIZE)
		addr[off] = 1;
}

static int gb_map_base(struct gb_buf *b, size_t len)
{
	b->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED)
		return -1;
	b->map_len = len;
	b->addr = b->map;
	/* EINVAL on kernels without THP: base pages are all there is then */
	if (madvise(b->addr, len, MADV_NOHUGEPAGE) && errno != EINVAL)
		return -1;
	return 0;
}

/* Over-map by one huge page and trim, so the range starts 2 MiB aligned. */
static int gb_map_thp(struct gb_buf *b, size_t len, char *why, size_t whylen)
{
	uintptr_t start, end;
	int ret;

	ret = gb_thp_usable(why, whylen);
	if (ret)
		return ret;
	b->map_len = len + GB_HPAGE_SIZE;
	b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED)
		return -1;
	start = ((uintptr_t)b->map + GB_HPAGE_SIZE - 1) & ~(GB_HPAGE_SIZE - 1);
	end = (uintptr_t)b->map + b->map_len;
	if (start > (uintptr_t)b->map)
		munmap(b->map, start - (uintptr_t)b->map);
	if (end > start + len)
		munmap((void *)(start + len), end - (start + len));
	b->map = (void *)start;
	b->map_len = len;
	b->addr = b->map;
	if (madvise(b->addr, len, MADV_HUGEPAGE)) {
		snprintf(why, whylen, "madvise(MADV_HUGEPAGE) failed: %s",
			 strerror(errno));
		return GB_SKIP;
	}
	return 0;
}

static int gb_map_hugetlb(struct gb_buf *b, size_t len, char *why,
			  size_t whylen)
{
	b->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		      GB_MAP_HUGE_2MB, -1, 0);
	if (b->map == MAP_FAILED) {
		int err = errno;

		b->map = NULL;
		if (err != ENOMEM) {
			snprintf(why, whylen, "hugetlb unavailable: "
				 "mmap(MAP_HUGETLB | MAP_HUGE_2MB): %s",
				 strerror(err));
			return GB_SKIP;
		}
		snprintf(why, whylen, "no hugetlb pages: %zu free 2 MiB "
			 "pages needed; echo 64 > /proc/sys/vm/nr_hugepages",
			 len / GB_HPAGE_SIZE);
		return GB_SKIP;
	}
	b->map_len = len;
	b->addr = b->map;
	return 0;
}

int gb_buf_map(struct gb_buf *b, enum gb_mem mem, size_t len,
	       char *why, size_t whylen)
{
	int ret = -1;

	memset(b, 0, sizeof(*b));
	b->mem = mem;
	switch (mem) {
	case GB_MEM_BASE:
		ret = gb_map_base(b, len);
		break;
	case GB_MEM_THP:
		ret = gb_map_thp(b, len, why, whylen);
		break;
	case GB_MEM_HUGETLB:
		ret = gb_map_hugetlb(b, len, why, whylen);
		break;
	}
	if (ret) {
		int err = errno;

		gb_buf_unmap(b);
		errno = err;
		return ret;
	}
	b->len = len;
	gb_touch(b->addr, len);
	return 0;
}

void gb_buf_unmap(struct gb_buf *b)
{
	if (b->map && b->map != MAP_FAILED)
		munmap(b->map, b->map_len);
	b->map = NULL;
	b->addr = NULL;
}

/*
 * Sum AnonHugePages over the VMAs inside the range.  A VMA that sticks out
 * of the range (merged with a neighbour) cannot be attributed: -1/EDOM.
 */
long long gb_smaps_anon_huge(const void *addr, size_t len)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	unsigned long start, end;
	bool inside = false, overlap = false;
	long long total = 0, kb;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char c;

		if (sscanf(line, "%lx-%lx%c", &start, &end, &c) == 3 &&
		    c == ' ') {
			overlap = start < hi && end > lo;
			inside = start >= lo && end <= hi;
			continue;
		}
		if (!overlap ||
		    sscanf(line, "AnonHugePages: %lld kB", &kb) != 1)
			continue;
		if (!inside && kb) {
			fclose(f);
			errno = EDOM;
			return -1;
		}
		total += kb * 1024;
	}
	fclose(f);
	return total;
}

int gb_vmstat(const char *name, int64_t *val)
{
	size_t n = strlen(name);
	char line[256];
	int ret = -1;
	FILE *f;

	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, n) && line[n] == ' ') {
			ret = sscanf(line + n, " %" SCNd64, val) == 1 ? 0 : -1;
			break;
		}
	}
	fclose(f);
	if (ret)
		errno = ENOENT;
	return ret;
}

int gb_pins_read(struct gb_pins *p)
{
	int fd;

	/* fold the per-cpu deltas, or the counters lag behind */
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);
	if (gb_vmstat("nr_foll_pin_acquired", &p->acquired) ||
	    gb_vmstat("nr_foll_pin_released", &p->released))
		return -1;
	return 0;
}

void gb_fill(void *addr, size_t len, uint64_t seed)
{
	uint64_t *w = addr;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		w[i] = gupbench_pattern_word(seed, i * sizeof(*w));
}

uint64_t gb_bad_pages(const void *addr, size_t len, uint64_t seed)
{
	const size_t per_page = GB_PAGE_SIZE / sizeof(uint64_t);
	const uint64_t *w = addr;
	uint64_t bad = 0;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++) {
		if (w[i] != gupbench_pattern_word(seed, i * sizeof(*w))) {
			bad++;
			/* on to the next page */
			i = (i / per_page + 1) * per_page - 1;
		}
	}
	return bad;
}

uint64_t gb_checksum(const void *addr, size_t len)
{
	const uint64_t *w = addr;
	uint64_t h = GUPBENCH_HASH_INIT;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		h = gupbench_hash_step(h, w[i]);
	return h;
}

int gb_read_u64(const char *path, uint64_t *val)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = fscanf(f, "%" SCNu64, val) == 1 ? 0 : -1;
	fclose(f);
	if (ret)
		errno = EINVAL;
	return ret;
}

bool gb_kernel_before(unsigned int major, unsigned int minor)
{
	unsigned int ma = 0, mi = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

size_t gb_kill_len(size_t min, size_t max)
{
	struct sysinfo si;
	size_t len;

	if (sysinfo(&si))
		return min;
	len = (size_t)si.freeram * si.mem_unit / 4;
	len = len > max ? max : len < min ? min : len;
	return len & ~(GB_HPAGE_SIZE - 1);
}
