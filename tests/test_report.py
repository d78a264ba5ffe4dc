#!/usr/bin/python3
"""Checks of scripts/report.py and scripts/compare.py on tests/fixtures/.

usage: PYTHONPATH=scripts tests/test_report.py
                                prints "ok - ..." / "not ok - ..." per check,
                                exits 1 if any check failed
Runs in a temporary directory; the fixtures are copied, never written.
Expected numbers are computed here from the fixture JSON, not copied from output;
the facts the C side defines (the noisy threshold, units) are read from the
fixtures' describe object, the statistics from faultline.stats.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

try:
    from faultline import ROOT, SCRIPTS, describe, load, stats, sweep
    from faultline.text import mega
except ImportError as e:  # the caller sets PYTHONPATH=scripts (scripts/run-tests does)
    sys.exit(f"tests/test_report.py: {e}: run with PYTHONPATH=scripts")

FIX = os.path.join(ROOT, "tests", "fixtures")

PLOTS = ("throughput", "efficiency", "ratio-locked", "ratio-baseline", "violations",
         "cpu-share")
failures = []


def check(what, cond, detail=""):
    if cond:
        print(f"ok - {what}")
    else:
        print(f"not ok - {what}" + (f": {detail}" if detail else ""))
        failures.append(what)
    return cond


def run(script, *args):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *args],
                          capture_output=True, text=True, timeout=300)


def copy_run(tmp, name, fixture, side_files=()):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    shutil.copy(os.path.join(FIX, fixture, "bench.json"), d)
    for f in side_files:
        shutil.copy(os.path.join(FIX, f), d)
    return d


def read(path):
    """A file's text, or "" when it is missing (the checks then fail, not crash)."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def section(md, title):
    """Text of a '## title' section up to the next '## ' heading."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    return m.group(1) if m else ""


def table_row(md, first_cell):
    return next((line for line in md.splitlines() if line.startswith(f"| {first_cell} |")), "")


def leftovers(d):
    names = set(os.listdir(d)) - {"bench.json", "verdicts.json", "barriers.json", "stress.json"}
    return sorted(names)


# ------------------------------------------------------------- expectations

def fixture_run(fixture):
    return load.load_run(os.path.join(FIX, fixture))


def points(fixture):
    return fixture_run(fixture).points


def fastest(pts, mix):
    """(strategy, cpus, ratio of medians to locked, (min, max) per-pass ratio)."""
    cpus = max(k[2] for k in pts if k[0] == mix)
    cands = {k[1]: v for k, v in pts.items() if k[0] == mix and k[2] == cpus
             and v[0]["label"] == "correct"}
    med = {s: stats.median([r["ops_per_s"] for r in v]) for s, v in cands.items()}
    best = max(med, key=med.get)
    lk = {r["repetition_index"]: r["ops_per_s"] for r in cands["locked"]}
    per_pass = [r["ops_per_s"] / lk[r["repetition_index"]] for r in cands[best]]
    return best, cpus, med[best] / med["locked"], (min(per_pass), max(per_pass))


def high_cv(pts):
    """{'mix@cpus': [(strategy, cv)] of points with CV > 10%}, and points per group."""
    out, size = {}, {}
    for (mix, s, c), reps in pts.items():
        cv = stats.cv([r["ops_per_s"] for r in reps])
        size[f"{mix}@{c}"] = size.get(f"{mix}@{c}", 0) + 1
        if cv > stats.CV_LIMIT:
            out.setdefault(f"{mix}@{c}", []).append((s, cv))
    return out, size


# ------------------------------------------------------------- report checks

def check_files(d, what):
    md, html = os.path.join(d, "report.md"), os.path.join(d, "report.html")
    check(f"{what}: report.md and report.html written", os.path.isfile(md) and
          os.path.isfile(html))
    for name in PLOTS:
        png, svg = (os.path.join(d, "plots", f"{name}.{e}") for e in ("png", "svg"))
        ok_png = os.path.isfile(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" \
            and os.path.getsize(png) > 10000
        try:
            ok_svg = ET.parse(svg).getroot().tag.endswith("svg")
        except (OSError, ET.ParseError):
            ok_svg = False
        check(f"{what}: plots/{name}.png is a PNG and .svg an SVG", ok_png and ok_svg)
    check(f"{what}: no temporary files left", not [n for n in os.listdir(d)
                                                  if n.endswith(".partial")], str(os.listdir(d)))


def check_html_self_contained(d):
    html = read(os.path.join(d, "report.html"))
    srcs = re.findall(r'src="([^"]*)"', html)
    check("html: one embedded image per plot", len(srcs) == len(PLOTS), f"{len(srcs)} images")
    check("html: every image is a data: URI", srcs and all(s.startswith("data:image/png;base64,")
                                                          for s in srcs))
    ok = all(s.startswith("data:") and base64.b64decode(s.split(",", 1)[1])[:4] == b"\x89PNG"
             for s in srcs)
    check("html: embedded images decode to PNG", srcs and ok)
    external = re.findall(r'(?:href|src)="(?:https?:|//|plots/)[^"]*"|<link\b|<script\b', html)
    check("html: no external assets (links, scripts, plots/ paths)", not external, str(external))


def check_summary(md, fixture, label, what="summary"):
    text = section(md, "Summary")
    para = next((p for p in text.split("\n\n") if f"**{label}**" in p), "")
    check(f"{what}: a paragraph for {label}", para != "")
    pts = points(fixture)
    for mix in dict.fromkeys(k[0] for k in pts):
        best, cpus, ratio, (lo, hi) = fastest(pts, mix)
        want = [f"`{mix}` at {cpus} CPUs", f"fastest correct strategy is `{best}`",
                f"{ratio:.2f}x `locked`", f"{lo:.2f}..{hi:.2f}x"]
        lk = [r["ops_per_s"] for r in pts[(mix, "locked", cpus)]]
        lk_cv = stats.cv(lk)
        if lk_cv > stats.CV_LIMIT:
            want.append(f"caution (`locked`: CV {lk_cv * 100:.1f}%")
        missing = [w for w in want if w not in para]
        check(f"{what} ({label}): {mix} names {best} at {cpus} CPUs, {ratio:.2f}x locked, "
              f"per-pass {lo:.2f}..{hi:.2f}", not missing, f"missing {missing}")
    cv, size = high_cv(pts)
    want = [f"{g}: all {size[g]} strategies" if len(v) == size[g] > 2 else
            f"{g}: " + ", ".join(f"`{s}` {c * 100:.0f}%" for s, c in v) for g, v in cv.items()]
    missing = [w for w in want if w not in para]
    n = sum(len(v) for v in cv.values())
    check(f"{what} ({label}): lists the {n} points with CV above 10%",
          cv and not missing and "exceeds 10%" in para, f"missing {missing}")
    return para


def test_single(tmp):
    d = copy_run(tmp, "single", "x86_64")
    r = run("report.py", d)
    check("report: single run exits 0", r.returncode == 0, r.stderr.strip())
    check_files(d, "single run")
    check_html_self_contained(d)
    md = read(os.path.join(d, "report.md"))
    para = check_summary(md, "x86_64", "vm x86_64")
    controls = sorted({k[1] for k, v in points("x86_64").items() if v[0]["label"] == "control"})
    check("summary: x86_64 controls reported without violations, TSO named",
          all(f"`{c}`" in para for c in controls) and "No control" in para and "TSO" in para)
    check("report: no emulated/barrier sections without side files",
          "Emulated verdicts" not in md and "Emitted barrier" not in md
          and "In emulation" not in para)
    for key in load.REPORT_CONTEXT + ("sweep",):
        if not check(f"report: context table has {key}", table_row(md, key) != ""):
            break
    check("report: sweep completeness shown", "complete, 5 repetitions x 0.3 s"
          in table_row(md, "sweep"), table_row(md, "sweep"))


def test_two_runs(tmp):
    a = copy_run(tmp, "two-x86", "x86_64", ("verdicts.json",))
    b = copy_run(tmp, "two-arm", "arm64", ("verdicts.json",))
    r = run("report.py", a, b)
    check("report: two runs exit 0", r.returncode == 0, r.stderr.strip())
    check_files(a, "two runs")
    check("two runs: nothing written into the second run", leftovers(b) == [], str(leftovers(b)))
    md = read(os.path.join(a, "report.md"))
    check("two runs: context table has a column per host",
          "| key | vm x86_64 | arm64-fixture arm64 |" in md)
    head = next((line for line in section(md, "Correctness").splitlines()
                 if line.startswith("| strategy |")), "")
    check("two runs: LKMM and emulated columns per host in the correctness table",
          "| vm x86_64 LKMM | vm x86_64 emu tso |" in head
          and "| arm64-fixture arm64 LKMM | arm64-fixture arm64 emu tso |" in head, head)
    check_summary(md, "x86_64", "vm x86_64", "two-run summary")
    para = check_summary(md, "arm64", "arm64-fixture arm64", "two-run summary")
    pts, noisy = points("arm64"), fixture_run("arm64").describe.noisy
    for (mix, s, c), reps in pts.items():
        n = sum(x["viol_indep"] for x in reps)
        if reps[0]["label"] == "control" and n:
            check(f"summary (arm64): control {s} violation at {mix}@{c} indep {n:g}",
                  f"`{s}` at {mix}@{c} indep {n:g}" in para)
        low = min(x["cpu_share_min"] for x in reps)
        k = sum(1 for x in reps if x["cpu_share_min"] < noisy)
        if low < noisy:
            check(f"summary (arm64): {mix}@{c} {s} not trusted, share {low:.2f} in {k} repetition",
                  f"{mix}@{c}: `{s}` {low:.2f} ({k}/{len(reps)})" in para)


def fixture(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return json.load(f)


def summary_txt(d):
    r = run("summary.py", d)
    return r, r.stdout.split("[emulation]", 1)[-1] if "[emulation]" in r.stdout else ""


def cell_row(md, c):
    """The correctness table's row of one cell's strategy and shape."""
    return next((line for line in section(md, "Correctness").splitlines()
                 if line.startswith(f"| `{c['strategy']}` |") and f" | {c['shape']} | " in line),
                "")


def notes(cells):
    return list(dict.fromkeys(c["note"] for c in cells if c["note"]))


def test_side_files(tmp):
    d = copy_run(tmp, "side", "x86_64", ("verdicts.json", "barriers.json", "stress.json"))
    r = run("report.py", d)
    check("report with verdicts.json, barriers.json and stress.json exits 0",
          r.returncode == 0, r.stderr.strip())
    md = read(os.path.join(d, "report.md"))
    stress = fixture("stress.json")["rows"]
    check("stress: table rendered with every row", "### Stress on the hardware" in md and
          all(f"| `{x['strategy']}` | {x['kind']} | {x['cpus']} | {x['trials']} | "
              f"{x['viol_dep']} | {x['viol_indep']} |" in md for x in stress))
    hit = sorted({x["strategy"] for x in stress if x["viol_dep"] or x["viol_indep"]})
    check("stress: summary names the strategies that failed on hardware",
          all(f"`{h}`" in section(md, "Summary").split("stress mode")[-1] for h in hit)
          and f"made {sum(x['trials'] for x in stress)} observed" in md)
    barriers = fixture("barriers.json")["rows"]
    instr = {i for row in barriers for i in row["instructions"]}
    check("barriers: table rendered with every instruction", "### Emitted barrier" in md and
          all(f"`{i}`" in md for i in instr))
    empty = [(r["strategy"], r["arch"]) for r in barriers if not r["instructions"]]
    check(f"barriers: an empty instruction list shows (none) ({len(empty)} cells)",
          empty and all("(none)" in table_row(md.split("### Emitted barrier")[-1], f"`{s}`")
                        for s, _ in empty))
    check_files(d, "side files")
    check_verdicts_report(md)
    check_verdicts_summary(d)


def check_verdicts_report(md):
    cells = fixture("verdicts.json")["cells"]
    corr = section(md, "Correctness")
    check("verdicts: emulated table rendered with every cell, its verdict and trials",
          "### Emulated verdicts" in md and all(
              f"| `{c['strategy']}` | {c['shape']} | {c['model']} | {c['lkmm']} | "
              f"{c['expected']} | {c['verdict']} | {c['violating_seeds']}/{c['seeds']} | "
              f"{c['trials']} |" in md for c in cells))
    head = corr.split("\n|---")[0].splitlines()[-1]
    models = list(dict.fromkeys(c["model"] for c in cells))
    check("correctness: LKMM column beside a column per emulated model",
          f"| LKMM | {' | '.join(f'emu {m}' for m in models)} |" in head, head)
    shapes = list(dict.fromkeys(c["shape"] for c in cells))
    missing = [(c["strategy"], c["shape"], c["model"]) for c in cells
               if f"| {c['lkmm']} |" not in cell_row(md, c) or (
                   f"{c['verdict']} ({c['trials']} trials)" if not c["violating_seeds"] else
                   f"{c['verdict']} {c['violating_seeds']}/{c['seeds']} seeds")
               not in cell_row(md, c)]
    check(f"correctness: a row per strategy and shape ({', '.join(shapes)}), each cell's "
          "verdict with its trials or seeds beside LKMM's", "chain" in shapes and not missing,
          f"missing {missing[:3]}")
    noted = notes(cells)
    once = [n for n in noted if corr.count(n) != 1]
    check(f"correctness: each of the {len(noted)} notes printed once under the table",
          noted and not once, f"not once: {once[:1]}")
    marks = {n: re.search(r"\[(\d+)\] " + re.escape(n), corr) for n in noted}
    unmarked = [(c["strategy"], c["shape"], c["model"]) for c in cells if c["note"] and (
        not marks[c["note"]] or f"[{marks[c['note']].group(1)}]" not in cell_row(md, c))]
    check("correctness: every cell with a note carries the note's number", not unmarked,
          f"{unmarked[:3]}")
    para = section(md, "Summary")
    bad = sorted({c["strategy"] for c in cells if c["violating_seeds"]})
    check("summary: emulated violations named per strategy",
          "In emulation" in para and all(f"`{s}` violated under" in para for s in bad))
    check("summary: one sentence per note, quoting it, where LKMM and the models diverge",
          all(para.count(f"\u201c{n}\u201d.") == 1 for n in noted) and
          "LKMM says" in para)
    failed = [c for c in cells if not c["ok"]]
    check(f"fixture: {len(failed)} cells with ok false, one not exercised, one with its "
          "verdict as expected", len(failed) >= 2 and
          any(c["verdict"] == "not exercised" for c in failed) and
          any(c["verdict"] == c["expected"] for c in failed))
    flagged = para.split("Emulation FAILED", 1)[-1].split(".**", 1)[0]
    check(f"summary: the {len(failed)} cells with ok false flagged, by name, as failures",
          f"**Emulation FAILED: {len(failed)} of {len(cells)} cells" in para and all(
              f"`{c['strategy']}` {c['shape']} {c['model']}: " in flagged for c in failed),
          flagged[:300])
    check("correctness: each cell with ok false marked FAIL in its row, and no other",
          all("**FAIL" in cell_row(md, c) for c in failed) and
          corr.count("**FAIL:") == len(failed), str(corr.count("**FAIL:")))


def check_verdicts_summary(d):
    cells = fixture("verdicts.json")["cells"]
    failed = [c for c in cells if not c["ok"]]
    r, emu = summary_txt(d)
    check("summary.py: exit 1 when an emulated cell failed", r.returncode == 1,
          f"rc={r.returncode} {r.stderr.strip()}")
    lines = emu.splitlines()
    check("summary.py [emulation]: LKMM column and a chain row",
          any(line.split()[:4] == ["strategy", "kind", "shape", "LKMM"] for line in lines)
          and any(line.split()[2:3] == ["chain"] for line in lines))
    check("summary.py [emulation]: every cell with ok false on an EMULATION FAIL line",
          all(any(line.startswith(f"EMULATION FAIL: {c['strategy']} {c['shape']} "
                                  f"{c['model']}: ") for line in lines) for c in failed))
    check("summary.py [emulation]: one sentence per note, quoting it",
          all(emu.count(f"\u201c{n}\u201d.") == 1 for n in notes(cells)))


def test_verdicts_all_ok(tmp):
    """The negative control's other side: without the failing cells, nothing is
    flagged; a cell is judged by its own 'ok', even one no rule in Python would pass."""
    doc = fixture("verdicts.json")
    doc["cells"] = [c for c in doc["cells"] if c["ok"]]
    odd = doc["cells"][0]
    odd.update(verdict="Rare", violating_seeds=3)
    d = copy_run(tmp, "all-ok", "x86_64")
    write(os.path.join(d, "verdicts.json"), json.dumps(doc).encode())
    r = run("report.py", d)
    md = read(os.path.join(d, "report.md"))
    check("all ok: report exits 0, says every cell is as expected, flags nothing",
          r.returncode == 0 and f"all {len(doc['cells'])} cells are as expected" in md
          and "FAIL" not in md.replace("**FAIL**: the cell", ""), r.stderr.strip())
    check("all ok: a cell faultline-emu passed is shown as it says (Rare 3/20), not judged",
          "Rare 3/20 seeds" in cell_row(md, odd) and "FAIL" not in cell_row(md, odd))
    r, emu = summary_txt(d)
    check("all ok: summary.py exits 0 and says all cells as expected",
          r.returncode == 0 and f"all {len(doc['cells'])} cells as expected" in emu
          and "FAIL" not in emu, r.stdout[-300:] + r.stderr)


def test_chain_counts(tmp):
    """bench.json and stress.json rows that count the chain shape, and stress
    fields this report does not know by name."""
    doc = fixture("x86_64/bench.json")
    for b in doc["benchmarks"]:
        if b.get("run_type") == "iteration" and not b["name"].startswith("harness/"):
            b["viol_chain"] = 0.0
            if b["name"].startswith("gup/none/") and b["repetition_index"] == 1 \
                    and b["threads"] == 2:
                b["viol_chain"] = 5.0
    stress = fixture("stress.json")
    stress["rows"][1].update(viol_chain=2, chain_trials=700, viol_rate_ub95=0.0042)
    d = os.path.join(tmp, "chain")
    write(os.path.join(d, "bench.json"), json.dumps(doc).encode())
    write(os.path.join(d, "stress.json"), json.dumps(stress).encode())
    r = run("report.py", d)
    md = read(os.path.join(d, "report.md"))
    check("chain on hardware: report exits 0", r.returncode == 0, r.stderr.strip())
    row = next((line for line in section(md, "Correctness").splitlines()
                if line.startswith("| `none` |") and " | chain | " in line), "")
    check("chain on hardware: the chain row counts it and says where",
          "| chain | 5 | gup@2 5 (1/5 repetitions) |" in row, row)
    check("stress: chain column, '-' where a row lacks it, unknown numbers shown as they are",
          "| chain violations |" in md and "chain trials" in md and "viol rate ub95" in md
          and "| `none` | control | 2 | 1590 | 3 | 1 | 2 |" in md and "| 0.0042 |" in md
          and "| `dep` | correct | 2 | 1600 | 0 | 0 | - |" in md)
    check("stress: summary counts the chain shape",
          "dep, indep and chain reader shapes" in md and "chain 2" in section(md, "Summary"))
    r = run("summary.py", d)
    check("summary.py: stress rows with chain and the extra numbers",
          r.returncode == 0 and "3/1/2 in 1590 trials" in r.stdout
          and "viol_rate_ub95=0.0042" in r.stdout, r.stdout[-400:] + r.stderr)


def test_sweep_judge(tmp):
    """bench-sweep's reading of faultline-emu's exit status: 0 as expected, 1 a
    mismatch (named from verdicts.json), 2 bad usage."""
    d = copy_run(tmp, "judge", "x86_64", ("verdicts.json",))
    path = os.path.join(d, "verdicts.json")

    def done(rc, err=""):
        return subprocess.CompletedProcess([], rc, "", err)

    failed = [c for c in fixture("verdicts.json")["cells"] if not c["ok"]]
    got = sweep.judge("emu", path, done(1))
    check("bench-sweep: emu exit 1 names every failing cell from verdicts.json",
          got and all(f"{c['strategy']} {c['shape']} {c['model']}: " in got for c in failed),
          str(got))
    check("bench-sweep: emu exit 0 is no problem", sweep.judge("emu", path, done(0)) is None)
    got = sweep.judge("emu", path, done(2, "faultline-emu: error: unknown model 'x'"))
    check("bench-sweep: emu exit 2 reported with its error", got and "exit 2" in got
          and "unknown model" in got, str(got))
    got = sweep.judge("emu", os.path.join(d, "absent.json"), done(0))
    check("bench-sweep: no JSON written is a problem even with exit 0",
          got and "exit 0" in got, str(got))


# ------------------------------------------------------------- compare checks

def reps(fixture, key, metric="ops_per_s"):
    return [r[metric] for r in points(fixture)[key]]


def compare_row(out, point, metric="ops_per_s"):
    return table_row(section(out, metric), point)


def test_compare(tmp):
    dep, locked = ("read", "dep", 2), ("read", "locked", 2)
    a, b = reps("compare-a", dep), reps("compare-b", dep)
    check("fixture: read/dep@2 repetitions separate, >= 5 a side",
          (max(b) < min(a) or max(a) < min(b)) and min(len(a), len(b)) >= 5)
    la, lb = reps("compare-a", locked), reps("compare-b", locked)
    check("fixture: read/locked@2 repetitions overlap", max(la) >= min(lb) and max(lb) >= min(la))
    r = run("compare.py", os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b"))
    check("compare: exits 0", r.returncode == 0, r.stderr.strip())
    change = (stats.median(b) - stats.median(a)) / stats.median(a) * 100
    row = compare_row(r.stdout, "read/dep@2")
    check(f"compare: read/dep@2 flagged with {change:+.1f}%",
          "CHANGED" in row and f"{change:+.1f}%" in row, row)
    lchange = (stats.median(lb) - stats.median(la)) / stats.median(la) * 100
    row = compare_row(r.stdout, "read/locked@2")
    check(f"compare: overlapping read/locked@2 ({lchange:+.1f}%) not flagged, says why",
          "CHANGED" not in row and "not flagged" in row and "overlap" in row, row)
    check("compare: flagged-changes list names read/dep@2",
          "- read/dep@2 ops_per_s" in section(r.stdout, "Flagged changes"))
    only_a = section(r.stdout, "Points only in A (base)")
    only_b = section(r.stdout, "Points only in B (new)")
    check("compare: one-sided points listed", "read/wmb-rmb@2" in only_a and
          "read/none@1" in only_b, only_a + only_b)
    t = run("compare.py", "--text", os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b"))
    line = next((x for x in t.stdout.splitlines() if "read/dep@2.ops_per_s" in x), "")
    check("compare --text: LKP layout, no Markdown tables",
          t.returncode == 0 and "%stddev     %change         %stddev" in t.stdout
          and "|---" not in t.stdout and "CHANGED" in line, line)
    stdev = stats.cv(la) * 100
    check(f"compare: %stddev of read/locked@2 shown as ±{stdev:.0f}%",
          f"±{stdev:.0f}%" in compare_row(r.stdout, "read/locked@2"))


def test_compare_few(tmp):
    a, b = reps("few-a", ("read", "dep", 2)), reps("few-b", ("read", "dep", 2))
    check("fixture: few-a/few-b read/dep@2 separate with < 5 repetitions",
          max(b) < min(a) and len(a) < 5)
    r = run("compare.py", os.path.join(FIX, "few-a"), os.path.join(FIX, "few-b"))
    row = compare_row(r.stdout, "read/dep@2")
    check("compare (< 5 repetitions): nothing flagged", r.returncode == 0
          and "CHANGED" not in r.stdout and "None." in section(r.stdout, "Flagged changes"))
    check("compare (< 5 repetitions): the big change says fewer than 5 repetitions",
          "fewer than 5 repetitions" in row, row)
    r = run("compare.py", os.path.join(FIX, "x86_64"), os.path.join(FIX, "arm64"))
    check("compare across hosts: exits 0 and says cross-host",
          r.returncode == 0 and "cross-host" in r.stdout, r.stderr.strip())


# ------------------------------------------------------------- bad input

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def bad_inputs(tmp):
    """[(name, run dir, file the error must name)] of broken runs."""
    good = open(os.path.join(FIX, "x86_64", "bench.json"), "rb").read()
    doc = json.loads(good)
    cases = []

    def case(name, fname, data, extra=None, says=""):
        d = os.path.join(tmp, "bad", name)
        os.makedirs(d)
        if data is not None:
            write(os.path.join(d, "bench.json"), data)
        if extra:
            write(os.path.join(d, extra[0]), extra[1])
        cases.append((name, d, os.path.join(d, fname), says))

    case("truncated bench.json", "bench.json", good[:3000], says="not valid JSON")
    case("missing bench.json", "bench.json", None, says="no such file")
    case("empty bench.json", "bench.json", b"", says="not valid JSON")
    case("binary bench.json", "bench.json", b"\xff\xfe\x00garbage", says="UTF-8")
    nofield = json.loads(good)
    nofield["benchmarks"][-1].pop("violations")
    case("benchmark lacking violations", "bench.json", json.dumps(nofield).encode(),
         says="lacks 'violations'")
    badtype = json.loads(good)
    badtype["benchmarks"][-1]["ops_per_s"] = "fast"
    case("ops_per_s not a number", "bench.json", json.dumps(badtype).encode(),
         says="'ops_per_s' is not a finite number")
    case("context not an object", "bench.json",
         json.dumps({"context": 3, "benchmarks": doc["benchmarks"]}).encode(), says="context")
    older = json.loads(good)
    del older["context"][describe.CONTEXT_KEY]
    case("bench.json of an older faultline (no describe)", "bench.json",
         json.dumps(older).encode(), says="produced by an older faultline")
    stub = json.loads(good)
    stub["context"][describe.CONTEXT_KEY] = '{"schema": 1}'
    case("describe without strategies", "bench.json", json.dumps(stub).encode(),
         says="'faultline_describe': 'strategies' must be a list")
    garbled = json.loads(good)
    garbled["context"][describe.CONTEXT_KEY] = garbled["context"][describe.CONTEXT_KEY][:50]
    case("describe not valid JSON", "bench.json", json.dumps(garbled).encode(),
         says="'faultline_describe': not valid JSON")
    verdicts = fixture("verdicts.json")
    verdicts["cells"][0]["ok"] = "yes"
    case("malformed verdicts.json", "verdicts.json", good,
         ("verdicts.json", json.dumps(verdicts).encode()), says="cells[0]: 'ok'")
    old = {"cells": [dict(strategy="dep", shape="dep", model="arm64", expected="Never",
                          seeds=20, violating_seeds=0, median_ms_to_first=None)]}
    case("old-format verdicts.json", "verdicts.json", good,
         ("verdicts.json", json.dumps(old).encode()),
         says="old verdicts.json format (its cells carry no 'verdict'): re-run `make bench`")
    stress = json.load(open(os.path.join(FIX, "stress.json")))
    stress["rows"][0]["trials"] = -1
    case("malformed stress.json", "stress.json", good,
         ("stress.json", json.dumps(stress).encode()), says="rows[0]: 'trials'")
    case("truncated barriers.json", "barriers.json", good,
         ("barriers.json", open(os.path.join(FIX, "barriers.json"), "rb").read()[:100]),
         says="not valid JSON")
    return cases


def expect_error(what, r, path, dirs, says=""):
    lines = r.stderr.strip().splitlines()
    check(f"{what}: exit 2, one error line naming {os.path.basename(path)}"
          + (f" and saying {says!r}" if says else ""),
          r.returncode == 2 and len(lines) == 1 and path in lines[0] and says in lines[0],
          f"rc={r.returncode} stderr={r.stderr.strip()[:300]}")
    left = [f"{d}: {leftovers(d)}" for d in dirs if leftovers(d)]
    check(f"{what}: nothing written", not left and r.stdout == "", "; ".join(left) + r.stdout)


def test_bad_input(tmp):
    for name, d, path, says in bad_inputs(tmp):
        expect_error(f"report, {name}", run("report.py", d), path, [d], says)
        if "verdicts" in name or "describe" in name:
            expect_error(f"summary.py, {name}", run("summary.py", d), path, [d], says)
    good = copy_run(tmp, "good-first", "x86_64")
    name, d, path, says = bad_inputs(os.path.join(tmp, "again"))[0]
    expect_error("report, second of two runs truncated", run("report.py", good, d), path,
                 [good, d], says)
    for name, d, path, says in bad_inputs(os.path.join(tmp, "cmp"))[:10]:
        expect_error(f"compare, {name} as B", run("compare.py", os.path.join(FIX, "compare-a"), d),
                     path, [d], says)
    empty = os.path.join(tmp, "no-results")
    os.makedirs(empty)
    r = run("report.py", os.path.join(empty, "absent"))
    expect_error("report, run directory does not exist",
                 r, os.path.join(empty, "absent"), [empty])


def test_newest(tmp):
    """The default run: the newest results directory that has a bench.json."""
    root = os.path.join(tmp, "results")
    for name, has in (("vm-20261125T010000Z", True), ("vm-20261125T020000Z", False),
                      ("arm-20261125T013000Z", True), ("vm-20261125T013000Z-2", True),
                      ("vm-20261124T235959Z", True)):
        os.makedirs(os.path.join(root, name))
        if has:
            write(os.path.join(root, name, "bench.json"), b"{}")
    got = os.path.basename(load.newest_run(root))
    check("default run: newest directory with a bench.json (timestamp, then -N)",
          got == "vm-20261125T013000Z-2", got)


# ------------------------------------------------------------- one source

def with_describe(fixture, *edits):
    """A fixture's bench.json with its describe object changed by each edit(desc)."""
    doc = json.loads(read(os.path.join(FIX, fixture, "bench.json")))
    desc = json.loads(doc["context"][describe.CONTEXT_KEY])
    for edit in edits:
        edit(desc)
    doc["context"][describe.CONTEXT_KEY] = json.dumps(desc)
    return json.dumps(doc).encode()


