// SPDX-License-Identifier: GPL-2.0
/*
 * The strategies faultline knows: every descriptor DEFINE_STRATEGY put in
 * the fl_strategies section, in report order. Nothing here names a
 * strategy; a file in strategies/ is all it takes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strategy.h"

/* Provided by the linker for a section whose name is a C identifier. */
extern const struct strategy *const __start_fl_strategies[];
extern const struct strategy *const __stop_fl_strategies[];

const struct strategy *const *fl_strategies;
unsigned fl_nr_strategies;

static int by_order(const void *a, const void *b)
{
	const struct strategy *x = *(const struct strategy *const *)a;
	const struct strategy *y = *(const struct strategy *const *)b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Before main(): every later reader sees the sorted table, unchanged. */
__attribute__((constructor)) static void registry_init(void)
{
	size_t n = (size_t)(__stop_fl_strategies - __start_fl_strategies);
	const struct strategy **sorted = malloc(n * sizeof(*sorted));

	if (!sorted) {
		fputs("faultline: out of memory sorting the strategies\n", stderr);
		exit(1);
	}
	memcpy(sorted, __start_fl_strategies, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_order);
	fl_strategies = sorted;
	fl_nr_strategies = (unsigned)n;
}

const struct strategy *strategy_find(const char *name)
{
	unsigned i;

	for (i = 0; i < fl_nr_strategies; i++)
		if (!strcmp(fl_strategies[i]->name, name))
			return fl_strategies[i];
	return NULL;
}

const char *strategy_kind_name(enum strategy_kind k)
{
	switch (k) {
	case STRAT_CORRECT:
		return "correct";
	case STRAT_CONTROL:
		return "control";
	case STRAT_BASELINE:
		return "baseline";
	}
	return "?";
}

int expected_verdicts(const struct strategy *s, enum fl_shape shape, struct fl_expect *out)
{
	if (shape >= NR_SHAPES || !s->expect[shape].stated)
		return -ENOENT;
	*out = s->expect[shape];
	return 0;
}

void verdicts_print_json(FILE *f)
{
	unsigned i, sh, m;

	fprintf(f, "{\"shapes\": [");
	for (sh = 0; sh < NR_SHAPES; sh++)
		fprintf(f, "%s\"%s\"", sh ? ", " : "", shape_name((enum fl_shape)sh));
	fprintf(f, "], \"models\": [");
	for (m = 0; m < NR_MACHINES; m++)
		fprintf(f, "%s\"%s\"", m ? ", " : "", machine_name((enum fl_machine)m));
	fprintf(f, "], \"rule\": ");
	verdict_rule_print_json(f);
	fprintf(f, ",\n \"strategies\": [\n");
	for (i = 0; i < fl_nr_strategies; i++) {
		const struct strategy *s = fl_strategies[i];
		const char *sep = "";

		fprintf(f, "  {\"name\": \"%s\", \"kind\": \"%s\", \"cells\": {", s->name,
			strategy_kind_name(s->kind));
		for (sh = 0; sh < NR_SHAPES; sh++) {
			struct fl_expect e;

			if (expected_verdicts(s, (enum fl_shape)sh, &e))
				continue;
			fprintf(f, "%s\"%s\": ", sep, shape_name((enum fl_shape)sh));
			expect_print_json(f, &e);
			sep = ", ";
		}
		fprintf(f, "}}%s\n", i + 1 < fl_nr_strategies ? "," : "");
	}
	fprintf(f, " ]}\n");
}
