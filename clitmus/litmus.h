/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A herd7 C litmus test, parsed: the subset the Linux kernel's
 * tools/memory-model/litmus-tests and this project's litmus/ and
 * tests/emu/lkmm/ use (docs/emulation.md, "Running C litmus tests", lists
 * it). parse.c builds it; run.c interprets its threads on a back-end (the
 * emulator, or this machine); outcome.c turns final states into litmus7's
 * histogram and herd7's verdict.
 *
 * Every location is one machine word, as the emulator's accesses are, or
 * a spinlock_t (sync/spinlock.h). A value is an integer or the address of
 * a location; a final state names the location instead of the address, as
 * herd7 prints pointers.
 */
#ifndef FL_CLITMUS_LITMUS_H
#define FL_CLITMUS_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LT_MAX_THREADS	8	/* the emulator's EMU_MAX_THREADS */
#define LT_MAX_LOCS	32
#define LT_MAX_REGS	32	/* per thread */
#define LT_MAX_VARS	64	/* the variables a final state shows */
#define LT_NAME		48

/* A value in an initial or final state: an integer, or a location. */
struct lt_value {
	bool is_loc;
	long v;			/* the integer, or the location's index */
};

struct lt_loc {
	char name[LT_NAME];
	bool lock;		/* a spinlock_t: the ticket flavour, next and owner */
	struct lt_value init;
	unsigned line;		/* where it first appeared */
};

/* How an access is marked. */
enum lt_access {
	LT_PLAIN,	/* *p: an unmarked C access */
	LT_ONCE,	/* READ_ONCE/WRITE_ONCE, rcu_dereference, atomic_read/set */
	LT_ACQUIRE,	/* smp_load_acquire, atomic_read_acquire */
	LT_RELEASE,	/* smp_store_release, rcu_assign_pointer, atomic_set_release */
};

/* The ordering of an RMW (the suffix of its name). */
enum lt_order { LT_RELAXED, LT_ACQ, LT_REL, LT_MB };

enum lt_rmw_op {
	LT_RMW_ADD, LT_RMW_AND, LT_RMW_OR, LT_RMW_XOR, LT_RMW_ANDNOT,
	LT_RMW_XCHG, LT_RMW_CMPXCHG, LT_RMW_ADD_UNLESS,
};

/* What an RMW returns. */
enum lt_rmw_ret {
	LT_RET_OLD,		/* xchg, cmpxchg, fetch_*: the value read */
	LT_RET_NEW,		/* *_return: the value written */
	LT_RET_NONE,		/* void: atomic_add(), atomic_inc(), ... */
	LT_RET_ZERO,		/* *_and_test: the new value is 0 */
	LT_RET_NEG,		/* atomic_add_negative: the new value is < 0 */
	LT_RET_OK,		/* atomic_add_unless, inc_not_zero: it wrote */
};

enum lt_fence {
	LT_F_MB, LT_F_WMB, LT_F_RMB,
	LT_F_BEFORE_ATOMIC, LT_F_AFTER_ATOMIC,		/* smp_mb__{before,after}_atomic */
	LT_F_AFTER_SPINLOCK, LT_F_AFTER_UNLOCK_LOCK,	/* smp_mb__after_{spinlock,unlock_lock} */
	LT_F_BARRIER,					/* barrier(): the compiler only */
	LT_F_RCU_LOCK, LT_F_RCU_UNLOCK,			/* rcu_read_{lock,unlock}() */
};

enum lt_expr_kind {
	LT_E_CONST,	/* k */
	LT_E_LOC,	/* the address of location k (a parameter's name) */
	LT_E_REG,	/* register k of the thread */
	LT_E_LOAD,	/* a load of access `acc` from the address a */
	LT_E_RMW,	/* op on the address a with operand b (cmpxchg: b old, c new) */
	LT_E_TRYLOCK,	/* spin_trylock(a) */
	LT_E_ISLOCKED,	/* spin_is_locked(a) */
	LT_E_UNOP,	/* k: '!', '-', '~' of a */
	LT_E_BINOP,	/* k: an operator (LT_OP_*) of a and b */
};

