"""What every report notebook does first: open the school, read settings and dataset.

The notebooks' parameters are text (papermill passes strings); :func:`open_report` turns
them into a :class:`ReportContext`. A relative school folder is looked for from the
current folder and then from the repository (so the default ``output/demo`` works both
from ``journal report`` and from JupyterLab opened in ``notebooks/``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from journal.core.errors import UsageError
from journal.core.formatting import date_long_ru, date_ru
from journal.reports.common import (
    DateRange,
    class_periods,
    class_ranges,
    classes_phrase,
    parse_day,
    windows,
)
from journal.reports.data import Dataset, load
from journal.school.folder import SchoolFolder
from journal.school.periods import describe, unknown_period_message
from journal.school.settings import Settings

NO_DATA = "Нет данных за выбранный период"
REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ReportContext:
    """A school opened for a report, with the parameters understood."""

    folder: Path
    settings: Settings
    dataset: Dataset
    today: dt.date
    period: str
    class_name: str
    date_from: dt.date | None
    date_to: dt.date | None

    def with_dates(self, date_from: dt.date | None, date_to: dt.date | None) -> ReportContext:
        """The same report over other dates."""
        return replace(self, date_from=date_from, date_to=date_to)

    def ranges(self, *, up_to_today: bool = True) -> dict[str, DateRange]:
        """Each class's date range for this report (the period or the given dates)."""
        names = [c.name for c in self.settings.classes]
        if self.class_name.strip():
            found = self.settings.school_class(self.class_name)
            names = [found.name] if found is not None else []
        return class_ranges(self.settings, self.period, self.date_from, self.date_to,
                            self.today if up_to_today else None, names)

    def span(self, *, up_to_today: bool = True) -> tuple[dt.date, dt.date] | None:
        """The first and last day over all classes' ranges, or None when there are none."""
        ranges = self.ranges(up_to_today=up_to_today)
        if not ranges:
            return None
        return min(r.start for r in ranges.values()), max(r.end for r in ranges.values())

    def heading(self, covers: str = "") -> str:
        """The Markdown lines under a report's title: school, what it covers, class, date."""
        lines = [f"**{self.settings.school_name}**, {self.settings.school_year} учебный год"]
        if covers:
            lines.append(f"\n{covers}")
        if self.class_name.strip():
            lines.append(f"\nКласс: **{self.class_name.strip()}**")
        lines.append(f"\nСформировано {date_long_ru(self.today)}")
        return "\n".join(lines)

    def period_text(self, *, up_to_today: bool = True) -> str:
        """«Период: 2 четверть (с 04.11.2026 по 27.12.2026), прогноз по состоянию на
        27.11.2026 — 1–9 классы; 1 полугодие (…) — 10–11 классы» (or the dates), for
        headings: every period with its own dates and the classes it is counted for."""
        ranges = self.ranges(up_to_today=up_to_today)
        if not ranges:
            return ""
        span = self.span(up_to_today=up_to_today)
        assert span is not None
        if self.date_from or self.date_to or not self.period.strip():
            return f"Период: с {date_ru(span[0])} по {date_ru(span[1])}"
        groups = windows(ranges)
        parts = []
        for rng, names in groups:
            text = describe(rng.period, self.today) if rng.period is not None else rng.title
            if len(groups) > 1:
                text += f" — {classes_phrase(names)}"
            parts.append(text)
        return "Период: " + "; ".join(parts)


def find_school(school: str | Path) -> Path:
    """The school folder: as given, else relative to the repository."""
    path = Path(school).expanduser()
    if path.is_absolute() or path.exists():
        return path
    candidate = REPOSITORY / path
    return candidate if candidate.exists() else path


def open_report(school: str | Path, period: str = "", class_name: str = "", date_from: str = "",
                date_to: str = "", today: str = "", settings_path: str = "") -> ReportContext:
    """Open the school for a report; raises :class:`journal.core.errors.UsageError` with a
    Russian message when the folder or its settings are missing."""
    from journal.workbooks.settings_reader import load_settings

    if settings_path.strip():
        folder = find_school(school) if str(school).strip() else Path(settings_path).parent
        settings = load_settings(Path(settings_path))
    else:
        folder = SchoolFolder.open(find_school(school)).root
        settings = load_settings(SchoolFolder(folder).settings_path)
    day = parse_day(today) or settings.today or dt.date.today()
    check_parameters(settings, period, class_name, day)
    dataset = load(SchoolFolder(folder).store_path).only_class(class_name)
    return ReportContext(folder, settings, dataset, day, str(period or "").strip(),
                         str(class_name or "").strip(), parse_day(date_from), parse_day(date_to))


def check_parameters(settings: Settings, period: str = "", class_name: str = "",
                     today: dt.date | None = None) -> None:
    """Raise :class:`journal.core.errors.UsageError` (in Russian) for a class or period the
    settings do not have, before any report is computed."""
    class_name = str(class_name or "").strip()
    if class_name and settings.school_class(class_name) is None:
        known = ", ".join(c.name for c in settings.classes) or "нет ни одного"
        raise UsageError(f"Класса «{class_name}» нет в настройках школы. Классы: {known}")
    period = str(period or "").strip()
    if not period:
        return
    classes = [class_name] if class_name else None
    if not class_periods(settings, period, classes, today):
        raise UsageError(unknown_period_message(settings, period))
