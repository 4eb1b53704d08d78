"""The settings workbook: written for the coordinator to fill, read back into :class:`Settings`.

Every data area is a header row followed by input rows, found through a
workbook-level defined name (``jr_set_*``); readers map columns by header text,
so rows and columns may move. Reading never raises on a coordinator's mistake:
:func:`read_settings` returns findings with the sheet, the cell and a Russian
message saying how to fix it; :func:`load_settings` raises
:class:`SettingsError` when any of them is an error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from journal.core.errors import SettingsError
from journal.core.findings import Finding, error, warning
from journal.school.settings import (
    DEFAULT_WORK_KINDS,
    HALVES,
    PERIOD_SET_BY_RU,
    PERIOD_SET_RU,
    QUARTERS,
    WEEKDAYS_RU,
    WEEKDAYS_SHORT_RU,
    CurriculumItem,
    Holiday,
    MinMarksRule,
    Norms,
    Period,
    SchoolClass,
    Settings,
    TimetableEntry,
    WorkKind,
    normalise_class_name,
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

# Sheets
SHEET_SCHOOL = "Школа"
SHEET_PERIODS = "Периоды"
SHEET_HOLIDAYS = "Каникулы"
SHEET_CLASSES = "Классы"
SHEET_CURRICULUM = "Учебный план"
SHEET_TIMETABLE = "Расписание"
SHEET_KINDS = "Виды работ"
SHEET_NORMS = "Нормы"

# Data areas (header row + input rows)
NAME_SCHOOL = "jr_set_school"
NAME_PERIODS = "jr_set_periods"
NAME_HOLIDAYS = "jr_set_holidays"
NAME_CLASSES = "jr_set_classes"
NAME_CURRICULUM = "jr_set_curriculum"
NAME_TIMETABLE = "jr_set_timetable"
NAME_KINDS = "jr_set_work_kinds"
NAME_NORMS = "jr_set_norms"
NAME_MIN_MARKS = "jr_set_min_marks"

# Lists behind drop-downs
LIST_SETS = "jr_set_list_sets"
LIST_WEEKDAYS = "jr_set_list_weekdays"
LIST_YES_NO = "jr_set_list_yes_no"
LIST_SUBJECTS = "jr_set_list_subjects"
LIST_CLASSES = "jr_set_list_classes"

# Column headers
COL_PARAM = "Параметр"
COL_VALUE = "Значение"
COL_NOTE = "Пояснение"
COL_SET = "Набор периодов"
COL_NUMBER = "Номер"
COL_NAME = "Название"
COL_START = "Начало"
COL_END = "Конец"
COL_GRADES = "Для параллелей (пусто — для всех)"
COL_CLASS = "Класс"
COL_GRADE = "Параллель"
COL_LETTER = "Буква"
COL_CLASS_TEACHER = "Классный руководитель"
COL_SUBJECT = "Предмет"
COL_GROUP = "Группа (пусто, если класс не делится)"
COL_HOURS = "Часов в неделю"
COL_TEACHER = "Учитель"
COL_WEEKDAY = "День недели"
COL_LESSON_NO = "Номер урока"
COL_KIND = "Вид работы"
COL_WEIGHT = "Вес"
COL_WRITTEN = "Письменная работа (да/нет)"
COL_MIN_HOURS = "Часов в неделю, от"
COL_MIN_MARKS = "Отметок за период, не меньше"

# Rows of «Школа»
ROW_SCHOOL_NAME = "Название школы"
ROW_YEAR = "Учебный год"
ROW_DIRECTOR = "Директор"
ROW_DEPUTY = "Заместитель директора по УВР"
ROW_TODAY = "Сегодня (для примера)"

# Rows of «Нормы»: label → (Norms field, explanation)
NORM_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Отметка за урок — не позднее, дней", "ordinary_mark_days",
     "Через сколько дней после урока отметка считается выставленной поздно (0 — в день урока)."),
    ("Письменные работы 2–9 классов — не позднее, дней", "written_days_lower",
     "Срок проверки и выставления отметок за письменные работы (по Положению — 5 дней)."),
    ("Письменные работы 10–11 классов — не позднее, дней", "written_days_upper",
     "То же для 10–11 классов (по Положению — 7 дней)."),
    ("Порог округления отметки за период", "rounding_threshold",
     "Средний балл округляется вверх, если дробная часть не меньше порога: при 0,6 — 3,6 → 4, 3,5 → 3."),
    ("Допустимое отклонение отметки за период от среднего балла", "period_mark_tolerance",
     "Если отметка за период отличается от среднего больше, программа предупредит."),
    ("Доля удалённых отметок, при которой файл задерживается", "large_removal_share",
     "Если учитель стёр больше этой доли уже собранных отметок, файл не сливается до проверки."),
)
NORM_INT_FIELDS = {"ordinary_mark_days", "written_days_lower", "written_days_upper"}
NORM_RANGES: dict[str, tuple[float, float]] = {
    "ordinary_mark_days": (0, 30),
    "written_days_lower": (1, 30),
    "written_days_upper": (1, 30),
    "rounding_threshold": (0.5, 0.99),
    "period_mark_tolerance": (0.1, 2.0),
    "large_removal_share": (0.01, 1.0),
}

SUBJECTS_RU = (
    "Русский язык", "Литературное чтение", "Литература", "Родной язык", "Родная литература",
    "Английский язык", "Немецкий язык", "Французский язык", "Математика", "Алгебра", "Геометрия",
    "Вероятность и статистика", "Информатика", "Окружающий мир", "История", "Обществознание",
    "География", "Биология", "Физика", "Химия", "Музыка", "Изобразительное искусство",
    "Труд (технология)", "Физическая культура", "Основы безопасности и защиты Родины", "ОРКСЭ",
    "ОДНКНР", "Индивидуальный проект",
)
YES, NO = "да", "нет"
GROUP_EXAMPLE = "1 группа"

# Input rows per area (generous: the coordinator never has to extend a range)
ROWS = {
    NAME_PERIODS: 12, NAME_HOLIDAYS: 40, NAME_CLASSES: 60, NAME_CURRICULUM: 600,
    NAME_TIMETABLE: 1500, NAME_KINDS: 30, NAME_MIN_MARKS: 10,
}
FIRST_HEADER_ROW = 3  # row 1: title, row 2: hint
DATE_FORMAT = "DD.MM.YYYY"
LESSON_NO_MAX = 8

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFFBE6")
_TODO_FILL = PatternFill("solid", fgColor="FFE699")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(bold=True, size=14, color="1F4E79")
_HINT_FONT = Font(italic=True, color="595959")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


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
    _write_kinds(wb, settings)
    _write_norms(wb, settings)
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
        [ROW_DIRECTOR, s.director, "Фамилия и инициалы — для подписи в бумажных копиях."],
        [ROW_DEPUTY, s.deputy, "Заместитель директора по учебно-воспитательной работе."],
        [ROW_TODAY, s.today, "Только для учебного примера; в школе оставьте пустым."],
    ]
    columns = [_Column(COL_PARAM, 34), _Column(COL_VALUE, 44), _Column(COL_NOTE, 60)]
    _table(wb, ws, NAME_SCHOOL, columns, rows, len(rows))
    for r in range(FIRST_HEADER_ROW + 1, FIRST_HEADER_ROW + len(rows) + 1):
        ws.cell(row=r, column=1).fill = PatternFill(fill_type=None)
        ws.cell(row=r, column=1).font = _HEADER_FONT
        ws.cell(row=r, column=3).fill = PatternFill(fill_type=None)
        ws.cell(row=r, column=3).font = _HINT_FONT
        ws.cell(row=r, column=3).alignment = _WRAP
    today_cell = ws.cell(row=FIRST_HEADER_ROW + 5, column=2)
    today_cell.number_format = DATE_FORMAT
    today_cell.alignment = Alignment(horizontal="left")
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
    ]
    rows = [[c.name, c.grade, c.letter, c.class_teacher] for c in s.classes]
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
    ]
    rows = [[c.class_name, c.subject, c.group, c.weekly_hours, c.teacher] for c in s.curriculum]
    _table(wb, ws, NAME_CURRICULUM, columns, rows, ROWS[NAME_CURRICULUM])


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
    ]
    rows = [[t.class_name, t.subject, t.group, WEEKDAYS_RU[t.weekday - 1], t.lesson_no]
            for t in s.timetable]
    _table(wb, ws, NAME_TIMETABLE, columns, rows, ROWS[NAME_TIMETABLE])


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


def _write_norms(wb: Workbook, s: Settings) -> None:
    ws = _sheet(wb, SHEET_NORMS, "Нормы школы",
                "Значения по Положению об электронном журнале. Меняйте столбец «Значение»; "
                "ниже справа — минимум отметок за период.", landscape=True)
    columns = [_Column(COL_PARAM, 44), _Column(COL_VALUE, 12), _Column(COL_NOTE, 60)]
    rows = [[label, getattr(s.norms, attr), note] for label, attr, note in NORM_ROWS]
    _table(wb, ws, NAME_NORMS, columns, rows, len(rows))
    for i, (_label, attr, _note) in enumerate(NORM_ROWS):
        r = FIRST_HEADER_ROW + 1 + i
        ws.cell(row=r, column=1).fill = PatternFill(fill_type=None)
        ws.cell(row=r, column=1).alignment = _WRAP
        ws.cell(row=r, column=3).fill = PatternFill(fill_type=None)
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
    ("", "4. «Классы» — все классы школы. Пример: 5А | 5 | А | Иванова Мария Петровна."),
    ("", "5. «Учебный план» — какие предметы в каком классе, сколько часов в неделю, кто ведёт. "
         "Пример: 5А | Математика | (пусто) | 5 | Петров Иван Сергеевич."),
    ("", "6. «Расписание» — уроки на неделю. Пример: 5А | Математика | (пусто) | Понедельник | 2. "
         "Число уроков предмета в неделю должно совпадать с часами в учебном плане."),
    ("", "7. «Виды работ» — виды работ с весами; «Нормы» — сроки выставления отметок, порог "
         "округления, минимум отметок за период. Значения по умолчанию взяты из Положения."),
    ("head", "Деление класса на группы"),
    ("", "Если класс на предмете делится (иностранный язык, информатика, труд), впишите в "
         "«Учебный план» по строке на каждую группу и назовите группы «1 группа», «2 группа» "
         "(так же для каждого предмета). Пример: 5А | Английский язык | 1 группа | 3 | "
         "Сидорова А. В.; 5А | Английский язык | 2 группа | 3 | Кузнецов П. Р. В «Расписании» "
         "пишите ту же группу. Уроки разных групп одного класса могут стоять в одно время. "
         "Если класс не делится, столбец «Группа» оставьте пустым. В каком ученик группе, "
         "отмечает классный руководитель в своём файле."),
    ("head", "Как вводить значения"),
    ("", "Даты — ДД.ММ.ГГГГ (01.09.2026). Дробные числа — с запятой (1,5). День недели — из "
         "списка или числом 1–6 (1 — понедельник). «Письменная работа» — да или нет."),
    ("head", "Что дальше"),
    ("", "Сохраните файл и выполните команду: journal templates --school ПАПКА_ШКОЛЫ. Программа "
         "проверит настройки (ошибки покажет с листом и ячейкой) и создаст файлы журнала: по "
         "одному на каждую строку учебного плана (папка workbooks) и по одному на класс для "
         "классного руководителя (папка classes). Даты уроков на весь год будут вписаны по "
         "расписанию, без каникул."),
    ("", "Учителя заполняют свои файлы и возвращают их в те же папки. Команда "
         "journal merge --school ПАПКА_ШКОЛЫ собирает все файлы в общую базу и готовит замечания "
         "учителям; затем строятся отчёты, бумажные копии и письма родителям."),
    ("", "Если настройки изменились (новый класс, перенос урока), исправьте этот файл и снова "
         "выполните journal templates: уже заполненные данные в файлах учителей сохранятся."),
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
            c.font = Font(bold=True, size=12, color="1F4E79")
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


@dataclass
class _Row:
    """One non-empty input row of an area: values and cell addresses by header."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


