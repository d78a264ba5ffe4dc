#!/usr/bin/python3
"""The paired statistics on synthetic data with known answers, and the
analysis of a synthetic faultline-pair document (faultline/paired.py).

usage: PYTHONPATH=scripts tests/test_paired.py   prints ok / not ok lines
"""
import copy
import math
import random
import sys

try:
    from faultline import paired, stats
except ImportError:
    sys.exit("tests/test_paired.py: run with PYTHONPATH=scripts")

fails = 0


def check(ok, what):
    global fails
    print(("ok - " if ok else "not ok - ") + what)
    fails += not ok


# Order-statistic interval of the median: n = 100 -> c = 39 (P(Bin <= 39) =
# 0.0176 <= 0.025 < P(Bin <= 40) = 0.0284), so x_(40) .. x_(61).
check(stats.median_ci(list(range(1, 101))) == (40, 61), "median_ci of 1..100 is (40, 61)")
check(stats.median_ci([3, 1, 2]) is None, "median_ci of 3 samples: none (too few)")
check(stats.median_ci(list(range(6))) == (0, 5), "median_ci of 6 samples: the extremes")
# Sign test: 10 of 10 positive -> 2 / 2^10.
check(abs(stats.sign_test_p([1] * 10) - 2 / 1024) < 1e-12, "sign test, 10 of 10: p = 2/1024")
check(stats.sign_test_p([1] * 5 + [-1] * 5) == 1.0, "sign test, 5 of 10: p = 1")
check(stats.sign_test_p([0, 0]) == 1.0, "sign test without non-zero samples: p = 1")
check(stats.bootstrap_ratio_ci([1.0] * 30, [2.0] * 30) == (2.0, 2.0),
      "bootstrap ratio of constant samples is exact")
lo, hi = stats.bootstrap_ratio_ci([1, 2, 3] * 20, [2, 4, 6] * 20)
check(lo <= 2 <= hi, f"bootstrap interval of a 2x ratio contains 2 ({lo:.2f}, {hi:.2f})")


def synthetic(design="paired", rounds=400, effect=(1.0, 1.02, 1.0), noisy_rounds=(),
              sd=0.03, seed=7):
    """A faultline-pair document: arm 0 the base, arm k = base * effect[k] * noise;
    a host 'slowdown' shared by every window of a round (what pairing removes)."""
    rng = random.Random(seed)
    samples = []
    for r in range(rounds):
        host = rng.uniform(0.6, 1.0)
        for a, e in enumerate(effect):
            ops = 1e9 * host * e * math.exp(rng.gauss(0, sd))
            share = 0.5 if r in noisy_rounds and a == 1 else 0.99
            samples.append([0, r, a, a, ops, 1e9 / ops, share, 0])
    return {"faultline_pair": 1, "design": design, "window_s": 0.02, "budget_s": 10,
            "elapsed_s": 10, "rounds": rounds, "complete": True, "seed": 1,
            "context": {"host": "test", "arch": "x86_64", "usable_cpus": 2,
                        "faultline_git_rev": "test"},
            "arms": [{"label": l, "strategy": l.split("+")[0], "kind": "correct",
                      "delay_frac": 0} for l in ("dep", "x", "dep-again")],
            "points": [{"mix": "publish", "cpus": 1, "unit": "publishes/s"}],
            "sample_fields": paired.FIELDS, "samples": samples,
            "faultline_describe": {"thresholds": {"noisy_cpu_share": 0.9}}}


doc = synthetic()
x, same = paired.analyze(doc)
check(abs(x["ratio"] - 1.02) < 0.005 and x["flag"] and x["ci"][0] < 1.02 < x["ci"][1],
      f"a 2% effect under a 40% host swing: {paired.pct(x['ratio'])} {paired.ci_text(x['ci'])}, flagged")
check(not same["flag"] and abs(same["ratio"] - 1) < 0.01,
      f"no effect: {paired.pct(same['ratio'])} {paired.ci_text(same['ci'])}, not flagged")
