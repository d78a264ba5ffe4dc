"""faultline's Python tools, one package.

  describe  the facts the C side defines once (`faultline --describe=json`,
            embedded in bench.json's context as "faultline_describe")
  load      the one loader and validator of bench.json, verdicts.json,
            stress.json and barriers.json; every problem is a ResultError
            whose message names the file
  results   a loaded run: its points, their summaries, its side files
  stats     median, CV, per-pass ratios, the Mann-Whitney test: defined once
  verdicts  the emulator's verdict matrix and its wording
  text      small wording helpers shared by the outputs
  doc       the report's document model (Markdown and self-contained HTML)
  plots     the report's plots (matplotlib)
  report, summary, compare, sweep
            the tools behind scripts/report.py, summary.py, compare.py and
            bench-sweep (those files only call main())

The entry points in scripts/ find this package because Python puts a
script's own directory on sys.path; anything else (tests) runs with
PYTHONPATH=scripts.
"""
import os

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)


class ResultError(Exception):
    """Bad input: the message is one line naming the file and what is wrong."""


def fail(path, what):
    raise ResultError(f"{path}: {what}")


class OneLineParser(__import__("argparse").ArgumentParser):
    """argparse, with a bad command line as one line on stderr and exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")
