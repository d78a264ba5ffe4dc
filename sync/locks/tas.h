/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-and-test-and-set: swap 1 into the word with an ACQUIRE; while that
 * finds it taken, spin on plain marked loads (no RMW traffic while the
 * holder works) until it reads 0, then swap again. Unlock is a RELEASE
 * store of 0. Not fair: a releasing thread may take the lock straight
 * back. lockhammer's swap_mutex (benchmarks/lockhammer/tests/swap_mutex.h)
 * is the same xchg/spin/store-release shape.
 */
#ifndef FL_SYNC_LOCKS_TAS_H
#define FL_SYNC_LOCKS_TAS_H

#include <stdbool.h>
#include "../barrier.h"
#include "spin_wait.h"

struct tas_lock {
	unsigned long locked;
};

static inline void tas_lock_init(struct tas_lock *l)
{
	l->locked = 0;
}

static __always_inline bool tas_trylock(struct tas_lock *l)
{
	/* The swap reads the word the last holder released, so its ACQUIRE
	 * pairs with the smp_store_release() in tas_unlock() directly (no
	 * second word, unlike the ticket lock's trylock). */
	return !xchg_acquire(&l->locked, 1UL);
}

static __always_inline void tas_lock(struct tas_lock *l)
{
	unsigned spins = 0;

	while (!tas_trylock(l)) {
		/* Test before test-and-set: no ordering needed, the swap
		 * that follows is the acquisition. */
		while (READ_ONCE(l->locked))
			spin_wait_relax(&spins);
	}
}

static __always_inline void tas_unlock(struct tas_lock *l)
{
	/* Pairs with xchg_acquire() in tas_trylock(). */
	smp_store_release(&l->locked, 0UL);
}

#endif /* FL_SYNC_LOCKS_TAS_H */
