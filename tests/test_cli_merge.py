"""`journal check` and `journal merge`: output in Russian and the exit codes of DESIGN.md."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from conftest import make_tiny_settings
from support.merge_fixtures import MON, grid_cell, math_content, new_school, write_class, write_subject
from typer.testing import CliRunner

from journal.cli.main import app
from journal.school.folder import FEEDBACK_DIR, SchoolFolder
from journal.workbooks import format as wf
from journal.workbooks.settings_writer import write_settings_workbook

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
runner = CliRunner()


@pytest.fixture(scope="module")
def school_template(tmp_path_factory):
    school = new_school(tmp_path_factory.mktemp("template") / "Школа")
    write_settings_workbook(make_tiny_settings(), school.settings_path)
    write_class(school)
    return school


@pytest.fixture
def school(tmp_path, school_template):
    root = tmp_path / "Школа"
    shutil.copytree(school_template.root, root)
    return SchoolFolder(root)


def run(*args: str):
    return runner.invoke(app, list(args))


def test_clean_merge_exits_0(school):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    result = run("merge", "--school", str(school.root), "--today", "08.09.2026")
    assert result.exit_code == 0, result.output
    assert "Принято 2" in result.output
    again = run("merge", "--school", str(school.root), "--today", "09.09.2026")
    assert again.exit_code == 0
    assert "без изменений 2" in again.output


def test_merge_with_findings_exits_1_and_writes_feedback(school):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "шесть"}))
    result = run("merge", "--school", str(school.root), "--today", "2026-09-08")
    assert result.exit_code == 1
    assert "отклонён" in result.output and grid_cell(path, B, MON) in result.output
    assert (school.output_dir / FEEDBACK_DIR / "Иванова Мария Сергеевна.xlsx").exists()


def test_feedback_files_are_rewritten_only_when_what_they_say_changes(school):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "шесть"}))
    folder = school.output_dir / FEEDBACK_DIR
    teacher = folder / "Иванова Мария Сергеевна.xlsx"
    summary = folder / "_Сводка для ответственного за ЭЖ.xlsx"
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 1
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 1
    first = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    assert set(first) == {teacher.name, summary.name}
    # nothing changed: not one byte of the folder is written again
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.glob("*.xlsx")} == first
    # the teacher fixes the mark: her file goes (nothing left to say), the summary changes
    write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "4"}))
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    assert not teacher.exists()
    assert summary.read_bytes() != first[summary.name]
    rows = [r for r in openpyxl.load_workbook(summary)["Файлы"].iter_rows(values_only=True)
            if r[0] == path.name]
    assert rows and rows[0][5] == "принят"
    # a deleted summary is written again even though nothing changed
    summary.unlink()
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    assert summary.exists()


def test_a_copy_printed_since_makes_the_period_end_readiness_be_counted_again(school, monkeypatch):
    import journal.reports.readiness as readiness
    from journal.dataset import store

    counted: list[object] = []
    real = readiness.for_feedback
    monkeypatch.setattr(readiness, "for_feedback", lambda *a: counted.append(a) or real(*a))
    write_subject(school, math_content({(A, MON, 1): "5"}))
    for _ in range(3):
        assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    assert len(counted) == 2  # the third merge: nothing new, nothing counted
    with store.opened(school.store_path, readonly=False) as conn:
        store.record_printed_copy(conn, {
            "printed_at": "2026-09-08 12:00:00", "class": "5А", "period": "1 четверть",
            "school_year": "2026/2027", "version": 1, "pages": 4, "sha256": "0" * 64,
            "file": "5А.pdf", "chain_head": ""})
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    assert len(counted) == 3


def test_held_removal_message_and_confirm(school):
    marks = {(s, MON, 1): "5" for s in (A, B, "Васильев Егор Андреевич")}
    write_subject(school, math_content(marks))
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    write_subject(school, math_content({}))
    held = run("merge", "--school", str(school.root), "--today", "09.09.2026")
    assert held.exit_code == 1 and "задержан" in held.output and "--confirm-removals" in held.output
    done = run("merge", "--school", str(school.root), "--today", "09.09.2026",
               "--confirm-removals")
    assert done.exit_code == 0, done.output


def test_check_of_the_whole_folder_and_confirm_gone(school):
    """`check --school` names what merge would: a foreign file, a held file, a gone workbook."""
    marks = {(s, MON, 1): "5" for s in (A, B, "Васильев Егор Андреевич")}
    path = write_subject(school, math_content(marks))
    assert run("merge", "--school", str(school.root), "--today", "08.09.2026").exit_code == 0
    shutil.copyfile(path, school.workbooks_dir / "5А — Математика.xlsb")
    path.unlink()
    checked = run("check", "--school", str(school.root))
    assert checked.exit_code == 1
    assert "в формате .xlsb (двоичная книга Excel)" in checked.output
    assert "workbooks/5А — Математика.xlsx: файла нет в папке, данные в базе сохранены" in checked.output
    (school.workbooks_dir / "5А — Математика.xlsb").unlink()
    merged = run("merge", "--school", str(school.root), "--today", "09.09.2026")
    assert merged.exit_code == 1 and "нет в папке" in merged.output and "W09" in merged.output
    done = run("merge", "--school", str(school.root), "--today", "10.09.2026",
               "--confirm-gone", "5А — Математика.xlsx")
    assert "убран из папки" in done.output, done.output
    after = run("merge", "--school", str(school.root), "--today", "11.09.2026")
    assert after.exit_code == 0, after.output


def test_a_killed_merges_lock_is_taken_over_with_a_word(school):
    lock = school.root / "journal.sqlite.lock"
    lock.write_text("начата 01.12.2026 12:44:37, процесс 15912")  # its process is gone
    result = run("merge", "--school", str(school.root), "--today", "08.09.2026")
    assert result.exit_code == 0, result.output
    assert "Прошлый запуск (01.12.2026 12:44:37, процесс 15912) был прерван" in result.output
    assert lock.read_text() == ""


@pytest.mark.parametrize("args", [
    ("merge", "--school", "{root}/нет такой папки"),
    ("merge", "--school", "{root}", "--today", "завтра"),
    ("merge", "--school", "{broken}"),
    ("check", "{root}/нет файла.xlsx"),
])
def test_usage_and_settings_errors_exit_2(school, tmp_path, args):
    broken = tmp_path / "сломанная"
    new_school(broken)
    (broken / school.settings_path.name).write_bytes(b"not a workbook")
    argv = [a.format(root=school.root, broken=broken) for a in args]
    result = run(*argv)
    assert result.exit_code == 2, result.output


def test_check_prints_findings_and_exits_1_on_errors(school):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "5/4/3"}))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert f"ячейка {grid_cell(path, B, MON)}" in result.output and "M02" in result.output
    assert not school.store_path.exists()


def test_check_clean_file_exits_0(school):
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    result = run("check", str(path), str(school.classes_dir / "5А — классный руководитель.xlsx"))
    assert result.exit_code == 0, result.output
    assert "можно сдавать" in result.output


def test_check_without_school_folder(tmp_path, tiny_settings):
    school = new_school(tmp_path / "без настроек")
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "--school" in result.output


def test_check_a_file_outside_the_school_folder(school, tmp_path):
    """A teacher's file on a flash drive is checked where it lies, not called a stray link."""
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "5/4/3"}))
    outside = tmp_path / "флешка" / path.name
    outside.parent.mkdir()
    shutil.move(path, outside)
    result = run("check", "--school", str(school.root), str(outside))
    assert result.exit_code == 1
    assert "M02" in result.output and "R13" not in result.output


def test_check_takes_the_class_list_from_the_school_folder(school):
    """Before any merge, a subject workbook is checked against the class workbook in classes/,
    as the merge would: no «сдайте список класса» warning, and a stranger is named."""
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    clean = run("check", str(path))
    assert clean.exit_code == 0, clean.output
    assert "S03" not in clean.output
    content = math_content({(A, MON, 1): "5"})
    wb_path = write_subject(school, content)
    wb = openpyxl.load_workbook(wb_path)
    grid = wb[wf.SHEET_GRID]
    name_cell = next(c for row in grid.iter_rows() for c in row if c.value == A)
    name_cell.value = "Незнакомов Иван Иванович"
    wb.save(wb_path)
    stranger = run("check", str(wb_path))
    assert stranger.exit_code == 1
    assert "S01" in stranger.output and "S03" not in stranger.output
