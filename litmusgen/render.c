// SPDX-License-Identifier: GPL-2.0
/*
 * Step 2 of deriving a litmus test (litmusgen.h): write what explore.c
 * recorded as herd7's C for LKMM.
 *
 * What a test shows of a role: its accesses to the shape's words (a load
 * gets a register, numbered by how many such loads precede it on its
 * path), the fences, a fully ordered RMW on another word as the smp_mb()
 * it implies (LKMM: a value-returning RMW is fully ordered), and the locks
 * another role also takes. Everything else is left out and listed in the
 * header: leaving out accesses and one-role locks can only allow more, so a
 * Never here holds for the code, and a Sometimes is checked against the
 * descriptor and the emulator.
 */
#include <stdlib.h>
#include <string.h>
#include "litmusgen.h"

#define LG_MAX_STMTS	128
#define LG_MAX_REGS	32
#define HELD_RCU	(-1)	/* body_of()'s held[]: a read-side section, not a lock */

struct stmt {
	char text[96];
	char comment[96];
	int reg;		/* a load's register, or -1 */
	int loc;
	char val[24];		/* a load's value, as the test writes it */
};

struct body {
	unsigned n;
	struct stmt s[LG_MAX_STMTS];
	bool viol;
};

struct role_text {
	struct body *path;
	unsigned n;
	int reg_loc[LG_MAX_REGS];	/* the word each register loads, -1: unused */
	unsigned nregs;
	bool uses[NR_LOCS];
	char left_out[512];		/* the words and locks left out */
};

/* ---- values -------------------------------------------------------------- */

/* Pointer levels of a word: pte -> mapping -> root is 2, 1, 0. */
static unsigned depth(const struct lg_test *t, int loc)
{
	unsigned d = 0;

	while (loc >= 0 && t->target[loc] >= 0 && d < NR_LOCS) {
		loc = t->target[loc];
		d++;
	}
	return d;
}

static const char *stars(unsigned n)
{
	static const char s[] = "********";

	return s + sizeof(s) - 1 - (n < sizeof(s) - 1 ? n : sizeof(s) - 1);
}

/*
 * A value of loc as the test writes it: a pointer word holds 0 or the
 * address of the word its loads lead to; any other word its value if that
 * is small (counts, flags), else its rank among the word's values (the
 * model's pointers and checksums mean nothing to herd7).
 */
static void value(const struct lg_test *t, int loc, unsigned long v, char *buf, size_t len)
{
	const struct lg_domain *d = &t->role[t->sh->nr_roles - 1].dom[loc];
	unsigned i, rank = 0;
	bool small = true;

	if (t->target[loc] >= 0) {
		snprintf(buf, len, "%s", v ? lg_loc_name[t->target[loc]] : "0");
		return;
	}
	for (i = 0; i < d->n; i++)
		small &= d->v[i] < 256;
	if (small || !v) {
		snprintf(buf, len, "%lu", v);
		return;
	}
	for (i = 0; i < d->n; i++) {
		rank += d->v[i] != 0;
		if (d->v[i] == v)
			break;
	}
	snprintf(buf, len, "%u", i < d->n ? rank : d->n + 1);
}

/* ---- statements --------------------------------------------------------- */

static const char *prim(const struct rec_op *op)
{
	static const char *const load[] = {
		[REC_PLAIN] = "LOAD_PLAIN", [REC_ONCE] = "READ_ONCE",
		[REC_ONCE_NODEP] = "__READ_ONCE", [REC_DEP] = "READ_DEP",
		[REC_ACQUIRE] = "smp_load_acquire",
	};
	static const char *const store[] = {
		[REC_PLAIN] = "STORE_PLAIN", [REC_ONCE] = "WRITE_ONCE",
		[REC_RELEASE] = "smp_store_release",
	};

	if (op->type == RO_LOAD)
		return load[op->kind] ? load[op->kind] : "load";
	return store[op->kind] ? store[op->kind] : "store";
}

static void add_left_out(struct role_text *rt, const char *what)
{
	size_t n = strlen(rt->left_out);

	if (strstr(rt->left_out, what))
		return;
	snprintf(rt->left_out + n, sizeof(rt->left_out) - n, "%s%s", n ? ", " : "", what);
}

static struct stmt *push(struct body *b)
{
	struct stmt *s;

	if (b->n == LG_MAX_STMTS)
		return NULL;
	s = &b->s[b->n++];
	memset(s, 0, sizeof(*s));
	s->reg = -1;
	s->loc = -1;
	return s;
}

static bool is_fence(const struct stmt *s)
{
	return !strcmp(s->text, "smp_mb();") || !strcmp(s->text, "smp_wmb();") ||
	       !strcmp(s->text, "smp_rmb();");
}

