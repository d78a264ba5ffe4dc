// SPDX-License-Identifier: GPL-2.0
/*
 * The native back-end of the interpreter: every access is the project's
 * barrier vocabulary (sync/barrier.h), so an arm64 or ppc64le build runs
 * the kernel's instructions for each primitive (docs/design.md §2), and a
 * spinlock_t is sync/spinlock.h's ticket flavour (sync/locks/ticket.h),
 * explicitly, whatever the model's default: the litmus tests of locks
 * (tests/litmus/ISA2+ticketlocks and the trylock controls) are about it. An address dependency is
 * real here: the address was loaded into the interpreter's register file
 * (memory) and is loaded back from it, a dependency through a store and a
 * load that the hardware keeps (docs/emulation.md says what that costs).
 *
 * The RMWs the vocabulary lacks are GCC's __atomic builtins with the
 * kernel's orderings: _relaxed, _acquire and _release as __ATOMIC_RELAXED,
 * _ACQUIRE, _RELEASE; a fully ordered one as asm-generic builds it from
 * the relaxed form (__atomic_op_fence: smp_mb__before_atomic(), the op,
 * smp_mb__after_atomic()), because a C11 seq_cst RMW on arm64
 * (ldaxr/stlxr) is not the full barrier the kernel's value-returning
 * atomics are (the kernel moved from that to ldxr/stlxr + dmb ish for this
 * reason). A failed full cmpxchg is thus ordered here, which the kernel's
 * is not: stronger, so it only hides states.
 */
#include "native_backend.h"
#include "../sync/barrier.h"
#include "../sync/spinlock.h"
#include "vocab.h"

_Static_assert(sizeof(spinlock_t) <= LT_LOCK_SIZE, "LT_LOCK_SIZE holds a spinlock_t");

/* smp_mb__before_atomic() is the same instruction as after on every
 * architecture sync/arch/ maps (asm-generic: both smp_mb(); x86: both
 * barrier()); the vocabulary spells only the latter. */
#define before_atomic()		smp_mb__after_atomic()

static unsigned long be_load(void *be, enum lt_access acc, unsigned long *addr,
			     const struct lt_dep *d)
{
	(void)be;
	(void)d;	/* the dependency is in the address itself */
	switch (acc) {
	case LT_PLAIN:
		return LOAD_PLAIN(*addr);
	case LT_ONCE:
		return READ_ONCE(*addr);
	case LT_ACQUIRE:
		return smp_load_acquire(addr);
	case LT_RELEASE:
		break;
	}
	return READ_ONCE(*addr);
}

static void be_store(void *be, enum lt_access acc, unsigned long *addr, unsigned long v)
{
	(void)be;
	lt_vocab_store(acc, addr, v);
}

static void be_fence(void *be, enum lt_fence f)
{
	(void)be;
	switch (f) {
	case LT_F_MB:
		smp_mb();
		return;
	case LT_F_WMB:
		smp_wmb();
		return;
	case LT_F_RMB:
		smp_rmb();
		return;
	case LT_F_BEFORE_ATOMIC:
		before_atomic();
		return;
	case LT_F_AFTER_ATOMIC:
		smp_mb__after_atomic();
		return;
	case LT_F_AFTER_SPINLOCK:
	case LT_F_AFTER_UNLOCK_LOCK:
		smp_mb();	/* what arm64 and powerpc emit; stronger on x86 */
		return;
	case LT_F_BARRIER:
	case LT_F_RCU_LOCK:
	case LT_F_RCU_UNLOCK:
		/* rcu_read_lock() is preempt_disable(), barrier(), in a
		 * non-preemptible kernel; without grace periods it orders
		 * nothing else. */
		barrier();
		return;
	}
}

/*
 * The op with one C11 ordering, a constant: __atomic builtins treat a
 * memory order that is not a compile-time constant as seq_cst, so each
 * ordering gets its own copy (a full one is built around the relaxed one).
 */
#define DEFINE_RMW(name, mo)							\
static unsigned long name(enum lt_rmw_op op, unsigned long *p, unsigned long v,	\
			  unsigned long cmp, bool *ok)				\
{										\
	unsigned long cur;							\
										\
	*ok = true;								\
	switch (op) {								\
	case LT_RMW_ADD:							\
		return __atomic_fetch_add(p, v, mo);				\
	case LT_RMW_AND:							\
		return __atomic_fetch_and(p, v, mo);				\
	case LT_RMW_OR:								\
		return __atomic_fetch_or(p, v, mo);				\
	case LT_RMW_XOR:							\
		return __atomic_fetch_xor(p, v, mo);				\
	case LT_RMW_XCHG:							\
		return __atomic_exchange_n(p, v, mo);				\
	case LT_RMW_CMPXCHG:							\
		cur = cmp;							\
		*ok = __atomic_compare_exchange_n(p, &cur, v, false, mo,	\
						  __ATOMIC_RELAXED);		\
		return cur;							\
	case LT_RMW_ANDNOT:							\
	case LT_RMW_ADD_UNLESS:							\
		/* a compare-and-swap loop, as the kernel's fallbacks are */	\
		cur = __atomic_load_n(p, __ATOMIC_RELAXED);			\
		for (;;) {							\
			if (op == LT_RMW_ADD_UNLESS && cur == cmp) {		\
				*ok = false;	/* failed: unordered */		\
				return cur;					\
			}							\
			if (__atomic_compare_exchange_n(p, &cur,		\
					lt_rmw_value(op, cur, v), false, mo,	\
					__ATOMIC_RELAXED))			\
				return cur;					\
		}								\
	}									\
	return 0;								\
}

DEFINE_RMW(rmw_relaxed, __ATOMIC_RELAXED)
DEFINE_RMW(rmw_acquire, __ATOMIC_ACQUIRE)
DEFINE_RMW(rmw_release, __ATOMIC_RELEASE)

static unsigned long be_rmw(void *be, enum lt_rmw_op op, enum lt_order ord, unsigned long *addr,
			    unsigned long v, unsigned long cmp, bool *ok)
{
	unsigned long r;

	(void)be;
	switch (ord) {
	case LT_RELAXED:
		return rmw_relaxed(op, addr, v, cmp, ok);
	case LT_ACQ:
		return rmw_acquire(op, addr, v, cmp, ok);
	case LT_REL:
		return rmw_release(op, addr, v, cmp, ok);
	case LT_MB:
		break;
	}
	before_atomic();
	r = rmw_relaxed(op, addr, v, cmp, ok);
	smp_mb__after_atomic();
	return r;
}

static void be_lock(void *be, void *l)
{
	(void)be;
	spin_lock(l);
}

static void be_unlock(void *be, void *l)
{
	(void)be;
	spin_unlock(l);
}

static bool be_trylock(void *be, void *l)
{
	(void)be;
	return spin_trylock(l);
}

static bool be_is_locked(void *be, void *lp)
{
	spinlock_t *l = lp;

	(void)be;
	return READ_ONCE(l->ticket.owner) != READ_ONCE(l->ticket.next);
}

const struct lt_ops lt_native_ops = {
	.load = be_load, .store = be_store, .fence = be_fence, .rmw = be_rmw,
	.lock = be_lock, .unlock = be_unlock, .trylock = be_trylock, .is_locked = be_is_locked,
};

const char lt_native_arch[] = FL_ARCH_NAME;

void lt_native_lock_init(void *l)
{
	spin_lock_init(l, FL_LOCK_TICKET);
}

bool lt_native_lock_held(const void *lp)
{
	const spinlock_t *l = lp;

	return l->ticket.next != l->ticket.owner;
}

void lt_native_relax(void)
{
	cpu_relax();
}
