// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-soak: the native half of `make soak` (scripts/soak runs
 * it, then the emulated controls). Parses the command line, pins nothing
 * itself (the workload driver pins each window's threads by --placement),
 * stops at the end of the current round on SIGINT/SIGTERM, and rewrites
 * --json whole after every round, so an interrupted soak keeps every
 * finished round and never leaves half a file.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "soak.h"

#define EXIT_USAGE		2
#define EXIT_INTERRUPTED	130

/*
 * jemalloc's configuration (its malloc_conf symbol, read when it starts; the
 * sanitizer builds, without jemalloc, ignore it): no thread caches, one
 * arena, freed pages returned at once. Then the resident set is what is
 * live, not where a per-thread cache or a decay timer happened to be: its
 * spread over a soak here fell from 8-10% to under 0.2% (docs/design.md,
 * "Soak", has the measurements).
 */
const char *malloc_conf = FL_SOAK_MALLOC_CONF;

/* Set by the signal handler, read between rounds. */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

#define O(field)	offsetof(struct soak_options, field)
static const struct fl_opt options[] = {
	FL_OPT_STRATEGIES(struct soak_options, o.strategies, o.nr_strategies,
			  "names, all, correct or control (default correct)"),
	{ .name = "mix", .metavar = "LIST", .parse = fl_opt_mixes,
	  .help = "comma list of gup,fault,read,publish, or all (default all)" },
	{ .name = "duration", .metavar = "SECONDS", .parse = fl_opt_double,
	  .show = fl_opt_show_double, .off = O(total_s), .dlo = 0.01, .dhi = 7 * 86400.0,
	  .help = "soak time: rounds start until this much has passed" },
	{ .name = "window", .metavar = "SECONDS", .parse = fl_opt_double,
	  .show = fl_opt_show_double, .off = O(window_s), .dlo = 0.001, .dhi = 3600,
	  .help = "one round: a window of one strategy on one mix" },
	FL_OPT_UNSIGNED("oversubscription", struct soak_options, factor, 1, 64,
			"threads = this x the CPUs this process may use"),
	FL_OPT_PLACEMENT(struct soak_options, o.placement,
			 ":\nthe order threads are pinned to CPUs (thread t: the t mod N-th)"),
	FL_OPT_SEED(struct soak_options, o.seed, "reader slot seed of round 1 (round k: seed+k-1)",
		    true),
	FL_OPT_JSON(struct soak_options, o.json,
		    "write soak.json to FILE, whole, after every round"),
	FL_OPT_UNSIGNED("leak-kib", struct soak_options, leak_kib, 0, 1u << 20,
			"test only: keep N KiB more memory every round (the flatness\n"
			"check's negative control)"),
	FL_OPT_UNSIGNED("inject-violation", struct soak_options, inject_round, 0, 1u << 30,
			"test only: round N reports one violation, marked injected (the\n"
			"violations check's negative control; 0: none)"),
	FL_OPT_FLAG("quiet", struct soak_options, o.quiet, "no progress line per round on stderr"),
	FL_OPT_FLAG("list", struct soak_options, o.list, "list the strategies"),
	FL_OPT_HELP(struct soak_options, o.help),
};
#undef O

static const struct fl_cmd cmd = {
	.prog = "faultline-soak", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

static void defaults(struct soak_options *so)
{
	memset(so, 0, sizeof(*so));
	fl_options_init(&so->o);
	so->total_s = 600;
	so->window_s = 0.5;
	so->factor = 2;
}

static void usage(FILE *f)
{
	struct soak_options d;

	defaults(&d);
	fl_cli_synopsis(&cmd, f);
	fprintf(f,
"\n"
"Runs rounds in this one process until --duration has passed: round k is one\n"
"window of the workload driver (as faultline's benchmarks) for one strategy and\n"
"mix, with --oversubscription x N threads (N = CPUs this process may use); a pass\n"
"is every strategy x mix once. After each round it reads its own resident set\n"
"(/proc/self/statm). Resident memory is flat when, over the rounds after the first\n"
"%d pass(es), max/min - 1 <= %g (at least %d samples). scripts/soak (make soak) runs\n"
"this and then checks the controls under emulation.\n"
"\n", FL_SOAK_WARMUP_PASSES, FL_SOAK_RSS_TOLERANCE, FL_SOAK_MIN_SAMPLES);
	fl_cli_help(&cmd, &d, f);
	fprintf(f,
"\n"
"Ctrl-C or SIGTERM: stop at the end of the current round, write what was measured\n"
"(marked interrupted), exit 130. The checks (0 violations, flat) are soak.json's\n"
"summary; this binary reports them, scripts/soak judges them.\n"
"Exit status: 0 ran to the end, 130 interrupted, 2 bad usage or unwritable output,\n"
"1 a window failed.\n");
}

static int save(struct soak *sk)
{
	char tmp[4200], err[512];
	FILE *f;

	if (!sk->so->o.json)
		return 0;
	f = fl_json_begin(sk->so->o.json, tmp, sizeof(tmp), err, sizeof(err));
	if (!f)
		goto fail;
	fl_soak_print_json(sk, f);
	if (!fl_json_commit(f, tmp, sk->so->o.json, err, sizeof(err)))
		return 0;
fail:
	fprintf(stderr, "faultline-soak: error: %s\n", err);
	return -EIO;
}

static int parse_args(int argc, char **argv, struct soak_options *so, char *err, size_t n)
{
	unsigned i, nr = 0;
	int r;

	defaults(so);
	if ((r = fl_cli_parse(&cmd, argc, argv, so, err, n)))
		return r;
	for (i = 0; !so->o.nr_strategies && i < fl_nr_strategies; i++)
		if (fl_strategies[i]->kind == STRAT_CORRECT &&	/* the default: correct */
		    nr < ARRAY_SIZE(so->o.strategies))
			so->o.strategies[nr++] = fl_strategies[i];
	if (!so->o.nr_strategies)
		so->o.nr_strategies = nr;
	if (!so->o.nr_mixes)
		fl_opt_mixes(NULL, "all", so, err, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct soak_options so;
	struct fl_placement pl;
	struct soak sk;
	struct sigaction sa;
	char err[512] = "";
	int r, status = 0;
	unsigned i;

	memset(&pl, 0, sizeof(pl));
	memset(&sk, 0, sizeof(sk));
	if (parse_args(argc, argv, &so, err, sizeof(err))) {
		fprintf(stderr, "faultline-soak: error: %s\n", err);
		return EXIT_USAGE;
	}
	if (so.o.help) {
		usage(stdout);
		return 0;
	}
	if (so.o.list) {
		fl_cli_list_strategies(stdout);
		return 0;
	}
	for (i = 0; i < so.o.nr_strategies; i++) {
		if (so.o.strategies[i]->kind == STRAT_BASELINE) {
			fprintf(stderr, "faultline-soak: error: %s is single-threaded by "
				"definition; the soak runs %u threads per CPU\n",
				so.o.strategies[i]->name, so.factor);
			return EXIT_USAGE;
		}
	}
	if (fl_placement_init(&pl, so.o.placement, err, sizeof(err))) {
		fprintf(stderr, "faultline-soak: error: %s\n", err);
		return EXIT_USAGE;
	}
	sk.so = &so;
	sk.pl = &pl;
	fl_sysinfo_read(&sk.si);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* An unwritable --json is a usage error before the first round. */
	if (save(&sk)) {
		status = EXIT_USAGE;
		goto out;
	}
	r = fl_soak_run(&sk, &stop_requested, save);
	sk.complete = !r && !sk.interrupted;
	if (r)
		fprintf(stderr, "faultline-soak: error: round %u: %s\n", sk.nr_rounds + 1,
			strerror(-r));
	if (save(&sk))
		status = EXIT_USAGE;
	else if (r)
		status = 1;
	else if (sk.interrupted)
		status = EXIT_INTERRUPTED;
	if (!so.o.quiet)
		fprintf(stderr, "soak: %u rounds, %u passes, %llu ops, %llu violations, "
			"rss %llu..%llu KiB after warm-up (%s)%s\n", sk.sum.rounds, sk.sum.passes,
			(unsigned long long)sk.sum.ops, (unsigned long long)sk.sum.violations,
			(unsigned long long)sk.sum.rss_min_kib,
			(unsigned long long)sk.sum.rss_max_kib,
			sk.sum.flat < 0 ? "too few samples" : sk.sum.flat ? "flat" : "NOT flat",
			sk.interrupted ? "; interrupted" : "");
out:
	fl_soak_fini(&sk);
	fl_placement_fini(&pl);
	return status;
}
