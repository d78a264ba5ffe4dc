"""Compare faultline results: runs against runs, or strategies within one run.

usage: scripts/compare.py [--mix=M] [--strategy=S] [--cpus=C] [--text|--markdown] [A B]
       scripts/compare.py --within --strategy=REF,X[,...] [--mix=M] [--cpus=C]
                          [--markdown] [RUN]

Runs against runs: A (base) and B (new) are results directories or bench.json
files, possibly from different hosts; without them, the two newest runs under
results/ (--results DIR), the older as A. A change is flagged only when the
repetitions of the two sides do not overlap, a two-sided Mann-Whitney U test
gives p < 0.05 and each side has at least 5 repetitions.

Within one run (--within): the rate of each strategy of --strategy against the
first one's (the reference), per mix and CPU count: the median of the per-pass
ratios with its distribution-free CI (faultline.stats.ratio_ci); faster or
slower only when the CI excludes 1 with at least 5 passes. RUN: default the
newest run under results/.

Filters: --mix= and --strategy= take names (and for strategies the kinds
correct, control, baseline) separated by commas, --cpus= counts and ranges
(1,2 or 1-8). Output: a table of at most 100 columns in M/s and ns/op by
default; --markdown: Markdown (runs: LKP-style %change tables per metric);
--text: LKP's plain layout (runs only). The verdict lines carry the caveats: a
SLOWDOWN of a run (its empty loop or a reference point got slower between
passes, or between the runs on one host) and noisy points (a repetition below
the CPU-share threshold). Bad input or arguments: one `faultline: error:` line,
exit 2.
"""
import argparse
import os
import sys
import textwrap

from . import ROOT, ResultError, load, stats
from .text import cpu_counts, union

METRICS = ("ops_per_s", "gups_per_s", "faults_per_s", "publishes_per_s", "ns_per_op",
           "violations", "cpu_share")
BETTER = {"ns_per_op": -1, "violations": -1, "cpu_share": 0}  # others: higher is better
MIN_REPS = stats.MIN_REPETITIONS
ALPHA = 0.05
BIG = 5.0          # |%change| from which an unflagged change says why
SHOW_STDDEV = 2.0  # LKP shows ±N% only above 2%
WIDTH = 100        # the terminal output's widest line
MAX_VERDICTS = 12  # flagged points spelled out in the terminal's verdict lines
RESULTS = os.path.join(ROOT, "results")


def point_id(key):
    mix, strategy, cpus = key
    return f"{mix}/{strategy}@{cpus}"


# ---------------------------------------------------------------- units

def human(x):
    """A number to about 4 significant digits, no exponent: 1234, 182.7, 11.59, 0.981."""
    if x != x:  # NaN
        return "nan"
    a = abs(x)
    if a >= 1000 or x == int(x):
        return f"{x:.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def is_rate(metric):
    return metric.endswith("_per_s")


def unit_of(metric):
    """The unit a metric is printed in."""
    return "M/s" if is_rate(metric) else "ns/op" if metric == "ns_per_op" else ""


def fmt(v, metric=None):
    """A metric's value in its printed unit: rates in millions per second."""
    return human(v / 1e6 if metric and is_rate(metric) else v)


def wrap(text, indent="    "):
    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False)


# ---------------------------------------------------------------- run against run

def judge(a, b):
    """(flagged, p, why-not reasons) for the repetitions a (base) and b (new)."""
    p = stats.mann_whitney_p(a, b)
    why = []
    if len(a) < MIN_REPS or len(b) < MIN_REPS:
        why.append(f"fewer than {MIN_REPS} repetitions ({len(a)} vs {len(b)})")
    if not stats.separated(a, b):
        why.append("repetitions overlap")
    if not p < ALPHA:
        why.append(f"Mann-Whitney p={p:.2g} >= {ALPHA}")
    return not why, p, why


def short_why(why):
    """The first reason a change is not flagged, in a few characters."""
    first = why[0] if why else ""
    if first.startswith("fewer"):
        return f"n<{MIN_REPS}"
    if first.startswith("repetitions overlap"):
        return "overlap"
    return first.replace("Mann-Whitney ", "").split(" >=")[0]


