// SPDX-License-Identifier: GPL-2.0
/*
 * The parser of herd7 C litmus tests (the subset in litmus.h). One pass
 * over the file, recursive descent; the first error is the only one, as
 * "FILE:LINE: what", naming the construct (a longjmp back to
 * lt_parse_file(), which frees everything), so a front-end can print one
 * line and exit 2 before it has run or written anything.
 *
 * Two lexical modes, because herd7 has two languages in one file: at top
 * level (the prelude, between threads, the condition) "(* ... *)" is a
 * comment, and herd nests them; inside the init block and the threads the
 * code is C, where "(*p)" is a dereference and comments are // and the C
 * block comment.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "litmus.h"

#define MAX_FILE	(1 << 20)	/* a litmus test is a few KiB */
#define MAX_REG_INITS	64

/* ---- nodes ---------------------------------------------------------------- */

struct lt_arena {
	struct lt_arena *next;
	char mem[];
};

/* ---- the parser's state -------------------------------------------------- */

enum tok_kind { TK_EOF, TK_IDENT, TK_NUM, TK_STR, TK_PUNCT };

struct tok {
	enum tok_kind kind;
	char text[LT_NAME];	/* identifier, punctuation (truncated names are an error) */
	long num;
	unsigned line;		/* where it starts */
	const char *end;	/* just after it */
	unsigned end_line;
};

/* An "N:reg=value" of the init block, resolved once the threads are known. */
struct reg_init {
	unsigned thread, line;
	char name[LT_NAME];
	struct lt_value v;
};

struct parser {
	struct lt_test *t;
	const char *src, *end, *pos;
	unsigned line;
	bool herd;		/* "(* *)" comments: top level, not inside C code */
	jmp_buf fail;
	char *err;
	size_t errlen;
	/* the thread being parsed */
	struct lt_thread *th;
	unsigned tid;
	bool param[LT_MAX_LOCS];
	bool typed[LT_MAX_LOCS];	/* its type was given: a spinlock_t or not */
	struct reg_init rinit[MAX_REG_INITS];
	unsigned nrinit;
	/* the variables the condition and locations [...] show */
	struct lt_var shown[LT_MAX_VARS];
	unsigned nshown;
};

