/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command lines of faultline, faultline-stress and faultline-emu: one option
 * table per binary, read by one parser (fl_cli_parse) and one help writer
 * (fl_cli_help). A row names the option, says whether it takes a value
 * (its metavar), gives its help text and how to parse it into the binary's
 * options struct; so flags, help and validation are each written once. The
 * kinds more than one binary takes (strategy lists, CPU lists, durations,
 * seeds, file names) are defined once here, as FL_OPT_* rows.
 *
 * The parser never writes into argv. Every bad input is one message in err
 * (the binary prints it on one line and exits 2): an unknown option, a flag
 * given a value, an option missing its value, an empty list element, a bad
 * number, or a row the binary marks as not supported (.unused).
 */
#ifndef FL_BENCH_CLI_H
#define FL_BENCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "workload.h"
#include "../sync/lock_flavour.h"

#define FL_MAX_POINTS	64
#define FL_MAX_THREADS	4096

struct fl_opt;

/*
 * Parse val (NULL for a flag; the whole argument for a .prefix row) into
 * the row's target in obj, the binary's options struct. 0, or -EINVAL
 * with one line in err.
 */
typedef int fl_opt_parse_fn(const struct fl_opt *opt, const char *val, void *obj,
			    char *err, size_t errlen);
/* Print the row's target in obj (the defaults) for "(default X)" in --help. */
typedef void fl_opt_show_fn(const struct fl_opt *opt, const void *obj, char *buf, size_t len);

struct fl_opt {
	const char *name;	/* "strategy": --strategy or --strategy=V */
	char short_name;	/* 'h': -h too; 0: none */
	bool prefix;		/* name is a prefix: --benchmark_* */
	const char *metavar;	/* the value in --help; NULL: a flag, takes no value */
	const char *help;	/* '\n' starts an indented line; NULL: not listed */
	const char *unused;	/* not supported here, and why: given, it is an error */
	fl_opt_parse_fn *parse;
	fl_opt_show_fn *show;	/* set: --help appends "(default X)" from the defaults */
	size_t off;		/* the target: offsetof() in the options struct */
	size_t off_nr;		/* lists: offsetof() of their unsigned element count */
	unsigned long lo, hi;	/* integers: the range; lists: hi is the capacity */
	double dlo, dhi;	/* doubles: the range */
	const char *const *choices;	/* fl_opt_choice: the values, NULL-terminated */
};

/* One binary's command line. */
struct fl_cmd {
	const char *prog;		/* in errors and --help */
	const struct fl_opt *opts;
	unsigned nr_opts;
};

int fl_cli_parse(const struct fl_cmd *cmd, int argc, char *const *argv, void *obj,
		 char *err, size_t errlen);
/* "usage: PROG [--a=X] [--b] ...", from the table, wrapped. */
void fl_cli_synopsis(const struct fl_cmd *cmd, FILE *f);
/*
 * One line (or more, for a help text with '\n') per listed row, then the
 * rows marked .unused as one "Rejected, ..." line. defaults: the options
 * struct as the binary initialises it, for the rows with .show; or NULL.
 */
void fl_cli_help(const struct fl_cmd *cmd, const void *defaults, FILE *f);
/*
 * Result files, whole or not at all: fl_json_begin() opens PATH.partial
 * (its name into tmp), fl_json_commit() closes it and renames it to PATH,
 * removing it on any failure. NULL / -1 with one line in err.
 */
FILE *fl_json_begin(const char *path, char *tmp, size_t tmplen, char *err, size_t errlen);
int fl_json_commit(FILE *f, const char *tmp, const char *path, char *err, size_t errlen);

/* --list: "strategies:" and one line per strategy (name, kind, description). */
void fl_cli_list_strategies(FILE *f);

/* The kinds. */
fl_opt_parse_fn fl_opt_flag;		/* bool, set to true */
fl_opt_parse_fn fl_opt_unsigned;	/* unsigned, lo..hi */
fl_opt_parse_fn fl_opt_u64;		/* uint64_t, 0..UINT64_MAX */
fl_opt_parse_fn fl_opt_double;		/* double, dlo..dhi */
fl_opt_parse_fn fl_opt_string;		/* const char *, not empty (points into argv) */
fl_opt_parse_fn fl_opt_choice;		/* const char *, one of .choices */
fl_opt_parse_fn fl_opt_strategies;	/* const struct strategy *[], names|all|correct|control */
fl_opt_parse_fn fl_opt_cpus;
fl_opt_parse_fn fl_opt_mixes;		/* struct fl_options' mixes: names|all (obj: an fl_options) */		/* unsigned [], N or A-B, 1..FL_MAX_THREADS; replaces */
fl_opt_show_fn fl_opt_show_unsigned, fl_opt_show_u64, fl_opt_show_double;

/* A macro's value as a string literal, for help texts. */
#define FL_STR(x)			FL_STR_(x)
#define FL_STR_(x)			#x
/* The field a row targets. */
#define FL_OPT_FIELD(obj, off, type)	((type *)(void *)((char *)(obj) + (off)))
/* Capacity of an array member of struct type. */
#define FL_OPT_CAP(type, arr)		ARRAY_SIZE(((type *)0)->arr)

