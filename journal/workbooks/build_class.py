"""The class teacher's workbook: the class list, parents, reasons for absences, notes and events."""

from __future__ import annotations

import hashlib

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from journal.core import xlsx_style as xs
from journal.school.settings import SchoolClass, Settings
from journal.workbooks import format as wf
from journal.workbooks.build_common import (
    CLASS_MIN_ROWS,
    CLASS_SPARE_ROWS,
    GROUP_LISTS_FIRST_COL,
    MESSAGE_ROWS,
    TABLE_HEADER_ROW,
    define,
    group_of,
    lock_structure,
    write_help_lines,
    write_lists,
    write_messages,
    write_meta,
    write_table,
)


def build_class_workbook(
    settings: Settings,
    school_class: SchoolClass,
    content: wf.ClassContent | None = None,
    created: str = "",
) -> Workbook:
    """The class teacher's workbook for ``school_class``, optionally filled with ``content``."""
    content = content or wf.ClassContent()
    split = class_group_subjects(settings, school_class)
    n_rows = max(CLASS_MIN_ROWS, len(content.students) + CLASS_SPARE_ROWS,
                 len(content.parents) + CLASS_SPARE_ROWS, len(content.reasons) + CLASS_SPARE_ROWS,
                 len(content.notes) + CLASS_SPARE_ROWS)
    wb = Workbook()
    xs.use_base_font(wb)
    ws_students = wb.active
    assert ws_students is not None
    ws_students.title = wf.SHEET_STUDENTS
    ws_parents = wb.create_sheet(wf.SHEET_PARENTS)
    ws_reasons = wb.create_sheet(wf.SHEET_REASONS)
    ws_notes = wb.create_sheet(wf.SHEET_NOTES)
    ws_events = wb.create_sheet(wf.SHEET_CLASS_EVENTS)
    ws_messages = wb.create_sheet(wf.SHEET_MESSAGES)
    help_ws = wb.create_sheet(wf.HELP_SHEET)
    lists = wb.create_sheet(wf.LISTS_SHEET)
    meta = wb.create_sheet(wf.META_SHEET)
    write_lists(wb, lists, settings, school_class)
    group_lists: list[str] = []
    for k, (_subject, groups) in enumerate(split):
        col = GROUP_LISTS_FIRST_COL + k
        lists.cell(1, col, f"Группы {k + 1}")
        for i, group in enumerate(groups):
            lists.cell(2 + i, col, group)
        letter = get_column_letter(col)
        name = f"jr_list_groups_{k + 1}"
        define(wb, name, f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${1 + max(len(groups), 1)}")
        group_lists.append(name)
    first = TABLE_HEADER_ROW + 1
    last = first + n_rows - 1
    define(wb, "jr_list_students",
           f"{quote_sheetname(ws_students.title)}!$A${first}:$A${last}")
    title = f"{school_class.name} класс, {settings.school_year} учебный год"
    if school_class.class_teacher:
        title += f"; классный руководитель {school_class.class_teacher}"

    # Students
    columns = [*wf.STUDENT_COLUMNS, *[wf.GROUP_COLUMN_PREFIX + subject for subject, _ in split]]
    rows = [[s.full_name, s.birth_date, s.joined, s.left,
             *[group_of(s, subject) or None for subject, _ in split]] for s in content.students]
    write_table(wb, ws_students, wf.NAME_CLASS_STUDENTS, f"Список учеников: {title}",
                "ФИО полностью: Фамилия Имя Отчество. Даты — ДД.ММ.ГГГГ. Выбывшего ученика не удаляйте: "
                "поставьте дату выбытия." + (" Группу выберите из списка." if split else ""), columns,
                [32, 15, 16, 15, *[22] * len(split)], rows, n_rows, date_cols={1, 2, 3})
    for k, name in enumerate(group_lists):
        dv = DataValidation(type="list", formula1=name, allow_blank=True, showErrorMessage=True,
                            errorStyle="stop", errorTitle="Группа", error="Выберите группу из списка.")
        ws_students.add_data_validation(dv)
        letter = get_column_letter(5 + k)
        dv.add(f"{letter}{first}:{letter}{last}")

    # Parents
    rows = [[p.student, p.full_name, p.phone or None, p.email or None] for p in content.parents]
    write_table(wb, ws_parents, wf.NAME_PARENTS, f"Родители: {title}",
                "По строке на каждого родителя; ученика выберите из списка (ФИО как на листе «Ученики»).",
                list(wf.PARENT_COLUMNS),
                [32, 32, 18, 28], rows, n_rows, date_cols=set())
    _student_dropdown(ws_parents, "A", first, last)

    # Absence reasons
    rows = [[r.student, r.start, r.end, r.code, r.document or None] for r in content.reasons]
    write_table(wb, ws_reasons, wf.NAME_REASONS, f"Причины пропусков: {title}",
                "Б — болезнь, У — уважительная причина, Н — без уважительной причины, О — опоздание. "
                "«С» и «По» — первый и последний день (ДД.ММ.ГГГГ); для одного дня «По» можно не писать.",
                list(wf.REASON_COLUMNS), [32, 13, 13, 10, 40], rows, n_rows, date_cols={1, 2})
    _student_dropdown(ws_reasons, "A", first, last)
    dv = DataValidation(type="list", formula1=wf.LIST_REASONS, allow_blank=True, showErrorMessage=True,
                        errorStyle="stop", errorTitle="Причина",
                        error="Б — болезнь, У — уважительная, Н — без уважительной причины, О — опоздание.")
    ws_reasons.add_data_validation(dv)
    dv.add(f"D{first}:D{last}")

    # Notes
    rows = [[student, text] for student, text in content.notes.items()]
    write_table(wb, ws_notes, wf.NAME_NOTES, f"Заметки для родителей: {title}",
                "Короткая заметка попадёт в письмо родителям этого ученика.", list(wf.NOTE_COLUMNS),
                [32, 90], rows, n_rows, date_cols=set())
    _student_dropdown(ws_notes, "A", first, last)

    # Class events and messages
    event_rows: list[list[object]] = [[e.date, e.title] for e in content.events]
    write_table(wb, ws_events, wf.NAME_CLASS_EVENTS, f"События класса: {title}",
                "Дата (ДД.ММ.ГГГГ) и что будет: собрание, экскурсия, концерт. События класса увидят "
                "все семьи класса в электронном дневнике и в письмах.", list(wf.EVENT_COLUMNS),
                [13, 90], event_rows, max(MESSAGE_ROWS, len(event_rows) + CLASS_SPARE_ROWS), date_cols={0})
    write_messages(wb, ws_messages, f"Сообщения: {title}",
                   "Сообщение увидят в электронном дневнике и в письме: в столбце «Кому» напишите «класс» — "
                   "для всех семей класса, или ФИО ученика (как на листе «Ученики») — только для его семьи.",
                   content.messages, None)

    _write_class_help(help_ws, settings, school_class, split)
    write_meta(wb, meta, wf.WorkbookMeta(
        kind=wf.KIND_CLASS, school_year=settings.school_year, class_name=school_class.name,
        teacher=school_class.class_teacher, created=created),
        class_layout(settings, school_class))
    wb.active = 0
    lock_structure(wb)
    return wb


def class_group_subjects(settings: Settings, school_class: SchoolClass) -> list[tuple[str, list[str]]]:
    """(subject, its group names) for each subject the class is split for, in curriculum order."""
    found: dict[str, list[str]] = {}
    for item in settings.curriculum_for(school_class.name):
        if item.group:
            groups = found.setdefault(item.subject, [])
            if item.group not in groups:
                groups.append(item.group)
    return list(found.items())


def _student_dropdown(ws: Worksheet, letter: str, first: int, last: int) -> None:
    dv = DataValidation(type="list", formula1="jr_list_students", allow_blank=True, showErrorMessage=True,
                        errorStyle="warning", errorTitle="Ученик",
                        error="Такого ученика нет на листе «Ученики». Проверьте ФИО.")
    ws.add_data_validation(dv)
    dv.add(f"{letter}{first}:{letter}{last}")


def _write_class_help(ws: Worksheet, settings: Settings, school_class: SchoolClass,
                      split: list[tuple[str, list[str]]]) -> None:
    lines: list[tuple[str, str]] = [
        ("title", "Как заполнять файл классного руководителя"),
        ("", f"{settings.school_name}. Класс {school_class.name}, {settings.school_year} учебный год."),
        ("head", "Лист «Ученики»"),
        ("", "Одна строка — один ученик: ФИО полностью (Фамилия Имя Отчество), дата рождения, дата "
             "зачисления (если пришёл в течение года) и дата выбытия (если ушёл). Даты пишите как "
             "01.09.2026. Выбывшего ученика не удаляйте: поставьте дату выбытия."),
    ]
    if split:
        subjects = ", ".join(f"«{s}»" for s, _ in split)
        lines.append(("", f"Класс делится на группы по предметам: {subjects}. В столбцах «Группа: …» "
                          "выберите группу каждого ученика — по ним составляются журналы групп."))
    lines += [
        ("head", "Лист «Родители»"),
        ("", "ФИО ученика (как на листе «Ученики»), ФИО родителя, телефон, электронная почта. "
             "У ученика может быть несколько строк — по одной на каждого родителя."),
        ("head", "Лист «Причины пропусков»"),
        ("", "Ученик, первый и последний день (С, По), причина и документ (справка, заявление). "
             "Причины: Б — болезнь, У — уважительная причина, Н — без уважительной причины, "
             "О — опоздание. При сборе журнала причина применяется к пропускам «Н» всех учителей "
             "в эти дни."),
        ("head", "Лист «Заметки для родителей»"),
        ("", "Короткая заметка для письма родителям ученика (необязательно)."),
        ("head", "Лист «События класса»"),
        ("", "Дата и событие класса (собрание, экскурсия, праздник). Его увидят все семьи класса в "
             "электронном дневнике и в письме за две недели, в которые попадает дата."),
        ("head", "Лист «Сообщения»"),
        ("", "Дата, кому и текст. «Кому»: «класс» — сообщение увидят все семьи класса; ФИО ученика, как на "
             "листе «Ученики», — только семья этого ученика. Не называйте в сообщении одной семье других "
             "детей. Исправленное сообщение заменит прежнее в дневнике; прежний текст сохранится в истории."),
        ("head", "Важно"),
        ("", "Не переименовывайте листы и столбцы. Новых учеников добавляйте в пустые строки внизу списка; "
             "после этого ответственный за ЭЖ обновит журналы учителей — все заполненные отметки "
             "сохранятся."),
    ]
    write_help_lines(ws, lines)


def class_layout(settings: Settings, school_class: SchoolClass) -> str:
    """A fingerprint of everything a class workbook's layout is built from (see :func:`subject_layout`)."""
    parts = [wf.FORMAT_VERSION, settings.school_name, settings.school_year, school_class.name,
             school_class.class_teacher, class_group_subjects(settings, school_class)]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
