/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault, zap and GUP paths, written once and instantiated by every
 * strategy with its own sync_ops (see strategies/strategy.h). They are
 * __always_inline and take a pointer to a static const ops table, so the
 * compiler folds each hook into the path: no indirect call sits between a
 * barrier and the accesses it orders.
 *
 * Kernel counterparts:
 *   anon_vma_prepare()   include/linux/rmap.h + mm/rmap.c:__anon_vma_prepare()
 *   do_anonymous_page()  mm/memory.c
 *   zap_one()            mm/memory.c:zap_pte_range() + free_pages_prepare()
 *   retire_flush()       mm/mmu_gather.c:tlb_remove_table() + tlb_remove_table_rcu()
 *   gup_fast_one()       mm/gup.c:gup_fast_pte_range()
 */
#ifndef FL_MODEL_PATHS_H
#define FL_MODEL_PATHS_H

#include <string.h>
#include "mm.h"
#include "sync_ops.h"

enum { FAULT_OK = 0, FAULT_RETRY = 1 };

/* vma_start_read()/vma_end_read() (mm/memory.c, per-VMA locks): a fault
 * holds its VMA against teardown, so vma->anon_vma cannot be reset under it. */
static __always_inline bool vma_start_read(struct vma *vma)
{
	long c = __READ_ONCE(vma->vm_lock.counter);

	do {
		if (c < 0)
			return false;
	} while (!try_cmpxchg(&vma->vm_lock.counter, &c, c + 1));
	smp_mb__after_atomic();
	return true;
}

static __always_inline void vma_end_read(struct vma *vma)
{
	atomic_dec_return(&vma->vm_lock);
}

static __always_inline bool vma_start_write(struct vma *vma)
{
	long zero = 0;
	bool ok = try_cmpxchg(&vma->vm_lock.counter, &zero, -1L);
	if (ok)
		smp_mb__after_atomic();
	return ok;
}

static __always_inline void vma_end_write(struct vma *vma)
{
	smp_store_release(&vma->vm_lock.counter, 0L);
}

/* Poison before free, so a reader that reaches a dead anon_vma through a
 * stale pointer sees it. */
static __always_inline void anon_vma_poison(struct anon_vma *av)
{
	STORE_PLAIN(av->state, AV_DEAD);
	STORE_PLAIN(av->canary, 0UL);
	STORE_PLAIN(av->root, NULL);
}

/*
 * Recycling after a grace period (the strategy's grace_period hook; NULL:
 * at once). A zap defers the page it took away, a teardown the anon_vma;
 * once FL_RETIRE_BATCH of either wait, or a fault finds a pool empty, one
 * grace period passes and the whole batch goes back: poisoned and freed
 * only when no reader that could have loaded a pointer to it is still in
 * its read section.
 */
static __always_inline void retire_flush(struct fl_thread *t, const struct sync_ops *ops)
{
	struct fl_retire *r = &t->retire;
	unsigned i;

	if (!ops->grace_period || (!r->nr_pages && !r->nr_avs))
		return;
	ops->grace_period();
	for (i = 0; i < r->nr_pages; i++)
		page_free(t, r->page[i]);
	for (i = 0; i < r->nr_avs; i++) {
		anon_vma_poison(r->av[i]);
		anon_vma_free(t->mm, r->av[i]);
	}
	r->nr_pages = r->nr_avs = 0;
	t->c.grace_periods++;
}

static __always_inline void retire_page(struct fl_thread *t, struct page *page,
					const struct sync_ops *ops)
{
	if (!ops->grace_period) {
		page_free(t, page);
		return;
	}
	t->retire.page[t->retire.nr_pages++] = page;
	if (t->retire.nr_pages == FL_RETIRE_BATCH)
		retire_flush(t, ops);
}

