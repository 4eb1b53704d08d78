"""The settings workbook writer: the workbook the coordinator fills (see :mod:`settings_format`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from journal.core import xlsx_style as xs
from journal.school.settings import (
    ALL_CLASSES_RU,
    CHANGE_KIND_RU,
    PERIOD_SET_RU,
    WEEKDAYS_RU,
    CurriculumItem,
    Settings,
    TimetableChange,
)
from journal.workbooks.format import (
    FORMAT_VERSION,
    HELP_SHEET,
    KIND_SETTINGS,
    LISTS_SHEET,
    META_CLASS,
    META_CREATED,
    META_FORMAT_VERSION,
    META_GROUP,
    META_KEYS,
    META_KIND,
    META_SCHOOL_YEAR,
    META_SHEET,
    META_SUBJECT,
    META_TEACHER,
)
from journal.workbooks.settings_format import (
    COL_CHANGE,
    COL_CHANGE_CLASS,
    COL_CHANGE_SUBJECT,
    COL_CLASS,
    COL_CLASS_TEACHER,
    COL_DATE,
    COL_DATE_TO,
    COL_DECISION,
    COL_DECISION_DATE,
    COL_DECISION_NOTE,
    COL_END,
    COL_EVENT_DATE,
    COL_EVENT_FOR,
    COL_EVENT_TITLE,
    COL_EXAM,
    COL_FROM,
    COL_GRADE,
    COL_GRADES,
    COL_GROUP,
    COL_HOURS,
    COL_KIND,
    COL_LESSON_NO,
    COL_LETTER,
    COL_MIN_HOURS,
    COL_MIN_MARKS,
    COL_NAME,
    COL_NEW_DATE,
    COL_NEW_LESSON_NO,
    COL_NOTE,
    COL_NUMBER,
    COL_PARAM,
    COL_REASON,
    COL_SET,
    COL_START,
    COL_STUDENT,
    COL_SUBJECT,
    COL_TEACHER,
    COL_TEACHER_EMAIL,
    COL_TO,
    COL_UNMARKED_GRADE,
    COL_UNMARKED_UNTIL,
    COL_VALID_FROM,
    COL_VALID_TO,
    COL_VALUE,
    COL_WEEKDAY,
    COL_WEIGHT,
    COL_WRITTEN,
    DATE_FORMAT,
    EVENT_FOR_SCHOOL,
    FIRST_HEADER_ROW,
    GROUP_EXAMPLE,
    LESSON_NO_MAX,
    LIST_CHANGE_KINDS,
    LIST_CLASSES,
    LIST_SETS,
    LIST_SUBJECTS,
    LIST_WEEKDAYS,
    LIST_YES_NO,
    NAME_CHANGES,
    NAME_CLASSES,
    NAME_CURRICULUM,
    NAME_DECISIONS,
    NAME_EVENTS,
    NAME_HOLIDAYS,
    NAME_KINDS,
    NAME_MIN_MARKS,
    NAME_NORMS,
    NAME_PERIODS,
    NAME_SCHOOL,
    NAME_TIMETABLE,
    NAME_UNMARKED,
    NO,
    NORM_INT_FIELDS,
    NORM_ROWS,
    ROW_DEPUTY,
    ROW_DIRECTOR,
    ROW_RATING,
    ROW_SCHOOL_NAME,
    ROW_TODAY,
    ROW_YEAR,
    ROWS,
    SHEET_CHANGES,
    SHEET_CLASSES,
    SHEET_CURRICULUM,
    SHEET_DECISIONS,
    SHEET_EVENTS,
    SHEET_HOLIDAYS,
    SHEET_KINDS,
    SHEET_NORMS,
    SHEET_PERIODS,
    SHEET_SCHOOL,
    SHEET_TIMETABLE,
    SUBJECTS_RU,
    YES,
)

_HEADER_FILL = xs.HEADER_FILL
_INPUT_FILL = xs.INPUT_FILL
_TODO_FILL = xs.TODO_FILL
_BORDER = xs.BORDER
_TITLE_FONT = xs.TITLE_FONT
_HINT_FONT = xs.HINT_FONT
_HEADER_FONT = xs.HEADER_FONT
_WRAP = xs.WRAP
_CENTER = xs.CENTER
_HEADER_ALIGN = xs.HEADER_ALIGN


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


@dataclass
class _Column:
    header: str
    width: float
    number_format: str = "General"
    validation: DataValidation | None = None
    centered: bool = False


def write_settings_workbook(settings: Settings, path: Path, *, created: str = "") -> None:
    """Write ``settings`` as the settings workbook the coordinator fills.

    A blank school name is left highlighted for the coordinator to fill; the
    reader reports it until it is filled. ``created`` goes to ``_meta`` as is
    (the blank templates pass a fixed value so that they are reproducible).
    """
    wb = Workbook()
    xs.use_base_font(wb)
    help_ws = wb.active
    assert help_ws is not None
    help_ws.title = HELP_SHEET
    _write_help(help_ws)
    _write_lists(wb)
    _write_school(wb, settings)
    _write_periods(wb, settings)
    _write_holidays(wb, settings)
    _write_classes(wb, settings)
    _write_curriculum(wb, settings)
    _write_timetable(wb, settings)
    _write_changes(wb, settings)
    _write_kinds(wb, settings)
    _write_norms(wb, settings)
    _write_decisions(wb, settings)
    _write_events(wb, settings)
    _write_meta(wb, settings, created)
    wb.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _define(wb: Workbook, name: str, ws: Worksheet, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(ws.title)}!{ref}")


def _abs_range(first_col: int, first_row: int, last_col: int, last_row: int) -> str:
    return (f"${get_column_letter(first_col)}${first_row}:"
            f"${get_column_letter(last_col)}${last_row}")


def _list_validation(list_name: str, strict: bool = True, prompt: str = "") -> DataValidation:
    dv = DataValidation(type="list", formula1=list_name, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "information"
    dv.errorTitle = "Значение не из списка"
    dv.error = ("Выберите значение из раскрывающегося списка." if strict
                else "Этого значения нет в списке. Если это не опечатка, нажмите «ОК».")
    if prompt:
        dv.showInputMessage = True
        dv.prompt = prompt
    return dv


def _date_validation() -> DataValidation:
    dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73051",
                        allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = "Нужна дата"
    dv.error = "Введите дату в виде ДД.ММ.ГГГГ, например 01.09.2026."
    return dv


def _number_validation(kind: str, low: float, high: float, message: str) -> DataValidation:
    dv = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high),
                        allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = "Недопустимое число"
    dv.error = message
    return dv


def _sheet(wb: Workbook, title: str, heading: str, hint: str, landscape: bool = False) -> Worksheet:
    ws = wb.create_sheet(title)
    ws["A1"] = heading
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = hint
    ws["A2"].font = _HINT_FONT
    ws.sheet_view.zoomScale = 110
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    return ws


def _table(wb: Workbook, ws: Worksheet, name: str, columns: list[_Column],
           rows: Iterable[list[object]], n_rows: int, first_col: int = 1) -> None:
    """Header + ``n_rows`` input rows at FIRST_HEADER_ROW, styled, validated and named."""
    header_row = FIRST_HEADER_ROW
    last_col = first_col + len(columns) - 1
    if first_col == 1:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
        ws["A2"].alignment = _WRAP
        width = sum(c.width for c in columns)
        ws.row_dimensions[2].height = 15 * (1 + int(len(str(ws["A2"].value)) * 1.1 // width)) + 2
    ws.row_dimensions[header_row].height = 32
    for i, col in enumerate(columns):
        c = ws.cell(row=header_row, column=first_col + i, value=col.header)
        c.font = _HEADER_FONT
        c.fill = _HEADER_FILL
        c.alignment = _HEADER_ALIGN
        c.border = _BORDER
        ws.column_dimensions[get_column_letter(first_col + i)].width = col.width
    data = list(rows)
    last_row = header_row + n_rows
    for r in range(header_row + 1, last_row + 1):
        values = data[r - header_row - 1] if r - header_row - 1 < len(data) else []
        for i, col in enumerate(columns):
            c = ws.cell(row=r, column=first_col + i)
            if i < len(values) and values[i] not in (None, ""):
                c.value = values[i]
            c.number_format = col.number_format
            c.border = _BORDER
            c.fill = _INPUT_FILL
            if col.centered or col.number_format == DATE_FORMAT:
                c.alignment = _CENTER
    for i, col in enumerate(columns):
        if col.validation is not None:
            letter = get_column_letter(first_col + i)
            col.validation.add(f"{letter}{header_row + 1}:{letter}{last_row}")
            ws.add_data_validation(col.validation)
    _define(wb, name, ws, _abs_range(first_col, header_row, first_col + len(columns) - 1, last_row))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"


def _write_lists(wb: Workbook) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    lists = [
        (LIST_SETS, list(PERIOD_SET_RU.values())),
        (LIST_WEEKDAYS, WEEKDAYS_RU),
        (LIST_YES_NO, [YES, NO]),
        (LIST_SUBJECTS, list(SUBJECTS_RU)),
        (LIST_CHANGE_KINDS, list(CHANGE_KIND_RU.values())),
    ]
    for col, (name, values) in enumerate(lists, start=1):
        ws.cell(row=1, column=col, value=name)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=col, value=v)
        _define(wb, name, ws, _abs_range(col, 2, col, len(values) + 1))
    ws.sheet_state = "hidden"


def _write_school(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_SCHOOL, "Школа и учебный год",
                "Заполните жёлтые ячейки столбца «Значение». Названия параметров не меняйте.",
                landscape=True)
    rows: list[list[object]] = [
        [ROW_SCHOOL_NAME, s.school_name, "Полное название, как на бланках и печатях."],
        [ROW_YEAR, s.school_year, "Например 2026/2027."],
        [ROW_DIRECTOR, s.director, "Фамилия, имя и отчество полностью — для подписи в бумажных копиях."],
        [ROW_DEPUTY, s.deputy, "Фамилия, имя и отчество заместителя директора по учебно-воспитательной "
                               "работе."],
        [ROW_RATING, YES if s.letter_rating else NO,
         "«да» — в письмах родителям указано место ученика в классе по среднему баллу; «нет» — "
         "не указывать."],
        [ROW_TODAY, s.today, "Только для учебного примера; в школе оставьте пустым."],
    ]
    columns = [_Column(COL_PARAM, 30), _Column(COL_VALUE, 50), _Column(COL_NOTE, 50)]
    _table(wb, ws, NAME_SCHOOL, columns, rows, len(rows))
    for i, row in enumerate(rows):
        r = FIRST_HEADER_ROW + 1 + i
        ws.cell(row=r, column=1).fill = xs.NO_FILL
        ws.cell(row=r, column=1).font = _HEADER_FONT
        ws.cell(row=r, column=1).alignment = _WRAP
        ws.cell(row=r, column=2).alignment = _WRAP
        ws.cell(row=r, column=3).fill = xs.NO_FILL
        ws.cell(row=r, column=3).font = _HINT_FONT
        ws.cell(row=r, column=3).alignment = _WRAP
        lines = max(xs.wrapped_lines(str(row[1] or ""), 50), xs.wrapped_lines(str(row[2]), 50),
                    xs.wrapped_lines(str(row[0]), 30))
        ws.row_dimensions[r].height = xs.row_height(lines)
    rating_cell = ws.cell(row=FIRST_HEADER_ROW + 1 + [r[0] for r in rows].index(ROW_RATING), column=2)
    yes_no = _list_validation(LIST_YES_NO)
    yes_no.add(rating_cell.coordinate)
    ws.add_data_validation(yes_no)
    today_cell = ws.cell(row=FIRST_HEADER_ROW + 1 + [r[0] for r in rows].index(ROW_TODAY), column=2)
    today_cell.number_format = DATE_FORMAT
    today_cell.alignment = Alignment(horizontal="left", vertical="top")
    dv = _date_validation()
    dv.add(today_cell.coordinate)
    ws.add_data_validation(dv)
    name_cell = ws.cell(row=FIRST_HEADER_ROW + 1, column=2)
    if not s.school_name.strip():
        name_cell.fill = _TODO_FILL


def _write_periods(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_PERIODS, "Учебные периоды",
                "Четверти — для 1–9 классов, полугодия — для 10–11. Проверьте даты по приказу "
                "о календарном учебном графике.")
    columns = [
        _Column(COL_SET, 18, validation=_list_validation(LIST_SETS)),
        _Column(COL_NUMBER, 10, centered=True,
                validation=_number_validation("whole", 1, 4, "Номер периода: 1–4.")),
        _Column(COL_NAME, 22),
        _Column(COL_START, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_END, 14, DATE_FORMAT, _date_validation()),
    ]
    rows = [[PERIOD_SET_RU[p.set], p.number, p.name, p.start, p.end] for p in s.periods]
    _table(wb, ws, NAME_PERIODS, columns, rows, ROWS[NAME_PERIODS])
    unmarked_columns = [
        _Column(COL_UNMARKED_GRADE, 12, centered=True, validation=_number_validation(
            "whole", 2, 11, "Параллель — число от 2 до 11.")),
        _Column(COL_UNMARKED_UNTIL, 30, centered=True),
    ]
    unmarked_rows: list[list[object]] = [[u.grade, u.label or u.until] for u in s.unmarked]
    _table(wb, ws, NAME_UNMARKED, unmarked_columns, unmarked_rows, ROWS[NAME_UNMARKED], first_col=7)
    ws.column_dimensions["F"].width = 3
    note = ws.cell(row=FIRST_HEADER_ROW, column=10,
                   value="Слева — классы без отметок. 1 класс учится без отметок весь год и так; "
                         "здесь впишите, например, «2 | 1 четверть», если 2 классы до конца первой "
                         "четверти отметок не получают. Можно вписать дату или «весь год».")
    note.font = _HINT_FONT
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["J"].width = 44
    ws.merge_cells(start_row=FIRST_HEADER_ROW, start_column=10, end_row=FIRST_HEADER_ROW + 4,
                   end_column=10)
    ws.freeze_panes = None


def _write_holidays(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_HOLIDAYS, "Каникулы и праздничные дни",
                "В эти дни уроков нет. Параллели: «1» — только первые классы; «1, 2» или «1–4» — "
                "несколько; пусто — все классы.")
    columns = [
        _Column(COL_NAME, 40),
        _Column(COL_START, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_END, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_GRADES, 22, "@"),
    ]
    rows = [[h.name, h.start, h.end, _grades_text(h.grades)] for h in s.holidays]
    _table(wb, ws, NAME_HOLIDAYS, columns, rows, ROWS[NAME_HOLIDAYS])


def _grades_text(grades: frozenset[int]) -> str:
    return ", ".join(str(g) for g in sorted(grades))


def _write_classes(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_CLASSES, "Классы",
                "Одна строка — один класс: «5А» — параллель 5, буква А. Класс без буквы пишите "
                "просто «9».")
    columns = [
        _Column(COL_CLASS, 12, "@"),
        _Column(COL_GRADE, 12, centered=True,
                validation=_number_validation("whole", 1, 11, "Параллель — число от 1 до 11.")),
        _Column(COL_LETTER, 10, "@", centered=True),
        _Column(COL_CLASS_TEACHER, 40),
        _Column(COL_TEACHER_EMAIL, 34, "@"),
    ]
    rows: list[list[object]] = [[c.name, c.grade, c.letter, c.class_teacher, c.teacher_email or None]
                                for c in s.classes]
    _table(wb, ws, NAME_CLASSES, columns, rows, ROWS[NAME_CLASSES])
    first = FIRST_HEADER_ROW + 1
    _define(wb, LIST_CLASSES, ws, _abs_range(1, first, 1, first + ROWS[NAME_CLASSES] - 1))


def _write_curriculum(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_CURRICULUM, "Учебный план и нагрузка учителей",
                f"Одна строка — один предмет в одном классе (или в одной группе класса: «{GROUP_EXAMPLE}», "
                "«2 группа»). По каждой строке будет свой файл журнала.", landscape=True)
    columns = [
        _Column(COL_CLASS, 10, "@", _list_validation(LIST_CLASSES)),
        _Column(COL_SUBJECT, 36, validation=_list_validation(
            LIST_SUBJECTS, strict=False, prompt="Выберите из списка или впишите свой предмет.")),
        _Column(COL_GROUP, 22),
        _Column(COL_HOURS, 12, "General", centered=True, validation=_number_validation(
            "decimal", 0.5, 40, "Часов в неделю — число больше нуля, например 2 или 0,5.")),
        _Column(COL_TEACHER, 36),
        _Column(COL_FROM, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_TO, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_EXAM, 12, centered=True, validation=_list_validation(LIST_YES_NO)),
    ]
    rows = [row for c in s.curriculum for row in _curriculum_rows(c)]
    _table(wb, ws, NAME_CURRICULUM, columns, rows, ROWS[NAME_CURRICULUM])


def _curriculum_rows(c: CurriculumItem) -> list[list[object]]:
    """One row per teacher term (one row when the line has no dates), the exam flag on each."""
    exam = YES if c.exam else ""
    if not c.terms:
        return [[c.class_name, c.subject, c.group, c.weekly_hours, c.teacher, None, None, exam]]
    return [[c.class_name, c.subject, c.group, c.weekly_hours, t.teacher, t.start, t.end, exam]
            for t in c.terms]


def _write_timetable(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_TIMETABLE, "Расписание уроков на неделю",
                "Одна строка — один урок в неделю. Два урока подряд — две строки. По расписанию "
                "в журналы заранее вписываются даты уроков на весь год.")
    columns = [
        _Column(COL_CLASS, 10, "@", _list_validation(LIST_CLASSES)),
        _Column(COL_SUBJECT, 36, validation=_list_validation(LIST_SUBJECTS, strict=False)),
        _Column(COL_GROUP, 22),
        _Column(COL_WEEKDAY, 16, validation=_list_validation(LIST_WEEKDAYS)),
        _Column(COL_LESSON_NO, 12, centered=True, validation=_number_validation(
            "whole", 1, LESSON_NO_MAX, f"Номер урока — от 1 до {LESSON_NO_MAX}.")),
        _Column(COL_VALID_FROM, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_VALID_TO, 16, DATE_FORMAT, _date_validation()),
    ]
    rows: list[list[object]] = [[t.class_name, t.subject, t.group, WEEKDAYS_RU[t.weekday - 1],
                                 t.lesson_no, t.valid_from, t.valid_to] for t in s.timetable]
    _table(wb, ws, NAME_TIMETABLE, columns, rows, ROWS[NAME_TIMETABLE])


def _write_changes(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_CHANGES, "Разовые изменения расписания",
                "Перенос урока: класс, предмет, дата и номер урока, новая дата и новый номер. "
                "Отмена (актированный день, карантин): класс («все» — вся школа, можно «5А, 6Б»), "
                "первый и последний день; предмет — только если отменены его уроки. "
                "Дополнительный урок: класс, предмет, дата и номер урока.", landscape=True)
    lesson = _number_validation("whole", 1, LESSON_NO_MAX, f"Номер урока — от 1 до {LESSON_NO_MAX}.")
    new_lesson = _number_validation("whole", 1, LESSON_NO_MAX,
                                    f"Номер урока — от 1 до {LESSON_NO_MAX}.")
    columns = [
        _Column(COL_CHANGE, 20, validation=_list_validation(LIST_CHANGE_KINDS)),
        _Column(COL_CHANGE_CLASS, 14, "@"),
        _Column(COL_CHANGE_SUBJECT, 30, validation=_list_validation(LIST_SUBJECTS, strict=False)),
        _Column(COL_GROUP, 16),
        _Column(COL_DATE, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_LESSON_NO, 10, centered=True, validation=lesson),
        _Column(COL_DATE_TO, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_NEW_DATE, 14, DATE_FORMAT, _date_validation()),
        _Column(COL_NEW_LESSON_NO, 10, centered=True, validation=new_lesson),
        _Column(COL_REASON, 30),
    ]
    rows = [_change_row(c) for c in s.changes]
    _table(wb, ws, NAME_CHANGES, columns, rows, ROWS[NAME_CHANGES])


def _change_row(c: TimetableChange) -> list[object]:
    classes = ", ".join(sorted(c.classes)) or ALL_CLASSES_RU
    return [CHANGE_KIND_RU[c.kind], classes, c.subject, c.group, c.day, c.lesson_no or None,
            c.end, c.new_day, c.new_lesson_no or None, c.reason]


def _write_kinds(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_KINDS, "Виды работ и их вес",
                "Вес учитывается в средневзвешенном балле: Σ(отметка × вес) / Σ весов. "
                "Письменные работы проверяются дольше (см. «Нормы»).")
    columns = [
        _Column(COL_KIND, 36),
        _Column(COL_WEIGHT, 10, "General", centered=True, validation=_number_validation(
            "decimal", 0.1, 10, "Вес — число больше нуля, например 1 или 1,5.")),
        _Column(COL_WRITTEN, 16, centered=True, validation=_list_validation(LIST_YES_NO)),
    ]
    rows = [[k.name, k.weight, YES if k.written else NO] for k in s.work_kinds]
    _table(wb, ws, NAME_KINDS, columns, rows, ROWS[NAME_KINDS])


def _write_decisions(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_DECISIONS, "Решения педагогического совета об итогах года",
                "Заполняется в конце года. Одна строка — одно решение об ученике: «оставлен на "
                "повторное обучение», «переведён условно» или «переведён» (например, после "
                "ликвидации задолженности). Решение заменяет перевод по годовым отметкам.",
                landscape=True)
    columns = [
        _Column(COL_CLASS, 10, "@", _list_validation(LIST_CLASSES)),
        _Column(COL_STUDENT, 36),
        _Column(COL_DECISION, 34),
        _Column(COL_DECISION_DATE, 16, DATE_FORMAT, centered=True),
        _Column(COL_DECISION_NOTE, 40),
    ]
    rows: list[list[object]] = [[d.class_name, d.student, d.decision, d.date, d.note] for d in s.decisions]
    _table(wb, ws, NAME_DECISIONS, columns, rows, ROWS[NAME_DECISIONS])


def _write_events(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_EVENTS, "События школы для семей",
                "Одна строка — одно событие: дата, что будет, для кого. «школа» — событие увидят все "
                "семьи; классы через запятую (5А, 6Б) — только семьи этих классов. События попадают в "
                "электронный дневник и в письма родителям.", landscape=True)
    columns = [
        _Column(COL_EVENT_DATE, 14, DATE_FORMAT, centered=True),
        _Column(COL_EVENT_TITLE, 60),
        _Column(COL_EVENT_FOR, 30, "@"),
    ]
    rows: list[list[object]] = [[e.date, e.title, ", ".join(e.classes) or EVENT_FOR_SCHOOL]
                                for e in s.events]
    _table(wb, ws, NAME_EVENTS, columns, rows, ROWS[NAME_EVENTS])


def _write_norms(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_NORMS, "Нормы школы",
                "Значения по Положению об электронном журнале. Меняйте столбец «Значение»; "
                "ниже справа — минимум отметок за период.", landscape=True)
    columns = [_Column(COL_PARAM, 44), _Column(COL_VALUE, 12), _Column(COL_NOTE, 60)]
    rows = [[label, getattr(s.norms, attr), note] for label, attr, note in NORM_ROWS]
    _table(wb, ws, NAME_NORMS, columns, rows, len(rows))
    for i, (_label, attr, _note) in enumerate(NORM_ROWS):
        r = FIRST_HEADER_ROW + 1 + i
        ws.cell(row=r, column=1).fill = xs.NO_FILL
        ws.cell(row=r, column=1).alignment = _WRAP
        ws.cell(row=r, column=3).fill = xs.NO_FILL
        ws.cell(row=r, column=3).font = _HINT_FONT
        ws.cell(row=r, column=3).alignment = _WRAP
        ws.cell(row=r, column=2).number_format = (
            "0" if attr in NORM_INT_FIELDS else "0%" if attr == "large_removal_share" else "0.0#")
        ws.row_dimensions[r].height = 30
    min_columns = [_Column(COL_MIN_HOURS, 16, centered=True), _Column(COL_MIN_MARKS, 20, "0", centered=True)]
    min_rows: list[list[object]] = [[m.weekly_hours, m.min_marks] for m in s.norms.min_marks]
    _table(wb, ws, NAME_MIN_MARKS, min_columns, min_rows, ROWS[NAME_MIN_MARKS], first_col=5)
    ws.column_dimensions["D"].width = 3
    ws.freeze_panes = None


def _write_meta(wb: Workbook, s: Settings, created: str) -> None:
    ws = wb.create_sheet(META_SHEET)
    values = {
        META_FORMAT_VERSION: FORMAT_VERSION, META_KIND: KIND_SETTINGS,
        META_SCHOOL_YEAR: s.school_year, META_CLASS: "", META_SUBJECT: "", META_GROUP: "",
        META_TEACHER: "", META_CREATED: created,
    }
    for r, key in enumerate(META_KEYS, start=1):
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=values[key]).number_format = "@"
    ws.sheet_state = "veryHidden"


HELP_TEXT: tuple[tuple[str, str], ...] = (
    ("title", "Файл настроек электронного журнала"),
    ("", "Этот файл заполняет ответственный за электронный журнал один раз в начале учебного года "
         "(и поправляет, когда что-то меняется). По нему программа готовит файлы журнала для "
         "учителей и проверяет всё, что они присылают."),
    ("", "Заполняйте только жёлтые ячейки. Заголовки столбцов и названия листов не меняйте; "
         "строки можно вписывать в любом порядке, пустые строки пропускаются. Где есть "
         "раскрывающийся список — выбирайте из него."),
    ("head", "Порядок заполнения"),
    ("", "1. «Школа» — название школы, учебный год, директор и заместитель по УВР."),
    ("", "2. «Периоды» — даты четвертей (1–9 классы) и полугодий (10–11 классы). Даты уже "
         "предложены по типичному графику — сверьте с приказом о календарном учебном графике. "
         "Пример: Четверти | 1 | 1 четверть | 01.09.2026 | 25.10.2026."),
    ("", "3. «Каникулы» — каникулы и праздничные дни, когда уроков нет. Пример: "
         "Дополнительные каникулы 1 класса | 15.02.2027 | 21.02.2027 | 1."),
    ("", "4. «Классы» — все классы школы. Пример: 5А | 5 | А | Иванова Мария Петровна. Адрес почты "
         "классного руководителя необязателен: с ним в дневнике семьи появится ссылка «Написать "
         "классному руководителю»."),
    ("", "5. «Учебный план» — какие предметы в каком классе, сколько часов в неделю, кто ведёт. "
         "Пример: 5А | Математика | (пусто) | 5 | Петров Иван Сергеевич. В столбце «Экзамен» "
         "впишите «да» для предметов, которые 9 и 11 классы сдают на экзамене: тогда в журнале "
         "ожидается экзаменационная отметка, а итоговая считается из годовой и экзаменационной."),
    ("", "6. «Расписание» — уроки на неделю. Пример: 5А | Математика | (пусто) | Понедельник | 2. "
         "Число уроков предмета в неделю должно совпадать с часами в учебном плане. Столбцы "
         "«Действует с» и «Действует по» в начале года оставьте пустыми."),
    ("", "7. «Изменения расписания» — разовые переносы, отменённые дни и дополнительные уроки "
         "(см. ниже). В начале года лист пуст."),
    ("", "8. «Виды работ» — виды работ с весами; «Нормы» — сроки выставления отметок, порог "
         "округления, минимум отметок за период. Значения по умолчанию взяты из Положения."),
    ("head", "Если расписание меняется в течение года"),
    ("", "Не исправляйте старую строку расписания. Впишите ей в «Действует по» последний день "
         "старого расписания, а новую строку добавьте с «Действует с» — первым днём нового. "
         "Пример: 5А | Математика | | Среда | 3 | | 15.11.2026 и 5А | Математика | | Четверг | 2 | "
         "16.11.2026 |. Уроки до этой даты останутся в журналах со своими датами, отметками и "
         "темами; новые даты появятся в журналах, когда ответственный за ЭЖ их обновит."),
    ("", "Если старую строку всё же исправили без дат, прошедшие уроки, в которых уже есть "
         "отметки или темы, программа оставит в журнале как были; пустые прошедшие даты "
         "заменятся датами по новому расписанию."),
    ("", "Перенос одного урока — на листе «Изменения расписания»: перенос | 5А | Математика | | "
         "18.11.2026 | 3 | | 19.11.2026 | 6 | болезнь учителя. Урок исчезнет со старой даты и "
         "появится на новой."),
    ("", "Актированный день или карантин: отмена | все | | | 26.01.2027 | | 27.01.2027 | | | "
         "мороз. Вместо «все» можно перечислить классы: 5А, 6Б. Если указать предмет, отменяются "
         "только его уроки. Отменённые уроки не считаются ни запланированными, ни пропущенными."),
    ("", "Дополнительный урок: дополнительный урок | 9А | Алгебра | | 20.05.2027 | 7."),
    ("", "Перенос и дополнительный урок нельзя ставить на каникулы, праздник, воскресенье или "
         "отменённый день — программа укажет ячейку."),
    ("head", "Если сменился учитель"),
    ("", "На листе «Учебный план» не переписывайте учителя в старой строке: впишите ей в столбец "
         "«По» последний день старого учителя и добавьте такую же строку с новым учителем и датой "
         "«С». Журнал останется тем же файлом, после обновления журналов в нём будет новый учитель, "
         "а уроки до замены останутся за прежним учителем во всех отчётах. Столбцы «С» и «По» "
         "годятся и для предмета, который идёт только часть года."),
    ("head", "Классы без отметок"),
    ("", "1 класс учится без отметок весь год — ничего вписывать не нужно. Если и другие классы "
         "какое-то время учатся без отметок (например, 2 классы в 1 четверти), впишите на листе "
         "«Периоды» справа: параллель | до какого дня включительно (дату или название периода: "
         "«1 четверть»). Пример: 2 | 1 четверть. В эти дни в журналы ставятся только коды "
         "отсутствия, а отметку за период программа не требует."),
    ("", "9. «Решения педсовета» — заполняется в конце года: кого педсовет оставил на повторное "
         "обучение, перевёл условно или перевёл (например, после ликвидации задолженности). "
         "Без решения ученик переводится по годовым отметкам."),
    ("", "10. «События» — события школы для семей: дата, что будет и для кого («школа» или классы "
         "через запятую). Их увидят в электронном дневнике и в письмах родителям. События класса и "
         "сообщения семьям пишут классные руководители в своих файлах."),
    ("head", "Деление класса на группы"),
    ("", "Если класс на предмете делится (иностранный язык, информатика, труд), впишите в "
         "«Учебный план» по строке на каждую группу и назовите группы «1 группа», «2 группа» "
         "(так же для каждого предмета). Пример: 5А | Английский язык | 1 группа | 3 | "
         "Сидорова А. В.; 5А | Английский язык | 2 группа | 3 | Кузнецов П. Р. В «Расписании» "
         "пишите ту же группу. Уроки разных групп одного класса могут стоять в одно время. "
         "Если класс не делится, столбец «Группа» оставьте пустым. В какой группе учится каждый "
         "ученик, отмечает классный руководитель в своём файле."),
    ("head", "Как вводить значения"),
    ("", "Даты — ДД.ММ.ГГГГ (01.09.2026). Дробные числа — с запятой (1,5). День недели — из "
         "списка или числом 1–6 (1 — понедельник). «Письменная работа» — да или нет."),
    ("head", "Что дальше"),
    ("", "Сохраните файл и подготовьте файлы журнала (как — сказано в руководстве ответственного "
         "за ЭЖ, раздел «Начало года»). Программа проверит настройки (ошибки покажет с листом и "
         "ячейкой) и создаст файлы журнала: по одному на каждую строку учебного плана (в папке "
         "журналов предметов) и по одному на класс для классного руководителя (в папке классов). "
         "Даты уроков на весь год будут вписаны по расписанию, без каникул."),
    ("", "Учителя заполняют свои файлы и возвращают их в те же папки. Сбор журналов переносит "
         "все файлы в общую базу и готовит замечания учителям; затем строятся отчёты, бумажные "
         "копии и письма родителям."),
    ("", "Если настройки изменились (новый класс, перенос урока), исправьте этот файл и снова "
         "подготовьте файлы журнала: уже заполненные данные в файлах учителей сохранятся."),
)


def _write_help(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 82
    ws.sheet_view.showGridLines = False
    for r, (style, text) in enumerate(HELP_TEXT, start=1):
        c = ws.cell(row=r, column=1, value=text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            c.font = _TITLE_FONT
            ws.row_dimensions[r].height = 24
        elif style == "head":
            c.font = xs.HEADING_FONT
            ws.row_dimensions[r].height = 22
        else:
            ws.row_dimensions[r].height = 15 * (1 + len(text) // 72) + 3
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
