// SPDX-License-Identifier: GPL-2.0
/*
 * The interpreter (run.h): walks a thread's statements, evaluating
 * expressions left to right as C does, with && and || short-circuiting,
 * and hands every access to the back-end. It never touches a location
 * itself, so what ordering an access has is the back-end's alone.
 */
#include <stdio.h>
#include <string.h>
#include "run.h"

/* An evaluated expression: its value and the load it depends on. */
struct ev {
	long v;
	int src;		/* location index; -1 none, -2 several */
	unsigned gen;
};

static const struct ev none = { 0, -1, 0 };

/* Both operands' dependencies: an address computed from them depends on both. */
static struct ev merge(struct ev a, struct ev b, long v)
{
	struct ev r = { v, a.src, a.gen };

	if (a.src == -1)
		r = (struct ev){ v, b.src, b.gen };
	else if (b.src != -1 && (b.src != a.src || b.gen != a.gen))
		r.src = -2;
	return r;
}

static int stop(struct lt_thread_run *x, unsigned line, const char *what, long v)
{
	x->fault_line = line;
	snprintf(x->fault, sizeof(x->fault), "P%u line %u: %s (value %#lx)", x->tid, line, what,
		 (unsigned long)v);
	return -1;
}

/* Which location of the instance an address is, or -1. */
static int loc_of(const struct lt_test *t, const struct lt_inst *inst, long v)
{
	unsigned i;

	for (i = 0; i < t->nlocs; i++)
		if ((long)(uintptr_t)inst->addr[i] == v)
			return (int)i;
	return -1;
}

struct lt_value lt_canon(const struct lt_test *t, const struct lt_inst *inst, long v)
{
	int i = v ? loc_of(t, inst, v) : -1;

	return i >= 0 ? (struct lt_value){ true, i } : (struct lt_value){ false, v };
}

static long value_of(const struct lt_inst *inst, struct lt_value v)
{
	return v.is_loc ? (long)(uintptr_t)inst->addr[v.v] : v.v;
}

unsigned long lt_init_word(const struct lt_test *t, const struct lt_inst *inst, unsigned i)
{
	return (unsigned long)value_of(inst, t->loc[i].init);
}

void lt_regs_init(const struct lt_test *t, unsigned tid, const struct lt_inst *inst,
		  struct lt_regs *r)
{
	const struct lt_thread *th = &t->th[tid];
	unsigned i;

	for (i = 0; i < th->nregs; i++) {
		r->val[i] = value_of(inst, th->reg_init[i]);
		r->src[i] = -1;
		r->gen[i] = 0;
	}
}

static int eval(struct lt_thread_run *x, const struct lt_expr *e, struct ev *out);

/* Evaluate an address: the location it names must be a word (lock: a spinlock_t). */
static int address(struct lt_thread_run *x, const struct lt_expr *e, bool lock, int *loc,
		   struct ev *a)
{
	if (e->kind == LT_E_LOC) {
		*a = (struct ev){ (long)(uintptr_t)x->inst->addr[e->k], -1, 0 };
		*loc = (int)e->k;
	} else {
		if (eval(x, e, a))
			return -1;
		*loc = loc_of(x->t, x->inst, a->v);
		if (*loc < 0)
			return stop(x, e->line, "an access through a value that is no location", a->v);
	}
	if (x->t->loc[*loc].lock != lock)
		return stop(x, e->line, lock ? "a lock operation on a word" :
			    "a word access to a spinlock_t", a->v);
	return 0;
}

/* The dependency a load or RMW through address a has. */
static struct lt_dep dep_of(const struct lt_thread_run *x, const struct ev *a)
{
	struct lt_dep d = { false, false, NULL };

	if (a->src == -2) {
		d.any = true;
	} else if (a->src >= 0) {
		d.any = true;
		d.src = x->inst->addr[a->src];
		d.exact = x->loads[a->src] == a->gen;
	}
	return d;
}

unsigned long lt_rmw_value(enum lt_rmw_op op, unsigned long cur, unsigned long v)
{
	switch (op) {
	case LT_RMW_ADD:
	case LT_RMW_ADD_UNLESS:
		return cur + v;
	case LT_RMW_AND:
		return cur & v;
	case LT_RMW_OR:
		return cur | v;
	case LT_RMW_XOR:
		return cur ^ v;
	case LT_RMW_ANDNOT:
		return cur & ~v;
	case LT_RMW_XCHG:
	case LT_RMW_CMPXCHG:
		break;
	}
	return v;
}

static int eval_rmw(struct lt_thread_run *x, const struct lt_expr *e, struct ev *out)
{
	struct ev a, b, c = none;
	unsigned long old, new;
	bool ok = true;
	int loc;

	if (address(x, e->a, false, &loc, &a))
		return -1;
	if (eval(x, e->b, &b) || (e->c && eval(x, e->c, &c)))
		return -1;
	/* An RMW reads the newest value; its address dependency orders nothing more. */
	old = x->ops->rmw(x->be, e->op, e->order, x->inst->addr[loc], (unsigned long)b.v,
			  (unsigned long)c.v, &ok);
	new = e->op == LT_RMW_CMPXCHG ? (ok ? (unsigned long)b.v : old) : lt_rmw_value(e->op, old,
										  (unsigned long)b.v);
	out->src = loc;
	out->gen = ++x->loads[loc];
	switch (e->ret) {
	case LT_RET_OLD:
		out->v = (long)old;
		break;
	case LT_RET_NEW:
		out->v = (long)new;
		break;
	case LT_RET_NONE:
		*out = none;
		break;
	case LT_RET_ZERO:
		out->v = new == 0;
		break;
	case LT_RET_NEG:
		out->v = (long)new < 0;
		break;
	case LT_RET_OK:
		out->v = ok;
		break;
	}
	return 0;
}

