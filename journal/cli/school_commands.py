"""Commands that set up a school and take in its workbooks: demo, init, templates, new-year, check, merge."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from journal.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    SchoolOption,
    TodayOption,
    fail,
    parse_date,
)
from journal.core.errors import JournalError, UsageError


def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Папка для примера школы.")
    ] = Path("output/demo"),
    no_reports: Annotated[
        bool, typer.Option("--no-reports", help="Только школа и общая база, без отчётов, копий и писем.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="День 2026/2027 учебного года, на который собрать "
                                 "пример (ДД.ММ.ГГГГ); по умолчанию 27.11.2026.")
    ] = None,
) -> None:
    """Собрать пример школы (11 классов, полторы четверти уроков), слить журналы и построить
    все отчёты, бумажные копии за 1 четверть, письма родителям и электронный дневник для семей.

    Прежний пример в той же папке заменяется. В журналах примера есть несколько типичных
    ошибок учителей: их показывают замечания учителям.

    Пример: journal demo --out пример
    """
    from journal.core.formatting import plural_ru
    from journal.demo.build import build_demo

    try:
        result = build_demo(out, progress=lambda text: typer.echo(text, err=True),
                            reports=not no_reports, today=parse_date(today))
    except JournalError as exc:
        fail(exc)
        return
    root = result.school.root
    typer.echo(f"Пример школы готов: {root}")
    if result.merge is not None:
        from journal.intake.outcome_text import summary_line

        typer.echo(f"  сбор журналов: {summary_line(result.merge)}")
    typer.echo(f"  настройки: {result.school.settings_path.name}; книги: classes/, workbooks/; "
               f"общая база: {result.school.store_path.name}")
    labels = {"reports": "отчёты", "print": "бумажные копии", "letters": "письма родителям"}
    for key, paths in result.outputs.items():
        if key == "diary":
            typer.echo(f"  дневник для семей: откройте {paths[0]} и введите код из листков в "
                       f"{result.school.output_dir / 'Коды доступа'}")
        elif paths:
            folder = Path(os.path.commonpath([p.parent for p in paths]))
            count = plural_ru(len(paths), ("файл", "файла", "файлов"))
            typer.echo(f"  {labels.get(key, key)}: {len(paths)} {count} в {folder}")
    from journal.school.folder import FEEDBACK_DIR

    typer.echo(f"  замечания учителям: {result.school.output_dir / FEEDBACK_DIR}")
    for problem in result.problems:
        typer.echo(f"Не получилось: {problem}", err=True)
    raise typer.Exit(EXIT_FINDINGS if result.problems else EXIT_OK)


def init(
    directory: Annotated[Path, typer.Argument(help="Новая папка школы.", metavar="ПАПКА")],
) -> None:
    """Создать пустую папку школы с файлом настроек для заполнения.

    Пример: journal init "Школа 2026-2027"
    """
    from journal.workbooks.new_school import init_school

    try:
        path = init_school(directory, today=dt.date.today())
    except JournalError as exc:
        fail(exc)
    typer.echo(f"Папка школы создана: {directory}\nЗаполните настройки: {path}\n"
               f"Затем создайте файлы журнала: journal templates --school \"{directory}\"")


def templates(
    school: SchoolOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Только показать, что будет сделано, ничего не меняя."),
    ] = False,
) -> None:
    """Создать недостающие журналы и обновить существующие (новые ученики, даты), не теряя записей.

    Для каждого класса — файл классного руководителя в classes/, для каждой строки учебного плана —
    журнал учителя в workbooks/. Журнал, который нужно обновить, перестраивается заново, все
    заполненные клетки переносятся, старый файл копируется в output/«Резервные копии». Если
    какое-то значение потерялось бы (например, отметка ученика, которого убрали из списка), файл
    не меняется, а программа называет эту клетку. Код выхода 1, если какие-то файлы не обновлены.

    Пример: journal templates --school "Школа 2026-2027"
    """
    from journal.intake.workbook_update import format_result, update_templates
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    try:
        folder = SchoolFolder.open(school)
        settings = load_settings(folder.settings_path)
        result = update_templates(folder, settings, dry_run=dry_run)
    except JournalError as exc:
        fail(exc)
    typer.echo(format_result(result, folder.root))
    raise typer.Exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


def new_year(
    old: Annotated[Path, typer.Option("--from", help="Папка школы уходящего учебного года.")],
    new: Annotated[Path, typer.Option("--to", help="Новая папка для следующего учебного года.")],
) -> None:
    """Начать следующий учебный год: новая папка школы с настройками и списками классов.

    Классы переходят в следующую параллель (5А → 6А), 9 и 11 классы выпускаются, новые 1 и 10
    классы пустые. Ученики переходят по итогам года и решениям педсовета: оставленные на повторное
    обучение остаются в своей параллели, переведённые условно получают заметку в книге классного
    руководителя. Папка прошлого года не меняется: это архив года. Затем журналы создаёт команда
    journal templates. Код выхода 1, если у кого-то итог года не определён.

    Пример: journal new-year --from "Школа 2026-2027" --to "Школа 2027-2028"
    """
    from journal.school.year_marks import Outcome
    from journal.year.new_year import make_new_year, report_lines

    try:
        result = make_new_year(old, new, created=f"{dt.date.today():%Y-%m-%d}")
    except JournalError as exc:
        fail(exc)
        return
    for line in report_lines(result):
        typer.echo(line)
    raise typer.Exit(EXIT_FINDINGS if result.of(Outcome.UNDECIDED) else EXIT_OK)


def _find_school(files: list[Path]) -> Path | None:
    from journal.school.folder import SETTINGS_FILE

    for file in files:
        for folder in Path(file).resolve().parents:
            if (folder / SETTINGS_FILE).exists():
                return folder
    return None


def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Файлы журналов (.xlsx); без них — все файлы папки школы.",
                       metavar="ФАЙЛ", show_default=False),
    ] = None,
    school: Annotated[
        Path | None,
        typer.Option("--school", "-s",
                     help="Папка школы (по умолчанию — папка, где лежит файл, или выше)."),
    ] = None,
) -> None:
    """Проверить журналы, не внося их в общую базу, и напечатать замечания.

    Говорит всё, что сказал бы сбор журналов, в том числе что он задержал бы файл. Без
    файлов проверяет все файлы папок classes/ и workbooks/ (любые, не только .xlsx) и
    называет прежде принятые журналы, которых больше нет в папке. Код выхода 1, если есть
    ошибки (такой файл сбор журналов не примет).

    Пример: journal check "workbooks/5А — Математика.xlsx" --school "Школа 2026-2027"

    Пример: journal check --school "Школа 2026-2027"
    """
    from journal.intake.acknowledge import settle_checked
    from journal.intake.merge import GONE, MERGED, REMOVED, check_files, check_school
    from journal.intake.outcome_text import format_outcomes
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    try:
        files = files or []
        missing = [str(f) for f in files if not Path(f).is_file()]
        if missing:
            raise UsageError(f"Файл не найден: {missing[0]}")
        root = school or _find_school(files)
        if root is None:
            raise UsageError("Не найдена папка школы с файлом настроек. Укажите её: "
                             "journal check ФАЙЛ --school ПАПКА")
        folder = SchoolFolder.open(root)
        settings = load_settings(folder.settings_path)
        outcomes = (check_files([Path(f) for f in files], settings, school=folder) if files
                    else check_school(folder, settings))
        settled = settle_checked(folder.store_path, outcomes)
    except JournalError as exc:
        fail(exc)
    typer.echo(format_outcomes(outcomes, checking=True, limit=1000, show_all=True))
    errors = sum(o.errors for o in outcomes)
    warnings = sum(o.warnings for o in outcomes)
    typer.echo(f"Проверено файлов: {len(outcomes)}; ошибок {errors}, предупреждений {warnings}.")
    if settled:
        typer.echo(f"Проверено ответственным: {_warnings_ru(len(settled))} (сбор журналов их "
                   "тоже не считает)")
    raise typer.Exit(EXIT_FINDINGS if errors or any(
        o.status not in (MERGED, GONE, REMOVED) for o in outcomes) else EXIT_OK)


def merge(
    school: SchoolOption,
    confirm_removals: Annotated[
        bool,
        typer.Option("--confirm-removals",
                     help="Принять файлы, которые удаляют много уже принятых отметок."),
    ] = False,
    today: TodayOption = None,
    confirm_gone: Annotated[
        list[str] | None,
        typer.Option("--confirm-gone", metavar="ФАЙЛ",
                     help="Подтвердить, что прежде принятый журнал убран из папки намеренно "
                          "(имя файла; можно повторить). Его данные остаются в общей базе."),
    ] = None,
) -> None:
    """Проверить все журналы школы и внести правильные в общую базу (с историей изменений).

    Файл с ошибками не принимается целиком, его прежние данные в базе остаются. Журнал,
    который прежде был принят, а теперь его нет в папке, сохраняется в базе и называется
    при каждом сборе, пока не подтверждено, что его убрали намеренно (--confirm-gone).
    Замечания каждому учителю — в папке output/«Замечания учителям». Предупреждение, у
    которого в сводке для ответственного заполнен столбец «Проверено (кто)», больше не
    считается замечанием, пока ячейка не изменится. Код выхода 1, если есть замечания.

    Пример: journal merge --school "Школа 2026-2027"
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from journal.dataset import store
    from journal.intake.feedback_state import feedback_current, feedback_key
    from journal.intake.merge import GONE, HELD, changes_of_merge, merge_school, settings_fingerprint
    from journal.intake.outcome_text import format_outcomes, summary_line
    from journal.school.folder import FEEDBACK_DIR, SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    try:
        folder = SchoolFolder.open(school)
        settings = load_settings(folder.settings_path)
        day = parse_date(today) or settings.today
        now = dt.datetime.combine(day, dt.datetime.now().time()) if day else None
        console = Console(stderr=True)
        with Progress(TextColumn("Сбор журналов"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), console=console, transient=True,
                      disable=not console.is_terminal) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, file: str) -> None:
                bar.update(task, completed=done, total=total, description=Path(file).name)

            result = merge_school(folder, settings, now=now, confirm_removals=confirm_removals,
                                  progress=progress, confirm_gone=confirm_gone or ())
        with store.opened(folder.store_path, readonly=True) as conn:
            printed = store.printed_copies_mark(conn)
        key = feedback_key(result, settings_fingerprint=settings_fingerprint(settings), day=day,
                           printed=printed)
        if not feedback_current(folder, key):  # else nothing the feedback says has changed
            # (openpyxl and pandas are imported only when there is something to write)
            from journal.intake.feedback import write_feedback
            from journal.reports.readiness import for_feedback

            write_feedback(folder, result, changes_of_merge(folder, result.merge_id),
                           for_feedback(folder.store_path, settings, day), key=key)
    except JournalError as exc:
        fail(exc)
    for notice in result.notices:
        typer.echo(f"Внимание: {notice}", err=True)
    text = format_outcomes(result.files)
    if text:
        typer.echo(text)
    typer.echo(summary_line(result))
    if result.acknowledged:
        typer.echo(f"Проверено ответственным: {_warnings_ru(len(result.acknowledged))} "
                   "(лист «Проверенные» сводки)")
    if result.count(HELD):
        typer.echo("Если удаление отметок в задержанных файлах верно, примите их: journal merge "
                   f"--school \"{folder.root}\" --confirm-removals")
    for gone in (o for o in result.files if o.status == GONE):
        typer.echo(f"Если журнал «{Path(gone.file).name}» убран из папки намеренно, подтвердите: "
                   f"journal merge --school \"{folder.root}\" --confirm-gone \"{Path(gone.file).name}\"")
    if result.findings:
        typer.echo(f"Замечания учителям: {folder.output_dir / FEEDBACK_DIR}")
    raise typer.Exit(EXIT_FINDINGS if result.has_problems else EXIT_OK)


def _warnings_ru(count: int) -> str:
    """«1 предупреждение», «3 предупреждения», «5 предупреждений»."""
    from journal.core.formatting import plural_ru

    return f"{count} {plural_ru(count, ('предупреждение', 'предупреждения', 'предупреждений'))}"
