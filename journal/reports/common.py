"""Definitions shared by every report: weighted averages, forecasts, periods and rates.

Marks come from the dataset's ``v_marks`` view (one row per mark, so a cell «5/4»
gives two rows, both counted). Period and year marks are text: ``5 4 3 2 1`` and
``зч нз осв н/а``.

How the special values count (the same in every report):

* ``осв`` (освобождён, exempt) is left out entirely: it is in no numerator and no
  denominator.
* ``зч`` (зачёт) counts as passed; ``нз`` (незачёт) as failed. Neither is a grade, so
  neither takes part in the quality rate, the СОУ or the average mark.
* ``н/а`` (не аттестован) counts as failed for the pass rate, as not good for the
  quality rate, and with 7 points in the СОУ.
* A mark ``1`` counts as a ``2`` (a failing mark) everywhere, with 16 points in the СОУ.

Rates are percentages from 0 to 100; a rate over nobody is NaN (shown as «—»).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..settings import Norms, Period, Settings, normalise_class_name

WEIGHTED_AVERAGE = "weighted_average"
MARK_COUNT = "mark_count"
WEIGHT_SUM = "weight_sum"

GRADES = ("5", "4", "3", "2", "1")
PASSED = frozenset({"5", "4", "3", "зч"})
FAILED = frozenset({"2", "1", "нз", "н/а"})
EXEMPT = "осв"
NOT_ATTESTED = "н/а"
SOU_POINTS = {"5": 100, "4": 64, "3": 36, "2": 16, "1": 16, "н/а": 7}

DEFAULT_BY = ("class", "subject", "grp", "student_id")


def weighted_averages(marks: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Weighted average of the marks per group: Σ value × weight / Σ weight.

    ``marks`` has at least the columns of ``by`` plus ``value`` and ``weight`` (as in
    ``v_marks``). Each row is one mark: a double mark «5/4» is two marks of the lesson's
    weight. A missing weight counts as 1. The result has one row per group with the
    columns of ``by``, ``weighted_average``, ``mark_count`` (how many marks) and
    ``weight_sum``; groups without marks do not appear. An empty input gives an empty
    frame with these columns.
    """
    by = list(by)
    columns = [*by, WEIGHTED_AVERAGE, MARK_COUNT, WEIGHT_SUM]
    if marks.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype_of(marks, c)) for c in columns})
    frame = marks[[*by, "value", "weight"]].copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame[frame["value"].notna()]
    frame["weight"] = pd.to_numeric(frame["weight"], errors="coerce").fillna(1.0)
    frame["_product"] = frame["value"] * frame["weight"]
    grouped = frame.groupby(by, dropna=False, sort=True).agg(
        _product=("_product", "sum"),
        weight_sum=("weight", "sum"),
        mark_count=("value", "size"),
    ).reset_index()
    positive = grouped[WEIGHT_SUM] > 0
    grouped[WEIGHTED_AVERAGE] = (grouped["_product"] / grouped[WEIGHT_SUM]).where(positive)
    grouped[MARK_COUNT] = grouped[MARK_COUNT].astype("int64")
    return grouped[columns]


def _dtype_of(frame: pd.DataFrame, column: str) -> str:
    if column in frame.columns:
        return str(frame[column].dtype)
    if column in (WEIGHTED_AVERAGE, WEIGHT_SUM):
        return "float64"
    if column == MARK_COUNT:
        return "int64"
    return "object"


def forecast_mark(avg: float, norms: Norms) -> int:
    """The period mark a weighted average leads to, by the school's rounding threshold.

    3.6 gives 4 and 3.5 gives 3 with the default threshold 0.6 (``norms.round_mark``);
    the result is kept within 1–5. A missing average (NaN) raises ``ValueError``:
    with no marks there is nothing to forecast, the caller reports the student as
    having too few marks.
    """
    if avg is None or (isinstance(avg, float) and math.isnan(avg)):
        raise ValueError("no weighted average to forecast from")
    return max(1, min(5, norms.round_mark(float(avg))))


def forecast_marks(averages: pd.Series, norms: Norms) -> pd.Series:
    """:func:`forecast_mark` for a column of averages; NaN stays missing (``Int64``)."""
    values = [pd.NA if pd.isna(a) else forecast_mark(float(a), norms) for a in averages]
    return pd.Series(values, index=averages.index, dtype="Int64")


# --- periods and date ranges -------------------------------------------------------------


