"""make soak [MINUTES=10]: every correct strategy in every mix at 2x
oversubscription for the given time, in one process (build/faultline-soak),
then every control through the weak-memory emulator (build/faultline-emu);
checks 0 violations, resident memory flat after the warm-up, every control
caught. Writes results/soak-<host>-<UTC>/soak.json and soak.md.

The native process rewrites soak.json whole after every round, so an
interrupted soak keeps every finished round; this script then adds the
emulation and the checks and rewrites it once more, whole. The thresholds
are faultline-soak's (bench/soak.h), read from soak.json's "thresholds".
Exit status: 0 every check passed, 1 a check failed (one line each), 2 bad
usage, 130 interrupted (what was measured is written, marked interrupted).
"""
import argparse
import datetime
import json
import os
import signal
import socket
import subprocess
import sys

EMULATION_FILE = "emulation.json"


class Parser(argparse.ArgumentParser):
    def error(self, message):
        usage_error(message)  # one line, exit 2


def parse(argv):
    ap = Parser(prog="scripts/soak", description=__doc__.strip().splitlines()[0],
                                 epilog="Exit status: 0 every check passed, 1 a check failed, "
                                 "2 bad usage, 130 interrupted (Ctrl-C/SIGTERM: the finished "
                                 "rounds are written, marked interrupted).")
    ap.add_argument("--minutes", type=float, default=10.0,
                    help="native soak time in minutes (default 10); the emulation runs after it")
    ap.add_argument("--build", default="build", help="where faultline-soak and faultline-emu are")
    ap.add_argument("--results", default="results",
                    help="parent of the soak-<host>-<UTC> directory")
    ap.add_argument("--out", help="write into this directory instead (made if missing)")
    ap.add_argument("--window", type=float, help="seconds per round (faultline-soak's default)")
    ap.add_argument("--placement", help="faultline-soak --placement")
    ap.add_argument("--strategy", help="faultline-soak --strategy (default correct)")
    ap.add_argument("--mix", help="faultline-soak --mix (default all)")
    ap.add_argument("--emu-seeds", type=int, default=20,
                    help="faultline-emu --matrix --seeds (default 20, its verdict rule's)")
    ap.add_argument("--emu-model", help="faultline-emu --model (default every model); "
                    "tso alone catches no control (the check's negative control)")
    ap.add_argument("--leak-kib", type=int, help="test only: faultline-soak --leak-kib")
    ap.add_argument("--inject-violation", type=int,
                    help="test only: faultline-soak --inject-violation")
    a = ap.parse_args(argv)
    if not a.minutes > 0:
        usage_error(f"bad --minutes {a.minutes} (want more than 0)")
    if a.emu_seeds < 1:
        usage_error(f"bad --emu-seeds {a.emu_seeds} (want 1 or more)")
    return a


def usage_error(what):
    print(f"soak: error: {what}", file=sys.stderr)
    sys.exit(2)


def run_dir(a):
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        return a.out
    host = socket.gethostname().split(".")[0] or "host"
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path, n = os.path.join(a.results, f"soak-{host}-{stamp}"), 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(a.results, f"soak-{host}-{stamp}-{n}")
    os.makedirs(path)
    return path


def write_whole(path, text):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


class Child:
    """A tool run to the end; SIGINT/SIGTERM to us go to it too, and mark us interrupted."""

    def __init__(self):
        self.proc = None
        self.interrupted = False
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.forward)

    def forward(self, sig, frame):
        self.interrupted = True
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def run(self, cmd, stdout=None):
        print("soak: " + " ".join(cmd), file=sys.stderr, flush=True)
        self.proc = subprocess.Popen(cmd, stdout=stdout)
        while True:
            try:
                return self.proc.wait()
            except InterruptedError:
                continue


