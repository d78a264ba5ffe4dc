// SPDX-License-Identifier: GPL-2.0
/*
 * The model's world (model/mm.c): configuration, pte words, writer set-up,
 * the type-stable page and anon_vma pools, and the generations that keep a
 * recycled page from republishing an old pte (no ABA). Single-threaded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "strategies/strategy.h"

static struct mm *new_mm(unsigned long nr_slots, unsigned long slots_per_vma)
{
	struct mm_config cfg = { .nr_slots = nr_slots, .slots_per_vma = slots_per_vma };
	struct mm *mm = NULL;

	assert_int_equal(mm_create(&mm, &cfg), 0);
	assert_non_null(mm);
	return mm;
}

/* Zero the thread first: fl_thread_init_writer() leaves counters alone. */
static void new_writer(struct fl_thread *t, struct mm *mm, unsigned long idx, unsigned long n)
{
	memset(t, 0, sizeof(*t));
	t->mm = mm;
	assert_int_equal(fl_thread_init_writer(t, idx, n), 0);
}

static const char *check(unsigned long nr_slots, unsigned long slots_per_vma)
{
	struct mm_config cfg = { .nr_slots = nr_slots, .slots_per_vma = slots_per_vma };

	return mm_config_check(&cfg);
}

/* mm_config_check() accepts powers of two >= 2 that slots_per_vma divides,
 * and rejects everything else, including what would overflow the pte pfn. */
static void test_config_check(void **state)
{
	(void)state;
	assert_null(check(2, 1));
	assert_null(check(2, 2));
	assert_null(check(256, 16));
	assert_null(check(FL_MAX_PAGES, 16));

	assert_non_null(check(0, 1));
	assert_non_null(check(1, 1));
	assert_non_null(check(3, 1));
	assert_non_null(check(96, 16));
	assert_non_null(check(257, 1));
	assert_non_null(check(2 * FL_MAX_PAGES, 16));
	assert_non_null(check(256, 0));
	assert_non_null(check(256, 3));
	assert_non_null(check(256, 24));
	assert_non_null(check(256, 512));
}

/* mm_create() refuses a bad config, and builds a good one: VMAs tile the
 * slots, every page has its own 4 KiB frame, the page table is empty and
 * every anon_vma is free and dead. */
static void test_mm_create(void **state)
{
	struct mm_config bad = { .nr_slots = 12, .slots_per_vma = 4 };
	struct mm *mm = NULL;
	unsigned long i;

	(void)state;
	assert_int_equal(mm_create(&mm, &bad), -EINVAL);
	assert_null(mm);

	mm = new_mm(64, 8);
	assert_int_equal(mm->nr_vmas, 8);
	assert_int_equal(mm->nr_pages, 64);
	for (i = 0; i < mm->nr_vmas; i++) {
		assert_int_equal(mm->vmas[i].start, i * 8);
		assert_int_equal(mm->vmas[i].end, i * 8 + 8);
		assert_null(mm->vmas[i].anon_vma);
	}
	for (i = 0; i < mm->cfg.nr_slots; i++) {
		assert_int_equal(mm->pt[i], 0);
		assert_ptr_equal(slot_vma(mm, i), &mm->vmas[i / 8]);
	}
	for (i = 0; i < mm->nr_pages; i++) {
		assert_ptr_equal(mm->memmap[i].frame, mm->frames + i * FL_PAGE_SIZE);
		assert_int_equal(atomic_read(&mm->memmap[i].refcount), 0);
		assert_int_equal(page_to_pfn(mm, &mm->memmap[i]), i);
	}
	assert_int_equal(mm->avs.count, mm->avs.nr);
	for (i = 0; i < mm->avs.nr; i++)
		assert_int_equal(mm->avs.objs[i].state, AV_DEAD);
	mm_destroy(mm);
	mm_destroy(NULL);
}

/* mk_pte() packs pfn and generation so that pte_pfn()/pte_gen() give them
 * back, at the extremes of both fields; a zero word is not present. */