static long binop(enum lt_binop op, long a, long b)
{
	unsigned long ua = (unsigned long)a, ub = (unsigned long)b;	/* wrap, never UB */

	switch (op) {
	case LT_OP_OR:
		return (long)(ua | ub);
	case LT_OP_XOR:
		return (long)(ua ^ ub);
	case LT_OP_AND:
		return (long)(ua & ub);
	case LT_OP_EQ:
		return a == b;
	case LT_OP_NE:
		return a != b;
	case LT_OP_LT:
		return a < b;
	case LT_OP_GT:
		return a > b;
	case LT_OP_LE:
		return a <= b;
	case LT_OP_GE:
		return a >= b;
	case LT_OP_ADD:
		return (long)(ua + ub);
	case LT_OP_SUB:
		return (long)(ua - ub);
	case LT_OP_MUL:
		return (long)(ua * ub);
	case LT_OP_LOR:
	case LT_OP_LAND:
		break;		/* short-circuit, in eval() */
	}
	return 0;
}

static int eval(struct lt_thread_run *x, const struct lt_expr *e, struct ev *out)
{
	struct ev a, b;
	struct lt_dep d;
	int loc;

	switch (e->kind) {
	case LT_E_CONST:
		*out = (struct ev){ e->k, -1, 0 };
		return 0;
	case LT_E_LOC:
		*out = (struct ev){ (long)(uintptr_t)x->inst->addr[e->k], -1, 0 };
		return 0;
	case LT_E_REG:
		*out = (struct ev){ x->regs->val[e->k], x->regs->src[e->k], x->regs->gen[e->k] };
		return 0;
	case LT_E_LOAD:
		if (address(x, e->a, false, &loc, &a))
			return -1;
		d = dep_of(x, &a);
		out->v = (long)x->ops->load(x->be, e->acc, x->inst->addr[loc], &d);
		out->src = loc;
		out->gen = ++x->loads[loc];
		return 0;
	case LT_E_RMW:
		return eval_rmw(x, e, out);
	case LT_E_TRYLOCK:
	case LT_E_ISLOCKED:
		if (address(x, e->a, true, &loc, &a))
			return -1;
		*out = (struct ev){ e->kind == LT_E_TRYLOCK ?
				    x->ops->trylock(x->be, x->inst->addr[loc]) :
				    x->ops->is_locked(x->be, x->inst->addr[loc]), -1, 0 };
		return 0;
	case LT_E_UNOP:
		if (eval(x, e->a, &a))
			return -1;
		a.v = e->k == '!' ? !a.v : e->k == '-' ? (long)(0UL - (unsigned long)a.v) :
		      (long)~(unsigned long)a.v;
		*out = a;
		return 0;
	case LT_E_BINOP:
		if (eval(x, e->a, &a))
			return -1;
		if (e->k == LT_OP_LAND || e->k == LT_OP_LOR) {
			if ((e->k == LT_OP_LAND) != !!a.v) {	/* decided by the left */
				*out = merge(a, none, e->k == LT_OP_LOR);
				return 0;
			}
			if (eval(x, e->b, &b))
				return -1;
			*out = merge(a, b, !!b.v);
			return 0;
		}
		if (eval(x, e->b, &b))
			return -1;
		*out = merge(a, b, binop((enum lt_binop)e->k, a.v, b.v));
		return 0;
	}
	return 0;
}

static int run_list(struct lt_thread_run *x, const struct lt_stmt *s);

static int run_stmt(struct lt_thread_run *x, const struct lt_stmt *s)
{
	struct ev a, v;
	int loc;

	switch (s->kind) {
	case LT_S_ASSIGN:
		if (eval(x, s->a, &v))
			return -1;
		x->regs->val[s->reg] = v.v;
		x->regs->src[s->reg] = (signed char)v.src;
		x->regs->gen[s->reg] = v.gen;
		return 0;
	case LT_S_STORE:
	case LT_S_STORE_MB:
		/* The address first, then the value, as herd7 reads them. */
		if (address(x, s->a, false, &loc, &a) || eval(x, s->b, &v))
			return -1;
		x->ops->store(x->be, s->kind == LT_S_STORE_MB ? LT_ONCE : s->acc,
			      x->inst->addr[loc], (unsigned long)v.v);
		if (s->kind == LT_S_STORE_MB)
			x->ops->fence(x->be, LT_F_MB);
		return 0;
	case LT_S_EVAL:
		return eval(x, s->a, &v);
	case LT_S_FENCE:
		x->ops->fence(x->be, s->fence);
		return 0;
	case LT_S_LOCK:
	case LT_S_UNLOCK:
		if (address(x, s->a, true, &loc, &a))
			return -1;
		if (s->kind == LT_S_LOCK)
			x->ops->lock(x->be, x->inst->addr[loc]);
		else
			x->ops->unlock(x->be, x->inst->addr[loc]);
		return 0;
	case LT_S_IF:
		if (eval(x, s->a, &v))
			return -1;
		return run_list(x, v.v ? s->then : s->els);
	case LT_S_BLOCK:
		return run_list(x, s->body);
	}
	return 0;
}

static int run_list(struct lt_thread_run *x, const struct lt_stmt *s)
{
	for (; s; s = s->next)
		if (run_stmt(x, s))
			return -1;
	return 0;
}

int lt_run_thread(struct lt_thread_run *x)
{
	memset(x->loads, 0, sizeof(x->loads));
	x->fault[0] = 0;
	return run_list(x, x->t->th[x->tid].body);
}