static __always_inline void retire_anon_vma(struct fl_thread *t, struct mm *mm,
					    struct anon_vma *av, const struct sync_ops *ops)
{
	if (!ops->grace_period) {
		anon_vma_poison(av);
		anon_vma_free(mm, av);
		return;
	}
	t->retire.av[t->retire.nr_avs++] = av;
	if (t->retire.nr_avs == FL_RETIRE_BATCH)
		retire_flush(t, ops);
}

/*
 * anon_vma_prepare(): the fast path reads vma->anon_vma without
 * page_table_lock and then uses the anon_vma it points to (its root, as
 * anon_vma_lock_write() would). That is the dependent reader shape on
 * vma->anon_vma. The slow path allocates, initialises and publishes under
 * page_table_lock.
 */
static __always_inline struct anon_vma *
anon_vma_prepare(struct fl_thread *t, struct vma *vma, const struct sync_ops *ops)
{
	struct mm *mm = t->mm;
	struct anon_vma *av, *fresh;
	unsigned long seq, root, canary, state;
	bool stale;

	for (;;) {
		seq = ops->read_begin(mm, &mm->page_table_lock, &t->c.lock);
		av = (struct anon_vma *)ops->load((unsigned long *)&vma->anon_vma);
		if (av) {
			root = (unsigned long)READ_DEP(av->root, vma->anon_vma);
			canary = READ_DEP(av->canary, vma->anon_vma);
			state = READ_DEP(av->state, vma->anon_vma);
			stale = root != (unsigned long)av || canary != av_canary(av) ||
				state != AV_LIVE;
			if (ops->read_retry(mm, &mm->page_table_lock, seq)) {
				t->c.fault_retries++;
				continue;
			}
			if (unlikely(stale)) {
				/* We hold the VMA, so the pointer cannot have
				 * been reset: re-check to prove it anyway. */
				smp_mb();
				if (READ_ONCE(vma->anon_vma) != av) {
					t->c.fault_retries++;
					continue;
				}
				t->c.viol_dep++;
			}
			return av;
		}
		if (ops->read_retry(mm, &mm->page_table_lock, seq)) {
			t->c.fault_retries++;
			continue;
		}

		fresh = anon_vma_alloc(mm);
		if (!fresh)
			return NULL;
		/* Initialise before publication: these are the stores the
		 * publish ordering must make visible first. */
		STORE_PLAIN(fresh->root, fresh);
		atomic_set(&fresh->refcount, 1);
		STORE_PLAIN(fresh->canary, av_canary(fresh));
		STORE_PLAIN(fresh->state, AV_LIVE);
		av_set_publisher(fresh, t->writer_idx);

		spin_lock_stat(&mm->page_table_lock, &t->c.lock);
		if (likely(!LOAD_PLAIN(vma->anon_vma))) {
			ops->pub_begin(mm, &mm->page_table_lock);
			ops->publish((unsigned long *)&vma->anon_vma, (unsigned long)fresh);
			ops->pub_end(mm, &mm->page_table_lock);
			t->c.anon_vma_allocs++;
			spin_unlock(&mm->page_table_lock);
			return fresh;
		}
		spin_unlock(&mm->page_table_lock);
		/* Lost the race: give it back as teardown would, use theirs. */
		anon_vma_poison(fresh);
		anon_vma_free(mm, fresh);
	}
}

/*
 * do_anonymous_page(): take a page, write its contents, mark it uptodate,
 * set mapping/index/generation (folio_add_new_anon_rmap()), then set the pte
 * under its pte lock (pte_offset_map_lock()). The [publish ordering] is ops->publish(). Unlike the
 * kernel's __folio_mark_uptodate() we put no smp_wmb() of our own here: the
 * strategy is the only thing that orders the page before its pte.
 */
