#!/usr/bin/python3
"""Write report.md, a self-contained report.html and plots/ for faultline runs.

usage: scripts/report.py [RUN ...]
RUN is a results directory or a bench.json; default: the newest run under
results/. With several runs (e.g. an x86_64 and an arm64 host) one report
covers them all and goes into the first run's directory. Optional beside a
bench.json: verdicts.json (emulated verdicts) and barriers.json (emitted
instructions). Bad input: one error line naming the file, exit 2, nothing written.
"""
import argparse
import os
import sys

import fl_doc as fd
import fl_inputs as fi
import fl_plots as fp
import fl_results as fr

RESULTS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                       "results"))
NOISY = fp.NOISY
CV_LIMIT = 0.10
PLOTS = (fp.throughput, fp.efficiency, fp.ratio_locked, fp.ratio_baseline,
         fp.violations, fp.cpu_share)
CONTEXT = ("host_name", "arch", "cpu_model", "usable_cpus", "kernel", "compiler",
           "faultline_cflags", "jemalloc_version", "malloc_library", "faultline_git_rev",
           "placement", "duration_s", "cpu_counts", "slots", "seed", "date")


def rate(x):
    return f"{x / 1e6:.2f}"


def unit(mix):
    return fp.UNITS.get(mix, "M ops/s")


# ---------------------------------------------------------------- statistics

def summary_at(run, mix, strategy, cpus):
    reps = run.points.get((mix, strategy, cpus))
    return fr.summarise(reps) if reps else None


def paired_ratios(num_reps, den_reps):
    """Per-pass ratios (same repetition_index) or, if passes do not match, all pairs."""
    num = {r.get("repetition_index"): r["ops_per_s"] for r in num_reps}
    den = {r.get("repetition_index"): r["ops_per_s"] for r in den_reps}
    if None not in num and set(num) == set(den) and all(den.values()):
        return [num[k] / den[k] for k in num], "per-pass"
    pairs = [a / b for a in num.values() for b in den.values() if b]
    return pairs, "all-pairs"


def untrusted(p):
    """Reasons a point summary is not trusted ([] when it is)."""
    why = [] if p["n"] > 1 else ["a single repetition"]
    if p["cpu_share_min"] < NOISY:
        why.append(f"least CPU share {p['cpu_share_min']:.2f}")
    if p["cv"] > CV_LIMIT:
        why.append(f"CV {p['cv'] * 100:.1f}%")
    return why


def by_group(run, test):
    """{'mix@cpus': [(strategy, summary)]} of the points where test(summary) holds."""
    out = {}
    for (mix, s, cpus), reps in run.points.items():
        p = fr.summarise(reps)
        if test(p):
            out.setdefault(f"{mix}@{cpus}", []).append((s, p))
    return out


def group_text(run, group, items, each, span):
    """'gup@2: all 10 strategies (span)' or 'gup@2: `a` x, `b` y'."""
    mix, cpus = group.split("@")
    total = sum(1 for k in run.points if k[0] == mix and k[2] == int(cpus))
    if len(items) == total and total > 2:
        return f"{group}: all {total} strategies ({span(items)})"
    return f"{group}: " + ", ".join(f"`{s}` {each(p)}".rstrip() for s, p in items)


def overlaps(a, b):
    return a["min"] <= b["max"] and b["min"] <= a["max"]


# ---------------------------------------------------------------- summary text

def lead_sentence(run):
    c = run.ctx
    reps = {len(v) for v in run.points.values()}
    n = min(reps)
    count = f"{n} repetition{'s' if n > 1 else ''}" if len(reps) == 1 else \
        f"{n} to {max(reps)} repetitions"
    text = (f"On **{run.label}** ({c['cpu_model']}, {c['usable_cpus']} usable CPUs, "
            f"{c['kernel']}, faultline {c['faultline_git_rev']}), {count} per point, "
            f"sweep {completeness(run)}")
    if n < 5:
        text += "; fewer than the 5 repetitions per point that DESIGN.md §5 asks for"
    return text + "."


