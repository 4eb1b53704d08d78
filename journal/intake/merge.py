"""Merging teachers' workbooks into the central dataset, keeping the full history.

``merge_school`` reads every workbook of a school folder (class workbooks first,
then subject workbooks), validates it and applies it in one SQLite transaction
per workbook. The three steps are separate so that :func:`apply` can be called
with already validated records at a chosen moment (the demo school simulates a
year of daily merges this way).

History rules (see ``docs/dataset.md``):

* every mark, absence and final mark keeps ``first_seen`` (the merge that first saw
  this value) and ``last_seen`` (the last merge that read the workbook and still saw it);
* a changed value is a ``correction`` (old → new), a vanished one a ``removal``;
* a new mark is a ``late_entry`` when the workbook was already observed (merged, or found
  unchanged) **after** the mark's deadline — the lesson date + ``norms.ordinary_mark_days``,
  or + ``norms.written_days(grade)`` for written work — and the mark was not there then.
  Only what was observed is judged: the first merge of a workbook is a baseline, and with
  weekly merges a mark typed a few days late but before the next merge is not flagged.
  ``days_late`` counts from the deadline to that last observation, so it is a lower bound;
* changed or cleared topics and homework of lessons already held are ``correction`` /
  ``removal`` changes with entity ``topic`` / ``homework``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journal import __version__ as tool_version
from journal.core.files import file_sha256
from journal.core.findings import Finding, Severity, count_errors, error, has_errors, warning
from journal.dataset import store
from journal.dataset.backup import backup_before_merge
from journal.intake.validation import (
    MISSING_LESSONS,
    ClassRecords,
    ClassView,
    KnownStudent,
    LessonRecord,
    MarkRecord,
    MessageRow,
    SubjectRecords,
    Validated,
    days_text,
    validate_class,
    validate_subject,
    view_from_raw,
)
from journal.school.folder import LockFile, SchoolFolder
from journal.school.settings import Settings, normalise_class_name
from journal.workbooks.format import KIND_CLASS, KIND_SUBJECT, SHEET_GRID, WorkbookMeta
from journal.workbooks.isolation import merge_lock, read_workbooks_safely
from journal.workbooks.reading import ReadResult
from journal.workbooks.screening import LOCK_FILE, display_name

MERGED = "merged"
UNCHANGED = "unchanged"
REJECTED = "rejected"
HELD = "held"
UNREADABLE = "unreadable"
SKIPPED = "skipped"  # not a workbook: a lock file of an open one
GONE = "gone"  # merged before, no longer in the folder: its data is kept (W09)
REMOVED = "removed"  # gone, and the coordinator confirmed it was removed on purpose
STATUS_RU = {MERGED: "принят", UNCHANGED: "без изменений", REJECTED: "отклонён",
             HELD: "задержан", UNREADABLE: "не читается", SKIPPED: "пропущен",
             GONE: "нет в папке", REMOVED: "убран из папки"}
WORKBOOK_GONE = "W09"
READ_BATCH = 200  # files read per pool run; beyond one batch, read workbooks wait pickled
MIN_HELD_REMOVALS = 3  # fewer removed marks than this never hold a workbook

Progress = Callable[[int, int, str], None]


@dataclass
class ApplyOutcome:
    """What applying one workbook did: its status, how many changes, why it was held."""

    status: str
    changes: int = 0
    removed_marks: int = 0
    merged_marks: int = 0
    finding: Finding | None = None


@dataclass
class FileOutcome:
    """One input file of a merge."""

    file: str  # path relative to the school folder
    status: str
    sha256: str = ""
    kind: str = ""
    class_name: str = ""
    subject: str = ""
    group: str = ""
    teacher: str = ""
    findings: list[Finding] = field(default_factory=list)
    changes: int = 0

    @property
    def errors(self) -> int:
        """How many error findings."""
        return count_errors(self.findings)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(not f.is_error for f in self.findings)


@dataclass
class MergeResult:
    """The outcome of one ``journal merge``."""

    merge_id: int
    started_at: str
    files: list[FileOutcome] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # for the coordinator, not a teacher's finding

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every file (for unchanged files, those of their last merge)."""
        return [f for o in self.files for f in o.findings]

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(o.status == status for o in self.files)

    @property
    def has_problems(self) -> bool:
        """True when any file was rejected, held or unreadable, or has findings."""
        return bool(self.findings) or any(
            o.status in (REJECTED, HELD, UNREADABLE, GONE) for o in self.files)

    @property
    def changes(self) -> int:
        """How many history rows (corrections, removals, late entries) this merge added."""
        return sum(o.changes for o in self.files)


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything in the settings that validation depends on (not the demo's today)."""
    return hashlib.sha256(repr(replace(settings, today=None)).encode("utf-8")).hexdigest()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# ---------------------------------------------------------------------------
# apply
# ---------------------------------------------------------------------------


def apply(conn: sqlite3.Connection, records: SubjectRecords | ClassRecords, now: dt.datetime, *,
          merge_id: int | None = None, sha256: str = "", confirm_removals: bool = False,
          large_removal_share: float = 0.2) -> ApplyOutcome:
    """Write one validated workbook into the dataset as of ``now``, in one transaction.

    Without ``merge_id`` a merge row is created (and finished) for this call alone.
    A subject workbook that would remove more than ``large_removal_share`` of its
    already merged marks is held (nothing written) unless ``confirm_removals``.
    """
    own_merge = merge_id is None
    stamp = store.now_text(now)
    if merge_id is None:
        merge_id = store.begin_merge(conn, stamp, tool_version)
    if isinstance(records, ClassRecords):
        with store.transaction(conn):
            _write_class(conn, records, merge_id, sha256, stamp)
        outcome = ApplyOutcome(MERGED)
    else:
        outcome = _apply_subject(conn, records, now, merge_id, sha256, confirm_removals,
                                 large_removal_share)
        if outcome.status == MERGED:
            with store.transaction(conn):
                write_messages(conn, records, records.messages, stamp, merge_id)
    if own_merge:
        status_counts = {outcome.status: 1}
        files = json.dumps([{"file": records.file, "sha256": sha256, "status": outcome.status}],
                           ensure_ascii=False)
        store.finish_merge(conn, merge_id, stamp, files, status_counts)
    return outcome


def _write_class(conn: sqlite3.Connection, rec: ClassRecords, merge_id: int, sha256: str,
                 stamp: str) -> None:
    store.upsert_class(conn, rec.class_name, rec.grade, rec.letter, rec.class_teacher)
    store.replace_class_list(
        conn, rec.class_name,
        students=[{"full_name": s.full_name, "birth_date": _iso(s.birth_date),
                   "joined": _iso(s.joined), "left_on": _iso(s.left)} for s in rec.students],
        groups=[(s.full_name, subject, grp) for s in rec.students for subject, grp in s.groups],
        parents=[{"student": p.student, "full_name": p.full_name, "phone": p.phone,
                  "email": p.email} for p in rec.parents],
        reasons=[{"student": r.student, "start_date": r.start.isoformat(),
                  "end_date": r.end.isoformat(), "code": r.code, "document": r.document}
                 for r in rec.reasons],
        notes=rec.notes,
    )
    store.apply_absence_reasons(conn, rec.class_name)
    write_events(conn, "class", rec.class_name,
                 [(rec.class_name, e.date.isoformat(), e.title) for e in rec.events], stamp)
    write_messages(conn, rec, rec.messages, stamp, merge_id)
    store.save_workbook_row(conn, kind=KIND_CLASS, class_name=rec.class_name, subject="",
                            group="", teacher=rec.class_teacher, file=rec.file, sha256=sha256,
                            merge_id=merge_id)


def write_messages(conn: sqlite3.Connection, rec: SubjectRecords | ClassRecords,
                   messages: list[MessageRow], stamp: str, merge_id: int) -> None:
    """Make the workbook's merged messages what it holds now; an edited or removed message
    is a ``correction`` / ``removal`` change of entity ``message`` (inside a transaction)."""
    subject = rec.subject if isinstance(rec, SubjectRecords) else ""
    group = rec.group if isinstance(rec, SubjectRecords) else ""
    author = rec.teacher if isinstance(rec, SubjectRecords) else rec.class_teacher
    old = {(str(r["date"]), str(r["student"]), int(str(r["seq"]))): r
           for r in store.stored_messages(conn, rec.class_name, subject, group)}
    seen: dict[tuple[str, str], int] = {}
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    base = {"merge_id": merge_id, "detected_at": stamp, "entity": "message", "class": rec.class_name,
            "subject": subject, "grp": group, "teacher": author, "seq": None, "kind": "", "period": "",
            "last_seen": None, "days_late": None, "file": rec.file}
    for m in messages:
        day = m.date.isoformat()
        seen[(day, m.student)] = seq = seen.get((day, m.student), 0) + 1
        row = {"class": rec.class_name, "subject": subject, "grp": group, "author": author,
               "student": m.student, "date": day, "seq": seq, "text": m.text, "first_seen": stamp,
               "cell": m.cell}
        before = old.pop((day, m.student, seq), None)
        if before is None:
            inserts.append(row)
        elif before["text"] != m.text:
            updates.append({**row, "id": before["id"]})
            changes.append({**base, "change": "correction", "student": m.student, "lesson_date": day,
                            "old_value": before["text"], "new_value": m.text,
                            "first_seen": before["first_seen"], "cell": m.cell})
    for (day, student, _seq), before in old.items():
        changes.append({**base, "change": "removal", "student": student, "lesson_date": day,
                        "old_value": before["text"], "new_value": None,
                        "first_seen": before["first_seen"], "cell": ""})
    store.write_messages(conn, inserts, updates, [int(str(r["id"])) for r in old.values()])
    store.insert_changes(conn, changes)


def write_events(conn: sqlite3.Connection, source: str, class_name: str | None,
                 events: list[tuple[str, str, str]], stamp: str) -> None:
    """Make the stored events of ``source`` (one class's, or the settings' for ``class_name``
    None) the given (class, ISO date, title); unchanged ones keep when they were first seen."""
    old = {(str(r["class"]), str(r["date"]), str(r["title"])): int(str(r["id"]))
           for r in store.stored_events(conn, source, class_name)}
    inserts: list[dict[str, object]] = []
    for key in dict.fromkeys(events):
        if old.pop(key, None) is None:
            inserts.append({"source": source, "class": key[0], "date": key[1], "title": key[2],
                            "first_seen": stamp})
    store.write_events(conn, inserts, list(old.values()))


def school_event_rows(settings: Settings) -> list[tuple[str, str, str]]:
    """(class or '' for the whole school, ISO date, title) of the settings' events."""
    return [(c, e.date.isoformat(), e.title) for e in settings.events for c in (e.classes or ("",))]


def _apply_subject(conn: sqlite3.Connection, rec: SubjectRecords, now: dt.datetime,
                   merge_id: int, sha256: str, confirm_removals: bool,
                   share: float) -> ApplyOutcome:
    seen = store.last_observed(conn, KIND_SUBJECT, *rec.key)
    observed = dt.datetime.fromisoformat(seen).date() if seen else None
    state = store.subject_state(conn, *rec.key)
    lost = lost_lessons(rec, state)
    if lost:
        return ApplyOutcome(REJECTED, finding=lost_lessons_finding(rec, lost))
    plan = plan_subject(rec, state, now, merge_id, observed=observed)
    removed, merged, held = removals_check(rec, state, plan, share)
    if held is not None and not confirm_removals:
        return ApplyOutcome(HELD, removed_marks=removed, merged_marks=merged, finding=held)
    with store.transaction(conn):
        if rec.new_students:
            store.add_students(conn, rec.class_name, rec.new_students)
        store.write_subject(conn, plan)
        store.save_workbook_row(conn, kind=KIND_SUBJECT, class_name=rec.class_name,
                                subject=rec.subject, group=rec.group, teacher=rec.teacher,
                                file=rec.file, sha256=sha256, merge_id=merge_id)
    return ApplyOutcome(MERGED, changes=len(plan.changes), removed_marks=removed,
                        merged_marks=merged)


def removals_check(rec: SubjectRecords, state: dict[str, dict], plan: Any,
                   share: float) -> tuple[int, int, Finding | None]:
    """(marks the workbook would remove, marks merged before, the W06 finding that holds it).

    A workbook that would remove more than ``share`` of its merged marks (and at least
    :data:`MIN_HELD_REMOVALS`) is held until the coordinator confirms the removals.
    """
    removed = sum(1 for c in plan.changes if c["entity"] == "mark" and c["change"] == "removal")
    merged = len(state["marks"])
    if not merged or removed < MIN_HELD_REMOVALS or removed <= share * merged:
        return removed, merged, None
    message = (
        f"файл удалил бы {removed} из {merged} уже принятых отметок ({removed / merged:.0%}). "
        "Возможно, на место журнала положили старую копию. Проверьте файл; если удаление "
        "верно, повторите сбор журналов с подтверждением удалений (руководство, раздел 3)"
    )
    return removed, merged, error("W06", message, file=rec.file, teacher=rec.teacher)


def lost_lessons(rec: SubjectRecords, state: dict[str, dict]) -> list[tuple[dt.date, int]]:
    """Lessons missing from the workbook's grid (deleted columns) that the dataset holds data for.

    Marks, absences, topics or homework already merged for such a lesson would be taken
    as removed; the workbook is rejected instead. Lessons of one day are numbered in
    column order, so when one of two columns of a day is gone the data of either may
    shift: any data of that day counts.
    """
    if not rec.missing_lessons:
        return []
    held = {day for _student, day, _seq, _position in state["marks"]}
    held.update(day for _student, day, _seq in state["attendance"])
    held.update(day for (day, _seq), row in state["lessons"].items()
                if row["topic"] or row["homework"])
    return [(day, seq) for day, seq in rec.missing_lessons if day.isoformat() in held]


def lost_lessons_finding(rec: SubjectRecords, lost: list[tuple[dt.date, int]]) -> Finding:
    """The error (D07) that rejects a workbook whose deleted lesson columns held merged data."""
    message = (f"столбцы уроков {days_text(lost)} удалены из журнала, а их отметки уже в "
               "общей базе. Верните столбцы или попросите у ответственного за ЭЖ свежую книгу"
               if len(lost) > 1 else
               f"столбец урока {days_text(lost)} удалён из журнала, а его отметки уже в "
               "общей базе. Верните столбец или попросите у ответственного за ЭЖ свежую книгу")
    return error(MISSING_LESSONS, message, file=rec.file, sheet=SHEET_GRID, date=lost[0][0],
                 teacher=rec.teacher)


def plan_subject(rec: SubjectRecords, state: dict[str, dict], now: dt.datetime, merge_id: int,
                 *, observed: dt.date | None) -> store.SubjectPlan:
    """Compare a validated subject workbook with the dataset and list what to write.

    ``observed`` is the day the workbook was last observed by an earlier merge (None for
    its first merge): a new mark whose deadline had passed by then is a late entry.
    """
    stamp = store.now_text(now)
    today = now.date()
    plan = store.SubjectPlan(key=rec.key, merge_id=merge_id)
    base = {"merge_id": merge_id, "detected_at": stamp, "class": rec.class_name,
            "subject": rec.subject, "grp": rec.group, "teacher": rec.teacher, "file": rec.file,
            "student": "", "lesson_date": None, "seq": None, "kind": "", "period": "",
            "old_value": None, "new_value": None, "first_seen": None, "last_seen": None,
            "days_late": None, "cell": ""}

    def change(what: str, entity: str, **values: object) -> None:
        plan.changes.append({**base, "change": what, "entity": entity, **values})

    lessons = {(les.date.isoformat(), les.seq): les for les in rec.lessons}
    old_lessons = state["lessons"]
    for (day, seq), les in lessons.items():
        old = old_lessons.get((day, seq))
        row: dict[str, object] = {
            "date": day, "seq": seq, "period": les.period, "kind": les.kind, "topic": les.topic,
            "homework": les.homework, "teacher": les.teacher or rec.teacher,
            "substitute": les.substitute,
        }
        for name in ("topic", "homework"):
            new_text = str(row[name])
            old_text = str(old[name]) if old else ""
            old_seen = old[f"{name}_first_seen"] if old else None
            row[f"{name}_first_seen"] = (
                None if not new_text else old_seen if old_text == new_text and old_seen else stamp)
            if old_text and old_text != new_text and les.date < today:
                change("correction" if new_text else "removal", name, lesson_date=day, seq=seq,
                       kind=les.kind, period=les.period, old_value=old_text,
                       new_value=new_text or None, first_seen=old_seen,
                       cell=les.topic_cell if name == "topic" else les.homework_cell)
        plan.lessons.append(row)
    plan.lesson_deletes = [k for k in old_lessons if k not in lessons]

    # marks
    old_marks = state["marks"]
    seen: set[tuple[object, ...]] = set()
    iso = {les.date: day for (day, _seq), les in lessons.items()}

    def where(m: MarkRecord, day: str) -> dict[str, object]:
        lesson: LessonRecord | None = lessons.get((day, m.seq))
        return {"student": m.student, "lesson_date": day, "seq": m.seq,
                "kind": lesson.kind if lesson else "", "period": lesson.period if lesson else "",
                "cell": m.cell}

    for m in rec.marks:
        day = iso.get(m.date) or m.date.isoformat()
        key = (m.student, day, m.seq, m.position)
        seen.add(key)
        old = old_marks.get(key)
        if old is None:
            plan.mark_inserts.append({"student": m.student, "date": day, "seq": m.seq,
                                      "position": m.position, "value": m.value,
                                      "weight": m.weight, "cell": m.cell, "first_seen": stamp,
                                      "last_seen": stamp})
            if observed is None:
                continue
            lesson = lessons.get((day, m.seq))
            late = (observed - m.date).days - (lesson.allowed_days if lesson else 1)
            if late > 0:
                change("late_entry", "mark", new_value=str(m.value), first_seen=stamp,
                       days_late=late, **where(m, day))
        elif old["value"] != m.value:
            change("correction", "mark", old_value=str(old["value"]), new_value=str(m.value),
                   first_seen=old["first_seen"], last_seen=old["last_seen"], **where(m, day))
            plan.mark_updates.append({"id": old["id"], "value": m.value, "weight": m.weight,
                                      "cell": m.cell, "first_seen": stamp, "last_seen": stamp})
        else:
            plan.mark_updates.append({"id": old["id"], "value": m.value, "weight": m.weight,
                                      "cell": m.cell, "first_seen": old["first_seen"],
                                      "last_seen": stamp})
    for mark_key, old in old_marks.items():
        if mark_key not in seen:
            student, day, seq, _pos = mark_key
            les_row = old_lessons.get((day, seq)) or {}
            change("removal", "mark", student=student, lesson_date=day, seq=seq,
                   kind=les_row.get("kind", ""), period=les_row.get("period", ""),
                   old_value=str(old["value"]), first_seen=old["first_seen"],
                   last_seen=old["last_seen"], cell=old["cell"])
            plan.mark_deletes.append(old["id"])

    # attendance and final marks: a value per key, corrected or removed as a whole
    _diff_values(
        [((a.student, a.date.isoformat(), a.seq),
          {"student": a.student, "date": a.date.isoformat(), "seq": a.seq, "code": a.code,
           "cell": a.cell}) for a in rec.attendance],
        state["attendance"], field="code", entity="attendance", stamp=stamp, change=change,
        where=lambda k: {"student": k[0], "lesson_date": k[1], "seq": k[2]},
        inserts=plan.attendance_inserts, updates=plan.attendance_updates,
        deletes=plan.attendance_deletes)
    _diff_values(
        [((f.student, f.kind, f.period),
          {"student": f.student, "kind": f.kind, "period": f.period, "value": f.value,
           "cell": f.cell}) for f in rec.finals],
        state["finals"], field="value", entity="final_mark", stamp=stamp, change=change,
        where=lambda k: {"student": k[0], "kind": k[1], "period": k[2]},
        inserts=plan.final_inserts, updates=plan.final_updates, deletes=plan.final_deletes)
    return plan


# ---------------------------------------------------------------------------
# read → validate → apply for a whole school folder
# ---------------------------------------------------------------------------



def _diff_values(entries: list[tuple[tuple[Any, ...], dict[str, Any]]], old_rows: dict[Any, dict],
                 *, field: str, entity: str, stamp: str, change: Callable[..., None],
                 where: Callable[[tuple[Any, ...]], dict[str, Any]], inserts: list[dict],
                 updates: list[dict], deletes: list[int]) -> None:
    """Compare keyed values with the dataset's: new ones are inserted, changed ones are
    corrections, missing ones removals; ``first_seen`` survives while a value stays the same."""
    seen = set()
    for key, row in entries:
        seen.add(key)
        old = old_rows.get(key)
        if old is None:
            inserts.append({**row, "first_seen": stamp, "last_seen": stamp})
            continue
        first_seen = old["first_seen"]
        if old[field] != row[field]:
            change("correction", entity, old_value=old[field], new_value=row[field],
                   first_seen=old["first_seen"], last_seen=old["last_seen"], cell=row["cell"],
                   **where(key))
            first_seen = stamp
        updates.append({"id": old["id"], field: row[field], "cell": row["cell"],
                        "first_seen": first_seen, "last_seen": stamp})
    for key, old in old_rows.items():
        if key not in seen:
            change("removal", entity, old_value=old[field], first_seen=old["first_seen"],
                   last_seen=old["last_seen"], cell=old["cell"], **where(key))
            deletes.append(old["id"])

def validate_read(raw: object, settings: Settings, file: str, conn: sqlite3.Connection | None,
                  class_lists: dict[str, list[KnownStudent]] | None = None,
                  today: dt.date | None = None) -> Validated:
    """Validate one read workbook; a subject workbook is checked against its class list.

    The class list comes from ``class_lists`` (class workbooks checked in the same run)
    or from the dataset ``conn`` (the class workbook merged before); None when neither has it.
    """
    view = view_from_raw(raw)
    if isinstance(view, ClassView):
        return validate_class(view, settings, file=file)
    school_class = settings.school_class(view.meta.class_name)
    class_list: list[KnownStudent] | None = None
    if school_class is not None:
        if class_lists is not None and school_class.name in class_lists:
            class_list = class_lists[school_class.name]
        elif conn is not None and store.workbook_row(conn, KIND_CLASS, school_class.name):
            groups = store.class_groups(conn, school_class.name)
            class_list = [
                KnownStudent(name, _date(row["joined"]), _date(row["left_on"]),
                             tuple(sorted(groups.get(name, {}).items())))
                for name, row in store.class_students(conn, school_class.name).items()]
    return validate_subject(view, settings, class_list, file=file, today=today)


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


def known_students(records: ClassRecords) -> list[KnownStudent]:
    """The class list of validated class records, as subject validation needs it."""
    return [KnownStudent(s.full_name, s.joined, s.left, s.groups) for s in records.students]


def merge_school(school: SchoolFolder, settings: Settings, *, now: dt.datetime | None = None,
                 confirm_removals: bool = False, progress: Progress | None = None,
                 confirm_gone: Sequence[str] = ()) -> MergeResult:
    """Validate every workbook of the school folder and merge the valid ones.

    Class workbooks go first (subject workbooks are checked against their class lists),
    then subject workbooks; each accepted workbook is written in its own transaction.
    Files whose SHA-256 equals their last accepted version are not read again.
    A workbook merged before whose file is no longer in the folder keeps its data and is
    named (``W09``) at every merge until its file is listed in ``confirm_gone``.
    ``progress(done, total, file)`` is called as files are read and merged.
    """
    now = now or dt.datetime.now()
    stamp = store.now_text(now)
    with merge_lock(school.store_path) as held:
        backup_before_merge(school.store_path, school.backups_dir, now=now,
                            **rotation_dates(settings, now.date()))
        conn = store.connect(school.store_path)
        try:
            result = _merge(conn, school, settings, now, stamp, confirm_removals, progress,
                            confirm_gone)
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


def _merge(conn: sqlite3.Connection, school: SchoolFolder, settings: Settings, now: dt.datetime,
           stamp: str, confirm_removals: bool, progress: Progress | None,
           confirm_gone: Sequence[str] = ()) -> MergeResult:
    merge_id = store.begin_merge(conn, stamp, tool_version)
    result = MergeResult(merge_id=merge_id, started_at=stamp)
    paths = school.input_files()
    total = len(paths) * 2
    done = 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, name)

    fingerprint = settings_fingerprint(settings)
    store.set_settings_hash(conn, merge_id, fingerprint)
    with store.transaction(conn):
        write_events(conn, "settings", None, school_event_rows(settings), stamp)
    # settings changed since the last merge: every workbook is read and validated again
    same_settings = store.last_settings_hash(conn, merge_id) in (fingerprint, "")
    accepted = store.accepted_hashes(conn) if same_settings else {}
    to_read: list[Path] = []
    outcomes: dict[str, FileOutcome] = {}
    keys: dict[tuple[str, str, str, str], list[str]] = {}
    for path in paths:
        name = display_name(path, school.root)
        sha = file_sha256(path)
        if accepted.get(name) == sha:
            row = store.workbook_by_file(conn, name) or {}
            outcome = FileOutcome(
                name, UNCHANGED, sha, str(row.get("kind", "")), str(row.get("class", "")),
                str(row.get("subject", "")), str(row.get("grp", "")), str(row.get("teacher", "")),
                findings=[_finding_of(f) for f in store.stored_findings(conn, name)])
            outcomes[name] = outcome
            keys.setdefault(_key_of(outcome), []).append(name)
            tick(name)
            tick(name)
        else:
            to_read.append(path)

    pending: list[tuple[str, object, list[Finding], str]] = []
    for path, result_of_read in _read_in_batches(to_read, school.root, tick):
        name = display_name(path, school.root)
        findings = list(result_of_read.findings)
        sha = result_of_read.sha256 or file_sha256(path)
        raw = result_of_read.workbook
        if raw is None or has_errors(findings):
            outcomes[name] = FileOutcome(name, UNREADABLE if raw is None else REJECTED, sha,
                                         findings=findings)
            tick(name)
            continue
        meta = raw.meta
        outcome = FileOutcome(name, REJECTED, sha, meta.kind, meta.class_name, meta.subject,
                              meta.group, meta.teacher, findings=findings)
        school_class = settings.school_class(meta.class_name)
        if school_class is not None:
            outcome.class_name = school_class.name
        outcome.teacher = outcome.teacher or _teacher_from_settings(settings, meta)
        outcomes[name] = outcome
        keys.setdefault(_key_of(outcome), []).append(name)
        pending.append((name, _hold(raw) if len(to_read) > READ_BATCH else raw, findings, sha))

    # a second workbook for the same class × subject × group
    for key, names in keys.items():
        if len(names) < 2:
            continue
        for name in names:
            outcome = outcomes[name]
            if outcome.status == UNCHANGED:
                continue
            others = ", ".join(f"«{n}»" for n in names if n != name)
            what = "класса" if key[0] == KIND_CLASS else "этого класса, предмета и группы"
            outcome.findings.append(error(
                "W04", f"есть ещё один файл {what}: {others}. Оставьте в папке один файл — "
                       "тот, в котором учитель работает, — остальные уберите",
                file=name, teacher=outcome.teacher))

    # class workbooks first, then subject workbooks
    pending.sort(key=lambda p: 0 if outcomes[p[0]].kind == KIND_CLASS else 1)
    for name, held, _findings, sha in pending:
        outcome = outcomes[name]
        if not has_errors(outcome.findings):
            validated = validate_read(_unhold(held), settings, name, conn, today=now.date())
            outcome.findings.extend(validated.findings)
            if validated.records is not None and not validated.has_errors:
                records = validated.records
                if isinstance(records, SubjectRecords):
                    outcome.teacher = records.teacher
                    outcome.subject, outcome.group = records.subject, records.group
                else:
                    outcome.teacher = records.class_teacher
                try:
                    applied = apply(conn, records, now, merge_id=merge_id, sha256=sha,
                                    confirm_removals=confirm_removals,
                                    large_removal_share=settings.norms.large_removal_share)
                except sqlite3.IntegrityError as exc:  # a program fault: keep the other files
                    applied = ApplyOutcome(REJECTED, finding=error(
                        "W07", f"файл не удалось записать в общую базу ({exc}); прежние данные "
                               "сохранены. Это ошибка программы: сообщите разработчикам",
                        file=name, teacher=outcome.teacher))
                outcome.status = applied.status
                outcome.changes = applied.changes
                if applied.finding is not None:
                    if applied.finding.code == MISSING_LESSONS:  # the error replaces the warning
                        outcome.findings = [f for f in outcome.findings if f.code != MISSING_LESSONS]
                    outcome.findings.append(applied.finding)
        outcome.findings = [_with_teacher(f, outcome.teacher) for f in outcome.findings]
        tick(name)

    for lock in school.lock_files():
        outcome = lock_outcome(lock, school, outcomes)
        outcomes[outcome.file] = outcome
    result.notices.extend(_gone_workbooks(conn, outcomes, confirm_gone))

    for name in sorted(outcomes):
        outcome = outcomes[name]
        if outcome.status != UNCHANGED:
            outcome.findings = [_with_teacher(f, outcome.teacher) for f in outcome.findings]
        store.record_merge_file(
            conn, merge_id,
            {"file": name, "sha256": outcome.sha256, "kind": outcome.kind,
             "class": outcome.class_name, "subject": outcome.subject, "grp": outcome.group,
             "teacher": outcome.teacher, "status": outcome.status, "errors": outcome.errors,
             "warnings": outcome.warnings, "changes": outcome.changes},
            None if outcome.status == UNCHANGED else [_row_of(f) for f in outcome.findings],
        )
    result.files = [outcomes[p] for p in sorted(outcomes, key=_file_order(outcomes))]
    counts = {status: result.count(status) for status in STATUS_RU}
    files = json.dumps([{"file": o.file, "sha256": o.sha256, "status": o.status}
                        for o in result.files], ensure_ascii=False)
    store.finish_merge(conn, merge_id, store.now_text(now), files, counts)
    return result


