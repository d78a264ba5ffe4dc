/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deriving a strategy's LKMM litmus test for one shape from its code
 * (docs/design.md §7):
 *
 * 1. explore.c runs the shape's roles one after another in one world, each
 *    under the recorder. The last role (the GUP) is replayed with every
 *    combination of values its loads of the shape's words could return
 *    (the initial value or any value an earlier role stored; herd7 rules
 *    out the incoherent ones); the model's own check says which of those runs
 *    count the shape's violation. An earlier role is replayed with each
 *    load's other values one at a time, to find which of its later
 *    accesses depend on that load: by control (the path changes) or by
 *    data (a stored value moves with the loaded one).
 * 2. render.c writes the recorded accesses of the shape's words, the
 *    fences and the locks two roles share as herd7's C: a branch wherever
 *    the path depends on a loaded value, and an exists clause that is the
 *    disjunction of the GUP's violating paths.
 */
#ifndef FL_LITMUSGEN_H
#define FL_LITMUSGEN_H

#include <stdio.h>
#include "record.h"
#include "world.h"

#define LG_MAX_VALS	8	/* values a shape's word takes in one test */
#define LG_MAX_PATHS	4096	/* recorded runs of one role */

struct lg_path {
	struct rec_trace t;
	unsigned cut;		/* ops of t that belong to the test */
	bool viol;		/* last role: the model counted the violation */
};

struct lg_domain {
	unsigned n;
	unsigned long v[LG_MAX_VALS];	/* the initial value first, then stores in order */
};

struct lg_role_runs {
	struct lg_path *path;	/* path[0]: the sequential run */
	unsigned n, cap;
	struct lg_domain dom[NR_LOCS];
	/* Data dependencies of path[0]'s stores: op i stores the value of
	 * choice point dep_point[i] plus dep_off[i] (dep_point -1: none). */
	int dep_point[REC_MAX_OPS];
	unsigned long dep_off[REC_MAX_OPS];
};

struct lg_test {
	const struct strategy *s;
	const struct lg_shape *sh;
	struct world w;
	struct lg_role_runs role[LG_MAX_ROLES];
	int target[NR_LOCS];	/* a pointer word: the word its loads lead to; else -1 */
	bool shared_lock[NR_LOCS];	/* a lock two roles take */
	unsigned nr_viol, nr_spin, nr_deep;
	char err[256];
};

/* explore.c: 0, or -1 with t->err set (lg_fail() sets it and returns -1). */
int lg_fail(struct lg_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lg_explore(struct lg_test *t, const struct strategy *s, enum fl_shape shape);
void lg_free(struct lg_test *t);

/* render.c: the test's name and text. 0, or -1 with t->err set. */
int lg_render(struct lg_test *t, char *name, size_t len, FILE *out);

#endif /* FL_LITMUSGEN_H */
