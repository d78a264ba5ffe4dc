// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's rounds (soak.h): each is fl_run_window() of the workload
 * driver, the same window faultline's benchmarks and faultline-pair run, so
 * the soak exercises exactly the measured code; between rounds the process
 * reads its own resident set, so a leak anywhere in the model, the
 * strategies or the driver shows as growth across passes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fl_build.h"	/* generated: FL_GIT_REV */
#include "clock.h"
#include "soak.h"

uint64_t fl_soak_rss_kib(void)
{
	unsigned long long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%llu %llu", &size, &resident);
	fclose(f);
	return n == 2 ? resident * (uint64_t)sysconf(_SC_PAGESIZE) / 1024 : 0;
}

double fl_soak_steal_s(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	/* cpu user nice system idle iowait irq softirq steal (proc(5)) */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n == 8 ? (double)v[7] / (double)sysconf(_SC_CLK_TCK) : -1;
}

void fl_soak_summarise(struct soak *sk)
{
	struct soak_summary *sm = &sk->sum;
	unsigned i, strategies = sk->so->o.nr_strategies, per_pass;
	double got_sum = 0, steal = fl_soak_steal_s();

	per_pass = strategies * sk->so->o.nr_mixes;
	memset(sm, 0, sizeof(*sm));
	sm->rounds = sk->nr_rounds;
	sm->passes = per_pass ? sk->nr_rounds / per_pass : 0;
	sm->cpus_got_min = -1;
	for (i = 0; i < sk->nr_rounds; i++) {
		const struct soak_round *r = &sk->rounds[i];
		double got = r->cpu_share * r->threads;

		sm->ops += r->ops;
		sm->violations += r->violations;
		got_sum += got;
		if (sm->cpus_got_min < 0 || got < sm->cpus_got_min)
			sm->cpus_got_min = got;
		sm->elapsed_s = r->elapsed_s;
		if (r->pass < FL_SOAK_WARMUP_PASSES || !r->rss_kib)
			continue;
		if (!sm->rss_samples++ || r->rss_kib < sm->rss_min_kib)
			sm->rss_min_kib = r->rss_kib;
		if (r->rss_kib > sm->rss_max_kib)
			sm->rss_max_kib = r->rss_kib;
	}
	sm->cpus_got_mean = sk->nr_rounds ? got_sum / sk->nr_rounds : 0;
	if (sm->cpus_got_min < 0)
		sm->cpus_got_min = 0;
	sm->steal_s = steal >= 0 && sk->steal0 >= 0 ? steal - sk->steal0 : -1;
	sm->flat = -1;
	if (sm->rss_samples >= FL_SOAK_MIN_SAMPLES) {
		sm->rss_spread = (double)sm->rss_max_kib / (double)sm->rss_min_kib - 1;
		sm->flat = sm->rss_spread <= FL_SOAK_RSS_TOLERANCE;
	}
}

