// SPDX-License-Identifier: GPL-2.0
/*
 * wmb-only (control): smp_wmb() on the writer, no read-side ordering of any
 * kind, not even alpha's dependency barrier (__READ_ONCE). "A smp_wmb() on
 * its own is always nonsensical" (Linus, 2008). Dependent loads still hold
 * on arm64/POWER through the address dependency, so this fails on alpha for
 * the dependent shape and everywhere weak for the independent shape.
 */
#include "strategy.h"

static void wmb_only_publish(unsigned long *slot, unsigned long val)
{
	smp_wmb();	/* Pairs with nothing: that is the bug. */
	WRITE_ONCE(*slot, val);
}

static unsigned long wmb_only_load(unsigned long *slot)
{
	return __READ_ONCE(*slot);
}

static const struct sync_ops wmb_only_ops = {
	.pub_begin = sync_nop_mm,
	.publish = wmb_only_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = wmb_only_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

/* Why LKMM and the machines differ on this strategy. */
static const char alpha_no_dep[] =
	"Never in LKMM, which gives every marked load alpha's dependency barrier; the "
	"code's __READ_ONCE() has none, and alpha reorders dependent loads";

/* An address dependency still orders the dependent loads on arm64 (not
 * alpha, where __READ_ONCE() has no barrier); nothing orders the
 * independent ones. */
DEFINE_STRATEGY(wmb_only,
	.name = "wmb-only",
	.kind = STRAT_CONTROL,
	.order = 110,
	.desc = "CONTROL: smp_wmb() on publish, no read-side ordering",
	.probe = PROBE(W(PRIM_SMP_WMB, PRIM_WRITE_ONCE), R(PRIM___READ_ONCE)),
	.expect = {
		[SHAPE_DEP] = EXPECT_WHY(NEVER, NEVER, NEVER, SOMETIMES, alpha_no_dep),
		[SHAPE_INDEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, SOMETIMES, note_chain_control),
	});
