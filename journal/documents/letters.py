"""Letters to parents: each student's own diary for the last two weeks.

The regulation asks the class teacher to inform parents at least every two weeks
(5.2 в) and lets parents see only their own child's data (3.6). A letter holds,
for one student and one date range: the marks of the range with dates and kinds
of work, the weighted average so far in the current period, the period marks
already set, the homework of the range, the attendance of the range, the
student's place in the class by average mark, and the class teacher's note.

:func:`build_letters` assembles :class:`Letter` values from the dataset;
:func:`letter_html` turns one into HTML; :func:`write_letters` renders the PDFs,
the combined class files and the delivery list. Sending is in
:mod:`journal.documents.mailing`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from journal.core.errors import RenderError, UsageError
from journal.core.formatting import (
    MISSING,
    count_ru,
    date_long_ru,
    date_short_ru,
    initials_ru,
    month_ru,
    number_ru,
    ordinal_place_ru,
)
from journal.dataset import store
from journal.documents.html import FONT_FAMILY, css_string, document, esc, signature_block
from journal.documents.pdf import PdfRenderer, write_atomically
from journal.reports.common import enrolled_between, weighted_averages
from journal.school.folder import LETTERS_DIR, SchoolFolder, safe_file_name
from journal.school.settings import Period, SchoolClass, Settings, normalise_class_name

if TYPE_CHECKING:
    from pypdf import PdfReader

LETTER_DAYS = 14
REASONS = ("Б", "У", "Н")
LATE = "О"
REASON_RU = {"Б": "по болезни", "У": "по уважительной причине", "Н": "без уважительной причины"}
EMAIL_RE = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]+$")


@dataclass(frozen=True)
class DateRange:
    """The days a letter covers, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        """«2026-11-14 — 2026-11-27»: the range's folder name, sorts by date."""
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"

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


def build_letters(
    conn: sqlite3.Connection,
    settings: Settings,
    date_range: DateRange,
    class_name: str | None = None,
) -> list[Letter]:
    """One letter per student of every class (or of ``class_name``) on the range's last day.

    Students who left before the range began or joined after it ended get none.
    """
    classes = _classes(conn, settings, class_name)
    letters: list[Letter] = []
    for school_class, class_teacher in classes:
        data = _load_class(conn, settings, school_class, class_teacher, date_range)
        letters.extend(_class_letters(settings, data, date_range, conn))
    return letters


def _classes(
    conn: sqlite3.Connection, settings: Settings, class_name: str | None
) -> list[tuple[SchoolClass, str]]:
    rows = store.read_sql(conn, "SELECT name, grade, letter, class_teacher FROM classes")
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
    students = store.read_sql(
        conn,
        "SELECT id, full_name, joined, left_on FROM students WHERE class = ? ORDER BY full_name",
        (name,),
    )
    students = enrolled_between(students, date_range.start, date_range.end).reset_index(drop=True)
    marks = store.read_sql(
        conn,
        "SELECT class, student_id, subject, grp, date, seq, kind, value, weight, teacher, position "
        "FROM v_marks WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq, position",
        (name, since.isoformat(), date_range.end.isoformat()),
    )
    finals = store.read_sql(
        conn,
        "SELECT student_id, subject, grp, kind, period, value FROM v_final_marks WHERE class = ?",
        (name,),
    )
    lessons = store.read_sql(
        conn,
        "SELECT subject, grp, date, seq, homework, teacher, substitute FROM lessons "
        "WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq",
        (name, date_range.start.isoformat(), date_range.end.isoformat()),
    )
    attendance = store.read_sql(
        conn,
        "SELECT student_id, subject, date, seq, reason FROM v_attendance "
        "WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq",
        (name, date_range.start.isoformat(), date_range.end.isoformat()),
    )
    group_rows = store.read_sql(
        conn,
        "SELECT g.student_id, g.subject, g.grp FROM student_groups g "
        "JOIN students s ON s.id = g.student_id WHERE s.class = ?",
        (name,),
    )
    groups = {(int(r.student_id), str(r.subject)): str(r.grp) for r in _rows(group_rows)}
    return _ClassData(school_class, class_teacher, period, students, marks, finals, lessons,
                      attendance, groups)


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
            has_marks=data.school_class.has_marks,
        ))
    return letters


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
    rows = store.read_sql(conn, "SELECT student_id, full_name, email FROM parents ORDER BY id")
    found: dict[int, list[Parent]] = {}
    wanted = set(students)
    for r in _rows(rows):
        if int(r.student_id) not in wanted:
            continue
        good, bad = split_emails(str(r.email or ""))
        found.setdefault(int(r.student_id), []).append(Parent(str(r.full_name), good, bad))
    return {k: tuple(v) for k, v in found.items()}


