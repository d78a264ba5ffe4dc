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
    # issue 10: a multi-run report has its own directory (it used to overwrite run A's).
    out = os.path.join(tmp, "compare-two-x86-two-arm")
    check_files(out, "two runs")
    check("two runs: the report says where it went", out in r.stdout, r.stdout)
    check("two runs: nothing written into the first run", leftovers(a) == [], str(leftovers(a)))
    check("two runs: nothing written into the second run", leftovers(b) == [], str(leftovers(b)))
    md = read(os.path.join(out, "report.md"))
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
    # issue 10: the default output is the terminal table; the Markdown is --markdown.
    r = run("compare.py", "--markdown", os.path.join(FIX, "compare-a"),
            os.path.join(FIX, "compare-b"))
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
    r = run("compare.py", "--markdown", os.path.join(FIX, "few-a"), os.path.join(FIX, "few-b"))
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


# ------------------------------------------------------------- issue 10: compare

WIDTH = 100


def variant(tmp, name, fixture, *edits):
    """A run directory whose bench.json is the fixture's with each edit(doc) applied."""
    doc = json.loads(read(os.path.join(FIX, fixture, "bench.json")))
    for edit in edits:
        edit(doc)
    d = os.path.join(tmp, name)
    write(os.path.join(d, "bench.json"), json.dumps(doc).encode())
    return d


def iterations(doc, name=None):
    return [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"
            and (name is None or b["name"].startswith(name))]


def slow_empty_pass(factor=1.6, rep=1):
    """Edit: the empty loop of one pass `factor` times slower (a SLOWDOWN)."""
    def edit(doc):
        for b in iterations(doc, "harness/empty"):
            if b["repetition_index"] == rep:
                b["real_time"] *= factor
    return edit


def slow_empty_all(factor):
    def edit(doc):
        for b in iterations(doc, "harness/empty"):
            b["real_time"] *= factor
    return edit


def context(**kv):
    def edit(doc):
        doc["context"].update(kv)
    return edit


def wide(text):
    return [line for line in text.splitlines() if len(line) > WIDTH]


def block(out, head):
    """The lines of a terminal table block from its '[head]' line to the next blank line."""
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(head)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def trow(rows, *cells):
    """The first table line whose leading whitespace-separated cells are cells."""
    return next((line for line in rows if line.split()[:len(cells)] == [str(c) for c in cells]),
                "")


def verdict_lines(out):
    """The terminal output's verdict block, wrapped lines joined."""
    lines, inside = [], False
    for line in out.splitlines():
        if line.startswith("verdict"):
            inside = True
        elif inside and (not line.strip() or line.startswith("rule:") or line.startswith("ratio:")):
            break
        if inside:
            if line.startswith("      ") and lines:
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
    return lines


def human(x):
    """The compare's number format, restated: about 4 significant digits."""
    a = abs(x)
    if a >= 1000 or x == int(x):
        return f"{x:.0f}"
    return f"{x:.1f}" if a >= 100 else f"{x:.2f}" if a >= 1 else f"{x:.3g}"


def test_compare_terminal(tmp):
    a, b = os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b")
    r = run("compare.py", a, b)
    out = r.stdout
    check("compare (terminal): exits 0", r.returncode == 0, r.stderr.strip())
    check(f"compare (terminal): every line at most {WIDTH} columns", out and not wide(out),
          str(wide(out)[:2]))
    check("compare (terminal): much shorter than the Markdown",
          0 < len(out.splitlines()) < len(run("compare.py", "--markdown", a, b)
                                            .stdout.splitlines()) / 2)
    rows = block(out, "[read]")
    pa, pb = points("compare-a"), points("compare-b")
    key = ("read", "dep", 2)
    ma = stats.median([x["ops_per_s"] for x in pa[key]]) / 1e6
    mb = stats.median([x["ops_per_s"] for x in pb[key]]) / 1e6
    na = stats.median([x["ns_per_op"] for x in pa[key]])
    nb = stats.median([x["ns_per_op"] for x in pb[key]])
    dep = trow(rows, "dep", 2)
    check(f"compare (terminal): read/dep@2 in M/s and ns/op ({human(ma)} -> {human(mb)}, "
          f"{human(na)} -> {human(nb)}), flagged WORSE",
          "A M/s" in rows[1] and "B ns/op" in rows[1] and all(
              f" {v} " in f" {dep} " for v in (human(ma), human(mb), human(na), human(nb)))
          and "WORSE" in dep and "%" in dep, dep)
    check("compare (terminal): no raw counter values (8 or more digits)",
          not re.search(r"\d{8}", out), re.search(r".*\d{8}.*", out or "") and
          re.search(r".*\d{8}.*", out).group(0))
    locked = trow(rows, "locked", 2)
    check("compare (terminal): overlapping read/locked@2 not flagged, says overlap",
          "~ overlap" in locked and "WORSE" not in locked and "BETTER" not in locked, locked)
    vl = verdict_lines(out)
    check("compare (terminal): verdict names read/dep@2 as a regression with its p",
          vl and "1 of 9 points changed" in vl[0]
          and any(line.startswith("  read/dep@2: -20.0%") and "regression, p=" in line
                  for line in vl), str(vl))
    check("compare (terminal): one-sided points listed",
          "Points only in A (base): read/wmb-rmb@2" in out
          and "Points only in B (new): read/none@1" in out)


