"""The low-level reader: areas through defined names, exact addresses, findings instead of crashes."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from journal.core.text import parse_date_value
from journal.school.settings import Settings
from journal.workbooks import format as wf
from journal.workbooks import reading
from journal.workbooks.build import build_subject_workbook, save_workbook
from journal.workbooks.format import StudentRecord
from journal.workbooks.reading import RawSubjectWorkbook, read_workbook

WED = dt.date(2026, 9, 2)


def _math_workbook(settings: Settings, students: list[StudentRecord],
                   content: wf.SubjectContent | None = None) -> openpyxl.Workbook:
    item = settings.curriculum_item("5А", "Математика")
    assert item is not None
    return build_subject_workbook(settings, item, students, content)


@pytest.fixture
def math_path(tmp_path, tiny_settings, tiny_students) -> Path:
    students = tiny_students["5А"]
    content = wf.SubjectContent(marks={(students[1].full_name, WED, 2): "5/4"})
    path = tmp_path / "any name at all.xlsx"
    save_workbook(_math_workbook(tiny_settings, students, content), path)
    return path


def _rewrite_workbook_xml(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["xl/workbook.xml"] = edit(parts["xl/workbook.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_cell_addresses_are_exact(math_path):
    wb = openpyxl.load_workbook(math_path)
    result = read_workbook(math_path)
    raw = result.workbook
    assert isinstance(raw, RawSubjectWorkbook)
    ((_, i, j, address, value),) = [(0, *cell) for cell in raw.mark_cells()]
    assert value == "5/4"
    assert wb[raw.sheet][address].value == "5/4"
    assert raw.students[i].value == "Борисова Дарья Игоревна"
    assert wb[raw.sheet][raw.students[i].cell].value == "Борисова Дарья Игоревна"
    assert raw.dates[j].value == WED
    assert raw.lesson_keys()[j] == (WED, 2)
    assert raw.address(i, j) == address
    assert len(result.sha256) == 64


def test_meta_decides_what_the_workbook_is_not_the_file_name(math_path):
    renamed = math_path.with_name("10Б — Химия.xlsx")
    math_path.rename(renamed)
    result = read_workbook(renamed)
    assert result.meta is not None
    assert result.meta.key == ("5А", "Математика", "")
    assert result.meta.teacher == "Иванова Мария Сергеевна"


def test_duplicate_identical_names_are_accepted(math_path):
    def duplicate(xml: str) -> str:
        m = re.search(r"<definedName name=\"jr_marks\">[^<]*</definedName>", xml)
        assert m is not None
        return xml.replace(m.group(0), m.group(0) * 2)

    _rewrite_workbook_xml(math_path, duplicate)
    result = read_workbook(math_path)
    assert result.ok, result.findings


def test_conflicting_duplicate_name_is_a_finding(math_path):
    def conflict(xml: str) -> str:
        m = re.search(r"<definedName name=\"jr_marks\">[^<]*</definedName>", xml)
        assert m is not None
        return xml.replace(m.group(0), m.group(0) + "<definedName name=\"jr_marks\">'Журнал'!$A$1:$B$2"
                                                   "</definedName>")

    _rewrite_workbook_xml(math_path, conflict)
    result = read_workbook(math_path)
    assert result.workbook is None
    assert [f.code for f in result.findings] == [reading.R_BAD_NAME]


@pytest.mark.parametrize(("name", "code"), [
    (wf.NAME_MARKS, reading.R_MISSING_NAME),
    (wf.NAME_DATES, reading.R_MISSING_NAME),
    (wf.NAME_STUDENTS, reading.R_MISSING_NAME),
])
def test_missing_defined_name(math_path, name, code):
    _rewrite_workbook_xml(math_path, lambda xml: re.sub(
        rf"<definedName name=\"{name}\">[^<]*</definedName>", "", xml))
    result = read_workbook(math_path)
    assert result.workbook is None
    assert code in [f.code for f in result.findings]
    assert any(name in f.message for f in result.findings)


def test_broken_reference_is_a_finding(math_path):
    _rewrite_workbook_xml(math_path, lambda xml: re.sub(
        r"(<definedName name=\"jr_dates\">)[^<]*(</definedName>)", r"\1#REF!\2", xml))
    result = read_workbook(math_path)
    assert result.workbook is None
    assert [f.code for f in result.findings] == [reading.R_BAD_NAME]


def test_grid_that_does_not_match_the_dates_is_a_finding(math_path):
    _rewrite_workbook_xml(math_path, lambda xml: re.sub(
        r"(<definedName name=\"jr_dates\">'Журнал'!\$C\$3:\$)[A-Z]+", r"\1D", xml))
    result = read_workbook(math_path)
    assert result.workbook is None
    assert [f.code for f in result.findings] == [reading.R_BAD_NAME]


def test_workbook_without_meta(tmp_path):
    path = tmp_path / "чужой.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "5"
    wb.save(path)
    result = read_workbook(path)
    assert result.workbook is None
    assert [f.code for f in result.findings] == [reading.R_NO_META]


@pytest.mark.parametrize(("data", "code"), [
    (b"", reading.R_EMPTY),
    (b"name;mark\nIvanov;5\n", reading.R_NOT_XLSX),
    (b"PK\x03\x04" + b"\x00" * 40, reading.R_NOT_XLSX),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le"),
     reading.R_PASSWORD),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "Workbook".encode("utf-16-le"), reading.R_XLS),
])
def test_bad_files_are_findings_not_exceptions(tmp_path, data, code):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    result = read_workbook(path)
    assert result.workbook is None
    assert [f.code for f in result.findings] == [code]
    assert result.findings[0].is_error
    assert result.findings[0].file == str(path)


def test_truncated_copy_is_a_finding(math_path):
    data = math_path.read_bytes()
    math_path.write_bytes(data[: len(data) // 2])
    result = read_workbook(math_path)
    assert result.workbook is None
    assert result.findings and all(f.is_error for f in result.findings)


def test_missing_file_is_a_finding(tmp_path):
    result = read_workbook(tmp_path / "нет такого.xlsx")
    assert [f.code for f in result.findings] == [reading.R_UNREADABLE]


def test_stray_value_far_away_is_refused_before_parsing(tmp_path, tiny_settings, tiny_students):
    wb = _math_workbook(tiny_settings, tiny_students["5А"])
    wb[wf.SHEET_GRID]["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    save_workbook(wb, path)
    result = read_workbook(path)
    assert result.workbook is None
    assert [(f.code, f.cell) for f in result.findings] == [(reading.R_TOO_LARGE, "XFD1048576")]


def test_formula_without_cached_value_is_an_error(tmp_path, tiny_settings, tiny_students):
    wb = _math_workbook(tiny_settings, tiny_students["5А"])
    ws = wb[wf.SHEET_GRID]
    ws["D7"] = "=C7"
    ws["A1"] = "=1+1"  # outside the input areas: not reported
    path = tmp_path / "formula.xlsx"
    save_workbook(wb, path)
    result = read_workbook(path)
    assert [(f.code, f.cell, f.is_error) for f in result.findings] == [(reading.R_FORMULA, "D7", True)]
    assert isinstance(result.workbook, RawSubjectWorkbook)
    assert result.workbook.formulas == [(wf.SHEET_GRID, "D7")]


@pytest.mark.parametrize(("xml", "formula"), [
    (b"", False), (b"<font><fill/>", False), (b"<firstFooter>of</firstFooter>", False), (b"x<f", False),
    (b'<c r="A1"><f>SUM(B1)</f><v>3</v></c>', True), (b'<c r="A1"><f t="shared" si="0"/></c>', True),
    (b"<f/>", True), (b"f" * 5000, False), (b"f" * 5000 + b"<f>1</f>", True),
    (b"<is><t>" + b"f" * 999 + b"</t></is><f>1</f>", True),
])
def test_a_formula_element_is_found_by_its_letter(xml: bytes, formula: bool) -> None:
    from journal.workbooks.reading_cells import _mentions_formula

    assert _mentions_formula(xml) is formula
    assert any(opening in xml for opening in (b"<f>", b"<f ", b"<f/>")) is formula


def test_formula_with_cached_value_is_a_warning(math_path):
    with zipfile.ZipFile(math_path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, n = re.subn(r'<c r="E7"([^>]*)/>', r'<c r="E7"\1 t="str"><f>"4"</f><v>4</v></c>', sheet)
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(math_path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    result = read_workbook(math_path)
    assert [(f.code, f.cell, f.is_error) for f in result.findings] == [(reading.R_FORMULA, "E7", False)]
    assert isinstance(result.workbook, RawSubjectWorkbook)
    cached = {a: v for _, _, a, v in result.workbook.mark_cells()}
    assert cached["E7"] in ("4", 4.0)


@pytest.mark.parametrize(("merge", "reported"), [
    ("D7:F8", ["D7:F8"]),  # over the marks
    ("A1:C2", []),  # the title above the grid
])
def test_merged_cells_over_the_grid_are_an_error(tmp_path, tiny_settings, tiny_students, merge, reported):
    wb = _math_workbook(tiny_settings, tiny_students["5А"])
    wb[wf.SHEET_GRID].merge_cells(merge)
    path = tmp_path / "merged.xlsx"
    save_workbook(wb, path)
    result = read_workbook(path)
    merged = [f for f in result.findings if f.code == reading.R_MERGED]
    assert [f.message.split(" ")[1] for f in merged] == reported
    assert all(f.is_error and f.cell == "D7" and "Снимите объединение" in f.message for f in merged)
    assert not result.ok if reported else result.ok


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    (dt.datetime(2026, 9, 1, 0, 0), dt.date(2026, 9, 1)),
    ("01.09.2026", dt.date(2026, 9, 1)),
    (" 1.9.2026 ", dt.date(2026, 9, 1)),
    ("01.09.26", dt.date(2026, 9, 1)),
    ("2026-09-01", dt.date(2026, 9, 1)),
    ("01/09/2026", dt.date(2026, 9, 1)),
    ("1 сентября 2026", dt.date(2026, 9, 1)),
    ("01.09.2026 г.", dt.date(2026, 9, 1)),
    ("01.09", dt.date(2026, 9, 1)),
    ("15.01", dt.date(2027, 1, 15)),
    ("5 марта", dt.date(2027, 3, 5)),
    (46266.0, dt.date(2026, 9, 1)),
    ("31.02.2027", None),
    ("вчера", None),
    (5.0, None),
    (None, None),
    (True, None),
])
def test_parse_date_value(value, expected):
    assert parse_date_value(value, "2026/2027") == expected


def test_day_and_month_without_school_year_is_not_guessed():
    assert parse_date_value("01.09") is None


def test_dates_typed_as_text_are_read_with_the_school_year(tmp_path, tiny_settings, tiny_students):
    wb = _math_workbook(tiny_settings, tiny_students["5А"])
    _, ref = next(iter(wb.defined_names[wf.NAME_DATES].destinations))
    first = ref.replace("$", "").split(":")[0]
    wb[wf.SHEET_GRID][first] = "02.09"
    path = tmp_path / "text-dates.xlsx"
    save_workbook(wb, path)
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawSubjectWorkbook)
    assert raw.dates[0] == ("02.09", first)
    assert raw.lesson_keys()[:2] == [(WED, 1), (WED, 2)]


@pytest.mark.parametrize("header", [wf.LOG_TOPIC, wf.LOG_HOMEWORK, wf.LOG_SUBSTITUTE])
def test_a_log_header_typed_over_is_an_error_not_lost_topics(math_path, header):
    """A teacher who types a topic into the header cell must hear of it: else the column is lost."""
    wb = openpyxl.load_workbook(math_path)
    ws = wb[wf.SHEET_LOG]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == header)
    cell.value = "Натуральные числа"
    wb.save(math_path)
    result = read_workbook(math_path)
    missing = [f for f in result.findings if f.code == "R34"]
    assert missing and missing[0].is_error
    assert missing[0].sheet == wf.SHEET_LOG and header in missing[0].message


def test_the_screening_limits_are_no_looser_than_the_readers_own() -> None:
    """A merge reads screened bytes without the reader's own extent scan
    (``extent_screened``): that is only sound while the screening refuses at least as much."""
    from journal.workbooks import screening

    assert screening.DEFAULT_LIMITS.max_rows <= reading.MAX_ROWS
    assert screening.DEFAULT_LIMITS.max_columns <= reading.MAX_COLUMNS
