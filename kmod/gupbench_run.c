// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement: call the GUP entry point asked for over a range, time
 * it, inspect what came back, release it, time that.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "gupbench_priv.h"
#include "gupbench_compat.h"

bool gb_api_pins(unsigned int api)
{
	return api >= GUPBENCH_API_PIN_USER_PAGES &&
	       api <= GUPBENCH_API_PIN_USER_PAGES_REMOTE;
}

/* The APIs whose caller must hold mmap_lock around the call. */
bool gb_api_caller_locks(unsigned int api)
{
	switch (api) {
	case GUPBENCH_API_GET_USER_PAGES:
	case GUPBENCH_API_GET_USER_PAGES_REMOTE:
	case GUPBENCH_API_PIN_USER_PAGES:
	case GUPBENCH_API_PIN_USER_PAGES_REMOTE:
		return true;
	}
	return false;
}

static bool gb_lock_per_call(const struct gb_req *req)
{
	return gb_api_caller_locks(req->api) &&
	       !(req->flags & GUPBENCH_F_LOCK_OUTSIDE);
}

int gb_lock_outside(const struct gb_req *req)
{
	if (!(req->flags & GUPBENCH_F_LOCK_OUTSIDE))
		return 0;
	return mmap_read_lock_killable(current->mm) ? -EINTR : 0;
}

void gb_unlock_outside(const struct gb_req *req)
{
	if (req->flags & GUPBENCH_F_LOCK_OUTSIDE)
		mmap_read_unlock(current->mm);
}

/*
 * The two request options that change the call itself, out of the common
 * path's way: get_user_pages_fast_only(), and the _remote APIs with a
 * `locked` pointer (GUP may come back with mmap_lock dropped; then the
 * caller must not unlock, and the run reports it).  Returns pages taken
 * or a negative errno; mmap_lock is released either way.
 */
static noinline long gb_take_special(const struct gb_req *req,
				     unsigned long addr, unsigned long nr,
				     struct page **pages, u64 *out_flags)
{
	struct mm_struct *mm = current->mm;
	int locked = 1;
	long ret;

	if (req->flags & GUPBENCH_F_FAST_ONLY) {
		ret = gb_get_user_pages_fast_only(addr, nr, req->foll, pages);
		/* nothing taken locklessly is not an argument error */
		return ret ? ret : -EFAULT;
	}
	/* REMOTE_LOCKED: the caller took mmap_lock for this call */
	if (req->api == GUPBENCH_API_GET_USER_PAGES_REMOTE)
		ret = gb_get_user_pages_remote(mm, addr, nr, req->foll, pages,
					       &locked);
	else
		ret = gb_pin_user_pages_remote(mm, addr, nr, req->foll, pages,
					       &locked);
	if (locked)
		mmap_read_unlock(mm);
	else
		*out_flags |= GUPBENCH_OUT_LOCK_DROPPED;
	return ret;
}

/*
 * One GUP call; returns pages taken or a negative errno.  Inlined into the
 * timed loops, with @lock decided once per window by the caller and the
 * noop first: what the loop adds to a call is what noop measures.
 */
static __always_inline long gb_take(const struct gb_req *req, bool lock,
				    unsigned long addr, unsigned long nr,
				    struct page **pages, u64 *out_flags)
{
	struct mm_struct *mm = current->mm;
	long ret;

	if (req->api == GUPBENCH_API_NOOP)
		return nr;
	if (lock && mmap_read_lock_killable(mm))
		return -EINTR;
	if (unlikely(req->flags & (GUPBENCH_F_FAST_ONLY |
				   GUPBENCH_F_REMOTE_LOCKED)))
		return gb_take_special(req, addr, nr, pages, out_flags);

	switch (req->api) {
	case GUPBENCH_API_GET_USER_PAGES:
		ret = gb_get_user_pages(addr, nr, req->foll, pages);
		break;
	case GUPBENCH_API_GET_USER_PAGES_FAST:
		ret = get_user_pages_fast(addr, nr, req->foll, pages);
		break;
	case GUPBENCH_API_GET_USER_PAGES_UNLOCKED:
		ret = get_user_pages_unlocked(addr, nr, pages, req->foll);
		break;
	case GUPBENCH_API_GET_USER_PAGES_REMOTE:
		ret = gb_get_user_pages_remote(mm, addr, nr, req->foll, pages,
					       NULL);
		break;
	case GUPBENCH_API_PIN_USER_PAGES:
		ret = gb_pin_user_pages(addr, nr, req->foll, pages);
		break;
	case GUPBENCH_API_PIN_USER_PAGES_FAST:
		ret = pin_user_pages_fast(addr, nr, req->foll, pages);
		break;
	case GUPBENCH_API_PIN_USER_PAGES_UNLOCKED:
		ret = pin_user_pages_unlocked(addr, nr, pages, req->foll);
		break;
	default:
		ret = gb_pin_user_pages_remote(mm, addr, nr, req->foll, pages,
					       NULL);
		break;
	}

