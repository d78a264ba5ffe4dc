// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "stress.h"

/* One instance: its own small mm, the writer and reader state for it. */
struct instance {
	struct mm *mm;
	struct fl_thread *w, *r;	/* two cache-aligned fl_threads */
};

struct stress {
	const struct strategy *s;
	const struct fl_placement *place;
	unsigned n, npairs;
	bool yield;
	uint64_t deadline_ns;
	struct instance *inst;		/* npairs * STRESS_INSTANCES */
	struct fl_thread *extra;	/* odd n: the unpaired reader's own state */
	struct fl_barrier bar;
	int stop __cacheline_aligned;
	struct stress_counts {
		uint64_t trials, unseen, viol_dep, viol_indep;
	} *counts;			/* per thread, cache-line padded */
	uint64_t rounds;
};

struct stress_arg {
	struct stress *st;
	unsigned tid;
	int err;
};

static void write_round(struct stress *st, struct instance *in, unsigned long slot)
{
	unsigned j;

	for (j = 0; j < STRESS_INSTANCES; j++)
		if (st->s->fault(in[j].w, slot) != FAULT_OK)
			return;
}

static void read_round(struct stress *st, struct instance *in, struct fl_thread *own,
		       unsigned long slot, struct stress_counts *c)
{
	unsigned j, tries, r;

	for (j = 0; j < STRESS_INSTANCES; j++) {
		struct fl_thread *rd = own ? &own[j] : in[j].r;

		for (tries = 0; tries < STRESS_POLL; tries++) {
			r = st->s->gup(rd, slot);
			if (r & GUP_OK)
				break;
		}
		if (!(r & GUP_OK)) {
			c->unseen++;
			continue;
		}
		c->trials++;
		c->viol_dep += !!(r & GUP_VIOL_DEP);
		c->viol_indep += !!(r & GUP_VIOL_INDEP);
	}
}

static void *stress_thread(void *p)
{
	struct stress_arg *a = p;
	struct stress *st = a->st;
	unsigned pair = a->tid / 2, side = a->tid % 2, round;
	bool paired = pair < st->npairs;
	struct instance *in = &st->inst[(size_t)(paired ? pair : 0) * STRESS_INSTANCES];
	struct stress_counts *c = &st->counts[a->tid * (FL_CACHELINE / sizeof(*c) + 1)];
	cpu_set_t saved;
	bool pinned = st->place && !fl_pin_self(st->place, a->tid, &saved);
	unsigned long slot;

	for (round = 0;; round++) {
		/* All threads start the round together; thread 0 decides
		 * whether there is one. */
		if (a->tid == 0 && fl_now_ns() >= st->deadline_ns)
			WRITE_ONCE(st->stop, 1);
		fl_barrier_wait(&st->bar, st->n, st->yield);
		if (READ_ONCE(st->stop))
			break;
		slot = round % in[0].mm->cfg.nr_slots;
		/* Roles swap every round: both CPUs of a pair write and read.
		 * A thread without a partner (odd n) reads pair 0 too. */
		if (paired && side == (round & 1))
			write_round(st, in, slot);
		else
			read_round(st, in, paired ? NULL : st->extra, slot, c);
		fl_barrier_wait(&st->bar, st->n, st->yield);
		if (paired && side == (round & 1)) {
			unsigned j;

			for (j = 0; j < STRESS_INSTANCES; j++)
				st->s->zap(in[j].w, slot);
		}
		if (a->tid == 0)
			st->rounds++;
	}
	if (pinned)
		fl_unpin_self(&saved);
	return NULL;
}

static void stress_free(struct stress *st)
{
	unsigned i;

	for (i = 0; st->inst && i < st->npairs * STRESS_INSTANCES; i++) {
		if (st->inst[i].w) {
			fl_thread_fini(st->inst[i].w);
			free(st->inst[i].w);
		}
		mm_destroy(st->inst[i].mm);
	}
	free(st->inst);
	free(st->counts);
	free(st->extra);
}

static int stress_setup(struct stress *st)
{
	struct mm_config cfg = { .nr_slots = 4, .slots_per_vma = 2 };
	unsigned i, nr = st->npairs * STRESS_INSTANCES;
	int err;

	st->inst = calloc(nr, sizeof(*st->inst));
	st->counts = calloc((size_t)st->n * (FL_CACHELINE / sizeof(*st->counts) + 1),
			    sizeof(*st->counts));
	if (!st->inst || !st->counts)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct instance *in = &st->inst[i];

		if ((err = mm_create(&in->mm, &cfg)))
			return err;
		in->w = aligned_alloc(FL_CACHELINE, 2 * sizeof(*in->w));
		if (!in->w)
			return -ENOMEM;
		memset(in->w, 0, 2 * sizeof(*in->w));
		in->r = in->w + 1;
		in->w->mm = in->r->mm = in->mm;
		if ((err = fl_thread_init_writer(in->w, 0, 1)))
			return err;
		fl_thread_init_reader(in->r, i + 1);
	}
	if (st->n % 2) {
		st->extra = aligned_alloc(FL_CACHELINE, STRESS_INSTANCES * sizeof(*st->extra));
		if (!st->extra)
			return -ENOMEM;
		memset(st->extra, 0, STRESS_INSTANCES * sizeof(*st->extra));
		for (i = 0; i < STRESS_INSTANCES; i++) {
			st->extra[i].mm = st->inst[i].mm;
			fl_thread_init_reader(&st->extra[i], nr + i + 1);
		}
	}
	return 0;
}

int stress_run(const struct strategy *s, unsigned n, double duration_s,
	       const struct fl_placement *place, bool oversubscribed, struct stress_result *r)
{
	struct stress *st = aligned_alloc(FL_CACHELINE, sizeof(*st));
	struct stress_arg *args = calloc(n, sizeof(*args));
	pthread_t *tids = calloc(n, sizeof(*tids));
	unsigned i, made = 0;
	uint64_t t0;
	int err;

	memset(r, 0, sizeof(*r));
	if (!st || !args || !tids || n < 2) {
		free(st);
		free(args);
		free(tids);
		return n < 2 ? -EINVAL : -ENOMEM;
	}
	memset(st, 0, sizeof(*st));
	*st = (struct stress){ .s = s, .place = place, .n = n, .npairs = n / 2,
			       .yield = oversubscribed };
	err = stress_setup(st);
	t0 = fl_now_ns();
	st->deadline_ns = t0 + (uint64_t)(duration_s * 1e9);
	for (i = 0; !err && i < n; i++) {
		args[i] = (struct stress_arg){ st, i, 0 };
		if (pthread_create(&tids[i], NULL, stress_thread, &args[i]))
			err = -EAGAIN;
		else
			made++;
	}
	if (err && made) {
		/* Threads already made wait in the barrier for n: stop them. */
		WRITE_ONCE(st->stop, 1);
		st->deadline_ns = 0;
		for (i = made; i < n; i++)
			fl_barrier_wait(&st->bar, n, true);
	}
	for (i = 0; i < made; i++)
		pthread_join(tids[i], NULL);
	r->cpus = n;
	r->seconds = (double)(fl_now_ns() - t0) / 1e9;
	r->rounds = st->rounds;
	for (i = 0; i < n; i++) {
		struct stress_counts *c = &st->counts[i * (FL_CACHELINE / sizeof(*c) + 1)];

		r->trials += c->trials;
		r->unseen += c->unseen;
		r->viol_dep += c->viol_dep;
		r->viol_indep += c->viol_indep;
	}
	stress_free(st);
	free(st);
	free(args);
	free(tids);
	return err;
}