def _norm_header(text: object) -> str:
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").lower().split())


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Reader:
    """Reads areas of one settings workbook and collects findings."""

    def __init__(self, wb: Workbook, file: str) -> None:
        self.wb = wb
        self.file = file
        self.findings: list[Finding] = []
        self.hours_cells: dict[tuple[str, str, str], str] = {}

    def error(self, code: str, message: str, sheet: str, cell: str = "") -> None:
        self.findings.append(error(code, message, file=self.file, sheet=sheet, cell=cell))

    def warn(self, code: str, message: str, sheet: str, cell: str = "") -> None:
        self.findings.append(warning(code, message, file=self.file, sheet=sheet, cell=cell))

    def area(self, name: str, sheet: str, required: tuple[str, ...],
             optional: tuple[str, ...] = ()) -> tuple[list[_Row], str]:
        """Non-empty rows of area ``name`` keyed by header, and the header row's first cell
        ("" when the area is missing or lacks a required column: it cannot be read)."""
        cells = self._area_cells(name)
        if cells is None:
            self.error("N03",
                       f"Не найдена область «{name}» (таблица листа «{sheet}»). Возможно, лист "
                       f"удалён или переименован. Перенесите данные в новый файл настроек "
                       f"(journal init) и заполните его.", sheet)
            return [], ""
        ws_title, grid = cells
        header = grid[0]
        columns: dict[str, int] = {}
        wanted = {_norm_header(h): h for h in (*required, *optional)}
        for i, c in enumerate(header):
            h = _norm_header(c.value)
            if h in wanted:
                columns[wanted[h]] = i
        first = header[0].coordinate if header else ""
        missing = [h for h in required if h not in columns]
        for h in missing:
            self.error("N04",
                       f"В таблице нет столбца «{h}». Верните заголовок столбца как в новом "
                       f"файле настроек, иначе таблица не читается.", ws_title, first)
        if missing:
            return [], ""
        rows: list[_Row] = []
        for line in grid[1:]:
            if all(_is_blank(c.value) for c in line):
                continue
            row = _Row(number=line[0].row)
            for h, i in columns.items():
                value = line[i].value
                row.values[h] = value.strip() if isinstance(value, str) else value
                row.cells[h] = line[i].coordinate
            rows.append(row)
        self._check_below(ws_title, grid)
        return rows, first

    def _check_below(self, ws_title: str, grid: list[tuple[Cell, ...]]) -> None:
        """Warn about values typed under the area: they are not read."""
        ws = self.wb[ws_title]
        last = grid[-1][0].row
        first_col, last_col = grid[0][0].column, grid[0][-1].column
        for line in ws.iter_rows(min_row=last + 1, max_row=max(ws.max_row, last + 1),
                                 min_col=first_col, max_col=last_col):
            for c in line:
                if not _is_blank(c.value):
                    self.warn("N05",
                              f"Значение «{c.value}» стоит ниже таблицы (после строки {last}) и не "
                              f"читается. Перенесите строку в пустую строку таблицы выше.",
                              ws_title, c.coordinate)
                    return

    def _area_cells(self, name: str) -> tuple[str, list[tuple[Cell, ...]]] | None:
        dn = self.wb.defined_names.get(name)
        if dn is None:
            return None
        for title, ref in dn.destinations:
            if title not in self.wb.sheetnames:
                return None
            ws = self.wb[title]
            grid = ws[ref.replace("$", "")]
            if not isinstance(grid, tuple) or not grid or not isinstance(grid[0], tuple):
                return None
            return title, [tuple(r) for r in grid]
        return None

    # Field readers: each returns None (after a finding) when the value is unusable.

    def text(self, row: _Row, col: str, sheet: str, required: bool = False,
             what: str = "") -> str:
        value = row.values.get(col)
        if _is_blank(value):
            if required:
                self.error("N07",
                           f"Не заполнено: «{what or col}». Впишите значение в эту ячейку или "
                           f"удалите строку целиком.", sheet, row.cells.get(col, ""))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        return " ".join(str(value).split())

    def date(self, row: _Row, col: str, sheet: str, required: bool = True) -> dt.date | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if _is_blank(value):
            if required:
                self.error("N07", f"Не заполнено: «{col}». Впишите дату в виде ДД.ММ.ГГГГ.",
                           sheet, cell)
            return None
        parsed = parse_date_value(value)
        if parsed is None:
            self.error("N08",
                       f"«{value}» — не дата. Впишите дату в виде ДД.ММ.ГГГГ, например 01.09.2026.",
                       sheet, cell)
        return parsed

    def number(self, row: _Row, col: str, sheet: str, integer: bool = False) -> float | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if _is_blank(value):
            self.error("N07", f"Не заполнено: «{col}». Впишите число.", sheet, cell)
            return None
        parsed = parse_number_value(value)
        if parsed is None or (integer and not float(parsed).is_integer()):
            kind = "целое число" if integer else "число (дробная часть — через запятую, например 1,5)"
            self.error("N09", f"«{value}» — не {kind}. Впишите {kind}.", sheet, cell)
            return None
        return parsed


