"""A tiny document model rendered as Markdown and as self-contained HTML.

A document is a list of blocks:
  ("h", level, text)       heading
  ("p", text)              paragraph (inline `code` and **bold** allowed)
  ("list", [text, ...])    bullet list
  ("table", header, rows)  rows are lists of cell strings
  ("img", relpath, alt)    an image file relative to the output directory
Output is written to temporary names and renamed into place only when
everything succeeded (publish), so a failure never leaves a partial report.
"""
import base64
import html
import os
import re
import shutil
import tempfile

INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")

CSS = """body{font-family:sans-serif;max-width:78em;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:90%}
th,td{border:1px solid #bbb;padding:2px 6px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
code{background:#f3f3f3;padding:0 2px}img{max-width:100%;border:1px solid #ddd}
p{line-height:1.45}"""


def inline_html(text):
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(f"<code>{html.escape(m.group(1))}</code>")
        else:
            out.append(f"<strong>{html.escape(m.group(2))}</strong>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def md_cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks):
    out = []
    for b in blocks:
        kind = b[0]
        if kind == "h":
            out.append("#" * b[1] + " " + b[2])
        elif kind == "p":
            out.append(b[1])
        elif kind == "list":
            out.append("\n".join(f"- {item}" for item in b[1]))
        elif kind == "table":
            head, rows = b[1], b[2]
            lines = ["| " + " | ".join(md_cell(h) for h in head) + " |",
                     "|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|"]
            lines += ["| " + " | ".join(md_cell(c) for c in r) + " |" for r in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            out.append(f"![{b[2].replace(chr(10), ' ')}]({b[1]})")
    return "\n\n".join(out) + "\n"


def data_uri(path):
    with open(path, "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode("ascii")


def to_html(blocks, title, base_dir):
    """HTML with every image inlined as a data: URI read from base_dir."""
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"]
    for b in blocks:
        kind = b[0]
        if kind == "h":
            out.append(f"<h{b[1]}>{inline_html(b[2])}</h{b[1]}>")
        elif kind == "p":
            out.append(f"<p>{inline_html(b[1])}</p>")
        elif kind == "list":
            out.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in b[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{inline_html(h)}</th>" for h in b[1])
            rows = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in r) + "</tr>"
                           for r in b[2])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "img":
            src = data_uri(os.path.join(base_dir, b[1]))
            out.append(f"<p><img alt=\"{html.escape(b[2])}\" src=\"{src}\"></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


class Staging:
    """A temporary directory beside the destination; publish() renames into place."""

    def __init__(self, dest):
        self.dest = dest
        self.tmp = tempfile.mkdtemp(prefix=".report-", suffix=".partial", dir=dest)

    def path(self, rel):
        p = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def write(self, rel, text):
        with open(self.path(rel), "w", encoding="utf-8") as f:
            f.write(text)

    def publish(self, order):
        """Move staged files (relative paths, in this order) to the destination."""
        missing = [rel for rel in order if not os.path.isfile(os.path.join(self.tmp, rel))]
        if missing:
            raise FileNotFoundError(2, "not produced", os.path.join(self.tmp, missing[0]))
        for rel in order:
            target = os.path.join(self.dest, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(self.tmp, rel), target)
        self.discard()

    def discard(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
