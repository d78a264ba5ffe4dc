// SPDX-License-Identifier: GPL-2.0
/*
 * locked: a reader takes the lock its word is published under, which
 * every writer already holds around its publication: the pte lock of the
 * slot's page table for GUP (do_anonymous_page() sets the pte under it),
 * mm->page_table_lock for vma->anon_vma (__anon_vma_prepare()). The writer's spin_unlock() (release) pairs with the reader's
 * spin_lock() (acquire): MP+polocks, "Never". Linus, 2008: "It would
 * certainly be a *lot* simpler to just take the page_table_lock".
 */
#include "strategy.h"

static void locked_publish(unsigned long *slot, unsigned long val)
{
	WRITE_ONCE(*slot, val);	/* Ordered by the writer's spin_unlock(). */
}

static unsigned long locked_read_begin(struct mm *mm, spinlock_t *lock, struct lock_stat *ls)
{
	(void)mm;
	/* Pairs with the writer's spin_unlock() of the same lock. */
	spin_lock_stat(lock, ls);
	return 0;
}

static unsigned long locked_load(unsigned long *slot)
{
	return LOAD_PLAIN(*slot);	/* no writer can run: plain is enough */
}

static bool locked_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	(void)mm;
	(void)seq;
	spin_unlock(lock);
	return false;
}

static const struct sync_ops locked_ops = {
	.pub_begin = sync_nop_mm,
	.publish = locked_publish,
	.pub_end = sync_nop_mm,
	.read_begin = locked_read_begin,
	.load = locked_load,
	.before_indep = sync_nop,
	.read_retry = locked_read_retry,
};

/* The reader takes the lock too, so the three critical sections form a
 * release-acquire chain, A-cumulative in LKMM (litmus/ISA2+ticketlocks). */
DEFINE_STRATEGY(locked,
	.name = "locked",
	.kind = STRAT_CORRECT,
	.order = 10,
	.desc = "reader takes the pte lock around the walk, as the writer does around publish",
	.probe = PROBE(W(PRIM_WRITE_ONCE), R(PRIM_LOAD_PLAIN)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT(NEVER, NEVER, NEVER, NEVER),
	});
