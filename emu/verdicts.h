/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The expected verdicts of DESIGN.md §3, encoded once: for each strategy,
 * reader shape and emulated model, whether a violation is allowed and
 * expected ("Sometimes") or forbidden ("Never").
 */
#ifndef FL_EMU_VERDICTS_H
#define FL_EMU_VERDICTS_H

#include "../strategies/strategy.h"
#include "emu.h"

enum fl_shape { SHAPE_DEP, SHAPE_INDEP, NR_SHAPES };
enum fl_verdict { VERDICT_NEVER, VERDICT_SOMETIMES };

/* 0, or -ENOENT for a control or baseline with no line in the table. */
int expected_verdict(const struct strategy *s, enum fl_shape shape, enum emu_model m,
		     enum fl_verdict *out);
const char *shape_name(enum fl_shape shape);
const char *verdict_name(enum fl_verdict v);

#endif /* FL_EMU_VERDICTS_H */