/*
 * Fences that order nothing the test shows go: those before a CPU's first
 * statement or after its last (a fence orders what is on both sides of
 * it), and in a run of fences with nothing between, all but smp_mb() if
 * one is there (it orders whatever the others do). Each is a fence over
 * accesses the test left out.
 */
static void tidy(struct body *b)
{
	unsigned i, j, k, n = 0;

	for (i = 0; i < b->n; i = j) {
		bool mb = false, keep;

		for (j = i; j < b->n && is_fence(&b->s[j]); j++)
			mb |= !strcmp(b->s[j].text, "smp_mb();");
		if (j == i) {
			b->s[n++] = b->s[j++];
			continue;
		}
		for (k = i; k < j; k++) {
			keep = i > 0 && j < b->n && (!mb || !strcmp(b->s[k].text, "smp_mb();"));
			for (unsigned q = i; keep && q < k; q++)
				keep = strcmp(b->s[q].text, b->s[k].text) != 0;
			if (keep)
				b->s[n++] = b->s[k];
		}
	}
	b->n = n;
}

/* One recorded path of role as the test's statements. */
static int body_of(struct lg_test *t, unsigned role, const struct lg_path *p,
		   struct role_text *rt, struct body *b)
{
	const struct lg_role_runs *r = &t->role[role];
	int last_reg[NR_LOCS], point_reg[REC_MAX_CHOICES], reg_loc[LG_MAX_REGS];
	char reg_val[LG_MAX_REGS][24], name[64], src[64];
	int held[8];
	unsigned i, nregs = 0, nheld = 0;