def _gone_workbooks(conn: sqlite3.Connection, outcomes: dict[str, FileOutcome],
                    confirm_gone: Sequence[str]) -> list[str]:
    """Add a GONE (or, when confirmed, REMOVED) outcome for each accepted workbook whose file
    is no longer in the folder; notices for names in ``confirm_gone`` that match none."""
    confirmed = store.confirmed_gone(conn)
    wanted = {_gone_key(name): name for name in confirm_gone}
    matched: set[str] = set()
    for row in store.accepted_workbooks(conn):
        file, sha = str(row["file"]), str(row["sha256"])
        if file in outcomes or (file, sha) in confirmed:
            continue
        outcome = FileOutcome(file, GONE, sha, str(row["kind"]), str(row["class"]),
                              str(row["subject"]), str(row["grp"]), str(row["teacher"]))
        keys = {_gone_key(file), _gone_key(Path(file).name)}
        hit = keys & wanted.keys()
        if hit:
            matched |= hit
            outcome.status = REMOVED
        else:
            seen = str(row["last_seen"] or "")
            when = f" (последний раз — {dt.date.fromisoformat(seen[:10]):%d.%m.%Y})" if seen else ""
            outcome.findings.append(warning(
                WORKBOOK_GONE,
                f"журнал уже был принят в общую базу{when}, но его файла «{Path(file).name}» "
                "больше нет в папке. Его отметки, пропуски и уроки сохранены в базе. Если файл "
                "убрали или переименовали по ошибке, верните его на место; если журнал убран "
                f"намеренно, подтвердите это: journal merge --confirm-gone \"{Path(file).name}\"",
                file=file, teacher=outcome.teacher))
        outcomes[file] = outcome
    return [f"«{wanted[key]}» не найден среди принятых журналов, которых нет в папке: "
            "подтверждать нечего. Проверьте имя файла" for key in wanted.keys() - matched]


