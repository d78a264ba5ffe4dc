"""Paired comparisons: faultline-pair's samples -> one row per point and
strategy: the median throughput ratio to the base with its 95% interval and
p-value, the base's and the strategy's ns/op, the CPU the windows got.

Paired design: each round gives one ratio (the strategy's window over the
base's window of the same round, in random order); the row is the median of
those ratios, its distribution-free interval and the sign test's p-value.
Rounds in which either window was noisy (its least-served thread got less
of its CPU than the describe's noisy threshold) are left out and counted.
Sequential design (the old way, measured for comparison): the ratio of the
two arms' median windows, a bootstrap interval and a Mann-Whitney p-value.
"""
import json
import math
import os
import signal
import subprocess
import tempfile

from . import ResultError, ROOT
from . import stats

FIELDS = ["point", "round", "arm", "pos", "ops_per_s", "ns_per_op", "cpu_share_min",
          "violations"]
LAYOUT_FIELDS = FIELDS + ["layout"]   # a merged document: which link order ran it


def load(path):
    """A faultline-pair JSON document, checked; ResultError on anything else."""
    try:
        with open(path) as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as e:
        raise ResultError(f"{path}: {e}")
    if not isinstance(doc, dict) or doc.get("faultline_pair") != 1:
        raise ResultError(f"{path}: not a faultline-pair result (no \"faultline_pair\": 1)")
    for key in ("design", "arms", "points", "samples", "sample_fields", "faultline_describe"):
        if key not in doc:
            raise ResultError(f"{path}: no '{key}'")
    if doc["sample_fields"] not in (FIELDS, LAYOUT_FIELDS):
        raise ResultError(f"{path}: sample fields {doc['sample_fields']}, expected {FIELDS}")
    narms, npts, nf = len(doc["arms"]), len(doc["points"]), len(doc["sample_fields"])
    for s in doc["samples"]:
        if len(s) != nf or not (0 <= s[0] < npts and 0 <= s[2] < narms):
            raise ResultError(f"{path}: bad sample {s}")
    return doc


def merge(docs):
    """One document from runs of the same arms and points in different link
    orders (layouts): every sample tagged with its layout, rounds renumbered."""
    out = dict(docs[0], samples=[], sample_fields=LAYOUT_FIELDS, layouts=len(docs),
               rounds=0, elapsed_s=0.0, complete=True)
    for k, d in enumerate(docs):
        if [a["label"] for a in d["arms"]] != [a["label"] for a in out["arms"]] or \
                d["points"] != out["points"]:
            raise ResultError("layouts disagree on the strategies or points")
        out["samples"] += [s[:len(FIELDS)] + [k] for s in
                           ([x[:1] + [x[1] + out["rounds"]] + x[2:] for x in d["samples"]])]
        out["rounds"] += d["rounds"]
        out["elapsed_s"] += d["elapsed_s"]
        out["complete"] &= d.get("complete", True)
    return out


def measure(build, arms, budget, path, layouts=1, mixes=None, cpus=None, quiet=True,
            extra=(), seed=1, binary=None):
    """Run faultline-pair for `budget` seconds in all, split over `layouts`
    link orders (build/layout/faultline-pair.K, made here; 1: the plain
    binary, or `binary`), and write the merged document to path. Returns it. Ctrl-C goes
    to faultline-pair alone, which keeps its finished windows: the layouts
    run so far are merged, marked incomplete."""
    if layouts > 1:
        bins = [os.path.join(build, "layout", f"faultline-pair.{k}") for k in range(layouts)]
        # The targets spelled as $(BUILD)/layout/... with the same BUILD.
        r = subprocess.run(["make", "--no-print-directory", "-s", f"BUILD={build}"] + bins,
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode:
            raise ResultError(f"cannot build the layouts: {r.stdout.strip()[-300:]}")
    else:
        bins = [binary or os.path.join(build, "faultline-pair")]
    docs = []
    for k, b in enumerate(bins):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
            part = fh.name
        cmd = [b, f"--strategy={','.join(arms)}", f"--budget={budget / len(bins)}",
               f"--seed={seed + k}", f"--json={part}"] + (["--quiet"] if quiet else [])
        cmd += ([f"--mix={mixes}"] if mixes else []) + ([f"--cpus={cpus}"] if cpus else [])
        cmd += list(extra)
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)   # faultline-pair handles it
        try:
            rc = subprocess.call(cmd)
        finally:
            signal.signal(signal.SIGINT, old)
        if rc == 130 and os.path.exists(part):
            docs.append(load(part))
            os.remove(part)
            break
        if rc != 0:
            raise ResultError(f"{' '.join(cmd)}: exit {rc}")
        docs.append(load(part))
        os.remove(part)
    doc = merge(docs) if len(docs) > 1 else docs[0]
    with open(path + ".partial", "w") as fh:
        json.dump(doc, fh)
    os.replace(path + ".partial", path)
    return doc


def noisy_threshold(doc):
    return doc["faultline_describe"]["thresholds"]["noisy_cpu_share"]


def by_point_arm(doc):
    """{(point, arm): {round: sample dict}}"""
    out = {}
    for s in doc["samples"]:
        d = dict(zip(doc["sample_fields"], s))
        out.setdefault((d["point"], d["arm"]), {})[d["round"]] = d
    return out