static void print_names(FILE *f, const char *key, const char *const *names, unsigned n)
{
	unsigned i;

	fprintf(f, "\"%s\": [", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", names[i]);
	fputs("]", f);
}

void fl_soak_print_json(const struct soak *sk, FILE *f)
{
	const struct soak_options *so = sk->so;
	const struct soak_summary *sm = &sk->sum;
	const char *names[32];
	unsigned i;

	fprintf(f, "{\"tool\": \"faultline-soak\", \"complete\": %s, \"interrupted\": %s,\n",
		sk->complete ? "true" : "false", sk->interrupted ? "true" : "false");
	fputs(" \"machine\": {\"host\": ", f);
	json_print_string(f, sk->si.host);
	fputs(", \"arch\": ", f);
	json_print_string(f, sk->si.arch);
	fputs(", \"cpu_model\": ", f);
	json_print_string(f, sk->si.cpu_model);
	fputs(", \"kernel\": ", f);
	json_print_string(f, sk->si.kernel);
	fputs(", \"malloc_library\": ", f);
	json_print_string(f, sk->si.malloc_lib);
	fprintf(f, ", \"malloc_conf\": \"%s\", \"faultline_git_rev\": \"%s\"},\n \"placement\": ",
		FL_SOAK_MALLOC_CONF, FL_GIT_REV);
	fl_placement_print_json(sk->pl, f);
	fprintf(f, ",\n \"parameters\": {\"duration_s\": %g, \"window_s\": %g, "
		"\"oversubscription\": %u, \"threads\": %u, \"usable_cpus\": %u, \"slots\": %lu, "
		"\"seed\": %llu, \"leak_kib_per_round\": %u, \"inject_violation_round\": %u, ",
		so->total_s, so->window_s, so->factor, so->factor * sk->pl->nr_cpus,
		sk->pl->nr_cpus, so->o.slots, (unsigned long long)so->o.seed, so->leak_kib,
		so->inject_round);
	for (i = 0; i < so->o.nr_strategies; i++)
		names[i] = so->o.strategies[i]->name;
	print_names(f, "strategies", names, so->o.nr_strategies);
	fputs(", ", f);
	for (i = 0; i < so->o.nr_mixes; i++)
		names[i] = so->o.mixes[i]->name;
	print_names(f, "mixes", names, so->o.nr_mixes);
	fprintf(f, "},\n \"thresholds\": {\"rss_tolerance\": %g, \"warmup_passes\": %d, "
		"\"min_rss_samples\": %d},\n \"rounds\": [", FL_SOAK_RSS_TOLERANCE,
		FL_SOAK_WARMUP_PASSES, FL_SOAK_MIN_SAMPLES);
	for (i = 0; i < sk->nr_rounds; i++) {
		const struct soak_round *r = &sk->rounds[i];

		fprintf(f, "%s\n  {\"round\": %u, \"pass\": %u, \"strategy\": \"%s\", "
			"\"kind\": \"%s\", "
			"\"mix\": \"%s\", \"threads\": %u, \"ops\": %llu, \"violations\": %llu, "
			"\"injected_violations\": %llu, \"retries\": %llu, \"window_s\": %.4f, "
			"\"cpu_share\": %.4f, \"cpu_share_min\": %.4f, \"cpus_got\": %.3f, "
			"\"rss_kib\": %llu, \"warmup\": %s, \"elapsed_s\": %.3f}",
			i ? "," : "", i + 1, r->pass + 1, r->s->name,
			strategy_kind_name(r->s->kind),
			r->mix->name, r->threads, (unsigned long long)r->ops,
			(unsigned long long)r->violations, (unsigned long long)r->injected,
			(unsigned long long)r->retries, r->window_s, r->cpu_share, r->cpu_share_min,
			r->cpu_share * r->threads, (unsigned long long)r->rss_kib,
			r->pass < FL_SOAK_WARMUP_PASSES ? "true" : "false", r->elapsed_s);
	}
	fprintf(f, "\n ],\n \"summary\": {\"rounds\": %u, \"passes\": %u, \"ops\": %llu, "
		"\"violations\": %llu, \"rss_samples\": %u, \"rss_min_kib\": %llu, "
		"\"rss_max_kib\": %llu, \"rss_spread\": %.6f, \"flat\": %s, "
		"\"cpus_got_mean\": %.3f, "
		"\"cpus_got_min\": %.3f, \"steal_s\": %.2f, \"elapsed_s\": %.3f}}\n",
		sm->rounds, sm->passes, (unsigned long long)sm->ops,
		(unsigned long long)sm->violations, sm->rss_samples,
		(unsigned long long)sm->rss_min_kib, (unsigned long long)sm->rss_max_kib,
		sm->rss_spread, sm->flat < 0 ? "null" : sm->flat ? "true" : "false",
		sm->cpus_got_mean, sm->cpus_got_min, sm->steal_s, sm->elapsed_s);
}

/* One round: a window of strategy s on mix m; its figures into r. */
static int one_round(struct soak *sk, struct fl_run *run, struct soak_round *r)
{
	const struct soak_options *so = sk->so;
	unsigned n = so->factor * sk->pl->nr_cpus;
	int err;

	memset(run, 0, sizeof(*run));
	run->s = r->s;
	run->mix = r->mix;
	run->cfg.nr_slots = so->o.slots;
	run->cfg.slots_per_vma = so->o.slots >= 64 ? 64 : so->o.slots;
	run->duration_s = so->window_s;
	run->place = sk->pl;
	run->seed = so->o.seed + sk->nr_rounds;
	if ((err = fl_run_window(run, n)))
		return err;
	r->threads = run->tot.nthreads;
	r->ops = run->tot.primary_ops;
	r->violations = fl_counts_violations(&run->tot.c);
	r->retries = run->tot.c.retries;
	r->window_s = run->tot.window_s;
	r->cpu_share = run->tot.cpu_share;
	r->cpu_share_min = run->tot.cpu_share_min;
	if (so->inject_round == sk->nr_rounds + 1) {
		r->injected = 1;	/* the negative control of the violations check */
		r->violations += 1;
	}
	if (so->leak_kib) {
		/* The negative control of the flatness check: memory kept, touched. */
		void *p = malloc((size_t)so->leak_kib * 1024);

		if (!p)
			return -ENOMEM;
		memset(p, 0x5a, (size_t)so->leak_kib * 1024);
		sk->leaks[sk->nr_rounds] = p;
	}
	return 0;
}

/*
 * Write one byte of every page through a volatile pointer, so that each is
 * resident now. A memset(0) of fresh memory is not enough: gcc turns
 * malloc()+memset(0) into calloc(), which jemalloc answers with pages it
 * knows are zero without touching them, and they then became resident one
 * round record at a time (a 10-minute soak grew 116 KiB, 2.4%, that way).
 */
static void prefault(void *p, size_t len)
{
	volatile unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		c[i] = 0;
	if (len)
		c[len - 1] = 0;
}

/*
 * Every round's record, allocated and touched before the first round: a
 * round lasts at least its window, so there are at most total/window of
 * them, and the soak's own bookkeeping never grows its resident set.
 */
static int reserve(struct soak *sk)
{
	double cap = sk->so->total_s / sk->so->window_s + 2;

	sk->cap_rounds = cap < 1e7 ? (unsigned)cap : 10000000u;
	sk->rounds = malloc(sk->cap_rounds * sizeof(*sk->rounds));
	sk->leaks = malloc(sk->cap_rounds * sizeof(*sk->leaks));
	if (!sk->rounds || !sk->leaks)
		return -ENOMEM;
	memset(sk->rounds, 0, sk->cap_rounds * sizeof(*sk->rounds));
	memset(sk->leaks, 0, sk->cap_rounds * sizeof(*sk->leaks));
	prefault(sk->rounds, sk->cap_rounds * sizeof(*sk->rounds));
	prefault(sk->leaks, sk->cap_rounds * sizeof(*sk->leaks));
	return 0;
}

int fl_soak_run(struct soak *sk, volatile sig_atomic_t *stop, int (*save)(struct soak *sk))
{
	const struct soak_options *so = sk->so;
	unsigned per_pass = so->o.nr_strategies * so->o.nr_mixes;
	/* Large and cache-aligned: not on the stack (tests/test_mt.c does the same). */
	struct fl_run *run = aligned_alloc(FL_CACHELINE, (sizeof(*run) + FL_CACHELINE - 1) /
						  FL_CACHELINE * FL_CACHELINE);
	double t0 = fl_now_s(), left;
	int err = 0;

	if (!run || reserve(sk)) {
		free(run);
		return -ENOMEM;
	}
	sk->steal0 = fl_soak_steal_s();
	while (!*stop && fl_now_s() - t0 < so->total_s) {
		unsigned k = sk->nr_rounds % per_pass;
		struct soak_round *r;

		if (sk->nr_rounds == sk->cap_rounds)
			break;
		r = &sk->rounds[sk->nr_rounds];
		memset(r, 0, sizeof(*r));
		r->pass = sk->nr_rounds / per_pass;
		r->mix = so->o.mixes[k / so->o.nr_strategies];
		r->s = so->o.strategies[k % so->o.nr_strategies];
		if ((err = one_round(sk, run, r)))
			break;
		r->rss_kib = fl_soak_rss_kib();
		r->elapsed_s = fl_now_s() - t0;
		sk->nr_rounds++;
		fl_soak_summarise(sk);
		if (!so->o.quiet) {
			left = so->total_s - r->elapsed_s;
			left = left > 0 ? left : 0;
			fprintf(stderr, "soak: round %u (pass %u%s) %s/%s threads=%u ops=%llu "
				"viol=%llu rss=%llu KiB cpus_got=%.2f  elapsed %02u:%02u, "
				"remaining %02u:%02u\n", sk->nr_rounds, r->pass + 1,
				r->pass < FL_SOAK_WARMUP_PASSES ? ", warm-up" : "", r->mix->name,
				r->s->name, r->threads, (unsigned long long)r->ops,
				(unsigned long long)r->violations, (unsigned long long)r->rss_kib,
				r->cpu_share * r->threads, (unsigned)r->elapsed_s / 60,
				(unsigned)r->elapsed_s % 60, (unsigned)left / 60,
				(unsigned)left % 60);
		}
		if ((err = save(sk)))
			break;
	}
	free(run);
	sk->interrupted = *stop != 0;
	fl_soak_summarise(sk);
	return err;
}

void fl_soak_fini(struct soak *sk)
{
	unsigned i;

	for (i = 0; sk->leaks && i < sk->cap_rounds; i++)
		free(sk->leaks[i]);
	free(sk->leaks);
	free(sk->rounds);
	sk->leaks = NULL;
	sk->rounds = NULL;
}
