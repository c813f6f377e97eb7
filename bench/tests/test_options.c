// SPDX-License-Identifier: GPL-2.0
/* Host unit tests: size, count and name parsing; `gupbench run` options. */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include <linux/gupbench.h>
#include "../options.h"

TEST(sizes_with_suffixes)
{
	uint64_t v;

	ASSERT_EQ(0, gb_parse_size("4096", &v));
	EXPECT_EQ(4096, v);
	ASSERT_EQ(0, gb_parse_size("4K", &v));
	EXPECT_EQ(4096, v);
	ASSERT_EQ(0, gb_parse_size("64M", &v));
	EXPECT_EQ(64ULL << 20, v);
	ASSERT_EQ(0, gb_parse_size("1G", &v));
	EXPECT_EQ(1ULL << 30, v);
	ASSERT_EQ(0, gb_parse_size("1GiB", &v));
	EXPECT_EQ(1ULL << 30, v);
	ASSERT_EQ(0, gb_parse_size("2m", &v));
	EXPECT_EQ(2ULL << 20, v);
	ASSERT_EQ(0, gb_parse_size("1T", &v));
	EXPECT_EQ(1ULL << 40, v);
}

TEST(sizes_rejected)
{
	static const char *const bad[] = {
		"", "-1", "+4K", "12X", "4KK", "K", "4 K", "99999999999T",
		"18446744073709551616", "1.5G", "4Bi",
	};
	uint64_t v = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		EXPECT_EQ(-1, gb_parse_size(bad[i], &v))
			TH_LOG("'%s' should be rejected", bad[i]);
	}
	EXPECT_EQ(7, v);
}

