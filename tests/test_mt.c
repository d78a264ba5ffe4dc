// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-threaded runs of the real workload: every correct strategy, every
 * mix, 4 threads on a 2-CPU machine (oversubscribed on purpose, so threads
 * are preempted mid-path). A correct strategy can never report a violation,
 * by construction of the check (test_checker.c proves the check fires).
 * These runs also prove progress: the writers fault and the readers hit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "bench/workload.h"

#define MT_THREADS	4
#define MT_WINDOW_S	0.15

static struct fl_totals run_mix(const struct strategy *s, const char *mix, unsigned n)
{
	static struct fl_run run;	/* large and cache-aligned: not on the stack */

	memset(&run, 0, sizeof(run));
	run.s = s;
	run.mix = fl_mix_find(mix);
	assert_non_null(run.mix);
	run.cfg.nr_slots = 256;
	run.cfg.slots_per_vma = 16;	/* small VMAs: frequent teardown and anon_vma races */
	run.duration_s = MT_WINDOW_S;
	run.seed = 7;
	run.yield_in_barrier = true;
	assert_int_equal(fl_run_window(&run, n), 0);
	return run.tot;
}

static void check_correct(const struct strategy *s, const char *mix)
{
	struct fl_totals t = run_mix(s, mix, MT_THREADS);

	if (t.c.viol_dep || t.c.viol_indep)
		fail_msg("%s/%s: %llu dependent and %llu independent violations", mix, s->name,
			 (unsigned long long)t.c.viol_dep, (unsigned long long)t.c.viol_indep);
	assert_int_equal(t.nthreads, MT_THREADS);
	if (!strcmp(mix, "fault") || !strcmp(mix, "gup"))
		assert_true(t.c.faults > 0);
	if (!strcmp(mix, "fault"))
		assert_true(t.c.zaps > 0);
	if (!strcmp(mix, "gup") || !strcmp(mix, "read"))
		assert_true(t.c.gup_hits > 0);
	if (!strcmp(mix, "read"))
		assert_int_equal(t.c.gup_misses, 0);	/* fully populated */
	assert_true(t.window_s > 0);
}

/* Each correct strategy in each mix: zero violations. */
static void test_correct_strategies(void **state)
{
	static const char *const mixes[] = { "gup", "fault", "read", "publish" };
	unsigned i, m, tested = 0;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		if (fl_strategies[i]->kind != STRAT_CORRECT)
			continue;
		for (m = 0; m < ARRAY_SIZE(mixes); m++)
			check_correct(fl_strategies[i], mixes[m]);
		tested++;
	}
	assert_true(tested >= 6);
}

/* The fault-heavy mix really exercises VMA teardown and anon_vma races. */
static void test_fault_mix_recycles(void **state)
{
	struct fl_totals t;

	(void)state;
	t = run_mix(strategy_find("dep"), "fault", MT_THREADS);
	assert_true(t.c.vma_teardowns > 0);
	assert_true(t.c.anon_vma_allocs > t.c.vma_teardowns / 2);
	assert_int_equal(t.writers, MT_THREADS);
}

/* The GUP-heavy mix has one writer; the readers race with it and lose
 * sometimes (retries), which the re-check turns into retries, not violations. */
static void test_gup_mix_roles(void **state)
{
	struct fl_totals t;

	(void)state;
	t = run_mix(strategy_find("wmb-rmb"), "gup", MT_THREADS);
	assert_int_equal(t.writers, 1);
	assert_int_equal(t.readers, MT_THREADS - 1);
	assert_true(t.c.gup_misses > 0);	/* half the table is unmapped */
	t = run_mix(strategy_find("wmb-rmb"), "gup", 1);
	assert_int_equal(t.writers, 1);		/* one thread does both */
	assert_int_equal(t.readers, 1);
	assert_true(t.c.faults > 0 && t.c.gups > 0);
}

/* Controls and the baseline run to completion too (their verdict on x86
 * hardware is not asserted: TSO hides their bugs, see the emulation). */
static void test_controls_run(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		const struct strategy *s = fl_strategies[i];
		struct fl_totals t;

		if (s->kind == STRAT_CORRECT)
			continue;
		t = run_mix(s, "gup", s->kind == STRAT_BASELINE ? 1 : 2);
		assert_true(t.c.gups > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct_strategies),
		cmocka_unit_test(test_fault_mix_recycles),
		cmocka_unit_test(test_gup_mix_roles),
		cmocka_unit_test(test_controls_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
