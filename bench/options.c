// SPDX-License-Identifier: GPL-2.0
/* Parsing `gupbench run` options into a case (checked by case.c). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gupbench.h>
#include "backend.h"
#include "options.h"

/* "4096", "4K", "64M", "1G", "2T"; page multiples are checked later. */
int gb_parse_size(const char *s, uint64_t *out)
{
	uint64_t v, mult = 1;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	case 't': case 'T': mult = 1ULL << 40; end++; break;
	}
	if (*end == 'i' && mult > 1)
		end++;
	if ((*end == 'B' || *end == 'b') && mult > 1)
		end++;
	if (*end || (v && mult > UINT64_MAX / v))
		return -1;
	*out = v * mult;
	return 0;
}

int gb_parse_count(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int gb_parse_node(const char *s, int *out)
{
	uint64_t v;

	if (gb_parse_count(s, 4095, &v))
		return -1;
	*out = (int)v;
	return 0;
}

int gb_format_from_name(const char *s, enum gb_format *f)
{
	if (!strcmp(s, "table"))
		*f = GB_FMT_TABLE;
	else if (!strcmp(s, "csv"))
		*f = GB_FMT_CSV;
	else if (!strcmp(s, "json"))
		*f = GB_FMT_JSON;
	else
		return -1;
	return 0;
}

/* "noop, get_user_pages, ...": the module's APIs, for messages. */
static void api_list(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < GUPBENCH_API_COUNT && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				gb_api_name(i));
}

/* What each option means, with the defaults gb_case_defaults() sets. */
static void run_option_help(FILE *f)
{
	struct gb_case d;
	char size[16];

	gb_case_defaults(&d);
	gb_format_size(d.size, size, sizeof(size));
	fprintf(f,
		"options (defaults from the code that applies them):\n"
		"  --api NAME          the entry point to call (required)\n"
		"  --mem KIND          what the buffer is (default %s)\n"
		"  --size SIZE         buffer per thread (default %s)\n"
		"  --batch N|all       pages per call, all: the whole buffer in one (default %llu)\n"
		"  --repeat N          measured repeats (default %u)\n"
		"  --warmup N          repeats run first and not counted (default %u)\n"
		"  --threads N         workers, bound to CPUs, released together (default %u)\n"
		"  --shared-buffer     all threads on one buffer (default: one each)\n"
		"  --read, --write     without or with FOLL_WRITE (default read)\n"
		"  --longterm          FOLL_LONGTERM (pin_* only)\n"
		"  --force             FOLL_FORCE\n"
		"  --lock-outside      take mmap_lock once, outside the timed window, as\n"
		"                      gup_test does (default: per call, inside it)\n"
		"  --unpin-dirty       release with unpin_user_pages_dirty_lock (pin_*)\n"
		"  --nofault           FOLL_NOFAULT: take only what is mapped, never fault\n"
		"  --fast-only         get_user_pages_fast_only(): no slow-path fallback\n"
		"  --remote-locked     *_remote with a `locked` pointer (GUP may drop mmap_lock)\n"
		"  --release MODE      after-all: take the whole buffer, then release it\n"
		"                      in one call over all of it (default); per-call:\n"
		"                      then release it call by call, each timed (per-call\n"
		"                      put latencies); each-batch: release each call's\n"
		"                      pages right after it (--release-each)\n"
		"  --no-prefault       leave the buffer untouched: fault-in is measured\n"
		"  --no-samples        no per-call latencies (saves a clock read per call)\n"
		"  --drop-scheduled    leave calls the task was scheduled out in out of\n"
		"                      the latency statistics (they are counted either way)\n"
		"  --cpu-node N, --mem-node N   run on / allocate from a NUMA node\n"
		"                      (default: no node asked for)\n"
		"  --cpus LIST         use only these CPUs (0-3,6), within the affinity\n"
		"                      gupbench was started with (default: all of it)\n"
		"  --max-samples N     per-call samples kept per case (default %u)\n"
		"  --reserve-hugetlb   grow the hugetlb pool for the case, then restore it\n"
		"  --format table|csv|json, --out FILE   output (default table, stdout)\n"
		"  --anonymize         drop the hostname and what else names the machine\n"
		"  --backend module|syscall   /dev/gupbench (default) or system calls\n"
		"  --direct-path PATH  the file, directory or device odirect_read reads\n",
		gb_mem_name(d.mem), size, (unsigned long long)d.batch, d.repeat,
		d.warmup, d.threads, GB_DEFAULT_MAX_SAMPLES);
}

