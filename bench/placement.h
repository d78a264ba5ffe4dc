/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where threads run: the CPUs this process may use (hwloc topology
 * intersected with the process affinity, so taskset and cgroup cpusets are
 * respected), in compact order (hwloc logical PU order: SMT siblings and
 * cores of one package together) or scatter order (one PU per core first).
 */
#ifndef FL_BENCH_PLACEMENT_H
#define FL_BENCH_PLACEMENT_H

#include <sched.h>
#include <stddef.h>

struct fl_placement {
	char policy[16];
	unsigned nr_cpus;	/* usable PUs */
	unsigned nr_cores;
	unsigned nr_packages;
	int *os_index;		/* nr_cpus OS cpu numbers, in placement order */
};

int fl_placement_init(struct fl_placement *p, const char *policy, char *err, size_t errlen);
void fl_placement_fini(struct fl_placement *p);
/* Pin the calling thread to the tid-th CPU (mod nr_cpus); *saved gets the old mask. */
int fl_pin_self(const struct fl_placement *p, unsigned tid, cpu_set_t *saved);
void fl_unpin_self(const cpu_set_t *saved);

#endif /* FL_BENCH_PLACEMENT_H */
