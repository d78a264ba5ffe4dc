// SPDX-License-Identifier: GPL-2.0
/* perf counters over a window, per thread (perf.h). */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../strategies/verdict.h"	/* json_print_string() */
#include "perf.h"

/* An event id no PMU has: what FAULTLINE_PERF_FAIL asks the kernel for. */
#define FL_PERF_FAKE_CONFIG	0x7fffffffULL
#define READ_FORMAT	(PERF_FORMAT_GROUP | PERF_FORMAT_ID | \
			 PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING)

const struct fl_perf_event fl_perf_events[FL_PERF_NR] = {
	{ "cycles", "cycles_per_op", "cycles/op", "CPU cycles per primary operation, all threads",
	  true, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", "instructions_per_op", "instructions/op",
	  "instructions retired per primary operation, all threads",
	  true, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", "cache_misses_per_op", "misses/op",
	  "last-level cache misses per primary operation, all threads",
	  true, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-misses", "branch_misses_per_op", "misses/op",
	  "mispredicted branches per primary operation, all threads",
	  true, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "task-clock", "task_clock_ns_per_op", "ns/op",
	  "CPU time the kernel charged the threads, per primary operation",
	  false, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "context-switches", "context_switches_per_op", "switches/op",
	  "context switches of the threads per primary operation",
	  false, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", "cpu_migrations_per_op", "migrations/op",
	  "moves of a thread to another CPU per primary operation",
	  false, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "page-faults", "page_faults_per_op", "faults/op",
	  "page faults the threads took per primary operation",
	  false, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
};

static int perf_open(const struct fl_perf_event *e, uint64_t config, bool user_only,
		     bool leader, int group)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = e->type;
	a.config = config;
	a.disabled = leader;	/* members follow their leader */
	a.exclude_kernel = user_only;
	a.exclude_hv = 1;
	a.read_format = READ_FORMAT;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, group, PERF_FLAG_FD_CLOEXEC);
}

static int paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = -99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -99;
		fclose(f);
	}
	return v;
}

static void explain(struct fl_perf *p, unsigned i, int err)
{
	const char *name = strerrorname_np(err);
	const char *hint = "";
	char forced[64] = "";

	if (p->forced & (1u << i))
		snprintf(forced, sizeof(forced), "forced by FAULTLINE_PERF_FAIL: ");
	else if (err == ENOENT || err == EOPNOTSUPP || err == ENODEV)
		hint = fl_perf_events[i].hw ? ": this CPU or hypervisor exposes no such counter"
					    : ": this kernel has no such event";
	else if (err == EACCES || err == EPERM)
		hint = ": not permitted (kernel.perf_event_paranoid)";
	snprintf(p->ev[i].why, sizeof(p->ev[i].why), "%sperf_event_open: %s (%s)%s", forced,
		 name ? name : "?", strerror(err), hint);
}

int fl_perf_probe(struct fl_perf *p, bool on, const char *force, char *err, size_t errlen)
{
	char item[64];
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->on = on;
	while (force && *force) {
		size_t len = strcspn(force, ",");

		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1),
			 force);
		for (i = 0; i < FL_PERF_NR && strcmp(item, fl_perf_events[i].name); i++)
			;
		if (i == FL_PERF_NR) {
			snprintf(err, errlen, "FAULTLINE_PERF_FAIL: unknown perf event '%s' (see "
				 "\"perf_events\" in --describe=json)", item);
			return -EINVAL;
		}
		p->forced |= 1u << i;
		force += len + (force[len] == ',');
	}
	for (i = 0; i < FL_PERF_NR; i++) {
		const struct fl_perf_event *e = &fl_perf_events[i];
		uint64_t config = p->forced & (1u << i) ? FL_PERF_FAKE_CONFIG : e->config;
		int fd, e1;

		if (!on)
			continue;
		fd = perf_open(e, config, false, true, -1);
		if (fd < 0 && (errno == EACCES || errno == EPERM)) {
			fd = perf_open(e, config, true, true, -1);
			p->ev[i].user_only = fd >= 0;
		}
		e1 = errno;
		if (fd >= 0) {
			close(fd);
			p->ev[i].state = FL_PERF_COUNTED;
		} else {
			p->ev[i].state = FL_PERF_UNSUPPORTED;
			explain(p, i, e1);
		}
	}
	return 0;
}

