/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oversubscription guard every spinning flavour's waits share. A
 * user-space waiter cannot disable preemption as the kernel's does, so
 * after a bounded spin it yields the CPU: without that, a preempted lock
 * holder (every flavour), next-in-line ticket holder (ticket) or MCS queue
 * head or link (qspinlock) stalls every other waiter for a whole time
 * slice when threads outnumber CPUs. Each wait loop of sync/locks/ calls
 * spin_wait_relax() once per round in place of cpu_relax(); below
 * SPIN_YIELD_AFTER rounds it is cpu_relax() and nothing else, so an
 * uncontended or briefly contended lock never reaches sched_yield().
 */
#ifndef FL_SYNC_LOCKS_SPIN_WAIT_H
#define FL_SYNC_LOCKS_SPIN_WAIT_H

#include <sched.h>
#include "../barrier.h"

#define SPIN_YIELD_AFTER	1024	/* cpu_relax() rounds before sched_yield() */

static __always_inline void spin_wait_relax(unsigned *spins)
{
	cpu_relax();
	if (unlikely(++*spins == SPIN_YIELD_AFTER)) {
		*spins = 0;
		sched_yield();
	}
}

#endif /* FL_SYNC_LOCKS_SPIN_WAIT_H */