def test_compare_filters(tmp):
    a, b = os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b")
    r = run("compare.py", "--cpus=2", "--strategy=dep,locked", a, b)
    rows = block(r.stdout, "[read]")[2:]
    check("compare --cpus=2 --strategy=dep,locked: only those points",
          r.returncode == 0 and sorted(line.split()[0] + line.split()[1] for line in rows)
          == ["dep2", "locked2"] and "wmb-rmb" not in r.stdout.split("[read]")[-1],
          r.stdout[-600:] + r.stderr)
    r = run("compare.py", "--strategy=control", "--mix=read", a, b)
    rows = block(r.stdout, "[read]")[2:]
    controls = {k[1] for k, v in points("compare-a").items() if v[0]["label"] == "control"}
    check(f"compare --strategy=control: the kind expands to {sorted(controls)}",
          r.returncode == 0 and rows and {line.split()[0] for line in rows} <= controls,
          r.stdout[-400:] + r.stderr)
    r = run("compare.py", "--cpus=1-1", "--markdown", a, b)
    check("compare --cpus=1-1 --markdown: the filter holds in Markdown too",
          r.returncode == 0 and "@2" not in r.stdout.split("## Flagged changes")[-1]
          .split("## Points only")[0] and "read/dep@1" in r.stdout, r.stderr)
    root = os.path.join(tmp, "newest-results")
    for name, fix in (("vm-20261125T010000Z", "compare-b"), ("vm-20261125T020000Z", "compare-a"),
                      ("vm-20261125T030000Z", "compare-b"), ("vm-20261126T000000Z", None)):
        d = os.path.join(root, name)
        os.makedirs(d)
        if fix:
            shutil.copy(os.path.join(FIX, fix, "bench.json"), d)
    r = run("compare.py", "--results", root)
    check("compare with no runs: the two newest under results/, the older as A",
          r.returncode == 0 and "vm-20261125T020000Z/bench.json" in r.stdout.split("\nB: ")[0]
          and "vm-20261125T030000Z/bench.json" in r.stdout.split("\nB: ")[-1]
          and "WORSE" in trow(block(r.stdout, "[read]"), "dep", 2), r.stdout[:400] + r.stderr)


def test_compare_caveats(tmp):
    a = os.path.join(FIX, "compare-a")
    b = variant(tmp, "slow-b", "compare-b", slow_empty_pass(1.6))
    r = run("compare.py", a, b)
    vl = verdict_lines(r.stdout)
    check("compare: a SLOWDOWN of B (its empty loop 1.6x in pass 2) in the verdict lines",
          r.returncode == 0 and any("caveat: SLOWDOWN in B: the same empty loop ran 1.6x slower"
                                    in line and "pass 2" in line for line in vl), str(vl))
    dep = next((line for line in vl if line.startswith("  read/dep@2:")), "")
    check("compare: the flagged change carries the SLOWDOWN caveat", "caveat: SLOWDOWN" in dep,
          dep)
    r = run("compare.py", a, os.path.join(FIX, "compare-b"))
    check("compare: no SLOWDOWN caveat without one", r.returncode == 0
          and "SLOWDOWN" not in r.stdout, r.stdout[:800])
    md = run("compare.py", "--markdown", a, b).stdout
    check("compare --markdown: the SLOWDOWN in the caveats and on the flagged change",
          "SLOWDOWN in B" in section(md, "Caveats") and "caveat: SLOWDOWN" in
          section(md, "Flagged changes"), section(md, "Caveats"))
    b2 = variant(tmp, "slower-b", "compare-b", slow_empty_all(1.5))
    r = run("compare.py", a, b2)
    check("compare: B's empty loop 1.5x A's on the same host is a SLOWDOWN between the runs",
          any("SLOWDOWN: the empty loop ran 1.5x slower in B than in A" in line
              for line in verdict_lines(r.stdout)), r.stdout[:1200])
    r = run("compare.py", os.path.join(FIX, "x86_64"), os.path.join(FIX, "arm64"))
    vl, rows = verdict_lines(r.stdout), block(r.stdout, "[read]")
    noisy = fixture_run("arm64").noisy
    reps = points("arm64")[("read", "mb", 2)]
    low = min(x["cpu_share_min"] for x in reps)
    k = sum(1 for x in reps if x["cpu_share_min"] < noisy)
    want = f"noisy in B (least CPU share {low:.2f} in {k}/{len(reps)} repetitions)"
    check(f"compare: the noisy read/mb@2 of B marked !B and its verdict line says {want!r}",
          trow(rows, "mb", 2).endswith("!B") and any(
              line.startswith("  read/mb@2:") and want in line for line in vl)
          and not trow(rows, "dep", 2).endswith("!B"), str(vl))
    check(f"compare across hosts: at most {WIDTH} columns, says cross-host",
          not wide(r.stdout) and "cross-host" in r.stdout, str(wide(r.stdout)[:1]))
    t = run("compare.py", "--text", a, os.path.join(FIX, "compare-b"))
    check(f"compare --text: at most {WIDTH} columns, rates in M/s", t.returncode == 0
          and not wide(t.stdout) and "Rates in M/s" in " ".join(t.stdout.split()),
          str(wide(t.stdout)[:1]))


