"""Plain-text summary of a faultline run: per mix, strategy x CPUs.

usage: scripts/summary.py RESULTS_DIR_OR_JSON
"""
import sys

from . import ResultError, load, stats
from . import kernel as fk
from .instruments import num
from . import verdicts as fv
from .results import SHAPE_COUNTER, stress_values
from .results import shapes as point_shapes
from .text import mega_compact, unique, value_text


def table(run):
    """(text, whether a correct strategy reported a violation)."""
    pts = run.points
    ctx = run.ctx
    lines = [f"faultline {ctx.get('faultline_git_rev')} on {ctx.get('host_name')}: "
             f"{ctx.get('cpu_model')}, {ctx.get('usable_cpus')} CPUs, {ctx.get('kernel')}"]
    if run.sweep and not run.sweep.get("complete", True):
        lines.append("INCOMPLETE sweep: interrupted; only finished points are shown")
    for mix in run.mixes():
        cpus = run.cpus(mix)
        base = run.summary(mix, "baseline", 1)
        base_med = base["median"] if base else None
        shapes = run.describe.order_shapes(point_shapes(r for k, v in pts.items()
                                                        if k[0] == mix for r in v))
        lines.append("")
        lines.append(f"[{mix}] {mega_compact(run.unit(mix))}: median (CV%) "
                     f"x baseline@1, violations {'/'.join(shapes)}, least CPU share")
        lines.append(f"{'strategy':<16}{'kind':<9}" + "".join(f"{f'{c} CPU':>40}" for c in cpus))
        for s in run.strategies(mix):
            row = ""
            kind = ""
            for c in cpus:
                p = run.summary(mix, s, c)
                if not p:
                    row += f"{'-':>40}"
                    continue
                kind = p["kind"]
                ratio = f"x{p['median'] / base_med:.2f}" if base_med else ""
                cv = "  n/a" if p["n"] < 2 else f"{p['cv'] * 100:4.1f}%"
                cell = (f"{p['median'] / 1e6:8.2f} ({cv}) {ratio:>6} "
                        f"{'/'.join(str(int(p['viol'].get(sh, 0))) for sh in shapes)} "
                        f"{p['cpu_share_min']:.2f}{'!' if p['noisy'] else ' '}")
                row += f"{cell:>40}"
            lines.append(f"{s:<16}{kind:<9}{row}")
    lines.append("")
    lines.append(f"! = at least one repetition got < {run.noisy:.0%} of its CPU "
                 "(noisy, not averaged away); n/a = a single repetition, no CV")
    note = run.few_cpus_note()
    if note:
        lines.append(f"note: {note}")
    lines += calibration(run)
    bad = [(k, run.summarise(v)) for k, v in pts.items()]
    bad = [(k, p) for k, p in bad if p["kind"] in ("correct", "baseline") and p["violations"]]
    for (mix, s, c), p in bad:
        lines.append(f"VIOLATION: correct strategy {s} reported {int(p['violations'])} "
                     f"violations in {mix} at {c} CPUs")
    return "\n".join(lines), bool(bad)


def calibration(run):
    """The speed gauges (faultline.results.Run.slowdowns): the empty benchmark
    body, timed once per pass, and each mix's baseline@1. CPU share and steal
    time cannot see a host that slows the whole VM down."""
    empty = [t for _, t in sorted(run.empty_loop().items())]
    lines = []
    if empty:
        lines.append(f"harness overhead (empty body, median of {len(empty)} passes): "
                     f"{stats.median(empty):.3f} ns/iteration; per pass: "
                     + " ".join(f"{x:.3f}" for x in empty))
    lines += [f"SLOWDOWN: {f['text']}; compare points within a pass" for f in run.slowdowns()]
    return lines


def perf_why(run):
    """[(why, [event names])]: the run's perf events that were not counted, by reason."""
    out = {}
    for e in run.perf_events():
        if e["state"] == "unsupported":
            out.setdefault(e["why"], []).append(e["name"])
    return list(out.items())


def perf_lines(run):
    """The [perf] block: each counted event per primary operation, per point
    (median of the repetitions); the events not counted, once, with why."""
    events = run.perf_events()
    if not events:
        return []
    lines = ["", "[perf] per primary operation, median of the repetitions "
                 "(perf_event_open per thread over the window, summed over threads)"]
    if all(e["state"] == "off" for e in events):
        return lines + ["perf: off in this run (faultline --perf=off)"]
    lines += [f"unsupported here: {', '.join(names)} ({why})" for why, names in perf_why(run)]
    counted = run.perf_counted()
    if not counted:
        return lines
    head = [e["name"] for e in counted]
    width = max(len(h) for h in head) + 2
    lines.append("units: " + ", ".join(f"{e['name']} {e['unit']}" for e in counted))
    lines.append(f"{'point':<28}" + "".join(f"{h:>{width}}" for h in head))
    for (mix, s, c), reps in run.points.items():
        cells = []
        for e in counted:
            xs = [r[e["counter"]] for r in reps if e["counter"] in r]
            cells.append(num(stats.median(xs)) if xs else "-")
        lines.append(f"{f'{mix}/{s}@{c}':<28}" + "".join(f"{x:>{width}}" for x in cells))
    return lines


def share_text(p, noisy):
    return f"({p['cpu_min']:.2f}{'!' if p['cpu_min'] < noisy else ''})"


