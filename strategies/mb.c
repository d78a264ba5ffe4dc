// SPDX-License-Identifier: GPL-2.0
/*
 * mb: full barriers on both sides. smp_mb() before the publishing store
 * pairs with smp_mb() after the pointer/pte load (the heavyweight form of
 * MP+fencewmbonceonce+fencermbonceonce; "Never").
 */
#include "strategy.h"

static void mb_publish(unsigned long *slot, unsigned long val)
{
	smp_mb();	/* Pairs with smp_mb() in mb_load(). */
	WRITE_ONCE(*slot, val);
}

static unsigned long mb_load(unsigned long *slot)
{
	unsigned long v = READ_ONCE(*slot);

	smp_mb();	/* Pairs with smp_mb() in mb_publish(). */
	return v;
}

static const struct sync_ops mb_ops = {
	.pub_begin = sync_nop_mm,
	.publish = mb_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = mb_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(mb,
	.name = "mb",
	.kind = STRAT_CORRECT,
	.order = 20,
	.desc = "lockless; smp_mb() before publish and after the load",
	.probe = PROBE(W(PRIM_SMP_MB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE, PRIM_SMP_MB)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT(NEVER, NEVER, NEVER, NEVER),
	});
