/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the single-threaded strategy tests: a small world (one mm, one
 * writer and one reader on it) and checks that name the strategy in any
 * failure, since the tests loop over all of them. Include after cmocka.h.
 */
#ifndef FL_TESTS_STRATEGY_WORLD_H
#define FL_TESTS_STRATEGY_WORLD_H

#include <string.h>
#include "strategies/strategy.h"

#define check(s, cond)							\
do {									\
	if (!(cond))							\
		fail_msg("%s: %s", (s)->name, #cond);			\
} while (0)

#define check_gup(s, r, slot, want)					\
do {									\
	unsigned __got = (s)->gup((r), (slot));				\
	if (__got != (unsigned)(want))					\
		fail_msg("%s: gup(%lu) = %#x, want %#x (%s)", (s)->name,	\
			 (unsigned long)(slot), __got, (unsigned)(want), #want);\
} while (0)

struct world {
	struct mm *mm;
	struct fl_thread w, r;	/* one writer, one reader on the same mm */
	unsigned long pte;	/* test_checker: what was published ... */
	struct page *page;	/* ... the page it maps ... */
	struct anon_vma *av;	/* ... and its anon_vma */
};

static inline void world_init(struct world *x, const struct mm_config *cfg, uint64_t seed)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(mm_create(&x->mm, cfg), 0);
	x->w.mm = x->mm;
	assert_int_equal(fl_thread_init_writer(&x->w, 0, 1), 0);
	x->r.mm = x->mm;
	fl_thread_init_reader(&x->r, seed);
}

static inline void world_fini(struct world *x)
{
	fl_thread_fini(&x->w);
	mm_destroy(x->mm);
}

#endif /* FL_TESTS_STRATEGY_WORLD_H */
