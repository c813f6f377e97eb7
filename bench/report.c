// SPDX-License-Identifier: GPL-2.0
/* Writing results: an aligned table, CSV, or JSON with metadata. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <linux/gupbench.h>
#include "backend.h"
#include "backend_syscall.h"
#include "report.h"

static const char *release_name(const struct gb_case *c)
{
	/* syscalls other than io_uring give the pages back themselves */
	if (c->backend == GB_BACKEND_SYSCALL && gb_api_is_sys(c->api) &&
	    c->api != GB_SYS_IO_URING)
		return c->api == GB_SYS_VMSPLICE ? "drain" : "in_call";
	return gb_release_name(c->release);
}

/*
 * How the pages went back, as the backend reports it: one release call
 * over the whole range, one per GUP call, inside the GUP call itself
 * (put is 0), or nothing to release.
 */
static const char *release_call_name(const struct gb_result *r)
{
	uint64_t of = r->thr[0].out_flags;

	if (r->c.api == GUPBENCH_API_NOOP)
		return "none";
	if (of & GUPBENCH_OUT_RELEASE_WHOLE)
		return "whole_range";
	if (of & GUPBENCH_OUT_RELEASE_PER_CALL)
		return "per_call";
	if (r->c.backend == GB_BACKEND_SYSCALL)
		return "in_call";
	return "per_call";	/* modules before the flags released per call */
}

static const char *lock_name(const struct gb_result *r)
{
	const struct gb_thread_result *t = &r->thr[0];

	if (t->out_flags & GUPBENCH_OUT_LOCK_OUTSIDE)
		return "outside";
	if (r->c.api == GUPBENCH_API_NOOP)
		return "none";
	if (r->c.backend == GB_BACKEND_SYSCALL)
		return "kernel";	/* each syscall takes what it needs */
	if (r->c.api == GUPBENCH_API_GET_USER_PAGES_FAST ||
	    r->c.api == GUPBENCH_API_PIN_USER_PAGES_FAST ||
	    r->c.api == GUPBENCH_API_GET_USER_PAGES_UNLOCKED ||
	    r->c.api == GUPBENCH_API_PIN_USER_PAGES_UNLOCKED)
		return "kernel";	/* taken by GUP itself, when needed */
	return "in_window";
}

/*
 * What makes a result's figures shaky, as text ("" when nothing): the
 * repeats' coefficient of variation above 10%, or the slowest repeat more
 * than 1.5 times the median.
 */
#define GB_NOISE_CV 0.10
#define GB_NOISE_MAX 1.5

static void noise_text(const struct gb_result *r, char *buf, size_t len)
{
	double spread = r->per_page_ns.p50 > 0 ?
			r->per_page_ns.max / r->per_page_ns.p50 : NAN;
	size_t o = 0;

	buf[0] = 0;
	if (r->c.api == GUPBENCH_API_NOOP && r->c.backend == GB_BACKEND_MODULE)
		return;		/* the reference: a few ns, noisy by nature */
	if (r->get_cv > GB_NOISE_CV)
		o += snprintf(buf + o, len - o, "CV %.0f%% > %.0f%%",
			      100 * r->get_cv, 100 * GB_NOISE_CV);
	if (o < len && spread > GB_NOISE_MAX)
		snprintf(buf + o, len - o, "%smax/median %.2f > %.1f",
			 o ? "; " : "", spread, GB_NOISE_MAX);
}

/*
 * ok: balanced by the module's count and by /proc/vmstat; ok/na: by the
 * module's count, vmstat not applicable (another pinner, zero-page pins);
 * n/a: nothing to tell by; LEAK.
 */
static const char *pins_word(const struct gb_result *r)
{
	if (!r->pins_balanced)
		return "LEAK";
	if (r->vmstat_applicable)
		return "ok";
	return r->c.backend == GB_BACKEND_MODULE ? "ok/na" : "n/a";
}

/* GiB/s means nothing for the timing loop alone. */
static double rate_of(const struct gb_result *r)
{
	return r->c.api == GUPBENCH_API_NOOP ? NAN : r->gib_per_s;
}

