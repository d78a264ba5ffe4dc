// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator's own regression test (built with -DFL_EMU): litmus-shaped
 * programs written with the barrier vocabulary, run over many seeds under
 * each model and checked against their LKMM / architecture verdict:
 * "Sometimes" shapes must be observed, "Never" shapes never.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "emu/emu.h"
#include "sync/seqcount.h"
#include "sync/spinlock.h"

#define SEEDS	400

/* Shared words (emulated) and each reader's results (the reader's own). */
static unsigned long x, y, flag, *ptr;
static unsigned long r1, r2;
static seqcount_t seq;
static spinlock_t lk;

static void reset(void)
{
	x = y = flag = r1 = r2 = 0;
	ptr = NULL;
	seqcount_init(&seq);
	spin_lock_init(&lk);
}

/* Runs w and r under model m for SEEDS seeds; how often was bad() true? */
static unsigned observed(enum emu_model m, emu_fn w, emu_fn r, bool (*bad)(void))
{
	emu_fn fn[2] = { w, r };
	void *arg[2] = { NULL, NULL };
	unsigned seed, n = 0;

	for (seed = 1; seed <= SEEDS; seed++) {
		struct emu_config c = { .model = m, .seed = seed, .max_steps = 100000 };

		reset();
		assert_int_equal(emu_run(&c, 2, fn, arg), 0);
		n += bad();
	}
	return n;
}

static void expect(enum emu_model m, emu_fn w, emu_fn r, bool (*bad)(void), bool sometimes)
{
	unsigned n = observed(m, w, r, bad);

	if (sometimes && n < SEEDS / 100)
		fail_msg("%s: expected Sometimes, seen in %u/%u seeds", emu_model_name(m), n, SEEDS);
	if (!sometimes && n)
		fail_msg("%s: expected Never, seen in %u/%u seeds", emu_model_name(m), n, SEEDS);
}

/* ---- message passing through a flag ------------------------------------ */

static void mp_w_once(void *a) { (void)a; WRITE_ONCE(x, 1UL); WRITE_ONCE(y, 1UL); }
static void mp_w_wmb(void *a) { (void)a; WRITE_ONCE(x, 1UL); smp_wmb(); WRITE_ONCE(y, 1UL); }
static void mp_w_rel(void *a) { (void)a; WRITE_ONCE(x, 1UL); smp_store_release(&y, 1UL); }
/* Readers poll the flag a bounded number of times, as litmus7 does. */
#define POLL	64

static void mp_r_once(void *a)
{
	unsigned i;

	(void)a;
	for (i = 0; i < POLL && !(r1 = __READ_ONCE(y)); i++)
		;
	r2 = __READ_ONCE(x);
}

static void mp_r_rmb(void *a)
{
	unsigned i;

	(void)a;
	for (i = 0; i < POLL && !(r1 = __READ_ONCE(y)); i++)
		;
	smp_rmb();
	r2 = __READ_ONCE(x);
}

static void mp_r_acq(void *a)
{
	unsigned i;

	(void)a;
	for (i = 0; i < POLL && !(r1 = smp_load_acquire(&y)); i++)
		;
	r2 = __READ_ONCE(x);
}
static bool mp_bad(void) { return r1 == 1 && r2 == 0; }

static void test_mp(void **state)
{
	(void)state;
	/* MP+poonceonces: Sometimes, but never on TSO. */
	expect(EMU_TSO, mp_w_once, mp_r_once, mp_bad, false);
	expect(EMU_ARM64, mp_w_once, mp_r_once, mp_bad, true);
	expect(EMU_ALPHA, mp_w_once, mp_r_once, mp_bad, true);
	/* MP+fencewmbonceonce+fencermbonceonce: Never. */
	expect(EMU_ARM64, mp_w_wmb, mp_r_rmb, mp_bad, false);
	expect(EMU_ALPHA, mp_w_wmb, mp_r_rmb, mp_bad, false);
	/* One side alone: Sometimes. */
	expect(EMU_ARM64, mp_w_wmb, mp_r_once, mp_bad, true);
	expect(EMU_ARM64, mp_w_once, mp_r_rmb, mp_bad, true);
	/* MP+pooncerelease+poacquireonce: Never. */
	expect(EMU_ARM64, mp_w_rel, mp_r_acq, mp_bad, false);
	expect(EMU_ALPHA, mp_w_rel, mp_r_acq, mp_bad, false);
}

