// SPDX-License-Identifier: GPL-2.0
/*
 * The derived tests' world and shapes (world.h). The roles call the
 * strategy's own instantiations of the model's paths (strategies/strategy.h
 * DEFINE_STRATEGY): what is recorded is what the benchmark runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "world.h"

const char *const lg_loc_name[NR_LOCS] = {
	[LOC_ANON_VMA] = "anon_vma", [LOC_ROOT] = "root", [LOC_MAPPING] = "mapping",
	[LOC_FLAGS] = "flags", [LOC_PTE] = "pte", [LOC_SLOT] = "slot", [LOC_SEQ] = "seq",
	[LOC_PTSEQ] = "ptseq", [LOC_PTL] = "ptl", [LOC_MM_LOCK] = "page_table_lock",
};

const char *const lg_loc_field[NR_LOCS] = {
	[LOC_ANON_VMA] = "vma->anon_vma", [LOC_ROOT] = "anon_vma->root",
	[LOC_MAPPING] = "page->mapping", [LOC_FLAGS] = "page->flags",
	[LOC_PTE] = "mm->pt[slot]", [LOC_SLOT] = "mm->slot_gen[slot]", [LOC_SEQ] = "mm->seq",
	[LOC_PTSEQ] = "the page table's seqcount", [LOC_PTL] = "the pte lock",
	[LOC_MM_LOCK] = "mm->page_table_lock",
};

enum { WRITER_A, WRITER_B, READER };

static void fault_a(struct world *w, unsigned role)
{
	(void)role;
	w->s->fault(&w->th[WRITER_A], w->sh->slot);
}

static void prepare_a(struct world *w, unsigned role)
{
	(void)role;
	w->s->prepare(&w->th[WRITER_A], 0);	/* slot 0: the one VMA */
}

static void fault_b(struct world *w, unsigned role)
{
	(void)role;
	w->s->fault(&w->th[WRITER_B], w->sh->slot);
}

static void gup(struct world *w, unsigned role)
{
	(void)role;
	w->gup = w->s->gup(&w->th[READER], w->sh->slot);
}

#define BIT(l)		(1u << (l))
/* The words and locks of the strategies' hooks and of the paths' locking. */
#define STRATEGY_LOCS	(BIT(LOC_SEQ) | BIT(LOC_PTSEQ) | BIT(LOC_PTL) | BIT(LOC_MM_LOCK))

static const struct lg_shape shapes[NR_SHAPES] = {
	[SHAPE_DEP] = {
		.shape = SHAPE_DEP, .nr_roles = 2, .slot = 0,
		.role = { { "do_anonymous_page()", fault_a }, { "gup_fast_one()", gup } },
		.keep = BIT(LOC_FLAGS) | BIT(LOC_PTE) | STRATEGY_LOCS,
		.viol = GUP_VIOL_DEP,
		.story = "A fault initialises a page and publishes its pte; GUP-fast reads\n"
			 "the page through the pte. page->flags stands for the fields\n"
			 "GUP validates through the pte.",
	},
	[SHAPE_INDEP] = {
		.shape = SHAPE_INDEP, .nr_roles = 2, .slot = 0,
		.role = { { "do_anonymous_page()", fault_a }, { "gup_fast_one()", gup } },
		.keep = BIT(LOC_SLOT) | BIT(LOC_PTE) | STRATEGY_LOCS,
		.viol = GUP_VIOL_INDEP,
		.story = "A fault stores the per-slot word and publishes the pte; GUP-fast\n"
			 "reads the word at an address it knew before it read the pte.",
	},
	[SHAPE_CHAIN] = {
		.shape = SHAPE_CHAIN, .nr_roles = 3, .slot = 1,
		.role = { { "fault A: anon_vma_prepare()", prepare_a },
			  { "fault B: do_anonymous_page()", fault_b },
			  { "gup_fast_one()", gup } },
		.keep = BIT(LOC_ANON_VMA) | BIT(LOC_ROOT) | BIT(LOC_MAPPING) | BIT(LOC_PTE) |
			STRATEGY_LOCS,
		.viol = GUP_VIOL_CHAIN,
		.story = "Linus's 2008 anon_vma case, three CPUs: fault A initialises and\n"
			 "publishes the VMA's anon_vma; fault B, on another slot of the\n"
			 "same VMA, finds it, stores it in its page's mapping and\n"
			 "publishes the pte; GUP-fast walks pte -> mapping -> anon_vma.\n"
			 "anon_vma->root stands for root, canary and state.",
	},
};

