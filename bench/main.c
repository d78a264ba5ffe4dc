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

int main(int argc, char **argv)
{
	static char out_arg[4200], min_time_arg[64];
	struct fl_options o;
	struct fl_placement p;
	struct fl_sysinfo si;
	char err[512];

	if (fl_parse_args(argc, argv, &o, err, sizeof(err)))
		return die(2, err);
	if (o.help) {
		fl_usage(stdout);
		return 0;
	}
	if (o.list) {
		fl_list(stdout);
		return 0;
	}
	if (fl_placement_init(&p, o.placement, err, sizeof(err)))
		return die(2, err);
	if (fl_check_cpus(&o, p.nr_cpus, err, sizeof(err)))
		return die(2, err);
	if (o.json) {
		if (prepare_output(o.json, err, sizeof(err)))
			return die(2, err);
		snprintf(out_arg, sizeof(out_arg), "--benchmark_out=%s", partial);
		o.gb_argv[o.gb_argc++] = out_arg;
		o.gb_argv[o.gb_argc++] = "--benchmark_out_format=json";
	}
	/* One window per repetition: the window is the iteration, so the
	 * minimum time must not ask Google Benchmark for more of them. */
	if (!o.gb_min_time) {
		snprintf(min_time_arg, sizeof(min_time_arg), "--benchmark_min_time=%g",
			 o.duration * 0.5);
		o.gb_argv[o.gb_argc++] = min_time_arg;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (gb_init(&o.gb_argc, o.gb_argv))
		return die(2, "unrecognised --benchmark_ flag");
	fl_sysinfo_read(&si);
	fl_harness_context(&o, &p, &si);
	if (fl_harness_register(&o, &p))
		return die(1, "out of memory");
	gb_run();
	gb_shutdown();
	if (fl_harness_failures()) {
		snprintf(err, sizeof(err), "%u run(s) failed; no result written", fl_harness_failures());
		return die(1, err);
	}
	if (o.json && rename(partial, o.json)) {
		snprintf(err, sizeof(err), "cannot write %s: %s", o.json, strerror(errno));
		return die(2, err);
	}
	fl_placement_fini(&p);
	return 0;
}