def completeness(run):
    """'complete' or 'INCOMPLETE (interrupted): 22 of 228 repetitions done'."""
    sw = run.sweep
    if not sw:
        return "completeness not recorded"
    if sw.get("complete"):
        return "complete"
    try:
        cpus = [int(c) for c in str(run.ctx.get("cpu_counts", "")).split(",")]
        points = sum(1 if run.kind(s) == "baseline" or s == "baseline" else len(cpus)
                     for _ in sw["mixes"] for s in sw["strategies"])
        done = sum(len(v) for v in run.points.values())
        return (f"INCOMPLETE (interrupted; {done} of {points * sw['repetitions']} "
                f"point-repetitions done)")
    except (KeyError, TypeError, ValueError):
        return "INCOMPLETE (interrupted)"


def fastest_sentence(run, mix):
    cpus = max(run.cpus(mix))
    cands = [(s, summary_at(run, mix, s, cpus)) for s in run.strategies(mix)]
    cands = [(s, p) for s, p in cands if p and p["kind"] == "correct"]
    if not cands:
        return f"`{mix}`: no correct strategy measured at {cpus} CPUs."
    best, bp = max(cands, key=lambda sp: sp[1]["median"])
    text = (f"`{mix}` at {cpus} CPUs: the fastest correct strategy is `{best}`, "
            f"{rate(bp['median'])} {unit(mix)}")
    lp = summary_at(run, mix, "locked", cpus)
    if best == "locked":
        text += ", i.e. `locked` itself"
    elif lp is None:
        text += f" (no `locked` point at {cpus} CPUs to compare with)"
    else:
        ratios, how = paired_ratios(run.points[(mix, best, cpus)],
                                    run.points[(mix, "locked", cpus)])
        spread = (f"{how} ratios {min(ratios):.2f}..{max(ratios):.2f}x" if len(ratios) > 1
                  else "a single pass, no spread")
        text += f", {bp['median'] / lp['median']:.2f}x `locked` ({rate(lp['median'])}; {spread})"
        doubt = [f"`{s}`: {', '.join(untrusted(p))}" for s, p in (("locked", lp), (best, bp))
                 if untrusted(p)]
        if doubt:
            text += f"; treat this margin with caution ({'; '.join(doubt)})"
    ties = [f"`{s}` {rate(p['median'])}" for s, p in cands if s != best and overlaps(p, bp)]
    if ties:
        text += (f"; not separable from {', '.join(ties)} "
                 f"(their repetitions overlap `{best}`'s min..max)")
    return text + "."


def where_violated(run, strategy):
    """['gup@2 indep 15 (5/5 repetitions)', ...] for one strategy on hardware."""
    out = []
    for (mix, s, cpus), reps in run.points.items():
        if s != strategy:
            continue
        for shape in ("dep", "indep"):
            n = sum(r[f"viol_{shape}"] for r in reps)
            hit = sum(1 for r in reps if r[f"viol_{shape}"])
            if n:
                out.append(f"{mix}@{cpus} {shape} {n:g} ({hit}/{len(reps)} repetitions)")
    return out


def hardware_sentences(run):
    names = run.strategy_names()
    controls = [s for s in names if run.kind(s) == "control"]
    out = []
    for s in names:
        if run.kind(s) in ("correct", "baseline") and where_violated(run, s):
            out.append(f"**{run.kind(s).capitalize()} strategy `{s}` reported violations on "
                       f"hardware: {'; '.join(where_violated(run, s))}** (this is a bug).")
    failed = [(s, where_violated(run, s)) for s in controls]
    failed = [(s, w) for s, w in failed if w]
    if failed:
        out.append("On hardware, controls violated: "
                   + "; ".join(f"`{s}` at {', '.join(w)}" for s, w in failed) + ".")
    quiet = [f"`{s}`" for s in controls if s not in dict(failed)]
    if quiet:
        npts = sum(len(v) for k, v in run.points.items() if k[1] in controls)
        plural = "s" if len(quiet) > 1 else ""
        if failed:
            text = (f"The other control{plural} ({', '.join(quiet)}) showed no violation "
                    f"on hardware")
        else:
            text = (f"No control ({', '.join(quiet)}) showed a violation on hardware in "
                    f"{npts} measured repetitions")
            if run.ctx.get("arch") == "x86_64":
                text += (", as expected on x86_64, whose TSO memory model forbids this "
                         "reordering in hardware")
        out.append(text + ".")
    return out


