// SPDX-License-Identifier: GPL-2.0
/*
 * The placement policies (placement.h). Every policy is an order over the
 * usable PUs grouped by core: hwloc lists a core's PUs together and the
 * cores of a package together (its logical order), so compact is that order,
 * scatter interleaves the packages' cores and takes one PU of each core per
 * round, and smt takes the cores with two or more usable PUs first.
 */
#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "placement.h"
#include "../strategies/verdict.h"

const char *const fl_placement_policies[] = { "compact", "scatter", "smt", NULL };

/* The usable PUs in hwloc logical order, and where each core's run of them starts. */
struct topo_pus {
	unsigned npu, ncore, npkg;
	int *os;		/* npu: OS index */
	unsigned *core;		/* npu: core (logical index) */
	unsigned *first, *count;	/* ncore: the core's PUs are os[first..first+count) */
	unsigned *pkg, *rank;	/* ncore: its package, and its rank among that package's
				 * cores that have a usable PU */
};

struct core_key {
	unsigned rank, pkg, core;
};

static int cmp_scatter(const void *a, const void *b)
{
	const struct core_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	return x->core < y->core ? -1 : x->core > y->core;
}

static void topo_pus_free(struct topo_pus *t)
{
	free(t->os);
	free(t->core);
	free(t->first);
	free(t->count);
	free(t->pkg);
	free(t->rank);
}

/* A PU's core: its CORE ancestor, or the PU itself where hwloc has no cores. */
static unsigned core_index(hwloc_topology_t topo, hwloc_obj_t pu, int ncore)
{
	hwloc_obj_t core = ncore > 0 ?
		hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu) : NULL;

	return core ? core->logical_index : pu->logical_index;
}

static int topo_pus_read(hwloc_topology_t topo, hwloc_const_cpuset_t allowed, struct topo_pus *t)
{
	int npu = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	int ncore = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	int npkg = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	unsigned slots, i, c, *seen;

	memset(t, 0, sizeof(*t));
	if (npu <= 0)
		return -ENODEV;
	slots = ncore > 0 ? (unsigned)ncore : (unsigned)npu;
	t->npkg = npkg > 0 ? (unsigned)npkg : 1;
	t->os = calloc((size_t)npu, sizeof(*t->os));
	t->core = calloc((size_t)npu, sizeof(*t->core));
	t->first = calloc(slots, sizeof(*t->first));
	t->count = calloc(slots, sizeof(*t->count));
	t->pkg = calloc(slots, sizeof(*t->pkg));
	t->rank = calloc(slots, sizeof(*t->rank));
	seen = calloc(t->npkg, sizeof(*seen));
	if (!t->os || !t->core || !t->first || !t->count || !t->pkg || !t->rank || !seen) {
		free(seen);
		topo_pus_free(t);
		return -ENOMEM;
	}
	t->ncore = slots;
	for (i = 0; i < (unsigned)npu; i++) {
		hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, i);
		hwloc_obj_t pk = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_PACKAGE, pu);

		if (!pu || !hwloc_bitmap_isset(allowed, pu->os_index))
			continue;
		c = core_index(topo, pu, ncore);
		if (!t->count[c]++)
			t->first[c] = t->npu;
		t->pkg[c] = pk ? pk->logical_index : 0;
		t->os[t->npu] = (int)pu->os_index;
		t->core[t->npu++] = c;
	}
	for (c = 0; c < slots; c++)
		if (t->count[c])
			t->rank[c] = seen[t->pkg[c]]++;
	free(seen);
	return t->npu ? 0 : -ENODEV;
}

static void add_core(struct fl_placement *p, const struct topo_pus *t, unsigned c,
		     unsigned from, unsigned to)
{
	unsigned k;

	for (k = from; k < to && k < t->count[c]; k++) {
		p->os_index[p->nr_cpus] = t->os[t->first[c] + k];
		p->core_of[p->nr_cpus] = c;
		p->package_of[p->nr_cpus++] = t->pkg[c];
	}
}

static int order_scatter(struct fl_placement *p, const struct topo_pus *t)
{
	struct core_key *keys = calloc(t->ncore, sizeof(*keys));
	unsigned c, n = 0, k, maxpu = 0;

	if (!keys)
		return -ENOMEM;
	for (c = 0; c < t->ncore; c++) {
		if (!t->count[c])
			continue;
		keys[n++] = (struct core_key){ t->rank[c], t->pkg[c], c };
		if (t->count[c] > maxpu)
			maxpu = t->count[c];
	}
	qsort(keys, n, sizeof(*keys), cmp_scatter);
	for (k = 0; k < maxpu; k++)
		for (c = 0; c < n; c++)
			add_core(p, t, keys[c].core, k, k + 1);
	free(keys);
	return 0;
}

/* The order itself, and smt's fallback; note_where names the topology in the note. */
static int place(struct fl_placement *p, const struct topo_pus *t, const char *note_where)
{
	unsigned c, usable = 0, shared = 0;

	for (c = 0; c < t->ncore; c++) {
		usable += t->count[c] > 0;
		shared += t->count[c] > 1;
	}
	p->os_index = calloc(t->npu, sizeof(*p->os_index));
	p->core_of = calloc(t->npu, sizeof(*p->core_of));
	p->package_of = calloc(t->npu, sizeof(*p->package_of));
	if (!p->os_index || !p->core_of || !p->package_of)
		return -ENOMEM;
	snprintf(p->effective, sizeof(p->effective), "%s", p->policy);
	if (!strcmp(p->policy, "scatter"))
		return order_scatter(p, t);
	if (!strcmp(p->policy, "smt") && !shared) {
		snprintf(p->effective, sizeof(p->effective), "compact");
		snprintf(p->note, sizeof(p->note),
			 "no core %s has more than one PU (%u cores, %u PUs); placing as compact",
			 note_where, usable, t->npu);
	}
	if (!strcmp(p->policy, "smt"))
		for (c = 0; c < t->ncore; c++)
			if (t->count[c] > 1)
				add_core(p, t, c, 0, t->count[c]);
	for (c = 0; c < t->ncore; c++)
		if (strcmp(p->policy, "smt") || t->count[c] == 1)
			add_core(p, t, c, 0, t->count[c]);
	return 0;
}

