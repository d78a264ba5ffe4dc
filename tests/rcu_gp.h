/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grace-period test of sync/rcu.h, in liburcu's own style
 * (tests/benchmark/test_urcu.c there: readers check that what they
 * dereference is not poisoned, the updater poisons only after
 * synchronize_rcu()), written once and run natively (tests/test_rcu.c,
 * pthreads on liburcu) and on the emulator (tests/emu/test_rcu.c, the
 * vocabulary's memb algorithm).
 *
 * The updater swaps the published pointer between two objects: it revives
 * the spare, publishes it, and poisons the one it replaced, after a grace
 * period (wait) or at once (the negative control, which the reader must
 * catch). The reader, inside one read-side section, dereferences the
 * pointer and checks its object several times; a section during which a
 * publication happened is a racing trial: only those could see a poison.
 */
#ifndef FL_TESTS_RCU_GP_H
#define FL_TESTS_RCU_GP_H

#include <stdbool.h>
#include "sync/rcu.h"

#define GP_LIVE		0x11feUL
#define GP_DEAD		0xdeadUL

struct gp_obj {
	unsigned long state;
} __cacheline_aligned;

struct gp_world {
	struct gp_obj obj[2];
	struct gp_obj *gp __cacheline_aligned;	/* the published pointer */
	unsigned long gen;		/* publications so far */
	unsigned long stop;		/* the updater is done */
	bool wait;			/* a grace period before each poison */
	/* the reader's, read after both threads are done */
	unsigned long trials, racing, poisoned;
};

static inline void gp_world_init(struct gp_world *w, bool wait)
{
	w->obj[0].state = GP_LIVE;
	w->obj[1].state = GP_DEAD;
	w->gp = &w->obj[0];
	w->gen = 0;
	w->stop = 0;
	w->wait = wait;
	w->trials = w->racing = w->poisoned = 0;
}

/* One update: publish the spare, then poison the object it replaced. */
static inline void gp_update(struct gp_world *w)
{
	struct gp_obj *old = LOAD_PLAIN(w->gp), *fresh = old == &w->obj[0] ? &w->obj[1] : &w->obj[0];

	WRITE_ONCE(fresh->state, GP_LIVE);
	rcu_assign_pointer(w->gp, fresh);	/* orders the revival before the pointer */
	WRITE_ONCE(w->gen, LOAD_PLAIN(w->gen) + 1);
	if (w->wait)
		synchronize_rcu();	/* every section that could hold old has ended */
	WRITE_ONCE(old->state, GP_DEAD);
}

/* One read-side section checking its object `checks` times. */
static inline void gp_read(struct gp_world *w, unsigned checks)
{
	unsigned long g0, g1;
	struct gp_obj *p;
	bool bad = false;
	unsigned i;

	rcu_read_lock();
	g0 = READ_ONCE(w->gen);
	p = rcu_dereference(w->gp);
	for (i = 0; i < checks; i++) {
		bad |= READ_DEP(p->state, w->gp) != GP_LIVE;
		cpu_relax();
	}
	g1 = READ_ONCE(w->gen);
	rcu_read_unlock();
	/* Bookkeeping, outside the vocabulary (the updater polls it). */
	__atomic_store_n(&w->trials, w->trials + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&w->racing, w->racing + (g1 != g0), __ATOMIC_RELAXED);
	__atomic_store_n(&w->poisoned, w->poisoned + bad, __ATOMIC_RELAXED);
}

#endif /* FL_TESTS_RCU_GP_H */
