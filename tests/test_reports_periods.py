"""One period rule in every report: a quarter number gives grades 10–11 the half-year
containing it, so `journal report --all --period 2` lists 10А with the numbers of
`--period "1 полугодие"` (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from support.reports_fixtures import build_dataset, make_settings

from journal.documents.copies import resolve_period
from journal.reports import attendance, curriculum, filling, preliminary, progress
from journal.reports.context import open_report
from journal.school.periods import describe, has_ended, resolve
from journal.workbooks.settings_writer import write_settings_workbook

TODAY = "20.11.2026"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("school")
    write_settings_workbook(make_settings(), folder / "Настройки.xlsx")
    build_dataset(folder / "journal.sqlite")
    return folder


def _tables(school: Path, period: str) -> dict[str, pd.DataFrame]:
    """Every per-class table the reports show, as the notebooks compute them."""
    ctx = open_report(school, period=period, today=TODAY)
    results = progress.period_results(ctx.dataset, ctx.settings, ctx.period, ctx.class_name,
                                      ctx.today)
    ranges = ctx.ranges()
    students = attendance.student_attendance(ctx.dataset, ranges)
    return {
        "progress results": results,
        "progress classes": progress.class_progress(results),
        "progress subjects": progress.subject_progress(results),
        "attendance classes": attendance.class_attendance(students),
        "attendance subjects": attendance.subject_attendance(ctx.dataset, ranges),
        "filling": filling.filling_by_subject(ctx.dataset, ctx.settings, today=ctx.today,
                                              period=ctx.period),
        "preliminary": preliminary.preliminary_marks(ctx.dataset, ctx.settings, ctx.period,
                                                     ctx.today),
        "curriculum": curriculum.fulfilment(ctx.dataset, ctx.settings, period=ctx.period,
                                            today=ctx.today),
    }


def test_quarter_number_gives_grade_10_its_half_year_in_every_report(school: Path) -> None:
    by_quarter = _tables(school, "2")
    by_half = _tables(school, "1 полугодие")
    for name, table in by_quarter.items():
        assert "10А" in set(table["class"]), f"{name}: 10А missing for --period 2"
        mine = table[table["class"] == "10А"].reset_index(drop=True)
        theirs = by_half[name][by_half[name]["class"] == "10А"].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, obj=name)


def test_heading_names_the_half_year_and_its_dates_as_a_forecast(school: Path) -> None:
    text = open_report(school, period="2", today=TODAY).period_text()
    assert "2 четверть (с " in text and "— 5А" in text
    assert "1 полугодие (с 01.09.2026 по 28.12.2026), прогноз по состоянию на 20.11.2026 — 10А" \
        in text


def test_one_class_of_grade_10_has_data_for_a_quarter_number(school: Path) -> None:
    ctx = open_report(school, period="2", class_name="10А", today=TODAY)
    assert [r.title for r in ctx.ranges().values()] == ["1 полугодие"]
    assert not progress.period_results(ctx.dataset, ctx.settings, ctx.period, ctx.class_name,
                                       ctx.today).empty


@pytest.mark.parametrize(("spec", "five", "ten"), [
    ("1", "1 четверть", "1 полугодие"), ("2", "2 четверть", "1 полугодие"),
    ("3", "3 четверть", "2 полугодие"), ("4 четверть", "4 четверть", "2 полугодие"),
    ("1 полугодие", None, "1 полугодие"), ("5", None, None),
])
def test_rule(spec: str, five: str | None, ten: str | None) -> None:
    settings = make_settings()
    found = [resolve(settings, settings.school_class(name), spec)  # type: ignore[arg-type]
             for name in ("5А", "10А")]
    assert [p.name if p else None for p in found] == [five, ten]


def test_print_reads_the_number_the_same_way() -> None:
    settings = make_settings()
    ten = settings.school_class("10А")
    assert ten is not None
    assert resolve_period(settings, ten, "2").name == "1 полугодие"


def test_forecast_wording() -> None:
    settings = make_settings()
    quarter = next(p for p in settings.periods if p.name == "2 четверть")
    assert not has_ended(quarter, dt.date(2026, 11, 27))
    # the quarter's own end is named, and the day the report stands on apart from it
    assert describe(quarter, dt.date(2026, 11, 27)) == (
        f"2 четверть (с {quarter.start:%d.%m.%Y} по {quarter.end:%d.%m.%Y}), "
        "прогноз по состоянию на 27.11.2026")
    assert has_ended(quarter, quarter.end)
    assert "прогноз" not in describe(quarter, quarter.end)


def test_audit_tables_hold_only_lessons_of_the_period_named(school: Path) -> None:
    from journal.reports import audit

    for period, expected in (("1", 4), ("2", 0)):  # every change of the fixture is of September
        ctx = open_report(school, period=period, today=TODAY)
        log = audit.change_log(ctx.dataset, settings=ctx.settings, ranges=ctx.ranges())
        assert len(log) == expected, period
