// SPDX-License-Identifier: GPL-2.0
/*
 * What `make bench` relies on, end to end in a guest: `gupbench matrix
 * --preset quick` into a temporary directory, and its results checked
 * against docs/results.md: results.json parses and has every documented
 * meta and result field, results.csv has the documented columns and one
 * row per result, summary.txt reports no failed case, the per-call
 * samples asked for are there, and a comparison of the run with itself
 * finds nothing.
 *
 * The matrix runs once: the first test runs it into a directory named
 * after the harness process, the others read it, the last removes it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../bench/json.h"

#define SAMPLES_API "pin_user_pages_fast"
/*
 * The first test to run makes the matrix: seconds on a stock kernel, minutes
 * on the KASAN + lockdep one (make check-debug), past the harness's 30 s.
 */
#define QUICK_TIMEOUT 1200

static const char *const meta_fields[] = {
	"kernel_release", "kernel_version", "tool_version", "module_abi",
	"module_version", "module_built_for", "cpu_model", "nr_cpus",
	"numa_nodes", "topology", "thp_enabled", "thp_defrag", "hugetlb_pools",
	"clocksource", "clock", "clock_detail", "command_line", "date_utc",
	"hostname", "units", "schema_version", "proc_cmdline", "kernel_config",
	"cpu_id", "cpufreq", "mitigations", "hypervisor", "thp_sizes",
	"shmem_thp", "tool_compiler", "module_compiler", NULL,
};

static const char *const result_fields[] = {
	"api", "mem", "file", "size_bytes", "pages", "batch", "batch_used",
	"calls", "threads", "shared_buffer", "write", "longterm", "force",
	"unpin_dirty", "prefault", "release", "release_call", "mmap_lock",
	"cpu_node",
	"mem_node", "repeat", "warmup", "samples", "get_ns_total",
	"put_ns_total", "per_page_ns", "put_per_page_ns", "call_ns", "get_cv",
	"put_cv", "gib_per_s", "large_folio_pages", "huge_fraction",
	"unpinned_pages", "zero_pages", "longterm_unpinnable", "noop", "pins_balanced", "pins", "per_thread", "note",
	NULL,
};

static const char *const per_page_fields[] = {
	"median", "p90", "p99", "min", "max", NULL,
};

static const char *const call_fields[] = {
	"p50", "p90", "p99", "p999", "max", "min", "mean", "stddev", "n", NULL,
};

static const char *const csv_columns =
	"api,mem,file,size_bytes,batch,batch_used,threads,shared_buffer,write,"
	"longterm,force,prefault,release,lock,cpu_node,mem_node,repeat,warmup,"
	"per_page_ns_median,per_page_ns_p90,per_page_ns_p99,"
	"put_per_page_ns_median,call_ns_p50,call_ns_p90,call_ns_p99,"
	"call_ns_p999,call_ns_max,call_samples,get_cv,put_cv,gib_per_s,"
	"large_folio_pages,huge_fraction,noop_call_ns,noop_per_page_ns,"
	"pins_balanced,pins_acquired,pins_released,note";

