// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-lockbench: the raw lock+unlock rate of each lock flavour
 * (sync/locks/) at each thread count, lockhammer's -c 0 -p 0: an empty
 * critical section and no work between acquisitions, threads pinned one
 * per CPU, time-based windows, repetitions as the outer loop (pass 1 runs
 * every point once, then pass 2, as the sweep does). JSON out (locks.json
 * in make bench), written whole at the end or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fl_build.h"	/* generated: FL_GIT_REV */
#include "../strategies/verdict.h"	/* json_print_string() */
#include "cli.h"
#include "lockbench.h"
#include "sysinfo.h"

#define EXIT_RUN	1
#define EXIT_USAGE	2

struct lb_options {
	struct fl_options o;	/* first: the shared kinds write into it */
	bool locks[FL_NR_LOCKS];
	bool any_lock;
	unsigned repetitions;
};

static int lock_item(const struct fl_opt *opt, const char *item, void *obj, char *err, size_t n)
{
	struct lb_options *lo = obj;
	int k = fl_lock_find(item);
	const char *scratch;

	if (k < 0) {
		struct fl_opt o = *opt;

		o.off = 0;
		return fl_opt_choice(&o, item, &scratch, err, n);	/* its message */
	}
	lo->locks[k] = lo->any_lock = true;
	return 0;
}

static int parse_locks(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	return fl_opt_each(opt, val, obj, err, n, lock_item);
}

#define O(field)	offsetof(struct lb_options, field)
static const struct fl_opt options[] = {
	{ .name = "lock", .metavar = "LIST", .parse = parse_locks, .choices = fl_lock_names,
	  .help = "comma list of flavours: qspinlock, ticket, tas, pthread (default all)" },
	FL_OPT_CPUS(struct lb_options, o.cpus, o.nr_cpus,
		    "thread counts, e.g. 1,2 (default 1,2,4,..,N and N, N = usable CPUs);\n"
		    "one thread pinned per CPU"),
	FL_OPT_FLAG("oversubscribe", struct lb_options, o.oversubscribe,
		    "allow more threads than CPUs"),
	FL_OPT_DURATION(struct lb_options, o.duration, "SECONDS", "one window"),
	FL_OPT_UNSIGNED("repetitions", struct lb_options, repetitions, 1, 1000,
			"passes over every point (the outer loop)"),
	FL_OPT_PLACEMENT(struct lb_options, o.placement,
			 "compact (default) or scatter: the order threads are pinned to CPUs"),
	FL_OPT_JSON(struct lb_options, o.json,
		    "write locks.json to FILE (whole at the end, or not at all)"),
	FL_OPT_FLAG("quiet", struct lb_options, o.quiet, "no progress lines on stderr"),
	FL_OPT_HELP(struct lb_options, o.help),
};
#undef O

static const struct fl_cmd cmd = { "faultline-lockbench", options, ARRAY_SIZE(options) };

struct row {
	enum fl_lock lock;
	unsigned threads, rep;
	struct lb_result r;
};

static void write_row(FILE *f, const struct row *w)
{
	unsigned i;

	fprintf(f, "  {\"lock\": \"%s\", \"threads\": %u, \"rep\": %u, \"ops\": %llu, "
		"\"wall_s\": %.6f, \"cpu_s\": %.6f, \"mops_per_s\": %.4f, \"per_thread_ops\": [",
		fl_lock_names[w->lock], w->threads, w->rep, (unsigned long long)w->r.ops,
		w->r.wall_s, w->r.cpu_s, w->r.wall_s > 0 ? (double)w->r.ops / w->r.wall_s / 1e6 : 0);
	for (i = 0; i < w->threads; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)w->r.th[i].ops);
	fputs("]}", f);
}

