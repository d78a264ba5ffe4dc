// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "placement.h"

static int add_pu(struct fl_placement *p, hwloc_obj_t pu, hwloc_const_cpuset_t allowed)
{
	if (!pu || !hwloc_bitmap_isset(allowed, pu->os_index))
		return 0;
	p->os_index[p->nr_cpus++] = (int)pu->os_index;
	return 1;
}

int fl_placement_init(struct fl_placement *p, const char *policy, char *err, size_t errlen)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t bound;
	int npu, ncore, i, k, added;

	memset(p, 0, sizeof(*p));
	if (strcmp(policy, "compact") && strcmp(policy, "scatter")) {
		snprintf(err, errlen, "unknown placement '%s' (compact or scatter)", policy);
		return -EINVAL;
	}
	snprintf(p->policy, sizeof(p->policy), "%s", policy);
	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		snprintf(err, errlen, "hwloc could not read the topology");
		return -EIO;
	}
	bound = hwloc_bitmap_alloc();
	if (hwloc_get_cpubind(topo, bound, HWLOC_CPUBIND_PROCESS))
		hwloc_bitmap_copy(bound, hwloc_topology_get_allowed_cpuset(topo));
	npu = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	ncore = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	p->nr_packages = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	p->nr_cores = ncore > 0 ? (unsigned)ncore : (unsigned)npu;
	p->os_index = calloc(npu > 0 ? (size_t)npu : 1, sizeof(*p->os_index));
	if (!p->os_index) {
		hwloc_bitmap_free(bound);
		hwloc_topology_destroy(topo);
		return -ENOMEM;
	}
	if (!strcmp(policy, "compact") || ncore <= 0) {
		for (i = 0; i < npu; i++)
			add_pu(p, hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i), bound);
	} else {
		/* k-th PU of every core, then the (k+1)-th. */
		for (k = 0, added = 1; added; k++) {
			for (i = 0, added = 0; i < ncore; i++) {
				hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)i);
				hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset,
										     HWLOC_OBJ_PU, (unsigned)k);

				if (pu) {
					added = 1;
					add_pu(p, pu, bound);
				}
			}
		}
	}
	hwloc_bitmap_free(bound);
	hwloc_topology_destroy(topo);
	if (!p->nr_cpus) {
		snprintf(err, errlen, "no usable CPU found");
		return -ENODEV;
	}
	return 0;
}

void fl_placement_fini(struct fl_placement *p)
{
	free(p->os_index);
	p->os_index = NULL;
}

int fl_pin_self(const struct fl_placement *p, unsigned tid, cpu_set_t *saved)
{
	cpu_set_t set;

	if (pthread_getaffinity_np(pthread_self(), sizeof(*saved), saved))
		return -1;
	CPU_ZERO(&set);
	CPU_SET(p->os_index[tid % p->nr_cpus], &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) ? -1 : 0;
}

void fl_unpin_self(const cpu_set_t *saved)
{
	pthread_setaffinity_np(pthread_self(), sizeof(*saved), saved);
}