	memset(b, 0, sizeof(*b));
	memset(last_reg, 0xff, sizeof(last_reg));
	memset(point_reg, 0xff, sizeof(point_reg));
	b->viol = p->viol;
	for (i = 0; i < p->cut; i++) {
		const struct rec_op *op = &p->t.op[i];
		struct stmt *s;
		bool mb;

		world_locate(&t->w, op->addr, name, sizeof(name));
		if (op->addr && op->loc < 0) {
			/* A word, or a lock, the shape leaves out. */
			mb = op->type == RO_RMW && op->full && op->ok;
			if (!mb) {
				add_left_out(rt, name);
				continue;
			}
		}
		if ((op->type == RO_LOCK || op->type == RO_UNLOCK) && !t->shared_lock[op->loc]) {
			add_left_out(rt, name);
			continue;
		}
		if (op->type == RO_FENCE && op->kind == REC_DEPENDS)
			continue;	/* LKMM's READ_ONCE() has it */
		if (!(s = push(b)))
			return lg_fail(t, "%s: more than %d statements", t->sh->role[role].what,
				    LG_MAX_STMTS);
		switch (op->type) {
		case RO_LOAD: {
			const char *addr = lg_loc_name[op->loc];
			char via[16];

			if (nregs == LG_MAX_REGS)
				return lg_fail(t, "more than %d registers", LG_MAX_REGS);
			if (op->kind == REC_DEP && op->src_loc >= 0 && last_reg[op->src_loc] >= 0) {
				snprintf(via, sizeof(via), "r%d", last_reg[op->src_loc]);
				addr = via;
			}
			s->reg = (int)nregs;
			s->loc = op->loc;
			if (op->kind == REC_PLAIN)
				snprintf(s->text, sizeof(s->text), "r%u = *%s;", nregs, addr);
			else if (op->kind == REC_ACQUIRE)
				snprintf(s->text, sizeof(s->text), "r%u = smp_load_acquire(%s);", nregs, addr);
			else
				snprintf(s->text, sizeof(s->text), "r%u = READ_ONCE(*%s);", nregs, addr);
			if (op->kind == REC_DEP) {
				src[0] = 0;
				if (op->src_loc >= 0)
					snprintf(src, sizeof(src), ", %s", lg_loc_field[op->src_loc]);
				snprintf(s->comment, sizeof(s->comment), "READ_DEP(%s%s)", name, src);
			} else {
				snprintf(s->comment, sizeof(s->comment), "%s(%s)", prim(op), name);
			}
			value(t, op->loc, op->val, s->val, sizeof(s->val));
			snprintf(reg_val[nregs], sizeof(reg_val[0]), "%s", s->val);
			reg_loc[nregs] = op->loc;
			if (rt->nregs <= nregs) {
				rt->reg_loc[nregs] = op->loc;
				rt->nregs = nregs + 1;
			}
			if (op->choice >= 0)
				point_reg[op->choice] = (int)nregs;
			last_reg[op->loc] = (int)nregs++;
			rt->uses[op->loc] = true;
			break;
		}
		case RO_STORE: {
			char v[48];
			unsigned k;

			s->loc = op->loc;
			value(t, op->loc, op->val, v, sizeof(v));
			if (r->dep_point[i] >= 0 && point_reg[r->dep_point[i]] >= 0) {
				/* Data: the stored value moves with that load. */
				if (r->dep_off[i])
					snprintf(v, sizeof(v), "r%d + %lu", point_reg[r->dep_point[i]],
						 r->dep_off[i]);
				else
					snprintf(v, sizeof(v), "r%d", point_reg[r->dep_point[i]]);
			} else if (t->target[op->loc] >= 0 && op->val) {
				/* A pointer this role loaded: data flows from that load,
				 * if one load alone returned it on this path (else which
				 * one the code kept is not known here, and the test
				 * claims no dependency: it then allows more). */
				int from = -1, hits = 0;

				for (k = 0; k < nregs; k++) {
					if (t->target[reg_loc[k]] >= 0 && !strcmp(reg_val[k], v)) {
						from = (int)k;
						hits++;
					}
				}
				if (hits == 1)
					snprintf(v, sizeof(v), "r%d", from);
			}
			if (op->kind == REC_PLAIN)
				snprintf(s->text, sizeof(s->text), "*%s = %s;", lg_loc_name[op->loc], v);
			else if (op->kind == REC_RELEASE)
				snprintf(s->text, sizeof(s->text), "smp_store_release(%s, %s);",
					 lg_loc_name[op->loc], v);
			else
				snprintf(s->text, sizeof(s->text), "WRITE_ONCE(*%s, %s);",
					 lg_loc_name[op->loc], v);
			snprintf(s->comment, sizeof(s->comment), "%s(%s)", prim(op), name);
			rt->uses[op->loc] = true;
			break;
		}
		case RO_FENCE: {
			static const char *const f[] = {
				[REC_MB] = "smp_mb", [REC_WMB] = "smp_wmb", [REC_RMB] = "smp_rmb",
				[REC_MB_AFTER_ATOMIC] = "smp_mb",
				[REC_RCU_READ_LOCK] = "rcu_read_lock",
				[REC_RCU_READ_UNLOCK] = "rcu_read_unlock",
				[REC_SYNCHRONIZE_RCU] = "synchronize_rcu",
			};
			snprintf(s->text, sizeof(s->text), "%s();", f[op->kind]);
			if (op->kind == REC_MB_AFTER_ATOMIC)
				snprintf(s->comment, sizeof(s->comment), "smp_mb__after_atomic()");
			/* A read-side section is held as a lock is (HELD_RCU). */
			if (op->kind == REC_RCU_READ_LOCK && nheld < ARRAY_SIZE(held))
				held[nheld++] = HELD_RCU;
			else if (op->kind == REC_RCU_READ_UNLOCK && nheld)
				nheld--;
			break;
		}
		case RO_RMW:
			snprintf(s->text, sizeof(s->text), "smp_mb();");
			snprintf(s->comment, sizeof(s->comment), "fully ordered RMW on %s", name);
			break;
		case RO_LOCK:
		case RO_UNLOCK:
			snprintf(s->text, sizeof(s->text), "spin_%s(%s);",
				 op->type == RO_LOCK ? "lock" : "unlock", lg_loc_name[op->loc]);
			snprintf(s->comment, sizeof(s->comment), "%s", name);
			rt->uses[op->loc] = true;
			if (op->type == RO_LOCK && nheld < ARRAY_SIZE(held))
				held[nheld++] = op->loc;
			else if (op->type == RO_UNLOCK && nheld)
				nheld--;
			break;
		}
	}
	/* A path the test ends early (a cut, a wait) ends holding what it
	 * holds: the code goes on and releases it, and a CPU that kept the
	 * lock forever would forbid the others to take it (and a read-side
	 * section never closed is LKMM's unmatched-rcu-lock flag). */
	while (nheld) {
		struct stmt *s = push(b);

		if (!s)
			return lg_fail(t, "%s: more than %d statements", t->sh->role[role].what,
				    LG_MAX_STMTS);
		nheld--;
		if (held[nheld] == HELD_RCU)
			snprintf(s->text, sizeof(s->text), "rcu_read_unlock();");
		else
			snprintf(s->text, sizeof(s->text), "spin_unlock(%s);",
				 lg_loc_name[held[nheld]]);
		snprintf(s->comment, sizeof(s->comment), "where this path ends");
	}
	tidy(b);
	return 0;
}

/* ---- the program ---------------------------------------------------------- */

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
}

static char *out_close(struct out *o)
{
	fclose(o->f);
	return o->buf;
}

static void indent(FILE *f, unsigned n)
{
	while (n--)
		fputc('\t', f);
}

static void emit(FILE *f, struct body *const *paths, unsigned n, unsigned pos, unsigned ind,
		 uint64_t nonnull);