def row(metric, key, a_reps, b_reps):
    a = [r[metric] for r in a_reps if metric in r]
    b = [r[metric] for r in b_reps if metric in r]
    if not a or not b or not any(a + b):
        return None
    base, new = stats.median(a), stats.median(b)
    flagged, p, why = judge(a, b)
    if base:
        change = (new - base) / abs(base) * 100
        change_text, big = f"{change:+.1f}%", abs(change) >= BIG
    else:
        change_text, big = f"{new - base:+g} abs", new != base
    return {"metric": metric, "key": key, "point": point_id(key), "base": base, "new": new,
            "sd_a": stats.cv(a) * 100, "sd_b": stats.cv(b) * 100, "change": change_text,
            "big": big, "flagged": flagged, "p": p, "why": why,
            "direction": direction(metric, new - base),
            "same_as_ops": metric != "ops_per_s" and a == [r["ops_per_s"] for r in a_reps]
            and b == [r["ops_per_s"] for r in b_reps]}


def direction(metric, delta):
    sign = BETTER.get(metric, 1)
    if sign == 0 or delta == 0:
        return "change"
    return "improvement" if sign * delta > 0 else "regression"


def compare(a, b, keep=None):
    """(rows, keys only in a, keys only in b) of the points keep(key) accepts."""
    keep = keep or (lambda key: True)
    keys = [k for k in a.points if k in b.points and keep(k)]
    rows = [row(m, k, a.points[k], b.points[k]) for m in METRICS for k in keys]
    only_a = [k for k in a.points if k not in b.points and keep(k)]
    only_b = [k for k in b.points if k not in a.points and keep(k)]
    return [r for r in rows if r], only_a, only_b


def note(r):
    if r["flagged"]:
        return f"CHANGED: {r['direction']}, p={r['p']:.2g}"
    if r["big"]:
        return "not flagged: " + "; ".join(r["why"])
    return ""


def short_note(r):
    if r["flagged"]:
        return f"CHANGED {r['direction']} p={r['p']:.2g}"
    if r["big"]:
        return "not flagged: " + short_why(r["why"])
    return ""


def stddev(v):
    return f"±{v:.0f}%" if v > SHOW_STDDEV else ""


def lkp_stddev(v):
    return f"±{v:3.0f}%" if v > SHOW_STDDEV else ""


def describe(run):
    c = run.ctx
    reps = sorted({len(v) for v in run.points.values()})
    reps = f"{reps[0]}" if len(reps) == 1 else f"{reps[0]}-{reps[-1]}"
    return (f"{run.label}, {c['cpu_model']}, {c['kernel']}, {c['compiler']}, "
            f"rev {c['faultline_git_rev']}, {reps} repetitions, sweep {run.sweep_text()}")


def side_label(a, b):
    """Column heads as LKP prints them: the revisions, or the hosts if revisions match."""
    ra, rb = a.ctx["faultline_git_rev"], b.ctx["faultline_git_rev"]
    return (ra, rb) if ra != rb else (a.label, b.label)


def differing_context(a, b):
    return [k for k in load.COMPARED_CONTEXT if a.ctx.get(k) != b.ctx.get(k)]


def rules_text():
    return (f"A change is flagged only when the repetitions of the two sides do not overlap, "
            f"a two-sided Mann-Whitney U test gives p < {ALPHA} and each side has at least "
            f"{MIN_REPS} repetitions. Medians over repetitions; %stddev (sample stddev / mean) "
            f"is shown only above {SHOW_STDDEV:g}%; a change of {BIG:g}% or more that is not "
            f"flagged says why. Rows where a metric is 0 on both sides are left out. Rates "
            f"in M/s (millions per second), ns_per_op in ns per operation and thread.")


def lists(only_a, only_b):
    out = []
    if only_a:
        out.append(("Points only in A (base)", [point_id(k) for k in only_a]))
    if only_b:
        out.append(("Points only in B (new)", [point_id(k) for k in only_b]))
    return out


# ---------------------------------------------------------------- caveats

def noisy_text(run, reps):
    """'least CPU share 0.62 in 1/5 repetitions', or None when no repetition is noisy."""
    n = sum(1 for r in reps if r["cpu_share_min"] < run.noisy)
    if not n:
        return None
    return (f"least CPU share {min(r['cpu_share_min'] for r in reps):.2f} in "
            f"{n}/{len(reps)} repetitions")


def least_share(run, reps):
    return min(r["cpu_share_min"] for r in reps)


def noisy_list(items, limit=4):
    """items: [(label, least CPU share, text)]: each spelled out, or past
    `limit` a count with the range of the least shares."""
    if len(items) <= limit:
        return "; ".join(f"{label} ({text})" for label, _, text in items)
    shares = [x for _, x, _ in items]
    return (f"{len(items)} points, least CPU share {min(shares):.2f}..{max(shares):.2f} "
            f"(marked ! in the table)")


