"""Settings read from a settings workbook, kept per user so that the next command skips the read.

Reading the settings workbook with openpyxl takes a few tenths of a second, and every command
reads it. What the reader makes of a file depends on the file's bytes, on the program's
reader and on the day (the curriculum line of a teacher who changed mid-year), so the
cache key is the SHA-256 of the three: a changed file, another version of the program or
another day reads the workbook again. Only settings without errors are kept, as JSON
(:mod:`journal.school.settings_json`), in the user's cache folder — never in the school
folder: ``$JOURNAL_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/journal``, else
``%LOCALAPPDATA%/journal`` on Windows, else ``~/.cache/journal``. A cache that cannot be
read or written is silently not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from importlib import resources
from pathlib import Path

from journal.core.files import write_atomically
from journal.school.settings import Settings
from journal.school.settings_json import settings_from_json, settings_to_json

CACHE_ENV = "JOURNAL_CACHE_DIR"
# The modules whose code decides what a settings workbook is read as.
_READER_MODULES = {
    "journal.workbooks": ("settings_reader.py", "settings_read_base.py", "settings_read_calendar.py",
                          "settings_read_classes.py", "settings_read_kinds.py",
                          "settings_read_timetable.py", "settings_format.py"),
    "journal.school": ("settings.py", "settings_json.py", "periods.py", "marks.py"),
}
_program: str | None = None


def cache_dir() -> Path | None:
    """The folder of cached settings (None: caching is off)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return Path(explicit) / "settings" if explicit.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "journal" / "settings"


def _program_digest() -> str:
    global _program
    if _program is None:
        digest = hashlib.sha256()
        for package, names in _READER_MODULES.items():
            folder = resources.files(package)
            for name in names:
                entry = folder / name
                if entry.is_file():
                    digest.update(name.encode() + entry.read_bytes())
        _program = digest.hexdigest()
    return _program


def key_of(data: bytes, today: dt.date | None = None) -> str:
    """The cache key of a settings workbook's bytes, read by this program on ``today``."""
    day = (today or dt.date.today()).isoformat()
    digest = hashlib.sha256(_program_digest().encode())
    digest.update(day.encode())
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def cached(key: str) -> Settings | None:
    """The settings kept under ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return settings_from_json((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep(key: str, settings: Settings) -> None:
    """Keep ``settings`` under ``key`` (nothing happens when the cache folder is not writable)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(settings_to_json(settings).encode("utf-8"), folder / f"{key}.json")
        for old in sorted(folder.glob("*.json"), key=_mtime)[:-_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return


_KEEP = 50  # cached settings kept (a few schools × a few days)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
