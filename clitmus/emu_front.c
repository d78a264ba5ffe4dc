// SPDX-License-Identifier: GPL-2.0
/*
 * faultline-emu --litmus FILE...: every file, every model asked for,
 * seeds 1..N (one run each, emu_backend.c), printed in litmus7's shape
 * with the first witness seed and the command that replays it; or one
 * seed replayed, with the emulator's trace. Every file is parsed before
 * the first runs, so a bad one costs one line and exit 2, nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "emu_backend.h"
#include "front.h"
#include "../bench/cli.h"	/* fl_json_begin/fl_json_commit */

struct result {
	struct lt_outcome o;
	enum fl_machine m;
	long long witness, livelock;	/* first seeds, or -1 */
	double seconds;
};

static void witness_line(const struct lt_test *t, const struct result *r, unsigned seeds)
{
	if (r->witness >= 0)
		printf("Witness seed %lld: faultline-emu --litmus %s --model=%s --seed=%lld\n",
		       r->witness, t->file, machine_name(r->m), r->witness);
	else
		printf("Witness seed: none in seeds 1..%u\n", seeds);
	if (r->livelock >= 0)
		printf("Livelock seed %lld: faultline-emu --litmus %s --model=%s --seed=%lld --trace\n",
		       r->livelock, t->file, machine_name(r->m), r->livelock);
}

/* Seeds 1..o->seeds of t under m. 0, or 1 if the emulator could not run. */
static int run_seeds(const struct lt_emu_opts *o, const struct lt_test *t, struct result *r)
{
	char fault[160];	/* struct lt_thread_run's */
	struct lt_final f;
	double t0 = lt_now();
	uint64_t seed;

	lt_outcome_init(&r->o, t);
	r->witness = r->livelock = -1;
	for (seed = 1; seed <= o->seeds; seed++) {
		int e = lt_emu_run(t, r->m, seed, &f, fault, sizeof(fault), NULL);

		if (e == -ETIME) {
			if (!r->o.livelocked++)
				r->livelock = (long long)seed;
		} else if (e == 1) {
			if (!r->o.faulted++)
				snprintf(r->o.fault, sizeof(r->o.fault), "seed %llu: %s",
					 (unsigned long long)seed, fault);
		} else if (e) {
			fprintf(stderr, "faultline-emu: error: the emulator could not run %s: %s\n",
				t->file, strerror(-e));
			return 1;
		} else if (lt_outcome_add(&r->o, &f) == 1 && r->witness < 0) {
			r->witness = (long long)seed;
		}
	}
	r->seconds = lt_now() - t0;
	printf("# %s under the emulated %s model, seeds 1..%u\n", t->file, machine_name(r->m),
	       o->seeds);
	lt_print_outcome(stdout, &r->o);
	witness_line(t, r, o->seeds);
	lt_print_time(stdout, &r->o, r->seconds);
	fflush(stdout);
	return 0;
}

/* One seed, as the witness line says to replay it; --trace: its events. */
static int run_one(const struct lt_emu_opts *o, const struct lt_test *t, enum fl_machine m)
{
	struct lt_outcome out;
	char fault[200];
	struct lt_final f;
	double t0 = lt_now();
	int e;

	printf("# %s under the emulated %s model, seed %llu\n", t->file, machine_name(m),
	       (unsigned long long)o->seed);
	e = lt_emu_run(t, m, o->seed, &f, fault, sizeof(fault), o->trace ? stdout : NULL);
	if (e && e != -ETIME && e != 1) {
		fprintf(stderr, "faultline-emu: error: the emulator could not run %s: %s\n",
			t->file, strerror(-e));
		return 1;
	}
	lt_outcome_init(&out, t);
	if (e == -ETIME)
		out.livelocked++;
	else if (e == 1 && ++out.faulted)
		snprintf(out.fault, sizeof(out.fault), "%s", fault);
	else
		lt_outcome_add(&out, &f);
	lt_print_outcome(stdout, &out);
	lt_print_time(stdout, &out, lt_now() - t0);
	lt_outcome_free(&out);
	return 0;
}

static void write_results(FILE *f, const struct lt_emu_opts *o, struct lt_test **tests,
			  struct result *res, unsigned nres_per_test)
{
	unsigned i, k;
	char extra[128];

	fprintf(f, "{\"tool\": \"faultline-emu\", \"seeds\": %u, \"tests\": [\n", o->seeds);
	for (i = 0; i < o->nfiles; i++) {
		fprintf(f, "  {");
		lt_json_test(f, tests[i]);
		fprintf(f, ", \"runs\": [\n");
		for (k = 0; k < nres_per_test; k++) {
			struct result *r = &res[i * nres_per_test + k];

			if (r->livelock >= 0)
				snprintf(extra, sizeof(extra), "\"livelock_seed\": %lld", r->livelock);
			else
				snprintf(extra, sizeof(extra), "\"livelock_seed\": null");
			fprintf(f, "    ");
			lt_json_outcome(f, &r->o, machine_name(r->m), o->seeds, r->witness,
					r->seconds, extra);
			fprintf(f, "%s\n", k + 1 < nres_per_test ? "," : "");
		}
		fprintf(f, "  ]}%s\n", i + 1 < o->nfiles ? "," : "");
	}
	fprintf(f, "]}\n");
}

int lt_emu_main(const struct lt_emu_opts *o)
{
	struct lt_test **tests = calloc(o->nfiles, sizeof(*tests));
	enum fl_machine models[NR_MACHINES];
	unsigned nm = 0, i, k, m;
	struct result *res = NULL;
	char err[1024], tmp[4096];
	FILE *json = NULL;
	int rc = 0;

	if (!tests)
		return 1;
	if (lt_parse_all(o->files, o->nfiles, tests, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(tests);
		return 2;
	}
	for (m = 0; m < NR_MACHINES; m++)
		if (o->models[m])
			models[nm++] = (enum fl_machine)m;
	/* Opened first, so that a file that cannot be written fails before the runs. */
	if (o->json && !(json = fl_json_begin(o->json, tmp, sizeof(tmp), err, sizeof(err)))) {
		fprintf(stderr, "faultline-emu: error: %s\n", err);
		rc = 2;
		goto out;
	}
	res = calloc((size_t)o->nfiles * nm, sizeof(*res));
	if (!res) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < o->nfiles && !rc; i++) {
		for (k = 0; k < nm && !rc; k++) {
			struct result *r = &res[i * nm + k];

			r->m = models[k];
			rc = o->one_seed ? run_one(o, tests[i], models[k]) : run_seeds(o, tests[i], r);
		}
	}
	if (json && !rc) {
		write_results(json, o, tests, res, nm);
		if (fl_json_commit(json, tmp, o->json, err, sizeof(err))) {
			fprintf(stderr, "faultline-emu: error: %s\n", err);
			rc = 1;
		}
		json = NULL;
	}
out:
	if (json) {
		fclose(json);
		remove(tmp);
	}
	if (res)
		for (i = 0; i < o->nfiles * nm; i++)
			lt_outcome_free(&res[i].o);
	free(res);
	lt_free_all(tests, o->nfiles);
	free(tests);
	return rc;
}
