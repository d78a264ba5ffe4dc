"""make evaluate STRATEGY=x [BASE=dep]: from a barrier idea to paste-able
evidence in one command.

Gathers, for one strategy: the emulated verdicts on every shape and machine
with their racing trials (faultline-emu --matrix), LKMM's verdicts (herd7 on
the strategy's litmus tests when herd7 and LKMM_DIR are there; otherwise the
descriptor's, which make test holds to the tests' Result lines), the emitted
instructions per architecture (make barrier-table when the cross compilers are
installed; otherwise the instructions the descriptor's probe tokens expand
to), and the paired cost against BASE and against `locked` at every mix and
CPU count (faultline-pair). Writes evaluate.txt (at most 80 columns, verdict
first, to paste into a mail) and evaluate.md (every figure) into a run
directory, prints evaluate.txt, exits 1 when an emulated cell contradicts the
descriptor.
"""
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap

from . import OneLineParser, ResultError, ROOT, load, paired, stats

WIDTH = 80


def log(msg):
    print(f"evaluate: {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, **kw)


def describe(build):
    r = run([os.path.join(build, "faultline"), "--describe=json"])
    if r.returncode:
        raise ResultError(f"{build}/faultline --describe=json failed: {r.stderr.strip()[:200]}")
    return json.loads(r.stdout)


def herd7():
    """(herd7 binary, LKMM_DIR) when both are there, else None."""
    h = os.environ.get("HERD7") or shutil.which("herd7")
    d = os.environ.get("LKMM_DIR")
    if h and os.access(h, os.X_OK) and d and os.path.exists(os.path.join(d, "linux-kernel.cfg")):
        return h, d
    return None


def lkmm_verdicts(build, s, out):
    """{shape: (verdict, source)}: herd7's on the strategy's tests, else the descriptor's."""
    mine = {sh: v["lkmm"] for sh, v in s["verdicts"].items()}
    h = herd7()
    if not h:
        return {sh: (v, "descriptor") for sh, v in mine.items()}, \
            "the descriptor (herd7 or LKMM_DIR not found here; make test holds the descriptor to herd7)"
    tsv = os.path.join(out, "litmus.tsv")
    env = dict(os.environ, HERD7=h[0], LKMM_DIR=h[1], FAULTLINE=os.path.join(build, "faultline"))
    log(f"herd7 on {s['name']}'s litmus tests")
    run(["bash", "scripts/run-litmus", f"--strategy={s['name']}", f"--results={tsv}", "litmus"],
        env=env)
    got = {}
    if os.path.exists(tsv):
        with open(tsv) as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                if len(f) == 6 and f[2] in mine:
                    got[f[2]] = (f[4].split()[0] if f[4] != "error" else "error", f[0])
    for sh, v in mine.items():
        got.setdefault(sh, (v, "descriptor (no herd7 result)"))
    return got, "herd7 on litmus/ (" + h[0] + ")"


def emulate(build, s, out, seeds):
    path = os.path.join(out, "verdicts.json")
    log(f"emulator matrix for {s['name']}, {seeds} seeds per cell")
    r = run([os.path.join(build, "faultline-emu"), "--matrix", f"--strategy={s['name']}",
             f"--seeds={seeds}", f"--json={path}"])
    if not os.path.exists(path):
        raise ResultError(f"faultline-emu --matrix failed: {r.stderr.strip()[:200]}")
    with open(path) as fh:
        return json.load(fh)["cells"]


def instructions(build, s):
    """{arch: {side: [insns]}} and where they came from."""
    cross = all(shutil.which(c) for c in ("aarch64-linux-gnu-gcc", "powerpc64le-linux-gnu-gcc",
                                          "alpha-linux-gnu-gcc"))
    if cross:
        log("emitted instructions (make barrier-table)")
        r = run(["make", "--no-print-directory", "-s", f"BUILD={build}", "barrier-table"])
        rows = load.barriers(os.path.join(ROOT, "build", "barriers", "barriers.json")) or []
        got = {}
        for row in rows:
            if row["strategy"] == s["name"]:
                got.setdefault(row["arch"], {})[row["side"]] = row["instructions"]
        if got and r.returncode == 0:
            return got, "disassembled (make barrier-table)"
    exp = {a: {side: [i for i in v if i not in ("LOAD", "STORE")] for side, v in sides.items()}
           for a, sides in s["expected_insns"].items()}
    return exp, "expected from the descriptor's probe tokens (cross compilers not installed)"


def cost(build, arms, mixes, cpus, budget, layouts, out):
    path = os.path.join(out, "pair.json")
    log(f"paired cost, {budget:g} s over {layouts} layout(s): {','.join(arms)}")
    doc = paired.measure(build, arms, budget, path, layouts=layouts, mixes=mixes, cpus=cpus)
    return doc, paired.analyze(doc)


def verdict_block(s, cells, lkmm, lkmm_src, shapes, machines):
    """The opening lines: what a reviewer acts on."""
    by = {(c["shape"], c["model"]): c for c in cells}
    bad = [c for c in cells if not c["ok"]]
    fails = {m: [sh for sh in shapes if by.get((sh, m), {}).get("verdict") == "Sometimes"]
             for m in machines}
    never = [m for m in machines if not fails[m]]
    parts = []
    if never:
        parts.append(("correct" if len(never) == len(machines) else "Never") +
                     f" in emulation on {'/'.join(never)}")
    for m in machines:
        if fails[m]:
            parts.append(f"Sometimes on {m} ({', '.join(fails[m])})")
    by_v = {}
    for sh in shapes:
        by_v.setdefault(lkmm[sh][0], []).append(sh)
    lk = "; ".join(f"{v} on {', '.join(shs)}" for v, shs in by_v.items())
    lines = [f"Verdict: {'; '.join(parts)}; LKMM: {lk}."]
    trials = [c["trials"] for c in cells if c["verdict"] == "Never"]
    if trials:
        lines.append(f"Never cells: at least {min(trials)} racing trials each, "
                     f"{cells[0]['seeds']} seeds per cell.")
    notes = {}
    for sh in shapes:
        note = s["verdicts"][sh].get("note")
        if note:
            notes.setdefault(note, []).append(sh)
    for note, shs in notes.items():
        lines.append(f"{', '.join(shs)}: {note}.")
    if bad:
        lines.append("EMULATOR DISAGREES with the descriptor on " + ", ".join(
            f"{c['shape']}/{c['model']} ({c['verdict']}, expected {c['expected']})" for c in bad)
            + ": make test fails.")
    lines.append(f"LKMM verdicts from {lkmm_src}.")
    return lines


def main(argv):
    ap = OneLineParser(prog="evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("strategy")
    ap.add_argument("--base", default="dep")
    ap.add_argument("--budget", type=float, default=100,
                    help="seconds of paired rounds (default 100; the whole evaluation "
                         "stays under 3 minutes on 2 CPUs)")
    ap.add_argument("--mix", help="mixes for the cost (default all)")
    ap.add_argument("--cpus", help="CPU counts for the cost (default 1,2,..,N)")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--layouts", type=int, default=4,
                    help="link orders the paired rounds are spread over (default 4: code "
                         "layout alone moves identical code by up to 1.7%% here)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", help="run directory (default results/evaluate-<x>-<host>-<UTC>)")
    try:
        a = ap.parse_args(argv[1:])
    except SystemExit as e:
        return 2 if e.code else 0
    t0 = datetime.datetime.now(datetime.timezone.utc)
    try:
        desc = describe(a.build)
        names = {s["name"]: s for s in desc["strategies"]}
        for n in (a.strategy, a.base):
            if n not in names:
                print(f"evaluate: error: unknown strategy '{n}' (one of: {', '.join(names)})",
                      file=sys.stderr)
                return 2
        if a.strategy == a.base:
            print(f"evaluate: error: STRATEGY and BASE are both {a.base}", file=sys.stderr)
            return 2
        if a.budget <= 0 or a.seeds < 1 or not 1 <= a.layouts <= 16:
            print("evaluate: error: --budget must be > 0, --seeds >= 1, --layouts 1..16",
                  file=sys.stderr)
            return 2
        s = names[a.strategy]
        if s["kind"] == "baseline":
            print("evaluate: error: baseline is single-threaded: it has no verdicts to evaluate",
                  file=sys.stderr)
            return 2
        out = a.out or os.path.join(ROOT, "results", f"evaluate-{a.strategy}-"
                                    f"{socket.gethostname()}-{t0.strftime('%Y%m%dT%H%M%SZ')}")
        os.makedirs(out, exist_ok=True)
        shapes = [x["name"] for x in desc["shapes"]]
        machines = [m["name"] for m in desc["models"] if m["emulated"]]
        cells = emulate(a.build, s, out, a.seeds)
        lkmm, lkmm_src = lkmm_verdicts(a.build, s, out)
        insns, insn_src = instructions(a.build, s)
        arms = [a.base, a.strategy] + (["locked"] if "locked" not in (a.base, a.strategy) else [])
        doc, rows = cost(a.build, arms, a.mix, a.cpus, a.budget, a.layouts, out)
    except ResultError as e:
        print(f"evaluate: error: {e}", file=sys.stderr)
        return 1
    c = doc["context"]
    head = [f"faultline evaluate: {s['name']} ({s['kind']}): {s['desc']}",
            f"on {c['host']} ({c['arch']}, {c['usable_cpus']} CPUs), faultline "
            f"{c['faultline_git_rev']}, {t0.strftime('%Y-%m-%d %H:%M')} UTC", ""]
    body = verdict_block(s, cells, lkmm, lkmm_src, shapes, machines)
    txt = head + [l2 for l in body for l2 in textwrap.wrap(l, WIDTH, subsequent_indent="  ")]
    nl = doc.get("layouts", 1)
    txt += ["", f"Cost (faultline-pair: {doc['elapsed_s']:.0f} s, {doc['rounds']} rounds of "
            f"{doc['window_s'] * 1000:g} ms windows" + (f", {nl} link orders" if nl > 1 else "")
            + "):",
            f"{s['name']}'s throughput, + = faster: median per-round ratio, 95% CI, "
            f"* p < {stats.FLAG_P:g}"]
    for bi, other in enumerate(arms):
        if other == s["name"]:
            continue
        mine = [r for r in paired.analyze(doc, base=bi) if r["label"] == s["name"]]
        txt.append(f" vs {other}:")
        by_mix = {}
        for r in mine:
            by_mix.setdefault(r["mix"], []).append(r)
        for mix, rs in by_mix.items():
            cells_txt = "  ".join(f"@{r['cpus']} {paired.pct(r['ratio'])} "
                                  f"{paired.ci_text(r['ci'])}{'*' if r['flag'] else ''}"
                                  for r in rs)
            txt += textwrap.wrap(f"  {mix:<8}{cells_txt}", WIDTH, subsequent_indent=" " * 10)
    noisy = sum(r["noisy"] for r in rows)
    if noisy:
        txt.append(f"({noisy} noisy rounds left out: the host took the CPU away.)")
    if c["usable_cpus"] < 4:
        txt.append(f"Scaling beyond {c['usable_cpus']} CPUs not measured here.")
    txt += ["", f"Emitted instructions, writer | reader ({insn_src}):"]
    for arch in desc["arches"]:
        sides = insns.get(arch)
        if not sides:
            txt.append(f"  {arch:<8} (not built)")
            continue
        w = ", ".join(sides.get("writer", [])) or "-"
        rd = ", ".join(sides.get("reader", [])) or "-"
        txt.append(f"  {arch:<8} {w} | {rd}"[:WIDTH])
    elapsed = (datetime.datetime.now(datetime.timezone.utc) - t0).total_seconds()
    txt += ["", f"({elapsed:.0f} s; every figure: {os.path.relpath(out, ROOT)}/evaluate.md)"]
    txt = [w for l in txt for w in (textwrap.wrap(l, WIDTH, subsequent_indent="  ") or [""])]
    md = ["# faultline evaluate: " + s["name"], "", "```", *txt, "```", "",
          "## Emulated cells", "", "| shape | machine | verdict | expected | seeds violating | "
          "racing trials | ok |", "|---|---|---|---|---|---|---|"]
    for cc in cells:
        md.append(f"| {cc['shape']} | {cc['model']} | {cc['verdict']} | {cc['expected']} | "
                  f"{cc['violating_seeds']}/{cc['seeds']} | {cc['trials']} | {cc['ok']} |")
    md += ["", "## LKMM", "", f"Source: {lkmm_src}", "", "| shape | verdict | from |", "|---|---|---|"]
    md += [f"| {sh} | {v} | {src} |" for sh, (v, src) in lkmm.items()]
    md += ["", "## Paired cost (every arm vs " + a.base + ")", "", "```",
           paired.render(doc, rows).rstrip(), "```"]
    with open(os.path.join(out, "evaluate.txt"), "w") as fh:
        fh.write("\n".join(txt) + "\n")
    with open(os.path.join(out, "evaluate.md"), "w") as fh:
        fh.write("\n".join(md) + "\n")
    print("\n".join(txt))
    return 1 if any(not cc["ok"] for cc in cells) else 0
