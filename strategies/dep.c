// SPDX-License-Identifier: GPL-2.0
/*
 * dep: smp_wmb() before the publishing store; the reader relies on the
 * address dependency from READ_ONCE() (which carries alpha's "mb", the old
 * smp_read_barrier_depends()) for loads it makes through the loaded value:
 * MP+onceassign+derefonce, "Never", and the pmd_install() pattern. Loads
 * whose address was known beforehand have no dependency, so they get
 * smp_rmb(), as gup_must_unshare() does between PageAnon and
 * PageAnonExclusive.
 */
#include "strategy.h"

static void dep_publish(unsigned long *slot, unsigned long val)
{
	smp_wmb();	/* Pairs with the address dependency in dep_load(),
			 * and with smp_rmb() in dep_before_indep(). */
	WRITE_ONCE(*slot, val);
}

static unsigned long dep_load(unsigned long *slot)
{
	return READ_ONCE(*slot);	/* alpha: followed by "mb" */
}

static void dep_before_indep(void)
{
	smp_rmb();	/* Pairs with smp_wmb() in dep_publish(). */
}

static const struct sync_ops dep_ops = {
	.pub_begin = sync_nop_mm,
	.publish = dep_publish,
	.pub_end = sync_nop_mm,
	.read_begin = sync_nop_read_begin,
	.load = dep_load,
	.before_indep = dep_before_indep,
	.read_retry = sync_nop_read_retry,
};

DEFINE_STRATEGY(dep,
	.name = "dep",
	.kind = STRAT_CORRECT,
	.order = 40,
	.desc = "lockless; smp_wmb() before publish, READ_ONCE() address dependency (+smp_rmb() for independent loads)",
	.probe = PROBE(W(PRIM_SMP_WMB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE, PRIM_SMP_RMB)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, NEVER, note_wmb_not_cumulative),
	});