def noisy_sides(a, b, key):
    """[('A', text), ('B', text)] for the sides of a point with a noisy repetition."""
    out = []
    for side, run in (("A", a), ("B", b)):
        text = noisy_text(run, run.points.get(key, []))
        if text:
            out.append((side, text))
    return out


def gauge_between(a, b):
    """SLOWDOWN between two runs of one host: the median empty loop, or a mix's
    baseline@1, more than stats.SLOWDOWN_LIMIT slower in one run than in the other."""
    if a.ctx.get("host_name") != b.ctx.get("host_name"):
        return []
    out = []
    ea, eb = a.empty_loop(), b.empty_loop()
    if ea and eb:
        ma, mb = stats.median(list(ea.values())), stats.median(list(eb.values()))
        if ma > 0 and mb > 0 and max(ma, mb) / min(ma, mb) > stats.SLOWDOWN_LIMIT:
            slow, fast = ("B", "A") if mb > ma else ("A", "B")
            out.append(f"the empty loop ran {max(ma, mb) / min(ma, mb):.1f}x slower in {slow} "
                       f"than in {fast} on the same host: the machine, not the code, may "
                       f"explain the changes")
    for key in a.points:
        mix, s, cpus = key
        if cpus != 1 or a.points[key][0].get("label") != "baseline" or key not in b.points:
            continue
        ma = stats.median([r["ops_per_s"] for r in a.points[key]])
        mb = stats.median([r["ops_per_s"] for r in b.points[key]])
        if ma > 0 and mb > 0 and max(ma, mb) / min(ma, mb) > stats.SLOWDOWN_LIMIT:
            slow = "B" if mb < ma else "A"
            out.append(f"the reference point {point_id(key)} (one thread, no synchronisation) "
                       f"ran {max(ma, mb) / min(ma, mb):.1f}x slower in {slow} on the same "
                       f"host: the machine, not the code, may explain the changes")
    return out


def slowdown_caveats(a, b):
    """SLOWDOWN caveats of two runs: each run's own, then between them."""
    out = [f"SLOWDOWN in {side}: {f['text']}" for side, run in (("A", a), ("B", b))
           for f in run.slowdowns()]
    return out + [f"SLOWDOWN: {t}" for t in gauge_between(a, b)]


def point_caveats(a, b, key, slowdown):
    out = [f"noisy in {side} ({text})" for side, text in noisy_sides(a, b, key)]
    return out + (["SLOWDOWN (see above)"] if slowdown else [])


# ---------------------------------------------------------------- renderers: runs

def markdown(a, b, rows, only_a, only_b):
    caveats = slowdown_caveats(a, b)
    out = ["# faultline compare", "",
           f"- **A (base)**: `{a.path}`: {describe(a)}",
           f"- **B (new)**: `{b.path}`: {describe(b)}"]
    diff = differing_context(a, b)
    if diff:
        out.append(f"- Context differs in: {', '.join(diff)}"
                   + (" (cross-host comparison)" if "host_name" in diff else ""))
    out += ["", rules_text(), "", "## Flagged changes", ""]
    flagged = [r for r in rows if r["flagged"]]
    lines = []
    for r in flagged:
        cav = point_caveats(a, b, r["key"], caveats)
        lines.append(f"- {r['point']} {r['metric']}: {r['change']} ({fmt(r['base'], r['metric'])}"
                     f" -> {fmt(r['new'], r['metric'])} {unit_of(r['metric'])}".rstrip()
                     + f"), {r['direction']}, p={r['p']:.2g}"
                     + (f"; caveat: {'; '.join(cav)}" if cav else ""))
    out += lines or ["None."]
    noisy = [(point_id(k), s, t) for k in union([[r["key"] for r in rows]])
             for s, t in noisy_sides(a, b, k)]
    if caveats or noisy:
        out += ["", "## Caveats", ""]
        out += [f"- **{c}**" for c in caveats]
        out += [f"- {p} noisy in {s}: {t}" for p, s, t in noisy]
    for metric in METRICS:
        mrows = [r for r in rows if r["metric"] == metric]
        if not mrows:
            continue
        unit = unit_of(metric)
        out += ["", f"## {metric}", ""] + ([f"In {unit}.", ""] if unit else []) + [
            "| point | A median | %stddev | %change | B median | %stddev | note |",
            "|---|--:|--:|--:|--:|--:|---|"]
        for r in mrows:
            text = note(r)
            noisy_here = [f"noisy in {s}" for s, _ in noisy_sides(a, b, r["key"])]
            if noisy_here and (r["flagged"] or r["big"]):
                text += f" (caveat: {', '.join(noisy_here)})"
            out.append(f"| {r['point']} | {fmt(r['base'], metric)} | {stddev(r['sd_a'])} | "
                       f"{r['change']} | {fmt(r['new'], metric)} | {stddev(r['sd_b'])} | "
                       f"{text} |")
    for title, names in lists(only_a, only_b):
        out += ["", f"## {title}", "", ", ".join(names)]
    return "\n".join(out) + "\n"