def _notes(conn: sqlite3.Connection, students: list[int]) -> dict[int, str]:
    rows = store.read_sql(conn, "SELECT student_id, text FROM notes")
    wanted = set(students)
    return {int(r.student_id): str(r.text).strip() for r in _rows(rows)
            if int(r.student_id) in wanted and str(r.text).strip()}


# --- HTML ---------------------------------------------------------------------------------

KIND_SHORT_RU = {
    "ответ на уроке": "ответ",
    "домашняя работа": "дом. работа",
    "практическая работа": "практич.",
    "самостоятельная работа": "самост.",
    "диктант": "диктант",
    "сочинение / изложение": "сочинение",
    "лабораторная работа": "лаборат.",
    "проверочная работа": "провероч.",
    "контрольная работа": "контр.",
}

LETTER_CSS = """
body { font-size: 9pt; line-height: 1.25; }
.letter-head { display: flex; justify-content: space-between; align-items: flex-end; gap: 6mm;
  border-bottom: 1.2pt solid #2f5d8a; padding-bottom: 3pt; margin-bottom: 4pt; font-size: 8pt;
  color: #333; }
.letter-head .range { text-align: right; white-space: nowrap; }
h1.student { font-size: 15pt; margin: 2pt 0 0 0; color: #1f3f60; }
.who { margin: 0 0 4pt 0; }
.greeting { margin: 3pt 0 5pt 0; }
.summary { display: flex; gap: 5pt; margin: 3pt 0 4pt 0; }
.summary .box { flex: 1 1 0; min-width: 0; box-sizing: border-box; border: 0.7pt solid #9db4cc;
  border-radius: 3pt; background: #f2f6fa; padding: 2pt 5pt; }
.summary .label { font-size: 7.5pt; color: #444; }
.summary .value { font-size: 12pt; font-weight: bold; color: #1f3f60; }
.summary .hint { font-size: 7pt; color: #444; }
h2 { font-size: 10.5pt; color: #1f3f60; margin: 6pt 0 2pt 0; }
/* 100% would put the right border of the collapsed table just outside the page area */
table.diary { width: calc(100% - 1pt); margin: 2pt 0 2pt 0; font-size: 8.5pt; }
table.diary th { background: #e4ecf4; font-size: 7.5pt; font-weight: bold; padding: 1pt 3pt; }
table.diary td { vertical-align: middle; padding: 1pt 3pt 0.5pt 3pt; }
table.diary td.subject { width: 24%; line-height: 1.1; }
table.diary td.subject .teacher { font-size: 6.5pt; color: #555; }
table.diary td.avg { width: 10%; text-align: center; font-weight: bold; font-size: 10pt;
  vertical-align: middle; }
table.diary td.finals { width: 11%; text-align: center; font-size: 7.5pt; white-space: nowrap;
  vertical-align: middle; }
.mark { display: inline-block; margin: 0 4pt 0.5pt 0; vertical-align: middle; white-space: nowrap; }
.mark b { display: inline-block; font-size: 10.5pt; line-height: 1.1; padding: 0 1.2pt;
  vertical-align: middle; }
.mark small { display: inline-block; font-size: 5.8pt; color: #444; line-height: 1.0;
  white-space: nowrap; vertical-align: middle; text-align: left; margin-left: 1pt; }
.mark.heavy b { border: 0.8pt solid currentColor; border-radius: 2pt; }
.v5 b { color: #1d6b2f; } .v4 b { color: #1f4f80; } .v3 b { color: #8a5a00; }
.v2 b, .v1 b { color: #b01c1c; }
.none { color: #777; font-size: 8pt; }
.homework { column-count: 2; column-gap: 6mm; font-size: 7.5pt; line-height: 1.17; }
.homework p { margin: 0 0 1.5pt 0; break-inside: avoid; }
.homework .subj { font-weight: bold; }
.attendance p { margin: 1pt 0; }
.attendance ul { margin: 1pt 0; padding-left: 14pt; }
.note-box { border-left: 2.5pt solid #9db4cc; background: #f6f8fb; padding: 3pt 7pt; margin: 3pt 0;
  white-space: pre-wrap; }
.legend { font-size: 6.8pt; color: #555; margin-top: 1pt; }
.closing { margin-top: 6pt; }
.signatures { margin-top: 4pt; display: flex; gap: 10mm; }
.signature { flex: 1 1 0; margin-top: 10pt; }
.signature .role, .signature .name { max-width: none; min-width: 0; white-space: nowrap; }
.signature .line { min-width: 18mm; }
"""

