// SPDX-License-Identifier: GPL-2.0
/*
 * The test files of a command line (front.h): split from the options,
 * and all parsed before the first one runs.
 */
#include <string.h>
#include <time.h>
#include "front.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

int lt_split_args(int argc, char **argv, const char *name, struct lt_args *a, char *err,
		  size_t errlen)
{
	size_t n = name ? strlen(name) : 0;
	int i;

	a->nfiles = 0;
	a->argc = 0;
	if (name)
		snprintf(a->bare, sizeof(a->bare), "--%s", name);
	for (i = 0; i < argc; i++) {
		char *s = argv[i];
		bool file = i && s[0] != '-';

		if (i && name && !strncmp(s, a->bare, n + 2) && s[n + 2] == '=') {
			if (!s[n + 3]) {
				snprintf(err, errlen, "%s= needs a file name", a->bare);
				return -1;
			}
			s += n + 3;	/* --NAME=FILE: FILE, and the bare --NAME */
			file = true;
			if ((size_t)a->argc + 1 == ARRAY_LEN(a->argv))
				goto too_many_args;
			a->argv[a->argc++] = a->bare;
		}
		if (file) {
			if (a->nfiles == LT_MAX_FILES) {
				snprintf(err, errlen, "more than %u test files", LT_MAX_FILES);
				return -1;
			}
			a->files[a->nfiles++] = s;
			continue;
		}
		if ((size_t)a->argc + 1 == ARRAY_LEN(a->argv))
			goto too_many_args;
		a->argv[a->argc++] = s;
	}
	a->argv[a->argc] = NULL;
	return 0;
too_many_args:
	snprintf(err, errlen, "too many arguments");
	return -1;
}

int lt_parse_all(const char *const *files, unsigned n, struct lt_test **tests, char *err,
		 size_t errlen)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (lt_parse_file(files[i], &tests[i], err, errlen)) {
			lt_free_all(tests, i);
			return -1;
		}
	}
	return 0;
}

void lt_free_all(struct lt_test **tests, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		lt_free(tests[i]);
		tests[i] = NULL;
	}
}

double lt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
