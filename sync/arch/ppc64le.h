/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppc64le mapping. Mirrors arch/powerpc/include/asm/barrier.h for PPC64:
 * smp_mb() is "sync", smp_wmb() and smp_rmb() are "lwsync"; release is
 * "lwsync" + store and acquire is load + "lwsync" (__smp_load_acquire).
 * Our own asm, as the kernel's: ck selects its ppc64 port only when built
 * with -D__ppc64__ (Debian's ck.pc adds it), and otherwise falls back to
 * __sync_synchronize(), a full "sync", for every fence.
 */
#ifndef FL_ARCH_PPC64LE_H
#define FL_ARCH_PPC64LE_H

#define FL_ARCH_NAME	"ppc64le"

#define __lwsync()	__asm__ __volatile__("lwsync" ::: "memory")
#define __smp_mb()	__asm__ __volatile__("sync" ::: "memory")
#define __smp_wmb()	__lwsync()
#define __smp_rmb()	__lwsync()

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
