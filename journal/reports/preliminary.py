"""The class teacher's preliminary report two weeks before a period ends (regulation 5.2 г).

For each student and subject of the period so far: the weighted average of the marks
from the period's first day to ``today``, how many marks there are (a double mark «5/4»
counts as two), the forecast period mark (the average rounded by the school's threshold)
and whether the student is at risk:

* the forecast is 2 (or 1), or
* the student is far behind the pace of marks: fewer than half of the marks expected by
  ``today`` — the school's minimum for the period at the subject's weekly hours
  (``norms.min_marks_for``) times the share of the period's planned lessons (from the
  timetable) already past, rounded up. Two weeks before the end that is most of the
  minimum; on the last day, all of it. Without a timetable the whole minimum is expected.
  One mark short of the pace is usual (a teacher asks in turn) and is not a risk: with
  it nearly every student of a school would be «at risk» and the list would say nothing.

Only students on the class list on ``today`` and classes with marks take part.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from journal.reports.common import (
    DateLike,
    class_periods,
    class_ranges,
    class_students,
    enrolled_on,
    forecast_mark,
    group_members,
    marked_classes,
    parse_day,
    rows_of,
    sort_by_class,
    students_by_subject,
    subject_labels,
    subject_lines,
    weighted_averages,
    within,
)
from journal.reports.data import Dataset
from journal.school.settings import Period, Settings

COLUMNS = ["class", "subject", "grp", "teacher", "student_id", "student", "weighted_average",
           "mark_count", "min_marks", "expected_marks", "forecast", "at_risk", "risk"]
RISK_FAILING = "прогноз — неудовлетворительная отметка"
RISK_FEW_MARKS = ("мало отметок: {count}, меньше половины нужного к этому дню ({need}; "
                  "за период — {total})")


def preliminary_marks(dataset: Dataset, settings: Settings, period: str | int, today: DateLike,
                      class_name: str = "") -> pd.DataFrame:
    """Forecast period marks and risks, one row per student × subject (see module docstring).

    ``forecast`` is missing (``<NA>``) for a student without marks; ``risk`` is a Russian
    explanation, empty when the student is not at risk.
    """
    data = dataset.only_class(class_name)
    names = marked_classes(settings, period, parse_day(today))
    ranges = class_ranges(settings, period, today=today, class_names=names)
    periods = class_periods(settings, period, names, parse_day(today))
    rows: list[dict[str, object]] = []
    for name, rng in ranges.items():
        roster = enrolled_on(class_students(data.students, name), rng.end)
        if roster.empty:
            continue
        marks = data.marks[data.marks["class"] == name] if not data.marks.empty else data.marks
        averages = {(subj, grp, sid): (float(avg), int(count)) for subj, grp, sid, avg, count
                    in rows_of(weighted_averages(within(marks, rng.start, rng.end)), "subject",
                               "grp", "student_id", "weighted_average", "mark_count")}
        for line in subject_lines(settings, name, data.lessons):
            with_marks = [sid for (subj, grp, sid) in averages
                          if subj == line.subject and grp == line.grp]
            members = group_members(data.student_groups, roster, line.subject, line.grp,
                                    with_marks)
            need = settings.norms.min_marks_for(line.weekly_hours) if line.weekly_hours else 0
            expected = _expected(settings, line.class_name, line.subject, line.grp, need,
                                 periods.get(name), rng.end)
            for sid, full_name in rows_of(members, "id", "full_name"):
                avg, count = averages.get((line.subject, line.grp, sid), (math.nan, 0))
                forecast = None if math.isnan(avg) else forecast_mark(avg, settings.norms)
                reasons = []
                if forecast is not None and forecast <= 2:
                    reasons.append(RISK_FAILING)
                if far_behind(count, expected):
                    reasons.append(RISK_FEW_MARKS.format(count=count, need=expected, total=need))
                rows.append({"class": name, "subject": line.subject, "grp": line.grp,
                             "teacher": line.teacher, "student_id": sid, "student": full_name,
                             "weighted_average": avg, "mark_count": count, "min_marks": need,
                             "expected_marks": expected,
                             "forecast": forecast, "at_risk": bool(reasons),
                             "risk": "; ".join(reasons)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["forecast"] = frame["forecast"].astype("Int64")
    frame["at_risk"] = frame["at_risk"].astype(bool)
    return frame


def _expected(settings: Settings, class_name: str, subject: str, grp: str, need: int,
              period: Period | None, today: dt.date) -> int:
    """Marks expected by ``today``: the minimum times the share of planned lessons past."""
    item = settings.curriculum_item(class_name, subject, grp)
    if period is None or item is None or need == 0:
        return need
    planned = [d for d in settings.lesson_dates(item) if period.start <= d <= period.end]
    if not planned:
        return need
    past = sum(d <= today for d in planned)
    return math.ceil(need * past / len(planned) - 1e-9)


def far_behind(count: int, expected: int) -> bool:
    """True when ``count`` marks are fewer than half of the ``expected`` ones."""
    return 2 * count < expected


def days_left(period: Period, today: dt.date) -> int:
    """Calendar days from ``today`` to the period's last day (0 on it or after)."""
    return max(0, (period.end - today).days)


def students_at_risk(preliminary: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`preliminary_marks` with a risk, by class, student and subject."""
    risky = preliminary[preliminary["at_risk"]] if not preliminary.empty else preliminary
    return sort_by_class(risky, "student", "subject")


def forecast_sheet(preliminary: pd.DataFrame, class_name: str) -> pd.DataFrame:
    """Students × subjects of one class with the forecast marks («—» without marks)."""
    mine = preliminary[preliminary["class"] == class_name] if not preliminary.empty else preliminary
    if mine.empty:
        return pd.DataFrame()
    text = pd.Series([("—" if pd.isna(f) else str(int(f))) + ("!" if risk else "")
                      for f, risk in zip(mine["forecast"], mine["at_risk"], strict=True)],
                     index=mine.index)
    return students_by_subject(mine, subject_labels(mine), text)


def risk_by_student(preliminary: pd.DataFrame) -> pd.DataFrame:
    """One row per student at risk: the subjects forecast «2» and the subjects with too few
    marks («Музыка (0 из 2)»: marks so far of those expected by now)."""
    columns = ["class", "student", "failing_subjects", "few_marks_subjects"]
    risky = students_at_risk(preliminary)
    if risky.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (class_name, student), group in risky.groupby(["class", "student"], sort=False):
        label = subject_labels(group)
        failing = [str(s) for s, f in zip(label, group["forecast"], strict=True)
                   if not pd.isna(f) and int(f) <= 2]
        few = [f"{s} ({c} из {e})" for s, c, e in zip(label, group["mark_count"],
                                                     group["expected_marks"], strict=True)
               if far_behind(int(c), int(e))]
        rows.append({"class": class_name, "student": student,
                     "failing_subjects": ", ".join(failing), "few_marks_subjects": ", ".join(few)})
    return pd.DataFrame(rows, columns=columns)
