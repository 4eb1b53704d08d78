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


@pytest.mark.parametrize("make", [_rates, _attendance], ids=["rates_by_class", "attendance_by_week"])
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
