// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-stress: litmus7-style stress of the real fault/GUP paths
 * on this machine's hardware (see stress.h). Its option table below, read
 * by the shared parser (cli.c), takes the flags it uses and rejects, with a
 * reason, faultline's that would do nothing here. Prints one line per
 * point, writes JSON with --json. Exit 1 if a correct strategy shows a
 * violation, 3 if one could not be concluded on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "stress.h"

#define EXIT_VIOLATION		1
#define EXIT_USAGE		2
#define EXIT_INCONCLUSIVE	3

static const struct fl_opt options[] = {
	FL_OPT_STRATEGIES(struct fl_options, strategies, nr_strategies,
			  "names, all, correct or control (default all; baseline is skipped:\n"
			  "it is single-threaded by definition)"),
	FL_OPT_CPUS(struct fl_options, cpus, nr_cpus,
		    "thread counts, e.g. 2,3 or 2-4 (default 1,2,4,..,N and N, N = CPUs\n"
		    "this process may use; 1 is skipped: a race needs two)"),
	FL_OPT_DURATION(struct fl_options, duration, "S", "seconds per point"),
	FL_OPT_PLACEMENT(struct fl_options, placement,
			 ":\nthe order threads are pinned to CPUs"),
	FL_OPT_FLAG("oversubscribe", struct fl_options, oversubscribe,
		    "allow more threads than CPUs (waiters then yield, and so does a\n"
		    "reader before its attempts: a writer may share its CPU)"),
	FL_OPT_SEED(struct fl_options, seed, "seed of the readers' start delays", true),
	FL_OPT_LOCK(struct fl_options, lock,
		    "the model's lock flavour (default qspinlock; faultline --help)"),
	FL_OPT_FLAG("clear-page", struct fl_options, clear_page,
		    "faults clear the whole 4 KiB page; GUP checks its first word"),
	FL_OPT_JSON(struct fl_options, json,
		    "also write the results as JSON (whole at the end, or not at all)"),
	FL_OPT_FLAG("quiet", struct fl_options, quiet,
		    "no progress line per point on stderr (printed only to a terminal)"),
	FL_OPT_FLAG("list", struct fl_options, list, "list the strategies"),
	FL_OPT_HELP(struct fl_options, help),
	/* faultline's, meaningless here */
	FL_OPT_UNUSED("mix", "the stress mode runs its own fixed shapes, not the mixes"),
	FL_OPT_UNUSED("slots", "each instance is a fixed mm of " FL_STR(STRESS_SLOTS) " slots"),
	FL_OPT_UNUSED("overhead", "there is no benchmark body to time"),
	{ .name = "benchmark_", .prefix = true,
	  .unused = "it runs no Google Benchmark (those flags are faultline's)" },
};