static __always_inline int
do_anonymous_page(struct fl_thread *t, unsigned long slot, const struct sync_ops *ops)
{
	struct mm *mm = t->mm;
	struct vma *vma = slot_vma(mm, slot);
	struct anon_vma *av;
	struct page *page;
	unsigned long pfn, gen;
	spinlock_t *ptl;

	if (!vma_start_read(vma)) {
		t->c.fault_retries++;
		return FAULT_RETRY;
	}
	av = anon_vma_prepare(t, vma, ops);
	page = av ? page_alloc(t) : NULL;
	if (!page) {
		vma_end_read(vma);
		/* A pool ran dry: take back what waits for a grace period. */
		retire_flush(t, ops);
		t->c.fault_retries++;
		return FAULT_RETRY;
	}
	pfn = page_to_pfn(mm, page);
	gen = t->gen_next & PTE_GEN_MASK;	/* what the pte can carry */
	t->gen_next += t->nr_writers;

	if (mm->cfg.clear_page) {
		/* clear_user_highpage(), then one word of contents that GUP
		 * validates like the page's other fields. */
		memset(page->frame + sizeof(long), 0, FL_PAGE_SIZE - sizeof(long));
		STORE_PLAIN(*page_frame_word(page), content_check(gen, pfn));
	}
	STORE_PLAIN(page->check[0], content_check(gen, pfn));
	STORE_PLAIN(page->check[1], ~content_check(gen, pfn));
	STORE_PLAIN(page->flags, PG_VALID);		/* __folio_mark_uptodate() */

	ptl = pte_lockptr(mm, slot);
	spin_lock_stat(ptl, &t->c.lock);
	if (unlikely(pte_present(LOAD_PLAIN(mm->pt[slot])))) {
		/* vmf_pte_changed(): someone mapped it first. */
		spin_unlock(ptl);
		atomic_set(&page->refcount, 0);
		page_free(t, page);
		vma_end_read(vma);
		t->c.fault_retries++;
		return FAULT_RETRY;
	}
	WRITE_ONCE(page->mapping, (unsigned long)av | PAGE_MAPPING_ANON);
	STORE_PLAIN(page->index, slot);
	STORE_PLAIN(page->gen, gen);
	STORE_PLAIN(mm->slot_gen[slot], gen);		/* the independent word */
	STORE_PLAIN(*vma_nr_pages(mm, vma, slot), LOAD_PLAIN(*vma_nr_pages(mm, vma, slot)) + 1);
	ops->pub_begin(mm, ptl);
	ops->publish(&mm->pt[slot], mk_pte(pfn, gen));	/* set_ptes() */
	ops->pub_end(mm, ptl);
	spin_unlock(ptl);

	vma_end_read(vma);
	t->c.faults++;
	return FAULT_OK;
}

/* Tear a VMA down once its last page is gone, recycling its anon_vma. */
static __always_inline void
vma_teardown(struct fl_thread *t, struct vma *vma, const struct sync_ops *ops)
{
	struct mm *mm = t->mm;
	struct anon_vma *av = NULL;

	unsigned long s;
	bool empty = true;

	if (!vma_start_write(vma))
		return;		/* a fault holds it: it will not stay empty */
	/* No fault can run on it now, and zaps only take pages away: a
	 * table's count read 0 under its lock stays 0. */
	for (s = vma->start; s < vma->end && empty; s += ptes_per_table(mm)) {
		spinlock_t *ptl = pte_lockptr(mm, s);

		spin_lock_stat(ptl, &t->c.lock);
		empty = LOAD_PLAIN(*vma_nr_pages(mm, vma, s)) == 0;
		spin_unlock(ptl);
	}
	if (empty) {
		spin_lock_stat(&mm->page_table_lock, &t->c.lock);
		av = LOAD_PLAIN(vma->anon_vma);
		if (av) {
			ops->pub_begin(mm, &mm->page_table_lock);
			WRITE_ONCE(vma->anon_vma, NULL);
			ops->pub_end(mm, &mm->page_table_lock);
		}
		spin_unlock(&mm->page_table_lock);
	}
	if (av) {
		retire_anon_vma(t, mm, av, ops);
		t->c.vma_teardowns++;
	}
	vma_end_write(vma);
}

