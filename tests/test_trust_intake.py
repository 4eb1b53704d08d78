"""Files that are who they say, nothing leaving without a word, locks that die with their owner."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
from support.merge_fixtures import (
    MON,
    WED,
    class_content,
    data_dump,
    edit_cells,
    find_cell,
    math_content,
    new_school,
    write_class,
    write_subject,
)

from journal.core.errors import StoreBusyError
from journal.dataset import store
from journal.intake.merge import (
    GONE,
    HELD,
    MERGED,
    REJECTED,
    REMOVED,
    UNREADABLE,
    check_files,
    merge_school,
)
from journal.intake.validation import students_named_in
from journal.workbooks import format as wf
from journal.workbooks.isolation import merge_lock, read_workbooks_safely, send_lock

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
V = "Васильев Егор Андреевич"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def at(day: int, month: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, 16, 0)


@pytest.fixture
def school(tmp_path):
    school = new_school(tmp_path / "school")
    write_class(school)
    return school


def outcome_of(outcomes, fragment: str):
    (outcome,) = [o for o in outcomes if fragment in o.file]
    return outcome


def marks_now(school) -> set[tuple]:
    with store.opened(school.store_path) as conn:
        return set(conn.execute("SELECT student, date, seq, value FROM v_marks"))


def lesson_teachers(school) -> set[str]:
    with store.opened(school.store_path) as conn:
        return {t for (t,) in conn.execute("SELECT DISTINCT teacher FROM lessons")}


MARKS = {(s, day, seq): "5" for s in (A, B, V) for day, seq in ((MON, 1), (WED, 1), (WED, 2))}


# --- the teacher in _meta -----------------------------------------------------


def _edit_meta_teacher(path: Path, teacher: str) -> None:
    """What a teacher does after LibreOffice showed the hidden _meta sheet: types another name."""
    key_cell = find_cell(path, wf.META_SHEET, wf.META_TEACHER)
    edit_cells(path, wf.META_SHEET, {"B" + key_cell[1:]: teacher})


def _libreoffice_round_trip(path: Path, work: Path) -> None:
    assert SOFFICE is not None
    out = work / "lo-out"
    subprocess.run(["timeout", "-s", "KILL", "120", SOFFICE,
                    f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True)
    shutil.copyfile(out / path.name, path)


def _check_meta_teacher_edit(school, tiny_settings, path: Path) -> None:
    result = check_files([path], tiny_settings, school=school)
    finding = next(f for f in result[0].findings if f.code == "W08")
    assert finding.is_error
    assert "Петров Пётр Петрович" in finding.message and "Иванова Мария Сергеевна" in finding.message
    before = data_dump(school)
    merged = merge_school(school, tiny_settings, now=at(10))
    assert outcome_of(merged.files, "Математика").status == REJECTED
    assert data_dump(school) == before
    assert lesson_teachers(school) == {"Иванова Мария Сергеевна"}


def test_edited_meta_teacher_is_an_error_at_check_and_merge(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    _edit_meta_teacher(path, "Петров Пётр Петрович")
    _check_meta_teacher_edit(school, tiny_settings, path)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_meta_teacher_edited_after_a_libreoffice_round_trip(school, tiny_settings, tmp_path):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    _libreoffice_round_trip(path, tmp_path)
    assert openpyxl.load_workbook(path)[wf.META_SHEET].sheet_state == "hidden"  # not very hidden
    _edit_meta_teacher(path, "Петров Пётр Петрович")
    _check_meta_teacher_edit(school, tiny_settings, path)


def test_a_substitute_recorded_in_the_log_may_stand_in_meta(school, tiny_settings):
    content = math_content(MARKS)
    content.log[(WED, 1)] = wf.LogEntry("Дроби", "№ 3", "Сидорова Анна Павловна")
    path = write_subject(school, content)
    _edit_meta_teacher(path, "Сидорова Анна Павловна")
    result = merge_school(school, tiny_settings, now=at(9))
    assert outcome_of(result.files, "Математика").status == MERGED
    assert lesson_teachers(school) == {"Иванова Мария Сергеевна"}


def test_edited_class_teacher_in_meta_is_an_error(school, tiny_settings):
    path = school.classes_dir / "5А — классный руководитель.xlsx"
    _edit_meta_teacher(path, "Петров Пётр Петрович")
    (outcome,) = check_files([path], tiny_settings, school=school)
    assert outcome.status == REJECTED
    (finding,) = [f for f in outcome.findings if f.code == "W08"]
    assert "Кузнецова Анна Ивановна" in finding.message and "Петров Пётр Петрович" in finding.message


# --- sorting only the names column --------------------------------------------


def _sort_names_only(path: Path) -> None:
    """Sort the names column alone, Я→А, leaving the marks (and «№») where they were."""
    wb = openpyxl.load_workbook(path)
    sheet, cells = wb.defined_names[wf.NAME_STUDENTS].attr_text.split("!")
    ws = wb[sheet.strip("'")]
    column = [row[0] for row in ws[cells.replace("$", "")]]
    names = sorted((c.value for c in column if c.value), reverse=True)
    for cell, name in zip(column, names, strict=False):
        cell.value = name
    wb.save(path)


def test_names_sorted_without_their_rows_are_an_error_at_check(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    before = data_dump(school)
    _sort_names_only(path)
    (outcome,) = check_files([path], tiny_settings, school=school)
    assert outcome.status == REJECTED
    (finding,) = [f for f in outcome.findings if f.code == "S08"]
    assert finding.is_error
    assert "в строке 6 «Григорьева София Олеговна» вместо «Алексеев Артём Павлович»" in finding.message
    assert "в строке 9" in finding.message and "строки целиком" in finding.message
    result = merge_school(school, tiny_settings, now=at(10), confirm_removals=True)
    assert outcome_of(result.files, "Математика").status == REJECTED
    assert data_dump(school) == before


def test_whole_rows_sorted_are_accepted(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    wb = openpyxl.load_workbook(path)
    sheet, cells = wb.defined_names[wf.NAME_MARKS].attr_text.split("!")
    ws = wb[sheet.strip("'")]
    first, last = (int("".join(ch for ch in part if ch.isdigit()))
                   for part in cells.replace("$", "").split(":"))
    rows = [[c.value for c in ws[r]] for r in range(first, last + 1)]
    rows.sort(key=lambda values: values[1], reverse=True)  # by name, whole rows with «№»
    for r, values in zip(range(first, last + 1), rows, strict=True):
        for col, value in enumerate(values, start=1):
            ws.cell(r, col).value = value
    wb.save(path)
    (outcome,) = check_files([path], tiny_settings, school=school)
    assert outcome.status == MERGED, outcome.findings
    before = marks_now(school)
    result = merge_school(school, tiny_settings, now=at(10))
    assert outcome_of(result.files, "Математика").status == MERGED
    assert marks_now(school) == before


def test_check_tells_that_merge_would_hold_the_file(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    write_subject(school, math_content({(A, MON, 1): "5"}))
    (outcome,) = check_files([path], tiny_settings, school=school)
    assert outcome.status == HELD
    (finding,) = [f for f in outcome.findings if f.code == "W06"]
    assert "старую копию" in finding.message and "подтверждением удалений" in finding.message


# --- files that are not workbooks -----------------------------------------------


@pytest.mark.parametrize(("name", "said"), [
    ("5А — Математика.xlsb", "в формате .xlsb (двоичная книга Excel)"),
    ("Отметки.pdf", "в формате .pdf (документ PDF)"),
    ("список.csv", "в формате .csv (текстовая таблица CSV)"),
    ("Отметки", "без расширения"),
])
def test_every_other_file_is_named_with_its_format(school, tiny_settings, name, said):
    workbook = write_subject(school, math_content(MARKS))
    other = school.workbooks_dir / name
    shutil.copyfile(workbook, other)  # Excel «Save as» keeps the content's look: any bytes do
    result = merge_school(school, tiny_settings, now=at(9))
    outcome = outcome_of(result.files, name)
    assert outcome.status == UNREADABLE
    (finding,) = outcome.findings
    assert finding.code == "R25" and said in finding.message
    (checked,) = check_files([other], tiny_settings, school=school)
    assert checked.status == UNREADABLE and said in checked.findings[0].message


def test_binary_workbook_under_an_xlsx_name_is_named(school, tiny_settings, tmp_path):
    import zipfile

    path = school.workbooks_dir / "5А — Математика.xlsx"
    with zipfile.ZipFile(path, "w") as archive:  # the parts of an .xlsb package
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    (outcome,) = check_files([path], tiny_settings, school=school)
    assert "в формате .xlsb (двоичная книга Excel)" in outcome.findings[0].message


def test_system_clutter_is_not_reported(school, tiny_settings):
    (school.workbooks_dir / "Thumbs.db").write_bytes(b"\0" * 10)
    (school.workbooks_dir / "desktop.ini").write_text("[.ShellClassInfo]")
    result = merge_school(school, tiny_settings, now=at(9))
    assert not any("Thumbs" in o.file or "desktop" in o.file for o in result.files)


# --- a workbook that left the folder -----------------------------------------------


def test_gone_workbook_keeps_its_data_and_is_named_until_confirmed(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    before = data_dump(school)
    path.unlink()
    for day in (10, 11):
        result = merge_school(school, tiny_settings, now=at(day))
        outcome = outcome_of(result.files, "Математика")
        assert outcome.status == GONE
        (finding,) = outcome.findings
        assert finding.code == "W09" and not finding.is_error
        assert "09.09.2026" in finding.message and "подтвердите это при сборе журналов" in finding.message
        assert finding.teacher == "Иванова Мария Сергеевна"
        assert result.has_problems
        assert [line for line in data_dump(school) if "marks" in line] == \
            [line for line in before if "marks" in line]
    result = merge_school(school, tiny_settings, now=at(12), confirm_gone=["5А — Математика.xlsx"])
    assert outcome_of(result.files, "Математика").status == REMOVED
    assert not result.findings
    result = merge_school(school, tiny_settings, now=at(14))
    assert not [o for o in result.files if "Математика" in o.file]
    assert not result.has_problems


def test_confirming_an_unknown_file_says_so(school, tiny_settings):
    result = merge_school(school, tiny_settings, now=at(9), confirm_gone=["нет такого.xlsx"])
    assert any("«нет такого.xlsx» не найден" in n for n in result.notices)


def test_an_xlsb_replacing_a_workbook_leaves_nothing_silent(school, tiny_settings):
    path = write_subject(school, math_content(MARKS))
    merge_school(school, tiny_settings, now=at(9))
    path.rename(path.with_suffix(".xlsb"))
    result = merge_school(school, tiny_settings, now=at(10))
    codes = {o.file: [f.code for f in o.findings] for o in result.files}
    assert codes == {"classes/5А — классный руководитель.xlsx": [],
                     "workbooks/5А — Математика.xlsb": ["R25"],
                     "workbooks/5А — Математика.xlsx": ["W09"]}


# --- notes to parents that name another student ---------------------------------------


def test_note_naming_another_student_is_a_warning(school, tiny_settings):
    note = "Артём подрался с Васильевым на перемене"
    path = write_class(school, content=class_content("5А", notes={A: note}))
    (outcome,) = check_files([path], tiny_settings, school=school)
    (finding,) = [f for f in outcome.findings if f.code == "C10"]
    assert not finding.is_error and finding.student == A and V in finding.message
    assert outcome.status == MERGED


def test_names_in_notes():
    school = [A, B, V, "Алексеева Ирина Павловна", "Ким Ли"]
    assert students_named_in("Молодец, помогает Борисовой Даше", A, school) == [B]
    assert students_named_in("Сестра Ирина ждёт его у ворот: Алексеева", A, school) == []
    assert students_named_in("Ким — хороший друг", A, school) == []  # too short to look for
    assert students_named_in("Хорошо работает на уроках", A, school) == []


# --- locks --------------------------------------------------------------------------


def _slow_parse(path: Path) -> object:
    time.sleep(60)
    return None


def _merging_process(store_path: str, files: list[str], ready) -> None:
    with merge_lock(store_path):
        ready.set()
        read_workbooks_safely([Path(f) for f in files], parse=_slow_parse, workers=2)


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_workers_and_lock_die_with_a_killed_merge(school, tiny_settings):
    files = [str(write_subject(school, math_content(MARKS)))] * 2
    ctx = mp.get_context("fork")
    ready = ctx.Event()
    merging = ctx.Process(target=_merging_process, args=(str(school.store_path), files, ready))
    merging.start()
    assert ready.wait(30)
    deadline = time.monotonic() + 30
    while len(_children_of(merging.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children_of(merging.pid)
    assert len(workers) == 2
    os.kill(merging.pid, signal.SIGKILL)
    merging.join(10)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers) and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
    result = merge_school(school, tiny_settings, now=at(9))  # the lock did not outlive it
    assert result.notices and "был прерван" in result.notices[0]
    assert "процесс больше не существует" in result.notices[0]
    assert not merge_school(school, tiny_settings, now=at(10)).notices  # released cleanly


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _hold_send_lock(store_path: str, ready, release) -> None:
    with send_lock(store_path):
        ready.set()
        release.wait(30)


def test_one_letters_send_at_a_time(tmp_path):
    store_path = tmp_path / "journal.sqlite"
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_send_lock, args=(str(store_path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusyError, match="уже отправляются"), send_lock(store_path):
            pass
        with merge_lock(store_path):  # a merge is not held up by a sending
            pass
    finally:
        release.set()
        holder.join(10)
    with send_lock(store_path) as held:
        assert held.notice == ""


def test_templates_do_not_rebuild_a_workbook_with_names_sorted_alone(school, tiny_settings):
    """Rebuilding would hand each row's marks to the name now beside it, for good."""
    import dataclasses

    from journal.intake.workbook_update import REFUSED, update_templates

    path = write_subject(school, math_content(MARKS))
    _sort_names_only(path)
    before = path.read_bytes()
    curriculum = tuple(dataclasses.replace(item, teacher="Новикова Нина Петровна")
                       if item.subject == "Математика" else item for item in tiny_settings.curriculum)
    settings = dataclasses.replace(tiny_settings, curriculum=curriculum)  # the layout is outdated
    result = update_templates(school, settings, now=at(20, 11))
    (change,) = [c for c in result.changes if c.path == path]
    assert change.action == REFUSED
    (finding,) = [f for f in result.findings if f.code == "T11"]
    assert "строки целиком" in finding.message
    assert path.read_bytes() == before
