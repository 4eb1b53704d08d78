"""Cheap checks of a teacher's file before any spreadsheet library parses it.

A parser should only ever see a file that is an Excel ``.xlsx`` package of a sane
size. :func:`prescreen` looks at the file's bytes, its zip directory and its XML
parts as streams (a few milliseconds for an ordinary workbook) and returns a
finding for each reason not to parse it:

* an empty file, random bytes, a CSV or HTML file, an ``.xls`` (OLE2), an ``.ods``
  or a Word document saved under the name ``.xlsx``, a password-protected workbook;
* a zip that ends early (a half-copied file) or whose data is damaged;
* a zip bomb: too many parts, declared sizes or compression ratios beyond sense;
* an XML part with a DOCTYPE or ENTITY declaration (entity expansion, external entities);
* a sheet whose ``<dimension>`` or cell references reach far beyond any journal
  (one stray value in XFD1048576 makes python-calamine try to allocate 512 GiB and
  abort the whole process), or that holds an absurd number of rows or cells;
* an Excel lock file (``~$…``), a path that leaves its folder, an odd file name;
* a file that changes while it is being read.

Finding codes ``R01``–``R29`` are reading problems of the file as a whole; every
one of them rejects the file, except the warning ``R15`` (a sheet's ``<dimension>``
understates its data, which our reader handles).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from journal.core.findings import Finding, error, has_errors, warning

# Finding codes (titles and advice in journal/core/catalogue.py)
EMPTY = "R01"
NOT_XLSX = "R02"
TRUNCATED = "R03"
XLS = "R04"
ODS = "R05"
CSV = "R06"
ENCRYPTED = "R07"
TOO_MANY_PARTS = "R08"
ZIP_BOMB = "R09"
XML_ENTITIES = "R10"
SHEET_TOO_LARGE = "R11"
LOCK_FILE = "R12"
BAD_PATH = "R13"
CHANGED = "R14"
DIMENSION_UNDERSTATED = "R15"
CORRUPT = "R16"
NO_WORKBOOK_PART = "R17"
FILE_TOO_LARGE = "R18"
UNREADABLE = "R19"
HTML = "R20"
WORD = "R21"
PARSER_CRASHED = "R22"
PARSER_TIMEOUT = "R23"
PARSER_FAILED = "R24"
FOREIGN_FORMAT = "R25"  # a file in another format than a workbook .xlsx, named by its extension

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# What a file found among the workbooks is, by its extension (the content decides for the rest)
FORMATS_RU = {
    ".xlsb": "двоичная книга Excel",
    ".xls": "книга Excel 97–2003",
    ".xlt": "шаблон Excel 97–2003",
    ".xltx": "шаблон Excel",
    ".ods": "таблица LibreOffice/OpenOffice",
    ".fods": "таблица LibreOffice/OpenOffice",
    ".numbers": "таблица Numbers",
    ".csv": "текстовая таблица CSV",
    ".txt": "текстовый файл",
    ".pdf": "документ PDF",
    ".doc": "документ Word 97–2003",
    ".docx": "документ Word",
    ".odt": "текстовый документ LibreOffice",
    ".rtf": "документ RTF",
    ".htm": "веб-страница",
    ".html": "веб-страница",
    ".xml": "файл XML",
    ".zip": "zip-архив",
    ".rar": "архив RAR",
    ".7z": "архив 7-Zip",
    ".jpg": "фотография",
    ".jpeg": "фотография",
    ".png": "картинка",
    ".heic": "фотография",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_LOCAL = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_RESAVE = "Откройте файл в Excel (или LibreOffice Calc) и сохраните его как «Книга Excel (.xlsx)»."
_RECOPY = "Скопируйте файл в папку заново целиком (или попросите учителя прислать его ещё раз)."


@dataclass(frozen=True)
class Limits:
    """What a journal workbook never exceeds; anything beyond is refused before parsing."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_parts: int = 2_000
    max_part_bytes: int = 100 * 1024 * 1024  # declared uncompressed size of one part
    max_total_bytes: int = 250 * 1024 * 1024  # declared uncompressed size of all parts
    max_ratio: int = 400  # uncompressed / compressed, for parts above ratio_floor
    ratio_floor: int = 4 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 2_000
    max_area: int = 5_000_000  # rows × columns of a sheet's used range
    max_cells: int = 1_000_000  # <c> elements in one sheet


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Fingerprint:
    """Size, modification time and SHA-256 of a file as it was screened."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        """The fingerprint of a file now (reads the whole file)."""
        info = path.stat()
        return cls(info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())


@dataclass
class Screening:
    """What :func:`screen` found: the findings and the file's fingerprint (None if unreadable)."""

    findings: list[Finding] = field(default_factory=list)
    fingerprint: Fingerprint | None = None

    @property
    def ok(self) -> bool:
        """True when the file may be handed to a parser."""
        return not has_errors(self.findings)


