/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock flavours a spinlock_t can be (sync/spinlock.h, sync/locks/):
 * their names, defined here once (faultline --lock=, the results' `lock`
 * context key, describe.json's "locks", faultline-lockbench), and which
 * of them the emulation and recording builds can run.
 */
#ifndef FL_SYNC_LOCK_FLAVOUR_H
#define FL_SYNC_LOCK_FLAVOUR_H

#include <stddef.h>
#include <string.h>

enum fl_lock {
	FL_LOCK_QSPINLOCK,	/* the kernel's queued spinlock: the default (zero) */
	FL_LOCK_TICKET,		/* the x86 ticket lock of 2.6.25-4.1 */
	FL_LOCK_TAS,		/* test-and-test-and-set */
	FL_LOCK_PTHREAD,	/* pthread_mutex_t: native only */
	FL_NR_LOCKS
};

#define FL_LOCK_DEFAULT	FL_LOCK_QSPINLOCK

/* NULL-terminated, in enum order: a --lock= option's choices. */
static inline const char *const *fl_lock_names(void)
{
	static const char *const names[FL_NR_LOCKS + 1] = {
		[FL_LOCK_QSPINLOCK] = "qspinlock",
		[FL_LOCK_TICKET] = "ticket",
		[FL_LOCK_TAS] = "tas",
		[FL_LOCK_PTHREAD] = "pthread",
	};
	return names;
}

static inline const char *fl_lock_desc(enum fl_lock k)
{
	static const char *const desc[FL_NR_LOCKS] = {
		[FL_LOCK_QSPINLOCK] = "queued spinlock: cmpxchg fast path, pending bit, MCS queue "
				      "(kernel/locking/qspinlock.c)",
		[FL_LOCK_TICKET] = "ticket lock: fetch-and-add a ticket, wait for the owner field "
				   "(x86, 2.6.25-4.1)",
		[FL_LOCK_TAS] = "test-and-test-and-set: xchg_acquire, spin on a load, release store",
		[FL_LOCK_PTHREAD] = "pthread_mutex_t (glibc's default mutex; may sleep in futex)",
	};
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
		if (!strcmp(s, fl_lock_names()[i]))
			return i;
	return -1;
}

#endif /* FL_SYNC_LOCK_FLAVOUR_H */
