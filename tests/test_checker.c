// SPDX-License-Identifier: GPL-2.0
/*
 * The correctness check has teeth. Single-threaded negative controls: fault
 * a slot, corrupt one field the writer stores before publication, and the
 * GUP of that slot must report exactly the violation of that shape; undo it
 * and the GUP is clean again. Races the re-check rejects must come out as
 * retries, never as violations: a test-local ops table injects the racing
 * writer's store from inside the GUP, deterministically.
 *
 * The check lives in the shared paths, so it is run through every strategy:
 * a strategy whose read-side hooks hid a violation would fail here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "strategy_world.h"

#define SLOT		21
#define OK_DEP		(GUP_OK | GUP_VIOL_DEP)
#define OK_INDEP	(GUP_OK | GUP_VIOL_INDEP)

/* A fresh mm with SLOT faulted by s, GUPing clean. */
static void world_faulted(struct world *x, const struct strategy *s)
{
	struct mm_config cfg = { .nr_slots = 64, .slots_per_vma = 16 };

	world_init(x, &cfg, 7);
	check(s, s->fault(&x->w, SLOT) == FAULT_OK);
	x->pte = x->mm->pt[SLOT];
	x->page = &x->mm->memmap[pte_pfn(x->pte)];
	x->av = (struct anon_vma *)(x->page->mapping & ~PAGE_MAPPING_ANON);
	check(s, x->av == slot_vma(x->mm, SLOT)->anon_vma);
	check_gup(s, &x->r, SLOT, GUP_OK);
}

/*
 * Overwrite one word, GUP expecting want, restore it, GUP expecting a clean
 * GUP_OK. The restore half proves it was that word and nothing else.
 */
static void corrupt(const struct strategy *s, struct world *x, unsigned long *word,
		    unsigned long bad, unsigned want)
{
	unsigned long saved = *word;

	*word = bad;
	check_gup(s, &x->r, SLOT, want);
	*word = saved;
	check_gup(s, &x->r, SLOT, GUP_OK);
}

static void for_each_strategy(void (*fn)(const struct strategy *s))
{
	unsigned i;

	for (i = 0; i < fl_nr_strategies; i++)
		fn(fl_strategies[i]);
}

/* (a) A page whose generation is not the pte's: dependent violation, and
 * gup_count() books it as one. */
static void viol_page_gen(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	corrupt(s, &x, &x.page->gen, x.page->gen + 1, OK_DEP);
	x.page->gen += 1;
	gup_count(&x.r, s->gup(&x.r, SLOT));
	check(s, x.r.c.viol_dep == 1 && x.r.c.viol_indep == 0 && x.r.c.gup_hits == 1);
	world_fini(&x);
}

static void test_viol_page_gen(void **state)
{
	(void)state;
	for_each_strategy(viol_page_gen);
}

/* (b) Stale contents: the content check word is the old one. */
static void viol_check(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	corrupt(s, &x, &x.page->check[0], x.page->check[0] ^ 1, OK_DEP);
	corrupt(s, &x, &x.page->check[0], 0, OK_DEP);
	world_fini(&x);
}

static void test_viol_check(void **state)
{
	(void)state;
	for_each_strategy(viol_check);
}

/* (c) page->index from an older life of the page. */
static void viol_index(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	corrupt(s, &x, &x.page->index, SLOT + 1, OK_DEP);
	corrupt(s, &x, &x.page->index, 0, OK_DEP);
	world_fini(&x);
}

static void test_viol_index(void **state)
{
	(void)state;
	for_each_strategy(viol_index);
}

/* (d) page->mapping not yet set (0), or set without PAGE_MAPPING_ANON; and
 * the page flags not yet uptodate. */
static void viol_mapping_flags(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	corrupt(s, &x, &x.page->mapping, 0, OK_DEP);
	corrupt(s, &x, &x.page->mapping, (unsigned long)x.av, OK_DEP);
	corrupt(s, &x, &x.page->flags, 0, OK_DEP);
	corrupt(s, &x, &x.page->flags, PG_swapbacked, OK_DEP);
	world_fini(&x);
}

static void test_viol_mapping_flags(void **state)
{
	(void)state;
	for_each_strategy(viol_mapping_flags);
}

/* (e) The anon_vma reached through page->mapping is uninitialised or dead:
 * wrong canary or wrong root. */
