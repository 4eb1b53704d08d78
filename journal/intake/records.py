"""What validation hands to the merge: normalised records of subject and class workbooks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from journal.core.findings import Finding, has_errors


@dataclass(frozen=True)
class LessonRecord:
    """One lesson column of a subject workbook, planned or held."""

    date: dt.date
    seq: int
    period: str
    kind: str
    topic: str
    homework: str
    substitute: str
    allowed_days: int  # days after the lesson a mark may still be entered on time
    cell: str = ""  # the date cell of the grid
    topic_cell: str = ""  # the topic cell of the lesson log
    homework_cell: str = ""
    teacher: str = ""  # who gave the lesson when the line changed hands ("" — the workbook's)


class MarkRecord(NamedTuple):
    """One mark (a cell «5/4» gives two, positions 1 and 2).

    A named tuple, as :class:`AttendanceRecord`: a year workbook has some 2,000 of them, and a
    tuple is made five times faster than a frozen dataclass.
    """

    student: str
    date: dt.date
    seq: int
    position: int
    value: int
    weight: float
    cell: str


class AttendanceRecord(NamedTuple):
    """An absence code in the grid."""

    student: str
    date: dt.date
    seq: int
    code: str
    cell: str


@dataclass(frozen=True)
class FinalRecord:
    """A period, year, exam or final mark."""

    student: str
    kind: str  # period / year / exam / final
    period: str  # the period's name for kind = period
    value: str
    cell: str


@dataclass(frozen=True)
class MessageRow:
    """A message to the class (``student`` empty) or to one student's family."""

    date: dt.date
    student: str
    text: str
    cell: str  # the text's cell


@dataclass(frozen=True)
class EventRow:
    """An event of the class."""

    date: dt.date
    title: str
    cell: str


@dataclass
class SubjectRecords:
    """A subject workbook after validation, ready to merge."""

    file: str
    class_name: str
    subject: str
    group: str
    teacher: str
    grade: int
    students: list[str] = field(default_factory=list)
    lessons: list[LessonRecord] = field(default_factory=list)
    marks: list[MarkRecord] = field(default_factory=list)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    finals: list[FinalRecord] = field(default_factory=list)
    new_students: list[str] = field(default_factory=list)  # only when the class has no list
    messages: list[MessageRow] = field(default_factory=list)
    # lessons of the timetable whose columns are not in the grid (deleted columns): merge
    # rejects the workbook when the dataset holds anything for them
    missing_lessons: list[tuple[dt.date, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        """(class, subject, group)."""
        return (self.class_name, self.subject, self.group)


@dataclass(frozen=True)
class StudentRow:
    """A student of a class list, normalised."""

    full_name: str
    birth_date: dt.date | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    groups: tuple[tuple[str, str], ...] = ()  # (subject, group)


@dataclass(frozen=True)
class ParentRow:
    """A parent's contacts."""

    student: str
    full_name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReasonRow:
    """A reason for absence over a date range."""

    student: str
    start: dt.date
    end: dt.date
    code: str
    document: str = ""


@dataclass
class ClassRecords:
    """A class workbook after validation, ready to merge."""

    file: str
    class_name: str
    grade: int
    letter: str
    class_teacher: str
    students: list[StudentRow] = field(default_factory=list)
    parents: list[ParentRow] = field(default_factory=list)
    reasons: list[ReasonRow] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    events: list[EventRow] = field(default_factory=list)
    messages: list[MessageRow] = field(default_factory=list)


@dataclass
class Validated:
    """The outcome of validating one workbook: records (None when unusable) and findings."""

    records: SubjectRecords | ClassRecords | None
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        """True when the workbook must be rejected."""
        return has_errors(self.findings)


@dataclass(frozen=True)
class KnownStudent:
    """A student of the class list the subject workbook is checked against."""

    full_name: str
    joined: dt.date | None = None
    left: dt.date | None = None
    groups: tuple[tuple[str, str], ...] = ()  # (subject, group) from the class list
