"""Figures for the reports (matplotlib, Russian labels, DejaVu Sans for Cyrillic).

Each function takes a frame of a report function and returns a
:class:`matplotlib.figure.Figure` made without pyplot (no global state): a notebook shows
it with ``display(fig)``. An empty frame gives None, so a notebook draws nothing.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from journal.reports.common import sort_by_class

FAMILY = "DejaVu Sans"
FONT: dict[str, object] = {"family": FAMILY, "size": 9}
MARK_COLOURS = {"5": "#2e7d32", "4": "#7cb342", "3": "#fbc02d", "2": "#e53935", "н/а": "#6d4c41"}
REASON_COLOURS = {"Б": "#5c8dd6", "У": "#8bc34a", "Н": "#e53935", "О": "#bdbdbd"}
REASON_LABELS = {"Б": "по болезни (Б)", "У": "по уважительной причине (У)",
                 "Н": "без уважительной причины (Н)", "О": "опоздания (О)"}


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=110)
    fig.set_layout_engine("constrained")
    return fig


def _style(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(FAMILY)


def mark_distribution(subjects: pd.DataFrame) -> Figure | None:
    """Share of 5, 4, 3, 2 and н/а among the period marks of each class (stacked bars),
    from :func:`journal.reports.progress.subject_progress`."""
    if subjects.empty:
        return None
    frame = subjects.copy()
    frame["n2"] = frame["n2"] + frame["n1"]
    columns = {"5": "n5", "4": "n4", "3": "n3", "2": "n2", "н/а": "nna"}
    per_class = sort_by_class(frame.groupby("class", sort=False)[list(columns.values())].sum()
                              .reset_index())
    totals = per_class[list(columns.values())].sum(axis=1).where(lambda s: s > 0)
    per_class = per_class[totals.notna()]
    if per_class.empty:
        return None
    fig = _figure(7.5, 0.45 * len(per_class) + 1.4)
    ax = fig.add_subplot()
    left = pd.Series(0.0, index=per_class.index)
    for label, column in columns.items():
        share = 100.0 * per_class[column] / totals[per_class.index]
        ax.barh(per_class["class"], share, left=left, color=MARK_COLOURS[label], label=f"«{label}»"
                if label != "н/а" else "н/а")
        left += share
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Доля отметок за период, %", fontdict=FONT)
    ax.set_title("Распределение отметок по классам", fontdict={**FONT, "size": 11})
    fig.legend(ncol=5, loc="outside lower center", frameon=False,
               prop={"family": FAMILY, "size": 8})
    _style(ax)
    return fig


def rates_by_class(classes: pd.DataFrame) -> Figure | None:
    """Pass rate, quality rate and СОУ per class (grouped bars), from
    :func:`journal.reports.progress.class_progress`."""
    if classes.empty:
        return None
    fig = _figure(7.5, 3.0)
    ax = fig.add_subplot()
    positions = range(len(classes))
    width = 0.27
    for shift, (column, label, colour) in enumerate((
            ("pass_rate", "Успеваемость", "#2e7d32"), ("quality_rate", "Качество знаний", "#1e88e5"),
            ("sou", "СОУ", "#fb8c00"))):
        ax.bar([p + (shift - 1) * width for p in positions], classes[column].fillna(0), width,
               label=label, color=colour)
    ax.set_xticks(list(positions), list(classes["class"]))
    ax.set_ylim(0, 100)
    ax.set_ylabel("%", fontdict=FONT)
    ax.set_title("Успеваемость, качество знаний и СОУ", fontdict={**FONT, "size": 11})
    fig.legend(ncol=3, loc="outside lower center", frameon=False, prop={"family": FAMILY, "size": 8})
    _style(ax)
    return fig


def attendance_by_week(weekly: pd.DataFrame, title: str = "") -> Figure | None:
    """Lessons missed per week by reason (stacked bars) with late arrivals beside, from
    :func:`journal.reports.attendance.weekly_attendance` over one window (``title`` names
    it: «2 четверть, 1–9 классы»)."""
    if weekly.empty:
        return None
    per_week = weekly.groupby("week", sort=True)[["Б", "У", "Н", "О"]].sum()
    fig = _figure(7.5, 3.0)
    ax = fig.add_subplot()
    labels = [f"{w:%d.%m}" for w in per_week.index]
    positions = list(range(len(per_week)))
    bottom = pd.Series(0, index=per_week.index)
    for reason in ("Б", "У", "Н"):
        ax.bar([p - 0.2 for p in positions], per_week[reason], 0.4, bottom=bottom,
               color=REASON_COLOURS[reason], label=REASON_LABELS[reason])
        bottom = bottom + per_week[reason]
    ax.bar([p + 0.2 for p in positions], per_week["О"], 0.4, color=REASON_COLOURS["О"],
           label=REASON_LABELS["О"])
    ax.set_xticks(positions, labels, rotation=90 if len(labels) > 12 else 0)
    ax.set_xlabel("Неделя (с понедельника)", fontdict=FONT)
    ax.set_ylabel("Уроков", fontdict=FONT)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Пропуски уроков по неделям" + (f": {title}" if title else ""),
                 fontdict={**FONT, "size": 11})
    fig.legend(ncol=4, loc="outside lower center", frameon=False, prop={"family": FAMILY, "size": 8})
    _style(ax)
    return fig


def filling_by_teacher(teachers: pd.DataFrame) -> Figure | None:
    """Share of lessons with a topic and with homework per teacher (horizontal bars), from
    :func:`journal.reports.filling.filling_by_teacher`."""
    frame = teachers[teachers["lessons"] > 0] if not teachers.empty else teachers
    if frame.empty:
        return None
    fig = _figure(7.5, 0.35 * len(frame) + 1.3)
    ax = fig.add_subplot()
    positions = list(range(len(frame)))
    ax.barh([p - 0.2 for p in positions], frame["topic_pct"], 0.4, color="#1e88e5",
            label="с темой урока")
    ax.barh([p + 0.2 for p in positions], frame["homework_pct"], 0.4, color="#fb8c00",
            label="с домашним заданием")
    ax.set_yticks(positions, list(frame["teacher"]))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Доля уроков, %", fontdict=FONT)
    ax.set_title("Заполнение журнала по учителям", fontdict={**FONT, "size": 11})
    fig.legend(ncol=2, frameon=False, prop={"family": FAMILY, "size": 8}, loc="outside lower center")
    _style(ax)
    return fig


def fulfilment_by_subject(fulfilment: pd.DataFrame) -> Figure | None:
    """Share of planned lessons held per class × subject (horizontal bars), from
    :func:`journal.reports.curriculum.fulfilment`."""
    frame = fulfilment[fulfilment["planned"] > 0] if not fulfilment.empty else fulfilment
    if frame.empty:
        return None
    labels = [f"{c} {s}" + (f" ({g})" if g else "")
              for c, s, g in zip(frame["class"], frame["subject"], frame["grp"], strict=True)]
    fig = _figure(7.5, 0.25 * len(frame) + 1.3)
    ax = fig.add_subplot()
    ax.barh(labels, frame["fulfilled_pct"].clip(upper=100), color="#1e88e5")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Проведено уроков из запланированных, %", fontdict=FONT)
    ax.set_title("Выполнение учебного плана", fontdict={**FONT, "size": 11})
    _style(ax)
    return fig
