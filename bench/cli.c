// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void fl_usage(FILE *f)
{
	fprintf(f,
"usage: faultline [options] [--benchmark_* flags]\n"
"\n"
"Measures, for each synchronisation strategy, the throughput and correctness of a\n"
"kernel-shaped page-fault publisher and lockless GUP reader across CPU counts.\n"
"\n"
"  --list                 list strategies and mixes, then exit\n"
"  --strategy=LIST        comma list of names, or all|correct|control (default all)\n"
"  --mix=LIST             comma list of gup,fault,read,publish, or all (default all)\n"
"  --cpus=LIST            thread counts, e.g. 1,2,4 or 1-8 (default 1,2,4,..,N and N,\n"
"                         N = CPUs this process may use); one thread pinned per CPU\n"
"  --oversubscribe        allow more threads than CPUs (results are marked)\n"
"  --placement=P          compact (default) or scatter (one PU per core first)\n"
"  --duration=SECONDS     measurement window per repetition (default 0.25)\n"
"  --slots=N              pte slots in the model, a power of two (default 4096)\n"
"  --clear-page           clear the whole 4 KiB page on each fault, as the kernel does\n"
"  --overhead             also time an empty benchmark body (harness overhead)\n"
"  --json=FILE            write Google Benchmark JSON plus faultline context to FILE\n"
"                         (written whole at the end, or not at all)\n"
"  --seed=N               reader slot sequence seed (default 1)\n"
"  --quiet                no per-run progress lines on stderr\n"
"  --help                 this text\n"
"\n"
"Google Benchmark flags pass through, e.g. --benchmark_repetitions=5,\n"
"--benchmark_filter=REGEX. Benchmarks are named <mix>/<strategy>/manual_time/threads:N.\n"
"Exit status: 0 ok, 2 bad usage or unwritable output, 1 a run failed.\n");
}

void fl_list(FILE *f)
{
	unsigned i;

	fprintf(f, "strategies:\n");
	for (i = 0; i < fl_nr_strategies; i++)
		fprintf(f, "  %-16s %-8s %s\n", fl_strategies[i]->name,
			strategy_kind_name(fl_strategies[i]->kind), fl_strategies[i]->desc);
	fprintf(f, "mixes:\n");
	for (i = 0; i < fl_nr_mixes; i++)
		fprintf(f, "  %-16s %s\n", fl_mixes[i].name, fl_mixes[i].desc);
}

static int parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Split a comma list in place; calls fn on each item. */
static int each_item(const char *opt, char *list,
		     int (*fn)(struct fl_options *, const char *, char *, size_t),
		     struct fl_options *o, char *err, size_t errlen)
{
	char *save = NULL, *item;
	int r;

