// SPDX-License-Identifier: GPL-2.0
/*
 * build/faultline-kernel: the real kernel's anonymous fault and GUP-fast
 * at the model's CPU counts (kernel.h), as kernel.json. Repetitions are
 * the outer loop, as in the sweep: pass 1 runs every point once, then
 * pass 2. Every row is checked (faults per page touched, faults in a GUP
 * window); a row that fails its check makes the exit status 1.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fl_build.h"	/* generated: FL_GIT_REV */
#include "../strategies/verdict.h"	/* json_print_string() */
#include "cli.h"
#include "kernel.h"
#include "sysinfo.h"

#define EXIT_CHECK	1
#define EXIT_USAGE	2

/* Pages per vmsplice: one (a whole call for one page), and the two the
 * per-page cost is fitted between (a line through both: its slope is the
 * cost of one more page, its intercept what a call costs besides). */
static const unsigned gup_pages[] = { 1, 16, 256 };
#define GUP_FIT_LO	1	/* indices into gup_pages */
#define GUP_FIT_HI	2

enum { TEST_FAULT = 1, TEST_GUP = 2 };
static const char *const mode_names[] = { "threads", "processes" };

struct kernel_options {
	struct fl_options o;	/* first: the shared kinds write into it */
	unsigned tests, modes;	/* bit sets */
	unsigned repetitions, region_mib;
	bool populate, unfaulted;
	const char *perf;
};

static int test_item(const struct fl_opt *opt, const char *item, void *obj, char *err, size_t n)
{
	struct kernel_options *ko = obj;

	(void)opt;
	if (!strcmp(item, "fault"))
		ko->tests |= TEST_FAULT;
	else if (!strcmp(item, "gup"))
		ko->tests |= TEST_GUP;
	else {
		snprintf(err, n, "unknown test '%s' (want fault or gup)", item);
		return -EINVAL;
	}
	return 0;
}

static int parse_tests(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	((struct kernel_options *)obj)->tests = 0;
	return fl_opt_each(opt, val, obj, err, n, test_item);
}

static int mode_item(const struct fl_opt *opt, const char *item, void *obj, char *err, size_t n)
{
	struct kernel_options *ko = obj;
	unsigned m;

	(void)opt;
	for (m = 0; m < ARRAY_SIZE(mode_names); m++) {
		if (!strcmp(item, mode_names[m])) {
			ko->modes |= 1u << m;
			return 0;
		}
	}
	snprintf(err, n, "unknown mode '%s' (want threads or processes)", item);
	return -EINVAL;
}

static int parse_modes(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t n)
{
	((struct kernel_options *)obj)->modes = 0;
	return fl_opt_each(opt, val, obj, err, n, mode_item);
}

static const char *const on_off[] = { "on", "off", NULL };

#define O(field)	offsetof(struct kernel_options, field)
static const struct fl_opt options[] = {
	{ .name = "test", .metavar = "LIST", .parse = parse_tests,
	  .help = "fault (page_fault1: mmap, touch every page, munmap) and/or gup\n"
		  "(vmsplice: get_user_pages_fast) (default fault,gup)" },
	{ .name = "mode", .metavar = "LIST", .parse = parse_modes,
	  .help = "threads (one mm) and/or processes (one mm each) (default both)" },
	FL_OPT_CPUS(struct kernel_options, o.cpus, o.nr_cpus,
		    "worker counts, e.g. 1,2 (default 1,2,4,..,N and N, as faultline);\n"
		    "one worker pinned per CPU"),
	FL_OPT_DURATION(struct kernel_options, o.duration, "SECONDS", "one window"),
	FL_OPT_UNSIGNED("repetitions", struct kernel_options, repetitions, 1, 1000,
			"passes over every point (the outer loop)"),
	FL_OPT_UNSIGNED("region", struct kernel_options, region_mib, 1, 65536,
			"MiB each fault worker maps, touches and unmaps"),
	FL_OPT_FLAG("populate", struct kernel_options, populate,
		    "negative control: MAP_POPULATE the fault region, so touching it\n"
		    "takes no fault (its check must fail)"),
	FL_OPT_FLAG("gup-unfaulted", struct kernel_options, unfaulted,
		    "negative control: MADV_DONTNEED the GUP buffer before each call,\n"
		    "so every GUP faults (its check must fail)"),
	{ .name = "perf", .metavar = "on|off", .parse = fl_opt_choice, .off = O(perf),
	  .choices = on_off,
	  .help = "also count each worker's perf page-faults and task-clock (default on)" },
	FL_OPT_PLACEMENT(struct kernel_options, o.placement,
			 ":\nthe order workers are pinned to CPUs"),
	FL_OPT_JSON(struct kernel_options, o.json,
		    "write kernel.json to FILE (whole at the end, or not at all)"),
	FL_OPT_FLAG("quiet", struct kernel_options, o.quiet, "no progress lines on stderr"),
	FL_OPT_HELP(struct kernel_options, o.help),
};
#undef O

