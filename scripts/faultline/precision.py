"""make bench-precision: the paired design's precision, measured.

One run of faultline-pair at one point (default publish@1) with four arms:
the base twice (A/A on the same code), a strategy whose instructions on this
path are identical to the base's (A/A on identical instructions at other
addresses), and the base slowed by a known 1% (detection). The same arms in
the sequential design at the same budget give the old way's interval, and
--runs=N repeats the paired run for the A/A false-positive count. Every run's
JSON is kept in the output directory as it finishes, so an interrupted
benchmark keeps what it measured.

Targets (issue [evaluate]; docs/design.md §9): A/A intervals contain 0 and are
within +-1% after the budget (60 s); the 1% slowdown is flagged (p < FLAG_P);
the sequential interval is at least 15x wider; at most 1 of 20 A/A runs flags.
"""
import datetime
import os
import socket
import sys

from . import OneLineParser, ResultError, ROOT, paired, stats

TARGET_HALF_WIDTH = 0.01
TARGET_GAIN = 15
TARGET_FLAGS = 1


# The sequential design's window: the sweep's (faultline --duration default),
# as separate benchmark points measure.
SEQUENTIAL_WINDOW = 0.25


def run_pair(binary, arms, point, budget, design, seed, path):
    mix, cpus = point.split("@")
    extra = [f"--design={design}"] + ([f"--window={SEQUENTIAL_WINDOW}"]
                                      if design == "sequential" else [])
    doc = paired.measure(None, arms, budget, path, mixes=mix, cpus=cpus, extra=extra,
                         seed=seed, binary=binary)
    if not doc.get("complete", True):
        raise KeyboardInterrupt("interrupted")   # faultline-pair kept its windows in path
    return doc


def half_width(row):
    ci = row["ci"]
    return max(abs(ci[0] - 1), abs(ci[1] - 1)) if ci else float("inf")


def width(row):
    return row["ci"][1] - row["ci"][0] if row["ci"] else float("inf")


def main(argv):
    ap = OneLineParser(prog="bench-precision", description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "faultline-pair"))
    ap.add_argument("--base", default="dep")
    ap.add_argument("--twin", default="wmb-rmb",
                    help="a strategy with the base's instructions on this path (default wmb-rmb)")
    ap.add_argument("--point", default="publish@1", help="MIX@CPUS (default publish@1)")
    ap.add_argument("--budget", type=float, default=60, help="seconds per run (default 60)")
    ap.add_argument("--runs", type=int, default=1,
                    help="paired runs for the A/A false-positive count (default 1; the target is for 20)")
    ap.add_argument("--out", help="output directory (default results/precision-<host>-<UTC>)")
    try:
        a = ap.parse_args(argv[1:])
    except SystemExit as e:
        return 2 if e.code else 0
    if "@" not in a.point or a.runs < 1 or a.budget <= 0:
        print("bench-precision: error: --point is MIX@CPUS, --runs >= 1, --budget > 0",
              file=sys.stderr)
        return 2
    if not os.access(a.binary, os.X_OK):
        print(f"bench-precision: error: {a.binary} is not built (make build/faultline-pair)",
              file=sys.stderr)
        return 2
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = a.out or os.path.join(ROOT, "results", f"precision-{socket.gethostname()}-{stamp}")
    os.makedirs(out, exist_ok=True)
    arms = [a.base, a.base, a.twin, a.base + "+1%"]
    lines, ok_all = [], True

    def say(s=""):
        lines.append(s)
        print(s, flush=True)

    def check(ok, what):
        nonlocal ok_all
        ok_all &= ok
        say(f"{'PASS' if ok else 'FAIL'}  {what}")

    try:
        seq = run_pair(a.binary, arms, a.point, a.budget, "sequential", 1,
                       os.path.join(out, "sequential.json"))
        runs = []
        for i in range(a.runs):
            runs.append(run_pair(a.binary, arms, a.point, a.budget, "paired", i + 1,
                                 os.path.join(out, f"paired-{i + 1}.json")))
            print(f"bench-precision: paired run {i + 1}/{a.runs} done", file=sys.stderr)
    except (ResultError, KeyboardInterrupt) as e:
        print(f"bench-precision: stopped: {e}; what finished is in {out}", file=sys.stderr)
        return 130 if isinstance(e, KeyboardInterrupt) else 1
    first = paired.analyze(runs[0])
    say(paired.render(runs[0], first).rstrip())
    say()
    say(f"sequential design, same arms and budget, {SEQUENTIAL_WINDOW:g} s windows as the sweep's:")
    srows = paired.analyze(seq)
    say(paired.render(seq, srows).rstrip())
    say()
    aa, twin, slow = first[0], first[1], first[2]
    for row, what in ((aa, f"A/A {a.base} vs {a.base}"),
                      (twin, f"A/A {a.base} vs {a.twin} (identical instructions here)")):
        contains = row["ci"] and row["ci"][0] <= 1 <= row["ci"][1]
        check(bool(contains) and half_width(row) <= TARGET_HALF_WIDTH,
              f"(a) {what}: {paired.pct(row['ratio'])} {paired.ci_text(row['ci'])}, "
              f"contains 0 and within +-{TARGET_HALF_WIDTH:.0%} after {runs[0]['elapsed_s']:.0f} s")
    check(slow["flag"] and slow["ratio"] < 1,
          f"(b) {slow['label']} flagged: {paired.pct(slow['ratio'])} "
          f"{paired.ci_text(slow['ci'])}, p {paired.p_text(slow['p'])} < {stats.FLAG_P:g}")
    gain = width(srows[0]) / width(aa) if width(aa) > 0 else float("inf")
    check(gain >= TARGET_GAIN,
          f"(c) sequential A/A interval {paired.ci_text(srows[0]['ci'])} is {gain:.1f}x "
          f"the paired one's width (target >= {TARGET_GAIN}x)")
    if a.runs > 1:
        flags = sum(1 for d in runs for r in paired.analyze(d)[:2] if r["flag"])
        check(flags <= TARGET_FLAGS * (a.runs // 20 or 1),
              f"(d) {flags} of {2 * a.runs} A/A comparisons in {a.runs} runs flagged "
              f"(target: at most {TARGET_FLAGS} per 20 runs)")
    with open(os.path.join(out, "precision.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"bench-precision: {os.path.relpath(out)}/precision.txt", file=sys.stderr)
    return 0 if ok_all else 1
