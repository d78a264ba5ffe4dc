"""Small wording helpers shared by the report, the summary and the sweep."""
import re


def unique(xs):
    return list(dict.fromkeys(xs))


def union(seq_of_lists):
    return unique(x for xs in seq_of_lists for x in xs)


def code(name):
    return f"`{name}`"


def join_and(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def value_text(v):
    """'-' for a missing or null field, integers as they are, other numbers to 4
    digits, true/false as yes/no, text as it is."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return str(v) if isinstance(v, int) else f"{v:.4g}"


def mega(unit):
    """'GUPs/s' -> 'M GUPs/s', the unit of a rate printed in millions."""
    return f"M {unit}"


def mega_compact(unit):
    """'GUPs/s' -> 'Mgups/s', the same in summary.txt's compact spelling."""
    return f"M{unit.lower()}"


def cpu_counts(text):
    """faultline's --cpus= syntax, '1,2,4' or '1-8' (or both): the set of CPU
    counts; ValueError with the one-line reason otherwise."""
    out = set()
    for part in text.split(","):
        if not part:
            raise ValueError(f"--cpus={text}: empty element")
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise ValueError(f"--cpus={text}: '{part}' is not a CPU count or range "
                             "(e.g. 1,2,4 or 1-8)")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if lo < 1 or hi < lo:
            raise ValueError(f"--cpus={text}: '{part}' is not a positive count or range")
        out.update(range(lo, hi + 1))
    return out
