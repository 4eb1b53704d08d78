"""The full report set for a period and one class's paper copy, on the demo school.

The demo school (``journal demo`` without its outputs) is built once and cached.
Both measurements run the real commands in a fresh process, so they include what a
coordinator waits for (start-up, reading the settings, notebooks, the browser for PDF):

* ``journal report --all --school DEMO --period 2`` — every report notebook, HTML and
  PDF (target: under 90 s wall on 2 cores);
* ``journal print --school DEMO --period 1 --class 7А`` — one class's paper copy
  (target: under 10 s).

    .venv/bin/python benchmarks/bench_reports.py --runs 1
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import journal_command, median, verdict
from synthetic import cache_root

REPORTS_LIMIT = 90.0
COPY_LIMIT = 10.0
DEMO_VERSION = "1"
PRINT_CLASS = "7А"


def demo_school() -> Path:
    """The cached demo school folder (built without reports on first use)."""
    from journal.demo.build import build_demo

    root = cache_root() / f"demo-v{DEMO_VERSION}"
    done = root / ".bench-complete"
    if not done.exists():
        print("building the demo school (once)…", flush=True)
        build_demo(root, reports=False)
        done.write_text("ok\n")
    return root


def _journal(*args: str, allowed: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one ``journal`` command; a failed command fails the benchmark."""
    return journal_command(*args, allowed=allowed)[0]


def main(argv: list[str] | None = None) -> int:
    """Run the report and paper-copy benchmark and print the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    school = demo_school()
    reports = []
    copies = []
    for run in range(args.runs):
        reports.append(_journal("report", "--all", "--school", str(school), "--period", "2"))
        # exit 1: copies made, with remarks about the data (the demo school has planted mistakes)
        copies.append(_journal("print", "--school", str(school), "--period", "1",
                               "--class", PRINT_CLASS, allowed=(0, 1)))
        print(f"run {run + 1}: report --all {reports[-1]:.1f} s, print {PRINT_CLASS} "
              f"{copies[-1]:.1f} s", flush=True)
    full, one = median(reports), median(copies)
    print(f"SUMMARY runs={args.runs} cpus={os.cpu_count()} "
          f"report_all_period={full:.1f}s (target<{REPORTS_LIMIT:g}s: {verdict(full < REPORTS_LIMIT)}) "
          f"paper_copy_{PRINT_CLASS}={one:.1f}s (target<{COPY_LIMIT:g}s: {verdict(one < COPY_LIMIT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
