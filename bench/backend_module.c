// SPDX-License-Identifier: GPL-2.0
/* The module backend: one repeat is one GUPBENCH_IOC_RUN on /dev/gupbench. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "runner.h"

static int module_open(const struct gb_env *env, const struct gb_case *c,
		       const struct gb_buffer *buf, void **ctx,
		       char *err, size_t errlen)
{
	(void)env;
	(void)c;
	(void)buf;
	(void)err;
	(void)errlen;
	*ctx = NULL;		/* the module keeps no per-thread state */
	return 0;
}

static int module_run(const struct gb_env *env, const struct gb_case *c,
		      void *ctx, struct gupbench_run *r, char *err,
		      size_t errlen)
{
	int ret;

	(void)ctx;
	ret = gb_dev_run(env->dev, r);
	if (ret && err)
		snprintf(err, errlen,
			 "%s on %s memory failed: %s: %s (pages done %" PRIu64 " of %" PRIu64 ")",
			 gb_api_name(c->api), gb_mem_name(c->mem), strerror(-ret),
			 gb_dev_explain(-ret), (uint64_t)r->pages_done,
			 (uint64_t)(r->len / 4096));
	return ret;
}

static void module_close(void *ctx)
{
	(void)ctx;
}

const struct gb_backend gb_backend_module = {
	.name = "module",
	.open = module_open,
	.run = module_run,
	.close = module_close,
};