WEIGHT_NOTE = (
    "В рамке — отметки за работы с большим весом (контрольные, диктанты и др.). Средний балл — "
    "средневзвешенный, по всем отметкам с начала учебного периода."
)


def _first_name_patronymic(full_name: str) -> tuple[str, bool | None]:
    """«Белова Наталья Юрьевна» → («Наталья Юрьевна», female); gender None when unclear."""
    parts = full_name.split()
    if len(parts) < 3:
        return "", None
    patronymic = parts[2].lower()
    if patronymic.endswith(("вна", "чна", "кызы")):
        return f"{parts[1]} {parts[2]}", True
    if patronymic.endswith(("вич", "ич", "оглы")):
        return f"{parts[1]} {parts[2]}", False
    return "", None


def greeting_ru(parents: Iterable[Parent]) -> str:
    """«Уважаемая Наталья Юрьевна!», «Уважаемые Ирина Петровна и Сергей Николаевич!» or
    «Уважаемые родители!» when the names do not allow more."""
    names: list[tuple[str, bool]] = []
    for p in parents:
        name, female = _first_name_patronymic(p.full_name)
        if not name or female is None:
            return "Уважаемые родители!"
        names.append((name, female))
    if len(names) == 1:
        name, female = names[0]
        return f"{'Уважаемая' if female else 'Уважаемый'} {name}!"
    if len(names) == 2:
        return f"Уважаемые {names[0][0]} и {names[1][0]}!"
    return "Уважаемые родители!"


def _mark_html(mark: MarkEntry, settings_heavy: float = 1.0) -> str:
    kind = KIND_SHORT_RU.get(" ".join(mark.kind.split()).lower(), mark.kind.lower())
    heavy = " heavy" if mark.weight > settings_heavy else ""
    return (f'<span class="mark v{mark.value}{heavy}"><b>{mark.value}</b>'
            f"<small>{date_short_ru(mark.date)}<br>{esc(kind)}</small></span>")


def _period_word(letter: Letter) -> str:
    if letter.period is None:
        return "учебный период"
    return letter.period.name


def _summary_html(letter: Letter) -> str:
    boxes = []
    if letter.has_marks:
        boxes.append(("Средний балл", number_ru(letter.average),
                      f"{_period_word(letter)}, все предметы"))
        if letter.rating.place is not None:
            place = ordinal_place_ru(letter.rating.place, letter.rating.of)
            boxes.append(("Место в классе", place.replace(" из ", "\u00a0из\u00a0"),
                          "по среднему баллу"))
        else:
            boxes.append(("Место в классе", MISSING, "отметок пока нет"))
    missed = letter.attendance.missed()
    boxes.append(("Пропущено уроков", str(missed),
                  "за эти две недели" if missed else "пропусков нет"))
    boxes.append(("Опозданий", str(letter.attendance.late), "за эти две недели"))
    cells = "".join(
        f'<div class="box"><div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
        f'<div class="hint">{esc(hint)}</div></div>'
        for label, value, hint in boxes
    )
    return f'<div class="summary keep">{cells}</div>'


