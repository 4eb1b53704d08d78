"""The subject workbook: the grid of marks and absences, the lesson log, period marks and help."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from journal.core import xlsx_style as xs
from journal.core.text import is_blank, text_key
from journal.school.marks import ABSENCE_CODES, ABSENCE_RU
from journal.school.settings import HALVES, WEEKDAYS_SHORT_RU, CurriculumItem, SchoolClass, Settings
from journal.workbooks import format as wf
from journal.workbooks.build_common import (
    BORDER,
    CENTER,
    GRID_DATE_ROW,
    GRID_FIRST_DATE_COL,
    GRID_FIRST_STUDENT_ROW,
    GRID_KIND_ROW,
    GRID_NAME_COL,
    GRID_NUMBER_COL,
    GRID_PERIOD_ROW,
    GRID_TITLE_ROW,
    GRID_WEEKDAY_ROW,
    HEADER_FILL,
    HEADER_FONT,
    LEFT_FILL,
    LEFT_FONT,
    LIST_UNDERSTOOD,
    OUTSIDE_FILL,
    PERIOD_FILLS,
    PROBLEM_FILL,
    PROBLEM_FONT,
    RECIPIENTS_COL,
    ROTATED,
    SMALL,
    SMALL_GREY,
    SUBTITLE_FONT,
    TABLE_HEADER_ROW,
    THICK_LEFT,
    TITLE_FONT,
    UNLOCKED,
    WRAP,
    Styler,
    cell_value,
    define,
    group_of,
    lesson_text,
    lock_structure,
    print_setup,
    protect,
    write_header,
    write_help_lines,
    write_lists,
    write_messages,
    write_meta,
)


def build_subject_workbook(
    settings: Settings,
    item: CurriculumItem,
    students: Sequence[wf.StudentRecord],
    content: wf.SubjectContent | None = None,
    created: str = "",
    kept_dates: Sequence[dt.date] = (),
) -> Workbook:
    """A subject workbook for one curriculum line, optionally filled with ``content``.

    ``kept_dates`` are lesson dates the timetable no longer gives but that are kept because
    the lessons took place and hold data (see :func:`subject_dates`).

    ``students`` is the class list; for a group item only the students whose
    ``groups[subject]`` is the item's group are kept. Values of ``content`` whose
    student or lesson is not in the new layout are not written (see
    :func:`unplaced_subject_content`).
    """
    school_class = settings.school_class(item.class_name)
    if school_class is None:
        raise KeyError(item.class_name)
    content = content or wf.SubjectContent()
    roster = subject_students(item, students)
    dates = subject_dates(settings, item, kept_dates)
    keys = wf.lesson_keys(dates)

    wb = Workbook()
    xs.use_base_font(wb)
    grid = wb.active
    assert grid is not None
    grid.title = wf.SHEET_GRID
    log = wb.create_sheet(wf.SHEET_LOG)
    finals = wb.create_sheet(wf.SHEET_FINALS) if settings.gets_marks(school_class) else None
    messages = wb.create_sheet(wf.SHEET_MESSAGES)
    help_ws = wb.create_sheet(wf.HELP_SHEET)
    lists = wb.create_sheet(wf.LISTS_SHEET)
    meta = wb.create_sheet(wf.META_SHEET)

    write_lists(wb, lists, settings, school_class)
    title = wf.WorkbookMeta(wf.KIND_SUBJECT, settings.school_year, school_class.name,
                            item.subject, item.group, item.teacher).title()
    _write_grid(wb, grid, settings, school_class, item, title, roster, dates, keys, content)
    _write_log(wb, log, title, keys, content)
    if finals is not None:
        _write_finals(wb, finals, title, school_class, settings.final_period_names(school_class),
                      roster, content)
    _write_recipients(wb, lists, [s.full_name for s in roster])
    write_messages(wb, messages, f"Сообщения: {title}",
                   "Сообщение увидят в электронном дневнике: в столбце «Кому» выберите «класс» — для всех "
                   "учеников класса, или ФИО ученика — только для его семьи.", content.messages,
                   wf.LIST_RECIPIENTS)
    _write_subject_help(help_ws, settings, school_class, item)
    write_meta(wb, meta, wf.WorkbookMeta(
        kind=wf.KIND_SUBJECT, school_year=settings.school_year, class_name=school_class.name,
        subject=item.subject, group=item.group, teacher=item.teacher, created=created),
        subject_layout(settings, item, students, kept_dates),
        roster="|".join(student.full_name for student in roster))
    wb.active = 0
    lock_structure(wb)
    return wb


def subject_dates(settings: Settings, item: CurriculumItem,
                  kept_dates: Sequence[dt.date] = ()) -> list[dt.date]:
    """The lesson dates of a subject workbook: the timetable's, plus ``kept_dates`` (one
    column each) — past lessons that hold data though the timetable no longer gives them."""
    return sorted([*settings.lesson_dates(item), *kept_dates])


def subject_students(item: CurriculumItem, students: Sequence[wf.StudentRecord]) -> list[wf.StudentRecord]:
    """The students of a curriculum line: all of them, or the item's group only."""
    if not item.group:
        return list(students)
    wanted = text_key(item.group)
    return [s for s in students if text_key(group_of(s, item.subject)) == wanted]


