/* SPDX-License-Identifier: GPL-2.0 */
/*
 * build/faultline-soak: one long-lived process that runs rounds, each one
 * window of the workload driver (workload.h) for one (strategy, mix) at
 * oversubscription x the usable CPUs, every strategy x mix once per pass,
 * and samples its own resident set after every round. The soak's thresholds
 * are defined here, once; soak.json carries them for scripts/soak
 * (docs/design.md, "Soak").
 */
#ifndef FL_BENCH_SOAK_H
#define FL_BENCH_SOAK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "cli.h"
#include "sysinfo.h"

/* Resident memory is flat when, over the rounds after the warm-up passes,
 * max/min - 1 <= this. */
#define FL_SOAK_RSS_TOLERANCE	0.01
/* The passes (every strategy x mix once) not judged for flatness: the
 * allocator's arenas, thread stacks and page caches settle in the first. */
#define FL_SOAK_WARMUP_PASSES	1
/* The allocator's configuration in the soak (soak_main.c says why). */
#define FL_SOAK_MALLOC_CONF	"tcache:false,narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"
/* Flatness needs at least this many samples after the warm-up. */
#define FL_SOAK_MIN_SAMPLES	2

struct soak_options {
	struct fl_options o;		/* first: the shared kinds write into it */
	double total_s;			/* native soak time */
	double window_s;		/* one round */
	unsigned factor;		/* threads = factor x usable CPUs */
	unsigned leak_kib;		/* test only: keep this much more memory each round */
	unsigned inject_round;		/* test only: round N (1-based) reports one violation */
};

struct soak_round {
	unsigned pass;
	const struct strategy *s;
	const struct fl_mix *mix;
	unsigned threads;
	uint64_t ops;			/* the mix's primary operations */
	uint64_t violations;		/* every shape (fl_counts_violations) */
	uint64_t injected;		/* of those, put there by --inject-violation */
	uint64_t retries;
	double window_s;
	double cpu_share, cpu_share_min;	/* fl_totals: sum cpu / sum wall, least served */
	uint64_t rss_kib;		/* after the round, threads joined, mm torn down */
	double elapsed_s;		/* since the soak began, at the round's end */
};

struct soak_summary {
	unsigned rounds, passes;	/* passes: completed ones */
	uint64_t ops, violations;
	unsigned rss_samples;		/* rounds after the warm-up */
	uint64_t rss_min_kib, rss_max_kib;
	double rss_spread;		/* max/min - 1 */
	int flat;			/* 1, 0, or -1: too few samples to say */
	double cpus_got_mean, cpus_got_min;	/* cpu_share x threads: CPUs' worth received */
	double steal_s;			/* the machine's steal time over the soak (/proc/stat) */
	double elapsed_s;
};

struct soak {
	const struct soak_options *so;
	const struct fl_placement *pl;
	struct fl_sysinfo si;
	struct soak_round *rounds;
	unsigned nr_rounds, cap_rounds;
	void **leaks;			/* --leak-kib's blocks, freed at the end */
	double steal0;
	struct soak_summary sum;
	bool interrupted, complete;
};

/* The resident set of this process, KiB (/proc/self/statm); 0 if unreadable. */
uint64_t fl_soak_rss_kib(void);
/* Seconds of steal time of the whole machine so far (/proc/stat); -1 if unreadable. */
double fl_soak_steal_s(void);
/* Summary of sk's rounds so far (sk->sum). */
void fl_soak_summarise(struct soak *sk);
/* soak.json, whole: {"tool", "complete", "interrupted", "machine", "placement",
 * "parameters", "thresholds", "rounds", "summary"}. */
void fl_soak_print_json(const struct soak *sk, FILE *f);
/*
 * Run rounds until total_s has passed or *stop is set (checked between
 * rounds); after every round, report progress and call save(). 0, or -errno
 * of a window that failed.
 */
int fl_soak_run(struct soak *sk, volatile sig_atomic_t *stop, int (*save)(struct soak *sk));
void fl_soak_fini(struct soak *sk);

#endif /* FL_BENCH_SOAK_H */
