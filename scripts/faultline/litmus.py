"""Any C litmus test three ways: herd7 (LKMM), the emulator, this hardware.

One place that runs them and compares what they say (docs/design.md
section 7):

- herd7: the verdict, the data-race flag and the final states LKMM allows
  (its "States" block), for an LKMM test in LKMM_DIR, for an AArch64/PPC/X86
  test with herd7's own model;
- the emulator: ``faultline-emu --litmus --json``, the final states each
  emulated machine (tso, arm64, alpha) reached over its seeds;
- this hardware: ``faultline-litmus --json``, the same schema.

``consistency()`` is the check ``make test`` runs: no state LKMM forbids is
ever seen in emulation or on hardware (a racy test is exempt: LKMM bounds
nothing there), and where herd7 is absent, no condition a ``Result: Never``
forbids. ``table()`` is ``make litmus LITMUS_DIR=<dir>``.
"""

import json
import os
import re
import subprocess
import tempfile

MODELS = ("tso", "arm64", "alpha")


def state_key(text):
    """'1:r0=0; x=1;' -> a comparable frozenset of 'name=value' items
    (herd7 writes a memory location as [x], the emulator as x)."""
    return frozenset(re.sub(r"^\[([^]]*)\]", r"\1", p.strip())
                     for p in text.split(";") if p.strip())


def header(path):
    """The test's kind (C, AArch64, ...), name and its Result line's verdict."""
    with open(path, errors="replace") as f:
        text = f.read()
    first = text.split("\n", 1)[0].split()
    m = re.search(r"^\s*\*?\s*Result:\s*(Never|Sometimes|Always)", text, re.M)
    return {
        "arch": first[0] if first else "?",
        "name": first[1] if len(first) > 1 else os.path.basename(path),
        "result": m.group(1) if m else None,
        "derived": "Derived from " in text,
    }


