// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "scenario.h"

const struct emu_scenario_params emu_default_params = {
	.writer_steps = 4000,
	.reader_gups = 8000,
	.max_steps = 20000000,
};

struct scen {
	const struct strategy *s;
	const struct emu_scenario_params *p;
	struct mm *mm;
	struct fl_thread *writer, *reader;
	struct emu_result *r;
	enum emu_model model;
	uint64_t seed, t0;
	FILE *trace;
};

/* Both shapes seen: nothing more to learn from this seed. */
static bool seen_both(const struct scen *sc)
{
	return sc->reader->c.viol_dep && sc->reader->c.viol_indep;
}

static void writer_main(void *arg)
{
	struct scen *sc = arg;
	unsigned i;

	for (i = 0; i < sc->p->writer_steps && !seen_both(sc); i++)
		strategy_writer_step(sc->s, sc->writer);
}

static void first_violation(struct scen *sc, enum fl_shape shape, unsigned long slot)
{
	struct emu_result *r = sc->r;

	r->ms_to_first[shape] = (double)(fl_now_ns() - sc->t0) / 1e6;
	if (!sc->trace)
		return;
	fprintf(sc->trace,
		"violation (%s shape) at GUP of slot %lu: strategy %s, model %s, seed %llu\n"
		"reproduce: faultline-emu --strategy=%s --model=%s --seed=%llu --trace\n"
		"last events (T0 writer, T1 reader):\n",
		shape_name(shape), slot, sc->s->name, emu_model_name(sc->model),
		(unsigned long long)sc->seed, sc->s->name, emu_model_name(sc->model),
		(unsigned long long)sc->seed);
	emu_dump_trace(sc->trace, 48);
}

static void reader_main(void *arg)
{
	struct scen *sc = arg;
	struct fl_thread *t = sc->reader;
	unsigned long mask = sc->mm->cfg.nr_slots - 1, slot;
	unsigned i, res;

	for (i = 0; i < sc->p->reader_gups && !seen_both(sc); i++) {
		/*
		 * Half the GUPs go to the slot the writer faulted last, where
		 * a publication race can be: the harness reads the writer's
		 * cursor directly, outside the emulated memory, so this
		 * steers where the reader looks, not what it may see.
		 */
		if (fl_rand(&t->rng) & 1)
			slot = writer_slot(sc->writer, sc->writer->head - 1);
		else
			slot = fl_rand(&t->rng) & mask;
		res = sc->s->gup(t, slot);
		gup_count(t, res);
		if ((res & GUP_VIOL_DEP) && t->c.viol_dep == 1)
			first_violation(sc, SHAPE_DEP, slot);
		if ((res & GUP_VIOL_INDEP) && t->c.viol_indep == 1)
			first_violation(sc, SHAPE_INDEP, slot);
	}
}

/* Names for the event trace: which object and field an address is. */
#define FIELD(type, f) { offsetof(type, f), #f }
struct field { size_t off; const char *name; };

static const struct field page_fields[] = {
	FIELD(struct page, flags), FIELD(struct page, refcount), FIELD(struct page, mapping),
	FIELD(struct page, index), FIELD(struct page, gen), FIELD(struct page, check[0]),
	FIELD(struct page, check[1]),
};
static const struct field av_fields[] = {
	FIELD(struct anon_vma, lock.next), FIELD(struct anon_vma, lock.owner),
	FIELD(struct anon_vma, root), FIELD(struct anon_vma, refcount),
	FIELD(struct anon_vma, canary), FIELD(struct anon_vma, state),
};
static const struct field vma_fields[] = {
	FIELD(struct vma, anon_vma), FIELD(struct vma, vm_lock), FIELD(struct vma, nr_pages),
};

static bool name_in(const void *addr, const void *base, size_t size, size_t n,
		    const struct field *f, unsigned nf, const char *what, char *buf, size_t len)
{
	uintptr_t a = (uintptr_t)addr, b = (uintptr_t)base;
	unsigned i;

	if (a < b || a >= b + size * n)
		return false;
	for (i = 0; i < nf; i++) {
		if ((a - b) % size == f[i].off) {
			snprintf(buf, len, "%s[%zu].%s", what, (size_t)((a - b) / size), f[i].name);
			return true;
		}
	}
	snprintf(buf, len, "%s[%zu]+%zu", what, (size_t)((a - b) / size), (size_t)((a - b) % size));
	return true;
}

