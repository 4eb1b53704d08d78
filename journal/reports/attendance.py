"""Attendance for a period: lessons and whole school days missed, by reason.

Reasons are the ones after the class teacher's corrections (``v_attendance.reason``):
Б — ill, У — excused, Н — without a good reason; О — late, which is counted apart and is
not a missed lesson.

A **whole day** is missed when a student missed every lesson they had that day: the
class's lessons of that date (of their own group in a split subject) all carry an absence
other than О. The day's reason is the reason of most of its lessons; on a tie Н comes
before Б and У, so that an unexplained absence is never hidden.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

import pandas as pd

from journal.reports.common import (
    DateLike,
    DateRange,
    RowsBy,
    class_ranges,
    enrolled_between,
    in_ranges,
    rows_of,
    sort_by_class,
)
from journal.reports.data import Dataset
from journal.school.settings import Settings

MISSED_REASONS = ("Б", "У", "Н")
LATE = "О"
TIE_ORDER = ("Н", "Б", "У")
STUDENT_COLUMNS = ["class", "student_id", "student", "lessons_missed", "missed_Б", "missed_У",
                   "missed_Н", "late", "days_missed", "days_Б", "days_У", "days_Н"]
CLASS_COLUMNS = ["class", "students", *STUDENT_COLUMNS[3:], "per_student"]
SUBJECT_COLUMNS = ["class", "subject", "grp", "teacher", "lessons", "lessons_missed", "missed_Б",
                   "missed_У", "missed_Н", "late"]
WEEK_COLUMNS = ["week", "class", "Б", "У", "Н", "О"]


def report_ranges(settings: Settings, period: str | int = "", start: DateLike = None,
                  end: DateLike = None, today: DateLike = None) -> dict[str, DateRange]:
    """The days each class's attendance is counted for (see ``common.class_ranges``)."""
    return class_ranges(settings, period, start, end, today)


def absences(dataset: Dataset, ranges: dict[str, DateRange], class_name: str = "") -> pd.DataFrame:
    """The absence rows (``v_attendance``) dated in each class's range."""
    data = dataset.only_class(class_name)
    return in_ranges(data.attendance, ranges)


def whole_days(dataset: Dataset, ranges: dict[str, DateRange], class_name: str = "") -> pd.DataFrame:
    """One row per student × day missed entirely: class, student_id, student, date, reason."""
    columns = ["class", "student_id", "student", "date", "reason"]
    data = dataset.only_class(class_name)
    missed = in_ranges(data.attendance, ranges)
    if missed.empty:
        return pd.DataFrame(columns=columns)
    missed = missed[missed["reason"] != LATE]
    lessons = in_ranges(data.lessons, ranges)
    groups = {(sid, subj): grp for sid, subj, grp
              in rows_of(data.student_groups, "student_id", "subject", "grp")}
    day_lines: dict[tuple[Any, Any], list[tuple[Any, Any]]] = {}
    for class_name_, day, subject, grp in rows_of(lessons, "class", "date", "subject", "grp"):
        day_lines.setdefault((class_name_, day), []).append((subject, grp))
    records: set[tuple[Any, ...]] | None = None  # who has records in which group: when needed
    rows = []
    by_day = missed.groupby(["class", "student_id", "student", "date"], sort=True)["reason"]
    for key, reasons in by_day.agg(list).items():
        class_name_, sid, student, day = cast(tuple[Any, ...], key)
        had = 0
        for subject, grp in day_lines.get((class_name_, day), ()):
            mine = groups.get((sid, subject))
            if not grp or mine == grp:
                had += 1
            elif mine is None:
                if records is None:
                    records = _group_records(data.attendance, data.marks)
                had += (sid, class_name_, subject, grp) in records
        if had and len(reasons) >= had:
            rows.append({"class": class_name_, "student_id": sid, "student": student,
                         "date": day, "reason": _day_reason(reasons)})
    return pd.DataFrame(rows, columns=columns)


def _group_records(attendance: pd.DataFrame, marks: pd.DataFrame) -> set[tuple[Any, ...]]:
    """(student_id, class, subject, grp) of every absence and mark: without group lists, a
    student belongs to the groups they have records in."""
    found: set[tuple[Any, ...]] = set()
    keys = ["student_id", "class", "subject", "grp"]
    for frame in (attendance, marks):
        if not frame.empty:
            found |= set(rows_of(frame[keys].dropna().drop_duplicates(), *keys))
    return found


def _in_group_by_records(attendance: pd.DataFrame, marks: pd.DataFrame, sid: int, class_name: str,
                         subject: str, grp: str) -> bool:
    """Without group lists, a student belongs to the groups they have records in."""
    for frame in (attendance, marks):
        if frame.empty:
            continue
        if ((frame["student_id"] == sid) & (frame["class"] == class_name)
                & (frame["subject"] == subject) & (frame["grp"] == grp)).any():
            return True
    return False