def controls_caught(path, seeds, models):
    """From faultline-emu's matrix JSON: per control, the cells (shape/model)
    where the emulator saw violations (verdict Sometimes)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    controls = {}
    for c in doc["cells"]:
        if c["kind"] != "control":
            continue
        entry = controls.setdefault(c["strategy"], {"caught": False, "cells_caught": []})
        if c["verdict"] == "Sometimes":
            entry["caught"] = True
            entry["cells_caught"].append(f"{c['shape']}/{c['model']}")
    return {"file": EMULATION_FILE, "seeds": seeds, "models": models or "all",
            "cells_as_expected": all(c["ok"] for c in doc["cells"]), "controls": controls}


def checks(doc):
    """Each check: ok (True, False, or None: not run) and one line saying why."""
    s, t = doc["summary"], doc["thresholds"]
    out = {}
    injected = sum(r["injected_violations"] for r in doc["rounds"])
    out["violations"] = {
        "ok": s["violations"] == 0,
        "text": f"{s['violations']} violations in {s['rounds']} rounds ({s['ops']} operations)"
                + (f"; {injected} injected (--inject-violation)" if injected else "")}
    if s["flat"] is None:
        text = (f"{s['rss_samples']} RSS samples after the {t['warmup_passes']} warm-up "
                f"pass(es), need {t['min_rss_samples']}: soak longer")
    else:
        text = (f"RSS {s['rss_min_kib']}..{s['rss_max_kib']} KiB over {s['rss_samples']} rounds "
                f"after {t['warmup_passes']} warm-up pass(es): spread {100 * s['rss_spread']:.2f}% "
                f"(limit {100 * t['rss_tolerance']:g}%)")
    out["rss_flat"] = {"ok": s["flat"] is True, "text": text}
    emu = doc.get("emulation")
    if emu is None:
        out["controls_caught"] = {"ok": None, "text": "not run (interrupted)"}
    else:
        missed = [n for n, c in emu["controls"].items() if not c["caught"]]
        out["controls_caught"] = {
            "ok": bool(emu["controls"]) and not missed,
            "text": (f"not caught in emulation: {', '.join(missed)} (models {emu['models']}, "
                     f"seeds 1..{emu['seeds']})" if missed else
                     f"{len(emu['controls'])} controls caught in emulation: " + "; ".join(
                         f"{n} ({', '.join(c['cells_caught'])})"
                         for n, c in emu["controls"].items()))}
    return out


def check_lines(doc):
    """One line per check: name, pass/FAIL/not run, why."""
    return [f"**{name}**: {'not run' if c['ok'] is None else 'pass' if c['ok'] else 'FAIL'}: "
            f"{c['text']}" for name, c in doc["checks"].items()]


def intro(doc):
    s, m = doc["summary"], doc["machine"]
    return (f"{s['elapsed_s'] / 60:.1f} min{' (INTERRUPTED)' if doc['interrupted'] else ''}: "
            f"`{doc['command']}` at {m['faultline_git_rev']}, {m['cpu_model']}, {m['kernel']}.")


def figure_rows(doc):
    """[figure, value] rows: what soak.md and the report show."""
    s, p, m = doc["summary"], doc["parameters"], doc["machine"]
    pl = doc["placement"]
    return [("rounds (passes complete)", f"{s['rounds']} ({s['passes']})"),
            ("threads", f"{p['threads']} = {p['oversubscription']} x {p['usable_cpus']} "
             "usable CPUs"),
            ("placement", f"{pl['policy']} (effective {pl['effective']}"
             + (f"; {pl['note']}" if pl["note"] else "") + ")"),
            ("window per round", f"{p['window_s']} s"),
            ("operations", f"{s['ops']}"), ("violations", f"{s['violations']}"),
            ("RSS after warm-up", f"{s['rss_min_kib']}..{s['rss_max_kib']} KiB "
             f"({100 * s['rss_spread']:.2f}%)"),
            ("CPUs' worth received (mean, least)", f"{s['cpus_got_mean']:.2f}, "
             f"{s['cpus_got_min']:.2f} of {p['usable_cpus']}"),
            ("steal time (whole machine)", f"{s['steal_s']:.2f} s"),
            ("allocator", f"{m['malloc_library']} ({m['malloc_conf']})")]


def report_blocks(runs):
    """The report's "Soak" section, for the runs with a soak.json beside bench.json
    (make soak RUN=<run directory>)."""
    runs = [r for r in runs if r.soak is not None]
    blocks = [("h", 2, "Soak")] if runs else []
    for run in runs:
        if len(runs) > 1:
            blocks.append(("h", 3, run.label))
        blocks += [("p", "soak.json: " + intro(run.soak)), ("list", check_lines(run.soak)),
                   ("table", ["figure", "value"], [list(r) for r in figure_rows(run.soak)])]
    return blocks


def markdown(doc):
    s, m = doc["summary"], doc["machine"]
    lines = [f"# Soak: {m['host']}, {s['elapsed_s'] / 60:.1f} min"
             + (" (INTERRUPTED)" if doc["interrupted"] else ""), "", intro(doc),
             "", "## Checks", ""]
    lines += [f"- {ln}" for ln in check_lines(doc)]
    lines += ["", "## Figures", "", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in figure_rows(doc)]
    lines += ["", "## Per strategy and mix", "", "| strategy | mix | rounds | ops | violations |",
              "|---|---|---|---|---|"]
    agg = {}
    for r in doc["rounds"]:
        e = agg.setdefault((r["strategy"], r["mix"]), [0, 0, 0])
        e[0] += 1
        e[1] += r["ops"]
        e[2] += r["violations"]
    lines += [f"| `{st}` | {mx} | {n} | {ops} | {v} |" for (st, mx), (n, ops, v) in agg.items()]
    emu = doc.get("emulation")
    if emu:
        lines += ["", f"## Controls in emulation (models {emu['models']}, seeds 1..{emu['seeds']}; "
                  f"{emu['file']})", "", "| control | caught | cells with violations |",
                  "|---|---|---|"]
        lines += [f"| `{n}` | {'yes' if c['caught'] else 'NO'} | {', '.join(c['cells_caught'])} |"
                  for n, c in emu["controls"].items()]
    return "\n".join(lines) + "\n"


def main(argv=None):
    a = parse(sys.argv[1:] if argv is None else argv)
    soak_bin = os.path.join(a.build, "faultline-soak")
    emu_bin = os.path.join(a.build, "faultline-emu")
    for b in (soak_bin, emu_bin):
        if not os.access(b, os.X_OK):
            usage_error(f"{b} not built (run make)")
    outdir = run_dir(a)
    path = os.path.join(outdir, "soak.json")
    cmd = [soak_bin, f"--duration={a.minutes * 60:g}", f"--json={path}"]
    for opt, val in (("window", a.window), ("placement", a.placement), ("strategy", a.strategy),
                     ("mix", a.mix), ("leak-kib", a.leak_kib),
                     ("inject-violation", a.inject_violation)):
        if val is not None:
            cmd.append(f"--{opt}={val}")
    child = Child()
    rc = child.run(cmd)
    if rc == 2:
        return 2    # bad usage or unwritable output: faultline-soak said so, in one line
    if not os.path.exists(path):
        print(f"soak: error: faultline-soak exit {rc}, no soak.json", file=sys.stderr)
        return 130 if child.interrupted else 1
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    interrupted = child.interrupted or rc == 130 or doc["interrupted"]
    failed_round = rc not in (0, 130)
    if not interrupted:
        epath = os.path.join(outdir, EMULATION_FILE)
        ecmd = [emu_bin, "--matrix", "--strategy=control", f"--seeds={a.emu_seeds}",
                f"--json={epath}"] + ([f"--model={a.emu_model}"] if a.emu_model else [])
        with open(os.path.join(outdir, "emulation.txt"), "w", encoding="utf-8") as text:
            erc = child.run(ecmd, stdout=text)  # its table, for reading; the JSON is read
        if child.interrupted:
            interrupted = True
        elif erc in (0, 1) and os.path.exists(epath):
            doc["emulation"] = controls_caught(epath, a.emu_seeds, a.emu_model)
            doc["emulation"]["command"] = " ".join(ecmd)
        else:
            print(f"soak: error: faultline-emu exit {erc}", file=sys.stderr)
            return 2 if erc == 2 else 1
    doc["interrupted"] = interrupted
    doc["command"] = "scripts/soak " + " ".join(sys.argv[1:] if argv is None else argv)
    doc["checks"] = checks(doc)
    if failed_round:
        doc["checks"]["rounds_ran"] = {"ok": False, "text": f"faultline-soak exit {rc}: "
                                       "a round failed"}
    doc["summary"]["interrupted"] = interrupted
    doc["summary"]["controls_caught"] = doc["checks"]["controls_caught"]["ok"]
    doc["passed"] = not interrupted and all(c["ok"] for c in doc["checks"].values())
    write_whole(path, json.dumps(doc, indent=1) + "\n")
    write_whole(os.path.join(outdir, "soak.md"), markdown(doc))
    for name, c in doc["checks"].items():
        if c["ok"] is False:
            print(f"soak: FAIL: {name}: {c['text']}", file=sys.stderr)
    print(f"soak: {'interrupted; ' if interrupted else ''}"
          f"{'passed' if doc['passed'] else 'not passed'}: {outdir}/soak.json, soak.md",
          file=sys.stderr)
    if interrupted:
        return 130
    return 0 if doc["passed"] else 1