static void viol_anon_vma(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	corrupt(s, &x, &x.av->canary, 0, OK_DEP);
	corrupt(s, &x, (unsigned long *)&x.av->root, 0, OK_DEP);
	corrupt(s, &x, (unsigned long *)&x.av->root, (unsigned long)(x.av + 1), OK_DEP);
	corrupt(s, &x, &x.av->state, AV_DEAD, OK_DEP);
	world_fini(&x);
}

static void test_viol_anon_vma(void **state)
{
	(void)state;
	for_each_strategy(viol_anon_vma);
}

/* (e2) The same stale anon_vma field, when another writer's fault published
 * the anon_vma, is the chain shape and only that; a stale page field beside
 * it is still dependent. */
static void viol_chain(const struct strategy *s)
{
	struct world x;
	unsigned long saved;

	world_faulted(&x, s);
	av_set_publisher(x.av, x.page->owner + 1);
	check_gup(s, &x.r, SLOT, GUP_OK);	/* nothing stale: no shape at all */
	corrupt(s, &x, &x.av->state, AV_DEAD, GUP_OK | GUP_VIOL_CHAIN);
	corrupt(s, &x, &x.av->canary, 0, GUP_OK | GUP_VIOL_CHAIN);
	saved = x.av->state;
	x.av->state = AV_DEAD;
	x.page->gen += 1;
	check_gup(s, &x.r, SLOT, OK_DEP | GUP_VIOL_CHAIN);
	x.page->gen -= 1;
	x.av->state = saved;
	x.av->canary = 0;
	gup_count(&x.r, s->gup(&x.r, SLOT));
	check(s, x.r.c.viol_chain == 1 && x.r.c.viol_dep == 0 && x.r.c.gup_hits == 1);
	x.av->canary = av_canary(x.av);
	av_set_publisher(x.av, x.page->owner);
	corrupt(s, &x, &x.av->canary, 0, OK_DEP);
	world_fini(&x);
}

static void test_viol_chain(void **state)
{
	(void)state;
	for_each_strategy(viol_chain);
}

/* (e3) With --clear-page the frame's content word is validated too. */
static void viol_frame(const struct strategy *s)
{
	struct mm_config cfg = { .nr_slots = 64, .slots_per_vma = 16, .clear_page = true };
	struct world x;
	unsigned long pte;

	world_init(&x, &cfg, 7);
	check(s, s->fault(&x.w, SLOT) == FAULT_OK);
	pte = x.mm->pt[SLOT];
	x.page = &x.mm->memmap[pte_pfn(pte)];
	check_gup(s, &x.r, SLOT, GUP_OK);
	corrupt(s, &x, page_frame_word(x.page), 0, OK_DEP);
	world_fini(&x);
}

static void test_viol_frame(void **state)
{
	(void)state;
	for_each_strategy(viol_frame);
}

/* (f) A stale per-slot word is an independent violation only: nothing the
 * reader reached through the pte is wrong. */
static void viol_indep(const struct strategy *s)
{
	struct world x;
	unsigned long *sg;

	world_faulted(&x, s);
	sg = &x.mm->slot_gen[SLOT];
	check(s, *sg == pte_gen(x.pte));
	corrupt(s, &x, sg, *sg - 1, OK_INDEP);
	corrupt(s, &x, sg, 0, OK_INDEP);
	/* Both shapes at once are reported together. */
	x.page->gen += 1;
	*sg += 1;
	check_gup(s, &x.r, SLOT, OK_DEP | GUP_VIOL_INDEP);
	x.page->gen -= 1;
	*sg -= 1;
	gup_count(&x.r, s->gup(&x.r, SLOT));
	check(s, x.r.c.viol_dep == 0 && x.r.c.viol_indep == 0);
	world_fini(&x);
}

static void test_viol_indep(void **state)
{
	(void)state;
	for_each_strategy(viol_indep);
}

/* (g) A page whose refcount already dropped to zero cannot be pinned:
 * GUP_RETRY and no violation bits, even though every field the reader saw
 * is stale. Under a pte that is still current that is a reordering of the
 * refcount store, flagged GUP_STALE_REF and counted on its own. */
static void retry_not_violation(const struct strategy *s)
{
	struct world x;

	world_faulted(&x, s);
	atomic_set(&x.page->refcount, 0);
	check_gup(s, &x.r, SLOT, GUP_RETRY | GUP_STALE_REF);
	x.page->gen += 1;
	x.page->index += 1;
	x.mm->slot_gen[SLOT] += 1;
	check_gup(s, &x.r, SLOT, GUP_RETRY | GUP_STALE_REF);
	check(s, atomic_read(&x.page->refcount) == 0);
	gup_count(&x.r, s->gup(&x.r, SLOT));
	check(s, x.r.c.retries == 1 && x.r.c.stale_refs == 1 && x.r.c.viol_dep == 0 &&
		 x.r.c.viol_indep == 0);
	x.page->gen -= 1;
	x.page->index -= 1;
	x.mm->slot_gen[SLOT] -= 1;
	atomic_set(&x.page->refcount, 1);
	check_gup(s, &x.r, SLOT, GUP_OK);
	world_fini(&x);
}

