"""The one loader and validator of faultline's result files.

A run is a bench.json (Google Benchmark's schema plus faultline's context,
which embeds the C side's describe object) and, beside it, the optional
verdicts.json (weak-memory emulation), stress.json (stress on the hardware),
barriers.json (emitted instructions) and kernel.json (the real kernel's fault
and GUP-fast). Every problem raises ResultError with one
line naming the file; nothing is returned half-checked.
"""
import json
import math
import os
import re
import time

from . import ResultError, describe, fail, lockbench
from .kernel import TESTS as KERNEL_TESTS, Kernel
from .results import SHAPE_COUNTER, Run, Stress, measured, stress_values
from .verdicts import Verdicts

# bench.json's context keys, in the report's order, with what each is for:
# R the tools need it (a run without it is rejected), S the report's machine
# and build table shows it, C compare says when it differs between two runs,
# F every run of the current faultline writes it (tests/check_json.py).
CONTEXT = (("host_name", "RSC"), ("arch", "RSC"), ("cpu_model", "RSC"), ("usable_cpus", "RS"),
           ("kernel", "RSC"), ("compiler", "RSC"), ("faultline_cflags", "SF"),
           ("jemalloc_version", "RS"), ("malloc_library", "S"), ("faultline_git_rev", "RSC"),
           ("placement", "SF"), ("placement_effective", "SF"),
           ("placement_note", "S"), ("duration_s", "SF"), ("cpu_counts", "SF"), ("slots", "SF"),
           ("ptl", "SFC"), ("seed", "S"), ("date", "S"), ("perf", "F"))


def context_keys(role):
    return tuple(k for k, roles in CONTEXT if role in roles)


REQUIRED_CONTEXT = context_keys("R")
REPORT_CONTEXT = context_keys("S")
COMPARED_CONTEXT = context_keys("C")
FRESH_CONTEXT = context_keys("F") + REQUIRED_CONTEXT + (describe.CONTEXT_KEY,)
# The fields of a measured benchmark entry the tools read.
REQUIRED_BENCH = ("name", "run_type", "threads", "ops_per_s", "violations", "viol_dep",
                  "viol_indep", "retries", "cpu_share", "cpu_share_min", "label")
# Google Benchmark's own fields of a benchmark entry (the rest are counters),
# and those of them the tools read as numbers; every counter the describe
# object lists must be a finite number too.
GB_FIELDS = ("name", "family_index", "per_family_instance_index", "run_name", "run_type",
             "repetitions", "repetition_index", "threads", "iterations", "real_time",
             "cpu_time", "time_unit", "label", "error_occurred", "error_message",
             "aggregate_name", "aggregate_unit")
GB_NUMERIC = ("threads", "repetition_index")
SIDES = ("writer", "reader")
STAMP = re.compile(r"-(\d{8}T\d{6}Z)(?:-(\d+))?$")
RERUN = "re-run `make bench` (or `build/faultline-emu --matrix --json=FILE`)"
VERDICT_STRINGS = ("strategy", "model", "shape", "expected", "verdict", "lkmm")


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def is_count(x, least=0):
    """An integer (not a bool) of at least least."""
    return isinstance(x, int) and not isinstance(x, bool) and x >= least


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        fail(path, "no such file")
    except json.JSONDecodeError as e:
        fail(path, f"not valid JSON ({e.msg} at line {e.lineno})")
    except UnicodeDecodeError:
        fail(path, "not UTF-8 text")
    except OSError as e:
        fail(path, e.strerror)


# ---------------------------------------------------------------- bench.json

def bench_path(arg):
    return os.path.join(arg, "bench.json") if os.path.isdir(arg) else arg


def check_entry(path, b, numeric):
    """One benchmark entry of bench.json."""
    if b["name"].startswith("harness/") or b.get("error_occurred"):
        return
    for key in REQUIRED_BENCH:
        if key not in b:
            fail(path, f"benchmark '{b['name']}' lacks '{key}'")
    if b.get("run_type") != "iteration":
        return
    if b["name"].count("/") < 1:
        fail(path, f"benchmark '{b['name']}' is not named mix/strategy/...")
    for key in [k for k in b if k in numeric or SHAPE_COUNTER.match(k)]:
        if not is_number(b[key]):
            fail(path, f"benchmark '{b['name']}': '{key}' is not a finite number")
    if not isinstance(b["label"], str):
        fail(path, f"benchmark '{b['name']}': 'label' is not a string")


PERF_STATES = ("off", "counted", "unsupported")


