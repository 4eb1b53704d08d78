"""The report figures as a reader sees them: legends never cover the bars."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from journal.reports import charts


def _rates() -> Figure | None:
    return charts.rates_by_class(pd.DataFrame({
        "class": ["5А", "7Б", "10А"], "pass_rate": [100.0, 100.0, 100.0],
        "quality_rate": [100.0, 75.0, 100.0], "sou": [64.0, 100.0, 66.0]}))


def _attendance() -> Figure | None:
    weeks = [dt.date(2026, 9, 7) + dt.timedelta(weeks=i) for i in range(4)]
    return charts.attendance_by_week(pd.DataFrame({
        "week": weeks, "Б": [9, 9, 9, 9], "У": [3, 3, 3, 3], "Н": [2, 2, 2, 2], "О": [14, 14, 14, 14]}))


def _teachers() -> Figure | None:
    return charts.filling_by_teacher(pd.DataFrame({
        "teacher": ["Аркадьева А. А.", "Белова Б. Б.", "Волков В. В."], "lessons": [40, 30, 20],
        "topic_pct": [100.0, 90.0, 100.0], "homework_pct": [100.0, 80.0, 95.0],
        "no_marks_pct": [0.0, 0.0, float("nan")]}))


@pytest.mark.parametrize("make", [_rates, _attendance, _teachers],
                         ids=["rates_by_class", "attendance_by_week", "filling_by_teacher"])
def test_legend_lies_outside_the_bars(make: object) -> None:
    fig = make()  # type: ignore[operator]
    assert fig is not None
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    plot_area = fig.axes[0].get_window_extent(renderer)
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    assert legends
    for legend in legends:
        assert not legend.get_window_extent(renderer).overlaps(plot_area)


def test_the_filling_chart_shows_only_teachers_with_gaps() -> None:
    fig = _teachers()
    assert fig is not None
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names == ["Белова Б. Б.", "Волков В. В."]  # the one with every record is left out
    assert charts.filling_by_teacher(pd.DataFrame({
        "teacher": ["Аркадьева А. А."], "lessons": [40], "topic_pct": [100.0],
        "homework_pct": [100.0], "no_marks_pct": [0.0]})) is None


def test_the_curriculum_chart_of_a_whole_school_fits_one_page() -> None:
    rows = [{"class": f"{g}А", "subject": f"Предмет {k}", "grp": "", "planned": 30,
             "held": 30 - (k + g) % 4, "gap": (k + g) % 4, "fulfilled_pct": 100.0 * (30 - (k + g) % 4) / 30}
            for g in range(1, 12) for k in range(13)]  # 143 lines, as in the demo
    fig = charts.fulfilment_by_class(pd.DataFrame(rows))
    assert fig is not None
    width, height = fig.get_size_inches()
    assert height <= 9 and width <= 7.5  # A4 with the heading above it
    by_class, behind = fig.axes
    assert [t.get_text() for t in by_class.get_yticklabels()][:2] == ["1А", "2А"]
    bars = [t.get_text() for t in behind.get_yticklabels()]
    assert len(bars) == charts.MAX_BARS
    assert "первые 20 из" in behind.get_title()
    gaps = [p.get_width() for p in behind.patches]
    assert gaps == sorted(gaps, reverse=True)


def test_no_curriculum_chart_when_nothing_is_behind() -> None:
    assert charts.fulfilment_by_class(pd.DataFrame([{
        "class": "5А", "subject": "Математика", "grp": "", "planned": 30, "held": 30, "gap": 0,
        "fulfilled_pct": 100.0}])) is None
