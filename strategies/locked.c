// SPDX-License-Identifier: GPL-2.0
/*
 * locked: the GUP reader takes mm->page_table_lock, which every writer
 * already holds around its publication (do_anonymous_page() sets the pte
 * under it). The writer's spin_unlock() (release) pairs with the reader's
 * spin_lock() (acquire): MP+polocks, "Never". Linus, 2008: "It would
 * certainly be a *lot* simpler to just take the page_table_lock".
 */
#include "strategy.h"

static void locked_publish(unsigned long *slot, unsigned long val)
{
	WRITE_ONCE(*slot, val);	/* Ordered by the writer's spin_unlock(). */
}

static unsigned long locked_read_begin(struct mm *mm, struct lock_stat *ls)
{
	/* Pairs with spin_unlock(&mm->page_table_lock) in the writer. */
	spin_lock_stat(&mm->page_table_lock, ls);
	return 0;
}

static unsigned long locked_load(unsigned long *slot)
{
	return LOAD_PLAIN(*slot);	/* no writer can run: plain is enough */
}

static bool locked_read_retry(struct mm *mm, unsigned long seq)
{
	(void)seq;
	spin_unlock(&mm->page_table_lock);
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
	.desc = "reader takes page_table_lock around the walk, as the writer does around publish",
	.probe = PROBE(W(PRIM_WRITE_ONCE), R(PRIM_LOAD_PLAIN)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT(NEVER, NEVER, NEVER, NEVER),
	});
