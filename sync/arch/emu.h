/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulation back-end of the barrier vocabulary (sync/barrier.h includes
 * it when built with -DFL_EMU, as it includes arch/<arch>.h natively): each
 * name becomes a call into the weak-memory emulator, emu/emu.c, which
 * implements the accesses declared here. Every shared field the model
 * touches is one machine word.
 */
#ifndef FL_SYNC_ARCH_EMU_H
#define FL_SYNC_ARCH_EMU_H

#include <stdbool.h>

enum emu_kind {
	EMU_PLAIN,	/* LOAD_PLAIN / STORE_PLAIN */
	EMU_ONCE,	/* READ_ONCE (its alpha barrier is a separate fence) / WRITE_ONCE */
	EMU_DEP,	/* READ_DEP: address depends on the last load of src */
	EMU_ACQUIRE,	/* smp_load_acquire */
	EMU_RELEASE,	/* smp_store_release */
};

enum emu_fence { EMU_WMB, EMU_RMB, EMU_MB, EMU_DEPENDS };

unsigned long emu_load(const void *addr, enum emu_kind k, const void *src);
void emu_store(void *addr, unsigned long v, enum emu_kind k);
void emu_fence(enum emu_fence f);
bool emu_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full);
unsigned long emu_fetch_add(void *addr, unsigned long v, bool full);
void emu_relax(void);


/*
 * Every read-modify-write, with the orderings the kernel's atomics have
 * (Documentation/atomic_t.txt): fully ordered, _acquire, _release,
 * _relaxed (the void ones such as atomic_inc() are relaxed). Returns the
 * value it read; *ok (may be NULL) says whether it wrote: a cmpxchg when
 * that value was cmp, an add_unless when it was not, every other op
 * always. A failed RMW is unordered. emu_cmpxchg() and emu_fetch_add()
 * (sync/arch/emu.h) are its full and acquire forms; docs/emulation.md has
 * the rule of each ordering and where it is stronger than the hardware.
 */
enum emu_rmw_op {
	EMU_RMW_ADD, EMU_RMW_AND, EMU_RMW_OR, EMU_RMW_XOR, EMU_RMW_ANDNOT,
	EMU_RMW_XCHG,		/* writes v */
	EMU_RMW_CMPXCHG,	/* writes v if the old value is cmp */
	EMU_RMW_ADD_UNLESS,	/* adds v unless the old value is cmp */
};
enum emu_order { EMU_ORDER_RELAXED, EMU_ORDER_ACQUIRE, EMU_ORDER_RELEASE, EMU_ORDER_FULL };
unsigned long emu_rmw(void *addr, enum emu_rmw_op op, unsigned long v, unsigned long cmp,
		      enum emu_order ord, bool *ok);

/* Logical threads per run (emu/emu.c); the qspinlock's per-CPU MCS nodes
 * are one per logical thread (sync/locks/qspinlock.c). */
#define EMU_MAX_THREADS	8
unsigned emu_current_thread(void);

#define FL_ARCH_NAME	"emu"

#define __emu_word(x)							\
	_Static_assert(sizeof(x) == sizeof(unsigned long), "emulated accesses are words")

#define __emu_load(x, kind, src)					\
({									\
	__emu_word(x);							\
	(__typeof__(x))emu_load((const void *)&(x), kind, (const void *)(src)); \
})

#define __emu_store(x, v, kind)						\
do {									\
	__emu_word(x);							\
	emu_store((void *)&(x), (unsigned long)(v), kind);		\
} while (0)

#define __READ_ONCE(x)		__emu_load(x, EMU_ONCE, NULL)
#define READ_ONCE(x)							\
({									\
	__typeof__(x) __x = __READ_ONCE(x);				\
	emu_fence(EMU_DEPENDS);	/* alpha's "mb" in READ_ONCE() */	\
	__x;								\
})
#define WRITE_ONCE(x, v)	__emu_store(x, v, EMU_ONCE)
#define LOAD_PLAIN(x)		__emu_load(x, EMU_PLAIN, NULL)
#define STORE_PLAIN(x, v)	__emu_store(x, v, EMU_PLAIN)
#define READ_DEP(x, src)	__emu_load(x, EMU_DEP, &(src))