static const struct fl_cmd cmd = {
	.prog = "faultline-stress", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

static void usage(FILE *f)
{
	struct fl_options d;

	fl_options_init(&d);
	fl_cli_synopsis(&cmd, f);
	fprintf(f,
"\n"
"litmus7-style stress of the fault/GUP race on this machine's hardware. A barrier\n"
"releases every thread together each round: writers fault one slot in each of %u\n"
"instances (each its own mm); each reader makes ONE GUP attempt per writer and\n"
"instance, no polling: it starts after k cpu_relax() (k drawn per round, 0..%u) and\n"
"spins its pace before each attempt, a number of cpu_relax() it adjusts each round so\n"
"that about half of its attempts find the pte: it follows the writers' publication\n"
"front. The results are classified after the round. Thread t is pinned to the t-th\n"
"CPU of the placement and holds position (t + round) %% cpus, so every CPU plays every\n"
"role, in every group, in turn. The positions form groups:\n"
"  2 CPUs       one pair: writer, reader\n"
"  3 or more    triples: writer 0, writer 1, reader; both writers fault the same VMAs,\n"
"               so one of them maps the anon_vma the other published (the three-CPU\n"
"               chain); 2 CPUs left over make a pair, 1 joins a triple as a 2nd reader\n"
"The chain shape needs two writers and a third CPU: at 2 CPUs it is \"not run\".\n"
"\n", STRESS_INSTANCES, STRESS_MAX_DELAY - 1);
	fl_cli_help(&cmd, &d, f);
	fprintf(f,
"\n"
"Columns: rounds; trials: GUPs that returned a pte proven current, the trials of the\n"
"dep and indep shapes; unseen: attempts that found no pte (not trials); per shape\n"
"dep, indep, chain: the violations, then \"<B\", the exact one-sided 95%% upper bound\n"
"on the violation rate when none was seen (1 - 0.05^(1/trials), about 3/trials), or\n"
"\"=R [L,H]\", the rate and its two-sided 95%% Clopper-Pearson interval; \"too few\":\n"
"no violation in fewer than %u trials, no conclusion. chain trials: the trials whose\n"
"anon_vma the other writer's fault published; the chain's violations are counted on\n"
"those only.\n"
"\n"
"JSON: {\"arch\", \"parameters\", \"placement\", \"rows\"}; a row per strategy and CPU\n"
"count: strategy, kind, cpus, rounds, attempts, trials, unseen, retries (saw a pte,\n"
"lost a race), stale_refs (of those, a refcount read 0 under a current pte: benign),\n"
"viol_dep, viol_indep, viol_chain and trials_chain (these two absent when the chain\n"
"is not run), upper95_dep, upper95_indep, upper95_chain (a 95%% upper confidence\n"
"bound on the violation rate: the one-sided bound above when none was seen, the\n"
"upper end of the interval when some were; null when not run), seconds,\n"
"reader_pace_mean (cpu_relax() between attempts), layout (the groups, e.g. 1x3+1x2),\n"
"pinned, cpu_of_thread (the OS CPU each thread was pinned to), verdict (correct\n"
"strategies: pass, FAIL or inconclusive; controls: caught or not caught) and shapes\n"
"{dep, indep, chain}, each {status (\"not run\", \"too few trials\", \"none seen\",\n"
"\"seen\"), trials, violations, rate (violations / trials; null without trials),\n"
"upper95 (as above), ci95 ([lo, hi] when violations were seen, else null)}.\n"
"\n"
"Exit status: 0 no correct strategy showed a violation and each shape it ran had at\n"
"least %u trials; 1 a correct strategy showed a violation (or a run failed); 3 none\n"
"did, but some shape of a correct strategy had too few trials to conclude; 2 bad usage\n"
"or unwritable output. On TSO hardware (x86) no strategy, not even a control, is\n"
"expected to show a violation: there the run states only how many trials it made.\n",
		STRESS_MIN_TRIALS, STRESS_MIN_TRIALS);
}

static int parse_args(int argc, char **argv, struct fl_options *o, char *err, size_t n)
{
	int r;

	fl_options_init(o);
	if ((r = fl_cli_parse(&cmd, argc, argv, o, err, n)))
		return r;
	fl_strategies_default(o->strategies, &o->nr_strategies, ARRAY_SIZE(o->strategies));
	return 0;
}

static const char *verdict(const struct strategy *s, const struct stress_result *r)
{
	if (s->kind == STRAT_CONTROL)
		return r->t.viol_dep || r->t.viol_indep || r->t.viol_chain ? "caught" : "not caught";
	if (stress_failed(s, r))
		return "FAIL";
	return stress_inconclusive(s, r) ? "inconclusive" : "pass";
}

static void layout_str(const struct stress_result *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	if (r->triples)
		n += (size_t)snprintf(buf + n, len - n, "%ux3", r->triples);
	if (r->quads && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s%ux4", n ? "+" : "", r->quads);
	if (r->pairs && n < len)
		snprintf(buf + n, len - n, "%s%ux2", n ? "+" : "", r->pairs);
}

static void cell_str(const struct stress_cell *c, char *buf, size_t len)
{
	switch (c->status) {
	case STRESS_NOT_RUN:
		snprintf(buf, len, "not run (<3 CPUs)");
		break;
	case STRESS_TOO_FEW:
		snprintf(buf, len, "0 <%.1e too few", c->upper95);
		break;
	case STRESS_NONE_SEEN:
		snprintf(buf, len, "0 <%.1e", c->upper95);
		break;
	case STRESS_SEEN:
		snprintf(buf, len, "%llu =%.1e [%.1e,%.1e]", (unsigned long long)c->violations,
			 c->rate, c->lo95, c->hi95);
		break;
	}
}

static void print_header(const struct fl_placement *p)
{
	unsigned i;

	printf("placement %s: thread t pinned to the (t mod %u)-th of CPUs ", p->policy, p->nr_cpus);
	for (i = 0; i < p->nr_cpus && i < 64; i++)
		printf("%s%d", i ? "," : "", p->os_index[i]);
	printf("%s; position (t + round) mod cpus\n", i < p->nr_cpus ? ",..." : "");
	printf("%-16s %-8s %4s %-7s %9s %11s %9s  %-19s %-19s %12s  %s\n", "strategy", "kind",
	       "cpus", "layout", "rounds", "trials", "unseen", "dep", "indep", "chain trials",
	       "chain");
}

static void print_row(const struct strategy *s, const struct stress_result *r)
{
	char lay[64], cell[NR_SHAPES][96], ct[24];
	struct stress_cell c;
	unsigned sh;

	layout_str(r, lay, sizeof(lay));
	for (sh = 0; sh < NR_SHAPES; sh++) {
		stress_cell(r, (enum fl_shape)sh, &c);
		cell_str(&c, cell[sh], sizeof(cell[sh]));
	}
	if (r->chain_run)
		snprintf(ct, sizeof(ct), "%llu", (unsigned long long)r->t.trials_chain);
	else
		snprintf(ct, sizeof(ct), "-");
	printf("%-16s %-8s %4u %-7s %9llu %11llu %9llu  %-19s %-19s %12s  %s\n", s->name,
	       strategy_kind_name(s->kind), r->cpus, lay, (unsigned long long)r->rounds,
	       (unsigned long long)r->t.trials, (unsigned long long)r->t.unseen, cell[SHAPE_DEP],
	       cell[SHAPE_INDEP], ct, cell[SHAPE_CHAIN]);
	fflush(stdout);
}

static void json_num(FILE *f, double x)
{
	if (x != x)
		fprintf(f, "null");
	else
		fprintf(f, "%.6g", x);
}

static void json_shape(FILE *f, const struct stress_result *r, enum fl_shape sh)
{
	struct stress_cell c;

	stress_cell(r, sh, &c);
	fprintf(f, "\"%s\": {\"status\": \"%s\", \"trials\": %llu, \"violations\": %llu, \"rate\": ",
		shape_name((enum fl_shape)sh), stress_status_name(c.status), (unsigned long long)c.trials,
		(unsigned long long)c.violations);
	if (c.status == STRESS_NOT_RUN || !c.trials)
		fprintf(f, "null");
	else
		json_num(f, c.rate);
	fprintf(f, ", \"upper95\": ");
	if (c.status == STRESS_NOT_RUN)
		fprintf(f, "null");
	else
		json_num(f, c.upper95);
	fprintf(f, ", \"ci95\": ");
	if (c.status == STRESS_SEEN) {
		fprintf(f, "[");
		json_num(f, c.lo95);
		fprintf(f, ", ");
		json_num(f, c.hi95);
		fprintf(f, "]");
	} else {
		fprintf(f, "null");
	}
	fprintf(f, "}");
}

static void json_row(FILE *f, const struct strategy *s, const struct stress_result *r,
		     const struct fl_placement *p)
{
	char lay[64];
	unsigned i, sh;

	fprintf(f, "  {\"strategy\": \"%s\", \"kind\": \"%s\", \"cpus\": %u, \"rounds\": %llu, "
		"\"attempts\": %llu, \"trials\": %llu, \"unseen\": %llu, \"retries\": %llu, "
		"\"stale_refs\": %llu, \"viol_dep\": %llu, \"viol_indep\": %llu, ",
		s->name, strategy_kind_name(s->kind), r->cpus, (unsigned long long)r->rounds,
		(unsigned long long)r->t.attempts, (unsigned long long)r->t.trials,
		(unsigned long long)r->t.unseen, (unsigned long long)r->t.retries,
		(unsigned long long)r->t.stale_refs, (unsigned long long)r->t.viol_dep,
		(unsigned long long)r->t.viol_indep);
	/* Not run is not zero: a shape that did not run has no count. */
	if (r->chain_run)
		fprintf(f, "\"viol_chain\": %llu, \"trials_chain\": %llu, ",
			(unsigned long long)r->t.viol_chain, (unsigned long long)r->t.trials_chain);
	fprintf(f, "\n   ");
	for (sh = 0; sh < NR_SHAPES; sh++) {
		struct stress_cell c;

		stress_cell(r, (enum fl_shape)sh, &c);
		fprintf(f, "\"upper95_%s\": ", shape_name((enum fl_shape)sh));
		if (c.status == STRESS_NOT_RUN)
			fprintf(f, "null");
		else
			json_num(f, c.upper95);
		fprintf(f, ", ");
	}
	layout_str(r, lay, sizeof(lay));
	fprintf(f, "\"seconds\": %.3f, \"reader_pace_mean\": %.1f,\n   \"layout\": \"%s\", "
		"\"pinned\": %s, \"cpu_of_thread\": [", r->seconds, r->pace_mean, lay,
		r->pinned ? "true" : "false");
	for (i = 0; i < r->cpus; i++) {
		if (r->pinned)
			fprintf(f, "%s%d", i ? ", " : "", p->os_index[i % p->nr_cpus]);
		else
			fprintf(f, "%snull", i ? ", " : "");
	}
	fprintf(f, "], \"verdict\": \"%s\",\n   \"shapes\": {", verdict(s, r));
	for (sh = 0; sh < NR_SHAPES; sh++) {
		fprintf(f, "%s", sh ? ",\n              " : "");
		json_shape(f, r, (enum fl_shape)sh);
	}
	fprintf(f, "}}");
}

static int write_json(const char *path, const struct fl_options *o, const struct fl_placement *p,
		      const struct strategy *const *s, const struct stress_result *r, unsigned n)
{
	char tmp[4096], why[512];
	FILE *f = fl_json_begin(path, tmp, sizeof(tmp), why, sizeof(why));
	unsigned i;

	if (!f)
		return -EIO;
	fprintf(f, "{\"arch\": \"%s\", \"tool\": \"faultline-stress\",\n", FL_ARCH_NAME);
	fprintf(f, " \"parameters\": {\"duration_s\": %g, \"seed\": %llu, \"clear_page\": %s, "
		"\"instances_per_group\": %u, \"slots_per_instance\": %u, \"max_delay_relax\": %u, "
		"\"min_trials\": %u, \"confidence\": 0.95, \"oversubscribe\": %s, \"lock\": \"%s\"},\n",
		o->duration, (unsigned long long)o->seed, o->clear_page ? "true" : "false",
		STRESS_INSTANCES, STRESS_SLOTS, STRESS_MAX_DELAY - 1, STRESS_MIN_TRIALS,
		o->oversubscribe ? "true" : "false", o->lock);
	fprintf(f, " \"placement\": {\"policy\": \"%s\", \"effective\": \"%s\", \"note\": ",
		p->policy, p->effective);
	json_print_string(f, p->note);
	fprintf(f, ", \"usable_cpus\": %u, \"cpu_order\": [", p->nr_cpus);
	for (i = 0; i < p->nr_cpus; i++)
		fprintf(f, "%s%d", i ? ", " : "", p->os_index[i]);
	fprintf(f, "],\n  \"rotation\": \"thread t is pinned to cpu_order[t %% usable_cpus] and holds "
		"position (t + round) %% cpus; positions form, in order, triples (writer 0, writer 1, "
		"reader), then a pair (writer, reader) or a fourth member (a second reader) of the "
		"last triple\"},\n");
	fprintf(f, " \"rows\": [\n");
	for (i = 0; i < n; i++) {
		json_row(f, s[i], &r[i], p);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "]}\n");
	return fl_json_commit(f, tmp, path, why, sizeof(why)) ? -EIO : 0;
}

static void progress(unsigned k, unsigned n, const struct strategy *s,
		     const struct stress_result *r)
{
	char chain[24];

	if (r->chain_run)
		snprintf(chain, sizeof(chain), "%llu", (unsigned long long)r->t.viol_chain);
	else
		snprintf(chain, sizeof(chain), "-");
	fprintf(stderr, "faultline-stress: [%u/%u] %s cpus=%u: %llu trials in %.2f s, "
		"violations dep/indep/chain %llu/%llu/%s: %s\n", k, n, s->name, r->cpus,
		(unsigned long long)r->t.trials, r->seconds, (unsigned long long)r->t.viol_dep,
		(unsigned long long)r->t.viol_indep, chain, verdict(s, r));
}

static int run_points(const struct fl_options *o, const struct fl_placement *p, char *err,
		      size_t errlen)
{
	unsigned n = 0, k = 0, i, c, bad = 0, unsure = 0;
	const struct strategy **who = NULL;
	struct stress_result *res = NULL;
	bool tty = !o->quiet && isatty(STDERR_FILENO);
	int r = 0;

	for (i = 0; i < o->nr_strategies; i++)
		for (c = 0; c < o->nr_cpus; c++)
			n += o->cpus[c] >= 2 && o->strategies[i]->kind != STRAT_BASELINE;
	if (!n) {
		snprintf(err, errlen, "nothing to run: a point needs 2 or more CPUs and a strategy "
			 "other than baseline");
		return EXIT_USAGE;
	}
	who = calloc(n, sizeof(*who));
	res = calloc(n, sizeof(*res));
	if (!who || !res) {
		snprintf(err, errlen, "out of memory");
		r = EXIT_VIOLATION;
		goto out;
	}
	print_header(p);
	for (i = 0; i < o->nr_strategies; i++) {
		for (c = 0; c < o->nr_cpus; c++) {
			const struct strategy *s = o->strategies[i];
			struct stress_params sp = {
				.cpus = o->cpus[c], .duration_s = o->duration, .seed = o->seed,
				.clear_page = o->clear_page, .place = p,
				.lock = (enum fl_lock)fl_lock_find(o->lock),
				.oversubscribed = o->cpus[c] > p->nr_cpus,
			};
			struct stress_result *x = &res[k];
			int e;

			if (o->cpus[c] < 2 || s->kind == STRAT_BASELINE)
				continue;	/* a race needs a writer and a reader */
			if ((e = -stress_run(s, &sp, x))) {
				snprintf(err, errlen, "%s at %u CPUs: %s", s->name, o->cpus[c], strerror(e));
				r = EXIT_VIOLATION;
				goto out;
			}
			who[k++] = s;
			print_row(s, x);
			if (tty)
				progress(k, n, s, x);
			bad += stress_failed(s, x);
			unsure += stress_inconclusive(s, x);
		}
	}
	if (o->json && write_json(o->json, o, p, who, res, k)) {
		snprintf(err, errlen, "cannot write %s", o->json);
		r = EXIT_USAGE;
		goto out;
	}
	if (bad) {
		snprintf(err, errlen, "%u point(s) of correct strategies showed violations", bad);
		r = EXIT_VIOLATION;
	} else if (unsure) {
		snprintf(err, errlen, "%u point(s) of correct strategies had a shape with fewer than "
			 "%u trials: no conclusion (run longer)", unsure, STRESS_MIN_TRIALS);
		r = EXIT_INCONCLUSIVE;
	}
out:
	free(who);
	free(res);
	return r;
}

int main(int argc, char **argv)
{
	struct fl_options o;
	struct fl_placement p;
	char err[512] = "";
	int status = 0;

	memset(&p, 0, sizeof(p));
	if (parse_args(argc, argv, &o, err, sizeof(err)))
		status = EXIT_USAGE;
	else if (o.help)
		usage(stdout);
	else if (o.list)
		fl_cli_list_strategies(stdout);
	else if (fl_placement_init(&p, o.placement, err, sizeof(err)) ||
		 fl_check_cpus(&o, p.nr_cpus, err, sizeof(err)))
		status = EXIT_USAGE;
	else
		status = run_points(&o, &p, err, sizeof(err));
	fl_placement_fini(&p);
	fl_options_fini(&o);
	if (status)
		fprintf(stderr, "faultline-stress: %s: %s\n",
			status == EXIT_INCONCLUSIVE ? "inconclusive" : "error", err);
	return status;
}
