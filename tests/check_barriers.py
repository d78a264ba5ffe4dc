#!/usr/bin/python3
"""Check the emitted-barrier table (scripts/barrier-table) against DESIGN.md §1.

usage: tests/check_barriers.py [TABLE.json] [--meta META.json] [--src TREE]
                               [--no-controls]
  TABLE.json  default build/barriers/barriers.json
  --meta      barriers-meta.json (default: beside TABLE.json, if there); with
              it, the order of barriers and the slot access is checked too
  --src       the tree whose strategies/*.c the expectations must match

Prints one "ok - ..." / "not ok - ..." line per check and exits 1 if any
failed:
  source <strategy>        EXPECTED below still matches the hooks in
                           strategies/<file>.c (a changed strategy must update
                           its expectation, and DESIGN.md if it changes meaning)
  <strategy> <arch> <side> the probe's barrier instructions are exactly those
                           DESIGN.md §1 gives for the primitives the hook uses,
                           in that order, on the right side of the slot access
  control: ...             negative controls: the checker, run on a table
                           built from the expectations, accepts it, and rejects
                           each of several deliberately wrong copies

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
ARCHES = ["x86_64", "arm64", "ppc64le", "alpha"]
SIDES = ["writer", "reader"]

# DESIGN.md §1, "Barrier instructions the kernel uses", as objdump prints them.
# READ_ONCE is the marked load plus the dependency barrier (only alpha: mb);
# __READ_ONCE is the marked load alone. "STORE"/"LOAD" stand for the plain
# access of the published word; on arm64 stlr/ldar are that access.
# x86_64: smp_wmb/smp_rmb and release/acquire are compiler barriers only.
PRIM = {
    "x86_64": {"smp_mb": ["lock addl $0x0,-0x4(%rsp)"], "smp_wmb": [], "smp_rmb": [],
               "release": [], "acquire": [], "dep": []},
    "arm64": {"smp_mb": ["dmb ish"], "smp_wmb": ["dmb ishst"], "smp_rmb": ["dmb ishld"],
              "release": None, "acquire": None, "dep": []},    # None: stlr/ldar below
    "ppc64le": {"smp_mb": ["sync"], "smp_wmb": ["lwsync"], "smp_rmb": ["lwsync"],
                "release": ["lwsync"], "acquire": ["lwsync"], "dep": []},
    "alpha": {"smp_mb": ["mb"], "smp_wmb": ["wmb"], "smp_rmb": ["mb"],
              "release": ["mb"], "acquire": ["mb"], "dep": ["mb"]},
}

# What each strategy's probe hooks do, in order (DESIGN.md §3 and the brief;
# check_source() holds this to strategies/*.c). writer = publish hook,
# reader = load hook + before_indep hook.
EXPECTED = {
    "baseline": {"writer": ["STORE_PLAIN"], "reader": ["LOAD_PLAIN"]},
    "locked": {"writer": ["WRITE_ONCE"], "reader": ["LOAD_PLAIN"]},
    "mb": {"writer": ["smp_mb", "WRITE_ONCE"], "reader": ["READ_ONCE", "smp_mb"]},
    "wmb-rmb": {"writer": ["smp_wmb", "WRITE_ONCE"], "reader": ["READ_ONCE", "smp_rmb"]},
    "dep": {"writer": ["smp_wmb", "WRITE_ONCE"], "reader": ["READ_ONCE", "smp_rmb"]},
    "seqlock": {"writer": ["WRITE_ONCE"], "reader": ["__READ_ONCE"]},
    "release-acquire": {"writer": ["smp_store_release"], "reader": ["smp_load_acquire"]},
    "none": {"writer": ["STORE_PLAIN"], "reader": ["LOAD_PLAIN"]},
    "wmb-only": {"writer": ["smp_wmb", "WRITE_ONCE"], "reader": ["__READ_ONCE"]},
    "rmb-only": {"writer": ["WRITE_ONCE"], "reader": ["READ_ONCE", "smp_rmb"]},
}


def expand(arch, tokens):
    """The expected sequence of barrier instructions and slot accesses."""
    p = PRIM[arch]
    seq = []
    for t in tokens:
        if t in ("WRITE_ONCE", "STORE_PLAIN"):
            seq.append("STORE")
        elif t in ("__READ_ONCE", "LOAD_PLAIN"):
            seq.append("LOAD")
        elif t == "READ_ONCE":
            seq += ["LOAD"] + p["dep"]
        elif t == "smp_store_release":
            seq += ["stlr"] if p["release"] is None else p["release"] + ["STORE"]
        elif t == "smp_load_acquire":
            seq += ["ldar"] if p["acquire"] is None else ["LOAD"] + p["acquire"]
        else:
            seq += p[t]
    return seq


def barriers_of(seq):
    return [x for x in seq if x not in ("LOAD", "STORE")]


def norm(arch, insn):
    """Compare as DESIGN.md names them: arm64 stlr/ldar by mnemonic (the
    registers vary), ppc `sync` however objdump spells it."""
    insn = re.sub(r"\s+", " ", insn.strip())
    if arch == "arm64" and re.match(r"^(stlr|ldar)\s", insn):
        return insn.split()[0]
    if arch == "ppc64le" and insn in ("hwsync", "sync 0"):
        return "sync"
    return insn


# ---- the strategies' source ----------------------------------------------

TOKEN_RE = re.compile(r"(?<![\w])(smp_mb|smp_wmb|smp_rmb|smp_store_release|smp_load_acquire|"
                      r"WRITE_ONCE|STORE_PLAIN|LOAD_PLAIN|__READ_ONCE|READ_ONCE)\s*\(")


def strip_comments(s):
    s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
    return re.sub(r"//[^\n]*", " ", s)


def func_body(src, name):
    m = re.search(r"\b%s\s*\([^)]*\)\s*\{" % re.escape(name), src)
    if not m:
        return None
    i, depth = m.end(), 1
    while depth and i < len(src):
        depth += {"{": 1, "}": -1}.get(src[i], 0)
        i += 1
    return src[m.end():i - 1]


def source_tokens(path):
    """{strategy name: {side: tokens}} for the strategies defined in path."""
    with open(path) as fh:
        src = strip_comments(fh.read())
    out = {}
    for m in re.finditer(r"DEFINE_STRATEGY\(\s*(\w+)\s*,\s*\"([^\"]+)\"", src):
        sid, name = m.group(1), m.group(2)
        ops = re.search(r"struct\s+sync_ops\s+%s_ops\s*=\s*\{(.*?)\};" % sid, src, re.S)
        hooks = dict(re.findall(r"\.(\w+)\s*=\s*(\w+)", ops.group(1))) if ops else {}

        def toks(hook):
            fn = hooks.get(hook)
            if fn is None:
                return ["?%s" % hook]
            if fn.startswith("sync_nop"):
                return []
            body = func_body(src, fn)
            return TOKEN_RE.findall(body) if body is not None else ["?%s" % fn]
        out[name] = {"writer": toks("publish"), "reader": toks("load") + toks("before_indep")}
    return out


def check_source(src_root, emit):
    sdir = os.path.join(src_root, "strategies")
    seen = {}
    for f in sorted(os.listdir(sdir)):
        if f.endswith(".c"):
            for name, sides in source_tokens(os.path.join(sdir, f)).items():
                seen[name] = (f, sides)
    for name in sorted(set(seen) | set(EXPECTED)):
        if name not in seen:
            emit(False, "source %s: in EXPECTED but no strategies/*.c defines it" % name)
        elif name not in EXPECTED:
            emit(False, "source %s: strategies/%s has no expectation in tests/check_barriers.py"
                 % (name, seen[name][0]))
        elif seen[name][1] != EXPECTED[name]:
            emit(False, "source %s: strategies/%s does %s, expected %s"
                 % (name, seen[name][0], seen[name][1], EXPECTED[name]))
        else:
            emit(True, "source %s: writer %s, reader %s" % (
                name, " ".join(EXPECTED[name]["writer"]), " ".join(EXPECTED[name]["reader"])))
    return sorted(seen)


# ---- the table -------------------------------------------------------------

def check_table(table, meta, emit, strategies=None):
    rows = {}
    for r in table.get("rows", []):
        key = (r.get("strategy"), r.get("arch"), r.get("side"))
        if key in rows:
            emit(False, "%s %s %s: duplicate row" % key)
        rows[key] = r.get("instructions")
    seqs = None
    if meta is not None:
        seqs = {(r["strategy"], r["arch"], r["side"]): r.get("sequence") for r in meta.get("rows", [])}
    names = list(EXPECTED) + sorted(({k[0] for k in rows} | set(strategies or [])) - set(EXPECTED))
    for name in names:
        for arch in ARCHES:
            for side in SIDES:
                label = "%s %s %s" % (name, arch, side)
                if name not in EXPECTED:
                    emit(False, "%s: no expectation for this strategy" % label)
                    continue
                want_seq = expand(arch, EXPECTED[name][side])
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
    extra = {k[1] for k in rows} - set(ARCHES)
    for arch in sorted(a for a in extra if a is not None):
        emit(False, "table has rows for an unknown arch %s" % arch)


# ---- negative controls ----------------------------------------------------

def perfect_table():
    """A table and meta exactly as the expectations say (spelled as objdump
    would: operands on stlr/ldar, hwsync)."""
    spell = {"stlr": "stlr x1, [x0]", "ldar": "ldar x0, [x0]", "sync": "hwsync"}
    rows, mrows = [], []
    for name in EXPECTED:
        for arch in ARCHES:
            for side in SIDES:
                seq = [spell.get(x, x) for x in expand(arch, EXPECTED[name][side])]
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


def run_controls(emit):
    good, goodm = perfect_table()
    with tempfile.TemporaryDirectory() as tmp:
        def check(t, m, tag):
            tp, mp = os.path.join(tmp, tag + ".json"), os.path.join(tmp, tag + "-meta.json")
            with open(tp, "w") as fh:
                json.dump(t, fh)
            with open(mp, "w") as fh:
                json.dump(m, fh)
            r = subprocess.run([sys.executable, os.path.abspath(__file__), tp, "--meta", mp,
                                "--no-controls", "--no-source"],
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


def source_control(src_root, emit):
    """The source check must notice a hook that lost its barrier."""
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "strategies"))
        sdir = os.path.join(src_root, "strategies")
        for f in os.listdir(sdir):
            if f.endswith(".c"):
                with open(os.path.join(sdir, f)) as fh:
                    text = fh.read()
                if f == "dep.c":
                    text = text.replace("smp_rmb();", ";", 1)
                with open(os.path.join(tmp, "strategies", f), "w") as fh:
                    fh.write(text)
        bad = []
        check_source(tmp, lambda ok, msg: bad.append(msg) if not ok else None)
        emit(len(bad) == 1 and bad[0].startswith("source dep:"),
             "control: source check rejects dep.c without its smp_rmb() (complaints: %d)" % len(bad))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", nargs="?", default=os.path.join(ROOT, "build", "barriers", "barriers.json"))
    ap.add_argument("--meta")
    ap.add_argument("--src", default=ROOT)
    ap.add_argument("--no-controls", action="store_true")
    ap.add_argument("--no-source", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    fails = [0]

    def emit(ok, msg):
        print(("ok - " if ok else "not ok - ") + msg)
        if not ok:
            fails[0] += 1

    strategies = None if a.no_source else check_source(a.src, emit)
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
        check_table(table, meta, emit, strategies)
    if not a.no_controls:
        run_controls(emit)
        if not a.no_source:
            source_control(a.src, emit)
    return 1 if fails[0] else 0


if __name__ == "__main__":
    sys.exit(main())
