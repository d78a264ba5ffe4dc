// SPDX-License-Identifier: GPL-2.0
/*
 * baseline: the model's paths with every strategy hook empty and plain
 * accesses, run on one thread only. It is the physical limit of the read and
 * fault paths on this machine; every other figure is also shown as a ratio
 * to it. The paths' own locks and refcount atomics stay: they are the
 * kernel's (page_table_lock on the writer, the GUP pin), not a strategy's.
 */
#include "strategy.h"

static void baseline_publish(unsigned long *slot, unsigned long val)
{
	STORE_PLAIN(*slot, val);
}

static unsigned long baseline_load(unsigned long *slot)
{
	return LOAD_PLAIN(*slot);
}

static const struct sync_ops baseline_ops = {
	.pub_begin = sync_nop_mm,
	.publish = baseline_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = baseline_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(baseline,
	.name = "baseline",
	.kind = STRAT_BASELINE,
	.order = 0,
	.desc = "BASELINE: no synchronisation at all, one thread only",
	.probe = PROBE(W(PRIM_STORE_PLAIN), R(PRIM_LOAD_PLAIN)),
	.expect = {
		[SHAPE_DEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_INDEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, SOMETIMES, note_chain_control),
	});
