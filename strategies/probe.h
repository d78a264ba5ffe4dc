/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a strategy's probe hooks do, as the barrier vocabulary names it, and
 * what that compiles to on each architecture faultline is built for. A
 * descriptor lists its probe tokens (DEFINE_STRATEGY's .probe); the
 * emulation build records what the hooks really do and holds the tokens to
 * it (tests/emu/test_probe.c); make barriers holds the expanded
 * instructions to the disassembly (tests/check_barriers.py, reading
 * faultline --describe=json). The writer probe is the publish hook; the
 * reader probe is the load hook followed by before_indep.
 */
#ifndef FL_STRATEGIES_PROBE_H
#define FL_STRATEGIES_PROBE_H

#include <stddef.h>

enum fl_prim {
	PRIM_END,		/* terminates a token list */
	PRIM_SMP_MB,
	PRIM_SMP_WMB,
	PRIM_SMP_RMB,
	PRIM_WRITE_ONCE,
	PRIM_STORE_PLAIN,
	PRIM_STORE_RELEASE,	/* smp_store_release */
	PRIM_READ_ONCE,		/* the marked load + alpha's dependency barrier */
	PRIM___READ_ONCE,	/* the marked load alone */
	PRIM_LOAD_PLAIN,
	PRIM_LOAD_ACQUIRE,	/* smp_load_acquire */
	NR_PRIMS
};

#define PROBE_MAX	4	/* tokens per side */

struct fl_probe {
	enum fl_prim writer[PROBE_MAX];
	enum fl_prim reader[PROBE_MAX];
};

enum fl_arch { ARCH_X86_64, ARCH_ARM64, ARCH_PPC64LE, ARCH_ALPHA, NR_ARCHES };

/* The longest expansion of one token (ppc64le's acquire: LOAD, lwsync). */
#define PRIM_INSNS_MAX	2

const char *prim_name(enum fl_prim p);
const char *arch_name(enum fl_arch a);

/*
 * The instructions (as objdump prints them) and slot accesses one token
 * expands to on arch, NULL-terminated. "STORE"/"LOAD" stand for the plain
 * access of the published word; on arm64 "stlr"/"ldar" are that access.
 */
const char *const *prim_insns(enum fl_arch a, enum fl_prim p);

#endif /* FL_STRATEGIES_PROBE_H */
