// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-pair: paired measurement of strategies (pair.h). Writes
 * every window's figures as JSON (--json, whole at the end; on SIGINT what
 * was finished, marked incomplete); scripts/faultline/paired.py, used by
 * scripts/pair, make evaluate and make bench-precision, computes the
 * ratios, intervals and p-values from it.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "fl_build.h"	/* generated: FL_GIT_REV, FL_CFLAGS */
#include "cli.h"
#include "describe.h"
#include "pair.h"
#include "sysinfo.h"

#define EXIT_RUN	1
#define EXIT_USAGE	2
#define EXIT_INTR	130

struct pair_options {
	struct fl_options o;	/* first: the shared kinds write into it */
	struct pair_arm arms[PAIR_MAX_ARMS];
	unsigned nr_arms;
	double window, budget;
	const char *design;
	bool duet;
};

static const char *const designs[] = { "paired", "sequential", NULL };

/* "dep", or "dep+1%": dep slowed by 1% of every window (fl_run.delay_frac),
 * or "dep+perf": dep counting perf events over its windows (fl_run.perf),
 * which measures what counting costs. */
static int arm_item(const struct fl_opt *opt, const char *item, void *obj, char *err, size_t n)
{
	struct pair_options *po = obj;
	struct pair_arm *a;
	char name[48];
	const char *plus = strchr(item, '+');
	size_t len = plus ? (size_t)(plus - item) : strlen(item);

	(void)opt;
	if (po->nr_arms == PAIR_MAX_ARMS) {
		snprintf(err, n, "too many strategies (at most %d)", PAIR_MAX_ARMS);
		return -EINVAL;
	}
	if (len >= sizeof(name) || strlen(item) >= sizeof(a->label)) {
		snprintf(err, n, "strategy '%.40s...' too long", item);
		return -EINVAL;
	}
	memcpy(name, item, len);
	name[len] = '\0';
	a = &po->arms[po->nr_arms];
	memset(a, 0, sizeof(*a));
	a->s = strategy_find(name);
	if (!a->s) {
		snprintf(err, n, "unknown strategy '%s' (see faultline --list)", name);
		return -EINVAL;
	}
	if (plus && !strcmp(plus, "+perf")) {
		a->perf = true;
	} else if (plus) {
		char *end;
		double pct = strtod(plus + 1, &end);

		if (end == plus + 1 || strcmp(end, "%") || !(pct > 0 && pct <= 100)) {
			snprintf(err, n, "bad suffix in '%s' (want NAME+P%%, 0 < P <= 100, or NAME+perf)",
				 item);
			return -EINVAL;
		}
		a->delay_frac = pct / 100;
	}
	snprintf(a->label, sizeof(a->label), "%s", item);
	po->nr_arms++;
	return 0;
}

static int parse_arms(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	struct pair_options *po = obj;

	po->nr_arms = 0;
	return fl_opt_each(opt, val, obj, err, n, arm_item);
}

static const struct fl_opt options[] = {
	{ .name = "strategy", .metavar = "LIST", .parse = parse_arms,
	  .help = "BASE,X[,Y...]: the base first, each other compared with it; a name\n"
		  "may repeat (an A/A test); NAME+P% is NAME slowed by exactly P% (its\n"
		  "threads first busy-wait P% of each window: the detection test);\n"
		  "NAME+perf counts perf events in its windows (what counting costs). Required" },
	{ .name = "mix", .metavar = "LIST", .parse = fl_opt_mixes,
	  .help = "comma list of gup,fault,read,publish, or all (default all)" },
	FL_OPT_CPUS(struct pair_options, o.cpus, o.nr_cpus,
		    "thread counts, e.g. 1,2 (default 1,2,4,..,N and N, N = usable CPUs)"),
	{ .name = "window", .metavar = "S", .parse = fl_opt_double, .show = fl_opt_show_double,
	  .off = offsetof(struct pair_options, window), .dlo = 0.001, .dhi = 10,
	  .help = "one measured window" },
	{ .name = "budget", .metavar = "S", .parse = fl_opt_double, .show = fl_opt_show_double,
	  .off = offsetof(struct pair_options, budget), .dlo = 0.01, .dhi = 86400,
	  .help = "seconds of rounds, all points together" },
	{ .name = "design", .metavar = "D", .parse = fl_opt_choice, .choices = designs,
	  .off = offsetof(struct pair_options, design),
	  .help = "paired (default): arms alternate in random order every round;\n"
		  "sequential: each arm's share in one block, as separate points run" },
	FL_OPT_FLAG("duet", struct pair_options, duet,
		    "one-thread points run the base and each other strategy at once, on\n"
		    "two CPUs, swapping them every round (paired design only)"),
	FL_OPT_LOCK(struct pair_options, o.lock,
		    "the model's lock flavour (default qspinlock; faultline --help)"),
	FL_OPT_SEED(struct pair_options, o.seed, "seed of the orders and the readers' slots", true),
	FL_OPT_PLACEMENT(struct pair_options, o.placement,
			 ":\nthe order threads are pinned to CPUs"),
	FL_OPT_JSON(struct pair_options, o.json,
		    "write every window as JSON (whole at the end; after Ctrl-C, what was\n"
		    "finished, marked incomplete)"),
	FL_OPT_FLAG("quiet", struct pair_options, o.quiet, "no progress on stderr"),
	FL_OPT_HELP(struct pair_options, o.help),
};

