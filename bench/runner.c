// SPDX-License-Identifier: GPL-2.0
/*
 * Running one case: buffers placed, threads bound and released together,
 * repeats measured through a backend (bench/backend.h), pins checked,
 * statistics made.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "buffer.h"
#include "mthp.h"
#include "runner.h"

struct shared;

struct worker {
	pthread_t tid;
	unsigned int idx;
	struct shared *sh;
	struct gb_thread_result *res;
	struct gb_buffer buf;
	bool have_buf;
	void *bk;			/* the backend's per-thread state */
	char msg[GB_ERRLEN];
};

struct shared {
	const struct gb_env *env;
	const struct gb_case *c;
	pthread_barrier_t bar;
	atomic_bool abort;
	struct worker *w;
	uint64_t pages;
	uint64_t samples_cap;		/* ioctl entries per call set */
	uint64_t keep_per_repeat;	/* call samples kept per repeat */
	uint64_t batch_used;
};

static uint64_t case_flags(const struct gb_case *c)
{
	uint64_t f = 0;

	if (c->write)
		f |= GUPBENCH_F_WRITE;
	if (c->longterm)
		f |= GUPBENCH_F_LONGTERM;
	if (c->force)
		f |= GUPBENCH_F_FORCE;
	if (c->lock_outside)
		f |= GUPBENCH_F_LOCK_OUTSIDE;
	if (c->unpin_dirty)
		f |= GUPBENCH_F_UNPIN_DIRTY;
	if (c->nofault)
		f |= GUPBENCH_F_NOFAULT;
	if (c->fast_only)
		f |= GUPBENCH_F_FAST_ONLY;
	if (c->remote_locked)
		f |= GUPBENCH_F_REMOTE_LOCKED;
	return f;
}

static void fail(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->msg[0]) {
		va_start(ap, fmt);
		vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
		va_end(ap);
	}
	atomic_store(&w->sh->abort, true);
}

static void setup_buffer(struct worker *w)
{
	const struct gb_case *c = w->sh->c;
	char err[GB_ERRLEN];

	if (gb_buffer_create(&w->buf, c, err, sizeof(err))) {
		fail(w, "%s", err);
		return;
	}
	w->have_buf = true;
	if (gb_numa_bind_memory(w->buf.addr, w->buf.len, c->mem_node, err,
				sizeof(err))) {
		fail(w, "%s", err);
		return;
	}
	if (c->prefault)
		gb_buffer_prefault(&w->buf);
}

size_t gb_keep_samples(const struct gupbench_sample *s, uint64_t n,
		       uint64_t keep, bool drop_scheduled, double *out,
		       uint64_t *scheduled)
{
	size_t kept = 0;
	double step;

	if (!n || !keep)
		return 0;
	if (keep > n)
		keep = n;
	step = (double)n / (double)keep;
	for (uint64_t i = 0; i < n; i++)
		*scheduled += !!(s[i].flags & GUPBENCH_SAMPLE_SCHEDULED);
	for (uint64_t i = 0; i < keep; i++) {
		const struct gupbench_sample *x = &s[(uint64_t)((double)i * step)];

		/* --drop-scheduled: a call that waited for others is not its own */
		if (drop_scheduled && (x->flags & GUPBENCH_SAMPLE_SCHEDULED))
			continue;
		out[kept++] = (double)x->get_ns;
	}
	return kept;
}

static void keep_samples(struct worker *w, const struct gupbench_sample *s,
			 uint64_t n)
{
	struct gb_thread_result *t = w->res;

	t->ncall += gb_keep_samples(s, n, w->sh->keep_per_repeat,
				    w->sh->env->drop_scheduled,
				    t->call_ns + t->ncall, &t->scheduled_samples);
}

static void measure(struct worker *w, const struct gb_buffer *buf,
		    struct gupbench_sample *samples, unsigned int rep)
{
	const struct gb_case *c = w->sh->c;
	struct gupbench_run r;
	char msg[GB_ERRLEN];
	unsigned int m;
	int ret;

