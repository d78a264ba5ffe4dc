#!/usr/bin/python3
"""Compare two faultline runs, LKP/0-day style (faultline/compare.py)."""
import sys

from faultline import compare

if __name__ == "__main__":
    sys.exit(compare.main(sys.argv))