/* 118 columns: the longest API name (io_uring_register_buffers) fits. */
static void table_header(FILE *f)
{
	fprintf(f, "%-25s %-10s %5s %5s %3s %2s %8s %8s %9s %9s %5s %5s %6s %s\n",
		"api", "mem", "size", "batch", "thr", "rw", "call_p50", "call_p99",
		"ns/page", "put/page", "cv%", "huge%", "noop", "pins");
}

static void table_row(FILE *f, const struct gb_result *r)
{
	const struct gb_case *c = &r->c;
	char size[16], batch[16], noop[16], noise[96];

	gb_format_size(c->size, size, sizeof(size));
	snprintf(batch, sizeof(batch), c->batch ? "%" PRIu64 : "all", c->batch);
	if (isfinite(r->noop_call_ns))
		snprintf(noop, sizeof(noop), "%.0f", r->noop_call_ns);
	else
		snprintf(noop, sizeof(noop), "-");
	noise_text(r, noise, sizeof(noise));
	fprintf(f, "%-25s %-10s %5s %5s %3u %2s %8.0f %8.0f %9.2f %9.2f %5.1f %5.1f %6s %s\n",
		gb_api_name(c->api), gb_mem_name(c->mem), size, batch, c->threads,
		c->write ? "w" : "r", r->call_ns.p50, r->call_ns.p99,
		r->per_page_ns.p50, r->put_per_page_ns.p50,
		100.0 * r->get_cv, 100.0 * r->huge_fraction, noop,
		pins_word(r));
	if (noise[0])
		fprintf(f, "    noisy: %s\n", noise);
	if (r->nthr > 1)
		for (unsigned int t = 0; t < r->nthr; t++)
			fprintf(f, "    thread %u: cpu %d node %d, get %.2f ns/page (repeat 1)\n",
				t, r->thr[t].cpu, r->thr[t].node,
				(double)r->thr[t].get_ns[0] / (double)r->pages);
	if (r->note[0])
		fprintf(f, "    note: %s\n", r->note);
}

static const char *const csv_cols =
	"api,mem,file,size_bytes,batch,batch_used,threads,shared_buffer,write,longterm,force,prefault,release,lock,cpu_node,mem_node,repeat,warmup,"
	"per_page_ns_median,per_page_ns_p90,per_page_ns_p99,put_per_page_ns_median,call_ns_p50,call_ns_p90,call_ns_p99,call_ns_p999,call_ns_max,call_samples,"
	"get_cv,put_cv,gib_per_s,large_folio_pages,huge_fraction,noop_call_ns,noop_per_page_ns,pins_balanced,pins_acquired,pins_released,note,backend,noise,release_call";

/* A CSV field, quoted (RFC 4180): a path may hold commas and quotes. */
static void csv_str(FILE *f, const char *lead, const char *s)
{
	fprintf(f, "%s\"", lead);
	for (; s && *s; s++)
		fprintf(f, *s == '"' ? "\"\"" : "%c", *s);
	fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.6g", v);
	else
		fputs(",", f);
}

static void csv_row(FILE *f, const struct gb_result *r)
{
	const struct gb_case *c = &r->c;

	char noise[96];

	fprintf(f, "%s,%s", gb_api_name(c->api), gb_mem_name(c->mem));
	csv_str(f, ",", c->file_path);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%d,%d,%d,%d,%d,%s,%s,%d,%d,%u,%u",
		c->size, c->batch,
		r->batch_used, c->threads, c->shared_buffer, c->write,
		c->longterm, c->force, c->prefault, release_name(c),
		lock_name(r), c->cpu_node, c->mem_node, c->repeat, c->warmup);
	csv_num(f, r->per_page_ns.p50);
	csv_num(f, r->per_page_ns.p90);
	csv_num(f, r->per_page_ns.p99);
	csv_num(f, r->put_per_page_ns.p50);
	csv_num(f, r->call_ns.p50);
	csv_num(f, r->call_ns.p90);
	csv_num(f, r->call_ns.p99);
	csv_num(f, r->call_ns.p999);
	csv_num(f, r->call_ns.max);
	fprintf(f, ",%zu", r->call_ns.n);
	csv_num(f, r->get_cv);
	csv_num(f, r->put_cv);
	csv_num(f, rate_of(r));
	fprintf(f, ",%" PRIu64, r->large_folio_pages);
	csv_num(f, r->huge_fraction);
	csv_num(f, r->noop_call_ns);
	csv_num(f, r->noop_per_page_ns);
	fprintf(f, ",%d,%" PRIu64 ",%" PRIu64, r->pins_balanced,
		r->pins.acquired, r->pins.released);
	csv_str(f, ",", r->note);
	fprintf(f, ",%s", gb_backend_name(c->backend));
	noise_text(r, noise, sizeof(noise));
	csv_str(f, ",", noise);
	fprintf(f, ",%s\n", release_call_name(r));
}

