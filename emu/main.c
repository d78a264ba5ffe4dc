// SPDX-License-Identifier: GPL-2.0
/*
 * faultline-emu: the real strategy and model code under an emulated memory
 * model. Runs the verdict matrix (every strategy x reader shape x model over
 * many seeds, each cell compared with docs/design.md §5) or one seed with its
 * event trace; or, with --litmus, herd7 C litmus tests (clitmus/).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "scenario.h"
#include "../bench/cli.h"	/* the option tables all three binaries share */
#include "../clitmus/front.h"	/* --litmus */

#define LITMUS_SEEDS	1000	/* --seeds of --litmus */

struct opts {
	bool matrix, trace, help, expected, litmus;
	struct lt_args args;	/* --litmus: the files, and the options without them */
	unsigned seeds;
	uint64_t seed;
	bool seed_given, seeds_given;
	const struct strategy *only[32];
	unsigned nr_only;
	bool models[NR_MACHINES], any_model;
	const char *json;
	const char *lock_name;	/* fl_opt_choice()'s scratch for --lock's error */
	bool lock_given;
	struct emu_scenario_params p;
};

static int model_item(const struct fl_opt *opt, const char *name, void *obj, char *err,
		      size_t n)
{
	struct opts *o = obj;
	enum fl_machine m;
	unsigned i;
	size_t k;

	(void)opt;
	if (!machine_parse(name, &m)) {
		o->models[m] = o->any_model = true;
		return 0;
	}
	k = (size_t)snprintf(err, n, "unknown model '%s' (want", name);
	for (i = 0; i < NR_MACHINES && k < n; i++)
		k += (size_t)snprintf(err + k, n - k, "%s%s", i ? i + 1 < NR_MACHINES ? ", " :
				      " or " : " ", machine_name((enum fl_machine)i));
	if (k < n)
		snprintf(err + k, n - k, ")");
	return -EINVAL;
}

static int parse_models(const struct fl_opt *opt, const char *val, void *obj, char *err,
			size_t n)
{
	return fl_opt_each(opt, val, obj, err, n, model_item);
}

/* --seed runs one seed, --seeds the matrix: remember which was given. */
static int parse_seed(const struct fl_opt *opt, const char *val, void *obj, char *err,
		      size_t n)
{
	((struct opts *)obj)->seed_given = true;
	return fl_opt_u64(opt, val, obj, err, n);
}

static int parse_seeds(const struct fl_opt *opt, const char *val, void *obj, char *err,
		       size_t n)
{
	((struct opts *)obj)->seeds_given = true;
	return fl_opt_unsigned(opt, val, obj, err, n);
}

/* --lock=: an emulatable flavour; pthread is rejected, saying why. */
static int parse_lock(const struct fl_opt *opt, const char *val, void *obj, char *err,
		      size_t n)
{
	struct opts *o = obj;
	int k = fl_lock_find(val);

	if (k >= 0 && fl_lock_opaque((enum fl_lock)k)) {
		snprintf(err, n, "--lock=%s cannot be emulated: %s", val,
			 fl_lock_opaque((enum fl_lock)k));
		return -EINVAL;
	}
	if (k < 0)
		return fl_opt_choice(opt, val, obj, err, n);	/* its error message */
	o->p.lock = (enum fl_lock)k;
	o->lock_given = true;
	return 0;
}