/* The statements of paths from pos on, at indentation ind, as a string;
 * nonnull: the registers a branch around them has proved not NULL. */
static char *subtree(struct body *const *paths, unsigned n, unsigned pos, unsigned ind,
		     uint64_t nonnull)
{
	struct out o;

	out_open(&o);
	emit(o.f, paths, n, pos, ind, nonnull);
	return out_close(&o);
}

/* The register a statement dereferences ("*r3"), or -1. */
static int deref_reg(const char *text)
{
	const char *p = strstr(text, "*r");

	return p && p[2] >= '0' && p[2] <= '9' ? atoi(p + 2) : -1;
}

/* A group of values of a pointer register that are all non-NULL. */
static uint64_t proves(int reg, const char *const *vals, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (vals[i][0] >= '0' && vals[i][0] <= '9')
			return 0;
	return reg < 64 ? 1ull << reg : 0;
}

/*
 * The condition that picks value v of the register the load at pos of
 * path b sets (a pointer's value is its word's name: it is the one
 * non-NULL value a pointer takes here). A count the same path loaded
 * before with that value is named by its register instead ("r4 == r0",
 * as read_seqcount_retry() compares), so the branches that differ only
 * in which count the section began at are one program.
 */
static void cond(char *buf, size_t len, const struct body *b, unsigned pos, const char *v,
		 bool equal)
{
	const struct stmt *s = &b->s[pos];
	bool pointer = v[0] < '0' || v[0] > '9';
	unsigned k;

	for (k = pos; !pointer && k-- > 0;) {
		if (b->s[k].reg >= 0 && b->s[k].loc == s->loc && !strcmp(b->s[k].val, v)) {
			snprintf(buf, len, "r%d %s r%d", s->reg, equal ? "==" : "!=", b->s[k].reg);
			return;
		}
	}
	snprintf(buf, len, "r%d %s %s", s->reg, equal != pointer ? "==" : "!=",
		 pointer ? "0" : v);
}

static void emit(FILE *f, struct body *const *paths, unsigned n, unsigned pos, unsigned ind,
		 uint64_t nonnull)
{
	const struct stmt *s;
	struct body **grp[LG_MAX_VALS + 1];
	unsigned ngrp = 0, gn[LG_MAX_VALS + 1] = { 0 }, i, g, k, def, open = 0;
	const char *gv[LG_MAX_VALS + 1];
	char *text[LG_MAX_VALS + 1], c[64], *deftext;
	int same[LG_MAX_VALS + 1];
	bool last_branch;

	for (; n && pos < paths[0]->n; pos++) {
		int d;

		s = &paths[0]->s[pos];
		d = deref_reg(s->text);
		if (d >= 0 && d < 64 && !(nonnull & (1ull << d))) {
			/* herd7 cannot follow NULL; nor does the code, which
			 * tests a pointer before it follows it. */
			indent(f, ind);
			fprintf(f, "if (r%d != 0) {\n", d);
			emit(f, paths, n, pos, ind + 1, nonnull | (1ull << d));
			indent(f, ind);
			fprintf(f, "}\n");
			return;
		}
		indent(f, ind);
		if (s->comment[0])
			fprintf(f, "%-32s// %s\n", s->text, s->comment);
		else
			fprintf(f, "%s\n", s->text);
		if (s->reg < 0)
			continue;
		/* A load: one group of paths per value it returned. */
		ngrp = 0;
		for (i = 0; i < n; i++) {
			const char *v = paths[i]->s[pos].val;

			for (g = 0; g < ngrp && strcmp(gv[g], v); g++)
				;
			if (g == ngrp) {
				if (ngrp == LG_MAX_VALS + 1)
					break;
				gv[g] = v;
				grp[g] = calloc(n, sizeof(*grp[g]));
				gn[g] = 0;
				ngrp++;
			}
			grp[g][gn[g]++] = paths[i];
		}
		if (ngrp == 1) {
			free(grp[0]);
			continue;	/* nothing depends on it here */
		}
		for (g = 0; g < ngrp; g++)
			text[g] = subtree(grp[g], gn[g], pos + 1, ind + 1,
					  nonnull | proves(s->reg, &gv[g], 1));
		/* Values whose programs are the same share a branch. */
		for (g = 0; g < ngrp; g++) {
			same[g] = (int)g;
			for (k = 0; k < g; k++)
				if (!strcmp(text[k], text[g])) {
					same[g] = same[k];
					break;
				}
		}
		/* The default (the else) is the program most values lead to. */
		def = 0;
		for (g = 0; g < ngrp; g++) {
			unsigned cg = 0, cd = 0;

			for (k = 0; k < ngrp; k++) {
				cg += same[k] == same[g];
				cd += same[k] == same[def];
			}
			if (cg > cd)
				def = g;
		}
		{
			/* The default's paths, all of them: the innermost level. */
			struct body **all = calloc(n, sizeof(*all));
			const char *dv[LG_MAX_VALS + 1];
			unsigned na = 0, left = 0, nd = 0;

			for (g = 0; g < ngrp; g++) {
				left += same[g] != same[def];
				if (same[g] == same[def]) {
					dv[nd++] = gv[g];
					for (k = 0; k < gn[g]; k++)
						all[na++] = grp[g][k];
				}
			}
			deftext = subtree(all, na, pos + 1, ind + left,
					  nonnull | proves(s->reg, dv, nd));
			free(all);
		}
		for (g = 0; g < ngrp; g++) {
			if (same[g] == same[def])
				continue;
			last_branch = true;
			for (k = g + 1; k < ngrp; k++)
				last_branch &= same[k] == same[def];
			if (!text[g][0]) {
				/* That value ends the path: wrap the rest. */
				cond(c, sizeof(c), paths[0], pos, gv[g], false);
				indent(f, ind + open);
				fprintf(f, "if (%s) {\n", c);
			} else {
				cond(c, sizeof(c), paths[0], pos, gv[g], true);
				indent(f, ind + open);
				fprintf(f, "if (%s) {\n", c);
				free(text[g]);
				text[g] = subtree(grp[g], gn[g], pos + 1, ind + open + 1,
						  nonnull | proves(s->reg, &gv[g], 1));
				fputs(text[g], f);
				indent(f, ind + open);
				if (last_branch && !deftext[0]) {
					/* Nothing else follows: no else. */
					fprintf(f, "}\n");
					continue;
				}
				fprintf(f, "} else {\n");
			}
			open++;
		}
		fputs(deftext, f);
		free(deftext);
		while (open--) {
			indent(f, ind + open);
			fprintf(f, "}\n");
		}
		for (g = 0; g < ngrp; g++) {
			free(text[g]);
			free(grp[g]);
		}
		return;		/* the branches hold the rest */
	}
}

