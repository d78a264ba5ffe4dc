/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's ordering vocabulary, and nothing else: every shared access in
 * model/ and strategies/ goes through these names.
 *
 *   smp_mb/smp_wmb/smp_rmb        include/asm-generic/barrier.h + arch barrier.h
 *   smp_store_release/_load_acquire
 *   READ_ONCE/WRITE_ONCE          include/asm-generic/rwonce.h; READ_ONCE() carries
 *                                 alpha's dependency barrier (5.9 folded
 *                                 smp_read_barrier_depends() into it)
 *   __READ_ONCE                   the marked load without that barrier
 *   LOAD_PLAIN/STORE_PLAIN        an ordinary (unmarked) access, as plain C in
 *                                 the kernel; spelled out so the emulation
 *                                 build can see it
 *   READ_DEP(x, src)              a marked load of x whose address was computed
 *                                 from the value loaded from src: an address
 *                                 dependency, ordered after that load on every
 *                                 architecture but alpha
 *
 * Natively all of the accessors compile to single loads and stores; the
 * barriers emit exactly the instructions of docs/design.md §2 for the target
 * architecture. An unknown architecture is a build error. Built with
 * -DFL_EMU, the same names go to the weak-memory emulator (arch/emu.h);
 * with -DFL_RECORD, to the recorder that derives litmus/ (arch/record.h).
 */
#ifndef FL_SYNC_BARRIER_H
#define FL_SYNC_BARRIER_H

#include "compiler.h"

#if defined(FL_EMU)
/* The weak-memory emulation build: same names, emulated semantics. */
#include "arch/emu.h"
#elif defined(FL_RECORD)
/* The recording build: same names, recorded for litmus/ (litmusgen/). */
#include "arch/record.h"
#else
#define __READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)						\
do {									\
	*(volatile __typeof__(x) *)&(x) = (val);			\
} while (0)

#if defined(__x86_64__)
#include "arch/x86_64.h"
#elif defined(__aarch64__)
#include "arch/arm64.h"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#include "arch/ppc64le.h"
#elif defined(__alpha__)
#include "arch/alpha.h"
#else
#error "faultline: no kernel barrier mapping for this architecture (docs/design.md §2 lists x86_64, arm64, ppc64le, alpha)"
#endif

#define READ_ONCE(x)							\
({									\
	__typeof__(x) __x = __READ_ONCE(x);				\
	__read_barrier_depends();					\
	__x;								\
})

#define LOAD_PLAIN(x)		(x)
#define STORE_PLAIN(x, val)	do { (x) = (val); } while (0)
#define READ_DEP(x, src)	((void)&(src), __READ_ONCE(x))

/*
 * Read-modify-write on a word. try_cmpxchg() and fetch_add() are fully
 * ordered, as value-returning atomics are in the kernel
 * (Documentation/atomic_t.txt); the _acquire forms order only what follows,
 * as a lock acquisition does. A failed try_cmpxchg() is unordered.
 */
#define try_cmpxchg(p, oldp, new)					\
	__atomic_compare_exchange_n(p, oldp, new, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#define try_cmpxchg_acquire(p, oldp, new)				\
	__atomic_compare_exchange_n(p, oldp, new, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
#define fetch_add(p, v)		__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST)
#define fetch_add_acquire(p, v)	__atomic_fetch_add(p, v, __ATOMIC_ACQUIRE)

/*
 * The further RMWs and the low-byte stores of the lock flavours
 * (sync/locks/): the orderings of the kernel's atomic_*_relaxed/_acquire
 * forms, and the byte stores of the qspinlock's locked byte (the kernel's
 * smp_store_release(&lock->locked, 0) and WRITE_ONCE(lock->locked, 1)),
 * which share a word with RMWs of the other bytes. Byte 0 is the low byte:
 * every architecture above is little-endian here.
 */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "byte 0 is the low byte");
#define try_cmpxchg_relaxed(p, oldp, new)				\
	__atomic_compare_exchange_n(p, oldp, new, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)
#define xchg_acquire(p, v)	__atomic_exchange_n(p, v, __ATOMIC_ACQUIRE)
#define fetch_or_acquire(p, v)	__atomic_fetch_or(p, v, __ATOMIC_ACQUIRE)
#define fetch_add_relaxed(p, v)	__atomic_fetch_add(p, v, __ATOMIC_RELAXED)
#define fetch_andnot_relaxed(p, v) __atomic_fetch_and(p, ~(v), __ATOMIC_RELAXED)
#if defined(__alpha__) && !defined(__alpha_bwx__)
/*
 * Alpha before BWX (ev56) has no byte store: gcc writes one as ldq_u,
 * mask, insert, stq_u, a plain read-modify-write of the whole word that
 * would erase a pending bit or a tail another CPU's RMW set in between,
 * and with it mutual exclusion. So here, as in the emulation build
 * (sync/arch/emu.h), the byte stores are word RMWs of that byte alone,
 * with the same ordering: the release store only clears bits (the unlock
 * stores 0), WRITE_ONCE_BYTE0 only turns a zero byte to v. (The kernel
 * never built qspinlock for alpha.)
 */
#define smp_store_release_byte0(p, v)					\
	((void)__atomic_fetch_and(p, ~(0xffUL & ~(unsigned long)(v)), __ATOMIC_RELEASE))
#define WRITE_ONCE_BYTE0(p, v)						\
	((void)__atomic_fetch_or(p, (unsigned long)(v), __ATOMIC_RELAXED))
#else
#define smp_store_release_byte0(p, v)					\
	__atomic_store_n((unsigned char *)(p), (unsigned char)(v), __ATOMIC_RELEASE)
#define WRITE_ONCE_BYTE0(p, v)	WRITE_ONCE(*(unsigned char *)(p), (unsigned char)(v))
#endif

#define smp_mb()		__smp_mb()
#define smp_wmb()		__smp_wmb()
#define smp_rmb()		__smp_rmb()
#define smp_mb__after_atomic()	__smp_mb__after_atomic()
#define smp_read_barrier_depends() __read_barrier_depends()
#define smp_store_release(p, v)	__smp_store_release(p, v)
#define smp_load_acquire(p)	__smp_load_acquire(p)

#endif /* FL_EMU, FL_RECORD */

#endif /* FL_SYNC_BARRIER_H */
