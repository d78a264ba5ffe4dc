/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alpha mapping. Mirrors arch/alpha/include/asm/barrier.h (mb/wmb/mb) and
 * arch/alpha/include/asm/rwonce.h, where READ_ONCE() is followed by "mb"
 * because alpha may reorder address-dependent loads. ck has no alpha port,
 * so these are our own inline asm, as in the kernel. Release/acquire use the
 * asm-generic fallbacks: mb + store, load + mb.
 */
#ifndef FL_ARCH_ALPHA_H
#define FL_ARCH_ALPHA_H

#define FL_ARCH_NAME	"alpha"

#define __smp_mb()	__asm__ __volatile__("mb" ::: "memory")
#define __smp_wmb()	__asm__ __volatile__("wmb" ::: "memory")
#define __smp_rmb()	__asm__ __volatile__("mb" ::: "memory")

#define __read_barrier_depends()	__asm__ __volatile__("mb" ::: "memory")

#define __smp_store_release(p, v)					\
do {									\
	__smp_mb();							\
	WRITE_ONCE(*(p), (v));						\
} while (0)

#define __smp_load_acquire(p)						\
({									\
	__typeof__(*(p)) ___p1 = __READ_ONCE(*(p));			\
	__smp_mb();							\
	___p1;								\
})

#define __smp_mb__after_atomic()	__smp_mb()

#define cpu_relax()	barrier()

#endif /* FL_ARCH_ALPHA_H */
