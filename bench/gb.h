/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thin C interface to Google Benchmark 1.7.1 (libbenchmark-dev).
 * benchmark.h cannot be compiled as C, so every call crosses into gb.cc;
 * the measured loop does not: GB_LOOP asks for the whole batch at once
 * (KeepRunningBatch), so the body runs with no call per iteration.
 */
#ifndef FL_BENCH_GB_H
#define FL_BENCH_GB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gb_state gb_state;
typedef struct gb_bench gb_bench;
typedef void (*gb_fn)(gb_state *st, void *arg);

enum gb_unit { GB_NS, GB_US, GB_MS, GB_S };

/* Counter flags: the values of benchmark::Counter::Flags. */
enum {
	GB_CTR_DEFAULT = 0,
	GB_CTR_RATE = 1,
	GB_CTR_AVG_THREADS = 2,
};

/* Initialise; returns -1 if argv keeps unknown flags (argv[1] is the first). */
int gb_init(int *argc, char **argv);
size_t gb_run(void);
void gb_shutdown(void);
void gb_add_context(const char *key, const char *value);

gb_bench *gb_register(const char *name, gb_fn fn, void *arg);
void gb_threads(gb_bench *b, int n);
void gb_use_manual_time(gb_bench *b);
void gb_unit(gb_bench *b, enum gb_unit u);

bool gb_keep_running_batch(gb_state *st, int64_t n);
int64_t gb_max_iterations(const gb_state *st);
int gb_thread_index(const gb_state *st);
int gb_num_threads(const gb_state *st);
void gb_set_iteration_time(gb_state *st, double seconds);
void gb_counter_set(gb_state *st, const char *name, double v, unsigned flags);
void gb_skip_with_error(gb_state *st, const char *msg);
void gb_set_label(gb_state *st, const char *label);

/*
 * One loop over a benchmark's iterations, i = 0 .. max_iterations - 1. The
 * whole batch is asked for at i == 0 (where Google Benchmark starts the
 * clock and, with threads, releases them together) and given back after
 * the last one; in between no call crosses into C++. `break` leaves the
 * loop itself; a body that breaks must then say why with
 * gb_skip_with_error(), as Google Benchmark requires of a benchmark that
 * stops early.
 */
static inline bool gb_loop_next(gb_state *st, int64_t *i, int64_t n)
{
	++*i;
	if (*i == 0)
		return gb_keep_running_batch(st, n);
	if (*i < n)
		return true;
	(void)gb_keep_running_batch(st, n);	/* false: the batch is over */
	return false;
}

#define GB_LOOP(st, i)								\
	for (int64_t i = -1, gb_n_ = gb_max_iterations(st); gb_loop_next((st), &i, gb_n_);)

#ifdef __cplusplus
}
#endif

#endif /* FL_BENCH_GB_H */