def _day_reason(reasons: list[Any]) -> str:
    counts = Counter(r for r in reasons if not pd.isna(r))
    best = max(counts.values())
    for reason in TIE_ORDER:
        if counts.get(reason, 0) == best:
            return reason
    return str(pd.Series(reasons).value_counts().index[0])


def student_attendance(dataset: Dataset, ranges: dict[str, DateRange],
                       class_name: str = "") -> pd.DataFrame:
    """Per student on the list at some day of the range: lessons missed by reason, late
    arrivals, whole days missed by reason."""
    data = dataset.only_class(class_name)
    missed = in_ranges(data.attendance, ranges)
    days = whole_days(dataset, ranges, class_name)
    rows = []
    missed_of, days_of = RowsBy(missed, "student_id", exact=True), RowsBy(days, "student_id", exact=True)
    students = RowsBy(data.students)
    for name, rng in ranges.items():
        roster = enrolled_between(students.get(name).sort_values("full_name", kind="stable"),
                                  rng.start, rng.end)
        for sid, full_name in rows_of(roster, "id", "full_name"):
            mine = missed_of.get(sid)
            my_days = days_of.get(sid)
            reasons = mine["reason"].value_counts() if not mine.empty else pd.Series(dtype=int)
            day_reasons = my_days["reason"].value_counts() if not my_days.empty \
                else pd.Series(dtype=int)
            row: dict[str, object] = {
                "class": name, "student_id": sid, "student": full_name,
                "lessons_missed": int(sum(reasons.get(r, 0) for r in MISSED_REASONS)),
                "late": int(reasons.get(LATE, 0)), "days_missed": len(my_days)}
            for r in MISSED_REASONS:
                row[f"missed_{r}"] = int(reasons.get(r, 0))
                row[f"days_{r}"] = int(day_reasons.get(r, 0))
            rows.append(row)
    return pd.DataFrame(rows, columns=STUDENT_COLUMNS)


def class_attendance(students: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`student_attendance` summed per class, with lessons missed per
    student."""
    if students.empty:
        return pd.DataFrame(columns=CLASS_COLUMNS)
    grouped = students.groupby("class", sort=False)
    frame = grouped[STUDENT_COLUMNS[3:]].sum().reset_index()
    frame.insert(1, "students", grouped.size().to_numpy())
    frame["per_student"] = frame["lessons_missed"] / frame["students"]
    return sort_by_class(frame[CLASS_COLUMNS])


def subject_attendance(dataset: Dataset, ranges: dict[str, DateRange],
                       class_name: str = "") -> pd.DataFrame:
    """Per class × subject × group: lessons in the range, lessons missed by reason, late."""
    data = dataset.only_class(class_name)
    lessons = in_ranges(data.lessons, ranges)
    if lessons.empty:
        return pd.DataFrame(columns=SUBJECT_COLUMNS)
    missed = in_ranges(data.attendance, ranges)
    keys = ["class", "subject", "grp"]
    counted = lessons.groupby(keys, sort=False).agg(
        teacher=("teacher", "first"), lessons=("id", "size")).reset_index()
    if not missed.empty:
        table = pd.crosstab([missed[k] for k in keys], missed["reason"])
        table = table.reindex(columns=[*MISSED_REASONS, LATE], fill_value=0).reset_index()
        counted = counted.merge(table, on=keys, how="left")
    for r in (*MISSED_REASONS, LATE):
        if r not in counted.columns:
            counted[r] = 0
        counted[r] = counted[r].fillna(0).astype("int64")
    counted = counted.rename(columns={r: f"missed_{r}" for r in MISSED_REASONS} | {LATE: "late"})
    counted["lessons_missed"] = counted[[f"missed_{r}" for r in MISSED_REASONS]].sum(axis=1)
    return sort_by_class(counted[SUBJECT_COLUMNS], "subject", "grp")


def weekly_attendance(dataset: Dataset, ranges: dict[str, DateRange],
                      class_name: str = "") -> pd.DataFrame:
    """Lessons missed per week (its Monday) and class, one column per reason Б/У/Н and О."""
    missed = absences(dataset, ranges, class_name)
    if missed.empty:
        return pd.DataFrame(columns=WEEK_COLUMNS)
    frame = missed.copy()
    dates = pd.to_datetime(frame["date"])
    frame["week"] = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    table = pd.crosstab([frame["week"], frame["class"]], frame["reason"])
    table = table.reindex(columns=[*MISSED_REASONS, LATE], fill_value=0).reset_index()
    table.columns.name = None
    return table.sort_values(["week", "class"], kind="stable").reset_index(drop=True)[WEEK_COLUMNS]
