// SPDX-License-Identifier: GPL-2.0
/*
 * The world of one run: the mm, its page table and VMAs, and the type-stable
 * pools of pages and anon_vmas. Everything is allocated once here (through
 * the process allocator, jemalloc in every faultline binary) and recycled
 * for the whole run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mm.h"

static void *zalloc_aligned(size_t align, size_t size)
{
	void *p;

	size = (size + align - 1) / align * align;
	p = aligned_alloc(align, size);
	if (p)
		memset(p, 0, size);
	return p;
}

const char *mm_config_check(const struct mm_config *cfg)
{
	if (cfg->nr_slots < 2 || (cfg->nr_slots & (cfg->nr_slots - 1)))
		return "nr_slots must be a power of two >= 2";
	if (cfg->nr_slots > FL_MAX_PAGES)
		return "nr_slots exceeds the pfn field of a pte";
	if (!cfg->slots_per_vma || cfg->nr_slots % cfg->slots_per_vma)
		return "slots_per_vma must divide nr_slots";
	if (cfg->ptes_per_table & (cfg->ptes_per_table - 1))
		return "ptes_per_table must be a power of two";
	/* A VMA keeps one page count per page table it spans. */
	if (cfg->slots_per_vma > (cfg->ptes_per_table ? cfg->ptes_per_table : PTRS_PER_PTE) *
				 VMA_MAX_TABLES)
		return "a VMA may span at most 2 page tables (slots_per_vma <= 2 * ptes_per_table)";
	return NULL;
}

int mm_create(struct mm **out, const struct mm_config *cfg)
{
	struct mm *mm;
	unsigned long i;

	if (mm_config_check(cfg))
		return -EINVAL;
	mm = zalloc_aligned(FL_CACHELINE, sizeof(*mm));
	if (!mm)
		return -ENOMEM;
	mm->cfg = *cfg;
	spin_lock_init(&mm->page_table_lock, cfg->lock);
	seqcount_init(&mm->seq);
	mm->nr_vmas = cfg->nr_slots / cfg->slots_per_vma;
	/* One page per slot: a writer maps at most half of its share and
	 * keeps the rest cooling in its FIFO (see page_alloc()). */
	mm->nr_pages = cfg->nr_slots;
	mm->pt = zalloc_aligned(FL_CACHELINE, cfg->nr_slots * sizeof(*mm->pt));
	/* One pte lock per page-table page, each on its own cache line as
	 * the page's struct ptdesc holds it (initialised below). */
	mm->ptl = zalloc_aligned(FL_CACHELINE, (cfg->nr_slots + ptes_per_table(mm) - 1) /
				 ptes_per_table(mm) * sizeof(*mm->ptl));
	mm->slot_gen = zalloc_aligned(FL_CACHELINE, cfg->nr_slots * sizeof(*mm->slot_gen));
	mm->vmas = zalloc_aligned(FL_CACHELINE, mm->nr_vmas * sizeof(*mm->vmas));
	mm->memmap = zalloc_aligned(64, mm->nr_pages * sizeof(*mm->memmap));
	mm->frames = zalloc_aligned(FL_PAGE_SIZE, mm->nr_pages * FL_PAGE_SIZE);
	/* Enough anon_vmas for every VMA twice over, so a freed one cools
	 * in the FIFO before it is reused. */
	mm->avs.nr = 2 * mm->nr_vmas + 2;
	mm->avs.objs = zalloc_aligned(64, mm->avs.nr * sizeof(*mm->avs.objs));
	mm->avs.ring = zalloc_aligned(64, mm->avs.nr * sizeof(*mm->avs.ring));
	if (!mm->pt || !mm->ptl || !mm->slot_gen || !mm->vmas || !mm->memmap || !mm->frames ||
	    !mm->avs.objs || !mm->avs.ring) {
		mm_destroy(mm);
		return -ENOMEM;
	}
	for (i = 0; i < (cfg->nr_slots + ptes_per_table(mm) - 1) / ptes_per_table(mm); i++)
		spin_lock_init(&mm->ptl[i].lock, cfg->lock);
	for (i = 0; i < mm->nr_vmas; i++) {
		mm->vmas[i].start = i * cfg->slots_per_vma;
		mm->vmas[i].end = mm->vmas[i].start + cfg->slots_per_vma;
	}
	for (i = 0; i < mm->nr_pages; i++)
		mm->memmap[i].frame = mm->frames + i * FL_PAGE_SIZE;
	spin_lock_init(&mm->avs.lock, cfg->lock);
	for (i = 0; i < mm->avs.nr; i++) {
		spin_lock_init(&mm->avs.objs[i].lock, cfg->lock);
		mm->avs.objs[i].state = AV_DEAD;
		mm->avs.ring[i] = i;
	}
	mm->avs.count = mm->avs.nr;
	*out = mm;
	return 0;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	free(mm->pt);
	free(mm->ptl);
	free(mm->slot_gen);
	free(mm->vmas);
	free(mm->memmap);
	free(mm->frames);
	free(mm->avs.objs);
	free(mm->avs.ring);
	free(mm);
}

