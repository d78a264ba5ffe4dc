"""A loaded run: its bench.json points, their summaries and its side files.

Built by faultline.load, which has checked everything these classes rely on.
"""
import json
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


def passes_text(passes):
    """[3] -> 'pass 3', [3, 4] -> 'passes 3 and 4'."""
    words = [str(p) for p in passes]
    if len(words) == 1:
        return f"pass {words[0]}"
    return "passes " + ", ".join(words[:-1]) + " and " + words[-1]


def slowdown(gauge, per_pass, slower_is_higher):
    """A SLOWDOWN finding of one speed gauge ({pass index: value}), or None:
    the gauge varies by more than stats.SLOWDOWN_LIMIT between passes."""
    values = [v for v in per_pass.values() if v > 0]
    if len(values) < 2 or max(values) / min(values) <= stats.SLOWDOWN_LIMIT:
        return None
    factor = max(values) / min(values)
    if slower_is_higher:
        slow = [p for p, v in per_pass.items() if v >= min(values) * stats.SLOWDOWN_LIMIT]
    else:
        slow = [p for p, v in per_pass.items() if 0 < v <= max(values) / stats.SLOWDOWN_LIMIT]
    slow = sorted(int(p) + 1 for p in slow)  # repetition_index 0 is pass 1
    return {"gauge": gauge, "factor": factor, "slow_passes": slow}


def few_cpus_note(ctx):
    """The plain note of a machine with fewer than 4 usable CPUs, or None."""
    try:
        n = int(ctx.get("usable_cpus"))
    except (TypeError, ValueError):
        return None
    if n >= 4:
        return None
    return (f"scaling beyond {n} CPU{'s' if n != 1 else ''} not measured here "
            f"(this machine has {n} usable CPU{'s' if n != 1 else ''})")


def field_label(key):
    m = SHAPE_COUNTER.match(key)
    return f"{m.group(1)} violations" if m else key.replace("_", " ")


class Run:
    """One loaded run: its document, the C side's describe object, its points
    and its optional side files (None when absent)."""

    def __init__(self, path, doc, describe, verdicts=None, barriers=None, stress=None,
                 kernel=None, soak=None):
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
        self.kernel = kernel
        self.soak = soak        # soak.json (faultline.soak), or None
        self.locks = None   # locks.json (faultline.lockbench), set by load.load_run
        self.label = f"{self.ctx['host_name']} {self.ctx['arch']}"

    def summarise(self, reps):
        return summarise(reps, self.noisy)

    def perf_events(self):
        """The perf events (describe's "perf_events", in its order), each with this
        run's state from the context's "perf" (faultline.load checked it):
        counted, unsupported (with its why) or off; [] for a run from before perf
        counting (no "perf" in its context)."""
        if "perf" not in self.ctx:
            return []
        status = {e["name"]: e for e in json.loads(self.ctx["perf"])["events"]}
        return [dict(e, state=status.get(e["name"], {}).get("state", "off"),
                     why=status.get(e["name"], {}).get("why"),
                     scope=status.get(e["name"], {}).get("scope"))
                for e in self.describe.perf_events]

    def perf_counted(self):
        """The counted perf events that some row of the run carries."""
        rows = [r for reps in self.points.values() for r in reps]
        return [e for e in self.perf_events()
                if e["state"] == "counted" and any(e["counter"] in r for r in rows)]

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

    def empty_loop(self):
        """{pass index: ns per iteration} of the empty benchmark body
        (harness/empty, timed once per pass with --overhead)."""
        out = {}
        for i, b in enumerate(b for b in self.doc["benchmarks"]
                              if b["name"].startswith("harness/empty")
                              and b.get("run_type") == "iteration"):
            out[b.get("repetition_index", i)] = b["real_time"]
        return out

    def slowdowns(self):
        """The SLOWDOWN findings of the run's speed gauges: the empty loop, and
        each mix's reference point, the one-thread unsynchronised baseline@1
        (its repetitions at full CPU share), varying by more than
        stats.SLOWDOWN_LIMIT between passes. CPU share cannot see a host that
        slows the whole VM down; these can. [{gauge, factor, slow_passes, text}]"""
        found = []
        f = slowdown("empty loop", self.empty_loop(), True)
        if f:
            f["text"] = (f"the same empty loop ran {f['factor']:.1f}x slower in some passes "
                         f"({passes_text(f['slow_passes'])}) than in others, with full CPU "
                         "share: the host, not the guest, slowed this machine")
            found.append(f)
        for (mix, s, cpus), reps in self.points.items():
            if cpus != 1 or reps[0].get("label") != "baseline":
                continue
            rates = {r.get("repetition_index", i): r["ops_per_s"] for i, r in enumerate(reps)
                     if r["cpu_share_min"] >= self.noisy}
            f = slowdown(f"{mix}/{s}@1", rates, False)
            if f:
                f["text"] = (f"the reference point {mix}/{s}@1 (one thread, no "
                             f"synchronisation, full CPU share) ran {f['factor']:.1f}x slower "
                             f"in {passes_text(f['slow_passes'])} than in its fastest pass")
                found.append(f)
        return found

    def slow_passes(self):
        """Passes (1-based) some speed gauge found slow."""
        return sorted({p for f in self.slowdowns() for p in f["slow_passes"]})

    def few_cpus_note(self):
        return few_cpus_note(self.ctx)

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
