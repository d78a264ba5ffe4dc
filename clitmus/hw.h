/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A litmus test run on this machine, litmus7-style (hw.c): one OS thread
 * per test thread, many instances per round (each its own copy of the
 * locations, every location on its own cache line), the threads released
 * together at each instance by a spinning barrier, their CPUs drawn afresh
 * every round; the interpreter (run.c) with the native back-end executes
 * each thread's statements.
 */
#ifndef FL_CLITMUS_HW_H
#define FL_CLITMUS_HW_H

#include <stdint.h>
#include "outcome.h"

struct lt_hw_params {
	unsigned rounds;	/* 0: as many as fit in budget seconds, at least min_rounds */
	double budget;
	unsigned min_rounds;
	unsigned instances;	/* per round */
	uint64_t seed;		/* the CPU draws and the start skews */
	double timeout;		/* seconds a round may take before it is a hang */
};

struct lt_hw_result {
	struct lt_outcome o;
	unsigned rounds;
	uint64_t trials;	/* rounds x instances */
	long long first_witness;	/* the trial that first showed it, or -1 */
	unsigned cpus;		/* the CPUs this process may run on */
	unsigned threads;
	bool pinned;		/* the affinity could be set */
	double seconds;
};

/* 0, or -1 with one line in err (a round hung, no memory, no threads). */
int lt_hw_run(const struct lt_test *t, const struct lt_hw_params *p, struct lt_hw_result *r,
	      char *err, size_t errlen);

#endif /* FL_CLITMUS_HW_H */