/* Binary operators, by C precedence (the parser's table). */
enum lt_binop {
	LT_OP_LOR, LT_OP_LAND, LT_OP_OR, LT_OP_XOR, LT_OP_AND,
	LT_OP_EQ, LT_OP_NE, LT_OP_LT, LT_OP_GT, LT_OP_LE, LT_OP_GE,
	LT_OP_ADD, LT_OP_SUB, LT_OP_MUL,
};

struct lt_expr {
	enum lt_expr_kind kind;
	unsigned line;
	long k;
	enum lt_access acc;		/* LT_E_LOAD */
	enum lt_rmw_op op;		/* LT_E_RMW */
	enum lt_order order;		/* LT_E_RMW */
	enum lt_rmw_ret ret;		/* LT_E_RMW */
	struct lt_expr *a, *b, *c;
};

enum lt_stmt_kind {
	LT_S_ASSIGN,	/* register reg = a */
	LT_S_STORE,	/* store of access `acc` of b to the address a */
	LT_S_EVAL,	/* a, for its effect (an RMW, a trylock) */
	LT_S_FENCE,
	LT_S_STORE_MB,	/* smp_store_mb(): WRITE_ONCE of b to a, then smp_mb() */
	LT_S_LOCK,	/* spin_lock(a) */
	LT_S_UNLOCK,	/* spin_unlock(a) */
	LT_S_IF,	/* if (a) then else els */
	LT_S_BLOCK,	/* { body } */
};

struct lt_stmt {
	enum lt_stmt_kind kind;
	unsigned line;
	unsigned reg;
	enum lt_access acc;
	enum lt_fence fence;
	struct lt_expr *a, *b;
	struct lt_stmt *then, *els, *body;
	struct lt_stmt *next;		/* the following statement of its block */
};

struct lt_thread {
	unsigned line;
	unsigned nregs;
	char reg[LT_MAX_REGS][LT_NAME];
	struct lt_value reg_init[LT_MAX_REGS];
	struct lt_stmt *body;
};

/* A term of the final condition: a register, a location's value, a constant. */
struct lt_term {
	enum { LT_T_REG, LT_T_LOC, LT_T_CONST } kind;
	unsigned thread, idx;		/* LT_T_REG: thread and register; LT_T_LOC: idx */
	struct lt_value k;		/* LT_T_CONST */
};

enum lt_prop_kind { LT_P_TRUE, LT_P_FALSE, LT_P_NOT, LT_P_AND, LT_P_OR, LT_P_IMPL,
		    LT_P_EQ, LT_P_NE };

struct lt_prop {
	enum lt_prop_kind kind;
	struct lt_prop *a, *b;		/* the connectives */
	struct lt_term l, r;		/* LT_P_EQ, LT_P_NE */
};

enum lt_quant { LT_EXISTS, LT_NOT_EXISTS, LT_FORALL };

/* One variable of a final state: a register of a thread, or a location. */
struct lt_var {
	bool is_reg;
	unsigned thread, idx;
};

struct lt_arena;

struct lt_test {
	char file[512];
	char name[128];
	unsigned nthreads;
	struct lt_thread th[LT_MAX_THREADS];
	unsigned nlocs;
	struct lt_loc loc[LT_MAX_LOCS];
	enum lt_quant quant;
	struct lt_prop *cond;		/* the proposition under the quantifier */
	struct lt_prop *filter;		/* NULL: none */
	unsigned nvars;			/* what a final state shows, in print order */
	struct lt_var var[LT_MAX_VARS];
	struct lt_arena *arena;		/* every node, freed at once */
};

/*
 * Parse one file. 0, or -1 with one line in err, "FILE:LINE: what",
 * naming the construct that is not supported or the syntax error.
 */
int lt_parse_file(const char *path, struct lt_test **out, char *err, size_t errlen);
void lt_free(struct lt_test *t);

/* "exists", "~exists", "forall"; herd7's "Allowed", "Forbidden", "Required". */
const char *lt_quant_name(enum lt_quant q);
const char *lt_quant_test(enum lt_quant q);
/* The condition as herd7 prints it: "exists (1:r0=1 /\ 1:r2=0)". */
void lt_cond_string(const struct lt_test *t, char *buf, size_t len);

#endif /* FL_CLITMUS_LITMUS_H */
