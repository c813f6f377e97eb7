// SPDX-License-Identifier: GPL-2.0
/*
 * Held ranges: pages taken and kept by one open file until UNHOLD or
 * close(), and the content operations that read or write them through the
 * kernel mapping, so tests can prove the pinned pages are the pages
 * userspace sees.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "gupbench_priv.h"

int gb_hold(struct gb_file *f, const struct gb_req *req,
	    struct gupbench_run *out, u64 *gen)
{
	struct page **pages;
	int ret;

	mutex_lock(&f->lock);
	if (f->pages) {
		ret = -EBUSY;
		goto out_unlock;
	}
	pages = kvmalloc_array(req->nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = gb_lock_outside(req);
	if (ret)
		goto out_free;
	ret = gb_take_range(req, out, pages, NULL);
	gb_unlock_outside(req);
	gb_inspect(req, pages, out->pages_done, out);
	if (ret) {
		gb_release(req, pages, out->pages_done, false);
		goto out_free;
	}

	f->pages = pages;
	f->nr_pages = out->pages_done;
	f->req = *req;
	f->written = false;
	*gen = ++f->gen;
	mutex_unlock(&f->lock);
	return 0;

out_free:
	kvfree(pages);
out_unlock:
	mutex_unlock(&f->lock);
	return ret;
}

/* Caller holds f->lock. */
static void gb_drop(struct gb_file *f)
{
	bool dirty = f->written || (f->req.flags & GUPBENCH_F_UNPIN_DIRTY);

	gb_release(&f->req, f->pages, f->nr_pages, dirty);
	kvfree(f->pages);
	f->pages = NULL;
	f->nr_pages = 0;
}

int gb_unhold(struct gb_file *f)
{
	int ret = 0;

	mutex_lock(&f->lock);
	if (f->pages)
		gb_drop(f);
	else
		ret = -ENOENT;
	mutex_unlock(&f->lock);
	return ret;
}

/*
 * Drop the hold that HOLD number @gen took, unless it is gone already:
 * another thread may have released it and taken a new one meanwhile.
 */
void gb_unhold_gen(struct gb_file *f, u64 gen)
{
	mutex_lock(&f->lock);
	if (f->pages && f->gen == gen)
		gb_drop(f);
	mutex_unlock(&f->lock);
}

/* One page's share of a content operation; @off is its offset in bytes. */
static void gb_content_page(struct gupbench_content *c, struct page *page,
			    u64 off)
{
	u64 *w = kmap_local_page(page);
	unsigned int i, nr = PAGE_SIZE / sizeof(*w);

	switch (c->op) {
	case GUPBENCH_CONTENT_CHECKSUM:
		for (i = 0; i < nr; i++)
			c->checksum = gupbench_hash_step(c->checksum, w[i]);
		break;
	case GUPBENCH_CONTENT_VERIFY:
		for (i = 0; i < nr; i++) {
			u64 at = off + i * sizeof(*w);

			if (w[i] != gupbench_pattern_word(c->seed, at)) {
				if (!c->bad_pages)
					c->first_bad = at;
				c->bad_pages++;
				break;
			}
		}
		break;
	case GUPBENCH_CONTENT_FILL:
		for (i = 0; i < nr; i++)
			w[i] = gupbench_pattern_word(c->seed,
						     off + i * sizeof(*w));
		flush_dcache_page(page);
		break;
	}
	kunmap_local(w);
}

int gb_content(struct gb_file *f, struct gupbench_content *c)
{
	unsigned long i;
	int ret = 0;

	if (c->op >= GUPBENCH_CONTENT_COUNT)
		return -EINVAL;

	mutex_lock(&f->lock);
	if (!f->pages) {
		ret = -ENOENT;
		goto out_unlock;
	}
	/* Writing into pages taken without FOLL_WRITE would bypass COW. */
	if (c->op == GUPBENCH_CONTENT_FILL &&
	    !(f->req.flags & GUPBENCH_F_WRITE)) {
		ret = -EPERM;
		goto out_unlock;
	}

	c->checksum = GUPBENCH_HASH_INIT;
	c->bad_pages = 0;
	c->first_bad = 0;
	for (i = 0; i < f->nr_pages; i++) {
		gb_content_page(c, f->pages[i], (u64)i << PAGE_SHIFT);
		cond_resched();
	}
	c->pages = f->nr_pages;
	if (c->op == GUPBENCH_CONTENT_FILL)
		f->written = true;

out_unlock:
	mutex_unlock(&f->lock);
	return ret;
}

/* close(): whatever the file still holds goes back. */
void gb_hold_release(struct gb_file *f)
{
	mutex_lock(&f->lock);
	if (f->pages)
		gb_drop(f);
	mutex_unlock(&f->lock);
}
