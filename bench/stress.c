// SPDX-License-Identifier: GPL-2.0
/*
 * The stress mode (see stress.h). One round:
 *
 *   barrier
 *   writers: fault their slot of this round in every instance of the group
 *   readers: spin k cpu_relax() (k drawn per round, 0..STRESS_MAX_DELAY-1),
 *            then per instance and per writer of the group: spin `pace`
 *            cpu_relax(), then ONE GUP of that writer's slot; keep the result
 *   barrier
 *   writers: zap their slots of the previous round (which may tear the VMA
 *            down: the next use of a VMA starts with no anon_vma)
 *   readers: classify and count this round's results, which no one touches
 *            now: a pte of this round is zapped only in the next round
 *
 * A GUP that found no pte is "unseen", not a trial: nothing was published
 * yet, so nothing could be stale. The pace tracks the writers: each reader
 * adjusts it by one after each round so that about half of its attempts
 * see a pte; it then walks the instances along the writers' publication
 * front, the random start k placing it at a different point of it each
 * round. (A reader much slower than the writers would see every pte long
 * after its publication, when nothing can be stale any more; one much
 * faster would see none.) Each instance is its own mm of
 * STRESS_SLOTS slots in VMAs of STRESS_SLOTS_PER_VMA; round r uses VMA
 * r % 4 of every instance, writer w of the group faulting its slot
 * 2 * (r % 4) + w there.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "binomial.h"
#include "stress.h"

#define STRESS_NR_VMAS	(STRESS_SLOTS / STRESS_SLOTS_PER_VMA)


const char *stress_status_name(enum stress_status s)
{
	static const char *const names[] = { "not run", "too few trials", "none seen", "seen" };

	return names[s];
}

/* ---- cells ------------------------------------------------------------ */

void stress_cell(const struct stress_result *r, enum fl_shape sh, struct stress_cell *c)
{
	memset(c, 0, sizeof(*c));
	c->trials = sh == SHAPE_CHAIN ? r->t.trials_chain : r->t.trials;
	c->violations = sh == SHAPE_DEP ? r->t.viol_dep :
			sh == SHAPE_INDEP ? r->t.viol_indep : r->t.viol_chain;
	if (sh == SHAPE_CHAIN && !r->chain_run) {
		c->status = STRESS_NOT_RUN;
		c->upper95 = 1;
		c->hi95 = 1;
		return;
	}
	if (c->violations) {
		c->status = STRESS_SEEN;
		c->rate = c->trials ? (double)c->violations / (double)c->trials : 1;
		binom_clopper_pearson(c->violations, c->trials, 0.05, &c->lo95, &c->hi95);
		c->upper95 = c->hi95;
		return;
	}
	c->status = c->trials < STRESS_MIN_TRIALS ? STRESS_TOO_FEW : STRESS_NONE_SEEN;
	c->upper95 = binom_upper0(c->trials, 0.05);
	c->hi95 = c->upper95;
}

bool stress_failed(const struct strategy *s, const struct stress_result *r)
{
	return s->kind != STRAT_CONTROL && (r->t.viol_dep || r->t.viol_indep || r->t.viol_chain);
}

bool stress_inconclusive(const struct strategy *s, const struct stress_result *r)
{
	struct stress_cell c;
	unsigned sh;

	if (s->kind == STRAT_CONTROL)
		return false;
	for (sh = 0; sh < NR_SHAPES; sh++) {
		stress_cell(r, (enum fl_shape)sh, &c);
		if (c.status == STRESS_TOO_FEW)
			return true;
	}
	return false;
}

/* ---- accounting ------------------------------------------------------ */

/*
 * The chain flag of gup_fast_one() rests on its own read of the anon_vma's
 * publisher, which may itself be stale; the chain argument here was read
 * after the round, when nothing moves. A GUP_VIOL_CHAIN on what is not a
 * chain trial is counted as the dependent violation it then is, so that
 * viol_chain <= trials_chain always holds.
 */
