// SPDX-License-Identifier: GPL-2.0
/*
 * Final states -> histogram and verdict (outcome.h). The counts follow
 * herd7 exactly (checked against its output for exists, ~exists and
 * forall): Observation counts the runs in which the proposition under
 * the quantifier held and those in which it did not; Positive/Negative
 * count the runs satisfying the condition as a whole, so for ~exists they
 * are the Observation's two numbers swapped.
 */
#include <stdlib.h>
#include <string.h>
#include "outcome.h"

#define MAX_STATES	4096	/* beyond this the histogram is cut, and says so */

void lt_outcome_init(struct lt_outcome *o, const struct lt_test *t)
{
	memset(o, 0, sizeof(*o));
	o->t = t;
}

void lt_outcome_free(struct lt_outcome *o)
{
	free(o->s);
	o->s = NULL;
	o->n = o->cap = 0;
}

static bool value_eq(struct lt_value a, struct lt_value b)
{
	return a.is_loc == b.is_loc && a.v == b.v;
}

static struct lt_value term(const struct lt_term *x, const struct lt_final *f)
{
	switch (x->kind) {
	case LT_T_REG:
		return f->reg[x->thread][x->idx];
	case LT_T_LOC:
		return f->loc[x->idx];
	case LT_T_CONST:
		break;
	}
	return x->k;
}

bool lt_prop_eval(const struct lt_prop *p, const struct lt_final *f)
{
	switch (p->kind) {
	case LT_P_TRUE:
		return true;
	case LT_P_FALSE:
		return false;
	case LT_P_NOT:
		return !lt_prop_eval(p->a, f);
	case LT_P_AND:
		return lt_prop_eval(p->a, f) && lt_prop_eval(p->b, f);
	case LT_P_OR:
		return lt_prop_eval(p->a, f) || lt_prop_eval(p->b, f);
	case LT_P_IMPL:
		return !lt_prop_eval(p->a, f) || lt_prop_eval(p->b, f);
	case LT_P_EQ:
		return value_eq(term(&p->l, f), term(&p->r, f));
	case LT_P_NE:
		return !value_eq(term(&p->l, f), term(&p->r, f));
	}
	return false;
}

static struct lt_value var_value(const struct lt_var *v, const struct lt_final *f)
{
	return v->is_reg ? f->reg[v->thread][v->idx] : f->loc[v->idx];
}

int lt_outcome_add(struct lt_outcome *o, const struct lt_final *f)
{
	const struct lt_test *t = o->t;
	struct lt_state *s;
	unsigned i, k;
	bool p;

	if (t->filter && !lt_prop_eval(t->filter, f)) {
		o->filtered++;
		return -1;
	}
	p = lt_prop_eval(t->cond, f);
	if (p)
		o->pos++;
	else
		o->neg++;
	for (i = 0; i < o->n; i++) {
		s = &o->s[i];
		for (k = 0; k < t->nvars && value_eq(s->v[k], var_value(&t->var[k], f)); k++)
			;
		if (k == t->nvars)
			goto found;
	}
	if (o->n == o->cap) {
		unsigned cap = o->cap ? 2 * o->cap : 16;

		if (cap > MAX_STATES || !(s = realloc(o->s, cap * sizeof(*s)))) {
			o->overflow = true;
			goto done;
		}
		o->s = s;
		o->cap = cap;
	}
	s = &o->s[o->n++];
	memset(s, 0, sizeof(*s));
	for (k = 0; k < t->nvars; k++)
		s->v[k] = var_value(&t->var[k], f);
	s->p = p;
found:
	s->count++;
done:
	return t->quant == LT_FORALL ? !p : p;
}

uint64_t lt_outcome_runs(const struct lt_outcome *o)
{
	return o->pos + o->neg;
}

bool lt_outcome_ok(const struct lt_outcome *o)
{
	switch (o->t->quant) {
	case LT_EXISTS:
		return o->pos > 0;
	case LT_NOT_EXISTS:
		return o->pos == 0;
	case LT_FORALL:
		return o->neg == 0;
	}
	return false;
}

const char *lt_outcome_observation(const struct lt_outcome *o)
{
	if (!lt_outcome_runs(o))
		return "None";		/* no run counted: nothing to say */
	return !o->pos ? "Never" : !o->neg ? "Always" : "Sometimes";
}

static void value_string(const struct lt_test *t, struct lt_value v, char *buf, size_t len)
{
	if (v.is_loc)
		snprintf(buf, len, "%s", t->loc[v.v].name);
	else
		snprintf(buf, len, "%ld", v.v);
}

void lt_state_string(const struct lt_test *t, const struct lt_state *s, char *buf, size_t len)
{
	size_t n = 0;
	unsigned k;

	if (len)
		buf[0] = 0;
	for (k = 0; k < t->nvars && n < len; k++) {
		const struct lt_var *v = &t->var[k];
		char val[LT_NAME + 24];
		int w;

		value_string(t, s->v[k], val, sizeof(val));
		if (v->is_reg)
			w = snprintf(buf + n, len - n, "%s%u:%s=%s;", k ? " " : "", v->thread,
				     t->th[v->thread].reg[v->idx], val);
		else
			w = snprintf(buf + n, len - n, "%s%s=%s;", k ? " " : "", t->loc[v->idx].name,
				     val);
		if (w > 0)
			n += (size_t)w;
	}
}

