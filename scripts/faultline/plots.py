"""The report's plots (matplotlib, Agg backend), each saved as PNG and SVG.

Colour = strategy, marker (and, for correct strategies, line style) = run
(host), so several hosts can share one axis. Controls are drawn apart: grey
shades, dashed, hollow markers, their own legend group. The ratio and
efficiency plots carry the CI of the median per-pass ratio as error bars
(stats.ratio_ci). Every figure has a footer naming each run's host, revision
and date. Every function takes the runs and a save(name, fig) callback and
returns the plot's title. Units and the noisy threshold are each run's
describe object's (faultline --describe=json). SVG text is kept as text, and
the drawn series carry ids (<kind>-<mix>-<strategy>-<run>, ci-... for error
bars), so the SVG can be read back.
"""
import math

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

from . import stats  # noqa: E402
from .text import mega, union  # noqa: E402

STYLES = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D")]
CONTROL_LS = [(0, (5, 2)), (0, (2, 2)), (0, (6, 2, 1, 2)), (0, (1, 1.5))]
CONTROL_GREYS = ("#555555", "#8c8c8c", "#b0b0b0", "#6f6f6f", "#a0a0a0")


def unit(runs, mix):
    """'M GUPs/s': the unit of the mix's rate, from the first run that has the mix."""
    return mega(next(r for r in runs if mix in r.mixes()).unit(mix))


def kind_in(runs, strategy):
    """The strategy's kind in the runs' bench.json (correct, control, baseline)."""
    return next((r.kind(strategy) for r in runs if r.kind(strategy)), "correct")


def colours(runs):
    """Strategy -> colour: correct strategies tab10 colours, controls grey shades,
    the baseline black (and drawn as a star)."""
    names = [s for s in union(r.strategies(m) for r in runs for m in r.mixes())
             if s != "baseline"]
    cmap = plt.get_cmap("tab10")
    correct = [s for s in names if kind_in(runs, s) != "control"]
    controls = [s for s in names if kind_in(runs, s) == "control"]
    col = {s: cmap(i % 10) for i, s in enumerate(correct)}
    col.update({s: CONTROL_GREYS[i % len(CONTROL_GREYS)] for i, s in enumerate(controls)})
    return {"baseline": "black", **col} if any(r.kind("baseline") for r in runs) else col


def marker(run_index, strategy):
    return "*" if strategy == "baseline" else style(run_index)[1]


def series_style(runs, run_index, strategy, colour):
    """matplotlib keyword arguments of one (run, strategy) series: controls
    dashed, thin, with hollow markers; the baseline a large star."""
    kw = {"color": colour, "marker": marker(run_index, strategy),
          "ms": 10 if strategy == "baseline" else 5,
          "zorder": 3 if strategy == "baseline" else 2}
    if kind_in(runs, strategy) == "control":
        kw.update(ls=CONTROL_LS[run_index % len(CONTROL_LS)], lw=1.2, mfc="white", zorder=1)
    else:
        kw.update(ls=style(run_index)[0], lw=1.6)
    return kw


def series_id(runs, mix, strategy, run_index):
    """The SVG id of one drawn series: <kind>-<mix>-<strategy>-<run index>."""
    return f"{kind_in(runs, strategy)}-{mix}-{strategy}-{run_index}"


def footer_text(runs):
    """'vm x86_64, rev 3537f32, 2026-11-25T01:10:51+00:00; ...': who, what, when."""
    parts = []
    for r in runs:
        date = r.ctx.get("date") or r.sweep.get("started_utc") or "date not recorded"
        parts.append(f"{r.label}, rev {r.ctx.get('faultline_git_rev', '?')}, {date}")
    return "faultline: " + "; ".join(parts)


def footer(fig, runs):
    fig.text(0.005, 0.0, footer_text(runs), ha="left", va="top", fontsize=7, color="#666666",
             gid="footer")


def dodge(cpus, k, n):
    """Spread n series around an x position on a log2 axis so their bars do not overlap."""
    return cpus * 2 ** ((k - (n - 1) / 2) * 0.35 / max(1, n))


def times(y, _pos):
    return f"{y:.2g}x"


def style(i):
    return STYLES[i % len(STYLES)]


def grid(runs, title):
    mixes = union(r.mixes() for r in runs)
    ncols = 2 if len(mixes) > 1 else 1
    nrows = math.ceil(len(mixes) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 3.9 * nrows), squeeze=False)
    for ax in list(axes.flat)[len(mixes):]:
        ax.set_visible(False)
    fig.suptitle(title)
    return fig, dict(zip(mixes, axes.flat))