def perf_problem(text):
    """What is wrong with the context's "perf" (bench/perf.c's fl_perf_json(), a
    JSON string), or None; absent (a run from before perf counting) is fine."""
    if text is None:
        return None
    try:
        doc = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError as e:
        return f"not valid JSON ({e.msg})"
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        return "expected a JSON object with an 'events' list"
    for i, e in enumerate(doc["events"]):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str) \
                or e.get("state") not in PERF_STATES:
            return f"events[{i}]: needs a 'name' and a 'state' ({', '.join(PERF_STATES)})"
        if e["state"] == "unsupported" and not isinstance(e.get("why"), str):
            return f"events[{i}]: an unsupported event needs its 'why'"
    return None


def bench(arg):
    """(path, document, Describe) of a checked bench.json (or run directory)."""
    path = bench_path(arg)
    doc = read_json(path)
    if not isinstance(doc, dict) or "context" not in doc or "benchmarks" not in doc:
        fail(path, "missing 'context' or 'benchmarks'")
    if not isinstance(doc["context"], dict) or not isinstance(doc["benchmarks"], list):
        fail(path, "'context' must be an object and 'benchmarks' a list")
    for key in REQUIRED_CONTEXT:
        if key not in doc["context"]:
            fail(path, f"context lacks '{key}'")
    desc = describe.from_context(path, doc["context"])
    sweep = doc.get("faultline_sweep")
    if sweep is not None and not isinstance(sweep, dict):
        fail(path, "'faultline_sweep' must be an object")
    why = perf_problem(doc["context"].get("perf"))
    if why:
        fail(path, f"context 'perf': {why}")
    numeric = set(GB_NUMERIC) | set(desc.counters) | set(desc.perf_counters())
    for i, b in enumerate(doc["benchmarks"]):
        if not isinstance(b, dict) or not isinstance(b.get("name"), str):
            fail(path, f"benchmark #{i} has no name")
        check_entry(path, b, numeric)
    if not any(measured(b) for b in doc["benchmarks"]):
        fail(path, "no measured benchmark points")
    return path, doc, desc


# ---------------------------------------------------------------- side files

def verdict_cell_problem(c):
    """What is wrong with one verdicts.json cell, or None."""
    if not isinstance(c, dict):
        return "not an object"
    for key in VERDICT_STRINGS:
        if not isinstance(c.get(key), str) or not c[key]:
            return f"'{key}' must be a non-empty string"
    if not isinstance(c.get("ok"), bool):
        return "'ok' must be true or false"
    if not is_count(c.get("seeds"), 1):
        return "'seeds' must be a positive integer"
    if not is_count(c.get("violating_seeds")) or c["violating_seeds"] > c["seeds"]:
        return "'violating_seeds' must be an integer between 0 and seeds"
    if not is_count(c.get("trials")):
        return "'trials' (racing trials) must be a non-negative integer"
    for key in ("livelocked_seeds", "violations"):
        if key in c and not is_count(c[key]):
            return f"'{key}' must be a non-negative integer"
    if c.get("note") is not None and not isinstance(c["note"], str):
        return "'note' must be a string or null"
    ms = c.get("median_ms_to_first")
    if ms is not None and not is_number(ms):
        return "'median_ms_to_first' must be a number or null"
    return None


def verdicts_problem(doc):
    """What is wrong with a verdicts.json document, or None; one line."""
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        return "expected an object with a 'cells' list"
    if "rule" not in doc or any(isinstance(c, dict) and "verdict" not in c for c in doc["cells"]):
        return f"old verdicts.json format (its cells carry no 'verdict'): {RERUN}"
    if not isinstance(doc["rule"], dict) or not isinstance(doc["rule"].get("text"), str):
        return "'rule' must be an object with a 'text' string"
    seen = set()
    for i, c in enumerate(doc["cells"]):
        why = verdict_cell_problem(c)
        if why:
            return f"cells[{i}]: {why}"
        key = (c["strategy"], c["model"], c["shape"])
        if key in seen:
            return f"cells[{i}]: a second cell for {' '.join(key)}"
        seen.add(key)
    return None


def barrier_problem(r):
    for key in ("strategy", "arch"):
        if not isinstance(r.get(key), str) or not r.get(key):
            return f"'{key}' must be a non-empty string"
    if r.get("side") not in SIDES:
        return "'side' must be writer or reader"
    ins = r.get("instructions")
    if not isinstance(ins, list) or not all(isinstance(i, str) for i in ins):
        return "'instructions' must be a list of strings"
    return None