void gb_run_usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench run --api NAME [--mem KIND] [--size SIZE] [--batch N|all]\n"
		"       [--repeat N] [--warmup N] [--threads N] [--shared-buffer]\n"
		"       [--read|--write] [--longterm] [--force] [--lock-outside]\n"
		"       [--unpin-dirty] [--nofault] [--fast-only] [--remote-locked]\n"
		"       [--release MODE] [--no-prefault] [--no-samples]\n"
		"       [--drop-scheduled]\n"
		"       [--cpu-node N] [--mem-node N] [--cpus LIST] [--max-samples N]\n"
		"       [--reserve-hugetlb]\n"
		"       [--format table|csv|json] [--out FILE] [--anonymize]\n"
		"       [--backend module|syscall] [--direct-path DIR|FILE|BLOCKDEV]\n"
		"APIs: noop, get_user_pages, get_user_pages_fast, get_user_pages_unlocked,\n"
		"      get_user_pages_remote, pin_user_pages, pin_user_pages_fast,\n"
		"      pin_user_pages_unlocked, pin_user_pages_remote\n"
		"  with --backend syscall (no module; GUP reached by system calls):\n"
		"      noop, io_uring_register_buffers, process_vm_readv, process_vm_writev,\n"
		"      vmsplice, odirect_read (reads --direct-path, default: the current dir)\n"
		"memory kinds: base, thp, hugetlb, hugetlb-1g, shmem, memfd, file:PATH,\n"
		"  thp:SIZE (one anonymous THP size, Linux 6.8+: 16K 32K 64K 128K 256K 512K 1M 2M),\n"
		"  shmem:SIZE (shmem in folios of one size, 6.11+: the same sizes)\n"
		"sizes: bytes or K/M/G/T suffixes (4K, 64M, 1G)\n");
	run_option_help(f);
}

enum {
	OPT_API = 256, OPT_MEM, OPT_SIZE, OPT_BATCH, OPT_REPEAT, OPT_WARMUP,
	OPT_THREADS, OPT_SHARED, OPT_READ, OPT_WRITE, OPT_LONGTERM, OPT_FORCE,
	OPT_LOCK_OUTSIDE, OPT_UNPIN_DIRTY, OPT_NOFAULT, OPT_FAST_ONLY, OPT_REMOTE_LOCKED, OPT_RELEASE_EACH, OPT_RELEASE, OPT_NO_PREFAULT,
	OPT_NO_SAMPLES, OPT_CPU_NODE, OPT_MEM_NODE, OPT_MAX_SAMPLES,
	OPT_RESERVE, OPT_FORMAT, OPT_OUT, OPT_HELP, OPT_BACKEND, OPT_DIRECT,
	OPT_ANONYMIZE, OPT_CPUS, OPT_DROP_SCHED,
};

