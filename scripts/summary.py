#!/usr/bin/python3
"""Plain-text summary of a faultline run: per mix, strategy x CPUs (faultline/summary.py)."""
import sys

from faultline import summary

if __name__ == "__main__":
    sys.exit(summary.main(sys.argv))
