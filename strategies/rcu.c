// SPDX-License-Identifier: GPL-2.0
/*
 * rcu: rcu_assign_pointer() publishes, rcu_dereference() reads, each GUP
 * (and each fault's lockless anon_vma_prepare() fast path) runs inside
 * rcu_read_lock()/rcu_read_unlock(), and a zap recycles the pages and
 * anon_vmas it took away only after a grace period (synchronize_rcu(), one
 * per batch of FL_RETIRE_BATCH: model/paths.h, retire_flush()). The
 * vocabulary's RCU piece is sync/rcu.h: liburcu's memb flavour natively,
 * the same algorithm in the vocabulary under the emulator, LKMM's RCU
 * events in the recording build.
 *
 * include/linux/rcupdate.h: rcu_assign_pointer() is smp_store_release(),
 * so it orders every store before it, and is A-cumulative (the chain is
 * Never where dep's smp_wmb() leaves it Sometimes); rcu_dereference() is
 * READ_ONCE() (alpha: its "mb"), which orders only the loads whose address
 * comes from the loaded pointer (MP+onceassign+derefonce, "Never"). The
 * GUP's independent load has no such dependency, so it gets smp_rmb(), as
 * dep's does: rcu_dereference() alone would leave it unordered on arm64.
 */
#include "strategy.h"
#include "../sync/rcu.h"

static void rcu_publish(unsigned long *slot, unsigned long val)
{
	/* Pairs with the address dependency in rcu_load(), and with smp_rmb()
	 * in rcu_before_indep(). */
	rcu_assign_pointer(*slot, val);
}

static unsigned long rcu_read_begin(struct mm *mm, spinlock_t *lock, struct lock_stat *ls)
{
	(void)mm;
	(void)lock;
	(void)ls;
	rcu_read_lock();	/* Pairs with synchronize_rcu() in rcu_grace_period(). */
	return 0;
}

static unsigned long rcu_load(unsigned long *slot)
{
	return rcu_dereference(*slot);	/* alpha: followed by "mb" */
}

static void rcu_before_indep(void)
{
	smp_rmb();	/* Pairs with the release in rcu_publish(). */
}

static bool rcu_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	(void)mm;
	(void)lock;
	(void)seq;
	rcu_read_unlock();
	return false;
}

static void rcu_grace_period(void)
{
	/* Pairs with the read sections of rcu_read_begin()/rcu_read_retry(). */
	synchronize_rcu();
}

static const struct sync_ops rcu_ops = {
	.pub_begin = sync_nop_mm,
	.publish = rcu_publish,
	.pub_end = sync_nop_mm,
	.read_begin = rcu_read_begin,
	.load = rcu_load,
	.before_indep = rcu_before_indep,
	.read_retry = rcu_read_retry,
	.grace_period = rcu_grace_period,
};

DEFINE_STRATEGY(rcu,
	.name = "rcu",
	.kind = STRAT_CORRECT,
	.order = 65,
	.desc = "lockless; rcu_assign_pointer() / rcu_dereference() (+smp_rmb() for independent loads) "
		"in rcu_read_lock(); zap recycles after synchronize_rcu(), one per "
		__stringify(FL_RETIRE_BATCH),
	.probe = PROBE(W(PRIM_STORE_RELEASE), R(PRIM_READ_ONCE, PRIM_SMP_RMB)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT(NEVER, NEVER, NEVER, NEVER),
	},
	.thread_start = rcu_register_thread,
	.thread_stop = rcu_unregister_thread);