def as_timestamp(day: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    """A date (or ISO text) as a pandas Timestamp at midnight."""
    return pd.Timestamp(day).normalize()


def within(frame: pd.DataFrame, start: dt.date | str | None, end: dt.date | str | None,
           column: str = "date") -> pd.DataFrame:
    """Rows whose ``column`` date is from ``start`` to ``end`` inclusive (None: open end)."""
    if frame.empty:
        return frame
    days = pd.to_datetime(frame[column], errors="coerce")
    keep = days.notna()
    if start is not None:
        keep &= days >= as_timestamp(start)
    if end is not None:
        keep &= days <= as_timestamp(end)
    return frame[keep]


def in_period(frame: pd.DataFrame, period: Period, column: str = "date") -> pd.DataFrame:
    """Rows (marks, lessons, absences) dated inside ``period``."""
    return within(frame, period.start, period.end, column)


def class_periods(settings: Settings, spec: str | int,
                  class_names: Iterable[str] | None = None) -> dict[str, Period]:
    """The period ``spec`` («1», «2 четверть», «1 полугодие») for each class.

    ``spec`` given as a number means the number in the class's own set: «1» is the
    first quarter for grades 1–9 and the first half-year for grades 10–11. A name
    applies only to the classes of its set. Classes without such a period are left out.
    """
    names = list(class_names) if class_names is not None else [c.name for c in settings.classes]
    found: dict[str, Period] = {}
    for name in names:
        school_class = settings.school_class(name)
        if school_class is None:
            continue
        period = settings.find_period(spec, school_class.period_set)
        if period is not None:
            found[name] = period
    return found


def in_class_periods(frame: pd.DataFrame, periods: Mapping[str, Period], column: str = "date",
                     class_column: str = "class") -> pd.DataFrame:
    """Rows dated inside their own class's period (classes not in ``periods`` are dropped)."""
    if frame.empty:
        return frame
    by_name = {normalise_class_name(k): v for k, v in periods.items()}
    days = pd.to_datetime(frame[column], errors="coerce")
    starts = frame[class_column].map(
        lambda c: as_timestamp(by_name[normalise_class_name(c)].start)
        if normalise_class_name(c) in by_name else pd.NaT)
    ends = frame[class_column].map(
        lambda c: as_timestamp(by_name[normalise_class_name(c)].end)
        if normalise_class_name(c) in by_name else pd.NaT)
    keep = days.notna() & starts.notna() & (days >= starts) & (days <= ends)
    return frame[keep.astype(bool)]


def enrolled_between(students: pd.DataFrame, start: dt.date | str | None,
                     end: dt.date | str | None) -> pd.DataFrame:
    """Students on the class list at some day from ``start`` to ``end``.

    A student who joined after ``end`` or left before ``start`` is not. ``joined``
    and ``left_on`` may be missing (on the list since the year began / still there).
    """
    if students.empty:
        return students
    joined = pd.to_datetime(students["joined"], errors="coerce")
    left = pd.to_datetime(students["left_on"], errors="coerce")
    keep = pd.Series(True, index=students.index)
    if end is not None:
        keep &= joined.isna() | (joined <= as_timestamp(end))
    if start is not None:
        keep &= left.isna() | (left >= as_timestamp(start))
    return students[keep]


def enrolled_on(students: pd.DataFrame, day: dt.date | str) -> pd.DataFrame:
    """Students on the class list on ``day`` (a student who left that day is no longer)."""
    if students.empty:
        return students
    joined = pd.to_datetime(students["joined"], errors="coerce")
    left = pd.to_datetime(students["left_on"], errors="coerce")
    moment = as_timestamp(day)
    keep = (joined.isna() | (joined <= moment)) & (left.isna() | (left > moment))
    return students[keep]


# --- rates over period marks ---------------------------------------------------------------


def normalise_value(value: object) -> str | None:
    """A period mark as text («5», «зч», «н/а»); numbers become «5»; blanks None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (int, float)):
        return str(int(value))
    text = str(value).strip().lower()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


def _counted(values: Iterable[object]) -> list[str]:
    """Values that take part in the rates: blanks and осв left out."""
    result = []
    for v in values:
        text = normalise_value(v)
        if text is not None and text != EXEMPT:
            result.append(text)
    return result


def value_counts(values: Iterable[object]) -> dict[str, int]:
    """How many of each value (5, 4, 3, 2, 1, зч, нз, осв, н/а), blanks ignored."""
    counts = {k: 0 for k in (*GRADES, "зч", "нз", EXEMPT, NOT_ATTESTED)}
    for v in values:
        text = normalise_value(v)
        if text is not None:
            counts[text] = counts.get(text, 0) + 1
    return counts


def pass_rate(values: Iterable[object]) -> float:
    """Успеваемость, %: share of the marks with no 2 (or 1), no нз and no н/а.

    N is every mark except осв and blanks; passed are 5, 4, 3 and зч.
    """
    counted = _counted(values)
    if not counted:
        return math.nan
    return 100.0 * sum(v in PASSED for v in counted) / len(counted)


def quality_rate(values: Iterable[object]) -> float:
    """Качество знаний, %: share of the marks that are 4 or 5.

    N is every grade 5–1 plus н/а; зч, нз and осв are outside (they are not grades).
    """
    graded = [v for v in _counted(values) if v in GRADES or v == NOT_ATTESTED]
    if not graded:
        return math.nan
    return 100.0 * sum(v in ("5", "4") for v in graded) / len(graded)


def sou(values: Iterable[object]) -> float:
    """СОУ, степень обученности, %: (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·nна) / N.

    N = n5 + n4 + n3 + n2 + nна (a 1 counts as a 2); зч, нз and осв are outside.
    """
    graded = [v for v in _counted(values) if v in SOU_POINTS]
    if not graded:
        return math.nan
    return sum(SOU_POINTS[v] for v in graded) / len(graded)


def average_mark(values: Iterable[object]) -> float:
    """Arithmetic mean of the grades 5–1 among ``values`` (зч, нз, осв, н/а ignored)."""
    grades = [int(v) for v in _counted(values) if v in GRADES]
    if not grades:
        return math.nan
    return sum(grades) / len(grades)