void stress_account(struct stress_tally *c, unsigned r, bool chain)
{
	c->attempts++;
	if (r & GUP_RETRY) {
		c->retries++;
		c->stale_refs += !!(r & GUP_STALE_REF);
		return;
	}
	if (!(r & GUP_OK)) {
		c->unseen++;
		return;
	}
	c->trials++;
	c->viol_indep += !!(r & GUP_VIOL_INDEP);
	if (chain) {
		c->trials_chain++;
		c->viol_chain += !!(r & GUP_VIOL_CHAIN);
		c->viol_dep += !!(r & GUP_VIOL_DEP);
	} else {
		c->viol_dep += !!(r & (GUP_VIOL_DEP | GUP_VIOL_CHAIN));
	}
}

static void tally_add(struct stress_tally *acc, const struct stress_tally *c)
{
	acc->attempts += c->attempts;
	acc->trials += c->trials;
	acc->trials_chain += c->trials_chain;
	acc->unseen += c->unseen;
	acc->retries += c->retries;
	acc->stale_refs += c->stale_refs;
	acc->viol_dep += c->viol_dep;
	acc->viol_indep += c->viol_indep;
	acc->viol_chain += c->viol_chain;
}

/* After the round, natively: does the current pte of slot map a page whose
 * anon_vma the other writer of the group published? */
static bool chain_trial(struct mm *mm, unsigned long slot)
{
	unsigned long pte = READ_ONCE(mm->pt[slot]);
	struct page *page;

	if (!pte_present(pte))
		return false;
	page = &mm->memmap[pte_pfn(pte)];
	return mapping_from_other_writer(page, READ_ONCE(page->mapping));
}

/* ---- layout ---------------------------------------------------------- */

/* Triples; two CPUs left over make a pair, one left over joins the last
 * triple as a second reader. n = 2 is one pair. */
unsigned stress_layout(unsigned n, unsigned *sizes)
{
	unsigned k = 0, left = n;

	while (left >= 3) {
		sizes[k++] = 3;
		left -= 3;
	}
	if (left == 2)
		sizes[k++] = 2;
	else if (left == 1 && k)
		sizes[k - 1] = 4;
	return k;
}

/* ---- the run --------------------------------------------------------- */

/* One instance: its own small mm and the state of each role of the group
 * on it ([0, nw) writers, then readers). A role's state moves with the
 * role from CPU to CPU; the round barriers order the hand-overs. */
struct instance {
	struct mm *mm;
	struct fl_thread *th;
};

struct group {
	unsigned first, size, nw;
	struct instance inst[STRESS_INSTANCES];
};

struct stress_thread {
	struct stress_tally t;
	uint64_t pace_sum, reader_rounds;
	bool pinned;
} __cacheline_aligned;

struct stress {
	const struct strategy *s;
	struct stress_params p;
	unsigned n, ngroups;
	bool yield;
	uint64_t t0_ns, deadline_ns;	/* thread 0's */
	struct group *groups;
	struct group **at;		/* position -> its group */
	struct stress_thread *th;	/* per thread */
	struct fl_barrier bar;
	int go;				/* 1: all threads made; -1: give up */
	int stop __cacheline_aligned;
	uint64_t rounds;
};

struct stress_arg {
	struct stress *st;
	unsigned tid;
};

static inline unsigned long group_slot(const struct group *g, uint64_t round, unsigned w)
{
	return (unsigned long)(round % STRESS_NR_VMAS) * STRESS_SLOTS_PER_VMA + (g->nw == 2 ? w : 0);
}

static void spin(unsigned k)
{
	while (k--)
		cpu_relax();
}