static void test_retry_not_violation(void **state)
{
	(void)state;
	for_each_strategy(retry_not_violation);
}

/*
 * A racing writer, injected between the GUP's validation loads and its
 * pin + re-check. race_ops is a correct seqcount reader (as "seqlock");
 * before_indep() is where the armed race lands, once.
 */
static struct {
	struct mm *mm;
	unsigned long *word;	/* if set: a racing store of val here */
	unsigned long val;
	bool seq;		/* if set: a racing (empty) write section */
} race;

static void race_pub_begin(struct mm *mm, spinlock_t *lock) { (void)lock; write_seqcount_begin(&mm->seq); }
static void race_pub_end(struct mm *mm, spinlock_t *lock) { (void)lock; write_seqcount_end(&mm->seq); }
static void race_publish(unsigned long *slot, unsigned long val) { WRITE_ONCE(*slot, val); }
static unsigned long race_load(unsigned long *slot) { return __READ_ONCE(*slot); }

static unsigned long race_read_begin(struct mm *mm, spinlock_t *lock, struct lock_stat *ls)
{
	(void)lock;
	(void)ls;
	return read_seqcount_begin(&mm->seq);
}

static void race_before_indep(void)
{
	if (race.word)
		WRITE_ONCE(*race.word, race.val);
	if (race.seq) {
		write_seqcount_begin(&race.mm->seq);
		write_seqcount_end(&race.mm->seq);
	}
	race.word = NULL;
	race.seq = false;
}

static bool race_read_retry(struct mm *mm, spinlock_t *lock, unsigned long seq)
{
	(void)lock;
	return read_seqcount_retry(&mm->seq, seq);
}

static const struct sync_ops race_ops = {
	.pub_begin = race_pub_begin,
	.publish = race_publish,
	.pub_end = race_pub_end,
	.read_begin = race_read_begin,
	.load = race_load,
	.before_indep = race_before_indep,
	.read_retry = race_read_retry,
};

static unsigned race_gup(struct world *x, unsigned long *word, unsigned long val, bool seq)
{
	race.mm = x->mm;
	race.word = word;
	race.val = val;
	race.seq = seq;
	return gup_fast_one(&x->r, SLOT, &race_ops);
}

/* (g') The pte changes after the reader validated stale fields: the page
 * was republished with a newer generation, or cleared. The re-check rejects
 * it (GUP_RETRY, pin dropped); a seqcount writer in between is rejected by
 * read_retry. Without the race, the same stale fields are a violation. */
static void test_recheck_rejects_race(void **state)
{
	const struct strategy *dep = strategy_find("dep");
	struct world x;
	unsigned long *pt;

	(void)state;
	assert_non_null(dep);
	world_faulted(&x, dep);
	pt = &x.mm->pt[SLOT];
	assert_int_equal(race_gup(&x, NULL, 0, false), GUP_OK);

	x.page->gen += 1;
	x.mm->slot_gen[SLOT] += 1;
	assert_int_equal(race_gup(&x, NULL, 0, false), OK_DEP | GUP_VIOL_INDEP);
	assert_int_equal(race_gup(&x, pt, mk_pte(pte_pfn(x.pte), pte_gen(x.pte) + 1), false),
			 GUP_RETRY);
	assert_int_equal(atomic_read(&x.page->refcount), 1);
	*pt = x.pte;
	assert_int_equal(race_gup(&x, pt, 0, false), GUP_RETRY);
	*pt = x.pte;
	assert_int_equal(race_gup(&x, NULL, 0, true), GUP_RETRY);
	assert_int_equal(x.mm->seq.sequence, 2);
	assert_int_equal(atomic_read(&x.page->refcount), 1);

	x.page->gen -= 1;
	x.mm->slot_gen[SLOT] -= 1;
	assert_int_equal(race_gup(&x, NULL, 0, false), GUP_OK);
	world_fini(&x);
}

