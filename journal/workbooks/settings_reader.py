"""The settings workbook reader-validator: the filled workbook back into :class:`Settings`.

Reading never raises on a coordinator's mistake: :func:`read_settings` returns findings with
the sheet, the cell and a Russian message saying how to fix it; :func:`load_settings` raises
:class:`SettingsError` when any of them is an error.

The sheets are read by :mod:`journal.workbooks.settings_read_calendar`,
:mod:`journal.workbooks.settings_read_classes`, :mod:`journal.workbooks.settings_read_timetable` and
:mod:`journal.workbooks.settings_read_kinds` over the machinery of
:mod:`journal.workbooks.settings_read_base`, whose cell parsers this module re-exports.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from journal.core.errors import SettingsError
from journal.core.findings import Finding, error
from journal.school.settings import (
    DEFAULT_WORK_KINDS,
    Settings,
)
from journal.workbooks import settings_cache
from journal.workbooks.settings_read_base import (
    Reader,
    Year,
    parse_grades,
    parse_number_value,
    parse_weekday,
    parse_yes_no,
    year_range,
)
from journal.workbooks.settings_read_calendar import (
    check_period_sets,
    read_holidays,
    read_periods,
    read_school,
    read_unmarked,
)
from journal.workbooks.settings_read_classes import (
    EMAIL_PATTERN,
    read_classes,
    read_curriculum,
    read_decisions,
)
from journal.workbooks.settings_read_kinds import read_events, read_kinds, read_norms
from journal.workbooks.settings_read_timetable import read_changes, read_timetable

__all__ = ["EMAIL_PATTERN", "Year", "load_settings", "parse_grades", "parse_number_value", "parse_weekday",
           "parse_yes_no", "read_settings"]


def read_settings(path: Path, data: bytes | None = None) -> tuple[Settings | None, list[Finding]]:
    """Read and validate the settings workbook (``data``: its bytes, when already read).

    Returns the settings (None when the file cannot be read at all or a part
    needed to build them is unusable) and every finding. Warnings come with
    usable settings; callers decide with :func:`load_settings` semantics.
    """
    from openpyxl import load_workbook

    file = path.name
    if data is None and not path.is_file():
        return None, [error("N01", f"Файл настроек «{path}» не найден. Создайте папку школы "
                                           f"командой journal init ПАПКА.", file=file)]
    try:
        wb = load_workbook(path if data is None else io.BytesIO(data), data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return None, [error("N02",
                            f"Файл настроек не открывается ({exc.__class__.__name__}). Возможно, он "
                            f"повреждён или ещё копируется; сохраните его заново в формате .xlsx.",
                            file=file)]
    r = Reader(wb, file)
    try:
        school = read_school(r)
        periods = read_periods(r, school["year"])
        classes = read_classes(r)
        check_period_sets(r, periods, classes)
        holidays = read_holidays(r, periods)
        year = year_range(periods)
        today = school["today"]
        curriculum = read_curriculum(r, classes, year,
                                     today if isinstance(today, dt.date) else dt.date.today())
        timetable = read_timetable(r, curriculum, year)
        unmarked = read_unmarked(r, periods, year)
        kinds = read_kinds(r)
        norms = read_norms(r)
        if not periods or not school["year"]:
            return None, r.findings
        draft = Settings(
            school_name=str(school["name"]), school_year=str(school["year"]), periods=tuple(periods),
            holidays=tuple(holidays), classes=tuple(classes), curriculum=tuple(curriculum),
            timetable=tuple(timetable))
        changes = read_changes(r, draft)
        decisions = read_decisions(r, classes)
        events = read_events(r, classes, draft)
    finally:
        wb.close()
    settings = Settings(
        school_name=str(school["name"]), school_year=str(school["year"]), periods=tuple(periods),
        holidays=tuple(holidays), classes=tuple(classes), curriculum=tuple(curriculum),
        timetable=tuple(timetable), changes=tuple(changes), unmarked=tuple(unmarked),
        work_kinds=tuple(kinds) or DEFAULT_WORK_KINDS,
        norms=norms, director=str(school["director"]), deputy=str(school["deputy"]),
        letter_rating=bool(school["rating"]), today=today if isinstance(today, dt.date) else None,
        decisions=tuple(decisions), events=tuple(events),
    )
    return settings, r.findings


def load_settings(path: Path) -> Settings:
    """The settings, or :class:`SettingsError` with the findings when any of them is an error.

    Settings read without errors are kept in the user's cache (:mod:`settings_cache`): the
    same file on the same day by the same program is not read again.
    """
    try:
        data: bytes | None = Path(path).read_bytes()
    except OSError:
        data = None
    key = settings_cache.key_of(data) if data is not None else ""
    if key and (settings := settings_cache.cached(key)) is not None:
        return settings
    settings, findings = read_settings(path, data)
    errors = [f for f in findings if f.is_error]
    if settings is None or errors:
        count = len(errors)
        raise SettingsError(
            f"Файл настроек «{path}» нельзя использовать: ошибок — {count}. Исправьте их и "
            f"повторите команду.", findings)
    if key:
        settings_cache.keep(key, settings)
    return settings
