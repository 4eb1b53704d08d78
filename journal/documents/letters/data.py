"""What goes in a letter to parents: each student's own diary for the last two weeks.

The regulation asks the class teacher to inform parents at least every two weeks
(5.2 в) and lets parents see only their own child's data (3.6). A letter holds,
for one student and one date range: the marks of the range with dates and kinds
of work, the weighted average so far in the current period, the period marks
already set, the homework of the range, the attendance of the range, the
student's place in the class by average mark, and the class teacher's note; the school's and
the class's events of the two weeks (and of the two weeks after them) and the messages of the
two weeks to the class or to this family, a few of each (the diary holds them all).

:func:`build_letters` assembles :class:`Letter` values from the dataset (its queries
are in :mod:`journal.dataset.store`, the averages are the reports' own). How a letter
looks is in :mod:`journal.documents.letters.layout`, its files in
:mod:`journal.documents.letters.files`.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from journal.dataset import store
from journal.reports.common import enrolled_between, weighted_averages
from journal.school.settings import Period, SchoolClass, Settings, normalise_class_name

LETTER_DAYS = 14
REASONS = ("Б", "У", "Н")
LATE = "О"
EMAIL_RE = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]+$")


@dataclass(frozen=True)
class DateRange:
    """The days a letter covers, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        """«2026-11-14 — 2026-11-27»: the range as the sent-log records it (never shown)."""
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"

    @property
    def short_ru(self) -> str:
        """«14.11–27.11.2026», or «28.12.2026–10.01.2027» across a new year."""
        if self.start.year == self.end.year:
            return f"{self.start:%d.%m}–{self.end:%d.%m.%Y}"
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    @property
    def folder_name(self) -> str:
        """«Письма родителям 14.11–27.11.2026»: the folder of the range's letters."""
        return f"Письма родителям {self.short_ru}"

    @property
    def text_ru(self) -> str:
        """«с 14.11.2026 по 27.11.2026»."""
        return f"с {self.start:%d.%m.%Y} по {self.end:%d.%m.%Y}"

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` is inside the range."""
        return self.start <= day <= self.end


def default_range(today: dt.date) -> DateRange:
    """The two weeks that end on ``today``."""
    return DateRange(today - dt.timedelta(days=LETTER_DAYS - 1), today)


def letters_today(settings: Settings, today: dt.date | None = None) -> dt.date:
    """The day letters are made for: ``today`` if given, a demo school's own, else the real one."""
    return today or settings.today or dt.date.today()


@dataclass(frozen=True)
class MarkEntry:
    """One mark of the range."""

    date: dt.date
    kind: str
    value: int
    weight: float


@dataclass(frozen=True)
class HomeworkEntry:
    """The homework set at one lesson."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class SubjectDiary:
    """One subject of a letter."""

    subject: str
    teacher: str
    marks: tuple[MarkEntry, ...] = ()
    average: float | None = None  # weighted, from the period start to the end of the range
    period_marks: tuple[tuple[str, str], ...] = ()  # (period or kind name, value)
    homework: tuple[HomeworkEntry, ...] = ()


@dataclass(frozen=True)
class Absence:
    """One lesson missed or come late to."""

    date: dt.date
    subject: str
    reason: str  # Б / У / Н / О


@dataclass(frozen=True)
class Attendance:
    """What the range's attendance was."""

    absences: tuple[Absence, ...] = ()

    def missed(self, reason: str | None = None) -> int:
        """Lessons missed (for one reason, or all but late arrivals)."""
        return sum(1 for a in self.absences
                   if a.reason != LATE and (reason is None or a.reason == reason))

    @property
    def late(self) -> int:
        """Late arrivals."""
        return sum(1 for a in self.absences if a.reason == LATE)

    def days(self, reason: str) -> list[tuple[dt.date, int]]:
        """(date, lessons) for one reason, by date."""
        counts: dict[dt.date, int] = {}
        for a in self.absences:
            if a.reason == reason:
                counts[a.date] = counts.get(a.date, 0) + 1
        return sorted(counts.items())


@dataclass(frozen=True)
class Parent:
    """A parent with the e-mail addresses the class workbook gives."""

    full_name: str
    emails: tuple[str, ...] = ()
    invalid_email: str = ""  # what was typed when it is not an address


@dataclass(frozen=True)
class Rating:
    """The student's place in the class by average mark; never another student's data."""

    place: int | None  # None when the student has no marks yet
    of: int  # students of the class who have an average


@dataclass(frozen=True)
class Told:
    """An event (``who`` empty) or a message (``who``: from whom) in a letter."""

    date: dt.date
    text: str
    who: str = ""


MAX_TOLD = 4  # events, and messages, a letter shows at most: the diary has the rest
EVENTS_AHEAD = 14  # days after the letter's range whose events the letter announces


@dataclass(frozen=True)
class Letter:
    """Everything one letter says, about one student only."""

    school_name: str
    school_year: str
    class_name: str
    class_teacher: str
    student_id: int
    student: str
    date_range: DateRange
    period: Period | None
    subjects: tuple[SubjectDiary, ...]
    attendance: Attendance
    rating: Rating
    average: float | None  # the mean of the subjects' weighted averages, what the rating ranks
    note: str = ""
    parents: tuple[Parent, ...] = ()
    has_marks: bool = True  # grade 1 is taught without marks
    rating_shown: bool = True  # the school's setting «Место в классе в письмах родителям»
    events: tuple[Told, ...] = ()  # the school's and the class's events
    messages: tuple[Told, ...] = ()  # to the class or to this family
    more_told: int = 0  # events and messages left out to keep the letter short

    @property
    def emails(self) -> tuple[str, ...]:
        """Every valid parent address, without repeats."""
        seen: dict[str, None] = {}
        for p in self.parents:
            for e in p.emails:
                seen.setdefault(e.lower(), None)
        return tuple(seen)


@dataclass
class _ClassData:
    school_class: SchoolClass
    class_teacher: str
    period: Period | None
    students: pd.DataFrame
    marks: pd.DataFrame
    finals: pd.DataFrame
    lessons: pd.DataFrame
    attendance: pd.DataFrame
    groups: dict[tuple[int, str], str] = field(default_factory=dict)
    events: pd.DataFrame | None = None
    messages: pd.DataFrame | None = None


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of a frame as named tuples (typed loosely: columns are checked by the SQL)."""
    return iter(frame.itertuples(index=False))


def current_period(settings: Settings, school_class: SchoolClass, day: dt.date) -> Period | None:
    """The class's period containing ``day``; in holidays the last one begun before it."""
    found = settings.period_of(school_class, day)
    if found is not None:
        return found
    begun = [p for p in settings.periods_for(school_class) if p.start <= day]
    return begun[-1] if begun else None


def split_emails(text: str) -> tuple[tuple[str, ...], str]:
    """Addresses typed in one cell («a@b.ru; c@d.ru»), and what of it is not an address."""
    parts = [p.strip().strip("<>") for p in re.split(r"[;,\s]+", text or "") if p.strip()]
    good = tuple(p for p in parts if EMAIL_RE.match(p))
    bad = " ".join(p for p in parts if not EMAIL_RE.match(p))
    return good, bad


@dataclass(frozen=True)
class LetterBatch:
    """The letters of a range, and the classes that got none because nothing was entered."""

    letters: list[Letter]
    silent_classes: list[str]  # no mark, topic, homework, absence or note in the range


def build_letters(
    conn: sqlite3.Connection,
    settings: Settings,
    date_range: DateRange,
    class_name: str | None = None,
) -> list[Letter]:
    """One letter per student of every class (or of ``class_name``) on the range's last day.

    Students who left before the range began or joined after it ended get none, and so
    does a class whose journal is empty for the range (see :func:`gather_letters`).
    """
    return gather_letters(conn, settings, date_range, class_name).letters


def gather_letters(
    conn: sqlite3.Connection,
    settings: Settings,
    date_range: DateRange,
    class_name: str | None = None,
) -> LetterBatch:
    """The letters of every class (or of ``class_name``) that has something to tell parents.

    A class where no teacher entered anything for the range — no mark, lesson topic,
    homework, absence, class teacher's note or message to the class — gets no letters: each
    would say «нет отметок» for every subject. Such classes are listed in ``silent_classes``.
    """
    letters: list[Letter] = []
    silent: list[str] = []
    for school_class, class_teacher in _classes(conn, settings, class_name):
        data = _load_class(conn, settings, school_class, class_teacher, date_range)
        if data.students.empty:
            continue
        if not _has_entries(data, date_range, conn):
            silent.append(school_class.name)
            continue
        letters.extend(_class_letters(settings, data, date_range, conn))
    return LetterBatch(letters, silent)


def _has_entries(data: _ClassData, date_range: DateRange, conn: sqlite3.Connection) -> bool:
    """True when a teacher entered anything for the class in the range."""
    start = date_range.start.isoformat()
    if not data.attendance.empty or (data.marks["date"] >= start).any():
        return True
    for column in ("topic", "homework"):
        if data.lessons[column].fillna("").astype(str).str.strip().ne("").any():
            return True
    if data.messages is not None and not data.messages[data.messages["student"] == ""].empty:
        return True
    return bool(_notes(conn, data.students["id"].tolist()))


def _classes(
    conn: sqlite3.Connection, settings: Settings, class_name: str | None
) -> list[tuple[SchoolClass, str]]:
    rows = store.letter_classes(conn)
    in_store = {normalise_class_name(r.name): r for r in _rows(rows)}
    names = [c.name for c in settings.classes]
    names += [str(r.name) for r in _rows(rows)
              if settings.school_class(str(r.name)) is None]
    found: list[tuple[SchoolClass, str]] = []
    for name in names:
        if class_name is not None and normalise_class_name(name) != normalise_class_name(class_name):
            continue
        known = settings.school_class(name)
        row = in_store.get(normalise_class_name(name))
        if known is None:
            assert row is not None
            known = SchoolClass(str(row.name), int(row.grade), str(row.letter), str(row.class_teacher))
        teacher = (str(row.class_teacher) if row is not None and row.class_teacher else "") \
            or known.class_teacher
        found.append((known, teacher))
    return found


def _load_class(
    conn: sqlite3.Connection,
    settings: Settings,
    school_class: SchoolClass,
    class_teacher: str,
    date_range: DateRange,
) -> _ClassData:
    name = school_class.name
    period = current_period(settings, school_class, date_range.end)
    since = min(date_range.start, period.start) if period else date_range.start
    students = store.letter_students(conn, name)
    students = enrolled_between(students, date_range.start, date_range.end).reset_index(drop=True)
    marks = store.letter_marks(conn, name, since, date_range.end)
    finals = store.letter_final_marks(conn, name)
    lessons = store.letter_lessons(conn, name, date_range.start, date_range.end)
    attendance = store.letter_attendance(conn, name, date_range.start, date_range.end)
    group_rows = store.letter_student_groups(conn, name)
    groups = {(int(r.student_id), str(r.subject)): str(r.grp) for r in _rows(group_rows)}
    told = store.class_events_and_messages(conn, name, date_range.start,
                                           date_range.end + dt.timedelta(days=EVENTS_AHEAD))
    messages = told["messages"]
    messages = messages[messages["date"] <= date_range.end.isoformat()]
    return _ClassData(school_class, class_teacher, period, students, marks, finals, lessons,
                      attendance, groups, told["events"], messages)


def _class_letters(
    settings: Settings, data: _ClassData, date_range: DateRange, conn: sqlite3.Connection
) -> list[Letter]:
    if data.students.empty:
        return []
    period_marks = data.marks
    if data.period is not None:
        period_marks = period_marks[period_marks["date"] >= data.period.start.isoformat()]
    else:
        period_marks = period_marks.iloc[0:0]
    averages = subject_averages(period_marks)
    overall = overall_averages(averages, data.students["id"].tolist())
    parents = _parents(conn, data.students["id"].tolist())
    notes = _notes(conn, data.students["id"].tolist())
    subjects = _subject_order(settings, data)
    index = _index(settings, data)
    letters = []
    for row in _rows(data.students):
        sid = int(row.id)
        diaries = tuple(
            diary for subject in subjects
            if (diary := _diary(settings, data, index, date_range, sid, subject, averages)) is not None
        )
        letters.append(Letter(
            school_name=settings.school_name,
            school_year=settings.school_year,
            class_name=data.school_class.name,
            class_teacher=data.class_teacher,
            student_id=sid,
            student=str(row.full_name),
            date_range=date_range,
            period=data.period,
            subjects=diaries,
            attendance=_attendance(index.attendance.get(sid, [])),
            rating=class_rating(overall, sid),
            average=overall.get(sid),
            note=notes.get(sid, ""),
            parents=parents.get(sid, ()),
            has_marks=settings.marks_on(data.school_class, date_range.end),
            rating_shown=settings.letter_rating,
            **_told(data, str(row.full_name)),
        ))
    return letters


def _told(data: _ClassData, student: str) -> dict[str, Any]:
    """The letter's events and messages (the newest first, at most MAX_TOLD of each)."""
    events = [Told(dt.date.fromisoformat(str(r.date)), str(r.title))
              for r in _rows(data.events)] if data.events is not None else []
    messages = []
    for r in _rows(data.messages) if data.messages is not None else []:
        to = str(r.student or "")
        if to and to != student:
            continue
        who = f"{r.author}, {r.subject}" if str(r.subject or "") else f"{r.author}, классный руководитель"
        messages.append(Told(dt.date.fromisoformat(str(r.date)), str(r.text), who.strip(", ")))
    messages.reverse()
    more = max(0, len(events) - MAX_TOLD) + max(0, len(messages) - MAX_TOLD)
    return {"events": tuple(events[:MAX_TOLD]), "messages": tuple(messages[:MAX_TOLD]), "more_told": more}


def subject_averages(marks: pd.DataFrame) -> dict[tuple[int, str], float]:
    """{(student id, subject): weighted average} of ``v_marks`` rows, as every report computes it.

    A student's marks in two groups of one subject (moved between groups) make one average.
    """
    if marks.empty:
        return {}
    table = weighted_averages(marks, by=["class", "subject", "student_id"])
    return {(int(r.student_id), str(r.subject)): float(r.weighted_average)
            for r in _rows(table) if pd.notna(r.weighted_average)}


def overall_averages(
    averages: dict[tuple[int, str], float], students: Iterable[int]
) -> dict[int, float]:
    """{student id: the mean of the student's subject averages}: what the class rating ranks."""
    wanted = set(students)
    per_student: dict[int, list[float]] = {}
    for (sid, _subject), value in averages.items():
        if sid in wanted:
            per_student.setdefault(sid, []).append(value)
    return {sid: sum(v) / len(v) for sid, v in per_student.items()}


def class_rating(overall: dict[int, float], student_id: int) -> Rating:
    """The student's place in the class by :func:`overall_averages` (ties share a place)."""
    mine = overall.get(student_id)
    if mine is None:
        return Rating(None, len(overall))
    shown = round(mine, 2)
    above = sum(1 for v in overall.values() if round(v, 2) > shown)
    return Rating(above + 1, len(overall))


def _subject_order(settings: Settings, data: _ClassData) -> list[str]:
    order: list[str] = []
    for item in settings.curriculum_for(data.school_class.name):
        if item.subject not in order:
            order.append(item.subject)
    extra = set(data.marks["subject"]) | set(data.lessons["subject"]) | set(data.finals["subject"])
    order.extend(sorted(s for s in extra if s not in order))
    return order


@dataclass
class _Index:
    """A class's rows grouped once, so that each letter picks its own without scanning."""

    marks: dict[tuple[int, str], list[Any]]  # (student, subject) → rows by date
    finals: dict[tuple[int, str], list[Any]]
    lessons: dict[str, list[Any]]  # subject → lessons of the range by date
    attendance: dict[int, list[Any]]  # student → absences of the range
    groups: dict[str, set[str]]  # subject → its groups ('' when not split)
    teachers: dict[tuple[str, str], str]  # (subject, group) → the curriculum's teacher


def _index(settings: Settings, data: _ClassData) -> _Index:
    marks: dict[tuple[int, str], list[Any]] = {}
    for r in _rows(data.marks):
        marks.setdefault((int(r.student_id), str(r.subject)), []).append(r)
    finals: dict[tuple[int, str], list[Any]] = {}
    for r in _rows(data.finals):
        finals.setdefault((int(r.student_id), str(r.subject)), []).append(r)
    lessons: dict[str, list[Any]] = {}
    groups: dict[str, set[str]] = {}
    teachers: dict[tuple[str, str], str] = {}
    for item in settings.curriculum_for(data.school_class.name):
        groups.setdefault(item.subject, set()).add(item.group)
        teachers[(item.subject, item.group)] = item.teacher
    for r in _rows(data.lessons):
        lessons.setdefault(str(r.subject), []).append(r)
        groups.setdefault(str(r.subject), set()).add(str(r.grp))
    attendance: dict[int, list[Any]] = {}
    for r in _rows(data.attendance):
        attendance.setdefault(int(r.student_id), []).append(r)
    return _Index(marks, finals, lessons, attendance, groups, teachers)


def _student_group(data: _ClassData, index: _Index, student_id: int, subject: str) -> str | None:
    """The student's group for a subject: '' when the class is not split, None when not in any."""
    known = data.groups.get((student_id, subject))
    if known is not None:
        return known
    groups = index.groups.get(subject, set())
    if not groups or groups == {""}:
        return ""
    mine = index.marks.get((student_id, subject))
    return str(mine[-1].grp) if mine else None


def _diary(
    settings: Settings,
    data: _ClassData,
    index: _Index,
    date_range: DateRange,
    student_id: int,
    subject: str,
    averages: dict[tuple[int, str], float],
) -> SubjectDiary | None:
    group = _student_group(data, index, student_id, subject)
    marks = index.marks.get((student_id, subject), [])
    finals = index.finals.get((student_id, subject), [])
    if group is None and not marks and not finals:
        return None
    start = date_range.start.isoformat()
    lessons = [r for r in index.lessons.get(subject, []) if str(r.grp) in {group or "", ""}]
    homework = tuple(
        HomeworkEntry(dt.date.fromisoformat(r.date), " ".join(str(r.homework).split()))
        for r in lessons if str(r.homework).strip()
    )
    return SubjectDiary(
        subject=subject,
        teacher=_teacher(index, subject, group or "", lessons, marks),
        marks=tuple(MarkEntry(dt.date.fromisoformat(r.date), str(r.kind), int(r.value), float(r.weight))
                    for r in marks if str(r.date) >= start),
        average=averages.get((student_id, subject)),
        period_marks=_final_marks(settings, data, finals),
        homework=homework,
    )


def _teacher(index: _Index, subject: str, group: str, lessons: list[Any], marks: list[Any]) -> str:
    known = index.teachers.get((subject, group))
    if known:
        return known
    for rows in (lessons, marks):
        names = [str(r.teacher) for r in rows if str(r.teacher)]
        if names:
            return names[-1]
    return ""


FINAL_KIND_RU = {"year": "Год", "exam": "Экзамен", "final": "Итог"}


def _final_marks(settings: Settings, data: _ClassData, finals: list[Any]) -> tuple[tuple[str, str], ...]:
    order = {p.name: p.number for p in settings.periods_for(data.school_class)}
    rows = []
    for r in finals:
        if r.kind == "period":
            rows.append((0, order.get(str(r.period), 99), str(r.period), str(r.value)))
        else:
            rank = list(FINAL_KIND_RU).index(r.kind) + 1 if r.kind in FINAL_KIND_RU else 9
            rows.append((rank, 0, FINAL_KIND_RU.get(str(r.kind), str(r.kind)), str(r.value)))
    return tuple((name, value) for _, _, name, value in sorted(rows))


def _attendance(rows: list[Any]) -> Attendance:
    return Attendance(tuple(
        Absence(dt.date.fromisoformat(r.date), str(r.subject), str(r.reason) or "Н") for r in rows
    ))


def _parents(conn: sqlite3.Connection, students: list[int]) -> dict[int, tuple[Parent, ...]]:
    rows = store.letter_parents(conn)
    found: dict[int, list[Parent]] = {}
    wanted = set(students)
    for r in _rows(rows):
        if int(r.student_id) not in wanted:
            continue
        good, bad = split_emails(str(r.email or ""))
        found.setdefault(int(r.student_id), []).append(Parent(str(r.full_name), good, bad))
    return {k: tuple(v) for k, v in found.items()}


def _notes(conn: sqlite3.Connection, students: list[int]) -> dict[int, str]:
    rows = store.letter_notes(conn)
    wanted = set(students)
    return {int(r.student_id): str(r.text).strip() for r in _rows(rows)
            if int(r.student_id) in wanted and str(r.text).strip()}
