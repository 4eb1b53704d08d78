"""The sample school end to end: built, merged, reported, printed and written to parents.

Built once for the module (a couple of minutes): every later check reads what a
coordinator would open.
"""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from support.pdf_tools import pdf_words

from journal.demo.build import DemoResult, build_demo
from journal.workbooks.format import (
    KIND_SUBJECT,
    META_SHEET,
    NAME_DATES,
    NAME_FINALS,
    NAME_KINDS,
    NAME_LOG,
    NAME_MARKS,
    NAME_STUDENTS,
)
from journal.workbooks.reading import read_workbook

pytestmark = pytest.mark.slow

# What journal/demo_school.py plants in the final workbooks (see _plant_mistakes and
# _plant_class_mistakes): the demo's own specification, one finding each.
PLANTED = {
    ("C02", "error", "classes/3А — классный руководитель.xlsx"),
    ("C06", "warning", "classes/4А — классный руководитель.xlsx"),
    ("S05", "error", "workbooks/3А — Математика.xlsx"),
    ("L01", "warning", "workbooks/5А — Математика.xlsx"),
    ("F02", "warning", "workbooks/6А — Русский язык.xlsx"),
    ("M05", "error", "workbooks/7А — Алгебра.xlsx"),
    ("K01", "error", "workbooks/8А — История.xlsx"),
}




@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return build_demo(tmp_path_factory.mktemp("demo") / "школа")


@pytest.fixture(scope="module")
def db(demo: DemoResult) -> sqlite3.Connection:
    return sqlite3.connect(demo.school.store_path)


def test_every_stage_ran_without_problems(demo: DemoResult) -> None:
    assert demo.problems == []
    assert len(demo.outputs["reports"]) >= 14  # seven reports, HTML and PDF each
    assert all(p.exists() and p.stat().st_size > 0 for paths in demo.outputs.values() for p in paths)
    assert demo.outputs["diary"][0].name == "index.html"


def test_the_merge_reports_the_planted_mistakes_and_nothing_else(db: sqlite3.Connection) -> None:
    found = set(db.execute(
        "SELECT code, severity, file FROM findings WHERE merge_id = (SELECT max(id) FROM merges)"))
    assert found == PLANTED


def test_rejected_workbooks_keep_their_earlier_data(db: sqlite3.Connection) -> None:
    statuses = dict(db.execute(
        "SELECT file, status FROM merge_files WHERE merge_id = (SELECT max(id) FROM merges)"))
    for code, severity, file in PLANTED:
        if severity == "error":
            assert statuses[file] == "rejected", (code, file)
    kept = db.execute("SELECT count(*) FROM v_marks WHERE class = '7А' AND subject = 'Алгебра'")
    assert kept.fetchone()[0] > 100


def test_history_holds_corrections_removals_and_late_entries(db: sqlite3.Connection) -> None:
    counts = dict(((c, e), n) for c, e, n in db.execute(
        "SELECT change, entity, count(*) FROM changes GROUP BY 1, 2"))
    assert counts[("correction", "mark")] >= 3
    assert counts[("removal", "mark")] >= 1
    assert counts[("late_entry", "mark")] >= 10
    assert counts[("correction", "final_mark")] >= 1
    merges = db.execute("SELECT count(*) FROM merges WHERE finished_at IS NOT NULL").fetchone()[0]
    assert merges >= 10


def test_subject_workbooks_carry_the_contract(demo: DemoResult) -> None:
    books = sorted(demo.school.workbooks_dir.glob("*.xlsx"))
    assert len(books) > 100
    for path in [p for p in books if not p.name.startswith("1А")][::17]:
        result = read_workbook(path)
        assert result.workbook is not None, result.findings
        assert result.meta is not None and result.meta.kind == KIND_SUBJECT
        wb = openpyxl.load_workbook(path)
        assert {NAME_STUDENTS, NAME_DATES, NAME_KINDS, NAME_MARKS, NAME_LOG, NAME_FINALS} <= set(
            wb.defined_names)
        assert wb[META_SHEET].sheet_state == "veryHidden"


def test_every_letter_names_its_own_student_and_no_other(demo: DemoResult,
                                                          db: sqlite3.Connection) -> None:
    students = [name for (name,) in db.execute("SELECT full_name FROM students")]
    letters = demo.outputs["letters"]
    active = db.execute("SELECT count(*) FROM students WHERE left_on IS NULL OR left_on > '2026-11-14'")
    assert len(letters) >= active.fetchone()[0] - 2
    for path in letters:
        text = pdf_words(path)
        own = [name for name in students if name in text]
        assert len(own) == 1, (path.name, own)
        assert own[0].split()[0] in path.name


def test_first_quarter_copies_hold_every_student(demo: DemoResult, db: sqlite3.Connection) -> None:
    copies = {p.name.split(" ")[0]: p for p in demo.outputs["print"]}
    assert set(copies) == {f"{g}А" for g in range(1, 10)}
    for class_name, path in copies.items():
        text = pdf_words(path)
        for (name,) in db.execute("SELECT full_name FROM students WHERE class = ? AND "
                                  "(joined IS NULL OR joined <= '2026-10-25')", (class_name,)):
            assert " ".join(name.split()[:2]) in text, (class_name, name)


def test_no_program_words_in_any_document_the_demo_writes(demo: DemoResult) -> None:
    from support.output_words import scan_folder

    files, hits = scan_folder(demo.school.output_dir)
    assert files > 100
    assert not hits, f"{len(hits)} в документах:\n" + "\n".join(hits[:60])


def test_copy_grids_add_up_to_the_attendance_page_for_every_student(demo: DemoResult) -> None:
    """The demo's class teachers give reasons that differ from the subject teachers' «Н»; in
    every copy of every class the grids' codes still add up to the attendance page."""
    from journal.dataset import store
    from journal.documents.copies.data import load_class_copy
    from journal.workbooks.settings_reader import load_settings

    settings = load_settings(demo.school.settings_path)
    with store.opened(demo.school.store_path) as conn:
        assert conn.execute("SELECT count(*) FROM attendance WHERE reason != code").fetchone()[0]
        for school_class in settings.classes:
            for period in settings.periods_for(school_class)[:2]:
                copy = load_class_copy(conn, settings, school_class, period)
                grid: dict[int, dict[str, int]] = {}
                for section in copy.sections:
                    for (sid, _lesson), value in section.cells.items():
                        code = value.split("/")[0]
                        if code in ("Н", "Б", "У", "О"):
                            grid.setdefault(sid, {}).setdefault(code, 0)
                            grid[sid][code] += 1
                for total in copy.attendance:
                    mine = grid.get(total.student_id, {})
                    shown = tuple(mine.get(code, 0) for code in ("Б", "У", "Н", "О"))
                    assert shown == (total.ill, total.excused, total.unexcused, total.late), (
                        school_class.name, period.name, total.name)
