// SPDX-License-Identifier: GPL-2.0
/*
 * Held ranges: pages taken and kept by one open file until UNHOLD or
 * close(), and the content operations that read or write them through the
 * kernel mapping, so tests can prove the pinned pages are the pages
 * userspace sees.
 */
#include <linux/capability.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "gupbench_priv.h"

static unsigned long max_held;
module_param(max_held, ulong, 0644);
MODULE_PARM_DESC(max_held,
		 "pages all open files may hold together (0: half of RAM)");

/* Pages held by every file of the module together. */
static atomic_long_t gb_held = ATOMIC_LONG_INIT(0);

static unsigned long gb_max_held(void)
{
	unsigned long max = READ_ONCE(max_held);

	return max ? max : totalram_pages() / 2;
}

/*
 * Charge @nr held pages to @mm's pinned_vm, as io_uring and RDMA charge
 * theirs: within RLIMIT_MEMLOCK unless the caller has CAP_IPC_LOCK, and
 * within the module-wide max_held.  -ENOMEM beyond either.
 */
static int gb_charge(struct mm_struct *mm, unsigned long nr)
{
	unsigned long lim = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic_long_add_return(nr, &gb_held) > gb_max_held())
		goto out_module;
	if (atomic64_add_return(nr, &mm->pinned_vm) > lim &&
	    !capable(CAP_IPC_LOCK))
		goto out_mm;
	return 0;

out_mm:
	atomic64_sub(nr, &mm->pinned_vm);
out_module:
	atomic_long_sub(nr, &gb_held);
	return -ENOMEM;
}

static void gb_uncharge(struct mm_struct *mm, unsigned long nr)
{
	atomic64_sub(nr, &mm->pinned_vm);
	atomic_long_sub(nr, &gb_held);
}

/*
 * Memory that FILL may write through the kernel mapping: anonymous,
 * shmem and hugetlb have no writeback to bypass.  Not the zero page, not
 * a page-cache folio of a file system.
 */
static bool gb_fill_safe(struct page **pages, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);
		struct address_space *mapping;

		if (folio_test_anon(folio) || folio_test_hugetlb(folio))
			continue;
		mapping = READ_ONCE(folio->mapping);
		if (!mapping || !shmem_mapping(mapping))
			return false;
	}
	return true;
}

int gb_hold(struct gb_file *f, const struct gb_req *req,
	    struct gupbench_run *out, u64 *gen)
{
	struct mm_struct *mm = current->mm;
	struct page **pages;
	int ret;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	if (f->pages) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = gb_charge(mm, req->nr_pages);
	if (ret)
		goto out_unlock;
	pages = kvmalloc_array(req->nr_pages, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages) {
		ret = -ENOMEM;
		goto out_uncharge;
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

	mmgrab(mm);
	f->mm = mm;
	f->pages = pages;
	f->nr_pages = out->pages_done;
	f->req = *req;
	f->written = false;
	f->fill_ok = gb_fill_safe(pages, f->nr_pages);
	*gen = ++f->gen;
	mutex_unlock(&f->lock);
	return 0;

out_free:
	kvfree(pages);
out_uncharge:
	gb_uncharge(mm, req->nr_pages);
out_unlock:
	mutex_unlock(&f->lock);
	return ret;
}

/* Caller holds f->lock.  Uncharged from the mm that was charged. */
static void gb_drop(struct gb_file *f)
{
	bool dirty = f->written || (f->req.flags & GUPBENCH_F_UNPIN_DIRTY);

	gb_release(&f->req, f->pages, f->nr_pages, dirty);
	gb_uncharge(f->mm, f->req.nr_pages);
	mmdrop(f->mm);
	f->mm = NULL;
	kvfree(f->pages);
	f->pages = NULL;
	f->nr_pages = 0;
}

int gb_unhold(struct gb_file *f)
{
	int ret = 0;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
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

/*
 * READ: @c->len held bytes from @c->offset to the user's @c->buf, a page
 * at a time.  Caller holds f->lock.
 */
static int gb_content_read(struct gb_file *f, struct gupbench_content *c)
{
	u64 held = (u64)f->nr_pages << PAGE_SHIFT, off = c->offset;
	char __user *dst = u64_to_user_ptr(c->buf);
	u64 left = c->len;

	if (!left || off > held || left > held - off)
		return -EINVAL;
	while (left) {
		size_t in = offset_in_page(off);
		size_t n = min_t(u64, left, PAGE_SIZE - in);
		char *p = kmap_local_page(f->pages[off >> PAGE_SHIFT]);
		unsigned long uncopied = copy_to_user(dst, p + in, n);

		kunmap_local(p);
		if (uncopied)
			return -EFAULT;
		dst += n;
		off += n;
		left -= n;
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	c->pages = f->nr_pages;
	return 0;
}

int gb_content(struct gb_file *f, struct gupbench_content *c,
	       struct mm_struct *mm)
{
	unsigned long i;
	int ret = 0;

	if (c->op >= GUPBENCH_CONTENT_COUNT)
		return -EINVAL;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	if (!f->pages) {
		ret = -ENOENT;
		goto out_unlock;
	}
	/* the held pages are another process's memory: not ours to see */
	if (f->mm != mm) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (c->op == GUPBENCH_CONTENT_READ) {
		ret = gb_content_read(f, c);
		goto out_unlock;
	}
	/*
	 * FILL only into a long-term write pin: without FOLL_WRITE it would
	 * bypass COW; a plain reference (get_*) may be COW-shared with a
	 * child since a fork, and on a file it bypasses page_mkwrite.  A
	 * long-term pin broke COW when it was taken; file systems' page
	 * cache is refused whatever the pin (6.1 still long-term pins it).
	 */
	if (c->op == GUPBENCH_CONTENT_FILL &&
	    (!(f->req.flags & GUPBENCH_F_WRITE) || !gb_api_pins(f->req.api) ||
	     !f->fill_ok)) {
		ret = -EPERM;
		goto out_unlock;
	}

	c->checksum = GUPBENCH_HASH_INIT;
	c->bad_pages = 0;
	c->first_bad = 0;
	if (c->op == GUPBENCH_CONTENT_FILL)
		f->written = true;	/* from the first page on */
	for (i = 0; i < f->nr_pages; i++) {
		gb_content_page(c, f->pages[i], (u64)i << PAGE_SHIFT);
		cond_resched();
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_unlock;
		}
	}
	c->pages = f->nr_pages;

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