def _diary_table(letter: Letter) -> str:
    period = _period_word(letter)
    head = (f"<tr><th>Предмет</th><th>Отметки {esc(letter.date_range.text_ru)}</th>"
            f"<th>Средний балл<br><span class='small'>{esc(_short_period(period))}</span></th>"
            "<th>Отметки за периоды</th></tr>")
    rows = []
    for d in letter.subjects:
        marks = "".join(_mark_html(m) for m in d.marks) or '<span class="none">нет отметок</span>'
        finals = "<br>".join(f"{esc(_short_period(name))}: <b>{esc(value)}</b>"
                             for name, value in d.period_marks) \
            or '<span class="none">—</span>'
        teacher = f'<div class="teacher">{esc(d.teacher)}</div>' if d.teacher else ""
        rows.append(
            f'<tr><td class="subject">{esc(d.subject)}{teacher}</td><td>{marks}</td>'
            f'<td class="avg">{esc(number_ru(d.average))}</td><td class="finals">{finals}</td></tr>'
        )
    return f'<table class="diary"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _short_period(name: str) -> str:
    """«1 четверть» → «1 четв.», «2 полугодие» → «2 полуг.»."""
    return name.replace("четверть", "четв.").replace("полугодие", "полуг.")


def _homework_html(letter: Letter) -> str:
    parts = []
    for d in letter.subjects:
        if not d.homework:
            continue
        items = "; ".join(f"{date_short_ru(h.date)} — {esc(h.text)}" for h in d.homework)
        parts.append(f'<p><span class="subj">{esc(d.subject)}:</span> {items}</p>')
    if not parts:
        return '<p class="none">Домашних заданий за эти дни в журнале нет.</p>'
    return f'<div class="homework">{"".join(parts)}</div>'


def _days_text(days: list[tuple[dt.date, int]]) -> str:
    return ", ".join(
        date_short_ru(day) + (f" ({count_ru(n, ('урок', 'урока', 'уроков'))})" if n > 1 else "")
        for day, n in days
    )


def _attendance_html(letter: Letter) -> str:
    a = letter.attendance
    if not a.absences:
        return "<p>Пропусков и опозданий за эти две недели нет.</p>"
    parts = []
    missed = a.missed()
    if missed:
        reasons = "; ".join(
            f"{REASON_RU[code]} ({code}) — {count_ru(a.missed(code), ('урок', 'урока', 'уроков'))}: "
            f"{_days_text(a.days(code))}"
            for code in REASONS if a.missed(code)
        )
        parts.append(f"Пропущено {count_ru(missed, ('урок', 'урока', 'уроков'))}: {reasons}.")
    else:
        parts.append("Пропусков нет.")
    if a.late:
        parts.append(f"Опозданий (О): {a.late} — {_days_text(a.days(LATE))}.")
    return f"<p>{esc(' '.join(parts))}</p>"


def letter_body(letter: Letter) -> str:
    """The HTML of one letter (without the page around it)."""
    school_line = f"{esc(letter.school_name)} · {esc(letter.school_year)} учебный год"
    parts = [
        "<article>",
        '<div class="letter-head">'
        f'<div class="school">{school_line}</div>'
        f'<div class="range">Письмо родителям {esc(date_range_long(letter.date_range))}</div></div>',
        f'<h1 class="student">{esc(letter.student)}</h1>',
        f'<div class="who">{esc(letter.class_name)} класс · классный руководитель: '
        f'{esc(letter.class_teacher or MISSING)}</div>',
        f'<p class="greeting"><b>{esc(greeting_ru(letter.parents))}</b> '
        "Сообщаем, как у вашего ребёнка прошли последние две недели: отметки, домашние задания "
        "и посещаемость. В письме только данные вашего ребёнка.</p>",
        _summary_html(letter),
    ]
    if letter.has_marks:
        parts += ["<h2>Отметки</h2>", _diary_table(letter),
                  f'<div class="legend">{esc(WEIGHT_NOTE)}</div>']
    else:
        parts.append("<p>В первом классе обучение безотметочное.</p>")
    parts += ["<h2>Домашние задания</h2>", _homework_html(letter),
              '<div class="keep"><h2>Посещаемость</h2><div class="attendance">',
              _attendance_html(letter), "</div></div>"]
    if letter.note:
        parts += ['<div class="keep"><h2>Слово классного руководителя</h2>',
                  f'<div class="note-box">{esc(letter.note)}</div></div>']
    parts += [
        '<div class="keep"><p class="closing">Если у вас есть вопросы, свяжитесь с классным '
        "руководителем. Спасибо, что вы вместе с нами!</p>",
        signature_block([("Классный руководитель", initials_ru(letter.class_teacher)),
                         ("Родитель", "")]),
        "</div></article>",
    ]
    return "\n".join(parts)


