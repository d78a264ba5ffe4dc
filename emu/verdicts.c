// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "verdicts.h"

#define N VERDICT_NEVER
#define S VERDICT_SOMETIMES

/*
 * Why LKMM and the emulated machines disagree, one sentence each, for a
 * reviewer to quote. The emulator is multi-copy atomic, as x86 and arm64
 * are (docs/emulation.md, Limits).
 */
static const char WMB_NOT_CUMULATIVE[] =
	"not guaranteed by LKMM (smp_wmb() is not A-cumulative, so fault B's smp_wmb() "
	"does not order fault A's anon_vma stores, which B only read, before B's pte); "
	"forbidden on multi-copy-atomic hardware such as x86 and arm64";
static const char SEQCOUNT_WMB_NOT_CUMULATIVE[] =
	"not guaranteed by LKMM (the seqcount's smp_wmb()s are not A-cumulative, so fault "
	"B's write section does not order fault A's anon_vma stores before B's pte); "
	"forbidden on multi-copy-atomic hardware such as x86 and arm64";
static const char TSO_KEEPS_ORDER[] =
	"allowed by LKMM; x86-TSO keeps stores in order and loads in order, so it cannot "
	"show this on x86, only on weaker machines";
static const char ALPHA_NO_DEP[] =
	"Never in LKMM, which gives every marked load alpha's dependency barrier; the "
	"code's __READ_ONCE() has none, and alpha reorders dependent loads";
static const char CHAIN_CONTROL[] =
	"allowed by LKMM; on multi-copy-atomic machines (x86, arm64) the page_table_lock "
	"both faults publish under orders fault A's anon_vma stores before fault B's pte, "
	"and the reader's address dependencies do the rest, so only alpha, which reorders "
	"dependent loads, shows it";
static const char CHAIN_CONTROL_RMB[] =
	"allowed by LKMM; on multi-copy-atomic machines (x86, arm64) the page_table_lock "
	"both faults publish under orders fault A's anon_vma stores before fault B's pte, "
	"and the reader's address dependencies (on alpha its smp_rmb(), a full mb there) "
	"do the rest";

/*
 * Every strategy, every shape: LKMM's verdict (each one checked by herd7
 * on its litmus/ test when herd7 is available) and each emulated model's.
 *    lkmm    tso arm64 alpha
 */
static const struct {
	const char *name;
	struct fl_expect v[NR_SHAPES];	/* dep, indep, chain */
} table[] = {
	/* The reader takes the lock too, so the three critical sections
	 * form a release-acquire chain, A-cumulative in LKMM
	 * (litmus/ISA2+ticketlocks). */
	{ "locked", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL } } },
	{ "mb", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL } } },
	{ "wmb-rmb", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ S, { N, N, N }, WMB_NOT_CUMULATIVE } } },
	{ "dep", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ S, { N, N, N }, WMB_NOT_CUMULATIVE } } },
	{ "seqlock", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ S, { N, N, N }, SEQCOUNT_WMB_NOT_CUMULATIVE } } },
	{ "release-acquire", {
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL },
		{ N, { N, N, N }, NULL } } },
	/* Controls. MP+poonceonces: no ordering on either side. */
	{ "none", {
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, N, S }, CHAIN_CONTROL } } },
	{ "baseline", {
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, N, S }, CHAIN_CONTROL } } },
	/* wmb alone: an address dependency still orders the dependent loads
	 * on arm64 (not alpha, where __READ_ONCE() has no barrier); nothing
	 * orders the independent ones. */
	{ "wmb-only", {
		{ N, { N, N, S }, ALPHA_NO_DEP },
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, N, S }, CHAIN_CONTROL } } },
	/* rmb alone: the writer's stores may become visible in any order. */
	{ "rmb-only", {
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, S, S }, TSO_KEEPS_ORDER },
		{ S, { N, N, N }, CHAIN_CONTROL_RMB } } },
};

#undef N
#undef S

