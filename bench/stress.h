/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stress mode for real hardware, in the style of litmus7: many small
 * independent instances of the fault/GUP race, writers and readers released
 * together every round by a barrier; each reader makes ONE GUP attempt per
 * publication per round (no polling for the pte), starting after a random
 * number of cpu_relax() drawn per round and paced to follow the writers
 * (stress.c), and the outcomes are classified only after the round, once
 * every writer has finished.
 *
 * Threads are laid out in groups by position: a triple (writer 0, writer 1,
 * reader; the two writers share each instance's VMAs, so one of them maps
 * an anon_vma the other published: the three-CPU chain), a pair (writer,
 * reader) when only two CPUs are left, a group of four (two writers, two
 * readers) when one is left over. Thread t holds position (t + round) % n,
 * so every CPU plays every role, in every group, in turn.
 *
 * Per reader shape (dep, indep, chain) it counts trials (GUPs that returned
 * a proven-current pte) and violations, and states the power of the run: a
 * one-sided 95% upper bound on the violation rate when none was seen, the
 * rate and its 95% Clopper-Pearson interval when some were.
 */
#ifndef FL_BENCH_STRESS_H
#define FL_BENCH_STRESS_H

#include "workload.h"

#define STRESS_INSTANCES	16	/* instances per group, each its own mm */
#define STRESS_SLOTS		8	/* per instance mm ... */
#define STRESS_SLOTS_PER_VMA	2	/* ... in 4 VMAs, one per round in turn */
#define STRESS_MAX_DELAY	64	/* a reader spins 0..63 cpu_relax() (drawn per
					 * round) before its first attempt ... */
#define STRESS_MAX_PACE		4096	/* ... and its pace before each attempt */
#define STRESS_MIN_TRIALS	100	/* fewer trials with no violation: no conclusion */


/* What one or more readers saw. */
struct stress_tally {
	uint64_t attempts;	/* single GUP attempts */
	uint64_t trials;	/* returned a proven-current pte: the dep and indep trials */
	uint64_t trials_chain;	/* of those, the anon_vma published by the other writer */
	uint64_t unseen;	/* found no pte: not a trial */
	uint64_t retries;	/* saw a pte but lost a race (seqcount, refcount): not a trial */
	uint64_t stale_refs;	/* of those, a refcount read 0 under a pte proven current */
	uint64_t viol_dep, viol_indep, viol_chain;
};

struct stress_params {
	unsigned cpus;			/* threads, >= 2 */
	double duration_s;		/* stop after this long ... */
	uint64_t max_rounds;		/* ... or this many rounds (0: no limit) */
	uint64_t seed;			/* the readers' delay sequence */
	bool clear_page;		/* faults clear the 4 KiB page */
	enum fl_lock lock;		/* the model's lock flavour (--lock=) */
	const struct fl_placement *place;	/* NULL: do not pin */
	bool oversubscribed;		/* more threads than CPUs: yield while waiting */
};

struct stress_result {
	unsigned cpus;
	unsigned pairs, triples, quads;	/* the groups (stress_layout()) */
	bool chain_run;			/* some group has two writers (cpus >= 3) */
	bool pinned;			/* every thread was pinned to its CPU */
	uint64_t rounds;
	struct stress_tally t;
	double pace_mean;		/* the readers' cpu_relax() between attempts */
	double seconds;
};

enum stress_status {
	STRESS_NOT_RUN,		/* the shape needs more CPUs */
	STRESS_TOO_FEW,		/* no violation, but fewer than STRESS_MIN_TRIALS trials */
	STRESS_NONE_SEEN,	/* no violation in >= STRESS_MIN_TRIALS trials */
	STRESS_SEEN,		/* violations */
};

/* One cell: strategy x shape x cpus. */
struct stress_cell {
	enum stress_status status;
	uint64_t trials, violations;
	double rate;		/* violations / trials (0 without trials) */
	double upper95;		/* no violation: one-sided 95% upper bound on the rate */
	double lo95, hi95;	/* violations: two-sided 95% Clopper-Pearson interval */
};

const char *stress_status_name(enum stress_status s);

/* The group sizes for n >= 2 threads, by position, in sizes[] (room for
 * n / 2 entries); returns the number of groups. */
unsigned stress_layout(unsigned n, unsigned *sizes);

/* Account one GUP outcome r; chain: the pte it proved current maps a page
 * whose anon_vma another writer published (read after the round). */
void stress_account(struct stress_tally *c, unsigned r, bool chain);

/* A cell's status and bounds (binomial.h does the statistics). */
void stress_cell(const struct stress_result *r, enum fl_shape sh, struct stress_cell *c);
/* A correct strategy with a violation in any shape. */
bool stress_failed(const struct strategy *s, const struct stress_result *r);
/* A correct strategy with a shape it ran but could not conclude on. */
bool stress_inconclusive(const struct strategy *s, const struct stress_result *r);

/* Run s; 0 or -errno. */
int stress_run(const struct strategy *s, const struct stress_params *p, struct stress_result *r);

#endif /* FL_BENCH_STRESS_H */
