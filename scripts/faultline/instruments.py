"""The report's sections on what was measured beside the model: the perf
counters of every point (bench/perf.c) and the real kernel's fault and
GUP-fast with each strategy's ordering cost as a share of them
(faultline.kernel, docs/design.md §12). Blocks in faultline.doc's model."""
from . import kernel as fk
from . import stats
from .text import unique


def num(x):
    """A per-operation figure to 4 significant digits, 0 as 0."""
    return "0" if x == 0 else f"{x:.4g}"


def ns(x):
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


# ---------------------------------------------------------------- perf

def perf_blocks(runs):
    """The "Perf counters" section, or [] when no run knows perf events."""
    runs = [r for r in runs if r.perf_events()]
    if not runs:
        return []
    blocks = [("h", 2, "Perf counters"),
              ("p", "perf_event_open, one group per PMU per thread, enabled just around each "
                    "measured window and summed over the threads, per primary operation of "
                    "the mix; the median of the repetitions. An event the machine cannot "
                    "count is recorded as unsupported, with the kernel's answer, and left out; "
                    "the software events are counted everywhere.")]
    for run in runs:
        suffix = f" ({run.label})" if len(runs) > 1 else ""
        events = run.perf_events()
        if all(e["state"] == "off" for e in events):
            blocks.append(("p", f"perf was off in this run{suffix} (faultline --perf=off)."))
            continue
        why = {}
        for e in events:
            if e["state"] == "unsupported":
                why.setdefault(e["why"], []).append(f"`{e['name']}`")
        for text, names in why.items():
            blocks.append(("p", f"Unsupported{suffix}: {', '.join(names)}: {text}."))
        counted = run.perf_counted()
        if not counted:
            continue
        head = ["point"] + [f"{e['name']} ({e['unit']})" for e in counted]
        rows = []
        for (mix, s, c), reps in run.points.items():
            cells = []
            for e in counted:
                xs = [r[e["counter"]] for r in reps if e["counter"] in r]
                cells.append(num(stats.median(xs)) if xs else "-")
            rows.append([f"{mix}/`{s}`@{c}"] + cells)
        blocks.append(("table", head, rows))
    return blocks


# ---------------------------------------------------------------- the real kernel

def mark(p, noisy):
    return " !" if p["cpu_min"] < noisy else ""


def real_table(run):
    """The real kernel's figures: per test and mode, each CPU count."""
    k = run.kernel
    cpus = k.cpus()
    head = ["measure", "mode"] + [f"{c} CPU" for c in cpus] + ["least CPU share"]
    span = k.fit_span()
    measures = [("fault: ns per page touched", "fault", None, "ns"),
                ("faults/s, all workers (M)", "fault", None, "rate"),
                (f"GUP-fast: ns per page (slope {span} pages per call)", "gup-fit", None, "ns"),
                ("rest of a vmsplice + splice call (intercept), ns", "gup-fit", None, "fixed")]
    pages = sorted({r["pages_per_call"] for r in k.rows if r["test"] == "gup"})
    measures += [(f"vmsplice + splice of {n} page{'s' if n > 1 else ''}: ns per call", "gup",
                  n, "per_call") for n in pages]
    rows = []
    for label, test, n, key in measures:
        for m in k.modes():
            pts = [k.point(test, m, c, n) for c in cpus]
            if not any(pts):
                continue
            cells = ["-" if p is None else
                     (f"{p[key] / 1e6:.2f}" if key == "rate" else ns(p[key])) + mark(p, run.noisy)
                     for p in pts]
            least = min(p["cpu_min"] for p in pts if p)
            rows.append([label, m] + cells + [f"{least:.2f}"])
    return ("table", head, rows)


def cost_table(run, costs):
    cols = unique((c["side"], c["cpus"]) for c in costs)
    head = ["strategy", "kind"]
    for side, c in cols:
        what = "fault" if side == "writer" else "GUP-fast page"
        head += [f"{side}@{c}: ns/op vs base", f"share of a {what}"]
    rows = []
    for s in unique(c["strategy"] for c in costs):
        row = [f"`{s}`", run.kind(s) or ""]
        for side, cpus in cols:
            c = next((x for x in costs if x["strategy"] == s and x["side"] == side
                      and x["cpus"] == cpus), None)
            if c is None:
                row += ["-", ""]
                continue
            d = c["diff"]
            row += [f"{d['median']:+.2f} [{d['lo']:+.2f}, {d['hi']:+.2f}]", fk.pct(c["share"])]
        rows.append(row)
    return ("table", head, rows)


