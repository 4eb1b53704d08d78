"""The machinery of the settings reader: areas of defined names as rows, findings with their cells,
cell parsers (numbers, weekdays, yes/no, grades), date ranges and groups shared by several sheets."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not when settings come cached
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

from journal.core.findings import Finding, error, warning
from journal.core.text import clean_text, is_blank, name_key, parse_date_value
from journal.school.settings import (
    WEEKDAYS_RU,
    WEEKDAYS_SHORT_RU,
    Period,
)


@dataclass
class Row:
    """One non-empty input row of an area: values and cell addresses by header."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


class Reader:
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
             optional: tuple[str, ...] = (), *, may_lack: bool = False) -> tuple[list[Row], str]:
        """Non-empty rows of area ``name`` keyed by header, and the header row's first cell
        ("" when the area is missing or lacks a required column: it cannot be read).
        ``may_lack``: the area came with a later version, so an older workbook without it
        is read as if it were empty."""
        cells = self.area_cells(name)
        if cells is None and may_lack:
            return [], ""
        if cells is None:
            self.error("N03",
                       f"Не найдена область «{name}» (таблица листа «{sheet}»). Возможно, лист "
                       f"удалён или переименован. Перенесите данные в новый файл настроек "
                       f"(journal init) и заполните его.", sheet)
            return [], ""
        ws_title, grid = cells
        header = grid[0]
        columns: dict[str, int] = {}
        wanted = {name_key(h): h for h in (*required, *optional)}
        for i, c in enumerate(header):
            h = name_key(c.value)
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
        rows: list[Row] = []
        for line in grid[1:]:
            if all(is_blank(c.value) for c in line):
                continue
            row = Row(number=line[0].row)
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
                if not is_blank(c.value):
                    self.warn("N05",
                              f"Значение «{c.value}» стоит ниже таблицы (после строки {last}) и не "
                              f"читается. Перенесите строку в пустую строку таблицы выше.",
                              ws_title, c.coordinate)
                    return

    def area_cells(self, name: str) -> tuple[str, list[tuple[Cell, ...]]] | None:
        """The sheet title and the cell rows of the defined name ``name``; None when it points nowhere."""
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

    def text(self, row: Row, col: str, sheet: str, required: bool = False,
             what: str = "") -> str:
        value = row.values.get(col)
        if is_blank(value):
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

    def date(self, row: Row, col: str, sheet: str, required: bool = True) -> dt.date | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if is_blank(value):
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

    def number(self, row: Row, col: str, sheet: str, integer: bool = False) -> float | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if is_blank(value):
            self.error("N07", f"Не заполнено: «{col}». Впишите число.", sheet, cell)
            return None
        parsed = parse_number_value(value)
        if parsed is None or (integer and not float(parsed).is_integer()):
            kind = "целое число" if integer else "число (дробная часть — через запятую, например 1,5)"
            self.error("N09", f"«{value}» — не {kind}. Впишите {kind}.", sheet, cell)
            return None
        return parsed


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
    if is_blank(value):
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


def group_name(text: str) -> str:
    """A group name as written in the settings, cleaned of stray spaces."""
    return clean_text(text)


Year = tuple[dt.date, dt.date] | None


def year_range(periods: list[Period]) -> Year:
    """The first and last day of the school year by its periods; None without periods."""
    if not periods:
        return None
    return min(p.start for p in periods), max(p.end for p in periods)


def dates_range(r: Reader, row: Row, sheet: str, col_from: str, col_to: str,
                year: Year) -> tuple[dt.date | None, dt.date | None] | None:
    """Optional «from»/«to» dates of a row; None (after a finding) when they are unusable."""
    start = r.date(row, col_from, sheet, required=False) if col_from in row.values else None
    end = r.date(row, col_to, sheet, required=False) if col_to in row.values else None
    if (not is_blank(row.values.get(col_from)) and start is None) or \
            (not is_blank(row.values.get(col_to)) and end is None):
        return None
    if start and end and end < start:
        r.error("N11", f"«По» ({end:%d.%m.%Y}) раньше «с» ({start:%d.%m.%Y}). Исправьте одну из дат.",
                sheet, row.cells[col_to])
        return None
    if year is not None:
        for day, col in ((start, col_from), (end, col_to)):
            if day is not None and not year[0] <= day <= year[1]:
                r.error("N42", f"{day:%d.%m.%Y} — вне учебного года ({year[0]:%d.%m.%Y}–"
                               f"{year[1]:%d.%m.%Y}). Проверьте год в дате.", sheet, row.cells[col])
                return None
    return start, end


def overlap(a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]) -> bool:
    """True when two date spans (None: open end) share a day."""
    low = max(a[0] or dt.date.min, b[0] or dt.date.min)
    high = min(a[1] or dt.date.max, b[1] or dt.date.max)
    return low <= high


def span_text(span: tuple[dt.date | None, dt.date | None]) -> str:
    """A date span for people: «с 01.09.2026 по 27.11.2026», «весь год»."""
    start, end = span
    if start is None and end is None:
        return "весь год"
    return " ".join(part for part in (f"с {start:%d.%m.%Y}" if start else "",
                                      f"по {end:%d.%m.%Y}" if end else "") if part)