def stress_problem(r):
    if not isinstance(r.get("strategy"), str) or not r.get("strategy"):
        return "'strategy' must be a non-empty string"
    counts = [k for k in r if SHAPE_COUNTER.match(k)]
    if not counts:
        return "no violation count (viol_<shape>)"
    for key in ["cpus", "trials"] + counts:
        if not is_count(r.get(key)):
            return f"'{key}' must be a non-negative integer"
    for key, v in stress_values(r).items():
        if isinstance(v, float) and not is_number(v):
            return f"'{key}' must be a finite number"
    return None


KERNEL_RERUN = "re-run `make bench` (or `build/faultline-kernel --json=FILE`)"
KERNEL_COUNTS = ("pages", "faults", "calls", "regions", "pages_per_call")
KERNEL_NUMBERS = ("ns_per_page", "cpu_share_min", "ns_per_call", "ns_fixed", "faults_per_s",
                  "faults_per_page")


def kernel_row_problem(r):
    """What is wrong with one kernel.json row, or None."""
    if r.get("test") not in KERNEL_TESTS:
        return f"'test' must be one of {', '.join(KERNEL_TESTS)}"
    if not isinstance(r.get("mode"), str) or not r["mode"]:
        return "'mode' must be a non-empty string"
    if not is_count(r.get("cpus"), 1) or not is_count(r.get("repetition")):
        return "'cpus' must be a positive and 'repetition' a non-negative integer"
    if not isinstance(r.get("sane"), bool):
        return "'sane' must be true or false"
    for key in ("ns_per_page", "cpu_share_min") + {"fault": ("faults_per_s",),
                                                    "gup": ("ns_per_call",),
                                                    "gup-fit": ("ns_fixed",)}[r["test"]]:
        if not is_number(r.get(key)):
            return f"'{key}' must be a finite number"
    for key in KERNEL_COUNTS:
        if key in r and not is_count(r[key]):
            return f"'{key}' must be a non-negative integer"
    if r["test"] == "gup" and not is_count(r.get("pages_per_call"), 1):
        return "'pages_per_call' must be a positive integer"
    return None


def kernel(path):
    """kernel.json as a Kernel, or None when absent."""
    if not os.path.exists(path):
        return None
    doc = rows_doc(path, kernel_row_problem)
    if doc.get("faultline_kernel") != 1:
        fail(path, f"not a faultline-kernel result (no \"faultline_kernel\": 1): {KERNEL_RERUN}")
    for key in ("context", "parameters", "methods"):
        if not isinstance(doc.get(key), dict):
            fail(path, f"'{key}' must be an object")
    return Kernel(path, doc)


# The lock flavours' raw rates (issue 11, item 3): locks.json.
LOCKS_RERUN = "re-run `make bench` (or `build/faultline-lockbench --json=FILE`)"


def locks_row_problem(r):
    """What is wrong with one locks.json row, or None."""
    if not isinstance(r.get("lock"), str) or not r["lock"]:
        return "'lock' must be a non-empty string"
    for key, lo in (("threads", 1), ("rep", 1), ("ops", 0)):
        if not is_count(r.get(key), lo):
            return f"'{key}' must be an integer >= {lo}"
    for key in ("wall_s", "cpu_s", "mops_per_s"):
        if not is_number(r.get(key)) or r[key] < 0:
            return f"'{key}' must be a non-negative number"
    per = r.get("per_thread_ops")
    if not isinstance(per, list) or len(per) != r["threads"] or not all(map(is_count, per)):
        return "'per_thread_ops' must list one non-negative integer per thread"
    if sum(per) != r["ops"]:
        return "'ops' must be the sum of 'per_thread_ops'"
    return None


def locks(path):
    """locks.json as a lockbench.Locks, or None when absent; a bad file fails (ResultError)."""
    if not os.path.exists(path):
        return None
    doc = read_json(path)
    if not isinstance(doc, dict) or doc.get("faultline_lockbench") != 1:
        fail(path, "not a faultline-lockbench result (no \"faultline_lockbench\": 1): "
             + LOCKS_RERUN)
    for key in ("context", "parameters"):
        if not isinstance(doc.get(key), dict):
            fail(path, f"'{key}' must be an object")
    if not isinstance(doc.get("rows"), list) or not doc["rows"]:
        fail(path, "expected a non-empty 'rows' list")
    seen = set()
    for i, row in enumerate(doc["rows"]):
        why = locks_row_problem(row) if isinstance(row, dict) else "not an object"
        if why:
            fail(path, f"rows[{i}]: {why}")
        key = (row["lock"], row["threads"], row["rep"])
        if key in seen:
            fail(path, f"rows[{i}]: a second row for {key[0]} at {key[1]} threads, pass {key[2]}")
        seen.add(key)
    return lockbench.Locks(path, doc)


