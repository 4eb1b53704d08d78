"""Curriculum fulfilment in the 1st quarter, on the fixture school."""

from __future__ import annotations

import pytest
from support.reports_fixtures import load_fixture, make_settings

from journal.reports import curriculum
from journal.reports.data import Dataset, empty_dataset


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_fixture(tmp_path_factory.mktemp("c"))


def test_planned_held_gap(data: Dataset) -> None:
    plan = curriculum.fulfilment(data, make_settings(), "1").set_index(["class", "subject"])
    maths = plan.loc[("5А", "Математика")]
    # 1st quarter (01.09–25.10): 7 Mondays + 8 Wednesdays; 4 lessons with a topic (21.09 has none)
    assert (maths["planned"], maths["held"], maths["gap"], maths["missing"]) == (15, 4, 11, 11)
    assert maths["fulfilled_pct"] == pytest.approx(400 / 15)
    physics = plan.loc[("10А", "Физика")]  # 1st half-year: Mondays and Thursdays to 28.12
    assert physics["held"] == 2


def test_missing_dates(data: Dataset) -> None:
    missing = curriculum.missing_lessons(data, make_settings(), "1", today="2026-09-30",
                                         class_name="5А")
    maths = missing[missing["subject"] == "Математика"]
    assert [d.strftime("%d.%m") for d in maths["date"]] == ["02.09", "21.09", "23.09", "28.09",
                                                           "30.09"]


def test_dates_instead_of_period(data: Dataset) -> None:
    plan = curriculum.fulfilment(data, make_settings(), start="2026-09-07", end="2026-09-13")
    maths = plan.set_index(["class", "subject"]).loc[("5А", "Математика")]
    assert (maths["planned"], maths["held"], maths["gap"]) == (2, 2, 0)


def test_empty_dataset() -> None:
    assert curriculum.fulfilment(empty_dataset(), make_settings(), "1").empty
    assert curriculum.missing_lessons(empty_dataset(), make_settings(), "1").empty
