// SPDX-License-Identifier: GPL-2.0
/*
 * The grace-period test (tests/rcu_gp.h) on the emulator: sync/rcu_emu.c,
 * liburcu's memb algorithm in the vocabulary, under every emulated model,
 * seeds 1..GP_SEEDS. With synchronize_rcu() before each poison no reader
 * section sees one, over at least GP_MIN_RACING racing sections per model
 * (counted); without it (the control) sections catch the poison, on every
 * model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include "emu/emu.h"
#include "sync/spinlock.h"
#include "tests/rcu_gp.h"

#define GP_SEEDS	200
#define GP_UPDATES	8		/* per run */
#define GP_CHECKS	3		/* checks of its object per section */
#define GP_MIN_RACING	VERDICT_MIN_TRIALS

static struct gp_world world;

static void updater(void *arg)
{
	struct gp_world *w = arg;
	unsigned i;

	rcu_register_thread();
	for (i = 0; i < GP_UPDATES; i++)
		gp_update(w);
	WRITE_ONCE(w->stop, 1UL);
	rcu_unregister_thread();
}

static void reader(void *arg)
{
	struct gp_world *w = arg;

	rcu_register_thread();
	while (!READ_ONCE(w->stop))
		gp_read(w, GP_CHECKS);
	rcu_unregister_thread();
}

struct tally {
	unsigned long racing, poisoned, seeds_poisoned;
};

static struct tally run(enum fl_machine m, bool wait)
{
	const emu_fn fn[2] = { updater, reader };
	void *const arg[2] = { &world, &world };
	struct tally t = { 0 };
	unsigned seed;

	for (seed = 1; seed <= GP_SEEDS; seed++) {
		struct emu_config c = { .model = m, .seed = seed, .max_steps = 2000000 };

		gp_world_init(&world, wait);
		assert_int_equal(emu_run(&c, 2, fn, arg), 0);
		t.racing += world.racing;
		t.poisoned += world.poisoned;
		t.seeds_poisoned += world.poisoned > 0;
	}
	print_message("%-5s %s: %lu racing sections, %lu poisoned, in %lu/%u seeds\n",
		      machine_name(m), wait ? "grace period   " : "no grace period",
		      t.racing, t.poisoned, t.seeds_poisoned, GP_SEEDS);
	return t;
}

static void test_grace_period(void **state)
{
	unsigned m;

	(void)state;
	for (m = 0; m < NR_MACHINES; m++) {
		struct tally t = run((enum fl_machine)m, true);

		assert_int_equal(t.poisoned, 0);
		assert_true(t.racing >= GP_MIN_RACING);
	}
}

/* The control: the same runs without the grace period are caught. */
static void test_no_grace_period_caught(void **state)
{
	unsigned m;

	(void)state;
	for (m = 0; m < NR_MACHINES; m++) {
		struct tally t = run((enum fl_machine)m, false);

		assert_true(t.seeds_poisoned > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_no_grace_period_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