	memset(&r, 0, sizeof(r));
	r.api = c->api;
	r.flags = case_flags(c);
	if (w->sh->env->count_instructions && c->backend == GB_BACKEND_MODULE)
		r.flags |= GUPBENCH_F_INSTRUCTIONS;
	r.addr = (uintptr_t)buf->addr;
	r.len = buf->len;
	r.batch = c->batch;
	r.release = c->release;
	if (samples) {
		r.samples = (uintptr_t)samples;
		r.samples_cap = w->sh->samples_cap;
	}
	/* the module, or system calls: one repeat either way */
	ret = gb_backend_of(c)->run(w->sh->env, c, w->bk, &r, msg, sizeof(msg));
	if (ret) {
		fail(w, "%s", msg);
		return;
	}
	if (r.pages_done != w->sh->pages || r.short_calls) {
		fail(w, "%s returned a short result: %" PRIu64 " of %" PRIu64 " pages, %" PRIu64 " short calls; a partial measurement is not a result",
		     gb_api_name(c->api), (uint64_t)r.pages_done, w->sh->pages,
		     (uint64_t)r.short_calls);
		return;
	}
	w->sh->batch_used = r.batch;
	/* every repeat, warm-up included: the vmstat window covers them */
	w->res->pins_taken += r.pins_taken;
	w->res->pins_released += r.pins_released;
	if (rep < c->warmup)
		return;
	m = rep - c->warmup;
	w->res->get_ns[m] = r.get_ns;
	w->res->put_ns[m] = r.put_ns;
	w->res->get_instr[m] = r.get_instructions;
	w->res->put_instr[m] = r.put_instructions;
	if (!(r.out_flags & GUPBENCH_OUT_INSTRUCTIONS))
		w->res->instr_valid = false;
	w->res->calls = r.calls;
	w->res->large_folio_pages = r.large_folio_pages;
	memcpy(w->res->order_pages, r.order_pages, sizeof(r.order_pages));
	w->res->unpinned_pages += r.unpinned_pages;
	w->res->zero_pages = r.zero_pages;
	w->res->longterm_unpinnable += r.longterm_unpinnable;
	w->res->out_flags = r.out_flags;
	if (samples) {
		keep_samples(w, samples, r.samples_written);
		/* the first samples_written calls were sampled, not all */
		if (r.samples_written < r.calls)
			w->res->samples_truncated = true;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	const struct gb_case *c = sh->c;
	struct gupbench_sample *samples = NULL;
	const struct gb_buffer *buf;
	bool owner = !c->shared_buffer || w->idx == 0;
	char err[GB_ERRLEN];
	int cpu;

	cpu = gb_numa_cpu_for(sh->env->numa, c->cpu_node, w->idx, err,
			      sizeof(err));
	if (cpu < 0)
		fail(w, "%s", err);
	else if (gb_numa_bind_cpu(sh->env->numa, cpu))
		fail(w, "cannot bind thread %u to cpu %d: %s", w->idx, cpu,
		     strerror(errno));
	w->res->cpu = cpu;
	w->res->node = cpu < 0 ? -1 : gb_numa_node_of_cpu(sh->env->numa, cpu);

	if (owner && !atomic_load(&sh->abort))
		setup_buffer(w);
	if (c->samples) {
		samples = calloc(sh->samples_cap, sizeof(*samples));
		if (!samples)
			fail(w, "out of memory for %" PRIu64 " samples: lower --max-samples",
			     sh->samples_cap);
	}
	pthread_barrier_wait(&sh->bar);
	buf = c->shared_buffer ? &sh->w[0].buf : &w->buf;
	if (!atomic_load(&sh->abort) &&
	    gb_backend_of(c)->open(sh->env, c, buf, &w->bk, err, sizeof(err)))
		fail(w, "%s", err);

	for (unsigned int rep = 0; rep < c->warmup + c->repeat; rep++) {
		pthread_barrier_wait(&sh->bar);
		if (!c->prefault && owner && !atomic_load(&sh->abort) &&
		    gb_buffer_drop(buf))
			fail(w, "madvise to empty the buffer for --no-prefault: %s",
			     strerror(errno));
		/* all threads start each repeat together */
		pthread_barrier_wait(&sh->bar);
		if (!atomic_load(&sh->abort))
			measure(w, buf, samples, rep);
	}
	pthread_barrier_wait(&sh->bar);

	if (owner && w->have_buf) {
		w->res->placement_looked =
			gb_numa_placement(w->buf.addr, w->buf.len,
					  w->res->placement,
					  &w->res->placement_missing);
		w->res->huge_bytes = gb_buffer_huge_bytes(&w->buf);
	}
	gb_backend_of(c)->close(w->bk);
	free(samples);
	return NULL;
}

/* The harness's own cost: the module's loop with no GUP call. */
static void measure_noop(const struct gb_env *env, const struct gb_case *c,
			 struct gb_result *r)
{
	uint64_t calls = c->batch ? (r->pages + c->batch - 1) / c->batch : 1;
	struct gupbench_sample *s;
	double per_call[3], per_page[3];
	struct gupbench_run run;
	struct gb_case nc = *c;
	void *range;
	int n = 0;

