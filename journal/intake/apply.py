"""The write stage: one validated, planned workbook into the dataset, in one transaction.

Only the merging process writes (the reading workers read, validate and plan); every
write goes through :func:`journal.dataset.store.transaction`, so the hash chain covers it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from journal import __version__ as tool_version
from journal.core.findings import Finding
from journal.dataset import store
from journal.intake.outcomes import MERGED
from journal.intake.plan import plan_workbook, read_state
from journal.intake.validation import ClassRecords, MessageRow, SubjectRecords
from journal.school.settings import Settings
from journal.workbooks.format import KIND_CLASS, KIND_SUBJECT


@dataclass
class ApplyOutcome:
    """What applying one workbook did: its status, how many changes, why it was not written."""

    status: str
    changes: int = 0
    removed_marks: int = 0
    merged_marks: int = 0
    finding: Finding | None = None


@dataclass(frozen=True)
class SubjectIdentity:
    """What the write stage needs of a subject workbook besides its plan."""

    file: str
    class_name: str
    subject: str
    group: str
    teacher: str
    new_students: tuple[str, ...] = ()
    messages: tuple[MessageRow, ...] = ()  # the workbook's messages to the class or a family

    @classmethod
    def of(cls, rec: SubjectRecords) -> SubjectIdentity:
        """The identity of validated records."""
        return cls(rec.file, rec.class_name, rec.subject, rec.group, rec.teacher,
                   tuple(rec.new_students), tuple(rec.messages))


def write_class(conn: sqlite3.Connection, rec: ClassRecords, merge_id: int, sha256: str) -> None:
    """Write a validated class workbook (its class list replaces the old one), one transaction."""
    with store.transaction(conn):
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
        stamp = store.merge_started_at(conn, merge_id)
        write_events(conn, "class", rec.class_name,
                     [(rec.class_name, e.date.isoformat(), e.title) for e in rec.events], stamp)
        write_messages(conn, MessageAuthor(rec.file, rec.class_name, "", "", rec.class_teacher),
                       rec.messages, stamp, merge_id)
        store.save_workbook_row(conn, kind=KIND_CLASS, class_name=rec.class_name, subject="",
                                group="", teacher=rec.class_teacher, file=rec.file, sha256=sha256,
                                merge_id=merge_id)


def write_subject(conn: sqlite3.Connection, who: SubjectIdentity, plan: store.SubjectPlan,
                  merge_id: int, sha256: str) -> None:
    """Carry out a subject workbook's plan, one transaction."""
    with store.transaction(conn):
        if who.new_students:
            store.add_students(conn, who.class_name, list(who.new_students))
        store.write_subject(conn, plan)
        write_messages(conn, MessageAuthor(who.file, who.class_name, who.subject, who.group, who.teacher),
                       who.messages, store.merge_started_at(conn, merge_id), merge_id)
        store.save_workbook_row(conn, kind=KIND_SUBJECT, class_name=who.class_name,
                                subject=who.subject, group=who.group, teacher=who.teacher,
                                file=who.file, sha256=sha256, merge_id=merge_id)


def apply(conn: sqlite3.Connection, records: SubjectRecords | ClassRecords, now: dt.datetime, *,
          merge_id: int | None = None, sha256: str = "", confirm_removals: bool = False,
          large_removal_share: float = 0.2) -> ApplyOutcome:
    """Plan and write one validated workbook as of ``now`` in this process (tests, tools).

    Without ``merge_id`` a merge row is created (and finished) for this call alone.
    A subject workbook that would remove more than ``large_removal_share`` of its
    already merged marks is held (nothing written) unless ``confirm_removals``.
    """
    own_merge = merge_id is None
    stamp = store.now_text(now)
    if merge_id is None:
        merge_id = store.begin_merge(conn, stamp, tool_version)
    if isinstance(records, ClassRecords):
        write_class(conn, records, merge_id, sha256)
        outcome = ApplyOutcome(MERGED)
    else:
        state, observed = read_state(conn, records)
        planned = plan_workbook(records, state, observed, now, merge_id,
                                share=large_removal_share, confirm_removals=confirm_removals)
        outcome = outcome_of(planned.plan, planned.findings, planned.held,
                             planned.removed_marks, planned.merged_marks)
        if planned.plan is not None:
            write_subject(conn, SubjectIdentity.of(records), planned.plan, merge_id, sha256)
    if own_merge:
        files = json.dumps([{"file": records.file, "sha256": sha256, "status": outcome.status}],
                           ensure_ascii=False)
        store.finish_merge(conn, merge_id, stamp, files, {outcome.status: 1})
    return outcome


@dataclass(frozen=True)
class MessageAuthor:
    """Whose messages a workbook holds: its file, class, subject and group ("" for the class
    teacher's workbook) and the teacher who writes them."""

    file: str
    class_name: str
    subject: str
    group: str
    teacher: str


def write_messages(conn: sqlite3.Connection, author: MessageAuthor, messages: Sequence[MessageRow],
                   stamp: str, merge_id: int) -> None:
    """Make the workbook's merged messages what it holds now; an edited or removed message
    is a ``correction`` / ``removal`` change of entity ``message`` (inside a transaction)."""
    old = {(str(r["date"]), str(r["student"]), int(str(r["seq"]))): r
           for r in store.stored_messages(conn, author.class_name, author.subject, author.group)}
    seen: dict[tuple[str, str], int] = {}
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    base = {"merge_id": merge_id, "detected_at": stamp, "entity": "message",
            "class": author.class_name, "subject": author.subject, "grp": author.group,
            "teacher": author.teacher, "seq": None, "kind": "", "period": "", "last_seen": None,
            "days_late": None, "file": author.file}
    for m in messages:
        day = m.date.isoformat()
        seen[(day, m.student)] = seq = seen.get((day, m.student), 0) + 1
        row = {"class": author.class_name, "subject": author.subject, "grp": author.group,
               "author": author.teacher, "student": m.student, "date": day, "seq": seq,
               "text": m.text, "first_seen": stamp, "cell": m.cell}
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


def write_school_events(conn: sqlite3.Connection, settings: Settings, stamp: str) -> None:
    """The settings' events (school-wide or for some classes), one transaction."""
    rows = [(c, e.date.isoformat(), e.title) for e in settings.events for c in (e.classes or ("",))]
    with store.transaction(conn):
        write_events(conn, "settings", None, rows, stamp)


def outcome_of(plan: store.SubjectPlan | None, findings: list[Finding], held: bool,
               removed: int = 0, merged: int = 0) -> ApplyOutcome:
    """The outcome of a planned subject workbook (before its write)."""
    from journal.intake.outcomes import HELD, REJECTED

    errors = [f for f in findings if f.is_error]
    if plan is None:
        return ApplyOutcome(HELD if held else REJECTED, removed_marks=removed, merged_marks=merged,
                            finding=errors[-1] if errors else None)
    return ApplyOutcome(MERGED, changes=len(plan.changes), removed_marks=removed,
                        merged_marks=merged)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
