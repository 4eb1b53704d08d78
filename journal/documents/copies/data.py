"""What goes on a paper copy: one class's period read from the dataset as plain values.

:func:`load_class_copy` fills a :class:`ClassCopy` (title facts, one
:class:`SubjectSection` per subject and group, the attendance totals) and reports missing
data as findings. No HTML here (see :mod:`journal.documents.copies.layout`); the rows
come from :func:`journal.dataset.store.class_period_tables`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from journal.core.findings import Finding, warning
from journal.core.formatting import count_ru, date_ru
from journal.core.text import text_key
from journal.dataset import store
from journal.school.marks import LATE_CODE, MISSED_CODES, absence_shown
from journal.school.periods import has_ended
from journal.school.settings import Period, SchoolClass, Settings, normalise_class_name

YEAR_KINDS = {"year": "Год", "exam": "Экзамен", "final": "Итог"}  # final_marks.kind → column


@dataclass(frozen=True)
class StudentLine:
    """A student on the copy; ``note`` says when they joined or left during the period."""

    student_id: int
    name: str
    note: str = ""


@dataclass(frozen=True)
class LessonLine:
    """One lesson of the period: a column of the grid and a row of the lesson log."""

    lesson_id: int
    date: dt.date
    seq: int
    kind: str
    topic: str
    homework: str
    substitute: str


@dataclass
class SubjectSection:
    """One subject (and group) of the class for the period."""

    subject: str
    group: str
    teacher: str
    students: list[StudentLine]
    lessons: list[LessonLine]
    cells: dict[tuple[int, int], str]  # (student_id, lesson_id) → «5», «5/4», «Н», «О/4»
    period_marks: dict[int, str]
    missed: dict[int, int]  # student_id → lessons missed (Н, Б, У)
    year_marks: dict[str, dict[int, str]] = field(default_factory=dict)  # kind → student_id → mark

    def final_columns(self, period_name: str, with_marks: bool) -> list[tuple[str, dict[int, str]]]:
        """(header, student_id → value) of the columns after the dates: marks, then year marks."""
        if not with_marks:
            return []
        columns = [(period_name, self.period_marks)]
        columns += [(YEAR_KINDS[kind], self.year_marks[kind])
                    for kind in YEAR_KINDS if self.year_marks.get(kind)]
        return columns

    @property
    def title(self) -> str:
        """«Английский язык (1 группа)»."""
        return f"{self.subject} ({self.group})" if self.group else self.subject


@dataclass(frozen=True)
class AttendanceTotal:
    """One student's missed lessons in the period over all subjects, by reason."""

    student_id: int
    name: str
    ill: int  # Б
    excused: int  # У
    unexcused: int  # Н
    late: int  # О

    @property
    def missed(self) -> int:
        """Lessons missed for any reason (being late is not missing)."""
        return self.ill + self.excused + self.unexcused


@dataclass
class ClassCopy:
    """Everything one paper copy shows, as plain values."""

    school_name: str
    school_year: str
    school_class: SchoolClass
    period: Period
    class_teacher: str
    deputy: str
    students: list[StudentLine]
    sections: list[SubjectSection]
    attendance: list[AttendanceTotal]
    findings: list[Finding] = field(default_factory=list)
    director: str = ""
    version: int = 1
    produced_at: dt.datetime | None = None
    history: str = ""  # the footer stamp: the dataset's history head and its date
    made_on: dt.date | None = None  # the day the copy stands on (as the reports of the same run)
    with_marks: bool = True  # False: attendance, topics and homework only (a period without marks)
    unmarked_note: str = ""  # the title page's Russian note for a copy without marks

    @property
    def draft(self) -> bool:
        """A copy made before its period ended: marked «черновик», never the period's copy."""
        day = self.made_on or (self.produced_at.date() if self.produced_at else dt.date.today())
        return not has_ended(self.period, day)

    def summary(self, kind: str = "period") -> tuple[list[str], dict[int, dict[str, str]]]:
        """A summary sheet: subject columns, and student_id → subject → mark.

        ``kind`` is ``period`` (the period marks) or a key of :data:`YEAR_KINDS`.
        """
        subjects: list[str] = []
        marks: dict[int, dict[str, str]] = {}
        for section in self.sections:
            if section.subject not in subjects:
                subjects.append(section.subject)
            values = section.period_marks if kind == "period" else section.year_marks.get(kind, {})
            for student_id, value in values.items():
                marks.setdefault(student_id, {})[section.subject] = value
        return subjects, marks


