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
    PERIOD_SET_RU,
    WEEKDAYS_RU,
    Settings,
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
    COL_CLASS,
    COL_CLASS_TEACHER,
    COL_END,
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
    COL_NOTE,
    COL_NUMBER,
    COL_PARAM,
    COL_SET,
    COL_START,
    COL_SUBJECT,
    COL_TEACHER,
    COL_VALUE,
    COL_WEEKDAY,
    COL_WEIGHT,
    COL_WRITTEN,
    DATE_FORMAT,
    FIRST_HEADER_ROW,
    GROUP_EXAMPLE,
    LESSON_NO_MAX,
    LIST_CLASSES,
    LIST_SETS,
    LIST_SUBJECTS,
    LIST_WEEKDAYS,
    LIST_YES_NO,
    NAME_CLASSES,
    NAME_CURRICULUM,
    NAME_HOLIDAYS,
    NAME_KINDS,
    NAME_MIN_MARKS,
    NAME_NORMS,
    NAME_PERIODS,
    NAME_SCHOOL,
    NAME_TIMETABLE,
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
    SHEET_CLASSES,
    SHEET_CURRICULUM,
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
