// SPDX-License-Identifier: GPL-2.0
/*
 * The stress mode (bench/stress.c, included here whole: the test build
 * links the model and the workload, not the stress objects):
 *   - the statistics against reference values (R's binom.test() and exact
 *     binomial tails computed with mpmath at 50 digits);
 *   - the accounting of every GUP outcome, and the cell verdicts;
 *   - the layout of threads into groups;
 *   - whole runs, bounded by a round count, not by time: violations a fake
 *     GUP reports flow to the result in the right shape; a GUP through the
 *     real path on a corrupted anon_vma is booked as chain exactly when the
 *     other writer published it; correct strategies stay clean.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "bench/binomial.h"
#include "bench/stress.c"

#define ROUNDS	300

static void near(double got, double want, double rel, const char *what)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("%s: %.12g, want %.12g (relative tolerance %g)", what, got, want, rel);
}

/* ---- statistics ------------------------------------------------------ */

static void test_upper0(void **state)
{
	(void)state;
	near(binom_upper0(1, 0.05), 0.95, 1e-12, "n=1");
	near(binom_upper0(100, 0.05), 0.029513049607, 1e-9, "n=100");
	near(binom_upper0(1000000, 0.05), 2.99572778635e-6, 1e-9, "n=1e6");
	/* The rule of three: about 3/n for large n, always below it. */
	assert_true(binom_upper0(1000000000ULL, 0.05) < 3e-9);
	assert_true(binom_upper0(1000000000ULL, 0.05) > 2.99e-9);
	assert_true(binom_upper0(0, 0.05) == 1);
}

static void test_betai(void **state)
{
	(void)state;
	near(binom_betai(2.5, 3.5, 0.4), 0.486904191526117, 1e-12, "I_0.4(2.5, 3.5)");
	near(binom_betai(50, 60, 0.5), 0.830907293901669, 1e-10, "I_0.5(50, 60)");
	/* I_x(a, b) = 1 - I_{1-x}(b, a), on both sides of the switch-over. */
	near(binom_betai(3, 7, 0.2) + binom_betai(7, 3, 0.8), 1, 1e-12, "symmetry");
	assert_true(binom_betai(2, 3, 0) == 0 && binom_betai(2, 3, 1) == 1);
}

static void test_clopper_pearson(void **state)
{
	static const struct { uint64_t x, n; double lo, hi, rel; } ref[] = {
		{ 1, 10, 0.00252857854446, 0.445016117028, 1e-9 },	/* binom.test(1, 10) */
		{ 5, 100, 0.0164318791821, 0.112834911105, 1e-9 },	/* binom.test(5, 100) */
		{ 50, 100, 0.398321129503, 0.601678870497, 1e-9 },
		{ 3, 1000000, 6.18672550191e-7, 8.76724778815e-6, 1e-7 },
		{ 7, 3000000, 9.38121515259e-7, 4.80755250641e-6, 1e-7 },
		{ 1, 1000000000, 2.5317807984e-11, 5.5716433782e-9, 1e-5 },
	};
	double lo, hi;
	unsigned i;
	char what[64];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ref); i++) {
		binom_clopper_pearson(ref[i].x, ref[i].n, 0.05, &lo, &hi);
		snprintf(what, sizeof(what), "%llu/%llu lo", (unsigned long long)ref[i].x,
			 (unsigned long long)ref[i].n);
		near(lo, ref[i].lo, ref[i].rel, what);
		what[strlen(what) - 2] = 'h';
		what[strlen(what) - 1] = 'i';
		near(hi, ref[i].hi, ref[i].rel, what);
	}
	binom_clopper_pearson(10, 10, 0.05, &lo, &hi);
	near(lo, 0.691502892181, 1e-9, "10/10 lo");
	assert_true(hi == 1);
	binom_clopper_pearson(0, 10, 0.05, &lo, &hi);
	assert_true(lo == 0);
	near(hi, 1 - pow(0.025, 0.1), 1e-9, "0/10 hi (two-sided)");
	/* Many: the normal approximation is good there. */
	binom_clopper_pearson(123456, 1000000, 0.05, &lo, &hi);
	near(lo, 0.123456 - 1.96 * sqrt(0.123456 * 0.876544 / 1e6), 1e-4, "123456/1e6 lo");
	near(hi, 0.123456 + 1.96 * sqrt(0.123456 * 0.876544 / 1e6), 1e-4, "123456/1e6 hi");
}

