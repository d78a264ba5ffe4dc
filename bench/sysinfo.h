/* SPDX-License-Identifier: GPL-2.0 */
/* What a result needs to be reproducible: machine, kernel, toolchain, allocator. */
#ifndef FL_BENCH_SYSINFO_H
#define FL_BENCH_SYSINFO_H

#include <stddef.h>

struct fl_sysinfo {
	char host[128];
	char cpu_model[160];
	char kernel[200];
	char compiler[96];
	char malloc_lib[256];	/* the object that provides malloc() */
	char jemalloc_version[96];
	char arch[16];
};

void fl_sysinfo_read(struct fl_sysinfo *si);

#endif /* FL_BENCH_SYSINFO_H */
