/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t on ck's ticket lock, the scheme x86 used before qspinlock
 * (arch/x86/include/asm/spinlock.h, 2.6.25-4.1): FIFO fair, one cache line.
 * spin_lock() is an ACQUIRE and spin_unlock() a RELEASE, no more: a store
 * before the lock may still pass a store inside it (see the "LOCK; UNLOCK"
 * note in Documentation/memory-barriers.txt).
 *
 * spin_lock_stat() first tries the lock; only when that fails does it read
 * the clock around the wait, so uncontended acquisitions cost nothing extra.
 */
#ifndef FL_SYNC_SPINLOCK_H
#define FL_SYNC_SPINLOCK_H

#include <stdint.h>
#include <time.h>
#include <ck_spinlock.h>
#include "compiler.h"

typedef struct {
	ck_spinlock_ticket_t lock;
} spinlock_t;

struct lock_stat {
	uint64_t contended;	/* acquisitions that had to wait */
	uint64_t wait_ns;	/* time spent waiting in those */
};

static inline void spin_lock_init(spinlock_t *l)
{
	ck_spinlock_ticket_init(&l->lock);
}

static __always_inline void spin_lock(spinlock_t *l)
{
	ck_spinlock_ticket_lock(&l->lock);
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	ck_spinlock_ticket_unlock(&l->lock);
}

static __always_inline uint64_t fl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static __always_inline void spin_lock_stat(spinlock_t *l, struct lock_stat *st)
{
	uint64_t t0;

	if (likely(ck_spinlock_ticket_trylock(&l->lock)))
		return;
	t0 = fl_now_ns();
	ck_spinlock_ticket_lock(&l->lock);
	st->contended++;
	st->wait_ns += fl_now_ns() - t0;
}

#endif /* FL_SYNC_SPINLOCK_H */