def unplaced_subject_content(
    settings: Settings,
    item: CurriculumItem,
    students: Sequence[wf.StudentRecord],
    content: wf.SubjectContent,
) -> list[str]:
    """Russian descriptions of the values of ``content`` that a new workbook would have no cell for."""
    roster = {s.full_name for s in subject_students(item, students)}
    keys = set(wf.lesson_keys(settings.lesson_dates(item)))
    school_class = settings.school_class(item.class_name)
    columns = set(wf.final_columns(settings.final_period_names(school_class))) \
        if school_class is not None and settings.gets_marks(school_class) else set()
    lost: list[str] = []
    for (student, day, seq), value in content.marks.items():
        if is_blank(value):
            continue
        if student not in roster:
            lost.append(f"отметка «{value}» ученика {student} за {lesson_text(day, seq)}: "
                        "ученика нет в списке")
        elif (day, seq) not in keys:
            lost.append(f"отметка «{value}» ученика {student} за {lesson_text(day, seq)}: "
                        "такого урока нет в расписании")
    for (day, seq), kind in content.kinds.items():
        if not is_blank(kind) and (day, seq) not in keys:
            lost.append(f"вид работы «{kind}» за {lesson_text(day, seq)}: урока нет в расписании")
    for (day, seq), entry in content.log.items():
        if (entry.topic or entry.homework or entry.substitute) and (day, seq) not in keys:
            lost.append(f"тема/задание урока {lesson_text(day, seq)}: урока нет в расписании")
    for (student, column), value in content.finals.items():
        if is_blank(value):
            continue
        if student not in roster:
            lost.append(f"итоговая отметка «{value}» ({column}) ученика {student}: ученика нет в списке")
        elif column not in columns:
            lost.append(f"итоговая отметка «{value}» ученика {student}: нет столбца «{column}»")
    return lost