def text(a, b, rows, only_a, only_b):
    out = ["faultline compare",
           f"A (base): {a.path}", *wrap(f"  {describe(a)}"),
           f"B (new):  {b.path}", *wrap(f"  {describe(b)}")]
    diff = differing_context(a, b)
    if diff:
        out += wrap(f"context differs in: {', '.join(diff)}"
                    + (" (cross-host comparison)" if "host_name" in diff else ""))
    out += [""] + wrap(rules_text(), "") + [""]
    out += [f"caveat: {line}" for c in slowdown_caveats(a, b) for line in [c]]
    out += [f"{side_label(a, b)[0][:16]:>16} {side_label(a, b)[1][:27]:>27}",
            "---------------- ---------------------------",
            "         %stddev     %change         %stddev",
            "             \\          |                \\"]
    for i, r in enumerate(rows):
        if i and r["metric"] != rows[i - 1]["metric"]:
            out.append("")
        left = f"{fmt(r['base'], r['metric']):>10} {lkp_stddev(r['sd_a']):>5}"
        right = f"{fmt(r['new'], r['metric']):>10} {lkp_stddev(r['sd_b']):>5}"
        line = f"{left} {r['change']:>11} {right}  {r['point']}.{r['metric']}"
        marks = "".join(f" !{s}" for s, _ in noisy_sides(a, b, r["key"]))
        tail = f"  [{short_note(r)}{marks}]" if short_note(r) or marks else ""
        if len(line + tail) > WIDTH:  # the note on a line of its own
            out += [line, f"{'':>40}{tail.strip()}"]
        else:
            out.append(line + tail)
    out += ["", f"!A, !B: noisy (a repetition below {a.noisy:.0%} CPU share) in A or B"]
    for title, names in lists(only_a, only_b):
        out += ["", f"{title}:"] + wrap("  " + ", ".join(names), "  ")
    return "\n".join(out) + "\n"


def row_verdict(r, a, b):
    """The verdict column of the terminal table: short, with the noisy marks."""
    if r["flagged"]:
        word = {"improvement": "BETTER", "regression": "WORSE"}.get(r["direction"], "CHANGED")
        v = f"{word} p={r['p']:.2g}"
    elif r["big"]:
        v = f"~ {short_why(r['why'])}"
    else:
        v = ""
    marks = "".join(side for side, _ in noisy_sides(a, b, r["key"]))
    return (v + (f" !{marks}" if marks else "")).strip()


