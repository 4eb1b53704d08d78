"""The zip and XML parts of an xlsx file, read directly: the package, the sheets and their paths,
defined names, references, formulas and merged ranges in the sheet XML."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from journal.core.findings import error
from journal.workbooks.cell_refs import column_index_from_string
from journal.workbooks.raw_workbook import (
    MAX_UNCOMPRESSED,
    R_BROKEN,
    R_EMPTY,
    R_NOT_XLSX,
    R_ODS,
    R_PASSWORD,
    R_TOO_LARGE,
    R_XLS,
    Area,
    Refused,
)

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


_REF = re.compile(
    r"^(?:'(?P<q>(?:[^']|'')+)'|(?P<u>[^'!]+))!"
    r"\$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>\d+))?$"
)


# A cell (group 1: its address) whose XML holds a formula.
FORMULA_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*>(?:(?!</c>|<c[\s>]).){0,200}?<f[\s>/]', re.S)


# Only references that may lie beyond MAX_COLUMNS (3 letters) or MAX_ROWS (5+ digits); rows
# (<row r="…">) have no letters and never match.
FAR_REF = re.compile(rb'\sr="([A-Z]{3}[0-9]+|[A-Z]{1,2}[0-9]{5,})"')


# A merged range (group 1: its reference) in a sheet's XML.
MERGE_CELL = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)"')


@dataclass
class Sheet:
    """A sheet listed in the workbook part: its name, its XML part and its visibility."""

    name: str
    part: str  # zip member of the sheet XML
    state: str


@dataclass
class Name:
    """A workbook-level defined name and the reference it stands for."""

    name: str
    text: str


def open_package(data: bytes, where: dict[str, str]) -> zipfile.ZipFile:
    """Open the bytes of a workbook as a zip; raise :class:`Refused` for a file the reader must not parse."""
    if data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTION_INFO in data[:1 << 20] or _ENCRYPTION_INFO in data:
            raise Refused(error(R_PASSWORD, "файл защищён паролем на открытие, программа не может его "
                                "прочитать. Снимите пароль (Файл → Сведения → Защитить книгу) и "
                                "сохраните заново", **where))
        raise Refused(error(R_XLS, "файл в старом формате Excel 97–2003 (.xls). Откройте его "
                            "и сохраните как «Книга Excel (.xlsx)»", **where))
    if not data:
        raise Refused(error(R_EMPTY, "файл пустой (0 байт): возможно, он ещё копируется или "
                            "был сохранён не до конца. Пришлите его заново", **where))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise Refused(error(R_NOT_XLSX, "это не файл Excel .xlsx или он повреждён (например, "
                            "скопирован не до конца). Откройте его и сохраните как .xlsx заново",
                            **where)) from exc
    member_names = {i.filename for i in infos}
    if "mimetype" in member_names and "content.xml" in member_names:
        raise Refused(error(R_ODS, "файл в формате OpenDocument (.ods). Сохраните его как "
                            "«Книга Excel 2007–365 (.xlsx)»", **where))
    if "xl/workbook.xml" not in member_names:
        raise Refused(error(R_NOT_XLSX, "это не файл Excel .xlsx (в архиве нет книги). "
                            "Откройте его и сохраните как .xlsx", **where))
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise Refused(error(R_TOO_LARGE, "файл слишком большой для журнала (внутри более "
                            f"{MAX_UNCOMPRESSED // 2**20} МБ). Удалите лишние листы и картинки",
                            **where))
    return package


def workbook_parts(package: zipfile.ZipFile, where: dict[str, str]) \
        -> tuple[dict[str, Sheet], dict[str, list[Name]]]:
    """The sheets by name and the workbook-level defined names (by lower-case name) of ``package``."""
    try:
        root = SafeET.fromstring(package.read("xl/workbook.xml"))
        rels_root = SafeET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise Refused(error(R_BROKEN, "файл повреждён: нет описания листов книги", **where)) from exc
    targets: dict[str, str] = {}
    for rel in rels_root.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id", "")] = member
    sheets: dict[str, Sheet] = {}
    for el in _iter(root, "sheet"):
        name = el.get("name", "")
        rid = el.get(f"{_NS_REL}id", "")
        sheets[name] = Sheet(name=name, part=targets.get(rid, ""), state=el.get("state", "visible"))
    names: dict[str, list[Name]] = {}
    for el in _iter(root, "definedName"):
        name = el.get("name", "")
        if name.lower().startswith("_xlnm.") or el.get("localSheetId") is not None:
            continue
        names.setdefault(name.lower(), []).append(Name(name, (el.text or "").strip()))
    return sheets, names


def _iter(root: Element, tag: str) -> Iterator[Element]:
    for el in root.iter():
        if el.tag == f"{_NS_MAIN}{tag}" or el.tag == tag:
            yield el


def overlap(a: Area, b: Area) -> bool:
    """True when areas ``a`` and ``b`` share at least one cell."""
    return (a.min_row <= b.max_row and b.min_row <= a.max_row
            and a.min_col <= b.max_col and b.min_col <= a.max_col)


def parse_ref(text: str) -> Area | None:
    """The area a reference such as «'Журнал'!$C$5:$H$30» points to; None when it is not one."""
    m = _REF.match(text.lstrip("="))
    if m is None:
        return None
    sheet = m.group("q").replace("''", "'") if m.group("q") is not None else m.group("u")
    c1 = column_index_from_string(m.group("c1").upper())
    r1 = int(m.group("r1"))
    c2 = column_index_from_string(m.group("c2").upper()) if m.group("c2") else c1
    r2 = int(m.group("r2")) if m.group("r2") else r1
    return Area(sheet.strip(), min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
