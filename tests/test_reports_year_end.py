"""The year's end reports over a hand-counted fixture school (tests/support/year_fixtures.py)."""

from __future__ import annotations

import openpyxl
import pytest
from support.year_fixtures import MATH_TEACHER, RUSSIAN_TEACHER, build_dataset, load_fixture, make_settings

from journal.intake.feedback import READINESS_SHEET, SUMMARY_NAME, write_feedback
from journal.intake.merge import MergeResult
from journal.reports import year_end
from journal.reports.readiness import for_feedback, readiness
from journal.school.folder import FEEDBACK_DIR, SchoolFolder


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("year"))


@pytest.fixture(scope="module")
def results(dataset):
    return year_end.year_results(dataset, make_settings())


def test_year_marks_proposed_and_checked(results):
    row = results[(results["student"] == "Борисова Анна") & (results["subject"] == "Математика")].iloc[0]
    assert (row["year"], row["year_proposed"], bool(row["year_agrees"])) == ("4", "3", True)
    off = year_end.disagreements(results)
    assert list(zip(off["student"], off["subject"], off["year"], off["year_proposed"], strict=True)) == [
        ("Дмитриева Ольга", "Математика", "3", "4")]
    exam = results[(results["student"] == "Жуков Андрей") & (results["subject"] == "Математика")].iloc[0]
    assert (bool(exam["has_exam"]), exam["exam"], exam["final"], exam["final_proposed"]) == (
        True, "5", "5", "5")
    assert "Егоров Сергей" not in set(results["student"])


def test_summary_sheet_of_a_class(results):
    sheet = year_end.summary_sheet(results, "9А").set_index("Ученик")
    assert list(sheet.columns) == ["Математика", "Русский язык"]
    assert sheet.loc["Жуков Андрей", "Математика"] == "4 / 5 / 5"
    assert sheet.loc["Зайцева Мария", "Математика"] == "3 / 2 / —"
    assert sheet.loc["Иванов Илья", "Математика"] == "4 / — / —"
    assert sheet.loc["Жуков Андрей", "Русский язык"] == "4"
    five = year_end.summary_sheet(results, "5А").set_index("Ученик")
    assert five.loc["Дмитриева Ольга", "Русский язык"] == ""  # no 4th quarter: nothing proposed


def test_outcomes_counted_as_by_hand(dataset, results):
    outcomes = year_end.student_outcomes(results, make_settings(), dataset)
    by_student = dict(zip(outcomes["student"], outcomes["outcome"], strict=True))
    assert by_student == {
        "Кузнецова Вера": "переведён", "Алексеев Иван": "переведён", "Борисова Анна": "переведён",
        "Васильев Пётр": "переведён условно", "Григорьев Олег": "оставлен на повторное обучение",
        "Дмитриева Ольга": "не определено", "Жуков Андрей": "окончил",
        "Зайцева Мария": "не окончил", "Иванов Илья": "не определено"}
    reason = outcomes.set_index("student").loc["Васильев Пётр", "reason"]
    assert reason == "академическая задолженность: Математика"
    counts = year_end.outcome_counts(outcomes).set_index("class")
    columns = ["students", "promoted", "conditional", "kept", "graduated", "not_graduated", "undecided"]
    assert counts.loc["5А", columns].tolist() == [5, 2, 1, 1, 0, 0, 1]
    assert counts.loc["9А", columns].tolist() == [3, 0, 0, 0, 1, 1, 1]
    assert counts.loc["1А", columns].tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert counts.loc["Школа", columns].tolist() == [9, 3, 1, 1, 1, 1, 2]


def test_readiness_lists_exactly_what_is_missing(dataset):
    view = readiness(dataset, make_settings(), today="2027-05-27")
    missing = sorted(zip(view.missing["class"], view.missing["subject"], view.missing["student"],
                         view.missing["what"], view.missing["teacher"], strict=True))
    assert missing == [
        ("5А", "Русский язык", "Дмитриева Ольга", "годовая отметка", RUSSIAN_TEACHER),
        ("5А", "Русский язык", "Дмитриева Ольга", "отметка за 4 четверть", RUSSIAN_TEACHER),
        ("9А", "Математика", "Иванов Илья", "экзаменационная отметка", MATH_TEACHER),
    ]
    behind = {(c, s): p.split(":")[0] for c, s, p in zip(
        view.workbooks["class"], view.workbooks["subject"], view.workbooks["problem"], strict=True)}
    assert behind == {("1А", "Русский язык"): "ни разу не собран в общую базу",
                      ("5А", "Русский язык"): "отклонён при последнем сборе",
                      ("9А", "Русский язык"):
                          "не собирался после окончания периода (последний сбор 20.05.2027)"}
    classes = view.classes.set_index("class")
    assert classes.loc["9А", ["period", "missing_marks", "workbooks_behind", "copies"]].tolist() == [
        "4 четверть", 1, 1, 1]
    assert classes.loc["9А", "last_copy"] == "версия 1 от 29.05.2027"
    assert not classes["ready"].any()
    mine = view.for_teacher(MATH_TEACHER)
    assert set(mine.missing["student"]) == {"Иванов Илья"} and list(mine.classes.index) != []
    assert set(mine.classes["class"]) == {"9А"}


def test_readiness_of_an_earlier_period(dataset):
    view = readiness(dataset, make_settings(), period="3", today="2027-05-27")
    assert set(view.classes["period"]) == {"3 четверть"}
    # Егоров left on 01.03.2027, before the 3rd quarter ended: not on its list
    assert list(view.missing["student"]) == []


def test_teacher_sees_what_is_missing_in_their_feedback_file(tmp_path):
    school = SchoolFolder(tmp_path)
    path = build_dataset(tmp_path / "journal.sqlite")
    ready = for_feedback(path, make_settings(), "2027-05-27")
    written = write_feedback(school, MergeResult(2, "2027-05-28 16:00:00"), (), ready)
    names = {p.name for p in written}
    assert f"{MATH_TEACHER}.xlsx" in names and f"{RUSSIAN_TEACHER}.xlsx" in names
    sheet = openpyxl.load_workbook(school.output(FEEDBACK_DIR) / f"{MATH_TEACHER}.xlsx")[READINESS_SHEET]
    rows = [[c for c in r if c is not None] for r in sheet.iter_rows(values_only=True)]
    assert ["9А", "4 четверть", "Математика", MATH_TEACHER, "Иванов Илья",
            "экзаменационная отметка"] in rows
    text = " ".join(str(c) for r in rows for c in r)
    assert "Дмитриева" not in text  # another teacher's student
    summary = openpyxl.load_workbook(school.output(FEEDBACK_DIR) / SUMMARY_NAME)[READINESS_SHEET]
    lines = [[c for c in r if c is not None] for r in summary.iter_rows(values_only=True)]
    assert ["9А", "4 четверть", "да", 3, 1, 1, 1, "версия 1 от 29.05.2027", "нет"] in lines
    assert sum(1 for r in lines if "Дмитриева Ольга" in r) == 2
