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

#define EMU_MAX_THREADS	8
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
};

struct sb_entry {
	struct emu_loc *loc;	/* NULL: a fence */
	unsigned long val;
};

struct emu_thread {
	ucontext_t ctx;
	void *stack;
	emu_fn fn;
	void *arg;
	bool done;
	struct sb_entry sb[EMU_SB_MAX];
	unsigned nsb;
	uint64_t acquired;	/* A: loads see at least what was committed by then */
	uint64_t max_read;	/* newest ts this thread has read */
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
	uint64_t rng, now, steps, hash;
	struct emu_loc *locs;
	unsigned nthreads, cur;
	struct emu_thread th[EMU_MAX_THREADS];
	ucontext_t sched;
	struct emu_event trace[EMU_TRACE];
	unsigned ntrace;
	emu_namer namer;
	void *namer_ctx;
} E;

static const char *const model_names[EMU_NR_MODELS] = { "tso", "arm64", "alpha" };

const char *emu_model_name(enum emu_model m)
{
	return m < EMU_NR_MODELS ? model_names[m] : "?";
}

int emu_model_parse(const char *name, enum emu_model *m)
{
	unsigned i;

	for (i = 0; i < EMU_NR_MODELS; i++) {
		if (!strcmp(name, model_names[i])) {
			*m = (enum emu_model)i;
			return 0;
		}
	}
	return -EINVAL;
}

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

/* May sb[i] leave the buffer now? TSO: only the oldest. Otherwise anything
 * with no fence and no store to the same location ahead of it. */
static bool committable(const struct emu_thread *t, unsigned i)
{
	unsigned j;

	if (!t->sb[i].loc)
		return i == 0;
	if (E.cfg.model == EMU_TSO)
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
	if (t->sb[i].loc)
		commit_write(t->sb[i].loc, t->sb[i].val, (unsigned)(t - E.th));
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
	if (n)
		sb_commit(t, cand[rnd_below(2) ? n - 1 : rnd_below(n)]);
}

