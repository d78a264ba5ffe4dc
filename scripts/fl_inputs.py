"""Inputs of report.py, summary.py and compare.py: runs and their side files.

A run is a bench.json (validated by fl_results.load, then checked here for the
types the report relies on) plus, beside it, the optional verdicts.json
(weak-memory emulation, checked by fl_verdicts), stress.json (stress on the
hardware) and barriers.json (emitted instructions). Every problem raises
fl_results.ResultError with one line naming the file.
"""
import json
import os
import re
import time

import fl_results as fr
import fl_verdicts as fv

NUMERIC = ("threads", "ops_per_s", "violations", "retries", "cpu_share", "cpu_share_min")
OPTIONAL_NUMERIC = ("gups_per_s", "faults_per_s", "publishes_per_s", "ns_per_op",
                    "repetition_index")
SIDES = ("writer", "reader")
STRESS_KEYS = ("strategy", "kind", "cpus", "trials")  # the stress table's first columns
STAMP = re.compile(r"-(\d{8}T\d{6}Z)(?:-(\d+))?$")


class Run:
    """One loaded run: its document, points and optional side files."""

    def __init__(self, path, doc, verdicts, barriers, stress=None):
        self.path = path
        self.dir = os.path.dirname(path) or "."
        self.doc = doc
        self.ctx = doc["context"]
        self.sweep = doc.get("faultline_sweep") or {}
        self.points = fr.points(doc)
        self.verdicts = verdicts
        self.barriers = barriers
        self.stress = stress
        self.label = f"{self.ctx['host_name']} {self.ctx['arch']}"

    def mixes(self):
        return list(dict.fromkeys(k[0] for k in self.points))

    def strategies(self, mix):
        return list(dict.fromkeys(k[1] for k in self.points if k[0] == mix))

    def cpus(self, mix):
        return sorted({k[2] for k in self.points if k[0] == mix})

    def strategy_names(self):
        return list(dict.fromkeys(k[1] for k in self.points))

    def kind(self, strategy):
        """The strategy's label (correct, control, baseline), or None if absent."""
        for (_, s, _), reps in self.points.items():
            if s == strategy:
                return reps[0]["label"]
        return None

    def hw_shapes(self):
        """Reader shapes bench.json counts violations of (viol_<shape>)."""
        return fr.shapes(r for reps in self.points.values() for r in reps)

    def hw_violations(self, strategy, shape):
        """Violations of one reader shape, summed over every point and repetition."""
        return sum(r.get(f"viol_{shape}", 0) for (_, s, _), reps in self.points.items()
                   if s == strategy for r in reps)

    def emulated(self):
        """Strategies in verdicts.json."""
        return self.verdicts.strategies if self.verdicts else []

    def shapes(self):
        """Reader shapes emulated or counted on hardware, the emulator's order first."""
        return list(dict.fromkeys((self.verdicts.shapes if self.verdicts else [])
                                  + self.hw_shapes()))

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


def bench_path(arg):
    return os.path.join(arg, "bench.json") if os.path.isdir(arg) else arg


def fail(path, what):
    raise fr.ResultError(f"{path}: {what}")


def load_doc(path):
    """fl_results.load, with structural surprises turned into ResultError."""
    try:
        return fr.load(path)
    except UnicodeDecodeError:
        fail(path, "not UTF-8 text")
    except (TypeError, AttributeError):
        fail(path, "unexpected structure: 'context' must be an object, 'benchmarks' a list")


def check_types(path, doc):
    if not isinstance(doc["context"], dict) or not isinstance(doc["benchmarks"], list):
        fail(path, "'context' must be an object and 'benchmarks' a list")
    sweep = doc.get("faultline_sweep")
    if sweep is not None and not isinstance(sweep, dict):
        fail(path, "'faultline_sweep' must be an object")
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration" or b["name"].startswith("harness/") \
                or b.get("error_occurred"):
            continue
        if b["name"].count("/") < 1:
            fail(path, f"benchmark '{b['name']}' is not named mix/strategy/...")
        counts = [k for k in b if fr.SHAPE_COUNTER.match(k)]
        for key in NUMERIC + OPTIONAL_NUMERIC + tuple(counts):
            if key in b and not fr.is_number(b[key]):
                fail(path, f"benchmark '{b['name']}': '{key}' is not a finite number")
        if not isinstance(b["label"], str):
            fail(path, f"benchmark '{b['name']}': 'label' is not a string")
    if not fr.points(doc):
        fail(path, "no measured benchmark points")