TEST(counts)
{
	uint64_t v;

	ASSERT_EQ(0, gb_parse_count("0", 10, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, gb_parse_count("10", 10, &v));
	EXPECT_EQ(10, v);
	EXPECT_EQ(-1, gb_parse_count("11", 10, &v));
	EXPECT_EQ(-1, gb_parse_count("-1", 10, &v));
	EXPECT_EQ(-1, gb_parse_count("3x", 10, &v));
	EXPECT_EQ(-1, gb_parse_count("", 10, &v));
}

TEST(api_names_round_trip)
{
	for (unsigned int a = 0; a < GUPBENCH_API_COUNT; a++)
		EXPECT_EQ((int)a, gb_api_from_name(gb_api_name(a)));
	EXPECT_EQ(GUPBENCH_API_PIN_USER_PAGES_REMOTE,
		  gb_api_from_name("pin_user_pages_remote"));
	EXPECT_EQ(-1, gb_api_from_name("pin_user_pages_fast_only"));
	EXPECT_EQ(-1, gb_api_from_name(""));
}

TEST(memory_kinds)
{
	enum gb_mem_kind k;
	const char *path;

	ASSERT_EQ(0, gb_mem_from_name("hugetlb-1g", &k, &path));
	EXPECT_EQ(GB_MEM_HUGETLB_1G, k);
	EXPECT_EQ(NULL, path);
	ASSERT_EQ(0, gb_mem_from_name("file:/tmp/x", &k, &path));
	EXPECT_EQ(GB_MEM_FILE, k);
	EXPECT_STREQ("/tmp/x", path);
	EXPECT_EQ(-1, gb_mem_from_name("file:", &k, &path));
	EXPECT_EQ(-1, gb_mem_from_name("file", &k, &path));
	EXPECT_EQ(-1, gb_mem_from_name("huge", &k, &path));
	EXPECT_EQ(2 << 20, gb_mem_align(GB_MEM_THP));
	EXPECT_EQ(1 << 30, gb_mem_align(GB_MEM_HUGETLB_1G));
}

/* thp:<size>: one name per mTHP size, its order and alignment; 2M is thp. */
TEST(thp_sizes)
{
	static const char *const names[] = {
		"thp:16K", "thp:32K", "thp:64K", "thp:128K", "thp:256K",
		"thp:512K", "thp:1M",
	};
	enum gb_mem_kind k;
	const char *path;

	for (int i = 0; i < 7; i++) {
		ASSERT_EQ(0, gb_mem_from_name(names[i], &k, &path));
		EXPECT_TRUE(gb_mem_is_mthp(k));
		EXPECT_STREQ(names[i], gb_mem_name(k));
		EXPECT_EQ(2 + i, gb_mem_folio_order(k));
		EXPECT_EQ((uint64_t)16384 << i, gb_mem_align(k));
	}
	ASSERT_EQ(0, gb_mem_from_name("thp:2M", &k, &path));
	EXPECT_EQ(GB_MEM_THP, k);
	EXPECT_FALSE(gb_mem_is_mthp(GB_MEM_THP));
	EXPECT_EQ(9, gb_mem_folio_order(GB_MEM_THP));
	EXPECT_EQ(0, gb_mem_folio_order(GB_MEM_BASE));
	EXPECT_EQ(18, gb_mem_folio_order(GB_MEM_HUGETLB_1G));
	EXPECT_EQ(-1, gb_mem_folio_order(GB_MEM_SHMEM));
	ASSERT_EQ(0, gb_mem_from_name("shmem:2M", &k, &path));
	EXPECT_TRUE(gb_mem_is_shmem_sized(k));
	EXPECT_TRUE(gb_mem_is_sized(k));
	EXPECT_FALSE(gb_mem_is_mthp(k));
	EXPECT_EQ(9, gb_mem_folio_order(k));
	ASSERT_EQ(0, gb_mem_from_name("shmem:16K", &k, &path));
	EXPECT_EQ(2, gb_mem_folio_order(k));
	EXPECT_EQ(16384, gb_mem_align(k));
	EXPECT_FALSE(gb_mem_is_sized(GB_MEM_SHMEM));
	EXPECT_EQ(-1, gb_mem_from_name("thp:48K", &k, &path));
	EXPECT_EQ(-1, gb_mem_from_name("thp:", &k, &path));
}

/* Run the parser over a NULL-terminated argument list. */
static int parse(struct gb_opts *o, char *err, const char **args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "run";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return gb_parse_run(argc, argv, o, err, GB_ERRLEN);
}

#define PARSE(o, err, ...) parse(o, err, (const char *[]){ __VA_ARGS__, NULL })

TEST(run_options_good)
{
	char err[GB_ERRLEN] = "";
	struct gb_opts o;

	ASSERT_EQ(0, PARSE(&o, err, "--api", "get_user_pages", "--mem", "thp",
			   "--size", "4M", "--batch", "all", "--write",
			   "--repeat", "3", "--warmup", "0", "--threads", "2",
			   "--shared-buffer", "--format", "json",
			   "--cpu-node", "1", "--mem-node", "0", "--lock-outside"))
		TH_LOG("%s", err);
	EXPECT_EQ(GUPBENCH_API_GET_USER_PAGES, o.c.api);
	EXPECT_EQ(GB_MEM_THP, o.c.mem);
	EXPECT_EQ(4 << 20, o.c.size);
	EXPECT_EQ(0, o.c.batch);
	EXPECT_TRUE(o.c.write);
	EXPECT_EQ(3, o.c.repeat);
	EXPECT_EQ(0, o.c.warmup);
	EXPECT_EQ(2, o.c.threads);
	EXPECT_TRUE(o.c.shared_buffer);
	EXPECT_TRUE(o.c.lock_outside);
	EXPECT_EQ(GB_FMT_JSON, o.format);
	EXPECT_EQ(1, o.c.cpu_node);
	EXPECT_EQ(0, o.c.mem_node);
	EXPECT_TRUE(o.c.prefault);
	EXPECT_EQ(GUPBENCH_RELEASE_AFTER_ALL, o.c.release);

	ASSERT_EQ(0, PARSE(&o, err, "--api", "noop", "--release", "per-call"));
	EXPECT_EQ(GUPBENCH_RELEASE_PER_CALL, o.c.release);
	ASSERT_EQ(0, PARSE(&o, err, "--api", "noop", "--release", "each_batch"));
	EXPECT_EQ(GUPBENCH_RELEASE_EACH_BATCH, o.c.release);
	ASSERT_EQ(0, PARSE(&o, err, "--api", "noop", "--release-each"));
	EXPECT_EQ(GUPBENCH_RELEASE_EACH_BATCH, o.c.release);

	ASSERT_EQ(0, PARSE(&o, err, "--api", "get_user_pages_fast", "--fast-only",
			   "--nofault"));
	EXPECT_TRUE(o.c.fast_only);
	EXPECT_TRUE(o.c.nofault);
	EXPECT_FALSE(o.c.remote_locked);
	ASSERT_EQ(0, PARSE(&o, err, "--api", "pin_user_pages_remote",
			   "--remote-locked"));
	EXPECT_TRUE(o.c.remote_locked);
	EXPECT_FALSE(o.c.nofault);

	ASSERT_EQ(0, PARSE(&o, err, "--api", "noop", "--no-prefault", "--no-samples"));
	EXPECT_FALSE(o.c.prefault);
	EXPECT_FALSE(o.c.samples);
	EXPECT_EQ(-1, o.c.cpu_node);
	EXPECT_EQ(1, PARSE(&o, err, "--help"));
}

/* Each bad option: rejected, and the message names the option and value. */
struct bad_case {
	const char *args[6];
	const char *must_say[3];
};

static const struct bad_case bad_cases[] = {
	{ { "--mem", "base", NULL }, { "--api", "missing" } },
	{ { "--api", "pin", NULL }, { "--api", "'pin'", "pin_user_pages_fast" } },
	{ { "--api", "noop", "--mem", "huge", NULL }, { "--mem", "'huge'", "file:PATH" } },
	{ { "--api", "noop", "--size", "12X", NULL }, { "--size", "'12X'", "64M" } },
	{ { "--api", "noop", "--size", "0", NULL }, { "--size", "'0'" } },
	{ { "--api", "noop", "--size", "5000", NULL }, { "--size", "multiple" } },
	{ { "--api", "noop", "--mem", "thp", "--size", "3M" }, { "--size", "2M", "thp" } },
	{ { "--api", "noop", "--mem", "hugetlb-1g", "--size", "2M" }, { "1G" } },
	{ { "--api", "noop", "--batch", "-3", NULL }, { "--batch", "'-3'", "all" } },
	{ { "--api", "noop", "--repeat", "0", NULL }, { "--repeat", "'0'" } },
	{ { "--api", "noop", "--threads", "0", NULL }, { "--threads", "'0'" } },
	{ { "--api", "noop", "--threads", "5000", NULL }, { "--threads", "1024" } },
	{ { "--api", "noop", "--cpu-node", "x", NULL }, { "--cpu-node", "'x'" } },
	{ { "--api", "noop", "--format", "xml", NULL }, { "--format", "'xml'", "json" } },
	{ { "--api", "get_user_pages_fast", "--longterm", NULL }, { "--longterm", "get_user_pages_fast" } },
	{ { "--api", "get_user_pages", "--unpin-dirty", NULL }, { "--unpin-dirty" } },
	{ { "--api", "pin_user_pages", "--unpin-dirty", NULL }, { "--unpin-dirty", "--write" } },
	{ { "--api", "pin_user_pages_fast", "--lock-outside", NULL }, { "--lock-outside", "pin_user_pages_fast" } },
	{ { "--api", "get_user_pages", "--fast-only", NULL }, { "--fast-only", "get_user_pages_fast" } },
	{ { "--api", "pin_user_pages", "--remote-locked", NULL }, { "--remote-locked", "_remote" } },
	{ { "--api", "pin_user_pages_remote", "--remote-locked", "--lock-outside", NULL }, { "--remote-locked", "--lock-outside" } },
	{ { "--backend", "syscall", "--api", "process_vm_readv", "--nofault", NULL }, { "--nofault", "--backend module" } },
	{ { "--api", "noop", "--shared-buffer", NULL }, { "--shared-buffer", "--threads" } },
	{ { "--api", "noop", "--bogus", NULL }, { "--bogus", "unknown" } },
	{ { "--api", "noop", "--release", "later", NULL }, { "--release", "'later'", "per-call" } },
	{ { "--api", "noop", "--release", "per-call-x", NULL }, { "'per-call-x'" } },
	{ { "--api", "noop", "--size", NULL }, { "--size", "value" } },
	{ { "--api", "noop", "stray", NULL }, { "'stray'", "unexpected" } },
};

TEST(run_options_bad)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(*bad_cases); i++) {
		const struct bad_case *b = &bad_cases[i];
		char err[GB_ERRLEN] = "";
		struct gb_opts o;
		const char *args[8];
		size_t n = 0;

		while (n < 6 && b->args[n])
			args[n] = b->args[n], n++;
		args[n] = NULL;
		EXPECT_EQ(-1, parse(&o, err, args)) TH_LOG("case %zu accepted", i);
		for (size_t k = 0; k < 3 && b->must_say[k]; k++) {
			EXPECT_NE(NULL, strstr(err, b->must_say[k]))
				TH_LOG("case %zu: '%s' does not mention '%s'",
				       i, err, b->must_say[k]);
		}
	}
}

/* run --help says what each option means and its default, from the code. */
TEST(run_help_gives_meaning_and_defaults)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct gb_case d;
	char want[64];

	ASSERT_NE(NULL, f);
	gb_run_usage(f);
	fclose(f);
	gb_case_defaults(&d);
	EXPECT_NE(NULL, strstr(text, "--size SIZE         buffer per thread (default 64M)"));
	snprintf(want, sizeof(want), "measured repeats (default %u)", d.repeat);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "(default %u)", GB_DEFAULT_MAX_SAMPLES);
	EXPECT_NE(NULL, strstr(text, want));
	EXPECT_NE(NULL, strstr(text, "--lock-outside"));
	free(text);
}

TEST_HARNESS_MAIN