/* ---- roles, condition, name, header ---------------------------------------- */

/* Does text name register reg ("r3", not "r31")? */
static bool names_reg(const char *text, int reg)
{
	char tok[16];
	const char *p = text;
	size_t n = (size_t)snprintf(tok, sizeof(tok), "r%d", reg);

	while ((p = strstr(p, tok))) {
		bool start = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'));
		bool end = p[n] < '0' || p[n] > '9';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

/* Do paths a and b hold the same statements, and loads the same values,
 * before pos, and the same statement at pos? */
static bool same_prefix(const struct body *a, const struct body *b, unsigned pos)
{
	unsigned k;

	if (a->n <= pos || b->n <= pos)
		return false;
	for (k = 0; k <= pos; k++)
		if (strcmp(a->s[k].text, b->s[k].text) ||
		    (k < pos && a->s[k].reg >= 0 && strcmp(a->s[k].val, b->s[k].val)))
			return false;
	return true;
}

/*
 * An earlier CPU's load whose value nothing uses (no branch, address or
 * stored value depends on it, and the exists clause is only about the last
 * CPU) goes: it orders nothing, and a test without it allows at least as
 * much. The seqcount's read sections and increments are most of them.
 */
static void drop_unused(struct role_text *rt)
{
	unsigned i, j, k, q;
	bool *drop[rt->n ? rt->n : 1];

	for (i = 0; i < rt->n; i++)
		drop[i] = calloc(rt->path[i].n + 1, sizeof(bool));
	for (i = 0; i < rt->n; i++) {
		const struct body *b = &rt->path[i];

		for (k = 0; k < b->n; k++) {
			bool used = false;

			if (b->s[k].reg < 0)
				continue;
			/* Over every path that reaches this same load. */
			for (j = 0; j < rt->n && !used; j++) {
				const struct body *c = &rt->path[j];

				if (!same_prefix(b, c, k))
					continue;
				used = strcmp(c->s[k].val, b->s[k].val) != 0;	/* branched on */
				for (q = k + 1; q < c->n && !used; q++)
					used = names_reg(c->s[q].text, b->s[k].reg);
			}
			drop[i][k] = !used;
		}
	}
	for (i = 0; i < rt->n; i++) {
		struct body *b = &rt->path[i];

		for (k = j = 0; k < b->n; k++)
			if (!drop[i][k])
				b->s[j++] = b->s[k];
		b->n = j;
		free(drop[i]);
		tidy(b);
	}
}

/*
 * The last CPU's load of a word it already read on this path, when the
 * test stores that word once and the first load returned that store:
 * coherence (CoRR) makes the second return it too, so it adds nothing but
 * herd7's work (GUP's re-check of the pte after the pin).
 */
static void drop_reread(struct lg_test *t, unsigned role, struct role_text *rt)
{
	unsigned i, k, j, n;
	char once[24];

	for (i = 0; i < rt->n; i++) {
		struct body *b = &rt->path[i];

		for (k = n = 0; k < b->n; k++) {
			const struct stmt *s = &b->s[k];
			const struct lg_domain *d = s->loc >= 0 ? &t->role[role].dom[s->loc] : NULL;
			bool again = false;

			if (s->reg >= 0 && d && d->n == 2) {
				value(t, s->loc, d->v[1], once, sizeof(once));
				for (j = 0; j < k && !again; j++)
					again = b->s[j].reg >= 0 && b->s[j].loc == s->loc &&
						!strcmp(b->s[j].val, once);
			}
			if (!again)
				b->s[n++] = *s;
		}
		b->n = n;
		tidy(b);
	}
}

static int role_text(struct lg_test *t, unsigned role, struct role_text *rt)
{
	const struct lg_role_runs *r = &t->role[role];
	unsigned i;

	memset(rt, 0, sizeof(*rt));
	rt->path = calloc(r->n, sizeof(*rt->path));
	if (!rt->path)
		return lg_fail(t, "out of memory");
	rt->n = r->n;
	for (i = 0; i < r->n; i++)
		if (body_of(t, role, &r->path[i], rt, &rt->path[i]))
			return -1;
	if (role + 1 < t->sh->nr_roles)
		drop_unused(rt);
	else
		drop_reread(t, role, rt);
	return 0;
}

static void print_thread(FILE *f, const struct lg_test *t, unsigned role,
			 const struct role_text *rt)
{
	struct body **all = calloc(rt->n, sizeof(*all));
	bool first = true;
	unsigned i, j, k, n;

	fprintf(f, "P%u(", role);
	for (i = 0; i < NR_LOCS; i++) {
		if (!rt->uses[i])
			continue;
		if (lg_loc_is_lock((int)i))
			fprintf(f, "%sspinlock_t *%s", first ? "" : ", ", lg_loc_name[i]);
		else
			fprintf(f, "%sint %s%s", first ? "" : ", ", stars(depth(t, (int)i) + 1),
				lg_loc_name[i]);
		first = false;
	}
	fprintf(f, ") // %s\n{\n", t->sh->role[role].what);
	for (i = 0, n = 0; i < rt->nregs; i++) {
		bool used = false;

		for (k = 0; k < rt->n && !used; k++)
			for (j = 0; j < rt->path[k].n && !used; j++)
				used = rt->path[k].s[j].reg == (int)i;
		if (used) {
			fprintf(f, "\tint %sr%u;\n", stars(depth(t, rt->reg_loc[i])), i);
			n++;
		}
	}
	if (n)
		fputc('\n', f);
	for (i = 0; i < rt->n; i++)
		all[i] = &rt->path[i];
	emit(f, all, rt->n, 0, 1, 0);
	free(all);
	fprintf(f, "}\n");
}

/* The atoms "k:rN=v" of one violating path. */
struct conj {
	unsigned n;
	char atom[LG_MAX_REGS][40];
};

/* Prints the disjunction of c[0..n) (sorted), factoring common leading atoms. */
static void print_dnf(FILE *f, struct conj *const *c, unsigned n, unsigned pos)
{
	unsigned i, j;

	while (n && pos < c[0]->n) {
		for (i = 1; i < n && pos < c[i]->n && !strcmp(c[i]->atom[pos], c[0]->atom[pos]); i++)
			;
		if (i < n)
			break;
		fprintf(f, "%s%s", c[0]->atom[pos], pos + 1 < c[0]->n ? " /\\ " : "");
		pos++;
	}
	if (!n || pos >= c[0]->n)
		return;
	fputc('(', f);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pos < c[j]->n && !strcmp(c[j]->atom[pos], c[i]->atom[pos]); j++)
			;
		if (i)
			fprintf(f, " \\/ ");
		if (j - i > 1)
			fputc('(', f);
		print_dnf(f, c + i, j - i, pos);
		if (j - i > 1)
			fputc(')', f);
	}
	fputc(')', f);
}