def test_describe_facts(tmp):
    """The noisy threshold and the units come from bench.json's describe object."""
    def threshold(desc):
        desc["thresholds"]["noisy_cpu_share"] = 0.5

    def unit(desc):
        next(m for m in desc["mixes"] if m["name"] == "gup")["unit"] = "widgets/s"
    d = os.path.join(tmp, "describe-facts")
    write(os.path.join(d, "bench.json"), with_describe("arm64", threshold, unit))
    r = run("report.py", d)
    md = read(os.path.join(d, "report.md"))
    para = section(md, "Summary")
    low = min(x["cpu_share_min"] for v in points("arm64").values() for x in v)
    check("describe: report exits 0", r.returncode == 0, r.stderr.strip())
    check(f"describe: with noisy_cpu_share 0.5 the {low:.2f} point is not flagged noisy",
          0.5 < low < fixture_run("arm64").noisy and "a thread got less than" not in para
          and f"{low:.2f} (" not in para and " ! |" not in md
          and "got less than 50% of a CPU" in md, para[-400:])
    check("describe: the gup mix's unit is the describe's",
          f"### gup ({mega('widgets/s')})" in md and "M widgets/s, " in para
          and f"### read ({mega(fixture_run('arm64').unit('read'))})" in md)
    r = run("summary.py", d)
    check("describe: summary.py's unit and noisy legend from the describe",
          "[gup] Mwidgets/s:" in r.stdout and "! = at least one repetition got < 50% of its CPU"
          in r.stdout and "!" not in r.stdout.split("[gup]", 1)[1].split("\n! =")[0],
          r.stdout[:600] + r.stderr)