int expected_verdicts(const struct strategy *s, enum fl_shape shape, struct fl_expect *out)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (!strcmp(table[i].name, s->name) && shape < NR_SHAPES) {
			*out = table[i].v[shape];
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The verdict rule. Sometimes: violations in at least 19 of 20 seeds, so a
 * cell that is meant to fail fails reliably. Never: no violation at all,
 * in at least VERDICT_MIN_TRIALS racing trials (GUPs that used a pte
 * published after what the reader had acquired: see emu/scenario.c);
 * fewer than that and the cell was not exercised, which is an error, not a
 * pass. Anything in between is Rare: a Never cell that failed, or a
 * Sometimes cell without the power to be trusted.
 */
enum fl_verdict verdict_judge(unsigned seeds, unsigned violating_seeds, uint64_t trials)
{
	if (!violating_seeds)
		return trials >= VERDICT_MIN_TRIALS ? VERDICT_NEVER : VERDICT_UNEXERCISED;
	if ((uint64_t)violating_seeds * VERDICT_SOMETIMES_DEN >=
	    (uint64_t)seeds * VERDICT_SOMETIMES_NUM)
		return VERDICT_SOMETIMES;
	return VERDICT_RARE;
}

static const char *const shape_names[NR_SHAPES] = { "dep", "indep", "chain" };
static const char *const verdict_names[NR_VERDICTS] = {
	"Never", "Sometimes", "Rare", "not exercised",
};

const char *shape_name(enum fl_shape shape)
{
	return shape < NR_SHAPES ? shape_names[shape] : "?";
}

const char *verdict_name(enum fl_verdict v)
{
	return v < NR_VERDICTS ? verdict_names[v] : "?";
}

void verdict_rule_print_json(FILE *f)
{
	fprintf(f, "{\"min_trials\": %u, \"sometimes_seeds\": [%u, %u], \"text\": "
		"\"Sometimes: violations in at least %u of every %u seeds; Never: no violation "
		"in at least %u racing trials; no violation in fewer trials: not exercised (an "
		"error); violations in fewer seeds: Rare\"}",
		VERDICT_MIN_TRIALS, VERDICT_SOMETIMES_NUM, VERDICT_SOMETIMES_DEN,
		VERDICT_SOMETIMES_NUM, VERDICT_SOMETIMES_DEN, VERDICT_MIN_TRIALS);
}

void json_print_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void verdicts_print_json(FILE *f)
{
	unsigned i, sh, m;

	fprintf(f, "{\"shapes\": [");
	for (sh = 0; sh < NR_SHAPES; sh++)
		fprintf(f, "%s\"%s\"", sh ? ", " : "", shape_name((enum fl_shape)sh));
	fprintf(f, "], \"models\": [");
	for (m = 0; m < EMU_NR_MODELS; m++)
		fprintf(f, "%s\"%s\"", m ? ", " : "", emu_model_name((enum emu_model)m));
	fprintf(f, "], \"rule\": ");
	verdict_rule_print_json(f);
	fprintf(f, ",\n \"strategies\": [\n");
	for (i = 0; i < fl_nr_strategies; i++) {
		const struct strategy *s = fl_strategies[i];

		fprintf(f, "  {\"name\": \"%s\", \"kind\": \"%s\", \"cells\": {", s->name,
			strategy_kind_name(s->kind));
		for (sh = 0; sh < NR_SHAPES; sh++) {
			struct fl_expect e;

			if (expected_verdicts(s, (enum fl_shape)sh, &e))
				continue;
			fprintf(f, "%s\"%s\": {\"lkmm\": \"%s\"", sh ? ", " : "",
				shape_name((enum fl_shape)sh), verdict_name(e.lkmm));
			for (m = 0; m < EMU_NR_MODELS; m++)
				fprintf(f, ", \"%s\": \"%s\"", emu_model_name((enum emu_model)m),
					verdict_name(e.emu[m]));
			fprintf(f, ", \"note\": ");
			json_print_string(f, e.note);
			fputc('}', f);
		}
		fprintf(f, "}}%s\n", i + 1 < fl_nr_strategies ? "," : "");
	}
	fprintf(f, " ]}\n");
}