/* ---- accounting and verdicts ----------------------------------------- */

static void test_account(void **state)
{
	struct stress_tally c;

	(void)state;
	memset(&c, 0, sizeof(c));
	stress_account(&c, GUP_MISS, false);
	assert_true(c.unseen == 1 && c.trials == 0 && c.attempts == 1);
	stress_account(&c, GUP_RETRY, false);
	stress_account(&c, GUP_RETRY | GUP_STALE_REF, false);
	assert_true(c.retries == 2 && c.stale_refs == 1 && c.trials == 0);
	stress_account(&c, GUP_OK, false);
	stress_account(&c, GUP_OK, true);
	assert_true(c.trials == 2 && c.trials_chain == 1);
	assert_true(!c.viol_dep && !c.viol_indep && !c.viol_chain);
	stress_account(&c, GUP_OK | GUP_VIOL_DEP, false);
	assert_true(c.viol_dep == 1);
	stress_account(&c, GUP_OK | GUP_VIOL_INDEP, true);
	assert_true(c.viol_indep == 1 && c.viol_chain == 0 && c.trials_chain == 2);
	stress_account(&c, GUP_OK | GUP_VIOL_CHAIN, true);
	assert_true(c.viol_chain == 1 && c.viol_dep == 1);
	/* A chain flag on what is not a chain trial is a dependent violation. */
	stress_account(&c, GUP_OK | GUP_VIOL_CHAIN, false);
	assert_true(c.viol_chain == 1 && c.viol_dep == 2);
	stress_account(&c, GUP_OK | GUP_VIOL_CHAIN | GUP_VIOL_DEP | GUP_VIOL_INDEP, true);
	assert_true(c.viol_chain == 2 && c.viol_dep == 3 && c.viol_indep == 2);
	assert_true(c.trials == 7 && c.trials_chain == 4 && c.attempts == 10);
	assert_true(c.trials + c.unseen + c.retries == c.attempts);
}

static void test_cells(void **state)
{
	const struct strategy *good = strategy_find("dep"), *ctl = strategy_find("none");
	struct stress_result r;
	struct stress_cell c;

	(void)state;
	assert_non_null(good);
	assert_non_null(ctl);
	memset(&r, 0, sizeof(r));
	r.cpus = 2;
	r.t.trials = STRESS_MIN_TRIALS - 1;
	stress_cell(&r, SHAPE_DEP, &c);
	assert_int_equal(c.status, STRESS_TOO_FEW);
	near(c.upper95, binom_upper0(STRESS_MIN_TRIALS - 1, 0.05), 1e-12, "too few: bound");
	stress_cell(&r, SHAPE_CHAIN, &c);
	assert_int_equal(c.status, STRESS_NOT_RUN);
	assert_true(stress_inconclusive(good, &r));
	assert_false(stress_inconclusive(ctl, &r));
	assert_false(stress_failed(good, &r));

	r.t.trials = 100;
	stress_cell(&r, SHAPE_INDEP, &c);
	assert_int_equal(c.status, STRESS_NONE_SEEN);
	near(c.upper95, 0.029513049607, 1e-9, "100 trials: bound");
	assert_false(stress_inconclusive(good, &r));	/* the chain is not run, not unsure */

	/* Chain run with too few chain trials: inconclusive, not a pass. */
	r.chain_run = true;
	r.t.trials_chain = 5;
	stress_cell(&r, SHAPE_CHAIN, &c);
	assert_int_equal(c.status, STRESS_TOO_FEW);
	assert_true(c.trials == 5);
	assert_true(stress_inconclusive(good, &r));

	r.t.viol_chain = 1;
	stress_cell(&r, SHAPE_CHAIN, &c);
	assert_int_equal(c.status, STRESS_SEEN);
	near(c.rate, 0.2, 1e-12, "rate");
	assert_true(c.lo95 > 0 && c.lo95 < 0.2 && c.hi95 > 0.2 && c.hi95 < 1);
	assert_true(stress_failed(good, &r));
	assert_false(stress_failed(ctl, &r));
	assert_false(stress_inconclusive(good, &r));	/* a violation concludes */
	stress_cell(&r, SHAPE_DEP, &c);
	assert_int_equal(c.status, STRESS_NONE_SEEN);

	r.t.viol_chain = 0;
	r.t.viol_indep = 3;
	assert_true(stress_failed(good, &r));
	stress_cell(&r, SHAPE_INDEP, &c);
	assert_true(c.status == STRESS_SEEN && c.violations == 3);
}