	if (lock)
		mmap_read_unlock(mm);
	return ret;
}

void gb_release(const struct gb_req *req, struct page **pages,
		unsigned long nr, bool dirty)
{
	unsigned long i;

	if (req->api == GUPBENCH_API_NOOP)
		return;
	if (gb_api_pins(req->api)) {
		if (dirty)
			unpin_user_pages_dirty_lock(pages, nr, true);
		else
			unpin_user_pages(pages, nr);
		return;
	}
	for (i = 0; i < nr; i++) {
		if (dirty)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
}

/*
 * Count pages by folio order, large-folio pages, shared zero pages, for
 * pins the other pages not seen as pinned (the zero page is never pinned
 * since 6.5), and for long-term requests the pages GUP should have
 * migrated and did not.
 */
void gb_inspect(const struct gb_req *req, struct page **pages,
		unsigned long nr, struct gupbench_run *out)
{
	bool pins = gb_api_pins(req->api);
	bool longterm = req->foll & FOLL_LONGTERM;
	unsigned long i;

	if (req->api == GUPBENCH_API_NOOP)
		return;
	if (pins)
		out->out_flags |= GUPBENCH_OUT_PIN_CHECKED;
	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		out->order_pages[min_t(unsigned int, folio_order(folio),
				       GUPBENCH_ORDERS - 1)]++;
		if (folio_test_large(folio))
			out->large_folio_pages++;
		if (longterm && !gb_folio_longterm_pinnable(folio))
			out->longterm_unpinnable++;
		if (is_zero_pfn(page_to_pfn(pages[i])))
			out->zero_pages++;
		else if (pins && !folio_maybe_dma_pinned(folio))
			out->unpinned_pages++;
	}
}

/* Context switches of the calling task so far: a change is a schedule. */
static __always_inline unsigned long gb_switches(void)
{
	return current->nvcsw + current->nivcsw;
}

static __always_inline struct gupbench_sample *
gb_slot(const struct gb_req *req, struct gupbench_sample *samples, u64 call)
{
	if (!samples || call >= req->nsamples)
		return NULL;
	return &samples[call];
}

static bool gb_dirty(const struct gb_req *req)
{
	return req->flags & GUPBENCH_F_UNPIN_DIRTY;
}

/*
 * A timed window: the clock, and the instruction counter when one was
 * asked for, at its start.  The counter is read outside the clock pair.
 */
struct gb_window {
	u64 t0;
	u64 i0;
};

static void gb_window_open(const struct gb_req *req, struct gb_window *w)
{
	if (req->instr)
		gb_instr_read(req->instr, &w->i0);
	w->t0 = ktime_get_ns();
}

static void gb_window_close(const struct gb_req *req, struct gb_window *w,
			    u64 *ns, u64 *instructions)
{
	u64 i1;

	*ns += ktime_get_ns() - w->t0;
	if (req->instr && gb_instr_read(req->instr, &i1))
		*instructions += i1 - w->i0;
}

/*
 * Between windows, untimed: a fatal signal ends the request, and the CPU
 * is offered to others.  Every GB_WINDOW_PAGES pages, not every call, so
 * that the loop costs almost nothing beside a one-page call.
 */
static int gb_between_windows(const struct gb_req *req,
			      struct gupbench_run *out, unsigned long done)
{
	cond_resched();
	if (!fatal_signal_pending(current))
		return 0;
	out->fail_addr = req->addr + (done << PAGE_SHIFT);
	return -EINTR;
}

/*
 * One timed window of calls from *@donep on, until GB_WINDOW_PAGES pages
 * are taken, the range ends or a call fails.  With samples, the clock
 * read after a call ends its sample and starts the next one's, so the
 * samples of a window add up to it.  The request's fields are read into
 * locals first: a loop that stores to @out cannot keep them in registers
 * otherwise, and every load would be charged to the call it measures.
 */
