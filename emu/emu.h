/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic weak-memory emulator for the barrier vocabulary. The
 * model and strategy sources, compiled with -DFL_EMU, call these instead of
 * touching memory; docs/emulation.md gives the semantics and the LKMM or
 * architecture fact behind each rule.
 *
 * Logical threads run one at a time as coroutines; every access is a
 * scheduling point; one seed fixes every choice (which thread runs, which
 * buffered store commits, which retained write a load returns). Outside
 * emu_run() the accessors act on memory directly, so set-up and tear-down
 * code runs natively.
 */
#ifndef FL_EMU_EMU_H
#define FL_EMU_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../strategies/verdict.h"	/* enum fl_machine */
#include "../sync/arch/emu.h"	/* the accesses the vocabulary makes */

struct emu_config {
	enum fl_machine model;
	uint64_t seed;
	uint64_t max_steps;	/* livelock guard: emu_run() fails past this */
};

typedef void (*emu_fn)(void *arg);

/* Run n logical threads to completion; 0, or -ETIME past max_steps. */
int emu_run(const struct emu_config *cfg, unsigned n, const emu_fn *fn, void *const *arg);

/* Diagnostics: the last events, with location names from the namer. */
typedef void (*emu_namer)(const void *addr, char *buf, size_t n, void *ctx);
void emu_set_namer(emu_namer fn, void *ctx);
void emu_dump_trace(FILE *f, unsigned last);
uint64_t emu_steps(void);

/*
 * For a harness that counts racing trials: the current thread's acquired
 * time (the commit time up to which its next load is sure to see; under
 * tso, now), and the commit timestamp of the newest write to addr (0: the
 * initial value, or never touched).
 */
uint64_t emu_acquired(void);
uint64_t emu_newest_ts(const void *addr);
/*
 * Outside emu_run(): record the vocabulary calls the code makes (each
 * access's kind, each fence), for a test that holds a strategy
 * descriptor's probe tokens to what its hooks really do. NULL stops.
 */
enum emu_op { EMU_OP_LOAD, EMU_OP_STORE, EMU_OP_FENCE, EMU_OP_RMW };
#define EMU_RECORD_MAX	16
struct emu_recording {
	unsigned n;
	bool overflow;
	struct { enum emu_op op; int kind; } op[EMU_RECORD_MAX];	/* kind: emu_kind or emu_fence */
};
void emu_record(struct emu_recording *r);

/* emu_rmw(), every read-modify-write: declared in sync/arch/emu.h, which
 * the lock flavours (sync/locks/) reach it through. */

uint64_t emu_trace_hash(void);	/* of every event so far: determinism checks */
unsigned emu_current_thread(void);


#endif /* FL_EMU_EMU_H */
