// SPDX-License-Identifier: GPL-2.0
/*
 * The weak-memory emulator (semantics and their justification:
 * docs/emulation.md). One OS thread; logical threads are ucontext
 * coroutines switched at scheduling points; one xorshift PRNG seeded per run
 * makes every choice, so a seed reproduces a run exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "emu.h"

/* EMU_MAX_THREADS: sync/arch/emu.h */
#define EMU_HIST	8	/* committed writes kept per location */
#define EMU_SB_MAX	64	/* store-buffer entries per thread */
#define EMU_LOCS	(1u << 13)
#define EMU_STACK	(256 * 1024)
#define EMU_TRACE	256

struct emu_write {
	unsigned long val;
	uint64_t ts;
};

struct emu_loc {
	const void *addr;
	struct emu_write hist[EMU_HIST];	/* ring, hist[(head - 1) % H] newest */
	unsigned head, count;
	uint64_t last_read[EMU_MAX_THREADS];	/* ts of the write each thread last read */
	uint64_t last_exec[EMU_MAX_THREADS];	/* when that load performed, at the earliest */
};

struct sb_entry {
	struct emu_loc *loc;	/* NULL: a fence */
	unsigned long val;
	bool release;		/* a store-release: leaves only after all before it */
};

/*
 * What each model lets move: one row per model, read by every rule below
 * (docs/emulation.md has the table and the hardware fact behind each).
 */
struct emu_model_props {
	bool fifo_stores;	/* buffered stores commit oldest first (TSO) */
	bool loads_latest;	/* every load returns the newest committed write (TSO) */
	bool deps_ordered;	/* an address dependency orders the dependent load */
	bool rmb_is_mb;		/* smp_rmb() is the full barrier (alpha's "mb") */
	bool read_once_mb;	/* READ_ONCE() ends with a full barrier (alpha) */
	bool acq_rel_mb;	/* acquire/release are a load + mb / mb + store (alpha) */
	bool rmw_full;		/* every RMW is a full barrier, failed or _acquire */
	bool rcsc;		/* an acquire is ordered after earlier releases (arm64) */
};

static const struct emu_model_props models[NR_MACHINES] = {
	/* x86: a lock-prefixed RMW is a full barrier, even a failed cmpxchg. */
	[MACHINE_TSO]   = { .fifo_stores = true, .loads_latest = true,
			.deps_ordered = true, .rmw_full = true },
	/* ARMv8 release/acquire are RCsc: a load-acquire (ldar, ldaxr) is
	 * ordered after the thread's earlier store-releases (aarch64.cat's
	 * bob: [L]; po; [A]), which is how an unlock followed by a lock
	 * orders both critical sections (LKMM's po-unlock-lock-po). */
	[MACHINE_ARM64] = { .deps_ordered = true, .rcsc = true },
	/* Linux on alpha: the generic smp_load_acquire()/smp_store_release()
	 * (asm-generic/barrier.h: READ_ONCE + mb, mb + WRITE_ONCE), and
	 * cmpxchg with smp_mb() on both sides, whatever its outcome
	 * (arch/alpha/include/asm/cmpxchg.h). */
	[MACHINE_ALPHA] = { .rmb_is_mb = true, .read_once_mb = true,
			.acq_rel_mb = true, .rmw_full = true },
};

struct emu_thread {
	ucontext_t ctx;
	void *stack;
	emu_fn fn;
	void *arg;
	bool done;
	struct sb_entry sb[EMU_SB_MAX];
	unsigned nsb;
	unsigned stall;		/* scheduling: passed over for this many picks */
	uint64_t acquired;	/* A: loads see at least what was committed by then */
	uint64_t max_exec;	/* latest (earliest-possible) perform time of its loads */
	uint64_t released;	/* commit time of its latest store-release */
};

struct emu_event {
	unsigned thread;
	char op[8];
	const void *addr;
	unsigned long val;
	uint64_t ts;
};

