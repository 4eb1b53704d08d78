"""Year, exam and final marks: the rules, and the warnings a teacher sees in their workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from support.merge_fixtures import make_tiny_settings, math_content, new_school, write_subject

from journal.intake.merge import validate_read
from journal.intake.validation import KnownStudent, Validated
from journal.school.settings import CouncilDecision, Norms, Settings
from journal.school.year_marks import (
    Outcome,
    accepted_year_marks,
    parse_decision,
    propose_final_mark,
    propose_year_mark,
    year_outcome,
)
from journal.workbooks import format as wf
from journal.workbooks.reading import read_workbook
from journal.workbooks.settings_reader import read_settings
from journal.workbooks.settings_writer import write_settings_workbook

NORMS = Norms()
A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
CLASS_5A = [KnownStudent(A), KnownStudent(B), KnownStudent("Васильев Егор Андреевич"),
            KnownStudent("Григорьева София Олеговна")]
QUARTERS = ["1 четверть", "2 четверть", "3 четверть", "4 четверть"]


@pytest.mark.parametrize(("periods", "year"), [
    (["4", "4", "3", "4"], "4"),      # 3,75 → 4
    (["4", "3", "3", "4"], "3"),      # 3,5 stays 3 below the threshold 0,6
    (["5", "5", "4", "5"], "5"),      # 4,75
    (["3", "2", "2", "3"], "2"),      # 2,5
    (["осв", "осв", "осв", "осв"], "осв"),
    (["зч", "зч", "нз", "зч"], "нз"),
    (["зч", "зч"], "зч"),
    (["4", "4", "4", "н/а"], "н/а"),
    (["4", "осв", "5", "5"], "5"),    # осв is not counted: 4,67
    (["4", "4", None, "4"], None),    # a period without its mark: nothing proposed
])
def test_year_mark_proposed_from_periods(periods, year):
    assert propose_year_mark(periods, NORMS) == year


def test_year_mark_in_the_students_favour_between_half_and_threshold():
    assert accepted_year_marks(["4", "3", "3", "4"], NORMS) == {"3", "4"}
    assert accepted_year_marks(["4", "3", "3", "3"], NORMS) == {"3"}
    assert accepted_year_marks(["4", "4", "3", "4"], NORMS) == {"4"}
    assert propose_year_mark(["4", "3"], Norms(rounding_threshold=0.5)) == "4"


@pytest.mark.parametrize(("year", "exam", "has_exam", "final"), [
    ("4", None, False, "4"),
    ("4", "5", True, "5"),     # 4,5 rounds half up
    ("3", "4", True, "4"),
    ("5", "3", True, "4"),
    ("4", None, True, None),   # the exam is still to come
    ("4", "2", True, None),    # a failed exam gives no final mark
    (None, "5", True, None),
    ("зч", None, False, "зч"),
])
def test_final_mark_from_year_and_exam(year, exam, has_exam, final):
    assert propose_final_mark(year, exam, has_exam) == final


def test_year_outcome_rules():
    assert year_outcome(5, {"Математика": "4", "Физика": "3"}).outcome == Outcome.PROMOTED
    one = year_outcome(5, {"Математика": "2", "Физика": "3"})
    assert (one.outcome, one.debts) == (Outcome.CONDITIONAL, ("Математика",))
    two = year_outcome(5, {"Математика": "2", "Физика": "н/а", "Химия": "4"})
    assert two.outcome == Outcome.CONDITIONAL
    three = year_outcome(5, {"Математика": "2", "Физика": "н/а", "Химия": "нз"})
    assert three.outcome == Outcome.UNDECIDED
    assert year_outcome(5, {"Математика": "4", "Физика": None}).outcome == Outcome.UNDECIDED
    kept = year_outcome(5, {"Математика": "2"}, decision=Outcome.KEPT)
    assert (kept.outcome, kept.decided) == (Outcome.KEPT, True)
    assert "решение педсовета" in kept.reason()
    assert year_outcome(9, {"Математика": "4"}, {"Математика": "4"}).outcome == Outcome.GRADUATED
    assert year_outcome(9, {"Математика": "4"}, {"Математика": "2"}).outcome == Outcome.NOT_GRADUATED
    assert year_outcome(11, {"Математика": "4"}, {"Математика": None}).outcome == Outcome.UNDECIDED
    assert year_outcome(9, {"Математика": "2"}, {}).outcome == Outcome.NOT_GRADUATED
    assert year_outcome(1, {}).outcome == Outcome.PROMOTED
    assert year_outcome(11, {"Физика": "2"}, {}, decision=Outcome.PROMOTED).outcome == Outcome.GRADUATED


def test_decision_words():
    assert parse_decision("Оставлен на повторное обучение") == Outcome.KEPT
    assert parse_decision("переведен условно") == Outcome.CONDITIONAL
    assert parse_decision("переведён.") == Outcome.PROMOTED
    assert parse_decision("отчислен") is None


# -- the teacher's workbook -------------------------------------------------------------------

def finals_cell(path: Path, student: str, column: str) -> str:
    ws = openpyxl.load_workbook(path)[wf.SHEET_FINALS]
    header = next(r for r in ws.iter_rows() if any(c.value == wf.FINALS_NAME_COLUMN for c in r))
    col = next(c.column_letter for c in header if c.value == column)
    row = next(c.row for c in ws["A"] if c.value == student)
    return f"{col}{row}"


def validate(path: Path, settings: Settings) -> Validated:
    result = read_workbook(path)
    assert result.workbook is not None, result.findings
    return validate_read(result.workbook, settings, path.name, None, {"5А": CLASS_5A})


def with_exam(settings: Settings) -> Settings:
    curriculum = tuple(dataclasses.replace(c, exam=True) if c.key == ("5А", "Математика", "") else c
                       for c in settings.curriculum)
    return dataclasses.replace(settings, curriculum=curriculum)


def year_content(marks: dict[str, dict[str, str]]) -> wf.SubjectContent:
    content = math_content()
    for student, columns in marks.items():
        for column, value in columns.items():
            content.finals[(student, column)] = value
    return content


def test_year_mark_disagreeing_with_periods_is_a_warning_at_its_cell(tmp_path):
    settings = make_tiny_settings()
    quarters = dict(zip(QUARTERS, ["4", "4", "3", "4"], strict=True))
    content = year_content({A: {**quarters, wf.FINAL_YEAR: "3", wf.FINAL_FINAL: "3"},
                            B: {**quarters, wf.FINAL_YEAR: "4", wf.FINAL_FINAL: "4"}})
    path = write_subject(new_school(tmp_path), content, settings=settings)
    validated = validate(path, settings)
    found = [(f.code, f.cell, f.student) for f in validated.findings]
    assert found == [("F03", finals_cell(path, A, wf.FINAL_YEAR), A)]
    message = validated.findings[0].message
    assert "«3»" in message and "3,75" in message and "«4»" in message
    assert validated.findings[0].severity == "warning"
    assert {(f.student, f.kind, f.value) for f in validated.records.finals if f.kind != "period"} == {
        (A, "year", "3"), (A, "final", "3"), (B, "year", "4"), (B, "final", "4")}


def test_exam_and_final_marks_checked(tmp_path):
    settings = with_exam(make_tiny_settings())
    quarters = dict(zip(QUARTERS, ["4", "4", "4", "4"], strict=True))
    content = year_content({
        A: {**quarters, wf.FINAL_YEAR: "4", wf.FINAL_EXAM: "5", wf.FINAL_FINAL: "4"},  # should be 5
        B: {**quarters, wf.FINAL_YEAR: "4", wf.FINAL_FINAL: "4"},  # the exam is missing
    })
    path = write_subject(new_school(tmp_path), content, settings=settings)
    found = {(f.code, f.cell) for f in validate(path, settings).findings}
    assert found == {("F04", finals_cell(path, A, wf.FINAL_FINAL)),
                     ("F05", finals_cell(path, B, wf.FINAL_FINAL))}


def test_exam_mark_without_an_exam_in_the_curriculum(tmp_path):
    settings = make_tiny_settings()
    content = year_content({A: {wf.FINAL_EXAM: "5"}})
    path = write_subject(new_school(tmp_path), content, settings=settings)
    found = {(f.code, f.cell) for f in validate(path, settings).findings}
    assert found == {("F06", finals_cell(path, A, wf.FINAL_EXAM))}


# -- the settings: exams in the curriculum, the teachers' council's decisions ----------------------

def test_settings_keep_exams_and_decisions(tmp_path):
    settings = dataclasses.replace(
        with_exam(make_tiny_settings()),
        decisions=(CouncilDecision("5А", B, "оставлен на повторное обучение", dt.date(2027, 5, 28),
                                   "протокол № 7"),))
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(settings, path)
    back, findings = read_settings(path)
    assert back is not None
    assert back.curriculum == settings.curriculum
    assert back.decisions == settings.decisions
    assert back.has_exam("5А", "математика") and not back.has_exam("5А", "Английский язык")
    decision = back.decision_for("5 а", B.upper())
    assert decision is not None and parse_decision(decision.decision) == Outcome.KEPT
    assert not [f for f in findings if f.code in ("N50", "N51")]


def test_unknown_decision_is_an_error_at_its_cell(tmp_path):
    settings = dataclasses.replace(make_tiny_settings(),
                                   decisions=(CouncilDecision("5А", B, "отчислен"),
                                              CouncilDecision("7Б", A, "переведён")))
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(settings, path)
    back, findings = read_settings(path)
    mine = {(f.code, f.sheet) for f in findings if f.code in ("N50", "N51")}
    assert mine == {("N50", "Решения педсовета"), ("N51", "Решения педсовета")}
    assert back is None or back.decisions == ()
