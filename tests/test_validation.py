"""Validation rules: each teacher's mistake becomes a finding with its code and cell address."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from support.merge_fixtures import (
    MON,
    WED,
    class_content,
    date_cell,
    edit_cells,
    find_cell,
    grid_cell,
    math_content,
    new_school,
    write_class,
    write_subject,
)

from journal.intake.merge import validate_read
from journal.intake.plan import EMPTY_STATE, judge_missing_lessons
from journal.intake.validation import ClassRecords, KnownStudent, SubjectRecords, Validated
from journal.school.settings import Settings
from journal.workbooks import format as wf
from journal.workbooks.reading import read_workbook

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
G = "Григорьева София Олеговна"  # left 5А on 09.10.2026
ILYIN = "Ильин Марк Витальевич"  # joined 10А on 16.11.2026
CLASS_5A = [KnownStudent(A), KnownStudent(B), KnownStudent("Васильев Егор Андреевич"),
            KnownStudent(G, left=dt.date(2026, 10, 9))]
HOLIDAY = dt.date(2026, 11, 4)
TUESDAY = dt.date(2026, 9, 8)


def validate(path: Path, settings: Settings, class_list: list[KnownStudent] | None = None,
             ) -> Validated:
    result = read_workbook(path)
    assert result.workbook is not None, result.findings
    lists = {"5А": class_list} if class_list is not None else {}
    return validate_read(result.workbook, settings, path.name, None, lists)


def codes(validated: Validated) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in validated.findings}


@pytest.fixture
def school(tmp_path):
    return new_school(tmp_path)


MARK_CASES = [
    ("x", "M01"),
    ("5/4/3", "M02"),
    ("5+", "M05"),
    ("Н/Б", "M04"),
]


@pytest.mark.parametrize(("value", "code"), MARK_CASES)
def test_bad_mark_cell_is_an_error_at_its_cell(school, tiny_settings, value, code):
    path = write_subject(school, math_content({(A, WED, 1): "5", (B, MON, 1): value}))
    validated = validate(path, tiny_settings, CLASS_5A)
    assert (code, grid_cell(path, B, MON)) in codes(validated)
    (finding,) = [f for f in validated.findings if f.code == code]
    assert finding.is_error and finding.student == B and finding.date == MON
    assert finding.sheet == wf.SHEET_GRID and finding.teacher == "Иванова Мария Сергеевна"
    assert validated.has_errors


@pytest.mark.parametrize("value", ["5", "н", "H", "о/4", 4.0, "4 5", " 3 "])
def test_normalised_values_pass(school, tiny_settings, value):
    path = write_subject(school, math_content({(B, MON, 1): value}))
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not validated.has_errors, validated.findings


def test_grade_one_takes_no_marks(school, tiny_settings):
    day = dt.date(2026, 9, 2)
    key = ("1А", "Русский язык", "")
    path = write_subject(school, wf.SubjectContent(marks={("Дмитриев Лев Романович", day, 1): "5"}),
                         key=key)
    result = read_workbook(path)
    validated = validate_read(result.workbook, tiny_settings, path.name, None, {})
    assert ("M06", grid_cell(path, "Дмитриев Лев Романович", day)) in codes(validated)


@pytest.mark.parametrize(("new_date", "code"), [
    (HOLIDAY, "D05"),
    (dt.date(2025, 10, 6), "D03"),
])
def test_mark_on_a_bad_date(school, tiny_settings, new_date, code):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    edit_cells(path, wf.SHEET_GRID, {date_cell(path, MON): new_date})
    validated = validate(path, tiny_settings, CLASS_5A)
    (finding,) = [f for f in validated.findings if f.code == code]
    assert finding.cell == grid_cell(path, B, new_date) and finding.is_error


def test_date_not_in_timetable_is_a_warning(school, tiny_settings):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    cell = date_cell(path, MON)
    edit_cells(path, wf.SHEET_GRID, {cell: TUESDAY})
    validated = validate(path, tiny_settings, CLASS_5A)
    assert ("D04", cell) in codes(validated)
    assert not validated.has_errors


def test_text_in_date_row(school, tiny_settings):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    cell = date_cell(path, MON)
    edit_cells(path, wf.SHEET_GRID, {cell: "завтра"})
    validated = validate(path, tiny_settings, CLASS_5A)
    assert ("D01", cell) in codes(validated)
    (finding,) = [f for f in validated.findings if f.code == "D02"]
    assert finding.student == B
    assert re.sub(r"\d", "", finding.cell) == re.sub(r"\d", "", cell)  # the same column


def test_mark_after_leaving_and_before_joining(school, tiny_settings):
    late = dt.date(2026, 10, 12)  # a Monday after G left
    path = write_subject(school, math_content({(G, late, 1): "4"}))
    validated = validate(path, tiny_settings, CLASS_5A)
    assert ("S06", grid_cell(path, G, late)) in codes(validated)

    early = dt.date(2026, 11, 10)  # a Tuesday before Ильин joined 10А
    key = ("10А", "Физика", "")
    path = write_subject(school, wf.SubjectContent(marks={(ILYIN, early, 1): "5"}), key=key)
    result = read_workbook(path)
    validated = validate_read(result.workbook, tiny_settings, path.name, None, {
        "10А": [KnownStudent(ILYIN, joined=dt.date(2026, 11, 16))]})
    assert ("S05", grid_cell(path, ILYIN, early)) in codes(validated)


def test_student_not_in_class_list_and_twice(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    a_cell = find_cell(path, wf.SHEET_GRID, A)
    b_cell = find_cell(path, wf.SHEET_GRID, B)
    validated = validate(path, tiny_settings, [s for s in CLASS_5A if s.full_name != A])
    assert ("S01", a_cell) in codes(validated)
    edit_cells(path, wf.SHEET_GRID, {b_cell: A.upper()})
    validated = validate(path, tiny_settings, CLASS_5A)
    assert ("S02", b_cell) in codes(validated)


def test_no_class_list_takes_students_with_a_warning(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    validated = validate(path, tiny_settings, None)
    assert {f.code for f in validated.findings} == {"S03"}
    assert isinstance(validated.records, SubjectRecords)
    assert A in validated.records.new_students


def test_kind_of_work_rules(school, tiny_settings):
    content = math_content({(A, MON, 1): "5", (A, WED, 1): "4"})
    content.kinds[(MON, 1)] = "Пляски"
    del content.kinds[(WED, 1)]
    path = write_subject(school, content)
    validated = validate(path, tiny_settings, CLASS_5A)
    found = codes(validated)
    assert ("K01", date_cell(path, MON, name=wf.NAME_KINDS)) in found
    assert ("K02", date_cell(path, WED, name=wf.NAME_KINDS)) in found
    assert len([f for f in validated.findings if f.code.startswith("K")]) == 2


def test_marks_without_topic_is_a_warning_at_the_log_row(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5"}, topics=False))
    validated = validate(path, tiny_settings, CLASS_5A)
    (finding,) = [f for f in validated.findings if f.code == "L01"]
    assert finding.sheet == wf.SHEET_LOG and finding.date == MON and not finding.is_error
    assert finding.cell and not validated.has_errors


@pytest.mark.parametrize(("change", "code"), [
    ({"school_year": "2025/2026"}, "W02"),
    ({"classes": ()}, "W01"),
    ({"curriculum": ()}, "W03"),
])
def test_workbook_for_unknown_class_subject_or_year(school, tiny_settings, change, code):
    path = write_subject(school, math_content({(A, MON, 1): "5"}))
    validated = validate(path, dataclasses.replace(tiny_settings, **change), CLASS_5A)
    assert code in {f.code for f in validated.findings}
    assert validated.records is None


def test_final_marks(school, tiny_settings):
    content = math_content({(A, MON, 1): "5", (A, WED, 1): "5", (B, MON, 1): "3"})
    content.finals[(A, "1 четверть")] = "2"
    content.finals[(B, "1 четверть")] = "6"
    content.finals[(B, wf.FINAL_YEAR)] = "зачёт"
    path = write_subject(school, content)
    validated = validate(path, tiny_settings, CLASS_5A)
    a_cell = find_cell(path, wf.SHEET_FINALS, "2")
    b_cell = find_cell(path, wf.SHEET_FINALS, "6")
    found = codes(validated)
    assert ("F02", a_cell) in found
    assert ("F01", b_cell) in found
    assert next(f for f in validated.findings if f.code == "F02").severity == "warning"


def test_period_mark_near_average_is_fine(school, tiny_settings):
    content = math_content({(A, MON, 1): "5", (A, WED, 1): "4"})
    content.finals[(A, "1 четверть")] = "5"
    path = write_subject(school, content)
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not validated.findings
    assert isinstance(validated.records, SubjectRecords)
    assert [(f.kind, f.period, f.value) for f in validated.records.finals] == [
        ("period", "1 четверть", "5")]


def test_period_mark_is_compared_with_that_period_s_marks_only(school, tiny_settings):
    second_quarter = dt.date(2026, 11, 16)
    assert tiny_settings.period_of(tiny_settings.school_class("5А"), second_quarter).name == "2 четверть"
    content = math_content({(A, MON, 1): "5", (A, WED, 1): "5", (A, second_quarter, 1): "2",
                            (B, MON, 1): "2", (B, second_quarter, 1): "5"})
    content.finals[(A, "1 четверть")] = "5"
    content.finals[(A, "2 четверть")] = "2"
    content.finals[(B, "2 четверть")] = "2"
    path = write_subject(school, content)
    validated = validate(path, tiny_settings, CLASS_5A)
    far = [(f.student, f.message) for f in validated.findings if f.code == "F02"]
    assert far == [(B, "отметка за 2 четверть «2» далека от средневзвешенного балла 5,00. "
                       "Проверьте отметку")]

def test_records_of_a_clean_workbook(school, tiny_settings):
    content = math_content({(A, WED, 2): "5/4", (B, WED, 2): "н"})
    content.kinds[(WED, 2)] = "Контрольная работа"
    path = write_subject(school, content)
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not validated.findings
    rec = validated.records
    assert isinstance(rec, SubjectRecords)
    assert [(m.student, m.position, m.value, m.weight) for m in rec.marks] == [
        (A, 1, 5, 3.0), (A, 2, 4, 3.0)]
    assert [(a.student, a.code) for a in rec.attendance] == [(B, "Н")]
    lesson = next(les for les in rec.lessons if (les.date, les.seq) == (WED, 2))
    assert lesson.allowed_days == 5 and lesson.topic == "Натуральные числа"
    assert lesson.period == "1 четверть"


# class workbooks -------------------------------------------------------------


def validate_class_file(path: Path, settings: Settings) -> Validated:
    result = read_workbook(path)
    assert result.workbook is not None, result.findings
    return validate_read(result.workbook, settings, path.name, None)


def test_clean_class_workbook(school, tiny_settings):
    content = class_content(
        "5А", parents=[wf.ParentRecord(A, "Алексеева Ирина", "+7 900 000-00-00", "ira@mail.ru")],
        reasons=[wf.AbsenceReason(B, MON, MON, "Б", "справка")], notes={A: "Молодец"})
    path = write_class(school, content=content)
    validated = validate_class_file(path, tiny_settings)
    assert not validated.findings
    rec = validated.records
    assert isinstance(rec, ClassRecords)
    assert len(rec.students) == 4 and rec.reasons[0].code == "Б" and rec.notes == {A: "Молодец"}
    assert dict(rec.students[0].groups) == {"Английский язык": "1 группа"}


@pytest.mark.parametrize(("extra", "code", "where"), [
    ({"reasons": [wf.AbsenceReason("Неизвестный Ученик", MON, MON, "Б")]}, "C02",
     "Неизвестный Ученик"),
    ({"reasons": [wf.AbsenceReason(B, MON, MON, "Ж")]}, "C05", "Ж"),
    ({"reasons": [wf.AbsenceReason(B, MON, WED, "Б")]}, "C04", dt.datetime(2026, 9, 2)),
    ({"parents": [wf.ParentRecord(A, "Алексеева Ирина", "", "ira.mail.ru")]}, "C06",
     "ira.mail.ru"),
])
def test_class_workbook_rules(school, tiny_settings, extra, code, where):
    path = write_class(school, content=class_content("5А", **extra))
    validated = validate_class_file(path, tiny_settings)
    sheet = wf.SHEET_PARENTS if "parents" in extra else wf.SHEET_REASONS
    assert (code, find_cell(path, sheet, where)) in codes(validated)


def test_class_duplicate_student_and_bad_date(school, tiny_settings):
    content = class_content("5А")
    content.students.append(wf.StudentRecord(A))
    path = write_class(school, content=content)
    second = [c for c in _cells(path, wf.SHEET_STUDENTS, A)][1]
    validated = validate_class_file(path, tiny_settings)
    assert ("C01", second) in codes(validated)

    path = write_class(school, content=class_content("5А"))
    birth = find_cell(path, wf.SHEET_STUDENTS, dt.datetime(2015, 3, 2))
    edit_cells(path, wf.SHEET_STUDENTS, {birth: "весной"})
    assert ("C03", birth) in codes(validate_class_file(path, tiny_settings))


def _cells(path: Path, sheet: str, value: object) -> list[str]:
    import openpyxl

    ws = openpyxl.load_workbook(path)[sheet]
    return [c.coordinate for row in ws.iter_rows() for c in row if c.value == value]


def test_marks_for_a_lesson_not_yet_held_are_a_warning(school, tiny_settings):
    path = write_subject(school, math_content({(A, MON, 1): "5", (B, WED, 1): "4"}))
    result = read_workbook(path)
    validated = validate_read(result.workbook, tiny_settings, path.name, None,
                              {"5А": CLASS_5A}, today=dt.date(2026, 9, 4))
    (finding,) = validated.findings
    assert (finding.code, finding.cell, finding.date) == ("D06", date_cell(path, MON), MON)
    assert not validated.has_errors


def test_student_in_another_group_is_a_warning(school, tiny_settings):
    key = ("5А", "Английский язык", "1 группа")
    path = write_subject(school, wf.SubjectContent(), key=key)
    moved = [KnownStudent(s.full_name, s.joined, s.left,
                          (("Английский язык", "2 группа" if s.full_name == A else "1 группа"),))
             for s in CLASS_5A]
    result = read_workbook(path)
    validated = validate_read(result.workbook, tiny_settings, path.name, None, {"5А": moved})
    assert codes(validated) == {("S07", find_cell(path, wf.SHEET_GRID, A))}


@pytest.mark.parametrize("text", ["07.09.2026", "2026-09-07", "07/09/26", "7 сентября 2026", "07.09"])
def test_date_typed_as_text_is_read_with_a_warning(school, tiny_settings, text):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    cell = date_cell(path, MON)
    log_cell = find_cell(path, wf.SHEET_LOG, dt.datetime.combine(MON, dt.time()))
    edit_cells(path, wf.SHEET_GRID, {cell: text})
    edit_cells(path, wf.SHEET_LOG, {log_cell: text})
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not validated.has_errors, validated.findings
    found = {(f.sheet, f.cell): f for f in validated.findings if f.code == "D08"}
    assert set(found) == {(wf.SHEET_GRID, cell), (wf.SHEET_LOG, log_cell)}
    assert all(f"«{text}»" in f.message and "07.09.2026" in f.message and f.date == MON
               for f in found.values())
    assert isinstance(validated.records, SubjectRecords)
    assert [m.date for m in validated.records.marks] == [MON]


def test_dates_entered_as_dates_give_no_text_warning(school, tiny_settings):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not [f for f in validated.findings if f.code == "D08"]


def test_moved_lesson_is_not_a_missing_column(school, tiny_settings):
    path = write_subject(school, math_content({(B, MON, 1): "5"}))
    edit_cells(path, wf.SHEET_GRID, {date_cell(path, MON): TUESDAY})
    validated = validate(path, tiny_settings, CLASS_5A)
    found = {f.code for f in validated.findings}
    assert "D04" in found and "D07" not in found
    assert isinstance(validated.records, SubjectRecords) and validated.records.missing_lessons == []


def test_cleared_date_leaves_its_lesson_missing(school, tiny_settings):
    path = write_subject(school, math_content({(B, WED, 1): "5"}))
    edit_cells(path, wf.SHEET_GRID, {date_cell(path, MON): None})
    validated = validate(path, tiny_settings, CLASS_5A)
    assert not [f for f in validated.findings if f.code == "D07"]  # judged by the plan stage
    assert isinstance(validated.records, SubjectRecords)
    assert validated.records.missing_lessons == [(MON, 1)]
    finding = judge_missing_lessons(validated.records, EMPTY_STATE)  # nothing merged for it
    assert finding is not None and finding.code == "D07"
    assert not finding.is_error and "07.09.2026" in finding.message and finding.date == MON
