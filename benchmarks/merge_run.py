"""One measured merge of a synthetic school, in a fresh process (used by the benchmarks).

Modes:

* ``cold`` — the dataset is deleted first: every workbook is read, validated, written;
* ``unchanged`` — a merge right after a merge: every file is skipped by its hash;
* ``one-changed`` — one subject workbook gets a new version (three marks changed), the
  rest are unchanged; the original file is put back afterwards.

Prints one JSON line: wall and CPU seconds, cores busy, peak memory of the process
tree, and the merge's file counts::

    .venv/bin/python benchmarks/merge_run.py --size 150 --mode cold
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import as_json, measured
from synthetic import (
    MERGE_AT,
    class_of,
    derive_workbook,
    ensure_school,
    fresh_store,
    seed_of,
)

from journal.intake.merge import merge_school
from journal.school.folder import subject_workbook_name

MODES = ("cold", "unchanged", "one-changed")


def main(argv: list[str] | None = None) -> int:
    """Run one merge as the mode says and print its measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--mode", choices=MODES, default="cold")
    parser.add_argument("--tweak", type=int, default=1, help="which marks the changed file changes")
    args = parser.parse_args(argv)
    school, settings = ensure_school(args.size)
    restore: tuple[Path, bytes] | None = None
    if args.mode == "cold":
        fresh_store(school)
    else:
        if not school.store_path.exists():
            merge_school(school, settings, now=MERGE_AT)
        if args.mode == "one-changed":
            item = settings.curriculum[len(settings.curriculum) // 2]
            k = next(i for i, c in enumerate(settings.classes) if c.name == item.class_name)
            seed = class_of(seed_of(k)).name
            target = school.workbooks_dir / subject_workbook_name(*item.key)
            source = school_seed_file(seed_of(k), seed, item.subject)
            restore = (target, target.read_bytes())
            derive_workbook(source, target, seed, item.class_name, tweak=args.tweak)
    try:
        with measured() as sample:
            result = merge_school(school, settings, now=MERGE_AT)
    finally:
        if restore is not None:
            restore[0].write_bytes(restore[1])
    counts = {status: result.count(status) for status in
              ("merged", "unchanged", "rejected", "held", "unreadable")}
    print(as_json(sample, files=len(result.files), counts=counts,
                  findings=len(result.findings), changes=result.changes))
    return 0


def school_seed_file(seed: int, seed_name: str, subject: str) -> Path:
    """The seed workbook a subject workbook was derived from."""
    from synthetic import ensure_seeds

    return ensure_seeds(seed + 1) / f"class-{seed}" / subject_workbook_name(seed_name, subject)


if __name__ == "__main__":
    raise SystemExit(main())