def emulated_sentence(run):
    if run.verdicts is None:
        return None
    fails = {}
    for m in run.models():
        for c in run.verdicts:
            if c["model"] == m and c["violating_seeds"]:
                fails.setdefault(c["strategy"], {}).setdefault(m, []).append(
                    f"{c['shape']} {c['violating_seeds']}/{c['seeds']}")
    wrong = [c for c in run.verdicts
             if (c["violating_seeds"] > 0) != (c["expected"] == "Sometimes")]
    text = "In emulation (verdicts.json, violating seeds / seeds), "
    text += ("; ".join(f"`{s}` violated under " + " and ".join(
        f"{m} ({', '.join(v)})" for m, v in models.items()) for s, models in fails.items())
        if fails else "no strategy violated under any model")
    if wrong:
        text += (f"; **{len(wrong)} of {len(run.verdicts)} cells "
                 f"{'disagrees' if len(wrong) == 1 else 'disagree'} with the expected verdict**: "
                 + ", ".join(f"`{c['strategy']}` {c['model']} {c['shape']} expected "
                             f"{c['expected']}, got {c['violating_seeds']}/{c['seeds']}"
                             for c in wrong))
    else:
        text += f"; all {len(run.verdicts)} cells match their expected verdict"
    return text + "."


def trust_sentence(run):
    single = by_group(run, lambda p: p["n"] < 2)
    low = by_group(run, lambda p: p["cpu_share_min"] < NOISY)
    high = by_group(run, lambda p: p["cv"] > CV_LIMIT)
    parts = []
    if single:
        parts.append("a single repetition, so no spread can be measured, at "
                     + "; ".join(group_text(run, g, items, lambda p: "", lambda it: "")
                                 .replace(" ()", "") for g, items in single.items()))
    if low:
        parts.append(f"a thread got less than {NOISY:.0%} of a CPU in some repetition at "
                     + "; ".join(group_text(
                         run, g, items, lambda p: f"{p['cpu_share_min']:.2f} "
                                                  f"({p['noisy']}/{p['n']})",
                         lambda it: "least share "
                                    f"{min(p['cpu_share_min'] for _, p in it):.2f}.."
                                    f"{max(p['cpu_share_min'] for _, p in it):.2f}")
                         for g, items in low.items()))
    if high:
        parts.append(f"the CV of the repetitions exceeds {CV_LIMIT:.0%} at "
                     + "; ".join(group_text(
                         run, g, items, lambda p: f"{p['cv'] * 100:.0f}%",
                         lambda it: f"CV {min(p['cv'] for _, p in it) * 100:.0f}.."
                                    f"{max(p['cv'] for _, p in it) * 100:.0f}%")
                         for g, items in high.items()))
    if not parts:
        return (f"Every point is trusted: every thread of every repetition got at least "
                f"{NOISY:.0%} of a CPU and every CV is at most {CV_LIMIT:.0%}.")
    bad = {(g, s) for d in (single, low, high) for g, items in d.items() for s, _ in items}
    return (f"Not trusted ({len(bad)} of {len(run.points)} points): "
            + "; and ".join(parts) + ".")


def summary_paragraph(run):
    sentences = [lead_sentence(run),
                 "Margins are ratios of medians, with the min..max of the per-pass ratios "
                 "(repetition i of both strategies ran in the same sweep pass)."]
    bad = sum(1 for reps in run.points.values() if untrusted(fr.summarise(reps)))
    if bad > len(run.points) / 2:
        sentences.append(f"**Most points ({bad} of {len(run.points)}) are not trusted "
                         f"(reasons at the end): read the margins below as indicative only.**")
    sentences += [fastest_sentence(run, m) for m in run.mixes()]
    sentences += hardware_sentences(run)
    if run.stress:
        sentences.append(stress_sentence(run))
    emu = emulated_sentence(run)
    if emu:
        sentences.append(emu)
    sentences.append(trust_sentence(run))
    return " ".join(sentences)


# ---------------------------------------------------------------- tables

def context_table(runs):
    rows = [[k] + [str(r.ctx.get(k, "")) for r in runs] for k in CONTEXT]
    rows.append(["sweep"] + [r.sweep_text() for r in runs])
    rows.append(["sweep command"] + [str(r.sweep.get("command", "")) for r in runs])
    rows.append(["bench.json"] + [r.path for r in runs])
    return ("table", ["key"] + [r.label for r in runs], rows)


