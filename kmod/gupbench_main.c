// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench: a char device whose ioctls call the get_user_pages family on
 * the caller's memory and report how long that took.  This file owns the
 * device, the ioctl ABI's size rules and the validation of every input;
 * gupbench_run.c measures, gupbench_hold.c keeps pages held per file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <generated/utsrelease.h>

#include "gupbench_priv.h"
#include "gupbench_compat.h"

/* 4 GiB, or 1 GiB where an unsigned long cannot hold 4 GiB */
static unsigned long max_len = BITS_PER_LONG == 64 ? 4UL << 30 : 1UL << 30;
module_param(max_len, ulong, 0444);
MODULE_PARM_DESC(max_len, "largest range one request may cover, in bytes");

/* What built the module, for the results' metadata (read-only). */
static char build[] = CONFIG_CC_VERSION_TEXT;
module_param_string(build, build, sizeof(build), 0444);
MODULE_PARM_DESC(build, "the compiler that built the module");

static_assert(sizeof(struct gupbench_run) == GUPBENCH_RUN_SIZE_VER3);
static_assert(sizeof(struct gupbench_caps) == GUPBENCH_CAPS_SIZE_VER2);
static_assert(sizeof(struct gupbench_content) ==
	      GUPBENCH_CONTENT_SIZE_VER1);
static_assert(sizeof(struct gupbench_dump) == GUPBENCH_DUMP_SIZE_VER0);

/*
 * clone3()/openat2() rules for a struct that starts with its own size:
 * below @ver0 is EINVAL, a non-zero tail beyond what we know is E2BIG.
 */
static int gb_copy_in(void *dst, size_t ksize, size_t ver0,
		      const void __user *src, u32 *usize)
{
	int ret;

	if (get_user(*usize, (const u32 __user *)src))
		return -EFAULT;
	if (*usize < ver0)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, src, *usize);
	if (ret)
		return ret;
	*(u32 *)dst = *usize;
	return 0;
}

static int gb_copy_out(void __user *dst, const void *src, size_t ksize,
		       u32 usize)
{
	return copy_to_user(dst, src, min_t(size_t, ksize, usize)) ?
		-EFAULT : 0;
}

static unsigned int gb_foll(u64 flags)
{
	unsigned int foll = 0;

	if (flags & GUPBENCH_F_WRITE)
		foll |= FOLL_WRITE;
	if (flags & GUPBENCH_F_LONGTERM)
		foll |= FOLL_LONGTERM;
	if (flags & GUPBENCH_F_FORCE)
		foll |= FOLL_FORCE;
	if (flags & GUPBENCH_F_NOFAULT)
		foll |= GB_FOLL_NOFAULT;
	return foll;
}

/* The flags an API accepts: LONGTERM and UNPIN_DIRTY are pin_* only. */
static u64 gb_api_flags(unsigned int api)
{
	u64 ok = GUPBENCH_F_WRITE | GUPBENCH_F_FORCE | GUPBENCH_F_INSTRUCTIONS;

	if (api == GUPBENCH_API_NOOP)
		return (GUPBENCH_F_FOLL_MASK &
			~(GB_FOLL_NOFAULT ? 0 : GUPBENCH_F_NOFAULT)) |
		       GUPBENCH_F_INSTRUCTIONS;
	if (gb_api_pins(api))
		ok |= GUPBENCH_F_LONGTERM | GUPBENCH_F_UNPIN_DIRTY;
	if (api == GUPBENCH_API_PIN_USER_PAGES_UNLOCKED &&
	    !gb_unlocked_takes_longterm())
		ok &= ~GUPBENCH_F_LONGTERM;
	if (gb_api_caller_locks(api))
		ok |= GUPBENCH_F_LOCK_OUTSIDE;
	if (GB_FOLL_NOFAULT)
		ok |= GUPBENCH_F_NOFAULT;
	if (api == GUPBENCH_API_GET_USER_PAGES_FAST && gb_has_fast_only())
		ok |= GUPBENCH_F_FAST_ONLY;
	if (api == GUPBENCH_API_GET_USER_PAGES_REMOTE ||
	    api == GUPBENCH_API_PIN_USER_PAGES_REMOTE)
		ok |= GUPBENCH_F_REMOTE_LOCKED;
	return ok;
}

