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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from journal.core.text import text_key
from journal.school.periods import YEAR as YEAR
from journal.school.periods import is_forecast, resolve
from journal.school.settings import Norms, Period, Settings, normalise_class_name

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
                  class_names: Iterable[str] | None = None,
                  today: dt.date | None = None) -> dict[str, Period]:
    """The period ``spec`` for each class, by the one rule of :mod:`journal.school.periods`:
    a quarter number is that quarter for grades 1–9 and the half-year containing it for
    10–11; a name, «год» or «текущий» as described there. Classes without such a period
    (a half-year's name for grades 1–9) are left out."""
    names = list(class_names) if class_names is not None else [c.name for c in settings.classes]
    found: dict[str, Period] = {}
    for name in names:
        school_class = settings.school_class(name)
        if school_class is None:
            continue
        period = resolve(settings, school_class, spec, today)
        if period is not None:
            found[name] = period
    return found


def marked_classes(settings: Settings, spec: str | int = "", today: dt.date | None = None,
                   class_names: Iterable[str] | None = None) -> list[str]:
    """The classes that get a period mark for the period ``spec`` (each class's own period by
    :func:`class_periods`); without a period, the classes that get marks on some day of the
    year. Grade 1 and a grade taught without marks in that period are left out."""
    names = list(class_names) if class_names is not None else [c.name for c in settings.classes]
    if not str(spec).strip():
        return [n for n in names
                if (c := settings.school_class(n)) is not None and settings.gets_marks(c)]
    periods = class_periods(settings, spec, names, today)
    return [n for n, p in periods.items()
            if (c := settings.school_class(n)) is not None and settings.period_has_marks(c, p)]


def in_class_periods(frame: pd.DataFrame, periods: Mapping[str, Period], column: str = "date",
                     class_column: str = "class") -> pd.DataFrame:
    """Rows dated inside their own class's period (classes not in ``periods`` are dropped)."""
    if frame.empty:
        return frame
    by_name = {normalise_class_name(k): v for k, v in periods.items()}
    days = pd.to_datetime(frame[column], errors="coerce").to_numpy()
    codes, names = pd.factorize(frame[class_column])
    found = [by_name.get(normalise_class_name(c)) for c in names]
    none = np.datetime64("NaT", "ns")
    # one start and end per distinct class name; the last (code -1: no name) is none
    starts = np.array([*(np.datetime64(as_timestamp(p.start), "ns") if p else none for p in found),
                       none], dtype="datetime64[ns]")[codes]
    ends = np.array([*(np.datetime64(as_timestamp(p.end), "ns") if p else none for p in found),
                     none], dtype="datetime64[ns]")[codes]
    keep = ~np.isnat(days) & ~np.isnat(starts) & (days >= starts) & (days <= ends)
    return frame[keep]


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
    for text in _normalised(values):
        if text is not None and text != EXEMPT:
            result.append(text)
    return result


def _normalised(values: Iterable[object]) -> Iterator[str | None]:
    """:func:`normalise_value` of each value (each distinct value normalised once)."""
    if isinstance(values, pd.Series):
        values = values.tolist()
    known: dict[object, str | None] = {}
    for v in values:
        try:
            yield known[v]
        except KeyError:
            known[v] = text = normalise_value(v)
            yield text
        except TypeError:  # unhashable
            yield normalise_value(v)


def value_counts(values: Iterable[object]) -> dict[str, int]:
    """How many of each value (5, 4, 3, 2, 1, зч, нз, осв, н/а), blanks ignored."""
    counts = {k: 0 for k in (*GRADES, "зч", "нз", EXEMPT, NOT_ATTESTED)}
    for text in _normalised(values):
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


# --- lessons, rosters and date ranges shared by the reports ----------------------------------


def has_text(column: pd.Series) -> pd.Series:
    """True where a text cell (topic, homework) holds more than blanks."""
    return column.fillna("").astype(str).str.strip() != ""