static void test_pte_roundtrip(void **state)
{
	static const unsigned long pfns[] = { 0, 1, 0x123456, PTE_PFN_MASK };
	static const unsigned long gens[] = { 0, 1, 0xabcdef12UL, PTE_GEN_MASK };
	unsigned long i, j, pte;

	(void)state;
	assert_false(pte_present(0));
	assert_int_equal(PTE_PFN_MASK, FL_MAX_PAGES - 1);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		for (j = 0; j < ARRAY_SIZE(gens); j++) {
			pte = mk_pte(pfns[i], gens[j]);
			assert_true(pte_present(pte));
			assert_int_equal(pte_pfn(pte), pfns[i]);
			assert_int_equal(pte_gen(pte), gens[j]);
		}
	}
}

/* A generation wider than the pte field is truncated to its low bits and
 * does not spill into the pfn or the present bit. */
static void test_pte_gen_masked(void **state)
{
	unsigned long pte;

	(void)state;
	pte = mk_pte(PTE_PFN_MASK, PTE_GEN_MASK + 1 + 7);
	assert_true(pte_present(pte));
	assert_int_equal(pte_pfn(pte), PTE_PFN_MASK);
	assert_int_equal(pte_gen(pte), 7);
	pte = mk_pte(5, ~0UL);
	assert_int_equal(pte_pfn(pte), 5);
	assert_int_equal(pte_gen(pte), PTE_GEN_MASK);
}

/* fl_thread_init_writer() rejects no writers, an index out of range and a
 * share too small to hold two slots (one mapped, one cooling), and leaves
 * nothing allocated when it does. */
static void test_init_writer_rejects(void **state)
{
	struct mm *mm = new_mm(16, 4);
	struct fl_thread t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.mm = mm;
	assert_int_equal(fl_thread_init_writer(&t, 0, 0), -EINVAL);
	assert_int_equal(fl_thread_init_writer(&t, 1, 1), -EINVAL);
	assert_int_equal(fl_thread_init_writer(&t, 4, 4), -EINVAL);
	assert_int_equal(fl_thread_init_writer(&t, 0, 9), -EINVAL);
	assert_int_equal(fl_thread_init_writer(&t, 0, 16), -EINVAL);
	assert_null(t.fifo.ring);

	assert_int_equal(fl_thread_init_writer(&t, 7, 8), 0);
	assert_int_equal(t.fifo.count, 2);
	assert_int_equal(writer_slot(&t, 0), 7);
	assert_int_equal(writer_slot(&t, 1), 15);
	fl_thread_fini(&t);
	assert_null(t.fifo.ring);
	mm_destroy(mm);
}

/* Hand out the k-th slot of every writer of n; 0 if n is refused. */
static int partition(struct mm *mm, unsigned long n, unsigned long *owner)
{
	unsigned long nr = mm->cfg.nr_slots, idx, k, s;
	struct fl_thread t;

	for (idx = 0; idx < n; idx++) {
		memset(&t, 0, sizeof(t));
		t.mm = mm;
		if (fl_thread_init_writer(&t, idx, n))
			return 0;
		for (k = 0; k < nr; k++) {
			s = writer_slot(&t, k);
			assert_in_range(s, 0, nr - 1);
			assert_int_equal(s % n, idx);
			owner[s] |= 1UL << idx;
		}
		fl_thread_fini(&t);
	}
	return 1;
}

/* For every writer count that fl_thread_init_writer() accepts, writer_slot()
 * gives every slot to exactly one writer, the one with idx == slot % n, and
 * a writer's k-th slots cover all it owns. */
static void test_writer_slot_partition(void **state)
{
	unsigned long owner[64], n, s;
	struct mm *mm = new_mm(64, 16);

	(void)state;
	for (n = 1; n <= 32; n++) {
		memset(owner, 0, sizeof(owner));
		if (!partition(mm, n, owner)) {
			/* Refused: only for a share under two slots or,
			 * in an older contract, an n not dividing. */
			assert_true(64 / n < 2 || 64 % n);
			continue;
		}
		for (s = 0; s < 64; s++)
			assert_int_equal(owner[s], 1UL << (s % n));
	}
	assert_true(partition(mm, 1, owner));
	assert_true(partition(mm, 32, owner));
	assert_false(partition(mm, 33, owner));
	mm_destroy(mm);
}

/* A reader reads the whole table until confined; then reader idx of n
 * reads its own power-of-two block: blocks never overlap, stay inside the
 * table, and for a power-of-two n they cover it. */