static void write_json(FILE *f, const struct lb_options *lo, const struct fl_placement *pl,
		       const struct row *rows, unsigned n)
{
	struct fl_sysinfo si;
	unsigned i;

	fl_sysinfo_read(&si);
	fputs("{\"faultline_lockbench\": 1, \"context\": {\"faultline_git_rev\": ", f);
	json_print_string(f, FL_GIT_REV);
	fputs(", \"faultline_cflags\": ", f);
	json_print_string(f, FL_CFLAGS);
	fputs(", \"host_name\": ", f);
	json_print_string(f, si.host);
	fputs(", \"arch\": ", f);
	json_print_string(f, si.arch);
	fputs(", \"cpu_model\": ", f);
	json_print_string(f, si.cpu_model);
	fputs(", \"kernel\": ", f);
	json_print_string(f, si.kernel);
	fprintf(f, ", \"usable_cpus\": %u, \"placement\": ", pl->nr_cpus);
	json_print_string(f, pl->policy);
	fputs(", \"placement_effective\": ", f);
	json_print_string(f, pl->effective);
	fputs(", \"placement_note\": ", f);
	json_print_string(f, pl->note);
	fputs(", \"cpu_order\": [", f);
	for (i = 0; i < pl->nr_cpus; i++)
		fprintf(f, "%s%d", i ? ", " : "", pl->os_index[i]);
	fprintf(f, "]},\n \"parameters\": {\"duration_s\": %g, \"repetitions\": %u, "
		"\"critical_ns\": 0, \"parallel_ns\": 0, \"poll_pairs\": %d, \"threads\": [",
		lo->o.duration, lo->repetitions, LB_POLL);
	for (i = 0; i < lo->o.nr_cpus; i++)
		fprintf(f, "%s%u", i ? ", " : "", lo->o.cpus[i]);
	fputs("]},\n \"method\": ", f);
	json_print_string(f, "spin_lock(); spin_unlock(); on one spinlock_t, an empty critical "
			  "section and no work between (lockhammer -c 0 -p 0); mops_per_s: all "
			  "threads' pairs over the first start to the last end, in millions");
	fputs(",\n \"rows\": [\n", f);
	for (i = 0; i < n; i++) {
		write_row(f, &rows[i]);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs(" ]}\n", f);
}

static void usage(FILE *f, const struct lb_options *d)
{
	fl_cli_synopsis(&cmd, f);
	fputs("\nThe raw lock+unlock rate of each lock flavour of the model (docs/design.md,\n"
	      "\"Lock flavours\"): lockhammer's -c 0 -p 0, per flavour and thread count.\n", f);
	fl_cli_help(&cmd, d, f);
	fputs("Exit status: 0 ok, 1 a thread could not start or be pinned, 2 bad usage or\n"
	      "unwritable output.\n", f);
}

static int sweep(const struct lb_options *lo, const struct fl_placement *pl, struct row *rows,
		 unsigned *n, char *err, size_t errlen)
{
	unsigned rep, k, c;
	int e;

	*n = 0;
	for (rep = 1; rep <= lo->repetitions; rep++) {
		for (k = 0; k < FL_NR_LOCKS; k++) {
			if (!lo->locks[k])
				continue;
			for (c = 0; c < lo->o.nr_cpus; c++) {
				struct row *w = &rows[(*n)++];
				struct lb_job j = { (enum fl_lock)k, lo->o.cpus[c], lo->o.duration, pl };

				w->lock = (enum fl_lock)k;
				w->threads = j.threads;
				w->rep = rep;
				if ((e = lb_run(&j, &w->r))) {
					snprintf(err, errlen, "%s at %u threads: %s", fl_lock_names[k],
						 j.threads, strerror(-e));
					return -1;
				}
				if (!lo->o.quiet)
					fprintf(stderr, "faultline-lockbench: pass %u/%u %-9s %2u threads "
						"%8.2f M lock+unlock/s\n", rep, lo->repetitions,
						fl_lock_names[k], j.threads,
						(double)w->r.ops / w->r.wall_s / 1e6);
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct lb_options lo, defaults;
	struct fl_placement pl;
	struct row *rows = NULL;
	char err[512] = "", tmp[4096];
	unsigned n = 0, k, c;
	int status = 0;
	FILE *f = NULL;

	memset(&pl, 0, sizeof(pl));
	fl_options_init(&lo.o);
	lo.o.duration = 0.5;
	lo.repetitions = 5;
	defaults = lo;
	if (fl_cli_parse(&cmd, argc, argv, &lo, err, sizeof(err))) {
		status = EXIT_USAGE;
	} else if (lo.o.help) {
		usage(stdout, &defaults);
	} else if (fl_placement_init(&pl, lo.o.placement, err, sizeof(err)) ||
		   fl_check_cpus(&lo.o, pl.nr_cpus, err, sizeof(err))) {
		status = EXIT_USAGE;
	} else if (lo.o.json && !(f = fl_json_begin(lo.o.json, tmp, sizeof(tmp), err, sizeof(err)))) {
		status = EXIT_USAGE;	/* an unwritable --json fails now, not at the end */
	} else {
		if (f) {
			fclose(f);
			remove(tmp);
		}
		if (!lo.any_lock)
			for (k = 0; k < FL_NR_LOCKS; k++)
				lo.locks[k] = true;
		for (c = 0; c < lo.o.nr_cpus; c++)
			if (lo.o.cpus[c] > LB_MAX_THREADS) {
				snprintf(err, sizeof(err), "at most %d threads", LB_MAX_THREADS);
				status = EXIT_USAGE;
			}
		rows = calloc((size_t)lo.repetitions * FL_NR_LOCKS * lo.o.nr_cpus, sizeof(*rows));
		if (!status && !rows) {
			snprintf(err, sizeof(err), "out of memory");
			status = EXIT_RUN;
		}
		if (!status && sweep(&lo, &pl, rows, &n, err, sizeof(err)))
			status = EXIT_RUN;
		else if (!status && !lo.o.json)
			write_json(stdout, &lo, &pl, rows, n);
		else if (!status && !(f = fl_json_begin(lo.o.json, tmp, sizeof(tmp), err, sizeof(err))))
			status = EXIT_USAGE;
		else if (!status) {
			write_json(f, &lo, &pl, rows, n);
			if (fl_json_commit(f, tmp, lo.o.json, err, sizeof(err)))
				status = EXIT_USAGE;
		}
	}
	free(rows);
	fl_placement_fini(&pl);
	fl_options_fini(&lo.o);
	if (status)
		fprintf(stderr, "faultline-lockbench: error: %s\n", err);
	return status;
}
