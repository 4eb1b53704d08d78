"""``journal init``: a new, empty school folder with a settings workbook to fill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from journal.core.errors import UsageError
from journal.school.folder import SchoolFolder
from journal.school.settings import Settings, default_calendar, school_year_of
from journal.workbooks.settings_writer import write_settings_workbook


def blank_settings(school_year: str) -> Settings:
    """Settings for a school that has filled nothing yet: the default calendar of
    ``school_year`` («2026/2027»), default kinds of work and norms, no school name,
    classes, curriculum or timetable."""
    first_year = int(school_year.split("/")[0])
    periods, holidays = default_calendar(first_year)
    return Settings(school_name="", school_year=school_year, periods=periods, holidays=holidays)


def init_school(directory: Path, today: dt.date) -> Path:
    """Create the school folder ``directory`` for the school year containing ``today``.

    Makes ``classes/``, ``workbooks/`` and ``output/`` and writes the settings
    workbook; returns its path. Refuses with :class:`UsageError` when the folder
    already holds a settings workbook or is a file.
    """
    root = Path(directory).expanduser()
    if root.exists() and not root.is_dir():
        raise UsageError(f"«{root}» — это файл, а не папка. Укажите имя новой папки школы.")
    folder = SchoolFolder(root.resolve())
    if folder.settings_path.exists():
        raise UsageError(
            f"В папке «{root}» уже есть файл настроек «{folder.settings_path.name}»: папка школы "
            f"уже создана. Откройте этот файл и заполните его или укажите другую папку."
        )
    for path in (folder.root, folder.classes_dir, folder.workbooks_dir, folder.output_dir):
        path.mkdir(parents=True, exist_ok=True)
    write_settings_workbook(blank_settings(school_year_of(today)), folder.settings_path,
                            created=f"{today:%Y-%m-%d}")
    return folder.settings_path