	r->noop_call_ns = r->noop_per_page_ns = NAN;
	if (calls > env->max_samples)
		calls = env->max_samples;
	/* noop never touches the pages: a reservation is enough */
	range = mmap(NULL, c->size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	s = calloc(calls, sizeof(*s));
	if (range == MAP_FAILED || !s)
		goto out;
	for (int rep = 0; rep < 4; rep++) {
		double *v;

		memset(&run, 0, sizeof(run));
		run.api = GUPBENCH_API_NOOP;
		run.addr = (uintptr_t)range;
		run.len = c->size;
		run.batch = c->batch;
		/* sample exactly when the case does: sampling costs clock reads */
		if (c->samples) {
			run.samples = (uintptr_t)s;
			run.samples_cap = calls;
		}
		nc.api = GUPBENCH_API_NOOP;
		if (gb_backend_of(&nc)->run(env, &nc, NULL, &run, NULL, 0))
			goto out;
		if (!rep)
			continue;	/* warm-up */
		per_page[n] = (double)run.get_ns / (double)r->pages;
		per_call[n] = (double)run.get_ns / (double)run.calls;
		if (c->samples && run.samples_written) {
			v = calloc(run.samples_written, sizeof(*v));
			if (!v)
				goto out;
			for (uint64_t i = 0; i < run.samples_written; i++)
				v[i] = (double)s[i].get_ns;
			gb_sort(v, run.samples_written);
			per_call[n] = gb_percentile(v, run.samples_written, 50);
			free(v);
		}
		n++;
	}
	gb_sort(per_call, 3);
	gb_sort(per_page, 3);
	r->noop_call_ns = per_call[1];
	r->noop_per_page_ns = per_page[1];
out:
	free(s);
	if (range != MAP_FAILED)
		munmap(range, c->size);
}

uint64_t gb_result_total(const struct gb_result *r, size_t rep, bool put)
{
	uint64_t m = 0;

	for (unsigned int t = 0; t < r->nthr; t++) {
		uint64_t v = put ? r->thr[t].put_ns[rep] : r->thr[t].get_ns[rep];

		if (v > m)
			m = v;
	}
	return m;
}

void gb_result_stats(struct gb_result *r)
{
	const struct gb_case *c = &r->c;
	size_t nrep = c->repeat, nall = 0, k = 0;
	double *v, *rates;

	for (unsigned int t = 0; t < r->nthr; t++)
		nall += r->thr[t].ncall;
	v = calloc(nall + 1, sizeof(*v));
	if (v) {
		for (unsigned int t = 0; t < r->nthr; t++)
			for (size_t i = 0; i < r->thr[t].ncall; i++)
				v[k++] = r->thr[t].call_ns[i];
		gb_summarize(v, k, &r->call_ns);
		free(v);
	}

	v = calloc(nrep * r->nthr, sizeof(*v));
	rates = calloc(nrep, sizeof(*rates));
	if (v && rates) {
		/*
		 * One definition, shared with compare and the plots: per
		 * repeat, the time all threads took together (the slowest
		 * thread's total, get_ns_total) over the pages of one thread.
		 */
		for (size_t i = 0; i < nrep; i++)
			v[i] = (double)gb_result_total(r, i, true) / (double)r->pages;
		gb_summarize(v, nrep, &r->put_per_page_ns);
		r->put_cv = gb_cv(v, nrep);
		for (size_t i = 0; i < nrep; i++)
			v[i] = (double)gb_result_total(r, i, false) / (double)r->pages;
		r->get_cv = gb_cv(v, nrep);
		gb_summarize(v, nrep, &r->per_page_ns);
		for (size_t i = 0; i < nrep; i++) {
			uint64_t slowest = gb_result_total(r, i, false);

			rates[i] = slowest ? (double)(r->pages * r->nthr) * 4096.0 /
					     (double)(1ULL << 30) / ((double)slowest / 1e9) : NAN;
		}
		gb_sort(rates, nrep);
		r->gib_per_s = gb_percentile(rates, nrep, 50);
	}
	free(v);
	free(rates);
}

/* "order 0: 12 pages, order 4: 4084 pages" of thread 0's histogram. */
static void orders_text(const uint64_t *o, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < GUPBENCH_ORDERS && n < len; i++)
		if (o[i])
			n += (size_t)snprintf(buf + n, len - n, "%sorder %u: %" PRIu64 " pages",
					      n ? ", " : "", i, o[i]);
}

/*
 * Is the buffer what was asked for?  With the module, its histogram of
 * folio orders says; else /proc/self/smaps (2 MiB mappings only).  A
 * THP kind none of whose pages came in folios of its size is an error,
 * not a result; a part of them is a note.
 */
int gb_check_hugeness(struct gb_result *r, char *err, size_t errlen)
{
	const struct gb_case *c = &r->c;
	int order = gb_mem_folio_order(c->mem);
	bool thp = c->mem == GB_MEM_THP || gb_mem_is_sized(c->mem);
	/* "64K" of thp:64K or shmem:64K, "2M" of thp */
	const char *size = c->mem == GB_MEM_THP ? "2M" :
			   strchr(gb_mem_name(c->mem), ':') ?
			   strchr(gb_mem_name(c->mem), ':') + 1 : "";
	uint64_t large, at;
	char orders[160];

	r->have_orders = c->api != GUPBENCH_API_NOOP &&
			 c->backend == GB_BACKEND_MODULE;
	r->large_folio_pages = 0;
	memset(r->order_pages, 0, sizeof(r->order_pages));
	for (unsigned int t = 0; t < r->nthr; t++) {
		r->large_folio_pages += r->thr[t].large_folio_pages;
		for (unsigned int i = 0; i < GUPBENCH_ORDERS; i++)
			r->order_pages[i] += r->thr[t].order_pages[i];
	}
	/* only the module can count folios: otherwise ask smaps */
	large = r->have_orders ? r->thr[0].large_folio_pages :
		r->thr[0].huge_bytes / 4096;
	at = r->have_orders && order > 0 ? r->thr[0].order_pages[order] : large;
	r->huge_fraction = (double)(order > 0 ? at : large) / (double)r->pages;

	if (gb_mem_is_sized(c->mem) && !r->have_orders) {
		snprintf(r->note, sizeof(r->note),
			 "folio sizes not checked: only the module backend (not noop) sees them, smaps counts 2 MiB mappings only");
		r->huge_fraction = NAN;
		return 0;
	}
	if (thp && !at) {
		orders_text(r->thr[0].order_pages, orders, sizeof(orders));
		if (c->mem == GB_MEM_THP)
			snprintf(err, errlen,
				 "--mem thp: none of the buffer became a transparent huge page%s%s%s; check /sys/kernel/mm/transparent_hugepage/enabled and defrag, or free memory",
				 orders[0] ? " (" : "", orders, orders[0] ? ")" : "");
		else
			snprintf(err, errlen,
				 "--mem %s: none of the buffer came back in %s folios (%s); the kernel could not allocate them: free memory, or check defrag in /sys/kernel/mm/transparent_hugepage",
				 gb_mem_name(c->mem), size, orders);
		return -1;
	}
	switch (c->mem) {
	case GB_MEM_HUGETLB:
	case GB_MEM_HUGETLB_1G:
		if (at < r->pages)
			snprintf(r->note, sizeof(r->note),
				 "only %.1f%% of the hugetlb buffer is in %s folios",
				 100.0 * r->huge_fraction,
				 c->mem == GB_MEM_HUGETLB ? "2M" : "1G");
		break;
	case GB_MEM_BASE:
		if (large)
			snprintf(r->note, sizeof(r->note),
				 "%.1f%% of the base-page buffer is in large folios",
				 100.0 * r->huge_fraction);
		break;
	default:
		if (thp && at < r->pages)
			snprintf(r->note, sizeof(r->note),
				 "only %.1f%% of the %s buffer is in %s folios",
				 100.0 * r->huge_fraction, gb_mem_name(c->mem), size);
		break;
	}
	return 0;
}

/* Add a sentence to the result's note, after what is there. */
static void add_note(struct gb_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct gb_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->note);
	va_list ap;

