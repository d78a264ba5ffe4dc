// SPDX-License-Identifier: GPL-2.0
/*
 * release-acquire: smp_store_release() publishes, smp_load_acquire() reads
 * (MP+pooncerelease+poacquireonce, "Never"). recipes.txt: "It is usually
 * better to use smp_store_release() instead of smp_wmb() and ...
 * smp_load_acquire() instead of smp_rmb()".
 */
#include "strategy.h"

static void relacq_publish(unsigned long *slot, unsigned long val)
{
	smp_store_release(slot, val);	/* Pairs with smp_load_acquire() in relacq_load(). */
}

static unsigned long relacq_load(unsigned long *slot)
{
	return smp_load_acquire(slot);	/* Pairs with smp_store_release() in relacq_publish(). */
}

static const struct sync_ops relacq_ops = {
	.pub_begin = sync_nop_mm,
	.publish = relacq_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = relacq_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(relacq, "release-acquire", "lockless; smp_store_release() / smp_load_acquire()",
		STRAT_CORRECT);
