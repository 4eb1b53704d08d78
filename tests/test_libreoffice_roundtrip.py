"""Workbooks saved again by LibreOffice Calc keep what the reader relies on, and read the same."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from journal.workbooks import format as wf
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook
from journal.workbooks.reading import RawClassWorkbook, RawSubjectWorkbook, read_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                       "apt-get install libreoffice-calc"),
]

WED = dt.date(2026, 9, 2)
MON = dt.date(2026, 9, 7)


def _convert(source: Path, out_dir: Path) -> Path:
    """Open and save ``source`` as xlsx with headless LibreOffice (its own profile, under a timeout)."""
    assert SOFFICE is not None
    out_dir.mkdir(exist_ok=True)
    profile = out_dir.parent / "lo-profile"
    subprocess.run(
        ["timeout", "-s", "KILL", "120", SOFFICE, f"-env:UserInstallation={profile.as_uri()}",
         "--headless", "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True,
    )
    converted = out_dir / source.name
    assert converted.exists(), f"LibreOffice did not write {converted}"
    return converted


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    from conftest import make_tiny_settings, make_tiny_students

    settings = make_tiny_settings()
    students = make_tiny_students("5А")
    a, b, c, d = (s.full_name for s in students)
    content = wf.SubjectContent(
        marks={(a, WED, 1): "5/4", (a, WED, 2): "Н", (b, WED, 2): "4", (c, MON, 1): "О/3", (d, MON, 1): 5.0},
        kinds={(WED, 1): "Ответ на уроке", (WED, 2): "Контрольная работа"},
        log={(WED, 1): wf.LogEntry("Натуральные числа", "§1 № 5"),
             (WED, 2): wf.LogEntry("Шкалы", "§2", "Сидорова Анна Павловна")},
        finals={(a, "1 четверть"): "5", (b, wf.FINAL_YEAR): "н/а"},
    )
    item = settings.curriculum_item("5А", "Математика")
    assert item is not None
    tmp = tmp_path_factory.mktemp("lo")
    subject = tmp / "5А — Математика.xlsx"
    save_workbook(build_subject_workbook(settings, item, students, content), subject)
    class_content = wf.ClassContent(
        students=students,
        parents=[wf.ParentRecord(a, "Алексеева Ирина Сергеевна", "+7 900 000-00-01", "mama@example.ru")],
        reasons=[wf.AbsenceReason(b, dt.date(2026, 9, 14), dt.date(2026, 9, 18), "Б", "справка")],
        notes={c: "Молодец!"},
    )
    school_class = settings.school_class("5А")
    assert school_class is not None
    klass = tmp / "5А — классный руководитель.xlsx"
    save_workbook(build_class_workbook(settings, school_class, class_content), klass)
    out = tmp / "out"
    return {
        "subject": (subject, _convert(subject, out), content),
        "class": (klass, _convert(klass, out), class_content),
    }


@pytest.mark.parametrize("kind", ["subject", "class"])
def test_defined_names_survive(converted, kind):
    original, saved, _ = converted[kind]
    names_before = {n: str(openpyxl.load_workbook(original).defined_names[n].attr_text).replace("'", "")
                    for n in openpyxl.load_workbook(original).defined_names}
    after = openpyxl.load_workbook(saved).defined_names
    for name, ref in names_before.items():
        assert name in after, name
        assert str(after[name].attr_text).replace("'", "") == ref


@pytest.mark.parametrize("kind", ["subject", "class"])
def test_meta_stays_hidden(converted, kind):
    _, saved, _ = converted[kind]
    wb = openpyxl.load_workbook(saved)
    assert wb[wf.META_SHEET].sheet_state in ("hidden", "veryHidden")
    assert wb[wf.LISTS_SHEET].sheet_state in ("hidden", "veryHidden")


def test_subject_reads_the_same(converted):
    original, saved, content = converted["subject"]
    before, after = read_workbook(original), read_workbook(saved)
    assert after.findings == []
    assert after.meta == before.meta
    assert isinstance(after.workbook, RawSubjectWorkbook)
    assert isinstance(before.workbook, RawSubjectWorkbook)
    assert after.workbook.to_content() == before.workbook.to_content()
    assert after.workbook.to_content()[1] == content
    assert list(after.workbook.mark_cells()) == list(before.workbook.mark_cells())
    assert after.workbook.lesson_dates() == before.workbook.lesson_dates()


def test_class_reads_the_same(converted):
    original, saved, content = converted["class"]
    after = read_workbook(saved)
    assert after.findings == []
    assert after.meta == read_workbook(original).meta
    assert isinstance(after.workbook, RawClassWorkbook)
    assert after.workbook.to_content() == content


def test_mark_cells_stay_text_and_protected(converted):
    _, saved, _ = converted["subject"]
    wb = openpyxl.load_workbook(saved)
    ws = wb[wf.SHEET_GRID]
    ((_sheet, ref),) = list(wb.defined_names[wf.NAME_MARKS].destinations)
    first = ref.replace("$", "").split(":")[0]
    assert ws[first].number_format == "@"
    assert ws[first].protection.locked is False
    assert ws.protection.sheet
    assert any(dv.formula1 == wf.LIST_MARKS for dv in ws.data_validations.dataValidation)
