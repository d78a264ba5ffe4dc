#!/usr/bin/python3
"""Plain-text summary of a faultline run: per mix, strategy x CPUs.

usage: scripts/summary.py RESULTS_DIR_OR_JSON
"""
import os
import sys

import fl_results as fr

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
        lines.append("")
        lines.append(f"[{mix}] {UNITS.get(mix, 'Mops/s')}: median (CV%) "
                     f"x baseline@1, violations dep/indep, least CPU share")
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
                        f"{int(p['viol_dep'])}/{int(p['viol_indep'])} "
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


def correctness(rundir):
    """Lines for stress.json and verdicts.json beside bench.json, if present."""
    lines = []
    stress = fr.load_optional(os.path.join(rundir, "stress.json"))
    if stress:
        lines += ["", f"[stress] on this hardware ({stress.get('arch')}): "
                  "violations dep/indep in trials (publications a reader saw)"]
        for r in stress["rows"]:
            lines.append(f"{r['strategy']:<16}{r['kind']:<9}{r['cpus']:>3} CPUs "
                         f"{r['viol_dep']}/{r['viol_indep']} in {r['trials']} trials")
    verdicts = fr.load_optional(os.path.join(rundir, "verdicts.json"))
    if verdicts:
        lines += ["", "[emulation] violating seeds / seeds per model (dep, indep); "
                  "* = differs from DESIGN.md section 3"]
        rows = {}
        for c in verdicts["cells"]:
            rows.setdefault(c["strategy"], {})[(c["model"], c["shape"])] = c
        for strat, cells in rows.items():
            cols = []
            for model in ("tso", "arm64", "alpha"):
                pair = []
                for shape in ("dep", "indep"):
                    c = cells.get((model, shape))
                    pair.append("-" if not c else f"{c['violating_seeds']}/{c['seeds']}"
                                + ("" if c.get("ok", True) else "*"))
                cols.append(f"{model} {' '.join(pair):<11}")
            lines.append(f"{strat:<16}" + "  ".join(cols))
    return lines


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        doc = fr.load(argv[1])
    except fr.ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    text, bad = table(doc)
    print(text)
    try:
        print("\n".join(correctness(os.path.dirname(doc["_path"]))))
    except fr.ResultError as e:
        print(f"faultline: error: {e}", file=sys.stderr)
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