def rows_doc(path, check_row):
    """A side file {"rows": [objects]}, each row checked, or None when absent."""
    if not os.path.exists(path):
        return None
    doc = read_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        fail(path, "expected an object with a 'rows' list")
    for i, row in enumerate(doc["rows"]):
        if not isinstance(row, dict):
            fail(path, f"rows[{i}] is not an object")
        why = check_row(row)
        if why:
            fail(path, f"rows[{i}]: {why}")
    return doc


def verdicts(path):
    """verdicts.json as a Verdicts, or None when absent."""
    if not os.path.exists(path):
        return None
    doc = read_json(path)
    why = verdicts_problem(doc)
    if why:
        fail(path, why)
    return Verdicts(path, doc)


def stress(path):
    """stress.json as a Stress, or None when absent."""
    doc = rows_doc(path, stress_problem)
    return Stress(path, doc) if doc is not None else None


def soak(path):
    """soak.json (make soak, written into this run's directory) or None when absent."""
    if not os.path.exists(path):
        return None
    doc = read_json(path)
    if not isinstance(doc, dict) or doc.get("tool") != "faultline-soak":
        fail(path, "not a faultline-soak result (no \"tool\": \"faultline-soak\")")
    for key in ("summary", "parameters", "checks", "machine", "placement"):
        if not isinstance(doc.get(key), dict):
            fail(path, f"'{key}' must be an object (an unfinished soak has no 'checks': "
                       "scripts/soak writes them at its end)")
    return doc


def barriers(path):
    """barriers.json's rows, or None when absent."""
    doc = rows_doc(path, barrier_problem)
    return doc["rows"] if doc is not None else None


# ---------------------------------------------------------------- runs

def load_run(arg, problems=None):
    """A Run: bench.json (or a run directory) and the side files beside it.
    With a problems list, a bad side file is left out and its error appended
    there instead of raised."""
    path, doc, desc = bench(arg)
    sides = {}
    for name, loader in (("verdicts", verdicts), ("barriers", barriers), ("stress", stress),
                         ("kernel", kernel), ("soak", soak)):
        try:
            sides[name] = loader(os.path.join(os.path.dirname(path), f"{name}.json"))
        except ResultError as e:
            if problems is None:
                raise
            problems.append(str(e))
            sides[name] = None
    run = Run(path, doc, desc, **sides)
    try:   # the lock flavours' raw rates (issue 11, item 3)
        run.locks = locks(os.path.join(os.path.dirname(path), "locks.json"))
    except ResultError as e:
        if problems is None:
            raise
        problems.append(str(e))
    return run


def load_runs(args):
    """Load every run (all or nothing); labels made unique with the directory name."""
    runs = [load_run(a) for a in args]
    labels = [r.label for r in runs]
    for r in runs:
        if labels.count(r.label) > 1:
            r.label = f"{r.label} ({os.path.basename(os.path.abspath(r.dir))})"
    return runs


def newest_runs(results_dir, n=1):
    """The n newest directories under results_dir that hold a bench.json,
    oldest first (by the UTC stamp of the name, then its -N suffix; a name
    without a stamp by bench.json's modification time)."""
    try:
        names = os.listdir(results_dir)
    except OSError as e:
        raise ResultError(f"{results_dir}: {e.strerror}") from None
    found = []
    for name in names:
        p = os.path.join(results_dir, name, "bench.json")
        if os.path.isfile(p):
            m = STAMP.search(name)
            stamp = m.group(1) if m else time.strftime("%Y%m%dT%H%M%SZ",
                                                       time.gmtime(os.path.getmtime(p)))
            found.append((stamp, int(m.group(2) or 1) if m else 0, name))
    if not found:
        raise ResultError(f"{results_dir}: no run directory with a bench.json")
    if len(found) < n:
        raise ResultError(f"{results_dir}: only {len(found)} run directory with a bench.json, "
                          f"{n} needed")
    return [os.path.join(results_dir, f[2]) for f in sorted(found)[-n:]]


def newest_run(results_dir):
    """The newest directory under results_dir that holds a bench.json."""
    return newest_runs(results_dir, 1)[0]