static const struct fl_cmd cmd = { "faultline-pair", options, ARRAY_SIZE(options) };

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *f, const struct pair_options *defaults)
{
	fl_cli_synopsis(&cmd, f);
	fputs("\nMeasures strategies against a base in the same process: short windows,\n"
	      "alternating in a random order every round, so each round gives one ratio\n"
	      "per strategy and point. scripts/pair prints the median ratios with 95%\n"
	      "intervals and p-values (docs/design.md section 9).\n", f);
	fl_cli_help(&cmd, defaults, f);
	fputs("Exit status: 0 ok, 1 a run failed, 2 bad usage, 130 interrupted (the JSON\n"
	      "keeps the finished windows).\n", f);
}

static void write_json(FILE *f, const struct pair_options *po, const struct pair_params *p,
		       const struct pair_result *r, const struct fl_placement *pl)
{
	struct fl_sysinfo si;
	unsigned i;

	fl_sysinfo_read(&si);
	fprintf(f, "{\"faultline_pair\": 1, \"design\": \"%s\", \"window_s\": %g, \"budget_s\": %g,\n"
		" \"elapsed_s\": %.3f, \"rounds\": %u, \"complete\": %s, \"seed\": %llu,\n"
		" \"context\": {\"faultline_git_rev\": ", po->design, p->window_s,
		p->budget_s, r->elapsed_s, r->rounds, r->interrupted ? "false" : "true",
		(unsigned long long)p->seed);
	json_print_string(f, FL_GIT_REV);
	fputs(", \"faultline_cflags\": ", f);
	json_print_string(f, FL_CFLAGS);
	fputs(", \"host\": ", f);
	json_print_string(f, si.host);
	fputs(", \"arch\": ", f);
	json_print_string(f, si.arch);
	fputs(", \"cpu_model\": ", f);
	json_print_string(f, si.cpu_model);
	fputs(", \"kernel\": ", f);
	json_print_string(f, si.kernel);
	fputs(", \"lock\": ", f);
	json_print_string(f, po->o.lock);
	fprintf(f, ", \"usable_cpus\": %u, \"duet\": %s, \"placement\": ", pl->nr_cpus,
		p->duet ? "true" : "false");
	json_print_string(f, pl->policy);
	fputs(", \"placement_effective\": ", f);
	json_print_string(f, pl->effective);
	fputs(", \"placement_note\": ", f);
	json_print_string(f, pl->note);
	fputs("},\n \"arms\": [", f);
	for (i = 0; i < p->nr_arms; i++) {
		const struct pair_arm *a = &p->arms[i];

		fprintf(f, "%s\n  {\"label\": ", i ? "," : "");
		json_print_string(f, a->label);
		fputs(", \"strategy\": ", f);
		json_print_string(f, a->s->name);
		fprintf(f, ", \"kind\": \"%s\", \"delay_frac\": %g, \"perf\": %s}",
			strategy_kind_name(a->s->kind), a->delay_frac, a->perf ? "true" : "false");
	}
	fputs("],\n \"points\": [", f);
	for (i = 0; i < p->nr_points; i++)
		fprintf(f, "%s{\"mix\": \"%s\", \"cpus\": %u, \"unit\": \"%s\"}", i ? ", " : "",
			p->points[i].mix->name, p->points[i].cpus, p->points[i].mix->unit);
	fputs("],\n \"sample_fields\": [\"point\", \"round\", \"arm\", \"pos\", \"ops_per_s\", "
	      "\"ns_per_op\", \"cpu_share_min\", \"violations\"],\n \"samples\": [", f);
	for (i = 0; i < r->nr_samples; i++) {
		const struct pair_sample *s = &r->samples[i];

		fprintf(f, "%s\n  [%u, %u, %u, %u, %.6g, %.6g, %.4f, %llu]", i ? "," : "", s->point,
			s->round, s->arm, s->pos, s->ops_per_s, s->ns_per_op, s->cpu_share_min,
			(unsigned long long)s->violations);
	}
	fputs("],\n \"faultline_describe\": ", f);
	fl_describe_print_json(f);
	fputs("}\n", f);
}

static int save(const char *path, const struct pair_options *po, const struct pair_params *p,
		const struct pair_result *r, const struct fl_placement *pl, char *err, size_t n)
{
	char tmp[4096];
	FILE *f = fl_json_begin(path, tmp, sizeof(tmp), err, n);

	if (!f)
		return -1;
	write_json(f, po, p, r, pl);
	return fl_json_commit(f, tmp, path, err, n);
}