def per_pass(pts, key, ref):
    num = {x["repetition_index"]: x["ops_per_s"] for x in pts[key]}
    den = {x["repetition_index"]: x["ops_per_s"] for x in pts[(key[0], ref, key[2])]}
    return sorted(num[i] / den[i] for i in num)


def test_compare_within(tmp):
    x86 = os.path.join(FIX, "x86_64")
    r = run("compare.py", "--within", "--strategy=dep,correct,control", x86)
    out = r.stdout
    check("compare --within: exits 0", r.returncode == 0, r.stderr.strip())
    check(f"compare --within: every line at most {WIDTH} columns", out and not wide(out),
          str(wide(out)[:2]))
    pts = points("x86_64")
    bad, seen = [], 0
    for key in pts:
        mix, s, cpus = key
        if s in ("dep", "baseline"):
            continue
        ratios = per_pass(pts, key, "dep")   # 5 passes: the CI is min..max, 93.75%
        med, lo, hi = stats.median(ratios), ratios[0], ratios[-1]
        word = "FASTER" if lo > 1 else "SLOWER" if hi < 1 else "same"
        line = trow(block(out, f"[{mix}]"), s, pts[key][0]["label"], cpus)
        seen += 1
        if not (f" {med:.3f} " in line and f"[{lo:.3f}, {hi:.3f}] 94%" in line
                and word in line and " p" in line):
            bad.append(f"{mix}/{s}@{cpus}: want {med:.3f} [{lo:.3f}, {hi:.3f}] {word}: {line}")
    check(f"compare --within: ratio to dep, its 94% CI (min..max of 5 per-pass ratios) and "
          f"the verdict of all {seen} points", seen > 10 and not bad, "; ".join(bad[:2]))
    ref = trow(block(out, "[read]"), "dep", "correct", 2)
    check("compare --within: the reference row says so", ref.endswith("reference"), ref)
    check("compare --within: in M/s and ns/op",
          "M/s" in block(out, "[read]")[1] and "ns/op" in block(out, "[read]")[1])
    arm = os.path.join(FIX, "arm64")
    r = run("compare.py", "--within", "--strategy=dep,mb", "--mix=read", "--cpus=2", arm)
    rows, vl = block(r.stdout, "[read]"), verdict_lines(r.stdout)
    mb = trow(rows, "mb", "correct", 2)
    check("compare --within: a noisy point flagged ! and the caveat in its verdict line",
          r.returncode == 0 and "p!" in mb and any(
              line.startswith("  read@2: mb") and "caveat: noisy: mb (least CPU share 0.62"
              in line for line in vl) and "[gup]" not in r.stdout
          and not trow(rows, "mb", "correct", 1), r.stdout + r.stderr)
    d = variant(tmp, "within-slow", "x86_64", slow_empty_pass(1.7))
    r = run("compare.py", "--within", "--strategy=dep,mb", d)
    check("compare --within: the run's SLOWDOWN is a caveat in the verdict lines",
          any("caveat: SLOWDOWN: the same empty loop ran 1.7x slower" in line
              for line in verdict_lines(r.stdout)), r.stdout[:1500])
    r = run("compare.py", "--within", "--strategy=dep,mb", "--markdown", x86)
    check("compare --within --markdown: a Markdown table per mix",
          r.returncode == 0 and "## read (" in r.stdout
          and "| strategy | kind | CPUs | M/s | ns/op | ratio | CI | flags | verdict |" in r.stdout,
          r.stderr)


