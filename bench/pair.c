// SPDX-License-Identifier: GPL-2.0
/* Paired measurement: the rounds (pair.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include "pair.h"
#include "clock.h"

static struct fl_run *make_run(const struct pair_params *p, unsigned ai, unsigned pi,
			       const struct fl_placement *place)
{
	const struct pair_arm *a = &p->arms[ai];
	const struct pair_point *pt = &p->points[pi];
	struct fl_run *run = aligned_alloc(FL_CACHELINE, sizeof(*run));

	if (!run)
		return NULL;
	memset(run, 0, sizeof(*run));
	run->s = a->s;
	run->mix = pt->mix;
	run->cfg.nr_slots = p->slots;
	run->cfg.slots_per_vma = p->slots >= 64 ? 64 : p->slots;
	run->cfg.lock = p->lock;
	run->duration_s = p->window_s;
	run->place = place;
	run->seed = p->seed;
	run->delay_frac = a->delay_frac;
	run->perf = a->perf ? p->perf : NULL;
	return run;
}

static void fill(const struct fl_run *run, unsigned ai, unsigned pi, struct pair_sample *smp)
{
	const struct fl_totals *t = &run->tot;

	smp->arm = ai;
	smp->point = pi;
	smp->ops_per_s = t->window_s > 0 ? (double)t->primary_ops / t->window_s : 0;
	/* thread time per primary operation, of the threads doing it */
	smp->ns_per_op = t->primary_ops ?
		t->window_s * t->primary_threads * 1e9 / (double)t->primary_ops : 0;
	smp->cpu_share_min = t->cpu_share_min;
	smp->violations = fl_counts_violations(&t->c);
}

/* One window of one arm at one point; its figures into *smp. */
static int window(const struct pair_params *p, unsigned ai, unsigned pi,
		  struct pair_sample *smp)
{
	struct fl_run *run = make_run(p, ai, pi, p->place);
	int err;

	if (!run)
		return -ENOMEM;
	err = fl_run_window(run, p->points[pi].cpus);
	if (!err)
		fill(run, ai, pi, smp);
	free(run);
	return err;
}

struct duet_side {
	struct fl_run *run;
	int err;
};

static void *duet_main(void *arg)
{
	struct duet_side *d = arg;

	d->err = fl_run_window(d->run, 1);
	return NULL;
}

/*
 * A duet: one-thread windows of arms a and b at once, a on the placement's
 * first CPU and b on its second (swapped: the other way round), their
 * windows started together at a shared gate; a slowdown of the whole
 * machine hits both.
 */
static int duet(const struct pair_params *p, unsigned a, unsigned b, unsigned pi, bool swap,
		struct pair_sample *sa, struct pair_sample *sb)
{
	struct fl_barrier *gate = aligned_alloc(FL_CACHELINE, sizeof(*gate));
	struct duet_side x = { 0 }, y = { 0 };
	pthread_t tid;
	int err = -ENOMEM;

	x.run = make_run(p, a, pi, swap ? p->place2 : p->place);
	y.run = make_run(p, b, pi, swap ? p->place : p->place2);
	if (!gate || !x.run || !y.run)
		goto out;
	memset(gate, 0, sizeof(*gate));
	x.run->gate = y.run->gate = gate;
	if (pthread_create(&tid, NULL, duet_main, &y)) {
		err = -EAGAIN;
		goto out;
	}
	duet_main(&x);
	pthread_join(tid, NULL);
	err = x.err ? x.err : y.err;
	if (!err) {
		fill(x.run, a, pi, sa);
		fill(y.run, b, pi, sb);
		sa->pos = swap;
		sb->pos = !swap;
	}
out:
	free(gate);
	free(x.run);
	free(y.run);
	return err;
}

