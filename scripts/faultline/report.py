"""Write report.md, a self-contained report.html and plots/ for faultline runs.

usage: scripts/report.py [RUN ...]
RUN is a results directory or a bench.json; default: the newest run under
results/. With several runs (e.g. an x86_64 and an arm64 host) one report
covers them all and goes into its own directory beside the first run,
compare-<A>-<B>[-...] (--out DIR to choose another), never into a run's own
report. Optional beside a bench.json: verdicts.json (emulated verdicts),
barriers.json (emitted instructions) and kernel.json (the real kernel's fault
and GUP-fast). Bad input: one error line naming the file, exit 2, nothing
written.
"""
import argparse
import os
import shutil
import sys

from . import ROOT, ResultError, load, lockbench, stats
from . import doc as fd
from . import instruments as fi
from . import plots as fp
from . import soak as fs
from . import verdicts as fv
from .results import field_label, stress_values
from .stats import CV_LIMIT
from .text import join_and, mega, union, value_text

RESULTS = os.path.join(ROOT, "results")
PLOTS = (fp.throughput, fp.efficiency, fp.ratio_locked, fp.ratio_baseline,
         fp.violations, fp.cpu_share)


def rate(x):
    return f"{x / 1e6:.2f}"


def ns(x):
    """ns/op to 3 significant digits or more: 11.6, 168, 1234."""
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


# ---------------------------------------------------------------- statistics

def untrusted(run, p):
    """Reasons a point summary is not trusted ([] when it is)."""
    why = [] if p["n"] > 1 else ["a single repetition"]
    if p["cpu_share_min"] < run.noisy:
        why.append(f"least CPU share {p['cpu_share_min']:.2f}")
    if p["cv"] > CV_LIMIT:
        why.append(f"CV {p['cv'] * 100:.1f}%")
    return why


def by_group(run, test):
    """{'mix@cpus': [(strategy, summary)]} of the points where test(summary) holds."""
    out = {}
    for (mix, s, cpus), reps in run.points.items():
        p = run.summarise(reps)
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
    if n < stats.MIN_REPETITIONS:
        text += (f"; fewer than the {stats.MIN_REPETITIONS} repetitions per point that "
                 "docs/design.md §9 asks for")
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
        points = sum(1 if run.describe.kind(s) == "baseline" else len(cpus)
                     for _ in sw["mixes"] for s in sw["strategies"])
        done = sum(len(v) for v in run.points.values())
        return (f"INCOMPLETE (interrupted; {done} of {points * sw['repetitions']} "
                f"point-repetitions done)")
    except (KeyError, TypeError, ValueError):
        return "INCOMPLETE (interrupted)"


def fastest_sentence(run, mix):
    cpus = max(run.cpus(mix))
    cands = [(s, run.summary(mix, s, cpus)) for s in run.strategies(mix)]
    cands = [(s, p) for s, p in cands if p and p["kind"] == "correct"]
    if not cands:
        return f"`{mix}`: no correct strategy measured at {cpus} CPUs."
    best, bp = max(cands, key=lambda sp: sp[1]["median"])
    text = (f"`{mix}` at {cpus} CPUs: the fastest correct strategy is `{best}`, "
            f"{rate(bp['median'])} {mega(run.unit(mix))}")
    lp = run.summary(mix, "locked", cpus)
    if best == "locked":
        text += ", i.e. `locked` itself"
    elif lp is None:
        text += f" (no `locked` point at {cpus} CPUs to compare with)"
    else:
        ratios, how = stats.paired_ratios(run.points[(mix, best, cpus)],
                                          run.points[(mix, "locked", cpus)])
        spread = (f"{how} ratios {min(ratios):.2f}..{max(ratios):.2f}x" if len(ratios) > 1
                  else "a single pass, no spread")
        text += f", {bp['median'] / lp['median']:.2f}x `locked` ({rate(lp['median'])}; {spread})"
        doubt = [f"`{s}`: {', '.join(untrusted(run, p))}"
                 for s, p in (("locked", lp), (best, bp)) if untrusted(run, p)]
        if doubt:
            text += f"; treat this margin with caution ({'; '.join(doubt)})"
    ties = [f"`{s}` {rate(p['median'])}" for s, p in cands if s != best and stats.overlaps(p, bp)]
    if ties:
        text += (f"; not separable from {', '.join(ties)} "
                 f"(their repetitions overlap `{best}`'s min..max)")
    return text + "."


