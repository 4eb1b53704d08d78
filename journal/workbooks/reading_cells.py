"""Reading a subject or class workbook: its ``_meta``, the areas of its defined names and their
values through python-calamine, with findings for missing names, formulas and merged cells."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from journal.core.findings import error, warning
from journal.core.text import blank_to_none, cell_text, name_key
from journal.workbooks import format as wf
from journal.workbooks.raw_workbook import (
    MAX_COLUMNS,
    MAX_ROWS,
    R_BAD_META,
    R_BAD_NAME,
    R_BROKEN,
    R_FORMULA,
    R_MERGED,
    R_MISSING_COLUMN,
    R_MISSING_NAME,
    R_NO_META,
    R_TOO_LARGE,
    R_UNREADABLE,
    Area,
    Cell,
    RawClassWorkbook,
    RawSubjectWorkbook,
    RawTable,
    ReadResult,
    Refused,
    addr,
    column_letter_range,
    split_address,
)
from journal.workbooks.screening import beyond_usual
from journal.workbooks.workbook_package import (
    FAR_REF,
    FORMULA_CELL,
    MERGE_CELL,
    Name,
    Sheet,
    open_package,
    overlap,
    parse_ref,
    workbook_parts,
)


def read_workbook(path: str | Path, *, extent_screened: bool = False) -> ReadResult:
    """Read a subject or class workbook; never raises for a bad file.

    ``extent_screened``: the caller screened these very bytes
    (:func:`journal.workbooks.screening.screen` with limits no looser than :data:`MAX_ROWS`
    and :data:`MAX_COLUMNS`, and compares the screened hash with the result's), so the
    reader's own check for data far beyond the journal's tables is skipped.

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
        _read_into(result, data, check_extent=not extent_screened)
    except Refused as refused:
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
        package = open_package(data, where)
        sheets, _names = workbook_parts(package, where)
        meta_sheet = next((s for s in sheets.values() if s.name == wf.META_SHEET), None)
        if meta_sheet is not None:
            reader = _SheetReader(package, data, sheets, where)
            result.meta = _read_meta(reader.values(wf.META_SHEET), result, where)
    except Exception:  # the whole read names what is wrong
        result.meta = None
    result.findings.clear()
    return result


def _read_into(result: ReadResult, data: bytes, *, check_extent: bool = True) -> None:
    where = {"file": str(result.path)}
    package = open_package(data, where)
    sheets, names = workbook_parts(package, where)
    meta_sheet = next((s for s in sheets.values() if s.name == wf.META_SHEET), None)
    if meta_sheet is None:
        raise Refused(error(R_NO_META, "это не файл электронного журнала: нет служебного листа "
                            f"«{wf.META_SHEET}». Возьмите бланк, созданный программой "
                            "(его готовит ответственный за ЭЖ), и перенесите данные в него", **where))
    reader = _SheetReader(package, data, sheets, where, check_extent=check_extent)
    meta = _read_meta(reader.values(wf.META_SHEET), result, where)
    if meta is None:
        return
    result.meta = meta
    where["teacher"] = meta.teacher
    if meta.kind == wf.KIND_SUBJECT:
        result.workbook = _read_subject(result, meta, names, reader, where)
    elif meta.kind == wf.KIND_CLASS:
        result.workbook = _read_class(result, meta, names, reader, where)


class _SheetReader:
    """Sheet values through calamine, loaded once per sheet, after a size check of the sheet XML."""

    def __init__(self, package: zipfile.ZipFile, data: bytes, sheets: dict[str, Sheet],
                 where: dict[str, str], *, check_extent: bool = True) -> None:
        self.package = package
        self.sheets = sheets
        self.where = where
        self.check_extent = check_extent
        self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        self._values: dict[str, list[list[Any]]] = {}
        self._xml: dict[str, bytes] = {}

    def xml(self, sheet: str) -> bytes:
        if sheet not in self._xml:
            part = self.sheets[sheet].part
            try:
                self._xml[sheet] = self.package.read(part)
            except KeyError as exc:
                raise Refused(error(R_BROKEN, f"файл повреждён: нет данных листа «{sheet}»",
                                    **self.where)) from exc
        return self._xml[sheet]

    def values(self, sheet: str) -> list[list[object]]:
        if sheet not in self._values:
            if self.check_extent:
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
        if not beyond_usual(xml):
            return
        far = ""
        for m in FAR_REF.finditer(xml):
            row, col = split_address(m.group(1).decode())
            if col > MAX_COLUMNS or row > MAX_ROWS:
                far = m.group(1).decode()
                break
        if far:
            raise Refused(error(
                R_TOO_LARGE, f"на листе «{sheet}» есть данные далеко за пределами журнала (ячейка {far}). "
                "Удалите эту ячейку (или лишние строки и столбцы) и сохраните файл",
                sheet=sheet, cell=far, **self.where))

    def formulas(self, sheet: str, areas: list[Area]) -> list[str]:
        """Addresses of cells with a formula inside ``areas`` of ``sheet``."""
        xml = self.xml(sheet)
        if not _mentions_formula(xml):
            return []
        found = []
        for m in FORMULA_CELL.finditer(xml):
            address = m.group(1).decode()
            row, col = split_address(address)
            if any(a.contains(row, col) for a in areas):
                found.append(address)
        return found

    def merged(self, sheet: str, areas: list[Area]) -> list[Area]:
        """Merged ranges of ``sheet`` that overlap any of ``areas``."""
        xml = self.xml(sheet)
        if b"mergeCell" not in xml:
            return []
        found = []
        for m in MERGE_CELL.finditer(xml):
            merged = parse_ref(f"'{sheet}'!" + m.group(1).decode())
            if merged is not None and any(overlap(merged, a) for a in areas):
                found.append(merged)
        return found


_FORMULA_OPENINGS = (b"<f>", b"<f ", b"<f/>")


def _mentions_formula(xml: bytes) -> bool:
    """Whether sheet XML holds an element ``f`` (a formula): found through its letter, which
    the XML of a sheet without formulas holds a few dozen times (at memchr speed), rather than
    through «<», which opens every cell."""
    if xml.count(b"f") > 1_000:
        return any(opening in xml for opening in _FORMULA_OPENINGS)
    at = xml.find(b"f")
    while at >= 0:
        if at and xml.startswith(_FORMULA_OPENINGS, at - 1):
            return True
        at = xml.find(b"f", at + 1)
    return False


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


def _area(names: dict[str, list[Name]], name: str, reader: _SheetReader, result: ReadResult,
          where: dict[str, str], required: bool = True) -> Area | None:
    found = names.get(name.lower(), [])
    if not found:
        if required:
            result.findings.append(error(R_MISSING_NAME, f"в файле нет именованного диапазона «{name}»: "
                                         "структура журнала нарушена. Возьмите новый бланк "
                                         "у ответственного за ЭЖ и перенесите данные", **where))
        return None
    areas = {parse_ref(n.text) for n in found}
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


def _read_subject(result: ReadResult, meta: wf.WorkbookMeta, names: dict[str, list[Name]],
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
    students = [Cell(_at(values, r, students_a.min_col), addr(r, students_a.min_col))
                for r in range(students_a.min_row, students_a.max_row + 1)]
    dates = _row_cells(values, dates_a.min_row, dates_a.min_col, dates_a.max_col)
    kinds = _row_cells(values, kinds_a.min_row, kinds_a.min_col, kinds_a.max_col)
    marks = []
    for r in range(marks_a.min_row, marks_a.max_row + 1):
        line = values[r - 1] if r - 1 < len(values) else []
        segment = line[marks_a.min_col - 1:marks_a.max_col]
        row = [None if v == "" else v for v in segment]  # calamine reads an empty cell as ''
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


def _row_keys(names: dict[str, list[Name]], reader: _SheetReader, result: ReadResult,
              students_a: Area, values: list[list[object]]) -> list[str | None]:
    """The student each grid row was built for: roster[«№» − 1]; [] for an older workbook.

    The «№» column moves with its row when whole rows are sorted and stays put when only
    the names are, so a name that differs from its row's student betrays the latter.
    """
    roster = [line.strip() for line in result.meta_values.get(wf.META_ROSTER, "").split("|")]
    found = names.get(wf.NAME_ROW_NUMBERS.lower(), [])
    area = parse_ref(found[0].text) if len(found) == 1 else None
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


def _read_class(result: ReadResult, meta: wf.WorkbookMeta, names: dict[str, list[Name]],
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


def _optional_table(names: dict[str, list[Name]], name: str, required: tuple[str, ...],
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
            sheet=area.sheet, cell=header[0].cell if header else "", **where))
        return None
    return table


def _formula_findings(by_sheet: dict[str, list[Area]], reader: _SheetReader, result: ReadResult,
                      where: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for sheet, areas in by_sheet.items():
        for address in reader.formulas(sheet, areas):
            row, col = split_address(address)
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
            first = addr(merged.min_row, merged.min_col)
            span = f"{first}:{addr(merged.max_row, merged.max_col)}"
            result.findings.append(error(
                R_MERGED, f"ячейки {span} объединены: из них читается только первая, а записи "
                "остальных пропали бы из общей базы. Снимите объединение ячеек (Главная → "
                "«Объединить и поместить в центр») и проверьте записи в этих ячейках",
                sheet=sheet, cell=first, **where))


_cell = tuple.__new__  # builds a Cell without the NamedTuple's keyword-checking __new__


def _at(values: list[list[object]], row: int, col: int) -> object:
    if row - 1 < len(values):
        line = values[row - 1]
        if col - 1 < len(line):
            return blank_to_none(line[col - 1])
    return None


def _row_cells(values: list[list[Any]], row: int, min_col: int, max_col: int) -> list[Cell]:
    """The cells of one row from ``min_col`` to ``max_col`` (1-based), empty ones as None."""
    line = values[row - 1] if row - 1 < len(values) else []
    segment = line[min_col - 1:max_col]
    letters = column_letter_range(min_col, max_col)
    suffix = str(row)
    cells = [_cell(Cell, (None if value == "" else value, letter + suffix))
             for letter, value in zip(letters, segment, strict=False)]
    if len(cells) < len(letters):
        cells += [_cell(Cell, (None, letter + suffix)) for letter in letters[len(cells):]]
    return cells
