"""The workbook format: sheet names, defined names, ``_meta`` keys, and content values.

This module is the single source of the contract in ``DESIGN.md``. The template
builder writes it, the reader reads it; neither hard-codes a name of its own.
Readers find every input area through a workbook-level defined name, never by
fixed coordinates or by the file name.

Content classes (:class:`SubjectContent`, :class:`ClassContent`) hold what a
teacher typed, keyed by meaning (student, lesson date) rather than by cell, so
that the builder can write them into a new layout (demo school, template update)
and the reader can return them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FORMAT_VERSION = "1"

# Workbook kinds recorded in _meta
KIND_SUBJECT = "subject"
KIND_CLASS = "class"
KIND_SETTINGS = "settings"

META_SHEET = "_meta"
LISTS_SHEET = "_lists"
HELP_SHEET = "Инструкция"

# _meta keys (column A), values as text in column B
META_FORMAT_VERSION = "format_version"
META_KIND = "kind"
META_SCHOOL_YEAR = "school_year"
META_CLASS = "class"
META_SUBJECT = "subject"
META_GROUP = "group"
META_TEACHER = "teacher"
META_CREATED = "created"
META_KEYS = (META_FORMAT_VERSION, META_KIND, META_SCHOOL_YEAR, META_CLASS, META_SUBJECT,
             META_GROUP, META_TEACHER, META_CREATED)

# Subject workbook
SHEET_GRID = "Журнал"
SHEET_LOG = "Уроки"
SHEET_FINALS = "Итоговые"
NAME_STUDENTS = "jr_students"  # column of full names
NAME_DATES = "jr_dates"  # row of lesson dates, one cell per lesson
NAME_KINDS = "jr_kinds"  # row of kinds of work, one per lesson column
NAME_MARKS = "jr_marks"  # students × dates
NAME_ROW_NUMBERS = "jr_row_numbers"  # the «№» column beside jr_students: row n of the roster
META_ROSTER = "students"  # _meta key: the roster in row order when built, names joined by «|»
NAME_LOG = "jr_log"  # header row + one row per lesson: LOG_COLUMNS
NAME_FINALS = "jr_finals"  # header row + one row per student; first column the full name
LOG_DATE = "Дата"
LOG_TOPIC = "Тема урока"
LOG_HOMEWORK = "Домашнее задание"
LOG_SUBSTITUTE = "Замена: кто провёл урок"
LOG_COLUMNS = (LOG_DATE, LOG_TOPIC, LOG_HOMEWORK, LOG_SUBSTITUTE)
FINALS_NAME_COLUMN = "Ученик"
FINAL_YEAR = "Год"
FINAL_EXAM = "Экзамен"
FINAL_FINAL = "Итог"

# Lists behind drop-downs, on the hidden _lists sheet
LIST_MARKS = "jr_list_marks"
LIST_KINDS = "jr_list_kinds"
LIST_FINALS = "jr_list_finals"
LIST_REASONS = "jr_list_reasons"

# Class workbook
SHEET_STUDENTS = "Ученики"
SHEET_PARENTS = "Родители"
SHEET_REASONS = "Причины пропусков"
SHEET_NOTES = "Заметки для родителей"
NAME_CLASS_STUDENTS = "jr_class_students"  # header row + rows: STUDENT_COLUMNS (+ group columns)
NAME_PARENTS = "jr_parents"  # header row + rows: PARENT_COLUMNS
NAME_REASONS = "jr_absence_reasons"  # header row + rows: REASON_COLUMNS
NAME_NOTES = "jr_notes"  # header row + rows: NOTE_COLUMNS
STUDENT_NAME = "ФИО ученика"
STUDENT_BIRTH = "Дата рождения"
STUDENT_JOINED = "Дата зачисления"
STUDENT_LEFT = "Дата выбытия"
STUDENT_COLUMNS = (STUDENT_NAME, STUDENT_BIRTH, STUDENT_JOINED, STUDENT_LEFT)
GROUP_COLUMN_PREFIX = "Группа: "  # one extra column per subject the class is split for
PARENT_STUDENT = "Ученик"
PARENT_NAME = "ФИО родителя"
PARENT_PHONE = "Телефон"
PARENT_EMAIL = "Электронная почта"
PARENT_COLUMNS = (PARENT_STUDENT, PARENT_NAME, PARENT_PHONE, PARENT_EMAIL)
REASON_STUDENT = "Ученик"
REASON_FROM = "С"
REASON_TO = "По"
REASON_CODE = "Причина"
REASON_DOCUMENT = "Документ"
REASON_COLUMNS = (REASON_STUDENT, REASON_FROM, REASON_TO, REASON_CODE, REASON_DOCUMENT)
NOTE_STUDENT = "Ученик"
NOTE_TEXT = "Заметка для родителей"
NOTE_COLUMNS = (NOTE_STUDENT, NOTE_TEXT)

# Events and messages (optional areas: workbooks made before them lack the sheets)
SHEET_CLASS_EVENTS = "События класса"  # class workbook
SHEET_MESSAGES = "Сообщения"  # class and subject workbooks
NAME_CLASS_EVENTS = "jr_class_events"  # header row + rows: EVENT_COLUMNS
NAME_MESSAGES = "jr_messages"  # header row + rows: MESSAGE_COLUMNS
EVENT_DATE = "Дата"
EVENT_TITLE = "Событие"
EVENT_COLUMNS = (EVENT_DATE, EVENT_TITLE)
MESSAGE_DATE = "Дата"
MESSAGE_TO = "Кому"
MESSAGE_TEXT = "Текст сообщения"
MESSAGE_COLUMNS = (MESSAGE_DATE, MESSAGE_TO, MESSAGE_TEXT)
MESSAGE_TO_CLASS = "класс"  # «Кому» for a message to the whole class
LIST_RECIPIENTS = "jr_list_recipients"  # subject workbook: «класс» and the roster


@dataclass(frozen=True)
class WorkbookMeta:
    """What a workbook is, from its ``_meta`` sheet."""

    kind: str
    school_year: str
    class_name: str
    subject: str = ""
    group: str = ""
    teacher: str = ""
    format_version: str = FORMAT_VERSION
    created: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """(class, subject, group)."""
        return (self.class_name, self.subject, self.group)

    def title(self) -> str:
        """«5А — Математика (1 гр.)» for messages and file names."""
        if self.kind == KIND_CLASS:
            return f"{self.class_name} — файл классного руководителя"
        group = f" ({self.group})" if self.group else ""
        return f"{self.class_name} — {self.subject}{group}"


LessonKey = tuple[dt.date, int]  # (date, n-th lesson of the subject on that date, from 1)


@dataclass
class LogEntry:
    """One row of the lesson log."""

    topic: str = ""
    homework: str = ""
    substitute: str = ""


@dataclass(frozen=True)
class Message:
    """A message typed into a workbook: its date (as typed), addressee (as typed) and text."""

    date: object
    to: str
    text: str


@dataclass(frozen=True)
class ClassEvent:
    """An event of the class typed into the class workbook (date as typed)."""

    date: object
    title: str


@dataclass
class SubjectContent:
    """What a teacher typed into a subject workbook, keyed by meaning.

    ``marks`` and ``finals`` hold raw cell values as typed (str, int, float, date):
    validation normalises them later.
    """

    marks: dict[tuple[str, dt.date, int], object] = field(default_factory=dict)
    kinds: dict[LessonKey, str] = field(default_factory=dict)
    log: dict[LessonKey, LogEntry] = field(default_factory=dict)
    finals: dict[tuple[str, str], object] = field(default_factory=dict)  # (student, column)
    messages: list[Message] = field(default_factory=list)


@dataclass
class StudentRecord:
    """A row of the class list."""

    full_name: str
    birth_date: dt.date | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    groups: dict[str, str] = field(default_factory=dict)  # subject → group name


@dataclass
class ParentRecord:
    """A parent's contact details."""

    student: str
    full_name: str
    phone: str = ""
    email: str = ""


@dataclass
class AbsenceReason:
    """A reason for absence over a date range from the class teacher."""

    student: str
    start: dt.date
    end: dt.date
    code: str  # Б, У, Н, О
    document: str = ""


@dataclass
class ClassContent:
    """What a class teacher typed into a class workbook."""

    students: list[StudentRecord] = field(default_factory=list)
    parents: list[ParentRecord] = field(default_factory=list)
    reasons: list[AbsenceReason] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    events: list[ClassEvent] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


def final_columns(period_names: list[str] | tuple[str, ...]) -> list[str]:
    """The columns of ``jr_finals`` after the name column: periods, year, exam, final."""
    return [*period_names, FINAL_YEAR, FINAL_EXAM, FINAL_FINAL]


def lesson_keys(dates: list[dt.date]) -> list[LessonKey]:
    """(date, n) for each lesson column: the n-th lesson on that date, counting from 1."""
    seen: dict[dt.date, int] = {}
    keys = []
    for day in dates:
        seen[day] = seen.get(day, 0) + 1
        keys.append((day, seen[day]))
    return keys