/*
 * Zap one slot: clear the pte under its pte lock, then drop the mapping's
 * reference. "For the rest of pgtable operations ... (1) clear pte, then (2)
 * check whether page is pinned" (mm/gup.c): the smp_mb() below pairs with the
 * fully ordered atomic_inc_not_zero() in gup_fast_one(). The page goes to the
 * writer's FIFO and is reused only once every pin is gone.
 */
static __always_inline void
zap_one(struct fl_thread *t, unsigned long slot, const struct sync_ops *ops)
{
	struct mm *mm = t->mm;
	struct vma *vma = slot_vma(mm, slot);
	struct page *page;
	unsigned long pte;
	bool empty;

	spinlock_t *ptl = pte_lockptr(mm, slot);

	spin_lock_stat(ptl, &t->c.lock);
	pte = LOAD_PLAIN(mm->pt[slot]);
	if (!pte_present(pte)) {
		spin_unlock(ptl);
		return;
	}
	ops->pub_begin(mm, ptl);
	WRITE_ONCE(mm->pt[slot], 0UL);
	ops->pub_end(mm, ptl);
	STORE_PLAIN(*vma_nr_pages(mm, vma, slot), LOAD_PLAIN(*vma_nr_pages(mm, vma, slot)) - 1);
	empty = LOAD_PLAIN(*vma_nr_pages(mm, vma, slot)) == 0;	/* teardown checks the rest */
	spin_unlock(ptl);

	smp_mb();	/* Pairs with atomic_inc_not_zero() in gup_fast_one(). */
	page = &mm->memmap[pte_pfn(pte)];
	/* free_pages_prepare(): clear what identifies the old life. */
	STORE_PLAIN(page->flags, 0UL);
	WRITE_ONCE(page->mapping, 0UL);
	atomic_dec_return(&page->refcount);
	retire_page(t, page, ops);
	t->c.zaps++;
	if (empty)
		vma_teardown(t, vma, ops);
}

/*
 * One lockless GUP of a slot (gup_fast_pte_range()):
 *   load the pte [read-side ordering]
 *   validate what the writer stored before publishing:
 *     dependent shape: page fields and anon_vma fields, reached through the pte
 *     independent shape: the slot word, whose address was known beforehand
 *   grab a reference (atomic_inc_not_zero, fully ordered), re-check the pte.
 * Between load() and the validation loads there is nothing but the
 * strategy's own read-side mechanism (docs/design.md §4, correctness rule).
 * A violation is counted only when the re-check proves the pte we read is
 * still current: same value, hence same generation.
 */
