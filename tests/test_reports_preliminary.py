"""Preliminary forecasts on 12 October, two weeks before the 1st quarter ends."""

from __future__ import annotations

import pandas as pd
import pytest
from support.reports_fixtures import load_fixture, make_settings

from journal.reports import preliminary
from journal.reports.data import empty_dataset


@pytest.fixture(scope="module")
def forecast(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    data = load_fixture(tmp_path_factory.mktemp("pr"))
    return preliminary.preliminary_marks(data, make_settings(), "текущий", "2026-10-12")


def _maths(forecast: pd.DataFrame) -> pd.DataFrame:
    return forecast[forecast["subject"] == "Математика"].set_index("student")


def test_forecasts(forecast: pd.DataFrame) -> None:
    maths = _maths(forecast)
    assert maths.loc["Алексеев Иван", "forecast"] == 5
    assert maths.loc["Борисова Анна", "forecast"] == 4  # 4.25
    assert maths.loc["Васильев Пётр", "forecast"] == 4  # 16.5 / 4.5 = 3.67 ≥ 3.6
    assert maths.loc["Григорьев Олег", "forecast"] == 2  # (2 + 3 + 6) / 5 = 2.2
    assert pd.isna(maths.loc["Егоров Сергей", "forecast"])
    assert "Дмитриева Ольга" not in maths.index  # left on 05.10


def test_risks(forecast: pd.DataFrame) -> None:
    maths = _maths(forecast)
    assert not maths.loc["Алексеев Иван", "at_risk"]
    # the double mark «5/4» counts as two: 3 marks reach the minimum of 3
    assert not maths.loc["Борисова Анна", "at_risk"]
    # 12 of the quarter's 15 planned lessons are past: 3 × 12 / 15 = 2.4 → 3 marks expected
    assert maths.loc["Васильев Пётр", "expected_marks"] == 3
    # one mark short of the pace is not a risk (it would put nearly every student on the list)
    assert not maths.loc["Васильев Пётр", "at_risk"]
    russian = forecast[forecast["subject"] == "Русский язык"].set_index("student")
    assert russian.loc["Васильев Пётр", "risk"] == (
        "мало отметок: 1, меньше половины нужного к этому дню (3; за период — 3)")
    assert maths.loc["Григорьев Олег", "risk"] == preliminary.RISK_FAILING
    assert maths.loc["Егоров Сергей", "at_risk"]
    risky = preliminary.students_at_risk(forecast)
    assert not ((risky["student"] == "Алексеев Иван") & (risky["subject"] == "Математика")).any()
    assert list(forecast["class"].drop_duplicates()) == ["5А", "10А"]
    assert list(risky["class"].drop_duplicates()) == ["5А"]  # 10А: 2 and 1 of 2 marks expected


def test_expected_marks_grow_with_the_period(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("early"))
    early = preliminary.preliminary_marks(data, make_settings(), "1", "2026-09-16")
    maths = _maths(early)
    # 5 of 15 planned lessons past (2, 7, 9, 14, 16 September): 3 × 5 / 15 = 1 mark expected
    assert maths.loc["Васильев Пётр", "expected_marks"] == 1
    assert not maths.loc["Васильев Пётр", "at_risk"]
    assert maths.loc["Егоров Сергей", "at_risk"]


def test_risk_by_student(forecast: pd.DataFrame) -> None:
    rows = preliminary.risk_by_student(forecast).set_index("student")
    assert rows.loc["Григорьев Олег", "failing_subjects"] == "Математика"
    assert "Русский язык (1 из 3)" in rows.loc["Васильев Пётр", "few_marks_subjects"]
    assert "Математика" not in rows.loc["Васильев Пётр", "few_marks_subjects"]  # 2 of 3
    assert "Алексеев Иван" in rows.index  # too few marks in Russian, PE and ОДНКНР


def test_forecast_sheet(forecast: pd.DataFrame) -> None:
    sheet = preliminary.forecast_sheet(forecast, "5А").set_index("Ученик")
    assert sheet.loc["Алексеев Иван", "Математика"] == "5"
    assert sheet.loc["Григорьев Олег", "Математика"] == "2!"
    assert sheet.loc["Егоров Сергей", "Математика"] == "—!"


def test_empty_dataset() -> None:
    frame = preliminary.preliminary_marks(empty_dataset(), make_settings(), "1", "2026-10-12")
    assert frame.empty
    assert preliminary.students_at_risk(frame).empty
    assert preliminary.forecast_sheet(frame, "5А").empty
