// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "verdicts.h"

#define N VERDICT_NEVER
#define S VERDICT_SOMETIMES

/*
 * Broken on purpose, so listed cell by cell (DESIGN.md §3). A correct
 * strategy needs no line: it is "Never" everywhere by definition.
 *                         tso        arm64      alpha
 *                         dep indep  dep indep  dep indep
 */
static const struct {
	const char *name;
	unsigned char v[EMU_NR_MODELS][NR_SHAPES];
} table[] = {
	/* MP+poonceonces: no ordering on either side. */
	{ "none",	{ { N, N }, { S, S }, { S, S } } },
	{ "baseline",	{ { N, N }, { S, S }, { S, S } } },
	/* wmb alone: an address dependency still orders the dependent
	 * loads except on alpha; nothing orders the independent ones. */
	{ "wmb-only",	{ { N, N }, { N, S }, { S, S } } },
	/* rmb alone: the writer's stores may become visible in any order. */
	{ "rmb-only",	{ { N, N }, { S, S }, { S, S } } },
};

#undef N
#undef S

int expected_verdict(const struct strategy *s, enum fl_shape shape, enum emu_model m,
		     enum fl_verdict *out)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (!strcmp(table[i].name, s->name)) {
			*out = (enum fl_verdict)table[i].v[m][shape];
			return 0;
		}
	}
	if (s->kind != STRAT_CORRECT)
		return -ENOENT;
	*out = VERDICT_NEVER;
	return 0;
}

const char *shape_name(enum fl_shape shape)
{
	return shape == SHAPE_DEP ? "dep" : "indep";
}

const char *verdict_name(enum fl_verdict v)
{
	return v == VERDICT_NEVER ? "Never" : "Sometimes";
}
