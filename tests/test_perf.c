// SPDX-License-Identifier: GPL-2.0
/*
 * bench/perf.c: the software events really count (page faults of a loop
 * that faults, task-clock of a busy thread), the "unsupported" path works
 * (FAULTLINE_PERF_FAIL makes an event's open fail as on a machine without
 * it), and a window of the real workload carries the counts. Each check
 * has its negative control: the same check on a case that must fail it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "bench/perf.h"
#include "bench/workload.h"

#define PAGES	512

static unsigned ev(const char *name)
{
	unsigned i;

	for (i = 0; i < FL_PERF_NR; i++)
		if (!strcmp(fl_perf_events[i].name, name))
			return i;
	fail_msg("no perf event %s", name);
	return 0;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void probe(struct fl_perf *p, bool on, const char *force)
{
	char err[256] = "";

	assert_int_equal(fl_perf_probe(p, on, force, err, sizeof(err)), 0);
}

/* The page faults counted while writing PAGES fresh pages (populate: pages
 * mapped beforehand, so the writes take none). */
static uint64_t faults_of_touching(bool populate)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;
	struct fl_perf_thread t;
	struct fl_perf p;
	uint64_t v[FL_PERF_NR];
	volatile char *m;

	probe(&p, true, NULL);
	m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0), -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, PAGES * page, MADV_NOHUGEPAGE);
	fl_perf_thread_open(&t, &p);
	fl_perf_thread_start(&t);
	for (i = 0; i < PAGES; i++)
		m[i * page] = 1;
	assert_true(fl_perf_thread_stop(&t, v) & (1u << ev("page-faults")));
	fl_perf_thread_close(&t);
	munmap((void *)m, PAGES * page);
	return v[ev("page-faults")];
}

static bool counts_one_fault_per_page(uint64_t faults)
{
	/* at most double: the sanitizers' shadow memory faults too */
	return faults >= PAGES && faults <= 2 * PAGES;
}

/* The software events are counted here; a hardware one is counted or says why not. */
static void test_probe(void **state)
{
	struct fl_perf p;
	unsigned i;

	(void)state;
	probe(&p, true, NULL);
	for (i = 0; i < FL_PERF_NR; i++) {
		if (!fl_perf_events[i].hw)
			assert_int_equal(p.ev[i].state, FL_PERF_COUNTED);
		else if (p.ev[i].state == FL_PERF_UNSUPPORTED)
			assert_true(strstr(p.ev[i].why, "perf_event_open: ") != NULL);
		else
			assert_int_equal(p.ev[i].state, FL_PERF_COUNTED);
	}
	assert_int_equal(p.forced, 0);
}

/* One fault per page written; the control: pre-populated pages take none,
 * and the same check says so. */
static void test_page_faults(void **state)
{
	uint64_t fresh = faults_of_touching(false), populated = faults_of_touching(true);

	(void)state;
	if (!counts_one_fault_per_page(fresh))
		fail_msg("%llu page faults for %d fresh pages", (unsigned long long)fresh, PAGES);
	assert_false(counts_one_fault_per_page(populated));
	assert_true(populated < PAGES / 4);
}

/* task-clock is the thread's CPU time: a busy thread's equals its CPU
 * clock; the control: a sleeping thread's is far below its wall time. */
static void test_task_clock(void **state)
{
	struct fl_perf_thread t;
	struct fl_perf p;
	uint64_t v[FL_PERF_NR], c0, cpu, w0, wall;
	struct timespec nap = { 0, 50000000 };
	unsigned tc = ev("task-clock");
	volatile unsigned long spin = 0;

	(void)state;
	probe(&p, true, NULL);
	fl_perf_thread_open(&t, &p);
	fl_perf_thread_start(&t);
	c0 = thread_cpu_ns();
	w0 = fl_now_ns();
	while (fl_now_ns() - w0 < 50000000ull)
		spin++;
	cpu = thread_cpu_ns() - c0;
	assert_true(fl_perf_thread_stop(&t, v) & (1u << tc));
	if (v[tc] < cpu * 0.9 || v[tc] > cpu * 1.1 + 200000)
		fail_msg("busy: task-clock %llu ns, thread CPU time %llu ns",
			 (unsigned long long)v[tc], (unsigned long long)cpu);
	fl_perf_thread_start(&t);
	w0 = fl_now_ns();
	nanosleep(&nap, NULL);
	wall = fl_now_ns() - w0;
	assert_true(fl_perf_thread_stop(&t, v) & (1u << tc));
	if (v[tc] > wall / 5)
		fail_msg("asleep: task-clock %llu ns of %llu ns wall", (unsigned long long)v[tc],
			 (unsigned long long)wall);
	fl_perf_thread_close(&t);
}

