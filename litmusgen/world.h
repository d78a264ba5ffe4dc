/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world a derived litmus test runs in: a small mm (one VMA of four
 * slots, two writers, one reader), the roles each shape gives its CPUs,
 * and the words each shape is about (its locations). Roles run one after
 * another, in the order of the shape's sequential story; world_save() and
 * world_restore() let the explorer replay one role many times from the
 * same state.
 */
#ifndef FL_LITMUSGEN_WORLD_H
#define FL_LITMUSGEN_WORLD_H

#include <stddef.h>
#include "../strategies/strategy.h"

/* Every word a shape may be about; a shape keeps some of them. */
enum lg_loc {
	LOC_ANON_VMA,	/* vma->anon_vma */
	LOC_ROOT,	/* anon_vma->root: stands for root, canary and state */
	LOC_MAPPING,	/* page->mapping */
	LOC_FLAGS,	/* page->flags: stands for the page's other fields */
	LOC_PTE,	/* mm->pt[slot] */
	LOC_SLOT,	/* mm->slot_gen[slot], the independent word */
	LOC_SEQ,	/* mm->seq: vma->anon_vma's seqcount (seqlock) */
	LOC_PTSEQ,	/* the seqcount of slot's page table (seqlock) */
	LOC_PTL,	/* the pte lock of slot's page table (mm->page_table_lock with --ptl=mm) */
	LOC_MM_LOCK,	/* mm->page_table_lock */
	NR_LOCS
};

static inline bool lg_loc_is_lock(int loc)
{
	return loc == LOC_PTL || loc == LOC_MM_LOCK;
}

extern const char *const lg_loc_name[NR_LOCS];	/* as the litmus test names them */
extern const char *const lg_loc_field[NR_LOCS];	/* as the model names them */

#define LG_MAX_ROLES	3

struct world;

struct lg_role {
	const char *what;	/* "fault A: anon_vma_prepare()" */
	void (*run)(struct world *w, unsigned role);
};

struct lg_shape {
	enum fl_shape shape;
	unsigned nr_roles;
	struct lg_role role[LG_MAX_ROLES];
	unsigned slot;		/* the slot whose pte the shape is about */
	unsigned keep;		/* bit per enum lg_loc: the shape's locations */
	unsigned viol;		/* the GUP_VIOL_* bit that is this shape's violation */
	const char *story;	/* the header's description of the roles */
};

const struct lg_shape *lg_shape_get(enum fl_shape shape);

struct world {
	const struct strategy *s;
	const struct lg_shape *sh;
	struct mm *mm;
	struct fl_thread th[LG_MAX_ROLES];
	unsigned gup;		/* the last GUP's result */
	struct {
		void *p, *copy;
		size_t size;
	} region[16];
	unsigned nr_regions;
};

int world_create(struct world *w, const struct strategy *s, const struct lg_shape *sh);
void world_destroy(struct world *w);
int world_save(struct world *w);	/* every byte the roles can change */
void world_restore(struct world *w);

/* The shape location addr is, or -1; name (if not NULL) gets the field. */
int world_locate(const struct world *w, const void *addr, char *name, size_t len);

#endif /* FL_LITMUSGEN_WORLD_H */
