#!/usr/bin/python3
"""Check the emitted-barrier table (scripts/barrier-table) against what each
strategy's descriptor says its probe hooks do (faultline --describe=json:
"probe" tokens, expanded per architecture into "expected_insns" from the
instruction table of docs/design.md §2).

usage: tests/check_barriers.py [TABLE.json] [--meta META.json] [--describe FILE]
                               [--no-controls]
  TABLE.json  default build/barriers/barriers.json
  --meta      barriers-meta.json (default: beside TABLE.json, if there); with
              it, the order of barriers and the slot access is checked too
  --describe  faultline --describe=json output (default: describe.json beside
              TABLE.json, which barrier-table writes)

Prints one "ok - ..." / "not ok - ..." line per check and exits 1 if any
failed:
  <strategy> <arch> <side> the probe's barrier instructions are exactly those
                           the descriptor's tokens expand to, in that order,
                           on the right side of the slot access
  control: ...             negative controls: the checker, run on a table
                           built from the expectations, accepts it, and rejects
                           each of several deliberately wrong copies

That the tokens say what the hooks really do is checked apart, by running the
hooks in the emulation build (tests/emu/test_probe.c), so nothing here reads C.
Only the probe hooks are covered: publish (writer) and load + before_indep
(reader). The seqcount barriers of `seqlock` (pub_begin/pub_end,
read_begin/read_retry) and the lock of `locked` are outside the probes, so
both show no barrier on any architecture.
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIDES = ["writer", "reader"]

def load_expected(path):
    """{strategy name: {arch: {side: [expected sequence]}}} and the arch list."""
    try:
        with open(path) as fh:
            doc = json.load(fh)
        return ({x["name"]: x["expected_insns"] for x in doc["strategies"]}, doc["arches"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit("check_barriers: %s: not a faultline --describe=json output (%s)"
                         % (path, e))


def barriers_of(seq):
    return [x for x in seq if x not in ("LOAD", "STORE")]


def norm(arch, insn):
    """Compare as docs/design.md §2 names them: arm64 stlr/ldar by mnemonic (the
    registers vary), ppc `sync` however objdump spells it."""
    insn = re.sub(r"\s+", " ", insn.strip())
    if arch == "arm64" and re.match(r"^(stlr|ldar)\s", insn):
        return insn.split()[0]
    if arch == "ppc64le" and insn in ("hwsync", "sync 0"):
        return "sync"
    return insn


# ---- the table -------------------------------------------------------------

def check_table(table, meta, emit, expected, arches):
    rows = {}
    for r in table.get("rows", []):
        key = (r.get("strategy"), r.get("arch"), r.get("side"))
        if key in rows:
            emit(False, "%s %s %s: duplicate row" % key)
        rows[key] = r.get("instructions")
    seqs = None
    if meta is not None:
        seqs = {(r["strategy"], r["arch"], r["side"]): r.get("sequence") for r in meta.get("rows", [])}
    names = list(expected) + sorted({k[0] for k in rows} - set(expected))
    for name in names:
        for arch in arches:
            for side in SIDES:
                label = "%s %s %s" % (name, arch, side)
                if name not in expected:
                    emit(False, "%s: no such strategy in the description" % label)
                    continue
                want_seq = expected[name][arch][side]
                want = barriers_of(want_seq)
                shown = ", ".join(want) or "none"
                got = rows.get((name, arch, side))
                if got is None:
                    emit(False, "%s: missing from the table (expected %s)" % (label, shown))
                    continue
                got_n = [norm(arch, i) for i in got]
                if got_n != want:
                    emit(False, "%s: %s, expected %s" % (label, ", ".join(got) or "none", shown))
                    continue
                if seqs is not None:
                    seq = seqs.get((name, arch, side))
                    seq_n = None if seq is None else [norm(arch, i) for i in seq]
                    if seq_n != want_seq:
                        emit(False, "%s: order %s, expected %s" % (
                            label, "missing" if seq is None else ", ".join(seq), ", ".join(want_seq)))
                        continue
                    emit(True, "%s: %s (%s)" % (label, ", ".join(got) or "none", ", ".join(seq)))
                else:
                    emit(True, "%s: %s" % (label, ", ".join(got) or "none"))
    extra = {k[1] for k in rows} - set(arches)
    for arch in sorted(a for a in extra if a is not None):
        emit(False, "table has rows for an unknown arch %s" % arch)


# ---- negative controls ----------------------------------------------------

def perfect_table(expected, arches):
    """A table and meta exactly as the expectations say (spelled as objdump
    would: operands on stlr/ldar, hwsync)."""
    spell = {"stlr": "stlr x1, [x0]", "ldar": "ldar x0, [x0]", "sync": "hwsync"}
    rows, mrows = [], []
    for name in expected:
        for arch in arches:
            for side in SIDES:
                seq = [spell.get(x, x) for x in expected[name][arch][side]]
                rows.append({"strategy": name, "arch": arch, "side": side,
                             "instructions": barriers_of(seq)})
                mrows.append({"strategy": name, "arch": arch, "side": side, "sequence": seq})
    return {"rows": rows}, {"rows": mrows}


def mutate(table, meta, strategy, arch, side, fn, in_meta=False):
    t, m = copy.deepcopy(table), copy.deepcopy(meta)
    target = m if in_meta else t
    for r in list(target["rows"]):
        if (r["strategy"], r["arch"], r["side"]) == (strategy, arch, side):
            new = fn(r)
            if new is None:
                target["rows"].remove(r)
    return t, m


def set_key(key, value):
    def f(r):
        r[key] = value
        return r
    return f


CONTROLS = [
    ("arm64 wmb-rmb writer without its dmb ishst",
     ("wmb-rmb", "arm64", "writer", set_key("instructions", []))),
    ("arm64 wmb-rmb reader with dmb ish instead of dmb ishld",
     ("wmb-rmb", "arm64", "reader", set_key("instructions", ["dmb ish"]))),
    ("alpha dep reader without the READ_ONCE mb",
     ("dep", "alpha", "reader", set_key("instructions", ["mb"]))),
    ("x86_64 mb writer with mfence instead of the locked add",
     ("mb", "x86_64", "writer", set_key("instructions", ["mfence"]))),
    ("ppc64le wmb-only writer with sync instead of lwsync",
     ("wmb-only", "ppc64le", "writer", set_key("instructions", ["hwsync"]))),
    ("wmb-only alpha reader with a dependency mb",
     ("wmb-only", "alpha", "reader", set_key("instructions", ["mb"]))),
    ("ppc64le release-acquire writer row missing",
     ("release-acquire", "ppc64le", "writer", lambda r: None)),
    ("arm64 dep writer with the dmb ishst after the store (meta order)",
     ("dep", "arm64", "writer", set_key("sequence", ["STORE", "dmb ishst"]), True)),
]


def run_controls(emit, describe, expected, arches):
    good, goodm = perfect_table(expected, arches)
    with tempfile.TemporaryDirectory() as tmp:
        def check(t, m, tag):
            tp, mp = os.path.join(tmp, tag + ".json"), os.path.join(tmp, tag + "-meta.json")
            with open(tp, "w") as fh:
                json.dump(t, fh)
            with open(mp, "w") as fh:
                json.dump(m, fh)
            r = subprocess.run([sys.executable, os.path.abspath(__file__), tp, "--meta", mp,
                                "--describe", describe, "--no-controls"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            return r.returncode, [l for l in r.stdout.splitlines() if l.startswith("not ok - ")]

        rc, bad = check(good, goodm, "good")
        emit(rc == 0 and not bad, "control: accepts the table the expectations describe"
             + ("" if rc == 0 else " (rc=%d: %s)" % (rc, bad[:2])))
        for i, (desc, spec) in enumerate(CONTROLS):
            strategy, arch, side, fn = spec[:4]
            in_meta = len(spec) > 4 and spec[4]
            t, m = mutate(good, goodm, strategy, arch, side, fn, in_meta)
            rc, bad = check(t, m, "bad%d" % i)
            hit = any(l.startswith("not ok - %s %s %s:" % (strategy, arch, side)) for l in bad)
            emit(rc == 1 and hit and len(bad) == 1, "control: rejects %s" % desc
                 + ("" if rc == 1 and hit and len(bad) == 1
                    else " (rc=%d, %d not ok lines)" % (rc, len(bad))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", nargs="?", default=os.path.join(ROOT, "build", "barriers", "barriers.json"))
    ap.add_argument("--meta")
    ap.add_argument("--describe")
    ap.add_argument("--no-controls", action="store_true")
    a = ap.parse_args()
    describe = a.describe or os.path.join(os.path.dirname(a.table), "describe.json")
    expected, arches = load_expected(describe)
    fails = [0]

    def emit(ok, msg):
        print(("ok - " if ok else "not ok - ") + msg)
        if not ok:
            fails[0] += 1

    try:
        with open(a.table) as fh:
            table = json.load(fh)
    except (OSError, ValueError) as e:
        emit(False, "table %s: %s" % (a.table, e))
        table = None
    meta_path = a.meta or os.path.join(os.path.dirname(a.table), "barriers-meta.json")
    meta = None
    if os.path.exists(meta_path):
        try:
            with open(meta_path) as fh:
                meta = json.load(fh)
        except (OSError, ValueError) as e:
            emit(False, "meta %s: %s" % (meta_path, e))
        for e in (meta or {}).get("errors", []):
            emit(False, "barrier-table: " + e)
    if table is not None:
        check_table(table, meta, emit, expected, arches)
    if not a.no_controls:
        run_controls(emit, describe, expected, arches)
    return 1 if fails[0] else 0


if __name__ == "__main__":
    sys.exit(main())