static const struct lt_test *sort_test;

static int state_cmp(const void *a, const void *b)
{
	char x[2048], y[2048];

	lt_state_string(sort_test, a, x, sizeof(x));
	lt_state_string(sort_test, b, y, sizeof(y));
	return strcmp(x, y);
}

/* litmus7 lists the states in order of their text. */
static void sort_states(struct lt_outcome *o)
{
	sort_test = o->t;
	qsort(o->s, o->n, sizeof(*o->s), state_cmp);
}

/* herd7's Positive/Negative: the runs satisfying the whole condition. */
static void witnesses(const struct lt_outcome *o, uint64_t *pos, uint64_t *neg)
{
	bool inverted = o->t->quant == LT_NOT_EXISTS;

	*pos = inverted ? o->neg : o->pos;
	*neg = inverted ? o->pos : o->neg;
}

void lt_print_outcome(FILE *f, struct lt_outcome *o)
{
	const struct lt_test *t = o->t;
	char cond[1024], st[2048];
	uint64_t pos, neg;
	unsigned i;

	sort_states(o);
	lt_cond_string(t, cond, sizeof(cond));
	witnesses(o, &pos, &neg);
	fprintf(f, "Test %s %s\n", t->name, lt_quant_test(t->quant));
	fprintf(f, "Histogram (%u states%s)\n", o->n, o->overflow ? ", cut: too many" : "");
	for (i = 0; i < o->n; i++) {
		lt_state_string(t, &o->s[i], st, sizeof(st));
		/* '*' marks what the condition looks for, as litmus7 does */
		fprintf(f, "%-6llu%c>%s\n", (unsigned long long)o->s[i].count,
			(t->quant == LT_FORALL ? !o->s[i].p : o->s[i].p) ? '*' : ':', st);
	}
	fprintf(f, "%s\n", lt_outcome_ok(o) ? "Ok" : "No");
	fprintf(f, "\nWitnesses\nPositive: %llu, Negative: %llu\n", (unsigned long long)pos,
		(unsigned long long)neg);
	if (t->filter)
		fprintf(f, "Filtered out: %llu\n", (unsigned long long)o->filtered);
	if (o->faulted)
		fprintf(f, "Faulted: %llu runs stopped early, not counted (first: %s)\n",
			(unsigned long long)o->faulted, o->fault);
	if (o->livelocked)
		fprintf(f, "Livelocked: %llu runs past the step limit, not counted\n",
			(unsigned long long)o->livelocked);
	fprintf(f, "Condition %s is %svalidated\n", cond, lt_outcome_ok(o) ? "" : "NOT ");
	fprintf(f, "Observation %s %s %llu %llu\n", t->name, lt_outcome_observation(o),
		(unsigned long long)o->pos, (unsigned long long)o->neg);
}

void lt_print_time(FILE *f, const struct lt_outcome *o, double seconds)
{
	fprintf(f, "Time %s %.2f\n\n", o->t->name, seconds);
}

void lt_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void lt_json_test(FILE *f, const struct lt_test *t)
{
	char cond[1024];

	lt_cond_string(t, cond, sizeof(cond));
	fprintf(f, "\"file\": ");
	lt_json_string(f, t->file);
	fprintf(f, ", \"name\": ");
	lt_json_string(f, t->name);
	fprintf(f, ", \"test\": \"%s\", \"condition\": ", lt_quant_test(t->quant));
	lt_json_string(f, cond);
}

void lt_json_outcome(FILE *f, struct lt_outcome *o, const char *model, uint64_t runs,
		     long long witness_seed, double seconds, const char *extra)
{
	char st[2048];
	uint64_t pos, neg;
	unsigned i;

	sort_states(o);
	witnesses(o, &pos, &neg);
	fprintf(f, "{\"model\": ");
	lt_json_string(f, model);
	fprintf(f, ", \"runs\": %llu, \"states\": {", (unsigned long long)runs);
	for (i = 0; i < o->n; i++) {
		lt_state_string(o->t, &o->s[i], st, sizeof(st));
		fprintf(f, "%s", i ? ", " : "");
		lt_json_string(f, st);
		fprintf(f, ": %llu", (unsigned long long)o->s[i].count);
	}
	fprintf(f, "}, \"positive\": %llu, \"negative\": %llu, \"observation\": \"%s\", "
		"\"validated\": %s, \"witness_seed\": ", (unsigned long long)pos,
		(unsigned long long)neg, lt_outcome_observation(o), lt_outcome_ok(o) ? "true" : "false");
	if (witness_seed >= 0)
		fprintf(f, "%lld", witness_seed);
	else
		fprintf(f, "null");
	fprintf(f, ", \"filtered\": %llu, \"faulted\": %llu, \"livelocked\": %llu, "
		"\"seconds\": %.3f", (unsigned long long)o->filtered, (unsigned long long)o->faulted,
		(unsigned long long)o->livelocked, seconds);
	if (extra && *extra)
		fprintf(f, ", %s", extra);
	fprintf(f, "}");
}