def _write_grid(wb: Workbook, ws: Worksheet, settings: Settings, school_class: SchoolClass,
                item: CurriculumItem, title: str, roster: list[wf.StudentRecord],
                dates: list[dt.date], keys: list[wf.LessonKey], content: wf.SubjectContent) -> None:
    n_students = max(len(roster), 1)
    n_dates = max(len(dates), 1)
    first_row, first_col = GRID_FIRST_STUDENT_ROW, GRID_FIRST_DATE_COL
    last_row = first_row + n_students - 1
    last_col = first_col + n_dates - 1

    ws.cell(GRID_TITLE_ROW, 1, title).font = TITLE_FONT
    teacher = f"; учитель {item.teacher}" if item.teacher else ""
    unmarked = settings.unmarked_text(school_class)
    no_marks = "" if not unmarked else \
        f". {unmarked.capitalize()}: в эти дни только Н, Б, У, О" if settings.gets_marks(school_class) \
        else f". {school_class.grade} класс: отметки не ставятся, только Н, Б, У, О"
    subtitle = ws.cell(GRID_TITLE_ROW, first_col,
                       f"{settings.school_name}, {settings.school_year} учебный год{teacher}{no_marks}")
    subtitle.font = SUBTITLE_FONT
    subtitle.alignment = Alignment(vertical="center")
    ws.row_dimensions[GRID_TITLE_ROW].height = 22

    for row, text in ((GRID_PERIOD_ROW, "Период"), (GRID_DATE_ROW, "Дата урока"),
                      (GRID_WEEKDAY_ROW, "День недели"), (GRID_KIND_ROW, "Вид работы")):
        cell = ws.cell(row, GRID_NAME_COL, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="right", vertical="center")
        ws.cell(row, GRID_NUMBER_COL).fill = HEADER_FILL
        ws.cell(row, GRID_NUMBER_COL).border = BORDER
    ws.cell(GRID_KIND_ROW, GRID_NUMBER_COL, "№").font = HEADER_FONT
    ws.cell(GRID_KIND_ROW, GRID_NUMBER_COL).alignment = CENTER
    ws.cell(GRID_KIND_ROW, GRID_NAME_COL).alignment = Alignment(horizontal="right", vertical="bottom")
    ws.row_dimensions[GRID_KIND_ROW].height = 105
    ws.column_dimensions[get_column_letter(GRID_NUMBER_COL)].width = 4
    ws.column_dimensions[get_column_letter(GRID_NAME_COL)].width = 32

    # Students
    for i, student in enumerate(roster):
        row = first_row + i
        num = ws.cell(row, GRID_NUMBER_COL, i + 1)
        num.alignment = CENTER
        num.border = BORDER
        name = ws.cell(row, GRID_NAME_COL, student.full_name)
        name.border = BORDER
        if student.left is not None:
            name.fill = LEFT_FILL
            name.font = LEFT_FONT
            ws.cell(row, GRID_NUMBER_COL).fill = LEFT_FILL
    if not roster:
        ws.cell(first_row, GRID_NAME_COL).border = BORDER

    # Periods, dates, weekdays, kinds
    period_index: dict[int, int] = {}
    period_spans: list[tuple[int, int, str]] = []  # (first col, last col, name)
    periods = settings.periods_for(school_class)
    for j, day in enumerate(dates):
        col = first_col + j
        period = settings.period_of(school_class, day)
        number = period.number if period else 0
        period_index[col] = number
        name = period.name if period else ""
        if period_spans and period_spans[-1][2] == name:
            period_spans[-1] = (period_spans[-1][0], col, name)
        else:
            period_spans.append((col, col, name))
    fills = {p.number: xs.fill(PERIOD_FILLS[(p.number - 1) % len(PERIOD_FILLS)])
             for p in periods}
    for start, end, name in period_spans:
        number = period_index[start]
        cell = ws.cell(GRID_PERIOD_ROW, start, name)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="left", vertical="center")
        for col in range(start, end + 1):
            ws.cell(GRID_PERIOD_ROW, col).fill = fills.get(number, HEADER_FILL)
        # Outline: every column of the period except its last, which stays visible
        # as the summary column so that neighbouring periods form separate groups.
        for col in range(start, end):
            ws.column_dimensions[get_column_letter(col)].outlineLevel = 1
    ws.sheet_properties.outlinePr.summaryRight = True
    for start, _end, _name in period_spans[1:]:
        ws.col_breaks.append(Break(id=start - 1))  # each period starts a printed page

    list_kinds = DataValidation(type="list", formula1=wf.LIST_KINDS, allow_blank=True,
                                showErrorMessage=True, errorStyle="stop",
                                errorTitle="Вид работы", error="Выберите вид работы из списка.",
                                promptTitle="Вид работы", prompt="Выберите из списка",
                                showInputMessage=False)
    ws.add_data_validation(list_kinds)
    kind_map = content.kinds
    style = Styler()
    period_starts = {start for start, _, _ in period_spans if start != first_col}
    for j, key in enumerate(keys):
        col = first_col + j
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 6.2
        number = period_index.get(col, 0)
        fill = fills.get(number, HEADER_FILL)
        thick = col in period_starts
        border = THICK_LEFT if thick else BORDER
        style(ws.cell(GRID_DATE_ROW, col, key[0]), ("date", number, thick), number_format="DD.MM",
              font=HEADER_FONT, alignment=CENTER, fill=fill, border=border)
        style(ws.cell(GRID_WEEKDAY_ROW, col,
                      WEEKDAYS_SHORT_RU[key[0].weekday()] + (f" {key[1]}" if key[1] > 1 else "")),
              ("weekday", number, thick), alignment=CENTER, font=SMALL_GREY, fill=fill, border=border)
        style(ws.cell(GRID_KIND_ROW, col, cell_value(kind_map.get(key))), ("kind", thick),
              alignment=ROTATED, font=SMALL, protection=UNLOCKED, border=border, number_format="@")
    if keys:
        list_kinds.add(f"{get_column_letter(first_col)}{GRID_KIND_ROW}:"
                       f"{get_column_letter(last_col)}{GRID_KIND_ROW}")

    # The grid
    marks_prompt = ("Н, Б, У, О" if not settings.gets_marks(school_class)
                    else "5, 4, 3, 2, 1, 5/4, Н, Б, У, О, О/4")
    list_marks = DataValidation(
        type="list", formula1=wf.LIST_MARKS, allow_blank=True, showErrorMessage=True,
        errorStyle="warning", errorTitle="Проверьте значение",
        error=("Допустимо: " + marks_prompt + ". Если значение верное, нажмите «Да»."),
    )
    ws.add_data_validation(list_marks)
    row_of = {s.full_name: first_row + i for i, s in enumerate(roster)}
    col_of = {key: first_col + j for j, key in enumerate(keys)}
    for i, student in enumerate(roster):
        row = first_row + i
        for j, key in enumerate(keys):
            col = first_col + j
            day = key[0]
            thick = col in period_starts
            outside = (student.left is not None and day > student.left) or \
                (student.joined is not None and day < student.joined)
            if outside:
                style(ws.cell(row, col), ("mark", thick, True), number_format="@", protection=UNLOCKED,
                      alignment=CENTER, border=THICK_LEFT if thick else BORDER, fill=OUTSIDE_FILL)
            else:
                style(ws.cell(row, col), ("mark", thick, False), number_format="@", protection=UNLOCKED,
                      alignment=CENTER, border=THICK_LEFT if thick else BORDER)
    for (student_name, day, seq), value in content.marks.items():
        at_row = row_of.get(student_name)
        at_col = col_of.get((day, seq))
        if at_row is not None and at_col is not None and not is_blank(value):
            ws.cell(at_row, at_col).value = cell_value(value)
    if roster and keys:
        grid_ref = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
        list_marks.add(grid_ref)
        top_left = f"{get_column_letter(first_col)}{first_row}"
        ws.conditional_formatting.add(grid_ref, FormulaRule(
            formula=[f'AND(LEN(TRIM({top_left}))>0,ISNA(MATCH(TRIM({top_left}),{LIST_UNDERSTOOD},0)))'],
            fill=PROBLEM_FILL, font=PROBLEM_FONT, stopIfTrue=True))

    sheet = quote_sheetname(ws.title)
    c1, c2 = get_column_letter(first_col), get_column_letter(last_col)
    name_col = get_column_letter(GRID_NAME_COL)
    define(wb, wf.NAME_STUDENTS, f"{sheet}!${name_col}${first_row}:${name_col}${last_row}")
    number_col = get_column_letter(GRID_NUMBER_COL)
    define(wb, wf.NAME_ROW_NUMBERS, f"{sheet}!${number_col}${first_row}:${number_col}${last_row}")
    define(wb, wf.NAME_DATES, f"{sheet}!${c1}${GRID_DATE_ROW}:${c2}${GRID_DATE_ROW}")
    define(wb, wf.NAME_KINDS, f"{sheet}!${c1}${GRID_KIND_ROW}:${c2}${GRID_KIND_ROW}")
    define(wb, wf.NAME_MARKS, f"{sheet}!${c1}${first_row}:${c2}${last_row}")

    ws.freeze_panes = ws.cell(first_row, first_col)
    protect(ws)
    print_setup(ws, fit_width=False)
    ws.print_title_rows = f"{GRID_PERIOD_ROW}:{GRID_KIND_ROW}"
    ws.print_title_cols = f"A:{name_col}"