static void sb_push(struct emu_thread *t, struct emu_loc *l, unsigned long v)
{
	if (t->nsb == EMU_SB_MAX)
		sb_commit(t, 0);	/* a full buffer drains from its head */
	t->sb[t->nsb].loc = l;
	t->sb[t->nsb].val = v;
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

static unsigned pick_runnable(void)
{
	unsigned cand[EMU_MAX_THREADS], n = 0, i;

	for (i = 0; i < E.nthreads; i++)
		if (!E.th[i].done)
			cand[n++] = i;
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

static void reset(const struct emu_config *cfg)
{
	unsigned i;

	memset(E.locs, 0, EMU_LOCS * sizeof(*E.locs));
	for (i = 0; i < EMU_MAX_THREADS; i++) {
		free(E.th[i].stack);
		memset(&E.th[i], 0, sizeof(E.th[i]));
	}
	E.cfg = *cfg;
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

	if (!n || n > EMU_MAX_THREADS)
		return -EINVAL;
	if (!E.locs && !(E.locs = calloc(EMU_LOCS, sizeof(*E.locs))))
		return -ENOMEM;
	reset(cfg);
	E.nthreads = n;
	for (i = 0; i < n; i++) {
		struct emu_thread *t = &E.th[i];

		t->stack = malloc(EMU_STACK);
		if (!t->stack)
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

/* The oldest retained write a load of l may still return. */
static uint64_t load_floor(struct emu_loc *l, uint64_t acquired)
{
	uint64_t floor = l->last_read[E.cur];	/* never backwards on one location */
	unsigned age;

	/* The newest write committed at or before the acquired time is
	 * visible; nothing older may be returned. */
	for (age = 0; age < l->count; age++) {
		struct emu_write *w = hist_at(l, age);

		if (w->ts <= acquired || age == l->count - 1) {
			if (w->ts > floor)
				floor = w->ts;
			break;
		}
	}
	return floor;
}

unsigned long emu_load(const void *addr, enum emu_kind k, const void *src)
{
	struct emu_thread *t;
	struct emu_loc *l;
	struct emu_write *w, *pick[EMU_HIST];
	uint64_t acquired, floor;
	unsigned n = 0, age, i;

	if (!E.active)
		return *(const volatile unsigned long *)addr;
	sched_point(false);
	t = &E.th[E.cur];
	l = loc_get(addr);
	for (i = t->nsb; i-- > 0;) {
		if (t->sb[i].loc == l) {	/* forwarded from our own buffer */
			event("ld-fwd", addr, t->sb[i].val, 0);
			return t->sb[i].val;
		}
	}
	acquired = E.cfg.model == EMU_TSO ? E.now : t->acquired;
	/* An address dependency orders the load after its source load,
	 * everywhere but alpha. */
	if (k == EMU_DEP && src && E.cfg.model != EMU_ALPHA) {
		uint64_t s = loc_get(src)->last_read[E.cur];

		if (s > acquired)
			acquired = s;
	}
	floor = load_floor(l, acquired);
	for (age = 0; age < l->count; age++) {
		w = hist_at(l, age);
		if (w->ts >= floor)
			pick[n++] = w;
	}
	/* Newest half the time, otherwise any allowed retained write. */
	w = rnd_below(2) ? pick[0] : pick[rnd_below(n)];
	l->last_read[E.cur] = w->ts;
	if (w->ts > t->max_read)
		t->max_read = w->ts;
	if (k == EMU_ACQUIRE && t->max_read > t->acquired)
		t->acquired = t->max_read;
	event(k == EMU_ACQUIRE ? "ld-acq" : k == EMU_DEP ? "ld-dep" : "ld", addr, w->val, w->ts);
	return w->val;
}

void emu_store(void *addr, unsigned long v, enum emu_kind k)
{
	struct emu_thread *t;

	if (!E.active) {
		*(volatile unsigned long *)addr = v;
		return;
	}
	sched_point(false);
	t = &E.th[E.cur];
	if (k == EMU_RELEASE && E.cfg.model != EMU_TSO)
		sb_push(t, NULL, 0);	/* release: a fence, then the store */
	sb_push(t, loc_get(addr), v);
	event(k == EMU_RELEASE ? "st-rel" : "st", addr, v, 0);
}

static void raise_acquired(struct emu_thread *t, uint64_t ts)
{
	if (ts > t->acquired)
		t->acquired = ts;
}

void emu_fence(enum emu_fence f)
{
	struct emu_thread *t;

	if (!E.active)
		return;
	t = &E.th[E.cur];
	switch (f) {
	case EMU_DEPENDS:
		if (E.cfg.model != EMU_ALPHA)
			return;		/* READ_ONCE() is a plain load there */
		__attribute__((__fallthrough__));	/* alpha's READ_ONCE() ends with "mb" */
	case EMU_MB:
		sched_point(false);
		sb_drain(t);
		raise_acquired(t, E.now);
		event("mb", NULL, 0, E.now);
		return;
	case EMU_WMB:
		if (E.cfg.model == EMU_TSO)
			return;		/* stores already leave in order */
		sched_point(false);
		sb_push(t, NULL, 0);
		event("wmb", NULL, 0, 0);
		return;
	case EMU_RMB:
		if (E.cfg.model == EMU_TSO)
			return;		/* loads already see in order */
		sched_point(false);
		raise_acquired(t, t->max_read);
		event("rmb", NULL, 0, t->acquired);
		return;
	}
}

/*
 * Read-modify-write on the newest committed value, committed at once. A
 * full RMW first drains our buffer and afterwards sees everything
 * committed (smp_mb on both sides). An acquire RMW (lock) commits only our
 * own earlier stores to the same word (coherence), and afterwards sees
 * what it read.
 */
static struct emu_loc *rmw_begin(void *addr, bool full)
{
	struct emu_thread *t = &E.th[E.cur];
	struct emu_loc *l;
	unsigned i, last = 0;
	bool mine = false;

	sched_point(false);
	l = loc_get(addr);
	if (full || E.cfg.model == EMU_TSO) {
		sb_drain(t);
		return l;
	}
	for (i = 0; i < t->nsb; i++) {
		if (t->sb[i].loc == l) {
			last = i;
			mine = true;
		}
	}
	for (i = 0; mine && i <= last; i++)
		sb_commit(t, 0);
	return l;
}

static void rmw_end(struct emu_loc *l, bool full)
{
	struct emu_thread *t = &E.th[E.cur];
	uint64_t ts = hist_at(l, 0)->ts;

	l->last_read[E.cur] = ts;
	if (ts > t->max_read)
		t->max_read = ts;
	raise_acquired(t, full || E.cfg.model == EMU_TSO ? E.now : t->max_read);
}

bool emu_cmpxchg(void *addr, unsigned long *old, unsigned long new, bool full)
{
	struct emu_loc *l;
	unsigned long cur;
	bool ok;

	if (!E.active)
		return __atomic_compare_exchange_n((unsigned long *)addr, old, new, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	l = rmw_begin(addr, full);
	cur = hist_at(l, 0)->val;
	ok = cur == *old;
	if (ok)
		commit_write(l, new, E.cur);
	else
		*old = cur;
	event(ok ? "cas" : "cas-no", addr, ok ? new : cur, hist_at(l, 0)->ts);
	rmw_end(l, full);
	return ok;
}

unsigned long emu_fetch_add(void *addr, unsigned long v, bool full)
{
	struct emu_loc *l;
	unsigned long cur;

	if (!E.active)
		return __atomic_fetch_add((unsigned long *)addr, v, __ATOMIC_SEQ_CST);
	l = rmw_begin(addr, full);
	cur = hist_at(l, 0)->val;
	commit_write(l, cur + v, E.cur);
	event("xadd", addr, cur + v, hist_at(l, 0)->ts);
	rmw_end(l, full);
	return cur;
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
