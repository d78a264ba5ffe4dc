"""Load and validate faultline result JSON (Google Benchmark schema + context).

Shared by summary, report and compare. Raises ResultError with a message that
names the file and what is wrong; never returns half-parsed data.
"""
import json
import math
import os
import re
import statistics

REQUIRED_CONTEXT = ("host_name", "arch", "cpu_model", "kernel", "compiler",
                    "jemalloc_version", "faultline_git_rev", "usable_cpus")
REQUIRED_BENCH = ("name", "run_type", "threads", "ops_per_s", "violations",
                  "viol_dep", "viol_indep", "retries", "cpu_share", "cpu_share_min",
                  "label")
# A per-reader-shape violation count: viol_dep, viol_indep, viol_chain, ... The
# shapes are whatever the files carry; a field with more words (a rate, a bound)
# is not a count.
SHAPE_COUNTER = re.compile(r"^viol_([a-z0-9]+)$")


class ResultError(Exception):
    pass


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def is_count(x, least=0):
    """An integer (not a bool) of at least least."""
    return isinstance(x, int) and not isinstance(x, bool) and x >= least


def load(path):
    """Return the parsed document of a bench.json (or a run directory)."""
    if os.path.isdir(path):
        path = os.path.join(path, "bench.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ResultError(f"{path}: no such file") from None
    except json.JSONDecodeError as e:
        raise ResultError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})") from None
    except OSError as e:
        raise ResultError(f"{path}: {e.strerror}") from None
    if not isinstance(doc, dict) or "context" not in doc or "benchmarks" not in doc:
        raise ResultError(f"{path}: missing 'context' or 'benchmarks'")
    for key in REQUIRED_CONTEXT:
        if key not in doc["context"]:
            raise ResultError(f"{path}: context lacks '{key}'")
    for i, b in enumerate(doc["benchmarks"]):
        if not isinstance(b, dict) or "name" not in b:
            raise ResultError(f"{path}: benchmark #{i} has no name")
        if b["name"].startswith("harness/") or b.get("error_occurred"):
            continue
        for key in REQUIRED_BENCH:
            if key not in b:
                raise ResultError(f"{path}: benchmark '{b['name']}' lacks '{key}'")
    doc["_path"] = path
    return doc


def split_name(name):
    """'gup/dep/manual_time/threads:2' -> ('gup', 'dep', 2)."""
    parts = name.split("/")
    threads = 1
    for p in parts:
        if p.startswith("threads:"):
            threads = int(p.split(":", 1)[1])
    return parts[0], parts[1], threads


def points(doc):
    """{(mix, strategy, threads): [per-repetition benchmark dicts]}, in file order."""
    out = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration" or b["name"].startswith("harness/"):
            continue
        if b.get("error_occurred"):
            continue
        out.setdefault(split_name(b["name"]), []).append(b)
    return out


def shapes(entries):
    """Reader shapes with a violation count in any entry (bench or stress rows),
    in the order the files name them."""
    return list(dict.fromkeys(m.group(1) for e in entries for k in e
                              for m in [SHAPE_COUNTER.match(k)] if m))


def median(xs):
    return statistics.median(xs) if xs else math.nan


def cv(xs):
    """Coefficient of variation (sample stddev / mean); 0 for one sample."""
    if len(xs) < 2:
        return 0.0
    m = statistics.mean(xs)
    return statistics.stdev(xs) / m if m else math.nan


def summarise(reps):
    """Median/CV of ops_per_s and the correctness/noise facts of one point."""
    ops = [r["ops_per_s"] for r in reps]
    return {
        "n": len(reps),
        "median": median(ops),
        "cv": cv(ops),
        "min": min(ops),
        "max": max(ops),
        "violations": sum(r["violations"] for r in reps),
        "viol": {sh: sum(r.get(f"viol_{sh}", 0) for r in reps) for sh in shapes(reps)},
        "retries": sum(r["retries"] for r in reps),
        "cpu_share_min": min(r["cpu_share_min"] for r in reps),
        "noisy": sum(1 for r in reps if r["cpu_share_min"] < 0.9),
        "kind": reps[0].get("label", ""),
        "samples": ops,
    }