def test_compare_bad_args(tmp):
    a, b = os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b")
    x86, arm = os.path.join(FIX, "x86_64"), os.path.join(FIX, "arm64")
    empty = os.path.join(tmp, "no-runs")
    os.makedirs(empty)
    one = os.path.join(tmp, "one-run")
    copy_run(one, "vm-20261125T010000Z", "compare-a")
    cases = [
        (["--within", x86], "needs --strategy"),
        (["--within", "--strategy=dep", x86], "at least two measured strategies"),
        (["--within", "--strategy=dep,nosuch", x86], "unknown strategy 'nosuch'"),
        (["--within", "--strategy=dep,rmb-only", x86], "rmb-only not measured"),
        (["--within", "--strategy=dep,mb", x86, arm], "within one run; got 2"),
        (["--within", "--text", "--strategy=dep,mb", x86], "--text"),
        (["--within", "--strategy=dep,mb", "--cpus=4", x86], "no point"),
        ([a], "give two runs"),
        ([a, b, x86], "give two runs"),
        (["--cpus=1,,2", a, b], "empty element"),
        (["--cpus=0", a, b], "not a positive count"),
        (["--cpus=2-1", a, b], "not a positive count"),
        (["--cpus=two", a, b], "not a CPU count or range"),
        (["--cpus=8", a, b], "no point of A or B matches --cpus=8"),
        (["--mix=bogus", a, b], "unknown mix 'bogus'"),
        (["--mix=fault", a, b], "no point of A or B matches --mix=fault"),
        (["--strategy=", a, b], "--strategy= is empty"),
        (["--strategy=dep,,mb", a, b], "empty strategy name"),
        (["--bogus", a, b], "unrecognized arguments"),
        (["--text", "--markdown", a, b], "not allowed"),
        (["--results", empty], "no run directory"),
        (["--results", one], "only 1 run directory"),
    ]
    for args, says in cases:
        r = run("compare.py", *args)
        lines = r.stderr.strip().splitlines()
        check(f"compare {' '.join(os.path.basename(x) for x in args)}: exit 2, one line "
              f"saying {says!r}", r.returncode == 2 and len(lines) == 1
              and lines[0].startswith("faultline: error:") and says in lines[0]
              and r.stdout == "", f"rc={r.returncode} {r.stderr.strip()[:300]}")


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT,
                           f"PYTHON={sys.executable}", *args],
                          capture_output=True, text=True, timeout=300)


def test_make_targets(tmp):
    if not shutil.which("make"):
        check("make: targets (skipped: no make)", True)
        return
    a, b = os.path.join(FIX, "compare-a"), os.path.join(FIX, "compare-b")
    x86 = os.path.join(FIX, "x86_64")
    r = make("compare", "S=dep,mb", f"RUN={x86}", "MIX=read", "CPUS=2")
    rows = block(r.stdout, "[read]")[2:]
    check("make compare S=dep,mb RUN= MIX=read CPUS=2: within the run, filtered",
          r.returncode == 0 and "each against dep" in r.stdout and "[gup]" not in r.stdout
          and sorted(line.split()[0] for line in rows) == ["dep", "mb"]
          and all(line.split()[2] == "2" for line in rows), r.stdout[-500:] + r.stderr)
    r = make("compare", f"A={a}", f"B={b}", "S=dep", "CPUS=2")
    rows = block(r.stdout, "[read]")[2:]
    check("make compare A= B= S=dep CPUS=2: runs against runs, S= a filter",
          r.returncode == 0 and "B (new) against A (base)" in r.stdout
          and [line.split()[:2] for line in rows] == [["dep", "2"]], r.stdout[-500:] + r.stderr)
    r = make("compare", f"A={a}", f"B={b}", "MD=1")
    check("make compare MD=1: Markdown", r.returncode == 0 and "## Flagged changes" in r.stdout,
          r.stderr)
    for args, says in (([f"A={a}"], "give two runs"), (["S=dep", f"RUN={x86}"], "at least two"),
                       ([f"RUN={x86}", f"A={a}", f"B={b}", "S=dep,mb"], "within one run"),
                       ([f"RUN={x86}"], "needs --strategy"),
                       ([f"A={a}", f"B={b}", "CPUS=1,,2"], "empty element")):
        r = make("compare", *args)
        ours = [line for line in r.stderr.strip().splitlines() if not line.startswith("make")]
        check(f"make compare {' '.join(x.split('=')[0] + '=' for x in args)}: exit 2, one "
              f"faultline line saying {says!r}", r.returncode == 2 and len(ours) == 1
              and ours[0].startswith("faultline: error:") and says in ours[0],
              f"rc={r.returncode} {r.stderr.strip()[:300]}")
    r = make("-n", "bench", "STRATEGY=dep,none", "MIX=read", "CPUS=1,2", "QUICK=1")
    cmd = " ".join(line for line in r.stdout.replace("\\\n", " ").splitlines()
                   if "bench-sweep" in line)
    check("make bench STRATEGY= MIX= CPUS=: passed to bench-sweep as its options",
          all(f in cmd.split() for f in ("--strategy=dep,none", "--mix=read", "--cpus=1,2",
                                         "--quick")), cmd or r.stdout[-300:] + r.stderr)
    r = make("-n", "bench")
    cmd = " ".join(line for line in r.stdout.replace("\\\n", " ").splitlines()
                   if "bench-sweep" in line)
    check("make bench without them: bench-sweep's defaults (no empty --strategy=)",
          cmd and "--strategy" not in cmd and "--mix" not in cmd and "--cpus" not in cmd, cmd)


def fake_faultline(tmp):
    """A 'binary' that prints the fixtures' describe object and nothing else."""
    fake = os.path.join(tmp, "fake-bin", "faultline")
    write(fake, f"#!/bin/sh\ncat {os.path.join(FIX, 'describe.json')}\n".encode())
    os.chmod(fake, 0o755)
    return fake


