// SPDX-License-Identifier: GPL-2.0
/*
 * faultline --describe=json (describe.h). Everything printed here is read
 * from where it is defined: the strategy descriptors (one file each in strategies/, via
 * registry.c), the shapes, machines and verdict rule (strategies/verdict.c),
 * the probe vocabulary and its instructions per architecture
 * (strategies/probe.c), the mixes (bench/workload.c), the counters
 * (bench/counters.c), the perf events (bench/perf.c) and the placement
 * policies (bench/placement.c). docs/design.md
 * §10 gives the schema.
 */
#include <stdlib.h>
#include "counters.h"
#include "describe.h"
#include "perf.h"
#include "placement.h"

#define FL_DESCRIBE_SCHEMA	1

static void str(FILE *f, const char *s)
{
	json_print_string(f, s);
}

/* ["tok", ...] for a PRIM_END-terminated token list */
static void tokens(FILE *f, const enum fl_prim *t)
{
	unsigned i;

	fputc('[', f);
	for (i = 0; i < PROBE_MAX && t[i] != PRIM_END; i++) {
		fputs(i ? ", " : "", f);
		str(f, prim_name(t[i]));
	}
	fputc(']', f);
}

/* What the tokens compile to on arch, slot accesses included, in order. */
static void insns(FILE *f, enum fl_arch a, const enum fl_prim *t)
{
	const char *sep = "";
	unsigned i;

	fputc('[', f);
	for (i = 0; i < PROBE_MAX && t[i] != PRIM_END; i++) {
		const char *const *in;

		for (in = prim_insns(a, t[i]); *in; in++) {
			fputs(sep, f);
			str(f, *in);
			sep = ", ";
		}
	}
	fputc(']', f);
}

static void strategy(FILE *f, const struct strategy *s)
{
	unsigned sh, a;

	fputs("  {\"name\": ", f);
	str(f, s->name);
	fputs(", \"id\": ", f);
	str(f, s->id);
	fprintf(f, ", \"kind\": \"%s\", \"order\": %d, \"desc\": ", strategy_kind_name(s->kind),
		s->order);
	str(f, s->desc);
	fputs(", \"source\": ", f);
	str(f, s->source);
	fputs(",\n   \"probe\": {\"writer\": ", f);
	tokens(f, s->probe.writer);
	fputs(", \"reader\": ", f);
	tokens(f, s->probe.reader);
	fputs("},\n   \"expected_insns\": {", f);
	for (a = 0; a < NR_ARCHES; a++) {
		fprintf(f, "%s\"%s\": {\"writer\": ", a ? ", " : "", arch_name((enum fl_arch)a));
		insns(f, (enum fl_arch)a, s->probe.writer);
		fputs(", \"reader\": ", f);
		insns(f, (enum fl_arch)a, s->probe.reader);
		fputc('}', f);
	}
	fputs("},\n   \"verdicts\": {", f);
	for (sh = 0; sh < NR_SHAPES; sh++) {
		fprintf(f, "%s\n    \"%s\": ", sh ? "," : "", shape_name((enum fl_shape)sh));
		if (s->expect[sh].stated)
			expect_print_json(f, &s->expect[sh]);
		else
			fputs("null", f);
	}
	fputs("}}", f);
}

static void mixes(FILE *f)
{
	unsigned i;

	fputs(" \"mixes\": [\n", f);
	for (i = 0; i < fl_nr_mixes; i++) {
		const struct fl_mix *m = &fl_mixes[i];

		fputs("  {\"name\": ", f);
		str(f, m->name);
		fputs(", \"desc\": ", f);
		str(f, m->desc);
		fputs(", \"primary\": ", f);
		str(f, m->primary);
		fputs(", \"counter\": ", f);
		str(f, m->counter);
		fputs(", \"unit\": ", f);
		str(f, m->unit);
		fprintf(f, ", \"populate\": %s}%s\n", m->populate ? "true" : "false",
			i + 1 < fl_nr_mixes ? "," : "");
	}
	fputs(" ],\n", f);
}