def violated_at(run, strategy, shape):
    """[('gup@2', violations, repetitions with one, repetitions)] of one strategy
    and reader shape on hardware."""
    out = []
    for (mix, s, cpus), reps in run.points.items():
        n = sum(r.get(f"viol_{shape}", 0) for r in reps) if s == strategy else 0
        if n:
            out.append((f"{mix}@{cpus}", n, sum(1 for r in reps if r.get(f"viol_{shape}")),
                        len(reps)))
    return out


def where_text(at, shape=None):
    point, n, hit, reps = at
    return f"{point}{f' {shape}' if shape else ''} {n:g} ({hit}/{reps} repetitions)"


def where_violated(run, strategy):
    """['gup@2 indep 15 (5/5 repetitions)', ...] for one strategy on hardware."""
    return [where_text(at, shape) for shape in run.hw_shapes()
            for at in violated_at(run, strategy, shape)]


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


def violated_text(v):
    """'`none` violated under arm64 (dep 20/20, indep 20/20) and alpha (...); ...'."""
    parts = []
    for s in v.strategies:
        models = []
        for m in v.models:
            hits = [f"{c['shape']} {c['violating_seeds']}/{c['seeds']}"
                    for c in (v.cell(s, m, sh) for sh in v.shapes) if c and c["violating_seeds"]]
            if hits:
                models.append(f"{m} ({', '.join(hits)})")
        if models:
            parts.append(f"`{s}` violated under {join_and(models)}")
    return "; ".join(parts) or "no strategy violated under any model"


def failed_sentence(v):
    """Every cell faultline-emu did not pass, or None."""
    fails = v.failures()
    if not fails:
        return None
    return (f"**Emulation FAILED: {len(fails)} of {len(v.cells)} cells are not as expected: "
            + "; ".join(fv.failure(c) for c in fails) + ".**")


def emulated_sentences(run):
    """What the emulation showed, every failing cell, and one sentence per place
    where LKMM and the emulated machines diverge."""
    v = run.verdicts
    if v is None:
        return []
    text = (f"In emulation (verdicts.json: {len(v.cells)} cells, {v.seeds()} seeds each; "
            f"violating seeds / seeds), {violated_text(v)}")
    failed = failed_sentence(v)
    out = [text + ("." if failed else f"; all {len(v.cells)} cells are as expected.")]
    out += [failed] if failed else []
    return out + [fv.divergence_sentence(note, stances) for note, stances in fv.divergences(v)]


def trust_sentence(run):
    single = by_group(run, lambda p: p["n"] < 2)
    low = by_group(run, lambda p: p["cpu_share_min"] < run.noisy)
    high = by_group(run, lambda p: p["cv"] > CV_LIMIT)
    parts = []
    if single:
        parts.append("a single repetition, so no spread can be measured, at "
                     + "; ".join(group_text(run, g, items, lambda p: "", lambda it: "")
                                 .replace(" ()", "") for g, items in single.items()))
    if low:
        parts.append(f"a thread got less than {run.noisy:.0%} of a CPU in some repetition at "
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
                f"{run.noisy:.0%} of a CPU and every CV is at most {CV_LIMIT:.0%}.")
    bad = {(g, s) for d in (single, low, high) for g, items in d.items() for s, _ in items}
    return (f"Not trusted ({len(bad)} of {len(run.points)} points): "
            + "; and ".join(parts) + ".")


def slowdown_sentences(run):
    """One bold sentence per SLOWDOWN the run's speed gauges found."""
    return [f"**SLOWDOWN: {f['text']}; a margin between points of different passes may be "
            "the host's, not the strategies' (the per-pass ratios pair points of the same "
            "pass).**" for f in run.slowdowns()]


def few_cpus_sentence(run):
    note = run.few_cpus_note()
    return [f"Note: {note}."] if note else []