def test_sweep_args(tmp):
    fake = fake_faultline(tmp)
    res = os.path.join(tmp, "sweep-results")
    for flag, says in (("--strategy=nosuch", "unknown strategy 'nosuch'"),
                       ("--strategy=dep,,mb", "empty strategy name"),
                       ("--mix=bogus", "unknown mix 'bogus'"),
                       ("--cpus=1,,2", "empty element"), ("--cpus=x", "not a CPU count")):
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "bench-sweep"), "--binary",
                            fake, "--results", res, flag], capture_output=True, text=True,
                           timeout=60)
        lines = r.stderr.strip().splitlines()
        check(f"bench-sweep {flag} (make bench STRATEGY=/MIX=/CPUS=): exit 2, one line, no "
              f"run directory", r.returncode == 2 and len(lines) == 1 and says in lines[0]
              and not os.path.exists(res), r.stderr.strip()[:300])
    check("bench-sweep: its progress ETA from the mean time per job",
          sweep.eta(0, 10, 5.0) == "ETA --:--" and sweep.eta(2, 10, 30.0) == "ETA 02:00"
          and sweep.eta(10, 10, 99.0) == "ETA 00:00", sweep.eta(2, 10, 30.0))


# ------------------------------------------------------------- issue 10: report

def test_median_interval(tmp):
    """The CI of the plots and of compare --within, on synthetic data with known answers."""
    xs = [5.0, 1.0, 4.0, 2.0, 3.0]
    check("median_interval: 5 samples -> min..max with 1 - 2/32 = 93.75%",
          stats.median_interval(xs) == (1.0, 5.0, 1 - 2 / 32), str(stats.median_interval(xs)))
    xs = list(range(20))
    cover = 1 - 2 * sum(__import__("math").comb(20, i) for i in range(6)) / 2 ** 20
    check(f"median_interval: 20 samples -> x(6)..x(15), {cover:.4f} (the sign test's)",
          stats.median_interval(xs) == (5, 14, cover), str(stats.median_interval(xs)))
    a = [{"repetition_index": i, "ops_per_s": v} for i, v in enumerate([10, 12, 11, 13, 9])]
    b = [{"repetition_index": i, "ops_per_s": v} for i, v in enumerate([5, 6, 5, 6, 5])]
    q = stats.ratio_ci(a, b)
    want = sorted(x / y for x, y in zip([10, 12, 11, 13, 9], [5, 6, 5, 6, 5]))
    check("ratio_ci: per-pass ratios, their median and min..max at 5 passes",
          q["how"] == "per-pass" and q["median"] == want[2] and (q["lo"], q["hi"]) ==
          (want[0], want[-1]) and q["conf"] == 1 - 2 / 32, str(q))
    q = stats.ratio_ci(a, b[:4])
    check("ratio_ci: passes that do not match -> all pairs, min..max, no confidence",
          q["how"] == "all-pairs" and q["conf"] is None and q["n"] == 20, str(q))


