// SPDX-License-Identifier: GPL-2.0
/* Reading results.json files back and pooling runs case by case. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options.h"
#include "resultset.h"

/*
 * What a case is, as written by report.c.  Measurements (totals,
 * percentiles, counters) and derived values (pages, calls, batch_used)
 * are not part of it.  Results written before "backend" existed were all
 * measured by the module.
 */
const char *const gb_case_params[] = {
	"api", "backend", "mem", "file", "direct_path", "size_bytes", "batch",
	"threads", "shared_buffer", "write", "longterm", "force",
	"unpin_dirty", "prefault", "release", "mmap_lock", "cpu_node",
	"mem_node", "samples", "nofault", "fast_only", "remote_locked", NULL,
};

/* What a file from before a parameter existed meant by leaving it out. */
static const char *param_default(const char *key)
{
	if (!strcmp(key, "backend"))
		return "module";
	if (!strcmp(key, "nofault") || !strcmp(key, "fast_only") ||
	    !strcmp(key, "remote_locked"))
		return "false";
	return "-";
}

char *gb_slurp(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, len = 0, n;
	char *buf;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

static void put_val(char *buf, size_t len, size_t *o, const struct gbj_val *v,
		    const char *dflt)
{
	int n;

	if (*o >= len)
		return;
	if (!v)
		n = snprintf(buf + *o, len - *o, "%s", dflt);
	else if (v->type == GBJ_NULL)
		n = snprintf(buf + *o, len - *o, "-");
	else if (v->type == GBJ_BOOL)
		n = snprintf(buf + *o, len - *o, "%s", v->b ? "true" : "false");
	else if (v->type == GBJ_NUM)
		n = snprintf(buf + *o, len - *o, "%.17g", v->num);
	else if (v->type == GBJ_STR)
		n = snprintf(buf + *o, len - *o, "%s", v->str);
	else
		n = snprintf(buf + *o, len - *o, "?");
	if (n > 0)
		*o += (size_t)n;
}

void gb_case_key(const struct gbj_val *res, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; gb_case_params[i]; i++) {
		int n = snprintf(buf + o, o < len ? len - o : 0, "%s%s=",
				 i ? ";" : "", gb_case_params[i]);

		if (n > 0)
			o += (size_t)n;
		put_val(buf, len, &o, gbj_get(res, gb_case_params[i]),
			param_default(gb_case_params[i]));
	}
}

/* The boolean parameters a case label names when true: key, label. */
static const char *const label_flags[][2] = {
	{ "longterm", "longterm" }, { "force", "force" },
	{ "unpin_dirty", "unpin-dirty" }, { "nofault", "nofault" },
	{ "fast_only", "fast-only" }, { "remote_locked", "remote-locked" },
};

static bool get_bool(const struct gbj_val *res, const char *key)
{
	const struct gbj_val *v = gbj_get(res, key);

	return v && v->type == GBJ_BOOL && v->b;
}

static void append(char *buf, size_t len, const char *fmt, const char *s)
{
	size_t o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, fmt, s);
}

void gb_case_label(const struct gbj_val *res, char *buf, size_t len)
{
	const char *api = gbj_get_str(res, "api"), *mem = gbj_get_str(res, "mem");
	const char *file = gbj_get_str(res, "file"), *s;
	double batch = gbj_get_num(res, "batch", -1);
	double threads = gbj_get_num(res, "threads", 1);
	int cpu = (int)gbj_get_num(res, "cpu_node", -1);
	int memn = (int)gbj_get_num(res, "mem_node", -1);
	char size[16], num[48];

	gb_format_size((uint64_t)gbj_get_num(res, "size_bytes", 0), size,
		       sizeof(size));
	if (batch == 0)
		snprintf(num, sizeof(num), "all");
	else
		snprintf(num, sizeof(num), "%.0f", batch);
	snprintf(buf, len, "%s %s%s%s %s b%s %s", api ? api : "?",
		 mem ? mem : "?", file ? ":" : "", file ? file : "", size, num,
		 get_bool(res, "write") ? "w" : "r");
	if (threads > 1) {
		snprintf(num, sizeof(num), " t%.0f", threads);
		append(buf, len, "%s", num);
		if (get_bool(res, "shared_buffer"))
			append(buf, len, "%s", " shared");
	}
	if (cpu >= 0 || memn >= 0) {
		snprintf(num, sizeof(num), " cpu%d/mem%d", cpu, memn);
		append(buf, len, "%s", num);
	}
	for (size_t i = 0; i < sizeof(label_flags) / sizeof(label_flags[0]); i++)
		if (get_bool(res, label_flags[i][0]))
			append(buf, len, " %s", label_flags[i][1]);
	s = gbj_get_str(res, "mmap_lock");
	if (s && !strcmp(s, "outside"))
		append(buf, len, "%s", " lock-outside");
	s = gbj_get_str(res, "release");
	if (s && strcmp(s, "after_all"))
		append(buf, len, " %s", s);
	if (gbj_get(res, "prefault") && !get_bool(res, "prefault"))
		append(buf, len, "%s", " no-prefault");
	if (gbj_get(res, "samples") && !get_bool(res, "samples"))
		append(buf, len, "%s", " no-samples");
	s = gbj_get_str(res, "backend");
	if (s && strcmp(s, "module"))
		append(buf, len, " backend=%s", s);
}