# Coverage and false positives, over many synthetic A/A documents.
cover = flagged = 0
for k in range(200):
    r = paired.analyze(synthetic(rounds=60, effect=(1.0, 1.0), seed=1000 + k))[0]
    cover += r["ci"][0] <= 1 <= r["ci"][1]
    flagged += r["flag"]
check(cover >= 186, f"95% intervals contain the true ratio in {cover} of 200 A/A documents (>= 186)")
check(flagged <= 6, f"{flagged} of 200 A/A documents flagged at p < {stats.FLAG_P:g} (<= 6)")
check(paired.verdict(x) == "faster" and paired.verdict(same) == "same", "verdict words")
seq = paired.analyze(synthetic(design="sequential"))
check((seq[0]["ci"][1] - seq[0]["ci"][0]) > 5 * (x["ci"][1] - x["ci"][0]),
      "the sequential design's interval, unpaired, is far wider under the same host swing")
nd = paired.analyze(synthetic(noisy_rounds=set(range(0, 400, 10))))
check(nd[0]["noisy"] == 40 and nd[0]["n"] == 360, "noisy rounds are left out and counted")
nd = paired.analyze(synthetic(noisy_rounds=set(range(0, 400, 2)) | {1}))
check(nd[0]["all_noisy"] and paired.verdict(nd[0]) == "noisy",
      "mostly noisy rounds: kept, and the verdict says noisy")
# Layouts: four link orders, each shifting the ratio by its own -2%..+2% (a
# random effect, as code layout is); no true effect. Pooled as if one layout,
# the sign test flags it; resampling layouts, then rounds, does not.
docs = []
for k, shift in enumerate((0.98, 1.02, 0.985, 1.015)):
    d = synthetic(rounds=150, effect=(1.0, shift, 1.0), sd=0.01, seed=50 + k)
    docs.append(d)
merged = paired.merge(docs)
lay = paired.analyze(merged)[0]
flat = paired.analyze(dict(merged, samples=[x[:8] + [0] for x in merged["samples"]]))[0]
check(merged["layouts"] == 4 and merged["rounds"] == 600 and lay["layouts"] == 4,
      "merge: 4 layouts, rounds renumbered")
check(not lay["flag"] and lay["ci"][0] < 1 < lay["ci"][1],
      f"layout offsets without an effect: {paired.pct(lay['ratio'])} {paired.ci_text(lay['ci'])}, "
      "not flagged (layouts resampled)")
check(flat["flag"] or not (flat["ci"][0] < 1 < flat["ci"][1]) or
      (flat["ci"][1] - flat["ci"][0]) < (lay["ci"][1] - lay["ci"][0]) / 3,
      f"the same samples as one layout: {paired.ci_text(flat['ci'])}, far too sure (the control)")
real = paired.analyze(paired.merge([synthetic(rounds=150, effect=(1.0, 1.05 * sh, 1.0), sd=0.01,
                                              seed=60 + k)
                                    for k, sh in enumerate((0.99, 1.01, 0.995, 1.005))]))[0]
check(real["flag"] and real["ratio"] > 1.03, f"a 5% effect over layouts: {paired.pct(real['ratio'])} "
      f"{paired.ci_text(real['ci'])}, flagged (p {paired.p_text(real['p'])})")
text = paired.render(doc, paired.analyze(doc))
check(max(len(l) for l in text.splitlines()) <= 80, "render fits 80 columns")
check("faster" in text and "dep-again" in text, "render names each strategy and its verdict")
bad = copy.deepcopy(doc)
bad["samples"][0] = [0, 0, 9, 0, 1, 1, 1, 0]
try:
    import json
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(bad, fh)
    paired.load(fh.name)
    check(False, "load rejects a sample of an arm that does not exist")
except paired.ResultError as e:
    check("bad sample" in str(e), f"load rejects a sample of an arm that does not exist: {e}")
sys.exit(1 if fails else 0)
