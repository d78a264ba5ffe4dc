/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few atomic_t operations the model needs, with the ordering that
 * Documentation/atomic_t.txt gives them: atomic_read/atomic_set are
 * READ_ONCE/WRITE_ONCE, value-returning RMWs are fully ordered, and a
 * conditional RMW that fails is unordered.
 */
#ifndef FL_SYNC_ATOMIC_H
#define FL_SYNC_ATOMIC_H

#include <stdbool.h>
#include "barrier.h"

typedef struct {
	long counter;
} atomic_t;

static __always_inline long atomic_read(const atomic_t *v)
{
	return READ_ONCE(v->counter);
}

static __always_inline void atomic_set(atomic_t *v, long i)
{
	WRITE_ONCE(v->counter, i);
}

/* Fully ordered on success: pairs with the zap side's smp_mb() after the
 * pte clear (the SB-shaped pin-vs-clear handshake of mm/gup.c). */
static __always_inline bool atomic_inc_not_zero(atomic_t *v)
{
	long c = __READ_ONCE(v->counter);

	do {
		if (unlikely(c == 0))
			return false;
	} while (!try_cmpxchg(&v->counter, &c, c + 1));
	smp_mb__after_atomic();
	return true;
}

/* Fully ordered, as atomic_dec_return() is. */
static __always_inline long atomic_dec_return(atomic_t *v)
{
	long r = fetch_add(&v->counter, -1L) - 1;

	smp_mb__after_atomic();
	return r;
}

static __always_inline long atomic_inc_return(atomic_t *v)
{
	long r = fetch_add(&v->counter, 1L) + 1;

	smp_mb__after_atomic();
	return r;
}

#endif /* FL_SYNC_ATOMIC_H */
