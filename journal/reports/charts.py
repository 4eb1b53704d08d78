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


MAX_BARS = 20  # a chart stays on one A4 page with its heading: the rest is in the table


def _per_class(frame: pd.DataFrame, done: str, total: str) -> pd.DataFrame:
    grouped = frame.groupby("class", sort=False)[[done, total]].sum().reset_index()
    grouped = sort_by_class(grouped[grouped[total] > 0])
    grouped["pct"] = 100.0 * grouped[done] / grouped[total]
    return grouped


def _percent_bars(ax: Axes, labels: list[str], values: pd.Series, colour: str) -> None:
    positions = list(range(len(labels)))
    ax.barh(positions, values.clip(upper=100), color=colour)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 108)
    for y, value in zip(positions, values, strict=True):
        ax.text(min(float(value), 100.0) + 1, y, f"{value:.0f} %", va="center",
                fontfamily=FAMILY, fontsize=7)


def filling_by_teacher(teachers: pd.DataFrame) -> Figure | None:
    """Where the journal falls short, per teacher: lessons held without a topic, without
    homework, and students without a single mark (shares), worst first, at most
    :data:`MAX_BARS` teachers; from :func:`journal.reports.filling.filling_by_teacher`.
    Teachers with nothing missing are left out; None when nobody has anything missing."""
    frame = teachers[teachers["lessons"] > 0] if not teachers.empty else teachers
    if frame.empty:
        return None
    bars = {"без темы урока": ("#e53935", 100.0 - frame["topic_pct"]),
            "без домашнего задания": ("#fb8c00", 100.0 - frame["homework_pct"]),
            "учеников без отметок": ("#6d4c41", frame["no_marks_pct"].fillna(0.0))}
    shares = pd.DataFrame({label: values for label, (_c, values) in bars.items()})
    worst = shares.sum(axis=1)
    keep = worst[worst > 0.5].sort_values(ascending=False).index[:MAX_BARS]
    if len(keep) == 0:
        return None
    shown, names = shares.loc[keep], list(frame.loc[keep, "teacher"])
    fig = _figure(7.5, 0.36 * len(shown) + 1.5)
    ax = fig.add_subplot()
    positions = list(range(len(shown)))
    for k, (label, (colour, _v)) in enumerate(bars.items()):
        ax.barh([p + (k - 1) * 0.27 for p in positions], shown[label], 0.27, color=colour, label=label)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(10.0, float(shown.max().max()) * 1.1))
    ax.set_xlabel("Доля проведённых уроков (ученики — доля учеников), %", fontdict=FONT)
    ax.set_title("Чего не хватает в журнале: учителя по убыванию пропусков",
                 fontdict={**FONT, "size": 10})
    fig.legend(ncol=3, frameon=False, prop={"family": FAMILY, "size": 8}, loc="outside lower center")
    _style(ax)
    return fig


def fulfilment_by_class(fulfilment: pd.DataFrame) -> Figure | None:
    """The curriculum on one page: the share of planned lessons held per class (left), and the
    subjects most behind plan, sorted by the lessons missing (right, at most :data:`MAX_BARS`),
    from :func:`journal.reports.curriculum.fulfilment`. None when no subject is behind."""
    frame = fulfilment[fulfilment["planned"] > 0] if not fulfilment.empty else fulfilment
    if frame.empty:
        return None
    classes = _per_class(frame, "held", "planned")
    behind = frame[frame["gap"] > 0].sort_values(["gap", "fulfilled_pct"], ascending=[False, True])
    if behind.empty:
        return None
    shown = behind.head(MAX_BARS)
    rows = max(len(classes), len(shown), 3)
    fig = _figure(7.5, 0.24 * rows + 1.3)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.6])
    _percent_bars(left, list(classes["class"]), classes["pct"], "#1e88e5")
    left.set_ylim(rows - 0.5, -0.5)
    left.set_xlabel("Проведено из запланированных, %", fontdict=FONT)
    left.set_title("По классам", fontdict={**FONT, "size": 10})
    _style(left)
    labels = [f"{c} {s}" + (f" ({g})" if g else "")
              for c, s, g in zip(shown["class"], shown["subject"], shown["grp"], strict=True)]
    positions = list(range(len(shown)))
    right.barh(positions, shown["gap"], color="#e53935")
    right.set_yticks(positions, labels)
    right.set_ylim(rows - 0.5, -0.5)  # bars as thick as the classes' on the left, from the top
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel("Не проведено уроков", fontdict=FONT)
    more = f" (первые {len(shown)} из {len(behind)})" if len(behind) > len(shown) else ""
    right.set_title(f"Отстают от плана{more}", fontdict={**FONT, "size": 10})
    for label in right.get_yticklabels():
        label.set_fontsize(7.5)
    _style(right)
    return fig

