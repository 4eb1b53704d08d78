"""One rule for what a period asked for by a person means, for every command.

``--period`` (and the notebooks' ``period`` parameter) takes:

* a quarter number 1–4: that quarter for grades 1–9, and for grades 10–11 (which are
  assessed by half-years) the half-year containing it — «2» is «2 четверть» for 5А and
  «1 полугодие» for 10А;
* a period's name from the settings («2 четверть», «1 полугодие»): a quarter's name is
  read as its number above; a half-year's name applies to grades 10–11 only;
* «год» — the whole school year; «текущий» — the class's period containing the day
  (or the last one begun before it).

A period that has not ended by the day of the report is a forecast: reports say so in
the heading and mark its marks as forecasts.
"""

from __future__ import annotations

import datetime as dt

from journal.core.formatting import date_ru
from journal.school.settings import QUARTERS, Period, SchoolClass, Settings

YEAR = "year"
YEAR_WORDS = frozenset({"год", "year", "учебный год", "за год"})
CURRENT_WORDS = frozenset({"текущий", "current", "текущий период", "сейчас"})

RULE_RU = ("номер четверти 1–4 (для 10–11 классов — полугодие, в которое входит эта четверть), "
           "название периода из настроек, «год» или «текущий»")


def _words(spec: str | int) -> str:
    return " ".join(str(spec).split()).lower()


def year_period(settings: Settings) -> Period:
    """The whole school year as a period of the set ``year``."""
    return Period(YEAR, 0, "учебный год", settings.year_start, settings.year_end)


def containing(settings: Settings, quarter: Period, period_set: str) -> Period | None:
    """The period of ``period_set`` that contains ``quarter`` (its last day decides)."""
    for p in settings.periods:
        if p.set == period_set and p.start <= quarter.end <= p.end:
            return p
    return None


def resolve_named(settings: Settings, school_class: SchoolClass, spec: str | int) -> Period | None:
    """The class's period for a quarter number or a period's name (see the module docstring);
    None when the settings have no such period for this class."""
    text = _words(spec)
    if not text:
        return None
    quarter = settings.find_period(text, QUARTERS)
    if quarter is not None:
        if school_class.period_set == QUARTERS:
            return quarter
        return containing(settings, quarter, school_class.period_set)
    if text.isdigit():
        return None  # a number is always a quarter's
    named = next((p for p in settings.periods if p.name.strip().lower() == text), None)
    if named is not None and named.set == school_class.period_set:
        return named
    return None


def resolve(settings: Settings, school_class: SchoolClass, spec: str | int,
            today: dt.date | None = None) -> Period | None:
    """The class's period for ``spec``: :func:`resolve_named`, plus «год» and «текущий»
    (the period containing ``today``, or the last one begun before it)."""
    text = _words(spec)
    if text in YEAR_WORDS:
        return year_period(settings)
    if text in CURRENT_WORDS:
        day = today or dt.date.today()
        begun = [p for p in settings.periods_for(school_class) if p.start <= day]
        return begun[-1] if begun else None
    return resolve_named(settings, school_class, spec)


def has_ended(period: Period, day: dt.date) -> bool:
    """True when ``period`` is over by the end of ``day`` (its last day counts as over)."""
    return day >= period.end


def is_forecast(period: Period, day: dt.date) -> bool:
    """True when a report made on ``day`` about ``period`` can only forecast its results."""
    return not has_ended(period, day)


def describe(period: Period, day: dt.date | None = None) -> str:
    """«1 полугодие (с 01.09.2026 по 28.12.2026), прогноз по состоянию на 27.11.2026» —
    the period, its own dates, and, before its end, the day the report stands on."""
    text = f"{period.name} (с {date_ru(period.start)} по {date_ru(period.end)})"
    if day is not None and is_forecast(period, day):
        if day < period.start:
            return f"{text}, ещё не начался"
        text += f", прогноз по состоянию на {date_ru(day)}"
    return text


def unknown_period_message(settings: Settings, spec: str | int) -> str:
    """The Russian message for a period the settings do not have."""
    names = ", ".join(dict.fromkeys(f"«{p.name}»" for p in settings.periods))
    return f"Периода «{spec}» нет в настройках школы. Укажите {RULE_RU}. Периоды школы: {names}"