def kernel_lines(run):
    """The [kernel] block: the real fault and GUP-fast of this machine, and each
    strategy's ordering cost as a share of them (faultline.kernel)."""
    k = run.kernel
    if k is None:
        return []
    lines = ["", "[kernel] the real kernel on this machine (kernel.json): median of "
                 f"{k.params.get('repetitions', '?')} passes, (least CPU share)",
             "fault: will-it-scale page_fault1, ns per page touched (with its share of mmap "
             "and munmap)"]
    for m in k.modes():
        cells = [f"{c} CPU {p['ns']:.0f} ns {share_text(p, run.noisy)}"
                 for c in k.cpus("fault") for p in [k.fault(c, m)] if p]
        if cells:
            lines.append(f"  {m:<10} " + "   ".join(cells))
    lines.append(f"GUP-fast: vmsplice, ns per page (slope {k.fit_span()} pages per call) + the "
                 "rest of a call")
    for m in k.modes():
        cells = [f"{c} CPU {p['ns']:.1f} ns + {p['fixed']:.0f} {share_text(p, run.noisy)}"
                 for c in k.cpus("gup-fit") for p in [k.gup(c, m)] if p]
        if cells:
            lines.append(f"  {m:<10} " + "   ".join(cells))
    costs = fk.costs(run, k)
    if costs:
        cols = unique((c["side"], c["cpus"]) for c in costs)
        lines.append("ordering cost (model: ns/op minus the base's, median of the per-pass "
                     "differences) as a share of a real fault (writer: publish mix) or a real "
                     "GUP-fast page (reader: read mix), threads:")
        lines.append(f"{'strategy':<16}" + "".join(f"{f'{s}@{c}':>24}" for s, c in cols))
        for s in unique(c["strategy"] for c in costs):
            row = ""
            for side, cpus in cols:
                c = next((x for x in costs if x["strategy"] == s and x["side"] == side
                          and x["cpus"] == cpus), None)
                cell = "-" if c is None else \
                    f"{c['diff']['median']:+.2f} ns {fk.pct(c['share'])}"
                row += f"{cell:>24}"
            lines.append(f"{s:<16}{row}")
        bases = unique(c["diff"]["base"] for c in costs)
        lines.append(f"base: {', '.join(bases)}")
    lines += [f"{side} cost: not stated: {why}" for side, why in fk.missing_sides(run)]
    lines += [f"KERNEL CHECK FAILED: {r['test']} {r['mode']}@{r['cpus']} pass "
              f"{r['repetition'] + 1}" + (f": {r['error']}" if r.get("error") else "")
              for r in k.insane()]
    return lines


def instruments(run):
    """The [perf] and [kernel] blocks."""
    return perf_lines(run) + kernel_lines(run)


def stress_lines(stress):
    shapes = stress.shapes()
    extra = [k for k in stress.fields() if not SHAPE_COUNTER.match(k)]
    lines = ["", f"[stress] on this hardware ({stress.arch}): violations {'/'.join(shapes)} "
             "in trials (publications a reader saw)"]
    for r in stress:
        values = stress_values(r)
        counts = "/".join(value_text(r.get(f"viol_{sh}")) for sh in shapes)
        more = " ".join(f"{k}={value_text(values.get(k))}" for k in extra)
        lines.append(f"{r['strategy']:<16}{r.get('kind', ''):<9}{r['cpus']:>3} CPUs "
                     f"{counts} in {r['trials']} trials" + (f"  {more}" if more else ""))
    return lines


def emulation_table(v, marks):
    """strategy, kind, shape, LKMM, then each model's observed verdict."""
    rows = [[s, v.kind(s) or "", sh, v.lkmm(s, sh) or "-"]
            + [fv.cell_text(c, marks) if c else "-" for c in (v.cell(s, m, sh) for m in v.models)]
            for s in v.strategies for sh in v.shapes]
    head = ["strategy", "kind", "shape", "LKMM"] + v.models
    widths = [max(len(r[i]) for r in rows + [head]) + 2 for i in range(len(head))]
    return ["".join(f"{x:<{w}}" for x, w in zip(r, widths)).rstrip() for r in [head] + rows]


def emulation_lines(v):
    """The [emulation] block: the matrix, one sentence per divergence between LKMM
    and the emulated machines, and every cell faultline-emu did not pass."""
    marks = fv.note_numbers([v])
    lines = ["", f"[emulation] weak-memory emulator (verdicts.json): {len(v.cells)} cells, "
             f"{v.seeds()} seeds each; each model's observed verdict beside LKMM's; "
             "[n] = LKMM and that model differ, see note n",
             f"rule (faultline-emu): {v.rule['text']}"]
    lines += emulation_table(v, marks)
    lines += [f"[{marks[note]}] {fv.divergence_sentence(note, stances, name=str)}"
              for note, stances in fv.divergences(v)]
    fails = v.failures()
    lines += [f"EMULATION FAIL: {fv.failure(c, name=str)}" for c in fails] or \
        [f"emulation: all {len(v.cells)} cells as expected"]
    return lines


def correctness(run):
    """(lines, failed) for the run's stress.json and verdicts.json, if present;
    failed when an emulated cell is not as expected."""
    lines = stress_lines(run.stress) if run.stress else []
    if run.verdicts:
        lines += emulation_lines(run.verdicts)
    return lines, bool(run.verdicts and run.verdicts.failures())


def text(run):
    """(summary.txt's text, whether a correct strategy violated or an emulated cell failed)."""
    body, bad = table(run)
    lines, emu_failed = correctness(run)
    return "\n".join([body] + instruments(run) + lines), bad or emu_failed


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        run = load.load_run(argv[1])
    except ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    out, failed = text(run)
    print(out)
    return 1 if failed else 0
