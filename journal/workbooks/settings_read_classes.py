"""The settings sheets of classes: the classes and their teachers, the curriculum, council decisions."""

from __future__ import annotations

import datetime as dt
import re

from journal.core.text import is_blank
from journal.school.settings import (
    CouncilDecision,
    CurriculumItem,
    SchoolClass,
    TeacherTerm,
    normalise_class_name,
)
from journal.school.year_marks import parse_decision
from journal.workbooks.settings_format import (
    COL_CLASS,
    COL_CLASS_TEACHER,
    COL_DECISION,
    COL_DECISION_DATE,
    COL_DECISION_NOTE,
    COL_EXAM,
    COL_FROM,
    COL_GRADE,
    COL_GROUP,
    COL_HOURS,
    COL_LETTER,
    COL_STUDENT,
    COL_SUBJECT,
    COL_TEACHER,
    COL_TEACHER_EMAIL,
    COL_TO,
    NAME_CLASSES,
    NAME_CURRICULUM,
    NAME_DECISIONS,
    SHEET_CLASSES,
    SHEET_CURRICULUM,
    SHEET_DECISIONS,
)
from journal.workbooks.settings_read_base import (
    Reader,
    Row,
    Year,
    dates_range,
    group_name,
    overlap,
    parse_number_value,
    parse_yes_no,
    span_text,
)


def read_classes(r: Reader) -> list[SchoolClass]:
    """The sheet of classes with their class teachers."""
    rows, first = r.area(NAME_CLASSES, SHEET_CLASSES, (COL_CLASS, COL_CLASS_TEACHER),
                         (COL_GRADE, COL_LETTER, COL_TEACHER_EMAIL))
    classes: list[SchoolClass] = []
    seen: dict[str, int] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_CLASSES, required=True)
        if not raw:
            continue
        name = normalise_class_name(raw)
        m = re.fullmatch(r"(\d{1,2})([А-ЯЁ]?)", name)
        grade_value = row.values.get(COL_GRADE)
        grade: int | None
        if is_blank(grade_value):
            grade = int(m.group(1)) if m else None
        else:
            number = parse_number_value(grade_value)
            grade = int(number) if number is not None and number.is_integer() else None
        cell = row.cells.get(COL_GRADE) or row.cells[COL_CLASS]
        if grade is None or not 1 <= grade <= 11:
            r.error("N23", f"Класс «{raw}»: параллель должна быть числом от 1 до 11 "
                                       f"(для «5А» — 5).", SHEET_CLASSES, cell)
            continue
        if m is not None and int(m.group(1)) != grade:
            r.error("N23", f"Класс «{raw}», а параллель указана {grade}. Исправьте "
                                       f"название класса или параллель.", SHEET_CLASSES, cell)
            continue
        letter = r.text(row, COL_LETTER, SHEET_CLASSES).upper() or (m.group(2) if m else "")
        teacher = r.text(row, COL_CLASS_TEACHER, SHEET_CLASSES)
        if not teacher:
            r.error("N24", f"У класса «{raw}» не указан классный руководитель. "
                                           f"Впишите его ФИО.", SHEET_CLASSES,
                    row.cells[COL_CLASS_TEACHER])
        if name in seen:
            r.error("N25", f"Класс «{raw}» уже есть в строке {seen[name]}. Удалите "
                                           f"повтор или исправьте букву.", SHEET_CLASSES,
                    row.cells[COL_CLASS])
            continue
        seen[name] = row.number
        email = r.text(row, COL_TEACHER_EMAIL, SHEET_CLASSES)
        if email and not EMAIL_PATTERN.match(email):
            r.warn("N52", f"«{email}» не похож на адрес электронной почты: ссылка «Написать классному "
                          f"руководителю» в дневнике класса {name} не появится. Проверьте адрес.",
                   SHEET_CLASSES, row.cells[COL_TEACHER_EMAIL])
            email = ""
        classes.append(SchoolClass(name, grade, letter, teacher, email))
    if not classes and first:
        r.error("N26", "Не указано ни одного класса. Впишите классы школы: класс, "
                                  "параллель, букву и классного руководителя.", SHEET_CLASSES, first)
    return classes


