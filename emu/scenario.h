/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One emulated run of the real fault/GUP paths: a small mm, one writer
 * faulting and zapping, one GUP reader, under one model and one seed.
 */
#ifndef FL_EMU_SCENARIO_H
#define FL_EMU_SCENARIO_H

#include <stdio.h>
#include "verdicts.h"

struct emu_result {
	unsigned long viol[NR_SHAPES];
	double ms_to_first[NR_SHAPES];	/* wall time to the first one; < 0: none */
	unsigned long gups, gup_hits, retries, faults;
	uint64_t steps, trace_hash;
	int err;			/* emu_run(): 0, or -ETIME (livelock) */
};

struct emu_scenario_params {
	unsigned writer_steps;		/* faults (and zaps) by the writer */
	unsigned reader_gups;		/* GUPs by the reader */
	uint64_t max_steps;
};

extern const struct emu_scenario_params emu_default_params;

/* trace: where to print the seed and the events of the first violation
 * (NULL: nowhere). */
int emu_scenario(const struct strategy *s, enum emu_model m, uint64_t seed,
		 const struct emu_scenario_params *p, struct emu_result *r, FILE *trace);

#endif /* FL_EMU_SCENARIO_H */
