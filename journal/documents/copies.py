"""Paper copies of the journal: one PDF per class and period, for signing and the archive.

Section 4 of the regulation: at the end of each quarter (grades 2–9) and half-year
(10–11) the deputy directors print the current and final marks per class, subject
teachers sign every page of their subject, the class teacher certifies the title page,
the deputy signs, and the secretary registers the copy (:mod:`journal.documents.register`).

The work is split in three steps that can be used on their own:

* :func:`plan_print` turns ``--period`` / ``--class`` into (class, period) jobs, refusing
  a quarter copy of a grade 10–11 class (and a half-year copy of grades 1–9);
* :func:`load_class_copy` reads one class's period from the dataset into a
  :class:`ClassCopy` (plain values, no HTML);
* :func:`class_copy_parts` / :func:`class_copy_html` lay a copy out as HTML (A4
  landscape, the shared print CSS of :mod:`journal.documents.html`), and
  :func:`render_class_copy` prints it with :class:`journal.documents.pdf.PdfRenderer`, filling the
  contents' page numbers from a first print (:func:`section_pages`).

:func:`print_copies` does all of it for a school folder and records every copy in
the archive register.

Layout: a title page; per subject its heading repeated on every page (an outer table's
header group) and the teacher's signature line at the foot of every page (its footer
group), the grid of students × lesson dates split into page-wide chunks that repeat the
names (:func:`date_chunks`), then the lesson log; the summary sheets, attendance totals
and the deputy's and director's signatures last. Grade 1 copies show absence codes,
topics and homework only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from journal.core.errors import RenderError, UsageError
from journal.core.findings import Finding, warning
from journal.core.formatting import count_ru, date_ru, date_short_ru, period_ru
from journal.dataset import store
from journal.documents.html import document, signature_line
from journal.documents.register import (
    RegisterRow,
    check_writable,
    next_version,
    read_register,
    register_path,
    write_register,
)
from journal.school.folder import PRINT_DIR, SchoolFolder, safe_file_name
from journal.school.marks import ABSENCE_CODES
from journal.school.periods import resolve_named
from journal.school.settings import HALVES, QUARTERS, Period, SchoolClass, Settings, normalise_class_name

MISSED_CODES = ("Н", "Б", "У")  # О (late) is not a missed lesson
YEAR_KINDS = {"year": "Год", "exam": "Экзамен", "final": "Итог"}  # final_marks.kind → column
LATE_CODE = "О"

# -- choosing what to print ------------------------------------------------------------


@dataclass(frozen=True)
class PrintJob:
    """One class copy to print: a class and one of its periods."""

    school_class: SchoolClass
    period: Period


@dataclass
class PrintPlan:
    """The jobs for one ``journal print`` run, and the classes left out with the reason."""

    jobs: list[PrintJob] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # Russian notes for the user

    def unfinished(self, today: dt.date) -> list[str]:
        """Russian warnings for periods that have not ended by ``today`` (the copy is partial)."""
        periods = list(dict.fromkeys(job.period for job in self.jobs if job.period.end >= today))
        return [f"{p.name} ещё не {'закончилось' if p.set == HALVES else 'закончилась'} "
                f"(идёт по {date_ru(p.end)}): копия будет неполной" for p in periods]


def _period_word(period_set: str) -> str:
    return "полугодие" if period_set == HALVES else "четверть"


def _set_rule(school_class: SchoolClass) -> str:
    if school_class.period_set == HALVES:
        return f"{school_class.name} (10–11 классы) аттестуется по полугодиям"
    return f"{school_class.name} (1–9 классы) аттестуется по четвертям"


def _containing(settings: Settings, period: Period, period_set: str) -> list[Period]:
    """Periods of ``period_set`` that overlap ``period``, in order."""
    return sorted(
        (p for p in settings.periods
         if p.set == period_set and p.start <= period.end and period.start <= p.end),
        key=lambda p: p.number,
    )


def _ending_with(settings: Settings, period: Period, period_set: str) -> Period | None:
    """The period of ``period_set`` that ends on the day ``period`` ends, if any."""
    for p in settings.periods:
        if p.set == period_set and p.end == period.end:
            return p
    return None


def resolve_period(settings: Settings, school_class: SchoolClass, spec: str) -> Period:
    """The class's period named by ``spec`` (its number in the class's set, or its name).

    A period of the other set is refused with a :class:`UsageError` that names the
    period to ask for instead (a quarter copy of a grade 10–11 class names the half-year).
    """
    own = resolve_named(settings, school_class, spec)
    if own is not None:
        return own
    other_set = QUARTERS if school_class.period_set == HALVES else HALVES
    other = settings.find_period(spec, other_set)
    own_word = _period_word(school_class.period_set)
    if other is not None and not str(spec).strip().isdigit():
        instead = _containing(settings, other, school_class.period_set)
        names = " и ".join(f"«{p.name}»" for p in instead)
        hint = (f" {other.name} входит в {names}: journal print --school … --period \"{instead[0].name}\" "
                f"--class {school_class.name}") if instead else ""
        raise UsageError(
            f"Копия «{other.name}» для {school_class.name} не печатается: {_set_rule(school_class)}, "
            f"бумажная копия делается за {own_word}.{hint}"
        )
    known = ", ".join(f"{p.number} или «{p.name}»" for p in settings.periods_for(school_class))
    raise UsageError(
        f"Период «{spec}» для {school_class.name} не найден. {_set_rule(school_class)}; "
        f"укажите {known}"
    )


def plan_print(settings: Settings, period_spec: str, class_name: str | None = None) -> PrintPlan:
    """What ``journal print --period P [--class C]`` prints.

    With ``class_name``: that class, ``period_spec`` being the number in the class's own
    set (``2`` for a grade 10 class is «2 полугодие») or a period's name.
    Without it: ``period_spec`` names a quarter (number or name); grades 1–9 get that
    quarter, grades 10–11 the half-year ending with it (2 → «1 полугодие»,
    4 → «2 полугодие»); after quarters 1 and 3 they are skipped with a note. A half-year's
    name prints grades 10–11 only.
    """
    plan = PrintPlan()
    if class_name is not None:
        school_class = settings.school_class(class_name)
        if school_class is None:
            known = ", ".join(c.name for c in settings.classes) or "—"
            raise UsageError(f"Класса «{class_name}» нет в настройках. Классы школы: {known}")
        plan.jobs.append(PrintJob(school_class, resolve_period(settings, school_class, period_spec)))
        return plan
    if not settings.classes:
        raise UsageError("В настройках нет ни одного класса: заполните лист классов")
    quarter = settings.find_period(period_spec, QUARTERS)
    half = None if quarter is not None else settings.find_period(period_spec, HALVES)
    if quarter is None and half is None:
        names = ", ".join(f"«{p.name}»" for p in settings.periods)
        raise UsageError(
            f"Период «{period_spec}» не найден. Укажите номер четверти (1–4) или название: {names}"
        )
    for school_class in sorted(settings.classes, key=_class_order):
        if school_class.period_set == QUARTERS:
            if quarter is not None:
                plan.jobs.append(PrintJob(school_class, quarter))
            continue
        period = half if half is not None else _ending_with(settings, quarter, HALVES)  # type: ignore[arg-type]
        if period is not None:
            plan.jobs.append(PrintJob(school_class, period))
        else:
            assert quarter is not None
            within = _containing(settings, quarter, HALVES)
            name = within[0].name if within else "полугодие"
            plan.skipped.append(
                f"{school_class.name}: полугодие ещё не закончилось ({quarter.name} — его часть); "
                f"копия печатается по его окончании: journal print --school … --period \"{name}\""
            )
    if half is not None:
        plan.skipped.append(
            f"1–9 классы не печатаются: «{half.name}» — период 10–11 классов; "
            f"для 1–9 классов укажите четверть"
        )
    return plan


def _class_order(c: SchoolClass) -> tuple[int, str]:
    return (c.grade, c.letter)


# -- the data of one copy --------------------------------------------------------------


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

    @property
    def with_marks(self) -> bool:
        """Grade 1 copies carry attendance, topics and homework only."""
        return self.school_class.has_marks

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
    rows = conn.execute("SELECT DISTINCT class FROM students UNION SELECT DISTINCT class FROM lessons")
    wanted = normalise_class_name(school_class.name)
    found = [r[0] for r in rows if normalise_class_name(r[0]) == wanted]
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
    marks_wanted = school_class.has_marks
    holders = ",".join("?" * len(names))
    span = (period.start.isoformat(), period.end.isoformat())
    students = store.read_sql(
        conn, f"SELECT id, full_name, joined, left_on FROM students WHERE class IN ({holders})",
        tuple(names))
    groups = store.read_sql(
        conn, f"SELECT g.student_id, g.subject, g.grp FROM student_groups g JOIN students s "
              f"ON s.id = g.student_id WHERE s.class IN ({holders})", tuple(names))
    lessons = store.read_sql(
        conn, f"SELECT id, subject, grp, date, seq, kind, topic, homework, teacher, substitute "
              f"FROM lessons WHERE class IN ({holders}) AND date BETWEEN ? AND ? "
              f"ORDER BY date, seq", (*names, *span))
    marks = store.read_sql(
        conn, f"SELECT m.lesson_id, m.student_id, m.position, m.value FROM marks m "
              f"JOIN lessons l ON l.id = m.lesson_id WHERE l.class IN ({holders}) "
              f"AND l.date BETWEEN ? AND ? ORDER BY m.position", (*names, *span))
    absences = store.read_sql(
        conn, f"SELECT a.lesson_id, a.student_id, a.code, a.reason FROM attendance a "
              f"JOIN lessons l ON l.id = a.lesson_id WHERE l.class IN ({holders}) "
              f"AND l.date BETWEEN ? AND ?", (*names, *span))
    finals = store.read_sql(
        conn, f"SELECT subject, grp, student_id, value FROM final_marks WHERE class IN ({holders}) "
              f"AND kind = 'period' AND period = ?", (*names, period.name))
    year_end = period == settings.periods_for(school_class)[-1]
    year_finals = store.read_sql(
        conn, f"SELECT subject, grp, student_id, kind, value FROM final_marks WHERE class IN ({holders}) "
              f"AND kind IN ('year', 'exam', 'final')", tuple(names)) if year_end else None

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]

    student_rows, group_rows, lesson_rows = records(students), records(groups), records(lessons)
    mark_rows, absence_rows, final_rows = records(marks), records(absences), records(finals)
    year_rows = records(year_finals) if year_finals is not None else []
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

    cells: dict[tuple[int, int], list[str]] = {}
    for r in absence_rows:
        cells.setdefault((int(r["student_id"]), int(r["lesson_id"])), []).insert(0, str(r["code"]))
    if marks_wanted:
        for r in mark_rows:
            cells.setdefault((int(r["student_id"]), int(r["lesson_id"])), []).append(str(int(r["value"])))

    def norm(text: object) -> str:
        return " ".join(str(text or "").split()).lower()

    group_of = {(int(r["student_id"]), norm(r["subject"])): norm(r["grp"]) for r in group_rows}
    keys: list[tuple[str, str, str]] = []  # (subject, group, teacher)
    for item in settings.curriculum_for(school_class.name):
        keys.append((item.subject, item.group, item.teacher))
    known = {(norm(s), norm(g)) for s, g, _ in keys}
    extra = sorted({(str(r["subject"]), str(r["grp"] or "")): str(r["teacher"] or "")
                    for r in lesson_rows if (norm(r["subject"]), norm(r["grp"])) not in known}.items())
    keys += [(subject, group, teacher) for (subject, group), teacher in extra]

    findings: list[Finding] = []
    sections: list[SubjectSection] = []
    for subject, group, teacher in keys:
        key = (norm(subject), norm(group))
        own = [r for r in lesson_rows if (norm(r["subject"]), norm(r["grp"])) == key]
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
                if (norm(r["subject"]), norm(r["grp"])) == key:
                    period_marks[int(r["student_id"])] = str(r["value"])
        missed: dict[int, int] = {}
        for r in absence_rows:
            if int(r["lesson_id"]) in lesson_ids and r["code"] in MISSED_CODES:
                missed[int(r["student_id"])] = missed.get(int(r["student_id"]), 0) + 1
        year_marks: dict[str, dict[int, str]] = {}
        if marks_wanted:
            for r in year_rows:
                if (norm(r["subject"]), norm(r["grp"])) == key:
                    year_marks.setdefault(str(r["kind"]), {})[int(r["student_id"])] = str(r["value"])
        section = SubjectSection(subject, group, teacher, members, lesson_lines, own_cells,
                                 period_marks, missed, year_marks)
        sections.append(section)
        if not lesson_lines:
            findings.append(warning(
                "print_no_lessons",
                f"{school_class.name}, {section.title}: за {period.name} в общей базе нет ни одного "
                f"урока — в копии пустой раздел. Проверьте, что журнал предмета собран (journal merge)",
                teacher=teacher))
        elif marks_wanted:
            without = [s.name for s in members
                       if s.student_id not in period_marks and s.student_id not in left_during]
            if without:
                findings.append(warning(
                    "print_missing_period_mark",
                    f"{school_class.name}, {section.title}: нет отметки за {period.name} у "
                    f"{count_ru(len(without), ('ученика', 'учеников', 'учеников'))} "
                    f"({', '.join(without[:3])}{' …' if len(without) > 3 else ''}). "
                    f"Учитель выставляет её на листе «Итоговые» до печати копии",
                    teacher=teacher))

    split = {norm(section.subject) for section in sections if section.group}
    for subject in sorted(split):
        placed = {s.student_id for section in sections if norm(section.subject) == subject
                  for s in section.students}
        for student in ordered:
            if student.student_id not in placed and student.student_id not in left_during:
                title = next(section.subject for section in sections if norm(section.subject) == subject)
                findings.append(warning(
                    "print_student_without_group",
                    f"{school_class.name}, {title}: ученик не отнесён ни к одной группе и не попал в "
                    f"копию по этому предмету. Классный руководитель указывает группу в списке класса",
                    student=student.name))

    by_reason: dict[tuple[int, str], int] = {}
    for r in absence_rows:
        reason_key = (int(r["student_id"]), str(r["reason"] or r["code"]))
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
    )


# -- layout ----------------------------------------------------------------------------

PAGE_WIDTH_MM = 297.0
PAGE_MARGIN_MM = 10.0
CONTENT_WIDTH_MM = PAGE_WIDTH_MM - 2 * PAGE_MARGIN_MM - 1.0  # a millimetre for rounding
NUMBER_COL_MM = 6.0
DATE_COL_MM = 7.4  # the narrowest date column: «28.11» in 6.3 pt DejaVu Sans fits
MAX_DATE_COL_MM = 10.0
SUMMARY_MIN_COL_MM, SUMMARY_MAX_COL_MM = 8.0, 16.0
FINAL_COL_MM = 13.0
NAME_MM_PER_CHAR = 1.6
NAME_COL_MIN_MM, NAME_COL_MAX_MM = 34.0, 58.0


def name_column_mm(names: Sequence[str]) -> float:
    """Width of the names column: the longest name on one line, within limits (then it wraps)."""
    longest = max((len(n) for n in names), default=20)
    return max(NAME_COL_MIN_MM, min(NAME_COL_MAX_MM, longest * NAME_MM_PER_CHAR + 2))


def date_chunks(lessons: Sequence[LessonLine], names_mm: float, final_columns: int) -> list[list[LessonLine]]:
    """Split the lesson columns into page-wide tables of about equal width.

    Each chunk repeats the number and name columns; the final columns (period mark,
    missed lessons) are reserved on every chunk so that the last one never overflows.
    """
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm - final_columns * FINAL_COL_MM
    per_chunk = max(1, int(room // DATE_COL_MM))
    if not lessons:
        return [[]]
    count = -(-len(lessons) // per_chunk)
    base, rest = divmod(len(lessons), count)
    chunks, start = [], 0
    for i in range(count):
        size = base + (1 if i < rest else 0)
        chunks.append(list(lessons[start:start + size]))
        start += size
    return chunks


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _signature(role: str, name: str) -> str:
    """A signature line (role, line, the name spelled out, «__» ____ 20__ г.) of a fixed width."""
    return f'<div class="sign-box">{signature_line(role, name, with_date=True)}</div>'


def _header(copy: ClassCopy) -> str:
    return (f'<div class="running">{_e(copy.school_name)} · {_e(copy.school_class.name)} класс · '
            f'{_e(copy.period.name)} {_e(copy.school_year)} · копия, версия {copy.version}</div>')


def _anchor(number: int) -> str:
    return f"subject-{number}"


def title_part(copy: ClassCopy, contents: Sequence[tuple[str, str, int | None]]) -> str:
    """The title page: the class, period and class teacher, the certification, the contents.

    ``contents`` is (title, teacher, first page or None while pages are not known yet).
    """
    produced = copy.produced_at or dt.datetime.now()
    span = period_ru(copy.period.start, copy.period.end)
    made = f"{date_ru(produced)} в {produced:%H:%M}"
    rows = "".join(
        f'<tr><td class="num">{i}</td><td><a href="#{_anchor(i)}">{_e(title)}</a></td><td>{_e(teacher)}</td>'
        f'<td class="num page">{page if page is not None else "000"}</td></tr>'
        for i, (title, teacher, page) in enumerate(contents, start=1)
    )
    kind = "" if copy.with_marks else (
        '<p class="note">1 класс: безотметочное обучение — в копии посещаемость, темы уроков и '
        'домашние задания, без отметок.</p>')
    return f"""