def terminal(a, b, rows, only_a, only_b, filters=""):
    """The default output: verdict lines with their caveats, then one table per
    mix, one line per point, at most WIDTH columns."""
    out = ["faultline compare: B (new) against A (base)"]
    out += wrap(f"A: {a.path}: {describe(a)}") + wrap(f"B: {b.path}: {describe(b)}")
    diff = differing_context(a, b)
    if diff:
        out += wrap(f"context differs in: {', '.join(diff)}"
                    + (" (cross-host comparison)" if "host_name" in diff else ""))
    if filters:
        out.append(f"filters: {filters}")
    caveats = slowdown_caveats(a, b)
    ops = [r for r in rows if r["metric"] == "ops_per_s"]
    shown = [r for r in rows if r["flagged"] and r["metric"] != "ns_per_op"
             and not r["same_as_ops"]]
    regress = sum(1 for r in ops if r["flagged"] and r["direction"] == "regression")
    improve = sum(1 for r in ops if r["flagged"] and r["direction"] == "improvement")
    unflagged = sum(1 for r in ops if r["big"] and not r["flagged"])
    head = (f"verdict: {regress + improve} of {len(ops)} points changed in rate "
            f"({regress} regression{'s' if regress != 1 else ''}, {improve} "
            f"improvement{'s' if improve != 1 else ''})")
    if unflagged:
        head += (f"; {unflagged} change{'s' if unflagged != 1 else ''} of {BIG:g}% or more "
                 "not flagged")
    out += [""] + wrap(head)
    ns = {r["key"]: r for r in rows if r["metric"] == "ns_per_op"}
    by_point = {}
    for r in shown:
        by_point.setdefault(r["key"], []).append(r)
    lines = []
    for key, rs in by_point.items():
        first, others = rs[0], rs[1:]
        mix = key[0]
        label = (a.unit(mix) if mix in a.mixes() else b.unit(mix)) \
            if first["metric"] == "ops_per_s" else first["metric"]
        n = ns.get(key) if first["metric"] == "ops_per_s" else None
        also = f"; {fmt(n['base'])} -> {fmt(n['new'])} ns/op" if n else ""
        m = first["metric"]
        line = (f"  {first['point']}: {first['change']} {label} ({fmt(first['base'], m)} -> "
                f"{fmt(first['new'], m)} {unit_of(m)}".rstrip()
                + also + f"), {first['direction']}, p={first['p']:.2g}")
        if others:
            line += "; also " + ", ".join(f"{r['metric']} {r['change']}" for r in others)
        cav = point_caveats(a, b, key, caveats)
        lines.append((bool(noisy_sides(a, b, key)),
                      wrap(line + (f"; caveat: {'; '.join(cav)}" if cav else ""), "      ")))
    # Every flagged point with a noisy side is spelled out; the others up to MAX_VERDICTS.
    room = MAX_VERDICTS - sum(1 for noisy, _ in lines if noisy)
    spelled = []
    for noisy, w in lines:
        if noisy or room > 0:
            spelled.append(w)
            room -= 0 if noisy else 1
    for w in spelled:
        out += w
    if len(spelled) < len(lines):
        out.append(f"  ... and {len(lines) - len(spelled)} more flagged points (WORSE/BETTER "
                   "in the tables below)")
    viol = [(r, a.kind(r["key"][1]) or b.kind(r["key"][1])) for r in rows
            if r["metric"] == "violations"]
    for r, kind in viol:  # a correct strategy that violates is a bug: a line each
        if kind != "control":
            out += wrap(f"  VIOLATION: {kind} strategy {r['point']}: {fmt(r['base'])} -> "
                        f"{fmt(r['new'])} violations (median over repetitions)", "      ")
    controls = [f"{r['point']} {fmt(r['base'])} -> {fmt(r['new'])}" for r, kind in viol
                if kind == "control"]
    if controls:
        out += wrap("  controls' violations (median, A -> B): " + ", ".join(controls), "      ")
    for c in caveats:
        out += wrap(f"  caveat: {c}", "      ")
    noisy = []
    for r in ops:
        sides = noisy_sides(a, b, r["key"])
        if sides:
            noisy.append((f"{point_id(r['key'])} in {' and '.join(side for side, _ in sides)}",
                          min(least_share(run, run.points[r["key"]]) for run in (a, b)),
                          "; ".join(t for _, t in sides)))
    if noisy:
        out += wrap("  caveat: noisy points (a repetition below "
                    f"{a.noisy:.0%} CPU share): " + noisy_list(noisy), "      ")
    out += wrap(f"rule: flagged when the repetitions do not overlap, Mann-Whitney p < {ALPHA} "
                f"and each side has >= {MIN_REPS} repetitions; ~ not flagged, with why; "
                f"!A/!B noisy in A/B")
    for mix in union([[r["key"][0] for r in ops], [k[0] for k in only_a + only_b]]):
        mrows = [r for r in ops if r["key"][0] == mix]
        if not mrows:
            continue
        unit = (a.unit(mix) if mix in a.mixes() else b.unit(mix))
        out += ["", f"[{mix}] {unit} in M/s and ns/op per thread: medians (±CV above "
                    f"{SHOW_STDDEV:g}%), change of the rate"]
        cells = [["strategy", "CPUs", "A M/s", "B M/s", "A ns/op", "B ns/op", "change",
                  "verdict"]]
        for r in mrows:
            n = ns.get(r["key"])
            cells.append([r["key"][1], str(r["key"][2]),
                          fmt(r["base"], "ops_per_s") + (f" {stddev(r['sd_a'])}" if stddev(
                              r["sd_a"]) else ""),
                          fmt(r["new"], "ops_per_s") + (f" {stddev(r['sd_b'])}" if stddev(
                              r["sd_b"]) else ""),
                          fmt(n["base"]) if n else "-", fmt(n["new"]) if n else "-",
                          r["change"], row_verdict(r, a, b)])
        out += table(cells, "<>>>>>><")
    for title, names in lists(only_a, only_b):
        out += [""] + wrap(f"{title}: " + ", ".join(names))
    return "\n".join(out) + "\n"


def table(cells, align):
    """Fixed-width rows: align is one '<' or '>' per column; the last column
    is not padded."""
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    out = []
    for r in cells:
        parts = [f"{c:{a}{w}}" for c, a, w in zip(r[:-1], align, widths)]
        out.append("  ".join(parts + [r[-1]]).rstrip())
    return out