def date_range_long(date_range: DateRange) -> str:
    """«с 14 по 27 ноября 2026 г.», «с 28 октября по 10 ноября 2026 г.»."""
    s, e = date_range.start, date_range.end
    if s.year != e.year:
        return f"с {date_long_ru(s)} по {date_long_ru(e)}"
    if s.month != e.month:
        return f"с {s.day} {month_ru(s, genitive=True)} по {date_long_ru(e)}"
    return f"с {s.day} по {date_long_ru(e)}"


LETTER_MARGINS_MM = (9.0, 11.0, 12.0, 13.0)


def _footer_css(index: int, letter: Letter) -> str:
    footer = f"{letter.class_name} · {initials_ru(letter.student)} · письмо {letter.date_range.text_ru}"
    return (f"@page letter{index} {{ @bottom-left {{ content: {css_string(footer)}; "
            f"font-family: {FONT_FAMILY}; font-size: 7.5pt; color: #555; }} }}\n"
            f".letter-{index} {{ page: letter{index}; }}\n")


def letters_html(letters: Sequence[Letter], title: str = "Письма родителям") -> str:
    """Letters as one printable HTML document (A4 portrait), each from a new page.

    Each letter is a named page with its own footer (class, student, range), so a
    letter never carries another's name, and an anchor ``#letter-N`` whose page the
    PDF records: :func:`render_letters` cuts the class's PDF into letters by it.
    """
    css = LETTER_CSS + ".letter + .letter { break-before: page; }\n"
    css += ".letter > a.mark-start { position: absolute; width: 1px; height: 1px; overflow: hidden; }\n"
    bodies = []
    for index, letter in enumerate(letters):
        css += _footer_css(index, letter)
        bodies.append(f'<section class="letter letter-{index}" id="letter-{index}">'
                      f'<a class="mark-start" href="#letter-{index}"></a>{letter_body(letter)}</section>')
    return document(title, "\n".join(bodies), "portrait", margins_mm=LETTER_MARGINS_MM,
                    extra_css=css, page_numbers=False)


def letter_html(letter: Letter) -> str:
    """One letter as a whole printable HTML page (A4 portrait)."""
    return letters_html([letter], f"Письмо родителям — {letter.student}")


# --- files --------------------------------------------------------------------------------

MANIFEST = ".letters.json"


@dataclass(frozen=True)
class LetterFile:
    """One letter printed to PDF."""

    letter: Letter
    path: Path
    pages: int
    sha256: str  # of the PDF file
    content_sha256: str  # of the HTML it was printed from: the same letter, the same value


@dataclass
class LettersOutput:
    """What :func:`render_letters` made."""

    date_range: DateRange
    folder: Path
    files: list[LetterFile] = field(default_factory=list)
    class_files: dict[str, Path] = field(default_factory=dict)
    printed: int = 0  # PDFs printed now; the others were already there and unchanged


def letters_folder(school: SchoolFolder, date_range: DateRange) -> Path:
    """``output/Письма родителям/<range>/``."""
    return school.output(LETTERS_DIR, date_range.key)


def letter_file_name(letter: Letter) -> str:
    """«5А — Белов Артём Игоревич.pdf»."""
    return safe_file_name(f"{letter.class_name} — {letter.student}") + ".pdf"