static int gb_take_window(const struct gb_req *req, struct gupbench_run *out,
			  struct page **pages, struct gupbench_sample *samples,
			  unsigned long *donep)
{
	const unsigned long nr_pages = req->nr_pages, batch = req->batch;
	const unsigned long base = req->addr;
	unsigned long done = *donep;
	unsigned long end = min(nr_pages, done + GB_WINDOW_PAGES);
	bool lock = gb_lock_per_call(req);
	u64 calls = out->calls, shorts = 0;
	struct gb_window w;
	int ret = 0;
	u64 t;

	gb_window_open(req, &w);
	t = w.t0;
	do {
		unsigned long want = min(batch, nr_pages - done);
		unsigned long addr = base + (done << PAGE_SHIFT);
		struct gupbench_sample *s = gb_slot(req, samples, calls);
		unsigned long sw = s ? gb_switches() : 0;
		long n = gb_take(req, lock, addr, want, pages + done,
				 &out->out_flags);

		calls++;
		if (s) {
			u64 now = ktime_get_ns();

			s->get_ns = now - t;
			s->pages = n > 0 ? n : 0;
			if (gb_switches() != sw)
				s->flags |= GUPBENCH_SAMPLE_SCHEDULED;
			t = now;
		}
		if (n <= 0) {
			/* 0 is GUP refusing its arguments: a bug of ours */
			ret = n ? n : -EINVAL;
			out->fail_addr = addr;
			if (s)
				s->flags |= GUPBENCH_SAMPLE_FAILED;
			break;
		}
		if (n < want) {
			shorts++;
			if (s)
				s->flags |= GUPBENCH_SAMPLE_SHORT;
		}
		done += n;
	} while (done < end);
	gb_window_close(req, &w, &out->get_ns, &out->get_instructions);
	if (gb_api_pins(req->api))
		out->pins_taken += done - *donep;
	out->calls = calls;
	out->short_calls += shorts;
	*donep = done;
	return ret;
}

/*
 * Take the whole range into @pages, window by window.  A short call is
 * counted and the next call continues where it stopped; a call that takes
 * nothing ends the loop with its error.  out->pages_done says how many
 * entries of @pages hold references, also on error; out->get_ns is the
 * sum of the windows.
 */
int gb_take_range(const struct gb_req *req, struct gupbench_run *out,
		  struct page **pages, struct gupbench_sample *samples)
{
	unsigned long done = 0;
	int ret = 0;

	out->out_flags |= GUPBENCH_OUT_WINDOWS;
	while (done < req->nr_pages) {
		ret = gb_take_window(req, out, pages, samples, &done);
		if (ret)
			break;
		ret = gb_between_windows(req, out, done);
		if (ret)
			break;
	}
	out->pages_done = done;
	return ret;
}

/*
 * Release @done pages the way a caller that is done with the range does:
 * one release call over all of it, one timed window.  Bounded by the
 * module's max_len, as the taking is.
 */
static void gb_release_whole(const struct gb_req *req,
			     struct gupbench_run *out, struct page **pages,
			     unsigned long done)
{
	struct gb_window w;

	out->out_flags |= GUPBENCH_OUT_RELEASE_WHOLE;
	gb_window_open(req, &w);
	gb_release(req, pages, done, gb_dirty(req));
	gb_window_close(req, &w, &out->put_ns, &out->put_instructions);
	if (gb_api_pins(req->api))
		out->pins_released += done;
}

/* Release @done pages in the slices the calls took them in, by windows. */
static void gb_release_slices(const struct gb_req *req,
			      struct gupbench_run *out, struct page **pages,
			      unsigned long done,
			      struct gupbench_sample *samples)
{
	unsigned long i = 0;
	u64 call = 0;

	out->out_flags |= GUPBENCH_OUT_RELEASE_PER_CALL;
	while (i < done) {
		unsigned long end = min(done, i + GB_WINDOW_PAGES);
		unsigned long start = i;
		struct gb_window w;
		u64 t;

		gb_window_open(req, &w);
		t = w.t0;
		do {
			struct gupbench_sample *s = gb_slot(req, samples, call++);
			unsigned long n = s && s->pages ? s->pages : req->batch;

			n = min(n, done - i);
			gb_release(req, pages + i, n, gb_dirty(req));
			if (s) {
				u64 now = ktime_get_ns();

				s->put_ns = now - t;
				t = now;
			}
			i += n;
		} while (i < end);
		gb_window_close(req, &w, &out->put_ns, &out->put_instructions);
		if (gb_api_pins(req->api))
			out->pins_released += i - start;
		cond_resched();
	}
}

/* Who took mmap_lock for this request (GUPBENCH_OUT_LOCK_*). */
static u64 gb_lock_flag(const struct gb_req *req)
{
	if (req->api == GUPBENCH_API_NOOP)
		return 0;
	if (req->flags & GUPBENCH_F_LOCK_OUTSIDE)
		return GUPBENCH_OUT_LOCK_OUTSIDE;
	return gb_api_caller_locks(req->api) ? GUPBENCH_OUT_LOCK_IN_WINDOW :
					       GUPBENCH_OUT_LOCK_BY_GUP;
}