# ---------------------------------------------------------------- within one run

def within(run, strategies, keep):
    """Rows of the within-run comparison: per mix, CPU count and strategy, its
    ratio to the reference (strategies[0]) and what decides the verdict."""
    ref = strategies[0]
    out = []
    for mix in run.mixes():
        for cpus in run.cpus(mix):
            base = run.points.get((mix, ref, cpus))
            for s in strategies:
                key = (mix, s, cpus)
                if key not in run.points or not keep(key):
                    continue
                reps = run.points[key]
                r = {"key": key, "strategy": s, "kind": run.kind(s) or "", "reps": reps,
                     "rate": stats.median([x["ops_per_s"] for x in reps]),
                     "ns": stats.median([x["ns_per_op"] for x in reps if "ns_per_op" in x]),
                     "cv": stats.cv([x["ops_per_s"] for x in reps]),
                     "ratio": None, "ref": s == ref}
                if base and s != ref:
                    r["ratio"] = stats.ratio_ci(reps, base)
                    sides = ((s, reps), (ref, base))
                else:
                    sides = ((s, reps),)
                # [(strategy, least share, text)] of this point and its reference, if noisy
                r["noisy"] = [(w, least_share(run, x), noisy_text(run, x)) for w, x in sides
                              if noisy_text(run, x)]
                r["viol"] = sum(x["violations"] for x in reps)
                out.append(r)
    return out


def ratio_verdict(r):
    """(word, detail) of one strategy against the reference."""
    q = r["ratio"]
    if r["ref"]:
        return "reference", ""
    if q is None:
        return "no reference", ""
    if q["conf"] is None:
        return "passes differ", "the passes do not match: min..max of all pairs, no CI"
    if q["n"] < MIN_REPS:
        return f"n<{MIN_REPS}", f"{q['n']} passes: CI only {q['conf']:.0%}"
    if q["lo"] > 1:
        return f"FASTER {(q['median'] - 1) * 100:+.1f}%", ""
    if q["hi"] < 1:
        return f"SLOWER {(q['median'] - 1) * 100:+.1f}%", ""
    return "same", "the CI contains 1"


def flags(r, run):
    f = ""
    if r["ratio"]:
        f += "p" if r["ratio"]["how"] == "per-pass" else "a"
    if r["noisy"]:
        f += "!"
    if r["cv"] > stats.CV_LIMIT:
        f += "~"
    if len(r["reps"]) < 2:
        f += "1"
    if r["viol"]:
        f += "V"
    return f


def ci_text(q):
    if q is None:
        return ""
    conf = f" {q['conf'] * 100:.0f}%" if q["conf"] is not None else " pairs"
    return f"[{q['lo']:.3f}, {q['hi']:.3f}]{conf}"


def within_verdicts(run, rows, ref):
    """The verdict lines: each separable comparison with its caveats, the rest
    summarised, then the run's SLOWDOWN."""
    out = []
    slow = run.slowdowns()
    for r in rows:
        word, _ = ratio_verdict(r)
        if not (word.startswith("FASTER") or word.startswith("SLOWER")):
            continue
        q = r["ratio"]
        mix, s, cpus = r["key"]
        cav = ["noisy: " + ", ".join(f"{w} ({t})" for w, _, t in r["noisy"])] \
            if r["noisy"] else []
        cav += ["SLOWDOWN (see below)"] if slow else []
        cav += [f"CV {r['cv'] * 100:.0f}%"] if r["cv"] > stats.CV_LIMIT else []
        out += wrap(f"  {mix}@{cpus}: {s} {q['median']:.3f}x {ref} {ci_text(q)} CI: "
                    f"{word.split()[0].lower()} by {abs(q['median'] - 1) * 100:.1f}%"
                    + (f"; caveat: {'; '.join(cav)}" if cav else ""), "      ")
    for word, what in (("same", "not separable from the reference (the CI contains 1)"),
                       (f"n<{MIN_REPS}", f"too few passes (< {MIN_REPS}) for a verdict"),
                       ("passes differ", "passes do not match: no CI")):
        names = [f"{r['key'][0]}@{r['key'][2]} {r['strategy']}" for r in rows
                 if ratio_verdict(r)[0] == word]
        if names:
            out += wrap(f"  {what}: {', '.join(names)}", "      ")
    noisy = [(f"{r['key'][0]}@{r['key'][2]} {w}", x, t) for r in rows
             if not ratio_verdict(r)[0].split()[0] in ("FASTER", "SLOWER")
             for w, x, t in r["noisy"]]
    noisy = list({label: (label, x, t) for label, x, t in noisy}.values())  # once per point
    if noisy:
        out += wrap(f"  caveat: noisy (a repetition below {run.noisy:.0%} CPU share): "
                    + noisy_list(noisy), "      ")
    for f in slow:
        out += wrap(f"  caveat: SLOWDOWN: {f['text']}; the per-pass ratios pair points of "
                    f"the same pass, not of the same seconds", "      ")
    return out


