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

enum emu_model { EMU_TSO, EMU_ARM64, EMU_ALPHA, EMU_NR_MODELS };

enum emu_kind {
	EMU_PLAIN,	/* LOAD_PLAIN / STORE_PLAIN */
	EMU_ONCE,	/* READ_ONCE (its alpha barrier is a separate fence) / WRITE_ONCE */
	EMU_DEP,	/* READ_DEP: address depends on the last load of src */
	EMU_ACQUIRE,	/* smp_load_acquire */
	EMU_RELEASE,	/* smp_store_release */
};

enum emu_fence { EMU_WMB, EMU_RMB, EMU_MB, EMU_DEPENDS };

struct emu_config {
	enum emu_model model;
	uint64_t seed;
	uint64_t max_steps;	/* livelock guard: emu_run() fails past this */
};

typedef void (*emu_fn)(void *arg);

/* Run n logical threads to completion; 0, or -ETIME past max_steps. */
int emu_run(const struct emu_config *cfg, unsigned n, const emu_fn *fn, void *const *arg);

unsigned long emu_load(const void *addr, enum emu_kind k, const void *src);
void emu_store(void *addr, unsigned long v, enum emu_kind k);
void emu_fence(enum emu_fence f);
bool emu_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full);
unsigned long emu_fetch_add(void *addr, unsigned long v, bool full);
void emu_relax(void);

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
uint64_t emu_trace_hash(void);	/* of every event so far: determinism checks */
unsigned emu_current_thread(void);

const char *emu_model_name(enum emu_model m);
int emu_model_parse(const char *name, enum emu_model *m);

#endif /* FL_EMU_EMU_H */
