"""Journal filling and mark accumulation, for a month or the year (regulation 6.2, 3.5).

Per class × subject (× group), for the days from ``start`` to ``end`` (never after
``today``):

* **planned** — lessons the timetable gives on those days (holidays skipped);
* **lessons** — lessons held on those days: a lesson column of the teacher's workbook
  with a topic, a mark or an absence (an empty column is a date, not a lesson);
* **with topic**, **with homework** — of those lessons; the percentages are of ``lessons``;
* **students** — on the class (or group) list on the last day counted; a student who
  has left is not counted;
* **no marks**, **one mark**, **below minimum** — students with 0 marks, exactly 1 mark,
  and fewer than the school's minimum for a period at the subject's weekly hours
  (``norms.min_marks_for``); every count of marks counts a double mark «5/4» as two.
  A month is shorter than a period, so for a monthly report the minimum is a guide.

Grade 1 has no marks: its mark columns are empty. Per teacher the same counts are summed
over the teacher's classes and subjects.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from journal.reports.common import (
    DateLike,
    DateRange,
    RowsBy,
    class_ranges,
    enrolled_on,
    group_members,
    has_text,
    held_lessons,
    rows_of,
    sort_by_class,
    subject_labels,
    subject_lines,
    within,
)
from journal.reports.data import Dataset
from journal.school.settings import Settings

COUNT_COLUMNS = ["planned", "lessons", "with_topic", "with_homework", "students", "no_marks",
                 "one_mark", "below_min"]
SUBJECT_COLUMNS = ["class", "subject", "grp", "teacher", "weekly_hours", "min_marks",
                   *COUNT_COLUMNS, "topic_pct", "homework_pct", "no_marks_pct", "one_mark_pct",
                   "below_min_pct"]
TEACHER_COLUMNS = ["teacher", "workbooks", *COUNT_COLUMNS, "topic_pct", "homework_pct",
                   "no_marks_pct", "one_mark_pct", "below_min_pct"]
STUDENT_COLUMNS = ["class", "subject", "grp", "teacher", "student_id", "student", "mark_count",
                   "min_marks", "problem"]
NO_MARKS = "нет отметок"
ONE_MARK = "одна отметка"
BELOW_MIN = "меньше нормы"


def mark_accumulation(dataset: Dataset, settings: Settings, start: DateLike = None,
                      end: DateLike = None, today: DateLike = None, period: str | int = "",
                      class_name: str = "") -> pd.DataFrame:
    """Every student × subject line with the number of marks in the range.

    Columns: class, subject, grp, teacher, student_id, student, mark_count, min_marks,
    problem («нет отметок», «одна отметка», «меньше нормы» or empty). Grade 1 is left out.
    """
    data = dataset.only_class(class_name)
    names = [c.name for c in settings.classes]
    ranges = class_ranges(settings, period, start, end, today, names)
    students, lessons = RowsBy(data.students), RowsBy(data.lessons)
    marks_of = RowsBy(data.marks, exact=True)
    rows = []
    for name, rng in ranges.items():
        first = marked_from(settings, name, rng)
        if first is None:
            continue
        roster = enrolled_on(students.get(name).sort_values("full_name", kind="stable"), rng.end)
        marks = within(marks_of.get(name), first, rng.end)
        counts = {(str(subj), str(grp), int(sid)): int(n) for subj, grp, sid, n in rows_of(
            marks.groupby(["subject", "grp", "student_id"]).size().reset_index(name="n"),
            "subject", "grp", "student_id", "n")} if not marks.empty else {}
        for line in subject_lines(settings, name, lessons.get(name)):
            need = settings.norms.min_marks_for(line.weekly_hours) if line.weekly_hours else 0
            fallback = [sid for (subj, grp, sid) in counts if (subj, grp) == (line.subject, line.grp)]
            members = group_members(data.student_groups, roster, line.subject, line.grp, fallback)
            for sid, full_name in rows_of(members, "id", "full_name"):
                count = int(counts.get((line.subject, line.grp, sid), 0))
                problem = NO_MARKS if count == 0 else ONE_MARK if count == 1 else \
                    BELOW_MIN if count < need else ""
                rows.append({"class": name, "subject": line.subject, "grp": line.grp,
                             "teacher": line.teacher, "student_id": sid, "student": full_name,
                             "mark_count": count, "min_marks": need, "problem": problem})
    return pd.DataFrame(rows, columns=STUDENT_COLUMNS)


def filling_by_subject(dataset: Dataset, settings: Settings, start: DateLike = None,
                       end: DateLike = None, today: DateLike = None, period: str | int = "",
                       class_name: str = "") -> pd.DataFrame:
    """Filling and accumulation per class × subject × group (see the module docstring)."""
    if dataset.is_empty:
        return pd.DataFrame(columns=SUBJECT_COLUMNS)
    data = dataset.only_class(class_name)
    names = [c.name for c in settings.classes]
    ranges = class_ranges(settings, period, start, end, today, names)
    accumulation = mark_accumulation(dataset, settings, start, end, today, period, class_name)
    acc_of = {key: accumulation.iloc[at] for key, at in accumulation.groupby(
        ["class", "subject", "grp"], sort=False).indices.items()} if not accumulation.empty else {}
    # a lesson is held or not whatever the other lessons: decided once for all of them
    held_of = RowsBy(held_lessons(data.lessons, data.marks, data.attendance), exact=True)
    lessons_of = RowsBy(data.lessons)
    students = RowsBy(data.students)
    rows = []
    for name, rng in ranges.items():
        lessons = within(held_of.get(name), rng.start, rng.end)
        for line in subject_lines(settings, name, lessons_of.get(name)):
            item = settings.curriculum_item(name, line.subject, line.grp)
            planned = sum(rng.start <= d <= rng.end for d in settings.lesson_dates(item)) \
                if item is not None else 0
            mine = lessons[(lessons["subject"] == line.subject) & (lessons["grp"] == line.grp)] \
                if not lessons.empty else lessons
            row: dict[str, object] = {
                "class": name, "subject": line.subject, "grp": line.grp, "teacher": line.teacher,
                "weekly_hours": line.weekly_hours,
                "min_marks": settings.norms.min_marks_for(line.weekly_hours)
                if line.weekly_hours else 0,
                "planned": planned, "lessons": len(mine),
                "with_topic": int(has_text(mine["topic"]).sum()) if not mine.empty else 0,
                "with_homework": int(has_text(mine["homework"]).sum()) if not mine.empty else 0,
            }
            if marked_from(settings, name, rng) is not None:
                acc = acc_of.get((name, line.subject, line.grp), accumulation.iloc[0:0])
                row.update(students=len(acc), no_marks=int((acc["problem"] == NO_MARKS).sum()),
                           one_mark=int((acc["problem"] == ONE_MARK).sum()),
                           below_min=int((acc["mark_count"] < acc["min_marks"]).sum()))
            else:  # no marks on these days (grade 1, or before marks begin), students counted
                roster = enrolled_on(students.get(name).sort_values("full_name", kind="stable"),
                                     rng.end)
                members = group_members(data.student_groups, roster, line.subject, line.grp)
                row.update(students=len(members), no_marks=0, one_mark=0, below_min=0,
                           unmarked=True)
            rows.append(row)
    unmarked = pd.Series([bool(r.get("unmarked")) for r in rows], dtype=bool)
    frame = _with_shares(pd.DataFrame(rows, columns=SUBJECT_COLUMNS))
    for column in ("no_marks_pct", "one_mark_pct", "below_min_pct"):
        frame.loc[unmarked.to_numpy(), column] = float("nan")  # «—»: no marks on these days
    return frame


def marked_from(settings: Settings, class_name: str, rng: DateRange) -> dt.date | None:
    """The first day of ``rng`` on which the class gets marks, or None when it gets none in
    the range (grade 1; a grade without marks until a day after the range)."""
    school_class = settings.school_class(class_name)
    first = settings.marks_from(school_class) if school_class is not None else None
    if first is None or first > rng.end:
        return None
    return max(first, rng.start)


def _with_shares(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    lessons = frame["lessons"].where(frame["lessons"] > 0)
    students = frame["students"].where(frame["students"] > 0)
    frame["topic_pct"] = 100.0 * frame["with_topic"] / lessons
    frame["homework_pct"] = 100.0 * frame["with_homework"] / lessons
    frame["no_marks_pct"] = 100.0 * frame["no_marks"] / students
    frame["one_mark_pct"] = 100.0 * frame["one_mark"] / students
    frame["below_min_pct"] = 100.0 * frame["below_min"] / students
    return frame


def filling_by_teacher(by_subject: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`filling_by_subject` summed per teacher (by name); student counts
    are student × subject pairs."""
    if by_subject.empty:
        return pd.DataFrame(columns=TEACHER_COLUMNS)
    grouped = by_subject.groupby("teacher", sort=True)
    frame = grouped[COUNT_COLUMNS].sum().reset_index()
    frame.insert(1, "workbooks", grouped.size().to_numpy())
    return _with_shares(frame)[TEACHER_COLUMNS]