/* (h) gup_count() books each result code into exactly the right counters. */
static void count_one(unsigned r, const struct fl_counts *want)
{
	struct fl_thread t;

	memset(&t, 0, sizeof(t));
	gup_count(&t, r);
	assert_int_equal(t.c.gups, want->gups);
	assert_int_equal(t.c.gup_hits, want->gup_hits);
	assert_int_equal(t.c.gup_misses, want->gup_misses);
	assert_int_equal(t.c.retries, want->retries);
	assert_int_equal(t.c.viol_dep, want->viol_dep);
	assert_int_equal(t.c.viol_indep, want->viol_indep);
	assert_int_equal(t.c.faults + t.c.zaps + t.c.publishes + t.c.fault_retries, 0);
}

static void test_gup_count(void **state)
{
	(void)state;
	count_one(GUP_MISS, &(struct fl_counts){ .gups = 1, .gup_misses = 1 });
	count_one(GUP_OK, &(struct fl_counts){ .gups = 1, .gup_hits = 1 });
	count_one(GUP_RETRY, &(struct fl_counts){ .gups = 1, .retries = 1 });
	count_one(OK_DEP, &(struct fl_counts){ .gups = 1, .gup_hits = 1, .viol_dep = 1 });
	count_one(OK_INDEP, &(struct fl_counts){ .gups = 1, .gup_hits = 1, .viol_indep = 1 });
	count_one(OK_DEP | GUP_VIOL_INDEP,
		  &(struct fl_counts){ .gups = 1, .gup_hits = 1, .viol_dep = 1, .viol_indep = 1 });
}

/* Accumulates across calls, one gups per call. */
static void test_gup_count_accumulates(void **state)
{
	static const unsigned rs[] = {
		GUP_OK, GUP_MISS, GUP_RETRY, OK_DEP, GUP_OK, OK_INDEP, GUP_MISS,
	};
	struct fl_thread t;
	unsigned i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < ARRAY_SIZE(rs); i++)
		gup_count(&t, rs[i]);
	assert_int_equal(t.c.gups, 7);
	assert_int_equal(t.c.gup_hits, 4);
	assert_int_equal(t.c.gup_misses, 2);
	assert_int_equal(t.c.retries, 1);
	assert_int_equal(t.c.viol_dep, 1);
	assert_int_equal(t.c.viol_indep, 1);
}

/* anon_vma_prepare()'s fast path: a later fault in the VMA reuses the
 * published anon_vma silently, but one that finds it uninitialised (bad
 * canary, root or state) while it is still the VMA's counts a dependent
 * violation against the faulting thread. */
static void anon_vma_fast_path(const struct strategy *s)
{
	struct world x;
	unsigned long other = SLOT + 1;

	world_faulted(&x, s);
	check(s, s->fault(&x.w, other) == FAULT_OK);
	check(s, x.w.c.anon_vma_allocs == 1 && x.w.c.viol_dep == 0);
	s->zap(&x.w, other);

	x.av->canary = 0;
	check(s, s->fault(&x.w, other) == FAULT_OK);
	check(s, x.w.c.viol_dep == 1);
	check(s, x.w.c.anon_vma_allocs == 1);
	check_gup(s, &x.r, other, OK_DEP);
	x.av->canary = av_canary(x.av);
	check_gup(s, &x.r, other, GUP_OK);
	s->zap(&x.w, other);

	x.av->root = NULL;
	check(s, s->fault(&x.w, other) == FAULT_OK);
	check(s, x.w.c.viol_dep == 2);
	x.av->root = x.av;
	s->zap(&x.w, other);

	x.av->state = AV_DEAD;
	check(s, s->fault(&x.w, other) == FAULT_OK);
	check(s, x.w.c.viol_dep == 3);
	x.av->state = AV_LIVE;
	check(s, x.w.c.retries == 0 && x.w.c.faults == 5);
	world_fini(&x);
}

static void test_anon_vma_fast_path(void **state)
{
	(void)state;
	for_each_strategy(anon_vma_fast_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viol_page_gen),
		cmocka_unit_test(test_viol_check),
		cmocka_unit_test(test_viol_index),
		cmocka_unit_test(test_viol_mapping_flags),
		cmocka_unit_test(test_viol_anon_vma),
		cmocka_unit_test(test_viol_chain),
		cmocka_unit_test(test_viol_frame),
		cmocka_unit_test(test_viol_indep),
		cmocka_unit_test(test_retry_not_violation),
		cmocka_unit_test(test_recheck_rejects_race),
		cmocka_unit_test(test_gup_count),
		cmocka_unit_test(test_gup_count_accumulates),
		cmocka_unit_test(test_anon_vma_fast_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
