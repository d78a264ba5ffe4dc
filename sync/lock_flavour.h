/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock flavours a spinlock_t can be (sync/spinlock.h, sync/locks/):
 * their names and descriptions, defined here once (the --lock= options,
 * the results' `lock` context key, describe.json's "locks",
 * faultline-lockbench), and which of them the emulation and recording
 * builds can run.
 */
#ifndef FL_SYNC_LOCK_FLAVOUR_H
#define FL_SYNC_LOCK_FLAVOUR_H

#include <stddef.h>
#include <string.h>

/* X(ENUM, name, description); the first is the default (zero). */
#define FL_LOCK_LIST(X)							\
	X(QSPINLOCK, "qspinlock", "the kernel's queued spinlock: cmpxchg fast path, pending " \
	  "bit, MCS queue (kernel/locking/qspinlock.c)")		\
	X(TICKET, "ticket", "the x86 ticket lock of 2.6.25-4.1: fetch-and-add a ticket, " \
	  "wait for the owner field")					\
	X(TAS, "tas", "test-and-test-and-set: xchg_acquire, spin on a load, release store") \
	X(PTHREAD, "pthread", "pthread_mutex_t, glibc's default mutex (native builds only)")

#define FL_LOCK_ENUM(e, n, d)	FL_LOCK_##e,
enum fl_lock { FL_LOCK_LIST(FL_LOCK_ENUM) FL_NR_LOCKS };
#undef FL_LOCK_ENUM

#define FL_LOCK_DEFAULT	FL_LOCK_QSPINLOCK

#define FL_LOCK_BAR(e, n, d)	"|" n
/* "qspinlock|ticket|tas|pthread": an option's metavar */
#define FL_LOCK_METAVAR		(&(FL_LOCK_LIST(FL_LOCK_BAR))[1])

#define FL_LOCK_NAME(e, n, d)	n,
/* NULL-terminated, in enum order: an option's choices. Static in a header:
 * compilers do not call it unused there. */
static const char *const fl_lock_names[FL_NR_LOCKS + 1] = { FL_LOCK_LIST(FL_LOCK_NAME) NULL };
#undef FL_LOCK_NAME

static inline const char *fl_lock_desc(enum fl_lock k)
{
#define FL_LOCK_DESC(e, n, d)	d,
	static const char *const desc[FL_NR_LOCKS] = { FL_LOCK_LIST(FL_LOCK_DESC) };
#undef FL_LOCK_DESC
	return desc[k];
}

/* Why the emulation/recording builds cannot run flavour k, or NULL. */
static inline const char *fl_lock_opaque(enum fl_lock k)
{
	return k == FL_LOCK_PTHREAD ? "a pthread_mutex_t is opaque: its accesses cannot be emulated"
				    : NULL;
}

/* The flavour named s, or -1. */
static inline int fl_lock_find(const char *s)
{
	int i;

	for (i = 0; i < FL_NR_LOCKS; i++)
		if (!strcmp(s, fl_lock_names[i]))
			return i;
	return -1;
}

#endif /* FL_SYNC_LOCK_FLAVOUR_H */