def mix_table(run, mix):
    cpus = run.cpus(mix)
    top = cpus[-1]
    head = ["strategy", "kind"]
    for c in cpus:
        head += [f"{c} CPU median", "CV"]
    head += [f"x locked @{top}", f"x baseline@1 @{top}"]
    base = summary_at(run, mix, "baseline", 1)
    rows = []
    for s in run.strategies(mix):
        row = [f"`{s}`", run.kind(s)]
        for c in cpus:
            p = summary_at(run, mix, s, c)
            if p is None:
                row += ["-", ""]
                continue
            row += [rate(p["median"]) + (" !" if p["cpu_share_min"] < NOISY else ""),
                    "n/a (1 rep)" if p["n"] < 2 else
                    f"{p['cv'] * 100:.1f}%" + (" ~" if p["cv"] > CV_LIMIT else "")]
        p, lk = summary_at(run, mix, s, top), summary_at(run, mix, "locked", top)
        row.append(f"{p['median'] / lk['median']:.2f}" if p and lk and lk["median"] else "")
        row.append(f"{p['median'] / base['median']:.2f}" if p and base and base["median"] else "")
        rows.append(row)
    return ("table", head, rows)


def verdict_text(c):
    if c is None:
        return ""
    ok = (c["violating_seeds"] > 0) == (c["expected"] == "Sometimes")
    return (f"{c['violating_seeds']}/{c['seeds']}"
            + ("" if ok else f" MISMATCH (expected {c['expected']})"))


def correctness_table(runs):
    head, cols = ["strategy", "kind"], []
    for run in runs:
        pre = f"{run.label} " if len(runs) > 1 else ""
        head += [f"{pre}hw dep", f"{pre}hw indep", f"{pre}where"]
        cols.append(lambda s, run=run: [
            f"{run.hw_violations(s, 'dep'):g}" if run.kind(s) else "",
            f"{run.hw_violations(s, 'indep'):g}" if run.kind(s) else "",
            "; ".join(where_violated(run, s)) or ("none" if run.kind(s) else "")])
    for run in runs:
        pre = f"{run.label} " if len(runs) > 1 else ""
        for model in run.models():
            head += [f"{pre}emu {model} dep", f"{pre}emu {model} indep"]
            cols.append(lambda s, run=run, m=model: [
                verdict_text(run.verdict(s, m, sh)) for sh in ("dep", "indep")])
    names = fp.union([r.strategy_names() for r in runs]
                     + [[c["strategy"] for c in r.verdicts or []] for r in runs])
    rows = [[f"`{s}`", fp.kind_of(runs, s)] + [x for col in cols for x in col(s)]
            for s in names]
    return ("table", head, rows)


def verdicts_table(run):
    rows = [[f"`{c['strategy']}`", c["shape"], c["model"], c["expected"],
             f"{c['violating_seeds']}/{c['seeds']}",
             "-" if c["median_ms_to_first"] is None else f"{c['median_ms_to_first']:g}"]
            for c in run.verdicts]
    return ("table", ["strategy", "shape", "model", "expected", "violating seeds",
                      "median ms to first"], rows)


def stress_table(run):
    rows = [[f"`{r['strategy']}`", r.get("kind", ""), str(r["cpus"]), str(r["trials"]),
             str(r["viol_dep"]), str(r["viol_indep"])] for r in run.stress]
    return ("table", ["strategy", "kind", "CPUs", "trials", "dep violations",
                      "indep violations"], rows)


def stress_sentence(run):
    """What the litmus7-style stress on the run's own hardware found."""
    if not run.stress:
        return ""
    trials = sum(r["trials"] for r in run.stress)
    bad = sorted({r["strategy"] for r in run.stress if r["viol_dep"] or r["viol_indep"]})
    text = (f"The stress mode (stress.json) made {trials} observed publications on this "
            f"hardware across {len(run.stress)} points")
    if not bad:
        return text + ", with no violation."
    return text + "; violations: " + ", ".join(f"`{b}`" for b in bad) + "."


def barriers_table(run):
    archs = list(dict.fromkeys(r["arch"] for r in run.barriers))
    names = list(dict.fromkeys(r["strategy"] for r in run.barriers))
    cell = {(r["strategy"], r["arch"], r["side"]): r["instructions"] for r in run.barriers}
    head = ["strategy"] + [f"{a} {side}" for a in archs for side in fi.SIDES]
    rows = []
    for s in names:
        row = [f"`{s}`"]
        for a in archs:
            for side in fi.SIDES:
                ins = cell.get((s, a, side))
                row.append("" if ins is None else "; ".join(f"`{i}`" for i in ins) or "(none)")
        rows.append(row)
    return ("table", head, rows)


