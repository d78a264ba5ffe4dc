// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator back-end of the interpreter (built with -DFL_EMU): every
 * access is the barrier vocabulary's, and so the emulator's, exactly as
 * sync/arch/emu.h maps it for the strategies: READ_ONCE() is an EMU_ONCE
 * load and the EMU_DEPENDS fence (alpha's mb), a load through a register
 * loaded from S is READ_DEP() with S as its source (the emulator's
 * dependency rule), a spinlock_t is sync/spinlock.h's ticket flavour,
 * explicitly, as in the native back-end. The
 * RMWs the vocabulary lacks (relaxed, release, xchg, and, or, ...) are
 * emu_rmw(). docs/emulation.md, "Running C litmus tests", has the table.
 */
#include <errno.h>
#include <string.h>
#include "emu_backend.h"
#include "run.h"
#include "../emu/emu.h"
#include "../sync/barrier.h"
#include "../sync/spinlock.h"
#include "vocab.h"

#define SETTLE		8	/* scheduling points after a thread's last statement */
#define DELAY_MAX	128	/* before its first, in half the runs */

struct be {
	enum fl_machine m;
};

static unsigned long be_load(void *be, enum lt_access acc, unsigned long *addr,
			     const struct lt_dep *d)
{
	const struct be *b = be;
	unsigned long v;

	/*
	 * A dependency the emulator's rule cannot name (on an older load of
	 * the source, or on several loads): order this load after every
	 * earlier one instead (smp_rmb()), which is stronger. Only on arm64:
	 * tso's loads see the newest write anyway, and alpha orders no
	 * dependency at all.
	 */
	if (d->any && !d->exact && b->m == MACHINE_ARM64)
		smp_rmb();
	switch (acc) {
	case LT_PLAIN:
		return d->src ? emu_load(addr, EMU_DEP, d->src) : LOAD_PLAIN(*addr);
	case LT_ONCE:
		if (!d->src)
			return READ_ONCE(*addr);
		v = READ_DEP(*addr, *(const unsigned long *)d->src);
		smp_read_barrier_depends();	/* the barrier READ_ONCE() carries */
		return v;
	case LT_ACQUIRE:
		/* An acquire through a loaded pointer: ordered after that load too. */
		return d->src ? emu_load(addr, EMU_ACQUIRE, d->src) : smp_load_acquire(addr);
	case LT_RELEASE:
		break;
	}
	return LOAD_PLAIN(*addr);
}

static void be_store(void *be, enum lt_access acc, unsigned long *addr, unsigned long v)
{
	(void)be;
	lt_vocab_store(acc, addr, v);
}

static void be_fence(void *be, enum lt_fence f)
{
	(void)be;
	switch (f) {
	case LT_F_MB:
		smp_mb();
		return;
	case LT_F_WMB:
		smp_wmb();
		return;
	case LT_F_RMB:
		smp_rmb();
		return;
	case LT_F_BEFORE_ATOMIC:
	case LT_F_AFTER_ATOMIC:
	case LT_F_AFTER_SPINLOCK:
	case LT_F_AFTER_UNLOCK_LOCK:
		/*
		 * Full fences: stronger than LKMM's, which order only the
		 * adjacent atomic or lock with what is on the other side.
		 */
		smp_mb();
		return;
	case LT_F_BARRIER:
	case LT_F_RCU_LOCK:
	case LT_F_RCU_UNLOCK:
		/* The compiler is not emulated; without grace periods, a
		 * read-side critical section orders nothing. */
		return;
	}
}

static const enum emu_rmw_op rmw_ops[] = {
	[LT_RMW_ADD] = EMU_RMW_ADD, [LT_RMW_AND] = EMU_RMW_AND, [LT_RMW_OR] = EMU_RMW_OR,
	[LT_RMW_XOR] = EMU_RMW_XOR, [LT_RMW_ANDNOT] = EMU_RMW_ANDNOT,
	[LT_RMW_XCHG] = EMU_RMW_XCHG, [LT_RMW_CMPXCHG] = EMU_RMW_CMPXCHG,
	[LT_RMW_ADD_UNLESS] = EMU_RMW_ADD_UNLESS,
};

static const enum emu_order rmw_orders[] = {
	[LT_RELAXED] = EMU_ORDER_RELAXED, [LT_ACQ] = EMU_ORDER_ACQUIRE,
	[LT_REL] = EMU_ORDER_RELEASE, [LT_MB] = EMU_ORDER_FULL,
};

static unsigned long be_rmw(void *be, enum lt_rmw_op op, enum lt_order ord, unsigned long *addr,
			    unsigned long v, unsigned long cmp, bool *ok)
{
	(void)be;
	return emu_rmw(addr, rmw_ops[op], v, cmp, rmw_orders[ord], ok);
}

static void be_lock(void *be, void *l)
{
	(void)be;
	spin_lock(l);
}

static void be_unlock(void *be, void *l)
{
	(void)be;
	spin_unlock(l);
}

static bool be_trylock(void *be, void *l)
{
	(void)be;
	return spin_trylock(l);
}

static bool be_is_locked(void *be, void *lp)
{
	spinlock_t *l = lp;

	(void)be;
	return READ_ONCE(l->ticket.owner) != READ_ONCE(l->ticket.next);
}

static const struct lt_ops ops = {
	.load = be_load, .store = be_store, .fence = be_fence, .rmw = be_rmw,
	.lock = be_lock, .unlock = be_unlock, .trylock = be_trylock, .is_locked = be_is_locked,
};

/* The locations, one word or one spinlock_t each; the same memory every run. */
static union slot {
	unsigned long word;
	spinlock_t lock;
} mem[LT_MAX_LOCS];

static struct lt_thread_run runs[LT_MAX_THREADS];
static struct lt_regs regs[LT_MAX_THREADS];
static int rcs[LT_MAX_THREADS];
static unsigned delay[LT_MAX_THREADS];

/* splitmix64: the start delays, a function of the seed alone. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void thread_fn(void *arg)
{
	struct lt_thread_run *x = arg;
	unsigned i;

	/*
	 * A start delay: scheduling points before the first statement, so
	 * that every order of the threads' starts is common, not only the
	 * ones random switching gives (a thread with a few statements rarely
	 * starts after another has finished). Only a scheduling choice: it
	 * allows no state the model does not.
	 */
	for (i = 0; i < delay[x->tid]; i++)
		cpu_relax();
	rcs[x->tid] = lt_run_thread(x);
	/*
	 * A few scheduling points after the last statement, where buffered
	 * stores leave in any order the model allows; without them the end
	 * of the run would commit them in program order, thread by thread,
	 * and final-value shapes (2+2W) could not show.
	 */
	for (i = 0; i < SETTLE; i++)
		cpu_relax();
}

