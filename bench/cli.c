// SPDX-License-Identifier: GPL-2.0
/*
 * The option-table parser and help writer (see cli.h), the option kinds
 * the binaries share, and the options of faultline and faultline-stress.
 * It uses nothing but the strategy registry, so faultline-emu, which links
 * the emulated objects only, compiles it into emu/main.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define HELP_INDENT	2
#define SYNOPSIS_WIDTH	80

static const struct fl_opt *find_opt(const struct fl_cmd *cmd, const char *arg,
				     const char **val)
{
	const char *name, *eq;
	size_t len;
	unsigned i;

	*val = NULL;
	if (arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2]) {
		for (i = 0; i < cmd->nr_opts; i++)
			if (cmd->opts[i].short_name == arg[1])
				return &cmd->opts[i];
		return NULL;
	}
	if (strncmp(arg, "--", 2) || !arg[2])
		return NULL;
	name = arg + 2;
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	for (i = 0; i < cmd->nr_opts; i++) {
		const struct fl_opt *o = &cmd->opts[i];
		size_t n = strlen(o->name);

		if (o->prefix ? !strncmp(name, o->name, n) :
				len == n && !strncmp(name, o->name, n)) {
			*val = o->prefix ? arg : eq ? eq + 1 : NULL;
			return o;
		}
	}
	return NULL;
}

int fl_cli_parse(const struct fl_cmd *cmd, int argc, char *const *argv, void *obj,
		 char *err, size_t errlen)
{
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const struct fl_opt *o = find_opt(cmd, arg, &val);
		int len = (int)strcspn(arg, "=");

		if (!o) {
			snprintf(err, errlen, "unknown option '%.200s' (see --help)", arg);
			return -EINVAL;
		}
		if (o->unused) {
			snprintf(err, errlen, "%.*s is not supported by %s: %s",
				 len > 100 ? 100 : len, arg, cmd->prog, o->unused);
			return -EINVAL;
		}
		if (!o->prefix && !o->metavar && val) {
			snprintf(err, errlen, "%.*s takes no value", len > 100 ? 100 : len, arg);
			return -EINVAL;
		}
		if (!o->prefix && o->metavar && !val) {
			snprintf(err, errlen, "--%s needs a value: --%s=%s", o->name, o->name,
				 o->metavar);
			return -EINVAL;
		}
		if ((r = o->parse(o, val, obj, err, errlen)))
			return r;
	}
	return 0;
}

/* "--name=METAVAR", "--benchmark_*"; with_short: "-h, --help" */
static int opt_label(const struct fl_opt *o, bool with_short, char *buf, size_t len)
{
	char sh[8] = "";

	if (o->short_name && with_short)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	if (o->prefix)
		return snprintf(buf, len, "%s--%s*", sh, o->name);
	return snprintf(buf, len, "%s--%s%s%s", sh, o->name, o->metavar ? "=" : "",
			o->metavar ? o->metavar : "");
}

FILE *fl_json_begin(const char *path, char *tmp, size_t tmplen, char *err, size_t errlen)
{
	FILE *f;

	if ((size_t)snprintf(tmp, tmplen, "%s.partial", path) >= tmplen) {
		snprintf(err, errlen, "path too long: %.200s...", path);
		return NULL;
	}
	f = fopen(tmp, "w");
	if (!f)
		snprintf(err, errlen, "cannot write %.400s: %s", tmp, strerror(errno));
	return f;
}

