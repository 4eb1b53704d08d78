"""The district database at scale: N schools of ~150 workbooks pushed, then the district report.

The school is the synthetic 150-workbook school (:mod:`synthetic`), merged once; each of the
N district schools is that dataset under its own name (its own school id), so the push of
school k meets k − 1 schools already in the database. Prints the time of every first push,
of a repeated push (nothing new), of a push after one week's merge (a copy of school 1's
dataset in which the program changed every mark of one week, in one transaction per subject
workbook, as a merge of that week's workbooks writes them), the database size and the time
of the district progress report over all schools, then a SUMMARY line. A throw-away cluster
is started and stopped
(durable: fsync on).

    .venv/bin/python benchmarks/bench_district_pg.py --schools 100      # the target run
    .venv/bin/python benchmarks/bench_district_pg.py --schools 5         # a quick one

Targets: first push < 10 s, a push after one week's merge < 2 s, the district progress
report over 100 schools < 60 s, and the push time not growing with the schools already there.
"""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.postgres import start_cluster
from synthetic import MERGE_AT, ensure_school

from journal.dataset import postgres, store
from journal.district import reports
from journal.district.push import push_school
from journal.intake.merge import merge_school


def week_merged(source: Path, target: Path) -> int:
    """A copy of the dataset ``source`` after a week's merge: every mark of the week before
    the last lesson changed by the program, one transaction per workbook; returns the marks."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    changed = 0
    with store.opened(target, readonly=False) as conn:
        last = conn.execute("SELECT max(date) FROM lessons l JOIN marks m ON m.lesson_id = l.id"
                            ).fetchone()[0]
        books = conn.execute("SELECT DISTINCT class, subject, grp FROM lessons").fetchall()
        for class_name, subject, grp in books:
            with store.transaction(conn):
                cur = conn.execute(
                    "UPDATE marks SET value = CASE WHEN value = 5 THEN 4 ELSE value + 1 END"
                    " WHERE lesson_id IN (SELECT id FROM lessons WHERE class = ? AND subject = ?"
                    " AND grp IS ? AND date > date(?, '-7 days'))", (class_name, subject, grp, last))
                changed += cur.rowcount
    return changed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its SUMMARY line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--size", type=int, default=150, help="subject workbooks per school")
    args = parser.parse_args(argv)
    school, settings = ensure_school(args.size)
    if not school.store_path.exists():
        merge_school(school, settings, now=MERGE_AT)
    cluster = start_cluster(durable=True)
    try:
        conn = postgres.connect(cluster.url())
        postgres.migrate(conn)
        firsts, repeats = [], []
        started = time.perf_counter()
        for k in range(args.schools):
            named = dataclasses.replace(settings, school_name=f"Школа №{k + 1}")
            result = push_school(school.store_path, named, cluster.url())
            firsts.append(result.seconds)
            print(f"school {k + 1}: first push {result.seconds:.2f} s "
                  f"(verify {result.verify_seconds:.2f} s), {result.rows} rows", flush=True)
        total = time.perf_counter() - started
        for k in (0, args.schools - 1):
            named = dataclasses.replace(settings, school_name=f"Школа №{k + 1}")
            repeats.append(push_school(school.store_path, named, cluster.url()).seconds)
        with tempfile.TemporaryDirectory() as folder:
            week = Path(folder) / "journal.sqlite"
            marks = week_merged(school.store_path, week)
            named = dataclasses.replace(settings, school_name="Школа №1")
            weekly = push_school(week, named, cluster.url())
        print(f"push after one week's merge: {weekly.seconds:.2f} s (verify "
              f"{weekly.verify_seconds:.2f} s), {marks} marks changed, {weekly.rows} rows, "
              f"records {weekly.from_chain_id + 1}–{weekly.to_chain_id}", flush=True)
        size = postgres.database_size(conn)
        conn.close()
        started = time.perf_counter()
        district = reports.open_district(cluster.url(), period="2", today=MERGE_AT.date().isoformat())
        frame = reports.progress_by_school(district)
        district.close()
        report = time.perf_counter() - started
        print(f"progress report: {report:.1f} s, {report / args.schools:.2f} s per school",
              flush=True)
    finally:
        cluster.stop()
    half = max(1, len(firsts) // 2)
    early, late = statistics.median(firsts[:half]), statistics.median(firsts[half:] or firsts)
    print(f"SUMMARY district-pg: {args.schools} schools × {args.size} workbooks; first push median "
          f"{statistics.median(firsts):.2f} s (max {max(firsts):.2f} s, target < 10 s; first half "
          f"{early:.2f} s, second half {late:.2f} s); total {total:.1f} s; repeated push "
          f"{max(repeats):.2f} s; push after one week's merge {weekly.seconds:.2f} s (target < 2 s); "
          f"database {size / 2**20:.0f} MiB; progress report over "
          f"{frame['school'].nunique()} schools {report:.1f} s (target < 60 s for 100)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