static int setup(struct pair_options *po, struct pair_params *p, const struct fl_placement *pl,
		 char *err, size_t n)
{
	unsigned m, c;

	/* An unwritable --json fails now, not after the budget is spent. */
	if (po->o.json) {
		char tmp[4096];
		FILE *f = fl_json_begin(po->o.json, tmp, sizeof(tmp), err, n);

		if (!f)
			return -1;
		fclose(f);
		remove(tmp);
	}

	if (po->nr_arms < 2) {
		snprintf(err, n, "--strategy needs a base and at least one more (e.g. dep,wmb-rmb)");
		return -1;
	}
	if (!po->o.nr_mixes)
		fl_opt_mixes(NULL, "all", &po->o, err, n);
	if (fl_check_cpus(&po->o, pl->nr_cpus, err, n))
		return -1;
	memset(p, 0, sizeof(*p));
	memcpy(p->arms, po->arms, sizeof(p->arms));
	p->nr_arms = po->nr_arms;
	for (m = 0; m < po->o.nr_mixes; m++) {
		for (c = 0; c < po->o.nr_cpus; c++) {
			if (p->nr_points == PAIR_MAX_POINTS) {
				snprintf(err, n, "too many points (at most %d mixes x CPU counts)",
					 PAIR_MAX_POINTS);
				return -1;
			}
			p->points[p->nr_points].mix = po->o.mixes[m];
			p->points[p->nr_points++].cpus = po->o.cpus[c];
		}
	}
	for (c = 0; c < p->nr_arms; c++) {
		if (p->arms[c].s->kind == STRAT_BASELINE && po->o.cpus[po->o.nr_cpus - 1] > 1) {
			snprintf(err, n, "baseline is single-threaded: use --cpus=1 with it");
			return -1;
		}
	}
	p->design = strcmp(po->design, "sequential") ? PAIR_PAIRED : PAIR_SEQUENTIAL;
	if (po->duet && p->design != PAIR_PAIRED) {
		snprintf(err, n, "--duet is for the paired design");
		return -1;
	}
	if (po->duet && pl->nr_cpus < 2) {
		snprintf(err, n, "--duet needs two usable CPUs, this process has %u", pl->nr_cpus);
		return -1;
	}
	p->duet = po->duet;
	p->window_s = po->window;
	p->budget_s = po->budget;
	p->seed = po->o.seed;
	p->slots = po->o.slots;
	p->lock = (enum fl_lock)fl_lock_find(po->o.lock);
	p->place = pl;
	p->stop = &interrupted;
	p->quiet = po->o.quiet;
	/* The +perf arms count what this machine can count (perf.h). */
	for (c = 0; c < p->nr_arms && !p->arms[c].perf; c++)
		;
	if (c < p->nr_arms) {
		static struct fl_perf perf;

		if (fl_perf_probe(&perf, true, getenv("FAULTLINE_PERF_FAIL"), err, n))
			return -1;
		p->perf = &perf;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct pair_options po, defaults;
	static struct pair_params p;
	struct pair_result r;
	struct fl_placement pl, pl2;
	char err[512] = "";
	int status = 0, e;

	memset(&pl, 0, sizeof(pl));
	memset(&r, 0, sizeof(r));
	fl_options_init(&po.o);
	po.window = 0.02;
	po.budget = 60;
	po.design = designs[0];
	defaults = po;
	if (fl_cli_parse(&cmd, argc, argv, &po, err, sizeof(err))) {
		status = EXIT_USAGE;
	} else if (po.o.help) {
		usage(stdout, &defaults);
	} else if (fl_placement_init(&pl, po.o.placement, err, sizeof(err)) ||
		   setup(&po, &p, &pl, err, sizeof(err))) {
		status = EXIT_USAGE;
	} else {
		pl2 = pl;	/* the duet's other side: the first two CPUs swapped */
		pl2.os_index = p.duet ? malloc(pl.nr_cpus * sizeof(int)) : NULL;
		if (pl2.os_index) {
			memcpy(pl2.os_index, pl.os_index, pl.nr_cpus * sizeof(int));
			pl2.os_index[0] = pl.os_index[1];
			pl2.os_index[1] = pl.os_index[0];
			p.place2 = &pl2;
		}
		signal(SIGINT, on_sigint);
		e = p.duet && !pl2.os_index ? -ENOMEM : pair_run(&p, &r);
		free(pl2.os_index);
		if (e) {
			snprintf(err, sizeof(err), "a window failed: %s", strerror(-e));
			status = EXIT_RUN;
		} else if (po.o.json && save(po.o.json, &po, &p, &r, &pl, err, sizeof(err))) {
			status = EXIT_USAGE;
		} else if (r.interrupted) {
			snprintf(err, sizeof(err), "interrupted after %u rounds%s%s", r.rounds,
				 po.o.json ? "; kept in " : "", po.o.json ? po.o.json : "");
			status = EXIT_INTR;
		} else if (!po.o.json) {
			write_json(stdout, &po, &p, &r, &pl);
		}
	}
	pair_result_fini(&r);
	fl_placement_fini(&pl);
	fl_options_fini(&po.o);
	if (status)
		fprintf(stderr, "faultline-pair: %s: %s\n",
			status == EXIT_INTR ? "stopped" : "error", err);
	return status;
}