static void namer(const void *addr, char *buf, size_t len, void *ctx)
{
	const struct mm *mm = ctx;
	uintptr_t a = (uintptr_t)addr;

	if (name_in(addr, mm->memmap, sizeof(struct page), mm->nr_pages, page_fields,
		    ARRAY_SIZE(page_fields), "page", buf, len) ||
	    name_in(addr, mm->avs.objs, sizeof(struct anon_vma), mm->avs.nr, av_fields,
		    ARRAY_SIZE(av_fields), "anon_vma", buf, len) ||
	    name_in(addr, mm->vmas, sizeof(struct vma), mm->nr_vmas, vma_fields,
		    ARRAY_SIZE(vma_fields), "vma", buf, len))
		return;
	if (a >= (uintptr_t)mm->pt && a < (uintptr_t)(mm->pt + mm->cfg.nr_slots))
		snprintf(buf, len, "pte[%zu]", (size_t)((unsigned long *)addr - mm->pt));
	else if (a >= (uintptr_t)mm->slot_gen && a < (uintptr_t)(mm->slot_gen + mm->cfg.nr_slots))
		snprintf(buf, len, "slot_gen[%zu]", (size_t)((unsigned long *)addr - mm->slot_gen));
	else if (addr == &mm->page_table_lock.next || addr == &mm->page_table_lock.owner)
		snprintf(buf, len, "page_table_lock.%s",
			 addr == &mm->page_table_lock.next ? "next" : "owner");
	else if (addr == &mm->seq.sequence)
		snprintf(buf, len, "mm->seq");
	else
		snprintf(buf, len, "%p", addr);
}

int emu_scenario(const struct strategy *s, enum emu_model m, uint64_t seed,
		 const struct emu_scenario_params *p, struct emu_result *r, FILE *trace)
{
	struct mm_config cfg = { .nr_slots = 4, .slots_per_vma = 2 };
	struct emu_config ec = { .model = m, .seed = seed, .max_steps = p->max_steps };
	struct fl_thread *th;
	struct scen sc;
	emu_fn fns[2] = { writer_main, reader_main };
	void *args[2] = { &sc, &sc };
	int err;

	memset(r, 0, sizeof(*r));
	r->ms_to_first[SHAPE_DEP] = r->ms_to_first[SHAPE_INDEP] = -1;
	memset(&sc, 0, sizeof(sc));
	th = aligned_alloc(FL_CACHELINE, 2 * sizeof(*th));
	if (!th)
		return -ENOMEM;
	memset(th, 0, 2 * sizeof(*th));
	err = mm_create(&sc.mm, &cfg);
	if (err) {
		free(th);
		return err;
	}
	sc = (struct scen){ .s = s, .p = p, .mm = sc.mm, .writer = &th[0], .reader = &th[1],
			    .r = r, .model = m, .seed = seed, .trace = trace };
	th[0].mm = th[1].mm = sc.mm;
	err = fl_thread_init_writer(&th[0], 0, 1);
	fl_thread_init_reader(&th[1], seed);
	if (!err) {
		emu_set_namer(namer, sc.mm);
		sc.t0 = fl_now_ns();
		err = r->err = emu_run(&ec, 2, fns, args);
		emu_set_namer(NULL, NULL);
	}
	r->viol[SHAPE_DEP] = th[1].c.viol_dep;
	r->viol[SHAPE_INDEP] = th[1].c.viol_indep;
	r->gups = th[1].c.gups;
	r->gup_hits = th[1].c.gup_hits;
	r->retries = th[1].c.retries;
	r->faults = th[0].c.faults;
	r->steps = emu_steps();
	r->trace_hash = emu_trace_hash();
	fl_thread_fini(&th[0]);
	mm_destroy(sc.mm);
	free(th);
	return err;
}