	if (len && len + 2 < sizeof(r->note)) {
		memcpy(r->note + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->note + len, sizeof(r->note) - len, fmt, ap);
	va_end(ap);
}

/*
 * Was the warm-up enough?  A first measured repeat far above the median of
 * the others (code translated afresh under TCG, cold caches, a lazy first
 * touch) says it was not: noted, with the fix.
 */
#define GB_WARM_RATIO 1.25

void gb_check_warmup(struct gb_result *r)
{
	const struct gb_thread_result *t = &r->thr[0];
	unsigned int n = r->c.repeat;
	double rest[n ? n : 1], med;

	if (n < 3 || r->c.api == GUPBENCH_API_NOOP)
		return;
	for (unsigned int i = 1; i < n; i++)
		rest[i - 1] = (double)t->get_ns[i];
	gb_sort(rest, n - 1);
	med = gb_percentile(rest, n - 1, 50);
	if (!(med > 0) || (double)t->get_ns[0] <= GB_WARM_RATIO * med)
		return;
	add_note(r, "the first measured repeat took %.2fx the median of the others: raise --warmup (now %u)",
		 (double)t->get_ns[0] / med, r->c.warmup);
}

/*
 * Did the case release every pin it took?  The module counts its own, so
 * its word needs no system-wide counter; /proc/vmstat is a second opinion
 * where it can only be about this case: its acquired delta equals what
 * the case took (the module's count; for the syscall backend, at most
 * what the case could take).  Another pinner on the machine makes it not
 * applicable, never a leak.
 */
void gb_judge_pins(struct gb_result *r)
{
	const struct gb_case *c = &r->c;
	bool module = c->backend == GB_BACKEND_MODULE;

	r->pins_taken = r->pins_released = 0;
	for (unsigned int t = 0; t < r->nthr; t++) {
		r->pins_taken += r->thr[t].pins_taken;
		r->pins_released += r->thr[t].pins_released;
	}
	if (module) {
		r->vmstat_applicable = r->pins.valid &&
				       r->pins.acquired == r->pins_taken;
	} else {
		uint64_t most = r->pages * c->threads *
				(uint64_t)(c->repeat + c->warmup + 1);

		r->vmstat_applicable = r->pins.valid &&
				       r->pins.acquired <= most;
	}
	r->pins_balanced = (!module || r->pins_taken == r->pins_released) &&
			   (!r->vmstat_applicable ||
			    r->pins.acquired == r->pins.released);
}

/* More threads than CPUs they may use share CPUs: said and recorded. */
static void check_cpus(struct gb_result *r, const struct gb_numa *numa)
{
	int usable = numa ? gb_numa_cpus_usable(numa, r->c.cpu_node) : 0;

	if (usable <= 0 || r->c.threads <= (unsigned int)usable)
		return;
	r->oversubscribed = true;
	add_note(r, "%u threads on %d usable CPUs: threads share CPUs and wait for each other",
		 r->c.threads, usable);
}

/* Is the memory on the node it was bound to?  Says so when it is not. */
static void check_placement(struct gb_result *r)
{
	const struct gb_case *c = &r->c;

	if (c->mem_node < 0 || c->mem_node >= GB_MAX_NODES)
		return;
	for (unsigned int t = 0; t < r->nthr; t++) {
		const struct gb_thread_result *tr = &r->thr[t];
		uint64_t present = tr->placement_looked - tr->placement_missing;

		if (!tr->placement_looked || tr->placement[c->mem_node] == present)
			continue;
		add_note(r, "only %.1f%% of thread %u's buffer is on node %d",
			 present ? 100.0 * (double)tr->placement[c->mem_node] /
				   (double)present : 0.0, t, c->mem_node);
		return;
	}
}

static int reserve_hugetlb(const struct gb_env *env, const struct gb_case *c,
			   char *err, size_t errlen)
{
	unsigned long kb = c->mem == GB_MEM_HUGETLB_1G ? 1UL << 20 : 2048;
	unsigned int bufs = c->shared_buffer ? 1 : c->threads;

	if (!env->reserve_hugetlb ||
	    (c->mem != GB_MEM_HUGETLB && c->mem != GB_MEM_HUGETLB_1G))
		return 0;
	return gb_hugetlb_reserve(kb, (long)(c->size / (kb << 10)) * bufs,
				  c->mem_node, err, errlen);
}

static int alloc_results(struct gb_result *r, bool count_instructions)
{
	r->thr = calloc(r->nthr, sizeof(*r->thr));
	if (!r->thr)
		return -1;
	for (unsigned int t = 0; t < r->nthr; t++) {
		struct gb_thread_result *tr = &r->thr[t];

		tr->get_ns = calloc(r->c.repeat, sizeof(uint64_t));
		tr->put_ns = calloc(r->c.repeat, sizeof(uint64_t));
		tr->get_instr = calloc(r->c.repeat, sizeof(uint64_t));
		tr->put_instr = calloc(r->c.repeat, sizeof(uint64_t));
		tr->instr_valid = count_instructions;
		if (!tr->get_ns || !tr->put_ns || !tr->get_instr || !tr->put_instr)
			return -1;
	}
	return 0;
}

int gb_run_case(const struct gb_env *env, const struct gb_case *c,
		struct gb_result *r, char *err, size_t errlen)
{
	uint64_t calls, cap_thread;
	struct gb_mthp_saved mthp;
	struct gb_pins before, after;
	struct shared sh;
	struct worker *w;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->c = *c;
	r->nthr = c->threads;
	if (gb_check_case(c, err, errlen) || reserve_hugetlb(env, c, err, errlen))
		return -1;
	if (c->backend == GB_BACKEND_MODULE && c->longterm &&
	    !(env->dev->caps.longterm_apis & (1ULL << c->api))) {
		snprintf(err, errlen,
			 "--longterm: %s does not take FOLL_LONGTERM on this kernel (before 6.3 it WARNs); use pin_user_pages or pin_user_pages_fast",
			 gb_api_name(c->api));
		return -1;
	}
	if (c->mem_node >= 0 && !gb_numa_has_node(env->numa, c->mem_node)) {
		snprintf(err, errlen, "--mem-node %d: no such NUMA node (see gupbench info)",
			 c->mem_node);
		return -1;
	}
	r->pages = c->size / 4096;
	r->drop_scheduled = env->drop_scheduled;
	calls = c->batch ? (r->pages + c->batch - 1) / c->batch : 1;
	cap_thread = env->max_samples / c->threads;
	if (!cap_thread)
		cap_thread = 1;