def prescreen(path: str | Path, *, root: str | Path | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """Findings that forbid (errors) or qualify (warnings) parsing the file; [] for a sane xlsx.

    ``root`` is the school folder: a path that resolves outside it is refused.
    Never raises for anything the file contains.
    """
    return screen(path, root=root, limits=limits).findings


def screen(path: str | Path, *, root: str | Path | None = None,
           limits: Limits = DEFAULT_LIMITS) -> Screening:
    """Like :func:`prescreen`, and also the fingerprint that :func:`changed_since` compares."""
    path = Path(path)
    result = Screening()
    name = display_name(path, root)
    result.findings.extend(_check_path(path, root, name))
    if any(f.code == LOCK_FILE for f in result.findings):
        return result
    if path.suffix.lower() not in (*WORKBOOK_SUFFIXES, ".xls", ".ods") and path.is_file():
        result.findings.append(foreign_format_finding(path.suffix, name))
        return result
    try:
        before = path.stat()
        if not stat.S_ISREG(before.st_mode):
            result.findings.append(error(
                NOT_XLSX, "Это не обычный файл (папка или устройство). Положите сюда файл книги .xlsx.",
                file=name))
            return result
        if before.st_size > limits.max_file_bytes:
            result.findings.append(error(
                FILE_TOO_LARGE,
                f"Файл слишком большой ({before.st_size // (1024 * 1024)} МБ); книга журнала "
                f"занимает меньше 1 МБ. Удалите лишние листы, картинки и строки ниже таблиц "
                f"или возьмите чистый шаблон и перенесите в него отметки.", file=name))
            return result
        data = path.read_bytes()
        after = path.stat()
    except PermissionError:
        result.findings.append(error(
            UNREADABLE, "Файл нельзя прочитать: он открыт в Excel на другом компьютере или нет прав "
            "на чтение. Закройте файл в Excel и повторите сборку.", file=name))
        return result
    except OSError as exc:
        result.findings.append(error(
            UNREADABLE, f"Файл не удалось прочитать ({exc.strerror or exc}). {_RECOPY}", file=name))
        return result
    result.fingerprint = Fingerprint(len(data), after.st_mtime_ns, hashlib.sha256(data).hexdigest())
    moved = (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)
    if moved or len(data) != after.st_size:
        result.findings.append(_changed_finding(name))
        return result
    result.findings.extend(screen_bytes(data, name, limits))
    return result


def foreign_format_finding(suffix: str, name: str) -> Finding:
    """``R25``: a file that is not a workbook by its extension, with the format named."""
    suffix = suffix.lower()
    if not suffix:
        what = "без расширения в имени"
    else:
        kind = FORMATS_RU.get(suffix)
        what = f"в формате {suffix} ({kind})" if kind else f"в формате {suffix}"
    return error(FOREIGN_FORMAT, f"Файл сохранён {what}, а это не книга журнала: сбор журналов "
                 "его не читает, и данные из него в общую базу не попадут. Если это журнал, "
                 "откройте его в Excel или LibreOffice Calc и сохраните как «Книга Excel "
                 "(.xlsx)»; если файл попал сюда случайно, уберите его из папки.", file=name)


def changed_since(path: str | Path, fingerprint: Fingerprint, *, sha256: str | None = None,
                  file: str = "") -> Finding | None:
    """A finding when the file is not what was screened (size, time, or the parser's hash)."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        return _changed_finding(file or path.name)
    moved = (info.st_size, info.st_mtime_ns) != (fingerprint.size, fingerprint.mtime_ns)
    if moved or (sha256 is not None and sha256 != fingerprint.sha256):
        return _changed_finding(file or path.name)
    return None


def _changed_finding(name: str) -> Finding:
    return error(CHANGED, "Файл изменился, пока программа его читала (его ещё копируют или "
                 "сохраняют). Дождитесь окончания копирования или закройте файл в Excel и "
                 "повторите сборку.", file=name)


def display_name(path: Path, root: str | Path | None) -> str:
    """The file as findings name it: relative to the school folder when given, else its name."""
    if root is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return path.name


_ODD_NAME = re.compile(r"[\x00-\x1f\x7f]")


def _check_path(path: Path, root: str | Path | None, name: str) -> list[Finding]:
    if path.name.startswith("~$"):
        return [error(LOCK_FILE, "Это служебный файл Excel («~$…»): он появляется, пока книга открыта. "
                      "Закройте книгу в Excel; если файл остался, удалите его.", file=name)]
    findings = []
    if ".." in path.parts:
        findings.append(error(BAD_PATH, "Путь к файлу содержит «..» (выход в другую папку). "
                              "Положите книгу прямо в папку школы.", file=name))
    elif root is not None:
        real, base = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, base]) != base:
            findings.append(error(BAD_PATH, "Файл — ссылка на место вне папки школы. "
                                  "Скопируйте саму книгу в папку школы.", file=name))
    if _ODD_NAME.search(path.name) or len(path.name.encode("utf-8", "surrogateescape")) > 240:
        findings.append(error(BAD_PATH, "Имя файла содержит служебные символы или слишком длинное. "
                              "Переименуйте файл, например «5А — Математика.xlsx».",
                              file=name.encode("utf-8", "replace").decode("utf-8", "replace")))
    return findings


def screen_bytes(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """The checks of :func:`prescreen` on a file's content already in memory."""
    if not data:
        return [error(EMPTY, f"Файл пустой (0 байт). {_RECOPY}", file=name)]
    if data.startswith(OLE2_MAGIC):
        return [_ole2_finding(data, name)]
    if not data.startswith((ZIP_LOCAL, ZIP_EMPTY)):
        return [_not_zip_finding(data, name)]
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError):
        return [error(TRUNCATED, "Файл обрывается на середине: похоже, он скопирован не полностью "
                      f"или повреждён. {_RECOPY}", file=name)]
    with archive:
        return _check_package(archive, name, limits)