static void json_summary(struct gbj_writer *w, const char *key,
			 const struct gb_summary *s, bool full)
{
	gbj_obj_open(w, key);
	if (full) {
		gbj_num(w, "p50", s->p50);
		gbj_num(w, "p90", s->p90);
		gbj_num(w, "p99", s->p99);
		gbj_num(w, "p999", s->p999);
		gbj_num(w, "max", s->max);
		gbj_num(w, "min", s->min);
		gbj_num(w, "mean", s->mean);
		gbj_num(w, "stddev", s->stddev);
		gbj_u64(w, "n", s->n);
	} else {
		gbj_num(w, "median", s->p50);
		gbj_num(w, "p90", s->p90);
		gbj_num(w, "p99", s->p99);
		gbj_num(w, "min", s->min);
		gbj_num(w, "max", s->max);
	}
	gbj_obj_close(w);
}

static void json_u64s(struct gbj_writer *w, const char *key,
		      const uint64_t *v, unsigned int n)
{
	gbj_arr_open(w, key);
	for (unsigned int i = 0; i < n; i++)
		gbj_u64(w, NULL, v[i]);
	gbj_arr_close(w);
}

/* What the per-call samples stand for: all calls or the first ones, and
 * how many calls were scheduled out. */
static void json_sample_cover(struct gbj_writer *w, const struct gb_result *r)
{
	uint64_t sched = 0;
	bool truncated = false;

	for (unsigned int t = 0; t < r->nthr; t++) {
		sched += r->thr[t].scheduled_samples;
		truncated |= r->thr[t].samples_truncated;
	}
	gbj_obj_open(w, "call_samples");
	gbj_bool(w, "every_call", r->c.samples && !truncated);
	gbj_u64(w, "scheduled_out", sched);
	gbj_bool(w, "scheduled_out_dropped", r->drop_scheduled);
	gbj_obj_close(w);
}

/* Median over repeats of thread 0's retired kernel instructions per page. */
static double instr_per_page(const struct gb_result *r, bool put)
{
	const struct gb_thread_result *t = &r->thr[0];
	double v[r->c.repeat ? r->c.repeat : 1];

	for (unsigned int i = 0; i < r->c.repeat; i++)
		v[i] = (double)(put ? t->put_instr[i] : t->get_instr[i]) /
		       (double)r->pages;
	gb_sort(v, r->c.repeat);
	return gb_percentile(v, r->c.repeat, 50);
}

static void json_thread(struct gbj_writer *w, const struct gb_result *r,
			const struct gb_thread_result *t)
{
	gbj_obj_open(w, NULL);
	gbj_i64(w, "cpu", t->cpu);
	gbj_i64(w, "node", t->node);
	json_u64s(w, "get_ns_total", t->get_ns, r->c.repeat);
	json_u64s(w, "put_ns_total", t->put_ns, r->c.repeat);
	if (t->instr_valid) {
		json_u64s(w, "get_instructions_total", t->get_instr, r->c.repeat);
		json_u64s(w, "put_instructions_total", t->put_instr, r->c.repeat);
	}
	gbj_u64(w, "calls", t->calls);
	gbj_u64(w, "large_folio_pages", t->large_folio_pages);
	gbj_u64(w, "unpinned_pages", t->unpinned_pages);
	gbj_u64(w, "huge_bytes_smaps", t->huge_bytes);
	gbj_obj_open(w, "placement");
	gbj_u64(w, "pages_looked_at", t->placement_looked);
	gbj_u64(w, "not_present", t->placement_missing);
	for (int n = 0; n < GB_MAX_NODES; n++) {
		char key[16];

		if (!t->placement[n])
			continue;
		snprintf(key, sizeof(key), "node%d", n);
		gbj_u64(w, key, t->placement[n]);
	}
	gbj_obj_close(w);
	gbj_obj_close(w);
}

