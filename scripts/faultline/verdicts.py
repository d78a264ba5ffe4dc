"""verdicts.json, the weak-memory emulator's verdict matrix, and its wording.

`build/faultline-emu --matrix --json=FILE` judges every cell (strategy x reader
shape x emulated model) by the one verdict rule of strategies/verdict.c and writes,
per cell, the observed `verdict`, the `expected` one for that model, LKMM's
(`lkmm`), whether the cell passed (`ok`) and, where LKMM and the model's
expected verdict differ, the `note` that explains why. Nothing here judges a
cell: shapes, models, strategies, verdicts and the rule's text are read from the
file (checked by faultline.load). The report, the summary and the plots word
the matrix through this module.
"""
from .text import code, join_and, unique


class Verdicts:
    """A checked verdicts.json: cells by (strategy, model, shape), in the file's order."""

    def __init__(self, path, doc):
        self.path = path
        self.rule = doc["rule"]
        self.scenario = doc.get("scenario") if isinstance(doc.get("scenario"), dict) else {}
        self.cells = doc["cells"]
        self.index = {(c["strategy"], c["model"], c["shape"]): c for c in self.cells}
        self.strategies = unique(c["strategy"] for c in self.cells)
        self.shapes = unique(list(doc.get("shapes") or []) + [c["shape"] for c in self.cells])
        self.models = unique(list(doc.get("models") or []) + [c["model"] for c in self.cells])

    def cell(self, strategy, model, shape):
        return self.index.get((strategy, model, shape))

    def row(self, strategy, shape):
        """The cells of one strategy and shape, one per model present."""
        return [c for c in (self.cell(strategy, m, shape) for m in self.models) if c]

    def lkmm(self, strategy, shape):
        return next((c["lkmm"] for c in self.row(strategy, shape)), None)

    def kind(self, strategy):
        return next((c["kind"] for c in self.cells
                     if c["strategy"] == strategy and isinstance(c.get("kind"), str)), None)

    def ordered(self):
        """Every cell, strategy by strategy, shape by shape, model by model."""
        return [c for s in self.strategies for sh in self.shapes for c in self.row(s, sh)]

    def failures(self):
        return [c for c in self.ordered() if not c["ok"]]

    def seeds(self):
        return self.scenario.get("seeds") or max(c["seeds"] for c in self.cells)


# ---------------------------------------------------------------- wording

def evidence(c):
    """'Never (2770 trials)', 'Sometimes 20/20 seeds', 'Rare 3/20 seeds'."""
    if not c["violating_seeds"]:
        return f"{c['verdict']} ({c['trials']} trials)"
    return f"{c['verdict']} {c['violating_seeds']}/{c['seeds']} seeds"


def fail_reasons(c):
    """Why faultline-emu did not pass a cell (its ok is false), as far as the
    cell's fields tell."""
    why = [f"expected {c['expected']}"] if c["verdict"] != c["expected"] else []
    if c.get("livelocked_seeds"):
        why.append(f"{c['livelocked_seeds']} seed(s) hit the emulator's step limit")
    return why or ["not passed by faultline-emu"]


def failure(c, name=code):
    """One failing cell: what was seen, and why it fails."""
    return (f"{name(c['strategy'])} {c['shape']} {c['model']}: {evidence(c)}, "
            + ", ".join(fail_reasons(c)))


def cell_text(c, marks, strong=str):
    """A model's cell in a table: the verdict and its evidence, the number of its
    note, and FAIL with the reasons when faultline-emu did not pass it."""
    text = evidence(c) + (f" [{marks[c['note']]}]" if c.get("note") else "")
    return text if c["ok"] else f"{text} {strong('FAIL: ' + ', '.join(fail_reasons(c)))}"


def note_numbers(matrices):
    """{note: 1, 2, ...} in the order the notes first appear in the matrices."""
    notes = unique(c["note"] for v in matrices for c in v.ordered() if c.get("note"))
    return {n: i for i, n in enumerate(notes, 1)}


def divergences(v):
    """[(note, {(lkmm, ((model, expected), ...)): {strategy: [shapes]}})], by note
    number: where LKMM's verdict and an emulated model's expected one differ."""
    groups = {}
    for s in v.strategies:
        for shape in v.shapes:
            noted = [c for c in v.row(s, shape) if c.get("note")]
            for note in unique(c["note"] for c in noted):
                stance = (v.lkmm(s, shape),
                          tuple((c["model"], c["expected"]) for c in noted if c["note"] == note))
                groups.setdefault(note, {}).setdefault(stance, {}).setdefault(s, []).append(shape)
    return list(groups.items())


def models_say(models):
    """(('tso', 'Never'), ('arm64', 'Never')) -> 'the emulated tso and arm64 say Never'."""
    parts = []
    for verdict in unique(e for _, e in models):
        ms = [m for m, e in models if e == verdict]
        parts.append(f"the emulated {join_and(ms)} {'say' if len(ms) > 1 else 'says'} {verdict}")
    return join_and(parts)


def divergence_sentence(note, stances, name=code):
    """One sentence: where LKMM and the emulated machines diverge, quoting the note."""
    parts = []
    for (lkmm, models), where in stances.items():
        cells = join_and(f"{name(s)} ({', '.join(shapes)})" for s, shapes in where.items())
        parts.append(f"on {cells}, LKMM says {lkmm} but {models_say(models)}")
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}: \u201c{note}\u201d."