static int conj_cmp(const void *a, const void *b)
{
	const struct conj *x = *(struct conj *const *)a, *y = *(struct conj *const *)b;
	unsigned i;
	int d;

	for (i = 0; i < x->n && i < y->n; i++)
		if ((d = strcmp(x->atom[i], y->atom[i])))
			return d;
	return (int)x->n - (int)y->n;
}

static int print_exists(FILE *f, struct lg_test *t, const struct role_text *rt, unsigned role)
{
	struct conj *c = calloc(rt->n, sizeof(*c)), **pc = calloc(rt->n, sizeof(*pc));
	unsigned i, k, n = 0;

	if (!c || !pc) {
		free(c);
		free(pc);
		return lg_fail(t, "out of memory");
	}
	for (i = 0; i < rt->n; i++) {
		const struct body *b = &rt->path[i];

		if (!b->viol)
			continue;
		for (k = 0; k < b->n; k++)
			if (b->s[k].reg >= 0)
				snprintf(c[n].atom[c[n].n++], sizeof(c[0].atom[0]), "%u:r%d=%s", role,
					 b->s[k].reg, b->s[k].val);
		pc[n] = &c[n];
		n++;
	}
	qsort(pc, n, sizeof(*pc), conj_cmp);
	fprintf(f, "exists (");
	print_dnf(f, pc, n, 0);
	fprintf(f, ")\n");
	free(c);
	free(pc);
	return 0;
}

