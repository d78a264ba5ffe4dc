/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A litmus test's threads as logical threads of the weak-memory emulator
 * (emu_backend.c, built with -DFL_EMU): one seed, one run, one final
 * state.
 */
#ifndef FL_CLITMUS_EMU_BACKEND_H
#define FL_CLITMUS_EMU_BACKEND_H

#include <stdint.h>
#include <stdio.h>
#include "outcome.h"
#include "../strategies/verdict.h"	/* enum fl_machine */

#define LT_EMU_MAX_STEPS	100000	/* a run past this is a livelock (a lock never free) */

/*
 * Run t once under model m with this seed into *f. 0; 1 a thread had to
 * stop (fault says why; *f is not a final state); -ETIME past the step
 * limit; another -errno if the emulator could not run. trace: print the
 * emulator's events of the run there (the last 256).
 */
int lt_emu_run(const struct lt_test *t, enum fl_machine m, uint64_t seed, struct lt_final *f,
	       char *fault, size_t faultlen, FILE *trace);

#endif /* FL_CLITMUS_EMU_BACKEND_H */
