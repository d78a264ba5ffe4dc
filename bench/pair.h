/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paired measurement (build/faultline-pair): the strategies under
 * comparison ("arms") run in the same process, in short windows that
 * alternate in an order drawn afresh each round, so every round gives one
 * ratio per arm and point that the host's slow phases hit on both sides.
 * A round visits every point (mix, CPU count), in random order too. The
 * sequential design runs each arm's share of the budget in one block, as
 * separate benchmark points do; it exists to be measured against.
 *
 * This file only collects samples; scripts/faultline/paired.py turns them
 * into median ratios with confidence intervals and p-values
 * (docs/design.md §9).
 */
#ifndef FL_BENCH_PAIR_H
#define FL_BENCH_PAIR_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "workload.h"

#define PAIR_MAX_ARMS	8
#define PAIR_MAX_POINTS	64

enum pair_design { PAIR_PAIRED, PAIR_SEQUENTIAL };

struct pair_arm {
	const struct strategy *s;
	double delay_frac;	/* "dep+1%": 0.01, a known slowdown (fl_run.delay_frac) */
	bool perf;		/* "dep+perf": its windows count perf events (fl_run.perf) */
	char label[48];		/* as given: "dep", "dep+1%" */
};

struct pair_point {
	const struct fl_mix *mix;
	unsigned cpus;
};

struct pair_sample {
	unsigned point, round, arm, pos;	/* pos: place in the round's order */
	double ops_per_s, ns_per_op, cpu_share_min;
	uint64_t violations;
};

struct pair_params {
	struct pair_arm arms[PAIR_MAX_ARMS];
	unsigned nr_arms;
	struct pair_point points[PAIR_MAX_POINTS];
	unsigned nr_points;
	enum pair_design design;
	double window_s;	/* one window */
	double budget_s;	/* all rounds, all points */
	uint64_t seed;
	unsigned long slots;
	enum fl_lock lock;	/* the model's lock flavour (--lock=) */
	const struct fl_placement *place;
	bool duet;		/* one-thread points: base and arm at once, two CPUs */
	const struct fl_placement *place2;	/* place, its first two CPUs swapped */
	const struct fl_perf *perf;	/* what the +perf arms count (fl_perf_probe) */
	const volatile sig_atomic_t *stop;	/* set: finish the window, then stop */
	bool quiet;
};

struct pair_result {
	struct pair_sample *samples;
	unsigned nr_samples, cap;
	unsigned rounds;	/* complete rounds */
	double elapsed_s;
	bool interrupted;
};

/* Measure until the budget is spent (or *stop); 0 or -errno. */
int pair_run(struct pair_params *p, struct pair_result *r);
void pair_result_fini(struct pair_result *r);

#endif /* FL_BENCH_PAIR_H */
