"""The ``journal`` command: parses arguments, calls the library, maps outcomes to exit codes.

Exit codes: 0 success; 1 the data has problems (findings were reported, valid data
was kept); 2 usage or settings error. No logic lives here.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from journal.cli import texts as cli_ru
from journal.core.errors import JournalError, SettingsError, UsageError

cli_ru.install()

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a fault of the program itself (not in DESIGN.md's table: see README)

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
    """Show a program or environment fault in Russian and exit with code 2.

    Teachers' mistakes never get here: they are findings, reported by the commands.
    """
    typer.echo(f"Ошибка: {exc}", err=True)
    if isinstance(exc, SettingsError):
        for finding in exc.findings:
            typer.echo(f"  {finding.format()}", err=True)
    raise typer.Exit(EXIT_USAGE)


@app.command()
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
        _fail(exc)
        return
    root = result.school.root
    typer.echo(f"Пример школы готов: {root}")
    if result.merge is not None:
        from journal.intake.feedback import summary_line

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


@app.command()
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
        _fail(exc)
    typer.echo(f"Папка школы создана: {directory}\nЗаполните настройки: {path}\n"
               f"Затем создайте файлы журнала: journal templates --school \"{directory}\"")


@app.command()
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
        _fail(exc)
    typer.echo(format_result(result, folder.root))
    raise typer.Exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


@app.command("new-year")
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
        _fail(exc)
        return
    for line in report_lines(result):
        typer.echo(line)
    raise typer.Exit(EXIT_FINDINGS if result.of(Outcome.UNDECIDED) else EXIT_OK)


def _report_help() -> str:
    from journal.documents.notebooks import aliases_of, available_reports

    reports = available_reports()
    listing = "\n".join(
        f"  {name:<12} {title}" + (f" (или: {', '.join(aliases_of(name))})" if aliases_of(name) else "")
        for name, title in reports.items()
    )
    listing = listing or "  (блокноты не найдены)"
    return (
        "Построить отчёт: выполнить блокнот отчёта и сохранить его в HTML и PDF "
        "(в папку output/Отчёты школы).\n\n"
        f"\b\nОтчёты:\n{listing}\n\n"
        "\b\nПримеры:\n"
        "  journal report progress --school Школа --period 1\n"
        "  journal report attendance --school Школа --period 1 --class 5А\n"
        "  journal report activity --school Школа --from 23.11.2026 --to 28.11.2026\n"
        "  journal report filling --school Школа --month 11\n"
        "  journal report --all --school Школа --period 2"
    )


@app.command(help=_report_help())
def report(
    school: SchoolOption,
    name: Annotated[
        str | None, typer.Argument(help="Имя отчёта из списка выше (не нужно с --all).", show_default=False,
                                    metavar="ИМЯ")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", "-p", help=(
            "Учебный период: номер четверти 1–4 (для 10–11 классов — полугодие, в которое она "
            "входит), название периода из настроек, «год» или «текущий»."))
    ] = None,
    class_name: Annotated[
        str | None, typer.Option("--class", "-c", help="Только этот класс, например 5А.")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Начало интервала (ДД.ММ.ГГГГ).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Конец интервала (ДД.ММ.ГГГГ).")] = None,
    month: Annotated[int | None, typer.Option("--month", help=(
        "Календарный месяц учебного года (1–12): интервал с первого по последний день месяца, "
        "например --month 11 — ноябрь."), metavar="МЕСЯЦ")] = None,
    today: TodayOption = None,
    all_reports: Annotated[
        bool, typer.Option("--all", help="Построить все отчёты сразу, по нескольку одновременно.")
    ] = False,
    html_only: Annotated[bool, typer.Option("--html-only", help="Только HTML, без PDF.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Сколько отчётов строить одновременно (по числу ядер).")
    ] = None,
) -> None:
    from journal.core.errors import BrowserNotFoundError, RenderError
    from journal.documents.notebooks import (
        ReportOutput,
        available_reports,
        notebook_path,
        report_title,
        run_report,
        run_reports,
    )
    from journal.reports.common import month_range
    from journal.reports.context import check_parameters
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    def show(output: ReportOutput) -> None:
        if output.error:
            typer.echo(f"Ошибка: {output.error}", err=True)
            if output.notebook:
                typer.echo(f"  выполненный блокнот: {output.notebook}", err=True)
            return
        typer.echo(f"{output.title}:")
        options = {"period": "--period", "class_name": "--class", "date_from": "--from", "date_to": "--to"}
        for key in output.ignored:
            typer.echo(f"  (этот отчёт не использует {options.get(key, '--' + key)}; пропущено)", err=True)
        for label, path in (("PDF", output.pdf), ("HTML", output.html), ("блокнот", output.notebook)):
            if path is not None:
                typer.echo(f"  {label}: {path}")

    try:
        folder = SchoolFolder.open(school)
        if month is not None:
            if period or date_from or date_to:
                raise UsageError("--month задаёт интервал сам: не указывайте с ним --period, --from и --to")
            try:
                first, last = month_range(load_settings(folder.settings_path), month)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            date_from, date_to = f"{first:%d.%m.%Y}", f"{last:%d.%m.%Y}"
        parameters = {
            "period": period,
            "class_name": class_name,
            "date_from": parse_date(date_from),
            "date_to": parse_date(date_to),
            "today": parse_date(today),
        }
        formats = ("html",) if html_only else ("html", "pdf")
        if all_reports == (name is not None):
            raise UsageError(
                "Укажите имя отчёта или --all (но не то и другое). Список: journal report --help"
            )
        if period or class_name:
            settings = load_settings(folder.settings_path)
            check_parameters(settings, period or "", class_name or "",
                             parse_date(today) or settings.today or dt.date.today())
        if name is not None:
            source = notebook_path(name)  # an unknown name is refused before anything is said
            typer.echo(f"Строится отчёт «{report_title(source.stem, source.parent)}»…", err=True)
            try:
                show(run_report(name, folder, parameters, formats=formats))
            except RenderError as exc:
                if isinstance(exc, BrowserNotFoundError):
                    raise
                typer.echo(f"Ошибка: {exc}", err=True)
                raise typer.Exit(EXIT_FINDINGS) from None
            return
        names = list(available_reports())
        if not names:
            raise UsageError("Не найдено ни одного блокнота отчёта")

        def progress(done: int, total: int, output: ReportOutput) -> None:
            state = "ошибка" if output.error else f"готово за {output.seconds:.1f} с".replace(".", ",")
            typer.echo(f"[{done}/{total}] {output.title} — {state}", err=True)

        typer.echo(f"Строится отчётов: {len(names)}…", err=True)
        outputs = run_reports(names, folder, parameters, workers, formats=formats, progress=progress)
    except BrowserNotFoundError as exc:
        typer.echo(f"Ошибка: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except JournalError as exc:
        _fail(exc)
        return
    for output in outputs:
        show(output)
    if any(not output.ok for output in outputs):
        raise typer.Exit(EXIT_FINDINGS)


def _find_school(files: list[Path]) -> Path | None:
    from journal.school.folder import SETTINGS_FILE

    for file in files:
        for folder in Path(file).resolve().parents:
            if (folder / SETTINGS_FILE).exists():
                return folder
    return None


@app.command()
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
    from journal.intake.feedback import format_outcomes
    from journal.intake.merge import GONE, MERGED, REMOVED, check_files, check_school
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
    except JournalError as exc:
        _fail(exc)
    typer.echo(format_outcomes(outcomes, checking=True, limit=1000, show_all=True))
    errors = sum(o.errors for o in outcomes)
    warnings = sum(o.warnings for o in outcomes)
    typer.echo(f"Проверено файлов: {len(outcomes)}; ошибок {errors}, предупреждений {warnings}.")
    raise typer.Exit(EXIT_FINDINGS if errors or any(
        o.status not in (MERGED, GONE, REMOVED) for o in outcomes) else EXIT_OK)


@app.command()
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
    Замечания каждому учителю — в папке output/«Замечания учителям». Код выхода 1, если
    есть замечания.

    Пример: journal merge --school "Школа 2026-2027"
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from journal.intake.feedback import format_outcomes, summary_line, write_feedback
    from journal.intake.merge import GONE, HELD, changes_of_merge, merge_school
    from journal.reports.readiness import for_feedback
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
        write_feedback(folder, result, changes_of_merge(folder, result.merge_id),
                       for_feedback(folder.store_path, settings, day))
    except JournalError as exc:
        _fail(exc)
    for notice in result.notices:
        typer.echo(f"Внимание: {notice}", err=True)
    text = format_outcomes(result.files)
    if text:
        typer.echo(text)
    typer.echo(summary_line(result))
    if result.count(HELD):
        typer.echo("Если удаление отметок в задержанных файлах верно, примите их: journal merge "
                   f"--school \"{folder.root}\" --confirm-removals")
    for gone in (o for o in result.files if o.status == GONE):
        typer.echo(f"Если журнал «{Path(gone.file).name}» убран из папки намеренно, подтвердите: "
                   f"journal merge --school \"{folder.root}\" --confirm-gone \"{Path(gone.file).name}\"")
    if result.findings:
        typer.echo(f"Замечания учителям: {folder.output_dir / FEEDBACK_DIR}")
    raise typer.Exit(EXIT_FINDINGS if result.has_problems else EXIT_OK)


@app.command()
def letters(
    school: SchoolOption,
    class_name: Annotated[
        str | None, typer.Option("--class", "-c", help="Только этот класс, например 5А.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Начало интервала (ДД.ММ.ГГГГ).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Конец интервала (ДД.ММ.ГГГГ).")] = None,
    today: TodayOption = None,
    send: Annotated[
        bool, typer.Option("--send", help="Отправить письма родителям по электронной почте.")
    ] = False,
    smtp_config: Annotated[
        Path | None,
        typer.Option("--smtp-config", help="Файл настроек почты (по умолчанию ~/.config/journal/smtp.ini)."),
    ] = None,
) -> None:
    """Письма родителям: каждому ученику — его отметки, средний балл, место в классе,
    домашние задания и пропуски за две недели (по умолчанию — две недели до сегодняшнего дня).

    Письма (PDF) — в output/«Письма родителям»/«Письма родителям 14.11–27.11.2026»/<класс>/,
    а на уровень выше, в папке интервала, — общий файл класса для печати и список рассылки.
    Классу, в журнал которого за эти дни ничего не внесено, письма не делаются. Без --send ничего не
    отправляется: список показывает, что будет отправлено. С --send каждое письмо уходит
    родителям один раз; отправку, которая не удалась, можно повторить той же командой.
    Настройки почты — в переменных окружения JOURNAL_SMTP_HOST, JOURNAL_SMTP_PORT,
    JOURNAL_SMTP_USER, JOURNAL_SMTP_PASSWORD, JOURNAL_SMTP_SECURITY (ssl, starttls или none),
    JOURNAL_SMTP_FROM или в файле ~/.config/journal/smtp.ini (раздел [smtp]), но не в папке
    школы.

    Пример: journal letters --school "Школа 2026-2027" --class 5А --send
    """
    from journal.documents.letters import letters_range
    from journal.documents.mailing import (
        STATUS_ALREADY_SENT,
        STATUS_PRINT,
        STATUS_PRINT_BAD,
        STATUS_SENT,
        STATUS_WOULD_SEND,
        run_letters,
    )
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    try:
        folder = SchoolFolder.open(school)
        settings = load_settings(folder.settings_path)
        date_range = letters_range(settings, parse_date(date_from), parse_date(date_to), parse_date(today))
        typer.echo(f"Письма родителям {date_range.text_ru}…", err=True)
        run = run_letters(folder, settings, date_range, class_name=class_name, send=send,
                          smtp_config=smtp_config,
                          warn=lambda text: typer.echo(f"Внимание: {text}", err=True))
    except JournalError as exc:
        _fail(exc)
        return
    output = run.output
    for name in run.silent_classes:
        typer.echo(f"{name}: за {date_range.short_ru} в журнал класса ничего не внесено (ни отметок, "
                   f"ни тем уроков, ни домашних заданий, ни пропусков) — письма не сделаны и не "
                   f"отправлены.", err=True)
    typer.echo(f"Писем: {len(output.files)} (напечатано заново: {output.printed}) — {output.folder}")
    for name, path in output.class_files.items():
        typer.echo(f"  {name}: все письма класса для печати — {path.name}")
    typer.echo(f"Список рассылки: {run.delivery_list}")
    if send:
        typer.echo(f"Отправлено: {run.count(STATUS_SENT)}; уже были отправлены: "
                   f"{run.count(STATUS_ALREADY_SENT)}; не отправлено из-за ошибок: {len(run.failed)}")
    else:
        typer.echo(f"Будет отправлено по e-mail: {run.count(STATUS_WOULD_SEND)}; уже отправлены: "
                   f"{run.count(STATUS_ALREADY_SENT)}. Ничего не отправлено: добавьте --send")
    printing = run.count(STATUS_PRINT) + run.count(STATUS_PRINT_BAD)
    if printing:
        typer.echo(f"Без e-mail (распечатать и передать через ученика): {printing}")
    for d in run.failed:
        typer.echo(f"Ошибка отправки: {d.class_name}, {d.student} → {d.email}: {d.detail}", err=True)
    if run.failed:
        typer.echo("Повторите команду с --send, чтобы отправить только то, что не ушло.", err=True)
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def diary(
    school: SchoolOption,
    site: Annotated[
        str | None,
        typer.Option("--site", help="Адрес дневника на сайте школы (печатается на листках с кодами)."),
    ] = None,
    new_code: Annotated[
        str | None, typer.Option("--new-code", help="Выдать новый код этому ученику («Фамилия Имя»).")
    ] = None,
    class_name: Annotated[
        str | None, typer.Option("--class", "-c", help="Класс ученика для --new-code, например 5А.")
    ] = None,
    access_log: Annotated[
        Path | None,
        typer.Option("--access-log", help="Журнал посещений веб-сервера (для отчёта об участии)."),
    ] = None,
) -> None:
    """Электронный дневник для семей: папка output/Дневник/ (страница и зашифрованный файл на
    каждого ученика) и листки с кодами доступа по классам для классных руководителей.

    Папку «Дневник» можно выложить на сайт школы, в общую папку или отправить вложением:
    каждая семья по своему коду видит только своего ребёнка. Коды, листки для печати и таблица
    участия семей — в output/«Коды доступа»/ (только для вас, не публикуйте). Запускайте после
    каждого сбора журналов: переписываются только изменившиеся файлы.

    Пример: journal diary --school "Школа 2026-2027" --site https://school.example.ru/dnevnik/
    Новый код семье (старый перестаёт действовать):
    journal diary --school ПАПКА --new-code "Белов Артём" --class 5А
    """
    from journal.documents.diary.build import build_diary
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    try:
        if new_code and not class_name:
            raise UsageError("Для --new-code укажите и класс: --class 5А")
        if access_log is not None and not access_log.is_file():
            raise UsageError(f"Файл журнала посещений «{access_log}» не найден")
        folder = SchoolFolder.open(school)
        settings = load_settings(folder.settings_path)
        outcome = build_diary(folder, settings, site=site, access_log=access_log,
                              renew=(new_code, class_name or "") if new_code else None)
    except JournalError as exc:
        _fail(exc)
        return
    typer.echo(f"Дневник: {outcome.folder} — учеников {outcome.students}, "
               f"обновлено файлов {outcome.written}, удалено {outcome.removed}")
    if outcome.renewed:
        typer.echo(f"Новый код выдан: {outcome.renewed}; прежний код больше не действует")
    if outcome.new_codes:
        typer.echo(f"Новых кодов: {outcome.new_codes}")
    for path in outcome.slips:
        typer.echo(f"Листки с кодами для печати: {path}")
    typer.echo(f"Коды и участие семей (не публиковать): {outcome.codes_file.parent}")


@app.command("print")
def print_command(
    school: SchoolOption,
    period: Annotated[
        str, typer.Option("--period", "-p", help=(
            "Номер четверти 1–4 (для 10–11 классов — полугодие, в которое она входит), "
            "название периода из настроек или «год»."))
    ],
    class_name: Annotated[
        str | None, typer.Option("--class", "-c", help="Только этот класс, например 5А.")
    ] = None,
) -> None:
    """Бумажные копии журнала за период (по одному PDF на класс) и реестр копий для архива.

    В копии: титульный лист с заверением классного руководителя и содержанием, по каждому
    предмету — отметки и пропуски по датам, отметка за период, темы уроков и домашние
    задания с подписью учителя внизу каждой страницы; в конце — сводная ведомость,
    пропуски по ученикам и подпись заместителя директора. В 1 классе — без отметок.
    Файлы — в output/«Бумажные копии»/<период>/, там же рядом с папками периодов —
    «Реестр бумажных копий.xlsx» для секретаря. Повторная печать того же класса и периода
    сохраняет прежний файл и делает новую версию. Каждую копию собирает блокнот
    notebooks/copies/class_copy.ipynb; выполненный блокнот сохраняется в папке
    «Блокноты» — по нему видно, как сделана копия. Копия периода, который ещё не
    закончился, — черновик: на каждой странице написано «черновик», в реестре он отмечен
    и номера версии не получает.

    Номер — это номер четверти, как во всех командах: 1–9 классы печатаются за эту
    четверть, 10–11 классы — за полугодие, в которое она входит (2 → «1 полугодие»,
    4 → «2 полугодие»). Без --class после 1 и 3 четверти копии 10–11 классов не
    печатаются: их полугодие ещё идёт. Название четверти понимается так же, как её номер;
    название полугодия — только для 10–11 классов. «год» — копии всех классов за последний
    период года (4 четверть, 2 полугодие) с годовыми, экзаменационными и итоговыми
    отметками и их сводными ведомостями: общая папка за год.
    Код выхода 1 — копии сделаны, но в данных есть замечания (нет отметок за период, нет уроков).

    Пример: journal print --school "Школа 2026-2027" --period 2

    Пример: journal print --school "Школа 2026-2027" --period год

    Пример: journal print --school "Школа 2026-2027" --period "1 полугодие" --class 10А
    """
    import time

    from journal.documents.copies.files import PrintedCopy, print_copies
    from journal.documents.copies.plan import plan_print
    from journal.documents.pdf import PdfRenderer
    from journal.school.folder import SchoolFolder
    from journal.workbooks.settings_reader import load_settings

    def show(copy: PrintedCopy) -> None:
        typer.echo(f"  {copy.describe()}")

    try:
        folder = SchoolFolder.open(school)
        settings = load_settings(folder.settings_path)
        plan = plan_print(settings, period, class_name)
        for note in plan.skipped:
            typer.echo(f"Пропущено: {note}", err=True)
        for note in plan.unfinished(settings.today or dt.date.today()):
            typer.echo(f"Внимание: {note}", err=True)
        if not plan.jobs:
            typer.echo("Печатать нечего.", err=True)
            raise typer.Exit(EXIT_USAGE)
        typer.echo(f"Печать бумажных копий: {len(plan.jobs)}…", err=True)
        started = time.perf_counter()
        with PdfRenderer() as renderer:
            outcome = print_copies(folder, settings, plan, renderer.render, progress=show)
    except JournalError as exc:
        _fail(exc)
        return
    for finding in outcome.findings:
        typer.echo(f"  {finding.format()}", err=True)
    pages = sum(c.pages for c in outcome.copies)
    drafts = sum(c.draft for c in outcome.copies)
    typer.echo(f"Готово: копий {len(outcome.copies)}" + (f" (из них черновиков {drafts})" if drafts else "")
               + f", страниц {pages}, "
               f"{time.perf_counter() - started:.0f} с. Реестр: {outcome.register}")
    raise typer.Exit(EXIT_FINDINGS if outcome.findings else EXIT_OK)


def _school_store(school: Path) -> Path:
    from journal.school.folder import SchoolFolder

    if not Path(school).is_dir():
        raise UsageError(f"Папка школы «{school}» не найдена")
    return SchoolFolder(Path(school)).store_path


@app.command()
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
        _fail(exc)
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


@app.command()
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
        _fail(exc)
        return
    typer.echo(f"Зашифрованная копия общей базы записана: {target}")


@app.command()
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
        _fail(exc)
        return
    if not outcome.replaced:
        typer.echo("Копия не прошла проверку, общая база не заменена:", err=True)
        for problem in outcome.verification.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    typer.echo(f"Общая база восстановлена из «{source}». {outcome.verification.summary_ru()}")
    if outcome.kept_aside is not None:
        typer.echo(f"Прежняя база сохранена: {outcome.kept_aside}")


district_app = typer.Typer(
    help="Районная база (PostgreSQL): отправка данных школ и отчёты по району.\n\n"
    "Адрес базы — в переменной JOURNAL_DISTRICT_DB или в файле ~/.config/journal/district.ini.\n"
    "Пример: journal district push --school \"Школа 2026-2027\"",
    no_args_is_help=True,
)
app.add_typer(district_app, name="district")


@district_app.command("setup")
def district_setup() -> None:
    """Создать или обновить таблицы районной базы (выполняет её администратор).

    Пример: JOURNAL_DISTRICT_DB=postgresql://rono_admin@localhost/district journal district setup
    """
    from journal.district.run import setup

    try:
        applied = setup()
    except JournalError as exc:
        _fail(exc)
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
        _fail(exc)
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
        _fail(exc)
        return
    for path in output.files:
        typer.echo(f"Записан файл: {path}")


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