/* ---- message passing through a pointer (address dependency) ------------ */

static void ptr_w_wmb(void *a) { (void)a; WRITE_ONCE(x, 1UL); smp_wmb(); WRITE_ONCE(ptr, &x); }
static void ptr_w_once(void *a) { (void)a; WRITE_ONCE(x, 1UL); WRITE_ONCE(ptr, &x); }

static void ptr_r_dep(void *a)		/* __READ_ONCE: no alpha barrier */
{
	unsigned long *p = NULL;
	unsigned i;

	(void)a;
	for (i = 0; i < POLL && !(p = __READ_ONCE(ptr)); i++)
		;
	r1 = p != NULL;
	r2 = p ? READ_DEP(*p, ptr) : 0;
}

static void ptr_r_readonce(void *a)	/* READ_ONCE: alpha's "mb" included */
{
	unsigned long *p = NULL;
	unsigned i;

	(void)a;
	for (i = 0; i < POLL && !(p = READ_ONCE(ptr)); i++)
		;
	r1 = p != NULL;
	r2 = p ? READ_DEP(*p, ptr) : 0;
}

static void test_address_dependency(void **state)
{
	(void)state;
	/* MP+onceassign+derefonce: Never, except on alpha without the barrier. */
	expect(EMU_ARM64, ptr_w_wmb, ptr_r_dep, mp_bad, false);
	expect(EMU_ALPHA, ptr_w_wmb, ptr_r_dep, mp_bad, true);
	expect(EMU_ALPHA, ptr_w_wmb, ptr_r_readonce, mp_bad, false);
	/* No wmb: the dependency alone does not order the writer. */
	expect(EMU_ARM64, ptr_w_once, ptr_r_dep, mp_bad, true);
}

/* ---- store buffering ------------------------------------------------------ */

static void sb_0(void *a) { (void)a; WRITE_ONCE(x, 1UL); r1 = __READ_ONCE(y); }
static void sb_1(void *a) { (void)a; WRITE_ONCE(y, 1UL); r2 = __READ_ONCE(x); }
static void sb_0_mb(void *a) { (void)a; WRITE_ONCE(x, 1UL); smp_mb(); r1 = __READ_ONCE(y); }
static void sb_1_mb(void *a) { (void)a; WRITE_ONCE(y, 1UL); smp_mb(); r2 = __READ_ONCE(x); }
static bool sb_bad(void) { return r1 == 0 && r2 == 0; }

static void test_store_buffering(void **state)
{
	(void)state;
	/* SB+poonceonces: Sometimes, even on TSO; SB+fencembonceonces: Never. */
	expect(EMU_TSO, sb_0, sb_1, sb_bad, true);
	expect(EMU_ARM64, sb_0, sb_1, sb_bad, true);
	expect(EMU_TSO, sb_0_mb, sb_1_mb, sb_bad, false);
	expect(EMU_ARM64, sb_0_mb, sb_1_mb, sb_bad, false);
	expect(EMU_ALPHA, sb_0_mb, sb_1_mb, sb_bad, false);
}

/* ---- coherence: one location is never read backwards -------------------- */

static void co_w(void *a) { (void)a; WRITE_ONCE(x, 1UL); WRITE_ONCE(x, 2UL); }
static void co_r(void *a) { (void)a; r1 = __READ_ONCE(x); r2 = __READ_ONCE(x); }
static bool co_bad(void) { return r1 > r2; }
static void co_self(void *a) { (void)a; WRITE_ONCE(x, 1UL); WRITE_ONCE(y, 1UL); r1 = __READ_ONCE(x); }
static void co_other(void *a) { (void)a; WRITE_ONCE(x, 2UL); }
static bool co_self_bad(void) { return r1 == 0; }	/* older than its own write */

