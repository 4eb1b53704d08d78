"""What the reader of subject and class workbooks returns: raw values with their cell addresses,
the areas and tables of defined names, the read result, and the reader's limits and finding codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from journal.core.findings import Finding, has_errors
from journal.core.text import cell_text, name_key, parse_date_value
from journal.workbooks import format as wf
from journal.workbooks import screening as prescreen
from journal.workbooks.cell_refs import column_index_from_string, get_column_letter

MAX_UNCOMPRESSED = 200 * 1024 * 1024


MAX_ROWS = 20_000


MAX_COLUMNS = 2_000


# Finding codes of the reader. Problems of the file as a whole share the codes of
# journal.workbooks.screening (R01–R29), so a file gets the same code whichever of the two
# notices the problem first; problems of the journal's structure are R30 and up.
R_UNREADABLE = prescreen.UNREADABLE  # locked or unreadable file


R_EMPTY = prescreen.EMPTY  # 0 bytes


R_NOT_XLSX = prescreen.NOT_XLSX  # not a zip / not an xlsx


R_PASSWORD = prescreen.ENCRYPTED  # encrypted with a password


R_XLS = prescreen.XLS  # Excel 97–2003


R_ODS = prescreen.ODS  # OpenDocument


R_TOO_LARGE = prescreen.SHEET_TOO_LARGE  # too large / data far outside the tables


R_BROKEN = prescreen.CORRUPT  # the zip or XML is damaged


R_NO_META = "R30"  # no _meta: not a journal workbook


R_BAD_META = "R31"  # _meta unusable: unknown kind, newer format, no class


R_MISSING_NAME = "R32"  # a defined name is missing


R_BAD_NAME = "R33"  # a defined name points to the wrong place


R_MISSING_COLUMN = "R34"  # a table lacks a column of its header


R_FORMULA = "R35"  # a formula in an input cell


R_MERGED = "R36"  # merged cells over an input area


class Cell(NamedTuple):
    """A raw cell value with its address («F12»): what the reader reads and validation
    checks (:mod:`journal.workbooks.views` hands the same cells on) — a named tuple, as a
    workbook has thousands."""

    value: object
    cell: str


@dataclass(frozen=True)
class Area:
    """A rectangular range of one sheet (1-based, inclusive)."""

    sheet: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return self.max_row - self.min_row + 1

    @property
    def n_cols(self) -> int:
        """Number of columns."""
        return self.max_col - self.min_col + 1

    def address(self, row_i: int, col_i: int) -> str:
        """The address («F12») of the cell at 0-based offsets inside the area."""
        return f"{get_column_letter(self.min_col + col_i)}{self.min_row + row_i}"

    def ref(self) -> str:
        """«'Журнал'!C6:CW30» for messages."""
        return f"«{self.sheet}»!{get_column_letter(self.min_col)}{self.min_row}:" \
               f"{get_column_letter(self.max_col)}{self.max_row}"

    def contains(self, row: int, col: int) -> bool:
        """True when the 1-based cell (row, col) is inside."""
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


@dataclass
class RawTable:
    """A table area: a header row and rows below it, each cell with its address."""

    area: Area
    header: list[Cell]
    rows: list[list[Cell]]
    columns: dict[str, int] = field(default_factory=dict)  # header text (normalised) → index

    @property
    def sheet(self) -> str:
        """The sheet the table is on."""
        return self.area.sheet

    def column(self, name: str) -> int | None:
        """The index of the column headed ``name`` (case and spaces ignored), or None."""
        return self.columns.get(name_key(name))

    def cell(self, row_i: int, name: str) -> Cell | None:
        """The cell of row ``row_i`` (0-based, below the header) in column ``name``."""
        col = self.column(name)
        return None if col is None else self.rows[row_i][col]

    def value(self, row_i: int, name: str) -> object:
        """The raw value of row ``row_i`` in column ``name`` (None when empty or no such column)."""
        cell = self.cell(row_i, name)
        return None if cell is None else cell.value

    def is_blank(self, row_i: int) -> bool:
        """True when every cell of the row is empty."""
        return all(c.value is None for c in self.rows[row_i])

    def filled_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(index, cells) of every row with at least one value."""
        for i, row in enumerate(self.rows):
            for cell in row:
                if cell.value is not None:
                    yield i, row
                    break