int fl_json_commit(FILE *f, const char *tmp, const char *path, char *err, size_t errlen)
{
	if (fclose(f) || rename(tmp, path)) {
		snprintf(err, errlen, "cannot write %.400s: %s", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

void fl_cli_list_strategies(FILE *f)
{
	unsigned i;

	fprintf(f, "strategies:\n");
	for (i = 0; i < fl_nr_strategies; i++)
		fprintf(f, "  %-16s %-8s %s\n", fl_strategies[i]->name,
			strategy_kind_name(fl_strategies[i]->kind), fl_strategies[i]->desc);
}

void fl_cli_synopsis(const struct fl_cmd *cmd, FILE *f)
{
	int indent = fprintf(f, "usage: %s", cmd->prog), col = indent;
	char label[80];
	unsigned i;

	for (i = 0; i < cmd->nr_opts; i++) {
		const struct fl_opt *o = &cmd->opts[i];
		int n;

		if (!o->help || o->unused)
			continue;
		n = opt_label(o, false, label, sizeof(label));
		if (col + n + 3 > SYNOPSIS_WIDTH)
			col = fprintf(f, "\n%*s", indent, "") - 1;
		col += fprintf(f, " [%s]", label);
	}
	fputc('\n', f);
}

void fl_cli_help(const struct fl_cmd *cmd, const void *defaults, FILE *f)
{
	char label[80], def[64];
	const char *p;
	int width = 0, n;
	unsigned i, nr_unused = 0;

	for (i = 0; i < cmd->nr_opts; i++) {
		n = opt_label(&cmd->opts[i], true, label, sizeof(label));
		if (cmd->opts[i].help && !cmd->opts[i].unused && n > width)
			width = n;
	}
	width += HELP_INDENT + 3;
	for (i = 0; i < cmd->nr_opts; i++) {
		const struct fl_opt *o = &cmd->opts[i];

		if (o->unused) {
			nr_unused++;
			continue;
		}
		if (!o->help)
			continue;
		opt_label(o, true, label, sizeof(label));
		fprintf(f, "%*s%-*s", HELP_INDENT, "", width - HELP_INDENT, label);
		for (p = o->help; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "%*s", width, "");
		}
		if (o->show && defaults) {
			o->show(o, defaults, def, sizeof(def));
			fprintf(f, " (default %s)", def);
		}
		fputc('\n', f);
	}
	if (!nr_unused)
		return;
	fprintf(f, "Rejected, as they would do nothing here:");
	for (i = 0, n = 0; i < cmd->nr_opts; i++) {
		if (!cmd->opts[i].unused)
			continue;
		opt_label(&cmd->opts[i], true, label, sizeof(label));
		fprintf(f, " %s%s", label, ++n == (int)nr_unused ? ".\n" : ",");
	}
}

int fl_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

int fl_opt_flag(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t errlen)
{
	(void)val, (void)err, (void)errlen;
	*FL_OPT_FIELD(obj, opt->off, bool) = true;
	return 0;
}

int fl_opt_unsigned(const struct fl_opt *opt, const char *val, void *obj, char *err,
		    size_t errlen)
{
	unsigned long v;

	if (fl_parse_ulong(val, opt->lo, opt->hi, &v)) {
		snprintf(err, errlen, "bad --%s '%.100s' (an integer, %lu..%lu)", opt->name, val,
			 opt->lo, opt->hi);
		return -EINVAL;
	}
	*FL_OPT_FIELD(obj, opt->off, unsigned) = (unsigned)v;
	return 0;
}

int fl_opt_u64(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t errlen)
{
	unsigned long long v = 0;
	char *end = NULL;
	bool digit = *val >= '0' && *val <= '9';

	errno = 0;
	if (digit)
		v = strtoull(val, &end, 10);
	if (!digit || errno || *end) {
		snprintf(err, errlen, "bad --%s '%.100s' (an integer, 0..%llu)", opt->name, val,
			 (unsigned long long)UINT64_MAX);
		return -EINVAL;
	}
	*FL_OPT_FIELD(obj, opt->off, uint64_t) = v;
	return 0;
}

int fl_opt_double(const struct fl_opt *opt, const char *val, void *obj, char *err,
		  size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno || end == val || *end || !(v >= opt->dlo && v <= opt->dhi)) {
		snprintf(err, errlen, "bad --%s '%.100s' (%g..%g)", opt->name, val, opt->dlo,
			 opt->dhi);
		return -EINVAL;
	}
	*FL_OPT_FIELD(obj, opt->off, double) = v;
	return 0;
}

int fl_opt_string(const struct fl_opt *opt, const char *val, void *obj, char *err,
		  size_t errlen)
{
	if (!*val) {
		snprintf(err, errlen, "empty --%s (want --%s=%s)", opt->name, opt->name,
			 opt->metavar);
		return -EINVAL;
	}
	*FL_OPT_FIELD(obj, opt->off, const char *) = val;
	return 0;
}

int fl_opt_choice(const struct fl_opt *opt, const char *val, void *obj, char *err,
		  size_t errlen)
{
	const char *const *c;
	size_t n;

	for (c = opt->choices; *c; c++) {
		if (!strcmp(val, *c)) {
			*FL_OPT_FIELD(obj, opt->off, const char *) = *c;
			return 0;
		}
	}
	n = (size_t)snprintf(err, errlen, "unknown --%s value '%.100s' (want", opt->name, val);
	for (c = opt->choices; *c && n < errlen; c++)
		n += (size_t)snprintf(err + n, errlen - n, "%s%s", c == opt->choices ? " " : " or ",
				      *c);
	if (n < errlen)
		snprintf(err + n, errlen - n, ")");
	return -EINVAL;
}

void fl_opt_show_unsigned(const struct fl_opt *opt, const void *obj, char *buf, size_t len)
{
	snprintf(buf, len, "%u", *FL_OPT_FIELD(obj, opt->off, const unsigned));
}

void fl_opt_show_u64(const struct fl_opt *opt, const void *obj, char *buf, size_t len)
{
	snprintf(buf, len, "%llu",
		 (unsigned long long)*FL_OPT_FIELD(obj, opt->off, const uint64_t));
}

void fl_opt_show_double(const struct fl_opt *opt, const void *obj, char *buf, size_t len)
{
	snprintf(buf, len, "%g", *FL_OPT_FIELD(obj, opt->off, const double));
}

int fl_opt_each(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t errlen,
		int (*fn)(const struct fl_opt *opt, const char *item, void *obj, char *err,
			  size_t errlen))
{
	char item[64];
	const char *p = val;
	size_t len;
	int r;

	if (!*val) {
		snprintf(err, errlen, "empty --%s list", opt->name);
		return -EINVAL;
	}
	for (;;) {
		len = strcspn(p, ",");
		if (!len) {
			snprintf(err, errlen, "empty element in --%s list '%.100s'", opt->name,
				 val);
			return -EINVAL;
		}
		if (len >= sizeof(item)) {
			snprintf(err, errlen, "element of --%s too long: '%.40s...'", opt->name, p);
			return -EINVAL;
		}
		memcpy(item, p, len);
		item[len] = 0;
		if ((r = fn(opt, item, obj, err, errlen)))
			return r;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int add_strategy(const struct fl_opt *opt, void *obj, const struct strategy *s,
			char *err, size_t errlen)
{
	const struct strategy **v = FL_OPT_FIELD(obj, opt->off, const struct strategy *);
	unsigned *nr = FL_OPT_FIELD(obj, opt->off_nr, unsigned), i;

	for (i = 0; i < *nr; i++)
		if (v[i] == s)
			return 0;
	if (*nr == opt->hi) {
		snprintf(err, errlen, "too many strategies (at most %lu)", opt->hi);
		return -EINVAL;
	}
	v[(*nr)++] = s;
	return 0;
}

static int strategy_item(const struct fl_opt *opt, const char *name, void *obj, char *err,
			 size_t errlen)
{
	const struct strategy *s = strategy_find(name);
	bool all = !strcmp(name, "all");
	unsigned i;
	size_t n;
	int r;

	if (s)
		return add_strategy(opt, obj, s, err, errlen);
	if (!all && strcmp(name, "correct") && strcmp(name, "control")) {
		n = (size_t)snprintf(err, errlen, "unknown strategy '%s' (want", name);
		for (i = 0; i < fl_nr_strategies && n < errlen; i++)
			n += (size_t)snprintf(err + n, errlen - n, " %s,", fl_strategies[i]->name);
		if (n < errlen)
			snprintf(err + n, errlen - n, " all, correct or control)");
		return -EINVAL;
	}
	for (i = 0; i < fl_nr_strategies; i++) {
		s = fl_strategies[i];
		if (all || !strcmp(name, strategy_kind_name(s->kind)))
			if ((r = add_strategy(opt, obj, s, err, errlen)))
				return r;
	}
	return 0;
}

int fl_opt_strategies(const struct fl_opt *opt, const char *val, void *obj, char *err,
		      size_t errlen)
{
	return fl_opt_each(opt, val, obj, err, errlen, strategy_item);
}

void fl_strategies_default(const struct strategy **v, unsigned *nr, unsigned cap)
{
	unsigned i;

	if (*nr)
		return;
	for (i = 0; i < fl_nr_strategies && i < cap; i++)
		v[i] = fl_strategies[i];
	*nr = i;
}

static int cpus_item(const struct fl_opt *opt, const char *item, void *obj, char *err,
		     size_t errlen)
{
	unsigned *v = FL_OPT_FIELD(obj, opt->off, unsigned);
	unsigned *nr = FL_OPT_FIELD(obj, opt->off_nr, unsigned);
	unsigned long lo, hi, c;
	char buf[64], *dash;

	snprintf(buf, sizeof(buf), "%s", item);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (fl_parse_ulong(buf, 1, FL_MAX_THREADS, &lo) ||
	    fl_parse_ulong(dash ? dash + 1 : buf, 1, FL_MAX_THREADS, &hi) || hi < lo) {
		snprintf(err, errlen, "bad CPU count '%s' (want N or A-B, 1..%d)", item,
			 FL_MAX_THREADS);
		return -EINVAL;
	}
	for (c = lo; c <= hi; c++) {
		if (*nr == opt->hi) {
			snprintf(err, errlen, "too many CPU counts (at most %lu)", opt->hi);
			return -EINVAL;
		}
		v[(*nr)++] = (unsigned)c;
	}
	return 0;
}

int fl_opt_cpus(const struct fl_opt *opt, const char *val, void *obj, char *err, size_t errlen)
{
	*FL_OPT_FIELD(obj, opt->off_nr, unsigned) = 0;	/* the last --cpus counts */
	return fl_opt_each(opt, val, obj, err, errlen, cpus_item);
}

void fl_options_init(struct fl_options *o)
{
	memset(o, 0, sizeof(*o));
	o->duration = 0.25;
	o->placement = "compact";
	o->ptl = "split";
	o->lock = fl_lock_names[FL_LOCK_DEFAULT];
	o->slots = 4096;
	o->seed = 1;
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
