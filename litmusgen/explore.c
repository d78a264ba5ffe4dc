// SPDX-License-Identifier: GPL-2.0
/*
 * Step 1 of deriving a litmus test (litmusgen.h): record the shape's roles
 * in one world, replaying each from the state the roles before it left.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "litmusgen.h"

/* What the choice points of one run return: plan[i] indexes the domain of
 * point i; past the plan, `fallback` decides. */
enum fallback { FALL_MEMORY, FALL_FIRST };

struct chooser {
	struct lg_test *t;
	unsigned role;
	int plan[REC_MAX_CHOICES];
	unsigned nplan;
	enum fallback fall;
	int chosen[REC_MAX_CHOICES];	/* what this run chose: the domain index per point */
	bool bad;		/* memory held a value outside the domain */
};

int lg_fail(struct lg_test *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int locate(const void *addr, void *ctx)
{
	const struct chooser *c = ctx;

	return world_locate(&c->t->w, addr, NULL, 0);
}

static int dom_index(const struct lg_domain *d, unsigned long v)
{
	unsigned i;

	for (i = 0; i < d->n; i++)
		if (d->v[i] == v)
			return (int)i;
	return -1;
}

static unsigned long choose(void *ctx, int loc, unsigned index, unsigned long mem)
{
	struct chooser *c = ctx;
	const struct lg_domain *d = &c->t->role[c->role].dom[loc];
	int i;

	if (index < c->nplan) {
		i = c->plan[index];
	} else if (c->fall == FALL_FIRST) {
		/* Every value, even one older than an earlier load of the
		 * word returned: herd7 rules those out, and a count compared
		 * with itself (the seqcount's retry) then branches alike
		 * whatever it began at, which keeps the test small. */
		i = 0;
	} else {
		i = dom_index(d, mem);
		if (i < 0) {
			c->bad = true;
			i = 0;
		}
	}
	c->chosen[index] = i;
	return d->v[i];
}

static void run_role(void *arg)
{
	struct chooser *c = arg;
	struct lg_test *t = c->t;

	t->sh->role[c->role].run(&t->w, c->role);
}

static struct lg_path *new_path(struct lg_test *t, unsigned role)
{
	struct lg_role_runs *r = &t->role[role];

	if (r->n == r->cap) {
		unsigned cap = r->cap ? 2 * r->cap : 16;
		struct lg_path *p;

		if (cap > LG_MAX_PATHS || !(p = realloc(r->path, cap * sizeof(*p))))
			return NULL;
		r->path = p;
		r->cap = cap;
	}
	return &r->path[r->n++];
}

/* One run of role from the saved state; *c says what its loads return. */
static struct lg_path *run(struct lg_test *t, unsigned role, struct chooser *c)
{
	struct rec_run rr = { .locate = locate, .choose = choose, .ctx = c };
	struct lg_path *p = new_path(t, role);

	if (!p)
		return NULL;
	world_restore(&t->w);
	c->bad = false;
	c->t = t;
	c->role = role;
	rec_record(&rr, run_role, c, &p->t);
	p->cut = p->t.n;
	p->viol = p->t.end == REC_END_DONE && (t->w.gup & t->sh->viol) &&
		  role == t->sh->nr_roles - 1;
	return p;
}

/* Each word's values for role: its initial value, then what the roles
 * before it stored, in order. */
static int domains(struct lg_test *t, unsigned role)
{
	struct lg_role_runs *r = &t->role[role];
	unsigned loc, k, i;

	for (loc = 0; loc < NR_LOCS; loc++) {
		r->dom[loc] = t->role[0].dom[loc];
		r->dom[loc].n = 1;
	}
	for (k = 0; k < role; k++) {
		const struct rec_trace *tr = &t->role[k].path[0].t;

		for (i = 0; i < tr->n; i++) {
			const struct rec_op *op = &tr->op[i];
			struct lg_domain *d;

			if (op->type != RO_STORE || op->loc < 0)
				continue;
			d = &r->dom[op->loc];
			if (dom_index(d, op->val) >= 0)
				continue;
			if (d->n == LG_MAX_VALS)
				return lg_fail(t, "%s takes more than %d values", lg_loc_name[op->loc],
					    LG_MAX_VALS);
			d->v[d->n++] = op->val;
		}
	}
	return 0;
}

/* The ops of a trace from index from on, compared as the test shows them:
 * same accesses to the same words with the same values. */
static bool same_rest(const struct rec_trace *a, unsigned ia, const struct rec_trace *b,
		      unsigned ib, bool values)
{
	for (;;) {
		while (ia < a->n && a->op[ia].loc < 0 && a->op[ia].type != RO_FENCE)
			ia++;
		while (ib < b->n && b->op[ib].loc < 0 && b->op[ib].type != RO_FENCE)
			ib++;
		if (ia == a->n || ib == b->n)
			return ia == a->n && ib == b->n && a->end == b->end;
		if (a->op[ia].type != b->op[ib].type || a->op[ia].kind != b->op[ib].kind ||
		    a->op[ia].loc != b->op[ib].loc || (values && a->op[ia].val != b->op[ib].val))
			return false;
		ia++;
		ib++;
	}
}

static unsigned op_of_choice(const struct rec_trace *tr, unsigned point)
{
	unsigned i;

	for (i = 0; i < tr->n; i++)
		if (tr->op[i].choice == (int)point)
			return i;
	return tr->n;
}

/*
 * An earlier role: its sequential run, and for each load of a shape word
 * each other value it could return. Where the rest of the run is the
 * same, nothing depends on the load; where only stored values move with
 * it, those stores depend on it by data; otherwise the rest depends on it
 * by control, and the test keeps that value's path as well.
 */
/*
 * Does the run go round again after op at: a load of a shape word with
 * the same kind as one up to at (a read section retried, a fast path
 * re-entered)? Then that value's path is the same code started later,
 * which the test already has; it ends at the load, as a spin does.
 */
static bool retries(const struct rec_trace *tr, unsigned at)
{
	unsigned i, j;

	for (i = at + 1; i < tr->n; i++) {
		if (tr->op[i].type != RO_LOAD || tr->op[i].loc < 0 || tr->op[i].forwarded)
			continue;
		for (j = 0; j <= at; j++)
			if (tr->op[j].type == RO_LOAD && tr->op[j].loc == tr->op[i].loc &&
			    tr->op[j].kind == tr->op[i].kind && !tr->op[j].forwarded)
				return true;
	}
	return false;
}

static bool pointer_word(const struct rec_trace *tr, int loc)
{
	unsigned i;

	for (i = 0; i < tr->n; i++)
		if (tr->op[i].type == RO_LOAD && tr->op[i].kind == REC_DEP && tr->op[i].src_loc == loc)
			return true;
	return false;
}

static int explore_writer(struct lg_test *t, unsigned role)
{
	struct lg_role_runs *r = &t->role[role];
	struct chooser seen = { .fall = FALL_MEMORY }, c;
	const struct rec_trace *s;
	unsigned point, alt, i, j;
	struct lg_path *p;

	if (!(p = run(t, role, &seen)))
		return lg_fail(t, "out of memory");
	if (seen.bad || p->t.end != REC_END_DONE)
		return lg_fail(t, "%s did not finish alone (%s)", t->sh->role[role].what,
			    seen.bad ? "a word held a value no role stored" :
			    p->t.end == REC_END_SPIN ? "it waits for another CPU" : "too long");
	s = &r->path[0].t;
	memset(r->dep_point, 0xff, sizeof(r->dep_point));
	for (point = 0; point < s->nchoices; point++) {
		unsigned at = op_of_choice(s, point);
		int loc = s->op[at].loc;

		for (alt = 0; alt < r->dom[loc].n; alt++) {
			const struct rec_trace *a;
			unsigned long delta;
			bool data = true;

			if ((int)alt == seen.chosen[point])
				continue;
			memset(&c, 0, sizeof(c));
			c.fall = FALL_MEMORY;
			for (i = 0; i < point; i++)
				c.plan[i] = seen.chosen[i];
			c.plan[point] = (int)alt;
			c.nplan = point + 1;
			if (!(p = run(t, role, &c)))
				return lg_fail(t, "out of memory");
			s = &r->path[0].t;	/* run() may have moved the array */
			a = &p->t;
			if (same_rest(s, at + 1, a, at + 1, true)) {
				r->n--;		/* nothing depends on this load */
				continue;
			}
			/* Data: the same accesses, and every store whose value
			 * differs differs by what the load did. */
			delta = r->dom[loc].v[alt] - s->op[at].val;
			if (same_rest(s, at + 1, a, at + 1, false) && a->n == s->n) {
				for (j = at + 1; j < s->n && data; j++)
					if (s->op[j].type == RO_STORE && s->op[j].loc >= 0 &&
					    s->op[j].val != a->op[j].val)
						data = a->op[j].val - s->op[j].val == delta;
			} else {
				data = false;
			}
			if (data) {
				for (j = at + 1; j < s->n; j++) {
					if (s->op[j].type == RO_STORE && s->op[j].loc >= 0 &&
					    s->op[j].val != a->op[j].val) {
						r->dep_point[j] = (int)point;
						r->dep_off[j] = s->op[j].val - s->op[at].val;
					}
				}
				r->n--;
				continue;
			}
			/* Control: the test shows this value's path too, its later
			 * loads taking what memory holds (a load the test does not
			 * branch on allows more, never less). Except a pointer
			 * found NULL that the run had found set: the role then
			 * works on an object of its own (fault B allocating its
			 * own anon_vma), which is another shape; its path ends. */
			if ((pointer_word(s, loc) && !r->dom[loc].v[alt] && s->op[at].val) ||
			    retries(a, at))
				p->cut = at + 1;
		}
	}
	return 0;
}

/*
 * The last role: every combination of values for its loads of the shape's
 * words, depth first.
 */
static int explore_reader(struct lg_test *t, unsigned role)
{
	struct lg_role_runs *r = &t->role[role];
	struct chooser c = { .fall = FALL_FIRST };
	struct lg_path *p;
	int i;

	for (;;) {
		if (!(p = run(t, role, &c)))
			return lg_fail(t, "more than %d paths through %s", LG_MAX_PATHS,
				    t->sh->role[role].what);
		t->nr_viol += p->viol;
		t->nr_spin += p->t.end == REC_END_SPIN;
		t->nr_deep += p->t.end == REC_END_DEEP;
		/* The deepest point with a newer value left: take it next. */
		for (i = (int)p->t.nchoices - 1; i >= 0; i--) {
			const struct rec_op *op = &p->t.op[op_of_choice(&p->t, (unsigned)i)];

			if (c.chosen[i] + 1 < (int)r->dom[op->loc].n)
				break;
		}
		if (i < 0)
			return 0;
		memcpy(c.plan, c.chosen, (size_t)i * sizeof(c.plan[0]));
		c.plan[i] = c.chosen[i] + 1;
		c.nplan = (unsigned)i + 1;
	}
}

/* Which word a pointer word's loads lead to (READ_DEP's src -> its load),
 * and which locks more than one role takes. */
static int links(struct lg_test *t)
{
	unsigned role, k, i, takers[NR_LOCS] = { 0 };

	for (i = 0; i < NR_LOCS; i++)
		t->target[i] = -1;
	for (role = 0; role < t->sh->nr_roles; role++) {
		bool took[NR_LOCS] = { false };

		for (k = 0; k < t->role[role].n; k++) {
			const struct lg_path *p = &t->role[role].path[k];
			const struct rec_trace *tr = &p->t;

			for (i = 0; i < p->cut; i++) {
				const struct rec_op *op = &tr->op[i];

				if (op->type == RO_LOCK && op->loc >= 0)
					took[op->loc] = true;
				if (op->type != RO_LOAD || op->kind != REC_DEP || op->loc < 0 ||
				    op->src_loc < 0)
					continue;
				if (t->target[op->src_loc] >= 0 && t->target[op->src_loc] != op->loc)
					return lg_fail(t, "%s leads to both %s and %s",
						    lg_loc_name[op->src_loc],
						    lg_loc_name[t->target[op->src_loc]],
						    lg_loc_name[op->loc]);
				t->target[op->src_loc] = op->loc;
			}
		}
		for (i = 0; i < NR_LOCS; i++)
			takers[i] += took[i];
	}
	for (i = 0; i < NR_LOCS; i++)
		t->shared_lock[i] = takers[i] > 1;
	return 0;
}

int lg_explore(struct lg_test *t, const struct strategy *s, enum fl_shape shape)
{
	const struct lg_shape *sh = lg_shape_get(shape);
	unsigned role, loc;
	int err;

	memset(t, 0, sizeof(*t));
	t->s = s;
	t->sh = sh;
	if (!sh)
		return lg_fail(t, "no such shape");
	if (world_create(&t->w, s, sh))
		return lg_fail(t, "cannot build the world");
	/* Every word's initial value, as the world starts. */
	for (loc = 0; loc < NR_LOCS; loc++)
		t->role[0].dom[loc].n = 1;
	for (role = 0; role < LG_MAX_ROLES; role++)
		memset(t->role[role].dep_point, 0xff, sizeof(t->role[role].dep_point));
	t->role[0].dom[LOC_ANON_VMA].v[0] = (unsigned long)t->w.mm->vmas[0].anon_vma;
	t->role[0].dom[LOC_PTE].v[0] = t->w.mm->pt[sh->slot];
	t->role[0].dom[LOC_SLOT].v[0] = t->w.mm->slot_gen[sh->slot];
	t->role[0].dom[LOC_SEQ].v[0] = t->w.mm->seq.sequence;
	/* Fields of objects not yet allocated: what mm_create() left there. */
	t->role[0].dom[LOC_ROOT].v[0] = 0;
	t->role[0].dom[LOC_MAPPING].v[0] = 0;
	t->role[0].dom[LOC_FLAGS].v[0] = 0;
	for (role = 0; role < sh->nr_roles; role++) {
		struct chooser seen = { .fall = FALL_MEMORY };

		if ((err = domains(t, role)) || (err = world_save(&t->w)))
			return err ? err : lg_fail(t, "out of memory");
		err = role + 1 < sh->nr_roles ? explore_writer(t, role) : explore_reader(t, role);
		if (err)
			return err;
		if (role + 1 < sh->nr_roles) {
			/* Leave the world as the sequential run left it (that
			 * run again; the paths already hold its record). */
			if (!run(t, role, &seen))
				return lg_fail(t, "out of memory");
			t->role[role].n--;
		}
	}
	if (!t->nr_viol)
		return lg_fail(t, "no path of %s counts a %s violation", sh->role[sh->nr_roles - 1].what,
			    shape_name(shape));
	return links(t);
}

void lg_free(struct lg_test *t)
{
	unsigned i;

	for (i = 0; i < LG_MAX_ROLES; i++)
		free(t->role[i].path);
	world_destroy(&t->w);
}