static int gb_check_shape(const struct gupbench_run *run, bool hold)
{
	if (run->api >= GUPBENCH_API_COUNT || run->__reserved ||
	    run->release >= GUPBENCH_RELEASE_COUNT)
		return -EINVAL;
	if (run->flags & ~gb_api_flags(run->api))
		return -EINVAL;
	if ((run->flags & GUPBENCH_F_UNPIN_DIRTY) &&
	    !(run->flags & GUPBENCH_F_WRITE))
		return -EINVAL;
	/* GUP may drop a lock taken outside: there is no one to retake it */
	if ((run->flags & GUPBENCH_F_REMOTE_LOCKED) &&
	    (run->flags & GUPBENCH_F_LOCK_OUTSIDE))
		return -EINVAL;
	if ((run->flags & GUPBENCH_F_REMOTE_LOCKED) &&
	    (run->flags & GUPBENCH_F_LONGTERM) && !gb_locked_takes_longterm())
		return -EINVAL;
	if (hold && (run->api == GUPBENCH_API_NOOP || run->samples ||
		     run->samples_cap || run->release ||
		     (run->flags & GUPBENCH_F_INSTRUCTIONS)))
		return -EINVAL;
	/*
	 * A hold lasts as long as userspace likes: a pin that unbounded
	 * must be FOLL_LONGTERM (Documentation/core-api/pin_user_pages.rst).
	 */
	if (hold && gb_api_pins(run->api) &&
	    !(run->flags & GUPBENCH_F_LONGTERM))
		return -EINVAL;
	if (!run->len || !PAGE_ALIGNED(run->addr) || !PAGE_ALIGNED(run->len))
		return -EINVAL;
	if (run->addr + run->len < run->addr || run->len > max_len)
		return -EINVAL;
	/* a 32-bit kernel: the u64 fields must fit an unsigned long */
	if (run->addr != (unsigned long)run->addr ||
	    run->addr + run->len != (unsigned long)(run->addr + run->len))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(run->addr), run->len))
		return -EFAULT;
	/*
	 * GUP faults in what is not populated.  Over more than half of RAM
	 * that ends in the OOM killer instead of an error, so refuse it.
	 */
	if (run->len >> PAGE_SHIFT > totalram_pages() / 2)
		return -ENOMEM;
	return 0;
}

/* Turn a user request into a trusted gb_req; clamps run->batch. */
static int gb_check_run(struct gupbench_run *run, struct gb_req *req,
			bool hold)
{
	unsigned long nr_pages, batch, calls;
	int ret;

	ret = gb_check_shape(run, hold);
	if (ret)
		return ret;

	nr_pages = run->len >> PAGE_SHIFT;
	batch = run->batch;
	if (!batch || batch > nr_pages)
		batch = nr_pages;
	/* the _fast entry points take an int */
	batch = min_t(unsigned long, batch, INT_MAX);
	run->batch = batch;
	calls = DIV_ROUND_UP(nr_pages, batch);

	memset(req, 0, sizeof(*req));
	req->api = run->api;
	req->flags = run->flags;
	req->foll = gb_foll(run->flags);
	req->addr = run->addr;
	req->nr_pages = nr_pages;
	req->batch = batch;
	req->release = run->release;

	if (run->samples_cap && !run->samples)
		return -EFAULT;
	if (run->samples) {
		req->usamples = u64_to_user_ptr(run->samples);
		req->nsamples = min_t(u64, run->samples_cap, calls);
		/* find a bad pointer now, before anything is taken */
		if (clear_user(req->usamples,
			       req->nsamples * sizeof(struct gupbench_sample)))
			return -EFAULT;
	}
	return 0;
}

static void gb_clear_outputs(struct gupbench_run *run)
{
	run->out_flags = 0;
	run->pages_done = 0;
	run->calls = 0;
	run->short_calls = 0;
	run->get_ns = 0;
	run->put_ns = 0;
	run->samples_written = 0;
	run->large_folio_pages = 0;
	run->unpinned_pages = 0;
	run->fail_addr = 0;
	run->get_instructions = 0;
	run->put_instructions = 0;
	run->pins_taken = 0;
	run->pins_released = 0;
	run->zero_pages = 0;
	run->longterm_unpinnable = 0;
	memset(run->order_pages, 0, sizeof(run->order_pages));
}

static long gb_ioctl_run(struct gb_file *f, void __user *uarg, bool hold)
{
	struct gupbench_run run;
	struct gb_req req;
	u64 gen = 0;
	u32 usize;
	int ret, cret;

	ret = gb_copy_in(&run, sizeof(run), GUPBENCH_RUN_SIZE_VER0, uarg,
			 &usize);
	if (ret)
		return ret;
	gb_clear_outputs(&run);
	ret = gb_check_run(&run, &req, hold);
	if (ret)
		return ret;

	ret = hold ? gb_hold(f, &req, &run, &gen) : gb_run(&req, &run);
	/* outputs go back on failure too: they say how far it got */
	cret = gb_copy_out(uarg, &run, sizeof(run), usize);
	/* a HOLD that reports failure must not keep anything */
	if (hold && !ret && cret)
		gb_unhold_gen(f, gen);
	return ret ? ret : cret;
}

