/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The strategy interface. A strategy is one file: it fills a struct
 * sync_ops with its hooks (model/sync_ops.h) and says DEFINE_STRATEGY(id,
 * .name = ..., ...) with everything else there is to know about it: its
 * kind, a one-line description, where reports list it, what its probe hooks
 * do in the barrier vocabulary (probe.h), and what LKMM and each emulated
 * machine allow on each reader shape (verdict.h). That instantiates the
 * model's paths (model/paths.h) with the hooks inlined, exports one
 * `const struct strategy strategy_<id>`, and registers it: the linker
 * gathers every descriptor into one section, which registry.c reads. No
 * other file names a strategy (docs/design.md §5).
 */
#ifndef FL_STRATEGY_H
#define FL_STRATEGY_H

#include <errno.h>
#include "../model/paths.h"
#include "probe.h"
#include "verdict.h"

enum strategy_kind {
	STRAT_CORRECT,		/* must never report a violation */
	STRAT_CONTROL,		/* deliberately broken: a correctness check must catch it */
	STRAT_BASELINE,		/* no ordering at all; single thread only */
};

struct strategy {
	/* from the descriptor */
	const char *name;		/* as users spell it: --strategy=<name> */
	const char *desc;		/* one line */
	enum strategy_kind kind;
	int order;			/* reports list strategies by this, lowest first */
	struct fl_probe probe;		/* what the probe hooks do */
	struct fl_expect expect[NR_SHAPES];	/* LKMM's and each machine's verdict */
	/* What a thread that runs the paths does first and last (NULL:
	 * nothing; rcu: liburcu's rcu_register_thread()/unregister). Every
	 * driver calls strategy_thread_start()/_stop() around its threads. */
	void (*thread_start)(void);
	void (*thread_stop)(void);
	/* filled in by DEFINE_STRATEGY */
	const char *id;			/* the C identifier: fl_probe_writer_<id> */
	const char *source;		/* the file that defines it */
	int (*fault)(struct fl_thread *t, unsigned long slot);
	void (*zap)(struct fl_thread *t, unsigned long slot);
	unsigned (*gup)(struct fl_thread *t, unsigned long slot);
	void (*publish)(struct fl_thread *t, unsigned nr);	/* nr publications */
	/* anon_vma_prepare() of slot's VMA alone: 0, or -ENOMEM (litmusgen's
	 * chain shape, where one fault only publishes the anon_vma). */
	int (*prepare)(struct fl_thread *t, unsigned long slot);
	/* retire_flush(): recycle, after one grace period, what t's zaps
	 * left waiting for one (nothing where the strategy has none). */
	void (*retire_flush)(struct fl_thread *t);
	/* The bare hooks, out of line, for disassembly of each side. */
	void (*probe_writer)(unsigned long *slot, unsigned long val);
	unsigned long (*probe_reader)(unsigned long *slot);
};

/* .probe = PROBE(W(PRIM_SMP_WMB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE)) */
#define PROBE(w, r)	{ .writer = w, .reader = r }
#define W(...)		{ __VA_ARGS__ }
#define R(...)		{ __VA_ARGS__ }

/* The section registry.c walks (__start_/__stop_fl_strategies). */
#define FL_STRATEGY_SECTION	"fl_strategies"

#define DEFINE_STRATEGY(sid, ...)						\
static int fl_##sid##_fault(struct fl_thread *t, unsigned long slot)		\
{										\
	return do_anonymous_page(t, slot, &sid##_ops);				\
}										\
static void fl_##sid##_zap(struct fl_thread *t, unsigned long slot)		\
{										\
	zap_one(t, slot, &sid##_ops);						\
}										\
static unsigned fl_##sid##_gup(struct fl_thread *t, unsigned long slot)		\
{										\
	return gup_fast_one(t, slot, &sid##_ops);				\
}										\
static void fl_##sid##_publish(struct fl_thread *t, unsigned nr)		\
{										\
	publish_batch(t, nr, &sid##_ops);					\
}										\
static int fl_##sid##_prepare(struct fl_thread *t, unsigned long slot)		\
{										\
	return anon_vma_prepare(t, slot_vma(t->mm, slot), &sid##_ops) ? 0 : -ENOMEM; \
}										\
static void fl_##sid##_retire_flush(struct fl_thread *t)			\
{										\
	retire_flush(t, &sid##_ops);						\
}										\
void fl_probe_writer_##sid(unsigned long *slot, unsigned long val);		\
unsigned long fl_probe_reader_##sid(unsigned long *slot);			\
__noinline void fl_probe_writer_##sid(unsigned long *slot, unsigned long val)	\
{										\
	sid##_ops.publish(slot, val);						\
}										\
__noinline unsigned long fl_probe_reader_##sid(unsigned long *slot)		\
{										\
	unsigned long v = sid##_ops.load(slot);					\
	sid##_ops.before_indep();						\
	return v;								\
}										\
const struct strategy strategy_##sid = {					\
	__VA_ARGS__,								\
	.id = #sid,								\
	.source = __FILE__,							\
	.fault = fl_##sid##_fault,						\
	.zap = fl_##sid##_zap,							\
	.gup = fl_##sid##_gup,							\
	.publish = fl_##sid##_publish,						\
	.prepare = fl_##sid##_prepare,						\
	.retire_flush = fl_##sid##_retire_flush,				\
	.probe_writer = fl_probe_writer_##sid,					\
	.probe_reader = fl_probe_reader_##sid,					\
};										\
static const struct strategy *const fl_registered_##sid				\
	__attribute__((used, section(FL_STRATEGY_SECTION))) = &strategy_##sid

static inline void strategy_thread_start(const struct strategy *s)
{
	if (s->thread_start)
		s->thread_start();
}

static inline void strategy_thread_stop(const struct strategy *s)
{
	if (s->thread_stop)
		s->thread_stop();
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

/*
 * registry.c: every strategy linked in, in report order (.order, then
 * name), sorted once before main() runs; read-only after that.
 */
extern const struct strategy *const *fl_strategies;
extern unsigned fl_nr_strategies;
const struct strategy *strategy_find(const char *name);
const char *strategy_kind_name(enum strategy_kind k);
/* 0, or -ENOENT for a shape the descriptor states nothing about. */
int expected_verdicts(const struct strategy *s, enum fl_shape shape, struct fl_expect *out);
/* {"shapes": [...], "models": [...], "rule": {...}, "strategies": [...]}: faultline-emu --expected */
void verdicts_print_json(FILE *f);

#endif /* FL_STRATEGY_H */