def within_cells(run, rows, mix):
    cells = [["strategy", "kind", "CPUs", "M/s", "ns/op", "ratio", "CI", "flags", "verdict"]]
    for r in rows:
        if r["key"][0] != mix:
            continue
        q = r["ratio"]
        cells.append([r["strategy"], r["kind"], str(r["key"][2]), fmt(r["rate"], "ops_per_s"),
                      fmt(r["ns"]) if r["ns"] == r["ns"] else "-",
                      "1" if r["ref"] else f"{q['median']:.3f}" if q else "-",
                      ci_text(q), flags(r, run), ratio_verdict(r)[0]])
    return cells


def within_text(run, rows, ref, filters="", markdown_out=False):
    n_passes = sorted({len(r["reps"]) for r in rows})
    conf = stats.median_interval(list(range(n_passes[0])))[2] if n_passes else 0
    title = f"faultline compare: strategies within one run, each against {ref}"
    legend = (f"ratio: median of the per-pass ratios of the rate (M/s) to {ref}; CI: "
              f"distribution-free CI of that median ({conf:.0%} with {n_passes[0]} passes; "
              f"95% from 6); flags: p paired by pass, a all pairs (passes differ), ! noisy "
              f"(a repetition below {run.noisy:.0%} CPU share), ~ CV above "
              f"{stats.CV_LIMIT:.0%}, 1 a single repetition, V violations; FASTER/SLOWER "
              f"only when the CI excludes 1 with >= {MIN_REPS} passes")
    verdicts = within_verdicts(run, rows, ref)
    if markdown_out:
        out = [f"# {title}", "", f"- **Run**: `{run.path}`: {describe(run)}"]
        out += [f"- Filters: {filters}"] if filters else []
        out += ["", legend, "", "## Verdict", ""]
        out += [f"- {line.strip()}" for line in join_wrapped(verdicts)] or ["- Nothing."]
        for mix in union([[r["key"][0] for r in rows]]):
            cells = within_cells(run, rows, mix)
            out += ["", f"## {mix} ({run.unit(mix)})", "",
                    "| " + " | ".join(cells[0]) + " |",
                    "|---|---|" + "--:|" * (len(cells[0]) - 3) + "---|"]
            out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells[1:]]
        return "\n".join(out) + "\n"
    out = [title] + wrap(f"run: {run.path}: {describe(run)}")
    if filters:
        out.append(f"filters: {filters}")
    out += ["", "verdict:"] + (verdicts or ["  nothing to compare"])
    out += wrap(legend, "")
    for mix in union([[r["key"][0] for r in rows]]):
        out += ["", f"[{mix}] {run.unit(mix)} in M/s and ns/op per thread, against {ref}"]
        out += table(within_cells(run, rows, mix), "<<>>>><<<")
    return "\n".join(out) + "\n"


def join_wrapped(lines):
    """Wrapped verdict lines joined back into one line each."""
    out = []
    for line in lines:
        if line.startswith("      ") and out:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


# ---------------------------------------------------------------- arguments

