/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 mapping. Mirrors arch/x86/include/asm/barrier.h: smp_mb() is a
 * locked add to the stack (cheaper than mfence), smp_wmb()/smp_rmb() are
 * compiler barriers because x86-TSO never reorders load-load or store-store,
 * and release/acquire are plain moves plus a compiler barrier.
 */
#ifndef FL_ARCH_X86_64_H
#define FL_ARCH_X86_64_H

#define FL_ARCH_NAME	"x86_64"

#define __smp_mb()	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc")
#define __smp_wmb()	barrier()
#define __smp_rmb()	barrier()

/* READ_ONCE() needs no dependency barrier (only alpha does). */
#define __read_barrier_depends()	do { } while (0)

#define __smp_store_release(p, v)					\
do {									\
	barrier();							\
	WRITE_ONCE(*(p), (v));						\
} while (0)

#define __smp_load_acquire(p)						\
({									\
	__typeof__(*(p)) ___p1 = __READ_ONCE(*(p));			\
	barrier();							\
	___p1;								\
})

/* "Atomic operations are already serializing on x86". */
#define __smp_mb__after_atomic()	barrier()

#define cpu_relax()	__asm__ __volatile__("pause" ::: "memory")

#endif /* FL_ARCH_X86_64_H */
