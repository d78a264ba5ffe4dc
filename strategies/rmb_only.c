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

/* Why LKMM and the machines differ on this strategy. */
static const char chain_control_rmb[] =
	"allowed by LKMM and by arm64 and alpha hardware, since nothing orders fault A's "
	"plain stores and split pte locks do not order fault B after fault A; x86-TSO keeps "
	"those stores in order, and the emulated arm64 and alpha do not reach it within "
	"their seeds (A's stores drain before B's fault and a GUP finish; the dep shape "
	"shows the same reordering)";

/* The writer's stores may become visible in any order. */
DEFINE_STRATEGY(rmb_only,
	.name = "rmb-only",
	.kind = STRAT_CONTROL,
	.order = 120,
	.desc = "CONTROL: no write barrier, smp_rmb() after the load",
	.probe = PROBE(W(PRIM_WRITE_ONCE), R(PRIM_READ_ONCE, PRIM_SMP_RMB)),
	.expect = {
		[SHAPE_DEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_INDEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, NEVER, chain_control_rmb),
	});