def _row(doc, p, a, b, base, other):
    pt, arm = doc["points"][p], doc["arms"][a]
    row = {"mix": pt["mix"], "cpus": pt["cpus"], "label": arm["label"],
           "strategy": arm["strategy"], "kind": arm["kind"],
           "base": doc["arms"][b]["label"], "design": doc["design"]}
    thr = noisy_threshold(doc)
    if doc["design"] == "paired":
        rounds = sorted(set(base) & set(other))
        quiet = [r for r in rounds if base[r]["cpu_share_min"] >= thr
                 and other[r]["cpu_share_min"] >= thr]
        all_noisy = len(quiet) * 2 < len(rounds)
        use = [r for r in (rounds if all_noisy else quiet)
               if base[r]["ops_per_s"] > 0 and other[r]["ops_per_s"] > 0]
        ratios = [other[r]["ops_per_s"] / base[r]["ops_per_s"] for r in use]
        layouts = {}
        for r, x in zip(use, ratios):
            layouts.setdefault(base[r].get("layout", 0), []).append(x)
        if len(layouts) > 1:
            # Layout is a random effect: resample layouts, then rounds.
            ci, p = stats.cluster_bootstrap_median(list(layouts.values()))
        else:
            ci, p = stats.median_ci(ratios), stats.sign_test_p([math.log(x) for x in ratios])
        row.update(n=len(ratios), dropped=0 if all_noisy else len(rounds) - len(quiet),
                   noisy=len(rounds) - len(quiet), all_noisy=all_noisy,
                   ratio=stats.median(ratios) if ratios else math.nan,
                   ci=ci, p=p, layouts=len(layouts))
        bs, os_ = [base[r] for r in use], [other[r] for r in use]
    else:
        bs = [x for x in base.values() if x["cpu_share_min"] >= thr] or list(base.values())
        os_ = [x for x in other.values() if x["cpu_share_min"] >= thr] or list(other.values())
        a_ops, b_ops = [x["ops_per_s"] for x in bs], [x["ops_per_s"] for x in os_]
        row.update(n=min(len(a_ops), len(b_ops)), dropped=0,
                   noisy=len(base) + len(other) - len(bs) - len(os_), all_noisy=False,
                   ratio=stats.median(b_ops) / stats.median(a_ops) if a_ops and b_ops else math.nan,
                   ci=stats.bootstrap_ratio_ci(a_ops, b_ops),
                   p=stats.mann_whitney_p(a_ops, b_ops) if a_ops and b_ops else 1.0)
    row["base_ns"] = stats.median([x["ns_per_op"] for x in bs]) if bs else math.nan
    row["ns"] = stats.median([x["ns_per_op"] for x in os_]) if os_ else math.nan
    row["cpu_min"] = min([x["cpu_share_min"] for x in bs + os_], default=math.nan)
    row["violations"] = sum(x["violations"] for x in os_)
    row["flag"] = row["p"] < stats.FLAG_P
    return row


def analyze(doc, base=0):
    """One row per point and arm other than arm `base` (default the first),
    each against that arm, in point order then arm order."""
    groups = by_point_arm(doc)
    rows = []
    for p in range(len(doc["points"])):
        ref = groups.get((p, base), {})
        for a in range(len(doc["arms"])):
            if a != base:
                rows.append(_row(doc, p, a, base, ref, groups.get((p, a), {})))
    return rows


def pct(x):
    return "n/a" if x is None or math.isnan(x) else f"{(x - 1) * 100:+.1f}%"


def ci_text(ci):
    return "[n/a]" if not ci else f"[{pct(ci[0])}, {pct(ci[1])}]"


def p_text(p):
    return f"{p:.2g}" if p >= 0.001 else "<0.001"


def verdict(row):
    if row["all_noisy"]:
        return "noisy"
    if not row["flag"]:
        return "same"
    return "faster" if row["ratio"] > 1 else "slower"


def render(doc, rows):
    """The comparison as plain text, at most 80 columns."""
    c = doc.get("context", {})
    head = [f"faultline-pair: {doc['design']}, {doc['elapsed_s']:.0f} s of rounds "
            f"({doc['rounds']} rounds of {doc['window_s'] * 1000:g} ms windows"
            + (f", {doc['layouts']} layouts" if doc.get("layouts", 1) > 1 else "") + ")"
            + ("" if doc.get("complete", True) else ", INTERRUPTED"),
            f"on {c.get('host', '?')} ({c.get('arch', '?')}, {c.get('usable_cpus', '?')} CPUs), "
            f"faultline {c.get('faultline_git_rev', '?')}",
            f"throughput vs {doc['arms'][0]['label']} (+ = faster), median of per-round "
            f"ratios, {stats.CI_LEVEL:.0%} CI,",
            (f"layouts resampled, then rounds (bootstrap); flagged when p < {stats.FLAG_P:g}"
             if doc.get("layouts", 1) > 1 else
             f"sign-test p; flagged when p < {stats.FLAG_P:g}"),
            "",
            f"{'point':<10}{'strategy':<14}{'ns/op':>7} {'change':>7} {'95% CI':<17}"
            f"{'p':>7}{'n':>6}  verdict"]
    for r in rows:
        point = f"{r['mix']}@{r['cpus']}"
        head.append(f"{point:<10}{r['label'][:13]:<14}{r['ns']:>7.2f} {pct(r['ratio']):>7} "
                    f"{ci_text(r['ci']):<17}{p_text(r['p']):>7}{r['n']:>6}  {verdict(r)}")
        notes = []
        if r["noisy"]:
            notes.append(f"{r['noisy']} noisy round(s)" +
                         (" kept: too many to leave out" if r["all_noisy"] else " left out"))
        if r["violations"]:
            notes.append(f"{r['violations']} violations")
        if notes:
            head.append(f"{'':<10}{'; '.join(notes)}")
    return "\n".join(line[:80] for line in head) + "\n"
