"""The district database at scale: N schools of ~150 workbooks pushed, then the district reports.

The school is the synthetic 150-workbook school (:mod:`synthetic`), merged once; each of the
N district schools is that dataset under its own name (its own school id), so the push of
school k meets k − 1 schools already in the database. Prints the time of every first push,
of a repeated push (nothing new), of a push after one week's merge (a copy of school 1's
dataset in which the program changed every mark of one week, in one transaction per subject
workbook, as a merge of that week's workbooks writes them), the database size and the time
of each district report (progress, attendance, filling) over all schools, then a SUMMARY
line. A throw-away cluster is started and stopped (durable: fsync on).

    .venv/bin/python benchmarks/bench_district_pg.py --schools 100      # the target run
    .venv/bin/python benchmarks/bench_district_pg.py --schools 5         # a quick one
    .venv/bin/python benchmarks/bench_district_pg.py --schools 20 --keep # leave it running
    .venv/bin/python benchmarks/bench_district_pg.py --reuse URL --reports progress

``--keep`` leaves the cluster running and prints its address and how to stop it;
``--reuse URL`` only times the reports on such a database (while changing the reports).

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
from journal.school.settings import Settings


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


def push_all(url: str, school_path: Path, settings: Settings, count: int) -> Pushes:
    """Push the school ``count`` times under as many names, then again, then after a week."""
    conn = postgres.connect(url)
    postgres.migrate(conn)
    firsts, repeats = [], []
    started = time.perf_counter()
    for k in range(count):
        named = dataclasses.replace(settings, school_name=f"Школа №{k + 1}")
        result = push_school(school_path, named, url)
        firsts.append(result.seconds)
        print(f"school {k + 1}: first push {result.seconds:.2f} s "
              f"(verify {result.verify_seconds:.2f} s), {result.rows} rows", flush=True)
    total = time.perf_counter() - started
    for k in (0, count - 1):
        named = dataclasses.replace(settings, school_name=f"Школа №{k + 1}")
        repeats.append(push_school(school_path, named, url).seconds)
    with tempfile.TemporaryDirectory() as folder:
        week = Path(folder) / "journal.sqlite"
        marks = week_merged(school_path, week)
        named = dataclasses.replace(settings, school_name="Школа №1")
        weekly = push_school(week, named, url)
    print(f"push after one week's merge: {weekly.seconds:.2f} s (verify "
          f"{weekly.verify_seconds:.2f} s), {marks} marks changed, {weekly.rows} rows, "
          f"records {weekly.from_chain_id + 1}–{weekly.to_chain_id}", flush=True)
    size = postgres.database_size(conn)
    conn.close()
    return Pushes(firsts, total, max(repeats), weekly.seconds, size)


@dataclasses.dataclass(frozen=True)
class Pushes:
    """What the pushes took: each first push, all of them, the repeats, the week's, the size."""

    firsts: list[float]
    total: float
    repeated: float
    weekly: float
    size: int

    def summary(self) -> str:
        """The push part of the SUMMARY line."""
        half = max(1, len(self.firsts) // 2)
        early = statistics.median(self.firsts[:half])
        late = statistics.median(self.firsts[half:] or self.firsts)
        return (f"first push median {statistics.median(self.firsts):.2f} s (max "
                f"{max(self.firsts):.2f} s, target < 10 s; first half {early:.2f} s, second half "
                f"{late:.2f} s); total {self.total:.1f} s; repeated push {self.repeated:.2f} s; "
                f"push after one week's merge {self.weekly:.2f} s (target < 2 s); "
                f"database {self.size / 2**20:.0f} MiB; ")


def run_reports(url: str, names: list[str]) -> tuple[dict[str, float], int]:
    """Time each district report of ``names`` over every school; returns the seconds of
    each and how many schools the progress report counted."""
    seconds: dict[str, float] = {}
    counted = 0
    for name in names:
        started = time.perf_counter()
        district = reports.open_district(url, period="2", today=MERGE_AT.date().isoformat())
        try:
            frame = REPORTS[name](district)
        finally:
            district.close()
        seconds[name] = time.perf_counter() - started
        schools = len(district.schools)
        if name == "progress":
            counted = int(frame["school"].nunique())
        print(f"{name} report: {seconds[name]:.1f} s, {seconds[name] / max(1, schools):.2f} s "
              "per school", flush=True)
    return seconds, counted


REPORTS = {"progress": reports.progress_by_school, "attendance": reports.attendance_by_school,
           "filling": reports.filling_by_school}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its SUMMARY line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--size", type=int, default=150, help="subject workbooks per school")
    parser.add_argument("--reports", default="progress,attendance,filling",
                        help="district reports to time, separated by commas")
    parser.add_argument("--keep", action="store_true",
                        help="leave the cluster running (for --reuse); prints how to stop it")
    parser.add_argument("--reuse", metavar="URL",
                        help="no cluster and no pushes: time the reports on this database")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.reports.split(",") if n.strip()]
    if args.reuse:
        seconds, counted = run_reports(args.reuse, names)
        print(f"SUMMARY district-pg reports: {_reports_summary(seconds, counted)}")
        return 0
    school, settings = ensure_school(args.size)
    if not school.store_path.exists():
        merge_school(school, settings, now=MERGE_AT)
    cluster = start_cluster(durable=True)
    try:
        pushes = push_all(cluster.url(), school.store_path, settings, args.schools)
        seconds, counted = run_reports(cluster.url(), names)
    finally:
        if args.keep:
            print(f"cluster kept: --reuse {cluster.url()}; stop it with: "
                  f"{cluster.bins / 'pg_ctl'} -D {cluster.data} -m fast stop "
                  f"(as postgres), then remove {cluster.root}", flush=True)
        else:
            cluster.stop()
    print(f"SUMMARY district-pg: {args.schools} schools × {args.size} workbooks; "
          f"{pushes.summary()}{_reports_summary(seconds, counted)}")
    return 0


def _reports_summary(seconds: dict[str, float], counted: int) -> str:
    parts = []
    if "progress" in seconds:
        parts.append(f"progress report over {counted} schools {seconds['progress']:.1f} s "
                     f"({seconds['progress'] / max(1, counted):.2f} s a school; target < 60 s "
                     "for 100)")
    others = [f"{name} {s:.1f} s" for name, s in seconds.items() if name != "progress"]
    if others:
        parts.append(", ".join(others) + f"; report set {sum(seconds.values()):.1f} s")
    return "; ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
