"""The statistics every tool uses, each defined once."""
import math
import statistics

CV_LIMIT = 0.10      # a point whose repetitions vary more than this is not trusted
MIN_REPETITIONS = 5  # per point: the sweep's default, and what a trusted comparison needs
SLOWDOWN_LIMIT = 1.2  # a speed gauge varying more than this between passes is a SLOWDOWN
CI_LEVEL = 0.95      # the confidence every interval aims for


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


def paired_differences(a_reps, b_reps, key):
    """Per-pass differences a - b of one counter (same repetition_index) or,
    if the passes do not match, all pairs; as paired_ratios."""
    a = {r.get("repetition_index"): r[key] for r in a_reps}
    b = {r.get("repetition_index"): r[key] for r in b_reps}
    if None not in a and set(a) == set(b):
        return [a[k] - b[k] for k in a], "per-pass"
    return [x - y for x in a.values() for y in b.values()], "all-pairs"


def median_interval(xs, level=CI_LEVEL):
    """Distribution-free confidence interval of the median from order
    statistics (exact binomial, no assumption about the distribution):
    (lo, hi, confidence). The interval is the narrowest (x_(k), x_(n+1-k))
    that covers the median with at least `level`; when even (min, max) covers
    it with less (fewer than 6 samples for 95%: 93.8% with 5), it is (min, max)
    with the confidence it really has (median_ci below gives None there).
    None for no samples."""
    from scipy.stats import binom
    xs = sorted(xs)
    n = len(xs)
    if not n:
        return None
    # c: the largest count with P(Bin(n, 1/2) <= c) <= (1 - level) / 2; the
    # interval is (x_(c+1), x_(n-c)), covering with 1 - 2 P(Bin <= c).
    c = int(binom.ppf((1 - level) / 2, n, 0.5))
    while c >= 0 and binom.cdf(c, n, 0.5) > (1 - level) / 2:
        c -= 1
    if c < 0:
        return xs[0], xs[-1], max(0.0, 1 - 2 * 0.5 ** n)
    return xs[c], xs[n - c - 1], float(1 - 2 * binom.cdf(c, n, 0.5))


def ratio_ci(num_reps, den_reps, key="ops_per_s", scale=1.0, level=CI_LEVEL):
    """The ratio num/den of one counter of two points, from their repetitions:
    {median, lo, hi, conf, how, n}. Paired by pass (docs/design.md §9) the
    median of the per-pass ratios with its distribution-free CI (median_interval);
    when the passes do not match, the median of all pairs with their min..max
    and conf None (pairs of one sample are not independent). scale multiplies
    every ratio (efficiency: 1/CPUs). None when no ratio can be formed."""
    ratios, how = paired_ratios(num_reps, den_reps, key)
    ratios = [r * scale for r in ratios]
    if not ratios:
        return None
    if how == "per-pass":
        lo, hi, conf = median_interval(ratios, level)
    else:
        lo, hi, conf = min(ratios), max(ratios), None
    return {"median": median(ratios), "lo": lo, "hi": hi, "conf": conf, "how": how,
            "n": len(ratios)}


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value; 1 when every sample is the same."""
    if len(set(a) | set(b)) == 1:
        return 1.0
    from scipy.stats import mannwhitneyu  # only compare needs scipy
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)


# Google Benchmark's aggregates over repetitions, by name, as bench.json carries them.
AGGREGATES = {"mean": mean, "median": median, "stddev": stdev, "cv": cv}


# ---- paired measurement (faultline-pair; docs/design.md §9) ----------------

FLAG_P = 0.01        # a difference is flagged when its p-value is below this


def median_ci(xs, level=CI_LEVEL):
    """median_interval's (lo, hi) when it reaches `level`, else None (too few samples)."""
    iv = median_interval(xs, level)
    return (iv[0], iv[1]) if iv and iv[2] >= level else None


def sign_test_p(xs):
    """Two-sided sign test of "the median is 0" (exact binomial); zeros are
    dropped; 1 when nothing is left."""
    from scipy.stats import binomtest
    pos = sum(1 for x in xs if x > 0)
    n = pos + sum(1 for x in xs if x < 0)
    return float(binomtest(pos, n, 0.5).pvalue) if n else 1.0


def bootstrap_ratio_ci(a, b, confidence=CI_LEVEL, resamples=4000, seed=1):
    """Percentile bootstrap interval of median(b) / median(a), the two samples
    resampled independently (unpaired: the sequential design)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    a, b = np.asarray(a, float), np.asarray(b, float)
    if not len(a) or not len(b):
        return None
    ma = np.median(rng.choice(a, (resamples, len(a))), axis=1)
    mb = np.median(rng.choice(b, (resamples, len(b))), axis=1)
    r = mb / ma
    lo, hi = np.quantile(r, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(lo), float(hi)


def cluster_bootstrap_median(groups, confidence=CI_LEVEL, resamples=2000, seed=1):
    """The median of pooled samples that come in groups (layouts: one link
    order each) whose own offsets are a random effect: resample the groups,
    then the samples within each, and take the pooled median; returns the
    percentile interval and the two-sided bootstrap p of "the median is 1"."""
    import numpy as np
    rng = np.random.default_rng(seed)
    gs = [np.asarray(g, float) for g in groups if len(g)]
    meds = np.empty(resamples)
    for b in range(resamples):
        pick = rng.integers(0, len(gs), len(gs))
        meds[b] = np.median(np.concatenate([rng.choice(gs[i], len(gs[i])) for i in pick]))
    lo, hi = np.quantile(meds, [(1 - confidence) / 2, (1 + confidence) / 2])
    below, above = np.mean(meds <= 1), np.mean(meds >= 1)
    p = min(1.0, 2 * max(min(below, above), 1 / resamples))
    return (float(lo), float(hi)), float(p)