/* The kernel's naming: per CPU, what orders its first access of the
 * shape's data before its last, then the two accesses' kinds. */
static void token(const struct body *b, char *buf, size_t len)
{
	int first = -1, last = -1;
	unsigned i;
	size_t n = 0;

	for (i = 0; i < b->n; i++) {
		const struct stmt *s = &b->s[i];
		bool access = strchr(s->text, '*') || strstr(s->text, "smp_load_acquire") ||
			      strstr(s->text, "smp_store_release");

		if (access && !strstr(s->text, "seq") && !strstr(s->text, "spin_")) {
			bool again = false;

			/* A word seen before (the GUP's pte re-check) is not
			 * what the shape orders. */
			for (unsigned k = 0; k < i && !again; k++)
				again = b->s[k].loc >= 0 && b->s[k].loc == s->loc &&
					(b->s[k].reg >= 0) == (s->reg >= 0);
			if (again && s->loc >= 0)
				continue;
			if (first < 0)
				first = (int)i;
			last = (int)i;
		}
	}
	buf[0] = 0;
	for (i = first < 0 ? 0 : (unsigned)first + 1; last >= 0 && i < (unsigned)last; i++) {
		const char *s = b->s[i].text, *tok = NULL;

		if (!strcmp(s, "smp_mb();"))
			tok = "fencemb";
		else if (!strcmp(s, "smp_wmb();"))
			tok = "fencewmb";
		else if (!strcmp(s, "smp_rmb();"))
			tok = "fencermb";
		else if (strstr(s, "spin_"))
			tok = "lock";
		else if (strstr(s, "seq"))
			tok = "seq";
		if (tok && !(n >= strlen(tok) && !strcmp(buf + n - strlen(tok), tok)))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "-" : "", tok);
	}
	if (last >= 0 && strstr(b->s[last].text, "*r"))
		n += (size_t)snprintf(buf + n, len - n, "%saddr", n ? "-" : "");
	if (!n)
		n += (size_t)snprintf(buf + n, len - n, "po");
	for (i = 0; first >= 0 && i < 2; i++) {
		const char *s = b->s[i ? last : first].text;
		const char *kind = strstr(s, "acquire") ? "acquire" :
				   strstr(s, "release") ? "release" :
				   strstr(s, "ONCE") ? "once" : "na";

		if (i && first == last)
			break;
		n += (size_t)snprintf(buf + n, len - n, "%s", kind);
	}
}

/* " * " lines of at most 72 columns. */
static void para(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = p, *brk = NULL;

		while (*end && *end != '\n' && end - p < 68) {
			if (*end == ' ')
				brk = end;
			end++;
		}
		if (*end && *end != '\n' && brk)
			end = brk;
		fprintf(f, " * %.*s\n", (int)(end - p), p);
		p = *end ? end + 1 : end;
	}
}

/*
 * A word only one CPU of the test touches is that CPU's business: no other
 * CPU can read it or be ordered through it, so its accesses go (a load only
 * when nothing else on its path uses the value), as mm->seq does in the
 * two-CPU shapes, where only the fault's anon_vma section writes it.
 */
static void drop_private(struct role_text *rt, unsigned nr_roles)
{
	unsigned role, loc, i, k, q, n, users[NR_LOCS] = { 0 };

	for (loc = 0; loc < NR_LOCS; loc++)
		for (role = 0; role < nr_roles; role++)
			users[loc] += rt[role].uses[loc];
	for (role = 0; role < nr_roles; role++) {
		for (i = 0; i < rt[role].n; i++) {
			struct body *b = &rt[role].path[i];

			for (k = n = 0; k < b->n; k++) {
				const struct stmt *s = &b->s[k];
				bool private = s->loc >= 0 && users[s->loc] == 1 && !lg_loc_is_lock(s->loc);

				if (private && s->reg < 0)
					continue;		/* a store */
				if (private) {
					bool used = false;

					for (q = k + 1; q < b->n && !used; q++)
						used = (b->s[q].loc < 0 || users[b->s[q].loc] > 1) &&
						       names_reg(b->s[q].text, s->reg);
					if (!used)
						continue;
				}
				b->s[n++] = *s;
			}
			b->n = n;
			tidy(b);
		}
		for (loc = 0; loc < NR_LOCS; loc++)
			if (users[loc] == 1 && !lg_loc_is_lock((int)loc))
				rt[role].uses[loc] = false;
	}
}

