// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "workload.h"
#include "clock.h"

/* ---- mixes ---------------------------------------------------------- */

static enum fl_role role_gup(unsigned tid, unsigned n)
{
	if (n == 1)
		return ROLE_MIXED;
	return tid == 0 ? ROLE_WRITER : ROLE_READER;
}

static enum fl_role role_fault(unsigned tid, unsigned n)
{
	(void)tid;
	(void)n;
	return ROLE_WRITER;
}

static enum fl_role role_read(unsigned tid, unsigned n)
{
	(void)tid;
	(void)n;
	return ROLE_READER;
}

static enum fl_role role_publish(unsigned tid, unsigned n)
{
	(void)tid;
	(void)n;
	return ROLE_PUBLISHER;
}

const struct fl_mix fl_mixes[] = {
	{ .name = "gup", .role = role_gup, .primary = "gups", .counter = "gups_per_s",
	  .unit = "GUPs/s",
	  .desc = "GUP-heavy: 1 faulting/zapping writer, the other threads GUP (1 thread: both)" },
	{ .name = "fault", .role = role_fault, .primary = "faults", .counter = "faults_per_s",
	  .unit = "faults/s",
	  .desc = "fault-heavy: every thread faults and zaps its own slots in shared VMAs" },
	{ .name = "read", .role = role_read, .primary = "gups", .counter = "gups_per_s",
	  .unit = "GUPs/s", .populate = true,
	  .desc = "readers only, on a fully populated table" },
	{ .name = "publish", .role = role_publish, .primary = "publishes",
	  .counter = "publishes_per_s", .unit = "publishes/s",
	  .desc = "the publish path alone (init + ordering + store), thread-private, no lock" },
};

const unsigned fl_nr_mixes = ARRAY_SIZE(fl_mixes);

const struct fl_mix *fl_mix_find(const char *name)
{
	unsigned i;

	for (i = 0; i < fl_nr_mixes; i++)
		if (!strcmp(fl_mixes[i].name, name))
			return &fl_mixes[i];
	return NULL;
}

const char *fl_role_name(enum fl_role r)
{
	static const char *const names[] = { "writer", "reader", "mixed", "publisher" };

	return names[r];
}

/* ---- time and barrier ----------------------------------------------- */

/*
 * A generation barrier: reusable across windows with any thread count and
 * no per-thread state (Google Benchmark makes new threads for every run).
 */
void fl_barrier_wait(struct fl_barrier *b, unsigned n, bool yield)
{
	unsigned long gen = smp_load_acquire(&b->gen);
	unsigned spins = 0;

	if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == n) {
		WRITE_ONCE(b->count, 0UL);
		smp_store_release(&b->gen, gen + 1);	/* Pairs with the acquire below. */
		return;
	}
	while (smp_load_acquire(&b->gen) == gen) {
		cpu_relax();
		if (yield || ++spins % 4096 == 0)
			sched_yield();
	}
}

/* ---- role loops ------------------------------------------------------ */

#define FL_POLL_EVERY	8
#define FL_PUBLISH_BATCH	64	/* publishes are ~2 ns: poll less often */

static void reader_burst(struct fl_thread *t, const struct strategy *s, unsigned nr)
{
	while (nr--)
		gup_count(t, s->gup(t, t->read_base + (fl_rand(&t->rng) & t->read_mask)));
}

/*
 * The window's end: a timer thread sleeps to an absolute deadline and raises
 * the stop flag, so the window ends on time however slow an operation gets
 * (a preempted lock holder, say). Everyone polls the flag every
 * FL_POLL_EVERY operations; it stays in every reader's cache until then.
 */
