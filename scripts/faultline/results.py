"""A loaded run: its bench.json points, their summaries and its side files.

Built by faultline.load, which has checked everything these classes rely on.
"""
import os
import re

from . import stats
from .text import unique

# A per-reader-shape violation count: viol_dep, viol_indep, viol_chain, ... The
# shapes are whatever the files carry; a field with more words (a rate, a bound)
# is not a count.
SHAPE_COUNTER = re.compile(r"^viol_([a-z0-9]+)$")
STRESS_KEYS = ("strategy", "kind", "cpus", "trials")  # the stress table's first columns


def split_name(name):
    """'gup/dep/manual_time/threads:2' -> ('gup', 'dep', 2)."""
    parts = name.split("/")
    threads = 1
    for p in parts:
        if p.startswith("threads:"):
            threads = int(p.split(":", 1)[1])
    return parts[0], parts[1], threads


def measured(b):
    """Whether a benchmark entry is one measured repetition of a point."""
    return (b.get("run_type") == "iteration" and not b["name"].startswith("harness/")
            and not b.get("error_occurred"))


def points(doc):
    """{(mix, strategy, threads): [per-repetition benchmark dicts]}, in file order."""
    out = {}
    for b in doc["benchmarks"]:
        if measured(b):
            out.setdefault(split_name(b["name"]), []).append(b)
    return out


def shapes(entries):
    """Reader shapes with a violation count in any entry (bench or stress rows),
    in the order the files name them."""
    return unique(m.group(1) for e in entries for k in e for m in [SHAPE_COUNTER.match(k)] if m)


def summarise(reps, noisy):
    """Median/CV of ops_per_s and the correctness/noise facts of one point;
    noisy: the describe's CPU-share threshold."""
    ops = [r["ops_per_s"] for r in reps]
    return {
        "n": len(reps),
        "median": stats.median(ops),
        "cv": stats.cv(ops),
        "min": min(ops),
        "max": max(ops),
        "violations": sum(r["violations"] for r in reps),
        "viol": {sh: sum(r.get(f"viol_{sh}", 0) for r in reps) for sh in shapes(reps)},
        "retries": sum(r["retries"] for r in reps),
        "cpu_share_min": min(r["cpu_share_min"] for r in reps),
        "noisy": sum(1 for r in reps if r["cpu_share_min"] < noisy),
        "kind": reps[0].get("label", ""),
        "samples": ops,
    }


class Stress:
    """stress.json: the rows of the litmus7-style stress on the hardware."""

    def __init__(self, path, doc):
        self.path = path
        self.arch = doc.get("arch")
        self.rows = doc["rows"]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def shapes(self):
        return shapes(self.rows)

    def fields(self):
        """The columns after STRESS_KEYS: the violation count of each shape,
        then every other scalar the rows carry, in the file's order."""
        counts = [f"viol_{s}" for s in self.shapes()]
        rest = unique(k for r in self.rows for k in stress_values(r)
                      if k not in STRESS_KEYS and k not in counts)
        return counts + rest


def is_scalar(v):
    return v is None or isinstance(v, (str, int, float, bool))


def stress_values(r):
    """A stress row's scalar fields, an object of scalars flattened to 'key.sub'
    (lists and deeper objects are left out)."""
    out = {}
    for k, v in r.items():
        if isinstance(v, dict):
            out.update({f"{k}.{sub}": x for sub, x in v.items() if is_scalar(x)})
        elif is_scalar(v):
            out[k] = v
    return out


def field_label(key):
    m = SHAPE_COUNTER.match(key)
    return f"{m.group(1)} violations" if m else key.replace("_", " ")


class Run:
    """One loaded run: its document, the C side's describe object, its points
    and its optional side files (None when absent)."""

    def __init__(self, path, doc, describe, verdicts=None, barriers=None, stress=None):
        self.path = path
        self.dir = os.path.dirname(path) or "."
        self.doc = doc
        self.ctx = doc["context"]
        self.describe = describe
        self.noisy = describe.noisy
        self.sweep = doc.get("faultline_sweep") or {}
        self.points = points(doc)
        self.verdicts = verdicts
        self.barriers = barriers
        self.stress = stress
        self.label = f"{self.ctx['host_name']} {self.ctx['arch']}"

    def summarise(self, reps):
        return summarise(reps, self.noisy)

    def summary(self, mix, strategy, cpus):
        """The summary of one point, or None when it was not measured."""
        reps = self.points.get((mix, strategy, cpus))
        return self.summarise(reps) if reps else None

    def unit(self, mix):
        return self.describe.unit(mix)

    def mixes(self):
        return unique(k[0] for k in self.points)

    def strategies(self, mix):
        return unique(k[1] for k in self.points if k[0] == mix)

    def cpus(self, mix):
        return sorted({k[2] for k in self.points if k[0] == mix})

    def strategy_names(self):
        return unique(k[1] for k in self.points)

    def kind(self, strategy):
        """The strategy's label (correct, control, baseline) in bench.json, or None."""
        for (_, s, _), reps in self.points.items():
            if s == strategy:
                return reps[0]["label"]
        return None

    def hw_shapes(self):
        """Reader shapes bench.json counts violations of (viol_<shape>)."""
        return self.describe.order_shapes(shapes(r for reps in self.points.values() for r in reps))

    def hw_violations(self, strategy, shape):
        """Violations of one reader shape, summed over every point and repetition."""
        return sum(r.get(f"viol_{shape}", 0) for (_, s, _), reps in self.points.items()
                   if s == strategy for r in reps)

    def emulated(self):
        """Strategies in verdicts.json."""
        return self.verdicts.strategies if self.verdicts else []

    def shapes(self):
        """Reader shapes emulated or counted on hardware, the emulator's order first."""
        return unique((self.verdicts.shapes if self.verdicts else []) + self.hw_shapes())

    def kind_any(self, strategy):
        """The strategy's kind from bench.json, else from verdicts.json, or None."""
        return self.kind(strategy) or (self.verdicts.kind(strategy) if self.verdicts else None)

    def sweep_text(self):
        """'complete, 5 repetitions x 0.3 s' or what is known about the sweep."""
        sw = self.sweep
        if not sw:
            return "not recorded (no faultline_sweep object)"
        state = "complete" if sw.get("complete") else "INCOMPLETE (interrupted)"
        reps = sw.get("repetitions", "?")
        text = f"{state}, {reps} repetitions x {sw.get('duration_s', '?')} s"
        if sw.get("failed"):
            text += f", failed: {', '.join(map(str, sw['failed']))}"
        return text