static const struct option run_options[] = {
	{ "api", required_argument, NULL, OPT_API },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "shared-buffer", no_argument, NULL, OPT_SHARED },
	{ "read", no_argument, NULL, OPT_READ },
	{ "write", no_argument, NULL, OPT_WRITE },
	{ "longterm", no_argument, NULL, OPT_LONGTERM },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "lock-outside", no_argument, NULL, OPT_LOCK_OUTSIDE },
	{ "unpin-dirty", no_argument, NULL, OPT_UNPIN_DIRTY },
	{ "nofault", no_argument, NULL, OPT_NOFAULT },
	{ "fast-only", no_argument, NULL, OPT_FAST_ONLY },
	{ "remote-locked", no_argument, NULL, OPT_REMOTE_LOCKED },
	{ "release-each", no_argument, NULL, OPT_RELEASE_EACH },
	{ "release", required_argument, NULL, OPT_RELEASE },
	{ "no-prefault", no_argument, NULL, OPT_NO_PREFAULT },
	{ "no-samples", no_argument, NULL, OPT_NO_SAMPLES },
	{ "cpu-node", required_argument, NULL, OPT_CPU_NODE },
	{ "mem-node", required_argument, NULL, OPT_MEM_NODE },
	{ "max-samples", required_argument, NULL, OPT_MAX_SAMPLES },
	{ "reserve-hugetlb", no_argument, NULL, OPT_RESERVE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "anonymize", no_argument, NULL, OPT_ANONYMIZE },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "drop-scheduled", no_argument, NULL, OPT_DROP_SCHED },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "direct-path", required_argument, NULL, OPT_DIRECT },
	{ NULL, 0, NULL, 0 },
};

#define MAX_REPEAT 100000
#define MAX_THREADS 1024

