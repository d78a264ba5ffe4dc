/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder behind sync/arch/record.h: runs one role (a model path on
 * one thread) to completion and keeps what it did, op by op. Loads of the
 * words a shape is about are choice points: the explorer (explore.c)
 * decides what each returns, so one path can be replayed with every value
 * a concurrent reader could see; everything else acts on memory.
 */
#ifndef FL_LITMUSGEN_RECORD_H
#define FL_LITMUSGEN_RECORD_H

#include <stdbool.h>
#include "../sync/arch/record.h"

#define REC_MAX_OPS	512
#define REC_MAX_CHOICES	32

enum rec_op_type { RO_LOAD, RO_STORE, RO_FENCE, RO_RMW, RO_LOCK, RO_UNLOCK };

struct rec_op {
	enum rec_op_type type;
	int kind;		/* enum rec_kind (accesses), enum rec_fence (fences) */
	int loc;		/* the shape's location, or -1: a word it leaves out */
	int src_loc;		/* READ_DEP: the location of src, or -1 */
	const void *addr;
	unsigned long val;	/* the value loaded (returned) or stored */
	bool full;		/* RMW: fully ordered (else acquire) */
	bool ok;		/* RMW: succeeded */
	int choice;		/* a choice point's index in the run, or -1 */
	bool forwarded;		/* a load of the role's own earlier store */
};

enum rec_end {
	REC_END_DONE,		/* the role returned */
	REC_END_SPIN,		/* it called cpu_relax(): waits for another CPU */
	REC_END_DEEP,		/* more choice points or ops than recorded */
};

struct rec_trace {
	unsigned n, nchoices;
	enum rec_end end;
	struct rec_op op[REC_MAX_OPS];
};

/* Which of the shape's locations addr is, or -1. */
typedef int rec_locate_fn(const void *addr, void *ctx);
/* What the choice point `index` (a load of loc; memory holds mem) returns. */
typedef unsigned long rec_choose_fn(void *ctx, int loc, unsigned index, unsigned long mem);

struct rec_run {
	rec_locate_fn *locate;
	rec_choose_fn *choose;
	void *ctx;
};

/* Run fn(arg) under the recorder into *out; returns out->end. */
enum rec_end rec_record(const struct rec_run *run, void (*fn)(void *), void *arg,
			struct rec_trace *out);

#endif /* FL_LITMUSGEN_RECORD_H */
