// SPDX-License-Identifier: GPL-2.0
/* The counters of a benchmark row (counters.h), in the order bench.json lists them. */
#include "counters.h"

static double per(double x, double y)
{
	return y > 0 ? x / y : 0;
}

#define TOTAL(field)							\
static double total_##field(const struct fl_totals *a, unsigned avail)	\
{									\
	(void)avail;							\
	return (double)a->c.field;					\
}
TOTAL(viol_dep)
TOTAL(viol_indep)
TOTAL(viol_chain)
TOTAL(retries)
TOTAL(stale_refs)
TOTAL(gup_hits)
TOTAL(gup_misses)
TOTAL(fault_retries)
TOTAL(vma_teardowns)
#undef TOTAL

/* window_s is summed over a point's windows, wall_s_sum over its threads too. */
static double ops_per_s(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per((double)a->primary_ops, a->window_s);
}

static double gups_per_s(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per((double)a->c.gups, a->window_s);
}

static double gups_per_reader_s(const struct fl_totals *a, unsigned avail)
{
	return per(gups_per_s(a, avail), a->readers);
}

static double faults_per_s(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per((double)a->c.faults, a->window_s);
}

static double faults_per_writer_s(const struct fl_totals *a, unsigned avail)
{
	return per(faults_per_s(a, avail), a->writers);
}

static double publishes_per_s(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per((double)a->c.publishes, a->window_s);
}

static double ns_per_op(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per(a->wall_s_sum * 1e9, (double)a->primary_ops);
}

static double violations(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return (double)fl_counts_violations(&a->c);
}

static double lock_contended(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return (double)a->c.lock.contended;
}

static double lock_wait_frac(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return per((double)a->c.lock.wait_ns / 1e9, a->wall_s_sum);
}

static double cpu_share(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->cpu_share;
}

static double cpu_share_min(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->cpu_share_min;
}

static double noisy(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->cpu_share_min < FL_NOISY_CPU_SHARE ? 1 : 0;
}

static double oversubscribed(const struct fl_totals *a, unsigned avail)
{
	return a->nthreads > avail ? 1 : 0;
}

static double readers(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->readers;
}

static double writers(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->writers;
}

static double window_s(const struct fl_totals *a, unsigned avail)
{
	(void)avail;
	return a->window_s;
}

const struct fl_counter fl_counters[] = {
	{ "ops_per_s", "ops/s", "the mix's primary operations per second, all threads", ops_per_s },
	{ "gups_per_s", "GUPs/s", "GUP-fast walks per second, all threads", gups_per_s },
	{ "gups_per_reader_s", "GUPs/s", "GUP-fast walks per second per reading thread",
	  gups_per_reader_s },
	{ "faults_per_s", "faults/s", "anonymous faults per second, all threads", faults_per_s },
	{ "faults_per_writer_s", "faults/s", "anonymous faults per second per faulting thread",
	  faults_per_writer_s },
	{ "publishes_per_s", "publishes/s", "publish-path executions per second, all threads",
	  publishes_per_s },
	{ "ns_per_op", "ns", "thread-time per primary operation (wall time of every thread / ops)",
	  ns_per_op },
	{ "violations", "count", "GUPs that saw a published pte with stale contents, all shapes",
	  violations },
	{ "viol_dep", "count", "violations of the dep shape", total_viol_dep },
	{ "viol_indep", "count", "violations of the indep shape", total_viol_indep },
	{ "viol_chain", "count", "violations of the three-CPU chain shape", total_viol_chain },
	{ "retries", "count", "GUPs that gave up and fell back to the slow path (pte changed, seqcount retry, stale refcount)", total_retries },
	{ "stale_refs", "count", "of those retries, a zero refcount seen under a proven-current pte", total_stale_refs },
	{ "gup_hits", "count", "GUPs that pinned a page", total_gup_hits },
	{ "gup_misses", "count", "GUPs that found no page mapped", total_gup_misses },
	{ "fault_retries", "count", "faults that backed out and were retried (VMA busy, no memory, pte already set, anon_vma changed)",
	  total_fault_retries },
	{ "vma_teardowns", "count", "anon_vmas freed when the last page of their VMA was zapped",
	  total_vma_teardowns },
	{ "lock_contended", "count", "page_table_lock acquisitions that had to wait", lock_contended },
	{ "lock_wait_frac", "fraction", "share of thread time spent waiting for page_table_lock",
	  lock_wait_frac },
	{ "cpu_share", "fraction", "CPU time / wall time, summed over the threads", cpu_share },
	{ "cpu_share_min", "fraction", "the least-served thread's CPU time / wall time",
	  cpu_share_min },
	{ "noisy", "flag", "1: cpu_share_min below the noisy threshold", noisy },
	{ "oversubscribed", "flag", "1: more threads than usable CPUs", oversubscribed },
	{ "readers", "threads", "threads that GUP", readers },
	{ "writers", "threads", "threads that fault", writers },
	{ "window_s", "s", "measured window, summed over the iterations", window_s },
};

const unsigned fl_nr_counters = sizeof(fl_counters) / sizeof(fl_counters[0]);
