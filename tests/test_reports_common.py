"""Weighted averages, forecasts and rates against hand-computed numbers."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from support.reports_fixtures import make_settings

from journal.reports.common import (
    average_mark,
    class_periods,
    enrolled_between,
    enrolled_on,
    forecast_mark,
    forecast_marks,
    in_class_periods,
    pass_rate,
    quality_rate,
    sou,
    weighted_averages,
    within,
)
from journal.school.settings import Norms


def _marks(rows: list[tuple[str, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"class": c, "subject": "Математика", "grp": "", "student_id": s, "value": v, "weight": w}
         for c, s, v, w in rows]
    )


def test_weighted_average_and_count() -> None:
    # Student 1: 5×1 + 4×1 (a double mark «5/4») + 3×3 (контрольная) = 18 / 5 = 3.6
    # Student 2: 2×2 = 4 / 2 = 2.0
    marks = _marks([("5А", 1, 5, 1.0), ("5А", 1, 4, 1.0), ("5А", 1, 3, 3.0), ("5А", 2, 2, 2.0)])
    result = weighted_averages(marks).set_index("student_id")
    assert result.loc[1, "weighted_average"] == pytest.approx(3.6)
    assert result.loc[1, "mark_count"] == 3
    assert result.loc[1, "weight_sum"] == pytest.approx(5.0)
    assert result.loc[2, "weighted_average"] == pytest.approx(2.0)
    assert result.loc[2, "mark_count"] == 1


def test_weighted_average_other_grouping() -> None:
    marks = _marks([("5А", 1, 5, 1.0), ("5А", 2, 3, 1.0), ("6Б", 3, 4, 2.0)])
    result = weighted_averages(marks, by=("class",)).set_index("class")
    assert result.loc["5А", "weighted_average"] == pytest.approx(4.0)
    assert result.loc["6Б", "mark_count"] == 1


def test_weighted_average_of_nothing_has_columns() -> None:
    result = weighted_averages(pd.DataFrame(columns=["class", "subject", "grp", "student_id",
                                                     "value", "weight"]))
    assert result.empty
    assert {"weighted_average", "mark_count", "class", "student_id"} <= set(result.columns)


@pytest.mark.parametrize(("avg", "expected"), [
    (3.6, 4), (3.59, 3), (3.5, 3), (4.6, 5), (5.0, 5), (2.0, 2), (2.65, 3), (1.0, 1),
])
def test_forecast_uses_threshold(avg: float, expected: int) -> None:
    assert forecast_mark(avg, Norms()) == expected


def test_forecast_other_threshold_and_missing() -> None:
    assert forecast_mark(3.5, Norms(rounding_threshold=0.5)) == 4
    with pytest.raises(ValueError):
        forecast_mark(math.nan, Norms())
    series = forecast_marks(pd.Series([3.6, math.nan]), Norms())
    assert series.iloc[0] == 4
    assert series.isna().iloc[1]


# 5, 4, 4, 3, 2, н/а, осв, зч, нз
VALUES = ["5", 4, "4", "3", "2", "н/а", "осв", "зч", "нз"]


def test_pass_rate_excludes_exempt() -> None:
    # N = 8 (осв out); passed 5, 4, 4, 3, зч = 5 → 62.5 %
    assert pass_rate(VALUES) == pytest.approx(62.5)


def test_quality_rate_counts_grades_and_not_attested() -> None:
    # N = 5, 4, 4, 3, 2, н/а = 6; good 5, 4, 4 = 3 → 50 %
    assert quality_rate(VALUES) == pytest.approx(50.0)


def test_sou() -> None:
    # (100 + 64·2 + 36 + 16 + 7) / 6 = 287 / 6
    assert sou(VALUES) == pytest.approx(287 / 6)
    assert sou(["5", "5"]) == pytest.approx(100.0)


def test_average_mark() -> None:
    assert average_mark(VALUES) == pytest.approx(18 / 5)


@pytest.mark.parametrize("rate", [pass_rate, quality_rate, sou, average_mark])
def test_rates_of_nobody_are_nan(rate) -> None:  # type: ignore[no-untyped-def]
    assert math.isnan(rate([]))
    assert math.isnan(rate(["осв", None]))


def test_class_periods_use_each_class_set() -> None:
    settings = make_settings()
    periods = class_periods(settings, "1")
    assert periods["5А"].name == "1 четверть"
    assert periods["10А"].name == "1 полугодие"
    frame = pd.DataFrame({"class": ["5А", "5А", "10А"],
                          "date": pd.to_datetime(["2026-09-10", "2026-11-20", "2026-11-20"])})
    kept = in_class_periods(frame, periods)
    assert list(kept.index) == [0, 2]
    assert list(within(frame, dt.date(2026, 11, 1), None).index) == [1, 2]


def test_enrolment() -> None:
    students = pd.DataFrame({
        "id": [1, 2, 3],
        "joined": [None, "2026-10-01", None],
        "left_on": [None, None, "2026-09-20"],
    })
    assert list(enrolled_on(students, "2026-09-25")["id"]) == [1]
    assert list(enrolled_between(students, "2026-09-01", "2026-09-30")["id"]) == [1, 3]
    assert list(enrolled_between(students, "2026-09-01", "2026-10-30")["id"]) == [1, 2, 3]


def test_a_month_of_the_school_year() -> None:
    from journal.reports.common import month_range

    settings = make_settings()
    assert month_range(settings, 11) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert month_range(settings, 12) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_range(settings, 2) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