def cpu_axis(ax, runs, mix):
    cpus = sorted({c for r in runs for c in r.cpus(mix)})
    ax.set_xscale("log", base=2)
    ax.set_xticks(cpus)
    ax.set_xticklabels([str(c) for c in cpus])
    ax.set_xlim(cpus[0] / 1.3, cpus[-1] * 1.3)
    ax.set_xlabel("CPUs")
    ax.grid(True, alpha=0.3)


def group_head(text):
    """A legend row that names a group: no line, no marker."""
    return Line2D([], [], ls="none", marker=None, label=text)


def legend(fig, runs, col, extra=()):
    """The legend, grouped: correct strategies, then controls (grey, dashed),
    then the baseline, then (several runs) the runs' markers."""
    groups = (("correct", "correct strategies"), ("control", "controls (grey, dashed)"),
              ("baseline", None))
    handles = []
    for kind, head in groups:
        names = [s for s in col if kind_in(runs, s) == kind]
        if not names:
            continue
        if head:
            handles.append(group_head(head))
        for s in names:
            kw = series_style(runs, 0, s, col[s])
            handles.append(Line2D([], [], color=col[s], lw=2, ls=kw["ls"], label=s,
                                  marker="*" if s == "baseline" else None, ms=10))
    if len(runs) > 1:
        handles += [Line2D([], [], color="black", ls=style(i)[0], marker=style(i)[1],
                           label=r.label) for i, r in enumerate(runs)]
    handles += list(extra)
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=9)
    fig.tight_layout()
    footer(fig, runs)


def series(run, mix, strategy, value):
    """[(cpus, y)] for each CPU count where value(summary, cpus) is not None."""
    out = []
    for c in run.cpus(mix):
        reps = run.points.get((mix, strategy, c))
        if reps:
            y = value(run.summarise(reps), c)
            if y is not None:
                out.append((c, y))
    return out


def ci_series(run, mix, strategy, ratio_of):
    """[(cpus, ratio)] of one strategy: ratio_of(cpus) gives stats.ratio_ci's
    dict (median, lo, hi, ...) or None."""
    out = []
    for c in run.cpus(mix):
        if (mix, strategy, c) in run.points:
            r = ratio_of(c)
            if r is not None:
                out.append((c, r))
    return out


def dodged(runs, mix, points_of):
    """(run index, strategy, xs, points) for every series of one mix that has
    points (points_of(run, strategy): [(cpus, point)]), the xs dodged so the
    series at one CPU count do not hide each other."""
    names = union(r.strategies(mix) for r in runs)
    n = len(names) * len(runs)
    for i, run in enumerate(runs):
        for s in run.strategies(mix):
            pts = points_of(run, s)
            if pts:
                yield i, s, [dodge(c, names.index(s) * len(runs) + i, n) for c, _ in pts], pts


def ci_plot(runs, save, name, title, ylabel, ratio_of, log=False, ref=None):
    """One subplot per mix, one line per (run, strategy): the median per-pass
    ratio ratio_of(run, mix, strategy)(cpus) gives, with its CI as error bars
    (none where the ratio is a point's ratio to itself)."""
    col = colours(runs)
    fig, axes = grid(runs, title)
    for mix, ax in axes.items():
        for i, s, xs, pts in dodged(runs, mix, lambda run, s: ci_series(run, mix, s,
                                                                          ratio_of(run, mix, s))):
            med = [r["median"] for _, r in pts]
            err = [[r["median"] - r["lo"] for _, r in pts],
                   [r["hi"] - r["median"] for _, r in pts]]
            kw = series_style(runs, i, s, col[s])
            if any(lo or hi for lo, hi in zip(*err)):
                eb = ax.errorbar(xs, med, yerr=err, capsize=2.5, elinewidth=1, **kw)
                eb.lines[0].set_gid(series_id(runs, mix, s, i))
                for bars in eb.lines[2]:
                    bars.set_gid("ci-" + series_id(runs, mix, s, i))
            else:
                ax.plot(xs, med, **kw)[0].set_gid(series_id(runs, mix, s, i))
        if ref is not None:
            ax.axhline(ref, color="grey", lw=1)
        lo, hi = ax.get_ylim()
        if log and lo > 0 and hi / lo > 4:
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
            ax.yaxis.set_minor_formatter(FuncFormatter(times))
        if log:
            ax.yaxis.set_major_formatter(FuncFormatter(times))
        cpu_axis(ax, runs, mix)
        ax.set_title(mix)
        ax.set_ylabel(ylabel)
    legend(fig, runs, col)
    save(name, fig)
    return title