def parse_date_value(value: object) -> dt.date | None:
    """A date cell: a date, an Excel serial number, or text ДД.ММ.ГГГГ / ГГГГ-ММ-ДД."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else None
        return None
    text = str(value).strip().rstrip("г.").strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_number_value(value: object) -> float | None:
    """A number cell: a number, or text with a comma or dot decimal; «20 %» is 0.2."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    share = text.endswith("%")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        return None
    return number / 100 if share else number


def parse_weekday(value: object) -> int | None:
    """1–6 from «Понедельник», «пн», «Пн.», 1 … 6; None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 6 else None
    text = str(value or "").strip().lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 6 else None
    for i, name in enumerate(WEEKDAYS_RU, start=1):
        if text == name.lower() or text == WEEKDAYS_SHORT_RU[i - 1]:
            return i
    return None


def parse_yes_no(value: object) -> bool | None:
    """«да/нет» (also д/н, +/-, 1/0, true/false); blank is «нет»; None when unclear."""
    if _is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if text in {"да", "д", "+", "1", "1.0", "true", "yes", "истина"}:
        return True
    if text in {"нет", "н", "-", "0", "0.0", "false", "no", "ложь"}:
        return False
    return None


def parse_grades(text: str) -> frozenset[int] | None:
    """«» → all grades; «1», «1, 2», «1–4», «5-9; 11» → the grades; None when unreadable."""
    grades: set[int] = set()
    for part in re.split(r"[,;]\s*", text.strip()):
        part = part.strip().lower().replace("классы", "").replace("класс", "").strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?", part)
        if m is None:
            return None
        low = int(m.group(1))
        high = int(m.group(2) or low)
        if not 1 <= low <= high <= 11:
            return None
        grades.update(range(low, high + 1))
    return frozenset(grades)


def _set_of(text: str) -> str | None:
    key = text.strip().lower()
    if key in PERIOD_SET_BY_RU:
        return PERIOD_SET_BY_RU[key]
    if key.startswith("четвер"):
        return QUARTERS
    if key.startswith("полугод"):
        return HALVES
    return None


def read_settings(path: Path) -> tuple[Settings | None, list[Finding]]:
    """Read and validate the settings workbook.

    Returns the settings (None when the file cannot be read at all or a part
    needed to build them is unusable) and every finding. Warnings come with
    usable settings; callers decide with :func:`load_settings` semantics.
    """
    file = path.name
    if not path.is_file():
        return None, [error("N01", f"Файл настроек «{path}» не найден. Создайте папку школы "
                                           f"командой journal init ПАПКА.", file=file)]
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return None, [error("N02",
                            f"Файл настроек не открывается ({exc.__class__.__name__}). Возможно, он "
                            f"повреждён или ещё копируется; сохраните его заново в формате .xlsx.",
                            file=file)]
    r = _Reader(wb, file)
    try:
        school = _read_school(r)
        periods = _read_periods(r, school["year"])
        classes = _read_classes(r)
        _check_period_sets(r, periods, classes)
        holidays = _read_holidays(r, periods)
        curriculum = _read_curriculum(r, classes)
        timetable = _read_timetable(r, curriculum)
        kinds = _read_kinds(r)
        norms = _read_norms(r)
    finally:
        wb.close()
    if not periods or not school["year"]:
        return None, r.findings
    today = school["today"]
    settings = Settings(
        school_name=str(school["name"]), school_year=str(school["year"]), periods=tuple(periods),
        holidays=tuple(holidays), classes=tuple(classes), curriculum=tuple(curriculum),
        timetable=tuple(timetable), work_kinds=tuple(kinds) or DEFAULT_WORK_KINDS,
        norms=norms, director=str(school["director"]), deputy=str(school["deputy"]),
        today=today if isinstance(today, dt.date) else None,
    )
    return settings, r.findings


def load_settings(path: Path) -> Settings:
    """The settings, or :class:`SettingsError` with the findings when any of them is an error."""
    settings, findings = read_settings(path)
    errors = [f for f in findings if f.is_error]
    if settings is None or errors:
        count = len(errors)
        raise SettingsError(
            f"Файл настроек «{path}» нельзя использовать: ошибок — {count}. Исправьте их и "
            f"повторите команду.", findings)
    return settings


def _read_school(r: _Reader) -> dict[str, object]:
    rows, first = r.area(NAME_SCHOOL, SHEET_SCHOOL, (COL_PARAM, COL_VALUE))
    by_label = {_norm_header(row.values.get(COL_PARAM)): row for row in rows}
    out: dict[str, object] = {"name": "", "year": "", "director": "", "deputy": "", "today": None}
    if not first:
        return out

    def get(label: str) -> _Row | None:
        row = by_label.get(_norm_header(label))
        if row is None:
            r.error("N06", f"На листе нет строки «{label}». Верните её в столбец "
                                       f"«{COL_PARAM}» и заполните значение.", SHEET_SCHOOL, first)
        return row

    row = get(ROW_SCHOOL_NAME)
    if row is not None:
        out["name"] = r.text(row, COL_VALUE, SHEET_SCHOOL)
        if not out["name"]:
            r.error("N12", "Впишите полное название школы — оно печатается в отчётах, "
                                       "бумажных копиях и письмах родителям.",
                    SHEET_SCHOOL, row.cells[COL_VALUE])
    row = get(ROW_YEAR)
    if row is not None:
        year = r.text(row, COL_VALUE, SHEET_SCHOOL).replace("-", "/").replace(" ", "")
        m = re.fullmatch(r"(\d{4})/(\d{4})", year)
        if m is None or int(m.group(2)) != int(m.group(1)) + 1:
            r.error("N13", f"Учебный год «{year}» не распознан. Впишите его в виде "
                                       f"2026/2027.", SHEET_SCHOOL, row.cells[COL_VALUE])
        else:
            out["year"] = year
    for label, key, what in ((ROW_DIRECTOR, "director", "директора"),
                             (ROW_DEPUTY, "deputy", "заместителя директора по УВР")):
        row = get(label)
        if row is not None:
            out[key] = r.text(row, COL_VALUE, SHEET_SCHOOL)
            if not out[key]:
                r.warn("N14", f"Не указано ФИО {what}: без него в бумажных копиях "
                                        f"останется пустое место для подписи.",
                       SHEET_SCHOOL, row.cells[COL_VALUE])
    row = by_label.get(_norm_header(ROW_TODAY))
    if row is not None:
        out["today"] = r.date(row, COL_VALUE, SHEET_SCHOOL, required=False)
    return out


def _read_periods(r: _Reader, year: object) -> list[Period]:
    rows, _first = r.area(NAME_PERIODS, SHEET_PERIODS,
                          (COL_SET, COL_NUMBER, COL_START, COL_END), (COL_NAME,))
    periods: list[tuple[Period, _Row]] = []
    for row in rows:
        set_text = r.text(row, COL_SET, SHEET_PERIODS, required=True)
        pset = _set_of(set_text) if set_text else None
        if set_text and pset is None:
            r.error("N15", f"«{set_text}» — неизвестный набор периодов. Выберите "
                                      f"«Четверти» или «Полугодия».", SHEET_PERIODS, row.cells[COL_SET])
        number = r.number(row, COL_NUMBER, SHEET_PERIODS, integer=True)
        if number is not None and not 1 <= number <= 4:
            r.error("N16", "Номер периода — от 1 до 4 (четверти) или 1–2 (полугодия).",
                    SHEET_PERIODS, row.cells[COL_NUMBER])
            number = None
        start = r.date(row, COL_START, SHEET_PERIODS)
        end = r.date(row, COL_END, SHEET_PERIODS)
        if start and end and end < start:
            r.error("N11", f"Конец периода {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_PERIODS, row.cells[COL_END])
            continue
        if pset is None or number is None or start is None or end is None:
            continue
        name = r.text(row, COL_NAME, SHEET_PERIODS) or (
            f"{int(number)} {'четверть' if pset == QUARTERS else 'полугодие'}")
        periods.append((Period(pset, int(number), name, start, end), row))
    m = re.fullmatch(r"(\d{4})/\d{4}", str(year or ""))
    if m:
        first_day = dt.date(int(m.group(1)), 9, 1) - dt.timedelta(days=14)
        last_day = dt.date(int(m.group(1)) + 1, 8, 31)
        for p, row in periods:
            if p.start < first_day or p.end > last_day:
                r.error("N17", f"Период «{p.name}» ({p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}) "
                                           f"не входит в {year} учебный год. Проверьте год в датах.",
                        SHEET_PERIODS, row.cells[COL_START])
    for pset in (QUARTERS, HALVES):
        seen: dict[int, Period] = {}
        ordered = sorted((pr for pr in periods if pr[0].set == pset), key=lambda pr: pr[0].start)
        for i, (p, row) in enumerate(ordered):
            if p.number in seen:
                r.error("N18", f"{PERIOD_SET_RU[pset]}: номер {p.number} указан "
                                                f"дважды. У каждого периода свой номер.",
                        SHEET_PERIODS, row.cells[COL_NUMBER])
            seen[p.number] = p
            if i > 0 and p.start <= ordered[i - 1][0].end:
                prev = ordered[i - 1][0]
                r.error("N19", f"«{p.name}» начинается {p.start:%d.%m.%Y}, а "
                                              f"«{prev.name}» кончается только {prev.end:%d.%m.%Y}. "
                                              f"Периоды одного набора не должны пересекаться.",
                        SHEET_PERIODS, row.cells[COL_START])
    return [p for p, _row in periods]


def _check_period_sets(r: _Reader, periods: list[Period], classes: list[SchoolClass]) -> None:
    needed = {c.period_set for c in classes} or {QUARTERS, HALVES}
    present = {p.set for p in periods}
    first = _area_first_cell(r, NAME_PERIODS)
    for pset in sorted(needed - present):
        who = "1–9 классов" if pset == QUARTERS else "10–11 классов"
        r.error("N20", f"Нет ни одной строки «{PERIOD_SET_RU[pset]}» — они нужны "
                                          f"для {who}. Впишите периоды с датами.", SHEET_PERIODS, first)


def _area_first_cell(r: _Reader, name: str) -> str:
    found = r._area_cells(name)
    return found[1][0][0].coordinate if found else ""


def _read_holidays(r: _Reader, periods: list[Period]) -> list[Holiday]:
    rows, _first = r.area(NAME_HOLIDAYS, SHEET_HOLIDAYS, (COL_NAME, COL_START, COL_END), (COL_GRADES,))
    year_start = min((p.start for p in periods), default=None)
    year_end = max((p.end for p in periods), default=None)
    holidays: list[Holiday] = []
    for row in rows:
        name = r.text(row, COL_NAME, SHEET_HOLIDAYS, required=True)
        start = r.date(row, COL_START, SHEET_HOLIDAYS)
        end = r.date(row, COL_END, SHEET_HOLIDAYS)
        grades_text = r.text(row, COL_GRADES, SHEET_HOLIDAYS)
        grades = parse_grades(grades_text)
        if grades is None:
            r.error("N21", f"«{grades_text}» — не список параллелей. Пишите «1», "
                                          f"«1, 2» или «1–4»; пусто — для всех классов.",
                    SHEET_HOLIDAYS, row.cells.get(COL_GRADES, ""))
            continue
        if not (name and start and end):
            continue
        if end < start:
            r.error("N11", f"Конец каникул {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_HOLIDAYS, row.cells[COL_END])
            continue
        if year_start and year_end:
            if end < year_start or start > year_end:
                r.error("N22", f"«{name}» ({start:%d.%m.%Y}–{end:%d.%m.%Y}) целиком "
                                               f"вне учебного года ({year_start:%d.%m.%Y}–"
                                               f"{year_end:%d.%m.%Y}). Проверьте год в датах.",
                        SHEET_HOLIDAYS, row.cells[COL_START])
            elif start < year_start or end > year_end:
                r.warn("N22", f"«{name}» выходит за границы учебного года "
                                              f"({year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}); дни вне "
                                              f"года не учитываются.",
                       SHEET_HOLIDAYS, row.cells[COL_START])
        holidays.append(Holiday(name, start, end, grades))
    return holidays


def _read_classes(r: _Reader) -> list[SchoolClass]:
    rows, first = r.area(NAME_CLASSES, SHEET_CLASSES, (COL_CLASS, COL_CLASS_TEACHER),
                         (COL_GRADE, COL_LETTER))
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
        if _is_blank(grade_value):
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
        classes.append(SchoolClass(name, grade, letter, teacher))
    if not classes and first:
        r.error("N26", "Не указано ни одного класса. Впишите классы школы: класс, "
                                  "параллель, букву и классного руководителя.", SHEET_CLASSES, first)
    return classes


def _group(text: str) -> str:
    return " ".join(text.split())


def _read_curriculum(r: _Reader, classes: list[SchoolClass]) -> list[CurriculumItem]:
    rows, first = r.area(NAME_CURRICULUM, SHEET_CURRICULUM,
                         (COL_CLASS, COL_SUBJECT, COL_HOURS, COL_TEACHER), (COL_GROUP,))
    by_name = {c.name: c for c in classes}
    items: list[CurriculumItem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_CURRICULUM, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_CURRICULUM, required=True)
        group = _group(r.text(row, COL_GROUP, SHEET_CURRICULUM))
        hours = r.number(row, COL_HOURS, SHEET_CURRICULUM)
        teacher = r.text(row, COL_TEACHER, SHEET_CURRICULUM)
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
        if school_class is None or not subject or hours is None:
            continue
        key = (school_class.name, subject.lower(), group.lower())
        if key in seen:
            r.error("N29", f"{school_class.name} {subject}"
                                                f"{' (' + group + ')' if group else ''} уже есть в "
                                                f"строке {seen[key]}. Удалите повтор.",
                    SHEET_CURRICULUM, row.cells[COL_SUBJECT])
            continue
        seen[key] = row.number
        items.append(CurriculumItem(school_class.name, subject, group, hours, teacher))
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


def _read_timetable(r: _Reader, curriculum: list[CurriculumItem]) -> list[TimetableEntry]:
    rows, _first = r.area(NAME_TIMETABLE, SHEET_TIMETABLE,
                          (COL_CLASS, COL_SUBJECT, COL_WEEKDAY, COL_LESSON_NO), (COL_GROUP,))
    lookup = {(c.class_name, c.subject.lower(), c.group.lower()): c for c in curriculum}
    known_classes = {c.class_name for c in curriculum}
    entries: list[TimetableEntry] = []
    slots: dict[tuple[str, int, int], list[tuple[TimetableEntry, _Row]]] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_TIMETABLE, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_TIMETABLE, required=True)
        group = _group(r.text(row, COL_GROUP, SHEET_TIMETABLE))
        weekday_value = row.values.get(COL_WEEKDAY)
        weekday = parse_weekday(weekday_value)
        if _is_blank(weekday_value):
            r.text(row, COL_WEEKDAY, SHEET_TIMETABLE, required=True)
        elif weekday is None:
            r.error("N32", f"«{weekday_value}» — не день недели. Выберите из списка "
                                   f"(понедельник … суббота) или впишите число 1–6.",
                    SHEET_TIMETABLE, row.cells[COL_WEEKDAY])
        lesson = r.number(row, COL_LESSON_NO, SHEET_TIMETABLE, integer=True)
        if lesson is not None and not 1 <= lesson <= LESSON_NO_MAX:
            r.error("N33", f"Номер урока — от 1 до {LESSON_NO_MAX}.", SHEET_TIMETABLE,
                    row.cells[COL_LESSON_NO])
            lesson = None
        if not raw or not subject:
            continue
        item = lookup.get((normalise_class_name(raw), subject.lower(), group.lower()))
        if item is None:
            where = f"{raw}, {subject}{', ' + group if group else ''}"
            hint = ("" if normalise_class_name(raw) in known_classes else
                    f" У класса «{raw}» нет ни одной строки учебного плана.")
            r.error("N34", f"Урока «{where}» нет в учебном плане.{hint} Проверьте "
                                             f"класс, предмет и группу — они должны совпадать с "
                                             f"листом «{SHEET_CURRICULUM}».", SHEET_TIMETABLE,
                    row.cells[COL_SUBJECT])
            continue
        if weekday is None or lesson is None:
            continue
        entry = TimetableEntry(item.class_name, item.subject, item.group, weekday, int(lesson))
        slot = (item.class_name, weekday, int(lesson))
        for other, other_row in slots.get(slot, []):
            same = (other.subject, other.group) == (entry.subject, entry.group)
            if same or not (other.group and entry.group):
                r.error("N35", f"У {item.class_name} в {WEEKDAYS_RU[weekday - 1].lower()} "
                                          f"{int(lesson)}-м уроком уже стоит «{other.subject}» (строка "
                                          f"{other_row.number}). В одно время могут идти только "
                                          f"уроки разных групп.", SHEET_TIMETABLE,
                        row.cells[COL_LESSON_NO])
                break
        slots.setdefault(slot, []).append((entry, row))
        entries.append(entry)
    _check_hours(r, curriculum, entries)
    return entries


def _check_hours(r: _Reader, curriculum: list[CurriculumItem], entries: list[TimetableEntry]) -> None:
    counts: dict[tuple[str, str, str], int] = {}
    for e in entries:
        counts[(e.class_name, e.subject, e.group)] = counts.get((e.class_name, e.subject, e.group), 0) + 1
    for item in curriculum:
        n = counts.get(item.key, 0)
        if n != item.weekly_hours:
            group = f" ({item.group})" if item.group else ""
            r.warn("N36", f"{item.class_name} {item.subject}{group}: в учебном плане "
                                         f"{_ru_number(item.weekly_hours)} ч в неделю, а в расписании "
                                         f"уроков — {n}. "
                                         f"Даты уроков в журнал берутся из расписания; поправьте "
                                         f"расписание или часы.", SHEET_CURRICULUM,
                   r.hours_cells.get(item.key, ""))


def _read_kinds(r: _Reader) -> list[WorkKind]:
    rows, first = r.area(NAME_KINDS, SHEET_KINDS, (COL_KIND, COL_WEIGHT), (COL_WRITTEN,))
    kinds: list[WorkKind] = []
    seen: dict[str, int] = {}
    for row in rows:
        name = r.text(row, COL_KIND, SHEET_KINDS, required=True)
        weight = r.number(row, COL_WEIGHT, SHEET_KINDS)
        written = parse_yes_no(row.values.get(COL_WRITTEN))
        if written is None:
            r.error("N10", f"«{row.values.get(COL_WRITTEN)}»: впишите «да» или «нет».",
                    SHEET_KINDS, row.cells[COL_WRITTEN])
        if weight is not None and weight <= 0:
            r.error("N37", "Вес вида работы должен быть больше нуля, например 1 или 1,5.",
                    SHEET_KINDS, row.cells[COL_WEIGHT])
            weight = None
        if not name or weight is None:
            continue
        key = _key(name)
        if key in seen:
            r.error("N38", f"Вид работы «{name}» уже есть в строке {seen[key]}. "
                                          f"Удалите повтор.", SHEET_KINDS, row.cells[COL_KIND])
            continue
        seen[key] = row.number
        kinds.append(WorkKind(name, weight, bool(written)))
    if not kinds and first:
        r.error("N39", "Не указано ни одного вида работы. Впишите хотя бы «Ответ на уроке» "
                                "с весом 1.", SHEET_KINDS, first)
    return kinds


def _read_norms(r: _Reader) -> Norms:
    rows, first = r.area(NAME_NORMS, SHEET_NORMS, (COL_PARAM, COL_VALUE))
    by_label = {_norm_header(row.values.get(COL_PARAM)): row for row in rows}
    values: dict[str, object] = {}
    for label, attr, _note in NORM_ROWS:
        row = by_label.get(_norm_header(label))
        if row is None:
            if first:
                r.error("N06", f"На листе нет строки «{label}». Верните её и впишите "
                                           f"значение.", SHEET_NORMS, first)
            continue
        number = r.number(row, COL_VALUE, SHEET_NORMS, integer=attr in NORM_INT_FIELDS)
        if number is None:
            continue
        low, high = NORM_RANGES[attr]
        if not low <= number <= high:
            shown = (f"{low:g}–{high:g}").replace(".", ",")
            r.error("N40", f"«{label}»: значение {number:g} вне допустимых пределов "
                                      f"{shown}. Впишите число из этих пределов.",
                    SHEET_NORMS, row.cells[COL_VALUE])
            continue
        values[attr] = int(number) if attr in NORM_INT_FIELDS else number
    min_rows, min_first = r.area(NAME_MIN_MARKS, SHEET_NORMS, (COL_MIN_HOURS, COL_MIN_MARKS))
    rules: list[MinMarksRule] = []
    for row in min_rows:
        hours = r.number(row, COL_MIN_HOURS, SHEET_NORMS)
        marks = r.number(row, COL_MIN_MARKS, SHEET_NORMS, integer=True)
        if hours is not None and hours <= 0:
            r.error("N40", "Часов в неделю — число больше нуля.", SHEET_NORMS,
                    row.cells[COL_MIN_HOURS])
            continue
        if marks is not None and not 0 <= marks <= 50:
            r.error("N40", "Минимум отметок за период — от 0 до 50.", SHEET_NORMS,
                    row.cells[COL_MIN_MARKS])
            continue
        if hours is not None and marks is not None:
            rules.append(MinMarksRule(hours, int(marks)))
    if rules:
        values["min_marks"] = tuple(rules)
    elif min_first:
        r.warn("N41", "Таблица минимума отметок пуста — накопляемость отметок не будет "
                                   "проверяться.", SHEET_NORMS, min_first)
        values["min_marks"] = ()
    return Norms(**values)  # type: ignore[arg-type]


def iter_area_names() -> Iterator[str]:
    """Every defined name of a data area the settings workbook carries."""
    yield from (NAME_SCHOOL, NAME_PERIODS, NAME_HOLIDAYS, NAME_CLASSES, NAME_CURRICULUM,
                NAME_TIMETABLE, NAME_KINDS, NAME_NORMS, NAME_MIN_MARKS)


def _ru_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")
