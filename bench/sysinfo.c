// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "../sync/barrier.h"
#include "sysinfo.h"

/* Weak: the sanitizer build links without jemalloc (ASan owns malloc). */
#pragma weak mallctl

static void cpu_model(char *buf, size_t n)
{
	static const char *const keys[] = { "model name", "cpu\t", "Model\t", "CPU part" };
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	unsigned i;

	snprintf(buf, n, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		for (i = 0; colon && i < ARRAY_SIZE(keys); i++) {
			if (strncmp(line, keys[i], strlen(keys[i])))
				continue;
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\n")] = 0;
			snprintf(buf, n, "%s", colon);
			fclose(f);
			return;
		}
	}
	fclose(f);
}

void fl_sysinfo_read(struct fl_sysinfo *si)
{
	struct utsname u;
	const char *ver = NULL;
	size_t len = sizeof(ver);
	Dl_info dli;

	memset(si, 0, sizeof(*si));
	if (gethostname(si->host, sizeof(si->host) - 1))
		snprintf(si->host, sizeof(si->host), "unknown");
	cpu_model(si->cpu_model, sizeof(si->cpu_model));
	if (!uname(&u))
		snprintf(si->kernel, sizeof(si->kernel), "%s %s %s", u.sysname, u.release, u.machine);
#if defined(__clang__)
	snprintf(si->compiler, sizeof(si->compiler), "clang %s", __clang_version__);
#else
	snprintf(si->compiler, sizeof(si->compiler), "gcc %s", __VERSION__);
#endif
	snprintf(si->arch, sizeof(si->arch), "%s", FL_ARCH_NAME);
	if (dladdr((void *)malloc, &dli) && dli.dli_fname)
		snprintf(si->malloc_lib, sizeof(si->malloc_lib), "%s", dli.dli_fname);
	if (mallctl && !mallctl("version", (void *)&ver, &len, NULL, 0) && ver)
		snprintf(si->jemalloc_version, sizeof(si->jemalloc_version), "%s", ver);
	else
		snprintf(si->jemalloc_version, sizeof(si->jemalloc_version), "absent");
}