static const struct fl_cmd cmd = { "faultline-kernel", options, ARRAY_SIZE(options) };

/* One measured point of one pass, summed over its workers. */
struct row {
	const char *test;		/* "fault", "gup", "gup-fit" */
	unsigned mode, cpus, rep, pages_per_call;
	double wall_s, cpu_s, cpu_share_min;
	uint64_t calls, pages, faults;
	bool perf_faults_read, perf_clock_read;
	uint64_t perf_faults, perf_clock_ns;
	double fit_ns_per_page, fit_ns_fixed;	/* gup-fit */
	const char *error;		/* a worker failed: the call and why */
	char error_buf[160];
	bool sane;
};

static double per(double x, double y)
{
	return y > 0 ? x / y : 0;
}

static double ns_per_page(const struct row *r)
{
	return per(r->wall_s * 1e9, (double)r->pages);
}

static double ns_per_call(const struct row *r)
{
	return per(r->wall_s * 1e9, (double)r->calls);
}

static unsigned perf_index(const char *name)
{
	unsigned i;

	for (i = 0; i < FL_PERF_NR && strcmp(fl_perf_events[i].name, name); i++)
		;
	return i;
}

/* The check of a fault row: one fault per page touched (rusage, and perf
 * where it counted page faults), within the tolerance. */
static bool fault_sane(const struct row *r)
{
	double f = per((double)r->faults, (double)r->pages);
	double pf = per((double)r->perf_faults, (double)r->pages);

	return r->pages && fabs(f - 1) <= KERNEL_FAULTS_PER_PAGE_TOLERANCE &&
	       (!r->perf_faults_read || fabs(pf - 1) <= KERNEL_FAULTS_PER_PAGE_TOLERANCE);
}

static void sum_workers(struct row *r, const struct kernel_job *j, const struct kernel_result *res)
{
	unsigned pf = perf_index("page-faults"), tc = perf_index("task-clock"), i;

	r->cpu_share_min = 1e9;
	r->perf_faults_read = r->perf_clock_read = j->perf != NULL;
	for (i = 0; i < j->workers; i++) {
		const struct kernel_result *w = &res[i];
		double share = per((double)w->cpu_ns, (double)w->wall_ns);

		if (w->err && !r->error) {
			snprintf(r->error_buf, sizeof(r->error_buf), "worker %u: %s: %s", i,
				 w->what ? w->what : "?", strerror(w->err));
			r->error = r->error_buf;
		}
		r->wall_s += (double)w->wall_ns / 1e9;
		r->cpu_s += (double)w->cpu_ns / 1e9;
		r->calls += w->calls;
		r->pages += w->pages;
		r->faults += w->faults;
		if (share < r->cpu_share_min)
			r->cpu_share_min = share;
		r->perf_faults_read &= !!(w->perf_read & (1u << pf));
		r->perf_clock_read &= !!(w->perf_read & (1u << tc));
		r->perf_faults += w->perf[pf];
		r->perf_clock_ns += w->perf[tc];
	}
	/* The GUP window's perf page-faults would miss GUP's own faults
	 * (the kernel raises no perf event for them): rusage alone there. */
	if (!strcmp(r->test, "gup"))
		r->perf_faults_read = false;
	if (r->error)
		r->sane = false;
	else if (!strcmp(r->test, "fault"))
		r->sane = fault_sane(r);
	else
		r->sane = r->calls > 0 && r->faults == 0;
}

struct rows {
	struct row *v;
	unsigned n, cap;
};

