"""The weekly merge as a coordinator feels it: ``journal merge`` of the demo school, as a command.

A fresh demo school (``journal demo --no-reports``: 145 workbooks, four of them rejected for
planted mistakes) is built, then ``journal merge`` runs in a fresh process, start-up and
the settings included:

* the first merge after ``journal demo`` — it must find every workbook unchanged (the demo
  records the settings fingerprint and hashes a real merge reproduces) and read none;
* ``--runs`` further merges with nothing changed: the median is the target (< 1.5 s), and
  not one feedback file may be written again.

    .venv/bin/python benchmarks/bench_weekly.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import journal_command, median, verdict

LIMIT = 1.5
COUNTS = re.compile(r"Принято (\d+), без изменений (\d+), отклонено (\d+)")


def _feedback_state(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.xlsx")}


def main(argv: list[str] | None = None) -> int:
    """Build a demo school, merge it as a command, and print the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="journal-weekly-")) / "demo"
    try:
        journal_command("demo", "--out", str(root), "--no-reports", allowed=(0, 1))
        first, said = journal_command("merge", "--school", str(root), allowed=(0, 1))
        counts = COUNTS.search(said)
        merged, unchanged, rejected = (int(g) for g in counts.groups()) if counts else (-1, -1, -1)
        print(f"first merge after the demo: {first:.2f} s; merged {merged}, unchanged "
              f"{unchanged}, rejected {rejected}", flush=True)
        feedback = root / "output" / "Замечания учителям"
        before = _feedback_state(feedback)
        walls = []
        for run in range(args.runs):
            wall, _ = journal_command("merge", "--school", str(root), allowed=(0, 1))
            walls.append(wall)
            print(f"run {run + 1}: journal merge, nothing changed: {wall:.2f} s", flush=True)
        rewritten = sorted(n for n, t in _feedback_state(feedback).items() if before.get(n) != t)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    weekly = median(walls)
    load = os.getloadavg()[0]
    print(f"SUMMARY runs={args.runs} load={load:.1f} first_after_demo={first:.2f}s "
          f"(merged={merged}: {verdict(merged == 0)}) weekly_merge={weekly:.2f}s "
          f"(target<{LIMIT:g}s: {verdict(weekly < LIMIT)}) feedback_rewritten={len(rewritten)} "
          f"({verdict(not rewritten)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
