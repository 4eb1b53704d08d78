"""Merging into the central dataset: whole-workbook transactions and the change history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
from support.merge_fixtures import (
    MON,
    WED,
    class_content,
    data_dump,
    date_cell,
    edit_cells,
    find_cell,
    grid_cell,
    math_content,
    new_school,
    write_class,
    write_subject,
)

from journal.dataset import store
from journal.intake import merge as merge_module
from journal.intake import pipeline as pipeline_module
from journal.intake.feedback import SUMMARY_NAME, write_feedback
from journal.intake.merge import HELD, MERGED, REJECTED, SKIPPED, UNCHANGED, UNREADABLE, apply, merge_school
from journal.intake.validation import LessonRecord, MarkRecord, SubjectRecords
from journal.school.folder import FEEDBACK_DIR
from journal.workbooks import format as wf

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
V = "Васильев Егор Андреевич"


def at(day: int, month: int = 9, hour: int = 16) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0)


def query(school, sql: str, params: tuple = ()) -> list[tuple]:
    with store.opened(school.store_path) as conn:
        return conn.execute(sql, params).fetchall()


def status_of(result, fragment: str) -> str:
    (outcome,) = [o for o in result.files if fragment in o.file]
    return outcome.status


@pytest.fixture
def school(tmp_path):
    school = new_school(tmp_path)
    write_class(school)
    return school


def test_first_merge_stores_everything(school, tiny_settings):
    content = math_content({(A, WED, 2): "5/4", (B, WED, 2): "н", (V, MON, 1): "3"})
    content.kinds[(WED, 2)] = "Контрольная работа"
    content.finals[(A, "1 четверть")] = "5"
    write_subject(school, content)
    result = merge_school(school, tiny_settings, now=at(8))
    assert [o.status for o in result.files] == [MERGED, MERGED]
    assert not result.findings
    marks = query(school, "SELECT student, date, seq, position, value, weight, kind FROM v_marks"
                          " ORDER BY date, seq, student, position")
    assert marks == [(A, "2026-09-02", 2, 1, 5, 3.0, "Контрольная работа"),
                     (A, "2026-09-02", 2, 2, 4, 3.0, "Контрольная работа"),
                     (V, "2026-09-07", 1, 1, 3, 1.0, "Ответ на уроке")]
    assert query(school, "SELECT student, code, reason FROM v_attendance") == [(B, "Н", "Н")]
    assert query(school, "SELECT student, kind, period, value FROM v_final_marks") == [
        (A, "period", "1 четверть", "5")]
    planned = len(tiny_settings.lesson_dates(tiny_settings.curriculum_item("5А", "Математика")))
    assert query(school, "SELECT count(*) FROM lessons")[0][0] == planned
    assert query(school, "SELECT topic, homework, teacher FROM lessons WHERE date = ? AND seq = 2",
                 ("2026-09-02",)) == [("Натуральные числа", "№ 12", "Иванова Мария Сергеевна")]
    assert query(school, "SELECT count(*) FROM students WHERE class = '5А'")[0][0] == 4
    assert query(school, "SELECT count(*) FROM changes")[0][0] == 0  # the baseline
    assert query(school, "SELECT merged, rejected FROM merges") == [(2, 0)]


def test_rejected_workbook_leaves_the_dataset_as_it_was(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "4"}))
    merge_school(school, tiny_settings, now=at(8))
    before = data_dump(school)
    write_subject(school, math_content({(A, MON, 1): "3", (B, MON, 1): "4", (V, MON, 1): "7"}))
    result = merge_school(school, tiny_settings, now=at(9))
    assert status_of(result, "Математика") == REJECTED
    (finding,) = result.findings
    assert finding.code == "M01" and finding.cell == grid_cell(path, V, MON)
    assert data_dump(school) == before
    assert query(school, "SELECT status, errors FROM merge_files WHERE merge_id = 2"
                         " AND file LIKE 'workbooks/%'") == [("rejected", 1)]


@pytest.fixture
def read_paths(monkeypatch) -> list[Path]:
    """The files the merge's workers are given to read (``clear()`` it to watch one merge)."""
    given: list[Path] = []
    real = pipeline_module.stream_workbooks_safely

    def spy(paths, **kwargs):
        given.extend(paths)
        return real(paths, **kwargs)

    monkeypatch.setattr(pipeline_module, "stream_workbooks_safely", spy)
    return given


