// SPDX-License-Identifier: GPL-2.0
/* The user buffers GUP is measured on, one per memory kind. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "mthp.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB_ (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB_ (30 << MAP_HUGE_SHIFT)

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int gb_thp_usable(char *err, size_t errlen)
{
	char mode[128];

	if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", mode,
		      sizeof(mode))) {
		snprintf(err, errlen,
			 "--mem thp: this kernel has no transparent huge pages (CONFIG_TRANSPARENT_HUGEPAGE off, or PREEMPT_RT); use --mem hugetlb");
		return -1;
	}
	if (strstr(mode, "[never]")) {
		snprintf(err, errlen,
			 "--mem thp: THP is disabled; enable it with: echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
		return -1;
	}
	return 0;
}

static void hugetlb_path(char *buf, size_t len, unsigned long kb, int node,
			 const char *file)
{
	if (node < 0)
		snprintf(buf, len, "/sys/kernel/mm/hugepages/hugepages-%lukB/%s",
			 kb, file);
	else
		snprintf(buf, len,
			 "/sys/devices/system/node/node%d/hugepages/hugepages-%lukB/%s",
			 node, kb, file);
}

long gb_hugetlb_free(unsigned long kb, int node)
{
	char path[160], line[64];

	hugetlb_path(path, sizeof(path), kb, node, "free_hugepages");
	if (read_line(path, line, sizeof(line)))
		return -1;
	return strtol(line, NULL, 10);
}

int gb_hugetlb_reserve(unsigned long kb, long need, int node,
		       char *err, size_t errlen)
{
	long have = gb_hugetlb_free(kb, node), total;
	char path[160], line[64];
	FILE *f;

	if (have < 0) {
		snprintf(err, errlen, "hugetlb: no %lu kB huge pages on this kernel",
			 kb);
		return -1;
	}
	if (have >= need)
		return 0;
	hugetlb_path(path, sizeof(path), kb, node, "nr_hugepages");
	if (read_line(path, line, sizeof(line)))
		return -1;
	total = strtol(line, NULL, 10) + (need - have);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", total) < 0 || fclose(f)) {
		snprintf(err, errlen, "--reserve-hugetlb: cannot write %s (%s): run as root",
			 path, strerror(errno));
		return -1;
	}
	if (gb_hugetlb_free(kb, node) < need) {
		snprintf(err, errlen,
			 "--reserve-hugetlb: asked for %ld more %lu kB pages but the kernel found only %ld free: memory is too fragmented or too small",
			 need - have, kb, gb_hugetlb_free(kb, node));
		return -1;
	}
	return 0;
}

static int hugetlb_error(const struct gb_case *c, char *err, size_t errlen)
{
	unsigned long kb = c->mem == GB_MEM_HUGETLB_1G ? 1UL << 20 : 2048;
	long need = (long)(c->size / (kb << 10));
	long have = gb_hugetlb_free(kb, c->mem_node);
	char path[160];

	hugetlb_path(path, sizeof(path), kb, c->mem_node, "nr_hugepages");
	if (have < 0)
		snprintf(err, errlen, "--mem %s: this kernel has no %lu kB huge pages",
			 gb_mem_name(c->mem), kb);
	else
		snprintf(err, errlen,
			 "--mem %s: hugetlb pool has %ld free %lu kB pages, need %ld: echo %ld > %s (or pass --reserve-hugetlb as root)",
			 gb_mem_name(c->mem), have, kb, need, need, path);
	return -1;
}

static int open_file(struct gb_buffer *b, const struct gb_case *c,
		     char *err, size_t errlen)
{
	struct stat st;
	bool created = false;

	b->fd = open(c->file_path, O_RDWR | O_CLOEXEC);
	if (b->fd < 0 && errno == ENOENT) {
		b->fd = open(c->file_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			     0600);
		created = true;
	}
	if (b->fd < 0 || fstat(b->fd, &st)) {
		snprintf(err, errlen, "--mem file:%s: cannot open it read-write: %s",
			 c->file_path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "--mem file:%s: not a regular file",
			 c->file_path);
		return -1;
	}
	if (created) {
		b->unlink_path = c->file_path;
		if (ftruncate(b->fd, (off_t)c->size)) {
			snprintf(err, errlen, "--mem file:%s: cannot size it to %" PRIu64 " bytes: %s",
				 c->file_path, c->size, strerror(errno));
			return -1;
		}
	} else if ((uint64_t)st.st_size < c->size) {
		snprintf(err, errlen,
			 "--mem file:%s: the file has %lld bytes, --size needs %" PRIu64 ": grow it (truncate -s %" PRIu64 " %s) or use a smaller --size",
			 c->file_path, (long long)st.st_size, c->size, c->size,
			 c->file_path);
		return -1;
	}
	return 0;
}

/*
 * shmem in large folios: the folio's file index must be aligned as well
 * as the address, so the shared mapping itself starts aligned (pgoff 0),
 * placed inside a reservation one folio larger.  One munmap of the
 * reservation removes both.
 */
