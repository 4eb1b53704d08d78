"""Commands that keep the dataset trustworthy: verify, backup, restore."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from journal.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    SchoolOption,
    fail,
)
from journal.core.errors import JournalError, UsageError


def _school_store(school: Path) -> Path:
    from journal.school.folder import SchoolFolder

    if not Path(school).is_dir():
        raise UsageError(f"Папка школы «{school}» не найдена")
    return SchoolFolder(Path(school)).store_path


def verify(school: SchoolOption) -> None:
    """Проверить, что общую базу не меняли в обход программы.

    Заново считает цепочку контрольных сумм истории и восстанавливает по ней, какими должны
    быть отметки, пропуски, уроки и история исправлений. Называет первое расхождение (таблицу,
    ученика, предмет, дату урока, прежнее и новое значение) и завершается с кодом 1; если всё
    сходится, пишет, с какого дня история подтверждена.

    Пример: journal verify --school "Школа 2026-2027"
    """
    from journal.dataset.chain import verify_file

    try:
        path = _school_store(school)
        if not path.exists():
            raise UsageError(f"Общей базы «{path}» ещё нет: сначала выполните journal merge")
        result = verify_file(path)
    except JournalError as exc:
        fail(exc)
        return
    typer.echo(result.summary_ru())
    for problem in result.problems:
        typer.echo(f"  {problem}")
    raise typer.Exit(EXIT_OK if result.intact else EXIT_FINDINGS)


def _passphrase(confirm: bool) -> str:
    import getpass

    given = os.environ.get("JOURNAL_BACKUP_PASSPHRASE")
    if given:
        return given
    first = getpass.getpass("Пароль резервной копии: ")
    if confirm and getpass.getpass("Повторите пароль: ") != first:
        raise UsageError("Пароли не совпали; копия не сделана")
    if not first:
        raise UsageError("Пароль не введён")
    return first


def backup(
    school: SchoolOption,
    to: Annotated[Path, typer.Option("--to", help="Файл или папка (например, флешка) для копии.")],
) -> None:
    """Записать зашифрованную копию общей базы — на флешку или другой диск.

    Пароль берётся из переменной JOURNAL_BACKUP_PASSPHRASE или спрашивается. Без пароля
    копию не прочитать: храните его отдельно от флешки. Вернуть копию: journal restore.

    Пример: journal backup --school "Школа 2026-2027" --to E:\\
    """
    from journal.dataset.backup import write_encrypted

    try:
        path = _school_store(school)
        target = write_encrypted(path, to, _passphrase(confirm=True))
    except JournalError as exc:
        fail(exc)
        return
    typer.echo(f"Зашифрованная копия общей базы записана: {target}")


def restore(
    school: SchoolOption,
    source: Annotated[Path, typer.Option("--from", help="Файл, записанный journal backup.")],
) -> None:
    """Вернуть общую базу из зашифрованной копии (journal backup).

    Копия расшифровывается и проверяется (как journal verify) до того, как что-либо
    заменить; прежняя база откладывается в папку backups. Неверный пароль или
    непрошедшая проверка ничего не меняют.

    Пример: journal restore --school "Школа 2026-2027" --from "E:\\Журнал 01.12.2026 16-40.jbak"
    """
    from journal.dataset.backup import restore_encrypted
    from journal.school.folder import SchoolFolder

    try:
        path = _school_store(school)
        outcome = restore_encrypted(path, source, _passphrase(confirm=False),
                                    SchoolFolder(Path(school)).backups_dir)
    except JournalError as exc:
        fail(exc)
        return
    if not outcome.replaced:
        typer.echo("Копия не прошла проверку, общая база не заменена:", err=True)
        for problem in outcome.verification.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    typer.echo(f"Общая база восстановлена из «{source}». {outcome.verification.summary_ru()}")
    if outcome.kept_aside is not None:
        typer.echo(f"Прежняя база сохранена: {outcome.kept_aside}")