static int init(struct fl_placement *p, const char *policy, const char *synthetic, char *err,
		size_t errlen)
{
	const char *const *c;
	hwloc_topology_t topo;
	hwloc_bitmap_t bound;
	struct topo_pus t;
	char where[96];
	int r;

	memset(p, 0, sizeof(*p));
	for (c = fl_placement_policies; *c && strcmp(*c, policy); c++)
		;
	if (!*c) {
		size_t n = (size_t)snprintf(err, errlen, "unknown placement '%.40s' (want", policy);

		for (c = fl_placement_policies; *c && n < errlen; c++)
			n += (size_t)snprintf(err + n, errlen - n, " %s", *c);
		if (n < errlen)
			snprintf(err + n, errlen - n, ")");
		return -EINVAL;
	}
	snprintf(p->policy, sizeof(p->policy), "%s", policy);
	if (hwloc_topology_init(&topo))
		goto no_topo;
	if (synthetic && hwloc_topology_set_synthetic(topo, synthetic)) {
		hwloc_topology_destroy(topo);
		snprintf(err, errlen, "bad hwloc synthetic topology '%.100s'", synthetic);
		return -EINVAL;
	}
	if (hwloc_topology_load(topo)) {
		hwloc_topology_destroy(topo);
		goto no_topo;
	}
	p->thissystem = !synthetic && hwloc_topology_is_thissystem(topo);
	if (!synthetic && !p->thissystem) {
		hwloc_topology_destroy(topo);
		snprintf(err, errlen, "hwloc's topology is not this machine's (HWLOC_SYNTHETIC or "
			 "HWLOC_XMLFILE set?): threads cannot be pinned to it");
		return -EINVAL;
	}
	bound = hwloc_bitmap_alloc();
	if (synthetic || hwloc_get_cpubind(topo, bound, HWLOC_CPUBIND_PROCESS))
		hwloc_bitmap_copy(bound, synthetic ? hwloc_topology_get_topology_cpuset(topo) :
					  hwloc_topology_get_allowed_cpuset(topo));
	r = topo_pus_read(topo, bound, &t);
	hwloc_bitmap_free(bound);
	p->nr_packages = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	p->nr_cores = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	if (!p->nr_cores)
		p->nr_cores = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	hwloc_topology_destroy(topo);
	if (r) {
		snprintf(err, errlen, r == -ENOMEM ? "out of memory" : "no usable CPU found");
		return r;
	}
	if (synthetic)
		snprintf(where, sizeof(where), "of topology '%.60s'", synthetic);
	else
		snprintf(where, sizeof(where), "here");
	r = place(p, &t, where);
	topo_pus_free(&t);
	if (r) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	return 0;
no_topo:
	snprintf(err, errlen, "hwloc could not read the topology");
	return -EIO;
}

int fl_placement_init_synthetic(struct fl_placement *p, const char *policy, const char *desc,
				char *err, size_t errlen)
{
	int r = init(p, policy, desc, err, errlen);

	if (!r && p->note[0])
		fprintf(stderr, "placement %s: %s\n", p->policy, p->note);
	return r;
}

int fl_placement_init(struct fl_placement *p, const char *policy, char *err, size_t errlen)
{
	return fl_placement_init_synthetic(p, policy, NULL, err, errlen);
}

void fl_placement_fini(struct fl_placement *p)
{
	free(p->os_index);
	free(p->core_of);
	free(p->package_of);
	p->os_index = NULL;
	p->core_of = p->package_of = NULL;
}

static void print_array(FILE *f, const char *name, const void *v, bool is_int, unsigned n)
{
	unsigned i;

	fprintf(f, ", \"%s\": [", name);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%ld", i ? ", " : "",
			is_int ? (long)((const int *)v)[i] : (long)((const unsigned *)v)[i]);
	fprintf(f, "]");
}

void fl_placement_print_json(const struct fl_placement *p, FILE *f)
{
	fprintf(f, "{\"policy\": \"%s\", \"effective\": \"%s\", \"note\": ", p->policy,
		p->effective);
	json_print_string(f, p->note);	/* strategies/verdict.c */
	fprintf(f, ", \"thissystem\": %s, \"usable_cpus\": %u, \"cores\": %u, \"packages\": %u",
		p->thissystem ? "true" : "false", p->nr_cpus, p->nr_cores, p->nr_packages);
	print_array(f, "cpu_order", p->os_index, true, p->nr_cpus);
	print_array(f, "core_of", p->core_of, false, p->nr_cpus);
	print_array(f, "package_of", p->package_of, false, p->nr_cpus);
	fprintf(f, "}");
}

int fl_pin_self(const struct fl_placement *p, unsigned tid, cpu_set_t *saved)
{
	cpu_set_t set;

	if (pthread_getaffinity_np(pthread_self(), sizeof(*saved), saved))
		return -1;
	if (!p->thissystem)
		return -1;	/* a synthetic topology's CPUs are not this machine's */
	CPU_ZERO(&set);
	CPU_SET(p->os_index[tid % p->nr_cpus], &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) ? -1 : 0;
}

void fl_unpin_self(const cpu_set_t *saved)
{
	pthread_setaffinity_np(pthread_self(), sizeof(*saved), saved);
}