	memset(&sh, 0, sizeof(sh));
	sh.env = env;
	sh.c = c;
	sh.pages = r->pages;
	sh.samples_cap = calls < cap_thread ? calls : cap_thread;
	/* no more room than the calls can fill: a calloc'd array is touched */
	sh.keep_per_repeat = cap_thread / c->repeat ? cap_thread / c->repeat : 1;
	if (sh.keep_per_repeat > calls)
		sh.keep_per_repeat = calls;
	w = calloc(c->threads, sizeof(*w));
	if (!w || alloc_results(r, env->count_instructions && c->backend == GB_BACKEND_MODULE)) {
		free(w);
		snprintf(err, errlen, "out of memory for %u threads", c->threads);
		return -1;
	}
	for (unsigned int t = 0; t < c->threads && c->samples; t++) {
		r->thr[t].call_ns = calloc(sh.keep_per_repeat * c->repeat,
					   sizeof(double));
		if (!r->thr[t].call_ns) {
			free(w);
			snprintf(err, errlen, "out of memory for samples: lower --max-samples");
			return -1;
		}
	}
	sh.w = w;

	if (env->measure_noop && c->api != GUPBENCH_API_NOOP)
		measure_noop(env, c, r);
	else
		r->noop_call_ns = r->noop_per_page_ns = NAN;

