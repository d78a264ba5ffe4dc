/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ordering hooks a strategy supplies at the marked points of the model's
 * paths (docs/design.md §3). Nothing else in the paths orders anything between a
 * published-word load and the validation loads that depend on it.
 *
 * Writer side (always under page_table_lock, as in the kernel):
 *   pub_begin(mm, lock)  before a publication or a pte clear, lock held: the
 *                        one the word is published under (seqlock: its seqcount's
 *                        write_seqcount_begin)
 *   publish(slot, val)   the [publish ordering] and the store of the word
 *   pub_end(mm, lock)    after it (seqlock: write_seqcount_end)
 * Reader side (lockless unless the strategy says otherwise):
 *   read_begin(mm, lock, ls)  opens a read section (locked: takes lock, the one
 *                        the writer publishes the word under; seqlock: begin)
 *   load(slot)           loads a published word, with the ordering the
 *                        strategy gives to loads that depend on it
 *   before_indep()       ordering for loads whose address was known before load()
 *   read_retry(mm, lock, seq)  closes the section; true means "discard, retry"
 * Zap side (optional; NULL in every strategy but rcu):
 *   grace_period()       waits until every read section open when it was
 *                        called has closed. Set, it makes zap_one() and
 *                        vma_teardown() defer recycling the pages and
 *                        anon_vmas they take away, and recycle a batch of
 *                        them after one call (retire_flush(), model/paths.h);
 *                        NULL recycles each at once, as before.
 */
#ifndef FL_MODEL_SYNC_OPS_H
#define FL_MODEL_SYNC_OPS_H

#include <stdbool.h>
#include "mm.h"

struct sync_ops {
	void (*pub_begin)(struct mm *mm, spinlock_t *lock);
	void (*publish)(unsigned long *slot, unsigned long val);
	void (*pub_end)(struct mm *mm, spinlock_t *lock);
	unsigned long (*read_begin)(struct mm *mm, spinlock_t *lock, struct lock_stat *ls);
	unsigned long (*load)(unsigned long *slot);
	void (*before_indep)(void);
	bool (*read_retry)(struct mm *mm, spinlock_t *lock, unsigned long seq);
	void (*grace_period)(void);
};

/* Shared no-op hooks for strategies that need nothing at a point. */
static inline void sync_nop_mm(struct mm *mm, spinlock_t *lock)
{
	(void)mm;
	(void)lock;
}
static inline void sync_nop(void) { }
static inline unsigned long sync_nop_read_begin(struct mm *mm, spinlock_t *lock,
						struct lock_stat *ls)
{
	(void)mm;
	(void)lock;
	(void)ls;
	return 0;
}
static inline bool sync_nop_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	(void)mm;
	(void)lock;
	(void)seq;
	return false;
}

#endif /* FL_MODEL_SYNC_OPS_H */