/* Rows of the shared kinds; help is the binary's own text. */
#define FL_OPT_HELP(type, field)						\
	{ .name = "help", .short_name = 'h', .help = "this text",		\
	  .parse = fl_opt_flag, .off = offsetof(type, field) }
#define FL_OPT_FLAG(nm, type, field, text)					\
	{ .name = nm, .help = text, .parse = fl_opt_flag, .off = offsetof(type, field) }
#define FL_OPT_STRATEGIES(type, arr, nr, text)					\
	{ .name = "strategy", .metavar = "LIST", .help = text,			\
	  .parse = fl_opt_strategies, .off = offsetof(type, arr),		\
	  .off_nr = offsetof(type, nr), .hi = FL_OPT_CAP(type, arr) }
#define FL_OPT_CPUS(type, arr, nr, text)					\
	{ .name = "cpus", .metavar = "LIST", .help = text,			\
	  .parse = fl_opt_cpus, .off = offsetof(type, arr),			\
	  .off_nr = offsetof(type, nr), .hi = FL_OPT_CAP(type, arr) }
#define FL_OPT_DURATION(type, field, meta, text)				\
	{ .name = "duration", .metavar = meta, .help = text,			\
	  .parse = fl_opt_double, .show = fl_opt_show_double,			\
	  .off = offsetof(type, field), .dlo = 0.001, .dhi = 3600 }
#define FL_OPT_SEED(type, field, text, show_default)				\
	{ .name = "seed", .metavar = "N", .help = text, .parse = fl_opt_u64,	\
	  .show = (show_default) ? fl_opt_show_u64 : NULL,			\
	  .off = offsetof(type, field) }
#define FL_OPT_UNSIGNED(nm, type, field, min, max, text)			\
	{ .name = nm, .metavar = "N", .help = text, .parse = fl_opt_unsigned,	\
	  .show = fl_opt_show_unsigned, .off = offsetof(type, field),		\
	  .lo = (min), .hi = (max) }
#define FL_OPT_JSON(type, field, text)						\
	{ .name = "json", .metavar = "FILE", .help = text,			\
	  .parse = fl_opt_string, .off = offsetof(type, field) }
/* The policy names are placement.c's fl_placement_policies; text follows
 * FL_PLACEMENT_HELP. */
#define FL_OPT_PLACEMENT(type, field, text)					\
	{ .name = "placement", .metavar = "P", .help = FL_PLACEMENT_HELP text,	\
	  .parse = fl_opt_choice, .off = offsetof(type, field),			\
	  .choices = fl_placement_policies }
/* --lock=: the flavour of every spinlock_t of the model (sync/lock_flavour.h
 * names them), into a const char * field; fl_opt_lock_value() maps it. */
#define FL_OPT_LOCK(type, field, text)						\
	{ .name = "lock", .metavar = FL_LOCK_METAVAR, .help = text,		\
	  .parse = fl_opt_choice, .off = offsetof(type, field),		\
	  .choices = fl_lock_names }
/* An option another binary takes that this one rejects, saying why. */
#define FL_OPT_UNUSED(nm, why)		{ .name = nm, .unused = why }

/*
 * Split val at commas; fn gets each element NUL-terminated (a copy: val is
 * not written). An empty list, or an empty element (a,,b ,a a,), is an error.
 */
int fl_opt_each(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t errlen,
		int (*fn)(const struct fl_opt *opt, const char *item, void *obj, char *err,
			  size_t errlen));
/* A decimal integer lo..hi: digits only, no sign, no blanks. */
int fl_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);
/* Every strategy of the registry, when v holds none yet. */
void fl_strategies_default(const struct strategy **v, unsigned *nr, unsigned cap);

/* The options of faultline and faultline-stress (harness.c reads them). */
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
	bool show_placement;		/* faultline --show-placement: print, do not run */
	const char *topology;		/* ... of this hwloc synthetic topology */
	const char *describe;		/* faultline --describe=json */
	const char *perf;		/* faultline --perf=on|off */
	unsigned long slots;
	bool clear_page, oversubscribe, quiet, list, help;
	const char *ptl;		/* "split" (one pte lock per page table) or "mm" */
	const char *lock;		/* --lock=: a name of fl_lock_names */
	uint64_t seed;
	bool gb_min_time;		/* the user set --benchmark_min_time */
	bool gb_out;			/* the user set --benchmark_out */
	int gb_argc;			/* argv[0] and the --benchmark_* flags */
	char **gb_argv;
};

/* The defaults both binaries start from. */
void fl_options_init(struct fl_options *o);
void fl_options_fini(struct fl_options *o);
/* Fill in CPU counts if none were given, then check them against avail. */
int fl_check_cpus(struct fl_options *o, unsigned avail, char *err, size_t errlen);

#endif /* FL_BENCH_CLI_H */
