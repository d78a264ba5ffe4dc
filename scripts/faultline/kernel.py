"""The real kernel beside the model (docs/design.md §12).

kernel.json (build/faultline-kernel, checked by faultline.load) holds real
anonymous faults (will-it-scale's page_fault1) and a real GUP-fast
(vmsplice) on the machine of the run, per pass. Here: their medians over the
passes, and each strategy's ordering cost set beside them. The cost is the
model's own figure, from bench.json: the median over the passes of the
per-pass difference in ns per operation between the strategy and a base
that orders nothing, `none` (plain accesses, every CPU count) or, where
`none` is not in the run, the one-thread `baseline`; on the writer side in
the publish mix (one publication: the ordering and the store), on the reader
side in the read mix (one GUP). The share is that difference over a real
fault, or over a real GUP-fast page, at the same CPU count, threads of one
mm as in the model.
"""
import math

from . import stats
from .text import unique

TESTS = ("fault", "gup", "gup-fit")
BASES = ("none", "baseline")
SIDES = (("writer", "publish", "fault"), ("reader", "read", "gup"))


class Kernel:
    """A checked kernel.json."""

    def __init__(self, path, doc):
        self.path = path
        self.doc = doc
        self.ctx = doc.get("context", {})
        self.params = doc.get("parameters", {})
        self.methods = doc.get("methods", {})
        self.rows = doc["rows"]
        self.ok = doc.get("ok", True)

    def insane(self):
        """The rows whose check failed (each worker's faults per page touched,
        or a GUP window that faulted, or a worker that failed)."""
        return [r for r in self.rows if not r["sane"]]

    def fit_span(self):
        """'16..256': the pages per call the GUP-fast slope is fitted between."""
        r = next((r for r in self.rows if r["test"] == "gup-fit"), {})
        return f"{r.get('pages_lo', '?')}..{r.get('pages_hi', '?')}"

    def modes(self):
        return unique(r["mode"] for r in self.rows)

    def cpus(self, test=None):
        return sorted({r["cpus"] for r in self.rows if test in (None, r["test"])})

    def reps(self, test, mode, cpus, pages=None):
        """The rows of one point, every pass."""
        return [r for r in self.rows if r["test"] == test and r["mode"] == mode
                and r["cpus"] == cpus and (pages is None or r.get("pages_per_call") == pages)]

    def point(self, test, mode, cpus, pages=None):
        """{ns, n, cpu_min, noisy...} over the sane passes of one point, or None."""
        reps = [r for r in self.reps(test, mode, cpus, pages) if r["sane"]]
        if not reps:
            return None
        out = {"ns": stats.median([r["ns_per_page"] for r in reps]), "n": len(reps),
               "cpu_min": min(r["cpu_share_min"] for r in reps),
               "samples": [r["ns_per_page"] for r in reps]}
        if test == "gup-fit":
            out["fixed"] = stats.median([r["ns_fixed"] for r in reps])
        if test == "gup":
            out["per_call"] = stats.median([r["ns_per_call"] for r in reps])
        if test == "fault":
            out["rate"] = stats.median([r["faults_per_s"] for r in reps])
        return out

    def fault(self, cpus, mode="threads"):
        """A real fault in ns (per page touched, with its share of mmap and munmap)."""
        return self.point("fault", mode, cpus)

    def gup(self, cpus, mode="threads"):
        """A real GUP-fast per page in ns: the per-page slope of vmsplice."""
        return self.point("gup-fit", mode, cpus)

    def real(self, test, cpus):
        return self.fault(cpus) if test == "fault" else self.gup(cpus)


def base_of(run, mix, cpus):
    """(base strategy, its repetitions) the cost at mix@cpus is measured against."""
    for base in BASES:
        reps = run.points.get((mix, base, cpus))
        if reps:
            return base, reps
    return None, None


def difference(run, mix, strategy, cpus):
    """The strategy's ns/op minus its base's at mix@cpus: {base, median, lo, hi,
    conf, n}, the median of the per-pass differences and its distribution-free
    interval, or None."""
    reps = run.points.get((mix, strategy, cpus))
    base, breps = base_of(run, mix, cpus)
    if not reps or not breps or base == strategy or "ns_per_op" not in reps[0]:
        return None
    diffs, how = stats.paired_differences(reps, breps, "ns_per_op")
    if not diffs:
        return None
    lo, hi, conf = stats.median_interval(diffs) if how == "per-pass" else \
        (min(diffs), max(diffs), None)
    return {"base": base, "median": stats.median(diffs), "lo": lo, "hi": hi, "conf": conf,
            "n": len(diffs), "how": how}


def costs(run, kernel):
    """One dict per strategy, side and CPU count the run and kernel.json both
    have: {strategy, side, mix, cpus, diff (difference()), real (Kernel.point),
    share (diff / real ns, a fraction)}."""
    out = []
    for side, mix, test in SIDES:
        if mix not in run.mixes():
            continue
        for s in run.strategies(mix):
            if s in BASES:
                continue
            for c in run.cpus(mix):
                d = difference(run, mix, s, c)
                real = kernel.real(test, c)
                if d is None or real is None:
                    continue
                out.append({"strategy": s, "side": side, "mix": mix, "test": test, "cpus": c,
                            "diff": d, "real": real, "share": d["median"] / real["ns"]})
    return out


def missing_sides(run):
    """[(side, why)]: the sides whose cost this run cannot state."""
    out = []
    for side, mix, _ in SIDES:
        if mix not in run.mixes():
            out.append((side, f"the {mix} mix is not in this run"))
        elif not any(base_of(run, mix, c)[0] for c in run.cpus(mix)):
            out.append((side, f"no {' or '.join(BASES)} in the {mix} mix to measure against"))
    return out


def pct(share):
    """A share of a real operation, in percent, to two significant digits,
    never in e-notation: '0.012%', '1.3%', '-0.40%', '25%'."""
    x = share * 100
    if not x or not math.isfinite(x):
        return f"{x:g}%"
    digits = max(0, 1 - math.floor(math.log10(abs(x))))
    return f"{x:.{digits}f}%"
