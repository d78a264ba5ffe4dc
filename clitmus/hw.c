// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware runner (hw.h), after litmus7: the test's threads are OS
 * threads that persist over the rounds; a round runs every instance once.
 * Before each instance the threads meet at that instance's own spinning
 * gate (litmus7's "user" barrier), so that they start its code together,
 * then each waits a small random skew, because the last to reach a gate
 * leaves it first (the others see the count a cache-line transfer later)
 * and a fixed skew would favour one interleaving. Between rounds the
 * threads sleep on semaphores, so the main thread, which initialises the
 * instances and reads the final states, takes no CPU from them while they
 * run; each round draws which CPU each thread is pinned to.
 *
 * Every instance has its own copy of the locations, each location on its
 * own cache line (FL_CACHELINE), so instances and locations share no line.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "front.h"	/* lt_now() */
#include "hw.h"
#include "native_backend.h"
#include "run.h"
#include "../sync/compiler.h"	/* FL_CACHELINE */

#define SKEW_MAX	8	/* cpu_relax() rounds of the start skew: 0..SKEW_MAX-1 */
#define SPIN_YIELD	64	/* gate spins before sched_yield() when threads > CPUs */

struct gate {
	unsigned long n;	/* threads that reached it */
} __attribute__((aligned(FL_CACHELINE)));

struct runner;

struct worker {
	pthread_t th;
	struct runner *R;
	unsigned tid;
	sem_t go;
	uint64_t rng;
	struct lt_regs *regs;		/* one register file per instance */
	unsigned char *faulted;		/* per instance: the thread had to stop */
	char fault[160];		/* the first reason, this round */
} __attribute__((aligned(FL_CACHELINE)));

struct runner {
	const struct lt_test *t;
	unsigned ninst, nthreads;
	char *mem;			/* ninst x nlocs lines */
	struct lt_inst *inst;
	struct gate *gate;
	struct worker *w;
	sem_t done;
	bool stop;
	bool oversubscribed;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void gate_wait(const struct runner *R, struct gate *g)
{
	unsigned spins = 0;

	__atomic_add_fetch(&g->n, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&g->n, __ATOMIC_ACQUIRE) < R->nthreads) {
		lt_native_relax();
		/* More threads than CPUs: the last one may not be running. */
		if (R->oversubscribed && ++spins == SPIN_YIELD) {
			spins = 0;
			sched_yield();
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct runner *R = w->R;
	struct lt_thread_run x = { .t = R->t, .tid = w->tid, .ops = &lt_native_ops };
	unsigned k, i, skew;

	for (;;) {
		while (sem_wait(&w->go) && errno == EINTR)
			;
		if (__atomic_load_n(&R->stop, __ATOMIC_ACQUIRE))
			return NULL;
		w->fault[0] = 0;
		for (k = 0; k < R->ninst; k++) {
			skew = (unsigned)(xorshift(&w->rng) % SKEW_MAX);
			gate_wait(R, &R->gate[k]);
			for (i = 0; i < skew; i++)
				lt_native_relax();
			x.inst = &R->inst[k];
			x.regs = &w->regs[k];
			w->faulted[k] = lt_run_thread(&x) != 0;
			if (w->faulted[k] && !w->fault[0])
				snprintf(w->fault, sizeof(w->fault), "%s", x.fault);
		}
		sem_post(&R->done);
	}
}

/* The CPUs this process may run on. */
static unsigned usable_cpus(int *cpu, unsigned max)
{
	cpu_set_t set;
	unsigned n = 0;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (i = 0; i < CPU_SETSIZE && n < max; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	return n;
}

/* This round's CPUs: a random order of them, thread i on the i-th (wrapping). */
static bool place(struct runner *R, const int *cpu, unsigned ncpu, uint64_t *rng)
{
	unsigned perm[CPU_SETSIZE], i, j, tmp;
	bool ok = true;

	for (i = 0; i < ncpu; i++)
		perm[i] = i;
	for (i = ncpu; i > 1; i--) {
		j = (unsigned)(xorshift(rng) % i);
		tmp = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = tmp;
	}
	for (i = 0; i < R->nthreads; i++) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu[perm[i % ncpu]], &set);
		ok &= !pthread_setaffinity_np(R->w[i].th, sizeof(set), &set);
	}
	return ok;
}

static void init_round(struct runner *R)
{
	const struct lt_test *t = R->t;
	unsigned k, j, i;

	for (k = 0; k < R->ninst; k++) {
		struct lt_inst *in = &R->inst[k];

		for (j = 0; j < t->nlocs; j++) {
			if (t->loc[j].lock)
				lt_native_lock_init(in->addr[j]);
			else
				*(unsigned long *)in->addr[j] = lt_init_word(t, in, j);
		}
		R->gate[k].n = 0;
		for (i = 0; i < R->nthreads; i++)
			lt_regs_init(t, i, in, &R->w[i].regs[k]);
	}
}

/* Read the round's final states into the outcome. */
static void collect(struct runner *R, struct lt_hw_result *r, uint64_t first_trial)
{
	const struct lt_test *t = R->t;
	struct lt_final f;
	unsigned k, i, j;

	for (k = 0; k < R->ninst; k++) {
		const struct lt_inst *in = &R->inst[k];
		bool faulted = false;

		for (i = 0; i < R->nthreads; i++) {
			if (R->w[i].faulted[k]) {
				if (!r->o.faulted && !faulted)
					snprintf(r->o.fault, sizeof(r->o.fault), "%s", R->w[i].fault);
				faulted = true;
			}
		}
		if (faulted) {
			r->o.faulted++;
			continue;
		}
		for (i = 0; i < R->nthreads; i++)
			for (j = 0; j < t->th[i].nregs; j++)
				f.reg[i][j] = lt_canon(t, in, R->w[i].regs[k].val[j]);
		for (j = 0; j < t->nlocs; j++)
			f.loc[j] = t->loc[j].lock ?
				(struct lt_value){ false, lt_native_lock_held(in->addr[j]) } :
				lt_canon(t, in, *(const long *)in->addr[j]);
		if (lt_outcome_add(&r->o, &f) == 1 && r->first_witness < 0)
			r->first_witness = (long long)(first_trial + k);
	}
}

static int wait_round(struct runner *R, double timeout)
{
	struct timespec ts;
	unsigned i;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)timeout;
	for (i = 0; i < R->nthreads; i++) {
		while (sem_timedwait(&R->done, &ts)) {
			if (errno != EINTR)
				return -1;
		}
	}
	return 0;
}

static void stop_workers(struct runner *R, unsigned started)
{
	unsigned i;

	__atomic_store_n(&R->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < started; i++)
		sem_post(&R->w[i].go);
	for (i = 0; i < started; i++)
		pthread_join(R->w[i].th, NULL);
}

static void free_runner(struct runner *R)
{
	unsigned i;

	if (R->w) {
		for (i = 0; i < R->nthreads; i++) {
			free(R->w[i].regs);
			free(R->w[i].faulted);
			sem_destroy(&R->w[i].go);
		}
	}
	free(R->w);
	free(R->gate);
	free(R->inst);
	free(R->mem);
	sem_destroy(&R->done);
}

int lt_hw_run(const struct lt_test *t, const struct lt_hw_params *p, struct lt_hw_result *r,
	      char *err, size_t errlen)
{
	static int cpu[CPU_SETSIZE];
	struct runner R = { .t = t, .ninst = p->instances, .nthreads = t->nthreads };
	uint64_t rng = p->seed * 0x9e3779b97f4a7c15ULL + 1, round;
	unsigned i, k, j, started = 0;
	double t0;

	memset(r, 0, sizeof(*r));
	lt_outcome_init(&r->o, t);
	r->first_witness = -1;
	r->threads = t->nthreads;
	r->cpus = usable_cpus(cpu, CPU_SETSIZE);
	if (!r->cpus) {
		snprintf(err, errlen, "cannot read this process's CPUs: %s", strerror(errno));
		return -1;
	}
	R.oversubscribed = t->nthreads > r->cpus;
	sem_init(&R.done, 0, 0);
	R.mem = aligned_alloc(FL_CACHELINE, (size_t)R.ninst * t->nlocs * FL_CACHELINE + FL_CACHELINE);
	R.inst = calloc(R.ninst, sizeof(*R.inst));
	R.gate = aligned_alloc(FL_CACHELINE, R.ninst * sizeof(*R.gate));
	R.w = aligned_alloc(FL_CACHELINE, t->nthreads * sizeof(*R.w));
	if (!R.mem || !R.inst || !R.gate || !R.w)
		goto nomem;
	memset(R.w, 0, t->nthreads * sizeof(*R.w));
	for (k = 0; k < R.ninst; k++)
		for (j = 0; j < t->nlocs; j++)
			R.inst[k].addr[j] = R.mem + ((size_t)k * t->nlocs + j) * FL_CACHELINE;
	for (i = 0; i < t->nthreads; i++) {
		struct worker *w = &R.w[i];

		w->R = &R;
		w->tid = i;
		w->rng = (p->seed + 1) * 0xbf58476d1ce4e5b9ULL + i * 0x94d049bb133111ebULL + 1;
		sem_init(&w->go, 0, 0);
		w->regs = calloc(R.ninst, sizeof(*w->regs));
		w->faulted = calloc(R.ninst, 1);
		if (!w->regs || !w->faulted)
			goto nomem;
	}
	for (i = 0; i < t->nthreads; i++, started++) {
		if (pthread_create(&R.w[i].th, NULL, worker_main, &R.w[i])) {
			snprintf(err, errlen, "cannot start thread %u: %s", i, strerror(errno));
			stop_workers(&R, started);
			free_runner(&R);
			return -1;
		}
	}
	r->pinned = true;
	t0 = lt_now();
	for (round = 0; p->rounds ? round < p->rounds :
	     round < p->min_rounds || lt_now() - t0 < p->budget; round++) {
		init_round(&R);
		r->pinned &= place(&R, cpu, r->cpus, &rng);
		for (i = 0; i < t->nthreads; i++)
			sem_post(&R.w[i].go);
		if (wait_round(&R, p->timeout)) {
			/* A thread waits forever (a lock never released): it cannot be
			 * stopped, so the process has to end; say so. */
			snprintf(err, errlen, "round %llu did not finish in %.0f s: a thread waits "
				 "forever (a spinlock never released?)", (unsigned long long)round,
				 p->timeout);
			return -1;
		}
		collect(&R, r, round * R.ninst);
	}
	r->seconds = lt_now() - t0;
	r->rounds = (unsigned)round;
	r->trials = round * (uint64_t)R.ninst;
	stop_workers(&R, started);
	free_runner(&R);
	return 0;
nomem:
	snprintf(err, errlen, "out of memory for %u instances", R.ninst);
	free_runner(&R);
	return -1;
}
