/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interpreter of a parsed litmus test's threads (run.c), neutral
 * between its two back-ends: every access, fence, RMW and lock goes
 * through struct lt_ops, which emu_backend.c implements on the emulator
 * and native_backend.c with the barrier vocabulary on this machine.
 *
 * Registers carry, beside their value, the load their value came from, so
 * that a load through a pointer register is an address dependency on that
 * load (struct lt_dep): the emulator orders it by its dependency rule; the
 * hardware sees the dependency through the interpreter's register file.
 */
#ifndef FL_CLITMUS_RUN_H
#define FL_CLITMUS_RUN_H

#include "litmus.h"

/* One copy of a test's locations: where each lives (a word, or a spinlock_t). */
struct lt_inst {
	void *addr[LT_MAX_LOCS];
};

/*
 * The address dependency of a load: none (any false); on the load of src
 * (exact: the register's value came from this thread's latest load of src,
 * which is the one the emulator's rule orders after); or on something the
 * rule cannot name (several loads, or an older load of src), for which a
 * back-end must order at least as much.
 */
struct lt_dep {
	bool any, exact;
	const void *src;
};

struct lt_ops {
	unsigned long (*load)(void *be, enum lt_access acc, unsigned long *addr,
			      const struct lt_dep *dep);
	void (*store)(void *be, enum lt_access acc, unsigned long *addr, unsigned long v);
	void (*fence)(void *be, enum lt_fence f);
	/* Returns the value read; *ok: it wrote (cmpxchg, add_unless may not). */
	unsigned long (*rmw)(void *be, enum lt_rmw_op op, enum lt_order ord, unsigned long *addr,
			     unsigned long v, unsigned long cmp, bool *ok);
	void (*lock)(void *be, void *lock);
	void (*unlock)(void *be, void *lock);
	bool (*trylock)(void *be, void *lock);
	bool (*is_locked)(void *be, void *lock);
};

/* A thread's register file. */
struct lt_regs {
	long val[LT_MAX_REGS];
	signed char src[LT_MAX_REGS];	/* the location its value was loaded from; -1 none, -2 several */
	unsigned gen[LT_MAX_REGS];	/* which load of that location */
};

/* One thread of the test on one instance. */
struct lt_thread_run {
	const struct lt_test *t;
	unsigned tid;
	const struct lt_inst *inst;
	struct lt_regs *regs;
	const struct lt_ops *ops;
	void *be;
	unsigned loads[LT_MAX_LOCS];	/* this thread's loads of each location so far */
	unsigned fault_line;
	char fault[160];		/* why the thread stopped early */
};

/* The initial registers of thread tid on inst (herd7's "N:reg=value"). */
void lt_regs_init(const struct lt_test *t, unsigned tid, const struct lt_inst *inst,
		  struct lt_regs *r);
/* The initial word of location i on inst: its value, or the address it points to. */
unsigned long lt_init_word(const struct lt_test *t, const struct lt_inst *inst, unsigned i);
/*
 * Run the thread's statements. 0, or -1 when it had to stop: a load or
 * store through a value that is no location of inst, a lock operation on
 * a word (x->fault says which, at x->fault_line).
 */
int lt_run_thread(struct lt_thread_run *x);
/* The value an RMW op writes over cur with operand v (xchg, cmpxchg: v). */
unsigned long lt_rmw_value(enum lt_rmw_op op, unsigned long cur, unsigned long v);

/* A value of inst, as a state shows it: a location's name for its address. */
struct lt_value lt_canon(const struct lt_test *t, const struct lt_inst *inst, long v);

#endif /* FL_CLITMUS_RUN_H */