def _write_log(wb: Workbook, ws: Worksheet, title: str, keys: list[wf.LessonKey],
               content: wf.SubjectContent) -> None:
    ws.cell(1, 1, f"{title}: темы уроков и домашние задания").font = TITLE_FONT
    headers = ("№", *wf.LOG_COLUMNS)
    widths = (5, 12, 50, 45, 28)
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        write_header(ws, TABLE_HEADER_ROW, col, text)
        ws.column_dimensions[get_column_letter(col)].width = width
    first = TABLE_HEADER_ROW + 1
    style = Styler()
    for i, key in enumerate(keys):
        row = first + i
        style(ws.cell(row, 1, i + 1), "number", alignment=CENTER, border=BORDER)
        style(ws.cell(row, 2, key[0]), "date", number_format="DD.MM.YYYY", alignment=CENTER, border=BORDER)
        entry = content.log.get(key)
        values = (entry.topic, entry.homework, entry.substitute) if entry else ("", "", "")
        for k, value in enumerate(values):
            style(ws.cell(row, 3 + k, value or None), "input", protection=UNLOCKED, alignment=WRAP,
                  number_format="@", border=BORDER)
    last = first + max(len(keys), 1) - 1
    define(wb, wf.NAME_LOG, f"{quote_sheetname(ws.title)}!$B${TABLE_HEADER_ROW}:$E${last}")
    ws.freeze_panes = ws.cell(first, 3)
    protect(ws)
    print_setup(ws, fit_width=True)
    ws.print_title_rows = f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}"


