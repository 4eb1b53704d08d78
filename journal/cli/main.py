"""The ``journal`` command: parses arguments, calls the library, maps outcomes to exit codes.

Exit codes: 0 success; 1 the data has problems (findings were reported, valid data
was kept); 2 usage or settings error. No logic lives here.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import typer

from journal.cli import district_commands, document_commands, school_commands, trust_commands
from journal.cli import texts as cli_ru
from journal.cli.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, parse_date
from journal.core.errors import JournalError

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "app", "internal_error_message", "main",
           "parse_date"]

cli_ru.install()

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

# The order here is the order of ``journal --help``.
app.command()(school_commands.demo)
app.command()(school_commands.init)
app.command()(school_commands.templates)
app.command("new-year")(school_commands.new_year)
app.command(help=document_commands.report_help())(document_commands.report)
app.command()(school_commands.check)
app.command()(school_commands.merge)
app.command()(document_commands.letters)
app.command()(document_commands.diary)
app.command("print")(document_commands.print_command)
app.command()(trust_commands.verify)
app.command()(trust_commands.backup)
app.command()(trust_commands.restore)
app.add_typer(district_commands.district_app, name="district")


def main() -> None:
    """Entry point of the ``journal`` console script.

    Files the program creates are readable by their owner only (they hold children's
    personal data). An unexpected fault is reported by its type and place only: its
    message and traceback may quote a student's name or mark, so they are not shown
    unless JOURNAL_DEBUG is set.
    """
    os.umask(0o077)
    try:
        app()
    except JournalError as exc:
        typer.echo(f"Ошибка: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if os.environ.get("JOURNAL_DEBUG"):
            raise
        typer.echo(internal_error_message(exc), err=True)
        sys.exit(EXIT_INTERNAL)


def internal_error_message(exc: BaseException) -> str:
    """«Внутренняя ошибка программы: KeyError (merge.py, строка 120)…», without the exception's text."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f"{os.sep}journal{os.sep}" in f.filename] or frames
    where = f" ({Path(own[-1].filename).name}, строка {own[-1].lineno})" if own else ""
    return (f"Внутренняя ошибка программы: {type(exc).__name__}{where}. Незавершённые изменения "
            "общей базы отменены. Сообщите разработчикам эту строку; подробности без личных данных "
            "не печатаются (для разработчика: JOURNAL_DEBUG=1).")


if __name__ == "__main__":
    main()