def _gone_key(name: str) -> str:
    return " ".join(name.replace("\\", "/").split()).lower()


def lock_outcome(lock: LockFile, school: SchoolFolder, outcomes: dict[str, FileOutcome]) -> FileOutcome:
    """A lock file beside a workbook: skipped with a warning (R12) for the workbook's teacher.

    The workbook is open in Excel or LibreOffice somewhere: what the merge took is its
    last saved version.
    """
    name = display_name(lock.path, school.root)
    if lock.workbook is None:
        message = (f"служебный файл {lock.program} остался без своей книги (книгу переместили "
                   f"или {lock.program} закрылся аварийно). Если книга нигде не открыта, "
                   "удалите этот файл")
        return FileOutcome(name, SKIPPED, findings=[warning(LOCK_FILE, message, file=name)])
    workbook = display_name(lock.workbook, school.root)
    message = (f"книга «{lock.workbook.name}» сейчас открыта в {lock.program} на каком-то "
               "компьютере (рядом лежит этот служебный файл); в общую базу взята её последняя "
               "сохранённая версия. Попросите учителя сохранить и закрыть книгу и соберите "
               "журналы ещё раз; если книга уже нигде не открыта, удалите этот файл")
    outcome = FileOutcome(name, SKIPPED, findings=[warning(LOCK_FILE, message, file=name)])
    book = outcomes.get(workbook)
    if book is not None:
        outcome.kind, outcome.class_name, outcome.subject = book.kind, book.class_name, book.subject
        outcome.group, outcome.teacher = book.group, book.teacher
    return outcome