static void test_reader_block(void **state)
{
	static const unsigned long ns[] = { 1, 2, 3, 4, 8, 64, 100 };
	unsigned long hits[64], i, idx, s, covered;
	struct mm *mm = new_mm(64, 16);
	struct fl_thread t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.mm = mm;
	fl_thread_init_reader(&t, 1);
	assert_int_equal(t.read_base, 0);
	assert_int_equal(t.read_mask, 63);
	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		memset(hits, 0, sizeof(hits));
		for (idx = 0; idx < ns[i] && idx < 64; idx++) {
			fl_thread_reader_block(&t, idx, ns[i]);
			assert_int_equal(t.read_mask & (t.read_mask + 1), 0);
			assert_true(t.read_base + t.read_mask < 64);
			for (s = t.read_base; s <= t.read_base + t.read_mask; s++)
				hits[s]++;
		}
		for (s = 0, covered = 0; s < 64; s++) {
			assert_true(hits[s] <= 1);
			covered += hits[s];
		}
		if (!(ns[i] & (ns[i] - 1)))
			assert_int_equal(covered, 64);
	}
	mm_destroy(mm);
}

/* page_alloc() hands out each page of the writer's own share once, with
 * refcount 1, then runs dry. */
static void test_page_alloc_share(void **state)
{
	struct mm *mm = new_mm(8, 8);
	struct fl_thread t;
	struct page *p;
	bool seen[8] = { false };
	unsigned long i, pfn;

	(void)state;
	new_writer(&t, mm, 1, 2);
	for (i = 0; i < 4; i++) {
		p = page_alloc(&t);
		assert_non_null(p);
		pfn = page_to_pfn(mm, p);
		assert_in_range(pfn, 4, 7);
		assert_false(seen[pfn]);
		seen[pfn] = true;
		assert_int_equal(atomic_read(&p->refcount), 1);
	}
	assert_null(page_alloc(&t));
	fl_thread_fini(&t);
	mm_destroy(mm);
}

/* page_free() returns pages to the tail of the FIFO: they come back in the
 * order they were freed, after the pages that never left. */
static void test_page_free_fifo(void **state)
{
	struct mm *mm = new_mm(4, 4);
	struct fl_thread t;
	struct page *p[4];
	unsigned long i;

	(void)state;
	new_writer(&t, mm, 0, 1);
	for (i = 0; i < 3; i++)
		p[i] = page_alloc(&t);
	/* As zap_one() does: drop the mapping's reference, then free. */
	atomic_set(&p[2]->refcount, 0);
	page_free(&t, p[2]);
	atomic_set(&p[0]->refcount, 0);
	page_free(&t, p[0]);

	p[3] = page_alloc(&t);
	assert_int_equal(page_to_pfn(mm, p[3]), 3);
	assert_ptr_equal(page_alloc(&t), p[2]);
	assert_ptr_equal(page_alloc(&t), p[0]);
	assert_null(page_alloc(&t));
	fl_thread_fini(&t);
	mm_destroy(mm);
}

/* A freed page that a reader still pins (refcount != 0) is skipped and kept;
 * when every free page is pinned page_alloc() fails without losing any, and
 * a page is handed out again once its last pin drops. */
