// SPDX-License-Identifier: GPL-2.0
/* Verdicts, shapes and machines: names, the shared notes, the rule (verdict.h). */
#include <errno.h>
#include <string.h>
#include "verdict.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

const char note_wmb_not_cumulative[] =
	"not guaranteed by LKMM (smp_wmb() is not A-cumulative, so fault B's smp_wmb() "
	"does not order fault A's anon_vma stores, which B only read, before B's pte); "
	"forbidden on multi-copy-atomic hardware such as x86 and arm64";
const char note_tso_keeps_order[] =
	"allowed by LKMM; x86-TSO keeps stores in order and loads in order, so it cannot "
	"show this on x86, only on weaker machines";
const char note_chain_control[] =
	"allowed by LKMM and by arm64 hardware, since nothing orders fault A's plain stores "
	"and split pte locks do not order fault B after fault A; x86-TSO keeps those stores "
	"in order, the emulated arm64 does not reach it within its seeds (A's stores drain "
	"before B's fault and a GUP finish; the dep shape shows the same reordering), and "
	"alpha shows it through its unordered dependent loads";

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

static const struct {
	const char *name;
	unsigned cpus;
	const char *desc;
} shapes[NR_SHAPES] = {
	[SHAPE_DEP] = { "dep", 2,
		"GUP validates the page and the anon_vma its own fault published, through "
		"address dependencies on the pte" },
	[SHAPE_INDEP] = { "indep", 2,
		"GUP validates a per-slot word whose address was known before the pte load" },
	[SHAPE_CHAIN] = { "chain", 3,
		"fault A publishes vma->anon_vma, fault B stores it in page->mapping and "
		"publishes the pte, GUP walks pte -> mapping -> anon_vma" },
};

static const struct {
	const char *name;
	const char *desc;
} machines[NR_MACHINES] = {
	[MACHINE_TSO] = { "tso", "x86-TSO: stores commit in order, loads see the newest "
			  "committed write, every locked RMW is a full barrier" },
	[MACHINE_ARM64] = { "arm64", "ARMv8 (other-multi-copy atomic): stores and loads "
			    "reorder unless a barrier, acquire/release or an address "
			    "dependency orders them" },
	[MACHINE_ALPHA] = { "alpha", "Alpha as Linux builds for it: as arm64, and dependent "
			    "loads reorder too unless READ_ONCE()'s mb orders them" },
};

static const char *const verdict_names[NR_VERDICTS] = {
	"Never", "Sometimes", "Rare", "not exercised",
};

const char *shape_name(enum fl_shape shape)
{
	return shape < NR_SHAPES ? shapes[shape].name : "?";
}

const char *shape_desc(enum fl_shape shape)
{
	return shape < NR_SHAPES ? shapes[shape].desc : "?";
}

unsigned shape_cpus(enum fl_shape shape)
{
	return shape < NR_SHAPES ? shapes[shape].cpus : 0;
}

const char *verdict_name(enum fl_verdict v)
{
	return v < NR_VERDICTS ? verdict_names[v] : "?";
}

const char *machine_name(enum fl_machine m)
{
	return m < NR_MACHINES ? machines[m].name : "?";
}

const char *machine_desc(enum fl_machine m)
{
	return m < NR_MACHINES ? machines[m].desc : "?";
}

int machine_parse(const char *name, enum fl_machine *m)
{
	unsigned i;

	for (i = 0; i < ARRAY_LEN(machines); i++) {
		if (!strcmp(name, machines[i].name)) {
			*m = (enum fl_machine)i;
			return 0;
		}
	}
	return -EINVAL;
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
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
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

void expect_print_json(FILE *f, const struct fl_expect *e)
{
	unsigned m;

	fprintf(f, "{\"lkmm\": \"%s\"", verdict_name(e->lkmm));
	for (m = 0; m < NR_MACHINES; m++)
		fprintf(f, ", \"%s\": \"%s\"", machine_name((enum fl_machine)m),
			verdict_name(e->emu[m]));
	fprintf(f, ", \"note\": ");
	json_print_string(f, e->note);
	fputc('}', f);
}
