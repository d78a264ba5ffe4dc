"""Run faultline's default sweep into results/<host>-<UTC timestamp>/.

Repetitions are the outer loop: pass 1 runs every (mix, strategy) once, then
pass 2, and so on, so slow drift of the machine (a noisy neighbour, the host
moving a vCPU) spreads over all strategies instead of biasing whichever ran
during a bad spell. Each (pass, mix, strategy) is its own faultline process
writing its own JSON fragment, so an interrupted sweep keeps every point it
finished: Ctrl-C merges what is done into bench.json (marked incomplete), with
Google Benchmark style aggregates over the repetitions, and prints the summary.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from . import ROOT, SCRIPTS, ResultError, describe, load, stats, summary
from . import verdicts as fv
from .text import cpu_counts

# The emulation matrix runs at faultline-emu's own default seeds in both
# profiles: its verdict rule (strategies/verdict.c) needs them to call a cell Never.
FULL = {"repetitions": stats.MIN_REPETITIONS, "duration": 0.3, "stress_s": 0.5,
        "kernel_reps": stats.MIN_REPETITIONS, "kernel_s": 0.2}
QUICK = {"repetitions": 3, "duration": 0.05, "stress_s": 0.1, "kernel_reps": 2, "kernel_s": 0.05}


def parse():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--binary", default="build/faultline")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run (short windows; the emulation matrix keeps its seeds)")
    ap.add_argument("--results", default="results", help="parent directory of run directories")
    ap.add_argument("--repetitions", type=int,
                    help=f"per point (default {FULL['repetitions']}, quick {QUICK['repetitions']})")
    ap.add_argument("--duration", type=float,
                    help=f"window seconds (default {FULL['duration']}, quick {QUICK['duration']})")
    ap.add_argument("--cpus", help="CPU counts, as faultline --cpus (default 1,2,4..N,N)")
    ap.add_argument("--mix", default="all", help="names or all, as faultline --mix")
    ap.add_argument("--strategy", default="all",
                    help="names, kinds (correct, control) or all, as faultline --strategy")
    ap.add_argument("--placement", help="faultline's --placement, passed to faultline, "
                    "faultline-kernel and faultline-stress (default: theirs, compact)")
    ap.add_argument("extra", nargs="*", help="more faultline flags, after --")
    a = ap.parse_args()
    prof = QUICK if a.quick else FULL
    a.repetitions = a.repetitions or prof["repetitions"]
    a.duration = a.duration or prof["duration"]
    a.stress_s = prof["stress_s"]
    a.kernel_reps, a.kernel_s = prof["kernel_reps"], prof["kernel_s"]
    if a.repetitions < 1 or a.duration <= 0:
        ap.error("repetitions and duration must be positive")
    if a.cpus is not None:
        try:
            cpu_counts(a.cpus)
        except ValueError as e:
            usage_error(e)
    return a


def usage_error(what):
    """A bad --strategy=, --mix= or --cpus= (make bench STRATEGY= MIX= CPUS=): one line, exit 2."""
    print(f"faultline: error: {what}", file=sys.stderr)
    sys.exit(2)


def eta(done, total, elapsed):
    """'ETA mm:ss' from the mean time of the jobs done so far ('ETA --:--' before one is)."""
    if not done:
        return "ETA --:--"
    left = max(0.0, elapsed / done * (total - done))
    return f"ETA {int(left // 60):02d}:{int(left % 60):02d}"


def pick(desc, requested, what):
    """The strategies or mixes a --strategy= / --mix= value names, from the
    binary's own description (faultline --describe=json)."""
    try:
        return desc.select(requested, what)
    except ValueError as e:
        usage_error(e)


def run_dir(root):
    host = socket.gethostname().split(".")[0] or "host"
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(root, f"{host}-{stamp}")
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(root, f"{host}-{stamp}-{n}")
    os.makedirs(path)
    return path


# Google Benchmark's own fields, but for the times, are not aggregated.
NOT_STATS = set(load.GB_FIELDS) - {"real_time", "cpu_time"}