# ---------------------------------------------------------------- document

def make_plots(runs, stage):
    """Draw every plot into the staging directory as PNG and SVG; {name: title}."""
    import matplotlib.pyplot as plt
    names = []

    def save(name, fig):
        for ext in ("png", "svg"):
            fig.savefig(stage.path(f"plots/{name}.{ext}"), dpi=110, bbox_inches="tight",
                        metadata={"Date": None} if ext == "svg" else None)
        plt.close(fig)
        names.append(name)

    titles = [plot(runs, save) for plot in PLOTS]
    return dict(zip(names, titles))


def document(runs, plots):
    img = {name: (f"plots/{name}.png", title) for name, title in plots.items()}
    labels = ", ".join(r.label for r in runs)
    blocks = [("h", 1, f"faultline report: {labels}"), ("h", 2, "Summary")]
    blocks += [("p", summary_paragraph(r)) for r in runs]
    blocks += [("h", 2, "Machine and build"), context_table(runs), ("h", 2, "Throughput")]
    for name in ("throughput", "efficiency", "ratio-locked", "ratio-baseline"):
        blocks.append(("img", img[name][0], img[name][1]))
    blocks.append(("p", f"Cells: median rate of the mix's primary operation over the "
                        f"repetitions, and its CV. `!` marks a point where some repetition's "
                        f"threads got less than {NOISY:.0%} of a CPU; `~` a CV above "
                        f"{CV_LIMIT:.0%}. SVG versions of every plot are in plots/."))
    for mix in fp.union(r.mixes() for r in runs):
        for run in runs:
            if mix in run.mixes():
                suffix = f" on {run.label}" if len(runs) > 1 else ""
                blocks += [("h", 3, f"{mix} ({unit(mix)}){suffix}"), mix_table(run, mix)]
    blocks += [("h", 2, "Correctness"), ("img", img["violations"][0], img["violations"][1]),
               ("p", "Hardware: violations summed over repetitions per reader shape, and "
                     "where they occurred (mix@CPUs). Emulated: violating seeds / seeds."),
               correctness_table(runs)]
    for run in runs:
        suffix = f" ({run.label})" if len(runs) > 1 else ""
        if run.verdicts is not None:
            blocks += [("h", 3, f"Emulated verdicts{suffix}"), verdicts_table(run)]
        if run.stress is not None:
            blocks += [("h", 3, f"Stress on the hardware{suffix}"),
                       ("p", "litmus7-style: small instances, writer and reader released "
                             "together each round; trials are publications a reader saw."),
                       stress_table(run)]
        if run.barriers is not None:
            blocks += [("h", 3, f"Emitted barrier instructions{suffix}"), barriers_table(run)]
    blocks += [("h", 2, "CPU share"), ("img", img["cpu-share"][0], img["cpu-share"][1])]
    return blocks


def write_report(runs):
    out = runs[0].dir
    stage = fd.Staging(out)
    try:
        plots = make_plots(runs, stage)
        blocks = document(runs, plots)
        stage.write("report.md", fd.to_markdown(blocks))
        title = "faultline report: " + ", ".join(r.label for r in runs)
        stage.write("report.html", fd.to_html(blocks, title, stage.tmp))
        files = [f"plots/{name}.{ext}" for name in plots for ext in ("png", "svg")]
        stage.publish(files + ["report.md", "report.html"])
    except BaseException:
        stage.discard()
        raise
    return out, len(plots)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("runs", nargs="*", metavar="RUN", help="results directory or bench.json")
    args = ap.parse_args(argv[1:])
    try:
        runs = fi.load_runs(args.runs or [fi.newest_run(RESULTS)])
    except fr.ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    try:
        out, n = write_report(runs)
    except OSError as e:
        print(f"faultline: error: {e.filename or runs[0].dir}: cannot write the report "
              f"({e.strerror})", file=sys.stderr)
        return 2
    print(f"report: {os.path.join(out, 'report.md')}, report.html, {n} plots "
          f"(PNG and SVG) in {os.path.join(out, 'plots')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