<section class="part title-page">
  <div class="school">{_e(copy.school_name)}</div>
  <h1>Бумажная копия электронного классного журнала</h1>
  <table class="facts">
    <tr><th>Класс</th><td>{_e(copy.school_class.name)}</td></tr>
    <tr><th>Учебный год</th><td>{_e(copy.school_year)}</td></tr>
    <tr><th>Учебный период</th><td>{_e(copy.period.name)} ({_e(span)})</td></tr>
    <tr><th>Классный руководитель</th><td>{_e(copy.class_teacher or "—")}</td></tr>
    <tr><th>Учеников</th><td>{len(copy.students)}</td></tr>
    <tr><th>Копия</th><td>версия {copy.version}, сформирована {_e(made)}</td></tr>
  </table>
  {kind}
  <h2>Содержание</h2>
  <table class="contents">
    <thead><tr><th class="num">№</th><th>Предмет</th><th>Учитель</th><th class="num">Стр.</th></tr></thead>
    <tbody>{rows}</tbody>
  </table>
  <div class="certify">
    <p class="certify-line">Достоверность бумажной копии подтверждаю</p>
    {_signature("Классный руководитель", copy.class_teacher)}
  </div>
</section>"""


def _grid_table(copy: ClassCopy, section: SubjectSection, chunk: list[LessonLine], names_mm: float,
                date_mm: float, last: bool, part_no: int, parts: int) -> str:
    finals = last
    final_columns = section.final_columns(copy.period.name, copy.with_marks) if finals else []
    cols = [f'<col style="width:{NUMBER_COL_MM}mm">', f'<col style="width:{names_mm:.1f}mm">']
    cols += [f'<col style="width:{date_mm:.2f}mm">'] * len(chunk)
    extra = (len(final_columns) + 1) if finals else 0
    cols += [f'<col style="width:{FINAL_COL_MM}mm">'] * extra
    width = NUMBER_COL_MM + names_mm + date_mm * len(chunk) + FINAL_COL_MM * extra
    head = ['<th class="num">№</th>', '<th class="name">Ученик</th>']
    for lesson in chunk:
        mark = f'<span class="seq">{lesson.seq}</span>' if lesson.seq > 1 else ""
        head.append(f'<th class="date">{_e(date_short_ru(lesson.date))}{mark}</th>')
    if finals:
        head += [f'<th class="final">{_e(header)}</th>' for header, _ in final_columns]
        head.append('<th class="final">Пропу\u00adщено уроков</th>')
    body = []
    for i, student in enumerate(section.students, start=1):
        note = f' <span class="student-note">({_e(student.note)})</span>' if student.note else ""
        row = [f'<td class="num">{i}</td>', f'<td class="name">{_e(student.name)}{note}</td>']
        for lesson in chunk:
            value = section.cells.get((student.student_id, lesson.lesson_id), "")
            cls = "cell absent" if value[:1] in ABSENCE_CODES else "cell"
            if len(value) > 3:  # «О/5/4»: late and two marks
                cls += " long"
            row.append(f'<td class="{cls}">{_e(value)}</td>')
        if finals:
            row += [f'<td class="final mark">{_e(values.get(student.student_id, ""))}</td>'
                    for _, values in final_columns]
            row.append(f'<td class="final">{section.missed.get(student.student_id, 0) or ""}</td>')
        body.append(f"<tr>{''.join(row)}</tr>")
    caption = ""
    if parts > 1:
        caption = (f'<div class="chunk-caption">Отметки и посещаемость, часть {part_no} из {parts}: '
                   f'{_e(date_ru(chunk[0].date))} — {_e(date_ru(chunk[-1].date))}</div>')
    return (f'{caption}<table class="grid" style="width:{width:.1f}mm"><colgroup>{"".join(cols)}</colgroup>'
            f'<thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _log_table(section: SubjectSection, *, with_kinds: bool = True) -> str:
    rows = []
    for i, lesson in enumerate(section.lessons, start=1):
        kind = f"<td>{_e(lesson.kind)}</td>" if with_kinds else ""
        rows.append(
            f'<tr><td class="num">{i}</td><td class="logdate">{_e(date_ru(lesson.date))}</td>'
            f'<td>{_e(lesson.topic)}</td><td>{_e(lesson.homework)}</td>{kind}'
            f'<td>{_e(lesson.substitute)}</td></tr>')
    columns = 6 if with_kinds else 5
    if not rows:
        rows.append(f'<tr><td colspan="{columns}" class="empty">Уроков за период в общей базе нет</td></tr>')
    kind_col = '<col style="width:34mm">' if with_kinds else ""
    kind_head = "<th>Вид работы</th>" if with_kinds else ""
    return (
        '<table class="log"><colgroup><col style="width:7mm"><col style="width:19mm"><col>'
        f'<col style="width:70mm">{kind_col}<col style="width:36mm"></colgroup>'
        '<thead><tr><th class="num">№</th><th>Дата</th><th>Тема урока</th><th>Домашнее задание</th>'
        f'{kind_head}<th>Замена: кто провёл урок</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>')


def subject_part(copy: ClassCopy, section: SubjectSection, number: int) -> str:
    """One subject's pages: the grid in page-wide chunks, then the lesson log.

    The subject's heading repeats at the top of every page and the teacher's signature
    line at the foot of every page (an outer table's header and footer groups).
    """
    names_mm = name_column_mm([s.name + (f" ({s.note})" if s.note else "") for s in section.students])
    final_cols = len(section.final_columns(copy.period.name, copy.with_marks)) + 1
    chunks = date_chunks(section.lessons, names_mm, final_cols)
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm - final_cols * FINAL_COL_MM
    date_mm = min(MAX_DATE_COL_MM, room / max(1, max(len(c) for c in chunks)))
    blocks = [
        _grid_table(copy, section, chunk, names_mm, date_mm, i == len(chunks), i, len(chunks))
        for i, chunk in enumerate(chunks, start=1)
    ]
    lessons_count = count_ru(len(section.lessons), ("урок", "урока", "уроков"))
    what = "Отметки и посещаемость" if copy.with_marks else "Посещаемость"
    legend = ("Н — без уважительной причины, Б — по болезни, У — по уважительной причине, О — опоздание"
              + ("; «5/4» — две отметки за урок" if copy.with_marks else "")
              + "; цифра под датой — второй (третий) урок в этот день.")
    body_rows = [f'<tr><td><h3>{what}</h3>{blocks[0]}</td></tr>']
    body_rows += [f"<tr><td>{b}</td></tr>" for b in blocks[1:]]
    body_rows.append(f'<tr><td><p class="legend">{_e(legend)}</p></td></tr>')
    body_rows.append(f'<tr class="log-row"><td class="log-block"><h3>Темы уроков и домашние задания</h3>'
                     f'{_log_table(section, with_kinds=copy.with_marks)}</td></tr>')
    return f"""
<section class="part subject" id="{_anchor(number)}">
<table class="frame">
  <thead><tr><td>{_header(copy)}
    <div class="subject-head"><span class="subject-no">{number}.</span>
      <span class="subject-title">{_e(section.title)}</span>
      <span class="subject-teacher">Учитель: {_e(section.teacher or "—")}</span>
      <span class="subject-count">{_e(lessons_count)} за {_e(copy.period.name)}</span></div>
  </td></tr></thead>
  <tfoot><tr><td class="foot">{_signature("Учитель", section.teacher)}</td></tr></tfoot>
  <tbody>{"".join(body_rows)}</tbody>
</table>
</section>"""


def _summary_tables(copy: ClassCopy, kind: str) -> str:
    """Students × subjects with one kind of mark, split into tables only when too wide."""
    subjects, marks = copy.summary(kind)
    names_mm = name_column_mm([s.name for s in copy.students])
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm
    per_table = max(1, min(len(subjects), int(room // SUMMARY_MIN_COL_MM)))
    tables = -(-len(subjects) // per_table) if subjects else 1
    per_table = -(-len(subjects) // tables) if subjects else 1
    col = min(SUMMARY_MAX_COL_MM, room / per_table)
    blocks = []
    for part in [subjects[i:i + per_table] for i in range(0, len(subjects), per_table)] or [[]]:
        head = "".join(f'<th class="subj"><div>{_e(s)}</div></th>' for s in part)
        rows = "".join(
            f'<tr><td class="num">{i}</td><td class="name">{_e(s.name)}</td>'
            + "".join(f'<td class="mark">{_e(marks.get(s.student_id, {}).get(subj, ""))}</td>'
                      for subj in part)
            + "</tr>"
            for i, s in enumerate(copy.students, start=1)
        )
        width = NUMBER_COL_MM + names_mm + col * len(part)
        cols = (f'<col style="width:{NUMBER_COL_MM}mm"><col style="width:{names_mm:.1f}mm">'
                + f'<col style="width:{col:.1f}mm">' * len(part))
        blocks.append(
            f'<table class="summary" style="width:{width:.1f}mm"><colgroup>{cols}</colgroup>'
            f'<thead><tr><th class="num">№</th><th class="name">Ученик</th>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table>')
    what = f"отметки за {copy.period.name}" if kind == "period" else {
        "year": "годовые отметки", "exam": "экзаменационные отметки", "final": "итоговые отметки"}[kind]
    return f'<h2>Сводная ведомость: {_e(what)}</h2>' + "".join(blocks)


def finals_part(copy: ClassCopy, total: int | None = None) -> str:
    """The final pages: summary sheets, attendance totals, the page count, the signatures."""
    pages_text = count_ru(total, ("страница", "страницы", "страниц")) if total else "000 страниц"
    summaries = []
    if copy.with_marks:
        kinds = ["period"] + [k for k in YEAR_KINDS if any(s.year_marks.get(k) for s in copy.sections)]
        summaries = [_summary_tables(copy, kind) for kind in kinds]
    att_rows = "".join(
        f'<tr><td class="num">{i}</td><td class="name">{_e(t.name)}</td><td class="n">{t.missed or ""}</td>'
        f'<td class="n">{t.ill or ""}</td><td class="n">{t.excused or ""}</td>'
        f'<td class="n">{t.unexcused or ""}</td><td class="n">{t.late or ""}</td></tr>'
        for i, t in enumerate(copy.attendance, start=1)
    )
    fields = ("missed", "ill", "excused", "unexcused", "late")
    sums = [sum(getattr(t, f) for t in copy.attendance) for f in fields]
    names_mm = name_column_mm([s.name for s in copy.students])
    attendance = (
        f'<h2>Посещаемость за {_e(copy.period.name)}: пропущено уроков</h2>'
        f'<table class="attendance" style="width:{NUMBER_COL_MM + names_mm + 5 * 30:.1f}mm"><colgroup>'
        f'<col style="width:{NUMBER_COL_MM}mm"><col style="width:{names_mm:.1f}mm">'
        + '<col style="width:30mm">' * 5 +
        '</colgroup><thead><tr><th class="num">№</th><th class="name">Ученик</th><th>Всего</th>'
        '<th>По болезни (Б)</th><th>По уважительной причине (У)</th><th>Без уважительной причины (Н)</th>'
        '<th>Опозданий (О)</th></tr></thead>'
        f'<tbody>{att_rows}</tbody><tfoot class="totals"><tr><td></td><td class="name">Итого по классу</td>'
        + "".join(f'<td class="n">{v}</td>' for v in sums) + "</tr></tfoot></table>")
    signatures = f"""<div class="deputy">
  <p class="page-count">Всего в копии {_e(pages_text)}.</p>
  {_signature("Копия проверена. Заместитель директора по УВР", copy.deputy)}
  <div class="director">{_signature("Копия заверена. Директор", copy.director)}
    <span class="seal">М. П.</span></div>
</div>"""
    framed = [_framed(copy, summary) for summary in summaries]
    framed.append(_framed(copy, f'<div class="keep">{attendance}</div>', signatures))
    return "".join(framed)


def _framed(copy: ClassCopy, *blocks: str) -> str:
    """A part whose running header repeats on every page it takes."""
    rows = "".join(f"<tr><td>{block}</td></tr>" for block in blocks)
    return (f'<section class="part finals"><table class="frame"><thead><tr><td>{_header(copy)}</td></tr>'
            f"</thead><tbody>{rows}</tbody></table></section>")


PAGE_MARGINS_MM = (9.0, PAGE_MARGIN_MM, 11.0, PAGE_MARGIN_MM)

PRINT_CSS = """
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans Condensed", "DejaVu Sans", "Arial Narrow", Arial, sans-serif;
  font-size: 8pt; line-height: 1.2; }
