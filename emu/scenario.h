/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One emulated run of the real fault/GUP paths under one model and one
 * seed: a small mm (4 slots, 2 VMAs), one or two faulting writers and a GUP
 * reader. With two writers each VMA holds a slot of each, so a fault often
 * finds the anon_vma the other writer's fault published: the three-CPU
 * chain shape, beside the two-CPU dep and indep shapes.
 */
#ifndef FL_EMU_SCENARIO_H
#define FL_EMU_SCENARIO_H

#include <stdio.h>
#include "../strategies/strategy.h"
#include "emu.h"

#define EMU_MAX_WRITERS	2

struct emu_result {
	unsigned long viol[NR_SHAPES];
	/*
	 * Racing trials per shape: GUPs that returned a pte proven current
	 * whose write was committed after what the reader had acquired when
	 * the GUP began (under tso, where loads see the newest write: after
	 * its previous GUP ended), i.e. a publication the reader's own
	 * ordering (barrier, lock or seqcount) had to make safe. chain: those
	 * whose anon_vma was published by the other writer.
	 */
	unsigned long trials[NR_SHAPES];
	double ms_to_first[NR_SHAPES];	/* wall time to the first one; < 0: none */
	unsigned long gups, gup_hits, retries, stale_refs, faults;
	uint64_t steps, trace_hash;
	int err;			/* emu_run(): 0, or -ETIME (livelock) */
};

struct emu_scenario_params {
	unsigned writers;		/* 1 or 2 */
	unsigned writer_steps;		/* faults (and zaps) per writer */
	unsigned reader_gups;		/* GUPs by the reader */
	uint64_t max_steps;
	enum fl_lock lock;		/* the model's lock flavour (--lock=; 0: qspinlock) */
};

extern const struct emu_scenario_params emu_default_params;

/* trace: where to print the seed and the events of the first violation
 * (NULL: nowhere). */
int emu_scenario(const struct strategy *s, enum fl_machine m, uint64_t seed,
		 const struct emu_scenario_params *p, struct emu_result *r, FILE *trace);

#endif /* FL_EMU_SCENARIO_H */
