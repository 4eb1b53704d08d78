"""The district's reports: the school reports' own computations, school by school.

Each school's dataset is read from the district database (:func:`journal.reports.data.load_district`)
with its own settings (pushed with its data) and goes through the same functions as the
school's own report (:mod:`journal.reports.progress`, ``attendance``, ``filling``), so
every number equals the school's. Schools are read one at a time: memory stays that of
the largest school, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from journal.core.errors import UsageError
from journal.core.formatting import date_ru
from journal.dataset import postgres
from journal.reports import attendance, filling, progress
from journal.reports.common import class_ranges, parse_day
from journal.reports.data import Dataset, load_district
from journal.school.settings import Settings
from journal.school.settings_json import settings_from_json

TITLES = {"school": "Школа", "grade": "Параллель", "head_at": "Последняя сборка в районной базе",
          "pushed_at": "Отправлено", "period_end": "Конец периода", "schools": "Школ"}
GRADE = "{grade} классы"
# What :func:`journal.reports.progress.period_results` reads of a dataset: frames, columns.
PROGRESS_COLUMNS: dict[str, tuple[str, ...]] = {
    "students": ("id", "class", "full_name", "joined", "left_on"),
    "student_groups": ("student_id", "subject", "grp"),
    "lessons": ("class", "subject", "grp", "teacher"),
    "marks": ("class", "subject", "grp", "date", "student_id", "value", "weight"),
    "finals": ("class", "subject", "grp", "student_id", "kind", "period", "value"),
}
PROGRESS_FIELDS = tuple(PROGRESS_COLUMNS)
_LESSON_KEY = ("class", "subject", "grp", "date", "seq")
# What the attendance report reads: absences, the lessons of a day, who is in which group
# (by the group lists, or by a student's absences and marks in the group's lessons).
ATTENDANCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "students": ("id", "class", "full_name", "joined", "left_on"),
    "student_groups": ("student_id", "subject", "grp"),
    "lessons": ("class", "subject", "grp", "date"),
    "attendance": ("class", "subject", "grp", "date", "student_id", "student", "reason"),
    "marks": ("class", "subject", "grp", "student_id"),
}
# What the filling report reads: lessons with their topic and homework, held when a mark or
# an absence is entered at them, marks per student (and the period marks: is it empty?).
FILLING_COLUMNS: dict[str, tuple[str, ...]] = {
    "students": ("id", "class", "full_name", "joined", "left_on"),
    "student_groups": ("student_id", "subject", "grp"),
    "lessons": (*_LESSON_KEY, "teacher", "topic", "homework"),
    "marks": (*_LESSON_KEY, "student_id"),
    "attendance": _LESSON_KEY,
    "finals": ("class",),
}
DISTRICT = "Район"


@dataclass(frozen=True)
class School:
    """A school as the district holds it."""

    school_id: str
    settings: Settings
    head_at: str
    pushed_at: object


@dataclass
class District:
    """The district database opened for reports: its schools, the period and «today»."""

    conn: postgres.Connection
    schools: list[School]
    period: str
    today: dt.date

    def datasets(self, fields_wanted: Collection[str] | None = None, *,
                 period_only: bool = False,
                 columns: Mapping[str, Sequence[str]] | None = None
                 ) -> Iterator[tuple[School, Dataset]]:
        """Each school with its dataset, read one at a time.

        ``fields_wanted``: only these frames are read (the others are empty); ``period_only``:
        only the marks and attendance of the period's days (from the earliest
        class's start to the latest class's end, cut at «today»); ``columns`` (frame →
        column names): only these columns of those frames. The next school is read while
        the caller works on the current one (the database works meanwhile): two at most
        are held.
        """
        def read(school: School) -> Dataset:
            dates = self.period_days(school) if period_only else None
            return load_district(self.conn, school.school_id, fields_wanted=fields_wanted,
                                 dates=dates, columns=columns)

        if not self.schools:
            return
        with ThreadPoolExecutor(1, thread_name_prefix="district-read") as reader:
            pending = reader.submit(read, self.schools[0])
            try:
                for k, school in enumerate(self.schools):
                    dataset = pending.result()
                    if k + 1 < len(self.schools):
                        pending = reader.submit(read, self.schools[k + 1])
                    yield school, dataset
            finally:
                pending.cancel()

    def period_days(self, school: School) -> tuple[dt.date, dt.date] | None:
        """The first and last day of the period over the school's classes (None: all days)."""
        ranges = class_ranges(school.settings, self.period, today=self.today).values()
        if not ranges:
            return None
        return min(r.start for r in ranges), max(r.end for r in ranges)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def open_district(url: str, period: str = "", today: str = "", schools: str = "") -> District:
    """Open the district database for reports; ``schools`` (ids separated by «;») limits them."""
    conn = postgres.connect(url)
    try:
        postgres.check_schema(conn)
        postgres.for_reports(conn)
        frame = postgres.schools(conn)
    except BaseException:
        conn.close()
        raise
    wanted = {s.strip() for s in schools.split(";") if s.strip()}
    found = [School(str(r.school_id), settings_from_json(str(r.settings)), str(r.head_at),
                    r.pushed_at)
             for r in frame.itertuples() if not wanted or r.school_id in wanted]
    unknown = wanted - {s.school_id for s in found}
    if unknown:
        conn.close()
        raise UsageError("В районной базе нет школ: " + ", ".join(sorted(unknown)))
    day = parse_day(today) or dt.date.today()
    return District(conn, found, str(period or "").strip(), day)