static void shapes_and_models(FILE *f)
{
	unsigned i;

	fputs(" \"shapes\": [\n", f);
	for (i = 0; i < NR_SHAPES; i++) {
		fprintf(f, "  {\"name\": \"%s\", \"cpus\": %u, \"desc\": ",
			shape_name((enum fl_shape)i), shape_cpus((enum fl_shape)i));
		str(f, shape_desc((enum fl_shape)i));
		fprintf(f, "}%s\n", i + 1 < NR_SHAPES ? "," : "");
	}
	fputs(" ],\n \"models\": [\n  {\"name\": \"lkmm\", \"emulated\": false, \"desc\": "
	      "\"the Linux-kernel memory model (tools/memory-model), run by herd7 on litmus/\"}",
	      f);
	for (i = 0; i < NR_MACHINES; i++) {
		fprintf(f, ",\n  {\"name\": \"%s\", \"emulated\": true, \"desc\": ",
			machine_name((enum fl_machine)i));
		str(f, machine_desc((enum fl_machine)i));
		fputc('}', f);
	}
	fputs("\n ],\n \"verdicts\": [", f);
	for (i = 0; i < NR_VERDICTS; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", verdict_name((enum fl_verdict)i));
	fputs("],\n \"verdict_rule\": ", f);
	verdict_rule_print_json(f);
	fputs(",\n", f);
}

static void counters(FILE *f)
{
	unsigned i;

	fputs(" \"counters\": [\n", f);
	for (i = 0; i < fl_nr_counters; i++) {
		fputs("  {\"name\": ", f);
		str(f, fl_counters[i].name);
		fputs(", \"unit\": ", f);
		str(f, fl_counters[i].unit);
		fputs(", \"desc\": ", f);
		str(f, fl_counters[i].desc);
		fprintf(f, "}%s\n", i + 1 < fl_nr_counters ? "," : "");
	}
	fprintf(f, " ],\n \"thresholds\": {\"noisy_cpu_share\": %g},\n", FL_NOISY_CPU_SHARE);
}

/* The perf events: a row carries an event's counter only where it was counted. */
static void perf_events(FILE *f)
{
	unsigned i;

	fputs(" \"perf_events\": [\n", f);
	for (i = 0; i < FL_PERF_NR; i++) {
		const struct fl_perf_event *e = &fl_perf_events[i];

		fputs("  {\"name\": ", f);
		str(f, e->name);
		fputs(", \"counter\": ", f);
		str(f, e->counter);
		fputs(", \"unit\": ", f);
		str(f, e->unit);
		fprintf(f, ", \"kind\": \"%s\", \"desc\": ", e->hw ? "hardware" : "software");
		str(f, e->desc);
		fprintf(f, "}%s\n", i + 1 < FL_PERF_NR ? "," : "");
	}
	fputs(" ],\n", f);
}

static void barrier_insns(FILE *f)
{
	unsigned a, p;

	fputs(" \"arches\": [", f);
	for (a = 0; a < NR_ARCHES; a++)
		fprintf(f, "%s\"%s\"", a ? ", " : "", arch_name((enum fl_arch)a));
	fputs("],\n \"barrier_insns\": {", f);
	for (a = 0; a < NR_ARCHES; a++) {
		fprintf(f, "%s\n  \"%s\": {", a ? "," : "", arch_name((enum fl_arch)a));
		for (p = PRIM_END + 1; p < NR_PRIMS; p++) {
			enum fl_prim one[PROBE_MAX] = { (enum fl_prim)p };

			fprintf(f, "%s\"%s\": ", p > PRIM_END + 1 ? ", " : "",
				prim_name((enum fl_prim)p));
			insns(f, (enum fl_arch)a, one);
		}
		fputc('}', f);
	}
	fputs("},\n", f);
}

/* The lock flavours (sync/lock_flavour.h): --lock='s values, the default first. */
static void locks(FILE *f)
{
	unsigned i;

	fputs(" \"locks\": [\n", f);
	for (i = 0; i < FL_NR_LOCKS; i++) {
		fputs("  {\"name\": ", f);
		str(f, fl_lock_names[i]);
		fprintf(f, ", \"default\": %s, \"emulated\": %s, \"desc\": ",
			i == FL_LOCK_DEFAULT ? "true" : "false",
			fl_lock_opaque((enum fl_lock)i) ? "false" : "true");
		str(f, fl_lock_desc((enum fl_lock)i));
		fprintf(f, "}%s\n", i + 1 < FL_NR_LOCKS ? "," : "");
	}
	fputs(" ],\n", f);
}

void fl_describe_print_json(FILE *f)
{
	unsigned i;

	fprintf(f, "{\"schema\": %d,\n \"strategies\": [\n", FL_DESCRIBE_SCHEMA);
	for (i = 0; i < fl_nr_strategies; i++) {
		strategy(f, fl_strategies[i]);
		fputs(i + 1 < fl_nr_strategies ? ",\n" : "\n", f);
	}
	fputs(" ],\n", f);
	mixes(f);
	shapes_and_models(f);
	counters(f);
	perf_events(f);
	barrier_insns(f);
	/* The --placement choices (placement.c), for the sweep's PLACEMENT=. */
	fputs(" \"placements\": [", f);
	for (i = 0; fl_placement_policies[i]; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", fl_placement_policies[i]);
	fputs("],\n", f);
	locks(f);
	fputs(" \"kinds\": [\"correct\", \"control\", \"baseline\"]\n}\n", f);
}

char *fl_describe_json_string(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fl_describe_print_json(f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
