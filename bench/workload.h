/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared fault/GUP workload driver. One fl_run is one fixed-duration
 * window: n threads (pinned, started together) each play a role given by the
 * mix, poll a shared stop flag, and keep their counters local until the end.
 * Google Benchmark calls fl_run_thread() from each of its threads; tests
 * and tools call fl_run_window(), which makes the threads itself.
 */
#ifndef FL_BENCH_WORKLOAD_H
#define FL_BENCH_WORKLOAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "../strategies/strategy.h"
#include "perf.h"
#include "placement.h"

enum fl_role {
	ROLE_WRITER,		/* faults and zaps its own slots */
	ROLE_READER,		/* GUPs random slots */
	ROLE_MIXED,		/* one writer step per FL_MIXED_GUPS GUPs */
	ROLE_PUBLISHER,		/* the publish path alone, on a private object */
};

#define FL_MIXED_GUPS	16

struct fl_mix {
	const char *name;
	const char *desc;
	const char *primary;	/* "gups", "faults" or "publishes" */
	const char *counter;	/* its rate in bench.json (bench/counters.c) */
	const char *unit;	/* ... and that rate's unit */
	bool populate;		/* map every slot before the window */
	enum fl_role (*role)(unsigned tid, unsigned nthreads);
};

extern const struct fl_mix fl_mixes[];
extern const unsigned fl_nr_mixes;
const struct fl_mix *fl_mix_find(const char *name);
const char *fl_role_name(enum fl_role r);

struct fl_thread_result {
	enum fl_role role;
	uint64_t wall_ns, cpu_ns;
	struct fl_counts c;
	unsigned perf_read;		/* events read over the window, one bit each */
	uint64_t perf[FL_PERF_NR];
};

struct fl_totals {
	unsigned nthreads, writers, readers;
	unsigned primary_threads;	/* those doing the mix's primary operation */
	double window_s;	/* mean of the per-thread windows */
	double wall_s_sum;	/* sum of the per-thread windows */
	double cpu_share;	/* sum cpu / sum wall */
	double cpu_share_min;	/* the least-served thread */
	uint64_t primary_ops;
	struct fl_counts c;	/* summed over threads */
	/* perf events every thread of every window counted, and their sums */
	unsigned perf_counted;
	uint64_t perf[FL_PERF_NR];
};

struct fl_barrier {
	unsigned long count __cacheline_aligned;
	unsigned long gen __cacheline_aligned;
};

struct fl_run {
	/* parameters: set before any thread starts */
	const struct strategy *s;
	const struct fl_mix *mix;
	struct mm_config cfg;
	double duration_s;
	const struct fl_placement *place;	/* NULL: do not pin */
	uint64_t seed;
	bool yield_in_barrier;			/* unpinned and oversubscribed */
	/*
	 * A known slowdown, for the paired benchmarks' detection test: each
	 * thread doing the mix's primary operation first busy-waits this
	 * fraction of the window, so its throughput drops by exactly that
	 * fraction however short an operation is (0: none, the default;
	 * faultline itself never sets it). A per-operation delay cannot be
	 * made that exact: 1% of a 0.7 ns publish is a fiftieth of a cycle.
	 */
	double delay_frac;
	/* Set: another run's thread 0 meets this one's here before both start
	 * their windows (faultline-pair's duet; two runs of one thread each). */
	struct fl_barrier *gate;
	/* Set: each thread counts these perf events over its window (perf.h). */
	const struct fl_perf *perf;
	/* set up by thread 0 for each window */
	struct mm *mm;
	struct fl_thread *threads;
	struct fl_thread_result *res;
	uint64_t deadline_ns;
	pthread_t timer;
	bool timer_started;
	int error;
	struct fl_barrier bar;
	int stop __cacheline_aligned;
	/* valid in thread 0 once fl_run_thread() returns */
	struct fl_totals tot;
};

/* Does a thread of this role perform the mix's primary operation? */
bool fl_role_is_primary(const struct fl_mix *mix, enum fl_role role);

/* Wait until n threads have arrived; reusable, no per-thread state. */
void fl_barrier_wait(struct fl_barrier *b, unsigned n, bool yield);

/* Run one window as thread tid of n; returns 0 or -errno. *window_s gets
 * this thread's own measured window. */
int fl_run_thread(struct fl_run *run, unsigned tid, unsigned n, double *window_s);
/* Run one window with n threads made here; returns 0 or -errno. */
int fl_run_window(struct fl_run *run, unsigned n);
void fl_totals_add(struct fl_totals *acc, const struct fl_totals *t);

#endif /* FL_BENCH_WORKLOAD_H */
