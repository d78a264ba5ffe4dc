#!/usr/bin/python3
"""make soak, short: a clean soak passes every check; one with an injected
violation, a leak (--leak-kib) and an emulator that cannot catch a control
(--emu-model=tso) fails each check, one line each; Ctrl-C (SIGINT to the
process group) and SIGTERM mid-run leave a valid soak.json marked
interrupted with the finished rounds, exit 130; bad usage is one line,
exit 2. Prints "ok - " / "not ok - " lines (scripts/run-tests).

usage: test_soak.py BUILD_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
SOAK = [sys.executable, os.path.join(ROOT, "scripts", "soak"), f"--build={BUILD}"]
SHORT = ["--minutes=0.1", "--window=0.05"]     # 6 s: three passes or more here
failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    failed += not cond


def run(out, *args):
    r = subprocess.run(SOAK + [f"--out={out}"] + list(args), capture_output=True, text=True,
                       timeout=300)
    doc = None
    if os.path.exists(os.path.join(out, "soak.json")):
        with open(os.path.join(out, "soak.json"), encoding="utf-8") as f:
            doc = json.load(f)
    return r, doc


def no_partial(out):
    return not [n for n in os.listdir(out) if n.endswith(".partial")]


def fail_lines(r):
    return [ln for ln in r.stderr.splitlines() if ln.startswith("soak: FAIL: ")]


def rounds_whole(doc):
    """Rounds numbered 1..n, every field there, threads = 2 x the usable CPUs."""
    p = doc["parameters"]
    want = {"round", "pass", "strategy", "mix", "threads", "ops", "violations", "rss_kib",
            "cpus_got", "warmup"}
    return (doc["rounds"] and [r["round"] for r in doc["rounds"]] == list(
        range(1, len(doc["rounds"]) + 1))
        and all(want <= set(r) and r["threads"] == 2 * p["usable_cpus"] for r in doc["rounds"]))


tmp = tempfile.mkdtemp(prefix="soak-test-")

# A clean soak: every check passes, and was exercised.
out = os.path.join(tmp, "clean")
r, doc = run(out, *SHORT)
check(r.returncode == 0 and doc and doc["passed"] is True and not fail_lines(r),
      f"a clean soak passes (exit {r.returncode})")
if doc:
    s, c = doc["summary"], doc["checks"]
    kinds = {x["kind"] for x in doc["rounds"]}
    pairs = {(x["strategy"], x["mix"]) for x in doc["rounds"]}
    check(kinds == {"correct"} and len(pairs) == len(doc["parameters"]["strategies"])
          * len(doc["parameters"]["mixes"]) and s["passes"] >= 2,
          f"every correct strategy x mix ran ({len(pairs)} pairs, {s['passes']} passes)")
    check(rounds_whole(doc), "rounds numbered 1..n, whole, at 2x the usable CPUs")
    check(s["ops"] > 0 and s["violations"] == 0 and c["violations"]["ok"],
          f"0 violations in {s['ops']} operations")
    check(s["flat"] is True and s["rss_samples"] >= doc["thresholds"]["min_rss_samples"]
          and c["rss_flat"]["ok"], f"RSS flat: {c['rss_flat']['text']}")
    emu = doc.get("emulation") or {"controls": {}}
    check(len(emu["controls"]) >= 1 and all(x["caught"] for x in emu["controls"].values())
          and c["controls_caught"]["ok"], f"controls caught: {c['controls_caught']['text']}")
    check(s["interrupted"] is False and s["cpus_got_mean"] > 0 and "steal_s" in s,
          "not interrupted; the CPU received and steal recorded")
    check(os.path.exists(os.path.join(out, "soak.md")) and no_partial(out),
          "soak.md written, no .partial left")

# The report shows a soak.json that lies beside bench.json (make soak RUN=<run>).
def report_of(soak_dir):
    d = tempfile.mkdtemp(dir=tmp, prefix="report-")
    with open(os.path.join(ROOT, "tests", "fixtures", "x86_64", "bench.json"), "rb") as f:
        bench = f.read()
    with open(os.path.join(d, "bench.json"), "wb") as f:
        f.write(bench)
    if soak_dir:
        os.replace(os.path.join(soak_dir, "soak.json"), os.path.join(d, "soak.json"))
    r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "report.py"), d],
                       capture_output=True, text=True, timeout=300)
    if soak_dir:
        os.replace(os.path.join(d, "soak.json"), os.path.join(soak_dir, "soak.json"))
    path, md = os.path.join(d, "report.md"), ""
    if r.returncode == 0 and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            md = f.read()
    return md[md.find("## Soak"):] if "## Soak" in md else None


if doc:
    sec = report_of(out)
    check(sec is not None and "**violations**: pass" in sec and "**rss_flat**: pass" in sec
          and "**controls_caught**: pass" in sec and "RSS after warm-up" in sec,
          "the report's Soak section shows the checks and the figures")
    check(report_of(None) is None, "no soak.json beside bench.json: no Soak section")

# Each check's negative control, in one soak: each fails, on its own line.
out = os.path.join(tmp, "bad")
r, doc = run(out, *SHORT, "--inject-violation=3", "--leak-kib=64", "--emu-model=tso")
lines = fail_lines(r)
check(r.returncode == 1, f"a soak with failing checks exits 1 (exit {r.returncode})")
for name in ("violations", "rss_flat", "controls_caught"):
    mine = [ln for ln in lines if ln.startswith(f"soak: FAIL: {name}: ")]
    check(len(mine) == 1 and doc and doc["checks"][name]["ok"] is False,
          f"negative control: {name} fails, one line: {mine[0] if mine else '(none)'}")
if doc:
    check(doc["summary"]["violations"] == 1 and doc["rounds"][2]["injected_violations"] == 1,
          "the injected violation is the only one, and marked injected")
    sec = report_of(out)
    check(sec is not None and all(f"**{n}**: FAIL" in sec
                                  for n in ("violations", "rss_flat", "controls_caught")),
          "the report's Soak section shows each failed check as FAIL")


def interrupt(name, sig, group):
    """Start a 1-minute soak, signal it after a few finished rounds, read what it left."""
    out = os.path.join(tmp, name)
    os.makedirs(out)
    p = subprocess.Popen(SOAK + [f"--out={out}", "--minutes=1", "--window=0.05"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    path, t0 = os.path.join(out, "soak.json"), time.time()
    while time.time() - t0 < 30:
        try:
            with open(path, encoding="utf-8") as f:
                if len(json.load(f)["rounds"]) >= 5:
                    break
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    if group:
        os.killpg(p.pid, sig)   # as Ctrl-C does: the whole foreground group
    else:
        p.send_signal(sig)      # the script alone: it passes it on
    t1 = time.time()
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    took = time.time() - t1
    doc = None
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        pass
    what = f"{signal.Signals(sig).name}{' to the group' if group else ''}"
    check(p.returncode == 130 and took < 10,
          f"{what}: exit 130 (exit {p.returncode}), {took:.1f} s after the signal")
    check(doc is not None and doc["interrupted"] is True and doc["summary"]["interrupted"]
          and rounds_whole(doc) and len(doc["rounds"]) >= 5 and no_partial(out)
          and doc["passed"] is False and doc["checks"]["controls_caught"]["ok"] is None,
          f"{what}: valid soak.json, interrupted, {len(doc['rounds']) if doc else 0} "
          "finished rounds, no .partial")


interrupt("sigint", signal.SIGINT, True)
interrupt("sigterm", signal.SIGTERM, False)

# Bad usage: one line, exit 2.
for args, what in ((["--minutes=0"], "--minutes=0"), (["--minutes=x"], "--minutes=x"),
                   (["--window=0"], "faultline-soak's --window=0"),
                   (["--placement=diagonal"], "--placement=diagonal")):
    out = os.path.join(tmp, "usage")
    r, _ = run(out, *args)
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("soak: build/")]
    check(r.returncode == 2 and len(lines) == 1, f"{what}: one line, exit 2 (exit {r.returncode})")
r = subprocess.run(SOAK + ["--help"], capture_output=True, text=True)
check(r.returncode == 0 and "--minutes" in r.stdout, "scripts/soak --help")
r = subprocess.run([os.path.join(BUILD, "faultline-soak"), "--help"], capture_output=True,
                   text=True)
check(r.returncode == 0 and "--leak-kib" in r.stdout and "--inject-violation" in r.stdout,
      "faultline-soak --help lists its options")
r = subprocess.run([os.path.join(BUILD, "faultline-soak"), "--json=/nonexistent/dir/soak.json"],
                   capture_output=True, text=True)
check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1,
      "faultline-soak: an unwritable --json is one line, exit 2, before any round")

sys.exit(1 if failed else 0)