static int push(struct pair_result *r, const struct pair_sample *s)
{
	if (r->nr_samples == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 1024;
		struct pair_sample *n = realloc(r->samples, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		r->samples = n;
		r->cap = cap;
	}
	r->samples[r->nr_samples++] = *s;
	return 0;
}

static void shuffle(unsigned *v, unsigned n, uint64_t *rng)
{
	unsigned i, j, x;

	for (i = n; i > 1; i--) {
		j = (unsigned)(fl_rand(rng) % i);
		x = v[i - 1];
		v[i - 1] = v[j];
		v[j] = x;
	}
}

static void progress(const struct pair_params *p, const struct pair_result *r, double t0,
		     double *last)
{
	double t = fl_now_s(), done = t - t0;

	if (p->quiet || t - *last < 2.0)
		return;
	*last = t;
	fprintf(stderr, "\rfaultline-pair: %s round %u, %u samples, %.0f/%.0f s, ETA %.0f s   ",
		p->design == PAIR_PAIRED ? "paired" : "sequential", r->rounds, r->nr_samples,
		done, p->budget_s, p->budget_s > done ? p->budget_s - done : 0);
}

/*
 * One round of a one-thread point in duets: the base against each other
 * arm in random order, on alternating CPUs; each duet is its own "round"
 * (round * (arms - 1) + arm - 1) so that the base's window pairs with the
 * one it ran beside.
 */
static int duet_round(const struct pair_params *p, struct pair_result *r, unsigned pi,
		      uint64_t *rng)
{
	unsigned ord[PAIR_MAX_ARMS], j, k = p->nr_arms - 1;
	int err;

	for (j = 0; j < k; j++)
		ord[j] = j + 1;
	shuffle(ord, k, rng);
	for (j = 0; j < k; j++) {
		struct pair_sample sa = { .round = r->rounds * k + ord[j] - 1 };
		struct pair_sample sb = sa;

		if (*p->stop) {
			r->interrupted = true;
			return 0;
		}
		err = duet(p, 0, ord[j], pi, (r->rounds + ord[j]) & 1, &sa, &sb);
		if (err || (err = push(r, &sa)) || (err = push(r, &sb)))
			return err;
	}
	return 0;
}

/* Rounds until the budget is spent: every point, every arm, in random order. */
static int run_paired(const struct pair_params *p, struct pair_result *r, double t0)
{
	unsigned pord[PAIR_MAX_POINTS], aord[PAIR_MAX_ARMS], i, j;
	uint64_t rng = p->seed * 0x9e3779b97f4a7c15ull + 1;
	double last = t0;
	int err;

	for (;;) {
		for (i = 0; i < p->nr_points; i++)
			pord[i] = i;
		shuffle(pord, p->nr_points, &rng);
		for (i = 0; i < p->nr_points; i++) {
			if (p->duet && p->points[pord[i]].cpus == 1) {
				err = duet_round(p, r, pord[i], &rng);
				if (err || r->interrupted)
					return err;
				continue;
			}
			for (j = 0; j < p->nr_arms; j++)
				aord[j] = j;
			shuffle(aord, p->nr_arms, &rng);
			for (j = 0; j < p->nr_arms; j++) {
				struct pair_sample s = { .round = r->rounds, .pos = j };

				if (*p->stop) {
					r->interrupted = true;
					return 0;
				}
				err = window(p, aord[j], pord[i], &s);
				if (err || (err = push(r, &s)))
					return err;
			}
		}
		r->rounds++;
		progress(p, r, t0, &last);
		if (fl_now_s() - t0 >= p->budget_s)
			return 0;
	}
}

/*
 * The sequential design: each arm's share of the budget in one block per
 * point, arms in the order given, as separate benchmark points run. The
 * k-th window of each block is "round" k, for the same statistics.
 */
static int run_sequential(const struct pair_params *p, struct pair_result *r, double t0)
{
	double share = p->budget_s / (p->nr_points * p->nr_arms), last = t0;
	unsigned i, j, k, most = 0;
	int err;

	for (i = 0; i < p->nr_points; i++) {
		for (j = 0; j < p->nr_arms; j++) {
			double start = fl_now_s();

			for (k = 0; fl_now_s() - start < share; k++) {
				struct pair_sample s = { .round = k, .pos = j };

				if (*p->stop) {
					r->interrupted = true;
					return 0;
				}
				err = window(p, j, i, &s);
				if (err || (err = push(r, &s)))
					return err;
				progress(p, r, t0, &last);
			}
			if (k > most)
				most = k;
		}
	}
	r->rounds = most;
	return 0;
}

int pair_run(struct pair_params *p, struct pair_result *r)
{
	double t0;
	int err;

	memset(r, 0, sizeof(*r));
	t0 = fl_now_s();
	err = p->design == PAIR_PAIRED ? run_paired(p, r, t0) : run_sequential(p, r, t0);
	r->elapsed_s = fl_now_s() - t0;
	if (!p->quiet)
		fputc('\n', stderr);
	return err;
}

void pair_result_fini(struct pair_result *r)
{
	free(r->samples);
	r->samples = NULL;
	r->nr_samples = r->cap = 0;
}
