/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultline --describe=json: every fact the tools need (strategies with
 * their expected instructions and verdicts, mixes, shapes, models,
 * counters with units, thresholds, the verdict rule), printed from the
 * descriptors that define them. The Python tools, the barrier table and
 * the tests read this, never C source or --list text.
 */
#ifndef FL_BENCH_DESCRIBE_H
#define FL_BENCH_DESCRIBE_H

#include <stdio.h>

/* The whole description as one JSON object, newline-terminated. */
void fl_describe_print_json(FILE *f);
/* The same, into a malloc'd string (bench.json's context embeds it); NULL on ENOMEM. */
char *fl_describe_json_string(void);

#endif /* FL_BENCH_DESCRIBE_H */