class Herd:
    """herd7 on one file: verdict, race, other flags, allowed states."""

    def __init__(self, herd7, lkmm_dir, timeout=600):
        self.herd7, self.lkmm_dir, self.timeout = herd7, lkmm_dir, timeout

    def available(self, arch):
        return bool(self.herd7) and (arch != "C" or bool(self.lkmm_dir))

    def run_all(self, paths, arch):
        """{path: run(path)}, LITMUS_JOBS (default: the CPUs) at a time."""
        from concurrent.futures import ThreadPoolExecutor
        jobs = int(os.environ.get("LITMUS_JOBS", os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            return dict(zip(paths, pool.map(lambda p: self.run(p, arch), paths)))

    def cached(self, path):
        """herd7's output kept by scripts/run-litmus (HERD_CACHE), or None."""
        import hashlib
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        cache = os.environ.get("HERD_CACHE") or os.path.join(root, "build/litmus/herd7-cache")
        if cache == "none":
            return None, None
        with open(path, "rb") as f:
            text = f.read()
        herd = shutil_which(self.herd7) or self.herd7
        herd = os.path.abspath(herd) if os.sep in herd else herd
        key = hashlib.sha1(text + ("%s\n%s\n" % (herd, self.lkmm_dir or "")).encode()).hexdigest()
        out = os.path.join(cache, key + ".out")
        return (open(out).read() if os.path.exists(out) else None), out

    def run(self, path, arch):
        path = os.path.abspath(path)
        out, cache_file = self.cached(path)
        if out is not None:
            return self.parse(out, "")
        if arch == "C":
            cmd, cwd = [self.herd7, "-conf", "linux-kernel.cfg", path], self.lkmm_dir
        else:
            cmd, cwd = [self.herd7, path], os.path.dirname(path)
        try:
            p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return {"error": "herd7 timed out after %ds" % self.timeout}
        res = self.parse(p.stdout, p.stderr)
        if "error" not in res and p.returncode == 0 and cache_file:
            try:
                os.makedirs(os.path.dirname(cache_file), exist_ok=True)
                with open(cache_file + ".%d" % os.getpid(), "w") as f:
                    f.write(p.stdout)
                os.replace(cache_file + ".%d" % os.getpid(), cache_file)
                with open(cache_file[:-4] + ".rc", "w") as f:
                    f.write("0\n")
            except OSError:
                pass
        return res

    @staticmethod
    def parse(out, err):
        obs = re.search(r"^Observation \S+ (\w+)", out, re.M)
        if not obs:
            line = next((l for l in (out + err).splitlines() if l.strip()), "no output")
            return {"error": "herd7: " + line[:160]}
        states, block = set(), re.search(r"^States \d+\n(.*?)^(?:Ok|No)$", out, re.M | re.S)
        for line in (block.group(1).splitlines() if block else []):
            states.add(state_key(line))
        flags = re.findall(r"^Flag (\S+)", out, re.M)
        return {"verdict": obs.group(1), "race": "data-race" in flags,
                "flags": [f for f in flags if f != "data-race"], "states": states}


def run_json(cmd):
    """Run a faultline litmus front-end with --json; (dict or None, error line)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        p = subprocess.run(cmd + ["--json=" + out], capture_output=True, text=True)
        if p.returncode != 0 or not os.path.exists(out):
            err = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[0]
            return None, err
        with open(out) as f:
            return json.load(f), None


def runs_by_file(doc):
    """{file: {model: run}} of a faultline-emu / faultline-litmus JSON."""
    res = {}
    for t in (doc or {}).get("tests", []):
        res[os.path.abspath(t["file"])] = {r["model"]: r for r in t["runs"]}
    return res


def emulate(files, emu, seeds):
    """Every file under every model; files the emulator rejects are named
    with the emulator's one line (it parses all before it runs any, so
    each is tried alone when the batch fails)."""
    doc, err = run_json([emu, "--litmus"] + files + ["--seeds=%d" % seeds])
    if doc is not None:
        return runs_by_file(doc), {}
    res, errors = {}, {}
    for f in files:
        d, e = run_json([emu, "--litmus", f, "--seeds=%d" % seeds])
        if d is None:
            errors[os.path.abspath(f)] = e
        else:
            res.update(runs_by_file(d))
    return res, errors


def on_hardware(files, hw, rounds, instances):
    res, errors = {}, {}
    for f in files:
        d, e = run_json([hw, "--hw", f, "--rounds=%d" % rounds, "--instances=%d" % instances])
        if d is None:
            errors[os.path.abspath(f)] = e
        else:
            res.update(runs_by_file(d))
    return res, errors


def forbidden(run, allowed):
    """States run saw that are not in allowed, as their text."""
    return sorted("; ".join(sorted(s)) for s in (state_key(k) for k in run["states"])
                  if s not in allowed)


def consistency(files, herd, emu, hw, seeds, rounds, instances):
    """TAP-style lines; True when all are ok."""
    ok_all = True

    def line(good, text):
        nonlocal ok_all
        ok_all &= good
        print(("ok - " if good else "not ok - ") + text)

    c_files = [f for f in files if header(f)["arch"] == "C"]
    emu_runs, emu_err = emulate(c_files, emu, seeds) if emu else ({}, {})
    hw_runs, hw_err = on_hardware(c_files, hw, rounds, instances) if hw else ({}, {})
    refs = herd.run_all(c_files, "C") if herd.available("C") else {}
    for f in c_files:
        h, base, key = header(f), os.path.basename(f), os.path.abspath(f)
        ref = refs.get(f)
        if ref and "error" in ref:
            line(False, "%s: %s" % (base, ref["error"]))
            continue
        for where, runs, errs in (("emulated", emu_runs, emu_err), ("hardware", hw_runs, hw_err)):
            if key in errs:
                line(False, "%s: %s: %s" % (base, where, errs[key]))
                continue
            for model, run in sorted(runs.get(key, {}).items()):
                seen = "%s %s, %d runs" % (where, model, run["runs"])
                if ref is not None:
                    if ref["race"]:
                        line(True, "%s: %s: %d states; LKMM flags a data race, so it "
                             "bounds no state" % (base, seen, len(run["states"])))
                        continue
                    bad = forbidden(run, ref["states"])
                    line(not bad, "%s: %s: %d states, %s (herd7 allows %d)"
                         % (base, seen, len(run["states"]),
                            "all allowed by LKMM" if not bad else
                            "LKMM forbids: " + " | ".join(bad[:3]), len(ref["states"])))
                elif h["result"] == "Never":
                    line(run["positive"] == 0, "%s: %s: the condition seen %d times; its "
                         "Result is Never (herd7 absent: the Result line is the reference)"
                         % (base, seen, run["positive"]))
                else:
                    line(True, "%s: %s: %d states, condition seen %d times (Result %s, "
                         "herd7 absent)" % (base, seen, len(run["states"]), run["positive"],
                                            h["result"]))
    return ok_all


def arm64_twins(lkmm_dir_tests, aarch64_dir, herd, emu, seeds):
    """For each C test with an AArch64 twin of the same name: the emulated
    arm64 must observe the condition exactly when aarch64.cat allows it
    (herd7 when present, else the twin's Result line)."""
    ok_all = True
    pairs = []
    for f in sorted(os.listdir(lkmm_dir_tests)):
        twin = os.path.join(aarch64_dir, f)
        if f.endswith(".litmus") and os.path.exists(twin):
            pairs.append((os.path.join(lkmm_dir_tests, f), twin))
    runs, errs = emulate([c for c, _ in pairs], emu, seeds)
    for c, twin in pairs:
        base = os.path.basename(c)
        # Either file may say the emulator cannot show it (by construction,
        # or not in one run per seed): "Pins that documented limit".
        limit = False
        for name in (twin, c):
            with open(name, errors="replace") as f:
                limit |= "Pins that documented limit" in " ".join(f.read().replace("*", " ").split())
        if herd.available("AArch64"):
            ref = herd.run(twin, "AArch64")
            want = ref.get("verdict") if "error" not in ref else None
            src = "aarch64.cat"
        else:
            want, src = header(twin)["result"], "the twin's Result line"
        run = runs.get(os.path.abspath(c), {}).get("arm64")
        if not want or run is None:
            print("not ok - %s: arm64 twin: %s" % (base, errs.get(os.path.abspath(c), "no verdict")))
            ok_all = False
            continue
        seen = run["positive"] > 0
        good = seen == (want != "Never") or limit
        ok_all &= good
        print("%s - %s: emulated arm64 %s the condition (%d of %d seeds); %s says %s%s"
              % ("ok" if good else "not ok", base, "reaches" if seen else "never reaches",
                 run["positive"], run["runs"], src, want,
                 "; a documented limit of the emulator (its twin says so)" if limit and
                 seen != (want != "Never") else ""))
    return ok_all


EXPLAIN = [
    # (predicate on the row, explanation); the first that holds is shown.
    (lambda r: r["emu_err"], lambda r: "outside the emulator's subset: " + r["emu_err"]),
    (lambda r: r["herd"] == "Never" and "Sometimes" in r["emu"].values(),
     lambda r: "EMULATOR BUG: LKMM forbids what the emulator showed"),
    (lambda r: r["herd"] == "Sometimes" and r["name"].startswith("LB"),
     lambda r: "load buffering: the emulator's loads never return a later store"),
    (lambda r: r["herd"] == "Sometimes" and r["emu"].get("tso") == "Never"
     and "Sometimes" in r["emu"].values(),
     lambda r: "LKMM is weaker than x86-TSO, which forbids it"),
    (lambda r: r["herd"] == "Sometimes" and set(r["emu"].values()) == {"Never"},
     lambda r: "LKMM allows it; no emulated machine reached it in its seeds"),
]


def table(files, herd, emu, hw, seeds, rounds, instances, out):
    """One row per file: expected Result, herd7, emulated tso/arm64/alpha,
    hardware, and why they differ where a documented reason applies."""
    c_files = [f for f in files if header(f)["arch"] == "C"]
    emu_runs, emu_err = emulate(c_files, emu, seeds) if emu and c_files else ({}, {})
    hw_runs, hw_err = on_hardware(c_files, hw, rounds, instances) if hw and c_files else ({}, {})
    rows = []
    for f in files:
        h, key = header(f), os.path.abspath(f)
        ref = herd.run(f, h["arch"]) if herd.available(h["arch"]) else None
        herd_v = ("error" if "error" in ref else ref["verdict"] + (" DATARACE" if ref["race"] else "")) \
            if ref else "-"
        r = {"name": h["name"], "file": os.path.basename(f), "result": h["result"] or "-",
             "herd": herd_v.split()[0] if herd_v not in ("-", "error") else herd_v,
             "herd_text": herd_v, "emu": {}, "emu_err": emu_err.get(key, "")}
        for m in MODELS:
            run = emu_runs.get(key, {}).get(m)
            if run:
                r["emu"][m] = run["observation"]
        hrun = next(iter(hw_runs.get(key, {}).values()), None)
        r["hw"] = ("%s %d/%d" % (hrun["observation"], hrun["positive"], hrun["runs"])
                   if hrun else ("error" if key in hw_err else "-"))
        if h["arch"] != "C":
            r["emu_err"] = ""
            r["why"] = "a hardware test: herd7's own model only"
        else:
            r["why"] = next((w(r) for p, w in EXPLAIN if p(r)), "")
        if ref and "error" in ref:
            r["why"] = (r["why"] + "; " if r["why"] else "") + ref["error"]
        rows.append(r)
    cols = ["file", "Result", "herd7", "tso", "arm64", "alpha", "hardware", "why they differ"]
    cells = [[r["file"], r["result"], r["herd_text"]] +
             [r["emu"].get(m, "-") for m in MODELS] + [r["hw"], r["why"]] for r in rows]
    width = [max(len(c[i]) for c in cells + [cols]) for i in range(len(cols) - 1)]
    fmt = "  ".join("%%-%ds" % w for w in width) + "  %s\n"
    out.write(fmt % tuple(cols))
    for c in cells:
        out.write(fmt % tuple(c))
    bugs = [r for r in rows if r["why"].startswith("EMULATOR BUG")]
    out.write("%d tests; %d where LKMM forbids what the emulator showed\n" % (len(rows), len(bugs)))
    return not bugs


def _die(prog, msg):
    import sys
    sys.stderr.write("%s: error: %s\n" % (prog, msg))
    raise SystemExit(2)


def _files(paths, prog):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".litmus"))
        elif os.path.isfile(p):
            files.append(p)
        else:
            _die(prog, "no such file or directory: %s" % p)
    if not files:
        _die(prog, "no .litmus files in %s" % " ".join(paths))
    return files


