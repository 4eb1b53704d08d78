"""A warning the coordinator marks «проверено» in the summary stops setting the exit code,
is listed apart, and comes back when its cell changes."""

from __future__ import annotations

import openpyxl
from conftest import make_tiny_settings
from support.merge_fixtures import (
    MON,
    WED,
    edit_cells,
    find_cell,
    math_content,
    new_school,
    write_class,
    write_subject,
)
from typer.testing import CliRunner

from journal.cli.main import app
from journal.dataset import chain, store
from journal.intake.feedback import SUMMARY_NAME
from journal.school.folder import FEEDBACK_DIR
from journal.workbooks import format as wf
from journal.workbooks.settings_writer import write_settings_workbook

A = "Алексеев Артём Павлович"
runner = CliRunner()


def merge(root, day: str):
    return runner.invoke(app, ["merge", "--school", str(root), "--today", day])


def mark_checked(summary, code: str, who: str) -> None:
    """The coordinator writes a name in «Проверено (кто)» next to the warning ``code``."""
    wb = openpyxl.load_workbook(summary)
    ws = wb["Все замечания"]
    header = [c.value for c in ws[1]]
    column = header.index("Проверено (кто)") + 1
    code_column = header.index("Код и суть") + 1
    rows = [r for r in range(2, ws.max_row + 1) if str(ws.cell(r, code_column).value).startswith(code)]
    assert rows
    for r in rows:
        ws.cell(r, column, who)
    wb.save(summary)


def school_with_f02(tmp_path):
    """A school whose one subject workbook has a period mark «2» far from the average «5» (F02)."""
    school = new_school(tmp_path / "Школа")
    write_settings_workbook(make_tiny_settings(), school.settings_path)
    write_class(school)
    content = math_content({(A, MON, 1): "5", (A, WED, 1): "5"})
    content.finals[(A, "1 четверть")] = "2"
    return school, write_subject(school, content)


def test_checked_warning_is_settled_until_its_cell_changes(tmp_path):
    school, path = school_with_f02(tmp_path)

    first = merge(school.root, "08.09.2026")
    assert first.exit_code == 1, first.output
    assert "F02" in first.output
    summary = school.output_dir / FEEDBACK_DIR / SUMMARY_NAME
    mark_checked(summary, "F02", "Иванова Н. П.")

    second = merge(school.root, "09.09.2026")
    assert second.exit_code == 0, second.output
    assert "Проверено ответственным: 1 предупреждение" in second.output
    assert "F02" not in second.output
    book = openpyxl.load_workbook(summary)
    checked = [[c.value for c in row] for row in book["Проверенные"].iter_rows(min_row=4)]
    assert checked[0][7].startswith("F02") and checked[0][9] == "Иванова Н. П."
    assert not any(str(c.value).startswith("F02") for c in book["Все замечания"]["H"])

    summary.unlink()  # the name is kept in the dataset, not only in the summary
    third = merge(school.root, "10.09.2026")
    assert third.exit_code == 0, third.output
    with store.opened(school.store_path) as conn:
        assert [v[0] for v in store.acknowledgements(conn).values()] == ["Иванова Н. П."]

    edit_cells(path, wf.SHEET_FINALS, {find_cell(path, wf.SHEET_FINALS, "2"): "3"})
    fourth = merge(school.root, "11.09.2026")
    assert fourth.exit_code == 1, fourth.output
    assert "F02" in fourth.output
    assert "Проверено ответственным" not in fourth.output


def test_check_leaves_out_the_warnings_the_coordinator_settled(tmp_path):
    school, path = school_with_f02(tmp_path)
    assert merge(school.root, "08.09.2026").exit_code == 1
    before = runner.invoke(app, ["check", str(path), "--school", str(school.root)])
    assert "F02" in before.output and "Проверено ответственным" not in before.output
    mark_checked(school.output_dir / FEEDBACK_DIR / SUMMARY_NAME, "F02", "Иванова Н. П.")
    assert merge(school.root, "09.09.2026").exit_code == 0
    after = runner.invoke(app, ["check", str(path), "--school", str(school.root)])
    assert after.exit_code == 0, after.output
    assert "F02" not in after.output
    assert "Проверено ответственным: 1 предупреждение" in after.output


def test_a_name_wiped_on_the_settled_sheet_withdraws_the_check(tmp_path):
    school, _path = school_with_f02(tmp_path)
    assert merge(school.root, "08.09.2026").exit_code == 1
    summary = school.output_dir / FEEDBACK_DIR / SUMMARY_NAME
    mark_checked(summary, "F02", "Иванова Н. П.")
    assert merge(school.root, "09.09.2026").exit_code == 0
    wb = openpyxl.load_workbook(summary)
    ws = wb["Проверенные"]
    header = [c.value for c in ws[3]]
    assert "сотрите фамилию" in ws.cell(1, 1).value
    ws.cell(4, header.index("Проверено (кто)") + 1).value = None
    wb.save(summary)
    again = merge(school.root, "10.09.2026")
    assert again.exit_code == 1, again.output
    assert "F02" in again.output and "Проверено ответственным" not in again.output
    with store.opened(school.store_path) as conn:
        assert store.acknowledgements(conn) == {}
        assert chain.verify(conn).intact


def test_errors_cannot_be_checked(tmp_path):
    school = new_school(tmp_path / "Школа")
    write_settings_workbook(make_tiny_settings(), school.settings_path)
    write_class(school)
    content = math_content({(A, MON, 1): "5"})
    content.finals[(A, "1 четверть")] = "6"
    write_subject(school, content)
    assert merge(school.root, "08.09.2026").exit_code == 1
    summary = school.output_dir / FEEDBACK_DIR / SUMMARY_NAME
    mark_checked(summary, "F01", "Иванова Н. П.")
    again = merge(school.root, "09.09.2026")
    assert again.exit_code == 1
    assert "F01" in again.output and "Проверено ответственным" not in again.output
