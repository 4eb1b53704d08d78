"""What every command shares: exit codes, common options, dates typed by people, fault output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from journal.core.errors import JournalError, SettingsError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a fault of the program itself (not in DESIGN.md's table: see README)

SchoolOption = Annotated[Path, typer.Option("--school", "-s", help="Папка школы.")]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Считать сегодняшней эту дату (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)."),
]


def parse_date(text: str | None) -> dt.date | None:
    """A date typed on the command line: ``28.11.2026`` or ``2026-11-28``."""
    if text is None:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError(f"Дата «{text}» не распознана. Пишите ДД.ММ.ГГГГ, например 28.11.2026")


def fail(exc: JournalError) -> None:
    """Show a program or environment fault in Russian and exit with code 2.

    Teachers' mistakes never get here: they are findings, reported by the commands.
    """
    typer.echo(f"Ошибка: {exc}", err=True)
    if isinstance(exc, SettingsError):
        for finding in exc.findings:
            typer.echo(f"  {finding.format()}", err=True)
    raise typer.Exit(EXIT_USAGE)