def test_merging_the_same_files_twice_changes_nothing(school, tiny_settings, read_paths):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    merge_school(school, tiny_settings, now=at(8))
    before = data_dump(school)
    read_paths.clear()
    result = merge_school(school, tiny_settings, now=at(20))
    assert [o.status for o in result.files] == [UNCHANGED, UNCHANGED]
    assert read_paths == []  # skipped by hash, not parsed
    assert data_dump(school) == before
    assert not result.has_problems


def test_files_rejected_again_with_the_same_bytes_are_not_read_again(school, tiny_settings,
                                                                     read_paths):
    ghost = wf.AbsenceReason("Призраков Пётр", MON, MON, "Б")
    write_class(school, content=class_content("5А", reasons=[ghost]))  # C02: rejected
    write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "x"}))  # M01: rejected
    first = merge_school(school, tiny_settings, now=at(8))
    assert sorted(f.code for f in first.findings) == ["C02", "M01", "S03"]
    read_paths.clear()
    again = merge_school(school, tiny_settings, now=at(9))
    assert read_paths == []  # a rejected class workbook with the same bytes changes no class list
    assert [(o.status, o.kept) for o in again.files] == [(REJECTED, True), (REJECTED, True)]
    assert sorted(f.code for f in again.findings) == ["C02", "M01", "S03"]
    write_class(school)  # the class teacher fixes the list: the subject workbook is judged again
    merge_school(school, tiny_settings, now=at(10))
    assert sorted({p.name for p in read_paths}) == ["5А — Математика.xlsx",
                                                   "5А — классный руководитель.xlsx"]


def test_correction_removal_and_late_entry_are_in_changes(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "4",
                                               (V, MON, 1): "3", (A, WED, 1): "5"}))
    merge_school(school, tiny_settings, now=at(8))
    write_subject(school, math_content({(A, MON, 1): "4", (V, MON, 1): "3", (A, WED, 1): "5",
                                        (B, WED, 2): "5"}))
    result = merge_school(school, tiny_settings, now=at(14))
    assert status_of(result, "Математика") == MERGED
    rows = query(school, "SELECT change, entity, student, lesson_date, seq, old_value, new_value,"
                         " first_seen, days_late, cell FROM changes WHERE entity = 'mark'"
                         " ORDER BY change")
    assert rows == [
        ("correction", "mark", A, "2026-09-07", 1, "5", "4", "2026-09-08 16:00:00", None,
         grid_cell(path, A, MON)),
        # Wednesday 2 Sept, second lesson, an ordinary mark allowed 1 day (due by the 3rd):
        # absent when the workbook was merged on the 8th, so at least 5 days late
        ("late_entry", "mark", B, "2026-09-02", 2, None, "5", "2026-09-14 16:00:00", 5,
         grid_cell(path, B, WED, 2)),
        ("removal", "mark", B, "2026-09-07", 1, "4", None, "2026-09-08 16:00:00", None,
         grid_cell(path, B, MON)),
    ]
    assert query(school, "SELECT value, first_seen FROM v_marks WHERE student = ? AND date = ?",
                 (A, "2026-09-07")) == [(4, "2026-09-14 16:00:00")]
    assert query(school, "SELECT last_seen FROM v_marks WHERE student = ?", (V,)) == [
        ("2026-09-14 16:00:00",)]