def test_describe_fixtures(tmp):
    """Every bench.json fixture carries tests/fixtures/describe.json."""
    want = json.loads(read(os.path.join(FIX, "describe.json")))
    names = sorted(n for n in os.listdir(FIX) if os.path.isfile(os.path.join(FIX, n, "bench.json")))
    off = [n for n in names if json.loads(json.loads(read(os.path.join(FIX, n, "bench.json")))
                                          ["context"][describe.CONTEXT_KEY]) != want]
    check(f"fixtures: all {len(names)} bench.json carry describe.json", names and not off, str(off))


def test_describe_select(tmp):
    """bench-sweep's --strategy/--mix, read from the binary's describe object."""
    desc = fixture_run("x86_64").describe
    correct = [s["name"] for s in desc.doc["strategies"] if s["kind"] == "correct"]
    check("describe: --strategy=correct expands to the correct strategies, in order",
          desc.select("correct") == correct and len(correct) > 1, str(desc.select("correct")))
    check("describe: names and kinds mix, in the describe's order",
          desc.select("none,locked,control") == [s for s in desc.strategies
                                                 if s == "locked" or desc.kind(s) == "control"])
    check("describe: --mix=all is every mix", desc.select("all", "mix") == desc.mixes
          and "gup" in desc.mixes)
    for bad, says in (("dep,,mb", "empty strategy name"),
                      ("dep,nosuch", "unknown strategy 'nosuch'")):
        try:
            desc.select(bad)
            got = ""
        except ValueError as e:
            got = str(e)
        check(f"describe: --strategy={bad} is an error ({says})", says in got, got)
    fake = os.path.join(tmp, "fake-faultline")
    for name, script, says in (
            ("an older binary", "echo \"faultline: error: unknown option '--describe=json'\" >&2; "
             "exit 2", "exit 2: faultline: error: unknown option"),
            ("the stub", "echo '{\"schema\": 1}'", "'strategies' must be a list")):
        write(fake, f"#!/bin/sh\n{script}\n".encode())
        os.chmod(fake, 0o755)
        try:
            describe.from_binary(fake)
            got = ""
        except describe.ResultError as e:
            got = str(e)
        check(f"bench-sweep: {name} is one error line naming the command ({says})",
              got.startswith(f"{fake} --describe=json: ") and says in got and "\n" not in got, got)
    src = read(os.path.join(SCRIPTS, "faultline", "sweep.py"))
    check("bench-sweep: reads --describe=json, never --list text",
          "--list" not in src and "from_binary" in src)


