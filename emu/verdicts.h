/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdicts, defined once: for each strategy and reader shape, what LKMM
 * (herd7 on litmus/) and each emulated model allow, with the one sentence
 * that explains a difference between them; and the rule that turns an
 * emulated cell's counts into an observed verdict. faultline-emu prints
 * both (--expected, --matrix --json); the reports and run-litmus read that
 * JSON and never recompute a verdict.
 */
#ifndef FL_EMU_VERDICTS_H
#define FL_EMU_VERDICTS_H

#include <stdint.h>
#include "../strategies/strategy.h"
#include "emu.h"

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
	enum fl_verdict lkmm;			/* herd7 + LKMM on litmus/ */
	enum fl_verdict emu[EMU_NR_MODELS];	/* each emulated model */
	const char *note;			/* why LKMM and the models differ, or NULL */
};

/* 0, or -ENOENT for a strategy the table does not know. */
int expected_verdicts(const struct strategy *s, enum fl_shape shape, struct fl_expect *out);

/* The rule: an emulated cell's counts -> its observed verdict. */
enum fl_verdict verdict_judge(unsigned seeds, unsigned violating_seeds, uint64_t trials);

const char *shape_name(enum fl_shape shape);
const char *verdict_name(enum fl_verdict v);

/* Print the expected table and the rule as JSON (faultline-emu --expected). */
void verdicts_print_json(FILE *f);
void verdict_rule_print_json(FILE *f);
/* A JSON string (or null), quotes and backslashes escaped. */
void json_print_string(FILE *f, const char *s);

#endif /* FL_EMU_VERDICTS_H */
