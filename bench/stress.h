/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stress mode for real hardware, in the style of litmus7: many small
 * independent instances of the fault/GUP race, writers and readers released
 * together every round, roles swapped between the CPUs of a pair each round.
 * It counts, per strategy, reader shape and CPU count, how many publications
 * the readers observed (trials) and how many of those were violations.
 */
#ifndef FL_BENCH_STRESS_H
#define FL_BENCH_STRESS_H

#include "workload.h"

#define STRESS_INSTANCES	16	/* per writer/reader pair */
#define STRESS_POLL		2000	/* GUP attempts before a reader gives up on a round */

struct stress_result {
	unsigned cpus;
	uint64_t rounds, trials, unseen, viol_dep, viol_indep;
	double seconds;
};

/* Run s on n threads (n >= 2) for about duration_s; 0 or -errno. */
int stress_run(const struct strategy *s, unsigned n, double duration_s,
	       const struct fl_placement *place, bool oversubscribed, struct stress_result *r);

#endif /* FL_BENCH_STRESS_H */