def _read_in_batches(paths: list[Path], root: Path,
                     tick: Callable[[str], None]) -> Iterator[tuple[Path, ReadResult]]:
    """Read ``paths`` on the worker pool, :data:`READ_BATCH` files at a time."""
    for start in range(0, len(paths), READ_BATCH):
        batch = paths[start:start + READ_BATCH]
        read = read_workbooks_safely(batch, root=root, progress=lambda _d, _t, file: tick(file))
        yield from zip(batch, read, strict=True)


def _hold(raw: object) -> bytes:
    """A read workbook kept as pickled bytes until validated (~45 KB instead of ~260 KB).

    A district merge reads thousands of workbooks before validating the first one
    (a duplicate found late must reject both files): holding them as objects would
    take gigabytes.
    """
    return pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL)


def _unhold(held: object) -> object:
    return pickle.loads(held) if isinstance(held, bytes) else held


def _teacher_from_settings(settings: Settings, meta: WorkbookMeta) -> str:
    """Whose workbook it is by the settings, when its ``_meta`` names no teacher."""
    if meta.kind == KIND_CLASS:
        school_class = settings.school_class(meta.class_name)
        return school_class.class_teacher if school_class else ""
    item = settings.curriculum_item(meta.class_name, meta.subject, meta.group)
    return item.teacher if item else ""


