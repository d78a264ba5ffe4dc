#!/usr/bin/python3
"""docs/design.md's verdict tables (§5) say what the descriptors say.

usage: tests/check_design_doc.py DESCRIBE.json [DESIGN.md]

The descriptors are the one definition; the design document carries a copy
for reading, and this holds the copy to `faultline --describe=json`: every
strategy has a `### 5.N \\`name\\`` section, and its table has one row per
shape with the LKMM and machine verdicts the descriptor states. A negative
control runs the same check on a copy with one cell flipped and must fail.
Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAD = re.compile(r"^### 5\.\d+ `([^`]+)`")


def tables(text):
    """{strategy: {shape: [cells...]}} from the §5 subsections."""
    out, cur = {}, None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            cur = out.setdefault(m.group(1), {})
            continue
        if line.startswith("## "):
            cur = None
        if cur is not None and line.startswith("| ") and not line.startswith("| shape"):
            cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
            cur[cells[0]] = cells[1:]
    return out


def check(desc, text):
    """[(ok, message)] for every strategy and shape."""
    got, res = tables(text), []
    cols = ["lkmm"] + [m["name"] for m in desc["models"] if m["emulated"]]
    for s in desc["strategies"]:
        name = s["name"]
        if name not in got:
            res.append((False, "%s: no '### 5.N `%s`' section in docs/design.md" % (name, name)))
            continue
        for shape, v in s["verdicts"].items():
            want = [v[c] for c in cols]
            have = got[name].get(shape, [])[:len(cols)]
            res.append((have == want, "%s %s: docs/design.md says %s, the descriptor %s"
                        % (name, shape, have or "nothing", want)))
    return res


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.splitlines()[2])
    with open(sys.argv[1]) as fh:
        desc = json.load(fh)
    path = sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, "docs", "design.md")
    with open(path) as fh:
        text = fh.read()
    fails = 0
    for ok, msg in check(desc, text):
        print(("ok - design.md " if ok else "not ok - design.md ") + msg)
        fails += not ok
    # Negative control: flip the first Never of a verdict row.
    flipped = re.sub(r"^(\| dep \| )Never", r"\1Sometimes", text, count=1, flags=re.M)
    bad = [m for ok, m in check(desc, flipped) if not ok]
    ctl = flipped != text and len(bad) == 1
    print(("ok - " if ctl else "not ok - ") + "design.md control: a flipped cell is caught (%d)"
          % len(bad))
    fails += not ctl
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