@pytest.mark.parametrize(("class_name", "subject", "student", "day", "allowed"), [
    ("5А", "Математика", A, dt.date(2026, 9, 16), 5),
    ("10А", "Физика", "Жуков Иван Сергеевич", dt.date(2026, 9, 15), 7),
])
def test_written_work_has_more_days(school, tiny_settings, class_name, subject, student, day,
                                    allowed):
    key = (class_name, subject, "")
    write_class(school, class_name)
    write_subject(school, wf.SubjectContent(), key=key)
    merge_school(school, tiny_settings, now=at(8))
    content = wf.SubjectContent(marks={(student, day, 1): "4"},
                                kinds={(day, 1): "Контрольная работа"},
                                log={(day, 1): wf.LogEntry(topic="Контрольная")})
    write_subject(school, content, key=key)
    merge_school(school, tiny_settings, now=at(day.day + allowed))  # on the last allowed day
    merge_school(school, tiny_settings, now=at(day.day + allowed + 1))  # unchanged: observed
    assert query(school, "SELECT count(*) FROM changes WHERE change = 'late_entry'")[0][0] == 0
    content.marks[(student, day, 1)] = "4/5"
    write_subject(school, content, key=key)
    merge_school(school, tiny_settings, now=at(day.day + allowed + 5))
    assert query(school, "SELECT student, new_value, days_late FROM changes"
                         " WHERE change = 'late_entry'") == [(student, "5", 1)]


def test_late_entry_needs_an_observation_after_the_deadline(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    merge_school(school, tiny_settings, now=at(7))  # Monday: the baseline
    write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "4"}))
    merge_school(school, tiny_settings, now=at(14))  # weekly: never seen without B's mark late
    assert query(school, "SELECT count(*) FROM changes")[0][0] == 0


def test_topic_change_of_a_past_lesson(school, tiny_settings):
    content = math_content({(A, MON, 1): "5"})
    write_subject(school, content)
    merge_school(school, tiny_settings, now=at(8))
    content.log[(MON, 1)] = wf.LogEntry(topic="Дроби", homework="№ 12")
    path = write_subject(school, content)
    merge_school(school, tiny_settings, now=at(10))
    rows = query(school, "SELECT change, entity, old_value, new_value, lesson_date, cell"
                         " FROM changes")
    assert rows == [("correction", "topic", "Натуральные числа", "Дроби", "2026-09-07",
                     find_cell(path, wf.SHEET_LOG, "Дроби"))]


def test_large_removal_is_held_until_confirmed(school, tiny_settings):
    marks = {(s, day, seq): "5" for s in (A, B, V) for day, seq in ((MON, 1), (WED, 1))}
    write_subject(school, math_content(marks))
    merge_school(school, tiny_settings, now=at(8))
    before = data_dump(school)
    write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "5"}))
    result = merge_school(school, tiny_settings, now=at(9))
    assert status_of(result, "Математика") == HELD
    (finding,) = result.findings
    assert finding.code == "W06" and "с подтверждением удалений" in finding.message
    assert "4 из 6" in finding.message
    assert data_dump(school) == before
    result = merge_school(school, tiny_settings, now=at(9), confirm_removals=True)
    assert status_of(result, "Математика") == MERGED
    assert query(school, "SELECT count(*) FROM changes WHERE change = 'removal'"
                         " AND entity = 'mark'")[0][0] == 4


OCT_12, OCT_14 = dt.date(2026, 10, 12), dt.date(2026, 10, 14)