def _file_order(outcomes: dict[str, FileOutcome]) -> Callable[[str], tuple[int, str]]:
    return lambda name: (0 if outcomes[name].kind == KIND_CLASS else 1, name)


def _key_of(outcome: FileOutcome) -> tuple[str, str, str, str]:
    return (outcome.kind, normalise_class_name(outcome.class_name),
            outcome.subject.strip().lower(), outcome.group.strip().lower())


def _with_teacher(finding: Finding, teacher: str) -> Finding:
    if finding.teacher or not teacher:
        return finding
    return replace(finding, teacher=teacher)


def _row_of(finding: Finding) -> dict[str, object]:
    row = finding.as_dict()
    row["date"] = finding.date.isoformat() if finding.date else None
    return row


def _finding_of(row: dict[str, object]) -> Finding:
    date = row.get("date")
    return Finding(code=str(row["code"]), severity=Severity(str(row["severity"])),
                   message=str(row["message"]), file=str(row["file"]),
                   sheet=str(row["sheet"] or ""), cell=str(row["cell"] or ""),
                   student=str(row["student"] or ""),
                   date=dt.date.fromisoformat(str(date)) if date else None,
                   teacher=str(row["teacher"] or ""))


def changes_of_merge(school: SchoolFolder, merge_id: int) -> list[dict[str, object]]:
    """The history rows a merge added (for the coordinator's summary)."""
    with store.opened(school.store_path) as conn:
        return store.changes_of_merge(conn, merge_id)


