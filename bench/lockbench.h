/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw lock+unlock benchmark (build/faultline-lockbench): N pinned
 * threads take and release one spinlock_t of a given flavour with an empty
 * critical section and no work in between, lockhammer's -c 0 -p 0
 * (ARM-software/synchronization-benchmarks, benchmarks/lockhammer), for a
 * fixed time. Each thread counts in a local and publishes once, at the end.
 */
#ifndef FL_BENCH_LOCKBENCH_H
#define FL_BENCH_LOCKBENCH_H

#include <stdint.h>
#include "placement.h"
#include "../sync/spinlock.h"

#define LB_MAX_THREADS	64
/* lock+unlock pairs between two reads of the stop flag (lockhammer
 * polls its timer every 10 pairs) */
#define LB_POLL		64

struct lb_job {
	enum fl_lock lock;
	unsigned threads;
	double duration_s;
	const struct fl_placement *place;	/* thread i on its i-th CPU */
};

struct lb_thread {
	uint64_t ops;		/* lock+unlock pairs */
	uint64_t t0_ns, t1_ns;	/* CLOCK_MONOTONIC at its first and after its last */
	uint64_t cpu_ns;	/* CLOCK_THREAD_CPUTIME_ID over the same span */
} __cacheline_aligned;

struct lb_result {
	uint64_t ops;		/* all threads */
	double wall_s;		/* first thread's start to last thread's end */
	double cpu_s;		/* all threads' CPU time */
	struct lb_thread th[LB_MAX_THREADS];
};

/* 0, or -errno (a thread could not start or be pinned). */
int lb_run(const struct lb_job *j, struct lb_result *r);

#endif /* FL_BENCH_LOCKBENCH_H */