static void *window_timer(void *arg)
{
	struct fl_run *run = arg;
	struct timespec ts = {
		.tv_sec = (time_t)(run->deadline_ns / 1000000000ull),
		.tv_nsec = (long)(run->deadline_ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	WRITE_ONCE(run->stop, 1);
	return NULL;
}

bool fl_role_is_primary(const struct fl_mix *mix, enum fl_role role)
{
	if (!strcmp(mix->primary, "faults"))
		return role == ROLE_WRITER || role == ROLE_MIXED;
	if (!strcmp(mix->primary, "publishes"))
		return role == ROLE_PUBLISHER;
	return role == ROLE_READER || role == ROLE_MIXED;
}

static void run_role(struct fl_run *run, struct fl_thread *t, enum fl_role role)
{
	const struct strategy *s = run->s;
	unsigned i;

	if (run->delay_frac > 0 && fl_role_is_primary(run->mix, role)) {
		uint64_t until = fl_now_ns() + (uint64_t)(run->delay_frac * run->duration_s * 1e9);

		while (fl_now_ns() < until && !READ_ONCE(run->stop))
			cpu_relax();
	}
	do {
		switch (role) {
		case ROLE_WRITER:
			for (i = 0; i < FL_POLL_EVERY; i++)
				strategy_writer_step(s, t);
			break;
		case ROLE_READER:
			reader_burst(t, s, FL_POLL_EVERY);
			break;
		case ROLE_MIXED:
			reader_burst(t, s, FL_MIXED_GUPS);
			strategy_writer_step(s, t);
			break;
		case ROLE_PUBLISHER:
			s->publish(t, FL_PUBLISH_BATCH);
			break;
		}
	} while (!READ_ONCE(run->stop));
}

/* ---- set-up and tear-down (thread 0) -------------------------------- */

static void run_teardown(struct fl_run *run, unsigned n)
{
	unsigned i;

	if (run->timer_started) {
		WRITE_ONCE(run->stop, 1);	/* a failed set-up never started a window */
		pthread_join(run->timer, NULL);
		run->timer_started = false;
	}
	if (run->threads) {
		for (i = 0; i < n; i++) {
			fl_thread_fini(&run->threads[i]);
			mm_destroy(run->threads[i].priv);
		}
	}
	free(run->threads);
	free(run->res);
	mm_destroy(run->mm);
	run->threads = NULL;
	run->res = NULL;
	run->mm = NULL;
}

static int populate(struct fl_run *run)
{
	struct fl_thread setup;
	unsigned long k;
	int err;

	memset(&setup, 0, sizeof(setup));
	setup.mm = run->mm;
	err = fl_thread_init_writer(&setup, 0, 1);
	for (k = 0; !err && k < run->cfg.nr_slots; k++)
		if (run->s->fault(&setup, writer_slot(&setup, k)) != FAULT_OK)
			err = -ENOMEM;
	fl_thread_fini(&setup);
	return err;
}

static int run_setup(struct fl_run *run, unsigned n)
{
	struct mm_config priv_cfg = { .nr_slots = 2, .slots_per_vma = 2 };
	unsigned i, nw = 0, w = 0, nr = 0, r = 0;
	int err;

	run->stop = 0;
	memset(&run->tot, 0, sizeof(run->tot));
	err = mm_create(&run->mm, &run->cfg);
	if (err)
		return err;
	run->threads = aligned_alloc(FL_CACHELINE, n * sizeof(*run->threads));
	run->res = calloc(n, sizeof(*run->res));
	if (!run->threads || !run->res)
		return -ENOMEM;
	memset(run->threads, 0, n * sizeof(*run->threads));
	for (i = 0; i < n; i++) {
		enum fl_role r = run->mix->role(i, n);

		nw += r == ROLE_WRITER || r == ROLE_MIXED;
		nr += r == ROLE_READER;
	}
	for (i = 0; i < n; i++) {
		struct fl_thread *t = &run->threads[i];
		enum fl_role role = run->mix->role(i, n);

		t->mm = run->mm;
		t->id = i;
		run->res[i].role = role;
		if (role == ROLE_WRITER || role == ROLE_MIXED) {
			err = fl_thread_init_writer(t, w++, nw);
			if (err)
				return err;
		}
		if (role == ROLE_READER || role == ROLE_MIXED)
			fl_thread_init_reader(t, run->seed + i);
		if (role == ROLE_READER)
			fl_thread_reader_block(t, r++, nr);
		if (role == ROLE_PUBLISHER) {
			err = mm_create(&t->priv, &priv_cfg);
			if (err)
				return err;
		}
	}
	if (run->mix->populate && (err = populate(run)))
		return err;
	return 0;
}

/* Last: the window starts when the threads leave the set-up barrier. */
static int run_start_timer(struct fl_run *run)
{
	run->deadline_ns = fl_now_ns() + (uint64_t)(run->duration_s * 1e9);
	if (pthread_create(&run->timer, NULL, window_timer, run))
		return -EAGAIN;
	run->timer_started = true;
	return 0;
}

static void run_aggregate(struct fl_run *run, unsigned n)
{
	struct fl_totals *tot = &run->tot;
	uint64_t wall = 0, cpu = 0;
	unsigned i, k;

	memset(tot, 0, sizeof(*tot));
	tot->nthreads = n;
	tot->cpu_share_min = 1e9;
	tot->perf_counted = ~0u;
	for (i = 0; i < n; i++) {
		const struct fl_thread_result *r = &run->res[i];
		double share = r->wall_ns ? (double)r->cpu_ns / (double)r->wall_ns : 0;

		tot->writers += r->role == ROLE_WRITER || r->role == ROLE_MIXED;
		tot->readers += r->role == ROLE_READER || r->role == ROLE_MIXED;
		wall += r->wall_ns;
		cpu += r->cpu_ns;
		if (share < tot->cpu_share_min)
			tot->cpu_share_min = share;
		fl_counts_add(&tot->c, &r->c);
		tot->perf_counted &= r->perf_read;
		for (k = 0; k < FL_PERF_NR; k++)
			tot->perf[k] += r->perf[k];
	}
	tot->wall_s_sum = (double)wall / 1e9;
	tot->window_s = tot->wall_s_sum / n;
	tot->cpu_share = wall ? (double)cpu / (double)wall : 0;
	tot->primary_threads = 0;
	for (i = 0; i < n; i++)
		tot->primary_threads += fl_role_is_primary(run->mix, run->res[i].role);
	if (!strcmp(run->mix->primary, "faults"))
		tot->primary_ops = tot->c.faults;
	else if (!strcmp(run->mix->primary, "publishes"))
		tot->primary_ops = tot->c.publishes;
	else
		tot->primary_ops = tot->c.gups;
}

void fl_totals_add(struct fl_totals *acc, const struct fl_totals *t)
{
	double min = acc->nthreads ? acc->cpu_share_min : t->cpu_share_min;
	double cpu = acc->cpu_share * acc->wall_s_sum + t->cpu_share * t->wall_s_sum;
	struct fl_totals sum = *acc;
	unsigned i;

	sum.nthreads = t->nthreads;
	sum.writers = t->writers;
	sum.readers = t->readers;
	sum.primary_threads = t->primary_threads;
	sum.window_s += t->window_s;
	sum.wall_s_sum += t->wall_s_sum;
	sum.cpu_share = sum.wall_s_sum > 0 ? cpu / sum.wall_s_sum : 0;
	sum.cpu_share_min = t->cpu_share_min < min ? t->cpu_share_min : min;
	sum.primary_ops += t->primary_ops;
	fl_counts_add(&sum.c, &t->c);
	sum.perf_counted = acc->nthreads ? acc->perf_counted & t->perf_counted : t->perf_counted;
	for (i = 0; i < FL_PERF_NR; i++)
		sum.perf[i] += t->perf[i];
	*acc = sum;
}

/* ---- one window ------------------------------------------------------ */

int fl_run_thread(struct fl_run *run, unsigned tid, unsigned n, double *window_s)
{
	struct fl_thread_result *res;
	struct fl_perf_thread perf;
	struct fl_thread *t;
	uint64_t w0, c0;
	cpu_set_t saved;
	bool pinned = false;
	/* More threads than CPUs: waiters must give theirs up. */
	bool yield = run->yield_in_barrier || (run->place && n > run->place->nr_cpus);
	int err;

	if (run->place)
		pinned = fl_pin_self(run->place, tid, &saved) == 0;
	/* Before thread 0's set-up, whose faults run the strategy's paths. */
	strategy_thread_start(run->s);
	/* Opened here, outside the window; an event that fails is left out. */
	fl_perf_thread_open(&perf, run->perf);
	if (tid == 0) {
		run->error = run_setup(run, n);
		/* A duet: two runs' windows start together, whatever either's set-up did. */
		if (run->gate)
			fl_barrier_wait(run->gate, 2, false);
		if (!run->error)
			run->error = run_start_timer(run);
	}
	fl_barrier_wait(&run->bar, n, yield);
	err = READ_ONCE(run->error);
	if (err)
		goto out;

	t = &run->threads[tid];
	res = &run->res[tid];
	/* The counters run just around the window's clocks. */
	fl_perf_thread_start(&perf);
	c0 = fl_cpu_now_ns();
	w0 = fl_now_ns();
	run_role(run, t, res->role);
	res->wall_ns = fl_now_ns() - w0;
	res->cpu_ns = fl_cpu_now_ns() - c0;
	res->perf_read = fl_perf_thread_stop(&perf, res->perf);
	res->c = t->c;
	if (window_s)
		*window_s = (double)res->wall_ns / 1e9;
out:
	fl_barrier_wait(&run->bar, n, yield);
	fl_perf_thread_close(&perf);
	if (tid == 0) {
		if (!err)
			run_aggregate(run, n);
		run_teardown(run, n);
	}
	strategy_thread_stop(run->s);
	if (pinned)
		fl_unpin_self(&saved);
	return err;
}

struct spawn_arg {
	struct fl_run *run;
	unsigned tid, n;
	int err;
};

static void *spawn_main(void *p)
{
	struct spawn_arg *a = p;

	a->err = fl_run_thread(a->run, a->tid, a->n, NULL);
	return NULL;
}

int fl_run_window(struct fl_run *run, unsigned n)
{
	struct spawn_arg *args = calloc(n, sizeof(*args));
	pthread_t *tids = calloc(n, sizeof(*tids));
	unsigned i, made = 0;
	int err = 0;

	if (!args || !tids || !n) {
		free(args);
		free(tids);
		return -ENOMEM;
	}
	for (i = 1; i < n; i++) {
		args[i] = (struct spawn_arg){ run, i, n, 0 };
		if (pthread_create(&tids[i], NULL, spawn_main, &args[i]))
			break;
		made++;
	}
	if (made != n - 1) {
		/* Could not make every thread: tell the others to give up.
		 * They are parked in the set-up barrier waiting for n. */
		err = -EAGAIN;
		WRITE_ONCE(run->error, err);
		for (i = made + 1; i < n; i++)
			fl_barrier_wait(&run->bar, n, true);
	} else {
		err = fl_run_thread(run, 0, n, NULL);
	}
	for (i = 1; i <= made; i++)
		pthread_join(tids[i], NULL);
	free(args);
	free(tids);
	return err;
}
