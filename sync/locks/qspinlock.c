// SPDX-License-Identifier: GPL-2.0
/*
 * The queued spinlock's slow path, mirroring queued_spin_lock_slowpath()
 * of kernel/locking/qspinlock.c (the native, non-paravirt build) with the
 * differences qspinlock.h lists. The state comments are the kernel's
 * (tail, pending, locked).
 */
#ifndef FL_RECORD	/* the recording build sees a lock as one event */
#include <stddef.h>
#include "qspinlock.h"
#include "spin_wait.h"

#ifdef FL_EMU
/* The emulator runs its logical threads on one OS thread: one node per
 * logical thread, as the kernel has one set per CPU. */
static struct qnode qnodes[EMU_MAX_THREADS];
#define this_cpu_qnode()	(&qnodes[emu_current_thread()])
#else
/* User space's per-CPU data is per-thread: a waiter's node is its own. */
static __thread struct qnode qnode;
#define this_cpu_qnode()	(&qnode)
#endif

static inline unsigned long encode_tail(struct qnode *node)
{
	return (unsigned long)node << _Q_TAIL_OFFSET;
}

static inline struct qnode *decode_tail(unsigned long tail)
{
	return (struct qnode *)(tail >> _Q_TAIL_OFFSET);
}

/* *,1,0 -> *,0,0 (atomic_andnot(), _Q_PENDING_BITS != 8) */
static __always_inline void clear_pending(struct qspinlock *lock)
{
	fetch_andnot_relaxed(&lock->val, _Q_PENDING_VAL);
}

/* *,1,0 -> *,0,1 (atomic_add(), _Q_PENDING_BITS != 8) */
static __always_inline void clear_pending_set_locked(struct qspinlock *lock)
{
	fetch_add_relaxed(&lock->val, _Q_LOCKED_VAL - _Q_PENDING_VAL);
}

/* p,*,* -> n,*,*: the cmpxchg loop of the _Q_PENDING_BITS != 8 xchg_tail().
 * Relaxed: the smp_wmb() before it orders the node's initialisation. */
static __always_inline unsigned long xchg_tail(struct qspinlock *lock, unsigned long tail)
{
	unsigned long old = READ_ONCE(lock->val), new;

	do {
		new = (old & _Q_LOCKED_PENDING_MASK) | tail;
	} while (!try_cmpxchg_relaxed(&lock->val, &old, new));
	return old;
}

/* *,*,0 -> *,0,1: the locked byte alone, as the kernel's set_locked(). */
static __always_inline void set_locked(struct qspinlock *lock)
{
	WRITE_ONCE_BYTE0(&lock->val, _Q_LOCKED_VAL);
}

void queued_spin_lock_slowpath(struct qspinlock *lock, unsigned long val)
{
	struct qnode *prev, *next, *node;
	unsigned long old, tail;
	unsigned spins = 0;
	int cnt;

	/*
	 * Wait for an in-progress pending->locked hand-over, a bounded
	 * number of times (atomic_cond_read_relaxed()): 0,1,0 -> 0,0,1
	 */
	if (val == _Q_PENDING_VAL) {
		cnt = _Q_PENDING_LOOPS;
		while ((val = READ_ONCE(lock->val)) == _Q_PENDING_VAL && cnt--)
			cpu_relax();
	}

	/* If we observe any contention, queue. */
	if (val & ~_Q_LOCKED_MASK)
		goto queue;

	/*
	 * trylock || pending: 0,0,* -> 0,1,* (atomic_fetch_or_acquire());
	 * ACQUIRE because the lock may be free already, in which case the
	 * pending wait below returns at once.
	 */
	val = fetch_or_acquire(&lock->val, _Q_PENDING_VAL);

	/*
	 * If we observe contention, there is a concurrent locker. Undo the
	 * pending bit if we set it, and queue.
	 */
	if (unlikely(val & ~_Q_LOCKED_MASK)) {
		if (!(val & _Q_PENDING_MASK))
			clear_pending(lock);
		goto queue;
	}

	/*
	 * We're pending, wait for the owner to go away: *,1,1 -> *,1,0.
	 * Pairs with smp_store_release_byte0() in queued_spin_unlock():
	 * clear_pending_set_locked() is relaxed, so this ACQUIRE is what
	 * orders our critical section after the previous one.
	 */
	if (val & _Q_LOCKED_MASK)
		while (smp_load_acquire(&lock->val) & _Q_LOCKED_MASK)
			spin_wait_relax(&spins);

	/* Take ownership and clear the pending bit: *,1,0 -> *,0,1 */
	clear_pending_set_locked(lock);
	return;

queue:
	node = this_cpu_qnode();
	tail = encode_tail(node);
	STORE_PLAIN(node->locked, 0UL);
	STORE_PLAIN(node->next, 0UL);

	/* We touched a cold node: try the lock once more. */
	if (queued_spin_trylock(lock))
		return;

	/*
	 * Ensure that the initialisation of node is complete before we
	 * publish it via xchg_tail() and link it via WRITE_ONCE(prev->next)
	 * below. Pairs with two address dependencies: our successor's, from
	 * its xchg_tail() read of our tail to its WRITE_ONCE() of our
	 * node->next (which must land after our node->next = 0); and our
	 * predecessor's, from its READ_ONCE() of its node->next (our link)
	 * to its smp_store_release() of our node->locked (which must land
	 * after our node->locked = 0). Without the smp_wmb() LKMM allows
	 * either store to be overwritten by our initialisation.
	 */
	smp_wmb();

	old = xchg_tail(lock, tail);
	next = NULL;

	/* If there was a previous node, link ours and wait to be the head. */
	if (old & _Q_TAIL_MASK) {
		prev = decode_tail(old);
		WRITE_ONCE(prev->next, (unsigned long)node);
		/*
		 * arch_mcs_spin_lock_contended(): smp_cond_load_acquire().
		 * Pairs with the smp_store_release() of node->locked by our
		 * predecessor, ordering what follows after its queue work.
		 */
		while (!smp_load_acquire(&node->locked))
			spin_wait_relax(&spins);
		/* Our successor may have linked meanwhile. */
		next = (struct qnode *)READ_ONCE(node->next);
	}

	/*
	 * We're at the head of the queue: wait for the owner and the pending
	 * waiter to go away, *,x,y -> *,0,0 (atomic_cond_read_acquire()).
	 * Pairs with smp_store_release_byte0() in queued_spin_unlock(): the
	 * ACQUIRE is what orders our critical section after the previous
	 * one, as set_locked() is no barrier.
	 */
	while ((val = smp_load_acquire(&lock->val)) & _Q_LOCKED_PENDING_MASK)
		spin_wait_relax(&spins);

	/*
	 * Claim the lock: n,0,0 -> 0,0,1 if we are the only one queued
	 * (clear the tail too; relaxed, the ACQUIRE above orders us),
	 * else *,0,0 -> *,0,1.
	 */
	if ((val & _Q_TAIL_MASK) == tail &&
	    try_cmpxchg_relaxed(&lock->val, &val, _Q_LOCKED_VAL))
		return;	/* no contention */

	set_locked(lock);

	/* Contended: wait for our successor to link (smp_cond_load_relaxed()). */
	while (!next) {
		next = (struct qnode *)READ_ONCE(node->next);
		if (!next)
			spin_wait_relax(&spins);
	}
	/*
	 * arch_mcs_spin_unlock_contended(): make it the head. Pairs with its
	 * smp_load_acquire() of node->locked.
	 */
	smp_store_release(&next->locked, 1UL);
}

#endif /* FL_RECORD */