	/* thp:<size>: that size alone while the buffers fault in */
	if (gb_mem_is_sized(c->mem) && gb_mthp_select(c->mem, &mthp, err, errlen)) {
		free(w);
		return -1;
	}
	gb_pins_read(&before);
	pthread_barrier_init(&sh.bar, NULL, c->threads);
	for (unsigned int t = 0; t < c->threads; t++) {
		w[t].idx = t;
		w[t].sh = &sh;
		w[t].res = &r->thr[t];
		w[t].buf.fd = -1;
		if (pthread_create(&w[t].tid, NULL, worker_main, &w[t])) {
			/* the barrier counts on every thread: nothing to salvage */
			fprintf(stderr, "gupbench: cannot start thread %u\n", t);
			abort();
		}
	}
	for (unsigned int t = 0; t < c->threads; t++)
		pthread_join(w[t].tid, NULL);
	pthread_barrier_destroy(&sh.bar);
	if (gb_mem_is_sized(c->mem))
		gb_mthp_restore(&mthp);
	for (unsigned int t = 0; t < c->threads; t++)
		if (w[t].have_buf)
			gb_buffer_destroy(&w[t].buf);
	gb_pins_read(&after);
	gb_pins_delta(&before, &after, &r->pins);
	gb_judge_pins(r);
	r->batch_used = sh.batch_used;

	for (unsigned int t = 0; t < c->threads; t++) {
		if (w[t].msg[0]) {
			snprintf(err, errlen, "%s", w[t].msg);
			ret = -1;
			break;
		}
	}
	free(w);
	if (ret)
		return ret;
	if (gb_check_hugeness(r, err, errlen))
		return -1;
	check_placement(r);
	gb_check_warmup(r);
	check_cpus(r, env->numa);
	gb_result_stats(r);
	return 0;
}

void gb_result_free(struct gb_result *r)
{
	for (unsigned int t = 0; r->thr && t < r->nthr; t++) {
		free(r->thr[t].get_ns);
		free(r->thr[t].get_instr);
		free(r->thr[t].put_instr);
		free(r->thr[t].put_ns);
		free(r->thr[t].call_ns);
	}
	free(r->thr);
	r->thr = NULL;
}
