// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline: parse our flags, check the output can be written, hand
 * the rest to Google Benchmark, and publish the JSON only once it is whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "describe.h"
#include "gb.h"
#include "harness.h"

static char partial[4096];

static void list(FILE *f)
{
	unsigned i;

	fl_cli_list_strategies(f);
	fprintf(f, "mixes:\n");
	for (i = 0; i < fl_nr_mixes; i++)
		fprintf(f, "  %-16s %s\n", fl_mixes[i].name, fl_mixes[i].desc);
}

/* The option kinds only faultline takes. */
static int parse_slots(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	unsigned long u;

	(void)opt;
	if (fl_parse_ulong(val, 2, FL_MAX_PAGES, &u) || (u & (u - 1))) {
		snprintf(err, n, "bad slot count '%.100s' (a power of two, 2..%lu)", val,
			 FL_MAX_PAGES);
		return -EINVAL;
	}
	((struct fl_options *)obj)->slots = u;
	return 0;
}

static void show_slots(const struct fl_opt *opt, const void *obj, char *buf, size_t len)
{
	(void)opt;
	snprintf(buf, len, "%lu", ((const struct fl_options *)obj)->slots);
}

/* --benchmark_*: the whole argument goes to Google Benchmark. */
static int gb_flag(const struct fl_opt *opt, const char *arg, void *obj, char *err, size_t n)
{
	struct fl_options *o = obj;

	(void)opt, (void)err, (void)n;
	o->gb_min_time |= !strncmp(arg, "--benchmark_min_time", 20);
	o->gb_out |= !strncmp(arg, "--benchmark_out=", 16);
	o->gb_argv[o->gb_argc++] = (char *)arg;
	return 0;
}

static const char *const describe_formats[] = { "json", NULL };
static const char *const on_off[] = { "on", "off", NULL };
static const char *const ptl_modes[] = { "split", "mm", NULL };

/* --perf's default: on, as counting costs less than 1% here (docs/design.md §9). */
#define FL_PERF_DEFAULT	"on"

#define O(field)	offsetof(struct fl_options, field)
static const struct fl_opt options[] = {
	FL_OPT_FLAG("list", struct fl_options, list, "list strategies and mixes, then exit"),
	{ .name = "describe", .metavar = "json", .parse = fl_opt_choice, .off = O(describe),
	  .choices = describe_formats,
	  .help = "print the strategies, mixes, shapes, models, counters and\n"
		  "thresholds as JSON (what the tools read), then exit" },
	FL_OPT_STRATEGIES(struct fl_options, strategies, nr_strategies,
			  "comma list of names, or all|correct|control (default all)"),
	{ .name = "mix", .metavar = "LIST", .parse = fl_opt_mixes,
	  .help = "comma list of gup,fault,read,publish, or all (default all)" },
	FL_OPT_CPUS(struct fl_options, cpus, nr_cpus,
		    "thread counts, e.g. 1,2,4 or 1-8 (default 1,2,4,..,N and N,\n"
		    "N = CPUs this process may use); one thread pinned per CPU"),
	FL_OPT_FLAG("oversubscribe", struct fl_options, oversubscribe,
		    "allow more threads than CPUs (results are marked)"),
	FL_OPT_PLACEMENT(struct fl_options, placement,
			 ""),
	FL_OPT_FLAG("show-placement", struct fl_options, show_placement,
		    "print the placement (--placement) as JSON, then exit; nothing is pinned"),
	{ .name = "topology", .metavar = "DESC", .parse = fl_opt_string, .off = O(topology),
	  .help = "with --show-placement: an hwloc synthetic topology instead of this\n"
		  "machine's, e.g. \"pack:2 core:2 pu:2\"" },
	FL_OPT_DURATION(struct fl_options, duration, "SECONDS",
			"measurement window per repetition"),
	{ .name = "slots", .metavar = "N", .parse = parse_slots, .show = show_slots,
	  .help = "pte slots in the model, a power of two" },
	FL_OPT_FLAG("clear-page", struct fl_options, clear_page,
		    "clear the whole 4 KiB page on each fault, as the kernel does"),
	{ .name = "ptl", .metavar = "split|mm", .parse = fl_opt_choice, .off = O(ptl),
	  .choices = ptl_modes,
	  .help = "pte locks: split, one per page table of 512 slots, as the kernel\n"
		  "has had them since 2.6.15 (default); mm, every pte under\n"
		  "mm->page_table_lock, as before" },
	FL_OPT_LOCK(struct fl_options, lock,
		    "the model's lock flavour, every spinlock_t: qspinlock, the\n"
		    "kernel's queued spinlock (default); ticket; tas; pthread (a mutex)"),
	FL_OPT_FLAG("overhead", struct fl_options, overhead,
		    "also time an empty benchmark body (harness overhead)"),
	{ .name = "perf", .metavar = "on|off", .parse = fl_opt_choice, .off = O(perf),
	  .choices = on_off,
	  .help = "count perf events per thread over each window (cycles, instructions,\n"
		  "cache and branch misses where the CPU has them; task-clock, context\n"
		  "switches, migrations, page faults always) (default " FL_PERF_DEFAULT ")" },
	FL_OPT_JSON(struct fl_options, json,
		    "write Google Benchmark JSON plus faultline context to FILE\n"
		    "(written whole at the end, or not at all)"),
	FL_OPT_SEED(struct fl_options, seed, "reader slot sequence seed", true),
	FL_OPT_FLAG("quiet", struct fl_options, quiet, "no per-run progress lines on stderr"),
	FL_OPT_HELP(struct fl_options, help),
	{ .name = "benchmark_", .prefix = true, .parse = gb_flag,
	  .help = "passed to Google Benchmark, e.g. --benchmark_repetitions=5,\n"
		  "--benchmark_filter=REGEX" },
};
#undef O

