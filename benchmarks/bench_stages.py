"""Where a cold merge's time goes: each stage of the merge timed alone, in one process.

CPU time of this process (stable on a busy machine, unlike wall time)
for the files of a synthetic school: hashing, pre-screening, python-calamine alone,
the reader (:func:`journal.workbooks.reading.read_workbook` of screened bytes, as a merge's
prepare stage reads them: calamine + defined names + areas),
pickling the read result (what a worker sends back), building the validation view,
validation, planning the history, and writing to SQLite. Prints milliseconds a file
for each stage (medians of ``--runs``) and the share of the sum.

    .venv/bin/python benchmarks/bench_stages.py --size 150
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import median
from references import calamine_alone
from synthetic import MERGE_AT, ensure_school, workbook_paths

from journal.dataset import store
from journal.intake.merge import apply, file_sha256, validate_read
from journal.intake.validation import ClassRecords
from journal.workbooks import screening as ps
from journal.workbooks.reading import read_workbook
from journal.workbooks.views import view_from_raw


def _stage(times: dict[str, list[float]], name: str, fn: Callable[[], object]) -> object:
    start = time.process_time()
    value = fn()
    times.setdefault(name, []).append(time.process_time() - start)
    return value


def one_run(paths: list[Path], settings: object, root: Path) -> dict[str, float]:
    """Seconds spent in each stage over all files."""
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        conn = store.connect(Path(tmp) / "journal.sqlite")
        merge_id = store.begin_merge(conn, store.now_text(MERGE_AT), "bench")
        reads = []
        for path in paths:
            _stage(times, "sha256", lambda p=path: file_sha256(p))
            _stage(times, "prescreen", lambda p=path: ps.screen(p, root=root))
            _stage(times, "calamine alone", lambda p=path: calamine_alone([p]))
            read = _stage(times, "read_workbook",  # screened just above, as in a merge
                          lambda p=path: read_workbook(p, extent_screened=True))
            blob = _stage(times, "pickle result", lambda r=read: pickle.dumps(r))
            _stage(times, "unpickle result", lambda b=blob: pickle.loads(b))  # type: ignore[arg-type]
            reads.append((path, read))
        reads.sort(key=lambda pr: 0 if "classes" in pr[0].parts else 1)
        for path, read in reads:
            raw = read.workbook  # type: ignore[attr-defined]
            _stage(times, "view_from_raw", lambda r=raw: view_from_raw(r))
            validated = _stage(times, "validate", lambda r=raw, p=path: validate_read(
                r, settings, ps.display_name(p, root), conn, today=MERGE_AT.date()))
            records = validated.records  # type: ignore[attr-defined]
            _stage(times, "plan + write (apply)", lambda r=records: apply(
                conn, r, MERGE_AT, merge_id=merge_id, sha256="x"))
            if isinstance(records, ClassRecords):
                continue
        conn.close()
    return {name: sum(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    """Time each stage and print a table and a summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    school, settings = ensure_school(args.size)
    paths = workbook_paths(school)
    runs = [one_run(paths, settings, school.root) for _ in range(args.runs)]
    names = list(runs[0])
    totals = {name: median([r[name] for r in runs]) for name in names}
    merge_stages = [n for n in names if n not in ("calamine alone",)]
    whole = sum(totals[n] for n in merge_stages)
    print(f"{len(paths)} files, {args.runs} runs (median), ms a file:")
    for name in names:
        share = "" if name not in merge_stages else f"  {totals[name] / whole:5.1%}"
        print(f"  {name:22} {totals[name] / len(paths) * 1000:8.2f}{share}")
    print("SUMMARY " + " ".join(f"{n.replace(' ', '_')}={totals[n] / len(paths) * 1000:.1f}ms"
                                for n in names) + f" at={dt.datetime.now():%H:%M}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
