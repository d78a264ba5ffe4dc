// SPDX-License-Identifier: GPL-2.0
/*
 * Every registered strategy, single-threaded: the fault, GUP and zap paths
 * it instantiates agree with each other, VMAs are torn down and rebuilt,
 * the publish micro-path publishes, and the bare hooks store and load. Plus
 * the registry itself. With one thread even the controls must be exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "strategy_world.h"

#define NR_SLOTS	256
#define SLOTS_PER_VMA	16

static void world_make(struct world *x, bool clear_page)
{
	struct mm_config cfg = {
		.nr_slots = NR_SLOTS,
		.slots_per_vma = SLOTS_PER_VMA,
		.clear_page = clear_page,
	};

	world_init(x, &cfg, 42);
}

/* A faulted slot GUPs as exactly GUP_OK, an untouched one as GUP_MISS, and
 * a zapped one as GUP_MISS again; the page's frame is cleared on fault iff
 * clear_page is set. */
static void fault_gup_zap(const struct strategy *s, bool clear_page)
{
	const unsigned long slot = 37, other = 38;
	struct world x;
	struct page *page;
	unsigned long pte, i;

	world_make(&x, clear_page);
	memset(x.mm->frames, 0xa5, x.mm->nr_pages * FL_PAGE_SIZE);
	check_gup(s, &x.r, slot, GUP_MISS);
	check(s, s->fault(&x.w, slot) == FAULT_OK);
	pte = x.mm->pt[slot];
	check(s, pte_present(pte));
	page = &x.mm->memmap[pte_pfn(pte)];
	check(s, atomic_read(&page->refcount) == 1);
	/* With clear_page: zeroes, but for the one content word GUP checks. */
	if (clear_page)
		check(s, *page_frame_word(page) == content_check(pte_gen(pte), pte_pfn(pte)));
	for (i = clear_page ? sizeof(long) : 0; i < FL_PAGE_SIZE; i++)
		check(s, page->frame[i] == (clear_page ? 0 : 0xa5));

	check_gup(s, &x.r, slot, GUP_OK);
	check_gup(s, &x.r, slot, GUP_OK);
	check(s, atomic_read(&page->refcount) == 1);	/* GUP dropped its pin */
	check_gup(s, &x.r, other, GUP_MISS);
	check_gup(s, &x.r, 0, GUP_MISS);
	check_gup(s, &x.r, NR_SLOTS - 1, GUP_MISS);

	s->zap(&x.w, slot);
	check(s, x.mm->pt[slot] == 0);
	check(s, atomic_read(&page->refcount) == 0);
	check_gup(s, &x.r, slot, GUP_MISS);
	check(s, x.w.c.faults == 1 && x.w.c.zaps == 1 && x.w.c.fault_retries == 0);
	check(s, x.w.c.viol_dep == 0 && x.w.c.viol_indep == 0);
	check(s, x.r.c.lock.contended == 0);
	world_fini(&x);
}

static void test_fault_gup_zap(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++)
		fault_gup_zap(fl_strategies[i], false);
}

static void test_fault_gup_zap_clear_page(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++)
		fault_gup_zap(fl_strategies[i], true);
}

/* Faulting every slot of a VMA allocates its anon_vma once; zapping them all
 * tears the VMA down on the last zap only (pointer cleared, anon_vma
 * poisoned); the next fault allocates and publishes a fresh anon_vma. */
static void vma_cycle(const struct strategy *s)
{
	struct world x;
	struct vma *vma;
	struct anon_vma *old;
	unsigned long slot;

	world_make(&x, false);
	vma = &x.mm->vmas[2];
	for (slot = vma->start; slot < vma->end; slot++)
		check(s, s->fault(&x.w, slot) == FAULT_OK);
	old = vma->anon_vma;
	check(s, old != NULL);
	check(s, old->root == old && old->canary == av_canary(old) && old->state == AV_LIVE);
	check(s, x.w.c.anon_vma_allocs == 1);
	check(s, vma->nr_pages[0] == SLOTS_PER_VMA);
	for (slot = vma->start; slot < vma->end; slot++)
		check_gup(s, &x.r, slot, GUP_OK);

	for (slot = vma->start; slot < vma->end; slot++) {
		check(s, x.w.c.vma_teardowns == 0);
		check(s, vma->anon_vma == old);
		s->zap(&x.w, slot);
	}
	check(s, x.w.c.vma_teardowns == 1);
	check(s, vma->anon_vma == NULL);
	if (x.w.retire.nr_avs) {
		/* A strategy with a grace period (rcu) recycles it only after
		 * one: until then a reader still in its section may use it. */
		check(s, x.w.retire.nr_avs == 1 && x.w.retire.av[0] == old);
		check(s, old->state == AV_LIVE && old->canary == av_canary(old));
		check(s, x.w.c.grace_periods == 0);
		s->retire_flush(&x.w);
		check(s, x.w.c.grace_periods == 1);
		check(s, !x.w.retire.nr_avs && !x.w.retire.nr_pages);
	}
	check(s, old->state == AV_DEAD && old->canary != av_canary(old));
	check(s, atomic_read(&vma->vm_lock) == 0);

	check(s, s->fault(&x.w, vma->start + 3) == FAULT_OK);
	check(s, x.w.c.anon_vma_allocs == 2);
	/* The pool is LIFO: the object just freed comes back, re-initialised. */
	check(s, vma->anon_vma == old);
	check(s, old->root == old && old->canary == av_canary(old) && old->state == AV_LIVE);
	check_gup(s, &x.r, vma->start + 3, GUP_OK);
	check(s, x.w.c.viol_dep == 0);
	world_fini(&x);
}

