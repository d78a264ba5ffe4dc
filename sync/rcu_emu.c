// SPDX-License-Identifier: GPL-2.0
/*
 * sync/rcu.h in the emulation build (-DFL_EMU): liburcu's memb algorithm
 * (include/urcu/static/urcu-memb.h for the read side, src/urcu.c's
 * synchronize_rcu() and wait_for_readers() for the grace period) written
 * in the barrier vocabulary, so that the emulator sees each of its
 * accesses and orders them as it orders the model's. memb's smp_mb_slave()
 * is a real smp_mb() here: the emulator has no sys_membarrier to do the
 * readers' barriers for them. One memb barrier is left out: the
 * cmm_smp_mb() between the first wait_for_readers() and the phase flip,
 * which liburcu itself calls not formally required; the emulator never
 * lets a load pass a later store, and LKMM orders the wait's exit (a
 * control dependency) before the flip (tests/litmus/rcuemu-2gp-full,
 * Never, with its controls).
 *
 * Each logical thread has one counter word (liburcu's per-thread
 * urcu_memb_reader.ctr), indexed by emu_current_thread(): zero in its low
 * half when it is outside any read-side section, else the nesting depth,
 * with the grace-period phase it entered under in the high half. This
 * state is the emulated machine's, as the emulator's own is (emu/emu.c):
 * one emulated world at a time. A run the livelock guard stops inside
 * synchronize_rcu() leaves gp_lock taken, and later runs that wait for a
 * grace period stop the same way: that run has already failed (-ETIME).
 */
#include <stdlib.h>
#include "../emu/emu.h"
#include "spinlock.h"
#include "rcu.h"

#define GP_COUNT		1UL	/* URCU_GP_COUNT: one nesting level */
#define GP_CTR_PHASE		(1UL << (sizeof(unsigned long) * 4))	/* URCU_GP_CTR_PHASE */
#define GP_CTR_NEST_MASK	(GP_CTR_PHASE - 1)

static struct {
	unsigned long gp_ctr;		/* urcu_memb_gp.ctr: GP_COUNT | the phase */
	spinlock_t gp_lock;		/* rcu_gp_lock: one grace period at a time */
	unsigned long reader[EMU_MAX_THREADS];
} rcu_emu = { .gp_ctr = GP_COUNT };

static unsigned long *my_ctr(void)
{
	unsigned me = emu_current_thread();

	if (me >= EMU_MAX_THREADS)
		abort();	/* emu_run() makes at most EMU_MAX_THREADS */
	return &rcu_emu.reader[me];
}

/* A thread's counter starts quiescent, whatever an earlier run left. */
void rcu_register_thread(void)
{
	WRITE_ONCE(*my_ctr(), 0UL);
}

void rcu_unregister_thread(void)
{
	WRITE_ONCE(*my_ctr(), 0UL);
}

void rcu_read_lock(void)
{
	unsigned long *ctr = my_ctr(), tmp = __READ_ONCE(*ctr);

	if (!(tmp & GP_CTR_NEST_MASK)) {
		/* The outermost section takes the current phase ... */
		WRITE_ONCE(*ctr, READ_ONCE(rcu_emu.gp_ctr));
		/* ... before any of its loads. Pairs with the smp_mb()s
		 * around the phase flip in synchronize_rcu(). */
		smp_mb();
	} else {
		WRITE_ONCE(*ctr, tmp + GP_COUNT);
	}
}

void rcu_read_unlock(void)
{
	unsigned long *ctr = my_ctr(), tmp = __READ_ONCE(*ctr);

	if ((tmp & GP_CTR_NEST_MASK) == GP_COUNT) {
		/* The section's loads before it says it is over. Pairs
		 * with the smp_mb() after the wait in synchronize_rcu(). */
		smp_mb();
	}
	WRITE_ONCE(*ctr, tmp - GP_COUNT);
}

/* urcu_common_reader_state(): in a section entered under the old phase. */
static bool reader_active_old(unsigned i)
{
	unsigned long v = READ_ONCE(rcu_emu.reader[i]);

	return (v & GP_CTR_NEST_MASK) && ((v ^ __READ_ONCE(rcu_emu.gp_ctr)) & GP_CTR_PHASE);
}

/* wait_for_readers(): until no other thread is in a section of the old phase. */
static void wait_for_readers(void)
{
	unsigned i, me = emu_current_thread();

	for (i = 0; i < EMU_MAX_THREADS; i++)
		while (i != me && reader_active_old(i))
			cpu_relax();
}

/*
 * Two phase flips' worth of waiting, as src/urcu.c: first for the readers
 * of the phase before (a section that read gp_ctr just before an earlier
 * flip), then flip and wait for those that entered under the phase now
 * old. A section that began before this call has then ended.
 */
void synchronize_rcu(void)
{
	spin_lock(&rcu_emu.gp_lock);
	/* The updater's stores (the unpublication) before the readers'
	 * counters are read. Pairs with smp_mb() in rcu_read_lock(). */
	smp_mb();
	wait_for_readers();
	WRITE_ONCE(rcu_emu.gp_ctr, __READ_ONCE(rcu_emu.gp_ctr) ^ GP_CTR_PHASE);
	/* The flip before the second wait. Pairs with smp_mb() in rcu_read_lock(). */
	smp_mb();
	wait_for_readers();
	/* The readers' ends before what the updater does next (the
	 * reclamation). Pairs with smp_mb() in rcu_read_unlock(). */
	smp_mb();
	spin_unlock(&rcu_emu.gp_lock);
}