int lg_render(struct lg_test *t, char *name, size_t len, FILE *out)
{
	const struct lg_shape *sh = t->sh;
	const struct fl_expect *e = &t->s->expect[sh->shape];
	struct role_text rt[LG_MAX_ROLES];
	unsigned role, i, last = sh->nr_roles - 1, total;
	char tok[96], *text;
	struct out o;
	size_t n;
	int err = 0;

	memset(rt, 0, sizeof(rt));
	for (role = 0; role < sh->nr_roles && !err; role++)
		err = role_text(t, role, &rt[role]);
	if (err)
		goto out;
	drop_private(rt, sh->nr_roles);
	/* The name: the shape's pattern, then each CPU's token (the GUP's
	 * from a violating path). */
	n = (size_t)snprintf(name, len, "%s", sh->nr_roles == 3 ? "ISA2" : "MP");
	for (role = 0; role < sh->nr_roles; role++) {
		const struct body *b = &rt[role].path[0];

		for (i = 0; role == last && i < rt[role].n; i++)
			if (rt[role].path[i].viol) {
				b = &rt[role].path[i];
				break;
			}
		token(b, tok, sizeof(tok));
		n += (size_t)snprintf(name + n, len - n, "+%s", tok);
	}

	fprintf(out, "C %s\n\n(*\n", name);
	fprintf(out, " * Result: %s\n * Strategy: %s\n * Shape: %s\n *\n", verdict_name(e->lkmm),
		t->s->name, shape_name(sh->shape));
	out_open(&o);
	fprintf(o.f, "Derived from %s and model/paths.h by build/faultline-litmusgen "
		"(docs/design.md section 7); do not edit: `make litmus` regenerates it and "
		"fails while this copy differs.\n", t->s->source);
	text = out_close(&o);
	para(out, text);
	free(text);
	fprintf(out, " *\n");
	para(out, sh->story);
	fprintf(out, " *\n");
	out_open(&o);
	for (role = 0; role < sh->nr_roles; role++)
		fprintf(o.f, "P%u is %s%s", role, sh->role[role].what,
			role + 1 < sh->nr_roles ? ", " : ". ");
	fprintf(o.f, "Words:");
	for (i = 0, total = 0; i < NR_LOCS; i++) {
		bool used = false;

		for (role = 0; role < sh->nr_roles; role++)
			used |= rt[role].uses[i];
		if (used)
			fprintf(o.f, "%s %s is %s", total++ ? "," : "", lg_loc_name[i], lg_loc_field[i]);
	}
	fprintf(o.f, ". Left out (the words this shape is not about, and locks one CPU alone takes):");
	for (role = 0; role < sh->nr_roles; role++)
		fprintf(o.f, " P%u: %s%s", role, rt[role].left_out[0] ? rt[role].left_out : "nothing",
			role + 1 < sh->nr_roles ? ";" : ".");
	fprintf(o.f, "\nAn earlier CPU branches wherever a value it could load changes what it "
		"does next (a pointer it found set but could find NULL ends its path: it would go "
		"on with an object of its own). The exists clause is every path of "
		"P%u (%u in all, %u waiting for another CPU) on which %s itself counts a %s "
		"violation: %s.", last, t->role[last].n, t->nr_spin, sh->role[last].what,
		shape_name(sh->shape), shape_desc(sh->shape));
	if (e->note)
		fprintf(o.f, "\nLKMM and the machines: %s.", e->note);
	text = out_close(&o);
	para(out, text);
	free(text);
	fprintf(out, " *)\n\n{\n");
	for (i = 0; i < NR_LOCS; i++) {
		bool used = false;

		for (role = 0; role < sh->nr_roles; role++)
			used |= rt[role].uses[i];
		/* herd7's init block takes one level of pointer at most. */
		if (used && !lg_loc_is_lock((int)i))
			fprintf(out, "\tint %s%s;\n", depth(t, (int)i) ? "*" : "", lg_loc_name[i]);
	}
	fprintf(out, "}\n");
	for (role = 0; role < sh->nr_roles; role++) {
		fputc('\n', out);
		print_thread(out, t, role, &rt[role]);
	}
	fputc('\n', out);
	err = print_exists(out, t, &rt[last], last);
out:
	for (role = 0; role < sh->nr_roles; role++)
		free(rt[role].path);
	return err;
}
