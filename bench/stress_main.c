// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-stress: litmus7-style stress of the real fault/GUP paths
 * on this machine's hardware. Same flags as faultline for strategies, CPUs,
 * placement and duration (per point); prints one line per point and writes
 * JSON with --json. Exit 1 if a correct strategy shows a violation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "stress.h"

static int write_json(const char *path, const struct strategy *const *s,
		      const struct stress_result *r, unsigned n, const char *arch)
{
	char tmp[4096];
	FILE *f;
	unsigned i;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.partial", path) >= sizeof(tmp) ||
	    !(f = fopen(tmp, "w")))
		return -EIO;
	fprintf(f, "{\"arch\": \"%s\", \"rows\": [\n", arch);
	for (i = 0; i < n; i++)
		fprintf(f, "  {\"strategy\": \"%s\", \"kind\": \"%s\", \"cpus\": %u, \"rounds\": %llu, "
			"\"trials\": %llu, \"unseen\": %llu, \"viol_dep\": %llu, \"viol_indep\": %llu, "
			"\"seconds\": %.3f}%s\n", s[i]->name, strategy_kind_name(s[i]->kind), r[i].cpus,
			(unsigned long long)r[i].rounds, (unsigned long long)r[i].trials,
			(unsigned long long)r[i].unseen, (unsigned long long)r[i].viol_dep,
			(unsigned long long)r[i].viol_indep, r[i].seconds, i + 1 < n ? "," : "");
	fprintf(f, "]}\n");
	if (fclose(f) || rename(tmp, path)) {
		remove(tmp);
		return -EIO;
	}
	return 0;
}

static int run_points(const struct fl_options *o, const struct fl_placement *p, char *err,
		      size_t errlen)
{
	unsigned n = o->nr_strategies * o->nr_cpus, k = 0, i, c, bad = 0;
	const struct strategy **who = calloc(n, sizeof(*who));
	struct stress_result *res = calloc(n, sizeof(*res));
	int r = 0;

	if (!who || !res) {
		snprintf(err, errlen, "out of memory");
		r = 1;
		goto out;
	}
	printf("%-16s %-8s %4s %10s %12s %8s %8s %8s\n", "strategy", "kind", "cpus", "rounds",
	       "trials", "dep", "indep", "unseen");
	for (i = 0; i < o->nr_strategies; i++) {
		for (c = 0; c < o->nr_cpus; c++) {
			const struct strategy *s = o->strategies[i];
			struct stress_result *x = &res[k];

			if (o->cpus[c] < 2 || s->kind == STRAT_BASELINE)
				continue;	/* a race needs a writer and a reader */
			if ((r = -stress_run(s, o->cpus[c], o->duration, p, o->cpus[c] > p->nr_cpus, x))) {
				snprintf(err, errlen, "%s at %u CPUs: %s", s->name, o->cpus[c], strerror(r));
				r = 1;
				goto out;
			}
			who[k++] = s;
			printf("%-16s %-8s %4u %10llu %12llu %8llu %8llu %8llu\n", s->name,
			       strategy_kind_name(s->kind), x->cpus, (unsigned long long)x->rounds,
			       (unsigned long long)x->trials, (unsigned long long)x->viol_dep,
			       (unsigned long long)x->viol_indep, (unsigned long long)x->unseen);
			fflush(stdout);
			bad += s->kind != STRAT_CONTROL && (x->viol_dep || x->viol_indep);
		}
	}
	if (o->json && write_json(o->json, who, res, k, FL_ARCH_NAME)) {
		snprintf(err, errlen, "cannot write %s", o->json);
		r = 2;
		goto out;
	}
	if (bad) {
		snprintf(err, errlen, "%u point(s) of correct strategies showed violations", bad);
		r = 1;
	}
out:
	free(who);
	free(res);
	return r;
}

int main(int argc, char **argv)
{
	struct fl_options o;
	struct fl_placement p;
	char err[512] = "";
	int status = 0;

	memset(&p, 0, sizeof(p));
	if (fl_parse_args(argc, argv, &o, err, sizeof(err)))
		status = 2;
	else if (o.gb_argc > 1)
		snprintf(err, sizeof(err), "faultline-stress takes no --benchmark_ flags"), status = 2;
	else if (o.help)
		printf("usage: faultline-stress [--strategy=LIST] [--cpus=LIST] [--duration=SECONDS per point]\n"
		       "                        [--placement=compact|scatter] [--oversubscribe] [--json=FILE]\n"
		       "litmus7-style stress of the fault/GUP race on this hardware: %u instances per\n"
		       "writer/reader pair, released together each round, roles swapped each round.\n"
		       "Columns: rounds; trials (publications a reader saw); dep/indep violations;\n"
		       "unseen (publications a reader gave up on after %u GUPs).\n",
		       STRESS_INSTANCES, STRESS_POLL);
	else if (o.list)
		fl_list(stdout);
	else if (fl_placement_init(&p, o.placement, err, sizeof(err)) ||
		 fl_check_cpus(&o, p.nr_cpus, err, sizeof(err)))
		status = 2;
	else
		status = run_points(&o, &p, err, sizeof(err));
	fl_placement_fini(&p);
	fl_options_fini(&o);
	if (status)
		fprintf(stderr, "faultline-stress: error: %s\n", err);
	return status;
}
