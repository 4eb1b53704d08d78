"""Commands that make documents from the dataset: report, letters, diary, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from journal.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    SchoolOption,
    TodayOption,
    fail,
    parse_date,
)
from journal.core.errors import JournalError, UsageError


def report_help() -> str:
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
        fail(exc)
        return
    for output in outputs:
        show(output)
    if any(not output.ok for output in outputs):
        raise typer.Exit(EXIT_FINDINGS)


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
        fail(exc)
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
        fail(exc)
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
        fail(exc)
        return
    for finding in outcome.findings:
        typer.echo(f"  {finding.format()}", err=True)
    pages = sum(c.pages for c in outcome.copies)
    drafts = sum(c.draft for c in outcome.copies)
    typer.echo(f"Готово: копий {len(outcome.copies)}" + (f" (из них черновиков {drafts})" if drafts else "")
               + f", страниц {pages}, "
               f"{time.perf_counter() - started:.0f} с. Реестр: {outcome.register}")
    raise typer.Exit(EXIT_FINDINGS if outcome.findings else EXIT_OK)
