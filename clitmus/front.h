/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two front-ends share (files.c): the test files among the
 * arguments, and parsing every one before anything runs, so that a bad
 * file is one line and exit 2 with nothing written; and the emulator
 * front-end's entry (emu_front.c), called by faultline-emu --litmus.
 */
#ifndef FL_CLITMUS_FRONT_H
#define FL_CLITMUS_FRONT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "litmus.h"
#include "../strategies/verdict.h"	/* NR_MACHINES */

#define LT_MAX_FILES	1024

struct lt_args {
	const char *files[LT_MAX_FILES];
	unsigned nfiles;
	char *argv[LT_MAX_FILES + 64];	/* argv[0] and the options, for fl_cli_parse() */
	int argc;
	char bare[LT_NAME];		/* "--NAME", what --NAME=FILE becomes */
};

/*
 * Split argv: the arguments that do not start with '-' are files, and so
 * is the value of every "--NAME=FILE" (rewritten as a bare "--NAME" in
 * a->argv; name NULL: none); the rest are options. argv is not written.
 * -1 with one line in err: too many files, or an empty --NAME=.
 */
int lt_split_args(int argc, char **argv, const char *name, struct lt_args *a, char *err,
		  size_t errlen);

/* Parse every file; -1 at the first error, its one line in err. */
int lt_parse_all(const char *const *files, unsigned n, struct lt_test **tests, char *err,
		 size_t errlen);
void lt_free_all(struct lt_test **tests, unsigned n);

double lt_now(void);	/* seconds, monotonic */

/* faultline-emu --litmus FILE... */
struct lt_emu_opts {
	const char *const *files;
	unsigned nfiles;
	bool models[NR_MACHINES];
	unsigned seeds;			/* seeds 1..seeds */
	bool one_seed;			/* replay seed alone */
	uint64_t seed;
	bool trace;
	const char *json;
};

/* Exit status: 0 ran, 1 the emulator failed, 2 bad input (one line on stderr). */
int lt_emu_main(const struct lt_emu_opts *o);

#endif /* FL_CLITMUS_FRONT_H */