/* Slots s with s % nr_writers == writer_idx, in order. */
static unsigned long writer_owned(const struct mm *mm, unsigned long idx, unsigned long n)
{
	return (mm->cfg.nr_slots - idx + n - 1) / n;
}

unsigned long writer_slot(const struct fl_thread *t, unsigned long k)
{
	return t->writer_idx + (k % t->owned) * t->nr_writers;
}

int fl_thread_init_writer(struct fl_thread *t, unsigned long idx, unsigned long n)
{
	struct mm *mm = t->mm;
	unsigned long share, first, i;

	/* Each writer needs two slots at least: one mapped, one cooling. */
	if (!n || idx >= n || mm->cfg.nr_slots / n < 2)
		return -EINVAL;
	share = mm->nr_pages / n;
	first = idx * share;
	t->nr_writers = n;
	t->writer_idx = idx;
	t->owned = writer_owned(mm, idx, n);
	/* Generations are unique across writers: idx + k * n. */
	t->gen_next = idx + n;
	/* Map at most half of the slots we own; the pages of the other
	 * half cool in the FIFO before reuse. */
	t->window = t->owned / 2;
	t->head = t->tail = t->mapped = 0;
	t->fifo.ring = malloc(share * sizeof(*t->fifo.ring));
	if (!t->fifo.ring)
		return -ENOMEM;
	t->fifo.size = share;
	t->fifo.head = 0;
	t->fifo.count = share;
	for (i = 0; i < share; i++) {
		t->fifo.ring[i] = first + i;
		mm->memmap[first + i].owner = idx;	/* before any thread runs */
	}
	return 0;
}

void fl_thread_init_reader(struct fl_thread *t, uint64_t seed)
{
	t->rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!t->rng)
		t->rng = 1;
	t->read_base = 0;
	t->read_mask = t->mm->cfg.nr_slots - 1;
}

/*
 * Blocks are nr_slots / (n rounded up to a power of two) slots: readers then
 * never pin the same page, so what they pay for is the ordering against the
 * writer, not refcount cache lines bouncing between readers.
 */
void fl_thread_reader_block(struct fl_thread *t, unsigned long idx, unsigned long n)
{
	unsigned long blocks = 1, size;

	while (blocks < n)
		blocks <<= 1;
	size = t->mm->cfg.nr_slots / blocks;
	if (!size)
		size = 1;
	t->read_base = (idx % blocks) * size % t->mm->cfg.nr_slots;
	t->read_mask = size - 1;
}

void fl_thread_fini(struct fl_thread *t)
{
	free(t->fifo.ring);
	t->fifo.ring = NULL;
}

/*
 * Take the oldest free page whose refcount has drained to zero. A page that
 * a GUP reader still pins goes back to the tail; a stale reader can only
 * pin a page whose refcount is not zero (atomic_inc_not_zero), so once we
 * see zero here nobody holds it.
 */
struct page *page_alloc(struct fl_thread *t)
{
	struct page_fifo *f = &t->fifo;
	unsigned long tries;

	for (tries = f->count; tries; tries--) {
		unsigned long pfn = f->ring[f->head];
		struct page *page = &t->mm->memmap[pfn];

		f->head = (f->head + 1) % f->size;
		f->count--;
		if (atomic_read(&page->refcount) == 0) {
			atomic_set(&page->refcount, 1);
			return page;
		}
		f->ring[(f->head + f->count) % f->size] = pfn;
		f->count++;
	}
	return NULL;
}

void page_free(struct fl_thread *t, struct page *page)
{
	struct page_fifo *f = &t->fifo;

	f->ring[(f->head + f->count) % f->size] = page_to_pfn(t->mm, page);
	f->count++;
}

struct anon_vma *anon_vma_alloc(struct mm *mm)
{
	struct anon_vma_pool *p = &mm->avs;
	struct anon_vma *av = NULL;

	/* The most recently freed first, as SLUB's per-CPU freelist hands
	 * objects out: a racing reader may still see the poison of its last
	 * life (anon_vma_poison()), which is what makes a stale field visible. */
	spin_lock(&p->lock);
	if (p->count) {
		p->count--;
		av = &p->objs[p->ring[(p->head + p->count) % p->nr]];
	}
	spin_unlock(&p->lock);
	return av;
}

void anon_vma_free(struct mm *mm, struct anon_vma *av)
{
	struct anon_vma_pool *p = &mm->avs;

	spin_lock(&p->lock);
	p->ring[(p->head + p->count) % p->nr] = (unsigned long)(av - p->objs);
	p->count++;
	spin_unlock(&p->lock);
}