def load_side(path, key, check_item):
    """A side file {key: [items]} or None when absent."""
    if not os.path.exists(path):
        return None
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        fail(path, f"expected an object with a '{key}' list")
    for i, item in enumerate(doc[key]):
        if not isinstance(item, dict):
            fail(path, f"{key}[{i}] is not an object")
        problem = check_item(item)
        if problem:
            fail(path, f"{key}[{i}]: {problem}")
    return doc[key]


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        fail(path, f"not valid JSON ({e.msg} at line {e.lineno})")
    except UnicodeDecodeError:
        fail(path, "not UTF-8 text")
    except OSError as e:
        fail(path, e.strerror)


def load_verdicts(path):
    """verdicts.json as an fl_verdicts.Verdicts, or None when absent."""
    if not os.path.exists(path):
        return None
    doc = load_json(path)
    why = fv.problem(doc)
    if why:
        fail(path, why)
    return fv.Verdicts(path, doc)


def check_barrier(r):
    for key in ("strategy", "arch"):
        if not isinstance(r.get(key), str) or not r.get(key):
            return f"'{key}' must be a non-empty string"
    if r.get("side") not in SIDES:
        return "'side' must be writer or reader"
    ins = r.get("instructions")
    if not isinstance(ins, list) or not all(isinstance(i, str) for i in ins):
        return "'instructions' must be a list of strings"
    return None


def check_stress(r):
    if not isinstance(r.get("strategy"), str) or not r.get("strategy"):
        return "'strategy' must be a non-empty string"
    counts = [k for k in r if fr.SHAPE_COUNTER.match(k)]
    if not counts:
        return "no violation count (viol_<shape>)"
    for key in ["cpus", "trials"] + counts:
        if not fr.is_count(r.get(key)):
            return f"'{key}' must be a non-negative integer"
    for key, v in stress_values(r).items():
        if isinstance(v, float) and not fr.is_number(v):
            return f"'{key}' must be a finite number"
    return None


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


def stress_fields(rows):
    """The stress columns after STRESS_KEYS: the violation count of each shape,
    then every other scalar the rows carry, in the file's order."""
    counts = [f"viol_{s}" for s in fr.shapes(rows)]
    rest = dict.fromkeys(k for r in rows for k in stress_values(r)
                         if k not in STRESS_KEYS and k not in counts)
    return counts + list(rest)


def field_label(key):
    m = fr.SHAPE_COUNTER.match(key)
    return f"{m.group(1)} violations" if m else key.replace("_", " ")


def value_text(v):
    """'-' for a missing or null field, integers as they are, other numbers to 4
    digits, true/false as yes/no, text as it is."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return str(v) if isinstance(v, int) else f"{v:.4g}"


def load_run(arg):
    path = bench_path(arg)
    doc = load_doc(path)
    check_types(path, doc)
    d = os.path.dirname(path)
    verdicts = load_verdicts(os.path.join(d, "verdicts.json"))
    barriers = load_side(os.path.join(d, "barriers.json"), "rows", check_barrier)
    stress = load_side(os.path.join(d, "stress.json"), "rows", check_stress)
    return Run(path, doc, verdicts, barriers, stress)


def load_runs(args):
    """Load every run (all or nothing); labels made unique with the directory name."""
    runs = [load_run(a) for a in args]
    labels = [r.label for r in runs]
    for r in runs:
        if labels.count(r.label) > 1:
            r.label = f"{r.label} ({os.path.basename(os.path.abspath(r.dir))})"
    return runs


def newest_run(results_dir):
    """The newest directory under results_dir that holds a bench.json."""
    try:
        names = os.listdir(results_dir)
    except OSError as e:
        raise fr.ResultError(f"{results_dir}: {e.strerror}") from None
    found = []
    for n in names:
        p = os.path.join(results_dir, n, "bench.json")
        if os.path.isfile(p):
            m = STAMP.search(n)
            stamp = m.group(1) if m else time.strftime("%Y%m%dT%H%M%SZ",
                                                       time.gmtime(os.path.getmtime(p)))
            found.append((stamp, int(m.group(2) or 1) if m else 0, n))
    if not found:
        raise fr.ResultError(f"{results_dir}: no run directory with a bench.json")
    return os.path.join(results_dir, max(found)[2])