def _ole2_finding(data: bytes, name: str) -> Finding:
    if "EncryptedPackage".encode("utf-16-le") in data:
        return error(ENCRYPTED, "Книга защищена паролем на открытие, программа не может её прочитать. "
                     "Откройте её в Excel, снимите пароль (Файл → Сведения → Защитить книгу → "
                     "Зашифровать с использованием пароля → пустой пароль) и сохраните.", file=name)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return error(XLS, "Файл сохранён в формате .xls; сохраните его как .xlsx "
                     "(Файл → Сохранить как → «Книга Excel (.xlsx)»).", file=name)
    return error(XLS, "Файл сохранён в старом формате Office (.xls или .doc), а не .xlsx. " + _RESAVE,
                 file=name)


def _not_zip_finding(data: bytes, name: str) -> Finding:
    head = data[:4096]
    text = _as_text(head)
    if text is not None:
        stripped = text.lstrip("\ufeff \t\r\n").lower()
        if stripped.startswith(("<", "<?xml", "<!doctype", "<html")):
            return error(HTML, "Файл — веб-страница или XML, а не книга .xlsx. " + _RESAVE, file=name)
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and any(sep in lines[0] for sep in (";", ",", "\t")):
            return error(CSV, "Файл — текстовая таблица CSV, переименованная в .xlsx. "
                         "Откройте её в Excel и сохраните как «Книга Excel (.xlsx)», а лучше "
                         "перенесите данные в шаблон журнала.", file=name)
        return error(NOT_XLSX, "Файл — обычный текст, а не книга Excel. " + _RESAVE, file=name)
    return error(NOT_XLSX, "Файл не является книгой Excel (.xlsx): его содержимое не распознано. "
                 f"Возможно, он повреждён. {_RECOPY}", file=name)


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1251":
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
            if printable < 0.97 * len(text):
                return None
        return text
    return None


