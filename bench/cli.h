/* SPDX-License-Identifier: GPL-2.0 */
/* Command line of build/faultline. Our flags are parsed here; every
 * --benchmark_* flag is left for Google Benchmark. */
#ifndef FL_BENCH_CLI_H
#define FL_BENCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "workload.h"

#define FL_MAX_POINTS	64
#define FL_MAX_THREADS	4096

struct fl_options {
	const struct strategy *strategies[32];
	unsigned nr_strategies;
	const struct fl_mix *mixes[8];
	unsigned nr_mixes;
	bool overhead;			/* also time an empty benchmark body */
	unsigned cpus[FL_MAX_POINTS];
	unsigned nr_cpus;
	double duration;
	const char *json;
	const char *placement;
	unsigned long slots;
	bool clear_page, oversubscribe, quiet, list, help;
	uint64_t seed;
	bool gb_min_time;		/* the user set --benchmark_min_time */
	bool gb_out;			/* the user set --benchmark_out */
	int gb_argc;			/* argv[0] and the --benchmark_* flags */
	char **gb_argv;
};

int fl_parse_args(int argc, char **argv, struct fl_options *o, char *err, size_t errlen);
void fl_options_fini(struct fl_options *o);
/* Fill in CPU counts if none were given, then check them against avail. */
int fl_check_cpus(struct fl_options *o, unsigned avail, char *err, size_t errlen);
void fl_usage(FILE *f);
void fl_list(FILE *f);

#endif /* FL_BENCH_CLI_H */
