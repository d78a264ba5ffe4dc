"""The raw lock+unlock rate of each lock flavour (docs/design.md, "Lock flavours").

locks.json (build/faultline-lockbench, a side job of `make bench`; checked by
faultline.load) holds, per
pass, flavour and thread count, how many lock+unlock pairs the threads made
on one spinlock_t with an empty critical section and no work between
(lockhammer's -c 0 -p 0). Here: the median
over the passes with its distribution-free interval, and lockhammer's figures
for the same algorithms beside them. The flavour names come from the run's
describe object ("locks"), never from a copy here.
"""
from . import stats

# lockhammer's -c 0 -p 0 rates, in M lock+unlock/s, for the flavours it has
# the same algorithm of: defined here once, with where they come from.
REFERENCE = {
    "source": "measured on this machine by the issue's author with lockhammer -c 0 -p 0 "
              "(ARM-software/synchronization-benchmarks, benchmarks/lockhammer; issue 11, item 3)",
    "tests": {"ticket": "ticket_spinlock", "qspinlock": "queued_spinlock"},
    "mops": {("ticket", 1): 75.0, ("ticket", 2): 27.0,
             ("qspinlock", 1): 144.0, ("qspinlock", 2): 24.0},
}
# "within 10% for the same algorithm" (issue 11, item 3)
TOLERANCE = 0.10


class Locks:
    """A checked locks.json."""

    def __init__(self, path, doc):
        self.path = path
        self.doc = doc
        self.rows = doc["rows"]
        self.params = doc["parameters"]

    def flavours(self, describe_locks=None):
        """The flavours measured, in describe's order (its "locks"), then any other."""
        have = []
        for r in self.rows:
            if r["lock"] not in have:
                have.append(r["lock"])
        order = [x["name"] for x in describe_locks or []]
        return [n for n in order if n in have] + [n for n in have if n not in order]

    def threads(self):
        return sorted({r["threads"] for r in self.rows})

    def point(self, lock, threads):
        """{median, lo, hi, conf, n, samples, cpu_share_min} of M lock+unlock/s over the
        passes, or None."""
        rows = [r for r in self.rows if r["lock"] == lock and r["threads"] == threads]
        if not rows:
            return None
        xs = [r["mops_per_s"] for r in rows]
        lo, hi, conf = stats.median_interval(xs)
        # the threads' CPU time over their wall time: below describe's
        # noisy_cpu_share, something else ran on the CPUs
        share = min(r["cpu_s"] / (r["wall_s"] * threads) if r["wall_s"] else 0 for r in rows)
        return {"median": stats.median(xs), "lo": lo, "hi": hi, "conf": conf, "n": len(xs),
                "samples": xs, "cpu_share_min": share}


def reference(lock, threads):
    """lockhammer's figure for the same algorithm, or None."""
    return REFERENCE["mops"].get((lock, threads))


def comparisons(locks, describe_locks=None):
    """One dict per measured (flavour, threads): {lock, threads, point, ref, ratio, within}."""
    out = []
    for lock in locks.flavours(describe_locks):
        for t in locks.threads():
            p = locks.point(lock, t)
            if p is None:
                continue
            ref = reference(lock, t)
            ratio = p["median"] / ref if ref else None
            out.append({"lock": lock, "threads": t, "point": p, "ref": ref, "ratio": ratio,
                        "within": None if ratio is None else abs(ratio - 1) <= TOLERANCE})
    return out


def blocks(runs):
    """The report's "Lock flavours" section for the runs with a locks.json."""
    runs = [r for r in runs if getattr(r, "locks", None) is not None]
    if not runs:
        return []
    out = [("h", 2, "Lock flavours: raw lock+unlock")]
    for run in runs:
        if len(runs) > 1:
            out.append(("h", 3, run.label))
        lk = run.locks
        out.append(("p", f"build/faultline-lockbench: threads pinned one per CPU take and "
                         f"release one spinlock_t, an empty critical section and no work "
                         f"between (lockhammer -c 0 -p 0), {lk.params.get('duration_s')} s "
                         f"windows, {lk.params.get('repetitions')} passes; the median over "
                         f"the passes with its distribution-free interval. Beside it, "
                         f"lockhammer's figure for the same algorithm, "
                         f"{REFERENCE['source']}, and the ratio (the goal: within "
                         f"{TOLERANCE:.0%}). That figure comes from another session, and this "
                         f"host can run 1.6x slower in one session than in another: "
                         f"docs/design.md (\"Lock flavours\") has a paired, same-session "
                         f"comparison and why the one-thread rates measure each "
                         f"harness's loop."))
        noisy = run.describe.doc.get("thresholds", {}).get("noisy_cpu_share", 0)
        rows = []
        for c in comparisons(lk, run.describe.doc.get("locks")):
            p = c["point"]
            conf = f"{p['conf']:.0%}" if p["conf"] is not None else "?"
            rows.append([f"`{c['lock']}`", str(c["threads"]),
                         f"{p['median']:.1f} [{p['lo']:.1f}, {p['hi']:.1f}] ({conf}, n={p['n']})",
                         f"{c['ref']:g} ({REFERENCE['tests'][c['lock']]})" if c["ref"] else "-",
                         f"{c['ratio']:.2f}" if c["ratio"] else "-",
                         "-" if c["within"] is None else "yes" if c["within"] else "no",
                         f"{p['cpu_share_min']:.2f}" +
                         (" NOISY" if p["cpu_share_min"] < noisy else "")])
        out.append(("table", ["flavour", "threads", "M lock+unlock/s", "lockhammer",
                              "ratio", "within 10%", "CPU share (min)"], rows))
        out.append(("p", f"CPU share: the threads' CPU time over their wall time, the lowest "
                         f"pass; NOISY below {noisy:g} (describe's noisy_cpu_share): other work "
                         f"took the CPUs, and the rate says more about it than about the lock."))
    return out