def class_file_name(class_name: str) -> str:
    """«5А — все письма для печати.pdf»."""
    return safe_file_name(f"{class_name} — все письма для печати") + ".pdf"


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def render_letters(
    letters: Iterable[Letter], folder: Path, renderer: PdfRenderer, date_range: DateRange | None = None
) -> LettersOutput:
    """Print each letter to ``folder/<class>/<class — student>.pdf`` and each class's letters
    into ``folder/<class — все письма для печати>.pdf``.

    A class's letters are printed as one document (one browser page load per class, which
    is several times faster than one per letter): that document is the class's file for
    printing, and it is cut into the students' files at the pages where each letter begins.
    A class whose letters are all already there from the same content is not printed
    again, and a letter whose content did not change keeps its file, so its checksum (which
    the sent-log keeps) stays the same.
    """
    letters = list(letters)
    if date_range is None:
        date_range = letters[0].date_range if letters else default_range(dt.date.today())
    result = LettersOutput(date_range, folder)
    manifest = _read_manifest(folder)
    by_class: dict[str, list[Letter]] = {}
    for letter in letters:
        by_class.setdefault(letter.class_name, []).append(letter)
    for class_name, group in by_class.items():
        class_path = folder / class_file_name(class_name)
        entries = []
        for letter in group:
            path = folder / safe_file_name(letter.class_name) / letter_file_name(letter)
            content_sha = hashlib.sha256(letter_html(letter).encode("utf-8")).hexdigest()
            known = manifest.get(path.relative_to(folder).as_posix(), {})
            fresh = (path.exists() and known.get("content_sha256") == content_sha
                     and known.get("sha256") == sha256_of(path))
            entries.append((letter, path, content_sha, fresh, known))
        if not class_path.exists() or not all(fresh for *_, fresh, _ in entries):
            renderer.render(letters_html(group, f"Письма родителям — {class_name}"), class_path)
            result.printed += len(group)
            from pypdf import PdfReader

            reader = PdfReader(str(class_path))
            starts = _letter_starts(reader, class_path.name, len(group))
            for index, (letter, path, content_sha, fresh, known) in enumerate(entries):
                if not fresh:
                    pages = split_pdf(reader, starts[index], starts[index + 1], path,
                                      f"Письмо родителям — {letter.student}")
                    known = {"content_sha256": content_sha, "pages": pages}
                    manifest[path.relative_to(folder).as_posix()] = known
                    entries[index] = (letter, path, content_sha, fresh, known)
        for letter, path, content_sha, _fresh, known in entries:
            sha = sha256_of(path)
            known["sha256"] = sha
            manifest[path.relative_to(folder).as_posix()] = known
            result.files.append(LetterFile(letter, path, int(known.get("pages", 1)), sha, content_sha))
        result.class_files[class_name] = class_path
        _write_manifest(folder, manifest)
    return result


def _letter_starts(reader: PdfReader, name: str, count: int) -> list[int]:
    """The first page of each letter of a class PDF (from its ``#letter-N`` anchors), and the
    page count at the end."""
    total = len(reader.pages)
    found: dict[int, int] = {}
    for name, destination in reader.named_destinations.items():
        match = re.fullmatch(r"/?letter-(\d+)", str(name))
        page = reader.get_destination_page_number(destination)
        if match and page is not None:
            found[int(match.group(1))] = page
    starts = [found.get(i, -1) for i in range(count)]
    if count and (starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts))):
        raise RenderError(f"В файле «{name}» не удалось найти начало каждого письма")
    return [*starts, total]


def split_pdf(reader: PdfReader, first: int, end: int, out: Path, title: str) -> int:
    """Pages ``first`` … ``end - 1`` of an open PDF as the PDF ``out`` (written atomically);
    their page count. Links are dropped (they pointed inside the class's file)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for number in range(first, end):
        page = writer.add_page(reader.pages[number])
        if "/Annots" in page:
            del page["/Annots"]
    writer.add_metadata({"/Title": title, "/Producer": "journal"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(buffer.getvalue(), out)
    return end - first


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(folder: Path, manifest: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomically(text.encode("utf-8"), folder / MANIFEST)


def letters_range(
    settings: Settings,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> DateRange:
    """The range of the letters: ``--from``/``--to`` when given (one of them means two
    weeks from or up to it), otherwise the two weeks up to today (see :func:`letters_today`).
    """
    if date_from and date_to:
        if date_from > date_to:
            raise UsageError(
                f"Начало интервала {date_from:%d.%m.%Y} позже его конца {date_to:%d.%m.%Y}"
            )
        return DateRange(date_from, date_to)
    if date_to:
        return default_range(date_to)
    if date_from:
        return DateRange(date_from, date_from + dt.timedelta(days=LETTER_DAYS - 1))
    return default_range(letters_today(settings, today))
