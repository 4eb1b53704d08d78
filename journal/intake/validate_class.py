"""Validation of a class teacher's workbook: the class list, parents, reasons for absences, notes."""

from __future__ import annotations

import datetime as dt
import re

from journal.core.text import clean_text, name_key, parse_date_value
from journal.intake.records import ClassRecords, ParentRow, ReasonRow, StudentRow, Validated
from journal.intake.validate_common import (
    FOREIGN_TEACHER,
    NOTE_NAMES_OTHER,
    Findings,
    school_class_of,
    students_named_in,
    validate_events,
    validate_messages,
)
from journal.school.marks import ABSENCE_CODES
from journal.school.settings import Settings
from journal.workbooks.format import (
    GROUP_COLUMN_PREFIX,
    META_SHEET,
    NOTE_STUDENT,
    NOTE_TEXT,
    PARENT_EMAIL,
    PARENT_NAME,
    PARENT_PHONE,
    PARENT_STUDENT,
    REASON_CODE,
    REASON_DOCUMENT,
    REASON_FROM,
    REASON_STUDENT,
    REASON_TO,
    SHEET_NOTES,
    SHEET_PARENTS,
    SHEET_REASONS,
    SHEET_STUDENTS,
    STUDENT_BIRTH,
    STUDENT_JOINED,
    STUDENT_LEFT,
    STUDENT_NAME,
)
from journal.workbooks.views import Cell, ClassView

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_class(view: ClassView, settings: Settings, *, file: str) -> Validated:
    """Check a class teacher's workbook: the class list, parents, absence reasons, notes."""
    meta = view.meta
    found = Findings(file, meta.teacher)
    err, warn, out = found.err, found.warn, found.items
    school_class = school_class_of(meta, settings, found, "файл")
    if school_class is None:
        return Validated(None, out)
    if out:
        return Validated(None, out)
    if meta.teacher and school_class.class_teacher and \
            name_key(meta.teacher) != name_key(school_class.class_teacher):
        found.teacher = school_class.class_teacher
        found.err(FOREIGN_TEACHER, f"в служебных данных файла классный руководитель — "
                                   f"«{meta.teacher}», а по настройкам школы класс {school_class.name} "
                                   f"ведёт {school_class.class_teacher}. Файл не принят: возьмите "
                                   "книгу, созданную для этого класса (её выдаёт ответственный за ЭЖ), или "
                                   "исправьте классного руководителя в настройках",
                  sheet=META_SHEET)
        return Validated(None, out)
    teacher = found.teacher = school_class.class_teacher or meta.teacher
    rec = ClassRecords(file=file, class_name=school_class.name, grade=school_class.grade,
                       letter=school_class.letter,
                       class_teacher=school_class.class_teacher or teacher)

    def date_of(row: dict[str, Cell], header: str, sheet: str, student: str,
                required: bool = False) -> dt.date | None:
        cell = row.get(header)
        if cell is None or not clean_text(cell.value):
            if required:
                err("C03", f"не заполнен столбец «{header}». Введите дату ДД.ММ.ГГГГ",
                    sheet=sheet, cell=cell.cell if cell else "", student=student)
            return None
        day = parse_date_value(cell.value, None if header == STUDENT_BIRTH else meta.school_year)
        if day is None:
            err("C03", f"«{clean_text(cell.value)}» не дата (столбец «{header}»). Введите "
                       "дату как ДД.ММ.ГГГГ", sheet=sheet, cell=cell.cell, student=student)
        return day

    names: dict[str, str] = {}
    for row in view.students:
        cell = row.get(STUDENT_NAME)
        name = clean_text(cell.value) if cell else ""
        if not name:
            continue
        key = name_key(name)
        if key in names:
            err("C01", f"ученик «{name}» записан дважды. Оставьте одну строку",
                sheet=SHEET_STUDENTS, cell=cell.cell if cell else "", student=name)
            continue
        names[key] = name
        birth = date_of(row, STUDENT_BIRTH, SHEET_STUDENTS, name)
        joined = date_of(row, STUDENT_JOINED, SHEET_STUDENTS, name)
        left = date_of(row, STUDENT_LEFT, SHEET_STUDENTS, name)
        if joined and left and left < joined:
            err("C04", f"дата выбытия {left:%d.%m.%Y} раньше даты зачисления "
                       f"{joined:%d.%m.%Y}. Исправьте даты", sheet=SHEET_STUDENTS,
                cell=row[STUDENT_LEFT].cell, student=name)
        groups = tuple(
            (header[len(GROUP_COLUMN_PREFIX):], clean_text(gcell.value))
            for header, gcell in row.items()
            if header.startswith(GROUP_COLUMN_PREFIX) and clean_text(gcell.value))
        for subject, grp in groups:
            if settings.curriculum_item(school_class.name, subject, grp) is None:
                warn("C07", f"группы «{grp}» по предмету «{subject}» нет в учебном плане. "
                            "Выберите группу из списка", sheet=SHEET_STUDENTS,
                     cell=row[GROUP_COLUMN_PREFIX + subject].cell, student=name)
        rec.students.append(StudentRow(name, birth, joined, left, groups))
    if not rec.students:
        warn("C08", "список класса пуст. Впишите учеников на лист "
                    f"«{SHEET_STUDENTS}»", sheet=SHEET_STUDENTS)

    def student_of(row: dict[str, Cell], header: str, sheet: str) -> str | None:
        cell = row.get(header)
        name = clean_text(cell.value) if cell else ""
        if not name:
            return None
        if name_key(name) not in names:
            err("C02", f"ученика «{name}» нет в списке класса на листе «{SHEET_STUDENTS}». "
                       "Проверьте ФИО", sheet=sheet, cell=cell.cell if cell else "",
                student=name)
            return None
        return names[name_key(name)]

    for row in view.parents:
        parent = clean_text(row[PARENT_NAME].value) if PARENT_NAME in row else ""
        student = student_of(row, PARENT_STUDENT, SHEET_PARENTS)
        if student is None or not parent:
            continue
        email = clean_text(row[PARENT_EMAIL].value) if PARENT_EMAIL in row else ""
        if email and not EMAIL.match(email):
            warn("C06", f"адрес «{email}» не похож на адрес электронной почты. Проверьте его",
                 sheet=SHEET_PARENTS, cell=row[PARENT_EMAIL].cell, student=student)
        phone = clean_text(row[PARENT_PHONE].value) if PARENT_PHONE in row else ""
        rec.parents.append(ParentRow(student, parent, phone, email))

    for row in view.reasons:
        if not any(clean_text(c.value) for c in row.values()):
            continue
        student = student_of(row, REASON_STUDENT, SHEET_REASONS)
        if student is None:
            if REASON_STUDENT in row and not clean_text(row[REASON_STUDENT].value):
                err("C02", "не указан ученик. Впишите ФИО из списка класса",
                    sheet=SHEET_REASONS, cell=row[REASON_STUDENT].cell)
            continue
        start = date_of(row, REASON_FROM, SHEET_REASONS, student, required=True)
        end = date_of(row, REASON_TO, SHEET_REASONS, student) or start
        code_cell = row.get(REASON_CODE)
        code = clean_text(code_cell.value).upper().translate(_CODE_LOOKALIKE) if code_cell else ""
        if code not in ABSENCE_CODES:
            err("C05", f"причина «{clean_text(code_cell.value) if code_cell else ''}» неизвестна. "
                       "Допустимо: Б (болеет), У (уважительная), Н (неуважительная), "
                       "О (опоздал)", sheet=SHEET_REASONS,
                cell=code_cell.cell if code_cell else "", student=student)
            continue
        if start is None or end is None:
            continue
        if end < start:
            err("C04", f"дата «по» {end:%d.%m.%Y} раньше даты «с» {start:%d.%m.%Y}. "
                       "Исправьте даты", sheet=SHEET_REASONS, cell=row[REASON_TO].cell,
                student=student)
            continue
        if start < settings.year_start or end > settings.year_end:
            warn("C09", f"период {start:%d.%m.%Y}–{end:%d.%m.%Y} выходит за учебный год. "
                        "Проверьте даты", sheet=SHEET_REASONS, cell=row[REASON_FROM].cell,
                 student=student)
        document = clean_text(row[REASON_DOCUMENT].value) if REASON_DOCUMENT in row else ""
        rec.reasons.append(ReasonRow(student, start, end, code, document))

    for row in view.notes:
        student = student_of(row, NOTE_STUDENT, SHEET_NOTES)
        text = clean_text(row[NOTE_TEXT].value) if NOTE_TEXT in row else ""
        if student and text:
            rec.notes[student] = text
            for other in students_named_in(text, student, list(names.values())):
                warn(NOTE_NAMES_OTHER, note_names_other_text(other),
                     sheet=SHEET_NOTES, cell=row[NOTE_TEXT].cell, student=student)
    rec.events = validate_events(view.events, settings, found)
    rec.messages = validate_messages(view.messages, list(names.values()), settings, found)
    return Validated(rec, out)


def note_names_other_text(other: str) -> str:
    """The message of ``C10``: a note to one student's parents names another student."""
    return (f"заметка для родителей называет другого ученика — «{other}». Письмо уйдёт только "
            "родителям этого ученика: о других детях в нём писать нельзя. Перепишите заметку, "
            "не называя других учеников")


_CODE_LOOKALIKE = str.maketrans("HOBY", "НОБУ")
