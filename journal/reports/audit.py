"""Audit of the journal: corrections, removals, late entries, late marking and late topics.

* **Changes** come from the change history the merge keeps (``changes``): every
  correction (a value replaced), removal (a value deleted) and late entry (a value typed
  after the allowed days), with old and new value, detected in the range.
* **Written works marked late**: marks of a written kind of work (``WorkKind.written``)
  first seen more than ``norms.written_days(grade)`` days after the lesson (5 days for
  grades 2–9, 7 for 10–11 by default), for lessons in the range.
* **Topics filled late**: lessons in the range whose topic was first seen more than
  ``norms.ordinary_mark_days`` days after the lesson.

"First seen" is the moment of the merge that first found the value: the days counted
are exact when the coordinator merges every day, and can only overstate the delay.
"""

from __future__ import annotations

import pandas as pd

from ..settings import Settings
from .common import DateLike, has_text, sort_by_class, who_taught, within
from .data import Dataset

CHANGE_RU = {"correction": "исправление", "removal": "удаление", "late_entry": "запоздалая запись"}
ENTITY_RU = {"mark": "отметка", "attendance": "пропуск", "final_mark": "итоговая отметка",
             "topic": "тема урока", "homework": "домашнее задание"}
CHANGE_COLUMNS = ["detected_at", "change", "entity", "teacher", "class", "subject", "grp",
                  "student", "lesson_date", "kind", "period", "old_value", "new_value",
                  "days_late", "file", "cell"]
WRITTEN_COLUMNS = ["teacher", "class", "subject", "grp", "date", "kind", "marks", "first_seen",
                   "days", "allowed_days"]
TOPIC_COLUMNS = ["teacher", "class", "subject", "grp", "date", "topic", "first_seen", "days",
                 "allowed_days"]
SUMMARY_COLUMNS = ["teacher", "correction", "removal", "late_entry", "late_written",
                   "late_topics"]


def change_log(dataset: Dataset, start: DateLike = None, end: DateLike = None,
               class_name: str = "") -> pd.DataFrame:
    """Changes concerning the days from ``start`` to ``end``: those whose lesson date is in
    the range, and those without a lesson date (period marks) detected in the range;
    oldest first. ``change`` and ``entity`` keep the dataset's English codes (see
    ``CHANGE_RU``/``ENTITY_RU`` for the words)."""
    data = dataset.only_class(class_name)
    changes = data.changes
    if changes.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    day = pd.to_datetime(changes["lesson_date"]).fillna(
        pd.to_datetime(changes["detected_at"]).dt.normalize())
    frame = within(changes.assign(_day=day), start, end, "_day")
    frame = frame.sort_values(["detected_at", "class", "subject"], kind="stable")
    return frame[[c for c in CHANGE_COLUMNS if c in frame.columns]].reset_index(drop=True)


def _grades(settings: Settings, classes: pd.Series) -> pd.Series:
    def grade(name: object) -> int:
        found = settings.school_class(str(name))
        return found.grade if found is not None else 5
    return classes.map(grade)


def late_written_works(dataset: Dataset, settings: Settings, start: DateLike = None,
                       end: DateLike = None, class_name: str = "") -> pd.DataFrame:
    """Lessons of a written kind whose marks appeared later than allowed, one row per
    lesson with how many marks were late and the latest first-seen moment."""
    data = dataset.only_class(class_name)
    marks = within(data.marks, start, end)
    if marks.empty:
        return pd.DataFrame(columns=WRITTEN_COLUMNS)
    written = marks["kind"].map(lambda k: bool((w := settings.work_kind(str(k))) and w.written))
    marks = marks[written.astype(bool)].copy()
    if marks.empty:
        return pd.DataFrame(columns=WRITTEN_COLUMNS)
    marks["teacher"] = who_taught(marks)
    marks["days"] = (pd.to_datetime(marks["first_seen"]).dt.normalize()
                     - pd.to_datetime(marks["date"]).dt.normalize()).dt.days
    marks["allowed_days"] = _grades(settings, marks["class"]).map(settings.norms.written_days)
    late = marks[marks["days"] > marks["allowed_days"]]
    if late.empty:
        return pd.DataFrame(columns=WRITTEN_COLUMNS)
    frame = late.groupby(["teacher", "class", "subject", "grp", "date", "seq", "kind"],
                         sort=False).agg(marks=("id", "size"), first_seen=("first_seen", "max"),
                                         days=("days", "max"),
                                         allowed_days=("allowed_days", "first")).reset_index()
    return sort_by_class(frame, "subject", "date")[WRITTEN_COLUMNS]


def late_topics(dataset: Dataset, settings: Settings, start: DateLike = None,
                end: DateLike = None, class_name: str = "") -> pd.DataFrame:
    """Lessons whose topic was first seen more than ``norms.ordinary_mark_days`` days
    after the lesson."""
    data = dataset.only_class(class_name)
    lessons = within(data.lessons, start, end)
    if lessons.empty:
        return pd.DataFrame(columns=TOPIC_COLUMNS)
    lessons = lessons[has_text(lessons["topic"]) & lessons["topic_first_seen"].notna()].copy()
    lessons["teacher"] = who_taught(lessons)
    lessons["first_seen"] = pd.to_datetime(lessons["topic_first_seen"])
    lessons["days"] = (lessons["first_seen"].dt.normalize()
                       - pd.to_datetime(lessons["date"]).dt.normalize()).dt.days
    lessons["allowed_days"] = settings.norms.ordinary_mark_days
    late = lessons[lessons["days"] > lessons["allowed_days"]]
    return sort_by_class(late, "subject", "date")[TOPIC_COLUMNS]


def audit_by_teacher(changes: pd.DataFrame, written: pd.DataFrame,
                     topics: pd.DataFrame) -> pd.DataFrame:
    """Per teacher: how many corrections, removals, late entries, late written works and
    late topics (the frames of the other functions)."""
    teachers = sorted(set(changes.get("teacher", pd.Series(dtype=str)))
                      | set(written.get("teacher", pd.Series(dtype=str)))
                      | set(topics.get("teacher", pd.Series(dtype=str))))
    rows = []
    for teacher in teachers:
        mine = changes[changes["teacher"] == teacher] if not changes.empty else changes
        rows.append({
            "teacher": teacher or "—",
            **{kind: int((mine["change"] == kind).sum()) if not mine.empty else 0
               for kind in ("correction", "removal", "late_entry")},
            "late_written": int((written["teacher"] == teacher).sum()) if not written.empty else 0,
            "late_topics": int((topics["teacher"] == teacher).sum()) if not topics.empty else 0,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