def _is_inside(path: Path, root: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, base]) == base


def _class_lists_in_folder(school: SchoolFolder, settings: Settings,
                           classes: set[str]) -> dict[str, list[KnownStudent]]:
    """The class lists a merge would check these classes' subject workbooks against: those of
    the class workbooks in the school folder that a merge would accept."""
    if not classes:
        return {}
    wanted = {normalise_class_name(c) for c in classes}
    paths = [p for p in school.input_files() if _is_inside(p, school.classes_dir)]
    lists: dict[str, list[KnownStudent]] = {}
    for path, result in zip(paths, read_workbooks_safely(paths, root=school.root), strict=True):
        raw = result.workbook
        if raw is None or raw.meta.kind != KIND_CLASS or has_errors(result.findings):
            continue
        if normalise_class_name(raw.meta.class_name) not in wanted:
            continue
        validated = validate_read(raw, settings, display_name(path, school.root), None)
        if isinstance(validated.records, ClassRecords) and not validated.has_errors:
            lists[validated.records.class_name] = known_students(validated.records)
    return lists


def _held_at_merge(conn: sqlite3.Connection, rec: SubjectRecords, settings: Settings) -> Finding | None:
    """The W06 finding with which a merge would hold this workbook now, if it would."""
    state = store.subject_state(conn, *rec.key)
    now = dt.datetime.combine(settings.today or dt.date.today(), dt.time())
    seen = store.last_observed(conn, KIND_SUBJECT, *rec.key)
    observed = dt.datetime.fromisoformat(seen).date() if seen else None
    plan = plan_subject(rec, state, now, 0, observed=observed)
    return removals_check(rec, state, plan, settings.norms.large_removal_share)[2]


