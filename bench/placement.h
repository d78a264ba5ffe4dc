/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where threads run: the CPUs this process may use (hwloc topology
 * intersected with the process affinity, so taskset and cgroup cpusets are
 * respected), in the order of one of the policies (fl_placement_policies):
 *
 *   compact  hwloc logical PU order: SMT siblings, then the cores of one
 *            package, then the next package
 *   scatter  one PU of every core before a second PU of any, and within each
 *            of those rounds the packages in turn (package 0's first core,
 *            package 1's first core, ..., package 0's second core, ...)
 *   smt      the cores with more than one usable PU first, each core's PUs
 *            together, so threads 2i and 2i+1 share a core; then the rest.
 *            Where no core has two usable PUs it places as compact, says so
 *            in one line on stderr, and records effective "compact" and why.
 */
#ifndef FL_BENCH_PLACEMENT_H
#define FL_BENCH_PLACEMENT_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The policies, NULL-terminated: every --placement takes these (cli.h). */
extern const char *const fl_placement_policies[];
/* Their help text, for the binaries' option tables. */
#define FL_PLACEMENT_HELP							\
	"compact (default: SMT siblings, then cores, then packages), scatter\n"	\
	"(packages in turn, then cores, then SMT siblings) or smt (two threads\n" \
	"per core where cores have two PUs)"

struct fl_placement {
	char policy[16];	/* as asked */
	char effective[16];	/* as placed: smt falls back to compact */
	char note[256];		/* why effective differs from policy; "" if it does not */
	bool thissystem;	/* false: a synthetic topology, for --show-placement only */
	unsigned nr_cpus;	/* usable PUs */
	unsigned nr_cores;
	unsigned nr_packages;
	int *os_index;		/* nr_cpus OS cpu numbers, in placement order */
	unsigned *core_of;	/* nr_cpus logical core index of each, in order */
	unsigned *package_of;	/* nr_cpus logical package index of each (0 if none) */
};

/* This machine's topology; a fallback note (smt) goes to stderr, one line. */
int fl_placement_init(struct fl_placement *p, const char *policy, char *err, size_t errlen);
/* desc NULL: the same; else an hwloc synthetic topology ("pack:2 core:2 pu:2"):
 * every PU usable, never pinned to (faultline --show-placement --topology). */
int fl_placement_init_synthetic(struct fl_placement *p, const char *policy, const char *desc,
				char *err, size_t errlen);
void fl_placement_fini(struct fl_placement *p);
/* {"policy", "effective", "note", "usable_cpus", "cores", "packages",
 *  "cpu_order": [os], "core_of": [...], "package_of": [...]} */
void fl_placement_print_json(const struct fl_placement *p, FILE *f);
/* Pin the calling thread to the tid-th CPU (mod nr_cpus); *saved gets the old mask. */
int fl_pin_self(const struct fl_placement *p, unsigned tid, cpu_set_t *saved);
void fl_unpin_self(const cpu_set_t *saved);

#endif /* FL_BENCH_PLACEMENT_H */