def summary_paragraph(run):
    sentences = [lead_sentence(run)] + few_cpus_sentence(run) + slowdown_sentences(run) + [
                 "Margins are ratios of medians, with the min..max of the per-pass ratios "
                 "(repetition i of both strategies ran in the same sweep pass)."]
    bad = sum(1 for reps in run.points.values() if untrusted(run, run.summarise(reps)))
    if bad > len(run.points) / 2:
        sentences.append(f"**Most points ({bad} of {len(run.points)}) are not trusted "
                         f"(reasons at the end): read the margins below as indicative only.**")
    sentences += [fastest_sentence(run, m) for m in run.mixes()]
    sentences += [t for t in [fi.summary_sentence(run)] if t]
    sentences += hardware_sentences(run)
    if run.stress:
        sentences.append(stress_sentence(run))
    sentences += emulated_sentences(run)
    sentences.append(trust_sentence(run))
    return " ".join(sentences)


# ---------------------------------------------------------------- tables

def context_table(runs):
    rows = [[k] + [str(r.ctx.get(k, "")) for r in runs] for k in load.REPORT_CONTEXT]
    rows.append(["sweep"] + [r.sweep_text() for r in runs])
    rows.append(["sweep command"] + [str(r.sweep.get("command", "")) for r in runs])
    rows.append(["bench.json"] + [r.path for r in runs])
    return ("table", ["key"] + [r.label for r in runs], rows)


def mix_table(run, mix):
    cpus = run.cpus(mix)
    top = cpus[-1]
    head = ["strategy", "kind"]
    for c in cpus:
        head += [f"{c} CPU median", f"{c} CPU ns/op", "CV"]
    head += [f"x locked @{top}", f"x baseline@1 @{top}"]
    base = run.summary(mix, "baseline", 1)
    rows = []
    for s in run.strategies(mix):
        row = [f"`{s}`", run.kind(s)]
        for c in cpus:
            p = run.summary(mix, s, c)
            if p is None:
                row += ["-", "", ""]
                continue
            nsop = [r["ns_per_op"] for r in run.points[(mix, s, c)] if "ns_per_op" in r]
            row += [rate(p["median"]) + (" !" if p["cpu_share_min"] < run.noisy else ""),
                    ns(stats.median(nsop)) if nsop else "-",
                    "n/a (1 rep)" if p["n"] < 2 else
                    f"{p['cv'] * 100:.1f}%" + (" ~" if p["cv"] > CV_LIMIT else "")]
        p, lk = run.summary(mix, s, top), run.summary(mix, "locked", top)
        row.append(f"{p['median'] / lk['median']:.2f}" if p and lk and lk["median"] else "")
        row.append(f"{p['median'] / base['median']:.2f}" if p and base and base["median"] else "")
        rows.append(row)
    return ("table", head, rows)


def prefix(run, runs):
    return f"{run.label} " if len(runs) > 1 else ""


def emu_text(c, marks):
    return "" if c is None else fv.cell_text(c, marks, strong=lambda t: f"**{t}**")


def hw_texts(run, strategy, shape):
    """[violations, where] of one strategy and shape on the run's hardware."""
    if not run.kind(strategy):
        return ["not run", ""]
    if shape not in run.hw_shapes():
        return ["-", ""]
    return [f"{run.hw_violations(strategy, shape):g}",
            "; ".join(where_text(at) for at in violated_at(run, strategy, shape)) or "none"]


def correctness_head(runs):
    head = ["strategy", "kind", "shape"]
    for run in runs:
        head += [f"{prefix(run, runs)}hw violations", f"{prefix(run, runs)}hw where"]
    for run in runs:
        if run.verdicts:
            head += [f"{prefix(run, runs)}LKMM"] + [f"{prefix(run, runs)}emu {m}"
                                                    for m in run.verdicts.models]
    return head


def correctness_row(runs, strategy, shape, marks):
    row = [f"`{strategy}`", fp.kind_of(runs, strategy), shape]
    for run in runs:
        row += hw_texts(run, strategy, shape)
    for v in (r.verdicts for r in runs if r.verdicts):
        row += [v.lkmm(strategy, shape) or ""] + [emu_text(v.cell(strategy, m, shape), marks)
                                                  for m in v.models]
    return row


def correctness_blocks(runs, marks):
    """Per strategy and reader shape: hardware counts, LKMM's verdict beside each
    emulated model's, and each note once, numbered, under the table."""
    names = union([r.strategy_names() for r in runs] + [r.emulated() for r in runs])
    shapes = union(r.shapes() for r in runs)
    rows = [correctness_row(runs, s, shape, marks) for s in names for shape in shapes]
    blocks = [("table", correctness_head(runs), rows)]
    if marks:
        blocks += [("p", "Where LKMM's verdict and an emulated model's expected verdict "
                         "differ, the emulator's note says why:"),
                   ("list", [f"[{n}] {note}" for note, n in marks.items()])]
    return blocks


