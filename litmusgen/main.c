// SPDX-License-Identifier: GPL-2.0
/*
 * faultline-litmusgen: every strategy's LKMM litmus test for every shape,
 * derived from its code (litmusgen.h), written into one directory with an
 * index.json that says which file is which. `make litmus` runs it into
 * build/litmus/derived/ and compares the result with litmus/.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../bench/cli.h"
#include "litmusgen.h"

struct opts {
	const struct strategy *only[32];
	unsigned nr_only;
	const char *out;
	bool help;
};

#define O(field)	offsetof(struct opts, field)
static const struct fl_opt options[] = {
	FL_OPT_STRATEGIES(struct opts, only, nr_only,
			  "only these strategies (default: all but the single-thread\n"
			  "baseline)"),
	{ .name = "out", .metavar = "DIR", .parse = fl_opt_string, .off = O(out),
	  .help = "write DIR/<name>.litmus and DIR/index.json (DIR is created)" },
	FL_OPT_HELP(struct opts, help),
};
#undef O

static const struct fl_cmd cmd = {
	.prog = "faultline-litmusgen", .opts = options, .nr_opts = ARRAY_SIZE(options),
};

struct made {
	const struct strategy *s;
	enum fl_shape shape;
	char name[160];
	char *text;
	size_t len;
};

static int die(const char *what, const char *arg)
{
	fprintf(stderr, "faultline-litmusgen: error: %s%s\n", what, arg ? arg : "");
	return 2;
}

static int make_one(const struct strategy *s, enum fl_shape shape, struct made *m)
{
	struct lg_test *t = calloc(1, sizeof(*t));
	FILE *f;
	int err;

	if (!t)
		return -ENOMEM;
	m->s = s;
	m->shape = shape;
	m->text = NULL;
	err = lg_explore(t, s, shape);
	if (!err) {
		f = open_memstream(&m->text, &m->len);
		err = f ? lg_render(t, m->name, sizeof(m->name), f) : -1;
		if (f)
			fclose(f);
	}
	if (err)
		fprintf(stderr, "faultline-litmusgen: error: %s, %s shape: %s\n", s->name,
			shape_name(shape), t->err[0] ? t->err : strerror(ENOMEM));
	lg_free(t);
	free(t);
	return err;
}

/* Two tests of one name: the strategy tells them apart. */
static void disambiguate(struct made *m, unsigned n)
{
	bool dup[n];
	unsigned i, j;

	for (i = 0; i < n; i++) {
		dup[i] = false;
		for (j = 0; j < n; j++)
			dup[i] |= i != j && !strcmp(m[i].name, m[j].name);
	}
	for (i = 0; i < n; i++)
		if (dup[i])
			snprintf(m[i].name + strlen(m[i].name), sizeof(m[i].name) - strlen(m[i].name),
				 "+%s", m[i].s->id);
}

static int write_file(const char *dir, const struct made *m)
{
	char path[512], tmp[600], err[256];
	const char *nl = strchr(m->text, '\n');
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.litmus", dir, m->name);
	if (!(f = fl_json_begin(path, tmp, sizeof(tmp), err, sizeof(err))))
		return die(err, NULL);
	/* The first line names the test: its name may have changed above. */
	fprintf(f, "C %s%s", m->name, nl ? nl : "\n");
	if (fl_json_commit(f, tmp, path, err, sizeof(err)))
		return die(err, NULL);
	return 0;
}

static int write_index(const char *dir, const struct made *m, unsigned n)
{
	char path[512], tmp[600], err[256];
	unsigned i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/index.json", dir);
	if (!(f = fl_json_begin(path, tmp, sizeof(tmp), err, sizeof(err))))
		return die(err, NULL);
	fprintf(f, "{\"tests\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n  {\"file\": \"%s.litmus\", \"strategy\": ", i ? "," : "", m[i].name);
		json_print_string(f, m[i].s->name);
		fprintf(f, ", \"source\": ");
		json_print_string(f, m[i].s->source);
		fprintf(f, ", \"shape\": \"%s\", \"lkmm\": \"%s\"}", shape_name(m[i].shape),
			verdict_name(m[i].s->expect[m[i].shape].lkmm));
	}
	fprintf(f, "\n]}\n");
	if (fl_json_commit(f, tmp, path, err, sizeof(err)))
		return die(err, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct made *m;
	char err[512];
	unsigned i, sh, n = 0;
	int rc = 0;

	if (fl_cli_parse(&cmd, argc, argv, &o, err, sizeof(err)))
		return die(err, NULL);
	if (o.help) {
		fl_cli_synopsis(&cmd, stdout);
		printf("\nDerives each strategy's LKMM litmus test for each shape (dep, indep,\n"
		       "chain) from the model's paths and the strategy's hooks, recorded in the\n"
		       "recording build (sync/arch/record.h); docs/design.md section 7.\n\n");
		fl_cli_help(&cmd, NULL, stdout);
		printf("Exit status: 0 written, 1 a test could not be derived, 2 bad usage.\n");
		return 0;
	}
	if (!o.out)
		return die("--out=DIR is required (see --help)", NULL);
	if (mkdir(o.out, 0777) && errno != EEXIST)
		return die("cannot create ", o.out);
	if (!o.nr_only)
		for (i = 0; i < fl_nr_strategies && o.nr_only < ARRAY_SIZE(o.only); i++)
			if (fl_strategies[i]->kind != STRAT_BASELINE)
				o.only[o.nr_only++] = fl_strategies[i];
	m = calloc(o.nr_only * NR_SHAPES, sizeof(*m));
	if (!m)
		return die("out of memory", NULL);
	for (i = 0; i < o.nr_only; i++)
		for (sh = 0; sh < NR_SHAPES; sh++)
			if (make_one(o.only[i], (enum fl_shape)sh, &m[n]) == 0)
				n++;
			else
				rc = 1;
	disambiguate(m, n);
	for (i = 0; i < n && !rc; i++)
		rc = write_file(o.out, &m[i]);
	if (!rc)
		rc = write_index(o.out, m, n);
	for (i = 0; i < n; i++)
		free(m[i].text);
	free(m);
	return rc;
}
