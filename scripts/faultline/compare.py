"""Compare two faultline runs the way LKP/0-day reports do (%change, %stddev).

usage: scripts/compare.py [--text] A B
A (base) and B (new) are results directories or bench.json files, possibly
from different hosts. Markdown by default, LKP-style plain text with --text.
A change is flagged only when the repetitions of the two sides do not overlap,
a two-sided Mann-Whitney U test gives p < 0.05 and each side has at least 5
repetitions. Bad input: one error line naming the file, exit 2.
"""
import argparse
import sys

from . import ResultError, load, stats

METRICS = ("ops_per_s", "gups_per_s", "faults_per_s", "publishes_per_s", "ns_per_op",
           "violations", "cpu_share")
BETTER = {"ns_per_op": -1, "violations": -1, "cpu_share": 0}  # others: higher is better
MIN_REPS = stats.MIN_REPETITIONS
ALPHA = 0.05
BIG = 5.0          # |%change| from which an unflagged change says why
SHOW_STDDEV = 2.0  # LKP shows ±N% only above 2%
def point_id(key):
    mix, strategy, cpus = key
    return f"{mix}/{strategy}@{cpus}"


def fmt(v):
    if abs(v) >= 1e4 or v == int(v):
        return f"{v:.0f}"
    return f"{v:.4g}"


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
    return {"metric": metric, "point": point_id(key), "base": base, "new": new,
            "sd_a": stats.cv(a) * 100, "sd_b": stats.cv(b) * 100, "change": change_text,
            "big": big, "flagged": flagged, "p": p, "why": why,
            "direction": direction(metric, new - base)}


def direction(metric, delta):
    sign = BETTER.get(metric, 1)
    if sign == 0 or delta == 0:
        return "change"
    return "improvement" if sign * delta > 0 else "regression"


def compare(a, b):
    """(rows, keys only in a, keys only in b)."""
    keys = [k for k in a.points if k in b.points]
    rows = [row(m, k, a.points[k], b.points[k]) for m in METRICS for k in keys]
    only_a = [k for k in a.points if k not in b.points]
    only_b = [k for k in b.points if k not in a.points]
    return [r for r in rows if r], only_a, only_b


def note(r):
    if r["flagged"]:
        return f"CHANGED: {r['direction']}, p={r['p']:.2g}"
    if r["big"]:
        return "not flagged: " + "; ".join(r["why"])
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
            f"flagged says why. Rows where a metric is 0 on both sides are left out.")


def lists(only_a, only_b):
    out = []
    if only_a:
        out.append(("Points only in A (base)", [point_id(k) for k in only_a]))
    if only_b:
        out.append(("Points only in B (new)", [point_id(k) for k in only_b]))
    return out


def markdown(a, b, rows, only_a, only_b):
    out = ["# faultline compare", "",
           f"- **A (base)**: `{a.path}`: {describe(a)}",
           f"- **B (new)**: `{b.path}`: {describe(b)}"]
    diff = differing_context(a, b)
    if diff:
        out.append(f"- Context differs in: {', '.join(diff)}"
                   + (" (cross-host comparison)" if "host_name" in diff else ""))
    out += ["", rules_text(), "", "## Flagged changes", ""]
    flagged = [r for r in rows if r["flagged"]]
    out += [f"- {r['point']} {r['metric']}: {r['change']} ({fmt(r['base'])} -> "
            f"{fmt(r['new'])}), {r['direction']}, p={r['p']:.2g}" for r in flagged] or ["None."]
    for metric in METRICS:
        mrows = [r for r in rows if r["metric"] == metric]
        if not mrows:
            continue
        out += ["", f"## {metric}", "",
                "| point | A median | %stddev | %change | B median | %stddev | note |",
                "|---|--:|--:|--:|--:|--:|---|"]
        out += [f"| {r['point']} | {fmt(r['base'])} | {stddev(r['sd_a'])} | {r['change']} | "
                f"{fmt(r['new'])} | {stddev(r['sd_b'])} | {note(r)} |" for r in mrows]
    for title, names in lists(only_a, only_b):
        out += ["", f"## {title}", "", ", ".join(names)]
    return "\n".join(out) + "\n"


def text(a, b, rows, only_a, only_b):
    out = ["faultline compare",
           f"A (base): {a.path}", f"  {describe(a)}",
           f"B (new):  {b.path}", f"  {describe(b)}"]
    diff = differing_context(a, b)
    if diff:
        out.append(f"context differs in: {', '.join(diff)}"
                   + (" (cross-host comparison)" if "host_name" in diff else ""))
    out += ["", rules_text(), "",
            f"{side_label(a, b)[0]:>16} {side_label(a, b)[1]:>27}",
            "---------------- ---------------------------",
            "         %stddev     %change         %stddev",
            "             \\          |                \\"]
    for i, r in enumerate(rows):
        if i and r["metric"] != rows[i - 1]["metric"]:
            out.append("")
        left = f"{fmt(r['base']):>10} {lkp_stddev(r['sd_a']):>5}"
        right = f"{fmt(r['new']):>10} {lkp_stddev(r['sd_b']):>5}"
        line = f"{left} {r['change']:>11} {right}  {r['point']}.{r['metric']}"
        out.append(line + (f"  [{note(r)}]" if note(r) else ""))
    for title, names in lists(only_a, only_b):
        out += ["", f"{title}:", "  " + ", ".join(names)]
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--text", action="store_true", help="plain text (LKP layout)")
    ap.add_argument("a", metavar="A", help="base run: results directory or bench.json")
    ap.add_argument("b", metavar="B", help="new run: results directory or bench.json")
    args = ap.parse_args(argv[1:])
    try:
        a, b = load.load_runs([args.a, args.b])
    except ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    rows, only_a, only_b = compare(a, b)
    sys.stdout.write((text if args.text else markdown)(a, b, rows, only_a, only_b))
    return 0