def _write_finals(wb: Workbook, ws: Worksheet, title: str, school_class: SchoolClass, period_names: list[str],
                  roster: list[wf.StudentRecord], content: wf.SubjectContent) -> None:
    kind = "полугодовые" if school_class.period_set == HALVES else "четвертные"
    ws.cell(1, 1, f"{title}: {kind}, годовые, экзаменационные и итоговые отметки").font = TITLE_FONT
    ws.cell(2, 1, "Допустимо: 5, 4, 3, 2, 1, зч (зачёт), нз (незачёт), осв (освобождён), "
                  "н/а (не аттестован).").font = SUBTITLE_FONT
    columns = [wf.FINALS_NAME_COLUMN, *wf.final_columns(period_names)]
    for col, text in enumerate(columns, start=1):
        write_header(ws, TABLE_HEADER_ROW, col, text)
        ws.column_dimensions[get_column_letter(col)].width = 32 if col == 1 else 12
    first = TABLE_HEADER_ROW + 1
    validation = DataValidation(
        type="list", formula1=wf.LIST_FINALS, allow_blank=True, showErrorMessage=True,
        errorStyle="warning", errorTitle="Проверьте отметку",
        error="Допустимо: 5, 4, 3, 2, 1, зч, нз, осв, н/а. Если значение верное, нажмите «Да».")
    ws.add_data_validation(validation)
    style = Styler()
    for i, student in enumerate(roster):
        row = first + i
        name = ws.cell(row, 1, student.full_name)
        name.border = BORDER
        if student.left is not None:
            name.fill = LEFT_FILL
            name.font = LEFT_FONT
        for col in range(2, len(columns) + 1):
            style(ws.cell(row, col, cell_value(content.finals.get((student.full_name, columns[col - 1])))),
                  "final", number_format="@", protection=UNLOCKED, alignment=CENTER, border=BORDER)
    last = first + max(len(roster), 1) - 1
    last_letter = get_column_letter(len(columns))
    if roster:
        validation.add(f"B{first}:{last_letter}{last}")
    define(wb, wf.NAME_FINALS, f"{quote_sheetname(ws.title)}!$A${TABLE_HEADER_ROW}:${last_letter}${last}")
    ws.freeze_panes = ws.cell(first, 2)
    protect(ws)
    print_setup(ws, fit_width=True)