static void *map_shmem_aligned(size_t size, size_t align)
{
	char *res = mmap(NULL, size + align, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t at;

	if (res == MAP_FAILED)
		return res;
	at = ((uintptr_t)res + align - 1) & ~(uintptr_t)(align - 1);
	if (mmap((void *)at, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		munmap(res, size + align);
		return MAP_FAILED;
	}
	return res;
}

static void *map_kind(struct gb_buffer *b, const struct gb_case *c)
{
	int prot = PROT_READ | PROT_WRITE;
	int priv = MAP_PRIVATE | MAP_ANONYMOUS;

	/* THP of any size: over-map so a folio-aligned range fits inside */
	if (c->mem == GB_MEM_THP || gb_mem_is_mthp(c->mem))
		return mmap(NULL, c->size + gb_mem_align(c->mem), prot, priv,
			    -1, 0);
	if (gb_mem_is_shmem_sized(c->mem))
		return map_shmem_aligned(c->size, gb_mem_align(c->mem));
	switch (c->mem) {
	case GB_MEM_HUGETLB:
		return mmap(NULL, c->size, prot, priv | MAP_HUGETLB | MAP_HUGE_2MB_,
			    -1, 0);
	case GB_MEM_HUGETLB_1G:
		return mmap(NULL, c->size, prot, priv | MAP_HUGETLB | MAP_HUGE_1GB_,
			    -1, 0);
	case GB_MEM_SHMEM:
		return mmap(NULL, c->size, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	case GB_MEM_MEMFD:
	case GB_MEM_FILE:
		return mmap(NULL, c->size, prot, MAP_SHARED, b->fd, 0);
	default:
		return mmap(NULL, c->size, prot, priv, -1, 0);
	}
}

int gb_buffer_create(struct gb_buffer *b, const struct gb_case *c,
		     char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->kind = c->mem;
	b->len = c->size;

	if (c->mem == GB_MEM_THP && gb_thp_usable(err, errlen))
		return -1;
	if (gb_mem_is_sized(c->mem) && gb_mthp_available(c->mem, err, errlen))
		return -1;
	if (c->mem == GB_MEM_MEMFD) {
		b->fd = memfd_create("gupbench", MFD_CLOEXEC);
		if (b->fd < 0 || ftruncate(b->fd, (off_t)c->size)) {
			snprintf(err, errlen, "--mem memfd: %s", strerror(errno));
			gb_buffer_destroy(b);
			return -1;
		}
	}
	if (c->mem == GB_MEM_FILE && open_file(b, c, err, errlen)) {
		gb_buffer_destroy(b);
		return -1;
	}

	b->map = map_kind(b, c);
	if (b->map == MAP_FAILED) {
		int e = errno;

		b->map = NULL;
		gb_buffer_destroy(b);
		if (c->mem == GB_MEM_HUGETLB || c->mem == GB_MEM_HUGETLB_1G)
			return hugetlb_error(c, err, errlen);
		snprintf(err, errlen, "--mem %s --size %" PRIu64 ": mmap failed: %s",
			 gb_mem_name(c->mem), c->size, strerror(e));
		return -1;
	}
	b->map_len = c->size;
	b->addr = b->map;

	if (c->mem == GB_MEM_THP || gb_mem_is_sized(c->mem)) {
		uintptr_t folio = gb_mem_align(c->mem);
		uintptr_t start = (uintptr_t)b->map;
		uintptr_t aligned = (start + folio - 1) & ~(folio - 1);

		b->map_len = c->size + folio;
		b->addr = (void *)aligned;
		if (madvise(b->addr, b->len, MADV_HUGEPAGE)) {
			snprintf(err, errlen, "--mem %s: madvise(MADV_HUGEPAGE): %s",
				 gb_mem_name(c->mem), strerror(errno));
			gb_buffer_destroy(b);
			return -1;
		}
	} else if (c->mem == GB_MEM_BASE) {
		/* keep khugepaged and mTHP away from "base pages" */
		madvise(b->addr, b->len, MADV_NOHUGEPAGE);
	}
	return 0;
}

void gb_buffer_prefault(const struct gb_buffer *b)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	volatile char *p = b->addr;

	for (size_t off = 0; off < b->len; off += page)
		p[off] = 1;
}

int gb_buffer_drop(const struct gb_buffer *b)
{
	/* shared kinds: free the backing too, as anonymous memory does */
	int advice = (b->kind == GB_MEM_SHMEM || b->kind == GB_MEM_MEMFD ||
		      gb_mem_is_shmem_sized(b->kind)) ? MADV_REMOVE : MADV_DONTNEED;

	return madvise(b->addr, b->len, advice);
}

void gb_buffer_destroy(struct gb_buffer *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->unlink_path)
		unlink(b->unlink_path);
	b->map = NULL;
	b->fd = -1;
	b->unlink_path = NULL;
}

static const char *const huge_keys[] = {
	"AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
	"Shared_Hugetlb:", "Private_Hugetlb:",
};

uint64_t gb_buffer_huge_bytes(const struct gb_buffer *b)
{
	uintptr_t lo = (uintptr_t)b->addr, hi = lo + b->len;
	uint64_t total = 0;
	bool inside = false;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end, kb;
		char key[64];

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			inside = start < hi && end > lo;
			continue;
		}
		if (!inside || sscanf(line, "%63s %lu kB", key, &kb) != 2)
			continue;
		for (size_t i = 0; i < sizeof(huge_keys) / sizeof(*huge_keys); i++)
			if (!strcmp(key, huge_keys[i]))
				total += (uint64_t)kb << 10;
	}
	fclose(f);
	return total;
}