def students_behind(accumulation: pd.DataFrame) -> pd.DataFrame:
    """Who the students with no mark, one mark or fewer than the minimum are."""
    behind = accumulation[accumulation["problem"] != ""] if not accumulation.empty else accumulation
    return sort_by_class(behind, "subject", "grp", "student")


def behind_by_student(accumulation: pd.DataFrame) -> pd.DataFrame:
    """One row per student with a problem: the subjects without marks, with one mark and
    with fewer than the minimum («Музыка (1 из 2)»)."""
    columns = ["class", "student", "no_marks_subjects", "one_mark_subjects", "below_min_subjects"]
    behind = students_behind(accumulation)
    if behind.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (class_name, student), group in behind.groupby(["class", "student"], sort=False):
        label = subject_labels(group)
        pick = {problem: [f"{s}" if problem != BELOW_MIN else f"{s} ({c} из {m})"
                          for s, c, m, p in zip(label, group["mark_count"], group["min_marks"],
                                                group["problem"], strict=True) if p == problem]
                for problem in (NO_MARKS, ONE_MARK, BELOW_MIN)}
        rows.append({"class": class_name, "student": student,
                     "no_marks_subjects": ", ".join(pick[NO_MARKS]),
                     "one_mark_subjects": ", ".join(pick[ONE_MARK]),
                     "below_min_subjects": ", ".join(pick[BELOW_MIN])})
    return sort_by_class(pd.DataFrame(rows, columns=columns), "student")