	if (!*list) {
		snprintf(err, errlen, "empty %s list", opt);
		return -EINVAL;
	}
	for (item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if ((r = fn(o, item, err, errlen)))
			return r;
	return 0;
}

static int add_strategy(struct fl_options *o, const struct strategy *s, char *err, size_t n)
{
	unsigned i;

	for (i = 0; i < o->nr_strategies; i++)
		if (o->strategies[i] == s)
			return 0;
	if (o->nr_strategies == ARRAY_SIZE(o->strategies)) {
		snprintf(err, n, "too many strategies");
		return -EINVAL;
	}
	o->strategies[o->nr_strategies++] = s;
	return 0;
}

static int strategy_item(struct fl_options *o, const char *name, char *err, size_t n)
{
	const struct strategy *s = strategy_find(name);
	bool all = !strcmp(name, "all");
	unsigned i;
	int r;

	if (s)
		return add_strategy(o, s, err, n);
	if (!all && strcmp(name, "correct") && strcmp(name, "control")) {
		snprintf(err, n, "unknown strategy '%s' (see --list)", name);
		return -EINVAL;
	}
	for (i = 0; i < fl_nr_strategies; i++) {
		s = fl_strategies[i];
		if (all || !strcmp(name, strategy_kind_name(s->kind)))
			if ((r = add_strategy(o, s, err, n)))
				return r;
	}
	return 0;
}

static int mix_item(struct fl_options *o, const char *name, char *err, size_t n)
{
	const struct fl_mix *m = fl_mix_find(name);
	unsigned i, j;

	if (!m && strcmp(name, "all")) {
		snprintf(err, n, "unknown mix '%s' (see --list)", name);
		return -EINVAL;
	}
	for (i = 0; i < fl_nr_mixes; i++) {
		if (m && m != &fl_mixes[i])
			continue;
		for (j = 0; j < o->nr_mixes && o->mixes[j] != &fl_mixes[i]; j++)
			;
		if (j == o->nr_mixes)
			o->mixes[o->nr_mixes++] = &fl_mixes[i];
	}
	return 0;
}

static int cpus_item(struct fl_options *o, const char *item, char *err, size_t n)
{
	unsigned long lo, hi, v;
	char buf[64], *dash;

	snprintf(buf, sizeof(buf), "%s", item);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (parse_ulong(buf, 1, FL_MAX_THREADS, &lo) ||
	    parse_ulong(dash ? dash + 1 : buf, 1, FL_MAX_THREADS, &hi) || hi < lo) {
		snprintf(err, n, "bad CPU count '%s' (want N or A-B, 1..%d)", item, FL_MAX_THREADS);
		return -EINVAL;
	}
	for (v = lo; v <= hi; v++) {
		if (o->nr_cpus == FL_MAX_POINTS) {
			snprintf(err, n, "too many CPU counts (at most %d)", FL_MAX_POINTS);
			return -EINVAL;
		}
		o->cpus[o->nr_cpus++] = (unsigned)v;
	}
	return 0;
}

static const char *opt_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

static int parse_one(struct fl_options *o, const char *arg, char *err, size_t n)
{
	char buf[1024];
	const char *v;
	unsigned long u;
	char *end;

	if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
		return o->help = true, 0;
	if (!strcmp(arg, "--list"))
		return o->list = true, 0;
	if (!strcmp(arg, "--oversubscribe"))
		return o->oversubscribe = true, 0;
	if (!strcmp(arg, "--clear-page"))
		return o->clear_page = true, 0;
	if (!strcmp(arg, "--overhead"))
		return o->overhead = true, 0;
	if (!strcmp(arg, "--quiet"))
		return o->quiet = true, 0;
	if ((v = opt_value(arg, "--strategy")) || (v = opt_value(arg, "--mix")) ||
	    (v = opt_value(arg, "--cpus"))) {
		if (strlen(v) >= sizeof(buf)) {
			snprintf(err, n, "argument too long: %.40s...", arg);
			return -EINVAL;
		}
		snprintf(buf, sizeof(buf), "%s", v);
		if (arg[2] == 's')
			return each_item("--strategy", buf, strategy_item, o, err, n);
		if (arg[2] == 'm')
			return each_item("--mix", buf, mix_item, o, err, n);
		o->nr_cpus = 0;
		return each_item("--cpus", buf, cpus_item, o, err, n);
	}
	if ((v = opt_value(arg, "--duration"))) {
		errno = 0;
		o->duration = strtod(v, &end);
		if (errno || end == v || *end || !(o->duration >= 0.001 && o->duration <= 3600)) {
			snprintf(err, n, "bad duration '%s' (seconds, 0.001..3600)", v);
			return -EINVAL;
		}
		return 0;
	}
	if ((v = opt_value(arg, "--slots"))) {
		if (parse_ulong(v, 2, FL_MAX_PAGES, &u) || (u & (u - 1))) {
			snprintf(err, n, "bad slot count '%s' (a power of two, 2..%lu)", v, FL_MAX_PAGES);
			return -EINVAL;
		}
		o->slots = u;
		return 0;
	}
	if ((v = opt_value(arg, "--placement"))) {
		if (strcmp(v, "compact") && strcmp(v, "scatter")) {
			snprintf(err, n, "unknown placement '%s' (compact or scatter)", v);
			return -EINVAL;
		}
		o->placement = v;
		return 0;
	}
	if ((v = opt_value(arg, "--seed"))) {
		if (parse_ulong(v, 0, ~0UL, &u)) {
			snprintf(err, n, "bad seed '%s'", v);
			return -EINVAL;
		}
		o->seed = u;
		return 0;
	}
	if ((v = opt_value(arg, "--json"))) {
		if (!*v) {
			snprintf(err, n, "empty --json file name");
			return -EINVAL;
		}
		o->json = v;
		return 0;
	}
	snprintf(err, n, "unknown option '%s' (see --help)", arg);
	return -EINVAL;
}

int fl_parse_args(int argc, char **argv, struct fl_options *o, char *err, size_t errlen)
{
	int i, r;

	memset(o, 0, sizeof(*o));
	o->duration = 0.25;
	o->placement = "compact";
	o->slots = 4096;
	o->seed = 1;
	o->gb_argv = calloc((size_t)argc + 4, sizeof(char *));
	if (!o->gb_argv) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	o->gb_argv[o->gb_argc++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--benchmark_", 12)) {
			o->gb_min_time |= !strncmp(argv[i], "--benchmark_min_time", 20);
			o->gb_out |= !strncmp(argv[i], "--benchmark_out=", 16);
			o->gb_argv[o->gb_argc++] = argv[i];
			continue;
		}
		if ((r = parse_one(o, argv[i], err, errlen)))
			return r;
	}
	if (!o->nr_strategies)
		strategy_item(o, "all", err, errlen);
	if (!o->nr_mixes)
		mix_item(o, "all", err, errlen);
	if (o->json && o->gb_out) {
		snprintf(err, errlen, "use --json or --benchmark_out, not both");
		return -EINVAL;
	}
	return 0;
}

void fl_options_fini(struct fl_options *o)
{
	free(o->gb_argv);
	o->gb_argv = NULL;
}

int fl_check_cpus(struct fl_options *o, unsigned avail, char *err, size_t errlen)
{
	unsigned i, c;

	if (!o->nr_cpus) {
		for (c = 1; c < avail && o->nr_cpus < FL_MAX_POINTS - 1; c *= 2)
			o->cpus[o->nr_cpus++] = c;
		o->cpus[o->nr_cpus++] = avail;
	}
	for (i = 0; i < o->nr_cpus; i++) {
		if (o->cpus[i] > avail && !o->oversubscribe) {
			snprintf(err, errlen,
				 "%u CPUs requested but only %u usable (add --oversubscribe to allow it)",
				 o->cpus[i], avail);
			return -EINVAL;
		}
	}
	return 0;
}