def svg_groups(path):
    """{id: [style of each path inside]} of an SVG's groups that carry an id."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return {}
    out = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        gid = g.get("id", "")
        out[gid] = [p.get("style", "") for p in g.iter("{http://www.w3.org/2000/svg}path")]
    return out


def svg_text(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return ""
    return "\n".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def stroke(style):
    m = re.search(r"(?:^|;)\s*stroke:\s*(#[0-9a-f]{6})", style)
    return m.group(1) if m else ""


def is_grey(colour):
    return colour and colour[1:3] == colour[3:5] == colour[5:7]


def test_report_plots(tmp):
    d = copy_run(tmp, "plots", "x86_64")
    r = run("report.py", d)
    check("report (plots): exits 0", r.returncode == 0, r.stderr.strip())
    pts = points("x86_64")
    kinds = {k[1]: v[0]["label"] for k, v in pts.items()}
    for name, ref in (("ratio-locked", "locked"), ("ratio-baseline", "baseline"),
                      ("efficiency", None)):
        groups = svg_groups(os.path.join(d, "plots", f"{name}.svg"))
        want = [f"ci-{kinds[s]}-{mix}-{s}-0" for (mix, s, c) in pts
                if c == max(k[2] for k in pts if k[0] == mix) and s != ref and s != "baseline"]
        missing = [w for w in dict.fromkeys(want) if not groups.get(w)]
        check(f"{name}: CI error bars for each of the {len(set(want))} series at the top CPU "
              f"count", want and not missing, str(missing[:3]))
    groups = svg_groups(os.path.join(d, "plots", "ratio-locked.svg"))
    controls = [g for g in groups if g.startswith("control-")]
    correct = [g for g in groups if g.startswith("correct-")]
    check("plots: control series dashed and grey",
          controls and all(any("stroke-dasharray" in st and is_grey(stroke(st))
                               for st in groups[g]) for g in controls), str(controls[:2]))
    check("plots: correct series solid and coloured",
          correct and all(any("stroke-dasharray" not in st and stroke(st)
                              and not is_grey(stroke(st)) for st in groups[g]) for g in correct),
          str([groups[g] for g in correct[:1]]))
    legend = svg_text(os.path.join(d, "plots", "throughput.svg"))
    check("plots: the legend groups controls apart from correct strategies",
          "correct strategies" in legend and "controls (grey, dashed)" in legend
          and legend.index("controls (grey") > max(legend.index(s) for s, k in kinds.items()
                                                  if k == "correct"), legend[:300])
    ctx = fixture_run("x86_64").ctx
    want = (ctx["host_name"], ctx["faultline_git_rev"], ctx["date"])
    bare = [n for n in PLOTS if not all(w in svg_text(os.path.join(d, "plots", f"{n}.svg"))
                                        for w in want)]
    check(f"plots: host, revision and date ({', '.join(want)}) on every figure",
          not bare, str(bare))
    a = copy_run(tmp, "foot-x86", "x86_64")
    b = copy_run(tmp, "foot-arm", "arm64")
    run("report.py", a, b)
    out = os.path.join(tmp, "compare-foot-x86-foot-arm")
    arm = fixture_run("arm64").ctx
    bare = [n for n in PLOTS if arm["host_name"] not in svg_text(os.path.join(out, "plots",
                                                                              f"{n}.svg"))
            or ctx["host_name"] not in svg_text(os.path.join(out, "plots", f"{n}.svg"))]
    check("plots (two runs): each run's host in every figure's footer", not bare, str(bare))


def test_report_tables(tmp):
    d = copy_run(tmp, "tables", "x86_64")
    run("report.py", d)
    md = read(os.path.join(d, "report.md"))
    pts = points("x86_64")
    head = next((line for line in md.split("### read")[-1].splitlines()
                 if line.startswith("| strategy |")), "")
    check("report: an ns/op column beside each CPU count's M/s", "| 1 CPU median | 1 CPU ns/op |"
          in head and "| 2 CPU median | 2 CPU ns/op |" in head, head)
    ns = stats.median([x["ns_per_op"] for x in pts[("read", "dep", 2)]])
    rate = stats.median([x["ops_per_s"] for x in pts[("read", "dep", 2)]]) / 1e6
    want = f"| {rate:.2f} | {ns:.1f} |"
    row = table_row(md.split("### read")[-1], "`dep`")
    check(f"report: read/dep@2 reads {want}", want in row, row)
    para = section(md, "Summary")
    check("report: the < 4 CPUs note with the real count",
          "scaling beyond 2 CPUs not measured here (this machine has 2 usable CPUs)" in para,
          para[:500])
    check("report: no SLOWDOWN without one", "SLOWDOWN" not in md)
    for n, says in ((3, "scaling beyond 3 CPUs not measured here"), (8, None)):
        d = variant(tmp, f"cpus-{n}", "x86_64", context(usable_cpus=str(n)))
        run("report.py", d)
        para = section(read(os.path.join(d, "report.md")), "Summary")
        s = run("summary.py", d).stdout
        check(f"report and summary with {n} usable CPUs: "
              + (f"say {says!r}" if says else "no scaling note"),
              (says in para and says in s) if says else
              ("not measured here" not in para and "not measured here" not in s), para[:300])


def test_report_slowdown(tmp):
    d = variant(tmp, "slowdown", "x86_64", slow_empty_pass(1.6))
    r = run("report.py", d)
    para = section(read(os.path.join(d, "report.md")), "Summary")
    check("report: a SLOWDOWN (empty loop 1.6x in pass 2) in the summary",
          r.returncode == 0 and "**SLOWDOWN: the same empty loop ran 1.6x slower in some passes "
          "(pass 2)" in para, para[:800])
    s = run("summary.py", d).stdout
    check("summary.txt: the same SLOWDOWN", "SLOWDOWN: the same empty loop ran 1.6x slower" in s,
          s[-600:])

    def slow_baseline(doc):
        for b in iterations(doc, "read/baseline/"):
            if b["repetition_index"] == 3:
                for k in ("ops_per_s", "gups_per_s", "gups_per_reader_s"):
                    b[k] *= 0.7
    d = variant(tmp, "slow-reference", "x86_64", slow_baseline)
    run("report.py", d)
    para = section(read(os.path.join(d, "report.md")), "Summary")
    s = run("summary.py", d).stdout
    want = "the reference point read/baseline@1"
    check("report and summary: a reference point 1.4x slower in pass 4 is a SLOWDOWN",
          f"**SLOWDOWN: {want}" in para and "in pass 4" in para and f"SLOWDOWN: {want}" in s,
          para[:800])
    r = run("summary.py", os.path.join(FIX, "x86_64"))
    check("summary.txt: no SLOWDOWN without one", "SLOWDOWN" not in r.stdout)


def test_summary_single(tmp):
    def first_pass(doc):
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"
                             and b.get("repetition_index", 0) == 0]
    d = variant(tmp, "single-rep", "x86_64", first_pass)
    r = run("summary.py", d)
    table = r.stdout.split("\n! =")[0]
    cells = re.findall(r"\(([^)]*)\)", "\n".join(line for line in table.splitlines()
                                                  if line.split()[1:2] in (["correct"],
                                                                           ["control"],
                                                                           ["baseline"])))
    check("summary.txt: a single repetition shows n/a, never a CV of 0",
          r.returncode == 0 and cells and all(c.strip() == "n/a" for c in cells)
          and "0.0%" not in table, str(cells[:4]))
    r = run("summary.py", os.path.join(FIX, "x86_64"))
    check("summary.txt: with 5 repetitions the CVs are shown, no n/a",
          "n/a" not in r.stdout.split("\n! =")[0] and "%)" in r.stdout)


def test_multi_run_dir(tmp):
    a = copy_run(tmp, "own-a", "x86_64")
    b = copy_run(tmp, "own-b", "arm64")
    r = run("report.py", a)
    before = read(os.path.join(a, "report.md"))
    r = run("report.py", a, b)
    out = os.path.join(tmp, "compare-own-a-own-b")
    check("report RUN=\"A B\": written to compare-<A>-<B>/, run A's own report untouched",
          r.returncode == 0 and os.path.isfile(os.path.join(out, "report.md"))
          and read(os.path.join(a, "report.md")) == before and before
          and "arm64-fixture" not in before, r.stderr.strip())
    elsewhere = os.path.join(tmp, "chosen-out")
    r = run("report.py", "--out", elsewhere, a, b)
    check("report --out DIR: written there", r.returncode == 0
          and os.path.isfile(os.path.join(elsewhere, "report.html")), r.stderr.strip())


def test_progress_eta(tmp):
    binary = os.path.join(ROOT, "build", "faultline")
    if not os.access(binary, os.X_OK):
        check("progress line ETA (skipped: build/faultline not built)", True)
        return
    r = subprocess.run([binary, "--strategy=dep", "--mix=publish", "--cpus=1",
                        "--duration=0.02", "--benchmark_repetitions=3"],
                       capture_output=True, text=True, timeout=120)
    lines = [line for line in r.stderr.splitlines() if line.startswith("faultline: publish")]
    marks = [re.search(r"point (\d+)/(\d+), ETA (\d\d):(\d\d)$", line) for line in lines]
    check("progress line: 'point k/N, ETA mm:ss' at the end of each line, N = points x "
          "repetitions", r.returncode == 0 and len(lines) == 3 and all(marks)
          and [(m.group(1), m.group(2)) for m in marks] == [("1", "3"), ("2", "3"), ("3", "3")]
          and marks[-1].group(3, 4) == ("00", "00"), "\n".join(lines) or r.stderr[-300:])


# ------------------------------------------------------------- beside the real kernel

def copy_kernel_run(tmp, name, kernel_edit=None, with_kernel=True):
    d = copy_run(tmp, name, "kernel")
    if with_kernel:
        k = fixture("kernel/kernel.json")
        if kernel_edit:
            kernel_edit(k)
        write(os.path.join(d, "kernel.json"), json.dumps(k).encode())
    return d


def kernel_median(k, test, cpus, mode="threads"):
    """The median ns per page of a point's passes whose check held, computed here."""
    xs = sorted(r["ns_per_page"] for r in k["rows"] if r["test"] == test and r["mode"] == mode
                and r["cpus"] == cpus and r["sane"])
    n = len(xs)
    return (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2) if n else None