static void json_pins(struct gbj_writer *w, const struct gb_result *r)
{
	gbj_obj_open(w, "pins");
	gbj_bool(w, "valid", r->pins.valid);
	gbj_u64(w, "acquired", r->pins.acquired);
	gbj_u64(w, "released", r->pins.released);
	gbj_bool(w, "vmstat_applicable", r->vmstat_applicable);
	if (r->c.backend == GB_BACKEND_MODULE) {
		gbj_u64(w, "module_taken", r->pins_taken);
		gbj_u64(w, "module_released", r->pins_released);
	}
	gbj_obj_open(w, "per_node");
	for (int n = 0; n < GB_MAX_NODES; n++) {
		char key[16];

		if (!r->pins.node_valid[n])
			continue;
		snprintf(key, sizeof(key), "node%d", n);
		gbj_obj_open(w, key);
		gbj_u64(w, "acquired", r->pins.node_acq[n]);
		gbj_u64(w, "released", r->pins.node_rel[n]);
		gbj_obj_close(w);
	}
	gbj_obj_close(w);
	gbj_obj_close(w);
}

static void json_result(struct gbj_writer *w, const struct gb_result *r)
{
	const struct gb_case *c = &r->c;
	uint64_t unpinned = 0, zero = 0, unpinnable = 0;
	char noise[96];

	for (unsigned int t = 0; t < r->nthr; t++) {
		unpinned += r->thr[t].unpinned_pages;
		zero += r->thr[t].zero_pages;
		unpinnable += r->thr[t].longterm_unpinnable;
	}
	gbj_obj_open(w, NULL);
	gbj_str(w, "api", gb_api_name(c->api));
	gbj_str(w, "backend", gb_backend_name(c->backend));
	gbj_str(w, "mem", gb_mem_name(c->mem));
	gbj_str(w, "file", c->file_path);
	if (c->api == GB_SYS_O_DIRECT) {
		char fs[32];

		/* what the read went through decides which path GUP took */
		gb_direct_fstype(c->direct_path, fs, sizeof(fs));
		gbj_str(w, "direct_path", c->direct_path ? c->direct_path : ".");
		gbj_str(w, "direct_fs", fs);
	}
	gbj_u64(w, "size_bytes", c->size);
	gbj_u64(w, "pages", r->pages);
	gbj_u64(w, "batch", c->batch);
	gbj_u64(w, "batch_used", r->batch_used);
	gbj_u64(w, "calls", r->thr[0].calls);
	gbj_u64(w, "threads", c->threads);
	gbj_bool(w, "shared_buffer", c->shared_buffer);
	gbj_bool(w, "write", c->write);
	gbj_bool(w, "longterm", c->longterm);
	gbj_bool(w, "force", c->force);
	gbj_bool(w, "unpin_dirty", c->unpin_dirty);
	gbj_bool(w, "nofault", c->nofault);
	gbj_bool(w, "fast_only", c->fast_only);
	gbj_bool(w, "remote_locked", c->remote_locked);
	gbj_bool(w, "prefault", c->prefault);
	gbj_str(w, "release", release_name(c));
	gbj_str(w, "release_call", release_call_name(r));
	gbj_str(w, "mmap_lock", lock_name(r));
	gbj_i64(w, "cpu_node", c->cpu_node);
	gbj_i64(w, "mem_node", c->mem_node);
	gbj_u64(w, "repeat", c->repeat);
	gbj_u64(w, "warmup", c->warmup);
	gbj_bool(w, "samples", c->samples);
	gbj_arr_open(w, "get_ns_total");
	for (unsigned int i = 0; i < c->repeat; i++)
		gbj_u64(w, NULL, gb_result_total(r, i, false));
	gbj_arr_close(w);
	gbj_arr_open(w, "put_ns_total");
	for (unsigned int i = 0; i < c->repeat; i++)
		gbj_u64(w, NULL, gb_result_total(r, i, true));
	gbj_arr_close(w);
	json_summary(w, "per_page_ns", &r->per_page_ns, false);
	json_summary(w, "put_per_page_ns", &r->put_per_page_ns, false);
	json_summary(w, "call_ns", &r->call_ns, true);
	json_sample_cover(w, r);
	if (r->thr[0].instr_valid) {
		/* the CPU's retired-instruction counter, beside the time */
		gbj_num(w, "instructions_per_page", instr_per_page(r, false));
		gbj_num(w, "put_instructions_per_page", instr_per_page(r, true));
	}
	gbj_num(w, "get_cv", r->get_cv);
	gbj_num(w, "put_cv", r->put_cv);
	gbj_num(w, "gib_per_s", rate_of(r));
	gbj_u64(w, "large_folio_pages", r->large_folio_pages);
	gbj_num(w, "huge_fraction", r->huge_fraction);
	/* pages by folio order (index), all threads, from the module */
	if (r->have_orders) {
		gbj_arr_open(w, "folio_order_pages");
		for (unsigned int i = 0; i < GUPBENCH_ORDERS; i++)
			gbj_u64(w, NULL, r->order_pages[i]);
		gbj_arr_close(w);
	} else {
		gbj_null(w, "folio_order_pages");
	}
	gbj_u64(w, "unpinned_pages", unpinned);
	gbj_u64(w, "zero_pages", zero);
	gbj_u64(w, "longterm_unpinnable", unpinnable);
	gbj_obj_open(w, "noop");
	gbj_num(w, "call_ns", r->noop_call_ns);
	gbj_num(w, "per_page_ns", r->noop_per_page_ns);
	gbj_obj_close(w);
	gbj_bool(w, "pins_balanced", r->pins_balanced);
	json_pins(w, r);
	gbj_arr_open(w, "per_thread");
	for (unsigned int t = 0; t < r->nthr; t++)
		json_thread(w, r, &r->thr[t]);
	gbj_arr_close(w);
	gbj_str(w, "note", r->note[0] ? r->note : NULL);
	gbj_bool(w, "oversubscribed", r->oversubscribed);
	noise_text(r, noise, sizeof(noise));
	gbj_str(w, "noise", noise[0] ? noise : NULL);
	gbj_obj_close(w);
}

