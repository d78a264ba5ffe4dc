// SPDX-License-Identifier: GPL-2.0
/*
 * One window of the real-kernel tests (kernel.h): start the workers as
 * threads or processes, release them together, stop them after the
 * window's duration, collect their results from shared memory.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../sync/barrier.h"
#include "clock.h"
#include "kernel.h"

/* MAP_SHARED, so forked workers report here as threads do. */
struct kernel_shared {
	unsigned long arrived __cacheline_aligned;	/* at the gate, or given up */
	int go __cacheline_aligned;
	int stop __cacheline_aligned;
	struct kernel_result res[];
};

struct kernel_window {
	struct kernel_shared *sh;
	const struct kernel_job *j;
	bool opened;
	struct fl_perf_thread perf;
	uint64_t w0, c0;
};

uint64_t kernel_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : (uint64_t)ru.ru_minflt;
}

void kernel_window_open(struct kernel_window *w)
{
	fl_perf_thread_open(&w->perf, w->j->perf);	/* outside the window */
	w->opened = true;
	__atomic_add_fetch(&w->sh->arrived, 1, __ATOMIC_ACQ_REL);
	while (!smp_load_acquire(&w->sh->go))
		sched_yield();
	fl_perf_thread_start(&w->perf);
	w->c0 = fl_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w->w0 = fl_clock_ns(CLOCK_MONOTONIC);
}

bool kernel_window_stop(const struct kernel_window *w)
{
	return READ_ONCE(w->sh->stop);
}

void kernel_window_close(struct kernel_window *w, struct kernel_result *r)
{
	r->wall_ns = fl_clock_ns(CLOCK_MONOTONIC) - w->w0;
	r->cpu_ns = fl_clock_ns(CLOCK_THREAD_CPUTIME_ID) - w->c0;
	r->perf_read = fl_perf_thread_stop(&w->perf, r->perf);
}

struct worker {
	const struct kernel_job *j;
	struct kernel_shared *sh;
	unsigned idx;
};

static void worker_run(const struct worker *wk)
{
	struct kernel_window w = { .sh = wk->sh, .j = wk->j };
	struct kernel_result r;
	cpu_set_t saved;
	int err;

	memset(&r, 0, sizeof(r));
	if (fl_pin_self(wk->j->place, wk->idx, &saved)) {
		r.err = errno ? errno : EINVAL;
		r.what = "pin to its CPU";
	} else if ((err = wk->j->body(wk->j, &w, &r))) {
		r.err = err;
	}
	if (!w.opened)	/* failed before the gate: do not hold the others */
		__atomic_add_fetch(&wk->sh->arrived, 1, __ATOMIC_ACQ_REL);
	else
		fl_perf_thread_close(&w.perf);
	wk->sh->res[wk->idx] = r;
}

static void *worker_thread(void *arg)
{
	worker_run(arg);
	return NULL;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Wait for every worker at the gate (a process that died counts as there). */
static void wait_gate(struct kernel_shared *sh, unsigned n, const pid_t *pids, bool *reaped)
{
	unsigned i, dead = 0;

	while (__atomic_load_n(&sh->arrived, __ATOMIC_ACQUIRE) + dead < n) {
		sleep_ns(50000);
		for (i = 0; pids && i < n; i++) {
			if (!reaped[i] && waitpid(pids[i], NULL, WNOHANG) == pids[i]) {
				reaped[i] = true;
				dead++;
			}
		}
	}
}

int kernel_run(const struct kernel_job *j, struct kernel_result *res)
{
	size_t size = sizeof(struct kernel_shared) + j->workers * sizeof(struct kernel_result);
	struct kernel_shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct worker *wk = calloc(j->workers, sizeof(*wk));
	pthread_t *tids = calloc(j->workers, sizeof(*tids));
	pid_t *pids = calloc(j->workers, sizeof(*pids));
	bool *reaped = calloc(j->workers, sizeof(*reaped));
	unsigned i, started = 0;
	int err = 0;

	if (sh == MAP_FAILED || !wk || !tids || !pids || !reaped) {
		err = -ENOMEM;
		goto out;
	}
	memset(sh, 0, size);
	for (i = 0; i < j->workers; i++) {
		wk[i] = (struct worker){ j, sh, i };
		sh->res[i].err = ECHILD;	/* overwritten by a worker that reports */
		sh->res[i].what = "report (the worker died)";
		if (j->mode == KERNEL_THREADS) {
			if (pthread_create(&tids[i], NULL, worker_thread, &wk[i]))
				break;
		} else {
			pids[i] = fork();
			if (pids[i] < 0)
				break;
			if (pids[i] == 0) {
				worker_run(&wk[i]);
				_exit(0);
			}
		}
		started++;
	}
	if (started < j->workers) {
		err = -EAGAIN;
		/* the ones started wait at the gate: let them run a null window */
		__atomic_add_fetch(&sh->arrived, j->workers - started, __ATOMIC_ACQ_REL);
	}
	wait_gate(sh, j->workers, j->mode == KERNEL_PROCESSES ? pids : NULL, reaped);
	smp_store_release(&sh->go, 1);
	if (!err)
		sleep_ns((uint64_t)(j->duration_s * 1e9));
	WRITE_ONCE(sh->stop, 1);
	for (i = 0; i < started; i++) {
		if (j->mode == KERNEL_THREADS)
			pthread_join(tids[i], NULL);
		else if (!reaped[i])
			waitpid(pids[i], NULL, 0);
	}
	memcpy(res, sh->res, j->workers * sizeof(*res));
out:
	if (sh != MAP_FAILED)
		munmap(sh, size);
	free(wk);
	free(tids);
	free(pids);
	free(reaped);
	return err;
}
