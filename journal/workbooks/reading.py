"""The low-level reader of subject and class workbooks.

What a workbook is comes from its ``_meta`` sheet; every input area is found
through a workbook-level defined name (see :mod:`journal.workbooks.format`).
Defined names, sheet paths and formulas are read from the zip directly (small
XML parts); cell values with python-calamine, keeping exact cell addresses.

Reading never raises for a bad file: :func:`read_workbook` returns a
:class:`ReadResult` with the raw values (each with its cell address) and the
findings (codes ``R..``) that explain, in Russian, why a file could not be read
or what is odd about its structure. Checking the values themselves (marks,
dates, students) is :mod:`journal.intake.validation`'s job.

Raw values are as calamine returns them: ``str``, ``float`` (numbers, also
whole ones), ``bool``, ``datetime.date``/``datetime.datetime``,
``datetime.time``; an empty cell is ``None``.

Hostile files: files whose zip directory declares more than
:data:`MAX_UNCOMPRESSED` bytes, or whose sheets reach beyond
:data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns (one stray value in XFD1048576
makes calamine abort the process), are refused before calamine sees them.
Run the reader in a worker process with limits for files from untrusted places.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook

from journal.core.findings import Finding, error, has_errors, warning
from journal.core.text import blank_to_none, cell_text, name_key, parse_date_value
from journal.workbooks import format as wf
from journal.workbooks import screening as prescreen

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

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_REF = re.compile(
    r"^(?:'(?P<q>(?:[^']|'')+)'|(?P<u>[^'!]+))!"
    r"\$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>\d+))?$"
)
_FORMULA_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*>(?:(?!</c>|<c[\s>]).){0,200}?<f[\s>/]', re.S)
# Only references that may lie beyond MAX_COLUMNS (3 letters) or MAX_ROWS (5+ digits); rows
# (<row r="…">) have no letters and never match.
_FAR_REF = re.compile(rb'\sr="([A-Z]{3}[0-9]+|[A-Z]{1,2}[0-9]{5,})"')
_MERGE_CELL = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)"')


class RawCell(NamedTuple):
    """A raw value with the address of its cell («F12»)."""

    address: str
    value: object


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
    header: list[RawCell]
    rows: list[list[RawCell]]
    columns: dict[str, int] = field(default_factory=dict)  # header text (normalised) → index

    @property
    def sheet(self) -> str:
        """The sheet the table is on."""
        return self.area.sheet

    def column(self, name: str) -> int | None:
        """The index of the column headed ``name`` (case and spaces ignored), or None."""
        return self.columns.get(name_key(name))

    def cell(self, row_i: int, name: str) -> RawCell | None:
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

    def filled_rows(self) -> Iterator[tuple[int, list[RawCell]]]:
        """(index, cells) of every row with at least one value."""
        for i, row in enumerate(self.rows):
            if any(c.value is not None for c in row):
                yield i, row


@dataclass
class RawSubjectWorkbook:
    """The raw areas of a subject workbook, every value with its cell address."""

    path: Path
    meta: wf.WorkbookMeta
    sheet: str  # the grid's sheet
    students: list[RawCell]  # jr_students, one per grid row (empty names included)
    dates: list[RawCell]  # jr_dates, one per grid column
    kinds: list[RawCell]  # jr_kinds, one per grid column
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
        letters = _letters(area.min_col, max(area.max_col, area.min_col + widest - 1))
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


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def read_workbook(path: str | Path) -> ReadResult:
    """Read a subject or class workbook; never raises for a bad file.

    A settings workbook (``_meta`` kind ``settings``) gives its meta and no workbook.
    """
    path = Path(path)
    result = ReadResult(path=path)
    where = {"file": str(path)}
    try:
        data = path.read_bytes()
    except PermissionError:
        result.findings.append(error(R_UNREADABLE, "файл занят другой программой или нет прав на "
                                     "чтение. Закройте его в Excel/LibreOffice и повторите", **where))
        return result
    except OSError as exc:
        result.findings.append(error(R_UNREADABLE, f"файл не удалось прочитать ({exc.strerror or exc})",
                                     **where))
        return result
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        _read_into(result, data)
    except _Refused as refused:
        result.workbook = None
        result.findings.append(refused.finding)
    except Exception as exc:  # a damaged part that slipped past the checks
        result.workbook = None
        result.findings.append(error(R_BROKEN, "файл повреждён и не читается "
                                     f"({type(exc).__name__}). Откройте его в Excel или LibreOffice, "
                                     "сохраните заново как .xlsx и пришлите снова", **where))
    return result


def read_meta(path: str | Path) -> ReadResult:
    """Only the ``_meta`` of a workbook (and its hash): what a merge needs to find two files
    of one journal before it reads either whole. Never raises for a bad file."""
    path = Path(path)
    result = ReadResult(path=path)
    where = {"file": str(path)}
    try:
        data = path.read_bytes()
    except OSError:
        return result
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        package = _open_package(data, where)
        sheets, _names = _workbook_parts(package, where)
        meta_sheet = next((s for s in sheets.values() if s.name == wf.META_SHEET), None)
        if meta_sheet is not None:
            reader = _SheetReader(package, data, sheets, where)
            result.meta = _read_meta(reader.values(wf.META_SHEET), result, where)
    except Exception:  # the whole read names what is wrong
        result.meta = None
    result.findings.clear()
    return result


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _read_into(result: ReadResult, data: bytes) -> None:
    where = {"file": str(result.path)}
    package = _open_package(data, where)
    sheets, names = _workbook_parts(package, where)
    meta_sheet = next((s for s in sheets.values() if s.name == wf.META_SHEET), None)
    if meta_sheet is None:
        raise _Refused(error(R_NO_META, "это не файл электронного журнала: нет служебного листа "
                             f"«{wf.META_SHEET}». Возьмите бланк, созданный программой "
                             "(его готовит ответственный за ЭЖ), и перенесите данные в него", **where))
    reader = _SheetReader(package, data, sheets, where)
    meta = _read_meta(reader.values(wf.META_SHEET), result, where)
    if meta is None:
        return
    result.meta = meta
    where["teacher"] = meta.teacher
    if meta.kind == wf.KIND_SUBJECT:
        result.workbook = _read_subject(result, meta, names, reader, where)
    elif meta.kind == wf.KIND_CLASS:
        result.workbook = _read_class(result, meta, names, reader, where)


# ---------------------------------------------------------------------------
# Package: zip, workbook.xml, relationships
# ---------------------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    part: str  # zip member of the sheet XML
    state: str


@dataclass
class _Name:
    name: str
    text: str


def _open_package(data: bytes, where: dict[str, str]) -> zipfile.ZipFile:
    if data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTION_INFO in data[:1 << 20] or _ENCRYPTION_INFO in data:
            raise _Refused(error(R_PASSWORD, "файл защищён паролем на открытие, программа не может его "
                                 "прочитать. Снимите пароль (Файл → Сведения → Защитить книгу) и "
                                 "сохраните заново", **where))
        raise _Refused(error(R_XLS, "файл в старом формате Excel 97–2003 (.xls). Откройте его "
                             "и сохраните как «Книга Excel (.xlsx)»", **where))
    if not data:
        raise _Refused(error(R_EMPTY, "файл пустой (0 байт): возможно, он ещё копируется или "
                             "был сохранён не до конца. Пришлите его заново", **where))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _Refused(error(R_NOT_XLSX, "это не файл Excel .xlsx или он повреждён (например, "
                             "скопирован не до конца). Откройте его и сохраните как .xlsx заново",
                             **where)) from exc
    member_names = {i.filename for i in infos}
    if "mimetype" in member_names and "content.xml" in member_names:
        raise _Refused(error(R_ODS, "файл в формате OpenDocument (.ods). Сохраните его как "
                             "«Книга Excel 2007–365 (.xlsx)»", **where))
    if "xl/workbook.xml" not in member_names:
        raise _Refused(error(R_NOT_XLSX, "это не файл Excel .xlsx (в архиве нет книги). "
                             "Откройте его и сохраните как .xlsx", **where))
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise _Refused(error(R_TOO_LARGE, "файл слишком большой для журнала (внутри более "
                             f"{MAX_UNCOMPRESSED // 2**20} МБ). Удалите лишние листы и картинки",
                             **where))
    return package


def _workbook_parts(package: zipfile.ZipFile, where: dict[str, str]) \
        -> tuple[dict[str, _Sheet], dict[str, list[_Name]]]:
    try:
        root = SafeET.fromstring(package.read("xl/workbook.xml"))
        rels_root = SafeET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise _Refused(error(R_BROKEN, "файл повреждён: нет описания листов книги", **where)) from exc
    targets: dict[str, str] = {}
    for rel in rels_root.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id", "")] = member
    sheets: dict[str, _Sheet] = {}
    for el in _iter(root, "sheet"):
        name = el.get("name", "")
        rid = el.get(f"{_NS_REL}id", "")
        sheets[name] = _Sheet(name=name, part=targets.get(rid, ""), state=el.get("state", "visible"))
    names: dict[str, list[_Name]] = {}
    for el in _iter(root, "definedName"):
        name = el.get("name", "")
        if name.lower().startswith("_xlnm.") or el.get("localSheetId") is not None:
            continue
        names.setdefault(name.lower(), []).append(_Name(name, (el.text or "").strip()))
    return sheets, names


def _iter(root: Element, tag: str) -> Iterator[Element]:
    for el in root.iter():
        if el.tag == f"{_NS_MAIN}{tag}" or el.tag == tag:
            yield el


class _SheetReader:
    """Sheet values through calamine, loaded once per sheet, after a size check of the sheet XML."""

    def __init__(self, package: zipfile.ZipFile, data: bytes, sheets: dict[str, _Sheet],
                 where: dict[str, str]) -> None:
        self.package = package
        self.sheets = sheets
        self.where = where
        self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        self._values: dict[str, list[list[Any]]] = {}
        self._xml: dict[str, bytes] = {}

    def xml(self, sheet: str) -> bytes:
        if sheet not in self._xml:
            part = self.sheets[sheet].part
            try:
                self._xml[sheet] = self.package.read(part)
            except KeyError as exc:
                raise _Refused(error(R_BROKEN, f"файл повреждён: нет данных листа «{sheet}»",
                                     **self.where)) from exc
        return self._xml[sheet]

    def values(self, sheet: str) -> list[list[object]]:
        if sheet not in self._values:
            self._check_extent(sheet)
            rows: list[list[Any]] = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            self._values[sheet] = rows
        return self._values[sheet]

    def value(self, sheet: str, row: int, col: int) -> object:
        """The value at 1-based (row, col), None when empty or outside the data."""
        rows = self.values(sheet)
        if row - 1 < len(rows):
            line = rows[row - 1]
            if col - 1 < len(line):
                return blank_to_none(line[col - 1])
        return None

    def _check_extent(self, sheet: str) -> None:
        xml = self.xml(sheet)
        far = ""
        for m in _FAR_REF.finditer(xml):
            row, col = _split_address(m.group(1).decode())
            if col > MAX_COLUMNS or row > MAX_ROWS:
                far = m.group(1).decode()
                break
        if far:
            raise _Refused(error(
                R_TOO_LARGE, f"на листе «{sheet}» есть данные далеко за пределами журнала (ячейка {far}). "
                "Удалите эту ячейку (или лишние строки и столбцы) и сохраните файл",
                sheet=sheet, cell=far, **self.where))

    def formulas(self, sheet: str, areas: list[Area]) -> list[str]:
        """Addresses of cells with a formula inside ``areas`` of ``sheet``."""
        xml = self.xml(sheet)
        if b"<f>" not in xml and b"<f " not in xml and b"<f/>" not in xml:
            return []
        found = []
        for m in _FORMULA_CELL.finditer(xml):
            address = m.group(1).decode()
            row, col = _split_address(address)
            if any(a.contains(row, col) for a in areas):
                found.append(address)
        return found

    def merged(self, sheet: str, areas: list[Area]) -> list[Area]:
        """Merged ranges of ``sheet`` that overlap any of ``areas``."""
        xml = self.xml(sheet)
        if b"mergeCell" not in xml:
            return []
        found = []
        for m in _MERGE_CELL.finditer(xml):
            merged = _parse_ref(f"'{sheet}'!" + m.group(1).decode())
            if merged is not None and any(_overlap(merged, a) for a in areas):
                found.append(merged)
        return found


def _overlap(a: Area, b: Area) -> bool:
    return (a.min_row <= b.max_row and b.min_row <= a.max_row
            and a.min_col <= b.max_col and b.min_col <= a.max_col)


# ---------------------------------------------------------------------------
# _meta and defined names
# ---------------------------------------------------------------------------


def _read_meta(rows: list[list[object]], result: ReadResult, where: dict[str, str]) -> wf.WorkbookMeta | None:
    values: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and cell_text(row[0]):
            values[cell_text(row[0]).lower()] = cell_text(row[1])
    result.meta_values = values
    kind = values.get(wf.META_KIND, "")
    bad = {"file": where["file"], "sheet": wf.META_SHEET}
    if kind not in (wf.KIND_SUBJECT, wf.KIND_CLASS, wf.KIND_SETTINGS):
        result.findings.append(error(R_BAD_META, f"служебный лист «{wf.META_SHEET}» повреждён: неизвестный "
                                     f"вид файла «{kind}». Возьмите бланк, созданный программой", **bad))
        return None
    version = values.get(wf.META_FORMAT_VERSION, "")
    if version != wf.FORMAT_VERSION:
        try:
            newer = float(version) > float(wf.FORMAT_VERSION)
        except ValueError:
            newer = False
        if newer:
            result.findings.append(error(R_BAD_META, f"файл создан более новой версией программы "
                                         f"(формат {version}). Обновите программу", **bad))
            return None
        result.findings.append(warning(R_BAD_META, f"версия формата файла «{version}» не совпадает с "
                                       f"«{wf.FORMAT_VERSION}»; файл прочитан как версия "
                                       f"{wf.FORMAT_VERSION}", **bad))
    meta = wf.WorkbookMeta(
        kind=kind,
        school_year=values.get(wf.META_SCHOOL_YEAR, ""),
        class_name=values.get(wf.META_CLASS, ""),
        subject=values.get(wf.META_SUBJECT, ""),
        group=values.get(wf.META_GROUP, ""),
        teacher=values.get(wf.META_TEACHER, ""),
        format_version=version or wf.FORMAT_VERSION,
        created=values.get(wf.META_CREATED, ""),
    )
    if kind != wf.KIND_SETTINGS and (not meta.class_name or (kind == wf.KIND_SUBJECT and not meta.subject)):
        result.findings.append(error(R_BAD_META, f"служебный лист «{wf.META_SHEET}» повреждён: не указан "
                                     "класс или предмет. Возьмите бланк, созданный программой", **bad))
        return None
    return meta


def _area(names: dict[str, list[_Name]], name: str, reader: _SheetReader, result: ReadResult,
          where: dict[str, str], required: bool = True) -> Area | None:
    found = names.get(name.lower(), [])
    if not found:
        if required:
            result.findings.append(error(R_MISSING_NAME, f"в файле нет именованного диапазона «{name}»: "
                                         "структура журнала нарушена. Возьмите новый бланк "
                                         "у ответственного за ЭЖ и перенесите данные", **where))
        return None
    areas = {_parse_ref(n.text) for n in found}
    if len(areas) > 1 or None in areas:
        text = "; ".join(sorted({n.text for n in found}))
        result.findings.append(error(R_BAD_NAME, f"именованный диапазон «{name}» указывает не туда "
                                     f"({text}): возможно, удалены строки, столбцы или лист. Возьмите "
                                     "новый бланк у ответственного за ЭЖ и перенесите данные", **where))
        return None
    area = areas.pop()
    assert area is not None
    if area.sheet not in reader.sheets:
        result.findings.append(error(R_BAD_NAME, f"именованный диапазон «{name}» указывает на лист "
                                     f"«{area.sheet}», которого нет в файле", **where))
        return None
    return area


def _parse_ref(text: str) -> Area | None:
    m = _REF.match(text.lstrip("="))
    if m is None:
        return None
    sheet = m.group("q").replace("''", "'") if m.group("q") is not None else m.group("u")
    c1 = column_index_from_string(m.group("c1").upper())
    r1 = int(m.group("r1"))
    c2 = column_index_from_string(m.group("c2").upper()) if m.group("c2") else c1
    r2 = int(m.group("r2")) if m.group("r2") else r1
    return Area(sheet.strip(), min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


# ---------------------------------------------------------------------------
# Subject and class workbooks
# ---------------------------------------------------------------------------


def _read_subject(result: ReadResult, meta: wf.WorkbookMeta, names: dict[str, list[_Name]],
                  reader: _SheetReader, where: dict[str, str]) -> RawSubjectWorkbook | None:
    areas = {n: _area(names, n, reader, result, where)
             for n in (wf.NAME_STUDENTS, wf.NAME_DATES, wf.NAME_KINDS, wf.NAME_MARKS, wf.NAME_LOG)}
    finals_area = _area(names, wf.NAME_FINALS, reader, result, where, required=False)
    students_a, dates_a, kinds_a, marks_a = (areas[wf.NAME_STUDENTS], areas[wf.NAME_DATES],
                                             areas[wf.NAME_KINDS], areas[wf.NAME_MARKS])
    if students_a is None or dates_a is None or kinds_a is None or marks_a is None:
        return None
    problems = []
    if students_a.n_cols != 1:
        problems.append(f"«{wf.NAME_STUDENTS}» должен быть одним столбцом")
    if dates_a.n_rows != 1 or kinds_a.n_rows != 1:
        problems.append(f"«{wf.NAME_DATES}» и «{wf.NAME_KINDS}» должны быть одной строкой")
    if marks_a.sheet != students_a.sheet or marks_a.sheet != dates_a.sheet or marks_a.sheet != kinds_a.sheet:
        problems.append("ученики, даты, виды работ и отметки должны быть на одном листе")
    if (students_a.min_row, students_a.max_row) != (marks_a.min_row, marks_a.max_row):
        problems.append(f"строки «{wf.NAME_STUDENTS}» ({students_a.ref()}) не совпадают со строками "
                        f"«{wf.NAME_MARKS}» ({marks_a.ref()})")
    for other in (dates_a, kinds_a):
        if (other.min_col, other.max_col) != (marks_a.min_col, marks_a.max_col):
            problems.append(f"столбцы {other.ref()} не совпадают со столбцами «{wf.NAME_MARKS}» "
                            f"({marks_a.ref()})")
    if problems:
        result.findings.append(error(R_BAD_NAME, "структура листа с отметками нарушена: "
                                     + "; ".join(problems) + ". Возьмите новый бланк у ответственного за ЭЖ "
                                     "и перенесите данные", **where))
        return None
    sheet = marks_a.sheet
    values = reader.values(sheet)
    students = [RawCell(_addr(r, students_a.min_col), _at(values, r, students_a.min_col))
                for r in range(students_a.min_row, students_a.max_row + 1)]
    dates = _row_cells(values, dates_a.min_row, dates_a.min_col, dates_a.max_col)
    kinds = _row_cells(values, kinds_a.min_row, kinds_a.min_col, kinds_a.max_col)
    marks = []
    for r in range(marks_a.min_row, marks_a.max_row + 1):
        line = values[r - 1] if r - 1 < len(values) else []
        segment = line[marks_a.min_col - 1:marks_a.max_col]
        row = [blank_to_none(v) for v in segment]
        row.extend([None] * (marks_a.n_cols - len(row)))
        marks.append(row)
    log = _table(areas[wf.NAME_LOG], wf.NAME_LOG, wf.LOG_COLUMNS, reader, result, where) \
        if areas[wf.NAME_LOG] is not None else None
    finals = _table(finals_area, wf.NAME_FINALS, (wf.FINALS_NAME_COLUMN,), reader, result, where) \
        if finals_area is not None else None
    workbook = RawSubjectWorkbook(path=result.path, meta=meta, sheet=sheet, students=students, dates=dates,
                                  kinds=kinds, marks=marks, marks_area=marks_a, log=log, finals=finals)
    workbook.row_keys = _row_keys(names, reader, result, students_a, values)
    workbook.messages = _optional_table(names, wf.NAME_MESSAGES, (wf.MESSAGE_DATE, wf.MESSAGE_TO,
                                                                 wf.MESSAGE_TEXT), reader, result, where)
    by_sheet: dict[str, list[Area]] = {}
    for a in (students_a, dates_a, kinds_a, marks_a,
              *(t.area for t in (log, finals, workbook.messages) if t is not None)):
        by_sheet.setdefault(a.sheet, []).append(a)
    _merged_findings(by_sheet, reader, result, where)
    workbook.formulas = _formula_findings(by_sheet, reader, result, where)
    return workbook


def _row_keys(names: dict[str, list[_Name]], reader: _SheetReader, result: ReadResult,
              students_a: Area, values: list[list[object]]) -> list[str | None]:
    """The student each grid row was built for: roster[«№» − 1]; [] for an older workbook.

    The «№» column moves with its row when whole rows are sorted and stays put when only
    the names are, so a name that differs from its row's student betrays the latter.
    """
    roster = [line.strip() for line in result.meta_values.get(wf.META_ROSTER, "").split("|")]
    found = names.get(wf.NAME_ROW_NUMBERS.lower(), [])
    area = _parse_ref(found[0].text) if len(found) == 1 else None
    if not roster or not any(roster) or area is None or area.sheet != students_a.sheet \
            or (area.min_row, area.max_row) != (students_a.min_row, students_a.max_row):
        return []
    keys: list[str | None] = []
    for r in range(area.min_row, area.max_row + 1):
        number = _at(values, r, area.min_col)
        index = int(number) - 1 if isinstance(number, (int, float)) and float(number).is_integer() \
            else -1
        keys.append(roster[index] if 0 <= index < len(roster) and roster[index] else None)
    return keys


def _read_class(result: ReadResult, meta: wf.WorkbookMeta, names: dict[str, list[_Name]],
                reader: _SheetReader, where: dict[str, str]) -> RawClassWorkbook | None:
    tables: dict[str, RawTable | None] = {}
    for name, required in ((wf.NAME_CLASS_STUDENTS, (wf.STUDENT_NAME,)),
                           (wf.NAME_PARENTS, (wf.PARENT_STUDENT, wf.PARENT_NAME)),
                           (wf.NAME_REASONS, (wf.REASON_STUDENT, wf.REASON_FROM, wf.REASON_CODE)),
                           (wf.NAME_NOTES, (wf.NOTE_STUDENT, wf.NOTE_TEXT))):
        area = _area(names, name, reader, result, where)
        tables[name] = _table(area, name, required, reader, result, where) if area is not None else None
    if tables[wf.NAME_CLASS_STUDENTS] is None:
        return None
    workbook = RawClassWorkbook(path=result.path, meta=meta, students=tables[wf.NAME_CLASS_STUDENTS],
                                parents=tables[wf.NAME_PARENTS], reasons=tables[wf.NAME_REASONS],
                                notes=tables[wf.NAME_NOTES])
    workbook.events = _optional_table(names, wf.NAME_CLASS_EVENTS, wf.EVENT_COLUMNS, reader, result, where)
    workbook.messages = _optional_table(names, wf.NAME_MESSAGES, wf.MESSAGE_COLUMNS, reader, result, where)
    by_sheet: dict[str, list[Area]] = {}
    for t in (*tables.values(), workbook.events, workbook.messages):
        if t is not None:
            by_sheet.setdefault(t.area.sheet, []).append(t.area)
    _merged_findings(by_sheet, reader, result, where)
    workbook.formulas = _formula_findings(by_sheet, reader, result, where)
    return workbook


def _optional_table(names: dict[str, list[_Name]], name: str, required: tuple[str, ...],
                    reader: _SheetReader, result: ReadResult, where: dict[str, str]) -> RawTable | None:
    """A table that workbooks made before it lack: None, with no finding, when its name is absent."""
    area = _area(names, name, reader, result, where, required=False)
    return _table(area, name, required, reader, result, where) if area is not None else None


def _table(area: Area | None, name: str, required: tuple[str, ...], reader: _SheetReader, result: ReadResult,
           where: dict[str, str]) -> RawTable | None:
    if area is None:
        return None
    values = reader.values(area.sheet)
    header = _row_cells(values, area.min_row, area.min_col, area.max_col)
    rows = [_row_cells(values, r, area.min_col, area.max_col)
            for r in range(area.min_row + 1, area.max_row + 1)]
    columns: dict[str, int] = {}
    for k, cell in enumerate(header):
        key = name_key(cell_text(cell.value))
        if key and key not in columns:
            columns[key] = k
    table = RawTable(area=area, header=header, rows=rows, columns=columns)
    missing = [c for c in required if table.column(c) is None]
    if missing:
        result.findings.append(error(
            R_MISSING_COLUMN, f"на листе «{area.sheet}» в строке заголовка ({area.ref()}) нет столбца "
            f"«{missing[0]}»: его заголовок стёрт или изменён, и записи этого столбца не читаются. "
            "Верните заголовок столбца как в бланке",
            sheet=area.sheet, cell=header[0].address if header else "", **where))
        return None
    return table


def _formula_findings(by_sheet: dict[str, list[Area]], reader: _SheetReader, result: ReadResult,
                      where: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for sheet, areas in by_sheet.items():
        for address in reader.formulas(sheet, areas):
            row, col = _split_address(address)
            value = reader.value(sheet, row, col)
            found.append((sheet, address))
            if value is None:
                result.findings.append(error(
                    R_FORMULA, "в ячейке формула без вычисленного значения — её значение потеряно. "
                    "Введите в ячейку само значение вместо формулы", sheet=sheet, cell=address, **where))
            else:
                result.findings.append(warning(
                    R_FORMULA, f"в ячейке формула; взято её значение «{value}». Лучше ввести значение "
                    "вместо формулы", sheet=sheet, cell=address, **where))
    return found


def _merged_findings(by_sheet: dict[str, list[Area]], reader: _SheetReader, result: ReadResult,
                     where: dict[str, str]) -> None:
    """An error for each merged range over an input area: the cells under it read as empty."""
    for sheet, areas in by_sheet.items():
        for merged in reader.merged(sheet, areas):
            first = _addr(merged.min_row, merged.min_col)
            span = f"{first}:{_addr(merged.max_row, merged.max_col)}"
            result.findings.append(error(
                R_MERGED, f"ячейки {span} объединены: из них читается только первая, а записи "
                "остальных пропали бы из общей базы. Снимите объединение ячеек (Главная → "
                "«Объединить и поместить в центр») и проверьте записи в этих ячейках",
                sheet=sheet, cell=first, **where))


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def _at(values: list[list[object]], row: int, col: int) -> object:
    if row - 1 < len(values):
        line = values[row - 1]
        if col - 1 < len(line):
            return blank_to_none(line[col - 1])
    return None


def _row_cells(values: list[list[Any]], row: int, min_col: int, max_col: int) -> list[RawCell]:
    """The cells of one row from ``min_col`` to ``max_col`` (1-based), empty ones as None."""
    line = values[row - 1] if row - 1 < len(values) else []
    segment = line[min_col - 1:max_col]
    letters = _letters(min_col, max_col)
    suffix = str(row)
    return [RawCell(letters[k] + suffix, blank_to_none(segment[k]) if k < len(segment) else None)
            for k in range(max_col - min_col + 1)]


@lru_cache(maxsize=256)
def _letters(min_col: int, max_col: int) -> tuple[str, ...]:
    """The column letters from ``min_col`` to ``max_col`` (1-based): «C», «D», … «FK»."""
    return tuple(get_column_letter(c) for c in range(min_col, max_col + 1))


def _addr(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _split_address(address: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", address)
    assert m is not None
    return int(m.group(2)), column_index_from_string(m.group(1))
