// SPDX-License-Identifier: GPL-2.0
/*
 * none (control): plain store, plain load, no ordering on either side
 * (MP+poonceonces, "Sometimes"). Fails on arm64, POWER and alpha; on x86
 * only the compiler can break it.
 */
#include "strategy.h"

static void none_publish(unsigned long *slot, unsigned long val)
{
	STORE_PLAIN(*slot, val);
}

static unsigned long none_load(unsigned long *slot)
{
	return LOAD_PLAIN(*slot);
}

static const struct sync_ops none_ops = {
	.pub_begin = sync_nop_mm,
	.publish = none_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = none_load,
	.before_indep = sync_nop,
	.read_retry = sync_nop_read_retry,
};

/* MP+poonceonces: no ordering on either side. */
DEFINE_STRATEGY(none,
	.name = "none",
	.kind = STRAT_CONTROL,
	.order = 100,
	.desc = "CONTROL: plain stores and loads, no ordering",
	.probe = PROBE(W(PRIM_STORE_PLAIN), R(PRIM_LOAD_PLAIN)),
	.expect = {
		[SHAPE_DEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_INDEP] = EXPECT_WHY(SOMETIMES, NEVER, SOMETIMES, SOMETIMES, note_tso_keeps_order),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, SOMETIMES, note_chain_control),
	});
