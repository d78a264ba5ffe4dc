/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording back-end of the barrier vocabulary (sync/barrier.h includes
 * it when built with -DFL_RECORD): each name becomes a call into the
 * recorder, litmusgen/record.c, which performs the access on memory,
 * notes what it was (which primitive, which word, which value, which load
 * an address came from) and, for the words a litmus shape is about, may
 * return another value than memory holds, so that one sequential run of a
 * path can be replayed as each of the executions a concurrent reader could
 * see. litmusgen/ turns what it records into the LKMM litmus tests in
 * litmus/ (docs/design.md §7).
 *
 * Locks are recorded as locks (sync/spinlock.h calls rec_lock() and
 * rec_unlock() in this build), not as the ticket lock's accesses: LKMM has
 * its own spin_lock(), and the ticket lock's ordering is checked by its own
 * tests (tests/litmus/ISA2+ticketlocks.litmus and the MP+ticketlock ones).
 */
#ifndef FL_SYNC_ARCH_RECORD_H
#define FL_SYNC_ARCH_RECORD_H

#include <stdbool.h>

/* What an access is, in the vocabulary's own names. */
enum rec_kind {
	REC_PLAIN,		/* LOAD_PLAIN / STORE_PLAIN */
	REC_ONCE,		/* READ_ONCE / WRITE_ONCE */
	REC_ONCE_NODEP,		/* __READ_ONCE: READ_ONCE without alpha's barrier */
	REC_DEP,		/* READ_DEP: its address comes from the last load of src */
	REC_ACQUIRE,		/* smp_load_acquire */
	REC_RELEASE,		/* smp_store_release */
};

enum rec_fence {
	REC_MB,			/* smp_mb */
	REC_WMB,		/* smp_wmb */
	REC_RMB,		/* smp_rmb */
	REC_MB_AFTER_ATOMIC,	/* smp_mb__after_atomic */
	REC_DEPENDS,		/* smp_read_barrier_depends */
	/* LKMM's RCU events (sync/rcu.h), recorded where the path makes them */
	REC_RCU_READ_LOCK,	/* rcu_read_lock */
	REC_RCU_READ_UNLOCK,	/* rcu_read_unlock */
	REC_SYNCHRONIZE_RCU,	/* synchronize_rcu */
};

unsigned long rec_load(const void *addr, enum rec_kind k, const void *src);
void rec_store(void *addr, unsigned long v, enum rec_kind k);
void rec_fence(enum rec_fence f);
bool rec_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full);
unsigned long rec_fetch_add(void *addr, unsigned long v, bool full);
void rec_relax(void);
void rec_lock(void *lock);
void rec_unlock(void *lock);

#define FL_ARCH_NAME	"record"

#define __rec_word(x)							\
	_Static_assert(sizeof(x) == sizeof(unsigned long), "recorded accesses are words")

#define __rec_load(x, kind, src)					\
({									\
	__rec_word(x);							\
	(__typeof__(x))rec_load((const void *)&(x), kind, (const void *)(src)); \
})

#define __rec_store(x, v, kind)						\
do {									\
	__rec_word(x);							\
	rec_store((void *)&(x), (unsigned long)(v), kind);		\
} while (0)

#define __READ_ONCE(x)		__rec_load(x, REC_ONCE_NODEP, NULL)
#define READ_ONCE(x)		__rec_load(x, REC_ONCE, NULL)
#define WRITE_ONCE(x, v)	__rec_store(x, v, REC_ONCE)
#define LOAD_PLAIN(x)		__rec_load(x, REC_PLAIN, NULL)
#define STORE_PLAIN(x, v)	__rec_store(x, v, REC_PLAIN)
#define READ_DEP(x, src)	__rec_load(x, REC_DEP, &(src))

#define smp_mb()		rec_fence(REC_MB)
#define smp_wmb()		rec_fence(REC_WMB)
#define smp_rmb()		rec_fence(REC_RMB)
#define smp_mb__after_atomic()	rec_fence(REC_MB_AFTER_ATOMIC)
#define smp_read_barrier_depends() rec_fence(REC_DEPENDS)
#define smp_store_release(p, v)	__rec_store(*(p), v, REC_RELEASE)
#define smp_load_acquire(p)	__rec_load(*(p), REC_ACQUIRE, NULL)

#define try_cmpxchg(p, oldp, new)					\
	rec_cmpxchg((void *)(p), (unsigned long *)(oldp), (unsigned long)(new), true)
#define try_cmpxchg_acquire(p, oldp, new)				\
	rec_cmpxchg((void *)(p), (unsigned long *)(oldp), (unsigned long)(new), false)
#define fetch_add(p, v)							\
	((__typeof__(*(p)))rec_fetch_add((void *)(p), (unsigned long)(v), true))
#define fetch_add_acquire(p, v)						\
	((__typeof__(*(p)))rec_fetch_add((void *)(p), (unsigned long)(v), false))

#define cpu_relax()		rec_relax()

#endif /* FL_SYNC_ARCH_RECORD_H */
