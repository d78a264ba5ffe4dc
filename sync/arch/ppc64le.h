/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppc64le mapping. Mirrors arch/powerpc/include/asm/barrier.h for PPC64:
 * smp_mb() is "sync", smp_wmb() and smp_rmb() are "lwsync"; release is
 * "lwsync" + store and acquire is load + "lwsync" (__smp_load_acquire).
 * The fences come from ck (gcc/ppc64/ck_pr.h), which emits the same.
 */
#ifndef FL_ARCH_PPC64LE_H
#define FL_ARCH_PPC64LE_H

#include <ck_pr.h>

#define FL_ARCH_NAME	"ppc64le"

#define __smp_mb()	ck_pr_fence_strict_memory()	/* sync */
#define __smp_wmb()	ck_pr_fence_strict_store()	/* lwsync */
#define __smp_rmb()	ck_pr_fence_strict_load()	/* lwsync */
#define __lwsync()	__asm__ __volatile__("lwsync" ::: "memory")

#define __read_barrier_depends()	do { } while (0)

#define __smp_store_release(p, v)					\
do {									\
	__lwsync();							\
	WRITE_ONCE(*(p), (v));						\
} while (0)

#define __smp_load_acquire(p)						\
({									\
	__typeof__(*(p)) ___p1 = __READ_ONCE(*(p));			\
	__lwsync();							\
	___p1;								\
})

#define __smp_mb__after_atomic()	__smp_mb()

#define cpu_relax()	__asm__ __volatile__("or 1,1,1; or 2,2,2" ::: "memory")

#endif /* FL_ARCH_PPC64LE_H */
