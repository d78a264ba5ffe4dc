/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 ticket lock the kernel used before qspinlock
 * (arch/x86/include/asm/spinlock.h, 2.6.25-4.1): take a ticket with a
 * fetch-and-add (an ACQUIRE, as arm64's ldaxr/stxr ticket lock was), wait
 * until the owner field reaches it (ACQUIRE), release by advancing the
 * owner (RELEASE). FIFO fair, one cache line. lockhammer's ticket_spinlock
 * (benchmarks/lockhammer/tests/ticket_spinlock.h) is the same algorithm
 * on one 32-bit word of two 16-bit halves; this one has two words, as the
 * emulator's accesses are words.
 */
#ifndef FL_SYNC_LOCKS_TICKET_H
#define FL_SYNC_LOCKS_TICKET_H

#include <stdbool.h>
#include "../barrier.h"
#include "spin_wait.h"

struct ticket_lock {
	unsigned long next;	/* next ticket to hand out */
	unsigned long owner;	/* ticket now holding the lock */
};

static inline void ticket_lock_init(struct ticket_lock *l)
{
	l->next = 0;
	l->owner = 0;
}

static __always_inline void ticket_lock(struct ticket_lock *l)
{
	unsigned long ticket = fetch_add_acquire(&l->next, 1UL);
	unsigned spins = 0;

	/* Pairs with smp_store_release() in ticket_unlock(). */
	while (smp_load_acquire(&l->owner) != ticket)
		spin_wait_relax(&spins);
}

/*
 * The lock is free when next == owner. The load of owner must itself be an
 * ACQUIRE: the cmpxchg_acquire() below is on another word (next), so it
 * orders the critical section only after its own read of next, and that
 * read may return the ticket the previous holder took when it LOCKED, long
 * before its critical-section stores. What the previous holder RELEASED is
 * owner: reading it with smp_load_acquire() (which pairs with the
 * smp_store_release() in ticket_unlock()) is what makes its critical section
 * visible to ours. The kernel's ticket locks get the same ordering by
 * loading both halves as one acquired word (arm64's ldaxr of the whole
 * lock, before qspinlock); a READ_ONCE() of owner here was MP+po+acquire on
 * arm64, Sometimes (tests/emu: the split trylock control).
 */
static __always_inline bool ticket_trylock(struct ticket_lock *l)
{
	/* Pairs with smp_store_release() in ticket_unlock(). */
	unsigned long owner = smp_load_acquire(&l->owner);
	unsigned long expect = owner;

	/* Only when nobody holds or waits: next == owner. Mutual exclusion
	 * comes from this compare-and-swap: ticket `owner` is ours alone. */
	return try_cmpxchg_acquire(&l->next, &expect, owner + 1);
}

static __always_inline void ticket_unlock(struct ticket_lock *l)
{
	/* Pairs with smp_load_acquire() in ticket_lock() and ticket_trylock(). */
	smp_store_release(&l->owner, LOAD_PLAIN(l->owner) + 1);
}

#endif /* FL_SYNC_LOCKS_TICKET_H */