def _write_subject_help(ws: Worksheet, settings: Settings, school_class: SchoolClass,
                        item: CurriculumItem) -> None:
    lines: list[tuple[str, str]] = [
        ("title", "Как заполнять журнал"),
        ("", f"{settings.school_name}. Класс {school_class.name}, предмет «{item.subject}»"
             + (f", {item.group}" if item.group else "") + (f", учитель {item.teacher}." if item.teacher
                                                              else ".")),
        ("head", "Лист «Журнал»"),
        ("", "Строки — ученики, столбцы — уроки по расписанию на весь год. Каникулы, праздники и выходные "
             "уже исключены. Если в один день два урока, у этого дня два столбца."),
        ("", "В день урока выберите вид работы в строке «Вид работы» (над столбцом урока) и поставьте "
             "отметки и пропуски в клетки учеников."),
    ]
    if settings.gets_marks(school_class):
        lines += [
            ("head", "Что можно писать в клетку"),
            ("", "5, 4, 3, 2, 1 — отметка за урок."),
            ("", "5/4 — две отметки за один урок (не больше двух)."),
        ]
    else:
        lines += [
            ("head", "Что можно писать в клетку"),
            ("", "В 1 классе отметки не ставятся: в клетки пишутся только пропуски и опоздания."),
        ]
    lines += [(("", f"{code} — {'опоздание' if code == 'О' else 'отсутствовал ' + ABSENCE_RU[code]}."))
              for code in ABSENCE_CODES]
    if settings.gets_marks(school_class):
        lines.append(("", "О/4 — опоздал и получил отметку 4."))
        if settings.unmarked_text(school_class):
            lines.append(("", f"Класс {settings.unmarked_text(school_class)}: в эти дни в клетки "
                              "пишутся только пропуски и опоздания, отметки за этот период не ставятся."))
    lines += [
        ("", "Можно писать строчными буквами; латинские H, O, B вместо русских Н, О, Б тоже будут поняты. "
             "Клетки уже имеют текстовый формат, поэтому «5/4» не превратится в дату."),
        ("", "Клетка с непонятным значением (например, «55» или «5-») сразу выделяется красным: "
             "исправьте её, иначе при сборе журнала она попадёт в замечания."),
        ("", "Причину пропуска (Б, У) можно не ставить самому: классный руководитель указывает причины "
             "в своём файле, и при сборе журнала они применяются к пропускам «Н»."),
        ("head", "Лист «Уроки»"),
        ("", "Для каждого урока — тема урока и домашнее задание. Если урок провёл другой учитель (замена), "
             "впишите его ФИО в последний столбец. Урок с отметками, но без темы — предупреждение: "
             "отметки будут приняты, но тему нужно дописать."),
        ("head", "Лист «Сообщения»"),
        ("", "Если нужно что-то сказать семьям, впишите дату, кому («класс» — всем ученикам журнала, или "
             "ФИО ученика из списка — только его семье) и текст. Сообщение появится в электронном "
             "дневнике. Не называйте в сообщении одной семье других детей."),
    ]
    if settings.gets_marks(school_class):
        lines += [
            ("head", "Лист «Итоговые»"),
            ("", "Отметки за четверть (полугодие), год, экзамен и итоговые: 5, 4, 3, 2, 1, зч (зачёт), "
                 "нз (незачёт), осв (освобождён), н/а (не аттестован)."),
        ]
    lines += [
        ("head", "Что проверяет программа при сборе"),
        ("", "Каждую клетку: непонятные значения, больше двух отметок, отметки в каникулы или вне учебного "
             "года, до зачисления или после выбытия ученика; вид работы не из списка; итоговые отметки не "
             "из списка. Предупреждения (данные принимаются, но проверьте их): уроки с отметками без темы; "
             "четвертная отметка, далёкая от средневзвешенного балла; формула вместо значения; поздно "
             "выставленные и исправленные отметки. Замечания приходят вам файлом с указанием листа и "
             "клетки (например, F12)."),
        ("head", "Важно"),
        ("", "Не переименовывайте листы, не вставляйте и не удаляйте строки и столбцы — структура защищена "
             "(без пароля), вводить можно только в белые клетки. Новые ученики и изменения расписания "
             "добавляет ответственный за ЭЖ, обновляя файлы журнала программой; все заполненные клетки "
             "сохраняются."),
        ("", "Не вставляйте формулы в клетки журнала: вводите значения."),
        ("", "Не сортируйте один столбец с ФИО: если строки нужно переставить, сортируйте их только "
             "целиком, вместе со столбцом «№» и всеми отметками. Иначе отметки достались бы другим "
             "ученикам — программа заметит это по столбцу «№» и не примет файл."),
        ("", "Сохраняйте файл только как «Книга Excel (.xlsx)»: файлы .xlsb, .xls, .ods, .csv и PDF "
             "программа не читает."),
        ("", "Ученики, выбывшие из класса, выделены серым; серые клетки — дни до зачисления или после "
             "выбытия."),
        ("", "Файл можно открывать в Excel, LibreOffice Calc, МойОфис или Р7-Офис. Имя файла можно менять: "
             "программа узнаёт журнал по скрытому служебному листу."),
    ]
    write_help_lines(ws, lines)


