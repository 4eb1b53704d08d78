"""The ``journal`` command: parses arguments, calls the library, maps outcomes to exit codes.

Exit codes: 0 success; 1 the data has problems (findings were reported, valid data
was kept); 2 usage or settings error. No logic lives here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import JournalError, SettingsError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

app = typer.Typer(
    help="Электронный классный журнал на Excel и Jupyter.\n\n"
    "Пример: journal demo --out пример — собрать пример школы со всеми отчётами.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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


def _fail(exc: JournalError) -> None:
    typer.echo(f"Ошибка: {exc}", err=True)
    if isinstance(exc, SettingsError):
        for finding in exc.findings:
            typer.echo(f"  {finding.format()}", err=True)
    code = EXIT_USAGE if isinstance(exc, UsageError | SettingsError) else EXIT_FINDINGS
    raise typer.Exit(code)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Новая папка школы.")],
) -> None:
    """Создать пустую папку школы с файлом настроек для заполнения.

    Пример: journal init "Школа 2026-2027"
    """
    from .school_init import init_school

    try:
        path = init_school(directory, today=dt.date.today())
    except JournalError as exc:
        _fail(exc)
    typer.echo(f"Папка школы создана: {directory}\nЗаполните настройки: {path}")


def main() -> None:
    """Entry point of the ``journal`` console script."""
    try:
        app()
    except JournalError as exc:  # pragma: no cover - reached only from commands above
        typer.echo(f"Ошибка: {exc}", err=True)
        sys.exit(EXIT_USAGE)