void gb_report_begin(struct gb_report *rp, FILE *f, enum gb_format fmt,
		     const struct gb_meta *m)
{
	memset(rp, 0, sizeof(*rp));
	rp->f = f;
	rp->fmt = fmt;
	switch (fmt) {
	case GB_FMT_JSON:
		gbj_init(&rp->jw, f);
		gbj_obj_open(&rp->jw, NULL);
		gb_meta_json(&rp->jw, m);
		gbj_arr_open(&rp->jw, "results");
		break;
	case GB_FMT_CSV:
		fprintf(f, "%s\n", csv_cols);
		break;
	case GB_FMT_TABLE:
		fprintf(f, "# %s, gupbench %s, %s\n", m->kernel_release,
			m->tool_version, m->date_utc);
		fprintf(f, "# ns/page: median get time per page over repeats; call_*: per-call latency; noop: harness cost per call (ns); noisy: CV over 10%% or the slowest repeat over 1.5x the median\n");
		table_header(f);
		break;
	}
}

void gb_report_result(struct gb_report *rp, const struct gb_result *r)
{
	switch (rp->fmt) {
	case GB_FMT_JSON:
		json_result(&rp->jw, r);
		break;
	case GB_FMT_CSV:
		csv_row(rp->f, r);
		break;
	case GB_FMT_TABLE:
		table_row(rp->f, r);
		break;
	}
	rp->rows++;
	fflush(rp->f);
}

void gb_report_end(struct gb_report *rp)
{
	if (rp->fmt == GB_FMT_JSON) {
		gbj_arr_close(&rp->jw);
		gbj_obj_close(&rp->jw);
	}
	fflush(rp->f);
}