def rule_paragraph(v):
    scenario = ", ".join(f"{k.replace('_', ' ')} {x}" for k, x in v.scenario.items())
    return ("p", f"Verdict rule (faultline-emu, strategies/verdict.c): {v.rule['text']}."
                 + (f" Scenario: {scenario}." if scenario else ""))


def verdicts_table(run, marks):
    rows = [[f"`{c['strategy']}`", c["shape"], c["model"], c["lkmm"], c["expected"],
             c["verdict"], f"{c['violating_seeds']}/{c['seeds']}", str(c["trials"]),
             "-" if c.get("median_ms_to_first") is None else f"{c['median_ms_to_first']:g}",
             f"[{marks[c['note']]}]" if c.get("note") else "",
             "ok" if c["ok"] else "**FAIL**"]
            for c in run.verdicts.ordered()]
    return ("table", ["strategy", "shape", "model", "LKMM", "expected", "verdict",
                      "violating seeds", "racing trials", "median ms to first", "note",
                      "result"], rows)


def stress_table(run):
    fields = run.stress.fields()
    rows = []
    for r in run.stress:
        values = stress_values(r)
        rows.append([f"`{r['strategy']}`", r.get("kind", ""), str(r["cpus"]), str(r["trials"])]
                    + [value_text(values.get(k)) for k in fields])
    return ("table", ["strategy", "kind", "CPUs", "trials"]
            + [field_label(k) for k in fields], rows)


def stress_sentence(run):
    """What the litmus7-style stress on the run's own hardware found."""
    if not run.stress:
        return ""
    shapes = run.stress.shapes()
    trials = sum(r["trials"] for r in run.stress)
    bad = {}
    for r in run.stress:
        hits = [f"{sh} {r[f'viol_{sh}']}" for sh in shapes if r.get(f"viol_{sh}")]
        if hits:
            bad.setdefault(r["strategy"], []).append(f"{r['cpus']} CPUs: {', '.join(hits)}")
    text = (f"The stress mode (stress.json) made {trials} observed publications on this "
            f"hardware across {len(run.stress)} points, counting violations of the "
            f"{join_and(shapes)} reader shapes")
    if not bad:
        return text + ", with no violation."
    return text + "; violations: " + ", ".join(f"`{s}` ({'; '.join(w)})"
                                                for s, w in bad.items()) + "."


def barriers_table(run):
    archs = list(dict.fromkeys(r["arch"] for r in run.barriers))
    names = list(dict.fromkeys(r["strategy"] for r in run.barriers))
    cell = {(r["strategy"], r["arch"], r["side"]): r["instructions"] for r in run.barriers}
    head = ["strategy"] + [f"{a} {side}" for a in archs for side in load.SIDES]
    rows = []
    for s in names:
        row = [f"`{s}`"]
        for a in archs:
            for side in load.SIDES:
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


def noisy_text(runs):
    """'90%': the noisy threshold of the runs' describe objects (each one's, if they differ)."""
    return "/".join(f"{x:.0%}" for x in sorted({r.noisy for r in runs}))


