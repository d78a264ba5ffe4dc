// SPDX-License-Identifier: GPL-2.0
/*
 * A descriptor's probe tokens (strategies/probe.h) say what its probe hooks
 * really do: each hook runs once in the emulation build with the
 * emulator's recorder on, the vocabulary calls it made are named as
 * tokens, and they must equal the descriptor's, in order. make barriers
 * then holds the same tokens to the disassembly, so a descriptor cannot
 * drift from either its code or its instructions. A fake strategy whose
 * tokens lie is the negative control.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "strategies/strategy.h"
#include "emu/emu.h"

/*
 * The recorded calls -> tokens: READ_ONCE() is the marked load followed by
 * the dependency fence (sync/arch/emu.h); anything that is no probe token
 * (an RMW, a lone dependency fence, a READ_DEP) is PRIM_NR_PRIMS: a
 * mismatch.
 */
static unsigned to_tokens(const struct emu_recording *r, enum fl_prim *out, unsigned max)
{
	unsigned i, n = 0;

	for (i = 0; i < r->n && n < max; i++) {
		enum fl_prim p = NR_PRIMS;
		int k = r->op[i].kind;

		switch (r->op[i].op) {
		case EMU_OP_LOAD:
			if (k == EMU_ONCE && i + 1 < r->n && r->op[i + 1].op == EMU_OP_FENCE &&
			    r->op[i + 1].kind == EMU_DEPENDS) {
				p = PRIM_READ_ONCE;
				i++;
			} else {
				p = k == EMU_ONCE ? PRIM___READ_ONCE : k == EMU_PLAIN ? PRIM_LOAD_PLAIN :
				    k == EMU_ACQUIRE ? PRIM_LOAD_ACQUIRE : NR_PRIMS;
			}
			break;
		case EMU_OP_STORE:
			p = k == EMU_ONCE ? PRIM_WRITE_ONCE : k == EMU_PLAIN ? PRIM_STORE_PLAIN :
			    k == EMU_RELEASE ? PRIM_STORE_RELEASE : NR_PRIMS;
			break;
		case EMU_OP_FENCE:
			p = k == EMU_MB ? PRIM_SMP_MB : k == EMU_WMB ? PRIM_SMP_WMB :
			    k == EMU_RMB ? PRIM_SMP_RMB : NR_PRIMS;
			break;
		case EMU_OP_RMW:
			break;
		}
		out[n++] = p;
	}
	return n;
}

static void side_str(const enum fl_prim *t, unsigned n, char *buf, size_t len)
{
	size_t at = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "",
				       t[i] < NR_PRIMS ? prim_name(t[i]) : "(not a token)");
}

static unsigned declared(const enum fl_prim *t)
{
	unsigned n = 0;

	while (n < PROBE_MAX && t[n] != PRIM_END)
		n++;
	return n;
}

/* 0 when both sides match; else how many differ, each printed. */
static int probe_mismatches(const struct strategy *s)
{
	enum fl_prim got[2][EMU_RECORD_MAX];
	const enum fl_prim *want[2] = { s->probe.writer, s->probe.reader };
	static const char *const side[2] = { "writer", "reader" };
	struct emu_recording r;
	unsigned long slot = 0;
	unsigned n[2], i;
	int bad = 0;

	emu_record(&r);
	s->probe_writer(&slot, 1);
	emu_record(NULL);
	assert_false(r.overflow);
	n[0] = to_tokens(&r, got[0], EMU_RECORD_MAX);
	emu_record(&r);
	(void)s->probe_reader(&slot);
	emu_record(NULL);
	assert_false(r.overflow);
	n[1] = to_tokens(&r, got[1], EMU_RECORD_MAX);
	for (i = 0; i < 2; i++) {
		char a[256], b[256];

		if (n[i] == declared(want[i]) && !memcmp(got[i], want[i], n[i] * sizeof(*want[i])))
			continue;
		side_str(got[i], n[i], a, sizeof(a));
		side_str(want[i], declared(want[i]), b, sizeof(b));
		print_message("%s %s: the hook does \"%s\", the descriptor says \"%s\" (%s)\n",
			      s->name, side[i], a, b, s->source);
		bad++;
	}
	return bad;
}

static void test_every_descriptor(void **state)
{
	unsigned i, bad = 0;

	(void)state;
	assert_true(fl_nr_strategies > 0);
	for (i = 0; i < fl_nr_strategies; i++)
		bad += (unsigned)probe_mismatches(fl_strategies[i]);
	assert_int_equal(bad, 0);
}

/* The negative control: a writer that does smp_mb(), declared as smp_wmb(). */
static void lying_writer(unsigned long *slot, unsigned long val)
{
	smp_mb();
	WRITE_ONCE(*slot, val);
}

static unsigned long honest_reader(unsigned long *slot)
{
	return READ_ONCE(*slot);
}

static void test_lying_descriptor_caught(void **state)
{
	struct strategy fake = {
		.name = "fake", .source = __FILE__,
		.probe = PROBE(W(PRIM_SMP_WMB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE)),
		.probe_writer = lying_writer, .probe_reader = honest_reader,
	};

	(void)state;
	assert_int_equal(probe_mismatches(&fake), 1);
	/* ... and READ_ONCE() declared as __READ_ONCE() is caught too. */
	fake.probe = (struct fl_probe)PROBE(W(PRIM_SMP_MB, PRIM_WRITE_ONCE), R(PRIM___READ_ONCE));
	assert_int_equal(probe_mismatches(&fake), 1);
	fake.probe = (struct fl_probe)PROBE(W(PRIM_SMP_MB, PRIM_WRITE_ONCE), R(PRIM_READ_ONCE));
	assert_int_equal(probe_mismatches(&fake), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_descriptor),
		cmocka_unit_test(test_lying_descriptor_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
