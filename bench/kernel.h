/* SPDX-License-Identifier: GPL-2.0 */
/*
 * build/faultline-kernel: the real kernel's anonymous fault and GUP-fast
 * on this machine, at the model's CPU counts, so the model's costs can be
 * set beside them (docs/design.md §12).
 *
 * One window runs n workers, threads of one process (one mm) or processes
 * (one mm each), each pinned to its CPU, released together at a gate and
 * stopped together by the controller after the window's duration. A
 * worker's figures (wall and CPU time, operations, pages, the faults it
 * took) go to a result slot in shared memory, so processes report like
 * threads.
 *
 *  fault  (kernel_fault.c) will-it-scale's page_fault1: mmap a private
 *         anonymous region, write one byte per page, munmap, again.
 *  gup    (kernel_gup.c) vmsplice(2) of a written anonymous buffer into a
 *         pipe, which pins its pages with get_user_pages_fast(), then a
 *         splice(2) of the pipe to /dev/null, which drops them.
 */
#ifndef FL_BENCH_KERNEL_H
#define FL_BENCH_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "perf.h"
#include "placement.h"

/* A check passes when a worker's faults per page touched are within this of 1. */
#define KERNEL_FAULTS_PER_PAGE_TOLERANCE	0.01

enum kernel_mode { KERNEL_THREADS, KERNEL_PROCESSES };

struct kernel_result {
	int err;			/* 0 or a positive errno */
	const char *what;		/* err: the call that failed */
	uint64_t wall_ns, cpu_ns;	/* over the window */
	uint64_t calls;			/* fault: regions; gup: vmsplice calls */
	uint64_t pages;			/* fault: pages touched; gup: pages spliced */
	uint64_t faults;		/* getrusage minflt, see each test */
	unsigned perf_read;		/* perf events read (perf.h), one bit each */
	uint64_t perf[FL_PERF_NR];
};

struct kernel_job;

/* A worker's gate and stop flag; a test's body calls kernel_window_open()
 * when its set-up is done and polls kernel_window_stop(). */
struct kernel_window;
void kernel_window_open(struct kernel_window *w);
bool kernel_window_stop(const struct kernel_window *w);
/* What the worker measures over its window: clocks, and the perf events. */
void kernel_window_close(struct kernel_window *w, struct kernel_result *r);
uint64_t kernel_minflt(void);	/* this thread's minor faults so far */

/* A test: one worker's set-up, window and tear-down; 0 or a positive errno
 * with r->what set. */
typedef int kernel_body_fn(const struct kernel_job *j, struct kernel_window *w,
			   struct kernel_result *r);
kernel_body_fn kernel_fault_body, kernel_gup_body;
/* What each test measures, in one sentence each (kernel.json's "methods"). */
extern const char kernel_fault_method[], kernel_gup_method[];

struct kernel_job {
	kernel_body_fn *body;
	enum kernel_mode mode;
	unsigned workers;
	double duration_s;
	const struct fl_placement *place;
	const struct fl_perf *perf;	/* NULL: no perf events */
	size_t region_bytes;		/* fault: the region mapped each time */
	bool populate;			/* fault: MAP_POPULATE (no fault to take: a control) */
	unsigned pages_per_call;	/* gup: pages per vmsplice */
	bool unfaulted;			/* gup: MADV_DONTNEED first (the GUP must fault: a control) */
};

/* Run one window of j; res[workers]. 0, or -errno if the workers could not
 * be started (a worker's own failure is in its res[].err). */
int kernel_run(const struct kernel_job *j, struct kernel_result *res);

#endif /* FL_BENCH_KERNEL_H */
