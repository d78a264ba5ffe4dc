// SPDX-License-Identifier: GPL-2.0
/*
 * faultline-litmus: herd7 C litmus tests on this machine (hw.c), printed
 * in litmus7's shape with what the runs can and cannot say: the CPUs the
 * run really had, and when the condition's witness was never seen, the
 * trials and the 95% upper bound on its rate. The same parser, interpreter
 * and JSON schema as faultline-emu --litmus; the model is "hw-<arch>".
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "front.h"
#include "hw.h"
#include "native_backend.h"
#include "../bench/cli.h"

#define BUDGET		1.0	/* seconds per test, without --rounds */
#define MIN_ROUNDS	10
#define DEF_INSTANCES	1000
#define ROUND_TIMEOUT	60	/* seconds: longer is a hang */

struct opts {
	bool hw, help;
	unsigned rounds, instances;
	uint64_t seed;
	const char *json;
	struct lt_args args;
};

#define O(field)	offsetof(struct opts, field)
static const struct fl_opt options[] = {
	FL_OPT_FLAG("hw", struct opts, hw,
		    "run the tests given as the remaining arguments (or as\n"
		    "--hw=FILE, repeated) on this machine; the default"),
	{ .name = "rounds", .metavar = "N", .parse = fl_opt_unsigned, .off = O(rounds),
	  .lo = 1, .hi = 1000000,
	  .help = "rounds per test, each drawing the threads' CPUs afresh\n"
		  "(default: as many as fit in " FL_STR(BUDGET) " s, at least " FL_STR(MIN_ROUNDS) ")" },
	FL_OPT_UNSIGNED("instances", struct opts, instances, 1, 1000000,
			"instances per round, each its own copy of the locations"),
	FL_OPT_SEED(struct opts, seed, "the CPU draws and the start skews", true),
	FL_OPT_JSON(struct opts, json, "write the results as JSON (faultline-emu --litmus's schema)"),
	FL_OPT_HELP(struct opts, help),
};
#undef O

static const struct fl_cmd cmd = {
	.prog = "faultline-litmus", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

static void defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->instances = DEF_INSTANCES;
	o->seed = 1;
}

static void usage(FILE *f)
{
	struct opts d;

	defaults(&d);
	fprintf(f,
"usage: faultline-litmus [--hw] FILE... [--rounds=N] [--instances=N] [--seed=N] [--json=FILE]\n"
"\n"
"Runs herd7 C litmus tests on this machine, litmus7-style: one thread per\n"
"test thread, many instances per round, the threads released together at\n"
"each instance, their CPUs drawn afresh every round. The threads are\n"
"interpreted (clitmus/): every access is the barrier vocabulary's\n"
"(sync/barrier.h), so the windows between accesses are wider than litmus7's\n"
"compiled code and rare states are rarer.\n");
	fl_cli_help(&cmd, &d, f);
	fprintf(f, "Exit status: 0 the tests ran (whatever they showed), 1 a run failed,\n"
		"2 bad usage or a test outside the subset (one line, FILE:LINE: what).\n");
}

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "faultline-litmus: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	char err[512];

	defaults(o);
	if (lt_split_args(argc, argv, "hw", &o->args, err, sizeof(err)))
		return fail("%s", err);
	if (fl_cli_parse(&cmd, o->args.argc, o->args.argv, o, err, sizeof(err)))
		return fail("%s", err);
	if (!o->help && !o->args.nfiles)
		return fail("%s", "no test files: faultline-litmus FILE... (see --help)");
	return 0;
}

/* 1 - 0.05^(1/n): no witness in n trials bounds its rate so, at 95%. */
static double upper_bound(uint64_t n)
{
	return n ? 1 - pow(0.05, 1.0 / (double)n) : 1;
}

static void print_run(const struct lt_test *t, struct lt_hw_result *r, const struct opts *o)
{
	uint64_t runs = lt_outcome_runs(&r->o);
	uint64_t seen = t->quant == LT_FORALL ? r->o.neg : r->o.pos;

	printf("# %s on this machine (%s): %u CPUs, %u threads%s%s; %u rounds x %u instances\n",
	       t->file, lt_native_arch, r->cpus, r->threads,
	       r->threads > r->cpus ? " (more threads than CPUs: they also interleave by "
				      "preemption)" : " (one per CPU)",
	       r->pinned ? "" : ", CPU affinity not set (threads float)", r->rounds, o->instances);
	printf("# interpreted: each access is a call through the interpreter, so the windows "
	       "between accesses are wider than litmus7's and rare states rarer; an address "
	       "dependency flows through the interpreter's register file\n");
	lt_print_outcome(stdout, &r->o);
	if (seen)
		printf("Witness seen in %llu of %llu trials (rate %.2g), first at trial %lld\n",
		       (unsigned long long)seen, (unsigned long long)runs,
		       (double)seen / (double)runs, r->first_witness);
	else
		printf("Witness never seen in %llu trials: its rate is below %.2g (95%% upper "
		       "bound, 1-0.05^(1/n))\n", (unsigned long long)runs, upper_bound(runs));
	lt_print_time(stdout, &r->o, r->seconds);
	fflush(stdout);
}

