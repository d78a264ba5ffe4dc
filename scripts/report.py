#!/usr/bin/python3
"""Write report.md, report.html and plots/ for faultline runs (faultline/report.py)."""
import sys

from faultline import report

if __name__ == "__main__":
    sys.exit(report.main(sys.argv))