def document(runs, plots):
    img = {name: (f"plots/{name}.png", title) for name, title in plots.items()}
    labels = ", ".join(r.label for r in runs)
    blocks = [("h", 1, f"faultline report: {labels}"), ("h", 2, "Summary")]
    blocks += [("p", summary_paragraph(r)) for r in runs]
    blocks += [("h", 2, "Machine and build"), context_table(runs), ("h", 2, "Throughput")]
    for name in ("throughput", "efficiency", "ratio-locked", "ratio-baseline"):
        blocks.append(("img", img[name][0], img[name][1]))
    blocks.append(("p", f"Plots: controls (grey, dashed, hollow markers) are drawn apart from "
                        f"the correct strategies and have their own legend group. Error bars "
                        f"on the ratio and efficiency plots are the distribution-free "
                        f"{stats.CI_LEVEL:.0%} confidence interval of the median per-pass "
                        f"ratio (exact binomial; with 5 passes the widest one, min..max, "
                        f"covers it with 93.8%); where the passes of two points do not match, "
                        f"the min..max of all pairs. Each figure's footer names its host, "
                        f"revision and date."))
    blocks.append(("p", f"Cells: median rate of the mix's primary operation over the "
                        f"repetitions (M/s), the median time per operation and thread (ns/op), "
                        f"and the CV of the rate. `!` marks a point where some repetition's "
                        f"threads got less than {noisy_text(runs)} of a CPU; `~` a CV above "
                        f"{CV_LIMIT:.0%}. SVG versions of every plot are in plots/."))
    for mix in union(r.mixes() for r in runs):
        for run in runs:
            if mix in run.mixes():
                suffix = f" on {run.label}" if len(runs) > 1 else ""
                blocks += [("h", 3, f"{mix} ({mega(run.unit(mix))}){suffix}"),
                           mix_table(run, mix)]
    blocks += fi.kernel_blocks(runs) + fi.perf_blocks(runs) + fs.report_blocks(runs)
    blocks += lockbench.blocks(runs)
    marks = fv.note_numbers([r.verdicts for r in runs if r.verdicts])
    blocks += [("h", 2, "Correctness"), ("img", img["violations"][0], img["violations"][1]),
               ("p", "Per strategy and reader shape. Hardware: violations summed over "
                     "repetitions, and where they occurred (mix@CPUs; `-`: a shape this "
                     "run's bench.json does not count). LKMM: the verdict of herd7 and LKMM "
                     "on litmus/. Emulated: each model's observed verdict by faultline-emu's "
                     "rule, with its evidence (racing trials when no seed violated, else "
                     "violating seeds / seeds); [n]: LKMM and that model differ, note n "
                     "below; **FAIL**: the cell is not as expected.")]
    blocks += correctness_blocks(runs, marks)
    for run in runs:
        suffix = f" ({run.label})" if len(runs) > 1 else ""
        if run.verdicts is not None:
            blocks += [("h", 3, f"Emulated verdicts{suffix}"), rule_paragraph(run.verdicts),
                       verdicts_table(run, marks)]
        if run.stress is not None:
            blocks += [("h", 3, f"Stress on the hardware{suffix}"),
                       ("p", "litmus7-style: small instances, writer and reader released "
                             "together each round; trials are publications a reader saw."),
                       stress_table(run)]
        if run.barriers is not None:
            blocks += [("h", 3, f"Emitted barrier instructions{suffix}"), barriers_table(run)]
    blocks += [("h", 2, "CPU share"), ("img", img["cpu-share"][0], img["cpu-share"][1])]
    return blocks


def out_dir(runs):
    """A run's own directory for one run; for several, compare-<A>-<B>[-...]
    beside the first run's directory, so no run's own report is overwritten."""
    if len(runs) == 1:
        return runs[0].dir
    names = [os.path.basename(os.path.abspath(r.dir)) for r in runs]
    return os.path.join(os.path.dirname(os.path.abspath(runs[0].dir)),
                        "compare-" + "-".join(names))


def write_report(runs, out=None):
    out = out or out_dir(runs)
    made = not os.path.isdir(out)
    os.makedirs(out, exist_ok=True)
    try:
        stage = fd.Staging(out)
    except BaseException:
        if made:
            shutil.rmtree(out, ignore_errors=True)
        raise
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
        if made:
            shutil.rmtree(out, ignore_errors=True)
        raise
    return out, len(plots)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("runs", nargs="*", metavar="RUN", help="results directory or bench.json")
    ap.add_argument("--out", metavar="DIR", help="where to write (default: the run's own "
                    "directory; for several runs results/compare-<A>-<B>)")
    args = ap.parse_args(argv[1:])
    try:
        runs = load.load_runs(args.runs or [load.newest_run(RESULTS)])
    except ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    try:
        out, n = write_report(runs, args.out)
    except OSError as e:
        print(f"faultline: error: {e.filename or args.out or out_dir(runs)}: cannot write "
              f"the report ({e.strerror})", file=sys.stderr)
        return 2
    print(f"report: {os.path.join(out, 'report.md')}, report.html, {n} plots "
          f"(PNG and SVG) in {os.path.join(out, 'plots')}")
    return 0
