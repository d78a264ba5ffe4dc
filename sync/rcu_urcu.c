// SPDX-License-Identifier: GPL-2.0
/*
 * sync/rcu.h natively: liburcu's memb flavour (Debian liburcu-dev,
 * <urcu/urcu-memb.h>, linked with -lurcu-memb -lurcu-common). memb is the
 * flavour whose readers pay a full barrier each way (smp_mb_slave(): a
 * real smp_mb() where sys_membarrier is missing, a compiler barrier where
 * the kernel's membarrier lets synchronize_rcu() do the readers' barriers
 * for them) and need no signal and no quiescent-state calls, so it fits
 * a benchmark that cannot make its threads announce quiescence.
 *
 * Out of line, so that liburcu's headers (whose urcu/pointer.h defines its
 * own rcu_dereference() and rcu_assign_pointer()) never meet the
 * vocabulary's: a call around each read-side section natively, where the
 * kernel's rcu_read_lock() is a preempt count.
 */
/* liburcu's read side inline here (its LGPL static inline functions),
 * rather than one more call into the library and its TLS lookup. */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>

/* liburcu's pointer macros, undone: sync/rcu.h has the kernel's. */
#undef rcu_dereference
#undef rcu_assign_pointer
#include "rcu.h"

void rcu_read_lock(void)
{
	urcu_memb_read_lock();
}

void rcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

void synchronize_rcu(void)
{
	urcu_memb_synchronize_rcu();
}

void rcu_register_thread(void)
{
	urcu_memb_register_thread();
}

void rcu_unregister_thread(void)
{
	urcu_memb_unregister_thread();
}
