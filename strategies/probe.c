// SPDX-License-Identifier: GPL-2.0
/*
 * The instructions each vocabulary primitive emits per architecture, as
 * objdump prints them: the expectation side of sync/arch/ (whose headers emit
 * them), from the kernel's arch/<arch>/include/asm/barrier.h and
 * include/asm-generic/barrier.h (docs/design.md §2). x86_64: smp_wmb(),
 * smp_rmb() and acquire/release are compiler barriers only; alpha: smp_rmb()
 * is "mb", and READ_ONCE() ends with "mb" (the old
 * smp_read_barrier_depends()); release/acquire there are the generic mb +
 * store / load + mb.
 */
#include "probe.h"

static const char *const prim_names[NR_PRIMS] = {
	[PRIM_END] = "",
	[PRIM_SMP_MB] = "smp_mb",
	[PRIM_SMP_WMB] = "smp_wmb",
	[PRIM_SMP_RMB] = "smp_rmb",
	[PRIM_WRITE_ONCE] = "WRITE_ONCE",
	[PRIM_STORE_PLAIN] = "STORE_PLAIN",
	[PRIM_STORE_RELEASE] = "smp_store_release",
	[PRIM_READ_ONCE] = "READ_ONCE",
	[PRIM___READ_ONCE] = "__READ_ONCE",
	[PRIM_LOAD_PLAIN] = "LOAD_PLAIN",
	[PRIM_LOAD_ACQUIRE] = "smp_load_acquire",
};

static const char *const arch_names[NR_ARCHES] = {
	[ARCH_X86_64] = "x86_64", [ARCH_ARM64] = "arm64",
	[ARCH_PPC64LE] = "ppc64le", [ARCH_ALPHA] = "alpha",
};

#define I(...)	{ __VA_ARGS__, NULL }
#define NONE	{ NULL }

static const char *const insns[NR_ARCHES][NR_PRIMS][PRIM_INSNS_MAX + 1] = {
	[ARCH_X86_64] = {
		[PRIM_SMP_MB] = I("lock addl $0x0,-0x4(%rsp)"),
		[PRIM_SMP_WMB] = NONE, [PRIM_SMP_RMB] = NONE,
		[PRIM_STORE_RELEASE] = I("STORE"), [PRIM_LOAD_ACQUIRE] = I("LOAD"),
		[PRIM_READ_ONCE] = I("LOAD"),
	},
	[ARCH_ARM64] = {
		[PRIM_SMP_MB] = I("dmb ish"), [PRIM_SMP_WMB] = I("dmb ishst"),
		[PRIM_SMP_RMB] = I("dmb ishld"),
		[PRIM_STORE_RELEASE] = I("stlr"), [PRIM_LOAD_ACQUIRE] = I("ldar"),
		[PRIM_READ_ONCE] = I("LOAD"),
	},
	[ARCH_PPC64LE] = {
		[PRIM_SMP_MB] = I("sync"), [PRIM_SMP_WMB] = I("lwsync"),
		[PRIM_SMP_RMB] = I("lwsync"),
		[PRIM_STORE_RELEASE] = I("lwsync", "STORE"),
		[PRIM_LOAD_ACQUIRE] = I("LOAD", "lwsync"),
		[PRIM_READ_ONCE] = I("LOAD"),
	},
	[ARCH_ALPHA] = {
		[PRIM_SMP_MB] = I("mb"), [PRIM_SMP_WMB] = I("wmb"), [PRIM_SMP_RMB] = I("mb"),
		[PRIM_STORE_RELEASE] = I("mb", "STORE"),
		[PRIM_LOAD_ACQUIRE] = I("LOAD", "mb"),
		[PRIM_READ_ONCE] = I("LOAD", "mb"),
	},
};

static const char *const store[] = I("STORE");
static const char *const load[] = I("LOAD");
static const char *const nothing[] = NONE;

const char *prim_name(enum fl_prim p)
{
	return p < NR_PRIMS ? prim_names[p] : "?";
}

const char *arch_name(enum fl_arch a)
{
	return a < NR_ARCHES ? arch_names[a] : "?";
}

const char *const *prim_insns(enum fl_arch a, enum fl_prim p)
{
	if (a >= NR_ARCHES || p >= NR_PRIMS)
		return nothing;
	switch (p) {	/* the same on every architecture */
	case PRIM_WRITE_ONCE:
	case PRIM_STORE_PLAIN:
		return store;
	case PRIM___READ_ONCE:
	case PRIM_LOAD_PLAIN:
		return load;
	default:
		return insns[a][p];
	}
}