static void test_vma_teardown(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++)
		vma_cycle(fl_strategies[i]);
}

/* ->publish() on a thread-private mm stores a present pte for page 0 whose
 * generation the page carries, a new value each time, and counts it. */
static void publish_private(const struct strategy *s)
{
	struct mm_config cfg = { .nr_slots = 2, .slots_per_vma = 2 };
	struct fl_thread t;
	unsigned long first;

	memset(&t, 0, sizeof(t));
	assert_int_equal(mm_create(&t.priv, &cfg), 0);
	s->publish(&t, 1);
	first = t.priv->pt[0];
	check(s, pte_present(first));
	check(s, pte_pfn(first) == 0);
	check(s, t.priv->memmap[0].gen == pte_gen(first));
	check(s, t.c.publishes == 1);
	s->publish(&t, 1);
	check(s, pte_present(t.priv->pt[0]) && t.priv->pt[0] != first);
	check(s, t.c.publishes == 2);
	check(s, t.priv->pt[1] == 0);
	check(s, t.priv->seq.sequence % 2 == 0);
	mm_destroy(t.priv);
}

static void test_publish(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++)
		publish_private(fl_strategies[i]);
}

/* The out-of-line hooks used for disassembly store and load the word. */
static void test_probes(void **state)
{
	static const unsigned long vals[] = { 0, 1, 0xfeedfacecafebeefUL, ~0UL };
	const struct strategy *s;
	unsigned long word;
	unsigned i, j;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		s = fl_strategies[i];
		for (j = 0; j < ARRAY_SIZE(vals); j++) {
			word = vals[j] ^ 0x55;
			s->probe_writer(&word, vals[j]);
			check(s, word == vals[j]);
			check(s, s->probe_reader(&word) == vals[j]);
		}
	}
}

/* Every strategy is complete and can be found by its unique name; unknown
 * names are not found. */
static void test_registry_find(void **state)
{
	const struct strategy *s;
	unsigned i, j;

	(void)state;
	for (i = 0; i < fl_nr_strategies; i++) {
		s = fl_strategies[i];
		assert_non_null(s);
		assert_non_null(s->name);
		assert_non_null(s->desc);
		check(s, s->fault && s->zap && s->gup && s->publish);
		check(s, s->probe_writer && s->probe_reader);
		assert_ptr_equal(strategy_find(s->name), s);
		assert_non_null(s->id);
		assert_non_null(s->source);
		for (j = 0; j < PROBE_MAX; j++) {
			assert_in_range(s->probe.writer[j], PRIM_END, NR_PRIMS - 1);
			assert_in_range(s->probe.reader[j], PRIM_END, NR_PRIMS - 1);
		}
		assert_int_not_equal(s->probe.writer[0], PRIM_END);
		assert_int_not_equal(s->probe.reader[0], PRIM_END);
		for (j = 0; j < i; j++) {
			assert_string_not_equal(s->name, fl_strategies[j]->name);
			assert_string_not_equal(s->id, fl_strategies[j]->id);
		}
		/* report order: by .order, then name */
		if (i)
			assert_true(fl_strategies[i - 1]->order < s->order ||
				    (fl_strategies[i - 1]->order == s->order &&
				     strcmp(fl_strategies[i - 1]->name, s->name) < 0));
	}
	assert_null(strategy_find("nope"));
	assert_null(strategy_find(""));
	assert_null(strategy_find("DEP"));
}

/* The set docs/design.md §5 describes, at least: one baseline, the six
 * correct ones and the three controls, each of the expected kind. Any
 * number more may register themselves (no count is written down here). */
static void test_registry_kinds(void **state)
{
	static const char *const correct[] = {
		"locked", "mb", "wmb-rmb", "dep", "seqlock", "release-acquire",
	};
	static const char *const control[] = { "none", "wmb-only", "rmb-only" };
	unsigned i, n[3] = { 0 };

	(void)state;
	assert_true(fl_nr_strategies >= 10);
	for (i = 0; i < fl_nr_strategies; i++) {
		assert_in_range(fl_strategies[i]->kind, STRAT_CORRECT, STRAT_BASELINE);
		n[fl_strategies[i]->kind]++;
	}
	assert_int_equal(n[STRAT_BASELINE], 1);
	assert_true(n[STRAT_CORRECT] >= 6);
	assert_true(n[STRAT_CONTROL] >= 3);
	for (i = 0; i < ARRAY_SIZE(correct); i++) {
		assert_non_null(strategy_find(correct[i]));
		assert_int_equal(strategy_find(correct[i])->kind, STRAT_CORRECT);
	}
	for (i = 0; i < ARRAY_SIZE(control); i++) {
		assert_non_null(strategy_find(control[i]));
		assert_int_equal(strategy_find(control[i])->kind, STRAT_CONTROL);
	}
	assert_int_equal(strategy_find("baseline")->kind, STRAT_BASELINE);
	assert_string_equal(strategy_kind_name(STRAT_CORRECT), "correct");
	assert_string_equal(strategy_kind_name(STRAT_CONTROL), "control");
	assert_string_equal(strategy_kind_name(STRAT_BASELINE), "baseline");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_gup_zap),
		cmocka_unit_test(test_fault_gup_zap_clear_page),
		cmocka_unit_test(test_vma_teardown),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_registry_find),
		cmocka_unit_test(test_registry_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