_SHEET_PART = re.compile(r"^xl/(worksheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)


def _check_package(archive: zipfile.ZipFile, name: str, limits: Limits) -> list[Finding]:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > limits.max_parts:
        return [error(TOO_MANY_PARTS, f"Внутри файла {len(infos)} частей; у книги журнала их около "
                      "двадцати. Файл не похож на книгу журнала: возьмите чистый шаблон.", file=name)]
    total = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if (info.file_size > limits.max_part_bytes or total > limits.max_total_bytes
                or (info.file_size > limits.ratio_floor and ratio > limits.max_ratio)):
            return [error(ZIP_BOMB, "Файл распаковывается в огромный объём данных "
                          f"({total // (1024 * 1024)} МБ) — это не книга журнала или она повреждена. "
                          "Программа не стала его читать. Возьмите чистый шаблон и перенесите отметки.",
                          file=name)]
    if "mimetype" in names and _head(archive, "mimetype").strip().startswith(ODS_MIMETYPE):
        return [error(ODS, "Файл сохранён в формате .ods (LibreOffice/OpenOffice); сохраните его как "
                      ".xlsx (Файл → Сохранить как → «Книга Excel 2007–365 (.xlsx)»).", file=name)]
    if "content.xml" in names and "xl/workbook.xml" not in names:
        return [error(ODS, "Файл сохранён в формате OpenDocument, а не .xlsx. " + _RESAVE, file=name)]
    if "word/document.xml" in names:
        return [error(WORD, "Это документ Word, а не книга Excel. Положите сюда книгу журнала .xlsx.",
                      file=name)]
    if "xl/workbook.bin" in names:
        return [foreign_format_finding(".xlsb", name)]
    if "xl/workbook.xml" not in names:
        return [error(NO_WORKBOOK_PART, "Файл — zip-архив, но не книга Excel (.xlsx). " + _RESAVE,
                      file=name)]
    findings: list[Finding] = []
    for info in infos:
        lower = info.filename.lower()
        if not lower.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            part_findings = _scan_part(archive, info, name, limits,
                                       is_sheet=bool(_SHEET_PART.match(info.filename)))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            return [error(CORRUPT, f"Файл повреждён: часть «{info.filename}» не читается. {_RECOPY}",
                          file=name)]
        if part_findings:
            sheet = sheet_names(archive).get(info.filename, "")
            part_findings = [replace(f, sheet=sheet) if f.sheet else f for f in part_findings]
        findings.extend(part_findings)
        if has_errors(findings):
            return findings
    return findings


def _head(archive: zipfile.ZipFile, member: str, size: int = 4096) -> bytes:
    with archive.open(member) as stream:
        return stream.read(size)


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*?>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name as the user sees it ({} when the package does not say)."""
    try:
        workbook = _head(archive, "xl/workbook.xml", 1 << 20)
        rels = _head(archive, "xl/_rels/workbook.xml.rels", 1 << 20)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*?>", rels):
        attrs = dict(_ATTRIBUTE.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    names = {}
    for tag in _SHEET_ENTRY.findall(workbook):
        attrs = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(tag)}
        part = targets.get(attrs.get(b"id", b""))
        if part:
            names[part] = _unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
    return names


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z$]+\$?\d+)(?::([A-Za-z$]+\$?\d+))?\"")
# In sheet XML only <c> and <row> carry an attribute named exactly «r».
CELL_REF = re.compile(rb"\sr=\"\$?([A-Za-z]{0,3})\$?(\d{1,9})\"")
# A reference beyond column ZZ or row 999 (a literal start: the scan runs at memchr speed): a
# journal sheet has none, so a window without one takes its extent from its rows (usual_extent).
_FAR_SCREEN = re.compile(rb'r="\$?(?:[A-Za-z]{3}|[A-Za-z]{0,2}\$?\d{4})')
_ROW_REF = re.compile(rb'<row r="(\d{1,3})"')
_CELL_OPEN = b'<c r="'
_CELL_AT = re.compile(rb'<c r="([A-Z]{1,2})(\d{1,3})"')
_CHUNK = 1 << 20
_OVERLAP = 256


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits,
               *, is_sheet: bool) -> list[Finding]:
    sheet = info.filename
    max_row = max_col = cells = 0
    dimension: tuple[int, int] | None = None
    tail = b""
    seen = 0
    # the stream yields at most the declared size, and a cell takes at least the two bytes «<c»
    count_cells = info.file_size // 2 > limits.max_cells
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            seen += len(chunk)
            if seen > limits.max_part_bytes:
                return [error(ZIP_BOMB, f"Часть «{sheet}» распаковывается в огромный объём данных. "
                              "Программа не стала читать файл. Возьмите чистый шаблон.", file=name)]
            window = tail + chunk
            if _DOCTYPE.search(window):
                return [error(XML_ENTITIES, "Внутри файла есть XML-объявления DOCTYPE/ENTITY, каких "
                              "Excel не пишет (так устроены «XML-бомбы» и попытки прочитать чужие "
                              "файлы). Программа не стала читать файл. Сохраните книгу заново в Excel "
                              "или возьмите чистый шаблон.", file=name)]
            if is_sheet:
                if dimension is None and seen <= _CHUNK:
                    match = _DIMENSION.search(window)
                    if match:
                        dimension = _ref_position(match.group(2) or match.group(1))
                # the overlap with the previous chunk is scanned twice: harmless for a maximum;
                # a window inside the declared size adds nothing to it (the size is counted below)
                if dimension is None or not within_dimension(window, dimension):
                    usual = usual_extent(window)
                    if usual is not None:
                        max_row, max_col = max(max_row, usual[0]), max(max_col, usual[1])
                    else:
                        refs = CELL_REF.findall(window)
                        if refs:
                            max_row = max(max_row, max(map(int, (digits for _, digits in refs))))
                            letters = {col for col, _ in refs if col}
                            if letters:
                                max_col = max(max_col, max(map(column_number, letters)))
                if count_cells:
                    cells += chunk.count(b"<c")
                if max_row > limits.max_rows or max_col > limits.max_columns or cells > limits.max_cells:
                    break
            tail = window[-_OVERLAP:]
    if not is_sheet:
        return []
    for dim in [dimension] if dimension else []:
        max_row, max_col = max(max_row, dim[0]), max(max_col, dim[1])
    if (max_row > limits.max_rows or max_col > limits.max_columns
            or max_row * max(max_col, 1) > limits.max_area or cells > limits.max_cells):
        return [error(SHEET_TOO_LARGE,
                      f"На листе заполнены ячейки до {_address(max_row, max_col)}"
                      f"{f' ({cells} ячеек)' if cells > limits.max_cells else ''} — далеко за пределами "
                      "таблиц журнала. Удалите лишние строки и "
                      "столбцы (выделите их → Удалить) и сохраните книгу. Часто причина — случайное "
                      "значение в последней ячейке листа (Ctrl+End показывает её).",
                      file=name, sheet=_sheet_label(sheet))]
    if dimension and (max_row > dimension[0] or max_col > dimension[1]):
        return [warning(DIMENSION_UNDERSTATED,
                        f"В файле неверно записан размер листа (до {_address(*dimension)}, а данные "
                        f"идут до {_address(max_row, max_col)}). Данные прочитаны полностью; чтобы "
                        "исправить файл, откройте его в Excel и сохраните.",
                        file=name, sheet=_sheet_label(sheet))]
    return []


def beyond_usual(xml: bytes) -> bool:
    """Whether sheet XML holds a reference beyond column ZZ or row 999 — a journal sheet holds
    none, so only then need its references be read one by one (at memchr speed otherwise)."""
    return _FAR_SCREEN.search(xml) is not None


def within_dimension(window: bytes, dimension: tuple[int, int]) -> bool:
    """Whether every row and cell reference of sheet XML lies inside the sheet's declared size
    ``(rows, columns)`` — plain references (one or two capital letters, one to three digits) —,
    decided by one search for a reference that does not. False sends the window to the exact
    scan."""
    return _beyond_pattern(*dimension).search(window) is None


@functools.lru_cache(maxsize=64)
def _beyond_pattern(rows: int, columns: int) -> re.Pattern[bytes]:
    """A value of an attribute ending in ``r`` shaped like a reference (letters and ``$``, then
    digits) that is not a plain reference inside ``rows`` × ``columns``: one look-ahead
    for the plain reference, which almost every position passes at once."""
    letters = b"(?:" + _letters_upto(min(columns, 702)) + b")?" if columns >= 1 else b""
    inside = letters + b"(?:" + _digits_upto(min(rows, 999)) + b")" if rows >= 1 else b"(?!)"
    return re.compile(rb'r="(?!' + inside + rb'")(?=[$A-Za-z]*\d*")')


def _digits_upto(number: int) -> bytes:
    """A regular expression for the numbers 1 … ``number`` (1–999), without leading zeros."""
    text = str(number)
    options = [rb"[1-9]\d{0,%d}" % (len(text) - 2)] if len(text) > 1 else []
    for at, digit in enumerate(text):
        low = 1 if at == 0 else 0
        if int(digit) > low:
            options.append(text[:at].encode() + b"[%d-%d]" % (low, int(digit) - 1)
                           + (rb"\d{%d}" % (len(text) - at - 1) if at < len(text) - 1 else b""))
    return b"|".join([*options, text.encode()])


def _letters_upto(columns: int) -> bytes:
    """A regular expression for the column letters (one or two capitals) of columns
    1 … ``columns`` (1–702)."""
    if columns <= 26:
        return b"[A-%c]" % (ord("A") + columns - 1)
    first, second = column_letters(columns).encode()
    options = [b"[A-Z]"] + ([b"[A-%c][A-Z]" % (first - 1)] if first > ord("A") else [])
    return b"|".join([*options, b"%c[A-%c]" % (first, second)])


def usual_extent(window: bytes) -> tuple[int, int] | None:
    """The last row and column of sheet XML without a reference beyond ZZ999, from the rows'
    references and each row's last cell's (cells in order, as Excel, LibreOffice and openpyxl
    write them); None when there is a reference beyond (then every reference is read).

    No limit can be exceeded in such a window (999 rows × 702 columns), whatever the order of
    its cells: the extent only serves the check of the sheet's declared size.
    """
    if beyond_usual(window):
        return None
    max_row = max(map(int, _ROW_REF.findall(window)), default=0)
    max_col = 0
    for row in window.split(b"</row>"):
        at = row.rfind(_CELL_OPEN)
        if at < 0:
            continue
        cell = _CELL_AT.match(row, at)
        if cell is None:
            return None
        max_row = max(max_row, int(cell.group(2)))
        max_col = max(max_col, column_number(cell.group(1)))
    return max_row, max_col


def _sheet_label(part: str) -> str:
    return part.rsplit("/", 1)[-1].removesuffix(".xml")


def _ref_position(ref: bytes) -> tuple[int, int]:
    text = ref.replace(b"$", b"")
    letters = re.match(rb"[A-Za-z]*", text).group(0)  # type: ignore[union-attr]
    digits = text[len(letters):]
    return (int(digits) if digits else 0, column_number(letters) if letters else 0)


def column_number(letters: bytes) -> int:
    """A = 1, Z = 26, AA = 27, … for column letters as bytes (any case); only the first 8 count."""
    number = 0
    for byte in letters.upper()[:8]:
        number = number * 26 + (byte - 64)
    return number


def column_letters(number: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _address(row: int, col: int) -> str:
    return f"{column_letters(col)}{max(row, 1)}"