@dataclass
class RawSubjectWorkbook:
    """The raw areas of a subject workbook, every value with its cell address."""

    path: Path
    meta: wf.WorkbookMeta
    sheet: str  # the grid's sheet
    students: list[Cell]  # jr_students, one per grid row (empty names included)
    dates: list[Cell]  # jr_dates, one per grid column
    kinds: list[Cell]  # jr_kinds, one per grid column
    marks: list[list[object]]  # jr_marks values [row_i][col_i]
    marks_area: Area
    log: RawTable | None
    finals: RawTable | None
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (sheet, cell) in input areas
    # the student each grid row was built for («№» column + roster in _meta); [] when unknown
    row_keys: list[str | None] = field(default_factory=list)
    messages: RawTable | None = None  # optional: workbooks made before it lack the sheet

    def address(self, row_i: int, col_i: int) -> str:
        """The address of grid cell (student row ``row_i``, lesson column ``col_i``), 0-based."""
        return self.marks_area.address(row_i, col_i)

    def mark_cells(self) -> Iterator[tuple[int, int, str, object]]:
        """(row_i, col_i, address, value) of every non-empty grid cell."""
        area = self.marks_area
        widest = max(map(len, self.marks), default=0)
        letters = column_letter_range(area.min_col, max(area.max_col, area.min_col + widest - 1))
        for i, row in enumerate(self.marks):
            number = str(area.min_row + i)
            for j, value in enumerate(row):
                if value is not None:
                    yield i, j, letters[j] + number, value

    def lesson_dates(self) -> list[dt.date | None]:
        """The parsed date of each grid column (None where it is not a date)."""
        return [parse_date_value(c.value, self.meta.school_year) for c in self.dates]

    def lesson_keys(self) -> list[wf.LessonKey | None]:
        """(date, n-th lesson that day) of each grid column, None where the date is unreadable."""
        seen: dict[dt.date, int] = {}
        keys: list[wf.LessonKey | None] = []
        for day in self.lesson_dates():
            if day is None:
                keys.append(None)
                continue
            seen[day] = seen.get(day, 0) + 1
            keys.append((day, seen[day]))
        return keys

    def to_content(self) -> tuple[list[str], wf.SubjectContent]:
        """(student names in row order, the content keyed by meaning).

        Rows without a name and columns without a readable date are left out;
        validation reports them with their cells.
        """
        names = [cell_text(c.value) for c in self.students]
        keys = self.lesson_keys()
        content = wf.SubjectContent()
        for i, row in enumerate(self.marks):
            name = names[i] if i < len(names) else ""
            if not name:
                continue
            for j, value in enumerate(row):
                key = keys[j] if j < len(keys) else None
                if value is not None and key is not None:
                    content.marks[(name, key[0], key[1])] = value
        for j, cell in enumerate(self.kinds):
            key = keys[j] if j < len(keys) else None
            if cell.value is not None and key is not None:
                content.kinds[key] = cell.value if isinstance(cell.value, str) else str(cell.value)
        if self.log is not None:
            seen: dict[dt.date, int] = {}
            for i, _row in enumerate(self.log.rows):
                day = parse_date_value(self.log.value(i, wf.LOG_DATE), self.meta.school_year)
                if day is None:
                    continue
                seen[day] = seen.get(day, 0) + 1
                entry = wf.LogEntry(
                    topic=cell_text(self.log.value(i, wf.LOG_TOPIC)),
                    homework=cell_text(self.log.value(i, wf.LOG_HOMEWORK)),
                    substitute=cell_text(self.log.value(i, wf.LOG_SUBSTITUTE)),
                )
                if entry.topic or entry.homework or entry.substitute:
                    content.log[(day, seen[day])] = entry
        if self.finals is not None:
            for _i, cells in self.finals.filled_rows():
                name = cell_text(cells[0].value) if cells else ""
                if not name:
                    continue
                for k, final in enumerate(cells[1:], start=1):
                    if final.value is not None:
                        content.finals[(name, cell_text(self.finals.header[k].value))] = final.value
        content.messages = messages_of(self.messages)
        return [n for n in names if n], content


def messages_of(table: RawTable | None) -> list[wf.Message]:
    """The filled rows of a «Сообщения» table, values as typed (text stripped)."""
    if table is None:
        return []
    return [wf.Message(date=table.value(i, wf.MESSAGE_DATE), to=cell_text(table.value(i, wf.MESSAGE_TO)),
                       text=cell_text(table.value(i, wf.MESSAGE_TEXT)))
            for i, _row in table.filled_rows()]


def events_of(table: RawTable | None) -> list[wf.ClassEvent]:
    """The filled rows of a «События класса» table, values as typed (text stripped)."""
    if table is None:
        return []
    return [wf.ClassEvent(date=table.value(i, wf.EVENT_DATE), title=cell_text(table.value(i, wf.EVENT_TITLE)))
            for i, _row in table.filled_rows()]


