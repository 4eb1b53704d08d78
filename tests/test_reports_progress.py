"""Progress at the end of a period, on the fixture school (see reports_fixtures)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from support.reports_fixtures import load_fixture, make_settings

from journal.reports import progress
from journal.reports.data import Dataset, empty_dataset


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return progress.period_results(load_fixture(tmp_path_factory.mktemp("p")), make_settings(), "1")


def _value(results: pd.DataFrame, student: str, subject: str) -> tuple[str, str]:
    row = results[(results["student"] == student) & (results["subject"] == subject)].iloc[0]
    return row["value"], row["source"]


def test_student_who_left_is_not_counted(results: pd.DataFrame) -> None:
    assert "Дмитриева Ольга" not in set(results["student"])
    assert results[results["class"] == "5А"]["student"].nunique() == 5


def test_period_marks_and_forecasts(results: pd.DataFrame) -> None:
    assert _value(results, "Алексеев Иван", "Математика") == ("5", "final")
    assert _value(results, "Васильев Пётр", "Физическая культура") == ("осв", "final")
    # 10А has no half-year marks yet: Жуков (5×1 + 4×1.5) / 2.5 = 4.4 → 4; Зайцева 3 → 3
    assert _value(results, "Жуков Андрей", "Физика") == ("4", "forecast")
    assert _value(results, "Зайцева Мария", "Физика") == ("3", "forecast")


def test_double_mark_counts_twice_in_average(results: pd.DataFrame) -> None:
    # Борисова: «5/4» in a written work (1.5) and 4 in a test (3): (7.5 + 6 + 12) / 6 = 4.25
    row = results[(results["student"] == "Борисова Анна") & (results["subject"] == "Математика")]
    assert row["weighted_average"].iloc[0] == pytest.approx(4.25)
    assert row["mark_count"].iloc[0] == 3


def test_student_categories(results: pd.DataFrame) -> None:
    students = progress.student_summary(results).set_index("student")
    assert students.loc["Алексеев Иван", "excellent"]  # 5 5 5 зч
    assert students.loc["Борисова Анна", "good"]  # 4 5 4 зч
    assert students.loc["Васильев Пётр", "one_three"]  # 4 3 осв зч
    assert students.loc["Григорьев Олег", "failing"]  # 2 3 4 нз
    assert not students.loc["Григорьев Олег", "one_three"]
    assert students.loc["Егоров Сергей", "not_attested"]  # н/а н/а н/а зч
    assert not students.loc["Егоров Сергей", "failing"]


def test_class_rates(results: pd.DataFrame) -> None:
    classes = progress.class_progress(results).set_index("class")
    row = classes.loc["5А"]
    assert (row["students"], row["excellent"], row["good"], row["one_three"], row["failing"],
            row["not_attested"]) == (5, 1, 1, 1, 1, 1)
    assert row["attested"] == 4  # Егоров is «не аттестован» (н/а): not among the attested
    assert row["pass_rate"] == pytest.approx(60.0)  # 3 of 5 without 2, нз, н/а
    assert row["quality_rate"] == pytest.approx(40.0)  # excellent + good = 2 of 5
    # graded marks: 5×4, 4×4, 3×2, 2×1, н/а×3 (зч, нз, осв left out)
    assert row["sou"] == pytest.approx((400 + 256 + 72 + 16 + 21) / 14)
    assert row["average"] == pytest.approx(44 / 11)
    assert row["forecasts"] == 0
    assert classes.loc["10А", "forecasts"] == 2
    assert classes.loc["10А", "period"] == "1 полугодие"
    # a quarter and a half-year are never summed: no «Школа» row mixes 5А with 10А
    assert progress.SCHOOL not in classes.index


def test_school_total_keeps_half_year_forecasts_apart(results: pd.DataFrame) -> None:
    twin = results[results["class"] == "5А"].assign(**{"class": "5Б"})
    both = pd.concat([results, twin], ignore_index=True)
    classes = progress.class_progress(both).set_index("class")
    quarter = classes.loc[f"{progress.TOTAL}: 1 четверть"]
    assert quarter["students"] == 10  # 5А and 5Б, not 10А
    assert quarter["forecasts"] == 0  # 10А's two half-year forecasts are not in it
    assert quarter["pass_rate"] == pytest.approx(60.0)
    assert list(progress.is_total(classes.reset_index())) == [False, False, True, False]
    one_period = progress.class_progress(both[both["period"] == "1 четверть"])
    assert list(one_period["class"]) == ["5А", "5Б", progress.SCHOOL]


def test_subject_rates(results: pd.DataFrame) -> None:
    subjects = progress.subject_progress(results)
    subjects = subjects[subjects["class"] == "5А"].set_index("subject")
    maths = subjects.loc["Математика"]  # 5 4 4 2 н/а
    assert maths["pass_rate"] == pytest.approx(60.0)
    assert maths["quality_rate"] == pytest.approx(60.0)
    assert maths["sou"] == pytest.approx((100 + 64 + 64 + 16 + 7) / 5)
    assert maths["average"] == pytest.approx(3.75)
    pe = subjects.loc["Физическая культура"]  # 5 4 осв 4 н/а: N = 4
    assert pe["pass_rate"] == pytest.approx(75.0)
    assert pe["osv"] == 1
    credit = subjects.loc["ОДНКНР"]  # зч зч зч нз зч
    assert credit["pass_rate"] == pytest.approx(80.0)
    assert math.isnan(credit["quality_rate"])
    assert math.isnan(credit["sou"])


def test_summary_sheet(results: pd.DataFrame) -> None:
    sheet = progress.summary_sheet(results, "5А")
    assert list(sheet.columns) == ["№", "Ученик", "Математика", "Русский язык",
                                   "Физическая культура", "ОДНКНР"]
    assert list(sheet["Ученик"]) == ["Алексеев Иван", "Борисова Анна", "Васильев Пётр",
                                     "Григорьев Олег", "Егоров Сергей"]
    assert list(sheet["ОДНКНР"]) == ["зч", "зч", "зч", "нз", "зч"]
    assert list(progress.summary_sheet(results, "10А")["Физика"]) == ["4*", "3*"]


def test_problem_marks(results: pd.DataFrame) -> None:
    problems = progress.problem_marks(results)
    assert sorted(zip(problems["student"], problems["value"], strict=True)) == [
        ("Григорьев Олег", "2"), ("Григорьев Олег", "нз"),
        ("Егоров Сергей", "н/а"), ("Егоров Сергей", "н/а"), ("Егоров Сергей", "н/а")]


def test_one_class_only(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("c"))
    only = progress.period_results(data, make_settings(), "1", class_name="10 а")
    assert set(only["class"]) == {"10А"}


def test_empty_dataset() -> None:
    empty: Dataset = empty_dataset()
    results = progress.period_results(empty, make_settings(), "1")
    assert results.empty
    for frame in (progress.student_summary(results), progress.class_progress(results),
                  progress.subject_progress(results), progress.summary_sheet(results, "5А"),
                  progress.problem_marks(results)):
        assert frame.empty