unsigned fl_perf_counted(const struct fl_perf *p)
{
	unsigned i, m = 0;

	for (i = 0; i < FL_PERF_NR; i++)
		m |= p->ev[i].state == FL_PERF_COUNTED ? 1u << i : 0;
	return m;
}

char *fl_perf_json(const struct fl_perf *p)
{
	static const char *const states[] = { "off", "counted", "unsupported" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned i, n = 0;

	if (!f)
		return NULL;
	fprintf(f, "{\"mode\": \"%s\", \"perf_event_paranoid\": %d, \"forced\": [",
		p->on ? "on" : "off", paranoid());
	for (i = 0; i < FL_PERF_NR; i++)
		if (p->forced & (1u << i))
			fprintf(f, "%s\"%s\"", n++ ? ", " : "", fl_perf_events[i].name);
	fputs("], \"events\": [", f);
	for (i = 0; i < FL_PERF_NR; i++) {
		fprintf(f, "%s{\"name\": \"%s\", \"counter\": \"%s\", \"state\": \"%s\"", i ? ", " : "",
			fl_perf_events[i].name, fl_perf_events[i].counter, states[p->ev[i].state]);
		if (p->ev[i].state == FL_PERF_COUNTED)
			fprintf(f, ", \"scope\": \"%s\"", p->ev[i].user_only ? "user" : "user+kernel");
		if (p->ev[i].state == FL_PERF_UNSUPPORTED) {
			fputs(", \"why\": ", f);
			json_print_string(f, p->ev[i].why);
		}
		fputc('}', f);
	}
	fputs("]}", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void fl_perf_thread_open(struct fl_perf_thread *t, const struct fl_perf *p)
{
	unsigned i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < FL_PERF_NR; i++)
		t->fd[i] = -1;
	t->leader[0] = t->leader[1] = -1;
	for (i = 0; i < FL_PERF_NR && p && p->on; i++) {
		const struct fl_perf_event *e = &fl_perf_events[i];
		int *leader = &t->leader[e->hw ? 0 : 1];

		if (p->ev[i].state != FL_PERF_COUNTED)
			continue;
		t->fd[i] = perf_open(e, e->config, p->ev[i].user_only, *leader < 0, *leader);
		if (t->fd[i] < 0)
			continue;
		if (ioctl(t->fd[i], PERF_EVENT_IOC_ID, &t->id[i])) {
			close(t->fd[i]);
			t->fd[i] = -1;
			continue;
		}
		if (*leader < 0)
			*leader = t->fd[i];
	}
}

void fl_perf_thread_start(struct fl_perf_thread *t)
{
	int g;

	for (g = 0; g < 2; g++) {
		if (t->leader[g] >= 0) {
			ioctl(t->leader[g], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
			ioctl(t->leader[g], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
		}
	}
}

unsigned fl_perf_thread_stop(struct fl_perf_thread *t, uint64_t v[FL_PERF_NR])
{
	/* nr, time enabled, time running, then {value, id} per member */
	uint64_t buf[3 + 2 * FL_PERF_NR];
	unsigned got = 0, i, k;
	int g;

	memset(v, 0, FL_PERF_NR * sizeof(*v));
	for (g = 0; g < 2; g++)
		if (t->leader[g] >= 0)
			ioctl(t->leader[g], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
	for (g = 0; g < 2; g++) {
		ssize_t n;

		if (t->leader[g] < 0)
			continue;
		n = read(t->leader[g], buf, sizeof(buf));
		if (n < (ssize_t)(3 * sizeof(uint64_t)) || buf[2] == 0 ||
		    (size_t)n < (3 + 2 * buf[0]) * sizeof(uint64_t))
			continue;	/* never scheduled: not counted */
		for (k = 0; k < buf[0]; k++) {
			double x = (double)buf[3 + 2 * k];

			if (buf[2] < buf[1])	/* multiplexed: scale to the whole window */
				x = x * (double)buf[1] / (double)buf[2];
			for (i = 0; i < FL_PERF_NR; i++) {
				if (t->fd[i] >= 0 && t->id[i] == buf[4 + 2 * k]) {
					v[i] = (uint64_t)(x + 0.5);
					got |= 1u << i;
				}
			}
		}
	}
	return got;
}

void fl_perf_thread_close(struct fl_perf_thread *t)
{
	unsigned i;

	for (i = 0; i < FL_PERF_NR; i++) {
		if (t->fd[i] >= 0)
			close(t->fd[i]);
		t->fd[i] = -1;
	}
	t->leader[0] = t->leader[1] = -1;
}
