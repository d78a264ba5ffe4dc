// SPDX-License-Identifier: GPL-2.0
/*
 * seqlock: writers bracket every publication and pte clear with
 * write_seqlock()/write_sequnlock() on mm->seq: mm->seq_lock serialises
 * them (a pte's writer holds its pte lock and an anon_vma's writer
 * page_table_lock, which do not exclude each other), then
 * write_seqcount_begin()/end(), as include/linux/seqlock.h does. Readers
 * open with
 * read_seqcount_begin() and discard the walk if read_seqcount_retry() says
 * a writer ran. The barriers are inside sync/seqcount.h, each naming its
 * pair. This is the mm->write_protect_seq protocol of gup_fast().
 */
#include "strategy.h"

static void seqlock_pub_begin(struct mm *mm)
{
	spin_lock(&mm->seq_lock);		/* write_seqlock() */
	write_seqcount_begin(&mm->seq);
}

static void seqlock_publish(unsigned long *slot, unsigned long val)
{
	WRITE_ONCE(*slot, val);
}

static void seqlock_pub_end(struct mm *mm)
{
	write_seqcount_end(&mm->seq);
	spin_unlock(&mm->seq_lock);		/* write_sequnlock() */
}

static unsigned long seqlock_read_begin(struct mm *mm, spinlock_t *lock, struct lock_stat *ls)
{
	(void)lock;
	(void)ls;
	return read_seqcount_begin(&mm->seq);
}

static unsigned long seqlock_load(unsigned long *slot)
{
	return __READ_ONCE(*slot);	/* the seqcount does the ordering */
}

static bool seqlock_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	(void)lock;
	return read_seqcount_retry(&mm->seq, seq);
}

static const struct sync_ops seqlock_ops = {
	.pub_begin = seqlock_pub_begin,
	.publish = seqlock_publish,
	.pub_end = seqlock_pub_end,
	.read_begin = seqlock_read_begin,
	.load = seqlock_load,
	.before_indep = sync_nop,
	.read_retry = seqlock_read_retry,
};

/* Why LKMM and the machines differ on this strategy. */
static const char seqcount_not_cumulative[] =
	"not guaranteed by LKMM (the seqcount's smp_wmb()s are not A-cumulative, so fault "
	"B's write section does not order fault A's anon_vma stores before B's pte); "
	"forbidden on multi-copy-atomic hardware such as x86 and arm64";

DEFINE_STRATEGY(seqlock,
	.name = "seqlock",
	.kind = STRAT_CORRECT,
	.order = 50,
	.desc = "write_seqcount_begin/end around publish; read_seqcount_begin/retry around the walk",
	.probe = PROBE(W(PRIM_WRITE_ONCE), R(PRIM___READ_ONCE)),
	.expect = {
		[SHAPE_DEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_INDEP] = EXPECT(NEVER, NEVER, NEVER, NEVER),
		[SHAPE_CHAIN] = EXPECT_WHY(SOMETIMES, NEVER, NEVER, NEVER, seqcount_not_cumulative),
	});
