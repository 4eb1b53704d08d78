"""The ``journal district`` group: the district database (setup, push, report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journal.cli.common import (
    EXIT_FINDINGS,
    SchoolOption,
    TodayOption,
    fail,
    parse_date,
)
from journal.core.errors import JournalError

district_app = typer.Typer(
    help="Районная база (PostgreSQL): отправка данных школ и отчёты по району.\n\n"
    "Адрес базы — в переменной JOURNAL_DISTRICT_DB или в файле ~/.config/journal/district.ini.\n"
    "Пример: journal district push --school \"Школа 2026-2027\"",
    no_args_is_help=True,
)


@district_app.command("setup")
def district_setup() -> None:
    """Создать или обновить таблицы районной базы (выполняет её администратор).

    Пример: JOURNAL_DISTRICT_DB=postgresql://rono_admin@localhost/district journal district setup
    """
    from journal.district.run import setup

    try:
        applied = setup()
    except JournalError as exc:
        fail(exc)
        return
    typer.echo("Районная база обновлена." if applied else "Районная база уже в нужной версии.")


@district_app.command("push")
def district_push(
    school: SchoolOption,
    again: Annotated[bool, typer.Option(
        "--again", help="Отправить всю историю школы заново (после восстановления базы из копии).")]
    = False,
) -> None:
    """Отправить в районную базу то, что появилось в общей базе школы с прошлой отправки.

    Перед отправкой история общей базы проверяется (как journal verify); изменённая в обход
    программы база не отправляется. Повторная отправка ничего не меняет.

    Пример: journal district push --school "Школа 2026-2027"
    """
    from journal.district.push import PushRefused
    from journal.district.run import push_folder

    try:
        result = push_folder(school, again=again)
    except PushRefused as exc:
        typer.echo(f"Не отправлено: {exc}", err=True)
        raise typer.Exit(EXIT_FINDINGS) from None
    except JournalError as exc:
        fail(exc)
        return
    typer.echo(result.summary_ru())


@district_app.command("report")
def district_report(
    name: Annotated[str, typer.Argument(help="Отчёт: progress, attendance или filling.")],
    period: Annotated[str, typer.Option("--period", help="Период: номер, название или «год».")] = "",
    out: Annotated[Path | None, typer.Option("--out", help="Папка для отчёта.")] = None,
    today: TodayOption = None,
) -> None:
    """Отчёт по всем школам районной базы: успеваемость (progress), посещаемость (attendance),
    заполнение и накопляемость (filling). PDF формата A4.

    Пример: journal district report progress --period 1 --out "Отчёты района"
    """
    from journal.district.run import report

    try:
        day = parse_date(today)
        output = report(name, period=period, today=day.isoformat() if day else "", out_dir=out)
    except JournalError as exc:
        fail(exc)
        return
    for path in output.files:
        typer.echo(f"Записан файл: {path}")
