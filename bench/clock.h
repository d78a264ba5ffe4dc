/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clocks the drivers read: CLOCK_MONOTONIC for wall time, in ns
 * (sync/spinlock.h's fl_now_ns(), which the lock statistics use) or in
 * seconds, and CLOCK_THREAD_CPUTIME_ID for the calling thread's CPU time.
 */
#ifndef FL_BENCH_CLOCK_H
#define FL_BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t fl_clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The calling thread's CPU time. */
static inline uint64_t fl_cpu_now_ns(void)
{
	return fl_clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* Wall time in seconds, for deadlines and progress lines. */
static inline double fl_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif /* FL_BENCH_CLOCK_H */
