"""Broken and hostile teachers' files, built by code (no binaries are committed).

Each :class:`Kind` writes one bad file into a school folder built from the tiny
school of ``conftest.py``: a valid «5А — Математика» workbook made by our own
builder and then tampered with (through openpyxl or by rewriting its zip and
XML), or a file that is not a workbook at all. Tampered workbooks carry marks
that the dataset does not hold yet, so a file that is wrongly accepted changes
the dataset and the test sees it.

``docs/bad-inputs.md`` is the table of these kinds; ``tests/test_hostile.py``
checks that the table and this list agree.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook

from journal.core import catalogue
from journal.school.settings import CurriculumItem, Settings
from journal.workbooks import format as wf
from journal.workbooks import screening as ps
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook

REJECTED = "rejected"  # an error finding; the dataset keeps what it had
READ_FULLY = "read_fully"  # a warning; the file is read as if it were clean
WARNED = "warned"  # a warning; the file is not read and the dataset keeps what it had

MATH = "5А — Математика.xlsx"
CLASS_FILE = "5А — классный руководитель.xlsx"


@dataclass
class Corpus:
    """The tiny school's 5А with its mathematics workbook, and ways to spoil it."""

    settings: Settings
    students: list[wf.StudentRecord]

    @property
    def item(self) -> CurriculumItem:
        """5А mathematics."""
        return next(c for c in self.settings.curriculum
                    if c.class_name == "5А" and c.subject == "Математика")

    @property
    def lesson_keys(self) -> list[wf.LessonKey]:
        """(date, seq) of every mathematics lesson of the year."""
        return wf.lesson_keys(self.settings.lesson_dates(self.item))

    def base_content(self) -> wf.SubjectContent:
        """What the dataset holds before a bad file arrives: a few weeks of marks."""
        content = wf.SubjectContent()
        names = [s.full_name for s in self.students if s.left is None]
        for n, (day, seq) in enumerate(self.lesson_keys[:12]):
            for k, name in enumerate(names):
                if (n + k) % 3 == 0:
                    content.marks[(name, day, seq)] = str(5 - (n + k) % 3)
            content.log[(day, seq)] = wf.LogEntry(topic=f"Тема {n + 1}", homework=f"№ {n + 10}")
            content.kinds[(day, seq)] = self.settings.work_kinds[0].name
        return content

    def new_content(self) -> wf.SubjectContent:
        """The base content plus marks the dataset does not have (what a bad file carries)."""
        content = self.base_content()
        names = [s.full_name for s in self.students if s.left is None]
        for n, (day, seq) in enumerate(self.lesson_keys[12:16], start=12):
            for name in names:
                content.marks[(name, day, seq)] = "4"
            content.log[(day, seq)] = wf.LogEntry(topic=f"Тема {n + 1}", homework=f"№ {n + 10}")
            content.kinds[(day, seq)] = self.settings.work_kinds[0].name
        return content

    def workbook(self, content: wf.SubjectContent | None = None) -> Workbook:
        """The mathematics workbook holding ``content`` (the new content by default)."""
        return build_subject_workbook(self.settings, self.item, self.students,
                                      content if content is not None else self.new_content())

    def workbook_bytes(self, content: wf.SubjectContent | None = None) -> bytes:
        """The saved mathematics workbook."""
        buffer = io.BytesIO()
        self.workbook(content).save(buffer)
        return buffer.getvalue()

    def class_workbook(self) -> Workbook:
        """5А's class-teacher workbook."""
        school_class = self.settings.school_class("5А")
        assert school_class is not None
        return build_class_workbook(self.settings, school_class, wf.ClassContent(students=self.students))

    def write_school(self, root: Path) -> None:
        """A school folder with the class workbook and the base mathematics workbook."""
        save_workbook(self.class_workbook(), root / "classes" / CLASS_FILE)
        save_workbook(self.workbook(self.base_content()), root / "workbooks" / MATH)

    def grid_cells(self) -> tuple[str, list[str], list[str]]:
        """(sheet, the first mark cell of each grid row, the date cells) from the defined names."""
        wb = self.workbook()
        sheet, rows = _name_range(wb, wf.NAME_MARKS)
        _, dates = _name_range(wb, wf.NAME_DATES)
        return sheet, [row[0] for row in rows], [c for row in dates for c in row]


