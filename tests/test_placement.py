#!/usr/bin/python3
"""The placement policies (bench/placement.c) on hwloc synthetic topologies
this machine does not have, through faultline --show-placement --topology
(JSON, nothing pinned); the one-line note where smt cannot share a core;
every binary that takes --placement takes the same choices, and a bad one
is one line, exit 2. Prints "ok - " / "not ok - " lines (scripts/run-tests).

usage: test_placement.py BUILD_DIR
"""
import json
import os
import subprocess
import sys

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
FAULTLINE = os.path.join(BUILD, "faultline")
failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    failed += not cond


def show(policy, topology=None):
    cmd = [FAULTLINE, "--show-placement", f"--placement={policy}"]
    if topology:
        cmd.append(f"--topology={topology}")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, (cmd, r.stderr)
    return json.loads(r.stdout), r.stderr


def first_share_core(p, n):
    """Do any two of the first n placed PUs share a core?"""
    cores = p["core_of"][:n]
    return len(set(cores)) < len(cores)


def packages_alternate(p, n):
    """Are the first n placed PUs' packages 0, 1, 0, 1, ... (for two packages)?"""
    return p["package_of"][:n] == [i % p["packages"] for i in range(n)]


def pairs_share_cores(p):
    """Threads 2i and 2i+1 on one core, and each core's PUs one after another."""
    c = p["core_of"]
    runs = [x for i, x in enumerate(c) if i == 0 or c[i - 1] != x]
    return all(c[2 * i] == c[2 * i + 1] for i in range(len(c) // 2)) and len(runs) == len(set(c))


TOPOLOGIES = ["pack:2 core:2 pu:2", "pack:2 core:3 pu:2", "pack:1 core:4 pu:2",
              "pack:4 core:2 pu:4"]

for topo in TOPOLOGIES:
    comp, _ = show("compact", topo)
    scat, _ = show("scatter", topo)
    smt, err = show("smt", topo)
    npu, ncore, npkg = comp["usable_cpus"], comp["cores"], max(comp["packages"], 1)
    for name, p in (("compact", comp), ("scatter", scat), ("smt", smt)):
        check(sorted(p["cpu_order"]) == list(range(npu)) and p["thissystem"] is False,
              f"{topo}: {name} places every PU once (synthetic: not this system)")
    check(comp["cpu_order"] == list(range(npu)), f"{topo}: compact is hwloc's logical order")
    check(comp["package_of"] == sorted(comp["package_of"]),
          f"{topo}: compact fills a package before the next")
    check(not first_share_core(scat, ncore),
          f"{topo}: scatter puts the first {ncore} threads on {ncore} different cores")
    if npkg > 1:
        check(packages_alternate(scat, ncore), f"{topo}: scatter alternates the packages")
        # The checks can fail: compact's order fails both.
        check(not packages_alternate(comp, ncore) and first_share_core(comp, ncore),
              f"{topo}: negative control: compact's order fails scatter's checks")
    check(pairs_share_cores(smt) and smt["effective"] == "smt" and smt["note"] == "" and not err,
          f"{topo}: smt puts threads 2i, 2i+1 on one core, says nothing")
    check(not pairs_share_cores(scat),
          f"{topo}: negative control: scatter's order fails smt's check")

# No SMT: smt says so in one line, records what it really did.
for topo in ("pack:2 core:2 pu:1", "core:2 pu:1"):
    smt, err = show("smt", topo)
    comp, _ = show("compact", topo)
    lines = err.splitlines()
    check(len(lines) == 1 and lines[0].startswith("placement smt: no core ")
          and "placing as compact" in lines[0],
          f"{topo}: smt without SMT says so in one line on stderr")
    check(smt["policy"] == "smt" and smt["effective"] == "compact" and smt["note"] in lines[0]
          and smt["cpu_order"] == comp["cpu_order"],
          f"{topo}: ... and records policy smt, effective compact, the note")

# This machine, whatever it has: the note appears exactly when no core has two PUs.
here, err = show("smt")
cores = here["core_of"]
has_smt = len(set(cores)) < len(cores)
check((here["effective"] == "smt") == has_smt and bool(err.strip()) != has_smt,
      f"this machine ({len(set(cores))} cores, {len(cores)} PUs): smt's note iff no SMT")

# Every binary that takes --placement takes the same choices; a bad one: one line, exit 2.
desc = json.loads(subprocess.run([FAULTLINE, "--describe=json"], capture_output=True,
                                 text=True, check=True).stdout)
check(desc.get("placements") == ["compact", "scatter", "smt"],
      "describe.json lists the placements")
BINARIES = {"faultline": ["--list"], "faultline-stress": ["--help"],
            "faultline-kernel": ["--help"], "faultline-pair": ["--help"],
            "faultline-soak": ["--help"]}
for binary, ok_args in BINARIES.items():
    path = os.path.join(BUILD, binary)
    if not os.access(path, os.X_OK):
        check(False, f"{binary}: built")
        continue
    for pol in desc["placements"]:
        r = subprocess.run([path, f"--placement={pol}"] + ok_args, capture_output=True,
                           text=True, timeout=30)
        check(r.returncode == 0, f"{binary}: --placement={pol} accepted")
    r = subprocess.run([path, "--placement=diagonal"] + ok_args, capture_output=True,
                       text=True, timeout=30)
    lines = r.stderr.strip().splitlines()
    check(r.returncode == 2 and len(lines) == 1 and "diagonal" in lines[0],
          f"{binary}: --placement=diagonal is one line, exit 2")

for args, what in ((["--topology=pack:2 core:2 pu:2"], "--topology without --show-placement"),
                   (["--show-placement", "--topology=bogus:3"], "a bad synthetic topology")):
    r = subprocess.run([FAULTLINE] + args, capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1,
          f"{what}: one line, exit 2")

# make bench PLACEMENT=x: the sweep checks x against describe.json's placements first.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench-sweep"),
                    f"--binary={FAULTLINE}", "--placement=diagonal",
                    f"--results={os.path.join(BUILD, 'no-such-results')}"],
                   capture_output=True, text=True, timeout=60)
check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "diagonal" in r.stderr
      and not os.path.exists(os.path.join(BUILD, "no-such-results")),
      "bench-sweep --placement=diagonal: one line, exit 2, nothing run")

# A topology hwloc did not read from this machine is never pinned to.
env = dict(os.environ, HWLOC_SYNTHETIC="pack:2 core:2 pu:2")
r = subprocess.run([os.path.join(BUILD, "faultline-stress"), "--duration=0.01", "--cpus=2"],
                   capture_output=True, text=True, timeout=30, env=env)
check(r.returncode == 2 and "not this machine's" in r.stderr
      and len(r.stderr.strip().splitlines()) == 1,
      "HWLOC_SYNTHETIC in the environment: refused before pinning, one line, exit 2")

sys.exit(1 if failed else 0)