#define O(field)	offsetof(struct opts, field)
static const struct fl_opt options[] = {
	FL_OPT_FLAG("matrix", struct opts, matrix,
		    "every strategy x shape (dep, indep, chain) x model (tso,\n"
		    "arm64, alpha), over seeds 1..N. Sometimes: violations in at\n"
		    "least " FL_STR(VERDICT_SOMETIMES_NUM) " of every "
		    FL_STR(VERDICT_SOMETIMES_DEN) " seeds; Never: none, in at least " FL_STR(VERDICT_MIN_TRIALS) " racing\n"
		    "trials (fewer: 'not exercised', a failure)"),
	{ .name = "seeds", .metavar = "N", .parse = parse_seeds, .show = fl_opt_show_unsigned,
	  .off = O(seeds), .lo = 1, .hi = 100000,
	  .help = "N of --matrix; of --litmus, seeds 1..N per model (default " FL_STR(LITMUS_SEEDS)
		  " there)" },
	FL_OPT_FLAG("litmus", struct opts, litmus,
		    "run the herd7 C litmus tests given as the remaining arguments\n"
		    "(or as --litmus=FILE, repeated) under each --model, seeds\n"
		    "1..N: litmus7's histogram, herd7's verdict, the first witness\n"
		    "seed; with --seed=N one seed, --trace its events"),
	FL_OPT_FLAG("expected", struct opts, expected,
		    "print the expected verdicts (LKMM and each model) and the\n"
		    "rule as JSON"),
	FL_OPT_STRATEGIES(struct opts, only, nr_only,
			  "restrict to these strategies (names from faultline --list, or\n"
			  "all, correct, control)"),
	{ .name = "model", .metavar = "LIST", .parse = parse_models,
	  .help = "restrict to these models" },
	{ .name = "seed", .metavar = "N", .parse = parse_seed, .off = O(seed),
	  .help = "run one seed of one --strategy and --model (or of --litmus)" },
	FL_OPT_FLAG("trace", struct opts, trace,
		    "with --seed: print the events of the first violation (of\n"
		    "--litmus: of the run)"),
	FL_OPT_UNSIGNED("writers", struct opts, p.writers, 1, EMU_MAX_WRITERS,
			"faulting writers, 1 or 2; the chain shape needs 2"),
	FL_OPT_UNSIGNED("writer-steps", struct opts, p.writer_steps, 1, 1000000,
			"faults per writer and run"),
	FL_OPT_UNSIGNED("reader-gups", struct opts, p.reader_gups, 1, 1000000,
			"GUPs by the reader per run"),
	{ .name = "lock", .metavar = FL_LOCK_METAVAR, .parse = parse_lock,
	  .choices = fl_lock_names, .off = O(lock_name),
	  .help = "the model's lock flavour (default ticket, for the expected verdicts:\n"
		  "docs/emulation.md); pthread cannot be emulated" },
	FL_OPT_JSON(struct opts, json, "write the matrix as JSON (the report's verdicts.json), or\n"
		    "the --litmus results (docs/emulation.md has the schema)"),
	FL_OPT_HELP(struct opts, help),
};
#undef O

static const struct fl_cmd cmd = {
	.prog = "faultline-emu", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

static void defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seeds = 20;
	o->p = emu_default_params;
}

static void usage(FILE *f)
{
	struct opts d;

	defaults(&d);
	fprintf(f,
"usage: faultline-emu --matrix [--seeds=N] [--strategy=LIST] [--model=LIST] [--json=FILE]\n"
"       faultline-emu --strategy=NAME --model=MODEL --seed=N [--trace]\n"
"       faultline-emu --expected\n"
"       faultline-emu --litmus FILE... [--model=LIST] [--seeds=N] [--json=FILE]\n"
"       faultline-emu --litmus FILE --model=MODEL --seed=N [--trace]\n"
"\n"
"Runs the fault/GUP paths of each strategy, compiled against the weak-memory\n"
"emulator, with two faulting writers sharing each VMA and one GUP reader on a\n"
"small mm, and judges each cell by the verdict rule (strategies/verdict.c).\n"
"--litmus interprets herd7 C litmus tests on the same emulator instead.\n");
	fl_cli_help(&cmd, &d, f);
	fprintf(f, "Exit status: 0 all cells as expected, 1 a mismatch, 2 bad usage.\n"
		"With --litmus: 0 the tests ran (whatever they showed), 1 the emulator failed,\n"
		"2 bad usage or a test outside the subset (one line, FILE:LINE: what).\n");
}

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "faultline-emu: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