static void test_coherence(void **state)
{
	(void)state;
	expect(EMU_ARM64, co_w, co_r, co_bad, false);
	expect(EMU_ALPHA, co_w, co_r, co_bad, false);
	/* A thread never reads older than its own write, buffered or not. */
	expect(EMU_ARM64, co_self, co_other, co_self_bad, false);
	expect(EMU_ALPHA, co_self, co_other, co_self_bad, false);
}

/* ---- locks and seqcounts -------------------------------------------------- */

static void lock_w(void *a) { (void)a; spin_lock(&lk); WRITE_ONCE(x, 1UL); WRITE_ONCE(y, 1UL); spin_unlock(&lk); }
static void lock_r(void *a) { (void)a; spin_lock(&lk); r1 = __READ_ONCE(y); r2 = __READ_ONCE(x); spin_unlock(&lk); }
static bool torn(void) { return r1 != r2; }

static void seq_w(void *a)
{
	(void)a;
	write_seqcount_begin(&seq);
	WRITE_ONCE(x, 1UL);
	WRITE_ONCE(y, 1UL);
	write_seqcount_end(&seq);
}

/* The same writer with plain increments: no smp_wmb() on either side. */
static void seq_w_nowmb(void *a)
{
	(void)a;
	WRITE_ONCE(seq.sequence, 1UL);
	WRITE_ONCE(x, 1UL);
	WRITE_ONCE(y, 1UL);
	WRITE_ONCE(seq.sequence, 2UL);
}

static void seq_r(void *a)
{
	unsigned long s;

	(void)a;
	do {
		s = read_seqcount_begin(&seq);
		r1 = __READ_ONCE(y);
		r2 = __READ_ONCE(x);
	} while (read_seqcount_retry(&seq, s));
}

static void test_locks_and_seqcount(void **state)
{
	(void)state;
	/* MP+polocks: Never (here: the critical sections never tear). */
	expect(EMU_ARM64, lock_w, lock_r, torn, false);
	expect(EMU_ALPHA, lock_w, lock_r, torn, false);
	/* Seqcount with its barriers: Never; without the writer's: Sometimes. */
	expect(EMU_ARM64, seq_w, seq_r, torn, false);
	expect(EMU_ALPHA, seq_w, seq_r, torn, false);
	expect(EMU_ARM64, seq_w_nowmb, seq_r, torn, true);
}

/* ---- determinism and the livelock guard ----------------------------------- */

static uint64_t run_hash(uint64_t seed)
{
	struct emu_config c = { .model = EMU_ARM64, .seed = seed, .max_steps = 100000 };
	emu_fn fn[2] = { mp_w_once, mp_r_once };
	void *arg[2] = { NULL, NULL };

	reset();
	assert_int_equal(emu_run(&c, 2, fn, arg), 0);
	return emu_trace_hash() ^ (r1 << 1) ^ (r2 << 2);
}

static void test_determinism(void **state)
{
	unsigned seed, differs = 0;

	(void)state;
	for (seed = 1; seed <= 50; seed++) {
		uint64_t h = run_hash(seed);

		assert_true(h == run_hash(seed));	/* same seed, same run */
		differs += h != run_hash(seed + 1000);
	}
	assert_true(differs > 25);			/* seeds do matter */
}

static void spin_forever(void *a)
{
	(void)a;
	while (!READ_ONCE(flag))
		cpu_relax();
}

static void test_livelock_guard(void **state)
{
	struct emu_config c = { .model = EMU_TSO, .seed = 1, .max_steps = 5000 };
	emu_fn fn[2] = { spin_forever, mp_w_once };
	void *arg[2] = { NULL, NULL };

	(void)state;
	reset();
	assert_int_equal(emu_run(&c, 2, fn, arg), -ETIME);
	/* And the emulator is usable again afterwards. */
	c.max_steps = 100000;
	fn[0] = mp_w_once;
	fn[1] = mp_r_once;
	assert_int_equal(emu_run(&c, 2, fn, arg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mp),
		cmocka_unit_test(test_address_dependency),
		cmocka_unit_test(test_store_buffering),
		cmocka_unit_test(test_coherence),
		cmocka_unit_test(test_locks_and_seqcount),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_livelock_guard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
