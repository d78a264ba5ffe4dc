/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pthread_mutex_t as a flavour: glibc's default mutex (a futex word; a
 * waiter that loses a short spin sleeps in the kernel), taken and released
 * with pthread_mutex_lock()/unlock(), whose acquire/release ordering POSIX
 * gives (Base Definitions 4.12, "Memory Synchronization"). Native builds
 * only: its accesses are glibc's, so the emulator cannot see them and the
 * emulation and recording builds reject it (fl_lock_opaque()). No
 * oversubscription guard is needed: a waiter sleeps rather than spins.
 */
#ifndef FL_SYNC_LOCKS_MUTEX_H
#define FL_SYNC_LOCKS_MUTEX_H

#if defined(FL_EMU) || defined(FL_RECORD)
#error "sync/locks/mutex.h: a pthread_mutex_t cannot be emulated or recorded"
#endif

#include <pthread.h>
#include <stdbool.h>

static inline void mutex_lock_init(pthread_mutex_t *m)
{
	pthread_mutex_init(m, NULL);
}

static __always_inline void mutex_lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
}

static __always_inline bool mutex_trylock(pthread_mutex_t *m)
{
	return !pthread_mutex_trylock(m);
}

static __always_inline void mutex_unlock(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}

#endif /* FL_SYNC_LOCKS_MUTEX_H */
