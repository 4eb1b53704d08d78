"""Merging at a district's scale: 1,000 and 10,000 subject workbooks, cold.

Each size is merged from scratch in a fresh process (:mod:`merge_run`). The summary
gives the time of each size, how the time grows (10,000 / 1,000 should be ≤ 11, i.e.
linear), the peak memory of the whole process tree (merge + workers; target < 1.5 GiB)
and how many cores were busy on average (CPU seconds / wall seconds; both cores busy
means close to 2 on the 2-core machine, where we count ≥ 1.5 as busy). The growth of
CPU time is printed beside the growth of wall time: on a shared machine the wall time
of a 10-minute run depends on what else ran meanwhile.

Generating the 10,000-workbook school takes a few minutes the first time (derived
workbooks are rewritten zips; see :mod:`synthetic`), then it is cached.

    .venv/bin/python benchmarks/bench_district.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import MIB, in_subprocess, median, mib, verdict
from synthetic import ensure_school, workbook_paths

GROWTH_LIMIT = 11.0
MEMORY_LIMIT = 1.5 * 1024 * MIB
BUSY_CORES = 1.5
# issue 15: CPU a file at the largest size at most this much above the smallest's, and
# both cores busy, i.e. at least this many
CPU_PER_FILE_GROWTH = 0.05
BUSY_CORES_15 = 1.7
MEMORY_LIMIT_15 = 1024 * MIB


def main(argv: list[str] | None = None) -> int:
    """Run the district-scale merge benchmark and print the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="cold merges of each size (median)")
    args = parser.parse_args(argv)
    results: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        started = time.monotonic()
        school, _settings = ensure_school(size, say=lambda t: print(t, flush=True))
        files = len(workbook_paths(school))
        print(f"school-{size}: {files} files (ready in {time.monotonic() - started:.0f} s)", flush=True)
        runs = [in_subprocess("merge_run.py", "--size", str(size), "--mode", "cold")
                for _ in range(args.runs)]
        walls = [float(str(r["wall"])) for r in runs]
        results[size] = {
            "wall": median(walls), "files": files,
            "cpu": median([float(str(r["cpu"])) for r in runs]),
            "peak": max(float(str(r["peak"])) for r in runs),
            "cores": median([float(str(r["cores"])) for r in runs]),
            "merging": median([float(str(r["cpu_self"])) for r in runs]),
        }
        results[size]["workers"] = results[size]["cpu"] - results[size]["merging"]
        r = results[size]
        print(f"size {size}: cold merge {r['wall']:.1f} s ({r['wall'] / files * 1000:.1f} ms a file), "
              f"{r['cores']:.2f} cores busy, peak {mib(r['peak'])}; CPU a file: merging process "
              f"{r['merging'] / files * 1000:.1f} ms, workers {r['workers'] / files * 1000:.1f} ms; "
              f"counts {runs[-1]['counts']}", flush=True)
    parts = [f"SUMMARY sizes={','.join(map(str, args.sizes))}"]
    for size, r in results.items():
        parts.append(f"cold_merge_{size}={r['wall']:.1f}s peak_{size}={mib(r['peak'])} "
                     f"cores_{size}={r['cores']:.2f}")
    small, large = min(results), max(results)
    if small != large:
        growth = results[large]["wall"] / results[small]["wall"]
        scale = large / small
        limit = GROWTH_LIMIT * scale / 10
        cpu_growth = results[large]["cpu"] / results[small]["cpu"]
        parts.append(f"growth_{large}/{small}={growth:.1f} (target<={limit:.1f}: {verdict(growth <= limit)}; "
                     f"CPU time grew {cpu_growth:.1f}x)")
        per_file = {size: {k: r[k] / r["files"] for k in ("cpu", "merging", "workers")}
                    for size, r in results.items()}
        more, merging, workers = (per_file[large][k] / per_file[small][k] - 1
                                  for k in ("cpu", "merging", "workers"))
        parts.append(f"cpu_per_file_{small}={per_file[small]['cpu'] * 1000:.1f}ms "
                     f"cpu_per_file_{large}={per_file[large]['cpu'] * 1000:.1f}ms ({more:+.0%}, "
                     f"target<=+{CPU_PER_FILE_GROWTH:.0%}: {verdict(more <= CPU_PER_FILE_GROWTH)})")
        parts.append(f"of_which_merging_process={merging:+.0%} workers={workers:+.0%} (a "
                     f"worker's work on a file does not grow with the dataset: between schools "
                     f"of the same make-up, 1,000 and 10,000, its change is the machine's drift "
                     f"between the runs)")
    top = results[large]
    parts.append(f"peak_memory={mib(top['peak'])} (target<{mib(MEMORY_LIMIT)}: "
                 f"{verdict(top['peak'] < MEMORY_LIMIT)}; issue 15 <{mib(MEMORY_LIMIT_15)}: "
                 f"{verdict(top['peak'] < MEMORY_LIMIT_15)})")
    busy = min(r["cores"] for r in results.values())
    parts.append(f"cores_busy={busy:.2f} (the least of the sizes; target>={BUSY_CORES:g}: "
                 f"{verdict(busy >= BUSY_CORES)}; issue 15 >={BUSY_CORES_15:g}: "
                 f"{verdict(busy >= BUSY_CORES_15)})")
    print(" ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