/* Trace names: the location, and the two words of a lock. */
static void namer(const void *addr, char *buf, size_t n, void *ctx)
{
	const struct lt_test *t = ctx;
	unsigned i;

	for (i = 0; i < t->nlocs; i++) {
		if (addr == &mem[i].word && !t->loc[i].lock)
			snprintf(buf, n, "%s", t->loc[i].name);
		else if (addr == &mem[i].lock.ticket.next && t->loc[i].lock)
			snprintf(buf, n, "%s.next", t->loc[i].name);
		else if (addr == &mem[i].lock.ticket.owner && t->loc[i].lock)
			snprintf(buf, n, "%s.owner", t->loc[i].name);
		else
			continue;
		return;
	}
	snprintf(buf, n, "%p", addr);
}

int lt_emu_run(const struct lt_test *t, enum fl_machine m, uint64_t seed, struct lt_final *f,
	       char *fault, size_t faultlen, FILE *trace)
{
	struct emu_config c = { .model = m, .seed = seed, .max_steps = LT_EMU_MAX_STEPS };
	struct lt_inst inst;
	emu_fn fn[LT_MAX_THREADS];
	void *arg[LT_MAX_THREADS];
	struct be be = { m };
	unsigned i, k;
	int err;

	for (i = 0; i < t->nlocs; i++)
		inst.addr[i] = t->loc[i].lock ? (void *)&mem[i].lock : (void *)&mem[i].word;
	/* Memory holds the initial state; the emulator takes it as each
	 * location's write at time 0. */
	for (i = 0; i < t->nlocs; i++) {
		if (t->loc[i].lock)
			spin_lock_init(&mem[i].lock, FL_LOCK_TICKET);
		else
			mem[i].word = lt_init_word(t, &inst, i);
	}
	for (i = 0; i < t->nthreads; i++) {
		lt_regs_init(t, i, &inst, &regs[i]);
		runs[i] = (struct lt_thread_run){ .t = t, .tid = i, .inst = &inst, .regs = &regs[i],
						  .ops = &ops, .be = &be };
		rcs[i] = 0;
		k = (unsigned)mix(seed * LT_MAX_THREADS + i);
		delay[i] = k & 1 ? 0 : (k >> 1) % DELAY_MAX;
		fn[i] = thread_fn;
		arg[i] = &runs[i];
	}
	emu_set_namer(namer, (void *)t);
	err = emu_run(&c, t->nthreads, fn, arg);
	if (trace) {
		fprintf(trace, "Events (the last 256 at most; the run took %llu steps):\n",
			(unsigned long long)emu_steps());
		emu_dump_trace(trace, 256);
	}
	emu_set_namer(NULL, NULL);
	if (err)
		return err;
	for (i = 0; i < t->nthreads; i++) {
		if (rcs[i]) {
			snprintf(fault, faultlen, "%s", runs[i].fault);
			return 1;
		}
	}
	/* The run is over: memory holds every store (emu_run() drained them). */
	for (i = 0; i < t->nthreads; i++)
		for (k = 0; k < t->th[i].nregs; k++)
			f->reg[i][k] = lt_canon(t, &inst, regs[i].val[k]);
	for (i = 0; i < t->nlocs; i++)
		f->loc[i] = t->loc[i].lock ?
			(struct lt_value){ false, mem[i].lock.ticket.next != mem[i].lock.ticket.owner } :
			lt_canon(t, &inst, (long)mem[i].word);
	return 0;
}
