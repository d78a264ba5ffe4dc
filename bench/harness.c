// SPDX-License-Identifier: GPL-2.0
/*
 * Each (mix, strategy) is one Google Benchmark with Threads(n) for every CPU
 * count and UseManualTime(): one iteration is one fixed window (fl_run), so
 * every thread stops on the shared flag, not after a per-thread iteration
 * count, and the time reported is the measured window. Only thread 0 sets
 * counters, computed from the real operation counts of all threads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fl_build.h"	/* generated: FL_GIT_REV, FL_CFLAGS */
#include "counters.h"
#include "clock.h"
#include "describe.h"
#include "gb.h"
#include "harness.h"

struct fl_bench {
	struct fl_run run;
	bool quiet;
	unsigned avail;		/* usable CPUs: more threads is oversubscribed */
};

static unsigned failures;
static struct fl_bench *benches;	/* registered with Google Benchmark until exit */

/* The progress line's "point k/N, ETA mm:ss": N is every registered point
 * times the repetitions Google Benchmark was asked for; k counts the windows
 * reported so far; the ETA is the mean time per point since registration. */
static unsigned progress_total, progress_done;
static double progress_t0;

/*
 * --benchmark_repetitions=N as Google Benchmark reads it: its environment
 * default (BENCHMARK_REPETITIONS), overridden by the flag. Google Benchmark
 * has taken the flag out of gb_argv by the time the benchmarks are
 * registered, so the command line is read back from /proc/self/cmdline.
 */
static unsigned gb_repetitions(void)
{
	static const char flag[] = "--benchmark_repetitions=";
	const char *env = getenv("BENCHMARK_REPETITIONS");
	long v = env ? strtol(env, NULL, 10) : 1;
	char buf[16384];
	size_t len, i;
	FILE *f = fopen("/proc/self/cmdline", "r");

	if (f) {
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = 0;
		for (i = 0; i < len; i += strlen(buf + i) + 1)
			if (!strncmp(buf + i, flag, sizeof(flag) - 1))
				v = strtol(buf + i + sizeof(flag) - 1, NULL, 10);
	}
	return v > 0 ? (unsigned)v : 1;
}

void fl_harness_release(void)
{
	free(benches);
	benches = NULL;
}

unsigned fl_harness_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

static double per(double x, double y)
{
	return y > 0 ? x / y : 0;
}

static void set_counters(gb_state *st, const struct fl_bench *b, const struct fl_totals *a)
{
	unsigned i;

	for (i = 0; i < fl_nr_counters; i++)
		gb_counter_set(st, fl_counters[i].name, fl_counters[i].value(a, b->avail), 0);
	/* Only the perf events every thread counted; the context says why not the others. */
	for (i = 0; i < FL_PERF_NR; i++)
		if (a->perf_counted & (1u << i))
			gb_counter_set(st, fl_perf_events[i].counter,
				       per((double)a->perf[i], (double)a->primary_ops), 0);
}

static void progress(const struct fl_bench *b, const struct fl_totals *a)
{
	unsigned k = __atomic_add_fetch(&progress_done, 1, __ATOMIC_RELAXED);
	unsigned n = k > progress_total ? k : progress_total;
	double left = (fl_now_s() - progress_t0) / k * (n - k);
	unsigned eta = left > 0 ? (unsigned)(left + 0.5) : 0;

	fprintf(stderr,
		"faultline: %-7s %-15s cpus=%-3u %8.2f M%s/s  faults %7.2f M/s  "
		"viol dep/indep/chain %llu/%llu/%llu  retries %llu  stale_refs %llu  cpu %.2f%s  "
		"point %u/%u, ETA %02u:%02u\n",
		b->run.mix->name, b->run.s->name, a->nthreads,
		per((double)a->primary_ops, a->window_s) / 1e6, b->run.mix->primary,
		per((double)a->c.faults, a->window_s) / 1e6,
		(unsigned long long)a->c.viol_dep, (unsigned long long)a->c.viol_indep,
		(unsigned long long)a->c.viol_chain, (unsigned long long)a->c.retries,
		(unsigned long long)a->c.stale_refs, a->cpu_share_min,
		a->cpu_share_min < FL_NOISY_CPU_SHARE ? " NOISY" : "", k, n, eta / 60, eta % 60);
}

static void bench_window(gb_state *st, void *arg)
{
	struct fl_bench *b = arg;
	int tid = gb_thread_index(st), n = gb_num_threads(st);
	struct fl_totals acc;
	double window;
	int err = 0;

	memset(&acc, 0, sizeof(acc));
	GB_LOOP(st, i) {
		(void)i;
		err = fl_run_thread(&b->run, (unsigned)tid, (unsigned)n, &window);
		if (err)
			break;
		gb_set_iteration_time(st, window);
		if (tid == 0)
			fl_totals_add(&acc, &b->run.tot);
	}
	if (err) {
		if (tid == 0) {
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
			fprintf(stderr, "faultline: %s/%s threads=%d failed: %s\n", b->run.mix->name,
				b->run.s->name, n, strerror(-err));
		}
		gb_skip_with_error(st, strerror(-err));
		return;
	}
	gb_set_label(st, strategy_kind_name(b->run.s->kind));
	if (tid != 0)
		return;
	set_counters(st, b, &acc);
	if (!b->quiet)
		progress(b, &acc);
}