def python_files():
    """Every Python file of scripts/ (by name or shebang) and tests/."""
    out = []
    for d in (SCRIPTS, os.path.join(SCRIPTS, "faultline"), os.path.join(ROOT, "tests"),
              FIX):
        for n in sorted(os.listdir(d)):
            p = os.path.join(d, n)
            if os.path.isfile(p) and (n.endswith(".py") or read(p).startswith("#!/usr/bin/python")):
                out.append(p)
    return out


def test_no_path_edits(tmp):
    edits = re.compile(r"\bsys\.path\s*(?:\.\s*(?:insert|append|extend)|\[|\+?=)")
    found = [os.path.relpath(p, ROOT) for p in python_files() if edits.search(read(p))]
    check(f"no sys.path edits in the {len(python_files())} Python files of scripts/ and tests/",
          len(python_files()) > 10 and not found, str(found))
    old = [n for n in os.listdir(SCRIPTS) if re.match(r"fl_\w+\.py$", n)]
    check("scripts/: no fl_*.py modules beside the faultline package", not old, str(old))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_single, test_two_runs, test_side_files, test_verdicts_all_ok,
                     test_chain_counts, test_sweep_judge, test_compare, test_compare_few,
                     test_bad_input, test_newest, test_describe_facts, test_describe_fixtures,
                     test_describe_select, test_no_path_edits):
            try:
                test(tmp)
            except Exception as e:  # a crash is one failed check, the rest still run
                check(f"{test.__name__} ran to the end", False, repr(e))
    print(f"# {len(failures)} failed" if failures else "# all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
