/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What runs of a litmus test gave (outcome.c): the histogram of final
 * states, the condition's counts and verdict as herd7 and litmus7 state
 * them, printed in litmus7's shape and as JSON. Both front-ends
 * (faultline-emu --litmus, faultline-litmus) print through here, so their
 * outputs and JSON have one schema (docs/emulation.md).
 */
#ifndef FL_CLITMUS_OUTCOME_H
#define FL_CLITMUS_OUTCOME_H

#include <stdint.h>
#include <stdio.h>
#include "litmus.h"

/* Every register of every thread and every location, at the end of a run. */
struct lt_final {
	struct lt_value reg[LT_MAX_THREADS][LT_MAX_REGS];
	struct lt_value loc[LT_MAX_LOCS];	/* a spinlock_t: 1 held, 0 free */
};

struct lt_state {
	struct lt_value v[LT_MAX_VARS];		/* the test's shown variables (t->var) */
	uint64_t count;
	bool p;					/* the condition's proposition holds */
};

struct lt_outcome {
	const struct lt_test *t;
	struct lt_state *s;
	unsigned n, cap;
	uint64_t pos, neg;		/* runs counted where the proposition held, did not */
	uint64_t filtered;		/* runs the filter left out */
	uint64_t faulted;		/* runs a thread had to stop (lt_run_thread) */
	uint64_t livelocked;		/* emulated runs past the step limit */
	char fault[200];		/* the first fault */
	bool overflow;			/* more distinct states than it keeps */
};

void lt_outcome_init(struct lt_outcome *o, const struct lt_test *t);
void lt_outcome_free(struct lt_outcome *o);
/*
 * Count one run's final state: -1 the filter left it out, 1 it is a
 * witness (what the condition looks for: the proposition for exists and
 * ~exists, its negation for forall), 0 otherwise.
 */
int lt_outcome_add(struct lt_outcome *o, const struct lt_final *f);
bool lt_prop_eval(const struct lt_prop *p, const struct lt_final *f);

/* The runs counted (neither filtered, faulted nor livelocked). */
uint64_t lt_outcome_runs(const struct lt_outcome *o);
/* herd7's Ok: exists seen; ~exists never seen; forall always true. */
bool lt_outcome_ok(const struct lt_outcome *o);
/* herd7's Observation: Never, Sometimes, Always (of the proposition). */
const char *lt_outcome_observation(const struct lt_outcome *o);
/* "0:r0=1; 1:r1=0; x=2;" */
void lt_state_string(const struct lt_test *t, const struct lt_state *s, char *buf, size_t len);

/*
 * litmus7's block from "Test NAME Allowed" to "Observation NAME ...":
 * the histogram (states sorted; "*>" marks a witness), Ok/No, Positive and
 * Negative (herd7's: the runs satisfying the whole condition, ~ included,
 * and the others), the condition, and lines for filtered, faulted and
 * livelocked runs. The caller adds its own lines, then lt_print_time().
 */
void lt_print_outcome(FILE *f, struct lt_outcome *o);
void lt_print_time(FILE *f, const struct lt_outcome *o, double seconds);

/*
 * JSON, one object per (test, model): {"model", "runs" (the runs tried),
 * "states" {state -> count}, "positive", "negative", "observation",
 * "validated", "witness_seed", "filtered", "faulted", "livelocked",
 * "seconds"} and then the front-end's own members (extra, already JSON,
 * without braces; may be NULL). witness_seed < 0: null.
 */
void lt_json_outcome(FILE *f, struct lt_outcome *o, const char *model, uint64_t runs,
		     long long witness_seed, double seconds, const char *extra);
/* The test's own members: "file", "name", "test", "condition". */
void lt_json_test(FILE *f, const struct lt_test *t);
void lt_json_string(FILE *f, const char *s);

#endif /* FL_CLITMUS_OUTCOME_H */
