// SPDX-License-Identifier: GPL-2.0
/*
 * seqlock: one seqcount per lock a word is published under, written only
 * with that lock held (the kernel's seqcount_spinlock_t): mm->seq for
 * vma->anon_vma (page_table_lock), each page table's own for its ptes (its
 * pte lock). Writers bracket every publication, pte clear and anon_vma
 * reset with write_seqcount_begin()/end() on the seqcount of the lock they
 * hold; readers open with read_seqcount_begin() on the seqcount of the word
 * they read and discard the walk if read_seqcount_retry() says a writer
 * ran. The barriers are inside sync/seqcount.h, each naming its pair. This
 * is the mm->write_protect_seq protocol of gup_fast(), split as the locks
 * are.
 */
#include <stddef.h>
#include "strategy.h"

/* The seqcount of the lock a word is published under. */
static seqcount_t *seqlock_seq(struct mm *mm, spinlock_t *lock)
{
	if (lock == &mm->page_table_lock)
		return &mm->seq;
	return &((struct pte_lock *)((char *)lock - offsetof(struct pte_lock, lock)))->seq;
}

static void seqlock_pub_begin(struct mm *mm, spinlock_t *lock)
{
	write_seqcount_begin(seqlock_seq(mm, lock));
}

static void seqlock_publish(unsigned long *slot, unsigned long val)
{
	WRITE_ONCE(*slot, val);
}

static void seqlock_pub_end(struct mm *mm, spinlock_t *lock)
{
	write_seqcount_end(seqlock_seq(mm, lock));
}

static unsigned long seqlock_read_begin(struct mm *mm, spinlock_t *lock, struct lock_stat *ls)
{
	(void)ls;
	return read_seqcount_begin(seqlock_seq(mm, lock));
}

static unsigned long seqlock_load(unsigned long *slot)
{
	return __READ_ONCE(*slot);	/* the seqcount does the ordering */
}

static bool seqlock_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	return read_seqcount_retry(seqlock_seq(mm, lock), seq);
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
