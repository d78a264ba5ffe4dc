/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t: one of the lock flavours of sync/locks/, chosen per lock at
 * spin_lock_init() (the model takes it from struct mm_config's lock,
 * faultline's --lock=; sync/lock_flavour.h names them). The default, the
 * zero flavour, is the kernel's queued spinlock; the others are the
 * ticket lock the kernel had before it, test-and-test-and-set, and a
 * pthread_mutex_t (native builds only). Each is written with the barrier
 * vocabulary (but the mutex), so the emulation build sees every access.
 *
 * spin_lock() is an ACQUIRE and spin_unlock() a RELEASE, no more, in every
 * flavour: a store before the lock may still pass a store inside it
 * (Documentation/memory-barriers.txt: "*A = a; LOCK; UNLOCK; *B = b" may
 * appear as "LOCK, STORE *B, STORE *A, UNLOCK"). spin_trylock() is an
 * ACQUIRE when it succeeds (each flavour's comment says what it pairs
 * with; the ticket lock's is the subtle one).
 *
 * spin_lock_stat() first tries the lock; only when that fails does it read
 * the clock around the wait, so uncontended acquisitions cost nothing extra.
 */
#ifndef FL_SYNC_SPINLOCK_H
#define FL_SYNC_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "barrier.h"
#include "lock_flavour.h"
#ifdef FL_RECORD
/* The recording build records a lock as an event (below), never its
 * accesses: a lock is only an address there. */
typedef struct {
	unsigned long flavour;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l, enum fl_lock flavour)
{
	l->flavour = flavour;
}
#else /* !FL_RECORD */
#include "locks/qspinlock.h"
#include "locks/ticket.h"
#include "locks/tas.h"
#ifndef FL_EMU
#include "locks/mutex.h"
#endif

typedef struct {
	union {
		struct qspinlock q;
		struct ticket_lock ticket;
		struct tas_lock tas;
#ifndef FL_EMU
		pthread_mutex_t mutex;
#endif
	};
	/* enum fl_lock, set once by spin_lock_init(): zeroed memory is an
	 * unlocked queued spinlock. Read as plain C, as it never changes. */
	unsigned long flavour;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l, enum fl_lock flavour)
{
	l->flavour = flavour;
	switch (flavour) {
	case FL_LOCK_TICKET:
		ticket_lock_init(&l->ticket);
		break;
	case FL_LOCK_TAS:
		tas_lock_init(&l->tas);
		break;
	case FL_LOCK_PTHREAD:
#ifndef FL_EMU
		mutex_lock_init(&l->mutex);
		break;
#else
		/* The emulator's options reject it first (fl_lock_opaque()). */
		fprintf(stderr, "spin_lock_init: %s\n", fl_lock_opaque(flavour));
		abort();
#endif
	default:
		queued_spin_lock_init(&l->q);
		break;
	}
}
#endif /* FL_RECORD */

struct lock_stat {
	uint64_t contended;	/* acquisitions that had to wait */
	uint64_t wait_ns;	/* time spent waiting in those */
};

#ifdef FL_RECORD
/*
 * The recording build (arch/record.h) sees a lock as one lock and one
 * unlock event, whatever its flavour, which litmusgen/ writes as LKMM's
 * spin_lock() and spin_unlock(); its paths run one at a time, so every
 * lock is free.
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
	switch (l->flavour) {
	case FL_LOCK_TICKET:
		ticket_lock(&l->ticket);
		return;
	case FL_LOCK_TAS:
		tas_lock(&l->tas);
		return;
#ifndef FL_EMU
	case FL_LOCK_PTHREAD:
		mutex_lock(&l->mutex);
		return;
#endif
	default:
		queued_spin_lock(&l->q);
		return;
	}
}

static __always_inline bool spin_trylock(spinlock_t *l)
{
	switch (l->flavour) {
	case FL_LOCK_TICKET:
		return ticket_trylock(&l->ticket);
	case FL_LOCK_TAS:
		return tas_trylock(&l->tas);
#ifndef FL_EMU
	case FL_LOCK_PTHREAD:
		return mutex_trylock(&l->mutex);
#endif
	default:
		return queued_spin_trylock(&l->q);
	}
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	switch (l->flavour) {
	case FL_LOCK_TICKET:
		ticket_unlock(&l->ticket);
		return;
	case FL_LOCK_TAS:
		tas_unlock(&l->tas);
		return;
#ifndef FL_EMU
	case FL_LOCK_PTHREAD:
		mutex_unlock(&l->mutex);
		return;
#endif
	default:
		queued_spin_unlock(&l->q);
		return;
	}
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
