/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user-space image of the kernel objects that a page fault publishes and
 * lockless GUP walks to (docs/design.md §3):
 *
 *   struct mm        page_table_lock, a page table (one pte word per slot)
 *                    with one split pte lock per PTRS_PER_PTE slots,
 *                    the VMAs, a seqcount, a per-slot word for the
 *                    independent reader shape
 *   struct vma       a range of slots, the published anon_vma pointer, a
 *                    per-VMA lock (as vma_start_read() in mm/memory.c)
 *   struct anon_vma  lock, root (self), refcount, canary, state
 *   struct page      flags, refcount, mapping (anon_vma | ANON), index,
 *                    generation, content check; a 4 KiB frame
 *
 * Pages and anon_vmas live in arrays for the whole run and are recycled,
 * never unmapped (SLAB_TYPESAFE_BY_RCU): a racing reader can always load
 * from them, and its pte re-check tells it whether what it read was current.
 * A pte carries the page's publication generation, so a recycled page never
 * republishes an old pte value (no ABA).
 */
#ifndef FL_MODEL_MM_H
#define FL_MODEL_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../sync/atomic.h"
#include "../sync/barrier.h"
#include "../sync/seqcount.h"
#include "../sync/spinlock.h"

#define FL_PAGE_SIZE		4096UL
/* ptes per page-table page (x86_64 and arm64 with 4 KiB pages): one split
 * pte lock covers this many slots (USE_SPLIT_PTE_PTLOCKS, since 2.6.15). */
#define PTRS_PER_PTE		512UL
#define VMA_MAX_TABLES		2	/* page-table pages one VMA may span */

/* pte word: bit 0 present, bits 1..24 pfn, bits 25..63 generation. */
#define PTE_PRESENT		1UL
#define PTE_PFN_SHIFT		1
#define PTE_PFN_BITS		24
#define PTE_PFN_MASK		((1UL << PTE_PFN_BITS) - 1)
#define PTE_GEN_SHIFT		(PTE_PFN_SHIFT + PTE_PFN_BITS)
#define PTE_GEN_MASK		((1UL << (64 - PTE_GEN_SHIFT)) - 1)
#define FL_MAX_PAGES		(1UL << PTE_PFN_BITS)

#define PAGE_MAPPING_ANON	1UL
#define PG_uptodate		(1UL << 0)
#define PG_swapbacked		(1UL << 1)
#define PG_VALID		(PG_uptodate | PG_swapbacked)

#define AV_LIVE			0x11feUL
#define AV_DEAD			0xdeadUL

struct anon_vma {
	spinlock_t lock;
	struct anon_vma *root;		/* self: this model has no fork() */
	atomic_t refcount;
	unsigned long canary;		/* av_canary(self) while live */
	unsigned long state;		/* AV_LIVE or AV_DEAD */
	/*
	 * Bookkeeping, not kernel state: the writer whose fault published
	 * it. Stored and loaded with relaxed C atomics, outside the barrier
	 * vocabulary (the emulator does not see it), and read only to name
	 * the shape of a violation already proven (av_publisher()).
	 */
	unsigned long publisher;
} __attribute__((__aligned__(64)));

struct page {
	unsigned long flags;
	atomic_t refcount;		/* 0: free; 1: mapped; +1 per GUP pin */
	unsigned long mapping;		/* anon_vma | PAGE_MAPPING_ANON, or 0 */
	unsigned long index;		/* the slot it maps */
	unsigned long gen;		/* publication generation, also in the pte */
	unsigned long check[2];		/* content check: content_check(gen, pfn), ~ */
	unsigned char *frame;		/* 4 KiB of contents, fixed for the run */
	unsigned long owner;		/* bookkeeping: the writer whose FIFO holds it; fixed */
} __attribute__((__aligned__(64)));

struct vma {
	unsigned long start, end;	/* slots [start, end) */
	struct anon_vma *anon_vma;	/* published; NULL until the first fault */
	atomic_t vm_lock;		/* >0 readers (faults), -1 writer (teardown) */
	/* Mapped pages per page-table page the VMA spans, each under that
	 * table's pte lock: [k] counts slots of its k-th table. */
	unsigned long nr_pages[VMA_MAX_TABLES];
} __cacheline_aligned;

struct anon_vma_pool {
	spinlock_t lock;
	struct anon_vma *objs;
	unsigned long nr;
	unsigned long *ring;		/* stack of free indices (LIFO) */
	unsigned long head, count;
} __cacheline_aligned;

/* A page-table page's lock (struct ptdesc's ptl), on its own cache line,
 * and the seqlock strategy's seqcount of its ptes (a seqcount_spinlock_t:
 * written only with the lock held). */