def _name_range(wb: Workbook, name: str) -> tuple[str, list[list[str]]]:
    from openpyxl.utils.cell import range_boundaries

    defined = wb.defined_names[name]
    (sheet, ref), = list(defined.destinations)
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    from openpyxl.utils import get_column_letter

    return sheet, [[f"{get_column_letter(c)}{r}" for c in range(min_col, max_col + 1)]
                   for r in range(min_row, max_row + 1)]


# ---------------------------------------------------------------------------
# Zip and XML surgery
# ---------------------------------------------------------------------------


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    """(name, content) of every member of a zip, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def make_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A deflated zip of ``members``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one part's XML changed."""
    members = zip_members(data)
    assert any(name == part for name, _ in members), part
    return make_zip([(name, change(content) if name == part else content) for name, content in members])


def sheet_part(data: bytes, title: str) -> str:
    """The zip part of the sheet called ``title``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = ps.sheet_names(archive)
    return next(part for part, name in names.items() if name == title)


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, deflated data, crc, compressed size, declared size), written by hand."""
    out = io.BytesIO()
    central = []
    for name, payload, crc, csize, usize in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, usize,
                              len(encoded), 0) + encoded)
        out.write(payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize,
                                   usize, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


def _deflated(content: bytes) -> tuple[bytes, int, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = packer.compress(content) + packer.flush()
    return payload, zlib.crc32(content), len(payload), len(content)


def zip_bomb(data: bytes, part: str, gib: int = 2, *, declare: bool = True) -> bytes:
    """The workbook with ``part`` replaced by XML that inflates to ``gib`` GiB of spaces.

    The deflate stream is one compressed MiB repeated (after a full flush the
    compressor emits identical bytes for identical input), so building it takes
    milliseconds. ``declare=False`` writes a lying directory: tiny declared sizes.
    """
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>'
    first = packer.compress(head + block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    payload = first + again * (gib * 1024 - 1) + packer.flush()
    size = len(head) + gib * (1 << 30)
    members = []
    for name, content in zip_members(data):
        if name == part:
            members.append((name, payload, 0, len(payload), size if declare else 4096))
        else:
            members.append((name, *_deflated(content)))
    return _raw_zip(members)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (what .xls and encrypted .xlsx are) holding ``streams``.

    Version 3, 512-byte sectors; every stream is padded to 4 KiB so that no mini
    stream is needed. Enough for any reader to recognise the container.
    """
    sector = 512
    end, free, fat_mark, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    padded = {n: streams[n] + b"\0" * (-len(streams[n]) % sector) for n in names}
    for n in names:
        if len(padded[n]) < 4096:
            padded[n] += b"\0" * (4096 - len(padded[n]))
    fat = [fat_mark, end]  # sector 0: the FAT, sector 1: the directory
    starts = {}
    for n in names:
        count = len(padded[n]) // sector
        starts[n] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream,
                                                       right, child)
                + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, no_stream, end, 0)
    for i, n in enumerate(names, start=1):
        right = i + 1 if i < len(names) else no_stream
        directory += entry(n, 2, no_stream, right, starts[n], len(streams[n]))
    directory = directory.ljust(sector * ((len(directory) + sector - 1) // sector), b"\0")
    assert len(directory) == sector
    header = (ps.OLE2_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == sector
    body = b"".join(padded[n] for n in names)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


_ENCRYPTION_INFO = (
    struct.pack("<HHI", 4, 4, 0x40)
    + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
    b'xmlns="http://schemas.microsoft.com/office/2006/encryption" '
    b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
    b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
    b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
    b"<keyEncryptors><keyEncryptor uri=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">"
    b'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
    b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
    b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></keyEncryptor></keyEncryptors></encryption>'
)


def encrypted_workbook(data: bytes) -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE2 container.

    The package is not really encrypted (scrambled with a fixed key), which is all
    a reader can see without the password anyway.
    """
    scrambled = bytes(b ^ 0x5A for b in data)
    return compound_file({"EncryptionInfo": _ENCRYPTION_INFO,
                          "EncryptedPackage": struct.pack("<Q", len(data)) + scrambled})


def xls_file() -> bytes:
    """A minimal BIFF8 ``.xls``: an OLE2 container with a ``Workbook`` stream."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    eof = struct.pack("<HH", 0x000A, 0)
    return compound_file({"Workbook": bof + eof})


def ods_file() -> bytes:
    """A minimal OpenDocument spreadsheet."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
               b'<office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
               b"<table:table-cell><text:p>5</text:p></table:table-cell></table:table-row>"
               b"</table:table></office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ps.ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest '
                         b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return buffer.getvalue()


def docx_file() -> bytes:
    """A Word document's skeleton."""
    return make_zip([("[Content_Types].xml", b"<Types/>"),
                     ("word/document.xml", b"<w:document xmlns:w=\"w\"><w:body/></w:document>")])


# ---------------------------------------------------------------------------
# The kinds
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of bad input: how to make it and what must come of it."""

    name: str
    bad_input: str  # Russian, for the table in docs/bad-inputs.md
    make: Callable[[Corpus, Path], Path]  # writes the file into the school folder, returns it
    codes: tuple[str, ...] = ()  # the finding codes expected (any of them); () = any error
    outcome: str = REJECTED
    changes_while_read: bool = False
    notes: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)


def _put(root: Path, data: bytes, name: str = MATH, folder: str = "workbooks") -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _via_openpyxl(change: Callable[[Corpus, Workbook], None], name: str = MATH
                  ) -> Callable[[Corpus, Path], Path]:
    def make(corpus: Corpus, root: Path) -> Path:
        wb = corpus.workbook()
        change(corpus, wb)
        buffer = io.BytesIO()
        wb.save(buffer)
        return _put(root, buffer.getvalue(), name)
    return make


def _via_xml(sheet: str, change: Callable[[Corpus, bytes], bytes], name: str = MATH
             ) -> Callable[[Corpus, Path], Path]:
    def make(corpus: Corpus, root: Path) -> Path:
        data = corpus.workbook_bytes()
        return _put(root, rewrite(data, sheet_part(data, sheet), lambda xml: change(corpus, xml)), name)
    return make


def _bytes(build: Callable[[Corpus], bytes], name: str = MATH) -> Callable[[Corpus, Path], Path]:
    def make(corpus: Corpus, root: Path) -> Path:
        return _put(root, build(corpus), name)
    return make


def _set_meta(key: str, value: str) -> Callable[[Corpus, Workbook], None]:
    def change(corpus: Corpus, wb: Workbook) -> None:
        ws = wb[wf.META_SHEET]
        for row in ws.iter_rows():
            if row[0].value == key:
                row[1].value = value
                return
        raise AssertionError(key)
    return change


def _no_meta(corpus: Corpus, wb: Workbook) -> None:
    del wb[wf.META_SHEET]


def _other_program(corpus: Corpus) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Лист1"
    ws.append(["ФИО", "01.09", "03.09"])
    for student in corpus.students:
        ws.append([student.full_name, 5, 4])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _drop_name(corpus: Corpus, wb: Workbook) -> None:
    del wb.defined_names[wf.NAME_MARKS]


def _move_name(corpus: Corpus, wb: Workbook) -> None:
    wb.defined_names[wf.NAME_MARKS].attr_text = f"'{wf.SHEET_LOG}'!$A$1:$B$2"


def _insert_row(corpus: Corpus, wb: Workbook) -> None:
    """What Excel does on «Вставить строку» inside the grid: names grow; a new pupil typed in."""
    sheet, rows, _ = corpus.grid_cells()
    ws = wb[sheet]
    first = int(re.sub(r"\D", "", rows[0]))
    middle = first + len(rows) // 2
    ws.insert_rows(middle)
    for name in (wf.NAME_STUDENTS, wf.NAME_MARKS):
        defined = wb.defined_names[name]
        defined.attr_text = re.sub(r"(\$?[A-Z]+\$?)(\d+)$",
                                   lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", defined.attr_text)
    _, students = _name_range(wb, wf.NAME_STUDENTS)
    ws[students[0][0].replace(str(first), str(middle))] = "Новиков Новый Новикович"
    ws[rows[0].replace(str(first), str(middle))] = 5


def _delete_columns(corpus: Corpus, wb: Workbook) -> None:
    """Two lesson columns deleted (names shrink as in Excel): their marks vanish."""
    from openpyxl.utils.cell import column_index_from_string

    sheet, _rows, dates = corpus.grid_cells()
    ws = wb[sheet]
    col = column_index_from_string(re.sub(r"\d", "", dates[1]))
    ws.delete_cols(col, 2)
    for name in (wf.NAME_DATES, wf.NAME_KINDS, wf.NAME_MARKS):
        defined = wb.defined_names[name]
        defined.attr_text = re.sub(
            r":\$?([A-Z]+)(\$?\d+)$",
            lambda m: ":$" + _shift_column(m.group(1), -2) + m.group(2), defined.attr_text)


def _shift_column(letters: str, by: int) -> str:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import column_index_from_string

    return get_column_letter(column_index_from_string(letters) + by)


def _merge_over_grid(corpus: Corpus, wb: Workbook) -> None:
    sheet, rows, _ = corpus.grid_cells()
    start = rows[0]
    end = _shift_column(re.sub(r"\d", "", start), 3) + str(int(re.sub(r"\D", "", rows[1])))
    wb[sheet].merge_cells(f"{start}:{end}")
    wb[sheet][start] = "5"


def _formula_no_cache(corpus: Corpus, wb: Workbook) -> None:
    sheet, rows, _ = corpus.grid_cells()
    wb[sheet][rows[0]] = "=2+3"


def _formula_cached(corpus: Corpus, xml: bytes) -> bytes:
    """The first mark cell (a 5 in the content) becomes =2+3 with its value 5 computed."""
    _, rows, _ = corpus.grid_cells()
    cell = rows[0].encode()
    pattern = re.compile(rb'<c r="' + cell + rb'"([^>]*?)(?:/>|>.*?</c>)', re.DOTALL)
    new = b'<c r="' + cell + rb'"\1><f>2+3</f><v>5</v></c>'
    xml, count = pattern.subn(lambda m: new.replace(rb"\1", re.sub(rb'\s+t="[^"]*"', b"", m.group(1))), xml)
    assert count == 1
    return xml


def _dates_as_text(fmt: str) -> Callable[[Corpus, Workbook], None]:
    def change(corpus: Corpus, wb: Workbook) -> None:
        sheet, _, dates = corpus.grid_cells()
        ws = wb[sheet]
        for ref in dates[12:16]:
            day = ws[ref].value
            if isinstance(day, dt.datetime):
                day = day.date()
            assert isinstance(day, dt.date), day
            ws[ref].value = _date_text(day, fmt)
            ws[ref].number_format = "@"
    return change


_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря")


def _date_text(day: dt.date, fmt: str) -> str:
    if fmt == "words":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return day.strftime(fmt)


def _student_twice(corpus: Corpus, wb: Workbook) -> None:
    _, students = _name_range(wb, wf.NAME_STUDENTS)
    sheet = _name_range(wb, wf.NAME_STUDENTS)[0]
    wb[sheet][students[1][0]] = wb[sheet][students[0][0]].value


def _sort_names_only(corpus: Corpus, wb: Workbook) -> None:
    """Names sorted Я→А by themselves: the marks and «№» stay in their rows."""
    sheet, students = _name_range(wb, wf.NAME_STUDENTS)
    cells = [wb[sheet][row[0]] for row in students]
    names = sorted((c.value for c in cells if c.value), reverse=True)
    for cell, name in zip(cells, names, strict=False):
        cell.value = name


def _junk_rows(corpus: Corpus, xml: bytes) -> bytes:
    rows = []
    for r in range(1000, 101_000):
        rows.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>мусор {r}</t></is></c>'
                    f'<c r="B{r}"><v>{r}</v></c></row>')
    return xml.replace(b"</sheetData>", "".join(rows).encode() + b"</sheetData>")


def _rename_sheet(corpus: Corpus, wb: Workbook) -> None:
    """A sheet renamed by a program that does not follow the defined names."""
    wb[wf.SHEET_GRID].title = "Журнал (2)"


def _stray_xfd(corpus: Corpus, wb: Workbook) -> None:
    wb[wf.SHEET_GRID]["XFD1048576"] = "."


def _understate_dimension(corpus: Corpus, xml: bytes) -> bytes:
    xml, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:C3"/>', xml)
    assert count == 1
    return xml


_BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                   + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                                  * 10) for i in range(1, 10))
                   + b"]>")


def _xml_bomb(corpus: Corpus, xml: bytes) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
    return _BILLION_LAUGHS + body.replace(b"</sheetData>", b"</sheetData>", 1).replace(
        b"<sheetData>", b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)


def _xxe(corpus: Corpus, xml: bytes) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
    return (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + body.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;'
                           b"</t></is></c></row>", 1))


def _truncated(corpus: Corpus) -> bytes:
    data = corpus.workbook_bytes()
    return data[: len(data) * 2 // 3]


def _random(corpus: Corpus) -> bytes:
    return bytes((i * 7919 + (i >> 3) * 104729) % 251 for i in range(30_000))


def _csv(corpus: Corpus) -> bytes:
    lines = ["ФИО;01.09.2026;03.09.2026"] + [f"{s.full_name};5;4" for s in corpus.students]
    return "\r\n".join(lines).encode("cp1251")


def _html(corpus: Corpus) -> bytes:
    return ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>ФИО</td>'
            "<td>5</td></tr></table></body></html>").encode()


def _many_parts(corpus: Corpus) -> bytes:
    members = zip_members(corpus.workbook_bytes())
    members += [(f"xl/media/image{i}.xml", b"<x/>") for i in range(3000)]
    return make_zip(members)


def _zip_bomb(declare: bool) -> Callable[[Corpus], bytes]:
    def build(corpus: Corpus) -> bytes:
        data = corpus.workbook_bytes()
        return zip_bomb(data, sheet_part(data, wf.SHEET_GRID), declare=declare)
    return build


def _lock_file(corpus: Corpus, root: Path) -> Path:
    owner = "Иванова М.С.".encode("utf-16-le")
    return _put(root, bytes([len("Иванова М.С.")]) + owner.ljust(162, b"\x20"), "~$" + MATH)


def _odd_name(corpus: Corpus, root: Path) -> Path:
    return _put(root, corpus.workbook_bytes(), "5А\x07 — Математика\n.xlsx")


def _escaping_link(corpus: Corpus, root: Path) -> Path:
    outside = root.parent / f"{root.name}-outside" / MATH
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_bytes(corpus.workbook_bytes())
    link = root / "workbooks" / MATH
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    return link


def _valid(corpus: Corpus, root: Path) -> Path:
    return _put(root, corpus.workbook_bytes())


KINDS: list[Kind] = [
    Kind("empty", "пустой файл (0 байт)", _bytes(lambda c: b""), (ps.EMPTY,)),
    Kind("random_bytes", "случайные байты под именем .xlsx", _bytes(_random), (ps.NOT_XLSX,)),
    Kind("truncated_zip", "обрезанный zip (файл скопирован не до конца)", _bytes(_truncated),
         (ps.TRUNCATED,)),
    Kind("xls_renamed", "книга .xls, переименованная в .xlsx", _bytes(lambda c: xls_file()), (ps.XLS,)),
    Kind("ods_renamed", "таблица .ods, переименованная в .xlsx", _bytes(lambda c: ods_file()), (ps.ODS,)),
    Kind("csv_renamed", "CSV, переименованный в .xlsx", _bytes(_csv), (ps.CSV,)),
    Kind("html_renamed", "веб-страница («Сохранить как HTML»), переименованная в .xlsx", _bytes(_html),
         (ps.HTML,)),
    Kind("docx_renamed", "документ Word, переименованный в .xlsx", _bytes(lambda c: docx_file()),
         (ps.WORD,)),
    Kind("password", "книга с паролем на открытие (контейнер OLE2 с EncryptedPackage)",
         _bytes(lambda c: encrypted_workbook(c.workbook_bytes())), (ps.ENCRYPTED,)),
    Kind("too_many_parts", "zip с тысячами частей", _bytes(_many_parts), (ps.TOO_MANY_PARTS,)),
    Kind("zip_bomb", "zip-бомба: лист распаковывается в 2 ГиБ (указано в каталоге)",
         _bytes(_zip_bomb(True)), (ps.ZIP_BOMB,)),
    Kind("zip_bomb_lying", "zip-бомба с ложными размерами в каталоге (2 ГиБ вместо 4 КиБ)",
         _bytes(_zip_bomb(False)), (ps.CORRUPT,)),
    Kind("xml_bomb", "XML-бомба (вложенные сущности, «billion laughs») в листе",
         _via_xml(wf.SHEET_GRID, _xml_bomb), (ps.XML_ENTITIES,)),
    Kind("xxe", "внешняя сущность XML (XXE) со ссылкой на /etc/passwd",
         _via_xml(wf.SHEET_GRID, _xxe), (ps.XML_ENTITIES,)),
    Kind("stray_xfd1048576", "одно значение в ячейке XFD1048576 (calamine падает, openpyxl зависает)",
         _via_openpyxl(_stray_xfd), (ps.SHEET_TOO_LARGE,)),
    Kind("junk_100k_rows", "100 000 строк мусора ниже таблицы", _via_xml(wf.SHEET_GRID, _junk_rows),
         (ps.SHEET_TOO_LARGE,)),
    Kind("dimension_understated", "тег <dimension> листа меньше его данных",
         _via_xml(wf.SHEET_GRID, _understate_dimension), (ps.DIMENSION_UNDERSTATED,), READ_FULLY),
    Kind("lock_file", "служебный файл Excel «~$…» (книга открыта)", _lock_file, (ps.LOCK_FILE,),
         WARNED),
    Kind("odd_name", "имя файла со служебными символами (перевод строки, BEL)", _odd_name,
         (ps.BAD_PATH,)),
    Kind("escaping_link", "ссылка (symlink) на файл вне папки школы", _escaping_link, (ps.BAD_PATH,)),
    Kind("changes_while_read", "файл меняется, пока его читают (ещё копируется)", _valid, (ps.CHANGED,),
         changes_while_read=True),
    Kind("other_program", "книга из другой программы, без листа _meta", _bytes(_other_program)),
    Kind("meta_removed", "наша книга, из которой удалён лист _meta", _via_openpyxl(_no_meta)),
    Kind("meta_other_class", "в _meta исправлен класс на чужой (7Б)",
         _via_openpyxl(_set_meta(wf.META_CLASS, "7Б"))),
    Kind("meta_other_subject", "в _meta исправлен предмет (Химия)",
         _via_openpyxl(_set_meta(wf.META_SUBJECT, "Химия"))),
    Kind("meta_other_year", "в _meta исправлен учебный год (2025/2026)",
         _via_openpyxl(_set_meta(wf.META_SCHOOL_YEAR, "2025/2026"))),
    Kind("meta_future_format", "в _meta версия формата из будущего (99)",
         _via_openpyxl(_set_meta(wf.META_FORMAT_VERSION, "99"))),
    Kind("name_deleted", "удалено определённое имя jr_marks", _via_openpyxl(_drop_name)),
    Kind("name_elsewhere", "имя jr_marks указывает на другой лист", _via_openpyxl(_move_name)),
    Kind("sheet_renamed", "лист «Журнал» переименован, имена указывают на старое название",
         _via_openpyxl(_rename_sheet)),
    Kind("row_inserted", "в середину сетки вставлена строка с учеником не из списка класса",
         _via_openpyxl(_insert_row)),
    Kind("columns_deleted", "удалены два столбца уроков (с отметками)", _via_openpyxl(_delete_columns),
         ("D07",)),
    Kind("merged_over_grid", "ячейки сетки объединены", _via_openpyxl(_merge_over_grid), ("R36",)),
    Kind("formula_cached", "формула =2+3 в ячейке отметки, значение 5 вычислено",
         _via_xml(wf.SHEET_GRID, _formula_cached), ("R35",), READ_FULLY),
    Kind("formula_no_cache", "формула в ячейке отметки без вычисленного значения (файл не из Excel)",
         _via_openpyxl(_formula_no_cache), ("R35",)),
    Kind("dates_text_dotted", "даты уроков введены текстом «01.09.2026»",
         _via_openpyxl(_dates_as_text("%d.%m.%Y")), ("D08",), READ_FULLY),
    Kind("dates_text_iso", "даты уроков введены текстом «2026-09-01»",
         _via_openpyxl(_dates_as_text("%Y-%m-%d")), ("D08",), READ_FULLY),
    Kind("dates_text_slash", "даты уроков введены текстом «01/09/26»",
         _via_openpyxl(_dates_as_text("%d/%m/%y")), ("D08",), READ_FULLY),
    Kind("dates_text_words", "даты уроков введены словами «1 сентября 2026»",
         _via_openpyxl(_dates_as_text("words")), ("D08",), READ_FULLY),
    Kind("student_twice", "ученик записан в сетке дважды", _via_openpyxl(_student_twice)),
    Kind("meta_other_teacher", "в _meta исправлен учитель (Петров Пётр Петрович)",
         _via_openpyxl(_set_meta(wf.META_TEACHER, "Петров Пётр Петрович")), ("W08",)),
    Kind("names_sorted_only", "отсортирован только столбец с ФИО, отметки остались на месте",
         _via_openpyxl(_sort_names_only), ("S08",)),
    Kind("xlsb_beside", "журнал сохранён ещё раз как .xlsb (двоичная книга Excel), рядом с прежним .xlsx",
         _bytes(lambda c: c.workbook_bytes(), MATH.removesuffix(".xlsx") + ".xlsb"),
         (ps.FOREIGN_FORMAT,)),
]


def kind(name: str) -> Kind:
    """The kind called ``name``."""
    return next(k for k in KINDS if k.name == name)


def with_outcome(name: str, outcome: str) -> Kind:
    """A kind with another expected outcome (for kinds whose handling is being decided)."""
    return replace(kind(name), outcome=outcome)


def touch_later(path: Path) -> None:
    """Append a byte and move the modification time on: the file changed under the reader."""
    with path.open("ab") as handle:
        handle.write(b"\0")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


# ---------------------------------------------------------------------------
# Running a kind through a merge
# ---------------------------------------------------------------------------

BASE_MERGE = dt.datetime(2026, 11, 20, 18, 0)
BAD_MERGE = dt.datetime(2026, 11, 21, 18, 0)
DATA_TABLES = ("classes", "students", "student_groups", "parents", "absence_reasons", "notes",
               "lessons", "marks", "attendance", "final_marks", "changes")


def data_dump(store_path: Path) -> list[str]:
    """The rows of the data tables (not the merge log) as SQL text, for comparing states."""
    import sqlite3

    conn = sqlite3.connect(store_path)
    try:
        prefixes = tuple(f'INSERT INTO "{table}"' for table in DATA_TABLES)
        return [line for line in conn.iterdump() if line.startswith(prefixes)]
    finally:
        conn.close()


def integrity(store_path: Path) -> str:
    """``PRAGMA integrity_check`` of a dataset."""
    import sqlite3

    conn = sqlite3.connect(store_path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def build_baseline(corpus: Corpus, root: Path) -> None:
    """The school folder with its first merge done (the base content of mathematics)."""
    from journal.intake.merge import merge_school
    from journal.school.folder import SchoolFolder

    corpus.write_school(root)
    result = merge_school(SchoolFolder(root), corpus.settings, now=BASE_MERGE)
    bad = [(o.file, o.status, [f.format() for f in o.findings if f.is_error]) for o in result.files
           if o.status != "merged"]
    assert not bad, bad


@dataclass
class Outcome:
    """What a merge made of one bad file."""

    file: str  # as findings name it (relative to the school folder)
    findings: list  # the findings of that file
    statuses: dict[str, str]  # file → status of every file of the merge
    dump: list[str]
    integrity: str
    error: str = ""  # an exception that escaped the merge (a failure)


def run_kind(corpus: Corpus, bad: Kind, baseline: Path, work: Path) -> Outcome:
    """Copy the baseline school to ``work``, put the bad file in, merge, and say what came of it."""
    import shutil

    from journal.intake.merge import merge_school
    from journal.school.folder import SchoolFolder
    from journal.workbooks import reading
    from journal.workbooks.screening import display_name

    shutil.copytree(baseline, work, symlinks=True)
    path = bad.make(corpus, work)
    name = display_name(path, work)
    original = reading.read_workbook
    if bad.changes_while_read:
        def changing(target: str | Path, **options: bool) -> reading.ReadResult:
            if Path(target).name == path.name:
                touch_later(Path(target))
            return original(target, **options)
        reading.read_workbook = changing  # type: ignore[assignment]  # forked workers inherit it
    try:
        result = merge_school(SchoolFolder(work), corpus.settings, now=BAD_MERGE)
        error = ""
        findings = [f for f in result.findings if f.file == name]
        statuses = {o.file: o.status for o in result.files}
    except Exception as exc:  # recorded, and reported by the test as a failure
        error, findings, statuses = f"{type(exc).__name__}: {exc}", [], {}
    finally:
        reading.read_workbook = original  # type: ignore[assignment]
    store_path = work / "journal.sqlite"
    return Outcome(name, findings, statuses, data_dump(store_path), integrity(store_path), error)


def clean_twin_dump(corpus: Corpus, baseline: Path, work: Path) -> list[str]:
    """The data after merging the untampered new content: what a file read fully must give."""
    import shutil

    from journal.intake.merge import merge_school
    from journal.school.folder import SchoolFolder

    shutil.copytree(baseline, work, symlinks=True)
    _put(work, corpus.workbook_bytes())
    merge_school(SchoolFolder(work), corpus.settings, now=BAD_MERGE)
    return data_dump(work / "journal.sqlite")


# ---------------------------------------------------------------------------
# The table in docs/bad-inputs.md
# ---------------------------------------------------------------------------

TABLE_HEAD = """# Bad input files: what the user sees

Every row is one kind of broken or hostile file from `tests/support/hostile_corpus.py`, put
into a school folder whose dataset already holds a merge, followed by `journal merge`.
The test `tests/test_hostile.py` runs every kind and checks that this table is what
the run gives (regenerate it with `.venv/bin/python tests/support/hostile_corpus.py > docs/bad-inputs.md`;
the codes table at the end comes from the catalogue of findings).
Codes `R..` are found before any spreadsheet library parses the file
(`journal/workbooks/screening.py`) or while a worker process parses it (`journal/workbooks/isolation.py`,
`journal/workbooks/reading.py`); other codes come from `journal/intake/validation.py`.

«Dataset»: *unchanged* means the data tables (students, lessons, marks, attendance,
final marks, changes) are byte-for-byte what they were before the merge (compared
with `iterdump`); *read fully* means the file was accepted with a warning and the
data equal what the same workbook without the defect gives.

| bad input | finding | what the user sees | dataset |
| --- | --- | --- | --- |
"""


def table_row(bad: Kind, outcome: Outcome, base: list[str], twin: list[str]) -> str:
    """One row of the table, from what the merge really did."""
    shown = sorted(outcome.findings, key=lambda f: (f.code not in bad.codes, not f.is_error, f.code))
    first = shown[0] if shown else None
    code = first.code if first else "—"
    message = first.format(with_file=False) if first else "(ничего)"
    if outcome.error:
        dataset = f"ошибка программы: {outcome.error.split(':')[0]}"
    elif outcome.dump == twin:
        dataset = "read fully"
    elif outcome.integrity != "ok":
        dataset = "CORRUPT"
    else:
        dataset = "unchanged" if outcome.dump == base else "CHANGED"
    cell = message.replace("|", "\\|").replace("\n", " ")
    return f"| {bad.bad_input} | {code} | {cell} | {dataset} |"



CODES_HEAD = """
## Reading codes

The codes `R..` as the catalogue (`journal/core/catalogue.py`) lists them; a user sees the
title beside the code: «[ошибка R01 · пустой файл] …».

"""


def render_table(rows: list[str]) -> str:
    """The whole markdown page: the table of bad inputs, then the catalogue's reading codes."""
    codes = f"{catalogue.BEGIN}\n\n{catalogue.markdown('R')}\n{catalogue.END}\n"
    return TABLE_HEAD + "\n".join(rows) + "\n" + CODES_HEAD + codes


def run_all(work: Path) -> tuple[dict[str, Outcome], list[str], list[str]]:
    """Every kind through a merge: (kind name → outcome, baseline data, clean-twin data)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from conftest import make_tiny_settings, make_tiny_students

    corpus = Corpus(make_tiny_settings(), make_tiny_students("5А"))
    baseline = work / "baseline" / "school"
    baseline.parent.mkdir(parents=True)
    build_baseline(corpus, baseline)
    base = data_dump(baseline / "journal.sqlite")
    twin = clean_twin_dump(corpus, baseline, work / "twin" / "school")
    outcomes = {bad.name: run_kind(corpus, bad, baseline, work / bad.name / "school") for bad in KINDS}
    return outcomes, base, twin


def table(outcomes: dict[str, Outcome], base: list[str], twin: list[str]) -> str:
    """The page of docs/bad-inputs.md for these outcomes."""
    return render_table([table_row(bad, outcomes[bad.name], base, twin) for bad in KINDS])


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sys.stdout.write(table(*run_all(Path(tmp))))