#define smp_mb()		emu_fence(EMU_MB)
#define smp_wmb()		emu_fence(EMU_WMB)
#define smp_rmb()		emu_fence(EMU_RMB)
#define smp_mb__after_atomic()	do { } while (0)	/* emulated RMWs are already full */
#define smp_read_barrier_depends() emu_fence(EMU_DEPENDS)
#define smp_store_release(p, v)	__emu_store(*(p), v, EMU_RELEASE)
#define smp_load_acquire(p)	__emu_load(*(p), EMU_ACQUIRE, NULL)

#define try_cmpxchg(p, oldp, new)					\
	emu_cmpxchg((void *)(p), (unsigned long *)(oldp), (unsigned long)(new), true)
#define try_cmpxchg_acquire(p, oldp, new)				\
	emu_cmpxchg((void *)(p), (unsigned long *)(oldp), (unsigned long)(new), false)
#define fetch_add(p, v)							\
	((__typeof__(*(p)))emu_fetch_add((void *)(p), (unsigned long)(v), true))
#define fetch_add_acquire(p, v)						\
	((__typeof__(*(p)))emu_fetch_add((void *)(p), (unsigned long)(v), false))

/*
 * The further RMWs and the low-byte stores the lock flavours use
 * (sync/locks/; sync/barrier.h has their native forms). The emulator has
 * words only, so a store to the low byte of a word is a word RMW of the
 * same ordering on that byte alone: atomic, as a byte store is with
 * respect to the other bytes, and stronger in that it commits at once
 * (docs/emulation.md). WRITE_ONCE_BYTE0 may only turn a zero byte to v.
 */
#define try_cmpxchg_relaxed(p, oldp, new)				\
({									\
	bool __ok;							\
	unsigned long __c = emu_rmw((void *)(p), EMU_RMW_CMPXCHG, (unsigned long)(new), \
				    *(unsigned long *)(oldp), EMU_ORDER_RELAXED, &__ok); \
	if (!__ok)							\
		*(oldp) = (__typeof__(*(oldp)))__c;			\
	__ok;								\
})
#define xchg_acquire(p, v)						\
	((__typeof__(*(p)))emu_rmw((void *)(p), EMU_RMW_XCHG, (unsigned long)(v), 0, \
				   EMU_ORDER_ACQUIRE, NULL))
#define fetch_or_acquire(p, v)						\
	((__typeof__(*(p)))emu_rmw((void *)(p), EMU_RMW_OR, (unsigned long)(v), 0, \
				   EMU_ORDER_ACQUIRE, NULL))
#define fetch_add_relaxed(p, v)						\
	((__typeof__(*(p)))emu_rmw((void *)(p), EMU_RMW_ADD, (unsigned long)(v), 0, \
				   EMU_ORDER_RELAXED, NULL))
#define fetch_andnot_relaxed(p, v)					\
	((__typeof__(*(p)))emu_rmw((void *)(p), EMU_RMW_ANDNOT, (unsigned long)(v), 0, \
				   EMU_ORDER_RELAXED, NULL))
#define smp_store_release_byte0(p, v)					\
	((void)emu_rmw((void *)(p), EMU_RMW_ANDNOT, 0xffUL & ~(unsigned long)(v), 0, \
		       EMU_ORDER_RELEASE, NULL))
#define WRITE_ONCE_BYTE0(p, v)						\
	((void)emu_rmw((void *)(p), EMU_RMW_OR, (unsigned long)(v), 0, EMU_ORDER_RELAXED, NULL))

#define cpu_relax()		emu_relax()

#endif /* FL_SYNC_ARCH_EMU_H */