const struct lg_shape *lg_shape_get(enum fl_shape shape)
{
	return shape < NR_SHAPES ? &shapes[shape] : NULL;
}

/* ---- locations ---------------------------------------------------------- */

#define FIELD(type, f) { offsetof(type, f), #f }
struct field { size_t off; const char *name; int loc; };

static const struct field page_fields[] = {
	{ offsetof(struct page, flags), "flags", LOC_FLAGS },
	{ offsetof(struct page, refcount), "refcount", -1 },
	{ offsetof(struct page, mapping), "mapping", LOC_MAPPING },
	{ offsetof(struct page, index), "index", -1 },
	{ offsetof(struct page, gen), "gen", -1 },
	{ offsetof(struct page, check[0]), "check[0]", -1 },
	{ offsetof(struct page, check[1]), "check[1]", -1 },
};
static const struct field av_fields[] = {
	{ offsetof(struct anon_vma, lock), "lock", -1 },	/* recorded as a lock, not its words */
	{ offsetof(struct anon_vma, root), "root", LOC_ROOT },
	{ offsetof(struct anon_vma, refcount), "refcount", -1 },
	{ offsetof(struct anon_vma, canary), "canary", -1 },
	{ offsetof(struct anon_vma, state), "state", -1 },
};
static const struct field vma_fields[] = {
	{ offsetof(struct vma, anon_vma), "anon_vma", LOC_ANON_VMA },
	{ offsetof(struct vma, vm_lock), "vm_lock", -1 },
	{ offsetof(struct vma, nr_pages[0]), "nr_pages", -1 },
	{ offsetof(struct vma, nr_pages[1]), "nr_pages[1]", -1 },
};

/* addr in an array of n objects of size bytes at base: which field? */
static bool in_array(uintptr_t a, const void *base, size_t size, size_t n,
		     const struct field *f, unsigned nf, const char *what, int *loc,
		     char *name, size_t len)
{
	uintptr_t b = (uintptr_t)base;
	unsigned i;

	if (a < b || a >= b + size * n)
		return false;
	*loc = -1;
	for (i = 0; i < nf; i++) {
		if ((a - b) % size == f[i].off) {
			*loc = f[i].loc;
			if (name)
				snprintf(name, len, "%s->%s", what, f[i].name);
			return true;
		}
	}
	if (name)
		snprintf(name, len, "%s+%zu", what, (size_t)((a - b) % size));
	return true;
}

static int classify(const struct world *w, const void *addr, char *name, size_t len)
{
	const struct mm *mm = w->mm;
	uintptr_t a = (uintptr_t)addr;
	int loc = -1;

	if (in_array(a, mm->memmap, sizeof(struct page), mm->nr_pages, page_fields,
		     ARRAY_SIZE(page_fields), "page", &loc, name, len) ||
	    in_array(a, mm->avs.objs, sizeof(struct anon_vma), mm->avs.nr, av_fields,
		     ARRAY_SIZE(av_fields), "anon_vma", &loc, name, len) ||
	    in_array(a, mm->vmas, sizeof(struct vma), mm->nr_vmas, vma_fields,
		     ARRAY_SIZE(vma_fields), "vma", &loc, name, len))
		return loc;
	if (a >= (uintptr_t)mm->pt && a < (uintptr_t)(mm->pt + mm->cfg.nr_slots)) {
		unsigned long slot = (unsigned long)((const unsigned long *)addr - mm->pt);

		if (name)
			snprintf(name, len, "mm->pt[%lu]", slot);
		return slot == w->sh->slot ? LOC_PTE : -1;
	}
	if (a >= (uintptr_t)mm->slot_gen && a < (uintptr_t)(mm->slot_gen + mm->cfg.nr_slots)) {
		unsigned long slot = (unsigned long)((const unsigned long *)addr - mm->slot_gen);

		if (name)
			snprintf(name, len, "mm->slot_gen[%lu]", slot);
		return slot == w->sh->slot ? LOC_SLOT : -1;
	}
	/* With --ptl=mm the pte lock is page_table_lock: LOC_PTL wins. */
	if (addr == pte_lockptr((struct mm *)mm, w->sh->slot)) {
		if (name)
			snprintf(name, len, mm->cfg.mm_ptl ? "mm->page_table_lock" : "pte lock");
		return LOC_PTL;
	}
	if (addr == &mm->page_table_lock) {
		if (name)
			snprintf(name, len, "mm->page_table_lock");
		return LOC_MM_LOCK;
	}
	if (addr == &((struct pte_lock *)((char *)pte_lockptr((struct mm *)mm, w->sh->slot) -
					     offsetof(struct pte_lock, lock)))->seq.sequence) {
		if (name)
			snprintf(name, len, "pte seqcount");
		return mm->cfg.mm_ptl ? LOC_SEQ : LOC_PTSEQ;
	}
	if (addr == &mm->seq.sequence) {
		if (name)
			snprintf(name, len, "mm->seq");
		return LOC_SEQ;
	}
	if (addr == &mm->avs.lock) {
		if (name)
			snprintf(name, len, "anon_vma pool lock");
		return -1;
	}
	if (name)
		snprintf(name, len, "%p", addr);
	return -1;
}