LESSON_KEY = ["class", "subject", "grp", "date", "seq"]


def held_lessons(lessons: pd.DataFrame, *entries: pd.DataFrame) -> pd.DataFrame:
    """Lessons counted as held: the topic is written (the regulation asks for it on the day)
    or, with ``entries`` (marks, attendance), something was entered for a student at the
    lesson. A lesson column with none of it is a date of the timetable, not a lesson given."""
    if lessons.empty:
        return lessons
    held = has_text(lessons["topic"])
    marked: set[tuple[Any, ...]] = set()
    for frame in entries:
        if not frame.empty:
            marked |= set(frame[LESSON_KEY].drop_duplicates().itertuples(index=False, name=None))
    if marked:
        held = held | pd.Series([key in marked for key in
                                 lessons[LESSON_KEY].itertuples(index=False, name=None)],
                                index=lessons.index, dtype=bool)
    return lessons[held]


def who_taught(frame: pd.DataFrame) -> pd.Series:
    """The teacher who gave each lesson: the substitute when there was one."""
    if "substitute" not in frame.columns:
        return frame["teacher"].fillna("").astype(str)
    substitute = frame["substitute"].fillna("").astype(str).str.strip()
    return substitute.where(substitute != "", frame["teacher"].fillna("").astype(str))


def group_members(student_groups: pd.DataFrame, class_students: pd.DataFrame, subject: str,
                  grp: str, fallback_ids: Iterable[int] = ()) -> pd.DataFrame:
    """The students of ``class_students`` who learn ``subject`` in group ``grp``.

    With ``grp`` empty (the class is not split) that is every student. For a split
    subject the class teacher's group lists (``student_groups``) decide; when the class
    has none for this subject, the students with a mark or an absence in the group's
    lessons (``fallback_ids``) are taken.
    """
    if not str(grp).strip():
        return class_students
    ids = set(class_students["id"])
    listed = student_groups
    if not listed.empty:
        listed = listed[(listed["subject"] == subject) & listed["student_id"].isin(ids)]
    members = set(listed.loc[listed["grp"] == grp, "student_id"]) if not listed.empty \
        else set(fallback_ids)
    return class_students[class_students["id"].isin(members)]


DateLike = dt.date | str | pd.Timestamp | None


def parse_day(value: DateLike) -> dt.date | None:
    """A parameter date: ``""`` or None → None; ISO text or ``ДД.ММ.ГГГГ`` → date."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Дата «{text}» не распознана: пишите ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")


def month_range(settings: Settings, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of calendar month ``month`` (1–12) of the school year: September
    to December of its first year, January to August of its second."""
    if not 1 <= month <= 12:
        raise ValueError(f"Месяц «{month}» — не номер месяца: пишите от 1 до 12")
    start = settings.year_start
    year = start.year if month >= start.month else start.year + 1
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