class Usage(Exception):
    """A bad argument: the message is one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


def parse_cpus(text):
    """'1,2,4' or '1-8' (or both) -> a set of CPU counts; Usage otherwise."""
    try:
        return cpu_counts(text)
    except ValueError as e:
        raise Usage(str(e)) from None


def pick(runs, text, what):
    """The names --strategy= or --mix= gives, in the order given (kinds
    expanded in place, in the describe's order), checked against the runs'
    describe objects; Usage naming the bad one."""
    descs = [r.describe for r in runs]
    known = union(d.strategies if what == "strategy" else d.mixes for d in descs)
    kinds = union(d.kind_names for d in descs) if what == "strategy" else []
    out = []
    for name in text.split(","):
        if not name:
            raise Usage(f"--{what}={text}: empty {what} name")
        if name == "all" and what == "mix":
            out += known
        elif name in known:
            out.append(name)
        elif name in kinds:
            out += [s for s in known if any(d.kind(s) == name for d in descs)]
        else:
            raise Usage(f"--{what}={text}: unknown {what} '{name}' (known: "
                        f"{', '.join(dict.fromkeys(known + kinds))})")
    return list(dict.fromkeys(out))


def parse(argv):
    ap = Parser(prog="compare.py", description=__doc__.strip().splitlines()[0],
                formatter_class=argparse.RawDescriptionHelpFormatter,
                epilog="\n".join(__doc__.strip().splitlines()[1:]))
    ap.add_argument("--within", action="store_true",
                    help="compare the strategies of --strategy within one run, against the first")
    ap.add_argument("--mix", help="mixes (names, comma-separated, or all)")
    ap.add_argument("--strategy", help="strategies: names or kinds, comma-separated (with "
                    "--within: the reference first)")
    ap.add_argument("--cpus", help="CPU counts: 1,2 or 1-8")
    form = ap.add_mutually_exclusive_group()
    form.add_argument("--text", action="store_true", help="LKP's plain layout (runs only)")
    form.add_argument("--markdown", action="store_true", help="Markdown")
    ap.add_argument("--results", default=RESULTS, metavar="DIR",
                    help="where the newest runs are looked for (default results/)")
    ap.add_argument("runs", nargs="*", metavar="RUN",
                    help="A B (runs against runs) or RUN (--within): results directories "
                         "or bench.json files")
    a = ap.parse_args(argv)
    if a.within:
        if len(a.runs) > 1:
            raise Usage(f"--within compares strategies within one run; got {len(a.runs)} runs")
        if a.text:
            raise Usage("--text is the LKP layout of runs against runs; not with --within")
        if not a.strategy:
            raise Usage("--within needs --strategy=REF,X[,...] (the reference first)")
    elif len(a.runs) not in (0, 2):
        raise Usage(f"give two runs (A B), or none for the two newest under results/; got "
                    f"{len(a.runs)} (--within compares strategies within one run)")
    for flag in ("mix", "strategy", "cpus"):
        v = getattr(a, flag)
        if v is not None and not v:
            raise Usage(f"--{flag}= is empty")
    return a


def filters_text(a):
    return " ".join(f"--{f}={getattr(a, f)}" for f in ("mix", "strategy", "cpus")
                    if getattr(a, f)) if not a.within else \
        " ".join(f"--{f}={getattr(a, f)}" for f in ("mix", "cpus") if getattr(a, f))


def keeper(runs, a):
    """(keep(key), strategies in the order given or None) from the filters."""
    mixes = set(pick(runs, a.mix, "mix")) if a.mix else None
    strategies = pick(runs, a.strategy, "strategy") if a.strategy else None
    cpus = parse_cpus(a.cpus) if a.cpus else None

    def keep(key):
        mix, s, c = key
        return ((mixes is None or mix in mixes) and (strategies is None or s in strategies)
                and (cpus is None or c in cpus))
    return keep, strategies


def main_runs(a):
    paths = a.runs or load.newest_runs(a.results, 2)
    ra, rb = load.load_runs(paths)
    keep, _ = keeper([ra, rb], a)
    rows, only_a, only_b = compare(ra, rb, keep)
    if not rows and not only_a and not only_b:
        raise Usage(f"no point of A or B matches {filters_text(a) or 'the runs'}"
                    if filters_text(a) else "A and B have no point in common")
    if a.markdown:
        return markdown(ra, rb, rows, only_a, only_b)
    if a.text:
        return text(ra, rb, rows, only_a, only_b)
    return terminal(ra, rb, rows, only_a, only_b, filters_text(a))


def main_within(a):
    path = a.runs[0] if a.runs else load.newest_run(a.results)
    run = load.load_run(path)
    keep, strategies = keeper([run], a)
    measured = set(run.strategy_names())
    named = [s for s in a.strategy.split(",") if s in run.describe.strategies]
    absent = [s for s in named if s not in measured]
    if absent:
        raise Usage(f"--strategy={a.strategy}: {', '.join(absent)} not measured in {run.path}")
    strategies = [s for s in strategies if s in measured]
    if len(strategies) < 2:
        raise Usage(f"--strategy={a.strategy}: --within needs at least two measured "
                    f"strategies (the reference first)")
    rows = within(run, strategies, keep)
    if not any(r["ratio"] for r in rows):
        raise Usage(f"no point of {strategies[0]} and another strategy in {run.path} matches "
                    f"{filters_text(a) or 'the run'}")
    return within_text(run, rows, strategies[0], filters_text(a), a.markdown)


def main(argv):
    try:
        a = parse(argv[1:])
        out = main_within(a) if a.within else main_runs(a)
    except Usage as e:
        print(f"faultline: error: compare: {e}", file=sys.stderr)
        return 2
    except ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(out)
    return 0
