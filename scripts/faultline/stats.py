"""The statistics every tool uses, each defined once."""
import math
import statistics

CV_LIMIT = 0.10      # a point whose repetitions vary more than this is not trusted
MIN_REPETITIONS = 5  # per point: the sweep's default, and what a trusted comparison needs


def mean(xs):
    return statistics.mean(xs) if xs else math.nan


def median(xs):
    return statistics.median(xs) if xs else math.nan


def stdev(xs):
    """Sample standard deviation; 0 for fewer than two samples."""
    return statistics.stdev(xs) if len(xs) > 1 else 0.0


def cv(xs):
    """Coefficient of variation, sample stddev / |mean|, as a fraction (Google
    Benchmark's `_cv`): 0 for fewer than two samples or no spread at all, NaN
    for samples spread around a zero mean."""
    sd = stdev(xs)
    if not sd:
        return 0.0
    m = mean(xs)
    return sd / abs(m) if m else math.nan


def overlaps(a, b):
    """Whether two point summaries' min..max ranges overlap."""
    return a["min"] <= b["max"] and b["min"] <= a["max"]


def separated(a, b):
    """Whether every sample of one side is below every sample of the other."""
    return max(a) < min(b) or max(b) < min(a)


def paired_ratios(num_reps, den_reps, key="ops_per_s"):
    """Per-pass ratios (same repetition_index) or, if passes do not match, all pairs."""
    num = {r.get("repetition_index"): r[key] for r in num_reps}
    den = {r.get("repetition_index"): r[key] for r in den_reps}
    if None not in num and set(num) == set(den) and all(den.values()):
        return [num[k] / den[k] for k in num], "per-pass"
    return [a / b for a in num.values() for b in den.values() if b], "all-pairs"


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value; 1 when every sample is the same."""
    if len(set(a) | set(b)) == 1:
        return 1.0
    from scipy.stats import mannwhitneyu  # only compare needs scipy
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)


# Google Benchmark's aggregates over repetitions, by name, as bench.json carries them.
AGGREGATES = {"mean": mean, "median": median, "stddev": stdev, "cv": cv}