int world_locate(const struct world *w, const void *addr, char *name, size_t len)
{
	int loc = classify(w, addr, name, len);

	return loc >= 0 && (w->sh->keep & BIT(loc)) ? loc : -1;
}

/* ---- the world ---------------------------------------------------------- */

int world_create(struct world *w, const struct strategy *s, const struct lg_shape *sh)
{
	/* One VMA of four slots, so fault B finds the anon_vma fault A
	 * published; writer A owns slots 0 and 2, writer B 1 and 3. */
	struct mm_config cfg = { .nr_slots = 4, .slots_per_vma = 4 };
	unsigned i;
	int err;

	memset(w, 0, sizeof(*w));
	w->s = s;
	w->sh = sh;
	err = mm_create(&w->mm, &cfg);
	for (i = 0; !err && i < LG_MAX_ROLES; i++) {
		w->th[i].mm = w->mm;
		w->th[i].id = i;
		if (i == READER)
			fl_thread_init_reader(&w->th[i], 1);
		else
			err = fl_thread_init_writer(&w->th[i], i, 2);
	}
	if (err)
		world_destroy(w);
	return err;
}

void world_destroy(struct world *w)
{
	unsigned i;

	for (i = 0; i < w->nr_regions; i++)
		free(w->region[i].copy);
	for (i = 0; i < LG_MAX_ROLES; i++)
		fl_thread_fini(&w->th[i]);
	mm_destroy(w->mm);
	memset(w, 0, sizeof(*w));
}

static int save(struct world *w, void *p, size_t size)
{
	void *copy = malloc(size);

	if (!copy || w->nr_regions == ARRAY_SIZE(w->region)) {
		free(copy);
		return -ENOMEM;
	}
	memcpy(copy, p, size);
	w->region[w->nr_regions].p = p;
	w->region[w->nr_regions].copy = copy;
	w->region[w->nr_regions].size = size;
	w->nr_regions++;
	return 0;
}

int world_save(struct world *w)
{
	struct mm *mm = w->mm;
	unsigned i;
	int err;

	for (i = 0; i < w->nr_regions; i++)
		free(w->region[i].copy);
	w->nr_regions = 0;
	err = save(w, mm, sizeof(*mm));
	err = err ? err : save(w, mm->pt, mm->cfg.nr_slots * sizeof(*mm->pt));
	err = err ? err : save(w, mm->slot_gen, mm->cfg.nr_slots * sizeof(*mm->slot_gen));
	err = err ? err : save(w, mm->vmas, mm->nr_vmas * sizeof(*mm->vmas));
	err = err ? err : save(w, mm->memmap, mm->nr_pages * sizeof(*mm->memmap));
	err = err ? err : save(w, mm->avs.objs, mm->avs.nr * sizeof(*mm->avs.objs));
	err = err ? err : save(w, mm->avs.ring, mm->avs.nr * sizeof(*mm->avs.ring));
	err = err ? err : save(w, w->th, sizeof(w->th));
	for (i = 0; !err && i < LG_MAX_ROLES; i++)
		if (w->th[i].fifo.ring)
			err = save(w, w->th[i].fifo.ring,
				   w->th[i].fifo.size * sizeof(*w->th[i].fifo.ring));
	/* The page frames only matter with --clear-page, which is off here. */
	return err;
}

void world_restore(struct world *w)
{
	unsigned i;

	for (i = 0; i < w->nr_regions; i++)
		memcpy(w->region[i].p, w->region[i].copy, w->region[i].size);
	w->gup = 0;
}