static int parse_one(struct gb_opts *o, int opt, const char *arg,
		     char *err, size_t errlen)
{
	struct gb_case *c = &o->c;
	char names[256];
	uint64_t v;
	int api;

	switch (opt) {
	case OPT_API:
		api = gb_api_from_name(arg);
		if (api < 0) {
			api_list(names, sizeof(names));
			return gb_fail(err, errlen,
				    "--api '%s': unknown API; use one of: %s; or with --backend syscall: %s",
				    arg, names, gb_sys_api_list());
		}
		c->api = (unsigned int)api;
		return 0;
	case OPT_MEM:
		if (gb_mem_from_name(arg, &c->mem, &c->file_path))
			return gb_fail(err, errlen,
				    "--mem '%s': unknown memory kind; use base, thp, thp:SIZE or shmem:SIZE (SIZE: 16K 32K 64K 128K 256K 512K 1M 2M), hugetlb, hugetlb-1g, shmem, memfd or file:PATH",
				    arg);
		return 0;
	case OPT_SIZE:
		if (gb_parse_size(arg, &c->size) || !c->size)
			return gb_fail(err, errlen,
				    "--size '%s': not a size; use bytes or a number with K, M, G (e.g. 64M)",
				    arg);
		return 0;
	case OPT_BATCH:
		if (!strcmp(arg, "all")) {
			c->batch = 0;
			return 0;
		}
		if (gb_parse_count(arg, INT32_MAX, &c->batch))
			return gb_fail(err, errlen,
				    "--batch '%s': use a page count from 1 to %d, or 0/all for one call over the whole buffer",
				    arg, INT32_MAX);
		return 0;
	case OPT_REPEAT:
		if (gb_parse_count(arg, MAX_REPEAT, &v) || !v)
			return gb_fail(err, errlen, "--repeat '%s': use a count from 1 to %d",
				    arg, MAX_REPEAT);
		c->repeat = (unsigned int)v;
		return 0;
	case OPT_WARMUP:
		if (gb_parse_count(arg, MAX_REPEAT, &v))
			return gb_fail(err, errlen, "--warmup '%s': use a count from 0 to %d",
				    arg, MAX_REPEAT);
		c->warmup = (unsigned int)v;
		return 0;
	case OPT_THREADS:
		if (gb_parse_count(arg, MAX_THREADS, &v) || !v)
			return gb_fail(err, errlen, "--threads '%s': use a count from 1 to %d",
				    arg, MAX_THREADS);
		c->threads = (unsigned int)v;
		return 0;
	case OPT_CPU_NODE:
	case OPT_MEM_NODE:
		if (gb_parse_node(arg, opt == OPT_CPU_NODE ? &c->cpu_node : &c->mem_node))
			return gb_fail(err, errlen, "--%s '%s': use a NUMA node number (see gupbench info)",
				    opt == OPT_CPU_NODE ? "cpu-node" : "mem-node", arg);
		return 0;
	case OPT_MAX_SAMPLES:
		if (gb_parse_count(arg, 1ULL << 28, &o->max_samples) || !o->max_samples)
			return gb_fail(err, errlen, "--max-samples '%s': use a count from 1 to %llu",
				    arg, 1ULL << 28);
		return 0;
	case OPT_FORMAT:
		if (gb_format_from_name(arg, &o->format))
			return gb_fail(err, errlen, "--format '%s': use table, csv or json", arg);
		return 0;
	case OPT_OUT:
		o->out = arg;
		return 0;
	case OPT_BACKEND:
		if (gb_backend_from_name(arg, &c->backend))
			return gb_fail(err, errlen, "--backend '%s': use module or syscall", arg);
		return 0;
	case OPT_DIRECT:
		c->direct_path = arg;
		return 0;
	case OPT_SHARED: c->shared_buffer = true; return 0;
	case OPT_READ: c->write = false; o->rw_given = true; return 0;
	case OPT_WRITE: c->write = true; o->rw_given = true; return 0;
	case OPT_LONGTERM: c->longterm = true; return 0;
	case OPT_FORCE: c->force = true; return 0;
	case OPT_LOCK_OUTSIDE: c->lock_outside = true; return 0;
	case OPT_UNPIN_DIRTY: c->unpin_dirty = true; return 0;
	case OPT_NOFAULT: c->nofault = true; return 0;
	case OPT_FAST_ONLY: c->fast_only = true; return 0;
	case OPT_REMOTE_LOCKED: c->remote_locked = true; return 0;
	case OPT_RELEASE_EACH: c->release = GUPBENCH_RELEASE_EACH_BATCH; return 0;
	case OPT_RELEASE:
		if (gb_release_from_name(arg, &c->release))
			return gb_fail(err, errlen, "--release '%s': use after-all, per-call or each-batch", arg);
		return 0;
	case OPT_NO_PREFAULT: c->prefault = false; return 0;
	case OPT_NO_SAMPLES: c->samples = false; return 0;
	case OPT_RESERVE: o->reserve_hugetlb = true; return 0;
	case OPT_ANONYMIZE: o->anonymize = true; return 0;
	case OPT_CPUS: o->cpus = arg; return 0;
	case OPT_DROP_SCHED: o->drop_scheduled = true; return 0;
	}
	return gb_fail(err, errlen, "unknown option");
}

int gb_parse_run(int argc, char **argv, struct gb_opts *o,
		 char *err, size_t errlen)
{
	bool have_api = false;
	int opt;

	memset(o, 0, sizeof(*o));
	gb_case_defaults(&o->c);
	o->format = GB_FMT_TABLE;
	o->max_samples = GB_DEFAULT_MAX_SAMPLES;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", run_options, NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			const char *bad = argv[optind - 1];

			if (optopt && optopt >= OPT_API)
				return gb_fail(err, errlen, "%s: needs a value (see gupbench run --help)",
					    bad);
			return gb_fail(err, errlen, "%s: unknown option (see gupbench run --help)",
				    bad);
		}
		if (opt == OPT_HELP)
			return 1;
		if (opt == OPT_API)
			have_api = true;
		if (parse_one(o, opt, optarg, err, errlen))
			return -1;
	}
	if (optind < argc)
		return gb_fail(err, errlen, "'%s': unexpected argument (see gupbench run --help)",
			    argv[optind]);
	if (!have_api)
		return gb_fail(err, errlen,
			    "--api: missing; name the GUP entry point, e.g. --api pin_user_pages_fast");
	gb_sys_normalize(&o->c, o->rw_given);
	return gb_check_case(&o->c, err, errlen);
}
