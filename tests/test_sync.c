// SPDX-License-Identifier: GPL-2.0
/*
 * The barrier vocabulary (sync/): accessors, barriers, atomics, the ticket
 * spinlock and the seqcount. Single-threaded: these tests pin down values
 * and protocol state, not ordering (the emulation and litmus tests do that).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/seqcount.h"
#include "sync/spinlock.h"

#define V1	0xdeadbeefcafef00dUL
#define V2	0x0123456789abcdefUL

struct node {
	unsigned long val;
	struct node *next;
};

/* Every marked and plain accessor stores and loads an unsigned long intact,
 * including the all-ones and zero patterns. */
static void test_accessors_ulong(void **state)
{
	unsigned long x = 0, src = 0;

	(void)state;
	WRITE_ONCE(x, V1);
	assert_int_equal(x, V1);
	assert_int_equal(READ_ONCE(x), V1);
	assert_int_equal(__READ_ONCE(x), V1);
	assert_int_equal(LOAD_PLAIN(x), V1);
	assert_int_equal(READ_DEP(x, src), V1);

	STORE_PLAIN(x, V2);
	assert_int_equal(READ_ONCE(x), V2);
	STORE_PLAIN(x, ~0UL);
	assert_int_equal(__READ_ONCE(x), ~0UL);
	WRITE_ONCE(x, 0UL);
	assert_int_equal(LOAD_PLAIN(x), 0);
}

/* The accessors keep pointer types: a published pointer loads back as the
 * same pointer, and READ_DEP through it reaches the pointee's field. */
static void test_accessors_pointer(void **state)
{
	struct node a = { .val = V1 }, b = { .val = V2 };
	struct node *head = NULL;
	struct node *p;

	(void)state;
	WRITE_ONCE(head, &a);
	assert_ptr_equal(READ_ONCE(head), &a);
	STORE_PLAIN(head, &b);
	assert_ptr_equal(__READ_ONCE(head), &b);
	assert_ptr_equal(LOAD_PLAIN(head), &b);

	WRITE_ONCE(a.next, &b);
	p = READ_ONCE(head);
	assert_int_equal(READ_DEP(p->val, head), V2);
	p = READ_DEP(a.next, head);
	assert_ptr_equal(p, &b);
	WRITE_ONCE(head, NULL);
	assert_null(READ_ONCE(head));
}

/* smp_store_release()/smp_load_acquire() round-trip 8-byte and 4-byte
 * objects and pointers (arm64's stlr/ldar take only these sizes). */
static void test_release_acquire(void **state)
{
	unsigned long x = 0;
	unsigned int w = 0;
	long neg = 0;
	struct node n = { .val = V2 };
	struct node *p = NULL;

	(void)state;
	smp_store_release(&x, V1);
	assert_int_equal(smp_load_acquire(&x), V1);
	smp_store_release(&w, 0x89abcdefU);
	assert_int_equal(smp_load_acquire(&w), 0x89abcdefU);
	smp_store_release(&neg, -5L);
	assert_true(smp_load_acquire(&neg) == -5L);
	smp_store_release(&p, &n);
	assert_ptr_equal(smp_load_acquire(&p), &n);
	assert_int_equal(smp_load_acquire(&p)->val, V2);
}

/* Each barrier compiles, runs and leaves memory and locals as they were
 * (x86's smp_mb() is a locked add of 0 just below the stack pointer). */
static void test_barriers_preserve(void **state)
{
	unsigned long mem[4] = { V1, V2, ~0UL, 0 };
	unsigned long a = V1 ^ 1, b = V2 ^ 2;

	(void)state;
	smp_mb();
	assert_int_equal(mem[0], V1);
	smp_wmb();
	assert_int_equal(mem[1], V2);
	smp_rmb();
	assert_int_equal(mem[2], ~0UL);
	smp_mb__after_atomic();
	smp_read_barrier_depends();
	barrier();
	assert_int_equal(mem[3], 0);
	assert_int_equal(a, V1 ^ 1);
	assert_int_equal(b, V2 ^ 2);
}

/* atomic_inc_not_zero() refuses a zero count and leaves it zero (the GUP
 * pin on a freed page), and increments any other count by one. */
static void test_inc_not_zero(void **state)
{
	atomic_t v;

	(void)state;
	atomic_set(&v, 0);
	assert_false(atomic_inc_not_zero(&v));
	assert_int_equal(atomic_read(&v), 0);

	atomic_set(&v, 1);
	assert_true(atomic_inc_not_zero(&v));
	assert_int_equal(atomic_read(&v), 2);
	assert_true(atomic_inc_not_zero(&v));
	assert_int_equal(atomic_read(&v), 3);
}

/* The value-returning RMWs return the new value and store it. */
static void test_inc_dec_return(void **state)
{
	atomic_t v;

	(void)state;
	atomic_set(&v, 5);
	assert_int_equal(atomic_inc_return(&v), 6);
	assert_int_equal(atomic_read(&v), 6);
	assert_int_equal(atomic_dec_return(&v), 5);
	atomic_set(&v, 1);
	assert_int_equal(atomic_dec_return(&v), 0);
	assert_true(atomic_dec_return(&v) == -1);
	assert_true(atomic_read(&v) == -1);
	assert_int_equal(atomic_inc_return(&v), 0);
}

/* A reader with no writer in between starts on an even count and need not
 * retry. */
static void test_seqcount_quiet(void **state)
{
	seqcount_t s;
	unsigned long seq;

	(void)state;
	seqcount_init(&s);
	seq = read_seqcount_begin(&s);
	assert_int_equal(seq & 1, 0);
	assert_false(read_seqcount_retry(&s, seq));
	assert_false(read_seqcount_retry(&s, seq));
}

/* The count is odd inside a write section and even outside; a reader that
 * began before a write section (open or closed) must retry, and the next
 * read section starts two past the old one. */
static void test_seqcount_writer(void **state)
{
	seqcount_t s;
	unsigned long seq, seq2;

	(void)state;
	seqcount_init(&s);
	seq = read_seqcount_begin(&s);
	write_seqcount_begin(&s);
	assert_int_equal(READ_ONCE(s.sequence) & 1, 1);
	assert_true(read_seqcount_retry(&s, seq));
	write_seqcount_end(&s);
	assert_int_equal(READ_ONCE(s.sequence) & 1, 0);
	assert_true(read_seqcount_retry(&s, seq));

	seq2 = read_seqcount_begin(&s);
	assert_int_equal(seq2 & 1, 0);
	assert_int_equal(seq2, seq + 2);
	assert_false(read_seqcount_retry(&s, seq2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors_ulong),
		cmocka_unit_test(test_accessors_pointer),
		cmocka_unit_test(test_release_acquire),
		cmocka_unit_test(test_barriers_preserve),
		cmocka_unit_test(test_inc_not_zero),
		cmocka_unit_test(test_inc_dec_return),
		cmocka_unit_test(test_seqcount_quiet),
		cmocka_unit_test(test_seqcount_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
