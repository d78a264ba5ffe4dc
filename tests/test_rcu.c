// SPDX-License-Identifier: GPL-2.0
/*
 * sync/rcu.h on liburcu, and the rcu strategy's grace periods.
 *
 * The grace-period test (tests/rcu_gp.h) on two threads: with
 * synchronize_rcu() before each poison the reader never sees one, over at
 * least GP_MIN_RACING sections that a publication raced (counted); without
 * it (the control) the reader catches a poisoned object. Then the
 * strategy: its zaps recycle after one grace period per FL_RETIRE_BATCH,
 * and a fault that finds its page pool empty takes back what waits.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "sync/spinlock.h"
#include "strategies/strategy.h"
#include "rcu_gp.h"

#define GP_MIN_RACING	1000		/* racing sections a Never needs */
#define GP_BUDGET_NS	(3ULL * 1000 * 1000 * 1000)	/* per run, at most */
#define GP_CHECKS	64		/* checks of its object per section */

static void *reader_main(void *arg)
{
	struct gp_world *w = arg;

	rcu_register_thread();
	while (!smp_load_acquire(&w->stop))	/* Pairs with the release in gp_run(). */
		gp_read(w, GP_CHECKS);
	rcu_unregister_thread();
	return NULL;
}

/* Update until the reader has GP_MIN_RACING racing sections (or, with wait
 * false, has caught a poison), or the budget is spent. */
static void gp_run(struct gp_world *w, bool wait)
{
	uint64_t t0 = fl_now_ns();
	pthread_t tid;

	gp_world_init(w, wait);
	rcu_register_thread();
	assert_int_equal(pthread_create(&tid, NULL, reader_main, w), 0);
	while (fl_now_ns() - t0 < GP_BUDGET_NS &&
	       __atomic_load_n(&w->racing, __ATOMIC_RELAXED) < GP_MIN_RACING &&
	       (wait || !__atomic_load_n(&w->poisoned, __ATOMIC_RELAXED)))
		gp_update(w);
	smp_store_release(&w->stop, 1UL);	/* Pairs with the acquire in reader_main(). */
	pthread_join(tid, NULL);
	rcu_unregister_thread();
}

static struct gp_world world;	/* cache-aligned: not on the stack */

static void test_grace_period(void **state)
{
	(void)state;
	gp_run(&world, true);
	print_message("grace period: %lu sections, %lu racing, %lu poisoned, %lu updates\n",
		      world.trials, world.racing, world.poisoned, world.gen);
	assert_int_equal(world.poisoned, 0);
	assert_true(world.racing >= GP_MIN_RACING);
}

/* The control: no grace period, and the reader sees the poison. */
static void test_no_grace_period_caught(void **state)
{
	(void)state;
	gp_run(&world, false);
	print_message("no grace period: %lu sections, %lu racing, %lu poisoned\n",
		      world.trials, world.racing, world.poisoned);
	assert_true(world.poisoned > 0);
}

/*
 * The strategy's zaps: one grace period per FL_RETIRE_BATCH pages (a VMA
 * is torn down once per 1024 zaps here, so the anon_vma batch never fills
 * first), each recycling its batch.
 */
static void test_strategy_batches(void **state)
{
	const struct strategy *s = strategy_find("rcu");
	struct mm_config cfg = { .nr_slots = 4096, .slots_per_vma = 1024 };
	static struct fl_thread t;
	unsigned long steps;

	(void)state;
	assert_non_null(s);
	memset(&t, 0, sizeof(t));
	assert_int_equal(mm_create(&t.mm, &cfg), 0);
	assert_int_equal(fl_thread_init_writer(&t, 0, 1), 0);
	strategy_thread_start(s);
	for (steps = 0; steps < 3 * cfg.nr_slots; steps++)
		strategy_writer_step(s, &t);
	assert_true(t.c.zaps > 4 * FL_RETIRE_BATCH);
	assert_int_equal(t.c.fault_retries, 0);
	assert_int_equal(t.c.grace_periods, t.c.zaps / FL_RETIRE_BATCH);
	assert_int_equal(t.retire.nr_pages, t.c.zaps % FL_RETIRE_BATCH);
	assert_true(t.c.vma_teardowns > 0);
	s->retire_flush(&t);
	assert_int_equal(t.retire.nr_pages + t.retire.nr_avs, 0);
	/* Nothing is left to wait for: another flush is no grace period. */
	steps = t.c.grace_periods;
	s->retire_flush(&t);
	assert_int_equal(t.c.grace_periods, steps);
	strategy_thread_stop(s);
	fl_thread_fini(&t);
	mm_destroy(t.mm);
}

/* A writer with two pages: every zap's page waits, so the next fault finds
 * the pool empty and must take it back after a grace period to go on. */
static void test_strategy_pool_dry(void **state)
{
	const struct strategy *s = strategy_find("rcu");
	struct mm_config cfg = { .nr_slots = 2, .slots_per_vma = 2 };
	static struct fl_thread t;
	unsigned long i;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(mm_create(&t.mm, &cfg), 0);
	assert_int_equal(fl_thread_init_writer(&t, 0, 1), 0);
	strategy_thread_start(s);
	for (i = 0; i < 100; i++)
		strategy_writer_step(s, &t);
	assert_true(t.c.faults >= 50);
	assert_true(t.c.grace_periods > 0);
	strategy_thread_stop(s);
	fl_thread_fini(&t);
	mm_destroy(t.mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_no_grace_period_caught),
		cmocka_unit_test(test_strategy_batches),
		cmocka_unit_test(test_strategy_pool_dry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
