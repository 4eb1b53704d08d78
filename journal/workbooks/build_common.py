"""What subject and class workbooks share: the grid geometry, styles, hidden sheets, help lines,
protection and printing, defined names and saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from journal.core import xlsx_style as xs
from journal.core.files import save_atomically
from journal.core.text import is_blank, text_key
from journal.school.marks import ABSENCE_CODES, FINAL_VALUES, MARKS
from journal.school.settings import SchoolClass, Settings
from journal.workbooks import format as wf

# Layout of the «Журнал» sheet (readers never rely on it: they use defined names)
GRID_TITLE_ROW = 1


GRID_PERIOD_ROW = 2


GRID_DATE_ROW = 3


GRID_WEEKDAY_ROW = 4


GRID_KIND_ROW = 5


GRID_FIRST_STUDENT_ROW = 6


GRID_NUMBER_COL = 1


GRID_NAME_COL = 2


GRID_FIRST_DATE_COL = 3


TABLE_HEADER_ROW = 3  # header row of the log, finals and class sheets


CLASS_SPARE_ROWS = 40  # empty rows for new students, parents, reasons, notes


CLASS_MIN_ROWS = 60


CLASS_PRINTED_SPARE_ROWS = 5  # empty rows printed below the filled ones (for writing in by hand)


CLASS_PRINTED_MIN_ROWS = 25  # rows printed of a table with nothing in it yet


MARK_LIST_VALUES = (*[str(m) for m in MARKS], *ABSENCE_CODES)


META_LAYOUT = "layout"  # extra _meta key: fingerprint of what the layout was built from


LIST_UNDERSTOOD = "jr_list_understood"  # every common spelling the reader understands (for highlighting)


GROUP_LISTS_FIRST_COL = 6  # class workbooks: group lists on _lists start in this column


RECIPIENTS_COL = 6  # subject workbooks: «класс» and the roster on _lists, for «Кому»


MESSAGE_ROWS = 150  # empty rows of the «Сообщения» and «События класса» sheets


PROBLEM_FILL = xs.PROBLEM_FILL


PROBLEM_FONT = xs.PROBLEM_FONT


BORDER = xs.BORDER


THICK_LEFT = xs.THICK_LEFT_BORDER


HEADER_FILL = xs.HEADER_FILL


TITLE_FONT = xs.TITLE_FONT


SUBTITLE_FONT = xs.SUBTITLE_FONT


HEADER_FONT = xs.font(bold=True, size=10)


LEFT_FILL = xs.LEFT_FILL


LEFT_FONT = xs.MUTED_FONT


OUTSIDE_FILL = xs.OUTSIDE_FILL  # before joining / after leaving


PERIOD_FILLS = xs.PERIOD_COLORS


UNLOCKED = Protection(locked=False)


CENTER = xs.CENTER


WRAP = xs.WRAP


ROTATED = Alignment(text_rotation=90, horizontal="center", vertical="bottom", wrap_text=True)


SMALL_GREY = xs.SMALL_GREY_FONT


SMALL = xs.SMALL_FONT


class Styler:
    """Sets a combination of styles on the first cell, then copies its style array to the next ones.

    openpyxl hashes every style object on each assignment; copying the array is ~10× faster,
    which matters for a year grid of thousands of cells. ``key`` names the combination.
    """

    def __init__(self) -> None:
        self._cache: dict[object, Any] = {}

    def __call__(self, cell: Any, key: object, **styles: object) -> None:
        array = self._cache.get(key)
        if array is not None:
            cell._style = copy(array)
            return
        for name, value in styles.items():
            setattr(cell, name, value)
        self._cache[key] = copy(cell._style)


def write_table(wb: Workbook, ws: Worksheet, defined_name: str, title: str, hint: str, columns: list[str],
                widths: list[int], rows: Sequence[Sequence[object]], n_rows: int,
                date_cols: set[int]) -> None:
    """Write a titled, protected table of ``n_rows`` input rows under the defined name ``defined_name``."""
    ws.cell(1, 1, title).font = TITLE_FONT
    ws.cell(2, 1, hint).font = SUBTITLE_FONT
    # Title and hint wrap within the table's width: the printed page ends where the table does.
    total = sum(widths)
    for row, text, size in ((1, title, TITLE_FONT.sz), (2, hint, SUBTITLE_FONT.sz)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        lines = xs.wrapped_lines(text, total * xs.FONT_SIZE / size)
        ws.row_dimensions[row].height = xs.row_height(lines, size)
    for col, (text, width) in enumerate(zip(columns, widths, strict=True), start=1):
        write_header(ws, TABLE_HEADER_ROW, col, text)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[TABLE_HEADER_ROW].height = 30
    first = TABLE_HEADER_ROW + 1
    style = Styler()
    text_first = Alignment(vertical="top")
    text_other = Alignment(vertical="top", wrap_text=True)
    for i in range(n_rows):
        values = rows[i] if i < len(rows) else []
        wrapped = [xs.wrapped_lines(str(v), w) for k, (v, w) in enumerate(zip(values, widths, strict=False))
                   if k > 0 and k not in date_cols and isinstance(v, str)]
        if max(wrapped, default=1) > 1:
            ws.row_dimensions[first + i].height = xs.row_height(max(wrapped))
        for k in range(len(columns)):
            value = values[k] if k < len(values) else None
            cell = ws.cell(first + i, k + 1, value)
            if k in date_cols:
                style(cell, "date", protection=UNLOCKED, border=BORDER, number_format="DD.MM.YYYY",
                      alignment=CENTER)
            else:
                style(cell, ("text", k > 0), protection=UNLOCKED, border=BORDER, number_format="@",
                      alignment=text_other if k > 0 else text_first)
    last = first + n_rows - 1
    letter = get_column_letter(len(columns))
    define(wb, defined_name, f"{quote_sheetname(ws.title)}!$A${TABLE_HEADER_ROW}:${letter}${last}")
    ws.freeze_panes = ws.cell(first, 2)
    protect(ws)
    print_setup(ws, fit_width=True)
    ws.print_title_rows = f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}"
    # Print the filled rows and a few empty ones, not pages of empty grid.
    printed = (len(rows) + CLASS_PRINTED_SPARE_ROWS) if rows else CLASS_PRINTED_MIN_ROWS
    ws.print_area = f"A1:{letter}{first + min(n_rows, printed) - 1}"


def write_messages(wb: Workbook, ws: Worksheet, title: str, hint: str, messages: Sequence[wf.Message],
                   recipients: str | None) -> None:
    """Write the messages table; ``recipients``, when given, is the list behind the «Кому» drop-down."""
    rows = [[m.date, m.to, m.text] for m in messages]
    n_rows = max(MESSAGE_ROWS, len(rows) + CLASS_SPARE_ROWS)
    write_table(wb, ws, wf.NAME_MESSAGES, title, hint, list(wf.MESSAGE_COLUMNS), [13, 32, 80], rows,
                n_rows, date_cols={0})
    if recipients is not None:
        first = TABLE_HEADER_ROW + 1
        dv = DataValidation(type="list", formula1=recipients, allow_blank=True, showErrorMessage=True,
                            errorStyle="warning", errorTitle="Кому",
                            error="Выберите «класс» или ученика из списка.")
        ws.add_data_validation(dv)
        dv.add(f"B{first}:B{first + n_rows - 1}")


def write_lists(wb: Workbook, ws: Worksheet, settings: Settings, school_class: SchoolClass) -> None:
    """Fill the hidden ``_lists`` sheet behind the drop-downs (marks, kinds, finals, reasons)."""
    marks = MARK_LIST_VALUES if settings.gets_marks(school_class) else ABSENCE_CODES
    columns = (
        (wf.LIST_MARKS, "Отметки", list(marks)),
        (wf.LIST_KINDS, "Виды работ", [k.name for k in settings.work_kinds]),
        (wf.LIST_FINALS, "Итоговые", list(FINAL_VALUES)),
        (wf.LIST_REASONS, "Причины", list(ABSENCE_CODES)),
        (LIST_UNDERSTOOD, "Понятные значения", understood_mark_values(settings.gets_marks(school_class))),
    )
    for col, (name, header, values) in enumerate(columns, start=1):
        ws.cell(1, col, header)
        for i, value in enumerate(values):
            ws.cell(2 + i, col, value).number_format = "@"
        letter = get_column_letter(col)
        define(wb, name, f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${1 + max(len(values), 1)}")
    ws.sheet_state = "hidden"
    protect(ws)


def understood_mark_values(has_marks: bool) -> list[str]:
    """Common spellings of a mark cell that the reader understands; anything else is highlighted.

    Case does not matter to the highlighting (MATCH ignores it), so each letter is listed once
    in Cyrillic and once as its Latin look-alike.
    """
    codes = [*ABSENCE_CODES, "H", "B", "Y", "O"]
    if not has_marks:
        return codes
    marks = [str(m) for m in MARKS]
    values = [*marks, *codes]
    for sep in ("/", ",", " "):
        values += [f"{a}{sep}{b}" for a in marks for b in marks]
        values += [f"{c}{sep}{m}" for c in codes for m in marks]
    return values


def write_meta(wb: Workbook, ws: Worksheet, meta: wf.WorkbookMeta, layout: str,
               roster: str | None = None) -> None:
    """Fill the very hidden ``_meta`` sheet: what the workbook is, its layout and the roster."""
    values = {
        wf.META_FORMAT_VERSION: meta.format_version,
        wf.META_KIND: meta.kind,
        wf.META_SCHOOL_YEAR: meta.school_year,
        wf.META_CLASS: meta.class_name,
        wf.META_SUBJECT: meta.subject,
        wf.META_GROUP: meta.group,
        wf.META_TEACHER: meta.teacher,
        wf.META_CREATED: meta.created,
    }
    values[META_LAYOUT] = layout
    keys: tuple[str, ...] = (*wf.META_KEYS, META_LAYOUT)
    if roster is not None:  # subject workbooks: which student each «№» stands for
        values[wf.META_ROSTER] = roster
        keys = (*keys, wf.META_ROSTER)
    for row, key in enumerate(keys, start=1):
        ws.cell(row, 1, key).number_format = "@"
        cell = ws.cell(row, 2, values[key])
        cell.number_format = "@"
        cell.data_type = "s"
    ws.sheet_state = "veryHidden"
    protect(ws)


def write_help_lines(ws: Worksheet, lines: list[tuple[str, str]]) -> None:
    """Write an instruction sheet from (style, text) lines: «title», «head» or plain wrapped text."""
    ws.column_dimensions["A"].width = 78
    for row, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row, 1, text)
        if style == "title":
            cell.font = TITLE_FONT
            ws.row_dimensions[row].height = 24
        elif style == "head":
            cell.font = xs.HEADING_FONT
            ws.row_dimensions[row].height = 22
        else:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 15 * max(1, -(-len(text) // 68))
    protect(ws)
    print_setup(ws, fit_width=True, landscape=False)


def write_header(ws: Worksheet, row: int, col: int, text: str) -> None:
    """Write a table header cell in the header style."""
    cell = ws.cell(row, col, text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def define(wb: Workbook, name: str, ref: str) -> None:
    """Set the workbook-level defined name ``name`` to the reference ``ref``."""
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def lock_structure(wb: Workbook) -> None:
    """No password: sheets cannot be renamed, moved, deleted or unhidden by accident."""
    wb.security = WorkbookProtection(lockStructure=True)


def protect(ws: Worksheet) -> None:
    """Protect the sheet without a password, leaving rows and columns resizable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def print_setup(ws: Worksheet, fit_width: bool, landscape: bool = True) -> None:
    """A4 page setup: one page wide (``fit_width``) or one page tall, landscape or portrait."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        # The year grid is far too wide for one page: all students on one page tall,
        # as many pages across as needed, names and dates repeated on each.
        ws.page_setup.fitToWidth = 0
        ws.page_setup.fitToHeight = 1
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = False


def group_of(student: wf.StudentRecord, subject: str) -> str:
    """The student's group for ``subject`` (case-insensitive), or "" when the class is not split."""
    wanted = text_key(subject)
    for key, value in student.groups.items():
        if text_key(key) == wanted:
            return value
    return ""


def cell_value(value: object) -> object:
    """A content value as written into a cell: blanks become empty cells, the rest is kept as typed."""
    return None if is_blank(value) else value


def lesson_text(day: dt.date, seq: int) -> str:
    """A lesson named for people: «урок 27.11.2026», with its number when the day has several."""
    return f"урок {day:%d.%m.%Y}" + (f" ({seq}-й урок в этот день)" if seq > 1 else "")


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (see :func:`journal.core.files.save_atomically`)."""
    return save_atomically(wb.save, Path(path))
