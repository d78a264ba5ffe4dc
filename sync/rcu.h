/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU, as the vocabulary's one piece for it: the pointer accessors of
 * include/linux/rcupdate.h, read-side critical sections and grace periods.
 *
 *   rcu_assign_pointer(p, v)  smp_store_release(&p, v): "ensuring that any
 *                             concurrent RCU readers will see any prior
 *                             initialization" (rcupdate.h; a constant NULL
 *                             is a WRITE_ONCE() there, never stored here)
 *   rcu_dereference(p)        READ_ONCE(p): orders the loads whose address
 *                             depends on the value (alpha: READ_ONCE()'s "mb"),
 *                             and nothing else
 *   rcu_read_lock()/unlock()  a read-side critical section
 *   synchronize_rcu()         returns once every read-side critical section
 *                             that began before it has ended
 *   rcu_register_thread()     a thread that enters read-side sections
 *   rcu_unregister_thread()   registers before its first and unregisters
 *                             before it exits (liburcu's rule; the kernel's
 *                             CPUs need none)
 *
 * Three back-ends, as for the rest of the vocabulary:
 *   native    liburcu's memb flavour (sync/rcu_urcu.c, <urcu/urcu-memb.h>),
 *             out of line: this header never includes liburcu's, so the
 *             cross builds of the strategies need no liburcu
 *   -DFL_EMU  the same algorithm written in the vocabulary (sync/rcu_emu.c),
 *             so that the weak-memory emulator sees every access it makes
 *   -DFL_RECORD  LKMM's own rcu_read_lock(), rcu_read_unlock() and
 *             synchronize_rcu() events (litmusgen/record.c), which
 *             litmusgen/render.c writes into the derived herd7 C
 */
#ifndef FL_SYNC_RCU_H
#define FL_SYNC_RCU_H

#include "barrier.h"

#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define rcu_dereference(p)		READ_ONCE(p)

#ifdef FL_RECORD
static __always_inline void rcu_read_lock(void)
{
	rec_fence(REC_RCU_READ_LOCK);
}
static __always_inline void rcu_read_unlock(void)
{
	rec_fence(REC_RCU_READ_UNLOCK);
}
static __always_inline void synchronize_rcu(void)
{
	rec_fence(REC_SYNCHRONIZE_RCU);
}
/* The recorder's roles each run on their own CPU: nothing to register. */
static __always_inline void rcu_register_thread(void) { }
static __always_inline void rcu_unregister_thread(void) { }
#else
void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void rcu_register_thread(void);
void rcu_unregister_thread(void);
#endif

#endif /* FL_SYNC_RCU_H */
