// SPDX-License-Identifier: GPL-2.0
/*
 * Every emulatable lock flavour (sync/locks/) under the emulator (built
 * with -DFL_EMU): THREADS threads each take the lock ROUNDS times and
 * increment a shared counter inside it with a marked load and store
 * (READ_ONCE/WRITE_ONCE, no RMW), and publish x then y inside it while a
 * later holder reads y then x. A lost increment (the counter ends short)
 * or y seen without x means a critical section saw a stale one: mutual
 * exclusion or the ACQUIRE/RELEASE pairing failed. Real flavours must be
 * Never under tso, arm64 and alpha; the broken controls below (an unlock
 * without RELEASE) must be caught on arm64, which proves the check fires.
 *
 * A Never counts what it exercised: acquisitions that had to wait
 * (spin_lock_stat()), and for the qspinlock the critical sections that saw
 * the pending bit or a queued tail in the lock word, so its slow paths are
 * known to have run. EMU_LOCKS_VERBOSE=1 prints every count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "emu/emu.h"
#include "sync/spinlock.h"

#define SEEDS		200
#define THREADS		3
#define ROUNDS		3

static spinlock_t lk;
static unsigned long counter, x, y;
/* What the critical sections saw (the emulator runs one thread at a time). */
static unsigned long mp_bad, pending_seen, queued_seen;
static struct lock_stat st[THREADS];

struct flavour {
	const char *name;
	enum fl_lock lock;
	void (*unlock)(spinlock_t *l);	/* NULL: spin_unlock() */
};

/* Broken controls: each flavour's lock, an unlock with no RELEASE. */
static void qspin_unlock_relaxed(spinlock_t *l)
{
	fetch_andnot_relaxed(&l->q.val, _Q_LOCKED_MASK);
}

static void tas_unlock_plain(spinlock_t *l)
{
	WRITE_ONCE(l->tas.locked, 0UL);
}

static void ticket_unlock_plain(spinlock_t *l)
{
	WRITE_ONCE(l->ticket.owner, LOAD_PLAIN(l->ticket.owner) + 1);
}

static const struct flavour *cur;

static void worker(void *a)
{
	struct lock_stat *s = a;
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		unsigned long v;

		spin_lock_stat(&lk, s);
		if (cur->lock == FL_LOCK_QSPINLOCK) {
			v = __READ_ONCE(lk.q.val);
			pending_seen += !!(v & _Q_PENDING_MASK);
			queued_seen += !!(v & _Q_TAIL_MASK);
		}
		/* y without x: an earlier holder's stores seen out of order */
		if (__READ_ONCE(y) && !__READ_ONCE(x))
			mp_bad++;
		WRITE_ONCE(counter, READ_ONCE(counter) + 1);
		WRITE_ONCE(x, 1UL);
		WRITE_ONCE(y, 1UL);
		if (cur->unlock)
			cur->unlock(&lk);
		else
			spin_unlock(&lk);
	}
}

struct tally {
	unsigned bad_seeds;
	uint64_t contended, pending, queued;
};

static struct tally run_flavour(enum fl_machine m, const struct flavour *f)
{
	emu_fn fn[THREADS];
	void *arg[THREADS];
	struct tally t = { 0 };
	unsigned seed, i;

	cur = f;
	for (i = 0; i < THREADS; i++) {
		fn[i] = worker;
		arg[i] = &st[i];
	}
	for (seed = 1; seed <= SEEDS; seed++) {
		struct emu_config c = { .model = m, .seed = seed, .max_steps = 1000000 };

		spin_lock_init(&lk, f->lock);
		counter = x = y = 0;
		mp_bad = pending_seen = queued_seen = 0;
		for (i = 0; i < THREADS; i++)
			st[i] = (struct lock_stat){ 0 };
		assert_int_equal(emu_run(&c, THREADS, fn, arg), 0);
		t.bad_seeds += counter != THREADS * ROUNDS || mp_bad;
		for (i = 0; i < THREADS; i++)
			t.contended += st[i].contended;
		t.pending += pending_seen;
		t.queued += queued_seen;
	}
	if (getenv("EMU_LOCKS_VERBOSE"))
		print_message("%-6s %-26s bad in %3u/%u seeds; %llu contended, %llu saw pending, "
			      "%llu saw a queue\n", machine_name(m), f->name, t.bad_seeds, SEEDS,
			      (unsigned long long)t.contended, (unsigned long long)t.pending,
			      (unsigned long long)t.queued);
	return t;
}

static const struct flavour real[] = {
	{ "qspinlock", FL_LOCK_QSPINLOCK, NULL },
	{ "ticket", FL_LOCK_TICKET, NULL },
	{ "tas", FL_LOCK_TAS, NULL },
};

/* Never, on every model, and exercised: contended acquisitions in every
 * flavour, both qspinlock slow paths. */
static void test_flavours_never(void **state)
{
	static const enum fl_machine models[] = { MACHINE_TSO, MACHINE_ARM64, MACHINE_ALPHA };
	unsigned i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(real); i++) {
		for (k = 0; k < ARRAY_SIZE(models); k++) {
			struct tally t = run_flavour(models[k], &real[i]);

			assert_int_equal(t.bad_seeds, 0);
			assert_true(t.contended > 0);
			if (real[i].lock == FL_LOCK_QSPINLOCK) {
				assert_true(t.pending > 0);
				assert_true(t.queued > 0);
			}
		}
	}
}

/* The negative controls: an unlock without RELEASE lets the next holder
 * see the critical section's stores late. Caught on arm64; the counter
 * check is the same code as above, so it is known to fire. */
static void test_broken_unlock_caught(void **state)
{
	static const struct flavour broken[] = {
		{ "qspinlock, relaxed unlock", FL_LOCK_QSPINLOCK, qspin_unlock_relaxed },
		{ "tas, plain unlock", FL_LOCK_TAS, tas_unlock_plain },
		{ "ticket, plain unlock", FL_LOCK_TICKET, ticket_unlock_plain },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(broken); i++)
		assert_true(run_flavour(MACHINE_ARM64, &broken[i]).bad_seeds >= SEEDS / 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flavours_never),
		cmocka_unit_test(test_broken_unlock_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