static const struct fl_cmd cmd = {
	.prog = "faultline", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

static void usage(FILE *f)
{
	struct fl_options d;

	fl_options_init(&d);
	fprintf(f,
"usage: faultline [options] [--benchmark_* flags]\n"
"\n"
"Measures, for each synchronisation strategy, the throughput and correctness of a\n"
"kernel-shaped page-fault publisher and lockless GUP reader across CPU counts.\n"
"\n");
	fl_cli_help(&cmd, &d, f);
	fprintf(f,
"\n"
"Benchmarks are named <mix>/<strategy>/manual_time/threads:N.\n"
"Exit status: 0 ok, 2 bad usage or unwritable output, 1 a run failed.\n");
}

static int parse_args(int argc, char **argv, struct fl_options *o, char *err, size_t n)
{
	int r;

	fl_options_init(o);
	o->perf = FL_PERF_DEFAULT;
	o->gb_argv = calloc((size_t)argc + 4, sizeof(char *));
	if (!o->gb_argv) {
		snprintf(err, n, "out of memory");
		return -ENOMEM;
	}
	o->gb_argv[o->gb_argc++] = argv[0];
	if ((r = fl_cli_parse(&cmd, argc, argv, o, err, n)))
		return r;
	fl_strategies_default(o->strategies, &o->nr_strategies, ARRAY_SIZE(o->strategies));
	if (!o->nr_mixes)
		fl_opt_mixes(NULL, "all", o, err, n);
	if (o->topology && !o->show_placement) {
		snprintf(err, n, "--topology needs --show-placement "
			 "(a synthetic topology is not pinned to)");
		return -EINVAL;
	}
	if (o->json && o->gb_out) {
		snprintf(err, n, "use --json or --benchmark_out, not both");
		return -EINVAL;
	}
	return 0;
}

static void on_signal(int sig)
{
	if (partial[0])
		unlink(partial);	/* async-signal-safe: no half-written result */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int die(int status, const char *msg)
{
	if (partial[0])
		unlink(partial);
	fprintf(stderr, "faultline: error: %s\n", msg);
	return status;
}

static int prepare_output(const char *json, char *err, size_t n)
{
	int fd;

	if ((size_t)snprintf(partial, sizeof(partial), "%s.partial", json) >= sizeof(partial)) {
		partial[0] = 0;
		snprintf(err, n, "output path too long");
		return -1;
	}
	fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		snprintf(err, n, "cannot write %s: %s", json, strerror(errno));
		partial[0] = 0;
		return -1;
	}
	close(fd);
	return 0;
}

/* Google Benchmark explains a malformed flag value in its own words before
 * we report it: keep it quiet so the error is one line, ours. */
static int gb_init_quiet(int *argc, char **argv)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY), r;

	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	r = gb_init(argc, argv);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return r;
}

/* Everything after the options and CPUs are known: returns the exit status. */
static int run(struct fl_options *o, const struct fl_placement *p, char *err, size_t n)
{
	static char out_arg[4200], min_time_arg[64];
	static struct fl_perf perf;	/* read by the benchmarks until exit */
	struct fl_sysinfo si;

	if (fl_check_cpus(o, p->nr_cpus, err, n))
		return 2;
	if (fl_perf_probe(&perf, !strcmp(o->perf, "on"), getenv("FAULTLINE_PERF_FAIL"), err, n))
		return 2;
	if (o->json) {
		if (prepare_output(o->json, err, n))
			return 2;
		snprintf(out_arg, sizeof(out_arg), "--benchmark_out=%s", partial);
		o->gb_argv[o->gb_argc++] = out_arg;
		o->gb_argv[o->gb_argc++] = "--benchmark_out_format=json";
	}
	/* One window per repetition: the window is the iteration, so the
	 * minimum time must not ask Google Benchmark for more of them. */
	if (!o->gb_min_time) {
		snprintf(min_time_arg, sizeof(min_time_arg), "--benchmark_min_time=%g",
			 o->duration * 0.5);
		o->gb_argv[o->gb_argc++] = min_time_arg;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (gb_init_quiet(&o->gb_argc, o->gb_argv)) {
		snprintf(err, n, "unknown or malformed Google Benchmark flag '%s'", o->gb_argv[1]);
		return 2;
	}
	fl_sysinfo_read(&si);
	fl_harness_context(o, p, &si, &perf);
	if (fl_harness_register(o, p, &perf)) {
		snprintf(err, n, "out of memory");
		return 1;
	}
	gb_run();
	gb_shutdown();
	if (fl_harness_failures()) {
		snprintf(err, n, "%u run(s) failed; no result written", fl_harness_failures());
		return 1;
	}
	if (o->json && rename(partial, o->json)) {
		snprintf(err, n, "cannot write %s: %s", o->json, strerror(errno));
		return 2;
	}
	partial[0] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	struct fl_options o;
	struct fl_placement p;
	char err[512] = "";
	int status = 0;

	memset(&p, 0, sizeof(p));
	if (parse_args(argc, argv, &o, err, sizeof(err)))
		status = 2;
	else if (o.help)
		usage(stdout);
	else if (o.describe)
		fl_describe_print_json(stdout);
	else if (o.list)
		list(stdout);
	else if (fl_placement_init_synthetic(&p, o.placement, o.topology, err, sizeof(err)))
		status = 2;
	else if (o.show_placement) {
		fl_placement_print_json(&p, stdout);
		putchar('\n');
	} else
		status = run(&o, &p, err, sizeof(err));
	fl_harness_release();
	fl_placement_fini(&p);
	fl_options_fini(&o);
	return status ? die(status, err) : 0;
}