static long gb_ioctl_caps(void __user *uarg)
{
	struct gupbench_caps caps;
	unsigned int api;
	u32 usize;
	int ret;

	ret = gb_copy_in(&caps, sizeof(caps), GUPBENCH_CAPS_SIZE_VER0, uarg,
			 &usize);
	if (ret)
		return ret;
	/* the reply is ours alone: nothing of what the caller sent stays */
	memset(&caps, 0, sizeof(caps));
	caps.size = usize;
	caps.abi_version = GUPBENCH_ABI_VERSION;
	caps.apis = GENMASK_ULL(GUPBENCH_API_COUNT - 1, 0);
	caps.max_len = max_len;
	caps.page_size = PAGE_SIZE;
	caps.run_size = sizeof(struct gupbench_run);
	/* from what each API accepts: one place knows what this kernel has */
	for (api = 0; api < GUPBENCH_API_COUNT; api++) {
		u64 ok = gb_api_flags(api);

		caps.flags |= ok;
		if (ok & GUPBENCH_F_LONGTERM)
			caps.longterm_apis |= BIT_ULL(api);
	}
	caps.instr_error = gb_instr_probe();
	caps.window_pages = GB_WINDOW_PAGES;
	strscpy(caps.module_version, GUPBENCH_MODULE_VERSION,
		sizeof(caps.module_version));
	strscpy(caps.kernel_release, UTS_RELEASE,
		sizeof(caps.kernel_release));
	return gb_copy_out(uarg, &caps, sizeof(caps), usize);
}

static long gb_ioctl_content(struct gb_file *f, void __user *uarg)
{
	struct gupbench_content c;
	u32 usize;
	int ret;

	ret = gb_copy_in(&c, sizeof(c), GUPBENCH_CONTENT_SIZE_VER0, uarg,
			 &usize);
	if (ret)
		return ret;
	ret = gb_content(f, &c, current->mm);
	if (ret)
		return ret;
	return gb_copy_out(uarg, &c, sizeof(c), usize);
}

/*
 * DUMP: the range taken as a RUN with one call over it would take it,
 * the chosen pages dump_page()d, all released.  Validated as RUN is.
 */
static long gb_ioctl_dump(void __user *uarg)
{
	u64 idx[GUPBENCH_DUMP_MAX];
	struct gupbench_dump d;
	struct gupbench_run run = {};
	struct gb_req req;
	struct page **pages;
	u32 usize, i;
	int ret;

	ret = gb_copy_in(&d, sizeof(d), GUPBENCH_DUMP_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	d.dumped = 0;
	if (d.api == GUPBENCH_API_NOOP || d.__reserved || !d.nr ||
	    d.nr > GUPBENCH_DUMP_MAX ||
	    (d.flags & ~(u64)GUPBENCH_F_FOLL_MASK))
		return -EINVAL;
	run.size = sizeof(run);
	run.api = d.api;
	run.flags = d.flags;
	run.addr = d.addr;
	run.len = d.len;
	ret = gb_check_run(&run, &req, false);
	if (ret)
		return ret;
	if (copy_from_user(idx, u64_to_user_ptr(d.pages),
			   d.nr * sizeof(idx[0])))
		return -EFAULT;
	for (i = 0; i < d.nr; i++)
		if (idx[i] >= req.nr_pages)
			return -EINVAL;

	pages = kvmalloc_array(req.nr_pages, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	ret = gb_take_range(&req, &run, pages, NULL);
	if (!ret)
		for (i = 0; i < d.nr; i++, d.dumped++)
			dump_page(pages[idx[i]], "gupbench dump");
	gb_release(&req, pages, run.pages_done, false);
	kvfree(pages);
	if (ret)
		return ret;
	return gb_copy_out(uarg, &d, sizeof(d), usize);
}

static long gb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct gb_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case GUPBENCH_IOC_CAPS:
		return gb_ioctl_caps(uarg);
	case GUPBENCH_IOC_RUN:
		return gb_ioctl_run(f, uarg, false);
	case GUPBENCH_IOC_HOLD:
		return gb_ioctl_run(f, uarg, true);
	case GUPBENCH_IOC_UNHOLD:
		return gb_unhold(f);
	case GUPBENCH_IOC_CONTENT:
		return gb_ioctl_content(f, uarg);
	case GUPBENCH_IOC_DUMP:
		return gb_ioctl_dump(uarg);
	}
	if (_IOC_TYPE(cmd) == GUPBENCH_IOC_ABI1_MAGIC && !_IOC_DIR(cmd) &&
	    !_IOC_SIZE(cmd) && _IOC_NR(cmd) <= GUPBENCH_IOC_ABI1_LAST)
		pr_notice_ratelimited("%s[%d] used the ioctl numbers of gupbench ABI 1; this module speaks ABI %d: update the gupbench tools\n",
				      current->comm, task_pid_nr(current),
				      GUPBENCH_ABI_VERSION);
	return -ENOTTY;
}

static int gb_open(struct inode *inode, struct file *file)
{
	struct gb_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int gb_release_file(struct inode *inode, struct file *file)
{
	struct gb_file *f = file->private_data;

	gb_hold_release(f);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static const struct file_operations gb_fops = {
	.owner = THIS_MODULE,
	.open = gb_open,
	.release = gb_release_file,
	.unlocked_ioctl = gb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice gb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "gupbench",
	.fops = &gb_fops,
	.mode = 0600,
};

static int __init gb_init(void)
{
	return misc_register(&gb_misc);
}

static void __exit gb_exit(void)
{
	misc_deregister(&gb_misc);
}

module_init(gb_init);
module_exit(gb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("get_user_pages/pin_user_pages latency benchmark");
MODULE_VERSION(GUPBENCH_MODULE_VERSION);
