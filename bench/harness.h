/* SPDX-License-Identifier: GPL-2.0 */
/* Registers the faultline benchmarks with Google Benchmark and turns each
 * window's totals into counters. */
#ifndef FL_BENCH_HARNESS_H
#define FL_BENCH_HARNESS_H

#include "cli.h"
#include "perf.h"
#include "sysinfo.h"

/* perf: what fl_perf_probe() found (perf->on false: nothing is counted). */
int fl_harness_register(const struct fl_options *o, const struct fl_placement *p,
			const struct fl_perf *perf);
void fl_harness_context(const struct fl_options *o, const struct fl_placement *p,
			const struct fl_sysinfo *si, const struct fl_perf *perf);
/* Free what registration allocated, after gb_shutdown(). */
void fl_harness_release(void);
/* Number of runs that failed (set up or thread errors). */
unsigned fl_harness_failures(void);

#endif /* FL_BENCH_HARNESS_H */
