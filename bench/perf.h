/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf counters over a measured window, per thread (perf_event_open).
 *
 * fl_perf_events[] is the one list of the events: perf's name, the
 * bench.json key of its per-operation value, its unit, and whether it
 * needs a hardware PMU. faultline --describe=json prints it as
 * "perf_events"; the tools read names and units from there.
 *
 * fl_perf_probe() asks the kernel once per process which events it can
 * count (each opened alone on the calling thread, then closed) and keeps
 * why not for the others: a virtual machine without a PMU answers ENOENT
 * or EOPNOTSUPP for the hardware events, and that is recorded as
 * "unsupported", never a failure. FAULTLINE_PERF_FAIL=name,... makes the
 * named events fail as on such a machine (their open asks the kernel for
 * an event id that does not exist), for the tests.
 *
 * Each thread opens two groups, one per PMU (hardware events in one, the
 * software ones in the other, so the software events never share the
 * hardware group's scheduling), enables them just before its window's
 * clock starts and disables them just after it stops.
 */
#ifndef FL_BENCH_PERF_H
#define FL_BENCH_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_PERF_NR	8

struct fl_perf_event {
	const char *name;	/* as perf(1) spells it: "cycles" */
	const char *counter;	/* bench.json key of the per-operation value */
	const char *unit;
	const char *desc;
	bool hw;		/* needs a hardware PMU (else a software event) */
	uint32_t type;		/* perf_event_attr.type and .config */
	uint64_t config;
};

extern const struct fl_perf_event fl_perf_events[FL_PERF_NR];

enum fl_perf_state { FL_PERF_OFF, FL_PERF_COUNTED, FL_PERF_UNSUPPORTED };

/* What this process can count: set once by fl_perf_probe(), then read-only. */
struct fl_perf {
	bool on;			/* --perf=on */
	unsigned forced;		/* FAULTLINE_PERF_FAIL, one bit per event */
	struct {
		enum fl_perf_state state;
		bool user_only;		/* the kernel would not count kernel mode */
		char why[160];		/* unsupported: why (errno and its name) */
	} ev[FL_PERF_NR];
};

/*
 * on: probe (else every event is "off"); force: the value of
 * FAULTLINE_PERF_FAIL or NULL. -EINVAL with one line in err for an
 * unknown event name in force; a failed open is never an error.
 */
int fl_perf_probe(struct fl_perf *p, bool on, const char *force, char *err, size_t errlen);
/* Bit i set: event i counted here. */
unsigned fl_perf_counted(const struct fl_perf *p);
/* The probe as JSON (context key "perf"): malloc'd, NULL on ENOMEM. */
char *fl_perf_json(const struct fl_perf *p);

/* One thread's counters; all fds -1 when closed. */
struct fl_perf_thread {
	int fd[FL_PERF_NR];
	uint64_t id[FL_PERF_NR];
	int leader[2];			/* hardware group, software group */
};

/* Open the calling thread's groups for every event the probe counts; an
 * event that fails to open here is left out (never an error). */
void fl_perf_thread_open(struct fl_perf_thread *t, const struct fl_perf *p);
/* Zero the counts and start counting. */
void fl_perf_thread_start(struct fl_perf_thread *t);
/* Stop and read (scaled by enabled/running time if multiplexed); returns
 * the events read, one bit each, their values in v. */
unsigned fl_perf_thread_stop(struct fl_perf_thread *t, uint64_t v[FL_PERF_NR]);
void fl_perf_thread_close(struct fl_perf_thread *t);

#endif /* FL_BENCH_PERF_H */