def aggregate(reps):
    """Aggregate entries over the repetitions of one benchmark, as Google
    Benchmark writes them (cv as a fraction, aggregate_unit percentage)."""
    out = []
    first = reps[0]
    # A perf event left out of one repetition (perf.h: never an error) is
    # left out of the aggregates too.
    keys = [k for k, v in first.items()
            if k not in NOT_STATS and isinstance(v, (int, float)) and all(k in r for r in reps)]
    for agg, stat in stats.AGGREGATES.items():
        e = {k: first[k] for k in ("name", "family_index", "per_family_instance_index",
                                   "threads", "time_unit", "label") if k in first}
        e["name"] = f"{first['run_name']}_{agg}"
        e.update(run_name=first["run_name"], run_type="aggregate", repetitions=len(reps),
                 aggregate_name=agg, aggregate_unit="percentage" if agg == "cv" else "time",
                 iterations=len(reps))
        for k in keys:
            e[k] = stat([r[k] for r in reps])
        out.append(e)
    return out


def merge(outdir, fragments, sweep):
    """fragments: [(pass index, path)]. Writes bench.json atomically."""
    docs = []
    for p, f in fragments:
        with open(f, encoding="utf-8") as fh:
            docs.append((p, json.load(fh)))
    if not docs:
        return None
    runs = {}
    for p, d in docs:
        for b in d["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            b = dict(b, repetition_index=p)
            runs.setdefault(b["run_name"], []).append(b)
    benchmarks = []
    for reps in runs.values():
        reps.sort(key=lambda b: b["repetition_index"])
        for b in reps:
            b["repetitions"] = len(reps)
        benchmarks.extend(reps)
        if not any(b.get("error_occurred") for b in reps):
            benchmarks.extend(aggregate(reps))
    merged = {"context": docs[0][1]["context"], "faultline_sweep": sweep,
              "benchmarks": benchmarks}
    path = os.path.join(outdir, "bench.json")
    with open(path + ".partial", "w", encoding="utf-8") as fh:
        json.dump(merged, fh, indent=1)
    os.replace(path + ".partial", path)
    return path


def placed(a):
    """--placement for faultline, faultline-kernel and faultline-stress, when given."""
    return [f"--placement={a.placement}"] if a.placement else []


def correctness(a, strategies, outdir, console):
    """The side measurements: the real kernel's fault and GUP-fast beside the
    model (kernel.json), and the correctness columns, stress on this hardware
    and emulated verdicts. Each writes its JSON beside bench.json; a failure is
    reported, not fatal."""
    bindir = os.path.dirname(a.binary)
    chosen = "all" if a.strategy == "all" else ",".join(strategies)
    jobs = [("the real kernel's fault and GUP-fast (build/faultline-kernel)", "kernel.json",
             [os.path.join(bindir, "faultline-kernel"), f"--repetitions={a.kernel_reps}",
              f"--duration={a.kernel_s}", "--quiet"] + ([f"--cpus={a.cpus}"] if a.cpus else [])
             + placed(a)),
            ("stress (litmus7-style, this hardware)", "stress.json",
             [os.path.join(bindir, "faultline-stress"), f"--duration={a.stress_s}",
              f"--strategy={chosen}"] + ([f"--cpus={a.cpus}"] if a.cpus else []) + placed(a)),
            ("raw lock+unlock per lock flavour (build/faultline-lockbench)", "locks.json",
             [os.path.join(bindir, "faultline-lockbench"), f"--repetitions={a.kernel_reps}",
              f"--duration={a.kernel_s}", "--quiet"] + ([f"--cpus={a.cpus}"] if a.cpus else []) + placed(a)),
            ("weak-memory emulation verdict matrix", "verdicts.json",
             [os.path.join(bindir, "faultline-emu"), "--matrix"] +
             ([] if a.strategy == "all" else [f"--strategy={chosen}"]))]
    make = shutil.which("make")
    if make and shutil.which("aarch64-linux-gnu-gcc") and shutil.which("alpha-linux-gnu-gcc"):
        # The Makefile's barrier-table target: the describe object and the
        # flags the binary was built with are defined there, once.
        build = os.path.abspath(bindir or ".")
        jobs.append(("emitted barriers per architecture", "barriers.json",
                     [make, "--no-print-directory", "-s", "-C", ROOT]
                     + ([] if build == os.path.join(ROOT, "build") else [f"BUILD={build}"])
                     + ["barrier-table"]))
    else:
        print("[correctness] emitted barriers: skipped (no make or no cross compilers; "
              "run 'make cross-deps')", file=sys.stderr)
    problems = []
    for what, name, cmd in jobs:
        if not os.access(cmd[0], os.X_OK):
            problems.append(f"{what}: {cmd[0]} not built")
            continue
        tag = "kernel" if name == "kernel.json" else "correctness"
        print(f"[{tag}] {what}", file=sys.stderr, flush=True)
        problem = judge(what, os.path.join(outdir, name), run_job(cmd, name, outdir, console))
        if problem:
            problems.append(problem)
    return problems


def run_job(cmd, name, outdir, console):
    """Run one correctness tool so that it leaves outdir/name."""
    if name != "barriers.json":
        return subprocess.run(cmd + [f"--json={os.path.join(outdir, name)}"], stdout=console,
                              stderr=subprocess.PIPE, text=True)
    start = time.time()
    r = subprocess.run(cmd, stdout=console, stderr=subprocess.PIPE, text=True)
    table = os.path.join(ROOT, "build", "barriers")  # where `make barrier-table` writes
    made = os.path.join(table, "barriers.json")
    if os.path.exists(made) and os.path.getmtime(made) >= start - 1:
        shutil.copytree(table, os.path.join(outdir, "barriers"), dirs_exist_ok=True)
        shutil.copy(made, os.path.join(outdir, name))
    return r


def judge(what, path, r):
    """None, or the problem with a correctness tool's run. Exit 0: as expected;
    1: the tool judged something wrong (for faultline-emu, read from the JSON it
    wrote); 3 (faultline-stress): too few trials somewhere; 2 or anything else:
    the tool failed."""
    if r.returncode == -signal.SIGINT:
        raise KeyboardInterrupt
    if r.returncode == 0 and os.path.exists(path):
        return None
    if r.returncode == 3 and os.path.exists(path):    # faultline-stress: no power
        return (f"{what}: inconclusive: a shape of a correct strategy had too few "
                f"trials to conclude (see {os.path.basename(path)})")
    if r.returncode != 1 or not os.path.exists(path):
        return f"{what}: exit {r.returncode}: {r.stderr.strip()[:200]}"
    if os.path.basename(path) == "verdicts.json":
        return f"{what}: {emulation_failures(path)}"
    if os.path.basename(path) == "kernel.json":
        return f"{what}: a check failed (rows with \"sane\": false in {path})"
    return f"{what}: {r.stderr.strip()[:200] or 'exit 1'}"


def emulation_failures(path):
    """The cells faultline-emu did not pass, from the verdicts.json it wrote."""
    try:
        v = load.verdicts(path)
    except ResultError as e:
        return str(e)
    fails = v.failures()
    if not fails:
        return f"exit 1, yet every cell of {path} is ok"
    return (f"{len(fails)} of {len(v.cells)} cells not as expected: "
            + "; ".join(fv.failure(c, name=str) for c in fails))


def main():
    a = parse()
    if not os.access(a.binary, os.X_OK):
        sys.exit(f"faultline: error: {a.binary} not built (run make)")
    try:
        desc = describe.from_binary(a.binary)
    except ResultError as e:
        sys.exit(f"faultline: error: {e}")
    if a.placement is not None and desc.placements and a.placement not in desc.placements:
        usage_error(f"unknown placement '{a.placement}' (want {', '.join(desc.placements)})")
    strategies = pick(desc, a.strategy, "strategy")
    mixes = pick(desc, a.mix, "mix")
    outdir = run_dir(a.results)
    frag_dir = os.path.join(outdir, "fragments")
    os.makedirs(frag_dir)
    jobs = [(p, m, s) for p in range(a.repetitions) for m in mixes for s in strategies]
    common = [f"--duration={a.duration}"] + placed(a)
    if a.cpus:
        common.append(f"--cpus={a.cpus}")
    common += a.extra
    sweep = {"complete": False, "command": " ".join(sys.argv), "repetitions": a.repetitions,
             "duration_s": a.duration, "mixes": mixes, "strategies": strategies,
             "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat()}
    print(f"faultline: sweep of {a.repetitions} passes x {len(mixes) * len(strategies)} "
          f"(mix, strategy) pairs x CPU counts, {a.duration}s windows -> {outdir}",
          file=sys.stderr)
    done, failed, t0 = [], [], time.time()
    console = open(os.path.join(outdir, "console.txt"), "w", encoding="utf-8")
    interrupted = False
    try:
        for i, (rep, mix, strat) in enumerate(jobs, 1):
            frag = os.path.join(frag_dir, f"p{rep + 1}-{mix}-{strat}.json")
            cmd = [a.binary, f"--mix={mix}", f"--strategy={strat}", f"--json={frag}"] + common
            if mix == mixes[0] and strat == strategies[0]:
                cmd.append("--overhead")
            print(f"[{i}/{len(jobs)} {time.time() - t0:5.0f}s, "
                  f"{eta(i - 1, len(jobs), time.time() - t0)}] pass {rep + 1}: {mix}/{strat}",
                  file=sys.stderr, flush=True)
            r = subprocess.run(cmd, stdout=console, stderr=subprocess.PIPE, text=True)
            for line in r.stderr.splitlines():
                # Our progress and errors to the terminal; Google Benchmark's
                # context banner to console.txt with its table.
                if line.startswith("faultline:"):
                    print("    " + line[len("faultline: "):], file=sys.stderr)
                else:
                    console.write(line + "\n")
            if r.returncode == 0:
                done.append((rep, frag))
            elif r.returncode < 0 and -r.returncode == signal.SIGINT:
                raise KeyboardInterrupt
            else:
                failed.append(f"pass {rep + 1} {mix}/{strat} (exit {r.returncode})")
    except KeyboardInterrupt:
        interrupted = True
        print("\nfaultline: interrupted; keeping the finished points", file=sys.stderr)
    if not interrupted:
        try:
            failed += correctness(a, strategies, outdir, console)
        except KeyboardInterrupt:
            interrupted = True
    console.close()
    sweep["complete"] = not interrupted and not failed
    sweep["failed"] = failed
    sweep["finished_utc"] = datetime.datetime.now(datetime.timezone.utc).isoformat()
    path = merge(outdir, done, sweep)
    if not path:
        print("faultline: no point finished; nothing written", file=sys.stderr)
        return 130 if interrupted else 1
    problems = []
    try:
        run = load.load_run(path, problems)
        text, bad = summary.table(run)
        lines, _ = summary.correctness(run)  # an emulation failure is in failed already
        lines = summary.instruments(run) + lines
    except ResultError as e:  # bench.json itself
        text, bad, lines = "", True, []
        problems.append(str(e))
    text = "\n".join(([text] if text else []) + lines
                     + [f"faultline: error: {p}" for p in problems])
    failed += [f"summary: {p}" for p in problems]
    with open(os.path.join(outdir, "summary.txt"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    print(text)
    r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "report.py"), outdir])
    if r.returncode:
        failed.append(f"report (exit {r.returncode})")
    print(f"\nfaultline: results in {path} ({time.time() - t0:.0f}s)", file=sys.stderr)
    if failed:
        print("faultline: failed: " + ", ".join(failed), file=sys.stderr)
    if interrupted:
        return 130
    return 1 if (failed or bad) else 0
