/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters every benchmark row of bench.json carries, defined once:
 * name, unit, meaning and how each is computed from a point's totals. The
 * harness sets them, faultline --describe=json lists them, the reports read
 * the units from there.
 */
#ifndef FL_BENCH_COUNTERS_H
#define FL_BENCH_COUNTERS_H

#include "workload.h"

/*
 * A repetition whose least-served thread got less than this share of its
 * CPU over the window is noisy: the host took the CPU away, and its
 * figures are flagged, never averaged away.
 */
#define FL_NOISY_CPU_SHARE	0.9

struct fl_counter {
	const char *name;
	const char *unit;
	const char *desc;
	/* avail: the CPUs the run may use (more threads: oversubscribed) */
	double (*value)(const struct fl_totals *a, unsigned avail);
};

extern const struct fl_counter fl_counters[];
extern const unsigned fl_nr_counters;

#endif /* FL_BENCH_COUNTERS_H */