def strategy_sentences(run, costs):
    """One line per strategy: its ordering on each side and what it costs next
    to a real fault and a real GUP-fast page here, at one CPU (else the least
    CPU count measured)."""
    out = []
    descs = {s["name"]: s.get("desc", "") for s in run.describe.doc["strategies"]}
    for s in unique(c["strategy"] for c in costs):
        mine = [c for c in costs if c["strategy"] == s]
        parts = []
        for side, noun, real in (("writer", "publish", "fault"), ("reader", "GUP",
                                                                   "GUP-fast page")):
            c = min((x for x in mine if x["side"] == side), key=lambda x: x["cpus"],
                    default=None)
            if c:
                d = c["diff"]
                same = (f", not distinguishable from `{d['base']}`"
                        if d["lo"] <= 0 <= d["hi"] else "")
                parts.append(f"{side} side {d['median']:+.2f} ns per {noun} at "
                             f"{c['cpus']} CPU{'s' if c['cpus'] > 1 else ''}{same}, "
                             f"**{fk.pct(c['share'])} of a {real} here** "
                             f"({ns(c['real']['ns'])} ns)")
        out.append(f"`{s}` ({descs.get(s, '')}): " + "; ".join(parts))
    return out


def intro_text(run):
    """What kernel.json measured, and how to read its table."""
    k = run.kernel
    reps = k.params.get("repetitions", "?")
    return (f"kernel.json (build/faultline-kernel, {reps} pass{'' if reps == 1 else 'es'} of "
            f"{k.params.get('duration_s', '?')} s windows; {k.ctx.get('kernel', '?')}, THP "
            f"`{k.ctx.get('transparent_hugepage', '?')}`): the real kernel on this machine, "
            "threads of one process (one mm) and processes (one mm each), one worker pinned "
            f"per CPU. Fault: {k.methods.get('fault', '')}. GUP-fast: {k.methods.get('gup', '')}; "
            f"{k.methods.get('gup-fit', '')}. Medians of the passes whose check held; `!`: a "
            f"worker got less than {run.noisy:.0%} of its CPU.")


def insane_text(k):
    bad = k.insane()
    if not bad:
        return None
    where = "; ".join(f"{r['test']} {r['mode']}@{r['cpus']} pass {r['repetition'] + 1}"
                      + (f" ({r['error']})" if r.get("error") else "") for r in bad)
    return f"**kernel.json: {len(bad)} of {len(k.rows)} rows failed their check and are left " \
           f"out: {where}.**"


def cost_text(costs):
    """How the cost table is computed."""
    bases = "`, `".join(unique(c["diff"]["base"] for c in costs))
    confs = [c["diff"]["conf"] for c in costs if c["diff"]["conf"] is not None]
    few = (f" (with {min(c['diff']['n'] for c in costs)} passes the interval is their "
           f"min..max, {min(confs):.1%} confidence)"
           if confs and min(confs) < stats.CI_LEVEL else "")
    return ("Each strategy's ordering cost, as this run's model measured it, beside these: its "
            f"ns per operation minus the base's (`{bases}`: no ordering at all), the median of "
            f"the per-pass differences with its distribution-free {stats.CI_LEVEL:.0%} "
            f"interval{few}; on the writer side in the publish mix (one publication: the "
            "ordering and the store; a fault publishes its pte once), on the reader side in the "
            "read mix (one GUP of one page); as a share of a real fault or of a real GUP-fast "
            "page at the same CPU count, threads. The GUP-fast figure also holds the pipe's own "
            "work per page, so the reader shares are, if anything, too small.")


def kernel_blocks(runs):
    """The "Beside the real kernel" section for the runs with a kernel.json."""
    runs = [r for r in runs if r.kernel is not None]
    if not runs:
        return []
    blocks = [("h", 2, "Beside the real kernel")]
    for run in runs:
        if len(runs) > 1:
            blocks.append(("h", 3, run.label))
        blocks.append(("p", intro_text(run)))
        bad = insane_text(run.kernel)
        if bad:
            blocks.append(("p", bad))
        blocks.append(real_table(run))
        costs = fk.costs(run, run.kernel)
        if costs:
            blocks += [("p", cost_text(costs)), cost_table(run, costs),
                       ("list", strategy_sentences(run, costs))]
        for side, why in fk.missing_sides(run):
            blocks.append(("p", f"The {side} side's cost is not stated: {why}."))
    return blocks


def summary_sentence(run):
    """One sentence for the report's summary, or None without kernel.json."""
    k = run.kernel
    if k is None:
        return None
    f, g = k.fault(1), k.gup(1)
    if not f and not g:
        return "kernel.json holds no sane measurement of the real kernel (see its section)."
    parts = [x for x in (f and f"a real anonymous fault took {ns(f['ns'])} ns",
                         g and f"a real GUP-fast {ns(g['ns'])} ns per page") if x]
    text = f"On this machine {' and '.join(parts)} (1 CPU, threads)"
    costs = [c for c in fk.costs(run, k) if run.kind(c["strategy"]) == "correct"]
    if costs:
        top = max(costs, key=lambda c: c["share"])
        text += (f"; the largest ordering cost of a correct strategy is `{top['strategy']}`'s "
                 f"{top['side']} side at {top['cpus']} CPU{'s' if top['cpus'] > 1 else ''}, "
                 f"{fk.pct(top['share'])} of a "
                 f"{'fault' if top['side'] == 'writer' else 'GUP-fast page'}")
    return text + " (section \"Beside the real kernel\")."