@dataclass(frozen=True)
class DateRange:
    """The days a report covers for one class, from ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date
    title: str = ""  # «1 четверть» or «с 01.09.2026 по 30.09.2026»
    period: Period | None = None  # the period asked for (its own dates), None for given dates
    forecast: bool = False  # the period has not ended by the report's day

    @property
    def key(self) -> tuple[str, dt.date, dt.date]:
        """What classes counted over the same window share (one chart, one total)."""
        return (self.title, self.start, self.end)


def class_ranges(settings: Settings, period: str | int = "", date_from: DateLike = None,
                 date_to: DateLike = None, today: DateLike = None,
                 class_names: Iterable[str] | None = None) -> dict[str, DateRange]:
    """The date range of a report for each class.

    Explicit ``date_from``/``date_to`` win (a missing one is taken from the period, or
    from the school year); otherwise the period ``period`` for each class (see
    :func:`class_periods`: grades 10–11 get the half-year containing a quarter). ``today``
    cuts the end: nothing after today is counted, and a period not over by then is marked
    ``forecast``. Classes whose range is empty (the period has not begun) are left out.
    """
    names = list(class_names) if class_names is not None else [c.name for c in settings.classes]
    start_day, end_day, now = parse_day(date_from), parse_day(date_to), parse_day(today)
    periods = class_periods(settings, period, names, now) if str(period).strip() else {}
    ranges: dict[str, DateRange] = {}
    for name in names:
        found = periods.get(name)
        if found is None and str(period).strip() and not (start_day and end_day):
            continue
        start = start_day or (found.start if found else settings.year_start)
        end = end_day or (found.end if found else settings.year_end)
        if now is not None:
            end = min(end, now)
        if end < start:
            continue
        whole = found is not None and not (start_day or end_day)
        title = found.name if whole and found is not None else \
            f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
        forecast = bool(whole and found is not None and now is not None
                        and is_forecast(found, now))
        ranges[name] = DateRange(start, end, title, found if whole else None, forecast)
    return ranges


def windows(ranges: Mapping[str, DateRange]) -> list[tuple[DateRange, list[str]]]:
    """The classes of ``ranges`` grouped by the window they are counted over (a quarter for
    grades 1–9, a half-year for 10–11), the window of the lowest grade first; classes in
    grade order. Every chart and every total is drawn over one window."""
    groups: dict[tuple[str, dt.date, dt.date], tuple[DateRange, list[str]]] = {}
    for name in sorted(ranges, key=class_sort_key):
        rng = ranges[name]
        groups.setdefault(rng.key, (rng, []))[1].append(name)
    return list(groups.values())


def classes_phrase(names: Sequence[str]) -> str:
    """«5А, 6Б» for a few classes, «1–9 классы» for many (by their grades)."""
    if len(names) <= 3:
        return ", ".join(names)
    grades = [class_sort_key(n)[0] for n in names]
    low, high = min(grades), max(grades)
    return f"{low}–{high} классы" if low != high else f"{low} классы"


def in_ranges(frame: pd.DataFrame, ranges: Mapping[str, DateRange], column: str = "date",
              class_column: str = "class") -> pd.DataFrame:
    """Rows dated inside their class's range (classes without a range are dropped)."""
    periods = {name: Period("", 0, r.title, r.start, r.end) for name, r in ranges.items()}
    return in_class_periods(frame, periods, column, class_column)


@dataclass(frozen=True)
class SubjectLine:
    """A subject (in a group) a class learns: a curriculum line or a merged workbook."""

    class_name: str
    subject: str
    grp: str
    teacher: str
    weekly_hours: float  # 0 when the curriculum does not list it


def subject_lines(settings: Settings, class_name: str, *frames: pd.DataFrame) -> list[SubjectLine]:
    """The class's subjects: its curriculum lines, then any other (subject, group) found
    in ``frames`` (lessons, marks, period marks of the dataset), in curriculum order."""
    lines: dict[tuple[str, str], SubjectLine] = {}
    for item in settings.curriculum_for(class_name):
        lines[(item.subject, item.group)] = SubjectLine(class_name, item.subject, item.group,
                                                        item.teacher, item.weekly_hours)
    wanted = normalise_class_name(class_name)
    extra: dict[tuple[str, str], str] = {}
    for frame in frames:
        if frame.empty:
            continue
        mine = frame[of_class(frame["class"], wanted)]
        teachers = mine["teacher"].tolist() if "teacher" in mine.columns else [""] * len(mine)
        seen: set[tuple[object, object, object]] = set()
        for subject, grp, teacher in zip(mine["subject"].tolist(), mine["grp"].fillna("").tolist(),
                                         teachers, strict=True):
            if (subject, grp, teacher) in seen:  # a line's lessons repeat it: decided already
                continue
            seen.add((subject, grp, teacher))
            key = (str(subject), str(grp))
            if key not in lines and (key not in extra or not extra[key]):
                extra[key] = str(teacher or "")
    for (subject, grp), teacher in sorted(extra.items()):
        lines[(subject, grp)] = SubjectLine(class_name, subject, grp, teacher, 0.0)
    return list(lines.values())