struct pte_lock {
	spinlock_t lock;
	seqcount_t seq;
} __cacheline_aligned;

struct mm_config {
	unsigned long nr_slots;		/* power of two */
	unsigned long slots_per_vma;	/* divides nr_slots */
	/* slots per page-table page, a power of two (0: PTRS_PER_PTE); a
	 * VMA spans at most VMA_MAX_TABLES of them */
	unsigned long ptes_per_table;
	bool clear_page;		/* clear the whole 4 KiB frame on fault */
	/* ptes under mm->page_table_lock, as before 2.6.15 (--ptl=mm);
	 * false: one lock per page-table page, the kernel's (--ptl=split) */
	bool mm_ptl;
	/* the flavour of every lock in the mm (--lock=; 0: the qspinlock) */
	enum fl_lock lock;
};

struct mm {
	spinlock_t page_table_lock __cacheline_aligned;	/* vma->anon_vma; ptes with mm_ptl */
	struct pte_lock *ptl;		/* split: the pte lock of each page-table page */
	seqcount_t seq __cacheline_aligned;	/* seqlock: vma->anon_vma's, under page_table_lock */
	unsigned long *pt __cacheline_aligned;	/* nr_slots pte words */
	unsigned long *slot_gen;	/* per-slot word: independent shape */
	struct vma *vmas;
	unsigned long nr_vmas;
	struct page *memmap;
	unsigned long nr_pages;
	unsigned char *frames;
	struct anon_vma_pool avs;
	struct mm_config cfg;
};

/* Counters of real operations, one set per thread, published once. */
struct fl_counts {
	uint64_t faults, fault_retries, zaps, vma_teardowns, anon_vma_allocs;
	uint64_t gups, gup_hits, gup_misses, retries;
	uint64_t stale_refs;		/* refcount 0 under a pte proven current */
	uint64_t viol_dep, viol_indep, viol_chain;
	uint64_t publishes;
	struct lock_stat lock;		/* page_table_lock waits */
	uint64_t grace_periods;		/* retire_flush() batches (rcu) */
};

/* Violations of every reader shape. */
static inline uint64_t fl_counts_violations(const struct fl_counts *c)
{
	return c->viol_dep + c->viol_indep + c->viol_chain;
}

static inline void fl_counts_add(struct fl_counts *acc, const struct fl_counts *c)
{
	acc->faults += c->faults;
	acc->fault_retries += c->fault_retries;
	acc->zaps += c->zaps;
	acc->vma_teardowns += c->vma_teardowns;
	acc->anon_vma_allocs += c->anon_vma_allocs;
	acc->gups += c->gups;
	acc->gup_hits += c->gup_hits;
	acc->gup_misses += c->gup_misses;
	acc->retries += c->retries;
	acc->stale_refs += c->stale_refs;
	acc->viol_dep += c->viol_dep;
	acc->viol_indep += c->viol_indep;
	acc->viol_chain += c->viol_chain;
	acc->publishes += c->publishes;
	acc->grace_periods += c->grace_periods;
	acc->lock.contended += c->lock.contended;
	acc->lock.wait_ns += c->lock.wait_ns;
}

/* A writer's private page supply: a FIFO of pfns it owns. */
struct page_fifo {
	unsigned long *ring;
	unsigned long size, head, count;
};

/*
 * What a writer's zaps took away and a strategy with a grace_period hook
 * recycles only after one (model/paths.h, retire_flush()): a batch, as
 * the kernel's mmu_gather frees page tables after one RCU grace period
 * (mm/mmu_gather.c, tlb_remove_table()) and call_rcu() runs its callbacks.
 */
#define FL_RETIRE_BATCH		64
struct fl_retire {
	struct page *page[FL_RETIRE_BATCH];
	struct anon_vma *av[FL_RETIRE_BATCH];
	unsigned nr_pages, nr_avs;
};

/* One logical thread of the workload: writer, reader or both. */
struct fl_thread {
	struct mm *mm;
	unsigned id;
	/* writer state */
	struct page_fifo fifo;
	unsigned long nr_writers, writer_idx;	/* owns slots s % nr_writers == writer_idx */
	unsigned long owned;		/* how many slots that is */
	unsigned long gen_next;		/* next generation; strides by nr_writers */
	unsigned long head, tail, mapped, window;
	/* reader state: GUPs random slots in [read_base, read_base + read_mask] */
	uint64_t rng;
	unsigned long read_base, read_mask;
	/* publish micro-benchmark state */
	struct mm *priv;
	struct fl_counts c;
	struct fl_retire retire;	/* rcu's deferred recycling */
} __cacheline_aligned;