def read_curriculum(r: Reader, classes: list[SchoolClass], year: Year,
                    today: dt.date) -> list[CurriculumItem]:
    """The curriculum sheet: subjects, groups, hours and teachers of each class."""
    rows, first = r.area(NAME_CURRICULUM, SHEET_CURRICULUM,
                         (COL_CLASS, COL_SUBJECT, COL_HOURS, COL_TEACHER),
                         (COL_GROUP, COL_FROM, COL_TO, COL_EXAM))
    by_name = {c.name: c for c in classes}
    lines: dict[tuple[str, str, str], list[tuple[CurriculumItem, TeacherTerm, Row]]] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_CURRICULUM, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_CURRICULUM, required=True)
        group = group_name(r.text(row, COL_GROUP, SHEET_CURRICULUM))
        hours = r.number(row, COL_HOURS, SHEET_CURRICULUM)
        teacher = r.text(row, COL_TEACHER, SHEET_CURRICULUM)
        span = dates_range(r, row, SHEET_CURRICULUM, COL_FROM, COL_TO, year)
        exam = parse_yes_no(row.values.get(COL_EXAM))
        if exam is None:
            r.error("N10", f"«{row.values.get(COL_EXAM)}»: впишите «да» или «нет».",
                    SHEET_CURRICULUM, row.cells[COL_EXAM])
        school_class = by_name.get(normalise_class_name(raw)) if raw else None
        if raw and school_class is None:
            r.error("N27", f"Класса «{raw}» нет на листе «{SHEET_CLASSES}». Добавьте "
                                         f"его туда или исправьте название.", SHEET_CURRICULUM,
                    row.cells[COL_CLASS])
        if not teacher:
            r.error("N24", f"{raw} {subject}: не указан учитель. Впишите ФИО "
                                           f"учителя, который ведёт предмет.", SHEET_CURRICULUM,
                    row.cells[COL_TEACHER])
        if hours is not None and hours <= 0:
            r.error("N28", "Часов в неделю должно быть больше нуля. Если предмета нет, "
                                 "удалите строку.", SHEET_CURRICULUM, row.cells[COL_HOURS])
            hours = None
        if school_class is None or not subject or hours is None or span is None:
            continue
        key = (school_class.name, subject.lower(), group.lower())
        term = TeacherTerm(teacher, *span)
        clash = next((other_row for _i, other, other_row in lines.get(key, [])
                      if overlap((other.start, other.end), span)), None)
        if clash is not None:
            dated = span != (None, None) or any(t.start or t.end for _i, t, _r in lines[key])
            where = f"{school_class.name} {subject}{' (' + group + ')' if group else ''}"
            if dated:
                r.error("N43", f"{where}: сроки строки ({span_text(span)}) пересекаются со строкой "
                               f"{clash.number}. Если учитель сменился, в старой строке впишите "
                               f"«по» (последний день старого учителя), в новой — «с».",
                        SHEET_CURRICULUM, row.cells.get(COL_FROM) or row.cells[COL_SUBJECT])
            else:
                r.error("N29", f"{where} уже есть в строке {clash.number}. Удалите повтор. Если "
                               f"учитель сменился, оставьте обе строки и впишите даты «с» и «по».",
                        SHEET_CURRICULUM, row.cells[COL_SUBJECT])
            continue
        lines.setdefault(key, []).append(
            (CurriculumItem(school_class.name, subject, group, hours, teacher, exam=bool(exam)), term, row))
    items: list[CurriculumItem] = []
    for entries in lines.values():
        entries.sort(key=lambda e: e[1].start or dt.date.min)
        terms = tuple(t for _i, t, _r in entries)
        started = [e for e in entries if (e[1].start or dt.date.min) <= today]
        current, _term, row = started[-1] if started else entries[0]
        dated = len(entries) > 1 or any(t.start or t.end for t in terms)
        items.append(CurriculumItem(current.class_name, current.subject, current.group,
                                    current.weekly_hours, current.teacher,
                                    terms if dated else (), exam=current.exam))
        r.hours_cells[items[-1].key] = row.cells[COL_HOURS]
    split = {(c.class_name, c.subject.lower()) for c in items if c.group}
    whole = {(c.class_name, c.subject.lower()) for c in items if not c.group}
    for class_name, subject in sorted(split & whole):
        r.error("N30", f"{class_name}, {subject}: есть строки и с группой, и без группы. "
                                   f"Если класс делится, укажите группу в каждой строке предмета.",
                SHEET_CURRICULUM, first)
    if classes and not items and first:
        r.warn("N31", "Учебный план пуст: файлы журнала по предметам не будут созданы. "
                                    "Впишите предметы классов.", SHEET_CURRICULUM, first)
    return items


EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def read_decisions(r: Reader, classes: list[SchoolClass]) -> list[CouncilDecision]:
    """The sheet «Решения педсовета»; a settings file made before it has none."""
    if r.area_cells(NAME_DECISIONS) is None:
        return []
    rows, _first = r.area(NAME_DECISIONS, SHEET_DECISIONS, (COL_CLASS, COL_STUDENT, COL_DECISION),
                          (COL_DECISION_DATE, COL_DECISION_NOTE))
    by_name = {c.name: c for c in classes}
    decisions: list[CouncilDecision] = []
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_DECISIONS, required=True)
        student = r.text(row, COL_STUDENT, SHEET_DECISIONS, required=True)
        text = r.text(row, COL_DECISION, SHEET_DECISIONS, required=True)
        day = r.date(row, COL_DECISION_DATE, SHEET_DECISIONS, required=False)
        school_class = by_name.get(normalise_class_name(raw)) if raw else None
        if raw and school_class is None:
            r.error("N51", f"Класса «{raw}» нет на листе «{SHEET_CLASSES}». Исправьте класс "
                           f"в решении педсовета.", SHEET_DECISIONS, row.cells[COL_CLASS])
        if text and parse_decision(text) is None:
            r.error("N50", f"«{text}»: непонятное решение. Впишите «оставлен на повторное "
                           f"обучение», «переведён условно» или «переведён».", SHEET_DECISIONS,
                    row.cells[COL_DECISION])
            continue
        if school_class is None or not student or not text:
            continue
        decisions.append(CouncilDecision(school_class.name, student, text, day,
                                         r.text(row, COL_DECISION_NOTE, SHEET_DECISIONS)))
    return decisions
