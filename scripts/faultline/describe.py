"""The facts faultline's C side defines once, as `faultline --describe=json`
prints them (bench/describe.c; schema 1) and bench.json's context embeds them
(key "faultline_describe", the same object as a JSON string).

The tools read strategies (names, kinds, in report order), mixes (with the unit
of their primary operation), shapes, models, counters and thresholds from here
and keep no copy of their own.
"""
import json
import math
import subprocess

from . import ResultError, fail

SCHEMA = 1
CONTEXT_KEY = "faultline_describe"
OLDER = ("produced by an older faultline (no --describe=json); re-run it with the "
         "current build (make bench)")


def named_list(doc, key, fields=("name",)):
    """What is wrong with doc[key], a list of objects with a string for each of
    fields and unique names, or None."""
    items = doc.get(key)
    if not isinstance(items, list):
        return f"'{key}' must be a list"
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            return f"{key}[{i}] is not an object"
        for f in fields:
            if not isinstance(item.get(f), str) or not item[f]:
                return f"{key}[{i}]: '{f}' must be a non-empty string"
    names = [item["name"] for item in items]
    dup = next((n for n in names if names.count(n) > 1), None)
    return f"{key}: '{dup}' described twice" if dup else None


def problem(doc):
    """What is wrong with a describe object, as far as the tools rely on it, or None."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    if doc.get("schema") != SCHEMA:
        return f"schema {doc.get('schema')!r}, these tools read schema {SCHEMA}"
    why = (named_list(doc, "strategies", ("name", "kind"))
           or named_list(doc, "mixes", ("name", "unit"))
           or named_list(doc, "counters", ("name", "unit")))
    if why:
        return why
    for key in ("shapes", "models"):
        if key in doc:
            why = named_list(doc, key)
            if why:
                return why
    if "perf_events" in doc:  # absent from runs made before perf counting
        why = named_list(doc, "perf_events", ("name", "counter", "unit", "kind"))
        if why:
            return why
    kinds = doc.get("kinds")
    if kinds is not None:
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            return "'kinds' must be a list of strings"
        bad = next((s for s in doc["strategies"] if s["kind"] not in kinds), None)
        if bad:
            return f"strategy '{bad['name']}': kind '{bad['kind']}' is none of {', '.join(kinds)}"
    th = doc.get("thresholds")
    noisy = th.get("noisy_cpu_share") if isinstance(th, dict) else None
    if not isinstance(noisy, (int, float)) or isinstance(noisy, bool) \
            or not math.isfinite(noisy) or not 0 < noisy <= 1:
        return "'thresholds.noisy_cpu_share' must be a number in (0, 1]"
    return None


class Describe:
    """A checked describe object."""

    def __init__(self, doc):
        self.doc = doc
        self.strategies = [s["name"] for s in doc["strategies"]]
        self.kinds = {s["name"]: s["kind"] for s in doc["strategies"]}
        self.kind_names = doc.get("kinds") or list(dict.fromkeys(self.kinds.values()))
        self.mixes = [m["name"] for m in doc["mixes"]]
        self.units = {m["name"]: m["unit"] for m in doc["mixes"]}
        self.counters = {c["name"]: c for c in doc["counters"]}
        self.shapes = [s["name"] for s in doc.get("shapes", [])]
        # perf events (bench/perf.c): a row carries an event's counter only
        # where it was counted; the run's context "perf" says why not elsewhere.
        self.perf_events = list(doc.get("perf_events", []))
        self.models = [m["name"] for m in doc.get("models", [])]
        # --placement's choices (bench/placement.c); None: a binary from before the
        # list, which checks its --placement itself.
        self.placements = doc.get("placements")
        # A repetition whose least-served thread got less than this share of
        # its CPU is noisy (the C side sets each row's `noisy` by it).
        self.noisy = float(doc["thresholds"]["noisy_cpu_share"])

    def kind(self, strategy):
        return self.kinds.get(strategy)

    def perf_counters(self):
        """The bench.json keys of the perf events' per-operation values."""
        return [e["counter"] for e in self.perf_events]

    def unit(self, mix):
        """The unit of the mix's primary operation rate (ops_per_s)."""
        fallback = self.counters.get("ops_per_s", {}).get("unit", "ops/s")
        return self.units.get(mix, fallback)

    def order_shapes(self, found):
        """Reader shapes found in a file, in the describe's order (unknown ones last)."""
        return [s for s in self.shapes if s in found] + [s for s in found if s not in self.shapes]

    def emulated_models(self):
        return [m["name"] for m in self.doc.get("models", []) if m.get("emulated")]

    def select(self, requested, what="strategy"):
        """faultline's --strategy= / --mix= syntax: 'all', or a comma list of
        names and (strategies) kinds; the names in report order. Raises
        ValueError with the one-line reason."""
        known = self.strategies if what == "strategy" else self.mixes
        if requested == "all":
            return list(known)
        chosen = set()
        for name in requested.split(","):
            if name in known:
                chosen.add(name)
            elif what == "strategy" and name in self.kind_names:
                chosen.update(s for s in known if self.kinds[s] == name)
            else:
                raise ValueError(f"unknown {what} '{name}'" if name else
                                 f"empty {what} name in '{requested}'")
        return [n for n in known if n in chosen]


def parse(text, where):
    """A Describe from JSON text; where names its origin in errors."""
    try:
        doc = json.loads(text)
    except (TypeError, json.JSONDecodeError) as e:
        fail(where, f"not valid JSON ({getattr(e, 'msg', e)})")
    why = problem(doc)
    if why:
        fail(where, why)
    return Describe(doc)


def from_context(path, ctx):
    """The describe object a bench.json's context embeds."""
    if CONTEXT_KEY not in ctx:
        fail(path, f"no '{CONTEXT_KEY}' in its context: {OLDER}")
    text = ctx[CONTEXT_KEY]
    if not isinstance(text, str):
        fail(path, f"context '{CONTEXT_KEY}' must be a string holding a JSON object")
    try:
        return parse(text, path)
    except ResultError as e:
        where = f"{path}: "
        raise ResultError(f"{where}context '{CONTEXT_KEY}': "
                          f"{str(e)[len(where):]}") from None


def from_binary(binary):
    """What `binary --describe=json` prints."""
    cmd = f"{binary} --describe=json"
    try:
        r = subprocess.run([binary, "--describe=json"], capture_output=True, text=True)
    except OSError as e:
        fail(cmd, e.strerror)
    if r.returncode:
        err = (r.stderr.strip().splitlines() or [""])[-1]
        fail(cmd, f"exit {r.returncode}" + (f": {err}" if err else ""))
    return parse(r.stdout, cmd)
