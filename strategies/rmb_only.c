// SPDX-License-Identifier: GPL-2.0
/*
 * rmb-only (control): no write barrier, smp_rmb() after the load. The
 * writer's stores may become visible in any order, so the reader's barrier
 * has nothing to pair with (fails on arm64, POWER, alpha).
 */
#include "strategy.h"

static void rmb_only_publish(unsigned long *slot, unsigned long val)
{
	WRITE_ONCE(*slot, val);	/* no smp_wmb(): that is the bug */
}

static unsigned long rmb_only_load(unsigned long *slot)
{
	unsigned long v = READ_ONCE(*slot);

	smp_rmb();	/* Pairs with nothing on the writer side. */
	return v;
}

static const struct sync_ops rmb_only_ops = {
	.pub_begin = sync_nop_mm,
	.publish = rmb_only_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = rmb_only_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(rmb_only, "rmb-only", "CONTROL: no write barrier, smp_rmb() after the load",
		STRAT_CONTROL);