static void bench_empty(gb_state *st, void *arg)
{
	(void)arg;
	GB_LOOP(st, i) {
		(void)i;
		__asm__ __volatile__("" ::: "memory");
	}
}

int fl_harness_register(const struct fl_options *o, const struct fl_placement *p,
			const struct fl_perf *perf)
{
	unsigned m, s, c, nr = 0;
	char name[128];

	benches = calloc((size_t)o->nr_mixes * o->nr_strategies, sizeof(*benches));
	if (!benches)
		return -ENOMEM;
	if (o->overhead) {
		gb_bench *gb = gb_register("harness/empty", bench_empty, NULL);

		gb_unit(gb, GB_NS);
	}
	for (m = 0; m < o->nr_mixes; m++) {
		for (s = 0; s < o->nr_strategies; s++) {
			struct fl_bench *b = &benches[nr++];
			unsigned points = 0;
			gb_bench *gb;

			b->run.s = o->strategies[s];
			b->run.mix = o->mixes[m];
			b->run.cfg.nr_slots = o->slots;
			b->run.cfg.slots_per_vma = o->slots >= 64 ? 64 : o->slots;
			b->run.cfg.clear_page = o->clear_page;
			b->run.cfg.mm_ptl = !strcmp(o->ptl, "mm");
			b->run.cfg.lock = (enum fl_lock)fl_lock_find(o->lock);
			b->run.duration_s = o->duration;
			b->run.place = p;
			b->run.seed = o->seed;
			b->run.perf = perf->on ? perf : NULL;
			b->quiet = o->quiet;
			b->avail = p->nr_cpus;
			snprintf(name, sizeof(name), "%s/%s", b->run.mix->name, b->run.s->name);
			gb = gb_register(name, bench_window, b);
			gb_use_manual_time(gb);
			gb_unit(gb, GB_MS);
			for (c = 0; c < o->nr_cpus; c++) {
				if (b->run.s->kind == STRAT_BASELINE && o->cpus[c] != 1)
					continue;
				gb_threads(gb, (int)o->cpus[c]);
				points++;
			}
			if (!points)	/* baseline without 1 in --cpus */
				gb_threads(gb, 1);
			progress_total += points ? points : 1;
		}
	}
	progress_total *= gb_repetitions();
	progress_done = 0;
	progress_t0 = fl_now_s();
	return 0;
}

void fl_harness_context(const struct fl_options *o, const struct fl_placement *p,
			const struct fl_sysinfo *si, const struct fl_perf *perf)
{
	char buf[1024], *desc;
	size_t len = 0;
	unsigned i;

	gb_add_context("faultline_git_rev", FL_GIT_REV);
	gb_add_context("faultline_cflags", FL_CFLAGS);
	gb_add_context("arch", si->arch);
	gb_add_context("cpu_model", si->cpu_model);
	gb_add_context("kernel", si->kernel);
	gb_add_context("compiler", si->compiler);
	gb_add_context("malloc_library", si->malloc_lib);
	gb_add_context("jemalloc_version", si->jemalloc_version);
	snprintf(buf, sizeof(buf), "%u", p->nr_cpus);
	gb_add_context("usable_cpus", buf);
	snprintf(buf, sizeof(buf), "%u", p->nr_cores);
	gb_add_context("cores", buf);
	snprintf(buf, sizeof(buf), "%u", p->nr_packages);
	gb_add_context("packages", buf);
	gb_add_context("placement", p->policy);
	gb_add_context("placement_effective", p->effective);	/* smt falls back to compact */
	gb_add_context("placement_note", p->note);
	for (i = 0, len = 0; i < p->nr_cpus && len < sizeof(buf) - 16; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d", i ? "," : "",
					p->os_index[i]);
	gb_add_context("cpu_order", buf);
	for (i = 0, len = 0; i < o->nr_cpus && len < sizeof(buf) - 16; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? "," : "", o->cpus[i]);
	gb_add_context("cpu_counts", buf);
	gb_add_context("oversubscribe", o->oversubscribe ? "true" : "false");
	snprintf(buf, sizeof(buf), "%g", o->duration);
	gb_add_context("duration_s", buf);
	snprintf(buf, sizeof(buf), "%lu", o->slots);
	gb_add_context("slots", buf);
	gb_add_context("clear_page", o->clear_page ? "true" : "false");
	gb_add_context("ptl", o->ptl);
	gb_add_context("lock", o->lock);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)o->seed);
	gb_add_context("seed", buf);
	/* Every fact the tools read about this binary, as one JSON string. */
	desc = fl_describe_json_string();
	if (!desc) {
		fputs("faultline: out of memory describing the strategies\n", stderr);
		exit(1);
	}
	gb_add_context("faultline_describe", desc);
	free(desc);
	/* Which perf events were counted, and why not the others: once per run. */
	desc = fl_perf_json(perf);
	if (!desc) {
		fputs("faultline: out of memory describing the perf events\n", stderr);
		exit(1);
	}
	gb_add_context("perf", desc);
	free(desc);
}