static struct row *add_row(struct rows *rs)
{
	if (rs->n == rs->cap) {
		unsigned cap = rs->cap ? 2 * rs->cap : 64;
		struct row *v = realloc(rs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		rs->v = v;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof(rs->v[0]));
	return &rs->v[rs->n++];
}

static void progress(const struct kernel_options *ko, const struct row *r)
{
	if (ko->o.quiet)
		return;
	if (!strcmp(r->test, "fault"))
		fprintf(stderr, "faultline-kernel: pass %u/%u fault %s@%u: %.0f ns/page, "
			"%.3f faults/page, cpu %.2f%s%s\n", r->rep + 1, ko->repetitions,
			mode_names[r->mode], r->cpus, ns_per_page(r),
			per((double)r->faults, (double)r->pages), r->cpu_share_min,
			r->sane ? "" : "  CHECK FAILED", r->error ? r->error : "");
	else
		fprintf(stderr, "faultline-kernel: pass %u/%u gup %s@%u %u pages/call: %.0f ns/call, "
			"%.1f ns/page, %llu faults, cpu %.2f%s%s\n", r->rep + 1, ko->repetitions,
			mode_names[r->mode], r->cpus, r->pages_per_call, ns_per_call(r),
			ns_per_page(r), (unsigned long long)r->faults, r->cpu_share_min,
			r->sane ? "" : "  CHECK FAILED", r->error ? r->error : "");
}

/* One window; its row appended. 0, or -errno when the workers could not run. */
static int measure(const struct kernel_options *ko, struct kernel_job *j, struct rows *rs,
		   const char *test, unsigned mode, unsigned cpus, unsigned rep)
{
	struct kernel_result *res = calloc(cpus, sizeof(*res));
	struct row *r = add_row(rs);
	int err;

	if (!res || !r) {
		free(res);
		return -ENOMEM;
	}
	j->mode = mode;
	j->workers = cpus;
	err = kernel_run(j, res);
	if (!err) {
		*r = (struct row){ .test = test, .mode = mode, .cpus = cpus, .rep = rep,
				   .pages_per_call = j->pages_per_call };
		sum_workers(r, j, res);
		progress(ko, r);
	} else {
		rs->n--;
	}
	free(res);
	return err;
}

/* The per-page line through a pass's two GUP sizes (the last rows added). */
static int fit(struct rows *rs, unsigned mode, unsigned cpus, unsigned rep)
{
	const struct row *lo, *hi;
	struct row *r = add_row(rs);	/* may move rs->v: look up the rows after it */

	if (!r)
		return -ENOMEM;
	lo = &rs->v[rs->n - 1 - (ARRAY_SIZE(gup_pages) - GUP_FIT_LO)];
	hi = &rs->v[rs->n - 1 - (ARRAY_SIZE(gup_pages) - GUP_FIT_HI)];
	r->test = "gup-fit";
	r->mode = mode;
	r->cpus = cpus;
	r->rep = rep;
	r->fit_ns_per_page = (ns_per_call(hi) - ns_per_call(lo)) /
			     (double)(hi->pages_per_call - lo->pages_per_call);
	r->fit_ns_fixed = ns_per_call(lo) - r->fit_ns_per_page * lo->pages_per_call;
	r->cpu_share_min = lo->cpu_share_min < hi->cpu_share_min ? lo->cpu_share_min
								  : hi->cpu_share_min;
	r->sane = lo->sane && hi->sane;
	return 0;
}

static int sweep(const struct kernel_options *ko, const struct fl_placement *pl,
		 const struct fl_perf *perf, struct rows *rs)
{
	struct kernel_job j = { .duration_s = ko->o.duration, .place = pl,
				.perf = perf->on ? perf : NULL,
				.region_bytes = (size_t)ko->region_mib << 20,
				.populate = ko->populate, .unfaulted = ko->unfaulted };
	unsigned rep, mode, c, k;
	int err;

	for (rep = 0; rep < ko->repetitions; rep++) {
		for (mode = 0; mode < ARRAY_SIZE(mode_names); mode++) {
			if (!(ko->modes & (1u << mode)))
				continue;
			for (c = 0; c < ko->o.nr_cpus; c++) {
				unsigned cpus = ko->o.cpus[c];

				if (ko->tests & TEST_FAULT) {
					j.body = kernel_fault_body;
					j.pages_per_call = 0;
					if ((err = measure(ko, &j, rs, "fault", mode, cpus, rep)))
						return err;
				}
				if (!(ko->tests & TEST_GUP))
					continue;
				j.body = kernel_gup_body;
				for (k = 0; k < ARRAY_SIZE(gup_pages); k++) {
					j.pages_per_call = gup_pages[k];
					if ((err = measure(ko, &j, rs, "gup", mode, cpus, rep)))
						return err;
				}
				if ((err = fit(rs, mode, cpus, rep)))
					return err;
			}
		}
	}
	return 0;
}

/* ---- kernel.json ---------------------------------------------------- */

static void read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, n, "unknown");
	if (f) {
		if (fgets(buf, (int)n, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
}

static void json_str_field(FILE *f, const char *key, const char *val, const char *sep)
{
	fprintf(f, "\"%s\": ", key);
	json_print_string(f, val);
	fputs(sep, f);
}

static void write_row(FILE *f, const struct row *r)
{
	fprintf(f, "  {\"test\": \"%s\", \"mode\": \"%s\", \"cpus\": %u, \"repetition\": %u, ", r->test,
		mode_names[r->mode], r->cpus, r->rep);
	if (!strcmp(r->test, "gup-fit")) {
		fprintf(f, "\"pages_lo\": %u, \"pages_hi\": %u, \"ns_per_page\": %.4g, "
			"\"ns_fixed\": %.4g, \"cpu_share_min\": %.4f, \"sane\": %s}",
			gup_pages[GUP_FIT_LO], gup_pages[GUP_FIT_HI], r->fit_ns_per_page,
			r->fit_ns_fixed, r->cpu_share_min, r->sane ? "true" : "false");
		return;
	}
	if (!strcmp(r->test, "gup"))
		fprintf(f, "\"pages_per_call\": %u, \"calls\": %llu, \"ns_per_call\": %.5g, ",
			r->pages_per_call, (unsigned long long)r->calls, ns_per_call(r));
	else
		fprintf(f, "\"regions\": %llu, \"faults_per_page\": %.5f, \"faults_per_s\": %.5g, ",
			(unsigned long long)r->calls, per((double)r->faults, (double)r->pages),
			per((double)r->faults, r->wall_s / r->cpus));
	fprintf(f, "\"pages\": %llu, \"faults\": %llu, \"ns_per_page\": %.5g, \"window_s\": %.4f, "
		"\"wall_s_sum\": %.4f, \"cpu_share\": %.4f, \"cpu_share_min\": %.4f, ",
		(unsigned long long)r->pages, (unsigned long long)r->faults, ns_per_page(r),
		r->wall_s / r->cpus, r->wall_s, per(r->cpu_s, r->wall_s), r->cpu_share_min);
	if (r->perf_faults_read)
		fprintf(f, "\"perf_page_faults\": %llu, ", (unsigned long long)r->perf_faults);
	if (r->perf_clock_read)
		fprintf(f, "\"perf_task_clock_s\": %.4f, ", (double)r->perf_clock_ns / 1e9);
	if (r->error)
		json_str_field(f, "error", r->error, ", ");
	fprintf(f, "\"sane\": %s}", r->sane ? "true" : "false");
}

static void write_json(FILE *f, const struct kernel_options *ko, const struct fl_placement *pl,
		       const struct fl_perf *perf, const struct rows *rs, bool ok)
{
	struct fl_sysinfo si;
	char thp[160], *pj = fl_perf_json(perf);
	unsigned i;

	fl_sysinfo_read(&si);
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp));
	fprintf(f, "{\"faultline_kernel\": 1, \"complete\": true, \"ok\": %s,\n \"context\": {",
		ok ? "true" : "false");
	json_str_field(f, "faultline_git_rev", FL_GIT_REV, ", ");
	json_str_field(f, "host_name", si.host, ", ");
	json_str_field(f, "arch", si.arch, ", ");
	json_str_field(f, "cpu_model", si.cpu_model, ", ");
	json_str_field(f, "kernel", si.kernel, ", ");
	json_str_field(f, "transparent_hugepage", thp, ", ");
	fprintf(f, "\"page_size\": %ld, \"usable_cpus\": %u, ", sysconf(_SC_PAGESIZE), pl->nr_cpus);
	json_str_field(f, "placement", pl->policy, ", ");
	json_str_field(f, "placement_effective", pl->effective, ", ");
	json_str_field(f, "placement_note", pl->note, ", ");
	fputs("\"cpu_order\": [", f);
	for (i = 0; i < pl->nr_cpus; i++)
		fprintf(f, "%s%d", i ? ", " : "", pl->os_index[i]);
	fprintf(f, "], \"perf\": %s},\n \"parameters\": {\"duration_s\": %g, \"repetitions\": %u, "
		"\"region_mib\": %u, \"populate\": %s, \"gup_unfaulted\": %s, \"cpus\": [",
		pj ? pj : "null", ko->o.duration, ko->repetitions, ko->region_mib,
		ko->populate ? "true" : "false", ko->unfaulted ? "true" : "false");
	free(pj);
	for (i = 0; i < ko->o.nr_cpus; i++)
		fprintf(f, "%s%u", i ? ", " : "", ko->o.cpus[i]);
	fputs("], \"gup_pages\": [", f);
	for (i = 0; i < ARRAY_SIZE(gup_pages); i++)
		fprintf(f, "%s%u", i ? ", " : "", gup_pages[i]);
	fprintf(f, "], \"faults_per_page_tolerance\": %g},\n \"methods\": {",
		KERNEL_FAULTS_PER_PAGE_TOLERANCE);
	json_str_field(f, "fault", kernel_fault_method, ", ");
	json_str_field(f, "gup", kernel_gup_method, ", ");
	fprintf(f, "\"gup-fit\": \"ns per page: the slope of ns per call between %u and %u pages "
		"per call (what one more page costs); ns_fixed: its intercept (what a call costs "
		"besides its pages: two syscalls, the pipe lock)\"},\n \"rows\": [\n",
		gup_pages[GUP_FIT_LO], gup_pages[GUP_FIT_HI]);
	for (i = 0; i < rs->n; i++) {
		write_row(f, &rs->v[i]);
		fputs(i + 1 < rs->n ? ",\n" : "\n", f);
	}
	fputs(" ]}\n", f);
}

