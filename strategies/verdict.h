/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdicts, defined once: the reader shapes, the machines a verdict is
 * stated for (LKMM, and each emulated machine), what a strategy's
 * descriptor expects of each (struct fl_expect, in DEFINE_STRATEGY), the
 * shared sentences that explain a difference between LKMM and the
 * machines, and the rule that turns an emulated cell's counts into an
 * observed verdict. faultline --describe=json and faultline-emu --expected
 * print them; the reports and run-litmus read that JSON and never
 * recompute a verdict.
 */
#ifndef FL_STRATEGIES_VERDICT_H
#define FL_STRATEGIES_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The reader shapes: what a GUP validates after loading the pte.
 *   dep    page fields, and the anon_vma its own fault published, through
 *          address dependencies on the pte (two CPUs)
 *   indep  a per-slot word whose address was known before the pte load
 *   chain  the anon_vma's fields when ANOTHER fault published the
 *          anon_vma: fault A publishes vma->anon_vma, fault B stores it in
 *          page->mapping and publishes the pte, GUP walks pte -> mapping
 *          -> anon_vma (three CPUs; Linus, 2008)
 */
enum fl_shape { SHAPE_DEP, SHAPE_INDEP, SHAPE_CHAIN, NR_SHAPES };

/* The emulated machines (emu/emu.c has each one's properties). */
enum fl_machine { MACHINE_TSO, MACHINE_ARM64, MACHINE_ALPHA, NR_MACHINES };

enum fl_verdict {
	VERDICT_NEVER,		/* no violation in enough racing trials */
	VERDICT_SOMETIMES,	/* violations in at least 19 of 20 seeds */
	VERDICT_RARE,		/* violations, but in fewer seeds than that */
	VERDICT_UNEXERCISED,	/* no violation, too few racing trials to say Never */
	NR_VERDICTS
};

/* The verdict rule's two thresholds. */
#define VERDICT_MIN_TRIALS		200	/* racing trials a Never cell needs, over all seeds */
#define VERDICT_SOMETIMES_NUM		19	/* violating seeds, out of ... */
#define VERDICT_SOMETIMES_DEN		20	/* ... seeds, for Sometimes */

struct fl_expect {
	bool stated;				/* false: the descriptor says nothing */
	enum fl_verdict lkmm;			/* herd7 + LKMM on litmus/ */
	enum fl_verdict emu[NR_MACHINES];	/* each emulated machine */
	const char *note;			/* why LKMM and the machines differ, or NULL */
};

/*
 * One shape's expectation in a descriptor, in the order LKMM, tso, arm64,
 * alpha: EXPECT(NEVER, NEVER, NEVER, NEVER), or EXPECT_WHY(..., note)
 * where LKMM and a machine differ.
 */
#define EXPECT_WHY(l, t, a, al, why)						\
	{ .stated = true, .lkmm = VERDICT_##l,					\
	  .emu = { [MACHINE_TSO] = VERDICT_##t, [MACHINE_ARM64] = VERDICT_##a,	\
		   [MACHINE_ALPHA] = VERDICT_##al },				\
	  .note = (why) }
#define EXPECT(l, t, a, al)	EXPECT_WHY(l, t, a, al, NULL)

/*
 * Why LKMM and the emulated machines disagree, one sentence each, for a
 * reviewer to quote; the ones several strategies share (a strategy's own
 * sentence lives in its file). The emulator is multi-copy atomic, as x86
 * and arm64 are (docs/emulation.md, Limits).
 */
extern const char note_wmb_not_cumulative[];
extern const char note_tso_keeps_order[];
extern const char note_chain_control[];

/* The rule: an emulated cell's counts -> its observed verdict. */
enum fl_verdict verdict_judge(unsigned seeds, unsigned violating_seeds, uint64_t trials);

const char *shape_name(enum fl_shape shape);
const char *shape_desc(enum fl_shape shape);
unsigned shape_cpus(enum fl_shape shape);
const char *verdict_name(enum fl_verdict v);
const char *machine_name(enum fl_machine m);
const char *machine_desc(enum fl_machine m);
int machine_parse(const char *name, enum fl_machine *m);

/* JSON: a string (or null), quotes, backslashes and controls escaped. */
void json_print_string(FILE *f, const char *s);
/* The rule as a JSON object. */
void verdict_rule_print_json(FILE *f);
/* One shape's expectation: {"lkmm": ..., "tso": ..., ..., "note": ...}. */
void expect_print_json(FILE *f, const struct fl_expect *e);

#endif /* FL_STRATEGIES_VERDICT_H */
