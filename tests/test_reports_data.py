"""Loading the dataset for the reports, and the tables as printed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support.reports_fixtures import build_empty_dataset, load_fixture, make_settings

from journal.core.formatting import NBSP
from journal.reports import progress
from journal.reports.common import class_ranges
from journal.reports.data import empty_dataset, load
from journal.reports.tables import for_print, styled


def test_missing_file_is_an_empty_dataset(tmp_path: Path) -> None:
    data = load(tmp_path / "journal.sqlite")
    assert data.is_empty
    assert {"class", "subject", "date", "value", "weight", "first_seen"} <= set(data.marks.columns)
    assert {"student_id", "kind", "period", "value"} <= set(data.finals.columns)


def test_empty_file_is_an_empty_dataset(tmp_path: Path) -> None:
    data = load(build_empty_dataset(tmp_path / "journal.sqlite"))
    assert data.is_empty
    assert list(data.lessons.columns) == list(empty_dataset().lessons.columns)


def test_dates_are_parsed(tmp_path: Path) -> None:
    data = load_fixture(tmp_path)
    assert pd.api.types.is_datetime64_any_dtype(data.marks["date"])
    assert pd.api.types.is_datetime64_any_dtype(data.marks["first_seen"])
    assert pd.api.types.is_datetime64_any_dtype(data.students["left_on"])
    assert data.students.set_index("full_name").loc["Дмитриева Ольга", "left_on"] == \
        pd.Timestamp("2026-10-05")


def test_only_class(tmp_path: Path) -> None:
    data = load_fixture(tmp_path).only_class("10 а")
    assert set(data.students["class"]) == {"10А"}
    assert set(data.marks["class"]) == {"10А"}
    assert list(data.classes["name"]) == ["10А"]


@pytest.mark.parametrize(("period", "expected"), [
    ("1", {"5А": "1 четверть", "10А": "1 полугодие"}),
    ("2 четверть", {"5А": "2 четверть", "10А": "1 полугодие"}),  # one rule: its half-year
    ("2", {"5А": "2 четверть", "10А": "1 полугодие"}),
    ("1 полугодие", {"10А": "1 полугодие"}),  # a half-year's name: grades 10–11 only
    ("год", {"5А": "учебный год", "10А": "учебный год"}),
    ("текущий", {"5А": "2 четверть", "10А": "1 полугодие"}),
])
def test_class_ranges(period: str, expected: dict[str, str]) -> None:
    ranges = class_ranges(make_settings(), period, today="2026-11-20")
    assert {name: r.title for name, r in ranges.items()} == expected
    assert all(r.end <= pd.Timestamp("2026-11-20").date() for r in ranges.values())


def test_printed_table(tmp_path: Path) -> None:
    results = progress.period_results(load_fixture(tmp_path), make_settings(), "1")
    printed = for_print(progress.class_progress(results))
    assert list(printed.columns[:4]) == ["Класс", "Период", "Учеников", "Аттестовано"]
    first = printed.iloc[0]
    assert first["Успеваемость, %"] == f"60,0{NBSP}%"
    assert first["СОУ, %"] == f"54,6{NBSP}%"
    assert first["Средний балл"] == "4,00"
    subjects = for_print(progress.subject_progress(results))
    assert subjects.set_index("Предмет").loc["ОДНКНР", "Качество знаний, %"] == "—"
    html = styled(results).to_html()
    assert "Ученик" in html and "student_id" not in html


def test_open_report(tmp_path: Path) -> None:
    from journal.core.errors import UsageError
    from journal.reports.context import open_report
    from journal.workbooks.settings_writer import write_settings_workbook

    write_settings_workbook(make_settings(), tmp_path / "Настройки.xlsx")
    ctx = open_report(tmp_path, period="1", class_name="5а", today="30.10.2026")
    assert ctx.dataset.is_empty  # no journal.sqlite yet
    assert ctx.today.isoformat() == "2026-10-30"
    assert list(ctx.ranges()) == ["5А"]
    assert "1 четверть" in ctx.period_text()
    with pytest.raises(UsageError, match="Класса «5Б» нет"):
        open_report(tmp_path, class_name="5Б")


def test_period_heading_gives_each_period_its_own_dates(tmp_path: Path) -> None:
    from journal.reports.context import open_report
    from journal.workbooks.settings_writer import write_settings_workbook

    settings = make_settings()
    write_settings_workbook(settings, tmp_path / "Настройки.xlsx")
    ctx = open_report(tmp_path, period="1", today="28.11.2026")
    quarter = next(p for p in settings.periods if p.name == "1 четверть")
    half = next(p for p in settings.periods if p.name == "1 полугодие")
    # the half-year is named with its own end and marked as a forecast on the report's day
    assert ctx.period_text() == (
        f"Период: 1 четверть (с {quarter.start:%d.%m.%Y} по {quarter.end:%d.%m.%Y}) — 5А; "
        f"1 полугодие (с {half.start:%d.%m.%Y} по {half.end:%d.%m.%Y}), прогноз по состоянию "
        f"на 28.11.2026 — 10А")
