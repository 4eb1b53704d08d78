"""Progress at the end of a period (regulation 6.3).

:func:`period_results` gives each student's mark for each subject of the period: the
period mark the teacher set (``final_marks`` of kind ``period``) when there is one,
otherwise a forecast from the weighted average of the period's marks (``source`` says
which). The other functions count from these results:

* a student is **excellent** with only 5 (зч allowed), **good** with 4 and 5 and at
  least one 4, **with one 3** with exactly one 3 and the rest 4 and 5; these three
  exclude each other. **Failing** has a 2 (or 1) or нз; **not attested** has н/а; a
  student with both is counted in both columns. осв is ignored.
* **attested** are the students with at least one result and no н/а; the class's pass
  rate is the share of students neither failing nor not attested; its quality rate the
  share of excellent and good students. Both are over the students with at least one
  result (осв and blanks do not count).
* a quarter and a half-year are never summed together: grades 10–11 counted for the
  half-year containing a quarter get totals of their own (``period`` names each row's).
* СОУ and the average mark are over all the class's period marks (see
  :mod:`journal.reports.common`).

Only students on the class list on the last day counted (a student who left during the
period is not counted) and classes with marks (grade 1 has none) take part.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from journal.reports.common import (
    FAILED,
    YEAR,
    DateLike,
    DateRange,
    RowsBy,
    average_mark,
    class_periods,
    class_ranges,
    enrolled_on,
    forecast_mark,
    group_members,
    marked_classes,
    normalise_value,
    parse_day,
    pass_rate,
    quality_rate,
    rows_of,
    same_period,
    sort_by_class,
    sou,
    students_by_subject,
    subject_labels,
    subject_lines,
    value_counts,
    weighted_averages,
)
from journal.reports.data import Dataset
from journal.school.settings import Settings

FINAL = "final"
FORECAST = "forecast"
RESULT_COLUMNS = ["class", "subject", "grp", "student_id", "student", "value", "source",
                  "weighted_average", "mark_count", "period"]
CLASS_COLUMNS = ["class", "period", "students", "attested", "excellent", "good", "one_three", "failing",
                 "not_attested", "pass_rate", "quality_rate", "sou", "average", "forecasts"]
SUBJECT_COUNT_COLUMNS = ["n5", "n4", "n3", "n2", "n1", "zch", "nz", "osv", "nna"]
SUBJECT_COLUMNS = ["class", "period", "subject", "grp", "students", *SUBJECT_COUNT_COLUMNS, "pass_rate",
                   "quality_rate", "sou", "average", "forecasts"]
SCHOOL = "Школа"
TOTAL = "Итого"


def period_results(dataset: Dataset, settings: Settings, period: str | int,
                   class_name: str = "", today: DateLike = None) -> pd.DataFrame:
    """Each student's mark for each subject of the period, one row per student × subject.

    ``value`` is the text of the mark («5», «зч», «н/а» …) or None when there is neither
    a period mark nor any mark to forecast from; ``source`` is ``final`` or ``forecast``.
    ``today`` (optional) ends the period early: marks after it are not counted, and the
    students are those on the list that day. ``period`` «год» takes the year marks
    (``final_marks`` of kind ``year``) and forecasts from the whole year's marks.
    """
    data = dataset.only_class(class_name)
    names = marked_classes(settings, period, parse_day(today))
    periods = class_periods(settings, period, names, parse_day(today))
    ranges = class_ranges(settings, period, today=today, class_names=list(periods))
    students, lessons = RowsBy(data.students), RowsBy(data.lessons)
    finals_of, all_finals = RowsBy(data.finals, exact=True), RowsBy(data.finals)
    averages_of = _class_averages(data.marks, ranges)
    rows: list[dict[str, object]] = []
    for name, rng in ranges.items():
        roster = students.get(name)
        if roster.empty:
            continue
        roster = enrolled_on(roster.sort_values("full_name", kind="stable"), rng.end)
        averages = averages_of.get(name, {})
        finals = finals_of.get(name)
        if not finals.empty:
            if periods[name].set == YEAR:
                finals = finals[finals["kind"] == "year"]
            else:
                finals = finals[(finals["kind"] == "period") & finals["period"].isin(
                    [p for p in finals["period"].unique() if same_period(p, periods[name])])]
        final_values = {(subj, grp, sid): value for subj, grp, sid, value
                        in rows_of(finals, "subject", "grp", "student_id", "value")}
        for line in subject_lines(settings, name, lessons.get(name), all_finals.get(name)):
            with_marks = [sid for (subj, grp, sid) in averages
                          if subj == line.subject and grp == line.grp]
            members = group_members(data.student_groups, roster, line.subject, line.grp,
                                    with_marks + [sid for (subj, grp, sid) in final_values
                                                  if subj == line.subject and grp == line.grp])
            for sid, full_name in rows_of(members, "id", "full_name"):
                key = (line.subject, line.grp, sid)
                avg, count = averages.get(key, (math.nan, 0))
                value: str | None
                if key in final_values:
                    value, source = str(final_values[key]), FINAL
                elif not math.isnan(avg):
                    value, source = str(forecast_mark(avg, settings.norms)), FORECAST
                else:
                    value, source = None, ""
                rows.append({"class": name, "subject": line.subject, "grp": line.grp,
                             "student_id": sid, "student": full_name,
                             "value": value, "source": source, "weighted_average": avg,
                             "mark_count": count, "period": periods[name].name})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)



def _class_averages(marks: pd.DataFrame, ranges: dict[str, DateRange]
                    ) -> dict[str, dict[tuple[Any, Any, Any], tuple[float, int]]]:
    """Per class: (subject, grp, student_id) → (weighted average, mark count) of the marks in
    the class's own range (marks of the class by its name as written)."""
    if marks.empty or not ranges:
        return {}
    days = pd.to_datetime(marks["date"], errors="coerce").to_numpy()
    keep = np.zeros(len(marks), dtype=bool)
    for name, positions in marks.groupby(marks["class"].to_numpy(), sort=False,
                                         dropna=True).indices.items():
        rng = ranges.get(str(name))
        if rng is not None:
            mine = days[positions]
            keep[positions] = ((mine >= np.datetime64(rng.start)) & (mine <= np.datetime64(rng.end))
                               & ~np.isnat(mine))
    found: dict[str, dict[tuple[Any, Any, Any], tuple[float, int]]] = {}
    for name, subj, grp, sid, avg, count in rows_of(
            weighted_averages(marks[keep]), "class", "subject", "grp", "student_id",
            "weighted_average", "mark_count"):
        found.setdefault(name, {})[(subj, grp, sid)] = (float(avg), int(count))
    return found