static char *slurp_path(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, len = 0, n;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* Runs argv (PATH searched) with stdout and stderr into files; status. */
static int run(char *const argv[], const char *out, const char *err)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void dir_path(char *buf, size_t len, const char *name)
{
	/* the harness forks each test from one process: its pid names the run */
	snprintf(buf, len, "%s/gupbench-bench_results.%d%s%s",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getppid(),
		 name ? "/" : "", name ? name : "");
}

FIXTURE(quick) {
	char dir[512];
	int status;
	char *stderr_text;
	struct gbj_val *doc;
	const struct gbj_val *meta, *results;
};

FIXTURE_SETUP(quick)
{
	char status_path[600], err_path[600], out_path[600], json[600], perr[128];
	char *text;

	memset(self, 0, sizeof(*self));
	if (access("/dev/gupbench", F_OK))
		SKIP(return, "module not loaded: insmod gupbench.ko or use vm/run");
	dir_path(self->dir, sizeof(self->dir), NULL);
	dir_path(status_path, sizeof(status_path), "status");
	dir_path(err_path, sizeof(err_path), "stderr");
	dir_path(out_path, sizeof(out_path), "stdout");
	text = slurp_path(status_path);
	if (!text) {
		char *argv[] = {
			"gupbench", "matrix", "--preset", "quick", "--reserve-hugetlb",
			"--save-samples", SAMPLES_API, "--out", self->dir, NULL,
		};
		FILE *f;

		ASSERT_TRUE(!mkdir(self->dir, 0755) || errno == EEXIST)
			TH_LOG("%s: %s", self->dir, strerror(errno));
		self->status = run(argv, out_path, err_path);
		f = fopen(status_path, "w");
		ASSERT_NE(NULL, f);
		fprintf(f, "%d\n", self->status);
		fclose(f);
	} else {
		self->status = atoi(text);
		free(text);
	}
	self->stderr_text = slurp_path(err_path);
	snprintf(json, sizeof(json), "%s/results.json", self->dir);
	text = slurp_path(json);
	ASSERT_NE(NULL, text) TH_LOG("no %s; gupbench said: %s", json,
				     self->stderr_text ? self->stderr_text : "");
	self->doc = gbj_parse(text, perr, sizeof(perr));
	free(text);
	ASSERT_NE(NULL, self->doc) TH_LOG("%s: %s", json, perr);
	self->meta = gbj_get(self->doc, "meta");
	self->results = gbj_get(self->doc, "results");
	ASSERT_NE(NULL, self->meta);
	ASSERT_NE(NULL, self->results);
	ASSERT_EQ(GBJ_ARR, self->results->type);
}

FIXTURE_TEARDOWN(quick)
{
	gbj_free(self->doc);
	free(self->stderr_text);
}

TEST_F_TIMEOUT(quick, matrix_exits_0, QUICK_TIMEOUT)
{
	EXPECT_EQ(0, self->status) TH_LOG("stderr: %s", self->stderr_text);
}

TEST_F_TIMEOUT(quick, meta_has_the_documented_fields, QUICK_TIMEOUT)
{
	/* braces: EXPECT_* TH_LOG() is more than one statement */
	for (int i = 0; meta_fields[i]; i++) {
		EXPECT_NE(NULL, gbj_get(self->meta, meta_fields[i]))
			TH_LOG("meta.%s missing", meta_fields[i]);
	}
	/* the *_ns fields count instructions on the instruction clock */
	if (gbj_get_str(self->meta, "clock") &&
	    !strcmp(gbj_get_str(self->meta, "clock"), "instructions")) {
		EXPECT_STREQ("instructions", gbj_get_str(self->meta, "units"));
	} else {
		EXPECT_STREQ("ns", gbj_get_str(self->meta, "units"));
	}
	EXPECT_LT(0, gbj_get_num(self->meta, "module_abi", 0));
	/* the module says what built it (its read-only parameter) */
	EXPECT_STRNE("unavailable", gbj_get_str(self->meta, "module_compiler"));
	EXPECT_EQ(2, gbj_get_num(self->meta, "schema_version", 0));
}

TEST_F_TIMEOUT(quick, every_result_has_the_documented_fields, QUICK_TIMEOUT)
{
	ASSERT_LT(0, self->results->n);
	for (size_t i = 0; i < self->results->n; i++) {
		const struct gbj_val *r = gbj_at(self->results, i);
		const struct gbj_val *get = gbj_get(r, "get_ns_total");
		double repeat = gbj_get_num(r, "repeat", -1);

		for (int f = 0; result_fields[f]; f++) {
			EXPECT_NE(NULL, gbj_get(r, result_fields[f]))
				TH_LOG("results[%zu].%s missing", i, result_fields[f]);
		}
		for (int f = 0; per_page_fields[f]; f++) {
			EXPECT_NE(NULL, gbj_get(gbj_get(r, "per_page_ns"), per_page_fields[f]));
			EXPECT_NE(NULL, gbj_get(gbj_get(r, "put_per_page_ns"),
						per_page_fields[f]));
		}
		for (int f = 0; call_fields[f]; f++) {
			EXPECT_NE(NULL, gbj_get(gbj_get(r, "call_ns"), call_fields[f]));
		}
		ASSERT_NE(NULL, get);
		EXPECT_EQ(repeat, (double)get->n);
		for (size_t k = 0; k < get->n; k++) {
			EXPECT_LT(0, gbj_at(get, k)->num);
		}
		EXPECT_EQ(repeat, (double)gbj_get(r, "put_ns_total")->n);
		EXPECT_LT(0, gbj_get_num(gbj_get(r, "per_page_ns"), "median", -1));
		EXPECT_EQ(0, gbj_get_num(r, "unpinned_pages", -1));
		EXPECT_TRUE(gbj_get(r, "pins_balanced")->b)
			TH_LOG("results[%zu] (%s %s): pins unbalanced", i,
			       gbj_get_str(r, "api"), gbj_get_str(r, "mem"));
	}
}

TEST_F_TIMEOUT(quick, csv_has_the_documented_columns_and_every_result, QUICK_TIMEOUT)
{
	char path[600];
	char *text, *line;
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/results.csv", self->dir);
	text = slurp_path(path);
	ASSERT_NE(NULL, text) TH_LOG("no %s", path);
	/* the documented columns, in order, first; more may follow */
	EXPECT_EQ(0, strncmp(text, csv_columns, strlen(csv_columns)))
		TH_LOG("header: %.*s", (int)strcspn(text, "\n"), text);
	for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		rows++;
	EXPECT_EQ(self->results->n, rows);
	free(text);
}

TEST_F_TIMEOUT(quick, summary_reports_no_failed_case, QUICK_TIMEOUT)
{
	char path[600], expect[128];
	char *text;

	snprintf(path, sizeof(path), "%s/summary.txt", self->dir);
	text = slurp_path(path);
	ASSERT_NE(NULL, text) TH_LOG("no %s", path);
	EXPECT_EQ(NULL, strstr(text, "# FAILED")) TH_LOG("%s", text);
	snprintf(expect, sizeof(expect), " measured, ");
	EXPECT_NE(NULL, strstr(text, expect));
	EXPECT_NE(NULL, strstr(text, ", 0 failed, 0 failed checks")) TH_LOG("%s", text);
	free(text);
}

/* samples/<stem>.<mem>.dat for every case of SAMPLES_API: n values each */
TEST_F_TIMEOUT(quick, samples_of_the_asked_api, QUICK_TIMEOUT)
{
	char sdir[600];
	size_t want = 0, files = 0;
	struct dirent *de;
	DIR *d;

	for (size_t i = 0; i < self->results->n; i++)
		want += !strcmp(gbj_get_str(gbj_at(self->results, i), "api"),
				SAMPLES_API);
	snprintf(sdir, sizeof(sdir), "%s/samples", self->dir);
	d = opendir(sdir);
	ASSERT_NE(NULL, d) TH_LOG("%s: %s", sdir, strerror(errno));
	while ((de = readdir(d))) {
		char path[1200], *text, *p;
		size_t values = 0;

		if (de->d_name[0] == '.')
			continue;
		EXPECT_EQ(0, strncmp(de->d_name, SAMPLES_API "-", strlen(SAMPLES_API) + 1))
			TH_LOG("%s: not asked for", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", sdir, de->d_name);
		text = slurp_path(path);
		ASSERT_NE(NULL, text);
		for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
			values += *p != '#' && *p != '\n';
		EXPECT_LT(0, values) TH_LOG("%s: no values", path);
		free(text);
		files++;
	}
	closedir(d);
	EXPECT_EQ(want, files);
}

TEST_F_TIMEOUT(quick, compare_with_itself_finds_nothing, QUICK_TIMEOUT)
{
	char out[600], err[600], *text;
	char *argv[] = { "gupbench", "compare", self->dir, self->dir, NULL };

	dir_path(out, sizeof(out), "compare.txt");
	dir_path(err, sizeof(err), "compare.err");
	EXPECT_EQ(0, run(argv, out, err));
	text = slurp_path(out);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, " 0 slower (regressions), 0 faster,")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "0 only in A, 0 only in B")) TH_LOG("%s", text);
	free(text);
}

/* Last: the run's directory goes. */
TEST_F_TIMEOUT(quick, remove_the_results, QUICK_TIMEOUT)
{
	char *argv[] = { "rm", "-rf", self->dir, NULL };

	EXPECT_EQ(0, run(argv, "/dev/null", "/dev/null"));
}

TEST_HARNESS_MAIN