def throughput(runs, save):
    title = "Throughput vs CPUs (median; bars: min..max of repetitions)"
    col = colours(runs)
    fig, axes = grid(runs, title)
    for mix, ax in axes.items():
        for i, s, xs, pts in dodged(runs, mix, lambda run, s: series(run, mix, s,
                                                                       lambda p, c: p)):
            med = [p["median"] / 1e6 for _, p in pts]
            err = [[(p["median"] - p["min"]) / 1e6 for _, p in pts],
                   [(p["max"] - p["median"]) / 1e6 for _, p in pts]]
            eb = ax.errorbar(xs, med, yerr=err, capsize=3, **series_style(runs, i, s, col[s]))
            eb.lines[0].set_gid(series_id(runs, mix, s, i))
        cpu_axis(ax, runs, mix)
        ax.set_ylim(bottom=0)
        ax.set_title(mix)
        ax.set_ylabel(unit(runs, mix))
    legend(fig, runs, col)
    save("throughput", fig)
    return title


def ratio_to(run, mix, strategy, cpus, den, den_cpus, scale=1.0):
    """stats.ratio_ci of strategy@cpus over den@den_cpus in one mix, or None."""
    num, base = run.points.get((mix, strategy, cpus)), run.points.get((mix, den, den_cpus))
    return stats.ratio_ci(num, base, scale=scale) if num and base else None


CI_NOTE = "bars: CI of the median"


def efficiency(runs, save):
    def ratio_of(run, mix, s):
        if s == "baseline":
            return lambda c: None
        return lambda c: ratio_to(run, mix, s, c, s, 1, scale=1 / c)
    return ci_plot(runs, save, "efficiency",
                   "Per-thread throughput / the strategy's 1-CPU rate (1 = linear scaling; "
                   f"gup: one thread is the writer)\nmedian per-pass ratio; {CI_NOTE}",
                   "scaling efficiency", ratio_of, ref=1.0)


def ratio_locked(runs, save):
    def ratio_of(run, mix, s):
        return lambda c: ratio_to(run, mix, s, c, "locked", c)
    return ci_plot(runs, save, "ratio-locked",
                   f"Throughput / locked at the same CPUs (median per-pass ratio; {CI_NOTE})",
                   "x locked", ratio_of, log=True, ref=1.0)


def ratio_baseline(runs, save):
    def ratio_of(run, mix, s):
        return lambda c: ratio_to(run, mix, s, c, "baseline", 1)
    return ci_plot(runs, save, "ratio-baseline",
                   "Throughput / unsynchronised baseline at 1 CPU, same mix "
                   f"(median per-pass ratio; {CI_NOTE})", "x baseline@1", ratio_of,
                   log=True, ref=1.0)


def cpu_share(runs, save):
    noisy = runs[0].noisy
    title = f"Least CPU share per point (min over repetitions; red X: < {noisy}, noisy)"
    col = colours(runs)
    fig, axes = grid(runs, title)
    lowest = 1.0
    for mix, ax in axes.items():
        names = union(r.strategies(mix) for r in runs)
        n = len(names) * len(runs)
        for i, run in enumerate(runs):
            for s in run.strategies(mix):
                k = names.index(s) * len(runs) + i
                for c in run.cpus(mix):
                    reps = run.points.get((mix, s, c))
                    if not reps:
                        continue
                    shares = [r["cpu_share_min"] for r in reps]
                    x = dodge(c, k, n)
                    lo = min(shares)
                    lowest = min(lowest, lo)
                    ax.vlines(x, lo, max(shares), color=col[s], lw=1)
                    ax.plot([x], [lo], marker=marker(i, s), color=col[s], ms=4,
                            mfc="white" if kind_in(runs, s) == "control" else col[s])
                    if lo < run.noisy:
                        ax.plot([x], [lo], marker="X", color="red", ms=11, mec="black")
                        who = f"{s} ({run.label})" if len(runs) > 1 else s
                        ax.annotate(f"{who} {lo:.2f}", (x, lo), textcoords="offset points",
                                    xytext=(4, -10), fontsize=7, color="red")
        for level in sorted({r.noisy for r in runs}):
            ax.axhline(level, color="red", ls="--", lw=1)
        cpu_axis(ax, runs, mix)
        ax.set_title(mix)
        ax.set_ylabel("cpu_share_min")
    for ax in axes.values():
        ax.set_ylim(min(0.85, lowest - 0.05), 1.02)
    mark = Line2D([], [], color="red", marker="X", ls="none", ms=9, mec="black",
                  label=f"noisy (< {noisy})")
    legend(fig, runs, col, [mark])
    save("cpu-share", fig)
    return title