static struct {
	bool active;
	struct emu_config cfg;
	const struct emu_model_props *mp;
	uint64_t rng, now, steps, hash;
	struct emu_loc *locs;
	/* The slots of locs[] in use, so that a reset clears only those: a
	 * run touches a few dozen of the 8192 (clearing them all was 77% of
	 * the regression test's time). */
	unsigned *touched, ntouched;
	unsigned nthreads, cur;
	struct emu_thread th[EMU_MAX_THREADS];
	ucontext_t sched;
	struct emu_event trace[EMU_TRACE];
	unsigned ntrace;
	emu_namer namer;
	void *namer_ctx;
} E;

/* ---- randomness, events ------------------------------------------------ */

static uint64_t rnd(void)
{
	E.rng ^= E.rng >> 12;
	E.rng ^= E.rng << 25;
	E.rng ^= E.rng >> 27;
	return E.rng * 0x2545f4914f6cdd1dULL;
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void event(const char *op, const void *addr, unsigned long val, uint64_t ts)
{
	struct emu_event *e = &E.trace[E.ntrace++ % EMU_TRACE];

	e->thread = E.cur;
	snprintf(e->op, sizeof(e->op), "%s", op);
	e->addr = addr;
	e->val = val;
	e->ts = ts;
	E.hash = (E.hash ^ (uint64_t)(uintptr_t)addr ^ val ^ (ts << 1) ^ op[0] ^ E.cur) *
		 0x100000001b3ULL;
}

/* ---- locations --------------------------------------------------------- */

static struct emu_loc *loc_get(const void *addr)
{
	unsigned i = (unsigned)(((uintptr_t)addr >> 3) * 0x9e3779b1u) & (EMU_LOCS - 1);

	for (;; i = (i + 1) & (EMU_LOCS - 1)) {
		struct emu_loc *l = &E.locs[i];

		if (l->addr == addr)
			return l;
		if (!l->addr) {
			/* First touch: what memory holds is the initial write, ts 0. */
			E.touched[E.ntouched++] = i;
			l->addr = addr;
			l->hist[0].val = *(const unsigned long *)addr;
			l->hist[0].ts = 0;
			l->head = 1;
			l->count = 1;
			return l;
		}
	}
}

static struct emu_write *hist_at(struct emu_loc *l, unsigned age)	/* 0: newest */
{
	return &l->hist[(l->head + EMU_HIST - 1 - age) % EMU_HIST];
}

/* Commit a write by thread `by`: coherence means that thread never again
 * reads anything older on this location than its own write. */
static void commit_write(struct emu_loc *l, unsigned long val, unsigned by)
{
	struct emu_write *w = &l->hist[l->head % EMU_HIST];

	w->val = val;
	w->ts = ++E.now;
	l->head = (l->head + 1) % EMU_HIST;
	if (l->count < EMU_HIST)
		l->count++;
	*(unsigned long *)l->addr = val;	/* memory holds the newest commit */
	l->last_read[by] = w->ts;
	event("commit", l->addr, val, w->ts);
}

/* ---- store buffers ------------------------------------------------------ */

/*
 * May sb[i] leave the buffer now? TSO: only the oldest. Otherwise a fence
 * entry or a store-release only once everything before it has left (a
 * release orders what precedes it), and any other store when no fence and
 * no store to the same location is ahead of it. A release ahead of a store
 * does not hold it back: release is one-way, later stores may pass it.
 */
static bool committable(const struct emu_thread *t, unsigned i)
{
	unsigned j;

	if (!t->sb[i].loc || t->sb[i].release || E.mp->fifo_stores)
		return i == 0;
	for (j = 0; j < i; j++)
		if (!t->sb[j].loc || t->sb[j].loc == t->sb[i].loc)
			return false;
	return true;
}

static void sb_remove(struct emu_thread *t, unsigned i)
{
	memmove(&t->sb[i], &t->sb[i + 1], (t->nsb - i - 1) * sizeof(t->sb[0]));
	t->nsb--;
}

static void sb_commit(struct emu_thread *t, unsigned i)
{
	if (t->sb[i].loc) {
		commit_write(t->sb[i].loc, t->sb[i].val, (unsigned)(t - E.th));
		if (t->sb[i].release)
			t->released = E.now;
	}
	sb_remove(t, i);
}

/* Commit everything, in program order (smp_mb, full RMWs, thread exit). */
static void sb_drain(struct emu_thread *t)
{
	while (t->nsb)
		sb_commit(t, 0);
}

/*
 * Commit one committable entry of t, if any: half the time the youngest
 * (a store overtaking the ones before it is exactly the reordering a weak
 * model allows, and the one a publication bug needs), otherwise any.
 */
static void sb_commit_random(struct emu_thread *t)
{
	unsigned cand[EMU_SB_MAX], n = 0, i;

	for (i = 0; i < t->nsb; i++)
		if (committable(t, i))
			cand[n++] = i;
	if (!n)
		return;
	i = cand[rnd_below(2) ? n - 1 : rnd_below(n)];
	/*
	 * A store that overtook older ones opens a window in which another
	 * thread can see it without them: keep its thread off the CPU for a
	 * while, so the window stays open (a scheduling choice, as a
	 * preempted writer on a real machine; nothing else changes).
	 */
	if (i)
		t->stall = 1 + rnd_below(64);
	sb_commit(t, i);
}

static void sb_push(struct emu_thread *t, struct emu_loc *l, unsigned long v, bool release)
{
	if (t->nsb == EMU_SB_MAX)
		sb_commit(t, 0);	/* a full buffer drains from its head */
	t->sb[t->nsb].loc = l;
	t->sb[t->nsb].val = v;
	t->sb[t->nsb].release = release;
	t->nsb++;
}

/* ---- scheduling ---------------------------------------------------------- */

static void switch_to(unsigned next)
{
	unsigned prev = E.cur;

	if (next == prev)
		return;
	E.cur = next;
	swapcontext(&E.th[prev].ctx, &E.th[next].ctx);
}

/* A random runnable thread, passing over stalled ones while another can run. */
static unsigned pick_runnable(void)
{
	unsigned cand[EMU_MAX_THREADS], n = 0, i;

	for (i = 0; i < E.nthreads; i++)
		if (!E.th[i].done && !E.th[i].stall)
			cand[n++] = i;
	for (i = 0; i < E.nthreads; i++) {
		if (!E.th[i].done && E.th[i].stall) {
			E.th[i].stall--;
			if (!n)
				cand[n++] = i;
		}
	}
	return n ? cand[rnd_below(n)] : E.nthreads;
}

/* Before every access: maybe let some buffered store out, maybe switch. */
static void sched_point(bool force_switch)
{
	unsigned i;

	if (++E.steps > E.cfg.max_steps) {
		/* Livelock guard: unwind to the scheduler, emu_run() fails. */
		E.th[E.cur].done = true;
		swapcontext(&E.th[E.cur].ctx, &E.sched);
	}
	if (rnd_below(4) == 0) {
		i = rnd_below(E.nthreads);
		if (E.th[i].nsb)
			sb_commit_random(&E.th[i]);
	}
	if (force_switch || rnd_below(3) == 0) {
		i = pick_runnable();
		if (i < E.nthreads)
			switch_to(i);
	}
}

static void thread_main(void)
{
	struct emu_thread *t = &E.th[E.cur];

	t->fn(t->arg);
	/* Its buffered stores stay buffered: they still leave in any order
	 * the model allows, at the other threads' scheduling points. */
	t->done = true;
	/* uc_link returns to the scheduler */
}

/*
 * Back to the state of a fresh emulator, at a cost proportional to what the
 * last run touched: only the location slots it used are cleared, and each
 * thread keeps its stack (makecontext() starts it afresh), so that short
 * runs (a litmus test, a thousand seeds) are not dominated by the reset.
 */
static void reset(const struct emu_config *cfg)
{
	unsigned i;

	for (i = 0; i < E.ntouched; i++)
		memset(&E.locs[E.touched[i]], 0, sizeof(*E.locs));
	E.ntouched = 0;
	for (i = 0; i < EMU_MAX_THREADS; i++) {
		void *stack = E.th[i].stack;

		memset(&E.th[i], 0, sizeof(E.th[i]));
		E.th[i].stack = stack;
	}
	E.cfg = *cfg;
	E.mp = &models[cfg->model < NR_MACHINES ? cfg->model : MACHINE_ARM64];
	E.rng = cfg->seed * 0x9e3779b97f4a7c15ULL + 0x853c49e6748fea9bULL;
	if (!E.rng)
		E.rng = 1;
	E.now = E.steps = E.ntrace = 0;
	E.hash = 0xcbf29ce484222325ULL;
}

int emu_run(const struct emu_config *cfg, unsigned n, const emu_fn *fn, void *const *arg)
{
	unsigned i, next;
	bool timed_out;

	if (!n || n > EMU_MAX_THREADS || cfg->model >= NR_MACHINES)
		return -EINVAL;
	if (!E.locs && !(E.locs = calloc(EMU_LOCS, sizeof(*E.locs))))
		return -ENOMEM;
	if (!E.touched && !(E.touched = calloc(EMU_LOCS, sizeof(*E.touched))))
		return -ENOMEM;
	reset(cfg);
	E.nthreads = n;
	for (i = 0; i < n; i++) {
		struct emu_thread *t = &E.th[i];

		if (!t->stack && !(t->stack = malloc(EMU_STACK)))
			return -ENOMEM;
		t->fn = fn[i];
		t->arg = arg[i];
		getcontext(&t->ctx);
		t->ctx.uc_stack.ss_sp = t->stack;
		t->ctx.uc_stack.ss_size = EMU_STACK;
		t->ctx.uc_link = &E.sched;
		makecontext(&t->ctx, thread_main, 0);
	}
	E.active = true;
	while ((next = pick_runnable()) < n) {
		E.cur = next;
		swapcontext(&E.sched, &E.th[next].ctx);
	}
	E.active = false;
	timed_out = E.steps > cfg->max_steps;
	for (i = 0; i < n; i++)
		sb_drain(&E.th[i]);	/* leave memory holding every store */
	return timed_out ? -ETIME : 0;
}

/* ---- accesses ------------------------------------------------------------ */

/*
 * Time, in this model: a committed write has a global timestamp (the
 * machine is multi-copy atomic). A load *performs* at some time; it may
 * return any retained write not older than the newest one committed by
 * then. The emulator does not fix that time, only a lower bound: the
 * thread's acquired time A, raised by what orders later loads after earlier
 * ones. Once a load has returned a write with timestamp ts, it performed at
 * ts or later; its perform time is max(bound, ts), kept per location and
 * thread in last_exec. What orders a later load after this one (an
 * address dependency, smp_rmb(), an acquire) orders it after that time.
 */

/* The lower bound of t's next load: its acquired time, or now where every
 * load sees the newest write (tso). */
static uint64_t load_bound(const struct emu_thread *t)
{
	return E.mp->loads_latest ? E.now : t->acquired;
}

static void raise_acquired(struct emu_thread *t, uint64_t ts)
{
	if (ts > t->acquired)
		t->acquired = ts;
}

/*
 * RCsc (arm64): an acquire is ordered after the thread's earlier
 * store-releases. They leave the buffer first (with what is ahead of
 * them, which a release waits for anyway), and the acquire performs no
 * earlier than the last one's commit: the lower bound it returns.
 * Elsewhere 0: x86's plain loads may pass its plain stores, and Linux on
 * alpha builds them from READ_ONCE()/WRITE_ONCE() and mb.
 */
static uint64_t rcsc_bound(struct emu_thread *t)
{
	unsigned i, n = 0;

	if (!E.mp->rcsc)
		return 0;
	for (i = 0; i < t->nsb; i++)
		if (t->sb[i].release)
			n = i + 1;
	while (n--)
		sb_commit(t, 0);
	return t->released;
}

static void full_fence(struct emu_thread *t, const char *what)
{
	sched_point(false);
	sb_drain(t);
	raise_acquired(t, E.now);
	event(what, NULL, 0, E.now);
}

/* A load of l by the current thread has returned w with lower bound `bound`. */
static uint64_t performed(struct emu_thread *t, struct emu_loc *l, uint64_t ts, uint64_t bound)
{
	uint64_t exec = ts > bound ? ts : bound;

	l->last_read[E.cur] = ts;
	l->last_exec[E.cur] = exec;
	if (exec > t->max_exec)
		t->max_exec = exec;
	return exec;
}

/* The oldest retained write a load of l may still return. */
static uint64_t load_floor(struct emu_loc *l, uint64_t bound)
{
	uint64_t floor = l->last_read[E.cur];	/* never backwards on one location */
	unsigned age;

	/* The newest write committed at or before the bound is visible;
	 * nothing older may be returned. */
	for (age = 0; age < l->count; age++) {
		struct emu_write *w = hist_at(l, age);

		if (w->ts <= bound || age == l->count - 1) {
			if (w->ts > floor)
				floor = w->ts;
			break;
		}
	}
	return floor;
}

/* ---- recording outside emu_run() ------------------------------------- */

static struct emu_recording *recording;

void emu_record(struct emu_recording *r)
{
	if (r)
		r->n = 0;
	recording = r;
}

static void record(enum emu_op op, int kind)
{
	if (recording && recording->n < EMU_RECORD_MAX) {
		recording->op[recording->n].op = op;
		recording->op[recording->n].kind = kind;
		recording->n++;
	} else if (recording) {
		recording->overflow = true;
	}
}

unsigned long emu_load(const void *addr, enum emu_kind k, const void *src)
{
	struct emu_thread *t;
	struct emu_loc *l;
	struct emu_write *w, *pick[EMU_HIST];
	uint64_t bound, floor, exec;
	unsigned n = 0, age, i;

	if (!E.active) {
		record(EMU_OP_LOAD, k);
		return *(const volatile unsigned long *)addr;
	}
	sched_point(false);
	t = &E.th[E.cur];
	l = loc_get(addr);
	bound = load_bound(t);
	if (k == EMU_ACQUIRE) {
		uint64_t r = rcsc_bound(t);

		if (r > bound)
			bound = r;
	}
	/*
	 * An address dependency orders the load after its source load, and
	 * so after everything that load was ordered after (the source's own
	 * source, ...): its bound is the source's perform time, not just the
	 * timestamp of the value the source returned. Not on alpha. Any kind
	 * of load may name its source (an acquire through a pointer that was
	 * loaded, from clitmus/); the vocabulary's macros pass one only with
	 * EMU_DEP.
	 */
	if (src && E.mp->deps_ordered) {
		uint64_t s = loc_get(src)->last_exec[E.cur];

		if (s > bound)
			bound = s;
	}
	for (i = t->nsb; i-- > 0;) {
		if (t->sb[i].loc == l) {	/* forwarded from our own buffer */
			l->last_exec[E.cur] = bound;
			event("ld-fwd", addr, t->sb[i].val, 0);
			return t->sb[i].val;
		}
	}
	floor = load_floor(l, bound);
	for (age = 0; age < l->count; age++) {
		w = hist_at(l, age);
		if (w->ts >= floor)
			pick[n++] = w;
	}
	/* Newest half the time, otherwise any allowed retained write. */
	w = rnd_below(2) ? pick[0] : pick[rnd_below(n)];
	exec = performed(t, l, w->ts, bound);
	/* One-way acquire: what follows is ordered after this load, and only
	 * after it; earlier loads stay unordered. */
	if (k == EMU_ACQUIRE)
		raise_acquired(t, exec);
	event(k == EMU_ACQUIRE ? "ld-acq" : k == EMU_DEP ? "ld-dep" : "ld", addr, w->val, w->ts);
	if (k == EMU_ACQUIRE && E.mp->acq_rel_mb)
		full_fence(t, "mb");
	return w->val;
}

void emu_store(void *addr, unsigned long v, enum emu_kind k)
{
	struct emu_thread *t;

	if (!E.active) {
		record(EMU_OP_STORE, k);
		*(volatile unsigned long *)addr = v;
		return;
	}
	if (k == EMU_RELEASE && E.mp->acq_rel_mb)
		full_fence(&E.th[E.cur], "mb");
	sched_point(false);
	t = &E.th[E.cur];
	/* One-way release: it leaves the buffer only after every earlier
	 * store and fence (earlier loads have already performed); later
	 * stores may leave before it. */
	sb_push(t, loc_get(addr), v, k == EMU_RELEASE);
	event(k == EMU_RELEASE ? "st-rel" : "st", addr, v, 0);
}

void emu_fence(enum emu_fence f)
{
	struct emu_thread *t;

	if (!E.active) {
		record(EMU_OP_FENCE, f);
		return;
	}
	t = &E.th[E.cur];
	switch (f) {
	case EMU_DEPENDS:
		if (E.mp->read_once_mb)
			full_fence(t, "mb");	/* alpha's READ_ONCE() ends with "mb" */
		return;		/* READ_ONCE() is a plain load elsewhere */
	case EMU_MB:
		full_fence(t, "mb");
		return;
	case EMU_WMB:
		if (E.mp->fifo_stores)
			return;		/* stores already leave in order */
		sched_point(false);
		sb_push(t, NULL, 0, false);
		event("wmb", NULL, 0, 0);
		return;
	case EMU_RMB:
		if (E.mp->rmb_is_mb) {
			full_fence(t, "mb");	/* alpha: smp_rmb() is "mb" */
			return;
		}
		if (E.mp->loads_latest)
			return;		/* loads already see in order */
		sched_point(false);
		/* Later loads perform after every earlier one has. */
		raise_acquired(t, t->max_exec);
		event("rmb", NULL, 0, t->acquired);
		return;
	}
}

/*
 * Read-modify-write on the newest committed value (coherence: an RMW reads
 * the last write before its own), its write committed at once. First our
 * own buffered stores to that word leave, in order, with whatever is ahead
 * of them, and every store ahead of a buffered smp_wmb(). Then, by its ordering (enum emu_order):
 *   failed (cmpxchg, add_unless): a plain load of the newest value,
 *     unordered whatever the ordering asked for (Documentation/atomic_t.txt:
 *     a failed RMW implies no ordering), except where the model makes
 *     every RMW full (rmw_full: x86's lock prefix, alpha's cmpxchg);
 *   full: every earlier store leaves first, and every later load sees
 *     everything committed by then (smp_mb() on both sides);
 *   acquire (a lock): one-way, later accesses are ordered after the read,
 *     which performed no earlier than the write it returned; earlier
 *     stores to other words may still leave after it (ldaxr/stxr), but
 *     not earlier store-releases where the model is RCsc (arm64: a lock
 *     after an unlock, rcsc_bound());
 *   release: one-way, every earlier store leaves before its write; later
 *     loads are not ordered after it (stlxr, swpl);
 *   relaxed: neither (the _relaxed atomics, and the void ones such as
 *     atomic_inc()). Its write still commits at once, before any later
 *     store of the thread leaves: stronger than arm64, where a relaxed
 *     RMW's store may follow a later one (docs/emulation.md).
 */
static struct emu_loc *rmw_begin(void *addr)
{
	struct emu_thread *t = &E.th[E.cur];
	struct emu_loc *l;
	unsigned i, n = 0;

	sched_point(false);
	l = loc_get(addr);
	/* ... and so does everything up to the last smp_wmb() still in the
	 * buffer: the RMW's write is a store, which "dmb ishst" orders after
	 * the stores before it (the qspinlock's node initialisation before
	 * xchg_tail() relies on it). */
	for (i = 0; i < t->nsb; i++)
		if (t->sb[i].loc == l || !t->sb[i].loc)
			n = i + 1;
	while (n--)
		sb_commit(t, 0);
	return l;
}

/* Is this RMW a full barrier: fully ordered and successful, or on a model
 * where every RMW is (x86's lock prefix, alpha's smp_mb()s)? */
static bool rmw_is_full(bool ok, enum emu_order ord)
{
	return E.mp->rmw_full || (ok && ord == EMU_ORDER_FULL);
}

/* The RMW read the newest write (ts_read) and succeeded (or not): order
 * it. bound: at least the thread's load bound (more after RCsc). */
static void rmw_order(struct emu_loc *l, uint64_t ts_read, bool ok, enum emu_order ord,
		      uint64_t bound)
{
	struct emu_thread *t = &E.th[E.cur];
	uint64_t exec = performed(t, l, ts_read, bound);

	if (rmw_is_full(ok, ord))
		raise_acquired(t, E.now);
	else if (ok && ord == EMU_ORDER_ACQUIRE)
		raise_acquired(t, exec);	/* one-way acquire */
}

static unsigned long rmw_value(enum emu_rmw_op op, unsigned long cur, unsigned long v)
{
	switch (op) {
	case EMU_RMW_ADD:
	case EMU_RMW_ADD_UNLESS:
		return cur + v;
	case EMU_RMW_AND:
		return cur & v;
	case EMU_RMW_OR:
		return cur | v;
	case EMU_RMW_XOR:
		return cur ^ v;
	case EMU_RMW_ANDNOT:
		return cur & ~v;
	case EMU_RMW_XCHG:
	case EMU_RMW_CMPXCHG:
		break;
	}
	return v;
}

/* Outside emu_run(): the same operation on memory, fully ordered. */
static unsigned long rmw_native(unsigned long *p, enum emu_rmw_op op, unsigned long v,
				unsigned long cmp, bool *ok)
{
	unsigned long cur = __atomic_load_n(p, __ATOMIC_SEQ_CST);

	for (;;) {
		*ok = op == EMU_RMW_CMPXCHG ? cur == cmp : op == EMU_RMW_ADD_UNLESS ? cur != cmp : true;
		if (!*ok)
			return cur;
		if (__atomic_compare_exchange_n(p, &cur, rmw_value(op, cur, v), false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return cur;
	}
}

static const char *rmw_event(enum emu_rmw_op op, bool ok)
{
	switch (op) {
	case EMU_RMW_CMPXCHG:
		return ok ? "cas" : "cas-no";
	case EMU_RMW_ADD:
		return "xadd";
	case EMU_RMW_XCHG:
		return "xchg";
	default:
		return ok ? "rmw" : "rmw-no";
	}
}

unsigned long emu_rmw(void *addr, enum emu_rmw_op op, unsigned long v, unsigned long cmp,
		      enum emu_order ord, bool *okp)
{
	struct emu_thread *t = &E.th[E.cur];
	struct emu_loc *l;
	unsigned long cur, new;
	uint64_t ts, bound;
	bool ok;

	if (!E.active) {
		record(EMU_OP_RMW, ord == EMU_ORDER_FULL);
		cur = rmw_native(addr, op, v, cmp, &ok);
		if (okp)
			*okp = ok;
		return cur;
	}
	l = rmw_begin(addr);
	cur = hist_at(l, 0)->val;
	ts = hist_at(l, 0)->ts;
	ok = op == EMU_RMW_CMPXCHG ? cur == cmp : op == EMU_RMW_ADD_UNLESS ? cur != cmp : true;
	new = rmw_value(op, cur, v);
	/* full: everything before leaves first; release: the same, one-way */
	if (rmw_is_full(ok, ord) || (ok && ord == EMU_ORDER_RELEASE))
		sb_drain(t);
	bound = load_bound(t);
	if (ok && ord == EMU_ORDER_ACQUIRE && !rmw_is_full(ok, ord)) {
		/* a lock after an unlock: ordered after it (arm64, RCsc) */
		uint64_t r = rcsc_bound(t);

		if (r > bound)
			bound = r;
	}
	if (ok)
		commit_write(l, new, E.cur);
	/* A release RMW is a store-release (stlxr, swpl): RCsc, a later
	 * acquire is ordered after it as after any (rcsc_bound()). */
	if (ok && ord == EMU_ORDER_RELEASE)
		t->released = E.now;
	rmw_order(l, ts, ok, ord, bound);
	if (ok)
		l->last_read[E.cur] = hist_at(l, 0)->ts;	/* our own write */
	event(rmw_event(op, ok), addr, ok ? new : cur, hist_at(l, 0)->ts);
	if (okp)
		*okp = ok;
	return cur;
}

/* The vocabulary's two RMWs (sync/arch/emu.h): fully ordered or acquire. */
bool emu_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full)
{
	bool ok;
	unsigned long cur;

	if (!E.active && (record(EMU_OP_RMW, full), true))
		return __atomic_compare_exchange_n((unsigned long *)addr, old, new, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	cur = emu_rmw(addr, EMU_RMW_CMPXCHG, new, *old,
		      full ? EMU_ORDER_FULL : EMU_ORDER_ACQUIRE, &ok);
	if (!ok)
		*old = cur;
	return ok;
}

unsigned long emu_fetch_add(void *addr, unsigned long v, bool full)
{
	if (!E.active && (record(EMU_OP_RMW, full), true))
		return __atomic_fetch_add((unsigned long *)addr, v, __ATOMIC_SEQ_CST);
	return emu_rmw(addr, EMU_RMW_ADD, v, 0, full ? EMU_ORDER_FULL : EMU_ORDER_ACQUIRE, NULL);
}

void emu_relax(void)
{
	if (E.active)
		sched_point(true);	/* a spinning thread lets another run */
}

/* ---- diagnostics ---------------------------------------------------------- */

void emu_set_namer(emu_namer fn, void *ctx)
{
	E.namer = fn;
	E.namer_ctx = ctx;
}

void emu_dump_trace(FILE *f, unsigned last)
{
	unsigned n = E.ntrace < EMU_TRACE ? E.ntrace : EMU_TRACE, i;
	char name[64];

	if (last < n)
		n = last;
	for (i = E.ntrace - n; i < E.ntrace; i++) {
		const struct emu_event *e = &E.trace[i % EMU_TRACE];

		name[0] = 0;
		if (e->addr && E.namer)
			E.namer(e->addr, name, sizeof(name), E.namer_ctx);
		else if (e->addr)
			snprintf(name, sizeof(name), "%p", e->addr);
		fprintf(f, "  T%u %-7s %-26s = %#lx%s", e->thread, e->op, name, e->val,
			e->ts ? "" : "\n");
		if (e->ts)
			fprintf(f, "  (ts %llu)\n", (unsigned long long)e->ts);
	}
}

uint64_t emu_acquired(void)
{
	return E.active ? load_bound(&E.th[E.cur]) : E.now;
}

uint64_t emu_newest_ts(const void *addr)
{
	return E.locs && E.touched ? hist_at(loc_get(addr), 0)->ts : 0;
}

uint64_t emu_steps(void)
{
	return E.steps;
}

uint64_t emu_trace_hash(void)
{
	return E.hash;
}

unsigned emu_current_thread(void)
{
	return E.cur;
}