void gb_meta_preset(const struct gbj_val *meta, char *buf, size_t len)
{
	const char *cl = gbj_get_str(meta, "command_line"), *p;

	snprintf(buf, len, "custom");
	if (!cl || !(p = strstr(cl, "--preset")))
		return;
	p += strlen("--preset");
	while (*p == ' ' || *p == '=')
		p++;
	if (*p) {
		size_t n = strcspn(p, " ");

		snprintf(buf, len, "%.*s", (int)(n < 32 ? n : 32), p);
	}
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int add_path(struct gb_rset *s, const char *p)
{
	char **v = realloc(s->run_paths, (s->nruns + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->run_paths = v;
	v[s->nruns] = strdup(p);
	if (!v[s->nruns])
		return -1;
	s->nruns++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The results.json files that path stands for, sorted. */
static int find_runs(struct gb_rset *s, const char *path, char *err,
		     size_t errlen)
{
	char p[4400];
	struct dirent *de;
	DIR *d;

	if (is_file(path))
		return add_path(s, path);
	if (!is_dir(path)) {
		snprintf(err, errlen, "%s: no such file or directory; give a results.json or a gupbench matrix output directory",
			 path);
		return -1;
	}
	snprintf(p, sizeof(p), "%s/results.json", path);
	if (is_file(p))
		return add_path(s, p);
	d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/results.json", path, de->d_name);
		if (is_file(p) && add_path(s, p)) {
			closedir(d);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	closedir(d);
	if (!s->nruns) {
		snprintf(err, errlen, "%s: no results.json in it or in its subdirectories; give a results.json or a gupbench matrix output directory",
			 path);
		return -1;
	}
	qsort(s->run_paths, s->nruns, sizeof(*s->run_paths), cmp_str);
	return 0;
}

static struct gb_rcase *find_case(struct gb_rset *s, const char *key)
{
	for (size_t i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i].key, key))
			return &s->cases[i];
	return NULL;
}

const struct gb_rcase *gb_rset_find(const struct gb_rset *s, const char *key)
{
	return find_case((struct gb_rset *)s, key);
}

static struct gb_rcase *new_case(struct gb_rset *s, const char *key,
				 const struct gbj_val *res)
{
	struct gb_rcase *v = realloc(s->cases, (s->ncases + 1) * sizeof(*v)), *c;

	if (!v)
		return NULL;
	s->cases = v;
	c = &v[s->ncases];
	memset(c, 0, sizeof(*c));
	c->start = calloc(s->nruns + 1, sizeof(*c->start));
	if (!c->start)
		return NULL;
	s->ncases++;
	c->res = res;
	c->last_run = SIZE_MAX;
	snprintf(c->key, sizeof(c->key), "%s", key);
	gb_case_label(res, c->label, sizeof(c->label));
	c->pages = gbj_get_num(res, "pages",
			       gbj_get_num(res, "size_bytes", 0) / 4096);
	return c;
}

/*
 * The put phase's part of a case key: a module release over the whole
 * range in one call is another measurement than one release per call, the
 * only kind gupbench made before results said how (release_call).
 */
static void put_key(const struct gbj_val *res, char *key)
{
	const char *rc = gbj_get_str(res, "release_call");
	const char *be = gbj_get_str(res, "backend");

	strcat(key, ";phase=put");
	if (rc && !strcmp(rc, "whole_range") && (!be || !strcmp(be, "module")))
		strcat(key, ";release_call=whole_range");
}

/*
 * A phase of one run's results[i] (@field: get_ns_total or put_ns_total):
 * its totals become the case's next run group.  The release phase is a
 * case of its own ("<label> put"), so a change that only slows unpinning
 * is seen too; it is left out where there is nothing to time (noop, or a
 * syscall that releases inside the call: every total 0).
 */
static int add_phase(struct gb_rset *s, size_t run, const struct gbj_val *res,
		     size_t idx, const char *field, char *err, size_t errlen)
{
	const char *file = s->run_paths[run];
	const struct gbj_val *tot = gbj_get(res, field);
	bool put = !strcmp(field, "put_ns_total");
	char key[GB_KEY_LEN];
	struct gb_rcase *c;
	double *v;

	if (!tot || tot->type != GBJ_ARR || !tot->n) {
		if (put)
			return 0;	/* written before the put phase counted */
		snprintf(err, errlen, "%s: results[%zu] has no api, mem or get_ns_total: not written by gupbench matrix/run --format json",
			 file, idx);
		return -1;
	}
	if (put) {
		for (size_t i = 0; i < tot->n; i++)
			if (gbj_at(tot, i)->type != GBJ_NUM ||
			    !(gbj_at(tot, i)->num > 0))
				return 0;
	}
	/* room for "#N": the same case twice in one run is matched by
	 * occurrence, first with first */
	gb_case_key(res, key, GB_KEY_LEN - 64);
	if (put)
		put_key(res, key);
	for (int dup = 2; (c = find_case(s, key)) && c->last_run == run; dup++) {
		gb_case_key(res, key, GB_KEY_LEN - 64);
		if (put)
			put_key(res, key);
		snprintf(key + strlen(key), 16, "#%d", dup);
	}
	if (!c && !(c = new_case(s, key, res)))
		goto oom;
	if (put && !strstr(c->label, " put"))
		snprintf(c->label + strlen(c->label),
			 sizeof(c->label) - strlen(c->label), " put");
	c->put = put;
	v = realloc(c->v, (c->nv + tot->n) * sizeof(*v));
	if (!v)
		goto oom;
	c->v = v;
	for (size_t i = 0; i < tot->n; i++) {
		const struct gbj_val *x = gbj_at(tot, i);

		if (x->type != GBJ_NUM || !(x->num > 0) || !isfinite(x->num)) {
			snprintf(err, errlen, "%s: results[%zu] (%s): %s[%zu] is not a positive number",
				 file, idx, c->label, field, i);
			return -1;
		}
		c->v[c->nv++] = x->num;
	}
	c->start[++c->nruns] = c->nv;
	c->last_run = run;
	return 0;
oom:
	snprintf(err, errlen, "out of memory reading %s", file);
	return -1;
}

static int add_result(struct gb_rset *s, size_t run,
		      const struct gbj_val *res, size_t idx, char *err,
		      size_t errlen)
{
	if (!gbj_get_str(res, "api") || !gbj_get_str(res, "mem")) {
		snprintf(err, errlen, "%s: results[%zu] has no api, mem or get_ns_total: not written by gupbench matrix/run --format json",
			 s->run_paths[run], idx);
		return -1;
	}
	if (add_phase(s, run, res, idx, "get_ns_total", err, errlen))
		return -1;
	return add_phase(s, run, res, idx, "put_ns_total", err, errlen);
}

static int same_field(const struct gbj_val *a, const struct gbj_val *b,
		      const char *key)
{
	char ka[256], kb[256];
	size_t oa = 0, ob = 0;

	put_val(ka, sizeof(ka), &oa, gbj_get(a, key), "-");
	put_val(kb, sizeof(kb), &ob, gbj_get(b, key), "-");
	return !strcmp(ka, kb);
}

static int load_run(struct gb_rset *s, size_t r, char *err, size_t errlen)
{
	const char *file = s->run_paths[r];
	const struct gbj_val *meta, *results;
	char perr[256];
	char *text = gb_slurp(file, err, errlen);

	if (!text)
		return -1;
	s->docs[r] = gbj_parse(text, perr, sizeof(perr));
	free(text);
	if (!s->docs[r]) {
		snprintf(err, errlen, "%s: not valid JSON (%s)", file, perr);
		return -1;
	}
	meta = gbj_get(s->docs[r], "meta");
	results = gbj_get(s->docs[r], "results");
	if (!meta || meta->type != GBJ_OBJ || !results || results->type != GBJ_ARR) {
		snprintf(err, errlen, "%s: no \"meta\" object and \"results\" array: not a gupbench results file",
			 file);
		return -1;
	}
	if (!gbj_get_str(meta, "units") || !gbj_get(meta, "module_abi")) {
		snprintf(err, errlen, "%s: meta has no units or module_abi: not written by gupbench matrix/run --format json",
			 file);
		return -1;
	}
	if (r == 0) {
		s->meta = meta;
	} else if (!same_field(s->meta, meta, "module_abi") ||
		   !same_field(s->meta, meta, "units")) {
		snprintf(err, errlen, "%s: module ABI or units differ from %s: runs pooled as one side must come from one gupbench",
			 file, s->run_paths[0]);
		return -1;
	}
	for (size_t i = 0; i < results->n; i++) {
		if (add_result(s, r, gbj_at(results, i), i, err, errlen))
			return -1;
	}
	return 0;
}

int gb_rset_load(struct gb_rset *s, const char *path, char *err,
		 size_t errlen)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (find_runs(s, path, err, errlen))
		goto fail;
	s->docs = calloc(s->nruns, sizeof(*s->docs));
	if (!s->docs) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t r = 0; r < s->nruns; r++)
		if (load_run(s, r, err, errlen))
			goto fail;
	return 0;
fail:
	gb_rset_free(s);
	return -1;
}

void gb_rset_free(struct gb_rset *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		free(s->cases[i].v);
		free(s->cases[i].start);
	}
	free(s->cases);
	for (size_t r = 0; s->docs && r < s->nruns; r++)
		gbj_free(s->docs[r]);
	free(s->docs);
	for (size_t r = 0; r < s->nruns; r++)
		free(s->run_paths[r]);
	free(s->run_paths);
	memset(s, 0, sizeof(*s));
}
