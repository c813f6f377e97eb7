// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction clock on hardware: a counter of the kernel instructions
 * the calling task retires, read at the edges of the timed windows.  Under
 * emulation there is no PMU and the counter cannot be created; the reason
 * goes to userspace through the caps.
 */
#include <linux/err.h>
#include <linux/perf_event.h>

#include "gupbench_priv.h"
#include "gupbench_compat.h"

struct perf_event *gb_instr_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.size = sizeof(attr),
		.pinned = 1,
		.exclude_user = 1,
		.exclude_hv = 1,
	};

	return gb_perf_task_counter(&attr);
}

/* 0 when a counter can be had for the caller, else a positive errno. */
int gb_instr_probe(void)
{
	struct perf_event *ev = gb_instr_open();

	if (IS_ERR(ev))
		return -PTR_ERR(ev);
	gb_perf_release(ev);
	return 0;
}

/*
 * The count so far; false when the counter was not on the PMU the whole
 * time (multiplexed or in error), so the count would be an estimate.
 */
bool gb_instr_read(struct gb_instr *in, u64 *value)
{
	u64 enabled, running;

	*value = gb_perf_read(in->ev, &enabled, &running);
	if (enabled != running)
		in->incomplete = true;
	return !in->incomplete;
}

void gb_instr_close(struct perf_event *ev)
{
	if (!IS_ERR_OR_NULL(ev))
		gb_perf_release(ev);
}