static void *stress_thread(void *p)
{
	struct stress_arg *a = p;
	struct stress *st = a->st;
	const struct strategy *s = st->s;
	struct stress_thread *me = &st->th[a->tid];
	unsigned res[STRESS_INSTANCES][2];
	unsigned pace[2] = { 0, 0 };	/* per group shape: one or two writers */
	uint64_t rng = (st->p.seed * 0x9e3779b97f4a7c15ULL) ^ ((a->tid + 1) * 0x2545f4914f6cdd1dULL);
	cpu_set_t saved;
	uint64_t round;
	int go;

	me->pinned = st->p.place && !fl_pin_self(st->p.place, a->tid, &saved);
	strategy_thread_start(s);
	if (!rng)
		rng = 1;
	/* Wait until every thread is made (or making one failed), then until
	 * every thread is pinned: the clock starts then. */
	while (!(go = smp_load_acquire(&st->go))) {
		cpu_relax();
		sched_yield();
	}
	if (go < 0)
		goto out;
	fl_barrier_wait(&st->bar, st->n, st->yield);
	if (a->tid == 0) {
		st->t0_ns = fl_now_ns();
		st->deadline_ns = st->t0_ns + (uint64_t)(st->p.duration_s * 1e9);
	}
	for (round = 0;; round++) {
		unsigned pos, role, j, w;
		struct group *g;

		/* Everyone starts the round together; thread 0 decides
		 * whether there is one. */
		if (a->tid == 0 && (fl_now_ns() >= st->deadline_ns ||
				    (st->p.max_rounds && round >= st->p.max_rounds)))
			WRITE_ONCE(st->stop, 1);
		fl_barrier_wait(&st->bar, st->n, st->yield);
		if (READ_ONCE(st->stop))
			break;
		pos = (unsigned)((a->tid + round) % st->n);
		g = st->at[pos];
		role = pos - g->first;
		if (role < g->nw) {
			for (j = 0; j < STRESS_INSTANCES; j++)
				s->fault(&g->inst[j].th[role], group_slot(g, round, role));
		} else {
			unsigned k = (unsigned)(fl_rand(&rng) % STRESS_MAX_DELAY), v = pace[g->nw - 1];

			/* Oversubscribed, a writer may share this CPU: let it
			 * run first, or it might never publish before us. */
			if (st->yield)
				sched_yield();
			spin(k);
			for (j = 0; j < STRESS_INSTANCES; j++) {
				for (w = 0; w < g->nw; w++) {
					spin(v);
					res[j][w] = s->gup(&g->inst[j].th[role], group_slot(g, round, w));
				}
			}
		}
		fl_barrier_wait(&st->bar, st->n, st->yield);
		if (role < g->nw) {
			for (j = 0; round && j < STRESS_INSTANCES; j++)
				s->zap(&g->inst[j].th[role], group_slot(g, round - 1, role));
		} else {
			unsigned seen = 0, *v = &pace[g->nw - 1];

			for (j = 0; j < STRESS_INSTANCES; j++) {
				for (w = 0; w < g->nw; w++) {
					bool chain = g->nw == 2 && (res[j][w] & GUP_OK) &&
						     chain_trial(g->inst[j].mm, group_slot(g, round, w));

					stress_account(&me->t, res[j][w], chain);
					seen += !!(res[j][w] & (GUP_OK | GUP_RETRY));
				}
			}
			me->pace_sum += *v;
			me->reader_rounds++;
			if (2 * seen > STRESS_INSTANCES * g->nw)
				*v -= *v > 0;		/* late: most were there */
			else if (*v < STRESS_MAX_PACE)
				(*v)++;			/* early: most were not */
		}
		if (a->tid == 0)
			st->rounds++;
	}
out:
	strategy_thread_stop(s);
	if (me->pinned)
		fl_unpin_self(&saved);
	return NULL;
}

static void stress_free(struct stress *st)
{
	unsigned i, j, k;

	for (i = 0; st->groups && i < st->ngroups; i++) {
		struct group *g = &st->groups[i];

		for (j = 0; j < STRESS_INSTANCES; j++) {
			struct instance *in = &g->inst[j];

			if (in->th) {
				for (k = 0; k < g->nw; k++)
					fl_thread_fini(&in->th[k]);
				free(in->th);
			}
			mm_destroy(in->mm);
		}
	}
	free(st->groups);
	free(st->at);
	free(st->th);
}