.part { break-before: page; }
.part:first-child { break-before: auto; }
h1 { font-size: 15pt; margin: 6mm 0 4mm; }
h2 { font-size: 10.5pt; margin: 2mm 0 1.5mm; }
h3 { font-size: 8.5pt; margin: 1.5mm 0 1mm; }
table { margin: 0; }
th, td { border: 0.6pt solid #000; padding: 0.4mm 0.6mm; }
th { background: #eee; }
td.num, th.num { text-align: center; }
.running { font-size: 7pt; color: #333; border-bottom: 0.6pt solid #888; padding-bottom: 0.6mm;
  margin-bottom: 1mm; }
/* title page */
.title-page .school { font-size: 11pt; text-align: center; margin-top: 2mm; }
.title-page h1 { text-align: center; }
table.facts { font-size: 10pt; margin: 0 auto 3mm; min-width: 150mm; }
table.facts th { text-align: left; width: 55mm; background: #f3f3f3; }
table.facts th, table.facts td { padding: 1mm 2mm; }
table.contents { width: 100%; font-size: 9pt; }
table.contents td, table.contents th { padding: 0.6mm 1.5mm; }
table.contents th { text-align: left; }
table.contents .num { width: 12mm; text-align: center; }
table.facts td.name, table.contents td.name { font-size: inherit; line-height: inherit; }
.certify { margin-top: 5mm; break-inside: avoid; }
.certify-line { font-size: 10pt; font-weight: bold; margin: 0 0 1mm; }
.note { font-size: 9pt; font-style: italic; text-align: center; }
/* signature lines */
.sign-box { width: 230mm; break-inside: avoid; padding-bottom: 3.5mm; }
.sign-box .signature { margin-top: 4mm; font-size: 9pt; }
.sign-box .signature .line { min-width: 40mm; }
.sign-box .signature .name { min-width: 55mm; }
/* subject pages */
table.frame { width: 100%; border: none; }
table.frame > * > tr > td { border: none; padding: 0; }
table.frame > tbody > tr.log-row { break-inside: auto; }
table.frame > tfoot > tr > td.foot { padding-top: 1mm; padding-bottom: 2mm; }
.subject-head { display: flex; gap: 5mm; align-items: baseline; margin-bottom: 1mm; }
.subject-no, .subject-title { font-size: 11pt; font-weight: bold; }
.subject-no { margin-right: -3.5mm; }
.subject-teacher { font-size: 9pt; }
.subject-count { font-size: 8pt; color: #333; margin-left: auto; }
table.grid { table-layout: fixed; margin-bottom: 1.5mm; }
table.grid th, table.grid td { height: 4.4mm; overflow: hidden; }
table.grid th.date { font-size: 6.3pt; padding: 0.3mm 0; text-align: center; white-space: nowrap; }
table.grid .seq { display: block; font-size: 5pt; font-weight: normal; line-height: 1; }
table.grid th.final { font-size: 6pt; hyphens: manual; line-height: 1.05; text-align: center; }
table.grid td.cell { text-align: center; font-size: 7.5pt; padding: 0; white-space: nowrap; }
table.grid td.absent { color: #000; background: #e6e6e6; }
table.grid td.long { font-size: 5.6pt; letter-spacing: -0.1pt; }
table.grid td.final { text-align: center; font-weight: bold; font-size: 8pt; }
table td.name { white-space: normal; overflow-wrap: anywhere; line-height: 1.1; font-size: 7.5pt; }
table th.name { text-align: left; }
.student-note { font-size: 6pt; color: #333; }
table.grid tbody tr:nth-child(5n) td { border-bottom-width: 1.1pt; }
.chunk-caption { font-size: 7pt; font-style: italic; margin: 0.5mm 0; }
.legend { font-size: 6.5pt; color: #333; margin: 0 0 1mm; }
table.log { width: 100%; table-layout: fixed; font-size: 7.5pt; }
table.log td { vertical-align: top; overflow-wrap: anywhere; }
table.log td.logdate { white-space: nowrap; }
table.log .empty { text-align: center; font-style: italic; }
/* final pages */
table.summary, table.attendance { table-layout: fixed; margin-bottom: 2mm; font-size: 8pt; }
table.summary th.subj { height: 34mm; padding: 0.5mm 0; vertical-align: bottom; }
table.summary th.subj > div { writing-mode: vertical-rl; transform: rotate(180deg); margin: 0 auto;
  max-height: 33mm; font-size: 7pt; line-height: 1.1; text-align: left; white-space: normal; }
table.summary tbody tr:nth-child(5n) td { border-bottom-width: 1.1pt; }
.title-page a { color: inherit; text-decoration: none; }
table.summary td.mark, table.attendance td.n { text-align: center; }
table.attendance th { font-size: 7pt; text-align: center; }
table.attendance th.name { text-align: left; }
table.attendance tfoot td { font-weight: bold; }
.keep { break-inside: avoid; }
.deputy { margin-top: 3mm; break-inside: avoid; font-size: 9pt; }
.deputy p { margin: 0 0 1mm; }
.deputy p.page-count { margin-bottom: 3mm; }
.deputy .director { display: flex; align-items: flex-end; gap: 6mm; }
.deputy .seal { font-weight: bold; padding-bottom: 4mm; }
"""


def class_copy_html(copy: ClassCopy, parts: Sequence[str]) -> str:
    """The whole HTML document of a copy made of ``parts`` (title, subjects, final pages)."""
    label = f"{copy.school_class.name} · {copy.period.name} {copy.school_year} · копия, версия {copy.version}"
    title = f"{copy.school_class.name} — {copy.period.name} — бумажная копия журнала"
    return document(title, "".join(parts), "landscape", margins_mm=PAGE_MARGINS_MM,
                    extra_css=PRINT_CSS, footer_left=label)


def class_copy_parts(copy: ClassCopy, pages: Sequence[int | None] | None = None,
                     total: int | None = None) -> list[str]:
    """The HTML parts of a copy: the title page, one per subject, the final pages.

    ``pages`` are the first pages of the subjects for the contents and ``total`` the
    number of pages (None while unknown: placeholders of the same width are printed).
    """
    first_pages = list(pages) if pages is not None else [None] * len(copy.sections)
    contents = [(s.title, s.teacher, first_pages[i]) for i, s in enumerate(copy.sections)]
    parts = [title_part(copy, contents)]
    parts += [subject_part(copy, s, i) for i, s in enumerate(copy.sections, start=1)]
    parts.append(finals_part(copy, total))
    return parts


Renderer = Callable[[str, Path], int]


def render_class_copy(copy: ClassCopy, out: Path, render: Renderer) -> int:
    """Print a copy to ``out``; the page count.

    The contents link to the subjects; Chromium writes those links as named destinations,
    which say on which page each subject starts. So the copy is printed once with blank
    page numbers, the numbers are read from the PDF, and it is printed again with them
    (and checked again). When the destinations cannot be read, each part (which starts on
    a new page and is paginated alone as in the whole) is printed on its own to count its
    pages instead.
    """
    first = render(class_copy_html(copy, class_copy_parts(copy)), out)
    starts = section_pages(Path(out).read_bytes(), len(copy.sections))
    if starts is not None:
        total = render(class_copy_html(copy, class_copy_parts(copy, starts, first)), out)
        if total == first and section_pages(Path(out).read_bytes(), len(copy.sections)) == starts:
            return total
    parts = class_copy_parts(copy)
    with tempfile.TemporaryDirectory(prefix="journal-print-") as tmp:
        counts = [render(class_copy_html(copy, [part]), Path(tmp) / f"part{i}.pdf")
                  for i, part in enumerate(parts)]
    counted: list[int | None] = []
    page = 1 + counts[0]
    for count in counts[1:-1]:
        counted.append(page)
        page += count
    total = render(class_copy_html(copy, class_copy_parts(copy, counted, sum(counts))), out)
    if total != sum(counts):
        raise RenderError(
            f"{copy.school_class.name}, {copy.period.name}: страниц в копии {total}, а по частям "
            f"{sum(counts)} — номера страниц в содержании были бы неверны. Сообщите разработчикам"
        )
    return total


_OBJECT = re.compile(rb"(\d+) 0 obj\b")
_REF = re.compile(rb"(\d+) 0 R")


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    """Object number → its dictionary text (up to ``stream`` or ``endobj``)."""
    objects: dict[int, bytes] = {}
    for match in _OBJECT.finditer(data):
        body_start = match.end()
        ends = [i for i in (data.find(b"endobj", body_start), data.find(b"stream", body_start)) if i >= 0]
        if ends:
            objects.setdefault(int(match.group(1)), data[body_start:min(ends)])
    return objects


def section_pages(data: bytes, sections: int) -> list[int | None] | None:
    """The first page of each subject, from the PDF's named destinations ``subject-N``.

    None when the PDF does not hold them in a readable form (compressed object streams,
    another browser), so that the caller can count pages another way.
    """
    objects = _pdf_objects(data)
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)), None)
    if catalog is None:
        return None
    root = re.search(rb"/Pages\s+(\d+) 0 R", catalog)
    dests_ref = re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    if root is None or (dests_ref is None and sections):
        return None
    order: list[int] = []

    def walk(number: int, depth: int = 0) -> None:
        body = objects.get(number, b"")
        if depth > 32:
            return
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            for kid in _REF.findall(kids.group(1) if kids else b""):
                walk(int(kid), depth + 1)
        elif re.search(rb"/Type\s*/Page\b", body):
            order.append(number)

    walk(int(root.group(1)))
    page_of = {number: i for i, number in enumerate(order, start=1)}
    dests = objects.get(int(dests_ref.group(1)), b"") if dests_ref else b""
    found = {int(n): page_of.get(int(ref)) for n, ref in
             re.findall(rb"/subject-(\d+)\s*\[\s*(\d+) 0 R", dests)}
    starts = [found.get(i) for i in range(1, sections + 1)]
    if any(p is None for p in starts) or starts != sorted(starts):  # type: ignore[type-var]
        return None
    return starts


# -- the whole run ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedCopy:
    """A PDF made by :func:`print_copies` and its row in the archive register."""

    class_name: str
    period: str
    version: int
    pages: int
    path: Path
    sha256: str
    previous: tuple[RegisterRow, ...] = ()

    def describe(self) -> str:
        """One Russian line for the terminal."""
        pages = count_ru(self.pages, ("страница", "страницы", "страниц"))
        text = f"{self.class_name}, {self.period}: {pages} — {self.path.parent.name}/{self.path.name}"
        if self.previous:
            last = self.previous[-1]
            text += (f" (новая версия {self.version}; версия {last.version} от {last.produced} "
                     f"сохранена: {last.file_name})")
        return text


@dataclass
class PrintOutcome:
    """What :func:`print_copies` made, skipped and found."""

    copies: list[PrintedCopy] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    register: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def copy_file_name(class_name: str, period: Period, version: int) -> str:
    """«5А — 1 четверть.pdf»; from the second version «5А — 1 четверть (версия 2).pdf»."""
    suffix = f" (версия {version})" if version > 1 else ""
    return safe_file_name(f"{class_name} — {period.name}{suffix}") + ".pdf"


def print_copies(school: SchoolFolder, settings: Settings, plan: PrintPlan, render: Renderer,
                 *, now: dt.datetime | None = None,
                 progress: Callable[[PrintedCopy], None] | None = None) -> PrintOutcome:
    """Print every job of ``plan`` into ``output/Бумажные копии/<period>/`` and register it.

    A class and period printed before get the next version; the earlier PDF is kept.
    The register (``output/Бумажные копии/Реестр бумажных копий.xlsx``, file names relative
    to that folder) is rewritten atomically after each copy, so a run that fails halfway
    leaves every PDF it made registered.
    """
    import time

    now = (now or dt.datetime.now()).replace(microsecond=0)
    outcome = PrintOutcome(skipped=list(plan.skipped))
    folder = school.output(PRINT_DIR)
    reg_path = register_path(folder)
    read_register(reg_path)  # refuse an unreadable register before printing anything
    if plan.jobs:
        check_writable(reg_path)
    with store.opened(school.store_path, readonly=True) as conn:
        for job in plan.jobs:
            started = time.perf_counter()
            copy = load_class_copy(conn, settings, job.school_class, job.period)
            outcome.findings.extend(copy.findings)
            rows = read_register(reg_path)  # again: another run may have added rows meanwhile
            earlier = [r for r in rows
                       if normalise_class_name(r.class_name) == normalise_class_name(job.school_class.name)
                       and r.period == job.period.name and r.school_year == settings.school_year]
            version = next_version(earlier)
            period_folder = folder / safe_file_name(job.period.name)
            while (period_folder / copy_file_name(job.school_class.name, job.period, version)).exists():
                version += 1
            copy.version, copy.produced_at = version, now
            path = period_folder / copy_file_name(job.school_class.name, job.period, version)
            pages = render_class_copy(copy, path, render)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            row = RegisterRow(
                class_name=job.school_class.name, period=job.period.name, school_year=settings.school_year,
                version=version, pages=pages, produced=now.strftime("%d.%m.%Y %H:%M"),
                sha256=digest, file_name=path.relative_to(folder).as_posix())
            write_register(reg_path, [*read_register(reg_path), row])
            outcome.register = reg_path
            printed = PrintedCopy(job.school_class.name, job.period.name, version, pages, path, digest,
                                  tuple(earlier))
            outcome.copies.append(printed)
            if progress is not None:
                progress(printed)
            outcome.seconds[f"{job.school_class.name}, {job.period.name}"] = time.perf_counter() - started
    return outcome
