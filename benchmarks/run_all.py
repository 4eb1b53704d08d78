"""Run every benchmark (``make bench``) and print their summary lines together at the end.

    .venv/bin/python benchmarks/run_all.py                  # school, district, reports
    .venv/bin/python benchmarks/run_all.py --quick          # 150 and 1,000 only, one run each

The first run generates the synthetic schools (a few minutes for 10,000 workbooks) and
the demo school; they are cached (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def _run(script: str, *args: str) -> str:
    print(f"== {script} {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, str(BENCH / script), *args], text=True,
                          stdout=subprocess.PIPE, check=False)
    print(done.stdout, end="", flush=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("SUMMARY")]
    if done.returncode != 0 or not lines:
        return f"SUMMARY {script}: failed (exit {done.returncode})"
    return f"{script}: {lines[-1]}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks one after another (they would disturb each other in parallel)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one run each")
    parser.add_argument("--skip-reports", action="store_true")
    args = parser.parse_args(argv)
    runs = "1" if args.quick else "3"
    summaries = [
        _run("bench_stages.py", "--size", "150", "--runs", runs),
        _run("bench_school.py", "--size", "150", "--runs", runs),
        _run("bench_district.py", "--sizes", *(("150", "1000") if args.quick else ("1000", "10000"))),
    ]
    if not args.skip_reports:
        summaries.append(_run("bench_weekly.py", "--runs", "3" if args.quick else "5"))
        summaries.append(_run("bench_reports.py", "--runs", "1"))
    print("\n".join(summaries))
    return 1 if any("failed" in s for s in summaries) else 0


if __name__ == "__main__":
    raise SystemExit(main())