def _tools(args, prog):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    emu = os.environ.get("FAULTLINE_EMU", os.path.join(root, "build/faultline-emu"))
    hw = os.environ.get("FAULTLINE_LITMUS", os.path.join(root, "build/faultline-litmus"))
    for b in (emu, hw):
        if not os.access(b, os.X_OK):
            _die(prog, "%s is not built (make all)" % b)
    herd7 = os.environ.get("HERD7") or shutil_which("herd7")
    herd = Herd(herd7, os.environ.get("LKMM_DIR"), args.herd_timeout)
    if not herd7:
        print("litmus: skipped: herd7 not on PATH and HERD7 not set: each Result line is "
              "the reference")
    elif not os.environ.get("LKMM_DIR"):
        print("litmus: skipped: LKMM_DIR not set: each LKMM test's Result line is the reference")
    return herd, emu, None if args.no_hw else hw


def shutil_which(name):
    import shutil
    return shutil.which(name)


def _parser(prog, desc):
    from faultline import OneLineParser
    p = OneLineParser(prog=prog, description=desc)
    p.add_argument("paths", nargs="+", metavar="PATH", help="litmus files or directories")
    p.add_argument("--seeds", type=int, default=1000, help="emulator seeds per model (1000)")
    p.add_argument("--rounds", type=int, default=10, help="hardware rounds per test (10)")
    p.add_argument("--instances", type=int, default=200,
                   help="hardware instances per round (200)")
    p.add_argument("--no-hw", action="store_true", help="skip this hardware")
    p.add_argument("--herd-timeout", type=int, default=600, help="seconds per herd7 run (600)")
    return p


