#!/usr/bin/python3
"""build/faultline-lockbench end to end: a short run's locks.json passes
faultline.load's check and yields the report's table beside lockhammer's
figures; each way of breaking the file is rejected (the negative controls,
which prove the check fires); bad usage is one line and exit 2.

usage: PYTHONPATH=scripts tests/test_lockbench.py [BUILD]   prints ok / not ok lines
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    from faultline import ResultError, load, lockbench
except ImportError:
    sys.exit("tests/test_lockbench.py: run with PYTHONPATH=scripts")

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
BIN = os.path.join(BUILD, "faultline-lockbench")
fails = 0


def check(ok, what):
    global fails
    print(("ok - " if ok else "not ok - ") + what)
    fails += not ok


tmp = tempfile.mkdtemp(prefix="lockbench.")
out = os.path.join(tmp, "locks.json")
r = subprocess.run([BIN, "--cpus=1,2", "--duration=0.02", "--repetitions=2", "--quiet",
                    f"--json={out}"], capture_output=True, text=True)
check(r.returncode == 0 and os.path.exists(out), f"a short run writes locks.json (exit {r.returncode})")
desc = json.loads(subprocess.run([os.path.join(BUILD, "faultline"), "--describe=json"],
                                 capture_output=True, text=True).stdout)
names = [x["name"] for x in desc["locks"]]
check(names and [x["name"] for x in desc["locks"] if x["default"]] == [names[0]],
      f"describe.json lists the flavours, the default first: {', '.join(names)}")
locks = load.locks(out)
check(locks.flavours(desc["locks"]) == names, "every described flavour was measured, in order")
check(locks.threads() == [1, 2], "at 1 and 2 threads")
cmp = lockbench.comparisons(locks, desc["locks"])
check(len(cmp) == 2 * len(names) and all(c["point"]["n"] == 2 for c in cmp),
      "one comparison per flavour and thread count, each over both passes")
refd = {(c["lock"], c["threads"]) for c in cmp if c["ref"] is not None}
check(refd == set(lockbench.REFERENCE["mops"]),
      "lockhammer's figures sit beside ticket and qspinlock at 1 and 2 threads")
check(all(c["ratio"] == c["point"]["median"] / c["ref"] for c in cmp if c["ref"]),
      "the ratio is the median over the reference")


class Run:  # what lockbench.blocks() reads of a faultline.results.Run
    label = "test"

    class describe:
        doc = desc

    def __init__(self, lk):
        self.locks = lk


blocks = lockbench.blocks([Run(locks)])
table = [b for b in blocks if b[0] == "table"]
check(len(table) == 1 and len(table[0][2]) == len(cmp), "the report section has one table row each")
check(any(lockbench.REFERENCE["source"] in b[1] for b in blocks if b[0] == "p"),
      "the report says where the reference figures come from")
check(lockbench.blocks([Run(None)]) == [], "no locks.json, no section")

good = json.load(open(out))


def rejected(what, edit, expect):
    bad = copy.deepcopy(good)
    edit(bad)
    p = os.path.join(tmp, "bad.json")
    with open(p, "w") as fh:
        json.dump(bad, fh)
    try:
        load.locks(p)
        check(False, f"rejects {what}")
    except ResultError as e:
        check(expect in str(e), f"rejects {what}: {e}")


rejected("another tool's file", lambda d: d.pop("faultline_lockbench"), "not a faultline-lockbench")
rejected("no rows", lambda d: d.update(rows=[]), "non-empty 'rows'")
rejected("a row without its lock", lambda d: d["rows"][0].pop("lock"), "'lock'")
rejected("ops that are not the threads' sum",
         lambda d: d["rows"][0].update(ops=d["rows"][0]["ops"] + 1), "sum of 'per_thread_ops'")
rejected("a per-thread list of the wrong length",
         lambda d: d["rows"][1]["per_thread_ops"].append(0), "one non-negative integer per thread")
rejected("a negative rate", lambda d: d["rows"][0].update(mops_per_s=-1.0), "'mops_per_s'")
rejected("a second row for one point", lambda d: d["rows"].append(d["rows"][0]), "a second row")
check(load.locks(os.path.join(tmp, "absent.json")) is None, "an absent locks.json is None")

for args, expect in ((["--lock=mcs"], "unknown --lock value 'mcs'"),
                     (["--cpus=0"], "bad CPU count"),
                     (["--duration=x"], "bad --duration"),
                     ([f"--json={tmp}/no/such/dir/x.json"], "cannot write")):
    r = subprocess.run([BIN] + args, capture_output=True, text=True)
    lines = r.stderr.strip().splitlines()
    check(r.returncode == 2 and len(lines) == 1 and expect in lines[0] and not r.stdout,
          f"{' '.join(args)}: exit 2, one line ({lines[0] if lines else ''})")
r = subprocess.run([BIN, "--help"], capture_output=True, text=True)
check(r.returncode == 0 and "--lock=LIST" in r.stdout and "-c 0 -p 0" in r.stdout, "--help")
shutil.rmtree(tmp)
sys.exit(1 if fails else 0)