static void __attribute__((noreturn, format(printf, 3, 4)))
fail(struct parser *P, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(P->err, P->errlen, "%s:%u: ", P->t->file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < P->errlen)
		vsnprintf(P->err + n, P->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(P->fail, 1);
}

static void *alloc(struct parser *P, size_t n)
{
	struct lt_arena *a = calloc(1, sizeof(*a) + n);

	if (!a)
		fail(P, P->line, "out of memory");
	a->next = P->t->arena;
	P->t->arena = a;
	return a->mem;
}

/* ---- the lexer ----------------------------------------------------------- */

/* Longest first: the first that matches is taken. */
static const char *const puncts[] = {
	"/\\", "\\/", "==", "!=", "<=", ">=", "&&", "||", "->", "=>", "<<", ">>",
	"++", "--", "+=", "-=", "*=", "|=", "&=", "^=",
	"{", "}", "(", ")", "[", "]", ";", ",", ":", "=", "*", "&", "|", "^", "~",
	"!", "+", "-", "<", ">", "/", "%", ".", "?",
};

/* Skip blanks and comments from *p; the line count follows. */
static void skip_space(struct parser *P, const char **pp, unsigned *line)
{
	const char *p = *pp;

	for (;;) {
		if (p < P->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v')) {
			p++;
		} else if (p < P->end && *p == '\n') {
			p++;
			++*line;
		} else if (p + 1 < P->end && p[0] == '/' && p[1] == '/') {
			while (p < P->end && *p != '\n')
				p++;
		} else if (p + 1 < P->end && p[0] == '/' && p[1] == '*') {
			unsigned start = *line;

			for (p += 2; p + 1 < P->end && !(p[0] == '*' && p[1] == '/'); p++)
				*line += *p == '\n';
			if (p + 1 >= P->end)
				fail(P, start, "unterminated /* comment");
			p += 2;
		} else if (P->herd && p + 1 < P->end && p[0] == '(' && p[1] == '*') {
			/* herd's comments nest: "(*" inside one opens another */
			unsigned depth = 0, start = *line;

			do {
				if (p + 1 < P->end && p[0] == '(' && p[1] == '*') {
					depth++;
					p += 2;
				} else if (p + 1 < P->end && p[0] == '*' && p[1] == ')') {
					depth--;
					p += 2;
				} else if (p < P->end) {
					*line += *p == '\n';
					p++;
				} else {
					fail(P, start, "unterminated (* comment (herd nests them: "
					     "is there a \"(*\" inside?)");
				}
			} while (depth);
		} else {
			break;
		}
	}
	*pp = p;
}

/* The token at the current position, without consuming it. */
static struct tok peek(struct parser *P)
{
	struct tok k = { .kind = TK_EOF };
	const char *p = P->pos;
	unsigned line = P->line, i;

	skip_space(P, &p, &line);
	k.line = line;
	if (p >= P->end) {
		k.end = p;
		k.end_line = line;
		return k;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		const char *s = p;

		while (p < P->end && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		if ((size_t)(p - s) >= sizeof(k.text))
			fail(P, line, "name too long: '%.*s...'", 20, s);
		memcpy(k.text, s, (size_t)(p - s));
		k.kind = TK_IDENT;
	} else if (isdigit((unsigned char)*p)) {
		char *e;

		errno = 0;
		k.num = strtol(p, &e, p[0] == '0' && (p[1] == 'x' || p[1] == 'X') ? 16 : 10);
		if (errno)
			fail(P, line, "number out of range: '%.20s'", p);
		if (e < P->end && (isalnum((unsigned char)*e) || *e == '_'))
			fail(P, line, "bad number '%.*s'", (int)(e - p + 1), p);
		snprintf(k.text, sizeof(k.text), "%.*s", (int)(e - p), p);
		p = e;
		k.kind = TK_NUM;
	} else if (*p == '"') {
		for (p++; p < P->end && *p != '"' && *p != '\n'; p++)
			;
		if (p >= P->end || *p != '"')
			fail(P, line, "unterminated string");
		p++;
		k.kind = TK_STR;
		snprintf(k.text, sizeof(k.text), "\"...\"");
	} else {
		for (i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
			size_t n = strlen(puncts[i]);

			if ((size_t)(P->end - p) >= n && !memcmp(p, puncts[i], n)) {
				memcpy(k.text, puncts[i], n);
				p += n;
				k.kind = TK_PUNCT;
				break;
			}
		}
		if (k.kind != TK_PUNCT) {
			if (isprint((unsigned char)*p))
				fail(P, line, "unexpected character '%c'", *p);
			fail(P, line, "unexpected byte 0x%02x", (unsigned char)*p);
		}
	}
	k.end = p;
	k.end_line = line;
	return k;
}

static struct tok next(struct parser *P)
{
	struct tok k = peek(P);

	P->pos = k.end;
	P->line = k.end_line;
	return k;
}

static bool is(const struct tok *k, const char *text)
{
	return (k->kind == TK_PUNCT || k->kind == TK_IDENT) && !strcmp(k->text, text);
}

static bool accept(struct parser *P, const char *text)
{
	struct tok k = peek(P);

	if (!is(&k, text))
		return false;
	next(P);
	return true;
}

static const char *describe(const struct tok *k)
{
	return k->kind == TK_EOF ? "the end of the file" : k->text;
}

static struct tok expect(struct parser *P, const char *text, const char *where)
{
	struct tok k = next(P);

	if (!is(&k, text))
		fail(P, k.line, "expected '%s' %s, found '%s'", text, where, describe(&k));
	return k;
}

static struct tok expect_ident(struct parser *P, const char *what)
{
	struct tok k = next(P);

	if (k.kind != TK_IDENT)
		fail(P, k.line, "expected %s, found '%s'", what, describe(&k));
	return k;
}

/* ---- names ---------------------------------------------------------------- */

static int find_loc(const struct lt_test *t, const char *name)
{
	unsigned i;

	for (i = 0; i < t->nlocs; i++)
		if (!strcmp(t->loc[i].name, name))
			return (int)i;
	return -1;
}

static unsigned add_loc(struct parser *P, const char *name, unsigned line)
{
	int i = find_loc(P->t, name);
	struct lt_loc *l;

	if (i >= 0)
		return (unsigned)i;
	if (P->t->nlocs == LT_MAX_LOCS)
		fail(P, line, "'%s': more than %u locations", name, LT_MAX_LOCS);
	l = &P->t->loc[P->t->nlocs];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->line = line;
	return P->t->nlocs++;
}

static int find_reg(const struct lt_thread *th, const char *name)
{
	unsigned i;

	for (i = 0; i < th->nregs; i++)
		if (!strcmp(th->reg[i], name))
			return (int)i;
	return -1;
}

static unsigned add_reg(struct parser *P, struct lt_thread *th, unsigned tid, const char *name,
			unsigned line)
{
	int i = find_reg(th, name);

	if (i >= 0)
		return (unsigned)i;
	if (th->nregs == LT_MAX_REGS)
		fail(P, line, "P%u: more than %u registers", tid, LT_MAX_REGS);
	snprintf(th->reg[th->nregs], LT_NAME, "%s", name);
	return th->nregs++;
}

/* What herd7 does not have, or this version leaves out, by name. */
static void reject_keyword(struct parser *P, const struct tok *k)
{
	static const char *const loops[] = { "while", "for", "do", "goto", "switch", "case",
					     "default", "break", "continue", "return" };
	static const char *const types[] = { "struct", "union", "enum", "typedef", "sizeof" };
	unsigned i;

	if (k->kind != TK_IDENT)
		return;
	for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (!strcmp(k->text, loops[i]))
			fail(P, k->line, "'%s' is not supported (no loops or jumps in this subset)",
			     k->text);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(k->text, types[i]))
			fail(P, k->line, "'%s' is not supported (every location is one word or a "
			     "spinlock_t)", k->text);
}

/* The type words herd7's C takes; every location is one word regardless. */
static bool is_type_word(const char *s)
{
	static const char *const words[] = {
		"int", "long", "short", "char", "unsigned", "signed", "bool", "_Bool",
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "intptr_t",
		"uintptr_t", "size_t", "atomic_t", "atomic_long_t", "spinlock_t",
		"const", "volatile",
	};
	unsigned i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Type words, then stars: is it a spinlock_t, and how many '*'? */
static unsigned parse_type(struct parser *P, bool *lock)
{
	unsigned stars = 0;
	struct tok k;

	*lock = false;
	for (;;) {
		k = peek(P);
		if (k.kind != TK_IDENT || !is_type_word(k.text))
			break;
		*lock |= !strcmp(k.text, "spinlock_t");
		next(P);
	}
	while (accept(P, "*"))
		stars++;
	return stars;
}

/* ---- the header and the init block ------------------------------------------ */

static void parse_header(struct parser *P)
{
	static const char *const archs[] = { "AArch64", "ARM", "PPC", "X86", "X86_64", "MIPS",
					     "RISCV", "LISA", "BPF", "ASL" };
	const char *p = P->src, *w, *e;
	unsigned i;
	size_t n;

	if (memchr(P->src, 0, (size_t)(P->end - P->src)))
		fail(P, 1, "not a C litmus test: a binary file");
	while (p < P->end && isspace((unsigned char)*p))
		P->line += *p++ == '\n';
	for (w = p; p < P->end && !isspace((unsigned char)*p); p++)
		;
	n = (size_t)(p - w);
	if (n != 1 || *w != 'C') {
		for (i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
			if (n == strlen(archs[i]) && !memcmp(w, archs[i], n))
				fail(P, P->line, "not a C litmus test: an %s test (only herd7 C "
				     "tests run here)", archs[i]);
		fail(P, P->line, "not a C litmus test: the first line is not 'C NAME'");
	}
	while (p < P->end && (*p == ' ' || *p == '\t'))
		p++;
	for (e = p; e < P->end && !isspace((unsigned char)*e); e++)
		;
	if (e == p)
		fail(P, P->line, "'C' without a test name");
	if ((size_t)(e - p) >= sizeof(P->t->name))
		fail(P, P->line, "test name too long");
	memcpy(P->t->name, p, (size_t)(e - p));
	P->pos = e;
}

/* An initial value: an integer, a location (its address), &loc, ATOMIC_INIT(n). */
static struct lt_value parse_init_value(struct parser *P)
{
	struct lt_value v = { 0 };
	struct tok k = next(P);
	bool neg = false;

	if (is(&k, "-")) {
		neg = true;
		k = next(P);
	}
	if (k.kind == TK_NUM) {
		v.v = neg ? -k.num : k.num;
		return v;
	}
	if (neg)
		fail(P, k.line, "expected a number after '-', found '%s'", describe(&k));
	if (is(&k, "&"))
		k = expect_ident(P, "a location after '&'");
	if (k.kind != TK_IDENT)
		fail(P, k.line, "expected an initial value (a number or a location), found '%s'",
		     describe(&k));
	if (!strcmp(k.text, "NULL"))
		return v;
	if (!strcmp(k.text, "ATOMIC_INIT")) {
		struct tok n;

		expect(P, "(", "after ATOMIC_INIT");
		n = next(P);
		if (n.kind != TK_NUM)
			fail(P, n.line, "ATOMIC_INIT() takes a number");
		expect(P, ")", "closing ATOMIC_INIT(");
		v.v = n.num;
		return v;
	}
	v.is_loc = true;
	v.v = add_loc(P, k.text, k.line);
	return v;
}

static void set_loc_init(struct parser *P, unsigned i, struct lt_value v, unsigned line)
{
	if (P->t->loc[i].lock)
		fail(P, line, "'%s' is a spinlock_t: it starts unlocked and takes no value",
		     P->t->loc[i].name);
	P->t->loc[i].init = v;
}

/* A location's type is given (a declaration, a parameter): the same everywhere. */
static void mark_lock(struct parser *P, unsigned i, bool lock, unsigned line)
{
	struct lt_loc *l = &P->t->loc[i];

	if (P->typed[i] && l->lock != lock)
		fail(P, line, "'%s' is a spinlock_t in one place and not in another", l->name);
	if (lock && !l->lock && (l->init.v || l->init.is_loc))
		fail(P, line, "'%s' is a spinlock_t but has an initial value", l->name);
	l->lock = lock;
	P->typed[i] = true;
}

static void parse_init(struct parser *P)
{
	struct tok k;

	/* The comments before it are herd's; from '{' on, the code is C. */
	skip_space(P, &P->pos, &P->line);
	P->herd = false;
	expect(P, "{", "to open the initial state");
	for (;;) {
		k = peek(P);
		if (k.kind == TK_EOF)
			fail(P, k.line, "the initial state '{' is not closed");
		if (accept(P, "}"))
			break;
		if (accept(P, ";"))
			continue;
		reject_keyword(P, &k);
		if (k.kind == TK_NUM) {
			/* N:reg=value, a register's initial value */
			struct reg_init *ri;
			struct tok r;

			next(P);
			expect(P, ":", "in a register's initial value (N:reg=value)");
			r = expect_ident(P, "a register name after 'N:'");
			expect(P, "=", "in a register's initial value");
			if (P->nrinit == MAX_REG_INITS)
				fail(P, k.line, "more than %u register initial values", MAX_REG_INITS);
			ri = &P->rinit[P->nrinit++];
			ri->thread = (unsigned)k.num;
			ri->line = k.line;
			snprintf(ri->name, sizeof(ri->name), "%s", r.text);
			ri->v = parse_init_value(P);
		} else if (k.kind == TK_IDENT && is_type_word(k.text)) {
			/* int x; int *p = &x; spinlock_t l; int a, b = 1; */
			bool lock;
			unsigned i;

			parse_type(P, &lock);
			for (;;) {
				while (accept(P, "*"))
					;
				k = expect_ident(P, "a location name");
				i = add_loc(P, k.text, k.line);
				mark_lock(P, i, lock, k.line);
				if (accept(P, "="))
					set_loc_init(P, i, parse_init_value(P), k.line);
				if (!accept(P, ","))
					break;
			}
		} else if (k.kind == TK_IDENT) {
			/* x = 1; p = x; p = &x; */
			struct lt_value v;
			unsigned i;

			next(P);
			if (!accept(P, "="))
				fail(P, k.line, "unknown type '%s' in the initial state", k.text);
			i = add_loc(P, k.text, k.line);
			v = parse_init_value(P);
			set_loc_init(P, i, v, k.line);
		} else {
			fail(P, k.line, "unexpected '%s' in the initial state", describe(&k));
		}
		k = peek(P);
		if (!is(&k, "}") && !accept(P, ";"))
			fail(P, k.line, "expected ';' in the initial state, found '%s'", describe(&k));
	}
}

/* ---- expressions ------------------------------------------------------------ */

static struct lt_expr *node(struct parser *P, enum lt_expr_kind kind, unsigned line)
{
	struct lt_expr *e = alloc(P, sizeof(*e));

	e->kind = kind;
	e->line = line;
	return e;
}

static struct lt_expr *parse_expr(struct parser *P);

/* The location a constant address names, or -1 (a register: known at run time). */
static int const_loc(const struct lt_expr *e)
{
	return e->kind == LT_E_LOC ? (int)e->k : -1;
}

/* An argument that is a location address: no spinlock where a word is meant. */
static void check_word(struct parser *P, const struct lt_expr *a, const char *prim)
{
	int i = const_loc(a);

	if (i >= 0 && P->t->loc[i].lock)
		fail(P, a->line, "%s: '%s' is a spinlock_t (only spin_lock(), spin_unlock(), "
		     "spin_trylock() and spin_is_locked() take one)", prim, P->t->loc[i].name);
	if (a->kind == LT_E_CONST)
		fail(P, a->line, "%s: a number is not a location", prim);
}

static void check_lock(struct parser *P, const struct lt_expr *a, const char *prim)
{
	int i = const_loc(a);

	if (i >= 0 && !P->t->loc[i].lock)
		fail(P, a->line, "%s: '%s' is not a spinlock_t (declare the parameter "
		     "spinlock_t *%s)", prim, P->t->loc[i].name, P->t->loc[i].name);
	if (a->kind == LT_E_CONST)
		fail(P, a->line, "%s: a number is not a lock", prim);
}

/* "*PTR": the argument of READ_ONCE(), WRITE_ONCE(), rcu_dereference(), ... */
static struct lt_expr *parse_lvalue_arg(struct parser *P, const char *prim)
{
	struct tok k = peek(P);
	struct lt_expr *e = parse_expr(P);

	if (e->kind != LT_E_LOAD || e->acc != LT_PLAIN)
		fail(P, k.line, "%s() takes *POINTER, as in %s(*x)", prim, prim);
	check_word(P, e->a, prim);
	return e->a;
}

static struct lt_expr *parse_ptr_arg(struct parser *P, const char *prim, bool lock)
{
	struct lt_expr *e = parse_expr(P);

	if (lock)
		check_lock(P, e, prim);
	else
		check_word(P, e, prim);
	return e;
}

static struct lt_expr *negate(struct parser *P, struct lt_expr *e)
{
	struct lt_expr *n = node(P, LT_E_UNOP, e->line);

	n->k = '-';
	n->a = e;
	return n;
}

static struct lt_expr *constant(struct parser *P, long v, unsigned line)
{
	struct lt_expr *e = node(P, LT_E_CONST, line);

	e->k = v;
	return e;
}

/*
 * The RMWs, by name: atomic_ / atomic_long_ prefix, _relaxed / _acquire /
 * _release suffix (none: fully ordered). operand: how it is given.
 */
enum rmw_args {
	A_PV,		/* (PTR, V): xchg, atomic_xchg */
	A_POW,		/* (PTR, OLD, NEW): cmpxchg */
	A_VP,		/* (V, PTR): atomic_add and the like */
	A_P,		/* (PTR): atomic_inc and the like, the operand is fixed */
	A_PVW,		/* (PTR, V, W): atomic_add_unless */
};

struct rmw_name {
	const char *base;	/* without "atomic_" (atomic: true) and without the suffix */
	bool atomic;
	enum lt_rmw_op op;
	enum rmw_args args;
	long fixed;		/* A_P: the operand; A_VP: -1 to negate it (sub) */
	enum lt_rmw_ret ret;
	bool orders;		/* takes the _relaxed/_acquire/_release suffixes */
};

static const struct rmw_name rmws[] = {
	{ "xchg", false, LT_RMW_XCHG, A_PV, 0, LT_RET_OLD, true },
	{ "cmpxchg", false, LT_RMW_CMPXCHG, A_POW, 0, LT_RET_OLD, true },
	{ "xchg", true, LT_RMW_XCHG, A_PV, 0, LT_RET_OLD, true },
	{ "cmpxchg", true, LT_RMW_CMPXCHG, A_POW, 0, LT_RET_OLD, true },
	{ "add", true, LT_RMW_ADD, A_VP, 0, LT_RET_NONE, false },
	{ "sub", true, LT_RMW_ADD, A_VP, -1, LT_RET_NONE, false },
	{ "and", true, LT_RMW_AND, A_VP, 0, LT_RET_NONE, false },
	{ "or", true, LT_RMW_OR, A_VP, 0, LT_RET_NONE, false },
	{ "xor", true, LT_RMW_XOR, A_VP, 0, LT_RET_NONE, false },
	{ "andnot", true, LT_RMW_ANDNOT, A_VP, 0, LT_RET_NONE, false },
	{ "inc", true, LT_RMW_ADD, A_P, 1, LT_RET_NONE, false },
	{ "dec", true, LT_RMW_ADD, A_P, -1, LT_RET_NONE, false },
	{ "add_return", true, LT_RMW_ADD, A_VP, 0, LT_RET_NEW, true },
	{ "sub_return", true, LT_RMW_ADD, A_VP, -1, LT_RET_NEW, true },
	{ "inc_return", true, LT_RMW_ADD, A_P, 1, LT_RET_NEW, true },
	{ "dec_return", true, LT_RMW_ADD, A_P, -1, LT_RET_NEW, true },
	{ "fetch_add", true, LT_RMW_ADD, A_VP, 0, LT_RET_OLD, true },
	{ "fetch_sub", true, LT_RMW_ADD, A_VP, -1, LT_RET_OLD, true },
	{ "fetch_and", true, LT_RMW_AND, A_VP, 0, LT_RET_OLD, true },
	{ "fetch_or", true, LT_RMW_OR, A_VP, 0, LT_RET_OLD, true },
	{ "fetch_xor", true, LT_RMW_XOR, A_VP, 0, LT_RET_OLD, true },
	{ "fetch_andnot", true, LT_RMW_ANDNOT, A_VP, 0, LT_RET_OLD, true },
	{ "fetch_inc", true, LT_RMW_ADD, A_P, 1, LT_RET_OLD, true },
	{ "fetch_dec", true, LT_RMW_ADD, A_P, -1, LT_RET_OLD, true },
	{ "sub_and_test", true, LT_RMW_ADD, A_VP, -1, LT_RET_ZERO, false },
	{ "dec_and_test", true, LT_RMW_ADD, A_P, -1, LT_RET_ZERO, false },
	{ "inc_and_test", true, LT_RMW_ADD, A_P, 1, LT_RET_ZERO, false },
	{ "add_negative", true, LT_RMW_ADD, A_VP, 0, LT_RET_NEG, true },
	{ "add_unless", true, LT_RMW_ADD_UNLESS, A_PVW, 0, LT_RET_OK, false },
	{ "inc_not_zero", true, LT_RMW_ADD_UNLESS, A_P, 1, LT_RET_OK, false },
};

static const struct rmw_name *find_rmw(const char *name, enum lt_order *order)
{
	static const struct { const char *suffix; enum lt_order order; } sfx[] = {
		{ "_relaxed", LT_RELAXED }, { "_acquire", LT_ACQ }, { "_release", LT_REL },
	};
	char base[LT_NAME];
	bool atomic = false;
	size_t n;
	unsigned i;

	if (!strncmp(name, "atomic_long_", 12)) {
		name += 12;
		atomic = true;
	} else if (!strncmp(name, "atomic_", 7)) {
		name += 7;
		atomic = true;
	}
	snprintf(base, sizeof(base), "%s", name);
	*order = LT_MB;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		n = strlen(base);
		if (n > strlen(sfx[i].suffix) && !strcmp(base + n - strlen(sfx[i].suffix),
							  sfx[i].suffix)) {
			base[n - strlen(sfx[i].suffix)] = 0;
			*order = sfx[i].order;
			break;
		}
	}
	for (i = 0; i < sizeof(rmws) / sizeof(rmws[0]); i++) {
		const struct rmw_name *r = &rmws[i];

		if (r->atomic == atomic && !strcmp(r->base, base) &&
		    (*order == LT_MB || r->orders)) {
			if (!r->orders && r->ret == LT_RET_NONE)
				*order = LT_RELAXED;	/* void atomics order nothing */
			return r;
		}
	}
	return NULL;
}

static struct lt_expr *parse_rmw(struct parser *P, const struct tok *name, const struct rmw_name *r,
				 enum lt_order order)
{
	struct lt_expr *e = node(P, LT_E_RMW, name->line);

	e->op = r->op;
	e->order = order;
	e->ret = r->ret;
	switch (r->args) {
	case A_PV:
		e->a = parse_ptr_arg(P, name->text, false);
		expect(P, ",", "between the arguments");
		e->b = parse_expr(P);
		break;
	case A_POW:
		e->a = parse_ptr_arg(P, name->text, false);
		expect(P, ",", "between the arguments");
		e->c = parse_expr(P);	/* old */
		expect(P, ",", "between the arguments");
		e->b = parse_expr(P);	/* new */
		break;
	case A_VP:
		e->b = parse_expr(P);
		if (r->fixed < 0)
			e->b = negate(P, e->b);
		expect(P, ",", "between the arguments");
		e->a = parse_ptr_arg(P, name->text, false);
		break;
	case A_P:
		e->a = parse_ptr_arg(P, name->text, false);
		e->b = constant(P, r->fixed, name->line);
		if (r->op == LT_RMW_ADD_UNLESS)
			e->c = constant(P, 0, name->line);	/* inc_not_zero: unless 0 */
		break;
	case A_PVW:
		e->a = parse_ptr_arg(P, name->text, false);
		expect(P, ",", "between the arguments");
		e->b = parse_expr(P);
		expect(P, ",", "between the arguments");
		e->c = parse_expr(P);
		break;
	}
	return e;
}

static const struct { const char *name; enum lt_fence f; } fences[] = {
	{ "smp_mb", LT_F_MB }, { "smp_wmb", LT_F_WMB }, { "smp_rmb", LT_F_RMB },
	{ "smp_mb__before_atomic", LT_F_BEFORE_ATOMIC },
	{ "smp_mb__after_atomic", LT_F_AFTER_ATOMIC },
	{ "smp_mb__after_spinlock", LT_F_AFTER_SPINLOCK },
	{ "smp_mb__after_unlock_lock", LT_F_AFTER_UNLOCK_LOCK },
	{ "barrier", LT_F_BARRIER },
	{ "rcu_read_lock", LT_F_RCU_LOCK }, { "rcu_read_unlock", LT_F_RCU_UNLOCK },
};

/* Known to LKMM, left out of this version: say so by name. */
static void reject_prim(struct parser *P, const struct tok *k)
{
	static const char *const prefixes[] = { "synchronize_rcu", "call_rcu", "srcu_",
						"synchronize_srcu", "smp_mb__after_srcu" };
	unsigned i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(k->text, prefixes[i], strlen(prefixes[i])))
			fail(P, k->line, "%s(): RCU grace periods and SRCU are out of scope in "
			     "this version", k->text);
	if (!strncmp(k->text, "smp_cond_load", 13))
		fail(P, k->line, "%s() is not supported (it is a loop)", k->text);
}

/*
 * A call. stmt: in statement position, where the void primitives are
 * allowed; they come back in *st. Otherwise the call must have a value.
 */
static struct lt_expr *parse_call(struct parser *P, const struct tok *name, struct lt_stmt **st)
{
	const char *n = name->text;
	struct lt_expr *e = NULL;
	struct lt_stmt *s = NULL;
	const struct rmw_name *r;
	enum lt_order order;
	unsigned i;

	reject_prim(P, name);
	expect(P, "(", "after the function name");
	for (i = 0; i < sizeof(fences) / sizeof(fences[0]); i++) {
		if (!strcmp(n, fences[i].name)) {
			s = alloc(P, sizeof(*s));
			s->kind = LT_S_FENCE;
			s->fence = fences[i].f;
			goto done;
		}
	}
	if (!strcmp(n, "READ_ONCE") || !strcmp(n, "rcu_dereference")) {
		e = node(P, LT_E_LOAD, name->line);
		e->acc = LT_ONCE;
		e->a = parse_lvalue_arg(P, n);
	} else if (!strcmp(n, "smp_load_acquire") || !strcmp(n, "atomic_read_acquire") ||
		   !strcmp(n, "atomic_long_read_acquire")) {
		e = node(P, LT_E_LOAD, name->line);
		e->acc = LT_ACQUIRE;
		e->a = parse_ptr_arg(P, n, false);
	} else if (!strcmp(n, "atomic_read") || !strcmp(n, "atomic_long_read")) {
		e = node(P, LT_E_LOAD, name->line);
		e->acc = LT_ONCE;
		e->a = parse_ptr_arg(P, n, false);
	} else if (!strcmp(n, "WRITE_ONCE") || !strcmp(n, "rcu_assign_pointer") ||
		   !strcmp(n, "smp_store_mb")) {
		s = alloc(P, sizeof(*s));
		s->kind = !strcmp(n, "smp_store_mb") ? LT_S_STORE_MB : LT_S_STORE;
		s->acc = !strcmp(n, "rcu_assign_pointer") ? LT_RELEASE : LT_ONCE;
		s->a = parse_lvalue_arg(P, n);
		expect(P, ",", "between the arguments");
		s->b = parse_expr(P);
	} else if (!strcmp(n, "smp_store_release") || !strcmp(n, "atomic_set") ||
		   !strcmp(n, "atomic_set_release") || !strcmp(n, "atomic_long_set") ||
		   !strcmp(n, "atomic_long_set_release")) {
		s = alloc(P, sizeof(*s));
		s->kind = LT_S_STORE;
		s->acc = strstr(n, "release") ? LT_RELEASE : LT_ONCE;
		s->a = parse_ptr_arg(P, n, false);
		expect(P, ",", "between the arguments");
		s->b = parse_expr(P);
	} else if (!strcmp(n, "spin_lock") || !strcmp(n, "spin_unlock")) {
		s = alloc(P, sizeof(*s));
		s->kind = !strcmp(n, "spin_lock") ? LT_S_LOCK : LT_S_UNLOCK;
		s->a = parse_ptr_arg(P, n, true);
	} else if (!strcmp(n, "spin_trylock") || !strcmp(n, "spin_is_locked")) {
		e = node(P, !strcmp(n, "spin_trylock") ? LT_E_TRYLOCK : LT_E_ISLOCKED, name->line);
		e->a = parse_ptr_arg(P, n, true);
	} else if ((r = find_rmw(n, &order))) {
		e = parse_rmw(P, name, r, order);
	} else {
		fail(P, name->line, "unknown or unsupported primitive '%s()'", n);
	}
done:
	expect(P, ")", "closing the call");
	if (s) {
		s->line = name->line;
		if (!st)
			fail(P, name->line, "%s() has no value", n);
		*st = s;
		return NULL;
	}
	if (st && e->kind == LT_E_RMW && e->ret == LT_RET_NONE) {
		s = alloc(P, sizeof(*s));
		s->kind = LT_S_EVAL;
		s->line = name->line;
		s->a = e;
		*st = s;
		return NULL;
	}
	if (e->kind == LT_E_RMW && e->ret == LT_RET_NONE)
		fail(P, name->line, "%s() has no value", n);
	return e;
}

static struct lt_expr *parse_primary(struct parser *P)
{
	struct tok k = next(P), t;
	struct lt_expr *e;
	int i;

	if (k.kind == TK_NUM)
		return constant(P, k.num, k.line);
	if (is(&k, "(")) {
		t = peek(P);
		if (t.kind == TK_IDENT && is_type_word(t.text))
			fail(P, t.line, "casts are not supported");
		e = parse_expr(P);
		expect(P, ")", "closing '('");
		return e;
	}
	if (k.kind != TK_IDENT)
		fail(P, k.line, "expected an expression, found '%s'", describe(&k));
	reject_keyword(P, &k);
	t = peek(P);
	if (is(&t, "("))
		return parse_call(P, &k, NULL);
	if (!strcmp(k.text, "NULL") || !strcmp(k.text, "false"))
		return constant(P, 0, k.line);
	if (!strcmp(k.text, "true"))
		return constant(P, 1, k.line);
	if ((i = find_reg(P->th, k.text)) >= 0) {
		e = node(P, LT_E_REG, k.line);
		e->k = i;
		return e;
	}
	i = find_loc(P->t, k.text);
	if (i >= 0 && P->param[i]) {
		e = node(P, LT_E_LOC, k.line);
		e->k = i;
		return e;
	}
	fail(P, k.line, "'%s' is neither a parameter of P%u nor a register declared before",
	     k.text, P->tid);
}

static struct lt_expr *parse_unary(struct parser *P)
{
	struct tok k = peek(P);
	struct lt_expr *e;

	if (is(&k, "*")) {
		next(P);
		e = node(P, LT_E_LOAD, k.line);
		e->acc = LT_PLAIN;
		e->a = parse_unary(P);
		check_word(P, e->a, "*");
		return e;
	}
	if (is(&k, "!") || is(&k, "-") || is(&k, "~")) {
		next(P);
		e = node(P, LT_E_UNOP, k.line);
		e->k = k.text[0];
		e->a = parse_unary(P);
		return e;
	}
	if (is(&k, "&"))
		fail(P, k.line, "'&' is not supported in code (a parameter is already the "
		     "location's address)");
	if (is(&k, "++") || is(&k, "--"))
		fail(P, k.line, "'%s' is not supported", k.text);
	return parse_primary(P);
}

/* Binary operators, loosest first; one level of the climb per row. */
static const struct { const char *text; enum lt_binop op; unsigned level; } binops[] = {
	{ "||", LT_OP_LOR, 0 }, { "&&", LT_OP_LAND, 1 }, { "|", LT_OP_OR, 2 },
	{ "^", LT_OP_XOR, 3 }, { "&", LT_OP_AND, 4 }, { "==", LT_OP_EQ, 5 },
	{ "!=", LT_OP_NE, 5 }, { "<", LT_OP_LT, 6 }, { ">", LT_OP_GT, 6 },
	{ "<=", LT_OP_LE, 6 }, { ">=", LT_OP_GE, 6 }, { "+", LT_OP_ADD, 7 },
	{ "-", LT_OP_SUB, 7 }, { "*", LT_OP_MUL, 8 },
};
#define NR_LEVELS	9

static struct lt_expr *parse_binary(struct parser *P, unsigned level)
{
	struct lt_expr *e, *l;
	struct tok k;
	unsigned i;
	bool found;

	if (level == NR_LEVELS)
		return parse_unary(P);
	l = parse_binary(P, level + 1);
	do {
		found = false;
		k = peek(P);
		if (k.kind != TK_PUNCT)
			break;
		if (is(&k, "/") || is(&k, "%") || is(&k, "<<") || is(&k, ">>") || is(&k, "?"))
			fail(P, k.line, "operator '%s' is not supported", k.text);
		for (i = 0; i < sizeof(binops) / sizeof(binops[0]); i++) {
			if (binops[i].level == level && !strcmp(k.text, binops[i].text)) {
				next(P);
				e = node(P, LT_E_BINOP, k.line);
				e->k = binops[i].op;
				e->a = l;
				e->b = parse_binary(P, level + 1);
				l = e;
				found = true;
				break;
			}
		}
	} while (found);
	return l;
}

static struct lt_expr *parse_expr(struct parser *P)
{
	return parse_binary(P, 0);
}

/* ---- statements ------------------------------------------------------------- */

static struct lt_stmt *stmt_new(struct parser *P, enum lt_stmt_kind kind, unsigned line)
{
	struct lt_stmt *s = alloc(P, sizeof(*s));

	s->kind = kind;
	s->line = line;
	return s;
}

static struct lt_stmt *parse_stmt(struct parser *P);

/* Statements up to the closing '}' (consumed). */
static struct lt_stmt *parse_block(struct parser *P, unsigned open_line)
{
	struct lt_stmt *head = NULL, **tail = &head, *s;

	for (;;) {
		struct tok k = peek(P);

		if (k.kind == TK_EOF)
			fail(P, open_line, "'{' is not closed");
		if (accept(P, "}"))
			return head;
		s = parse_stmt(P);
		if (s) {
			*tail = s;
			while (s->next)
				s = s->next;
			tail = &s->next;
		}
	}
}

/* int r0; int *r1 = expr; int a, b; -> the assignments of the initialisers */
static struct lt_stmt *parse_decl(struct parser *P)
{
	struct lt_stmt *head = NULL, **tail = &head;
	bool lock;

	parse_type(P, &lock);
	if (lock)
		fail(P, P->line, "a spinlock_t must be a parameter, not a local");
	for (;;) {
		struct tok k;
		int i;

		while (accept(P, "*"))
			;
		k = expect_ident(P, "a register name");
		reject_keyword(P, &k);
		i = find_loc(P->t, k.text);
		if (i >= 0 && P->param[i])
			fail(P, k.line, "'%s' is a parameter of P%u and a register", k.text, P->tid);
		if (find_reg(P->th, k.text) >= 0)
			fail(P, k.line, "register '%s' declared twice in P%u", k.text, P->tid);
		add_reg(P, P->th, P->tid, k.text, k.line);
		if (accept(P, "=")) {
			struct lt_stmt *s = stmt_new(P, LT_S_ASSIGN, k.line);

			s->reg = (unsigned)find_reg(P->th, k.text);
			s->a = parse_expr(P);
			*tail = s;
			tail = &s->next;
		}
		if (!accept(P, ","))
			break;
	}
	expect(P, ";", "after the declaration");
	return head;
}

static struct lt_stmt *parse_stmt(struct parser *P)
{
	struct tok k = peek(P);
	struct lt_stmt *s = NULL;
	struct lt_expr *e;
	int i;

	if (accept(P, ";"))
		return NULL;
	if (is(&k, "{")) {
		next(P);
		s = stmt_new(P, LT_S_BLOCK, k.line);
		s->body = parse_block(P, k.line);
		return s;
	}
	reject_keyword(P, &k);
	if (k.kind == TK_IDENT && is_type_word(k.text))
		return parse_decl(P);
	if (is(&k, "if")) {
		next(P);
		s = stmt_new(P, LT_S_IF, k.line);
		expect(P, "(", "after 'if'");
		s->a = parse_expr(P);
		expect(P, ")", "closing the condition of 'if'");
		s->then = parse_stmt(P);
		if (accept(P, "else"))
			s->els = parse_stmt(P);
		return s;
	}
	if (is(&k, "else"))
		fail(P, k.line, "'else' without 'if'");
	if (is(&k, "*")) {
		/* *p = v: a plain store */
		next(P);
		s = stmt_new(P, LT_S_STORE, k.line);
		s->acc = LT_PLAIN;
		s->a = parse_unary(P);
		check_word(P, s->a, "*");
		k = next(P);
		if (!is(&k, "="))
			fail(P, k.line, "expected '=' after *POINTER, found '%s'", describe(&k));
		s->b = parse_expr(P);
		expect(P, ";", "after the statement");
		return s;
	}
	if (k.kind == TK_IDENT) {
		struct tok n;
		const char *save = P->pos;
		unsigned save_line = P->line;

		next(P);
		n = peek(P);
		if (is(&n, "(")) {
			e = parse_call(P, &k, &s);
			if (!s) {
				s = stmt_new(P, LT_S_EVAL, k.line);
				s->a = e;
			}
			expect(P, ";", "after the statement");
			return s;
		}
		if (is(&n, "=")) {
			next(P);
			if ((i = find_reg(P->th, k.text)) < 0) {
				i = find_loc(P->t, k.text);
				if (i >= 0 && P->param[i])
					fail(P, k.line, "assigning to the parameter '%s': write *%s = ...",
					     k.text, k.text);
				fail(P, k.line, "'%s' is not a register declared before", k.text);
			}
			s = stmt_new(P, LT_S_ASSIGN, k.line);
			s->reg = (unsigned)i;
			s->a = parse_expr(P);
			expect(P, ";", "after the statement");
			return s;
		}
		if (n.kind == TK_PUNCT && strlen(n.text) == 2 && n.text[1] == '=' &&
		    strchr("+-*|&^", n.text[0]))
			fail(P, n.line, "compound assignment '%s' is not supported", n.text);
		if (is(&n, "++") || is(&n, "--"))
			fail(P, n.line, "'%s' is not supported", n.text);
		P->pos = save;	/* an expression statement starting with a name */
		P->line = save_line;
	}
	s = stmt_new(P, LT_S_EVAL, k.line);
	s->a = parse_expr(P);
	expect(P, ";", "after the statement");
	return s;
}

/* ---- threads ------------------------------------------------------------------ */

static bool thread_name(const struct tok *k, unsigned *n)
{
	const char *p = k->text + 1;
	char *e;

	if (k->kind != TK_IDENT || k->text[0] != 'P' || !isdigit((unsigned char)*p))
		return false;
	*n = (unsigned)strtoul(p, &e, 10);
	return !*e;
}

static void parse_thread(struct parser *P, unsigned n, unsigned line)
{
	struct lt_thread *th = &P->t->th[n];
	struct tok k;

	P->herd = false;
	P->th = th;
	P->tid = n;
	th->line = line;
	memset(P->param, 0, sizeof(P->param));
	expect(P, "(", "after the thread's name");
	if (!accept(P, ")")) {
		for (;;) {
			bool lock;
			unsigned stars, i;

			k = peek(P);
			if (is(&k, "void") && (next(P), accept(P, ")")))
				break;
			stars = parse_type(P, &lock);
			k = expect_ident(P, "a parameter name");
			reject_keyword(P, &k);
			if (!stars)
				fail(P, k.line, "parameter '%s' of P%u is not a pointer (herd7's "
				     "parameters name locations: int *%s)", k.text, n, k.text);
			i = add_loc(P, k.text, k.line);
			mark_lock(P, i, lock, k.line);
			P->param[i] = true;
			if (accept(P, ")"))
				break;
			expect(P, ",", "between parameters");
		}
	}
	k = expect(P, "{", "to open the thread's body");
	th->body = parse_block(P, k.line);
	P->herd = true;
}

/* ---- the condition ---------------------------------------------------------- */

static void show(struct parser *P, struct lt_var v, unsigned line)
{
	unsigned i;

	for (i = 0; i < P->nshown; i++)
		if (P->shown[i].is_reg == v.is_reg && P->shown[i].thread == v.thread &&
		    P->shown[i].idx == v.idx)
			return;
	if (P->nshown == LT_MAX_VARS)
		fail(P, line, "more than %u variables in the condition and locations", LT_MAX_VARS);
	P->shown[P->nshown++] = v;
}

/* N:reg, [loc] or loc: a variable of the final state. */
static struct lt_term parse_var(struct parser *P, bool shown)
{
	struct lt_term t = { .kind = LT_T_LOC };
	struct tok k = next(P);

	if (k.kind == TK_NUM) {
		struct tok r;
		int i;

		expect(P, ":", "in N:register");
		r = expect_ident(P, "a register name after 'N:'");
		if (k.num < 0 || (unsigned long)k.num >= P->t->nthreads)
			fail(P, k.line, "%ld:%s: there is no P%ld", k.num, r.text, k.num);
		i = find_reg(&P->t->th[k.num], r.text);
		if (i < 0)
			fail(P, r.line, "%ld:%s: P%ld has no register %s", k.num, r.text, k.num, r.text);
		t.kind = LT_T_REG;
		t.thread = (unsigned)k.num;
		t.idx = (unsigned)i;
	} else {
		bool bracket = is(&k, "[");

		if (bracket)
			k = next(P);
		if (k.kind != TK_IDENT)
			fail(P, k.line, "expected a register (N:reg) or a location, found '%s'",
			     describe(&k));
		t.idx = add_loc(P, k.text, k.line);
		if (bracket)
			expect(P, "]", "closing '[location'");
	}
	if (shown)
		show(P, (struct lt_var){ .is_reg = t.kind == LT_T_REG, .thread = t.thread,
					 .idx = t.idx }, k.line);
	return t;
}

/* The right of '=': a number, a location's name (its address), N:reg, [loc]. */
static struct lt_term parse_value(struct parser *P, bool shown)
{
	struct lt_term t = { .kind = LT_T_CONST };
	struct tok k = peek(P), n;
	const char *save = P->pos;
	unsigned save_line = P->line;
	int i;

	if (is(&k, "-")) {
		next(P);
		n = next(P);
		if (n.kind != TK_NUM)
			fail(P, n.line, "expected a number after '-'");
		t.k.v = -n.num;
		return t;
	}
	if (is(&k, "["))
		return parse_var(P, shown);
	if (k.kind == TK_NUM) {
		next(P);
		if (accept(P, ":")) {
			P->pos = save;
			P->line = save_line;
			return parse_var(P, shown);
		}
		t.k.v = k.num;
		return t;
	}
	if (k.kind != TK_IDENT)
		fail(P, k.line, "expected a value, found '%s'", describe(&k));
	next(P);
	i = find_loc(P->t, k.text);
	if (i < 0)
		fail(P, k.line, "'%s' is not a location (a value is a number or a location's name)",
		     k.text);
	t.k.is_loc = true;
	t.k.v = i;
	return t;
}

static struct lt_prop *prop_new(struct parser *P, enum lt_prop_kind kind)
{
	struct lt_prop *p = alloc(P, sizeof(*p));

	p->kind = kind;
	return p;
}

static struct lt_prop *parse_prop(struct parser *P, bool shown);

static struct lt_prop *parse_prop_unary(struct parser *P, bool shown)
{
	struct tok k = peek(P);
	struct lt_prop *p;

	if (accept(P, "~")) {
		p = prop_new(P, LT_P_NOT);
		p->a = parse_prop_unary(P, shown);
		return p;
	}
	if (accept(P, "(")) {
		p = parse_prop(P, shown);
		expect(P, ")", "closing '(' in the condition");
		return p;
	}
	if (accept(P, "true"))
		return prop_new(P, LT_P_TRUE);
	if (accept(P, "false"))
		return prop_new(P, LT_P_FALSE);
	if (k.kind == TK_EOF)
		fail(P, k.line, "the condition ends early");
	p = prop_new(P, LT_P_EQ);
	p->l = parse_var(P, shown);
	k = next(P);
	if (is(&k, "!="))
		p->kind = LT_P_NE;
	else if (!is(&k, "="))
		fail(P, k.line, "expected '=' in the condition, found '%s'", describe(&k));
	p->r = parse_value(P, shown);
	return p;
}

static struct lt_prop *parse_prop_and(struct parser *P, bool shown)
{
	struct lt_prop *l = parse_prop_unary(P, shown), *p;

	while (accept(P, "/\\")) {
		p = prop_new(P, LT_P_AND);
		p->a = l;
		p->b = parse_prop_unary(P, shown);
		l = p;
	}
	return l;
}

static struct lt_prop *parse_prop_or(struct parser *P, bool shown)
{
	struct lt_prop *l = parse_prop_and(P, shown), *p;

	while (accept(P, "\\/")) {
		p = prop_new(P, LT_P_OR);
		p->a = l;
		p->b = parse_prop_and(P, shown);
		l = p;
	}
	return l;
}

static struct lt_prop *parse_prop(struct parser *P, bool shown)
{
	struct lt_prop *l = parse_prop_or(P, shown), *p;

	if (accept(P, "=>")) {
		p = prop_new(P, LT_P_IMPL);
		p->a = l;
		p->b = parse_prop(P, shown);
		l = p;
	}
	return l;
}

static void parse_final(struct parser *P)
{
	bool have_cond = false;
	struct tok k;

	for (;;) {
		k = peek(P);
		if (k.kind == TK_EOF)
			break;
		if (have_cond)
			fail(P, k.line, "unexpected '%s' after the condition", describe(&k));
		if (accept(P, "locations")) {
			expect(P, "[", "after 'locations'");
			while (!accept(P, "]")) {
				parse_var(P, true);
				k = peek(P);
				if (!is(&k, "]") && !accept(P, ";"))
					fail(P, k.line, "expected ';' or ']' in locations [...], "
					     "found '%s'", describe(&k));
			}
		} else if (accept(P, "filter")) {
			if (P->t->filter)
				fail(P, k.line, "a second filter");
			P->t->filter = parse_prop(P, false);
		} else if (accept(P, "exists")) {
			P->t->quant = LT_EXISTS;
			P->t->cond = parse_prop(P, true);
			have_cond = true;
		} else if (accept(P, "forall")) {
			P->t->quant = LT_FORALL;
			P->t->cond = parse_prop(P, true);
			have_cond = true;
		} else if (is(&k, "~")) {
			next(P);
			k = peek(P);
			if (!accept(P, "exists"))
				fail(P, k.line, "expected 'exists' after '~', found '%s'", describe(&k));
			P->t->quant = LT_NOT_EXISTS;
			P->t->cond = parse_prop(P, true);
			have_cond = true;
		} else {
			unsigned n;

			if (thread_name(&k, &n))
				fail(P, k.line, "P%u: after the condition, or out of order", n);
			fail(P, k.line, "expected the condition (exists, ~exists or forall), found '%s'",
			     describe(&k));
		}
	}
	if (!have_cond)
		fail(P, k.line, "no condition (exists, ~exists or forall)");
}

/* Registers in print order, then locations, each sorted by name (herd7's order). */
static int var_cmp(const struct lt_test *t, const struct lt_var *a, const struct lt_var *b)
{
	if (a->is_reg != b->is_reg)
		return a->is_reg ? -1 : 1;
	if (a->is_reg && a->thread != b->thread)
		return a->thread < b->thread ? -1 : 1;
	if (a->is_reg)
		return strcmp(t->th[a->thread].reg[a->idx], t->th[b->thread].reg[b->idx]);
	return strcmp(t->loc[a->idx].name, t->loc[b->idx].name);
}

static void sort_vars(struct parser *P)
{
	struct lt_test *t = P->t;
	unsigned i, j;

	t->nvars = P->nshown;
	memcpy(t->var, P->shown, P->nshown * sizeof(t->var[0]));
	for (i = 1; i < t->nvars; i++)
		for (j = i; j > 0 && var_cmp(t, &t->var[j - 1], &t->var[j]) > 0; j--) {
			struct lt_var v = t->var[j];

			t->var[j] = t->var[j - 1];
			t->var[j - 1] = v;
		}
}

static void parse_all(struct parser *P)
{
	unsigned n, i;
	struct tok k;

	parse_header(P);
	P->herd = true;
	for (;;) {
		k = peek(P);
		if (is(&k, "{"))
			break;
		if (k.kind == TK_STR) {	/* herd's optional doc string */
			next(P);
			continue;
		}
		if (k.kind == TK_EOF)
			fail(P, k.line, "no initial state '{ ... }' (is it a litmus test?)");
		fail(P, k.line, "expected the initial state '{ ... }', found '%s'", describe(&k));
	}
	parse_init(P);
	P->herd = true;
	for (;;) {
		k = peek(P);
		if (!thread_name(&k, &n))
			break;
		next(P);
		if (n >= LT_MAX_THREADS)
			fail(P, k.line, "P%u: more than %u threads (the emulator runs at most %u)",
			     n, LT_MAX_THREADS, LT_MAX_THREADS);
		if (n != P->t->nthreads)
			fail(P, k.line, "P%u: threads must be P0, P1, ... in order (expected P%u)",
			     n, P->t->nthreads);
		P->t->nthreads++;
		parse_thread(P, n, k.line);
	}
	if (!P->t->nthreads)
		fail(P, k.line, "no threads (P0, P1, ...), found '%s'", describe(&k));
	for (i = 0; i < P->nrinit; i++) {
		struct reg_init *ri = &P->rinit[i];
		unsigned r;

		if (ri->thread >= P->t->nthreads)
			fail(P, ri->line, "%u:%s: there is no P%u", ri->thread, ri->name, ri->thread);
		r = add_reg(P, &P->t->th[ri->thread], ri->thread, ri->name, ri->line);
		P->t->th[ri->thread].reg_init[r] = ri->v;
	}
	parse_final(P);
	sort_vars(P);
}

/* The whole file, NUL-terminated; NULL with the reason in err. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s:0: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_FILE + 1);
	n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s:0: out of memory", path);
	} else if (n > MAX_FILE) {
		snprintf(err, errlen, "%s:1: not a C litmus test: larger than %u bytes", path,
			 MAX_FILE);
		free(buf);
		buf = NULL;
	} else {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

int lt_parse_file(const char *path, struct lt_test **out, char *err, size_t errlen)
{
	struct parser P = { .err = err, .errlen = errlen, .line = 1 };
	size_t n = 0;
	char *buf;

	*out = NULL;
	buf = read_file(path, &n, err, errlen);
	if (!buf)
		return -1;
	P.t = calloc(1, sizeof(*P.t));
	if (!P.t) {
		snprintf(err, errlen, "%s:0: out of memory", path);
		free(buf);
		return -1;
	}
	snprintf(P.t->file, sizeof(P.t->file), "%s", path);
	P.src = P.pos = buf;
	P.end = buf + n;
	if (setjmp(P.fail)) {
		free(buf);
		lt_free(P.t);
		return -1;
	}
	parse_all(&P);
	free(buf);
	*out = P.t;
	return 0;
}

void lt_free(struct lt_test *t)
{
	struct lt_arena *a, *n;

	if (!t)
		return;
	for (a = t->arena; a; a = n) {
		n = a->next;
		free(a);
	}
	free(t);
}

const char *lt_quant_name(enum lt_quant q)
{
	return q == LT_EXISTS ? "exists" : q == LT_NOT_EXISTS ? "~exists" : "forall";
}

const char *lt_quant_test(enum lt_quant q)
{
	return q == LT_EXISTS ? "Allowed" : q == LT_NOT_EXISTS ? "Forbidden" : "Required";
}

/* ---- printing the condition ------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, n;
};

static void __attribute__((format(printf, 2, 3))) put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->n >= b->len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->p + b->n, b->len - b->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n += (size_t)k;
}

static void put_term(struct sbuf *b, const struct lt_test *t, const struct lt_term *x, bool rhs)
{
	switch (x->kind) {
	case LT_T_REG:
		put(b, "%u:%s", x->thread, t->th[x->thread].reg[x->idx]);
		break;
	case LT_T_LOC:
		put(b, rhs ? "[%s]" : "%s", t->loc[x->idx].name);
		break;
	case LT_T_CONST:
		if (x->k.is_loc)
			put(b, "%s", t->loc[x->k.v].name);
		else
			put(b, "%ld", x->k.v);
		break;
	}
}

/* prec: 0 top, 1 under =>, 2 under \/, 3 under /\ */
static void put_prop(struct sbuf *b, const struct lt_test *t, const struct lt_prop *p, int prec)
{
	static const int mine[] = { [LT_P_IMPL] = 1, [LT_P_OR] = 2, [LT_P_AND] = 3 };

	switch (p->kind) {
	case LT_P_TRUE:
		put(b, "true");
		return;
	case LT_P_FALSE:
		put(b, "false");
		return;
	case LT_P_NOT:
		put(b, "~");
		put_prop(b, t, p->a, 4);
		return;
	case LT_P_EQ:
	case LT_P_NE:
		put_term(b, t, &p->l, false);
		put(b, p->kind == LT_P_EQ ? "=" : "!=");
		put_term(b, t, &p->r, true);
		return;
	case LT_P_AND:
	case LT_P_OR:
	case LT_P_IMPL:
		if (mine[p->kind] < prec)
			put(b, "(");
		put_prop(b, t, p->a, mine[p->kind] + (p->kind == LT_P_IMPL));
		put(b, p->kind == LT_P_AND ? " /\\ " : p->kind == LT_P_OR ? " \\/ " : " => ");
		put_prop(b, t, p->b, mine[p->kind]);
		if (mine[p->kind] < prec)
			put(b, ")");
		return;
	}
}

void lt_cond_string(const struct lt_test *t, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	put(&b, "%s (", lt_quant_name(t->quant));
	put_prop(&b, t, t->cond, 0);
	put(&b, ")");
}