def main_consistency(argv):
    p = _parser("litmus-consistency",
                "No final state LKMM forbids is seen in emulation or on this hardware "
                "(herd7 when present, else each Result line); with --twins, the emulated "
                "arm64 reaches a condition exactly when aarch64.cat allows it.")
    p.add_argument("--twins", metavar="CDIR:ASMDIR",
                   help="C tests and their AArch64 twins of the same names")
    args = p.parse_args(argv[1:])
    if min(args.seeds, args.rounds, args.instances) < 1:
        p.error("--seeds, --rounds and --instances must be at least 1")
    files = _files(args.paths, p.prog)
    herd, emu, hw = _tools(args, p.prog)
    good = consistency(files, herd, emu, hw, args.seeds, args.rounds, args.instances)
    if args.twins:
        cdir, _, adir = args.twins.partition(":")
        if not (os.path.isdir(cdir) and os.path.isdir(adir)):
            p.error("--twins wants two directories, CDIR:ASMDIR")
        good &= arm64_twins(cdir, adir, herd, emu, args.seeds)
    return 0 if good else 1


def main_table(argv):
    import sys
    p = _parser("litmus-table",
                "Every .litmus through herd7, the emulator (tso, arm64, alpha) and this "
                "hardware, as one table with the reason where they differ.")
    args = p.parse_args(argv[1:])
    files = _files(args.paths, p.prog)
    herd, emu, hw = _tools(args, p.prog)
    if min(args.seeds, args.rounds, args.instances) < 1:
        p.error("--seeds, --rounds and --instances must be at least 1")
    return 0 if table(files, herd, emu, hw, args.seeds, args.rounds, args.instances,
                      sys.stdout) else 1
