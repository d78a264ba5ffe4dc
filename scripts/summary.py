#!/usr/bin/python3
"""Plain-text summary of a faultline run: per mix, strategy x CPUs.

usage: scripts/summary.py RESULTS_DIR_OR_JSON
"""
import os
import sys

import fl_inputs as fi
import fl_results as fr
import fl_verdicts as fv

UNITS = {"gup": "Mgups/s", "read": "Mgups/s", "fault": "Mfaults/s", "publish": "Mpublishes/s"}


def table(doc):
    pts = fr.points(doc)
    mixes = list(dict.fromkeys(k[0] for k in pts))
    lines = []
    ctx = doc["context"]
    lines.append(f"faultline {ctx.get('faultline_git_rev')} on {ctx.get('host_name')}: "
                 f"{ctx.get('cpu_model')}, {ctx.get('usable_cpus')} CPUs, {ctx.get('kernel')}")
    sweep = doc.get("faultline_sweep", {})
    if sweep and not sweep.get("complete", True):
        lines.append("INCOMPLETE sweep: interrupted; only finished points are shown")
    for mix in mixes:
        strategies = list(dict.fromkeys(k[1] for k in pts if k[0] == mix))
        cpus = sorted({k[2] for k in pts if k[0] == mix})
        base = pts.get((mix, "baseline", 1))
        base_med = fr.summarise(base)["median"] if base else None
        shapes = fr.shapes(r for k, v in pts.items() if k[0] == mix for r in v)
        lines.append("")
        lines.append(f"[{mix}] {UNITS.get(mix, 'Mops/s')}: median (CV%) "
                     f"x baseline@1, violations {'/'.join(shapes)}, least CPU share")
        head = f"{'strategy':<16}{'kind':<9}" + "".join(f"{f'{c} CPU':>40}" for c in cpus)
        lines.append(head)
        for s in strategies:
            row = ""
            kind = ""
            for c in cpus:
                reps = pts.get((mix, s, c))
                if not reps:
                    row += f"{'-':>40}"
                    continue
                p = fr.summarise(reps)
                kind = p["kind"]
                ratio = f"x{p['median'] / base_med:.2f}" if base_med else ""
                cell = (f"{p['median'] / 1e6:8.2f} ({p['cv'] * 100:4.1f}%) {ratio:>6} "
                        f"{'/'.join(str(int(p['viol'].get(sh, 0))) for sh in shapes)} "
                        f"{p['cpu_share_min']:.2f}{'!' if p['noisy'] else ' '}")
                row += f"{cell:>40}"
            lines.append(f"{s:<16}{kind:<9}{row}")
    lines.append("")
    lines.append("! = at least one repetition got < 90% of its CPU (noisy, not averaged away)")
    lines += calibration(doc)
    bad = [(k, fr.summarise(v)) for k, v in pts.items()]
    bad = [(k, p) for k, p in bad if p["kind"] in ("correct", "baseline") and p["violations"]]
    for (mix, s, c), p in bad:
        lines.append(f"VIOLATION: correct strategy {s} reported {int(p['violations'])} "
                     f"violations in {mix} at {c} CPUs")
    return "\n".join(lines), bool(bad)


def calibration(doc):
    """The empty benchmark body, timed once per pass, is a speed gauge: CPU
    share and steal time cannot see a host that slows the whole VM down."""
    empty = [b["real_time"] for b in doc["benchmarks"]
             if b["name"].startswith("harness/empty") and b.get("run_type") == "iteration"]
    if not empty:
        return []
    lines = [f"harness overhead (empty body, median of {len(empty)} passes): "
             f"{fr.median(empty):.3f} ns/iteration; per pass: "
             + " ".join(f"{x:.3f}" for x in empty)]
    if min(empty) > 0 and max(empty) / min(empty) > 1.2:
        lines.append(f"SLOWDOWN: the same empty loop ran {max(empty) / min(empty):.1f}x slower "
                     "in some passes than in others, with full CPU share: the host, not the "
                     "guest, slowed this machine; compare points within a pass")
    return lines


def stress_lines(rows, arch):
    shapes = fr.shapes(rows)
    extra = [k for k in fi.stress_fields(rows) if not fr.SHAPE_COUNTER.match(k)]
    lines = ["", f"[stress] on this hardware ({arch}): violations {'/'.join(shapes)} "
             "in trials (publications a reader saw)"]
    for r in rows:
        values = fi.stress_values(r)
        counts = "/".join(fi.value_text(r.get(f"viol_{sh}")) for sh in shapes)
        more = " ".join(f"{k}={fi.value_text(values.get(k))}" for k in extra)
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


def correctness(rundir):
    """(lines, failed) for stress.json and verdicts.json beside bench.json, if
    present; failed when an emulated cell is not as expected."""
    lines = []
    path = os.path.join(rundir, "stress.json")
    stress = fi.load_side(path, "rows", fi.check_stress)
    if stress:
        lines += stress_lines(stress, fi.load_json(path).get("arch"))
    verdicts = fi.load_verdicts(os.path.join(rundir, "verdicts.json"))
    if verdicts:
        lines += emulation_lines(verdicts)
    return lines, bool(verdicts and verdicts.failures())


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        doc = fr.load(argv[1])
    except fr.ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    try:
        lines, emu_failed = correctness(os.path.dirname(doc["_path"]))
    except fr.ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    text, bad = table(doc)
    print("\n".join([text] + lines))
    return 1 if bad or emu_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