static void write_json(FILE *f, const struct opts *o, struct lt_test **tests,
		       struct lt_hw_result *res)
{
	char model[64], extra[512], bound[32], first[32];
	unsigned i;

	snprintf(model, sizeof(model), "hw-%s", lt_native_arch);
	fprintf(f, "{\"tool\": \"faultline-litmus\", \"arch\": \"%s\", \"instances\": %u, "
		"\"seed\": %llu, \"tests\": [\n", lt_native_arch, o->instances,
		(unsigned long long)o->seed);
	for (i = 0; i < o->args.nfiles; i++) {
		struct lt_hw_result *r = &res[i];
		uint64_t runs = lt_outcome_runs(&r->o);
		uint64_t seen = tests[i]->quant == LT_FORALL ? r->o.neg : r->o.pos;

		if (seen)
			snprintf(bound, sizeof(bound), "null");
		else
			snprintf(bound, sizeof(bound), "%.3g", upper_bound(runs));
		if (r->first_witness >= 0)
			snprintf(first, sizeof(first), "%lld", r->first_witness);
		else
			snprintf(first, sizeof(first), "null");
		snprintf(extra, sizeof(extra), "\"trials\": %llu, \"first_witness_trial\": %s, "
			 "\"upper_bound_95\": %s, \"cpus\": %u, \"threads\": %u, \"pinned\": %s, "
			 "\"rounds\": %u, \"interpreted\": true", (unsigned long long)r->trials, first,
			 bound, r->cpus, r->threads, r->pinned ? "true" : "false", r->rounds);
		fprintf(f, "  {");
		lt_json_test(f, tests[i]);
		fprintf(f, ", \"runs\": [\n    ");
		lt_json_outcome(f, &r->o, model, r->trials, -1, r->seconds, extra);
		fprintf(f, "\n  ]}%s\n", i + 1 < o->args.nfiles ? "," : "");
	}
	fprintf(f, "]}\n");
}

int main(int argc, char **argv)
{
	struct opts o;
	struct lt_test **tests;
	struct lt_hw_result *res;
	struct lt_hw_params p;
	char err[1024], tmp[4096];
	FILE *json = NULL;
	unsigned i;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc;
	if (o.help) {
		usage(stdout);
		return 0;
	}
	tests = calloc(o.args.nfiles, sizeof(*tests));
	res = calloc(o.args.nfiles, sizeof(*res));
	if (!tests || !res) {
		rc = 1;
		goto out;
	}
	if (lt_parse_all(o.args.files, o.args.nfiles, tests, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		rc = 2;
		goto out;
	}
	if (o.json && !(json = fl_json_begin(o.json, tmp, sizeof(tmp), err, sizeof(err)))) {
		rc = fail("%s", err);
		goto out;
	}
	p = (struct lt_hw_params){ .rounds = o.rounds, .budget = BUDGET, .min_rounds = MIN_ROUNDS,
				   .instances = o.instances, .seed = o.seed,
				   .timeout = ROUND_TIMEOUT };
	for (i = 0; i < o.args.nfiles && !rc; i++) {
		if (lt_hw_run(tests[i], &p, &res[i], err, sizeof(err))) {
			fprintf(stderr, "faultline-litmus: error: %s: %s\n", tests[i]->file, err);
			if (json) {
				fclose(json);
				remove(tmp);
			}
			/* Threads that hang cannot be joined: end here. */
			exit(1);
		}
		print_run(tests[i], &res[i], &o);
	}
	if (json) {
		write_json(json, &o, tests, res);
		if (fl_json_commit(json, tmp, o.json, err, sizeof(err))) {
			fprintf(stderr, "faultline-litmus: error: %s\n", err);
			rc = 1;
		}
	}
out:
	for (i = 0; res && i < o.args.nfiles; i++)
		lt_outcome_free(&res[i].o);
	if (tests)
		lt_free_all(tests, o.args.nfiles);
	free(tests);
	free(res);
	return rc;
}
