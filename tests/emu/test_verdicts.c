// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict rule (strategies/verdict.c) and the descriptors' expectations: the
 * rule's edges, and a table that covers every registered strategy and
 * shape and explains every disagreement between LKMM and a model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "strategies/strategy.h"
#include "emu/emu.h"

static void test_rule_edges(void **state)
{
	(void)state;
	/* Never needs its trials; without them the cell is not exercised. */
	assert_int_equal(verdict_judge(20, 0, VERDICT_MIN_TRIALS), VERDICT_NEVER);
	assert_int_equal(verdict_judge(20, 0, VERDICT_MIN_TRIALS - 1), VERDICT_UNEXERCISED);
	assert_int_equal(verdict_judge(20, 0, 0), VERDICT_UNEXERCISED);
	/* Sometimes: at least 19 of 20 seeds, whatever the trials. */
	assert_int_equal(verdict_judge(20, 19, 0), VERDICT_SOMETIMES);
	assert_int_equal(verdict_judge(20, 20, 5), VERDICT_SOMETIMES);
	assert_int_equal(verdict_judge(40, 38, 5), VERDICT_SOMETIMES);
	/* In between: Rare, which matches no expected verdict. */
	assert_int_equal(verdict_judge(20, 18, 100000), VERDICT_RARE);
	assert_int_equal(verdict_judge(20, 3, 100000), VERDICT_RARE);
	assert_int_equal(verdict_judge(40, 37, 100000), VERDICT_RARE);
	assert_int_equal(verdict_judge(1, 1, 0), VERDICT_SOMETIMES);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(VERDICT_NEVER), "Never");
	assert_string_equal(verdict_name(VERDICT_SOMETIMES), "Sometimes");
	assert_string_equal(verdict_name(VERDICT_UNEXERCISED), "not exercised");
	assert_string_equal(shape_name(SHAPE_CHAIN), "chain");
	assert_string_equal(verdict_name(NR_VERDICTS), "?");
}

/* Every strategy has a row; a correct strategy is Never on every emulated
 * model; a control fails somewhere; a note exactly where LKMM differs. */
static void test_table(void **state)
{
	unsigned i, sh, m;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		const struct strategy *s = fl_strategies[i];
		bool fails = false;

		for (sh = 0; sh < NR_SHAPES; sh++) {
			struct fl_expect e;
			bool differs = false;

			if (expected_verdicts(s, (enum fl_shape)sh, &e))
				fail_msg("%s: no expected verdicts for shape %s", s->name,
					 shape_name((enum fl_shape)sh));
			for (m = 0; m < NR_MACHINES; m++) {
				if (s->kind == STRAT_CORRECT && e.emu[m] != VERDICT_NEVER)
					fail_msg("%s %s: a correct strategy must be Never on %s",
						 s->name, shape_name((enum fl_shape)sh),
						 machine_name((enum fl_machine)m));
				fails |= e.emu[m] == VERDICT_SOMETIMES;
				differs |= e.emu[m] != e.lkmm;
			}
			if (differs != (e.note != NULL))
				fail_msg("%s %s: a note must explain exactly the cells where LKMM "
					 "and a model differ", s->name, shape_name((enum fl_shape)sh));
		}
		if (s->kind != STRAT_CORRECT && !fails)
			fail_msg("%s: a control that fails nowhere catches nothing", s->name);
	}
}

static void test_unknown_strategy(void **state)
{
	const struct strategy fake = { .name = "no-such", .kind = STRAT_CORRECT };
	struct fl_expect e;

	(void)state;
	assert_int_not_equal(expected_verdicts(&fake, SHAPE_DEP, &e), 0);
	assert_int_not_equal(expected_verdicts(fl_strategies[0], NR_SHAPES, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_edges),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_unknown_strategy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