enum gup_result {
	GUP_MISS = 0,		/* pte not present */
	GUP_OK = 1,
	GUP_RETRY = 2,		/* lost a race: re-check, grab or seqcount */
	GUP_VIOL_DEP = 4,	/* current publication, stale dependent field */
	GUP_VIOL_INDEP = 8,	/* current publication, stale independent word */
	GUP_VIOL_CHAIN = 16,	/* current publication, stale anon_vma field, the
				 * anon_vma published by another writer's fault */
	GUP_STALE_REF = 32,	/* refcount read 0 under a pte proven current */
};

static inline unsigned long mk_pte(unsigned long pfn, unsigned long gen)
{
	return PTE_PRESENT | (pfn << PTE_PFN_SHIFT) | ((gen & PTE_GEN_MASK) << PTE_GEN_SHIFT);
}
static inline bool pte_present(unsigned long pte) { return pte & PTE_PRESENT; }
static inline unsigned long pte_pfn(unsigned long pte) { return (pte >> PTE_PFN_SHIFT) & PTE_PFN_MASK; }
static inline unsigned long pte_gen(unsigned long pte) { return pte >> PTE_GEN_SHIFT; }

/* xorshift64*: the readers' slot sequence. */
static inline uint64_t fl_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline unsigned long content_check(unsigned long gen, unsigned long pfn)
{
	return (gen * 0x9e3779b97f4a7c15UL) ^ (pfn << 1) ^ 0x5a5a5a5aUL;
}

static inline unsigned long av_canary(const struct anon_vma *av)
{
	return (unsigned long)av ^ 0xa5a5c0ffee00a5a5UL;
}

/* The publisher bookkeeping (see struct anon_vma). */
static inline void av_set_publisher(struct anon_vma *av, unsigned long writer)
{
	__atomic_store_n(&av->publisher, writer, __ATOMIC_RELAXED);
}

static inline unsigned long av_publisher(const struct anon_vma *av)
{
	return __atomic_load_n(&av->publisher, __ATOMIC_RELAXED);
}

/* The chain shape: the anon_vma that page's mapping word names was published
 * by another writer's fault than the one that mapped the page. */
static inline bool mapping_from_other_writer(const struct page *page, unsigned long mapping)
{
	return (mapping & PAGE_MAPPING_ANON) &&
	       av_publisher((const struct anon_vma *)(mapping & ~PAGE_MAPPING_ANON)) !=
		       page->owner;
}

/* The word of a page's frame that a fault with --clear-page writes after
 * clearing the rest, and GUP validates. */
static inline unsigned long *page_frame_word(const struct page *page)
{
	return (unsigned long *)page->frame;
}

/* mm.c: the world */
int mm_create(struct mm **out, const struct mm_config *cfg);
void mm_destroy(struct mm *mm);
const char *mm_config_check(const struct mm_config *cfg);

/* Writer set-up: thread t becomes writer idx of n, owning every n-th slot and
 * every n-th share of the memmap; it keeps at most window pages mapped. */
int fl_thread_init_writer(struct fl_thread *t, unsigned long idx, unsigned long n);
void fl_thread_init_reader(struct fl_thread *t, uint64_t seed);
/* Confine reader idx of n to its own contiguous block of slots. */
void fl_thread_reader_block(struct fl_thread *t, unsigned long idx, unsigned long n);
void fl_thread_fini(struct fl_thread *t);
unsigned long writer_slot(const struct fl_thread *t, unsigned long k);

/* pools (mm.c) */
struct page *page_alloc(struct fl_thread *t);
void page_free(struct fl_thread *t, struct page *page);
struct anon_vma *anon_vma_alloc(struct mm *mm);
void anon_vma_free(struct mm *mm, struct anon_vma *av);

static inline unsigned long page_to_pfn(const struct mm *mm, const struct page *p)
{
	return (unsigned long)(p - mm->memmap);
}

static inline struct vma *slot_vma(struct mm *mm, unsigned long slot)
{
	return &mm->vmas[slot / mm->cfg.slots_per_vma];
}

static inline unsigned long ptes_per_table(const struct mm *mm)
{
	return mm->cfg.ptes_per_table ? mm->cfg.ptes_per_table : PTRS_PER_PTE;
}

/* pte_lockptr(): the lock slot's pte is set and cleared under. */
static inline spinlock_t *pte_lockptr(struct mm *mm, unsigned long slot)
{
	return mm->cfg.mm_ptl ? &mm->page_table_lock : &mm->ptl[slot / ptes_per_table(mm)].lock;
}

/* The count of slot's page table in its VMA, under pte_lockptr(slot). */
static inline unsigned long *vma_nr_pages(struct mm *mm, struct vma *vma, unsigned long slot)
{
	return &vma->nr_pages[slot / ptes_per_table(mm) - vma->start / ptes_per_table(mm)];
}

#endif /* FL_MODEL_MM_H */
