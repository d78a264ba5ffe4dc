// SPDX-License-Identifier: GPL-2.0
/*
 * The --mix option kind, apart from cli.c because only the binaries that
 * link the workload driver take it (faultline, faultline-pair), and
 * faultline-emu links cli.c alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* --mix: names or all, into struct fl_options (or a struct that begins with one). */
static int mix_item(const struct fl_opt *opt, const char *name, void *obj, char *err, size_t n)
{
	struct fl_options *o = obj;
	const struct fl_mix *m = fl_mix_find(name);
	unsigned i, j;

	(void)opt;
	if (!m && strcmp(name, "all")) {
		size_t at = (size_t)snprintf(err, n, "unknown mix '%s' (want", name);

		for (i = 0; i < fl_nr_mixes && at < n; i++)
			at += (size_t)snprintf(err + at, n - at, " %s,", fl_mixes[i].name);
		if (at < n)
			snprintf(err + at, n - at, " or all)");
		return -EINVAL;
	}
	for (i = 0; i < fl_nr_mixes; i++) {
		if (m && m != &fl_mixes[i])
			continue;
		for (j = 0; j < o->nr_mixes && o->mixes[j] != &fl_mixes[i]; j++)
			;
		if (j < o->nr_mixes)
			continue;
		if (o->nr_mixes == ARRAY_SIZE(o->mixes)) {
			snprintf(err, n, "too many mixes");
			return -EINVAL;
		}
		o->mixes[o->nr_mixes++] = &fl_mixes[i];
	}
	return 0;
}

int fl_opt_mixes(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	return fl_opt_each(opt, val, obj, err, n, mix_item);
}

