// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder (sync/arch/record.h names, litmusgen/record.h API). One
 * recording at a time, on one thread: the vocabulary's accessors take no
 * context, so the recording in progress is this file's one static state,
 * as the emulator's is emu/emu.c's. Outside rec_record() every accessor acts
 * on memory and records nothing, so world set-up runs natively.
 */
#include <setjmp.h>
#include <stddef.h>
#include <string.h>
#include "record.h"

static struct {
	const struct rec_run *run;
	struct rec_trace *out;
	jmp_buf stop;
} R;

static void stop(enum rec_end end)
{
	R.out->end = end;
	longjmp(R.stop, 1);
}

static struct rec_op *next_op(enum rec_op_type type, const void *addr)
{
	struct rec_op *op;

	if (R.out->n == REC_MAX_OPS)
		stop(REC_END_DEEP);
	op = &R.out->op[R.out->n++];
	memset(op, 0, sizeof(*op));
	op->type = type;
	op->addr = addr;
	op->loc = addr ? R.run->locate(addr, R.run->ctx) : -1;
	op->src_loc = -1;
	op->choice = -1;
	return op;
}

/* Did this role store to addr already? Then a load returns its own store. */
static bool own_store(const void *addr, unsigned long *val)
{
	unsigned i;

	for (i = R.out->n; i-- > 0;) {
		const struct rec_op *op = &R.out->op[i];

		if (op->addr == addr && (op->type == RO_STORE || (op->type == RO_RMW && op->ok))) {
			*val = op->val;
			return true;
		}
	}
	return false;
}

unsigned long rec_load(const void *addr, enum rec_kind k, const void *src)
{
	unsigned long mem = *(const volatile unsigned long *)addr, v = mem;
	struct rec_op *op;

	if (!R.out)
		return mem;
	op = next_op(RO_LOAD, addr);
	op->kind = k;
	if (src)
		op->src_loc = R.run->locate(src, R.run->ctx);
	if (op->loc >= 0) {
		if (own_store(addr, &v)) {
			op->forwarded = true;
		} else {
			if (R.out->nchoices == REC_MAX_CHOICES)
				stop(REC_END_DEEP);
			op->choice = (int)R.out->nchoices++;
			v = R.run->choose(R.run->ctx, op->loc, (unsigned)op->choice, mem);
		}
	}
	op->val = v;
	return v;
}

void rec_store(void *addr, unsigned long v, enum rec_kind k)
{
	struct rec_op *op;

	*(volatile unsigned long *)addr = v;
	if (!R.out)
		return;
	op = next_op(RO_STORE, addr);
	op->kind = k;
	op->val = v;
}

void rec_fence(enum rec_fence f)
{
	if (R.out)
		next_op(RO_FENCE, NULL)->kind = f;
}

static struct rec_op *rmw(void *addr, bool full)
{
	struct rec_op *op = next_op(RO_RMW, addr);

	/* RMWs on a shape's own words are beyond what litmusgen renders:
	 * none of the model's paths does one (docs/design.md §7). */
	if (op->loc >= 0)
		stop(REC_END_DEEP);
	op->full = full;
	return op;
}

bool rec_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full)
{
	unsigned long *p = addr;
	bool ok = *p == *old;
	struct rec_op *op = R.out ? rmw(addr, full) : NULL;

	if (ok)
		*p = new;
	else
		*old = *p;
	if (op) {
		op->ok = ok;
		op->val = ok ? new : *p;
	}
	return ok;
}

unsigned long rec_fetch_add(void *addr, unsigned long v, bool full)
{
	unsigned long *p = addr, old = *p;
	struct rec_op *op = R.out ? rmw(addr, full) : NULL;

	*p = old + v;
	if (op) {
		op->ok = true;
		op->val = old + v;
	}
	return old;
}

/* Only a thread waiting for another calls cpu_relax(): that path cannot
 * finish alone, and a litmus test leaves it out (as herd7's filters do). */
void rec_relax(void)
{
	if (R.out)
		stop(REC_END_SPIN);
}

void rec_lock(void *lock)
{
	if (R.out)
		next_op(RO_LOCK, lock);
}

void rec_unlock(void *lock)
{
	if (R.out)
		next_op(RO_UNLOCK, lock);
}

enum rec_end rec_record(const struct rec_run *run, void (*fn)(void *), void *arg,
			struct rec_trace *out)
{
	out->n = out->nchoices = 0;
	out->end = REC_END_DONE;
	R.run = run;
	R.out = out;
	if (!setjmp(R.stop))
		fn(arg);
	R.run = NULL;
	R.out = NULL;
	return out->end;
}
