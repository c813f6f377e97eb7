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

/* One GUP call; returns pages taken or a negative errno. */
static long gb_take(const struct gb_req *req, unsigned long addr,
		    unsigned long nr, struct page **pages)
{
	struct mm_struct *mm = current->mm;
	bool lock = gb_lock_per_call(req);
	long ret;

	if (lock && mmap_read_lock_killable(mm))
		return -EINTR;

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
		ret = gb_get_user_pages_remote(mm, addr, nr, req->foll, pages);
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
	case GUPBENCH_API_PIN_USER_PAGES_REMOTE:
		ret = gb_pin_user_pages_remote(mm, addr, nr, req->foll, pages);
		break;
	default:
		/* GUPBENCH_API_NOOP: the loop around the call, nothing else */
		ret = nr;
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

/* Count large-folio pages and, for pins, pages not seen as pinned. */
void gb_inspect(const struct gb_req *req, struct page **pages,
		unsigned long nr, struct gupbench_run *out)
{
	bool pins = gb_api_pins(req->api);
	unsigned long i;

	if (req->api == GUPBENCH_API_NOOP)
		return;
	if (pins)
		out->out_flags |= GUPBENCH_OUT_PIN_CHECKED;
	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio_test_large(folio))
			out->large_folio_pages++;
		if (pins && !folio_maybe_dma_pinned(folio))
			out->unpinned_pages++;
	}
}

static struct gupbench_sample *gb_slot(const struct gb_req *req,
				       struct gupbench_sample *samples,
				       u64 call)
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
 * Take the whole range into @pages, batch by batch.  A short call is
 * counted and the next call continues where it stopped; a call that takes
 * nothing ends the loop with its error.  out->pages_done says how many
 * entries of @pages hold references, also on error.
 */
int gb_take_range(const struct gb_req *req, struct gupbench_run *out,
		  struct page **pages, struct gupbench_sample *samples)
{
	unsigned long done = 0;
	int ret = 0;

	while (done < req->nr_pages) {
		unsigned long want = min(req->batch, req->nr_pages - done);
		unsigned long addr = req->addr + (done << PAGE_SHIFT);
		struct gupbench_sample *s = gb_slot(req, samples, out->calls);
		u64 t0 = 0;
		long n;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			out->fail_addr = addr;
			break;
		}
		if (s)
			t0 = ktime_get_ns();
		n = gb_take(req, addr, want, pages + done);
		if (s) {
			s->get_ns = ktime_get_ns() - t0;
			s->pages = n > 0 ? n : 0;
		}
		out->calls++;
		if (n <= 0) {
			ret = n ? n : -EFAULT;
			out->fail_addr = addr;
			break;
		}
		if (n < want) {
			out->short_calls++;
			if (s)
				s->flags |= GUPBENCH_SAMPLE_SHORT;
		}
		done += n;
		cond_resched();
	}
	out->pages_done = done;
	return ret;
}

/* Release @done pages in the slices the calls took them in. */
static void gb_release_range(const struct gb_req *req, struct page **pages,
			     unsigned long done,
			     struct gupbench_sample *samples)
{
	unsigned long i = 0;
	u64 call = 0;

	while (i < done) {
		struct gupbench_sample *s = gb_slot(req, samples, call++);
		unsigned long n = s && s->pages ? s->pages : req->batch;
		u64 t0 = 0;

		n = min(n, done - i);
		if (s)
			t0 = ktime_get_ns();
		gb_release(req, pages + i, n, gb_dirty(req));
		if (s)
			s->put_ns = ktime_get_ns() - t0;
		i += n;
		cond_resched();
	}
}

/* gup_test's order: one clock pair around each whole phase. */
static int gb_run_after_all(const struct gb_req *req,
			    struct gupbench_run *out,
			    struct gupbench_sample *samples)
{
	struct page **pages;
	u64 t0, t1;
	int ret;

	pages = kvmalloc_array(req->nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = gb_lock_outside(req);
	if (ret)
		goto out_free;

	out->out_flags |= (req->flags & GUPBENCH_F_LOCK_OUTSIDE) ?
		GUPBENCH_OUT_LOCK_OUTSIDE : GUPBENCH_OUT_LOCK_IN_WINDOW;
	t0 = ktime_get_ns();
	ret = gb_take_range(req, out, pages, samples);
	t1 = ktime_get_ns();
	gb_unlock_outside(req);
	out->get_ns = t1 - t0;

	gb_inspect(req, pages, out->pages_done, out);

	t0 = ktime_get_ns();
	gb_release_range(req, pages, out->pages_done, samples);
	t1 = ktime_get_ns();
	out->put_ns = t1 - t0;
out_free:
	kvfree(pages);
	return ret;
}

/* Release right after each call: totals are the sums of the calls. */
static int gb_run_each_batch(const struct gb_req *req,
			     struct gupbench_run *out,
			     struct gupbench_sample *samples)
{
	unsigned long done = 0;
	struct page **pages;
	int ret;

	pages = kvmalloc_array(req->batch, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = gb_lock_outside(req);
	if (ret)
		goto out_free;

	out->out_flags |= GUPBENCH_OUT_SUMMED_CALLS;
	out->out_flags |= (req->flags & GUPBENCH_F_LOCK_OUTSIDE) ?
		GUPBENCH_OUT_LOCK_OUTSIDE : GUPBENCH_OUT_LOCK_IN_WINDOW;
	while (done < req->nr_pages) {
		unsigned long want = min(req->batch, req->nr_pages - done);
		unsigned long addr = req->addr + (done << PAGE_SHIFT);
		struct gupbench_sample *s = gb_slot(req, samples, out->calls);
		u64 t0, t1, t2, t3;
		long n;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			out->fail_addr = addr;
			break;
		}
		t0 = ktime_get_ns();
		n = gb_take(req, addr, want, pages);
		t1 = ktime_get_ns();
		out->calls++;
		out->get_ns += t1 - t0;
		if (n <= 0) {
			ret = n ? n : -EFAULT;
			out->fail_addr = addr;
			break;
		}
		if (n < want)
			out->short_calls++;

		gb_inspect(req, pages, n, out);

		t2 = ktime_get_ns();
		gb_release(req, pages, n, gb_dirty(req));
		t3 = ktime_get_ns();
		out->put_ns += t3 - t2;

		if (s) {
			s->get_ns = t1 - t0;
			s->put_ns = t3 - t2;
			s->pages = n;
			s->flags = n < want ? GUPBENCH_SAMPLE_SHORT : 0;
		}
		done += n;
		cond_resched();
	}
	gb_unlock_outside(req);
	out->pages_done = done;
out_free:
	kvfree(pages);
	return ret;
}

int gb_run(const struct gb_req *req, struct gupbench_run *out)
{
	struct gupbench_sample *samples = NULL;
	int ret;

	if (req->nsamples) {
		samples = kvcalloc(req->nsamples, sizeof(*samples), GFP_KERNEL);
		if (!samples)
			return -ENOMEM;
	}

	if (req->release == GUPBENCH_RELEASE_EACH_BATCH)
		ret = gb_run_each_batch(req, out, samples);
	else
		ret = gb_run_after_all(req, out, samples);

	if (samples) {
		out->samples_written = min_t(u64, out->calls, req->nsamples);
		if (copy_to_user(req->usamples, samples,
				 out->samples_written * sizeof(*samples)) &&
		    !ret)
			ret = -EFAULT;
		kvfree(samples);
	}
	return ret;
}