static int stress_setup(struct stress *st)
{
	struct mm_config cfg = { .nr_slots = STRESS_SLOTS, .slots_per_vma = STRESS_SLOTS_PER_VMA,
				 .clear_page = st->p.clear_page, .lock = st->p.lock };
	unsigned *sizes = calloc(st->n / 2 + 1, sizeof(*sizes));
	unsigned i, j, k, pos = 0;
	int err = 0;

	st->th = aligned_alloc(FL_CACHELINE, st->n * sizeof(*st->th));
	st->at = calloc(st->n, sizeof(*st->at));
	if (!sizes || !st->th || !st->at) {
		free(sizes);
		return -ENOMEM;
	}
	memset(st->th, 0, st->n * sizeof(*st->th));
	st->ngroups = stress_layout(st->n, sizes);
	st->groups = calloc(st->ngroups, sizeof(*st->groups));
	if (!st->groups) {
		free(sizes);
		return -ENOMEM;
	}
	for (i = 0; !err && i < st->ngroups; i++) {
		struct group *g = &st->groups[i];

		g->first = pos;
		g->size = sizes[i];
		g->nw = g->size >= 3 ? 2 : 1;
		for (k = 0; k < g->size; k++)
			st->at[pos++] = g;
		for (j = 0; !err && j < STRESS_INSTANCES; j++) {
			struct instance *in = &g->inst[j];

			if ((err = mm_create(&in->mm, &cfg)))
				break;
			in->th = aligned_alloc(FL_CACHELINE, g->size * sizeof(*in->th));
			if (!in->th) {
				err = -ENOMEM;
				break;
			}
			memset(in->th, 0, g->size * sizeof(*in->th));
			for (k = 0; k < g->size; k++) {
				in->th[k].mm = in->mm;
				in->th[k].id = k;
			}
			for (k = 0; !err && k < g->nw; k++)
				err = fl_thread_init_writer(&in->th[k], k, g->nw);
		}
	}
	free(sizes);
	return err;
}

int stress_run(const struct strategy *s, const struct stress_params *p, struct stress_result *r)
{
	struct stress *st;
	struct stress_arg *args;
	pthread_t *tids;
	unsigned i, made = 0, n = p->cpus;
	uint64_t pace_sum = 0, reader_rounds = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (n < 2 || s->kind == STRAT_BASELINE)
		return -EINVAL;		/* a race needs a writer and a reader */
	st = aligned_alloc(FL_CACHELINE, sizeof(*st));
	args = calloc(n, sizeof(*args));
	tids = calloc(n, sizeof(*tids));
	if (!st || !args || !tids) {
		free(st);
		free(args);
		free(tids);
		return -ENOMEM;
	}
	memset(st, 0, sizeof(*st));
	st->s = s;
	st->p = *p;
	st->n = n;
	st->yield = p->oversubscribed;
	err = stress_setup(st);
	for (i = 0; !err && i < n; i++) {
		args[i] = (struct stress_arg){ st, i };
		if (pthread_create(&tids[i], NULL, stress_thread, &args[i]))
			err = -EAGAIN;
		else
			made++;
	}
	smp_store_release(&st->go, err ? -1 : 1);	/* Pairs with the acquire in stress_thread(). */
	for (i = 0; i < made; i++)
		pthread_join(tids[i], NULL);
	r->cpus = n;
	r->seconds = err ? 0 : (double)(fl_now_ns() - st->t0_ns) / 1e9;
	r->rounds = st->rounds;
	r->pinned = p->place != NULL;
	for (i = 0; st->th && i < n; i++) {
		tally_add(&r->t, &st->th[i].t);
		r->pinned &= st->th[i].pinned;
		pace_sum += st->th[i].pace_sum;
		reader_rounds += st->th[i].reader_rounds;
	}
	r->pace_mean = reader_rounds ? (double)pace_sum / (double)reader_rounds : 0;
	for (i = 0; st->groups && i < st->ngroups; i++) {
		r->pairs += st->groups[i].size == 2;
		r->triples += st->groups[i].size == 3;
		r->quads += st->groups[i].size == 4;
		r->chain_run |= st->groups[i].nw == 2;
	}
	stress_free(st);
	free(st);
	free(args);
	free(tids);
	return err;
}