static void usage(FILE *f, const struct kernel_options *d)
{
	fl_cli_synopsis(&cmd, f);
	fputs("\nThe real kernel beside the model: anonymous faults (will-it-scale's\n"
	      "page_fault1) and GUP-fast (vmsplice), threads and processes, at the model's\n"
	      "CPU counts (docs/design.md section 12).\n", f);
	fl_cli_help(&cmd, d, f);
	fputs("Exit status: 0 ok, 1 a check failed (faults per page touched not 1, or a GUP\n"
	      "window that faulted) or a worker failed, 2 bad usage or unwritable output.\n", f);
}

int main(int argc, char **argv)
{
	static struct kernel_options ko, defaults;
	struct fl_placement pl;
	struct fl_perf perf;
	struct rows rs = { 0 };
	char err[512] = "", tmp[4096];
	int status = 0, e;
	unsigned i;
	bool ok = true;
	FILE *f;

	memset(&pl, 0, sizeof(pl));
	fl_options_init(&ko.o);
	ko.o.duration = 0.2;
	ko.tests = TEST_FAULT | TEST_GUP;
	ko.modes = 3;
	ko.repetitions = 5;
	ko.region_mib = 128;
	ko.perf = "on";
	defaults = ko;
	if (fl_cli_parse(&cmd, argc, argv, &ko, err, sizeof(err))) {
		status = EXIT_USAGE;
	} else if (ko.o.help) {
		usage(stdout, &defaults);
	} else if (fl_placement_init(&pl, ko.o.placement, err, sizeof(err)) ||
		   fl_check_cpus(&ko.o, pl.nr_cpus, err, sizeof(err)) ||
		   fl_perf_probe(&perf, !strcmp(ko.perf, "on"), getenv("FAULTLINE_PERF_FAIL"), err,
				 sizeof(err))) {
		status = EXIT_USAGE;
	} else if (ko.o.json && !(f = fl_json_begin(ko.o.json, tmp, sizeof(tmp), err, sizeof(err)))) {
		status = EXIT_USAGE;	/* an unwritable --json fails now, not at the end */
	} else {
		if (ko.o.json) {
			fclose(f);
			remove(tmp);
		}
		e = sweep(&ko, &pl, &perf, &rs);
		for (i = 0; i < rs.n; i++)
			ok &= rs.v[i].sane;
		if (e) {
			snprintf(err, sizeof(err), "cannot start the workers: %s", strerror(-e));
			status = EXIT_CHECK;
		} else if (!ko.o.json) {
			write_json(stdout, &ko, &pl, &perf, &rs, ok);
		} else if (!(f = fl_json_begin(ko.o.json, tmp, sizeof(tmp), err, sizeof(err)))) {
			status = EXIT_USAGE;
		} else {
			write_json(f, &ko, &pl, &perf, &rs, ok);
			if (fl_json_commit(f, tmp, ko.o.json, err, sizeof(err)))
				status = EXIT_USAGE;
		}
		if (!status && !ok) {
			snprintf(err, sizeof(err), "a check failed (see the rows with \"sane\": false)");
			status = EXIT_CHECK;
		}
	}
	free(rs.v);
	fl_placement_fini(&pl);
	fl_options_fini(&ko.o);
	if (status)
		fprintf(stderr, "faultline-kernel: error: %s\n", err);
	return status;
}
