"""Merging one large school: cold merge, re-merge with nothing changed, with one file changed.

The school is synthetic (:mod:`synthetic`): ``--size`` year-size subject workbooks
(25 students × ~165 lesson columns, about half filled, lesson log, period marks) plus
one class teacher's workbook per class. Each merge runs in a fresh process
(:mod:`merge_run`); python-calamine alone reads the same files in this process
between the merges, so that the ratio compares runs made under the same load.
``pandas.read_excel(engine="openpyxl")`` reads a sample of the files and its time is
extrapolated to all of them (it takes ~0.1 s a file).

Targets (issue 7): cold merge ≤ 3× python-calamine alone and ≥ 10× faster than
pandas + openpyxl; re-merge with nothing changed < 0.5 s; with one file changed < 1 s.

    .venv/bin/python benchmarks/bench_school.py --size 150 --runs 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import in_subprocess, median, mib, timed, verdict
from references import calamine_alone, pandas_openpyxl, sample_of
from synthetic import ensure_school, workbook_paths

CALAMINE_FACTOR = 3.0
PANDAS_FACTOR = 10.0
BUSY_CORES = 1.7  # issue 15: both cores busy during a cold merge
UNCHANGED_LIMIT = 0.5
ONE_CHANGED_LIMIT = 1.0


def main(argv: list[str] | None = None) -> int:
    """Run the school-scale merge benchmark and print the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=150, help="subject workbooks (150: a large school)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (median)")
    parser.add_argument("--pandas-sample", type=int, default=12,
                        help="files read with pandas + openpyxl (time extrapolated)")
    args = parser.parse_args(argv)
    say = print
    school, _settings = ensure_school(args.size, say=lambda t: say(t, flush=True))
    paths = workbook_paths(school)
    for path in paths:  # warm the page cache for every reader alike
        path.read_bytes()
    n = len(paths)
    say(f"school: {args.size} subject workbooks + {n - args.size} class workbooks = {n} files, "
        f"{sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")

    calamine: list[float] = []
    cold: list[dict[str, object]] = []
    for run in range(args.runs):
        calamine += timed(lambda: calamine_alone(paths), 1)
        cold.append(in_subprocess("merge_run.py", "--size", str(args.size), "--mode", "cold"))
        say(f"run {run + 1}: calamine alone {calamine[-1]:.2f} s, cold merge {cold[-1]['wall']:.2f} s "
            f"({float(str(cold[-1]['cores'])):.1f} cores, peak {mib(float(str(cold[-1]['peak'])))}), "
            f"counts {cold[-1]['counts']}")
    sample = sample_of(paths, args.pandas_sample)
    pandas_time = median(timed(lambda: pandas_openpyxl(sample), 1)) * n / len(sample)
    say(f"pandas + openpyxl: {len(sample)} of {n} files read, extrapolated to {pandas_time:.1f} s")
    unchanged = [in_subprocess("merge_run.py", "--size", str(args.size), "--mode", "unchanged")
                 for _ in range(args.runs)]
    changed = [in_subprocess("merge_run.py", "--size", str(args.size), "--mode", "one-changed",
                             "--tweak", str(run + 1)) for run in range(args.runs)]
    for label, runs in (("unchanged", unchanged), ("one changed", changed)):
        say(f"re-merge {label}: " + ", ".join(f"{float(str(r['wall'])):.3f} s" for r in runs)
            + f"; counts {runs[-1]['counts']}")

    cal = median(calamine)
    cold_wall = median([float(str(r["wall"])) for r in cold])
    peak = max(float(str(r["peak"])) for r in cold)
    cores = median([float(str(r["cores"])) for r in cold])
    ratio = cold_wall / cal
    faster = pandas_time / cold_wall
    same = median([float(str(r["wall"])) for r in unchanged])
    one = median([float(str(r["wall"])) for r in changed])
    summary = (
        f"SUMMARY size={args.size} files={n} runs={args.runs} "
        f"cold_merge={cold_wall:.2f}s calamine_alone={cal:.2f}s "
        f"({ratio:.1f}x calamine, target<={CALAMINE_FACTOR:g}x: {verdict(ratio <= CALAMINE_FACTOR)}; "
        f"{faster:.0f}x faster than pandas+openpyxl={pandas_time:.1f}s extrapolated from "
        f"{len(sample)} files, target>={PANDAS_FACTOR:g}x: {verdict(faster >= PANDAS_FACTOR)}) "
        f"cores_busy={cores:.2f} (target>={BUSY_CORES:g}: {verdict(cores >= BUSY_CORES)}) "
        f"peak={mib(peak)} "
        f"remerge_unchanged={same:.3f}s (target<{UNCHANGED_LIMIT:g}s: {verdict(same < UNCHANGED_LIMIT)}) "
        f"remerge_one_changed={one:.3f}s (target<{ONE_CHANGED_LIMIT:g}s: {verdict(one < ONE_CHANGED_LIMIT)})"
    )
    say(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