def _school_progress(school: School, dataset: Dataset, period: str, today: dt.date) -> pd.DataFrame:
    results = progress.period_results(dataset, school.settings, period, "", today)
    if results.empty:
        return pd.DataFrame(columns=["school", *progress.CLASS_COLUMNS, "grade"])
    grades = {c.name: c.grade for c in school.settings.classes}
    classes = progress.class_progress(results)  # the school report's rows, its totals last
    totals = progress.is_total(classes)
    classes["grade"] = classes["class"].map(grades)
    by_grade = results.assign(**{"class": results["class"].map(
        lambda name: GRADE.format(grade=grades.get(name, "?")))})
    parallels = progress.class_progress(by_grade, school_total=False).assign(grade=None)
    frame = pd.concat([classes[~totals], parallels, classes[totals]], ignore_index=True)
    frame.insert(0, "school", school.school_id)
    return frame


def progress_by_school(district: District) -> pd.DataFrame:
    """Per school: each class, each grade («5 классы») and the school («Школа»), with the
    columns of :func:`journal.reports.progress.class_progress` (pass and quality rates, СОУ,
    average mark …)."""
    frames = [_school_progress(s, d, district.period, district.today)
              for s, d in district.datasets(PROGRESS_FIELDS, period_only=True,
                                                     columns=PROGRESS_COLUMNS)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["school", *progress.CLASS_COLUMNS, "grade"])
    return pd.concat(frames, ignore_index=True)


def school_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The total rows of :func:`progress_by_school`: one line per school and period («Школа», or
    «Итого: 1 полугодие» beside «Итого: 2 четверть» — quarters and half-years are never summed)."""
    return frame[progress.is_total(frame)].drop(columns=["grade"])


def grade_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The grade rows («5 классы») of :func:`progress_by_school`."""
    return frame[frame["class"].str.endswith(" классы")].drop(columns=["grade"])


def attendance_by_school(district: District) -> pd.DataFrame:
    """Per school: students, lessons and days missed by reason, late arrivals, lessons
    missed per student (the school attendance report's class rows, summed)."""
    rows = []
    for school, dataset in district.datasets(ATTENDANCE_COLUMNS, columns=ATTENDANCE_COLUMNS):
        ranges = attendance.report_ranges(school.settings, district.period, today=district.today)
        classes = attendance.class_attendance(
            attendance.student_attendance(dataset, ranges))
        if classes.empty:
            continue
        total = classes.drop(columns=["class", "per_student"]).sum(numeric_only=True)
        counts = {str(k): int(v) for k, v in total.items()}
        per_student = counts["lessons_missed"] / counts["students"] if counts["students"] else None
        rows.append({"school": school.school_id, **counts, "per_student": per_student})
    columns = ["school", *[c for c in attendance.CLASS_COLUMNS if c != "class"]]
    return pd.DataFrame(rows, columns=columns)


def filling_by_school(district: District) -> pd.DataFrame:
    """Per school: lessons planned and in the journal, with topic and homework, students
    without marks or below the norm (the filling report's subject rows, summed)."""
    frames = []
    for school, dataset in district.datasets(FILLING_COLUMNS, columns=FILLING_COLUMNS):
        by_subject = filling.filling_by_subject(dataset, school.settings, today=district.today,
                                                period=district.period)
        if by_subject.empty:
            continue
        summed = filling.filling_by_teacher(by_subject.assign(teacher=school.school_id))
        frames.append(summed.rename(columns={"teacher": "school"}))
    if not frames:
        return pd.DataFrame(columns=["school"])
    return pd.concat(frames, ignore_index=True)


def period_end(settings: Settings, period: str, today: dt.date) -> dt.date | None:
    """The last day of the period for the school (its latest class), or None."""
    ranges = class_ranges(settings, period, None, None, None, [c.name for c in settings.classes])
    del today
    return max((r.end for r in ranges.values()), default=None)


def not_pushed(district: District) -> pd.DataFrame:
    """The schools whose newest data in the district was merged before the period ended
    (their results for the period may be incomplete): school, period end, last merge."""
    rows = []
    for school in district.schools:
        end = period_end(school.settings, district.period, district.today)
        if end is None:
            continue
        merged = parse_day(school.head_at[:10]) if school.head_at else None
        if merged is None or merged <= end:
            rows.append({"school": school.school_id, "period_end": date_ru(end),
                         "head_at": pd.Timestamp(school.head_at) if school.head_at else pd.NaT})
    return pd.DataFrame(rows, columns=["school", "period_end", "head_at"])
