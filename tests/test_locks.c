// SPDX-License-Identifier: GPL-2.0
/*
 * Every lock flavour (sync/locks/), natively: single-thread semantics of
 * spin_lock/spin_trylock/spin_unlock/spin_lock_stat, then a mutual
 * exclusion test in the style of ck's regressions/ck_spinlock/validate:
 * THREADS threads (more than this machine's CPUs, so holders are preempted)
 * each take the lock ACQS times; inside, a plain counter is bumped
 * INNER times and must read exactly INNER (nobody else is inside), then
 * put back, and a shared total is incremented. Any overlap shows as a bad
 * inner count or a short total.
 *
 * The negative control is a lock that is not one: "test, then set" with a
 * separate load and store, which two threads can both pass. The same check
 * must catch it, which proves the check fires.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "sync/spinlock.h"

#define THREADS	3
#define ACQS	50000
#define INNER	10
#define MIN_CONTENDED	100	/* waits a run must show to count as exercised */
#define MAX_SECONDS	10	/* ... within this long */

struct shared {
	spinlock_t lock __cacheline_aligned;
	unsigned long broken __cacheline_aligned;	/* the control's "lock" word */
	bool use_broken;
	unsigned long inside __cacheline_aligned;	/* INNER bumps per section */
	unsigned long total;
	unsigned long overlaps;				/* sections that saw another */
	uint64_t contended;				/* acquisitions that waited */
	unsigned long sections;				/* the threads' own counts */
	pthread_barrier_t start;
};

/* Not a lock: the load and the store are separate, so two threads can see
 * 0 and both "take" it. The cpu_relax()es between them widen that window
 * (as a preemption there would), so that the race shows within the test. */
static void broken_lock(unsigned long *w)
{
	unsigned k;

	while (READ_ONCE(*w))
		cpu_relax();
	for (k = 0; k < 16; k++)
		cpu_relax();
	WRITE_ONCE(*w, 1UL);
}

/* ACQS sections, then (but for the control) on until the threads have
 * contended MIN_CONTENDED times, or MAX_SECONDS have passed. */
static bool more(struct shared *sh, unsigned long i, uint64_t deadline)
{
	if (i < ACQS)
		return true;
	if (sh->use_broken || __atomic_load_n(&sh->contended, __ATOMIC_RELAXED) >= MIN_CONTENDED)
		return false;
	return i % 1024 || fl_now_ns() < deadline;
}

static void *worker(void *arg)
{
	struct shared *sh = arg;
	struct lock_stat st = { 0 };
	unsigned long i, k, seen;
	uint64_t deadline = fl_now_ns() + MAX_SECONDS * 1000000000ull, published = 0;

	pthread_barrier_wait(&sh->start);
	for (i = 0; more(sh, i, deadline); i++) {
		if (sh->use_broken)
			broken_lock(&sh->broken);
		else
			spin_lock_stat(&sh->lock, &st);
		for (k = 0; k < INNER; k++)
			WRITE_ONCE(sh->inside, READ_ONCE(sh->inside) + 1);
		seen = READ_ONCE(sh->inside);
		WRITE_ONCE(sh->inside, READ_ONCE(sh->inside) - INNER);
		if (seen != INNER)
			WRITE_ONCE(sh->overlaps, READ_ONCE(sh->overlaps) + 1);
		WRITE_ONCE(sh->total, READ_ONCE(sh->total) + 1);
		if (sh->use_broken)
			smp_store_release(&sh->broken, 0UL);
		else
			spin_unlock(&sh->lock);
		if (st.contended != published) {
			__atomic_fetch_add(&sh->contended, st.contended - published, __ATOMIC_RELAXED);
			published = st.contended;
		}
	}
	__atomic_fetch_add(&sh->sections, i, __ATOMIC_RELAXED);
	return NULL;
}

/* Run THREADS workers; how many sections went wrong (overlaps + lost
 * totals)? *contended: how many acquisitions had to wait. */
static unsigned long hammer(enum fl_lock flavour, bool use_broken, uint64_t *contended,
			    unsigned long *sections)
{
	static struct shared sh;	/* cache-aligned: not on the stack */
	pthread_t t[THREADS];
	unsigned i;

	memset(&sh, 0, sizeof(sh));
	spin_lock_init(&sh.lock, flavour);
	sh.use_broken = use_broken;
	assert_int_equal(pthread_barrier_init(&sh.start, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &sh), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&sh.start);
	*contended = sh.contended;
	*sections = sh.sections;
	return sh.overlaps + (sh.sections - sh.total);
}

static void test_semantics(void **state)
{
	unsigned f;

	(void)state;
	for (f = 0; f < FL_NR_LOCKS; f++) {
		struct lock_stat st = { 0 };
		spinlock_t l;

		spin_lock_init(&l, (enum fl_lock)f);
		assert_int_equal(l.flavour, f);
		spin_lock_stat(&l, &st);
		assert_int_equal(st.contended, 0);
		assert_int_equal(st.wait_ns, 0);
		assert_false(spin_trylock(&l));
		spin_unlock(&l);
		assert_true(spin_trylock(&l));
		assert_false(spin_trylock(&l));
		spin_unlock(&l);
		spin_lock(&l);
		assert_false(spin_trylock(&l));
		spin_unlock(&l);
		assert_true(spin_trylock(&l));
		spin_unlock(&l);
	}
	/* Zeroed memory is an unlocked lock of the default flavour. */
	{
		spinlock_t z;

		memset(&z, 0, sizeof(z));
		assert_int_equal(z.flavour, FL_LOCK_DEFAULT);
		assert_true(spin_trylock(&z));
		spin_unlock(&z);
	}
}

static void test_names(void **state)
{
	unsigned f;

	(void)state;
	for (f = 0; f < FL_NR_LOCKS; f++) {
		assert_int_equal(fl_lock_find(fl_lock_names[f]), f);
		assert_non_null(fl_lock_desc((enum fl_lock)f));
	}
	assert_null(fl_lock_names[FL_NR_LOCKS]);
	assert_int_equal(fl_lock_find("mcs"), -1);
	assert_non_null(fl_lock_opaque(FL_LOCK_PTHREAD));
	assert_null(fl_lock_opaque(FL_LOCK_QSPINLOCK));
}

static void test_mutual_exclusion(void **state)
{
	unsigned f;

	(void)state;
	for (f = 0; f < FL_NR_LOCKS; f++) {
		uint64_t contended;
		unsigned long sections, bad = hammer((enum fl_lock)f, false, &contended, &sections);

		if (bad)
			fail_msg("%s: %lu of %lu sections overlapped or were lost", fl_lock_names[f],
				 bad, sections);
		/* A Never must have been exercised: threads really contended. */
		print_message("%-10s %lu acquisitions, %llu contended, none overlapped\n",
			      fl_lock_names[f], sections, (unsigned long long)contended);
		assert_true(contended >= MIN_CONTENDED);
	}
}

static void test_broken_lock_caught(void **state)
{
	unsigned tries;

	(void)state;
	/* A race needs the threads to overlap: a few tries, one must show it. */
	for (tries = 0; tries < 5; tries++)
	{
		uint64_t contended;
		unsigned long sections;

		if (hammer(FL_LOCK_DEFAULT, true, &contended, &sections))
			return;
	}
	fail_msg("the check never caught the non-atomic test-then-set lock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_mutual_exclusion),
		cmocka_unit_test(test_broken_lock_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