static void test_layout(void **state)
{
	static const struct { unsigned n, groups, sizes[4]; } want[] = {
		{ 2, 1, { 2 } }, { 3, 1, { 3 } }, { 4, 1, { 4 } }, { 5, 2, { 3, 2 } },
		{ 6, 2, { 3, 3 } }, { 7, 2, { 3, 4 } }, { 8, 3, { 3, 3, 2 } },
		{ 10, 3, { 3, 3, 4 } },
	};
	unsigned i, j, sizes[8], sum;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		memset(sizes, 0, sizeof(sizes));
		assert_int_equal(stress_layout(want[i].n, sizes), want[i].groups);
		for (j = 0, sum = 0; j < want[i].groups; j++) {
			assert_int_equal(sizes[j], want[i].sizes[j]);
			sum += sizes[j];
		}
		assert_int_equal(sum, want[i].n);
	}
}

/* ---- whole runs ------------------------------------------------------ */

static const struct strategy *none;

/* Every GUP that proved its pte current also reports a stale per-slot word
 * and the chain flag: the flags must come out in the result. */
static unsigned fake_gup_flags(struct fl_thread *t, unsigned long slot)
{
	unsigned r = none->gup(t, slot);

	return r & GUP_OK ? r | GUP_VIOL_INDEP | GUP_VIOL_CHAIN : r;
}

/*
 * The real GUP path on a corrupted anon_vma canary: when the pte is there,
 * spoil the canary of the anon_vma its page maps, GUP, restore. The real
 * check then reports GUP_VIOL_CHAIN when the other writer published that
 * anon_vma and GUP_VIOL_DEP when the page's own writer did. Nothing tears
 * an anon_vma down during the race phase, so the restore is sound.
 */
static unsigned fake_gup_canary(struct fl_thread *t, unsigned long slot)
{
	unsigned long pte = READ_ONCE(t->mm->pt[slot]), mapping, saved;
	struct anon_vma *av;
	unsigned r;

	if (!pte_present(pte))
		return GUP_MISS;
	mapping = READ_ONCE(t->mm->memmap[pte_pfn(pte)].mapping);
	av = (struct anon_vma *)(mapping & ~PAGE_MAPPING_ANON);
	saved = av->canary;
	WRITE_ONCE(av->canary, ~saved);
	r = none->gup(t, slot);
	WRITE_ONCE(av->canary, saved);
	return r;
}

static void run(const struct strategy *s, unsigned n, struct stress_result *r)
{
	struct stress_params p = {
		.cpus = n, .duration_s = 60, .max_rounds = ROUNDS, .seed = 3,
		.place = NULL, .oversubscribed = true,
	};
	unsigned readers = n == 2 ? 1 : n - 2 * (n / 3), writers = n == 2 ? 1 : 2;

	assert_int_equal(stress_run(s, &p, r), 0);
	assert_int_equal(r->rounds, ROUNDS);
	assert_int_equal(r->cpus, n);
	/* One attempt per reader, instance and writer of its group, no more. */
	if (n <= 4)
		assert_true(r->t.attempts == (uint64_t)ROUNDS * readers * STRESS_INSTANCES * writers);
	assert_true(r->t.trials + r->t.unseen + r->t.retries == r->t.attempts);
	assert_true(r->t.trials > 0);
	assert_true(r->t.trials_chain <= r->t.trials);
	assert_true(r->chain_run == (n >= 3));
	if (n < 3)
		assert_true(r->t.trials_chain == 0 && r->t.viol_chain == 0);
}