def _write_recipients(wb: Workbook, ws: Worksheet, names: list[str]) -> None:
    values = [wf.MESSAGE_TO_CLASS, *names]
    ws.cell(1, RECIPIENTS_COL, "Кому")
    for i, value in enumerate(values):
        ws.cell(2 + i, RECIPIENTS_COL, value).number_format = "@"
    letter = get_column_letter(RECIPIENTS_COL)
    define(wb, wf.LIST_RECIPIENTS, f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${1 + len(values)}")


def subject_layout(settings: Settings, item: CurriculumItem, students: Sequence[wf.StudentRecord],
                   kept_dates: Sequence[dt.date] = ()) -> str:
    """A fingerprint of everything a subject workbook's layout is built from.

    Stored in ``_meta`` under :data:`META_LAYOUT`; a workbook whose fingerprint differs
    from the current one needs rebuilding (new students, dates, teacher, lists).
    """
    school_class = settings.school_class(item.class_name)
    parts: list[object] = [
        wf.FORMAT_VERSION, settings.school_name, settings.school_year, item.class_name, item.subject,
        item.group, item.teacher,
        [(s.full_name, s.joined, s.left) for s in subject_students(item, students)],
        subject_dates(settings, item, kept_dates),
        [(p.name, p.start, p.end) for p in settings.periods_for(school_class)] if school_class else [],
        school_class.has_marks if school_class else None,
        [k.name for k in settings.work_kinds],
    ]
    if school_class is not None and any(r.grade == school_class.grade for r in settings.unmarked):
        parts.append(settings.marks_from(school_class))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
