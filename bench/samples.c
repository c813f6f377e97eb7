// SPDX-License-Identifier: GPL-2.0
/* Writing the kept per-call samples of a case, for CDF plots. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backend.h"
#include "samples.h"

static void add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t o = strlen(buf);
	va_list ap;

	if (o >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
}

void gb_samples_stem(const struct gb_case *c, char *buf, size_t len)
{
	char size[16];

	gb_format_size(c->size, size, sizeof(size));
	snprintf(buf, len, "%s-%s-b", gb_api_name(c->api), size);
	if (c->batch)
		add(buf, len, "%" PRIu64, c->batch);
	else
		add(buf, len, "all");
	add(buf, len, "-%s", c->write ? "w" : "r");
	if (c->threads > 1)
		add(buf, len, "-t%u%s", c->threads, c->shared_buffer ? "s" : "");
	if (c->cpu_node >= 0 || c->mem_node >= 0)
		add(buf, len, "-c%dm%d", c->cpu_node, c->mem_node);
	if (c->longterm)
		add(buf, len, "-lt");
	if (c->force)
		add(buf, len, "-force");
	if (c->lock_outside)
		add(buf, len, "-lockout");
	if (c->release == GUPBENCH_RELEASE_EACH_BATCH)
		add(buf, len, "-each");
	else if (c->release == GUPBENCH_RELEASE_PER_CALL)
		add(buf, len, "-percall");
	if (!c->prefault)
		add(buf, len, "-nopf");
	if (c->unpin_dirty)
		add(buf, len, "-dirty");
	if (c->nofault)
		add(buf, len, "-nofault");
	if (c->fast_only)
		add(buf, len, "-fastonly");
	if (c->remote_locked)
		add(buf, len, "-rlocked");
	if (c->backend != GB_BACKEND_MODULE)
		add(buf, len, "-%s", gb_backend_name(c->backend));
}

int gb_samples_check_filter(const char *filter, char *err, size_t errlen)
{
	const char *p = filter;

	if (!strcmp(filter, "all"))
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), p);
		if (gb_api_from_name(name) < 0) {
			snprintf(err, errlen, "--save-samples: '%s' is not an API name; give 'all' or API names separated by commas (e.g. pin_user_pages_fast,get_user_pages)",
				 name);
			return -1;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

bool gb_samples_wanted(const char *filter, const struct gb_case *c)
{
	const char *name = gb_api_name(c->api), *p = filter;
	size_t len = strlen(name);

	if (!filter || !c->samples)
		return false;
	if (!strcmp(filter, "all"))
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, name, n))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

int gb_samples_save(const char *dir, const struct gb_result *r, char *err,
		    size_t errlen)
{
	const struct gb_case *c = &r->c;
	char path[4400], stem[200], size[16], batch[24];
	size_t n = 0;
	FILE *f;

	for (unsigned int t = 0; t < r->nthr; t++)
		n += r->thr[t].ncall;
	snprintf(path, sizeof(path), "%s/%s", dir, GB_SAMPLES_DIR);
	if (mkdir(path, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	gb_samples_stem(c, stem, sizeof(stem));
	snprintf(path, sizeof(path), "%s/%s/%s.%s.dat", dir, GB_SAMPLES_DIR,
		 stem, gb_mem_name(c->mem));
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	gb_format_size(c->size, size, sizeof(size));
	if (c->batch)
		snprintf(batch, sizeof(batch), "%" PRIu64, c->batch);
	else
		snprintf(batch, sizeof(batch), "all");
	fprintf(f, "# gupbench per-call get latency, ns: the kept samples of every thread and measured repeat, in call order\n");
	fprintf(f, "# title: %s %s batch %s %s (%s)\n", gb_api_name(c->api),
		size, batch, c->write ? "write" : "read", stem);
	fprintf(f, "# mem: %s\n", gb_mem_name(c->mem));
	fprintf(f, "# samples: %zu, threads: %u, repeats: %u\n", n, r->nthr, c->repeat);
	for (unsigned int t = 0; t < r->nthr; t++)
		for (size_t i = 0; i < r->thr[t].ncall; i++)
			fprintf(f, "%.0f\n", r->thr[t].call_ns[i]);
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
