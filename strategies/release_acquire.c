// SPDX-License-Identifier: GPL-2.0
/*
 * release-acquire: smp_store_release() publishes, smp_load_acquire() reads
 * (MP+pooncerelease+poacquireonce, "Never"). recipes.txt: "It is usually
 * better to use smp_store_release() instead of smp_wmb() and ...
 * smp_load_acquire() instead of smp_rmb()".
 */
#include "strategy.h"

static void release_acquire_publish(unsigned long *slot, unsigned long val)
{
	smp_store_release(slot, val);	/* Pairs with smp_load_acquire() in release_acquire_load(). */
}

static unsigned long release_acquire_load(unsigned long *slot)
{
	return smp_load_acquire(slot);	/* Pairs with smp_store_release() in release_acquire_publish(). */
}

static const struct sync_ops release_acquire_ops = {
	.pub_begin = sync_nop_mm,
	.publish = release_acquire_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = release_acquire_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(release_acquire,
	.name = "release-acquire",
	.kind = STRAT_CORRECT,
	.order = 60,
	.desc = "lockless; smp_store_release() / smp_load_acquire()",
	.probe = PROBE(W(PRIM_STORE_RELEASE), R(PRIM_LOAD_ACQUIRE)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT(NEVER, NEVER, NEVER, NEVER),
	});