/* FAULTLINE_PERF_FAIL: the named events fail to open, as on a machine
 * without them, and say why; the others are still counted. The control:
 * the same event without it is counted. */
static void test_forced_unsupported(void **state)
{
	unsigned pf = ev("page-faults"), cy = ev("cycles"), tc = ev("task-clock");
	struct fl_perf_thread t;
	struct fl_perf p, plain;
	uint64_t v[FL_PERF_NR];
	unsigned got;
	char *json;

	(void)state;
	probe(&p, true, "cycles,page-faults");
	probe(&plain, true, NULL);
	assert_int_equal(plain.ev[pf].state, FL_PERF_COUNTED);
	assert_int_equal(p.ev[pf].state, FL_PERF_UNSUPPORTED);
	assert_int_equal(p.ev[cy].state, FL_PERF_UNSUPPORTED);
	assert_true(strstr(p.ev[pf].why, "FAULTLINE_PERF_FAIL") != NULL);
	assert_true(strstr(p.ev[pf].why, "ENOENT") != NULL);
	assert_int_equal(p.ev[tc].state, FL_PERF_COUNTED);
	assert_int_equal(p.forced, (1u << pf) | (1u << cy));
	fl_perf_thread_open(&t, &p);
	fl_perf_thread_start(&t);
	got = fl_perf_thread_stop(&t, v);
	fl_perf_thread_close(&t);
	assert_false(got & (1u << pf));
	assert_true(got & (1u << tc));
	json = fl_perf_json(&p);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"forced\": [\"cycles\", \"page-faults\"]"));
	assert_non_null(strstr(json, "\"name\": \"page-faults\", \"counter\": \"page_faults_per_op\", "
				     "\"state\": \"unsupported\", \"why\": \"forced by"));
	free(json);
}

static void test_bad_force(void **state)
{
	struct fl_perf p;
	char err[256] = "";

	(void)state;
	assert_int_equal(fl_perf_probe(&p, true, "cycles,nope", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'nope'"));
	assert_int_equal(fl_perf_probe(&p, true, ",cycles", err, sizeof(err)), -EINVAL);
}

/* --perf=off: nothing is opened, nothing is read, every event is "off". */
static void test_off(void **state)
{
	struct fl_perf_thread t;
	struct fl_perf p;
	uint64_t v[FL_PERF_NR];
	unsigned i;

	(void)state;
	probe(&p, false, NULL);
	for (i = 0; i < FL_PERF_NR; i++)
		assert_int_equal(p.ev[i].state, FL_PERF_OFF);
	assert_int_equal(fl_perf_counted(&p), 0);
	fl_perf_thread_open(&t, &p);
	for (i = 0; i < FL_PERF_NR; i++)
		assert_int_equal(t.fd[i], -1);
	fl_perf_thread_start(&t);
	assert_int_equal(fl_perf_thread_stop(&t, v), 0);
	fl_perf_thread_close(&t);
}

/* A window of the workload: every thread's task-clock, summed, is the
 * threads' CPU time; the control: a run without perf carries none. */
static void test_workload_window(void **state)
{
	static struct fl_run run;
	static struct fl_perf p;
	unsigned tc = ev("task-clock");
	double cpu_ns;

	(void)state;
	probe(&p, true, NULL);
	memset(&run, 0, sizeof(run));
	run.s = strategy_find("dep");
	run.mix = fl_mix_find("read");
	run.cfg.nr_slots = 256;
	run.cfg.slots_per_vma = 16;
	run.duration_s = 0.1;
	run.seed = 3;
	run.yield_in_barrier = true;
	run.perf = &p;
	assert_int_equal(fl_run_window(&run, 2), 0);
	assert_true(run.tot.perf_counted & (1u << tc));
	cpu_ns = run.tot.cpu_share * run.tot.wall_s_sum * 1e9;
	if (run.tot.perf[tc] < cpu_ns * 0.95 || run.tot.perf[tc] > cpu_ns * 1.05)
		fail_msg("task-clock %llu ns, threads' CPU time %.0f ns",
			 (unsigned long long)run.tot.perf[tc], cpu_ns);
	run.perf = NULL;
	assert_int_equal(fl_run_window(&run, 2), 0);
	assert_int_equal(run.tot.perf_counted, 0);
	assert_int_equal(run.tot.perf[tc], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_page_faults),
		cmocka_unit_test(test_task_clock),
		cmocka_unit_test(test_forced_unsupported),
		cmocka_unit_test(test_bad_force),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_workload_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
