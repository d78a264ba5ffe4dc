/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The strategy interface. A strategy is one file that fills a struct sync_ops
 * with its hooks (model/sync_ops.h) and says DEFINE_STRATEGY(); that
 * instantiates the model's paths (model/paths.h) with the hooks inlined and
 * exports one `const struct strategy strategy_<id>`. Adding a strategy is that
 * file plus one line in strategies/registry.c.
 */
#ifndef FL_STRATEGY_H
#define FL_STRATEGY_H

#include "../model/paths.h"

enum strategy_kind {
	STRAT_CORRECT,		/* must never report a violation */
	STRAT_CONTROL,		/* deliberately broken: a correctness check must catch it */
	STRAT_BASELINE,		/* no ordering at all; single thread only */
};

struct strategy {
	const char *name;
	const char *desc;
	enum strategy_kind kind;
	int (*fault)(struct fl_thread *t, unsigned long slot);
	void (*zap)(struct fl_thread *t, unsigned long slot);
	unsigned (*gup)(struct fl_thread *t, unsigned long slot);
	void (*publish)(struct fl_thread *t, unsigned nr);	/* nr publications */
	/* The bare hooks, out of line, for disassembly of each side. */
	void (*probe_writer)(unsigned long *slot, unsigned long val);
	unsigned long (*probe_reader)(unsigned long *slot);
};

#define DEFINE_STRATEGY(id, sname, sdesc, skind)				\
static int fl_##id##_fault(struct fl_thread *t, unsigned long slot)			\
{										\
	return do_anonymous_page(t, slot, &id##_ops);				\
}										\
static void fl_##id##_zap(struct fl_thread *t, unsigned long slot)			\
{										\
	zap_one(t, slot, &id##_ops);						\
}										\
static unsigned fl_##id##_gup(struct fl_thread *t, unsigned long slot)		\
{										\
	return gup_fast_one(t, slot, &id##_ops);				\
}										\
static void fl_##id##_publish(struct fl_thread *t, unsigned nr)		\
{										\
	publish_batch(t, nr, &id##_ops);					\
}										\
void fl_probe_writer_##id(unsigned long *slot, unsigned long val);		\
unsigned long fl_probe_reader_##id(unsigned long *slot);			\
__noinline void fl_probe_writer_##id(unsigned long *slot, unsigned long val)	\
{										\
	id##_ops.publish(slot, val);						\
}										\
__noinline unsigned long fl_probe_reader_##id(unsigned long *slot)		\
{										\
	unsigned long v = id##_ops.load(slot);					\
	id##_ops.before_indep();						\
	return v;								\
}										\
const struct strategy strategy_##id = {						\
	.name = sname,								\
	.desc = sdesc,								\
	.kind = skind,								\
	.fault = fl_##id##_fault,							\
	.zap = fl_##id##_zap,							\
	.gup = fl_##id##_gup,							\
	.publish = fl_##id##_publish,						\
	.probe_writer = fl_probe_writer_##id,					\
	.probe_reader = fl_probe_reader_##id,					\
}

/*
 * One step of a writer keeping a window of its slots mapped: zap the oldest
 * once the window is full, then fault the next slot.
 */
static inline void strategy_writer_step(const struct strategy *s, struct fl_thread *t)
{
	if (t->mapped >= t->window) {
		s->zap(t, writer_slot(t, t->tail));
		t->tail++;
		t->mapped--;
	}
	if (s->fault(t, writer_slot(t, t->head)) == FAULT_OK) {
		t->head++;
		t->mapped++;
	}
}

/* registry.c */
extern const struct strategy *const fl_strategies[];
extern const unsigned fl_nr_strategies;
const struct strategy *strategy_find(const char *name);
const char *strategy_kind_name(enum strategy_kind k);

#endif /* FL_STRATEGY_H */
