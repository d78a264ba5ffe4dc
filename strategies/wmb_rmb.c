// SPDX-License-Identifier: GPL-2.0
/*
 * wmb-rmb: smp_wmb() before the publishing store, smp_rmb() after the load
 * (MP+fencewmbonceonce+fencermbonceonce, "Never"). The kernel's own
 * instances: __folio_mark_uptodate()/folio_test_uptodate(), and the PAE
 * ptep_get_lockless() low/high loop.
 */
#include "strategy.h"

static void wmb_rmb_publish(unsigned long *slot, unsigned long val)
{
	smp_wmb();	/* Pairs with smp_rmb() in wmb_rmb_load(). */
	WRITE_ONCE(*slot, val);
}

static unsigned long wmb_rmb_load(unsigned long *slot)
{
	unsigned long v = READ_ONCE(*slot);

	smp_rmb();	/* Pairs with smp_wmb() in wmb_rmb_publish(). */
	return v;
}

static const struct sync_ops wmb_rmb_ops = {
	.pub_begin = sync_nop_mm,
	.publish = wmb_rmb_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = wmb_rmb_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(wmb_rmb,
	.name = "wmb-rmb",
	.kind = STRAT_CORRECT,
	.order = 30,
	.desc = "lockless; smp_wmb() before publish, smp_rmb() after the load",
	.probe = PROBE(W(PRIM_SMP_WMB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE, PRIM_SMP_RMB)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, NEVER, note_wmb_not_cumulative),
	});
