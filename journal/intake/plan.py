"""The history plan: what writing one validated subject workbook would change, and whether
it may be written (the second stage after validation, run in the reading workers).

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

Two rules are decided here and nowhere else: deleted lesson columns (``D07``: a warning,
or an error when the dataset holds data for them) and a workbook that would remove too
many merged marks (``W06``: held).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journal.core.findings import Finding, error, warning
from journal.dataset import store
from journal.intake.validation import MISSING_LESSONS, LessonRecord, MarkRecord, SubjectRecords, days_text
from journal.workbooks.format import KIND_SUBJECT, SHEET_GRID

MIN_HELD_REMOVALS = 3  # fewer removed marks than this never hold a workbook

State = dict[str, dict]


@dataclass
class Planned:
    """The plan stage's answer for one subject workbook.

    ``plan`` is None when the workbook must not be written: rejected (a ``D07`` error)
    or held (``W06``); ``findings`` are the stage's own (``D07``, ``W06``).
    """

    plan: store.SubjectPlan | None
    findings: list[Finding] = field(default_factory=list)
    held: bool = False
    removed_marks: int = 0
    merged_marks: int = 0


EMPTY_STATE: State = {"lessons": {}, "marks": {}, "attendance": {}, "finals": {}}


def read_state(conn: sqlite3.Connection | None, rec: SubjectRecords) -> tuple[State, dt.date | None]:
    """What the dataset holds for the workbook, and the day it was last observed (None: never)."""
    if conn is None:
        return EMPTY_STATE, None
    seen = store.last_observed(conn, KIND_SUBJECT, *rec.key)
    return store.subject_state(conn, *rec.key), dt.datetime.fromisoformat(seen).date() if seen else None


def judge_missing_lessons(rec: SubjectRecords, state: State) -> Finding | None:
    """``D07``: lesson columns of the timetable missing from the grid — an error when the
    dataset holds data for them (the workbook is rejected), else a warning."""
    if not rec.missing_lessons:
        return None
    lost = lost_lessons(rec, state)
    if lost:
        return lost_lessons_finding(rec, lost)
    return warning(MISSING_LESSONS, f"в журнале нет столбцов уроков {days_text(rec.missing_lessons)}, "
                   "хотя по расписанию они есть. Если столбцы удалили, верните их или попросите у "
                   "ответственного за ЭЖ свежую книгу", file=rec.file, teacher=rec.teacher,
                   sheet=SHEET_GRID, date=rec.missing_lessons[0][0])


def plan_workbook(rec: SubjectRecords, state: State, observed: dt.date | None, now: dt.datetime,
                  merge_id: int, *, share: float, confirm_removals: bool,
                  valid: bool = True) -> Planned:
    """The plan stage: ``D07`` for deleted columns; then, for a valid workbook, what to write
    and whether the removals hold it (``W06``, unless ``confirm_removals``)."""
    planned = Planned(None)
    missing = judge_missing_lessons(rec, state)
    if missing is not None:
        planned.findings.append(missing)
        if missing.is_error:
            return planned
    if not valid:
        return planned
    plan = plan_subject(rec, state, now, merge_id, observed=observed)
    planned.removed_marks, planned.merged_marks, held = removals_check(rec, state, plan, share)
    if held is not None and not confirm_removals:
        planned.findings.append(held)
        planned.held = True
        return planned
    planned.plan = plan
    return planned


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
            plan.mark_inserts.append((m.student, day, m.seq, m.position, m.value, m.weight,
                                      m.cell, stamp, stamp))
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