static void test_page_alloc_skips_pinned(void **state)
{
	struct mm *mm = new_mm(4, 4);
	struct fl_thread t;
	struct page *p[4];
	unsigned long i;

	(void)state;
	new_writer(&t, mm, 0, 1);
	for (i = 0; i < 4; i++)
		p[i] = page_alloc(&t);
	/* Zapped (mapping reference dropped) but pinned by a reader. */
	for (i = 0; i < 4; i++)
		page_free(&t, p[i]);
	assert_null(page_alloc(&t));
	assert_int_equal(t.fifo.count, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(atomic_read(&p[i]->refcount), 1);

	atomic_set(&p[2]->refcount, 0);		/* the reader unpins */
	assert_ptr_equal(page_alloc(&t), p[2]);
	assert_int_equal(atomic_read(&p[2]->refcount), 1);
	assert_null(page_alloc(&t));
	assert_int_equal(t.fifo.count, 3);
	fl_thread_fini(&t);
	mm_destroy(mm);
}

/* The anon_vma pool hands out distinct objects from its array until empty,
 * and anon_vma_free() refills it in FIFO order. */
static void test_anon_vma_pool(void **state)
{
	struct mm *mm = new_mm(16, 4);
	struct anon_vma *avs[16], *av;
	unsigned long i, j, nr = mm->avs.nr;

	(void)state;
	assert_int_equal(nr, 2 * mm->nr_vmas + 2);
	assert_true(nr <= ARRAY_SIZE(avs));
	for (i = 0; i < nr; i++) {
		avs[i] = anon_vma_alloc(mm);
		assert_non_null(avs[i]);
		assert_in_range(avs[i] - mm->avs.objs, 0, nr - 1);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(avs[i], avs[j]);
	}
	assert_null(anon_vma_alloc(mm));

	/* LIFO, as SLUB's per-CPU freelist: the last one freed comes back first. */
	anon_vma_free(mm, avs[3]);
	anon_vma_free(mm, avs[1]);
	assert_ptr_equal(anon_vma_alloc(mm), avs[1]);
	av = anon_vma_alloc(mm);
	assert_ptr_equal(av, avs[3]);
	assert_null(anon_vma_alloc(mm));

	for (i = 0; i < nr; i++)
		anon_vma_free(mm, avs[i]);
	assert_int_equal(mm->avs.count, nr);
	for (i = 0; i < nr; i++)
		assert_ptr_equal(anon_vma_alloc(mm), avs[nr - 1 - i]);
	mm_destroy(mm);
}

/* Fault/zap one slot over and over with only two pages to recycle: the
 * same page comes back, yet no pte value is ever published twice, and two
 * successive faults never publish the same value. */
static void test_no_aba(void **state)
{
	const struct strategy *s = strategy_find("dep");
	unsigned long ptes[64], i, j, reused = 0;
	struct mm *mm = new_mm(2, 2);
	struct fl_thread t;

	(void)state;
	assert_non_null(s);
	new_writer(&t, mm, 0, 1);
	for (i = 0; i < ARRAY_SIZE(ptes); i++) {
		assert_int_equal(s->fault(&t, 0), FAULT_OK);
		ptes[i] = mm->pt[0];
		assert_true(pte_present(ptes[i]));
		assert_int_equal(mm->memmap[pte_pfn(ptes[i])].gen, pte_gen(ptes[i]));
		s->zap(&t, 0);
		assert_int_equal(mm->pt[0], 0);
		for (j = 0; j < i; j++) {
			assert_int_not_equal(ptes[i], ptes[j]);
			reused += pte_pfn(ptes[i]) == pte_pfn(ptes[j]);
		}
	}
	assert_true(reused > 0);
	fl_thread_fini(&t);
	mm_destroy(mm);
}

/* Two writers on one mm, each cycling through its own slots: no generation
 * published by one is ever published by the other, or twice by either. */
static void test_gens_two_writers(void **state)
{
	const struct strategy *s = strategy_find("dep");
	enum { CYCLES = 40 };
	unsigned long gens[2][CYCLES], slot;
	struct mm *mm = new_mm(16, 4);
	struct fl_thread t[2];
	unsigned long k, w, i, j;

	(void)state;
	assert_non_null(s);
	new_writer(&t[0], mm, 0, 2);
	new_writer(&t[1], mm, 1, 2);
	for (k = 0; k < CYCLES; k++) {
		for (w = 0; w < 2; w++) {
			slot = writer_slot(&t[w], k);
			assert_int_equal(s->fault(&t[w], slot), FAULT_OK);
			gens[w][k] = pte_gen(mm->pt[slot]);
			s->zap(&t[w], slot);
		}
	}
	for (i = 0; i < 2 * CYCLES; i++)
		for (j = i + 1; j < 2 * CYCLES; j++)
			assert_int_not_equal(gens[i / CYCLES][i % CYCLES],
					     gens[j / CYCLES][j % CYCLES]);
	fl_thread_fini(&t[0]);
	fl_thread_fini(&t[1]);
	mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_check),
		cmocka_unit_test(test_mm_create),
		cmocka_unit_test(test_pte_roundtrip),
		cmocka_unit_test(test_pte_gen_masked),
		cmocka_unit_test(test_init_writer_rejects),
		cmocka_unit_test(test_writer_slot_partition),
		cmocka_unit_test(test_reader_block),
		cmocka_unit_test(test_page_alloc_share),
		cmocka_unit_test(test_page_free_fifo),
		cmocka_unit_test(test_page_alloc_skips_pinned),
		cmocka_unit_test(test_anon_vma_pool),
		cmocka_unit_test(test_no_aba),
		cmocka_unit_test(test_gens_two_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