def of_class(classes: pd.Series, wanted: str) -> pd.Series:
    """True where the class name, spelling normalised, is ``wanted`` (already normalised).

    Each distinct name is normalised once, not once per row.
    """
    matching = [c for c in classes.unique() if normalise_class_name(str(c)) == wanted]
    return classes.isin(matching)


def class_students(students: pd.DataFrame, class_name: str) -> pd.DataFrame:
    """The rows of ``students`` in class ``class_name`` (spelling normalised), by name."""
    if students.empty:
        return students
    wanted = normalise_class_name(class_name)
    mine = students[of_class(students["class"], wanted)]
    return mine.sort_values("full_name", kind="stable")


class RowsBy:
    """The rows of a frame split once by a column (the class, by default), for a report that
    loops over its values.

    ``get(value)`` gives the same rows, in the same order, as selecting them from the whole
    frame: for the class, by the name's normalised spelling (as :func:`of_class`); with
    ``exact``, by the value as written (as ``frame[column] == value``). A value without
    rows gets an empty frame with every column. Splitting once costs about what one such
    selection costs.
    """

    def __init__(self, frame: pd.DataFrame, column: str = "class", *, exact: bool = False) -> None:
        self.empty = frame.iloc[0:0]
        self.exact = exact
        self.parts: dict[object, pd.DataFrame] = {}
        if frame.empty:
            return
        keys = frame[column]
        if not exact:
            keys = keys.map({c: normalise_class_name(str(c)) for c in keys.unique()})
        positions = frame.groupby(keys.to_numpy(), sort=False, dropna=True).indices
        self.parts = {key: frame.iloc[rows] for key, rows in positions.items()}

    def get(self, value: object) -> pd.DataFrame:
        """The rows of ``value`` (a class name unless ``exact``)."""
        key = value if self.exact else normalise_class_name(str(value))
        return self.parts.get(key, self.empty)


def same_period(text: object, period: Period) -> bool:
    """True when a stored period label («1 четверть», «1») names ``period``."""
    label = text_key(text)
    return label in (period.name.strip().lower(), str(period.number))


def rows_of(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The values of ``columns`` row by row, as plain tuples."""
    if frame.empty:
        return []
    return list(zip(*(frame[c].tolist() for c in columns), strict=True))


def class_sort_key(name: object) -> tuple[int, str]:
    """«5А» before «10А»: by grade number, then letter."""
    text = normalise_class_name(str(name))
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 99, text)


def sort_by_class(frame: pd.DataFrame, *then: str) -> pd.DataFrame:
    """Rows ordered by class (grade, letter), then by the columns ``then``; index reset."""
    if frame.empty:
        return frame.reset_index(drop=True)
    order = frame["class"].map(class_sort_key)
    ordered = frame.assign(_order=order).sort_values(["_order", *then], kind="stable")
    return ordered.drop(columns="_order").reset_index(drop=True)


def subject_labels(frame: pd.DataFrame) -> pd.Series:
    """«Английский язык (1 группа)» for a group, the subject alone otherwise."""
    return frame["subject"].where(frame["grp"] == "", frame["subject"] + " (" + frame["grp"] + ")")


def students_by_subject(frame: pd.DataFrame, labels: pd.Series, texts: pd.Series) -> pd.DataFrame:
    """A sheet of one class: students (rows, by name, numbered) × ``labels`` (columns, in the
    order they first appear) holding ``texts``."""
    frame = frame.assign(label=labels, text=texts)
    sheet = frame.pivot_table(index="student", columns="label", values="text", aggfunc="first",
                              sort=False)
    sheet = sheet.reindex(columns=list(dict.fromkeys(labels)))
    sheet = sheet.reindex(sorted(sheet.index)).fillna("")
    sheet.columns.name = None
    sheet.insert(0, "Ученик", sheet.index)
    sheet.insert(0, "№", range(1, len(sheet) + 1))
    return sheet.reset_index(drop=True)
