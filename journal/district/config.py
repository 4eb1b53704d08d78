"""Where the district database is: ``JOURNAL_DISTRICT_DB`` or ``~/.config/journal/district.ini``.

The address (``postgresql://role:password@host:port/database``) carries a password, so a
settings file inside the school folder or the program's folder is refused, as the mail
settings are (see :mod:`journal.documents.mailing`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from journal.core.errors import UsageError
from journal.core.files import read_private_config

ENV = "JOURNAL_DISTRICT_DB"
DEFAULT_CONFIG = Path("~/.config/journal/district.ini")


def default_config_path() -> Path:
    """``~/.config/journal/district.ini`` (or under ``$XDG_CONFIG_HOME``)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if base:
        return Path(base) / "journal" / "district.ini"
    return DEFAULT_CONFIG.expanduser()


def district_url(config_path: Path | None = None, *, env: Mapping[str, str] | None = None,
                 forbidden: Iterable[Path] = ()) -> str:
    """The district database's address: the variable, else ``[district] url`` of the file.

    :class:`UsageError` in Russian when neither gives one, when the address is not a
    ``postgresql://`` one, or when the file lies inside a ``forbidden`` folder.
    """
    env = os.environ if env is None else env
    url = (env.get(ENV) or "").strip()
    path = Path(config_path).expanduser() if config_path else default_config_path()
    if not url:
        parser = read_private_config(path, explicit=config_path is not None, forbidden=forbidden,
                                     what="районной базы", default=DEFAULT_CONFIG)
        if parser is not None:
            url = parser.get("district", "url", fallback="").strip()
    if not url:
        raise UsageError(
            f"Не задан адрес районной базы: укажите его в переменной окружения {ENV} или в файле "
            f"{DEFAULT_CONFIG} (раздел [district], строка url = postgresql://…)")
    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError("Адрес районной базы должен начинаться с postgresql://, например "
                         "postgresql://school_1@rono.example:5432/district")
    return url