static void test_control_violations_flow(void **state)
{
	struct strategy fake;
	struct stress_result r;

	(void)state;
	none = strategy_find("none");
	assert_non_null(none);
	fake = *none;
	fake.gup = fake_gup_flags;

	run(&fake, 2, &r);
	assert_true(r.t.viol_indep == r.t.trials);
	assert_true(r.t.viol_dep == r.t.trials);	/* no chain at 2 CPUs: booked dep */
	assert_true(r.t.viol_chain == 0);
	assert_false(stress_failed(&fake, &r));		/* a control */

	run(&fake, 3, &r);
	assert_true(r.t.trials_chain > 0);
	assert_true(r.t.viol_indep == r.t.trials);
	assert_true(r.t.viol_chain == r.t.trials_chain);
	assert_true(r.t.viol_dep == r.t.trials - r.t.trials_chain);

	fake.kind = STRAT_CORRECT;
	assert_true(stress_failed(&fake, &r));
}

static void test_chain_through_real_check(void **state)
{
	struct strategy fake;
	struct stress_result r;
	unsigned n;

	(void)state;
	none = strategy_find("none");
	assert_non_null(none);
	fake = *none;
	fake.gup = fake_gup_canary;
	/* 3: one triple; 5: a triple and a pair. (Not 4: the two readers of
	 * a group of four would spoil and restore the same canary.) */
	for (n = 3; n <= 5; n += 2) {
		run(&fake, n, &r);
		/* Of the two writers of an instance, one published the anon_vma
		 * and the other found it: chain trials are about half. */
		assert_true(r.t.trials_chain > 0 && r.t.trials_chain < r.t.trials);
		assert_true(r.t.viol_chain == r.t.trials_chain);
		assert_true(r.t.viol_dep == r.t.trials - r.t.trials_chain);
		assert_true(r.t.viol_indep == 0);
	}
	run(&fake, 2, &r);
	assert_true(r.t.viol_dep == r.t.trials && r.t.viol_chain == 0);
}

static void test_correct_strategies_clean(void **state)
{
	struct stress_result r;
	unsigned i, n, tested = 0;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		const struct strategy *s = fl_strategies[i];

		if (s->kind != STRAT_CORRECT)
			continue;
		for (n = 2; n <= 3; n++) {
			run(s, n, &r);
			if (r.t.viol_dep || r.t.viol_indep || r.t.viol_chain)
				fail_msg("%s at %u: %llu/%llu/%llu violations", s->name, n,
					 (unsigned long long)r.t.viol_dep,
					 (unsigned long long)r.t.viol_indep,
					 (unsigned long long)r.t.viol_chain);
			if (n == 3 && !r.t.trials_chain)
				fail_msg("%s at 3: no chain trial", s->name);
		}
		tested++;
	}
	assert_true(tested >= 6);
}

static void test_rejects(void **state)
{
	struct stress_params p = { .cpus = 1, .duration_s = 1, .max_rounds = 1 };
	struct stress_result r;

	(void)state;
	assert_int_equal(stress_run(strategy_find("dep"), &p, &r), -EINVAL);
	p.cpus = 2;
	assert_int_equal(stress_run(strategy_find("baseline"), &p, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper0),
		cmocka_unit_test(test_betai),
		cmocka_unit_test(test_clopper_pearson),
		cmocka_unit_test(test_account),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_control_violations_flow),
		cmocka_unit_test(test_chain_through_real_check),
		cmocka_unit_test(test_correct_strategies_clean),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