def delete_lesson_columns(path: Path, *days: dt.date) -> None:
    """Delete the columns of lessons from the grid as Excel does: the defined names shrink."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    columns = sorted((column_index_from_string(coordinate_from_string(date_cell(path, day))[0])
                      for day in days), reverse=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[wf.SHEET_GRID]
    for column in columns:
        ws.delete_cols(column)
    for name in (wf.NAME_DATES, wf.NAME_KINDS, wf.NAME_MARKS):
        defined = wb.defined_names[name]
        sheet, ref = defined.attr_text.split("!")
        first, last = ref.split(":")
        letters, row = coordinate_from_string(last.replace("$", ""))
        end = openpyxl.utils.get_column_letter(column_index_from_string(letters) - len(columns))
        defined.attr_text = f"{sheet}!{first}:${end}${row}"
    wb.save(path)


def test_deleted_lesson_columns_holding_merged_marks_reject_the_workbook(school, tiny_settings):
    path = write_subject(school, math_content({(A, OCT_12, 1): "5", (B, OCT_14, 1): "н",
                                               (A, MON, 1): "4"}))
    merge_school(school, tiny_settings, now=at(20, 10))
    before = data_dump(school)
    delete_lesson_columns(path, OCT_12, OCT_14)
    result = merge_school(school, tiny_settings, now=at(21, 10))
    assert status_of(result, "Математика") == REJECTED
    (finding,) = [f for f in result.findings if "Математика" in f.file]
    assert finding.code == "D07" and finding.is_error
    assert finding.message.startswith("столбцы уроков 12.10.2026, 14.10.2026 удалены из журнала")
    assert "свежую книгу" in finding.message and "journal" not in finding.message
    assert data_dump(school) == before
    (checked,) = merge_module.check_files([path], tiny_settings, school=school)
    assert checked.status == REJECTED and checked.findings == [finding]


def test_deleted_empty_lesson_column_is_a_warning(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "4"}))
    merge_school(school, tiny_settings, now=at(20, 10))
    delete_lesson_columns(path, OCT_12)
    result = merge_school(school, tiny_settings, now=at(21, 10))
    assert status_of(result, "Математика") == MERGED
    (finding,) = [f for f in result.findings if "Математика" in f.file]
    assert finding.code == "D07" and not finding.is_error and "12.10.2026" in finding.message
    assert query(school, "SELECT count(*) FROM marks")[0][0] == 1


def test_absence_reasons_apply_to_absence_marks(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "н", (B, MON, 1): "н", (B, WED, 1): "О"}))
    merge_school(school, tiny_settings, now=at(8))
    reasons = [wf.AbsenceReason(B, dt.date(2026, 9, 1), MON, "Б", "справка"),
               wf.AbsenceReason(A, MON, MON, "У")]
    write_class(school, content=class_content("5А", reasons=reasons))
    merge_school(school, tiny_settings, now=at(9))
    assert query(school, "SELECT student, date, code, reason FROM v_attendance"
                         " ORDER BY student, date") == [
        (A, "2026-09-07", "Н", "У"), (B, "2026-09-02", "О", "О"), (B, "2026-09-07", "Н", "Б")]


def test_second_workbook_for_the_same_subject_is_rejected(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    write_subject(school, math_content({(A, MON, 1): "4"}), name="копия математики.xlsx")
    result = merge_school(school, tiny_settings, now=at(8))
    subject_files = [o for o in result.files if o.kind == wf.KIND_SUBJECT]
    assert [o.status for o in subject_files] == [REJECTED, REJECTED]
    assert all(any(f.code == "W04" for f in o.findings) for o in subject_files)
    assert query(school, "SELECT count(*) FROM marks")[0][0] == 0


def test_bad_files_are_findings_not_crashes(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    (school.workbooks_dir / "~$5А — Математика.xlsx").write_bytes(b"lock")
    (school.workbooks_dir / "half.xlsx").write_bytes(
        (school.workbooks_dir / "5А — Математика.xlsx").read_bytes()[:3000])
    (school.workbooks_dir / "notes.xlsx").write_text("просто текст", encoding="utf-8")
    result = merge_school(school, tiny_settings, now=at(8))
    assert {o.file: o.status for o in result.files} == {
        "classes/5А — классный руководитель.xlsx": MERGED,
        "workbooks/5А — Математика.xlsx": MERGED,
        "workbooks/half.xlsx": UNREADABLE,
        "workbooks/notes.xlsx": UNREADABLE,
        "workbooks/~$5А — Математика.xlsx": SKIPPED,
    }
    assert all(f.is_error for o in result.files if o.status == UNREADABLE for f in o.findings)


@pytest.mark.parametrize(("lock", "program"), [
    ("~$5А — Математика.xlsx", "Excel"),
    ("~$ — Математика.xlsx", "Excel"),  # Excel drops the first letters of a long name
    (".~lock.5А — Математика.xlsx#", "LibreOffice"),
])
def test_lock_file_of_an_open_workbook_is_a_warning(school, tiny_settings, lock, program):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    (school.workbooks_dir / lock).write_bytes(b"\x0cIvanova M.S.")
    result = merge_school(school, tiny_settings, now=at(8))
    assert status_of(result, "workbooks/5А") == MERGED
    (outcome,) = [o for o in result.files if o.status == SKIPPED]
    assert outcome.file == f"workbooks/{lock}"
    (finding,) = outcome.findings
    assert finding.code == "R12" and not finding.is_error
    assert finding.message.startswith(f"книга «5А — Математика.xlsx» сейчас открыта в {program}")
    assert "последняя сохранённая версия" in finding.message
    assert finding.teacher == "Иванова Мария Сергеевна" and outcome.subject == "Математика"
    assert query(school, "SELECT count(*) FROM marks")[0][0] == 1
    assert query(school, "SELECT status, warnings FROM merge_files WHERE file = ?",
                 (outcome.file,)) == [(SKIPPED, 1)]


def test_lock_file_without_its_workbook_says_to_delete_it(school, tiny_settings):
    (school.workbooks_dir / "~$старый.xlsx").write_bytes(b"lock")
    result = merge_school(school, tiny_settings, now=at(8))
    (finding,) = result.findings
    assert finding.code == "R12" and not finding.is_error and "удалите этот файл" in finding.message


def test_formula_without_value_rejects_the_workbook(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    edit_cells(path, wf.SHEET_GRID, {grid_cell(path, B, MON): "=2+3"})
    result = merge_school(school, tiny_settings, now=at(8))
    assert status_of(result, "Математика") == REJECTED
    assert any(f.cell == grid_cell(path, B, MON) for f in result.findings)


def test_subject_workbook_without_class_list(tmp_path, tiny_settings):
    school = new_school(tmp_path)
    write_subject(school, math_content({(A, MON, 1): "5"}))
    result = merge_school(school, tiny_settings, now=at(8))
    assert status_of(result, "Математика") == MERGED
    assert [f.code for f in result.findings] == ["S03"]
    assert query(school, "SELECT student FROM v_marks") == [(A,)]


def test_apply_validated_records_at_a_given_moment(tmp_path, tiny_settings):
    conn = store.connect(tmp_path / "journal.sqlite")
    lesson = LessonRecord(MON, 1, "1 четверть", "Ответ на уроке", "Тема", "", "", 1)
    records = SubjectRecords("f.xlsx", "5А", "Математика", "", "Иванова Мария Сергеевна", 5,
                             students=[A], lessons=[lesson],
                             marks=[MarkRecord(A, MON, 1, 1, 5, 1.0, "E6")], new_students=[A])
    assert apply(conn, records, at(7)).status == MERGED
    assert apply(conn, records, at(10)).changes == 0
    records.marks.append(MarkRecord(A, MON, 1, 2, 4, 1.0, "E6"))
    assert apply(conn, records, at(11)).changes == 1
    assert conn.execute("SELECT change, days_late FROM changes").fetchall() == [("late_entry", 2)]
    assert conn.execute("SELECT count(*) FROM merges WHERE finished_at IS NOT NULL").fetchone() == (3,)
    conn.close()


def test_feedback_files_per_teacher(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "x"}))
    write_subject(school, wf.SubjectContent(marks={(A, dt.date(2026, 9, 8), 1): "ы"}),
                  key=("5А", "Английский язык", "1 группа"))
    result = merge_school(school, tiny_settings, now=at(8))
    paths = write_feedback(school, result)
    folder = school.output_dir / FEEDBACK_DIR
    assert {p.name for p in paths} == {"Иванова Мария Сергеевна.xlsx",
                                       "Петрова Елена Викторовна.xlsx", SUMMARY_NAME}
    ws = openpyxl.load_workbook(folder / "Иванова Мария Сергеевна.xlsx").active
    assert ws.cell(2, 1).value.startswith(f"Проверка {at(8):%d.%m.%Y %H:%M}.")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert len(rows) == 1
    file, sheet, cell, student, _date, severity, message, code = rows[0]
    assert (file, sheet, student, severity, code) == (
        "5А — Математика.xlsx", "Журнал", B, "ошибка", "M01 · непонятное значение")
    assert cell == grid_cell(school.workbooks_dir / "5А — Математика.xlsx", B, MON)
    assert "«x»" in message


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_workbook_saved_by_libreoffice_merges_the_same(tmp_path, tiny_settings):
    content = math_content({(A, WED, 2): "5/4", (B, WED, 2): "н", (V, MON, 1): 3})
    content.kinds[(WED, 2)] = "Контрольная работа"
    content.finals[(A, "1 четверть")] = "5"

    def merged_rows(root: Path, convert: bool) -> tuple[list, list]:
        school = new_school(root)
        write_class(school)
        path = write_subject(school, content)
        if convert:
            out = root / "lo"
            subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx",
                            "--outdir", str(out), str(path)], check=True, timeout=120,
                           capture_output=True, env={"HOME": str(root), "PATH": "/usr/bin:/bin"})
            shutil.move(out / path.name, path)
        result = merge_school(school, tiny_settings, now=at(8))
        conn = sqlite3.connect(school.store_path)
        marks = conn.execute("SELECT student, date, seq, position, value, weight, cell"
                             " FROM v_marks ORDER BY 1, 2, 3, 4").fetchall()
        rest = conn.execute("SELECT date, seq, kind, topic, homework FROM lessons ORDER BY 1, 2"
                            ).fetchall() + conn.execute(
            "SELECT student, code, cell FROM v_attendance").fetchall() + conn.execute(
            "SELECT student, kind, period, value FROM v_final_marks").fetchall()
        conn.close()
        assert [o.status for o in result.files] == [MERGED, MERGED], result.findings
        return marks, rest

    assert merged_rows(tmp_path / "lo-school", True) == merged_rows(tmp_path / "py-school", False)


def test_resaved_file_with_the_same_data_adds_no_history(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, MON, 1): "н"}))
    merge_school(school, tiny_settings, now=at(8))
    wb = openpyxl.load_workbook(path)
    wb.save(path)  # other bytes, same values
    result = merge_school(school, tiny_settings, now=at(30))
    assert status_of(result, "Математика") == MERGED and result.changes == 0
    assert query(school, "SELECT count(*) FROM changes")[0][0] == 0
    assert query(school, "SELECT value, first_seen, last_seen FROM v_marks") == [
        (5, "2026-09-08 16:00:00", "2026-09-30 16:00:00")]


def test_changed_settings_make_the_next_merge_read_everything_again(school, tiny_settings):
    write_subject(school, math_content({(A, MON, 1): "5"}))
    merge_school(school, tiny_settings, now=at(8))
    heavier = tuple(dataclasses.replace(k, weight=2.0) if k.name == "Ответ на уроке" else k
                    for k in tiny_settings.work_kinds)
    settings = dataclasses.replace(tiny_settings, work_kinds=heavier)
    result = merge_school(school, settings, now=at(9))
    assert [o.status for o in result.files] == [MERGED, MERGED]
    assert query(school, "SELECT value, weight FROM v_marks") == [(5, 2.0)]
    assert query(school, "SELECT count(*) FROM changes")[0][0] == 0
    again = merge_school(school, settings, now=at(10))
    assert [o.status for o in again.files] == [UNCHANGED, UNCHANGED]
