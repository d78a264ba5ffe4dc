/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's queued spinlock, the default flavour: the fast path and
 * unlock of include/asm-generic/qspinlock.h here, the slow path
 * (pending bit, MCS queue) in qspinlock.c, mirroring
 * kernel/locking/qspinlock.c. One word:
 *
 *   bits  0- 7  locked byte (_Q_LOCKED_VAL: held)
 *   bits  8-15  pending (_Q_PENDING_VAL: the one waiter spinning on the word)
 *   bits 16-63  tail: the address of the last queued waiter's MCS node
 *
 * Differences from the kernel, all forced by user space or by the
 * emulator's word-sized accesses: the word is 64 bits and the tail holds
 * the node's address (shifted left 16; user addresses have 48 bits), not
 * a CPU number and nesting index, because a thread has no CPU of its own
 * to index per-CPU nodes with; each thread has ONE node (the kernel's four
 * serve the task/softirq/hardirq/NMI contexts, which user space has not);
 * the pending-bit updates are the kernel's word RMWs of its
 * _Q_PENDING_BITS != 8 variant (atomic_andnot/atomic_add/cmpxchg loop),
 * as they must be with words only; the locked byte is stored alone, as the
 * kernel's is (smp_store_release_byte0/WRITE_ONCE_BYTE0, sync/barrier.h);
 * and each wait yields after a bounded spin (spin_wait.h).
 *
 * The ordering argument, for every path: the critical section is ordered
 * after an ACQUIRE that reads the word the previous holder's unlock wrote
 * with a RELEASE (or an RMW after it in the word's coherence order), so
 * the previous critical section happens before ours.
 *   fast path: try_cmpxchg_acquire() of 0 -> LOCKED reads the unlock.
 *   pending:   smp_load_acquire() of the word until the locked byte is 0.
 *   queue:     the head's smp_load_acquire() of the word until locked and
 *              pending are both 0; the MCS hand-over (node->locked) orders
 *              only the queue, not the critical sections.
 * tests/litmus/MP+qspinlock-*.litmus check each path under LKMM.
 */
#ifndef FL_SYNC_LOCKS_QSPINLOCK_H
#define FL_SYNC_LOCKS_QSPINLOCK_H

#include <stdbool.h>
#include "../barrier.h"

_Static_assert(sizeof(unsigned long) == 8, "the tail holds a 48-bit node address");

#define _Q_LOCKED_VAL		1UL
#define _Q_LOCKED_MASK		0xffUL
#define _Q_PENDING_VAL		(1UL << 8)
#define _Q_PENDING_MASK		(0xffUL << 8)
#define _Q_LOCKED_PENDING_MASK	(_Q_LOCKED_MASK | _Q_PENDING_MASK)
#define _Q_TAIL_OFFSET		16
#define _Q_TAIL_MASK		(~0UL << _Q_TAIL_OFFSET)
/*
 * How many times the slow path re-reads a word that shows a pending
 * hand-over in progress before it queues: x86's 512
 * (arch/x86/include/asm/qspinlock.h) natively on x86, the generic 1
 * elsewhere and in the emulator (where queueing sooner reaches the MCS
 * path in more interleavings; the count orders nothing). With 1 on x86 an
 * unlocking thread that relocks at once queues behind the hand-over: 2
 * threads ran 5.9 M lock+unlock/s here, 18.8 with 512.
 */
#if defined(__x86_64__) && !defined(FL_EMU)
#define _Q_PENDING_LOOPS	512
#else
#define _Q_PENDING_LOOPS	1
#endif

struct qspinlock {
	unsigned long val;
};

/* An MCS queue node: one per thread (qspinlock.c). */
struct qnode {
	unsigned long next;	/* struct qnode *: our successor, once it links */
	unsigned long locked;	/* 1: we are the queue head */
} __attribute__((__aligned__(64)));

void queued_spin_lock_slowpath(struct qspinlock *lock, unsigned long val);

static inline void queued_spin_lock_init(struct qspinlock *lock)
{
	lock->val = 0;
}

/*
 * asm-generic/qspinlock.h: the word must read 0 (nobody holds, pends or
 * queues); the cmpxchg is on the same word the last unlock released, so
 * its ACQUIRE pairs with that smp_store_release_byte0() directly (the
 * ticket lock's two-word subtlety does not arise).
 */
static __always_inline bool queued_spin_trylock(struct qspinlock *lock)
{
	unsigned long val = READ_ONCE(lock->val);

	if (unlikely(val))
		return false;
	/* Pairs with smp_store_release_byte0() in queued_spin_unlock(). */
	return likely(try_cmpxchg_acquire(&lock->val, &val, _Q_LOCKED_VAL));
}

static __always_inline void queued_spin_lock(struct qspinlock *lock)
{
	unsigned long val = 0;

	/* Pairs with smp_store_release_byte0() in queued_spin_unlock(). */
	if (likely(try_cmpxchg_acquire(&lock->val, &val, _Q_LOCKED_VAL)))
		return;
	queued_spin_lock_slowpath(lock, val);
}

static __always_inline void queued_spin_unlock(struct qspinlock *lock)
{
	/* The locked byte alone: pending and tail are other waiters'.
	 * Pairs with the ACQUIREs of queued_spin_lock(), queued_spin_trylock()
	 * and the slow path's waits on the word. */
	smp_store_release_byte0(&lock->val, 0);
}

#endif /* FL_SYNC_LOCKS_QSPINLOCK_H */