static __always_inline unsigned
gup_fast_one(struct fl_thread *t, unsigned long slot, const struct sync_ops *ops)
{
	struct mm *mm = t->mm;
	unsigned long seq, pte, pfn, gen, mapping, v;
	struct page *page;
	struct anon_vma *av;
	bool bad_dep, bad_av = false, bad_indep, chain;

	seq = ops->read_begin(mm, pte_lockptr(mm, slot), &t->c.lock);
	pte = ops->load(&mm->pt[slot]);
	if (!pte_present(pte)) {
		if (ops->read_retry(mm, pte_lockptr(mm, slot), seq))
			return GUP_RETRY;
		return GUP_MISS;
	}
	pfn = pte_pfn(pte);
	gen = pte_gen(pte);
	page = &mm->memmap[pfn];

	/* Dependent shape: pte -> page -> fields, -> mapping -> anon_vma. */
	bad_dep = (READ_DEP(page->gen, mm->pt[slot]) & PTE_GEN_MASK) != gen;
	bad_dep |= READ_DEP(page->flags, mm->pt[slot]) != PG_VALID;
	bad_dep |= READ_DEP(page->index, mm->pt[slot]) != slot;
	bad_dep |= READ_DEP(page->check[0], mm->pt[slot]) != content_check(gen, pfn);
	bad_dep |= READ_DEP(page->check[1], mm->pt[slot]) != ~content_check(gen, pfn);
	if (mm->cfg.clear_page)
		bad_dep |= READ_DEP(*page_frame_word(page), mm->pt[slot]) !=
			   content_check(gen, pfn);
	mapping = READ_DEP(page->mapping, mm->pt[slot]);
	if (likely(mapping & PAGE_MAPPING_ANON)) {
		/* ... -> mapping -> the anon_vma's fields: the chain when
		 * another fault initialised and published that anon_vma. */
		av = (struct anon_vma *)(mapping & ~PAGE_MAPPING_ANON);
		v = (unsigned long)READ_DEP(av->root, page->mapping);
		bad_av = v != (unsigned long)av;
		bad_av |= READ_DEP(av->canary, page->mapping) != av_canary(av);
		bad_av |= READ_DEP(av->state, page->mapping) != AV_LIVE;
	} else {
		bad_dep = true;
	}

	/* Independent shape: no address dependency on the pte. */
	ops->before_indep();
	bad_indep = (__READ_ONCE(mm->slot_gen[slot]) & PTE_GEN_MASK) != gen;

	if (ops->read_retry(mm, pte_lockptr(mm, slot), seq))
		return GUP_RETRY;

	/*
	 * A zero refcount under a pte still current is a reordering too (the
	 * refcount store of page_alloc() not yet visible), but a benign one:
	 * the kernel's gup_fast() gives up and falls back to the slow path.
	 * Counted on its own.
	 */
	if (!atomic_inc_not_zero(&page->refcount))
		return GUP_RETRY | (READ_ONCE(mm->pt[slot]) == pte ? GUP_STALE_REF : 0);
	/* Re-check: pairs with the pte clear + smp_mb() in zap_one(). */
	if (READ_ONCE(mm->pt[slot]) != pte) {
		atomic_dec_return(&page->refcount);
		return GUP_RETRY;
	}
	atomic_dec_return(&page->refcount);
	/* A stale anon_vma field is the chain when another fault published it. */
	chain = bad_av && mapping_from_other_writer(page, mapping);
	bad_dep |= bad_av && !chain;
	return GUP_OK | (bad_dep ? GUP_VIOL_DEP : 0) | (chain ? GUP_VIOL_CHAIN : 0) |
	       (bad_indep ? GUP_VIOL_INDEP : 0);
}

/* Account one GUP's outcome. */
static __always_inline void gup_count(struct fl_thread *t, unsigned r)
{
	t->c.gups++;
	if (r & GUP_RETRY) {
		t->c.retries++;
		t->c.stale_refs += !!(r & GUP_STALE_REF);
		return;
	}
	if (!(r & GUP_OK)) {
		t->c.gup_misses++;
		return;
	}
	t->c.gup_hits++;
	if (r & GUP_VIOL_DEP)
		t->c.viol_dep++;
	if (r & GUP_VIOL_INDEP)
		t->c.viol_indep++;
	if (r & GUP_VIOL_CHAIN)
		t->c.viol_chain++;
}

/*
 * The publish path alone, nr times, on a thread-private object: initialise,
 * then the strategy's publication. No lock and no call per publish: this
 * isolates the cost of the ordering itself.
 */
static __always_inline void
publish_batch(struct fl_thread *t, unsigned nr, const struct sync_ops *ops)
{
	struct mm *p = t->priv;
	struct page *page = &p->memmap[0];
	unsigned long gen = t->gen_next, *pte = &p->pt[0];
	unsigned i;

	for (i = 0; i < nr; i++, gen++) {
		STORE_PLAIN(page->check[0], content_check(gen, 0));
		STORE_PLAIN(page->gen, gen);
		ops->pub_begin(p, pte_lockptr(p, 0));
		ops->publish(pte, mk_pte(0, gen));
		ops->pub_end(p, pte_lockptr(p, 0));
		/* One publication per iteration: without this, the plain
		 * stores of the ordering-free strategies merge across
		 * iterations. Compiler-only; emits nothing. */
		barrier();
	}
	t->gen_next = gen;
	t->c.publishes += nr;
}

#endif /* FL_MODEL_PATHS_H */
