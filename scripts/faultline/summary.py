"""Plain-text summary of a faultline run: per mix, strategy x CPUs.

usage: scripts/summary.py RESULTS_DIR_OR_JSON
"""
import sys

from . import ResultError, load, stats
from . import verdicts as fv
from .results import SHAPE_COUNTER, stress_values
from .results import shapes as point_shapes
from .text import mega_compact, value_text


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
    return "\n".join([body] + lines), bad or emu_failed


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