GREEN, ORANGE, RED, BLUE, GREY = "#cfe8c6", "#fdae61", "#d7191c", "#dbe9f6", "#eeeeee"


def hw_cell(run, strategy, shape):
    if not run.kind(strategy) or shape not in run.hw_shapes():
        return "", GREY
    n = run.hw_violations(strategy, shape)
    if not n:
        return "0", GREEN
    return f"{n:g}", ORANGE if run.kind(strategy) == "control" else RED


def emu_cell(cell):
    """The cell's own verdict and ok, with its evidence: trials or violating seeds."""
    if cell is None:
        return "", GREY
    evidence = (f"{cell['violating_seeds']}/{cell['seeds']}" if cell["violating_seeds"]
                else f"{cell['trials']} tr")
    colour = RED if not cell["ok"] else ORANGE if cell["violating_seeds"] else GREEN
    return f"{cell['verdict']}\n{evidence}", colour


def lkmm_cell(v, strategy, shape):
    verdict = v.lkmm(strategy, shape)
    return (verdict, BLUE) if verdict else ("", GREY)


def violation_columns(runs):
    """[(column label, cell(strategy) -> (text, colour))]: hardware per shape, then
    per emulated shape LKMM's verdict beside each model's."""
    cols = []
    for run in runs:
        host = f"{run.label}: " if len(runs) > 1 else ""
        for shape in run.hw_shapes():
            cols.append((f"{host}hw {shape}",
                         lambda s, run=run, shape=shape: hw_cell(run, s, shape)))
    for run in runs:
        v, host = run.verdicts, f"{run.label}: " if len(runs) > 1 else ""
        for shape in v.shapes if v else []:
            cols.append((f"{host}{shape} LKMM", lambda s, v=v, sh=shape: lkmm_cell(v, s, sh)))
            cols += [(f"{host}{shape} emu {m}",
                      lambda s, v=v, m=m, sh=shape: emu_cell(v.cell(s, m, sh)))
                     for m in v.models]
    return cols


def violations(runs, save):
    title = ("Violations by strategy and reader shape\nhardware: sum over points and "
             "repetitions; emulated: faultline-emu's verdict, with racing trials (tr) or "
             "violating seeds / seeds")
    names = union([r.strategy_names() for r in runs] + [r.emulated() for r in runs])
    cols = violation_columns(runs)
    cells = [[col(s) for _, col in cols] for s in names]
    fig, ax = plt.subplots(figsize=(2.0 + 0.95 * len(cols), 2.2 + 0.45 * len(names)))
    ax.imshow([[to_rgba(c) for _, c in row] for row in cells], aspect="auto")
    for i, row in enumerate(cells):
        for j, (text, colour) in enumerate(row):
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if colour == RED else "black")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels([c for c, _ in cols], fontsize=8, rotation=30, ha="left",
                       rotation_mode="anchor")
    ax.xaxis.tick_top()
    for j in range(1, len(cols)):
        ax.axvline(j - 0.5, color="white", lw=2)
    for i in range(1, len(names)):
        ax.axhline(i - 0.5, color="white", lw=1)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([f"{s} ({kind_of(runs, s)})" for s in names], fontsize=9)
    fig.suptitle(title, fontsize=10)
    keys = [(GREEN, "no violation (emulated: as expected)"),
            (ORANGE, "control violated / emulated violations, as expected"),
            (RED, "correct strategy violated / emulated cell not as expected"),
            (BLUE, "LKMM's verdict (herd7)"), (GREY, "not run or not emulated")]
    handles = [Line2D([], [], marker="s", ls="none", ms=10, color=c, label=t) for c, t in keys]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    fig.tight_layout()
    footer(fig, runs)
    save("violations", fig)
    return title


def kind_of(runs, strategy):
    """The kind bench.json gives, else verdicts.json's, marked emulated only."""
    hw = next((r.kind(strategy) for r in runs if r.kind(strategy)), None)
    emu = next((r.kind_any(strategy) for r in runs if r.kind_any(strategy)), None)
    return hw or (f"{emu}, emulated only" if emu else "emulated only")
