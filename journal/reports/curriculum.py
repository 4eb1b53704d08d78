"""Curriculum fulfilment (regulation 2.8): planned lessons against lessons held.

**Planned** lessons are the curriculum line's dates from the timetable
(``Settings.lesson_dates``: weekly lessons on school days, holidays skipped) inside the
range, after the one-off changes of the settings: a cancelled day (актированный день,
карантин) takes its lessons out of the plan, a moved lesson counts on its new date, an
extra lesson adds one (the columns ``cancelled``, ``moved`` and ``extra`` say how many);
**held** lessons are the lessons of the workbook with a topic written. The
**gap** is planned − held (negative when more lessons were given than planned). A planned
date is **missing** when fewer lessons with a topic were given that day than the
timetable has (two lessons planned and one held leaves one missing).
"""

from __future__ import annotations

import collections
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from journal.reports.common import (
    DateLike,
    SubjectLine,
    class_ranges,
    held_lessons,
    sort_by_class,
    subject_lines,
    within,
)
from journal.reports.data import Dataset
from journal.school.settings import LessonPlan, Settings

COLUMNS = ["class", "subject", "grp", "teacher", "weekly_hours", "planned", "held", "gap",
           "fulfilled_pct", "missing", "cancelled", "moved", "extra"]
MISSING_COLUMNS = ["class", "subject", "grp", "teacher", "date", "missing_lessons"]


@dataclass(frozen=True)
class _Found:
    line: SubjectLine
    planned: int
    held: int
    missing: collections.Counter[dt.date]
    plan: LessonPlan | None


def _lines(dataset: Dataset, settings: Settings, period: str | int, start: DateLike,
           end: DateLike, today: DateLike, class_name: str) -> list[_Found]:
    data = dataset.only_class(class_name)
    names = [c.name for c in settings.classes]
    ranges = class_ranges(settings, period, start, end, today, names)
    result: list[_Found] = []
    for name, rng in ranges.items():
        lessons = data.lessons[data.lessons["class"] == name] if not data.lessons.empty \
            else data.lessons
        held = held_lessons(within(lessons, rng.start, rng.end))
        for line in subject_lines(settings, name, data.lessons):
            item = settings.curriculum_item(name, line.subject, line.grp)
            plan = settings.lesson_plan(item, rng.start, rng.end) if item is not None else None
            planned = list(plan.dates) if plan is not None else []
            mine = held[(held["subject"] == line.subject) & (held["grp"] == line.grp)] \
                if not held.empty else held
            held_days: collections.Counter[dt.date] = collections.Counter(
                pd.to_datetime(mine["date"]).dt.date.tolist() if not mine.empty else [])
            missing = collections.Counter(planned) - held_days
            result.append(_Found(line, len(planned), len(mine), missing, plan))
    return result


def fulfilment(dataset: Dataset, settings: Settings, period: str | int = "",
               start: DateLike = None, end: DateLike = None, today: DateLike = None,
               class_name: str = "") -> pd.DataFrame:
    """Per class × subject × group: planned, held, gap, % fulfilled and how many planned
    lessons are missing. An empty dataset gives an empty frame."""
    if dataset.is_empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for found in _lines(dataset, settings, period, start, end, today, class_name):
        line, planned, held = found.line, found.planned, found.held
        rows.append({"class": line.class_name, "subject": line.subject, "grp": line.grp,
                     "teacher": line.teacher, "weekly_hours": line.weekly_hours,
                     "planned": planned, "held": held, "gap": planned - held,
                     "fulfilled_pct": 100.0 * held / planned if planned else float("nan"),
                     "missing": sum(found.missing.values()),
                     "cancelled": found.plan.cancelled if found.plan else 0,
                     "moved": found.plan.moved_in if found.plan else 0,
                     "extra": found.plan.extra if found.plan else 0})
    return pd.DataFrame(rows, columns=COLUMNS)


def missing_lessons(dataset: Dataset, settings: Settings, period: str | int = "",
                    start: DateLike = None, end: DateLike = None, today: DateLike = None,
                    class_name: str = "") -> pd.DataFrame:
    """The planned dates without a lesson with a topic, one row per class × subject × date."""
    if dataset.is_empty:
        return pd.DataFrame(columns=MISSING_COLUMNS)
    rows = []
    for found in _lines(dataset, settings, period, start, end, today, class_name):
        line = found.line
        for day, count in sorted(found.missing.items()):
            rows.append({"class": line.class_name, "subject": line.subject, "grp": line.grp,
                         "teacher": line.teacher, "date": pd.Timestamp(day),
                         "missing_lessons": count})
    frame = pd.DataFrame(rows, columns=MISSING_COLUMNS)
    return sort_by_class(frame, "subject", "grp", "date")