/* --litmus: the scenario's options would do nothing; the seeds default to more. */
static int parse_litmus(struct opts *o)
{
	if (o->matrix || o->expected || o->nr_only)
		return fail("%s is for the fault/GUP scenario, not --litmus",
			    o->matrix ? "--matrix" : o->expected ? "--expected" : "--strategy");
	if (o->lock_given)
		return fail("%s", "--lock is for the scenario: --litmus's spinlock_t is the ticket "
			    "flavour (docs/emulation.md)");
	if (memcmp(&o->p, &emu_default_params, sizeof(o->p)))
		return fail("%s", "--writers, --writer-steps and --reader-gups are for the "
			    "scenario, not --litmus");
	if (!o->args.nfiles)
		return fail("%s", "--litmus needs test files: faultline-emu --litmus FILE...");
	if (o->seed_given && (o->seeds_given || o->json))
		return fail("%s is for seeds 1..N, not one --seed", o->seeds_given ? "--seeds" : "--json");
	if (o->trace && !o->seed_given)
		return fail("%s", "--trace is for one seed: give --seed=N");
	if (!o->seeds_given)
		o->seeds = LITMUS_SEEDS;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	char err[512];
	unsigned i;

	defaults(o);
	/* The test files are the arguments that are not options. */
	if (lt_split_args(argc, argv, "litmus", &o->args, err, sizeof(err)))
		return fail("%s", err);
	if (fl_cli_parse(&cmd, o->args.argc, o->args.argv, o, err, sizeof(err)))
		return fail("%s", err);
	if (o->help)
		return 0;
	if (!o->litmus && o->args.nfiles)
		return fail("unknown option '%.200s' (see --help)", o->args.files[0]);
	if (o->litmus && parse_litmus(o))
		return 2;
	if (o->litmus) {
		if (!o->any_model)
			for (i = 0; i < NR_MACHINES; i++)
				o->models[i] = true;
		return 0;
	}
	if (o->expected)
		return 0;
	/* The options of the other mode would do nothing: say so. */
	if (o->matrix && (o->seed_given || o->trace))
		return fail("%s is for one seed, not --matrix (which runs --seeds=N)",
			    o->seed_given ? "--seed" : "--trace");
	if (!o->matrix && (o->nr_only != 1 || !o->any_model))
		return fail("%s", "give --matrix, or one --strategy and --model with --seed");
	if (!o->matrix && (o->seeds_given || o->json))
		return fail("%s is for --matrix, not one seed", o->seeds_given ? "--seeds" : "--json");
	fl_strategies_default(o->only, &o->nr_only, ARRAY_SIZE(o->only));
	if (!o->any_model)
		for (i = 0; i < NR_MACHINES; i++)
			o->models[i] = true;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct cell {
	const struct strategy *s;
	enum fl_shape shape;
	enum fl_machine model;
	struct fl_expect exp;
	enum fl_verdict expected, verdict;
	unsigned seeds, violating, livelocked;
	uint64_t trials, violations;
	double median_ms;	/* to the first violation, over violating seeds */
	bool ok;
};

/* Run every seed of one (strategy, model); fill its shape cells. */
static int run_pair(const struct opts *o, const struct strategy *s, enum fl_machine m,
		    struct cell *c)
{
	double *ms[NR_SHAPES];
	unsigned n[NR_SHAPES] = { 0 }, k, sh;
	struct emu_result r;

	for (sh = 0; sh < NR_SHAPES; sh++) {
		c[sh] = (struct cell){ .s = s, .shape = (enum fl_shape)sh, .model = m,
				       .seeds = o->seeds, .median_ms = -1 };
		if (expected_verdicts(s, (enum fl_shape)sh, &c[sh].exp)) {
			fprintf(stderr, "faultline-emu: error: no expected verdict for %s "
				"(give its descriptor an .expect for this shape)\n", s->name);
			return 2;
		}
		c[sh].expected = c[sh].exp.emu[m];
		ms[sh] = calloc(o->seeds, sizeof(double));
		if (!ms[sh])
			return 2;
	}
	for (k = 1; k <= o->seeds; k++) {
		int err = emu_scenario(s, m, k, &o->p, &r, NULL);

		if (err && err != -ETIME) {
			fprintf(stderr, "faultline-emu: error: scenario failed: %s\n", strerror(-err));
			return 2;
		}
		for (sh = 0; sh < NR_SHAPES; sh++) {
			c[sh].livelocked += err == -ETIME;
			c[sh].trials += r.trials[sh];
			c[sh].violations += r.viol[sh];
			if (r.viol[sh]) {
				c[sh].violating++;
				ms[sh][n[sh]++] = r.ms_to_first[sh];
			}
		}
	}
	for (sh = 0; sh < NR_SHAPES; sh++) {
		struct cell *x = &c[sh];

		if (n[sh]) {
			qsort(ms[sh], n[sh], sizeof(double), cmp_double);
			x->median_ms = ms[sh][n[sh] / 2];
		}
		x->verdict = verdict_judge(x->seeds, x->violating, x->trials);
		x->ok = !x->livelocked && x->verdict == x->expected;
		free(ms[sh]);
	}
	return 0;
}

static void print_cell(const struct cell *c)
{
	printf("%s - %-15s %-5s %-5s expected %-9s got %-13s violations in %u/%u seeds, "
	       "%llu racing trials",
	       c->ok ? "ok" : "not ok", c->s->name, machine_name(c->model), shape_name(c->shape),
	       verdict_name(c->expected), verdict_name(c->verdict), c->violating, c->seeds,
	       (unsigned long long)c->trials);
	if (c->median_ms >= 0)
		printf(", median %.2f ms to the first", c->median_ms);
	if (c->livelocked)
		printf(", %u seeds hit the step limit", c->livelocked);
	if (c->exp.lkmm != c->expected)
		printf("; LKMM: %s", verdict_name(c->exp.lkmm));
	putchar('\n');
}

static int write_json(const char *path, const struct opts *o, const struct cell *cells,
		      unsigned n)
{
	char tmp[4096], why[512];
	FILE *f = fl_json_begin(path, tmp, sizeof(tmp), why, sizeof(why));
	unsigned i;

	if (!f)
		return fail("%s", why);
	fprintf(f, "{\"rule\": ");
	verdict_rule_print_json(f);
	fprintf(f, ",\n \"scenario\": {\"writers\": %u, \"writer_steps\": %u, "
		"\"reader_gups\": %u, \"seeds\": %u, \"lock\": \"%s\"},\n \"cells\": [\n",
		o->p.writers, o->p.writer_steps, o->p.reader_gups, o->seeds,
		fl_lock_names[o->p.lock]);
	for (i = 0; i < n; i++) {
		const struct cell *c = &cells[i];

		fprintf(f, "  {\"strategy\": \"%s\", \"kind\": \"%s\", \"shape\": \"%s\", "
			"\"model\": \"%s\", \"expected\": \"%s\", \"verdict\": \"%s\", "
			"\"lkmm\": \"%s\", \"seeds\": %u, \"violating_seeds\": %u, "
			"\"violations\": %llu, \"trials\": %llu, \"livelocked_seeds\": %u, "
			"\"median_ms_to_first\": ",
			c->s->name, strategy_kind_name(c->s->kind), shape_name(c->shape),
			machine_name(c->model), verdict_name(c->expected), verdict_name(c->verdict),
			verdict_name(c->exp.lkmm), c->seeds, c->violating,
			(unsigned long long)c->violations, (unsigned long long)c->trials,
			c->livelocked);
		if (c->median_ms >= 0)
			fprintf(f, "%.3f", c->median_ms);
		else
			fprintf(f, "null");
		fprintf(f, ", \"note\": ");
		json_print_string(f, c->exp.lkmm != c->expected ? c->exp.note : NULL);
		fprintf(f, ", \"ok\": %s}%s\n", c->ok ? "true" : "false", i + 1 < n ? "," : "");
	}
	fprintf(f, "]}\n");
	return fl_json_commit(f, tmp, path, why, sizeof(why)) ? fail("%s", why) : 0;
}

static int matrix(const struct opts *o)
{
	struct cell *cells = calloc((size_t)o->nr_only * NR_MACHINES * NR_SHAPES, sizeof(*cells));
	unsigned i, n = 0, bad = 0, m, k;
	int r = 0;

	if (!cells)
		return 2;
	for (i = 0; i < o->nr_only && !r; i++) {
		for (m = 0; m < NR_MACHINES && !r; m++) {
			if (!o->models[m])
				continue;
			r = run_pair(o, o->only[i], (enum fl_machine)m, &cells[n]);
			for (k = n; k < n + NR_SHAPES && !r; k++) {
				print_cell(&cells[k]);
				bad += !cells[k].ok;
			}
			fflush(stdout);
			n += NR_SHAPES;
		}
	}
	if (!r && o->json)
		r = write_json(o->json, o, cells, n);
	if (!r)
		printf("emu matrix: %u cells, %u as expected, %u not\n", n, n - bad, bad);
	free(cells);
	return r ? r : bad ? 1 : 0;
}

static int one_seed(const struct opts *o)
{
	enum fl_machine m;
	struct emu_result r;
	int err;

	for (m = 0; !o->models[m]; m++)
		;
	err = emu_scenario(o->only[0], m, o->seed, &o->p, &r, o->trace ? stdout : NULL);
	if (err == -ETIME && o->trace) {
		printf("step limit reached; last events:\n");
		emu_dump_trace(stdout, 40);
	}
	if (err && err != -ETIME) {
		fprintf(stderr, "faultline-emu: error: scenario failed: %s\n", strerror(-err));
		return 2;
	}
	printf("%s %s seed %llu, %u writer(s): violations %lu dep, %lu indep, %lu chain; "
	       "racing trials %lu dep/indep, %lu chain; %lu GUPs (%lu hits, %lu retries, "
	       "%lu stale refcounts), %lu faults, %llu steps%s\n",
	       o->only[0]->name, machine_name(m), (unsigned long long)o->seed, o->p.writers,
	       r.viol[SHAPE_DEP], r.viol[SHAPE_INDEP], r.viol[SHAPE_CHAIN], r.trials[SHAPE_DEP],
	       r.trials[SHAPE_CHAIN], r.gups, r.gup_hits, r.retries, r.stale_refs, r.faults,
	       (unsigned long long)r.steps, err == -ETIME ? " (step limit: livelock?)" : "");
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	int r = parse(argc, argv, &o);

	if (r)
		return r;
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (o.expected) {
		verdicts_print_json(stdout);
		return 0;
	}
	if (o.litmus) {
		struct lt_emu_opts lo = {
			.files = o.args.files, .nfiles = o.args.nfiles, .seeds = o.seeds,
			.one_seed = o.seed_given, .seed = o.seed, .trace = o.trace, .json = o.json,
		};

		memcpy(lo.models, o.models, sizeof(lo.models));
		return lt_emu_main(&lo);
	}
	return o.matrix ? matrix(&o) : one_seed(&o);
}
