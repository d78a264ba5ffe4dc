/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t as the x86 ticket lock the kernel used before qspinlock
 * (arch/x86/include/asm/spinlock.h, 2.6.25-4.1): take a ticket with a fetch-and-add
 * (an ACQUIRE, as arm64's ldaxr/stxr ticket lock was), wait until the owner field reaches it (ACQUIRE),
 * release by advancing the owner (RELEASE). FIFO fair, one cache line.
 *
 * It is written with the barrier vocabulary rather than taken from ck's
 * ck_spinlock_ticket for two reasons: the emulation build must see lock
 * acquisition and release as ordinary instrumented accesses, and a user-space
 * waiter cannot disable preemption as the kernel does, so after a bounded spin
 * it yields the CPU; without that, a preempted next-in-line waiter stalls every
 * other waiter for a whole time slice when threads outnumber CPUs.
 *
 * spin_lock() is an ACQUIRE and spin_unlock() a RELEASE, no more: a store
 * before the lock may still pass a store inside it (Documentation/
 * memory-barriers.txt: "*A = a; LOCK; UNLOCK; *B = b" may appear as
 * "LOCK, STORE *B, STORE *A, UNLOCK").
 *
 * spin_lock_stat() first tries the lock; only when that fails does it read
 * the clock around the wait, so uncontended acquisitions cost nothing extra.
 */
#ifndef FL_SYNC_SPINLOCK_H
#define FL_SYNC_SPINLOCK_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "barrier.h"

#define SPIN_YIELD_AFTER	1024	/* cpu_relax() rounds before sched_yield() */

typedef struct {
	unsigned long next;	/* next ticket to hand out */
	unsigned long owner;	/* ticket now holding the lock */
} spinlock_t;

struct lock_stat {
	uint64_t contended;	/* acquisitions that had to wait */
	uint64_t wait_ns;	/* time spent waiting in those */
};

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

#ifdef FL_RECORD
/*
 * The recording build (arch/record.h) sees a lock as one lock and one
 * unlock event, which litmusgen/ writes as LKMM's spin_lock() and
 * spin_unlock(); its paths run one at a time, so every lock is free.
 */
static __always_inline void spin_lock(spinlock_t *l)
{
	rec_lock(l);
}

static __always_inline bool spin_trylock(spinlock_t *l)
{
	rec_lock(l);
	return true;
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	rec_unlock(l);
}
#else /* !FL_RECORD */
static __always_inline void spin_lock(spinlock_t *l)
{
	unsigned long ticket = fetch_add_acquire(&l->next, 1UL);
	unsigned spins = 0;

	/* Pairs with smp_store_release() in spin_unlock(). */
	while (smp_load_acquire(&l->owner) != ticket) {
		cpu_relax();
		if (++spins == SPIN_YIELD_AFTER) {
			spins = 0;
			sched_yield();
		}
	}
}

/*
 * The lock is free when next == owner. The load of owner must itself be an
 * ACQUIRE: the cmpxchg_acquire() below is on another word (next), so it
 * orders the critical section only after its own read of next, and that
 * read may return the ticket the previous holder took when it LOCKED, long
 * before its critical-section stores. What the previous holder RELEASED is
 * owner: reading it with smp_load_acquire() (which pairs with the
 * smp_store_release() in spin_unlock()) is what makes its critical section
 * visible to ours. The kernel's ticket locks get the same ordering by
 * loading both halves as one acquired word (arm64's ldaxr of the whole
 * lock, before qspinlock); a READ_ONCE() of owner here was MP+po+acquire on
 * arm64, Sometimes (tests/emu: the split trylock control).
 */
static __always_inline bool spin_trylock(spinlock_t *l)
{
	/* Pairs with smp_store_release() in spin_unlock(). */
	unsigned long owner = smp_load_acquire(&l->owner);
	unsigned long expect = owner;

	/* Only when nobody holds or waits: next == owner. Mutual exclusion
	 * comes from this compare-and-swap: ticket `owner` is ours alone. */
	return try_cmpxchg_acquire(&l->next, &expect, owner + 1);
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	/* Pairs with smp_load_acquire() in spin_lock(). */
	smp_store_release(&l->owner, LOAD_PLAIN(l->owner) + 1);
}
#endif /* FL_RECORD */

static __always_inline uint64_t fl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static __always_inline void spin_lock_stat(spinlock_t *l, struct lock_stat *st)
{
	uint64_t t0;

	if (likely(spin_trylock(l)))
		return;
	t0 = fl_now_ns();
	spin_lock(l);
	st->contended++;
	st->wait_ns += fl_now_ns() - t0;
}

#endif /* FL_SYNC_SPINLOCK_H */
