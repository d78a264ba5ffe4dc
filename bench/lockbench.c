// SPDX-License-Identifier: GPL-2.0
/*
 * One lockbench point (lockbench.h): start the threads, pin each, release
 * them together once all are pinned, let them run for the duration, stop
 * them, sum what each published.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lockbench.h"
#include "clock.h"

struct lb_shared {
	spinlock_t lock __cacheline_aligned;
	unsigned long ready __cacheline_aligned;	/* threads pinned and waiting */
	unsigned long go;				/* 1: start; 2: stop */
	const struct lb_job *job;
	struct lb_result *res;
	int err;
};

struct lb_arg {
	struct lb_shared *sh;
	unsigned tid;
};

static void *lb_thread_fn(void *p)
{
	struct lb_arg *a = p;
	struct lb_shared *sh = a->sh;
	struct lb_thread *out = &sh->res->th[a->tid];
	uint64_t ops = 0, c0;
	cpu_set_t saved;
	unsigned k;

	if (sh->job->place && fl_pin_self(sh->job->place, a->tid, &saved))
		__atomic_store_n(&sh->err, -EINVAL, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		cpu_relax();
	out->t0_ns = fl_now_ns();
	c0 = fl_cpu_now_ns();
	/* The measured loop: nothing but the lock and the stop-flag poll. */
	while (__atomic_load_n(&sh->go, __ATOMIC_RELAXED) == 1) {
		for (k = 0; k < LB_POLL; k++) {
			spin_lock(&sh->lock);
			spin_unlock(&sh->lock);
		}
		ops += LB_POLL;
	}
	out->t1_ns = fl_now_ns();
	out->cpu_ns = fl_cpu_now_ns() - c0;
	out->ops = ops;
	return NULL;
}

int lb_run(const struct lb_job *j, struct lb_result *r)
{
	struct lb_shared *sh;
	struct lb_arg args[LB_MAX_THREADS];
	pthread_t t[LB_MAX_THREADS];
	struct timespec d;
	uint64_t first = UINT64_MAX, last = 0;
	unsigned i, n;
	int e = 0;

	if (!j->threads || j->threads > LB_MAX_THREADS)
		return -EINVAL;
	sh = aligned_alloc(FL_CACHELINE, sizeof(*sh));	/* its lines apart: not on the stack */
	if (!sh)
		return -ENOMEM;
	memset(sh, 0, sizeof(*sh));
	memset(r, 0, sizeof(*r));
	spin_lock_init(&sh->lock, j->lock);
	sh->job = j;
	sh->res = r;
	for (n = 0; n < j->threads; n++) {
		args[n] = (struct lb_arg){ sh, n };
		if ((e = -pthread_create(&t[n], NULL, lb_thread_fn, &args[n])))
			break;
	}
	if (!e) {
		while (__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE) < n)
			sched_yield();
		__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
		d.tv_sec = (time_t)j->duration_s;
		d.tv_nsec = (long)((j->duration_s - (double)d.tv_sec) * 1e9);
		while (nanosleep(&d, &d) && errno == EINTR)
			;
	}
	__atomic_store_n(&sh->go, 2, __ATOMIC_RELEASE);	/* stops, or releases, them all */
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (!e)
		e = sh->err;
	free(sh);
	if (e)
		return e;
	for (i = 0; i < n; i++) {
		r->ops += r->th[i].ops;
		r->cpu_s += (double)r->th[i].cpu_ns / 1e9;
		if (r->th[i].t0_ns < first)
			first = r->th[i].t0_ns;
		if (r->th[i].t1_ns > last)
			last = r->th[i].t1_ns;
	}
	r->wall_s = (double)(last - first) / 1e9;
	return 0;
}