def _sort_key(name: str) -> str:
    return name.lower().replace("ё", "е")


def _to_date(text: object) -> dt.date | None:
    if text is None or (isinstance(text, float) and text != text) or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _names_matching(conn: sqlite3.Connection, school_class: SchoolClass) -> list[str]:
    """The spellings of the class's name in the dataset («5А», «5 А» …)."""
    wanted = normalise_class_name(school_class.name)
    found = [name for name in store.class_names_in_data(conn) if normalise_class_name(name) == wanted]
    return found or [school_class.name]


def load_class_copy(conn: sqlite3.Connection, settings: Settings, school_class: SchoolClass,
                    period: Period) -> ClassCopy:
    """Read one class's period from the dataset into a :class:`ClassCopy`.

    Subjects come in the curriculum's order, then any subject found only in the dataset.
    A student is on the copy when enrolled during the period (or has data in it); in a
    subject split into groups, only the students of that group. Missing data (a subject
    without lessons, a student without a period mark) is reported as findings.
    """
    names = _names_matching(conn, school_class)
    marks_wanted = settings.period_has_marks(school_class, period)
    year_end = period == settings.periods_for(school_class)[-1]
    tables = store.class_period_tables(conn, names, period.start, period.end, period.name,
                                       with_year_finals=year_end)

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]

    student_rows, group_rows = records(tables.students), records(tables.groups)
    lesson_rows, mark_rows = records(tables.lessons), records(tables.marks)
    absence_rows, final_rows = records(tables.absences), records(tables.finals)
    year_rows = records(tables.year_finals) if tables.year_finals is not None else []
    with_any_data = {int(r["student_id"]) for r in (*mark_rows, *absence_rows)}
    student_lines: dict[int, StudentLine] = {}
    left_during: set[int] = set()
    for r in student_rows:
        sid = int(r["id"])
        joined, left = _to_date(r["joined"]), _to_date(r["left_on"])
        active = (joined is None or joined <= period.end) and (left is None or left >= period.start)
        if not (active or sid in with_any_data):
            continue
        note = ""
        if left is not None and left <= period.end:
            note = f"выбыл(а) {date_ru(left)}"
            left_during.add(sid)
        elif joined is not None and joined > period.start:
            note = f"прибыл(а) {date_ru(joined)}"
        student_lines[sid] = StudentLine(sid, str(r["full_name"]), note)
    ordered = sorted(student_lines.values(), key=lambda s: _sort_key(s.name))

    for r in absence_rows:  # one rule for the grid, the missed column and the totals
        r["shown"] = absence_shown(str(r["code"]), None if pd.isna(r["reason"]) else str(r["reason"]))
    cells: dict[tuple[int, int], list[str]] = {}
    for r in absence_rows:
        cells.setdefault((int(r["student_id"]), int(r["lesson_id"])), []).insert(0, r["shown"])
    if marks_wanted:
        for r in mark_rows:
            cells.setdefault((int(r["student_id"]), int(r["lesson_id"])), []).append(str(int(r["value"])))

    group_of = {(int(r["student_id"]), text_key(r["subject"])): text_key(r["grp"]) for r in group_rows}
    keys: list[tuple[str, str, str]] = []  # (subject, group, teacher)
    for item in settings.curriculum_for(school_class.name):
        keys.append((item.subject, item.group, item.teacher))
    known = {(text_key(s), text_key(g)) for s, g, _ in keys}
    extra = sorted({(str(r["subject"]), str(r["grp"] or "")): str(r["teacher"] or "") for r in lesson_rows
                    if (text_key(r["subject"]), text_key(r["grp"])) not in known}.items())
    keys += [(subject, group, teacher) for (subject, group), teacher in extra]

    findings: list[Finding] = []
    sections: list[SubjectSection] = []
    for subject, group, teacher in keys:
        key = (text_key(subject), text_key(group))
        own = [r for r in lesson_rows if (text_key(r["subject"]), text_key(r["grp"])) == key]
        if not teacher and own:
            teacher = str(own[0]["teacher"] or "")
        lesson_lines = [
            LessonLine(int(r["id"]), dt.date.fromisoformat(str(r["date"])[:10]), int(r["seq"]),
                       str(r["kind"] or ""), str(r["topic"] or ""), str(r["homework"] or ""),
                       str(r["substitute"] or ""))
            for r in own
        ]
        lesson_ids = {line.lesson_id for line in lesson_lines}
        with_data = {sid for (sid, lid) in cells if lid in lesson_ids}
        if group:
            members = [s for s in ordered
                       if group_of.get((s.student_id, key[0])) == key[1] or s.student_id in with_data]
        else:
            members = list(ordered)
        own_cells = {(sid, lid): "/".join(v) for (sid, lid), v in cells.items() if lid in lesson_ids}
        period_marks: dict[int, str] = {}
        if marks_wanted:
            for r in final_rows:
                if (text_key(r["subject"]), text_key(r["grp"])) == key:
                    period_marks[int(r["student_id"])] = str(r["value"])
        missed: dict[int, int] = {}
        for r in absence_rows:
            if int(r["lesson_id"]) in lesson_ids and r["shown"] in MISSED_CODES:
                missed[int(r["student_id"])] = missed.get(int(r["student_id"]), 0) + 1
        year_marks: dict[str, dict[int, str]] = {}
        if marks_wanted:
            for r in year_rows:
                if (text_key(r["subject"]), text_key(r["grp"])) == key:
                    year_marks.setdefault(str(r["kind"]), {})[int(r["student_id"])] = str(r["value"])
        section = SubjectSection(subject, group, teacher, members, lesson_lines, own_cells,
                                 period_marks, missed, year_marks)
        sections.append(section)
        if not lesson_lines:
            findings.append(warning(
                "P01",
                f"{school_class.name}, {section.title}: за {period.name} в общей базе нет ни одного "
                f"урока — в копии пустой раздел. Проверьте, что журнал предмета сдан и собран в общую базу",
                teacher=teacher))
        elif marks_wanted:
            without = [s.name for s in members
                       if s.student_id not in period_marks and s.student_id not in left_during]
            if without:
                findings.append(warning(
                    "P02",
                    f"{school_class.name}, {section.title}: нет отметки за {period.name} у "
                    f"{count_ru(len(without), ('ученика', 'учеников', 'учеников'))} "
                    f"({', '.join(without[:3])}{' …' if len(without) > 3 else ''}). "
                    f"Учитель выставляет её на листе «Итоговые» до печати копии",
                    teacher=teacher))

    split = {text_key(section.subject) for section in sections if section.group}
    for subject in sorted(split):
        placed = {s.student_id for section in sections if text_key(section.subject) == subject
                  for s in section.students}
        for student in ordered:
            if student.student_id not in placed and student.student_id not in left_during:
                title = next(section.subject for section in sections if text_key(section.subject) == subject)
                findings.append(warning(
                    "P03",
                    f"{school_class.name}, {title}: ученик не отнесён ни к одной группе и не попал в "
                    f"копию по этому предмету. Классный руководитель указывает группу в списке класса",
                    student=student.name))

    by_reason: dict[tuple[int, str], int] = {}
    for r in absence_rows:
        reason_key = (int(r["student_id"]), str(r["shown"]))
        by_reason[reason_key] = by_reason.get(reason_key, 0) + 1
    totals = [
        AttendanceTotal(s.student_id, s.name, by_reason.get((s.student_id, "Б"), 0),
                        by_reason.get((s.student_id, "У"), 0), by_reason.get((s.student_id, "Н"), 0),
                        by_reason.get((s.student_id, LATE_CODE), 0))
        for s in ordered
    ]

    return ClassCopy(
        school_name=settings.school_name,
        school_year=settings.school_year,
        school_class=school_class,
        period=period,
        class_teacher=school_class.class_teacher,
        deputy=settings.deputy,
        director=settings.director,
        students=ordered,
        sections=sections,
        attendance=totals,
        findings=findings,
        with_marks=marks_wanted,
        unmarked_note="" if marks_wanted else _unmarked_note(settings, school_class),
    )


def _unmarked_note(settings: Settings, school_class: SchoolClass) -> str:
    what = "в копии посещаемость, темы уроков и домашние задания, без отметок."
    if not settings.gets_marks(school_class):
        return f"{school_class.grade} класс: безотметочное обучение — {what}"
    return f"{school_class.grade} класс {settings.unmarked_text(school_class)}: {what[0].upper()}{what[1:]}"