def check_files(paths: list[Path], settings: Settings, *, school: SchoolFolder | None = None,
                progress: Progress | None = None) -> list[FileOutcome]:
    """Validate workbooks without merging; status ``merged`` here means «would be accepted».

    Subject workbooks are checked against the class lists of class workbooks given in
    the same call, else against the class lists in the school's dataset (when it exists).
    """
    root = school.root if school else None
    conn = None
    if school is not None and school.store_path.exists():
        conn = store.connect(school.store_path, readonly=True)
    try:
        # A teacher's file may be checked where it lies (a flash drive, the downloads):
        # only a merge insists that workbooks sit inside the school folder.
        inside = root is not None and all(_is_inside(p, root) for p in paths)
        read = read_workbooks_safely(paths, root=root if inside else None, progress=progress)
        outcomes: list[FileOutcome] = []
        pending: list[tuple[FileOutcome, object]] = []
        for path, result_of_read in zip(paths, read, strict=True):
            name = display_name(path, root)
            raw = result_of_read.workbook
            outcome = FileOutcome(name, REJECTED, result_of_read.sha256,
                                  findings=list(result_of_read.findings))
            outcomes.append(outcome)
            if raw is None:
                outcome.status = UNREADABLE
                continue
            meta = raw.meta
            outcome.kind, outcome.class_name = meta.kind, meta.class_name
            outcome.subject, outcome.group = meta.subject, meta.group
            outcome.teacher = meta.teacher or _teacher_from_settings(settings, meta)
            pending.append((outcome, raw))
        keys: dict[tuple[str, str, str, str], list[FileOutcome]] = {}
        for outcome, _raw in pending:
            keys.setdefault(_key_of(outcome), []).append(outcome)
        for same in keys.values():
            for outcome in same if len(same) > 1 else []:
                others = ", ".join(f"«{o.file}»" for o in same if o is not outcome)
                outcome.findings.append(error(
                    "W04", f"есть ещё один файл того же журнала: {others}. Оставьте один файл",
                    file=outcome.file, teacher=outcome.teacher))
        class_lists: dict[str, list[KnownStudent]] = {}
        if school is not None:
            given = {o.class_name for o, _raw in pending if o.kind == KIND_CLASS}
            wanted = {o.class_name for o, _raw in pending if o.kind == KIND_SUBJECT} - given
            class_lists.update(_class_lists_in_folder(school, settings, wanted))
        pending.sort(key=lambda p: 0 if p[0].kind == KIND_CLASS else 1)
        for outcome, raw in pending:
            validated = validate_read(raw, settings, outcome.file, conn, class_lists)
            outcome.findings.extend(validated.findings)
            records = validated.records
            if conn is not None and isinstance(records, SubjectRecords) and records.missing_lessons:
                lost = lost_lessons(records, store.subject_state(conn, *records.key))
                if lost:
                    outcome.findings = [f for f in outcome.findings if f.code != MISSING_LESSONS]
                    outcome.findings.append(lost_lessons_finding(records, lost))
            if isinstance(validated.records, ClassRecords):
                class_lists[validated.records.class_name] = known_students(validated.records)
            if validated.records is not None and not has_errors(outcome.findings):
                outcome.status = MERGED
                if conn is not None and isinstance(records, SubjectRecords):
                    held = _held_at_merge(conn, records, settings)
                    if held is not None:
                        outcome.status = HELD
                        outcome.findings.append(held)
            outcome.findings = [_with_teacher(f, outcome.teacher) for f in outcome.findings]
        return outcomes
    finally:
        if conn is not None:
            conn.close()


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
        _gone_workbooks(conn, by_file, ())
    return outcomes + [o for name, o in sorted(by_file.items()) if o not in outcomes]
