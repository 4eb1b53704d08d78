"""Teachers' weekly activity in the journal (regulation 6.1).

Per teacher, for the lessons dated from ``start`` to ``end`` (a week, Monday to Sunday):

* **lessons** — lesson columns of their workbooks on those days (a substitute's lesson
  counts for the substitute); **with topic**, **with homework** — of those;
* **marks** — marks given at those lessons (a double mark «5/4» is two);
* **on time** — the share of those marks first seen by their deadline: the lesson's own
  date, and for a written work (``WorkKind.written``) the days the regulation gives for
  marking it (``norms.written_days``: 5 for grades 2–9, 7 for 10–11; 5.2 г).
  The dataset knows when a mark was first *merged*, not when it was typed, so this share
  is exact only when the coordinator merges every day;
* **last update** — the latest moment anything of the teacher's (a mark, an absence, a
  topic, homework) was first seen, up to the end of the range.

Teachers of the curriculum with nothing in the range are listed with zeros.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from journal.reports.common import DateLike, as_timestamp, has_text, parse_day, who_taught, within
from journal.reports.data import Dataset
from journal.school.settings import Settings

COLUMNS = ["teacher", "lessons", "with_topic", "with_homework", "marks", "marks_on_day",
           "on_day_pct", "last_update"]


def week_of(day: DateLike) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week containing ``day``."""
    found = parse_day(day)
    if found is None:
        raise ValueError("no day given")
    monday = found - dt.timedelta(days=found.weekday())
    return monday, monday + dt.timedelta(days=6)


def activity_range(date_from: DateLike, date_to: DateLike, today: DateLike) -> tuple[dt.date, dt.date]:
    """The days of the report: the given dates, else the week (Monday–Sunday) of ``today``."""
    monday, sunday = week_of(today)
    return parse_day(date_from) or monday, parse_day(date_to) or sunday


def teacher_activity(dataset: Dataset, start: DateLike, end: DateLike,
                     settings: Settings | None = None, class_name: str = "") -> pd.DataFrame:
    """Per teacher (see the module docstring); sorted by teacher's name."""
    data = dataset.only_class(class_name)
    if data.is_empty:
        return pd.DataFrame(columns=COLUMNS)
    lessons = within(data.lessons, start, end).copy()
    lessons["who"] = who_taught(lessons)
    marks = within(data.marks, start, end).copy()
    marks["who"] = who_taught(marks)
    if not marks.empty:
        allowed = pd.to_timedelta(_allowed_days(marks, settings), unit="D")
        marks["on_day"] = pd.to_datetime(marks["first_seen"]).dt.normalize() <= \
            pd.to_datetime(marks["date"]).dt.normalize() + allowed
    else:
        marks["on_day"] = pd.Series(dtype=bool)
    teachers = set(lessons["who"]) | set(marks["who"])
    if settings is not None:
        teachers |= {c.teacher for c in settings.curriculum
                     if not class_name or c.class_name == class_name}
    teachers.discard("")
    updates = _last_updates(data, end)
    rows = []
    for teacher in sorted(teachers):
        mine = lessons[lessons["who"] == teacher]
        my_marks = marks[marks["who"] == teacher]
        count = len(my_marks)
        on_day = int(my_marks["on_day"].sum()) if count else 0
        rows.append({"teacher": teacher, "lessons": len(mine),
                     "with_topic": int(has_text(mine["topic"]).sum()),
                     "with_homework": int(has_text(mine["homework"]).sum()),
                     "marks": count, "marks_on_day": on_day,
                     "on_day_pct": 100.0 * on_day / count if count else float("nan"),
                     "last_update": updates.get(teacher, pd.NaT)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["last_update"] = pd.to_datetime(frame["last_update"])
    return frame


def _allowed_days(marks: pd.DataFrame, settings: Settings | None) -> list[int]:
    """Days after the lesson a mark may appear: 0, or the norm for a written work."""
    if settings is None:
        return [0] * len(marks)
    days = []
    for class_name, kind in zip(marks["class"], marks["kind"], strict=True):
        work = settings.work_kind(str(kind or ""))
        school_class = settings.school_class(str(class_name))
        written = work is not None and work.written and school_class is not None
        days.append(settings.norms.written_days(school_class.grade) if written else 0)  # type: ignore[union-attr]
    return days


def _last_updates(data: Dataset, end: DateLike) -> dict[str, pd.Timestamp]:
    """Latest first-seen moment per teacher, up to the end of ``end``."""
    limit = as_timestamp(end) + pd.Timedelta(days=1) if end is not None else None
    moments: list[pd.DataFrame] = []
    if not data.marks.empty:
        moments.append(pd.DataFrame({"who": who_taught(data.marks),
                                     "moment": pd.to_datetime(data.marks["first_seen"])}))
    if not data.attendance.empty:
        moments.append(pd.DataFrame({"who": data.attendance["teacher"],
                                     "moment": pd.to_datetime(data.attendance["first_seen"])}))
    if not data.lessons.empty:
        who = who_taught(data.lessons)
        for column in ("topic_first_seen", "homework_first_seen"):
            moments.append(pd.DataFrame({"who": who,
                                         "moment": pd.to_datetime(data.lessons[column])}))
    if not moments:
        return {}
    frame = pd.concat(moments, ignore_index=True).dropna(subset=["moment"])
    if limit is not None:
        frame = frame[frame["moment"] < limit]
    return {str(k): v for k, v in frame.groupby("who")["moment"].max().items()}


def lessons_of_week(dataset: Dataset, start: DateLike, end: DateLike,
                    class_name: str = "") -> pd.DataFrame:
    """The week's lessons, one row each: date, class, subject, group, who taught, topic,
    homework and the number of marks given — for a teacher's own check."""
    columns = ["date", "class", "subject", "grp", "teacher", "topic", "homework", "marks"]
    data = dataset.only_class(class_name)
    lessons = within(data.lessons, start, end)
    if lessons.empty:
        return pd.DataFrame(columns=columns)
    lessons = lessons.copy()
    lessons["teacher"] = who_taught(lessons)
    marks = within(data.marks, start, end)
    keys = ["class", "subject", "grp", "date", "seq"]
    if not marks.empty:
        counts = marks.groupby(keys).size().rename("marks").reset_index()
        lessons = lessons.merge(counts, on=keys, how="left")
    else:
        lessons["marks"] = 0
    lessons["marks"] = lessons["marks"].fillna(0).astype("int64")
    return lessons.sort_values(["teacher", "date", "class", "subject"], kind="stable")[columns] \
        .reset_index(drop=True)
