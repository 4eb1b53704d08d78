"""Merging teachers' workbooks into the central dataset, keeping the full history.

``merge_school`` runs the one pipeline of :mod:`journal.intake.pipeline` over a school
folder: every workbook is screened and its ``_meta`` read, then read, validated and
planned in the worker processes (class workbooks first: subject workbooks are checked
against their class lists), and each accepted workbook is written in its own SQLite
transaction by the merging process while the workers go on. ``check_files`` runs the
same stages and writes nothing. The history rules are in :mod:`journal.intake.plan`
(see ``docs/dataset.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from journal import __version__ as tool_version
from journal.core.files import file_sha256
from journal.dataset import store
from journal.dataset.backup import backup_before_merge
from journal.intake.acknowledge import SUMMARY_NAME, settle
from journal.intake.apply import ApplyOutcome, apply
from journal.intake.outcomes import (
    GONE,
    HELD,
    MERGED,
    REJECTED,
    REMOVED,
    SKIPPED,
    STATUS_RU,
    UNCHANGED,
    UNREADABLE,
    WORKBOOK_GONE,
    FileOutcome,
    MergeResult,
)
from journal.intake.pipeline import (
    Progress,
    gone_workbooks,
    known_students,
    lock_outcome,
    run_check,
    run_merge,
    validate_read,
)
from journal.intake.plan import (
    MIN_HELD_REMOVALS,
    lost_lessons,
    lost_lessons_finding,
    plan_subject,
    removals_check,
)
from journal.school.folder import FEEDBACK_DIR, SchoolFolder
from journal.school.settings import Settings
from journal.workbooks.isolation import merge_lock

__all__ = [
    "GONE", "HELD", "MERGED", "MIN_HELD_REMOVALS", "REJECTED", "REMOVED", "SKIPPED", "STATUS_RU",
    "UNCHANGED", "UNREADABLE", "WORKBOOK_GONE", "ApplyOutcome", "FileOutcome", "MergeResult",
    "apply", "changes_of_merge", "check_files", "check_school", "file_sha256", "known_students",
    "lock_outcome", "lost_lessons", "lost_lessons_finding", "merge_school", "plan_subject",
    "removals_check", "rotation_dates", "settings_fingerprint", "validate_read",
]


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything in the settings that validation depends on (not the demo's today).

    Taken by value: settings built in Python (the demo) and the same settings read back
    from the settings workbook (where 5 hours a week come back as 5.0) hash alike.
    """
    text = repr(_canonical(replace(settings, today=None)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                tuple((f.name, _canonical(getattr(value, f.name))) for f in fields(value)))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, dict):
        return tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def merge_school(school: SchoolFolder, settings: Settings, *, now: dt.datetime | None = None,
                 confirm_removals: bool = False, progress: Progress | None = None,
                 confirm_gone: Sequence[str] = ()) -> MergeResult:
    """Validate every workbook of the school folder and merge the valid ones.

    Class workbooks go first (subject workbooks are checked against their class lists),
    then subject workbooks; each accepted workbook is written in its own transaction.
    Files whose SHA-256 equals their last accepted version are not read again, nor are
    files rejected before with the same bytes (their findings are kept) while nothing
    they were judged against changed.
    A workbook merged before whose file is no longer in the folder keeps its data and is
    named (``W09``) at every merge until its file is listed in ``confirm_gone``.
    Warnings the coordinator marked «проверено» in the previous summary (and before) move
    to ``result.acknowledged`` (:mod:`journal.intake.acknowledge`).
    ``progress(done, total, file)`` is called as files are read and merged.
    """
    now = now or dt.datetime.now()
    with merge_lock(school.store_path) as held:
        backup_before_merge(school.store_path, school.backups_dir, now=now,
                            **rotation_dates(settings, now.date()))
        conn = store.connect(school.store_path)
        try:
            result = run_merge(conn, school, settings, now,
                               fingerprint=settings_fingerprint(settings),
                               tool_version=tool_version, confirm_removals=confirm_removals,
                               progress=progress, confirm_gone=confirm_gone)
            settle(conn, result, school.output_dir / FEEDBACK_DIR / SUMMARY_NAME)
        finally:
            conn.close()
    if held.notice:
        result.notices.insert(0, held.notice)
    return result


def rotation_dates(settings: Settings, today: dt.date) -> dict[str, Any]:
    """What backup rotation keeps beyond the last copies: weeks of the current term, period ends."""
    current = [p.start for p in settings.periods if p.start <= today <= p.end]
    return {"term_start": max(current) if current else None,
            "period_ends": sorted({p.end for p in settings.periods if p.end < today})}


def changes_of_merge(school: SchoolFolder, merge_id: int) -> list[dict[str, object]]:
    """The history rows a merge added (for the coordinator's summary)."""
    with store.opened(school.store_path) as conn:
        return store.changes_of_merge(conn, merge_id)


def check_files(paths: list[Path], settings: Settings, *, school: SchoolFolder | None = None,
                progress: Progress | None = None) -> list[FileOutcome]:
    """Validate workbooks without merging; status ``merged`` here means «would be accepted».

    Subject workbooks are checked against the class lists of class workbooks given in
    the same call, else against the class lists in the school's dataset (when it exists).
    """
    return run_check(paths, settings, school, progress)


def check_school(school: SchoolFolder, settings: Settings,
                 progress: Progress | None = None) -> list[FileOutcome]:
    """Check every file of the school folder as a merge would, changing nothing.

    Every file of ``classes/`` and ``workbooks/`` (whatever its extension), then the
    workbooks merged before whose files are gone (``W09``).
    """
    outcomes = check_files(school.input_files(), settings, school=school, progress=progress)
    if not school.store_path.exists():
        return outcomes
    by_file = {o.file: o for o in outcomes}
    with store.opened(school.store_path) as conn:
        gone_workbooks(conn, by_file, ())
    return outcomes + [o for name, o in sorted(by_file.items()) if o not in outcomes]