def student_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per student: counts of each mark and the category flags (see the module docstring)."""
    columns = ["class", "student_id", "student", *SUBJECT_COUNT_COLUMNS, "excellent", "good",
               "one_three", "failing", "not_attested", "assessed", "attested", "forecasts"]
    if results.empty:
        return pd.DataFrame(columns=columns)
    keys = ["class", "student_id", "student"]
    texts = [normalise_value(v) for v in results["value"]]
    flags = pd.DataFrame({column: [t == text for t in texts]
                          for column, text in COUNTED_VALUES.items()}, index=results.index)
    flags["forecasts"] = results["source"] == FORECAST
    summed = flags.astype("int64").groupby([results[k] for k in keys], sort=False).sum()
    frame = summed.reset_index()
    counts = {column: frame[column] for column in COUNTED_VALUES}
    for column, flag in categorise(counts).items():
        frame[column] = flag.astype(bool)
    return frame[columns]


COUNTED_VALUES = {"n5": "5", "n4": "4", "n3": "3", "n2": "2", "n1": "1", "zch": "зч", "nz": "нз",
                  "osv": "осв", "nna": "н/а"}


def _counts(values: pd.Series) -> dict[str, int]:
    counts = value_counts(values)
    return {"n5": counts["5"], "n4": counts["4"], "n3": counts["3"], "n2": counts["2"],
            "n1": counts["1"], "zch": counts["зч"], "nz": counts["нз"], "osv": counts["осв"],
            "nna": counts["н/а"]}


def categorise(counts: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """The categories of students from the counts of their marks: columns ``n5`` … ``nna``
    (one row a student) give boolean columns."""
    failing = counts["n2"] + counts["n1"] + counts["nz"] > 0
    not_attested = counts["nna"] > 0
    graded = counts["n5"] + counts["n4"] + counts["n3"] + counts["n2"] + counts["n1"]
    assessed = graded + counts["zch"] + counts["nz"] + counts["nna"] > 0
    clean = ~failing & ~not_attested & (graded > 0)
    return {
        "excellent": clean & (counts["n5"] == graded),
        "good": clean & (counts["n3"] == 0) & (counts["n4"] > 0),
        "one_three": clean & (counts["n3"] == 1),
        "failing": failing,
        "not_attested": not_attested,
        "assessed": assessed,
        "attested": assessed & ~not_attested,
    }


def class_progress(results: pd.DataFrame, school_total: bool = True) -> pd.DataFrame:
    """Per class: students, categories, pass and quality rates, СОУ, average mark, and how
    many of the marks are forecasts; then totals. Classes counted over one period get one
    total («Школа» when the report has a single period, «Итого: 1 полугодие» for each when
    quarters and half-years are reported together — they are never summed)."""
    if results.empty:
        return pd.DataFrame(columns=CLASS_COLUMNS)
    students = student_summary(results)
    students_of = RowsBy(students, exact=True)
    groups = list(results["period"].drop_duplicates())
    rows = []
    for period in groups:
        mine = results[results["period"] == period]
        names = list(mine["class"].drop_duplicates())
        results_of = RowsBy(mine, exact=True)
        for name in names:
            rows.append(_class_row(str(name), str(period), students_of.get(name),
                                   results_of.get(name)))
        if school_total and len(names) > 1:
            label = SCHOOL if len(groups) == 1 else f"{TOTAL}: {period}"
            rows.append(_class_row(label, str(period), students[students["class"].isin(names)],
                                   mine))
    return pd.DataFrame(rows, columns=CLASS_COLUMNS)


def is_total(classes: pd.DataFrame) -> pd.Series:
    """True for the total rows of :func:`class_progress` or :func:`subject_progress`."""
    labels = classes["class"].astype(str)
    return (labels == SCHOOL) | labels.str.startswith(f"{TOTAL}:")


def _class_row(name: str, period: str, students: pd.DataFrame,
               results: pd.DataFrame) -> dict[str, object]:
    counted = students[students["assessed"]]
    n = len(counted)
    passed = int((~counted["failing"] & ~counted["not_attested"]).sum())
    good = int(counted["excellent"].sum() + counted["good"].sum())
    values = results["value"].tolist()
    return {
        "class": name, "period": period, "students": len(students),
        "attested": int(counted["attested"].sum()),
        "excellent": int(counted["excellent"].sum()), "good": int(counted["good"].sum()),
        "one_three": int(counted["one_three"].sum()), "failing": int(counted["failing"].sum()),
        "not_attested": int(counted["not_attested"].sum()),
        "pass_rate": 100.0 * passed / n if n else math.nan,
        "quality_rate": 100.0 * good / n if n else math.nan,
        "sou": sou(values), "average": average_mark(values),
        "forecasts": int((results["source"] == FORECAST).sum()),
    }


def subject_progress(results: pd.DataFrame, by_class: bool = True) -> pd.DataFrame:
    """Per class × subject (or, with ``by_class=False``, per subject for the school, apart
    for each period): counts of each mark, pass and quality rates, СОУ and average mark."""
    if results.empty:
        return pd.DataFrame(columns=SUBJECT_COLUMNS)
    keys = ["class", "period", "subject", "grp"] if by_class else ["period", "subject"]
    several = results["period"].nunique() > 1
    rows = []
    for key, group in results.groupby(keys, sort=False):
        values = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        total = f"{TOTAL}: {values['period']}" if several else SCHOOL
        rows.append({"class": values.get("class", total), "period": values["period"],
                     "subject": values["subject"],
                     "grp": values.get("grp", ""),
                     "students": int(group["value"].notna().sum()), **_counts(group["value"]),
                     "pass_rate": pass_rate(group["value"]),
                     "quality_rate": quality_rate(group["value"]), "sou": sou(group["value"]),
                     "average": average_mark(group["value"]),
                     "forecasts": int((group["source"] == FORECAST).sum())})
    return pd.DataFrame(rows, columns=SUBJECT_COLUMNS)


def summary_sheet(results: pd.DataFrame, class_name: str, mark_forecasts: bool = True) -> pd.DataFrame:
    """Сводная ведомость: students (rows, by name) × subjects (columns, curriculum order)
    with the period marks of one class; a forecast is shown with «*» when asked."""
    mine = results[results["class"] == class_name] if not results.empty else results
    if mine.empty:
        return pd.DataFrame()
    text = mine["value"].fillna("")
    if mark_forecasts:
        text = text.where(mine["source"] != FORECAST, text + "*")
    return students_by_subject(mine, subject_labels(mine), text)


def problem_marks(results: pd.DataFrame) -> pd.DataFrame:
    """The failing marks (2, 1, нз) and н/а: class, student, subject, value, source —
    who needs attention and in which subject."""
    columns = ["class", "student", "subject", "grp", "value", "source"]
    if results.empty:
        return pd.DataFrame(columns=columns)
    values = results["value"].map(normalise_value)
    bad = results[values.isin(sorted(FAILED))]
    return sort_by_class(bad, "student", "subject")[columns]
