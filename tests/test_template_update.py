"""``journal templates``: create missing workbooks, rebuild outdated ones without losing a value."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from journal.intake.workbook_update import (
    CREATED,
    REFUSED,
    T_DUPLICATE,
    T_LOST,
    UNCHANGED,
    UPDATED,
    format_result,
    update_templates,
)
from journal.school.folder import SchoolFolder, class_workbook_name, subject_workbook_name
from journal.school.settings import Settings, TimetableEntry
from journal.workbooks import format as wf
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook
from journal.workbooks.format import StudentRecord
from journal.workbooks.reading import RawClassWorkbook, RawSubjectWorkbook, read_workbook

NOW = dt.datetime(2026, 11, 20, 15, 30)
MON = dt.date(2026, 9, 7)
WED = dt.date(2026, 9, 2)


@pytest.fixture(autouse=True)
def _no_worker_processes(monkeypatch):
    """Read in-process: the files here are our own, and forking per file is slow on 2 cores."""
    import journal.intake.workbook_update as tu

    monkeypatch.setattr(tu, "_read_safely", lambda path, root: read_workbook(path))


@pytest.fixture
def school(tmp_path) -> SchoolFolder:
    return SchoolFolder(tmp_path / "Школа")


def _fill_class(school: SchoolFolder, settings: Settings, class_name: str,
                students: list[StudentRecord]) -> Path:
    """What a class teacher does: type the class list into the class workbook."""
    school_class = settings.school_class(class_name)
    assert school_class is not None
    path = school.classes_dir / class_workbook_name(class_name)
    save_workbook(build_class_workbook(settings, school_class, wf.ClassContent(students=students)), path)
    return path


def _math(settings: Settings):
    item = settings.curriculum_item("5А", "Математика")
    assert item is not None
    return item


def _fill_math(school: SchoolFolder, settings: Settings, students: list[StudentRecord],
               content: wf.SubjectContent) -> Path:
    """What a subject teacher does: type marks, kinds, topics into the workbook."""
    path = school.workbooks_dir / subject_workbook_name("5А", "Математика")
    save_workbook(build_subject_workbook(settings, _math(settings), students, content), path)
    return path


def _math_content(students: list[StudentRecord]) -> wf.SubjectContent:
    a, b, c = (s.full_name for s in students[:3])
    return wf.SubjectContent(
        marks={(a, WED, 1): "5/4", (a, WED, 2): "Н", (b, WED, 2): "4", (c, MON, 1): "о/3",
               (b, MON, 1): 5.0},
        kinds={(WED, 1): "Ответ на уроке", (WED, 2): "Самостоятельная работа"},
        log={(WED, 1): wf.LogEntry("Натуральные числа", "§1 № 5"),
             (WED, 2): wf.LogEntry("Шкалы", "§2", "Сидорова Анна Павловна"),
             (MON, 1): wf.LogEntry("Координатный луч", "")},
        finals={(a, "1 четверть"): "5", (b, wf.FINAL_YEAR): "н/а"},
    )


def _content_of(path: Path) -> tuple[list[str], wf.SubjectContent]:
    result = read_workbook(path)
    assert isinstance(result.workbook, RawSubjectWorkbook), result.findings
    return result.workbook.to_content()


def test_first_run_creates_every_workbook_then_nothing_changes(school, tiny_settings):
    result = update_templates(school, tiny_settings, now=NOW)
    assert not result.has_errors, result.findings
    assert len(result.with_action(CREATED)) == len(tiny_settings.classes) + len(tiny_settings.curriculum)
    kinds = {}
    for path in school.input_files():
        read = read_workbook(path)
        assert read.meta is not None
        kinds[read.meta.kind] = kinds.get(read.meta.kind, 0) + 1
    assert kinds == {"class": 3, "subject": 5}
    assert "5А — файл классного руководителя — classes/5А — классный руководитель.xlsx" in format_result(
        result, school.root)  # what the class teacher's file is, beside its name
    again = update_templates(school, tiny_settings, now=NOW)
    assert [c.action for c in again.changes] == [UNCHANGED] * 8
    assert again.backup_dir is None


def test_students_come_from_the_class_workbook(school, tiny_settings, tiny_students):
    update_templates(school, tiny_settings, now=NOW)
    _fill_class(school, tiny_settings, "5А", tiny_students["5А"])
    result = update_templates(school, tiny_settings, now=NOW)
    assert not result.has_errors, result.findings
    updated = {c.title for c in result.with_action(UPDATED)}
    assert updated == {"5А — Математика", "5А — Английский язык (1 группа)",
                       "5А — Английский язык (2 группа)"}
    names, _ = _content_of(school.workbooks_dir / subject_workbook_name("5А", "Английский язык", "2 группа"))
    assert names == ["Борисова Дарья Игоревна", "Григорьева София Олеговна"]


def test_adding_a_student_keeps_every_filled_value(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    content = _math_content(students)
    path = _fill_math(school, tiny_settings, students, content)
    old_bytes = path.read_bytes()
    newcomer = StudentRecord("Новиков Пётр Ильич", joined=dt.date(2026, 11, 16),
                             groups={"Английский язык": "1 группа"})
    _fill_class(school, tiny_settings, "5А", [*students, newcomer])

    result = update_templates(school, tiny_settings, now=NOW)

    assert not result.has_errors, format_result(result)
    change = next(c for c in result.changes if c.path == path)
    assert change.action == UPDATED
    assert any("Новиков Пётр Ильич" in d for d in change.details)
    names, back = _content_of(path)
    assert names == [s.full_name for s in students] + ["Новиков Пётр Ильич"]
    assert back == content
    assert result.backup_dir is not None
    backup = result.backup_dir / "workbooks" / path.name
    assert backup.read_bytes() == old_bytes


def test_update_finds_workbooks_by_meta_not_by_name(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    content = _math_content(students)
    path = _fill_math(school, tiny_settings, students, content)
    renamed = path.with_name("математика Ивановой.xlsx")
    path.rename(renamed)
    _fill_class(school, tiny_settings, "5А", [*students, StudentRecord("Новиков Пётр Ильич")])
    result = update_templates(school, tiny_settings, now=NOW)
    assert not result.has_errors, format_result(result)
    assert not path.exists()
    assert _content_of(renamed)[1] == content


def test_refuses_when_a_student_with_marks_is_removed(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    before = path.read_bytes()
    _fill_class(school, tiny_settings, "5А",
                [s for s in students if s.full_name != "Борисова Дарья Игоревна"])

    result = update_templates(school, tiny_settings, now=NOW)

    assert result.has_errors
    assert next(c for c in result.changes if c.path == path).action == REFUSED
    lost = [f for f in result.findings if f.code == T_LOST and f.file.endswith(path.name)]
    assert {(f.sheet, f.student) for f in lost} == {(wf.SHEET_GRID, "Борисова Дарья Игоревна"),
                                                    (wf.SHEET_FINALS, "Борисова Дарья Игоревна")}
    assert all(f.cell for f in lost)
    assert path.read_bytes() == before
    # the grid cells named are where the marks really are
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawSubjectWorkbook)
    cells = {a: v for _, _, a, v in raw.mark_cells()}
    assert sorted((cells[f.cell] for f in lost if f.sheet == wf.SHEET_GRID), key=str) == ["4", 5.0]


def test_refuses_when_a_lesson_to_come_with_marks_leaves_the_timetable(school, tiny_settings,
                                                                     tiny_students):
    """Lessons that took place stay (tests/test_timetable_year.py); here the Monday is
    still to come, so its marks would have no lesson."""
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    before = path.read_bytes()
    no_monday = tuple(t for t in tiny_settings.timetable
                      if not (t.class_name == "5А" and t.subject == "Математика" and t.weekday == 1))
    settings = dataclasses.replace(tiny_settings, timetable=no_monday, today=dt.date(2026, 9, 1))

    result = update_templates(school, settings, now=NOW)

    lost = [f for f in result.findings if f.code == T_LOST]
    assert {f.date for f in lost} == {MON}
    assert {f.sheet for f in lost} == {wf.SHEET_GRID, wf.SHEET_LOG}
    assert len([f for f in lost if f.sheet == wf.SHEET_GRID]) == 2  # two marks on that Monday
    assert path.read_bytes() == before
    assert "Почему не обновлены" in format_result(result)


def test_a_new_lesson_in_the_timetable_keeps_every_value(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    content = _math_content(students)
    path = _fill_math(school, tiny_settings, students, content)
    friday = TimetableEntry("5А", "Математика", "", 5, 1)
    settings = dataclasses.replace(tiny_settings, timetable=(*tiny_settings.timetable, friday))

    result = update_templates(school, settings, now=NOW)

    assert not result.has_errors, format_result(result)
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawSubjectWorkbook)
    assert raw.lesson_dates() == settings.lesson_dates(_math(settings))
    assert raw.to_content()[1] == content


def test_dry_run_changes_nothing(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    before = sorted(p.name for p in school.root.rglob("*"))
    bytes_before = path.read_bytes()
    _fill_class(school, tiny_settings, "5А", [*students, StudentRecord("Новиков Пётр Ильич")])
    class_bytes = (school.classes_dir / class_workbook_name("5А")).read_bytes()

    result = update_templates(school, tiny_settings, now=NOW, dry_run=True)

    assert next(c for c in result.changes if c.path == path).action == UPDATED
    assert result.with_action(CREATED)
    assert sorted(p.name for p in school.root.rglob("*")) == before
    assert path.read_bytes() == bytes_before
    assert (school.classes_dir / class_workbook_name("5А")).read_bytes() == class_bytes


def test_two_workbooks_for_one_subject_are_both_refused(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    copy = path.with_name("копия.xlsx")
    copy.write_bytes(path.read_bytes())
    result = update_templates(school, tiny_settings, now=NOW)
    refused = {c.path.name for c in result.refused}
    assert refused == {path.name, copy.name}
    assert {f.code for f in result.findings if f.file.endswith((path.name, copy.name))} == {T_DUPLICATE}


def test_class_workbook_gets_group_columns_when_a_class_is_split(school, tiny_settings, tiny_students):
    students = [dataclasses.replace(s, groups={}) for s in tiny_students["10А"]]
    no_groups = dataclasses.replace(tiny_settings)
    path = _fill_class(school, no_groups, "10А", students)
    split = (*[c for c in tiny_settings.curriculum if c.class_name != "10А"],
             *[dataclasses.replace(c, group=g) for c in tiny_settings.curriculum if c.class_name == "10А"
               for g in ("1 группа", "2 группа")])
    settings = dataclasses.replace(tiny_settings, curriculum=split)

    result = update_templates(school, settings, now=NOW)

    assert next(c for c in result.changes if c.path == path).action == UPDATED
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawClassWorkbook)
    assert list(raw.group_columns()) == ["Физика"]
    assert raw.to_content().students == students


def test_a_student_who_leaves_stays_greyed_with_every_value(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    content = _math_content(students)
    path = _fill_math(school, tiny_settings, students, content)
    leaving = [dataclasses.replace(s, left=dt.date(2026, 10, 1)) if s.full_name == "Борисова Дарья Игоревна"
               else s for s in students]
    _fill_class(school, tiny_settings, "5А", leaving)

    result = update_templates(school, tiny_settings, now=NOW)

    assert next(c for c in result.changes if c.path == path).action == UPDATED
    names, back = _content_of(path)
    assert "Борисова Дарья Игоревна" in names
    assert back == content


def test_moving_a_student_to_another_group_keeps_their_marks_safe(school, tiny_settings, tiny_students):
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    item = tiny_settings.curriculum_item("5А", "Английский язык", "1 группа")
    assert item is not None
    tuesday = dt.date(2026, 9, 1)
    content = wf.SubjectContent(marks={("Алексеев Артём Павлович", tuesday, 1): "5"})
    path = school.workbooks_dir / subject_workbook_name("5А", "Английский язык", "1 группа")
    save_workbook(build_subject_workbook(tiny_settings, item, students, content), path)
    before = path.read_bytes()
    moved = [dataclasses.replace(s, groups={"Английский язык": "2 группа"})
             if s.full_name == "Алексеев Артём Павлович" else s for s in students]
    _fill_class(school, tiny_settings, "5А", moved)

    result = update_templates(school, tiny_settings, now=NOW)

    assert next(c for c in result.changes if c.path == path).action == REFUSED
    (lost,) = [f for f in result.findings if f.code == T_LOST]
    assert lost.student == "Алексеев Артём Павлович"
    assert "группу" in lost.message
    assert path.read_bytes() == before
    other = school.workbooks_dir / subject_workbook_name("5А", "Английский язык", "2 группа")
    assert "Алексеев Артём Павлович" in _content_of(other)[0]


@pytest.mark.slow
def test_command_exit_codes(tmp_path, tiny_settings, tiny_students):
    from typer.testing import CliRunner

    from journal.cli.main import app
    from journal.workbooks.settings_writer import write_settings_workbook

    runner = CliRunner()
    root = tmp_path / "Школа"
    root.mkdir()
    write_settings_workbook(tiny_settings, root / "Настройки.xlsx")
    school = SchoolFolder(root.resolve())

    first = runner.invoke(app, ["templates", "--school", str(root)])
    assert first.exit_code == 0, first.output
    assert "Создано: 8" in first.output

    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    _fill_class(school, tiny_settings, "5А", students[1:])
    dry = runner.invoke(app, ["templates", "--school", str(root), "--dry-run"])
    assert dry.exit_code == 1, dry.output
    assert "Алексеев Артём Павлович" in dry.output
    assert path.name in dry.output

    (root / "Настройки.xlsx").write_bytes(b"not a workbook")
    broken = runner.invoke(app, ["templates", "--school", str(root)])
    assert broken.exit_code == 2, broken.output


def test_a_class_workbook_with_errors_does_not_reach_the_subject_workbooks(school, tiny_settings,
                                                                            tiny_students):
    """A list the merge would reject is not copied on: no subject workbook blames the wrong file."""
    students = tiny_students["5А"]
    _fill_class(school, tiny_settings, "5А", students)
    path = _fill_math(school, tiny_settings, students, _math_content(students))
    old_bytes = path.read_bytes()
    school_class = tiny_settings.school_class("5А")
    newcomer = StudentRecord("Новиков Пётр Ильич", joined=dt.date(2026, 11, 16),
                             groups={"Английский язык": "1 группа"})
    broken = wf.ClassContent(students=[*students, newcomer], reasons=[wf.AbsenceReason(
        "Несуществующий Ученик", dt.date(2026, 11, 16), dt.date(2026, 11, 17), "Б")])
    save_workbook(build_class_workbook(tiny_settings, school_class, broken),
                  school.classes_dir / class_workbook_name("5А"))

    result = update_templates(school, tiny_settings, now=NOW)

    assert result.has_errors
    t02 = [f for f in result.findings if f.code == "T02"]
    assert len(t02) == 1 and "5А" in t02[0].message and "C02" in t02[0].message
    assert path.read_bytes() == old_bytes
