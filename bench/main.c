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
#include "gb.h"
#include "harness.h"

static char partial[4096];

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
	struct fl_sysinfo si;

	if (fl_check_cpus(o, p->nr_cpus, err, n))
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
	fl_harness_context(o, p, &si);
	if (fl_harness_register(o, p)) {
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
	if (fl_parse_args(argc, argv, &o, err, sizeof(err)))
		status = 2;
	else if (o.help)
		fl_usage(stdout);
	else if (o.list)
		fl_list(stdout);
	else if (fl_placement_init(&p, o.placement, err, sizeof(err)))
		status = 2;
	else
		status = run(&o, &p, err, sizeof(err));
	fl_harness_release();
	fl_placement_fini(&p);
	fl_options_fini(&o);
	return status ? die(status, err) : 0;
}