@dataclass
class RawClassWorkbook:
    """The raw tables of a class workbook, every value with its cell address."""

    path: Path
    meta: wf.WorkbookMeta
    students: RawTable | None
    parents: RawTable | None
    reasons: RawTable | None
    notes: RawTable | None
    formulas: list[tuple[str, str]] = field(default_factory=list)
    events: RawTable | None = None  # optional areas: workbooks made before them lack the sheets
    messages: RawTable | None = None

    def group_columns(self) -> dict[str, int]:
        """Subject → column index of its «Группа: …» column in the students table."""
        if self.students is None:
            return {}
        found: dict[str, int] = {}
        prefix = name_key(wf.GROUP_COLUMN_PREFIX)  # «группа:»
        for k, cell in enumerate(self.students.header):
            text = cell_text(cell.value)
            if name_key(text).startswith(prefix):
                subject = text.split(":", 1)[1].strip()
                if subject and subject not in found:
                    found[subject] = k
        return found

    def to_content(self) -> wf.ClassContent:
        """The class content; rows without a name and dates that are not dates are left out."""
        year = self.meta.school_year
        content = wf.ClassContent()
        if self.students is not None:
            groups = self.group_columns()
            for i, row in self.students.filled_rows():
                name = cell_text(self.students.value(i, wf.STUDENT_NAME))
                if not name:
                    continue
                content.students.append(wf.StudentRecord(
                    full_name=name,
                    birth_date=parse_date_value(self.students.value(i, wf.STUDENT_BIRTH)),
                    joined=parse_date_value(self.students.value(i, wf.STUDENT_JOINED), year),
                    left=parse_date_value(self.students.value(i, wf.STUDENT_LEFT), year),
                    groups={subject: cell_text(row[k].value) for subject, k in groups.items()
                            if cell_text(row[k].value)},
                ))
        if self.parents is not None:
            for i, _row in self.parents.filled_rows():
                student = cell_text(self.parents.value(i, wf.PARENT_STUDENT))
                parent = cell_text(self.parents.value(i, wf.PARENT_NAME))
                if student or parent:
                    content.parents.append(wf.ParentRecord(
                        student=student, full_name=parent,
                        phone=cell_text(self.parents.value(i, wf.PARENT_PHONE)),
                        email=cell_text(self.parents.value(i, wf.PARENT_EMAIL))))
        if self.reasons is not None:
            for i, _row in self.reasons.filled_rows():
                start = parse_date_value(self.reasons.value(i, wf.REASON_FROM), year)
                end = parse_date_value(self.reasons.value(i, wf.REASON_TO), year) or start
                student = cell_text(self.reasons.value(i, wf.REASON_STUDENT))
                code = cell_text(self.reasons.value(i, wf.REASON_CODE))
                if student and start is not None and end is not None and code:
                    content.reasons.append(wf.AbsenceReason(
                        student=student, start=start, end=end, code=code,
                        document=cell_text(self.reasons.value(i, wf.REASON_DOCUMENT))))
        if self.notes is not None:
            for i, _row in self.notes.filled_rows():
                student = cell_text(self.notes.value(i, wf.NOTE_STUDENT))
                text = cell_text(self.notes.value(i, wf.NOTE_TEXT))
                if student and text:
                    content.notes[student] = text
        content.events = events_of(self.events)
        content.messages = messages_of(self.messages)
        return content


@dataclass
class ReadResult:
    """What reading one file gave: the workbook (or None) and the findings."""

    path: Path
    sha256: str = ""
    meta: wf.WorkbookMeta | None = None
    meta_values: dict[str, str] = field(default_factory=dict)  # every key of _meta, also unknown ones
    workbook: RawSubjectWorkbook | RawClassWorkbook | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the workbook was read and no finding is an error."""
        return self.workbook is not None and not has_errors(self.findings)


class Refused(Exception):
    """Reading stops here: the file is refused for the reason in ``finding``."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@lru_cache(maxsize=256)
def column_letter_range(min_col: int, max_col: int) -> tuple[str, ...]:
    """The column letters from ``min_col`` to ``max_col`` (1-based): «C», «D», … «FK»."""
    return tuple(get_column_letter(c) for c in range(min_col, max_col + 1))


def addr(row: int, col: int) -> str:
    """The A1-style address of the cell at ``row``, ``col`` (1-based): «B7»."""
    return f"{get_column_letter(col)}{row}"


def split_address(address: str) -> tuple[int, int]:
    """(row, column), 1-based, of an A1-style address such as «B7»."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", address)
    assert m is not None
    return int(m.group(2)), column_index_from_string(m.group(1))
