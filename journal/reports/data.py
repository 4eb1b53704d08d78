"""The central dataset as DataFrames, for the reports.

:func:`load` reads the tables and views the reports need through :mod:`journal.dataset.store`
and parses dates (``date``, ``joined`` …) and moments (``first_seen`` …) into pandas
timestamps. A school that has never been merged gives an empty :class:`Dataset` whose
frames still have every column, so each report yields an empty table, not an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from journal.dataset import store
from journal.school.settings import normalise_class_name

if TYPE_CHECKING:  # psycopg is imported only for the district's reports
    from journal.dataset import postgres

DATE_COLUMNS = frozenset({"date", "birth_date", "joined", "left_on", "start_date", "end_date",
                          "lesson_date"})
MOMENT_COLUMNS = frozenset({"first_seen", "last_seen", "topic_first_seen", "homework_first_seen",
                            "detected_at", "started_at", "finished_at", "printed_at"})

# Dataset field → table or view it is read from.
SOURCES = {
    "students": "students",
    "classes": "classes",
    "student_groups": "student_groups",
    "parents": "parents",
    "lessons": "lessons",
    "marks": "v_marks",
    "attendance": "v_attendance",
    "finals": "v_final_marks",
    "changes": "changes",
    "merges": "merges",
    "merge_files": "merge_files",
    "printed_copies": "printed_copies",
}


@dataclass(frozen=True)
class Dataset:
    """Every table the reports read, one DataFrame each (see ``SOURCES`` for the origin)."""

    students: pd.DataFrame
    classes: pd.DataFrame
    student_groups: pd.DataFrame
    parents: pd.DataFrame
    lessons: pd.DataFrame
    marks: pd.DataFrame
    attendance: pd.DataFrame
    finals: pd.DataFrame
    changes: pd.DataFrame
    merges: pd.DataFrame
    merge_files: pd.DataFrame = field(default_factory=pd.DataFrame)
    printed_copies: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def is_empty(self) -> bool:
        """True when nothing has been merged: no lessons, marks or period marks."""
        return self.lessons.empty and self.marks.empty and self.finals.empty

    def only_class(self, class_name: str) -> Dataset:
        """The same dataset restricted to one class («5а» and «5 А» mean «5А»).

        An empty ``class_name`` means the whole school.
        """
        if not str(class_name).strip():
            return self
        wanted = normalise_class_name(class_name)
        changed: dict[str, pd.DataFrame] = {}
        for f in fields(self):
            frame: pd.DataFrame = getattr(self, f.name)
            column = "name" if f.name == "classes" else "class"
            if column in frame.columns and not frame.empty:
                keep = frame[column].map(lambda c: normalise_class_name(str(c)) == wanted)
                changed[f.name] = frame[keep.astype(bool)]
        ids = set(changed.get("students", self.students)["id"])
        for name in ("student_groups", "parents"):
            frame = getattr(self, name)
            if "student_id" in frame.columns and not frame.empty:
                changed[name] = frame[frame["student_id"].isin(ids)]
        return replace(self, **changed)


def load(store_path: str | Path) -> Dataset:
    """Read the dataset at ``store_path``; a missing file gives an empty dataset."""
    path = Path(store_path)
    if not path.exists():
        return empty_dataset()
    with store.opened(path, readonly=True) as conn:
        return _read(conn)


def empty_dataset() -> Dataset:
    """A dataset with every column of the current schema and no rows."""
    conn = sqlite3.connect(":memory:")
    try:
        store.migrate(conn)
        return _read(conn)
    finally:
        conn.close()


def _read(conn: sqlite3.Connection) -> Dataset:
    frames = {name: parse_dates(store.read_table(conn, source)) for name, source in SOURCES.items()}
    return Dataset(**frames)


def load_district(conn: postgres.Connection, school_id: str, *,
                  fields_wanted: Collection[str] | None = None,
                  dates: tuple[dt.date, dt.date] | None = None,
                  columns: Mapping[str, Sequence[str]] | None = None) -> Dataset:
    """One school's dataset as the district database holds it (the same frames as :func:`load`).

    A school the district does not hold gives an empty dataset with every column.
    Columns the district does not carry (``last_seen`` of marks) are empty, and so are the
    tables it does not carry (``merge_files``: a school's own merge log).
    ``fields_wanted``: read only these frames of :class:`Dataset` (the others are empty,
    with every column); ``dates`` (first and last day): read only the marks and attendance
    of those days — for a report that looks at no other (the lessons stay whole);
    ``columns`` (field → column names): read only these columns of those frames — a
    report that looks at another fails on the missing column, it never sees it empty.
    """
    from journal.dataset import postgres

    bounds = None if dates is None else (dates[0].isoformat(),
                                         (dates[1] + dt.timedelta(days=1)).isoformat())
    frames = {}
    for name, source in SOURCES.items():
        wanted = fields_wanted is None or name in fields_wanted
        if not postgres.holds(source) or not wanted:
            frames[name] = _empty_frame(name)
            continue
        wanted_columns = (columns or {}).get(name)
        if name == "marks" and wanted_columns is not None and set(wanted_columns) <= MARK_COLUMNS:
            frames[name] = parse_dates(_district_marks(conn, school_id, bounds, wanted_columns))
            continue
        frames[name] = parse_dates(postgres.read_table(
            conn, source, [school_id], dates=bounds if name in ("marks", "attendance") else None,
            columns=wanted_columns))
    return Dataset(**frames)


# Columns of ``v_marks`` that come from the mark's lesson, and every column the district
# reads of a mark without the view (:func:`_district_marks`).
LESSON_OF_MARK = ("class", "subject", "grp", "date", "seq", "period", "kind", "teacher",
                  "substitute")
MARK_NUMBERS = ("id", "student_id", "position", "value", "weight")  # of postgres.read_marks
MARK_COLUMNS = frozenset({*LESSON_OF_MARK, *MARK_NUMBERS, "student"})


def _district_marks(conn: postgres.Connection, school_id: str, bounds: tuple[str, str] | None,
                    columns: Sequence[str]) -> pd.DataFrame:
    """The columns ``columns`` of ``v_marks`` of a school, the same rows in the same order:
    the marks' numbers, each with its lesson's columns and its student's name looked up —
    a hundred thousand marks share a few thousand lessons, so their texts are not sent
    (or made into Python objects) once for each mark."""
    from journal.dataset import postgres

    marks = postgres.read_marks(conn, school_id, bounds)
    frame = pd.DataFrame(index=pd.RangeIndex(len(marks)))
    lesson_columns = [c for c in columns if c in LESSON_OF_MARK]
    lessons = postgres.read_table(conn, "lessons", [school_id], dates=bounds,
                                  columns=["id", *lesson_columns]) if lesson_columns else None
    names = postgres.read_table(conn, "students", [school_id], columns=["id", "full_name"]) \
        if "student" in columns else None
    for column in columns:
        if column in MARK_NUMBERS:
            frame[column] = marks[column]
        elif lessons is not None and column in lesson_columns:
            at = pd.Index(lessons["id"]).get_indexer(marks["lesson_id"])
            frame[column] = lessons[column].take(at).reset_index(drop=True)
        elif names is not None:
            at = pd.Index(names["id"]).get_indexer(marks["student_id"])
            frame[column] = names["full_name"].take(at).reset_index(drop=True)
    return frame


@functools.cache
def _empty_frames() -> Dataset:
    return empty_dataset()


def _empty_frame(name: str) -> pd.DataFrame:
    """The frame ``name`` of :func:`empty_dataset` (a copy: callers may change theirs)."""
    frame: pd.DataFrame = getattr(_empty_frames(), name)
    return frame.copy()


def parse_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates and moments stored as ISO text become timestamps (unreadable ones NaT)."""
    frame = frame.copy()
    for column in frame.columns:
        if column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], errors="coerce").dt.normalize()
        elif column in MOMENT_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frame
