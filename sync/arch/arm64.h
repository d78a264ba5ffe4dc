/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 mapping. Mirrors arch/arm64/include/asm/barrier.h: smp_mb() is
 * "dmb ish", smp_wmb() "dmb ishst", smp_rmb() "dmb ishld"; release/acquire
 * are stlr/ldar. The fences come from ck, whose strict fences emit exactly
 * these instructions on aarch64 (gcc/aarch64/ck_pr.h).
 */
#ifndef FL_ARCH_ARM64_H
#define FL_ARCH_ARM64_H

#include <ck_pr.h>

#define FL_ARCH_NAME	"arm64"

#define __smp_mb()	ck_pr_fence_strict_memory()	/* dmb ish */
#define __smp_wmb()	ck_pr_fence_strict_store()	/* dmb ishst */
#define __smp_rmb()	ck_pr_fence_strict_load()	/* dmb ishld */

/* Address dependencies order loads on arm64 (arch/arm64/include/asm/rwonce.h
 * only strengthens READ_ONCE under LTO, which we do not build with). */
#define __read_barrier_depends()	do { } while (0)

#define __smp_store_release(p, v)					\
do {									\
	__typeof__(*(p)) ___v = (v);					\
	_Static_assert(sizeof(*(p)) == 8 || sizeof(*(p)) == 4,		\
		       "stlr needs a 4- or 8-byte object");		\
	if (sizeof(*(p)) == 8)						\
		__asm__ __volatile__("stlr %x1, %0"			\
				     : "=Q"(*(p)) : "r"(___v) : "memory");\
	else								\
		__asm__ __volatile__("stlr %w1, %0"			\
				     : "=Q"(*(p)) : "r"(___v) : "memory");\
} while (0)

#define __smp_load_acquire(p)						\
({									\
	__typeof__(*(p) + 0) ___r;	/* unqualified: p may point to const */\
	_Static_assert(sizeof(*(p)) == 8 || sizeof(*(p)) == 4,		\
		       "ldar needs a 4- or 8-byte object");		\
	if (sizeof(*(p)) == 8)						\
		__asm__ __volatile__("ldar %x0, %1"			\
				     : "=r"(___r) : "Q"(*(p)) : "memory");\
	else								\
		__asm__ __volatile__("ldar %w0, %1"			\
				     : "=r"(___r) : "Q"(*(p)) : "memory");\
	___r;								\
})

#define __smp_mb__after_atomic()	__smp_mb()

#define cpu_relax()	__asm__ __volatile__("yield" ::: "memory")

#endif /* FL_ARCH_ARM64_H */