/* gup_test's order: take the whole range, then release it, whole or per call. */
static int gb_run_after_all(const struct gb_req *req,
			    struct gupbench_run *out,
			    struct gupbench_sample *samples)
{
	struct page **pages;
	int ret;

	pages = kvmalloc_array(req->nr_pages, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	ret = gb_lock_outside(req);
	if (ret)
		goto out_free;

	out->out_flags |= gb_lock_flag(req);
	ret = gb_take_range(req, out, pages, samples);
	gb_unlock_outside(req);

	gb_inspect(req, pages, out->pages_done, out);
	if (req->release == GUPBENCH_RELEASE_PER_CALL)
		gb_release_slices(req, out, pages, out->pages_done, samples);
	else
		gb_release_whole(req, out, pages, out->pages_done);
out_free:
	kvfree(pages);
	return ret;
}

/*
 * Release right after each call: each call and each release is a window
 * of its own, the totals are their sums.
 */
static int gb_run_each_batch(const struct gb_req *req,
			     struct gupbench_run *out,
			     struct gupbench_sample *samples)
{
	unsigned long done = 0, checked = 0;
	bool lock = gb_lock_per_call(req);
	struct page **pages;
	int ret;

	pages = kvmalloc_array(req->batch, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	ret = gb_lock_outside(req);
	if (ret)
		goto out_free;

	out->out_flags |= GUPBENCH_OUT_SUMMED_CALLS |
			  GUPBENCH_OUT_RELEASE_PER_CALL | gb_lock_flag(req);
	while (done < req->nr_pages) {
		unsigned long want = min(req->batch, req->nr_pages - done);
		unsigned long addr = req->addr + (done << PAGE_SHIFT);
		struct gupbench_sample *s = gb_slot(req, samples, out->calls);
		unsigned long sw = gb_switches();
		u64 get_ns = 0, put_ns = 0;
		struct gb_window w;
		bool sched;
		long n;

		gb_window_open(req, &w);
		n = gb_take(req, lock, addr, want, pages, &out->out_flags);
		gb_window_close(req, &w, &get_ns, &out->get_instructions);
		sched = gb_switches() != sw;
		out->calls++;
		out->get_ns += get_ns;
		if (n <= 0) {
			/* 0 is GUP refusing its arguments: a bug of ours */
			ret = n ? n : -EINVAL;
			out->fail_addr = addr;
			if (s)
				s->flags = GUPBENCH_SAMPLE_FAILED;
			break;
		}
		if (n < want)
			out->short_calls++;

		gb_inspect(req, pages, n, out);

		gb_window_open(req, &w);
		gb_release(req, pages, n, gb_dirty(req));
		gb_window_close(req, &w, &put_ns, &out->put_instructions);
		out->put_ns += put_ns;
		if (gb_api_pins(req->api)) {
			out->pins_taken += n;
			out->pins_released += n;
		}

		if (s) {
			s->get_ns = get_ns;
			s->put_ns = put_ns;
			s->pages = n;
			s->flags = n < want ? GUPBENCH_SAMPLE_SHORT : 0;
			if (sched)
				s->flags |= GUPBENCH_SAMPLE_SCHEDULED;
		}
		done += n;
		if (done - checked >= GB_WINDOW_PAGES) {
			checked = done;
			ret = gb_between_windows(req, out, done);
			if (ret)
				break;
		}
	}
	gb_unlock_outside(req);
	out->pages_done = done;
out_free:
	kvfree(pages);
	return ret;
}

int gb_run(const struct gb_req *preq, struct gupbench_run *out)
{
	struct gupbench_sample *samples = NULL;
	struct gb_instr instr = {};
	struct gb_req req = *preq;
	int ret;

	if (req.flags & GUPBENCH_F_INSTRUCTIONS) {
		instr.ev = gb_instr_open();
		if (IS_ERR(instr.ev))
			return -EOPNOTSUPP;
		req.instr = &instr;
	}
	if (req.nsamples) {
		samples = kvcalloc(req.nsamples, sizeof(*samples),
				   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!samples) {
			ret = -ENOMEM;
			goto out_instr;
		}
	}

	if (req.release == GUPBENCH_RELEASE_EACH_BATCH)
		ret = gb_run_each_batch(&req, out, samples);
	else
		ret = gb_run_after_all(&req, out, samples);
	if (req.instr && !instr.incomplete)
		out->out_flags |= GUPBENCH_OUT_INSTRUCTIONS;

	if (samples) {
		out->samples_written = min_t(u64, out->calls, req.nsamples);
		if (copy_to_user(req.usamples, samples,
				 out->samples_written * sizeof(*samples)) &&
		    !ret)
			ret = -EFAULT;
		kvfree(samples);
	}
out_instr:
	if (req.instr)
		gb_instr_close(instr.ev);
	return ret;
}