def cost_expected(pts, mix, strategy, cpus):
    """The median per-pass difference of ns/op against none, computed here."""
    base = {r["repetition_index"]: r["ns_per_op"] for r in pts[(mix, "none", cpus)]}
    d = sorted(r["ns_per_op"] - base[r["repetition_index"]] for r in pts[(mix, strategy, cpus)])
    n = len(d)
    return d[n // 2] if n % 2 else (d[n // 2 - 1] + d[n // 2]) / 2


def test_kernel(tmp):
    """The report's "Beside the real kernel" section and summary's [kernel] block,
    from tests/fixtures/kernel/ (a real run with its kernel.json)."""
    from faultline import kernel as fk
    k = fixture("kernel/kernel.json")
    pts = points("kernel")
    d = copy_kernel_run(tmp, "kernel")
    r = run("report.py", d)
    check("kernel: report exits 0", r.returncode == 0, r.stderr.strip())
    md = read(os.path.join(d, "report.md"))
    sec = section(md, "Beside the real kernel")
    fault1, gup1 = kernel_median(k, "fault", 1), kernel_median(k, "gup-fit", 1)
    check("kernel: the section shows the real fault and GUP-fast at 1 CPU (threads)",
          sec and f"| fault: ns per page touched | threads | {fault1:.0f}" in sec
          and f"| threads | {gup1:.1f}" in sec.split("GUP-fast: ns per page")[1], sec[:600])
    want = []
    for s in ("dep", "mb", "locked"):
        for mix, real in (("publish", fault1), ("read", gup1)):
            diff = cost_expected(pts, mix, s, 1)
            want.append(f"{diff:+.2f} [")
            want.append(fk.pct(diff / real))
    rows = "\n".join(table_row(sec, f"`{s}`") for s in ("dep", "mb", "locked"))
    missing = [w for w in want if w not in rows]
    check("kernel: each strategy's writer and reader cost at 1 CPU and its share of a real "
          "fault / GUP-fast page, computed here from the fixture", not missing,
          f"missing {missing[:4]} in {rows[:300]}")
    check("kernel: the base is named, the sentences state the share per strategy",
          "(`none`: no ordering at all)" in sec and "of a fault here** (" in sec
          and "of a GUP-fast page here** (" in sec)
    para = section(md, "Summary")
    check("kernel: the summary states the real fault and GUP-fast",
          f"a real anonymous fault took {fault1:.0f} ns" in para and "a real GUP-fast" in para,
          para[-500:])
    r = run("summary.py", d)
    check("kernel: summary.py's [kernel] block with the real fault and the costs",
          "[kernel] the real kernel on this machine" in r.stdout
          and f"1 CPU {fault1:.0f} ns" in r.stdout and "ordering cost" in r.stdout
          and "\ndep " in r.stdout, r.stdout[-800:] + r.stderr)

    # Negative control: a pass whose check failed is named and left out of the median.
    def fail_one(doc):
        row = next(x for x in doc["rows"] if x["test"] == "fault" and x["mode"] == "threads"
                   and x["cpus"] == 1)
        row["sane"], row["ns_per_page"] = False, 1e6
    d = copy_kernel_run(tmp, "kernel-insane", fail_one)
    bad = json.loads(read(os.path.join(d, "kernel.json")))
    r = run("report.py", d)
    sec = section(read(os.path.join(d, "report.md")), "Beside the real kernel")
    check("kernel (negative control): a failed check is named, left out of the median",
          r.returncode == 0 and "failed their check and are left out: fault threads@1" in sec
          and f"| fault: ns per page touched | threads | {kernel_median(bad, 'fault', 1):.0f}"
          in sec and "1000000" not in sec, sec[:700])
    r = run("summary.py", d)
    check("kernel (negative control): summary.py says KERNEL CHECK FAILED",
          "KERNEL CHECK FAILED: fault threads@1" in r.stdout, r.stdout[-400:])

    # Malformed: one line naming the file, nothing written.
    def malformed(doc):
        doc["rows"][0]["ns_per_page"] = "fast"
    d = copy_kernel_run(tmp, "kernel-bad", malformed)
    r = run("report.py", d)
    check("kernel: a malformed kernel.json is one error line naming it, exit 2, no report",
          r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
          and "kernel.json: rows[0]: 'ns_per_page' must be a finite number" in r.stderr
          and not os.path.exists(os.path.join(d, "report.md")), r.stderr)
    # Without kernel.json: no section, no summary sentence.
    d = copy_kernel_run(tmp, "kernel-none", with_kernel=False)
    r = run("report.py", d)
    md = read(os.path.join(d, "report.md"))
    check("kernel: without kernel.json no section and no summary sentence",
          r.returncode == 0 and "## Beside the real kernel" not in md
          and "a real anonymous fault" not in md, r.stderr)


def test_perf_section(tmp):
    """The report's "Perf counters" section from a run with perf counters, the
    unsupported events named once with why; none for a run from before them."""
    d = copy_kernel_run(tmp, "perf", with_kernel=False)
    run("report.py", d)
    sec = section(read(os.path.join(d, "report.md")), "Perf counters")
    ctx = json.loads(fixture("kernel/bench.json")["context"]["perf"])
    unsupported = [e for e in ctx["events"] if e["state"] == "unsupported"]
    counted = [e for e in ctx["events"] if e["state"] == "counted"]
    check("perf: unsupported events named with the kernel's answer",
          all(f"`{e['name']}`" in sec and e["why"] in sec for e in unsupported), sec[:500])
    pts = points("kernel")
    mix, s, c = next(iter(pts))
    tc = sorted(r["task_clock_ns_per_op"] for r in pts[(mix, s, c)])
    row = table_row(sec, f"{mix}/`{s}`@{c}")
    check("perf: a column per counted event, the task-clock median computed here",
          counted and all(f"{e['name']} (" in sec for e in counted)
          and f"| {tc[len(tc) // 2]:.4g} |" in row, row)
    d = copy_run(tmp, "perf-old", "x86_64")
    run("report.py", d)
    check("perf (negative control): a run from before perf counting has no perf section",
          "## Perf counters" not in read(os.path.join(d, "report.md")))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_single, test_two_runs, test_side_files, test_verdicts_all_ok,
                     test_chain_counts, test_sweep_judge, test_compare, test_compare_few,
                     test_bad_input, test_newest, test_describe_facts, test_describe_fixtures,
                     test_describe_select, test_no_path_edits, test_compare_terminal,
                     test_compare_filters, test_compare_caveats, test_compare_within,
                     test_compare_bad_args, test_make_targets, test_sweep_args,
                     test_median_interval, test_report_plots, test_report_tables,
                     test_report_slowdown, test_summary_single, test_multi_run_dir,
                     test_progress_eta, test_kernel, test_perf_section):
            try:
                test(tmp)
            except Exception as e:  # a crash is one failed check, the rest still run
                check(f"{test.__name__} ran to the end", False, repr(e))
    print(f"# {len(failures)} failed" if failures else "# all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
