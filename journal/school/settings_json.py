"""The school's settings as JSON text and back (the district database keeps them per school).

Only plain values are written: dates as ISO text, sets as sorted lists. Reading back gives
a :class:`journal.school.settings.Settings` equal to the one written.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from journal.school.settings import (
    CurriculumItem,
    Holiday,
    MinMarksRule,
    Norms,
    Period,
    SchoolClass,
    Settings,
    TimetableEntry,
    WorkKind,
)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def settings_to_json(settings: Settings) -> str:
    """The settings as compact JSON text (keys sorted, so equal settings give equal text)."""
    norms = settings.norms
    data: dict[str, Any] = {
        "school_name": settings.school_name,
        "school_year": settings.school_year,
        "periods": [[p.set, p.number, p.name, _day(p.start), _day(p.end)] for p in settings.periods],
        "holidays": [[h.name, _day(h.start), _day(h.end), sorted(h.grades)]
                     for h in settings.holidays],
        "classes": [[c.name, c.grade, c.letter, c.class_teacher] for c in settings.classes],
        "curriculum": [[c.class_name, c.subject, c.group, c.weekly_hours, c.teacher]
                       for c in settings.curriculum],
        "timetable": [[t.class_name, t.subject, t.group, t.weekday, t.lesson_no]
                      for t in settings.timetable],
        "work_kinds": [[k.name, k.weight, k.written] for k in settings.work_kinds],
        "norms": {
            "ordinary_mark_days": norms.ordinary_mark_days,
            "written_days_lower": norms.written_days_lower,
            "written_days_upper": norms.written_days_upper,
            "min_marks": [[r.weekly_hours, r.min_marks] for r in norms.min_marks],
            "rounding_threshold": norms.rounding_threshold,
            "period_mark_tolerance": norms.period_mark_tolerance,
            "large_removal_share": norms.large_removal_share,
        },
        "director": settings.director,
        "deputy": settings.deputy,
        "today": _day(settings.today),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def settings_from_json(text: str) -> Settings:
    """The :class:`Settings` that :func:`settings_to_json` wrote."""
    data = json.loads(text)
    norms = dict(data["norms"])
    norms["min_marks"] = tuple(MinMarksRule(h, n) for h, n in norms["min_marks"])
    return Settings(
        school_name=data["school_name"],
        school_year=data["school_year"],
        periods=tuple(Period(s, n, name, _parse_day(a) or dt.date.min, _parse_day(b) or dt.date.min)
                      for s, n, name, a, b in data["periods"]),
        holidays=tuple(Holiday(name, _parse_day(a) or dt.date.min, _parse_day(b) or dt.date.min,
                               frozenset(grades)) for name, a, b, grades in data["holidays"]),
        classes=tuple(SchoolClass(*row) for row in data["classes"]),
        curriculum=tuple(CurriculumItem(*row) for row in data["curriculum"]),
        timetable=tuple(TimetableEntry(*row) for row in data["timetable"]),
        work_kinds=tuple(WorkKind(*row) for row in data["work_kinds"]),
        norms=Norms(**norms),
        director=data["director"],
        deputy=data["deputy"],
        today=_parse_day(data["today"]),
    )
