"""Running report notebooks: papermill executes them, the journal's template renders them.

A report is a notebook ``notebooks/<name>.ipynb`` with a cell tagged ``parameters``.
:func:`run_report` executes it with papermill (the ``python3`` kernel of the running
interpreter, parameters injected as strings), keeps the executed notebook as the record
of the run, exports HTML once with :class:`journal.documents.exporter.JournalHTMLExporter`
and prints that HTML to PDF with a warm :class:`journal.documents.pdf.PdfRenderer`.
:func:`run_reports` runs several notebooks in parallel worker processes, each with one
browser of its own.

Where the notebooks are: the ``JOURNAL_NOTEBOOKS`` environment variable when set, else
the ``notebooks/`` folder of the repository next to the package (the package is
installed from its checkout with ``pip install -e .``), else ``journal/notebooks`` inside
the package when a build ships them as package data. :func:`notebooks_dir` says which.

A notebook describes itself in its metadata::

    "journal": {"title": "Успеваемость за период", "orientation": "landscape"}

The title names the report in ``journal report --help`` and in file names; names
starting with ``_`` (like ``_smoke``) are test notebooks and are not listed.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import queue
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journal.core.errors import BrowserNotFoundError, RenderError, UsageError
from journal.core.files import save_atomically, write_atomically
from journal.documents.pdf import PdfRenderer, find_browser
from journal.school.folder import REPORTS_DIR, SchoolFolder, safe_file_name
from journal.school.settings import Settings

NOTEBOOKS_ENV = "JOURNAL_NOTEBOOKS"
KERNEL_NAME = "python3"
FORMATS = ("html", "pdf")

REPORT_TITLES: dict[str, str] = {
    "activity": "Активность учителей за неделю",
    "filling": "Заполнение журнала и накопляемость отметок",
    "progress": "Успеваемость за период",
    "attendance": "Посещаемость за период",
    "curriculum": "Выполнение учебного плана",
    "preliminary": "Предварительные итоги периода",
    "audit": "Исправления и несвоевременные записи",
    "year_end": "Итоги учебного года",
    "readiness": "Готовность к концу периода",
    "_smoke": "Проверка печати",
}
"""Russian titles of the known reports; a notebook's metadata ``journal.title`` wins."""

FILE_NAMES: dict[str, str] = {
    "activity": "Активность учителей",
    "filling": "Заполнение журнала",
    "progress": "Успеваемость",
    "attendance": "Посещаемость",
    "curriculum": "Выполнение учебного плана",
    "preliminary": "Предварительные итоги",
    "audit": "Исправления и несвоевременные записи",
    "year_end": "Итоги года",
    "readiness": "Готовность к концу периода",
}
"""The short name a report's files start with («Успеваемость — 1 четверть 2026-2027.pdf»)."""

RECORDS_DIR = "Блокноты и HTML"
"""The subfolder of the reports folder for the executed notebooks and their HTML: the
PDFs a director opens stand alone."""

REPORT_ALIASES: dict[str, str] = {
    "активность": "activity",
    "заполнение": "filling",
    "накопляемость": "filling",
    "успеваемость": "progress",
    "посещаемость": "attendance",
    "учебный-план": "curriculum",
    "программа": "curriculum",
    "предварительный": "preliminary",
    "прогноз": "preliminary",
    "аудит": "audit",
    "исправления": "audit",
    "итоги-года": "year_end",
    "год": "year_end",
    "готовность": "readiness",
    "каникулы": "readiness",
}
"""Russian names accepted on the command line for the known reports."""

ProgressCallback = Callable[[int, int, "ReportOutput"], None]


@dataclass
class ReportOutput:
    """What one report run produced (paths are None for formats not asked for).

    ``error`` is a Russian message when the report failed (only from :func:`run_reports`;
    :func:`run_report` raises :class:`RenderError` instead).
    """

    name: str
    title: str
    notebook: Path | None = None
    html: Path | None = None
    pdf: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    files: list[Path] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Parameters given but not declared by the notebook (left out of the run)."""

    @property
    def ok(self) -> bool:
        """True when the report ran and every asked-for file was written."""
        return self.error is None


def notebooks_dir() -> Path:
    """The folder of the report notebooks (see the module docstring for the order)."""
    env = os.environ.get(NOTEBOOKS_ENV, "").strip()
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise UsageError(f"Папка отчётов «{path}» из переменной {NOTEBOOKS_ENV} не найдена")
        return path
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / "notebooks", package / "notebooks"):
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "Не найдена папка с блокнотами отчётов (notebooks). Установите программу из её папки "
        f"(pip install -e .) или укажите папку в переменной {NOTEBOOKS_ENV}"
    )


def _notebook_metadata(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = data.get("metadata", {}).get("journal", {})
    return meta if isinstance(meta, dict) else {}


def report_title(name: str, folder: Path | None = None) -> str:
    """The Russian title of a report: the notebook's ``journal.title``, else the known one."""
    path = (folder or notebooks_dir()) / f"{name}.ipynb"
    title = _notebook_metadata(path).get("title") if path.exists() else None
    return str(title or REPORT_TITLES.get(name, name))


def available_reports(*, include_hidden: bool = False) -> dict[str, str]:
    """Report names → Russian titles, for every notebook in :func:`notebooks_dir`."""
    try:
        folder = notebooks_dir()
    except UsageError:
        return {}
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb")):
        name = path.stem
        if name.startswith(".") or (name.startswith("_") and not include_hidden):
            continue
        found[name] = report_title(name, folder)
    return found


def resolve_report_name(name: str) -> str:
    """The notebook name for ``name``: itself, or the report a Russian alias stands for."""
    text = name.strip()
    return REPORT_ALIASES.get(text.lower().replace(" ", "-"), text)


def aliases_of(name: str) -> list[str]:
    """The Russian aliases of report ``name``."""
    return [alias for alias, target in REPORT_ALIASES.items() if target == name]


def notebook_path(name: str, folder: Path | None = None) -> Path:
    """The notebook of report ``name`` (or its Russian alias); :class:`UsageError` if none.

    ``folder``: another folder of notebooks (the district's, ``notebooks/district``).
    """
    folder = folder or notebooks_dir()
    name = resolve_report_name(name)
    path = folder / f"{name}.ipynb"
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name) or not path.is_file():
        known = ", ".join(f"{n} ({t})" for n, t in available_reports().items()) or "нет ни одного"
        raise UsageError(f"Отчёта «{name}» нет. Есть отчёты: {known}")
    return path


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def report_parameters(school: SchoolFolder | None, parameters: Mapping[str, Any]) -> dict[str, str]:
    """The papermill parameters: ``school`` (the folder) and every given value as text.

    None values are left out so that the notebook's own default stays; dates become
    ``YYYY-MM-DD``.
    """
    result: dict[str, str] = {}
    if school is not None:
        result["school"] = str(school.root)
    for key, value in parameters.items():
        if value is not None:
            result[key] = _text(value)
    return result


def _dates_text(start: dt.date | None, end: dt.date | None) -> str:
    """«23.11–29.11.2026», «28.12.2026–10.01.2027», «с 23.11.2026», «по 29.11.2026»."""
    if start and end:
        if start.year == end.year:
            return f"{start:%d.%m}–{end:%d.%m.%Y}"
        return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
    if start:
        return f"с {start:%d.%m.%Y}"
    return f"по {end:%d.%m.%Y}" if end else ""


def _as_day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _period_name(spec: str, settings: Settings | None, class_name: str,
                 today: dt.date | None) -> str:
    """The period's own name for a file («2» → «2 четверть»; for 10А «1 полугодие»)."""
    from journal.school.periods import resolve

    if settings is None or not settings.classes:
        return f"период {spec}" if spec.isdigit() else spec
    wanted = settings.school_class(class_name) if class_name else None
    candidates = [wanted] if wanted is not None else list(settings.classes)
    for school_class in sorted(candidates, key=lambda c: c.grade):
        found = resolve(settings, school_class, spec, today or settings.today)
        if found is not None:
            return found.name
    return spec


def output_stem(title: str, parameters: Mapping[str, Any], settings: Settings | None = None,
                name: str = "") -> str:
    """The file name (without extension) a person would give a report run: its short name,
    what it covers and the school year.

    «Успеваемость — 1 четверть 2026-2027 — 5А», «Активность учителей — 23.11–29.11.2026»,
    «Посещаемость — учебный год 2026-2027». Without ``settings`` a period is named as given.
    """
    parts = [FILE_NAMES.get(name, title)]
    today = _as_day(parameters.get("today"))
    class_name = str(parameters.get("class_name") or parameters.get("class") or "").strip()
    start, end = _as_day(parameters.get("date_from")), _as_day(parameters.get("date_to"))
    spec = str(parameters.get("period") or "").strip()
    if start or end:
        parts.append(_dates_text(start, end))
    elif spec:
        period = _period_name(spec, settings, class_name, today)
        if settings is not None:
            period += f" {settings.school_year.replace('/', '-')}"
        parts.append(period)
    elif today is not None:
        parts.append(f"на {today:%d.%m.%Y}")
    if class_name:
        parts.append(class_name)
    return safe_file_name(" — ".join(parts))


def error_message(name: str, title: str, exc: BaseException) -> str:
    """The Russian message for a report or copy ``name`` («title») that could not be made."""
    ename = getattr(exc, "ename", None)
    if ename is not None:
        evalue = " ".join(str(getattr(exc, "evalue", "")).split())
        if len(evalue) > 400:
            evalue = evalue[:400] + "…"
        count = getattr(exc, "exec_count", None)
        where = f"в ячейке {count}" if count else "в одной из ячеек"
        return f"Отчёт «{title}» ({name}) не построен: ошибка {where}: {ename}: {evalue}"
    text = " ".join(str(exc).split())[:400] or type(exc).__name__
    return f"Отчёт «{title}» ({name}) не построен: {text}"


def declared_parameters(source: Path) -> set[str] | None:
    """Names assigned in the notebook's ``parameters`` cell; None when it has none."""
    import papermill

    try:
        declared = papermill.inspect_notebook(str(source))
    except Exception:
        return None
    return set(declared) or None


def _defaults(source: Path) -> dict[str, str]:
    """The values the notebook's ``parameters`` cell assigns (text, quotes removed)."""
    import papermill

    try:
        declared = papermill.inspect_notebook(str(source))
    except Exception:
        return {}
    return {key: str(info.get("default", "")).strip().strip("\"'")
            for key, info in declared.items()}


def execute(source: Path, target: Path, parameters: dict[str, str]) -> None:
    """Run the notebook ``source`` with ``parameters`` through papermill into ``target``
    (a notebook that failed half-way is kept there, showing where)."""
    import logging

    import papermill

    logging.getLogger("papermill").setLevel(logging.ERROR)

    def run_into(tmp: Path) -> None:
        papermill.execute_notebook(
            str(source),
            str(tmp),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            # the kernel's own log is noise for a school's coordinator: start-up warnings, and
            # «KeyboardInterrupt caught in kernel» (ERROR) when jupyter_client interrupts an
            # idle kernel at shutdown; a failing cell still raises through papermill
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )

    # a notebook that failed half-way is kept: the executed part shows where
    save_atomically(run_into, target, keep_partial=True)


def export_html(executed: Path, footer: str = "") -> str:
    """The executed notebook as the HTML page the PDF is printed from (``footer``: the
    history line at the bottom of each page)."""
    import nbformat

    from journal.documents.exporter import JournalHTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    html, _ = JournalHTMLExporter().from_notebook_node(
        nb, resources={"metadata": {"name": executed.stem}, "journal_footer": footer})
    return html


def history_footer(school: SchoolFolder | None) -> str:
    """«журнал: контрольная сумма 3fa9c1d2e4b5 от 01.12.2026» for the school's dataset, or ""."""
    from journal.dataset.chain import head_of_file

    if school is None:
        return ""
    head = head_of_file(school.store_path)
    return head.footer_ru() if head else ""


def run_report(
    name: str,
    school: SchoolFolder | None,
    parameters: Mapping[str, Any],
    *,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | None = None,
    renderer: PdfRenderer | None = None,
    folder: Path | None = None,
) -> ReportOutput:
    """Run report ``name`` and write the executed notebook, its HTML and its PDF.

    ``folder``: the notebooks' folder when not :func:`notebooks_dir` (the district's).

    Files go to ``out_dir`` (default ``output/Отчёты`` of the school folder), named by
    :func:`output_stem`. ``renderer`` is a warm browser to print with; without one a
    browser is opened for this report. A failing notebook raises :class:`RenderError`
    naming the report and the cell's error; the executed notebook is kept for a look.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise UsageError(f"Неизвестный формат: {', '.join(sorted(unknown))}. Есть: html, pdf")
    source = notebook_path(name, folder)
    name = source.stem
    title = report_title(name, source.parent)
    if out_dir is None:
        if school is None:
            raise UsageError("Не указана ни папка школы, ни папка для отчётов")
        out_dir = school.output(REPORTS_DIR)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if "pdf" in formats and renderer is None:
        find_browser()  # fail before running the notebook
    result = ReportOutput(name=name, title=title)
    started = time.perf_counter()
    given = report_parameters(school, parameters)
    declared = declared_parameters(source)
    if declared is not None:
        result.ignored = sorted(key for key in given if key not in declared and key != "school")
        given = {key: value for key, value in given.items() if key in declared}
    named = {**_defaults(source), **{key: value for key, value in parameters.items()
                                     if key in given and value not in (None, "")}}
    named.pop("school", None)
    named.pop("settings_path", None)
    stem = output_stem(title, named, _settings_of(school), name)
    records = out_dir / RECORDS_DIR
    records.mkdir(parents=True, exist_ok=True)
    executed = records / f"{stem}.ipynb"
    try:
        execute(source, executed, given)
    except Exception as exc:
        raise RenderError(error_message(name, title, exc)) from None
    result.notebook = executed
    result.files.append(executed)

    if formats:
        try:
            html = export_html(executed, history_footer(school))
        except Exception as exc:
            raise RenderError(error_message(name, title, exc)) from exc
        if "html" in formats:
            result.html = records / f"{stem}.html"
            write_atomically(html.encode("utf-8"), result.html)
            result.files.append(result.html)
        if "pdf" in formats:
            result.pdf = out_dir / f"{stem}.pdf"
            try:
                if renderer is not None:
                    result.pages = renderer.render(html, result.pdf)
                else:
                    with PdfRenderer() as own:
                        result.pages = own.render(html, result.pdf)
            except BrowserNotFoundError:
                raise
            except RenderError as exc:
                raise RenderError(f"Отчёт «{title}» ({name}): PDF не создан. {exc}") from exc
            result.files.append(result.pdf)
    result.seconds = time.perf_counter() - started
    return result


def _settings_of(school: SchoolFolder | None) -> Settings | None:
    """The school's settings for naming files; None when they cannot be read."""
    if school is None:
        return None
    try:
        from journal.workbooks.settings_reader import load_settings

        return load_settings(school.settings_path)
    except Exception:
        return None


def _run_safely(
    name: str,
    school: SchoolFolder | None,
    parameters: Mapping[str, Any],
    formats: Sequence[str],
    out_dir: Path | None,
    renderer: PdfRenderer | None,
) -> ReportOutput:
    started = time.perf_counter()
    try:
        return run_report(name, school, parameters, formats=formats, out_dir=out_dir, renderer=renderer)
    except Exception as exc:
        try:
            title = report_title(name)
        except UsageError:
            title = REPORT_TITLES.get(name, name)
        message = str(exc) if isinstance(exc, RenderError | UsageError) else error_message(name, title, exc)
        return ReportOutput(name=name, title=title, error=message, seconds=time.perf_counter() - started)


def _worker(
    tasks: Any,
    results: Any,
    school_root: str | None,
    parameters: dict[str, Any],
    formats: tuple[str, ...],
    out_dir: str | None,
) -> None:
    school = SchoolFolder(Path(school_root)) if school_root else None
    target = Path(out_dir) if out_dir else None
    renderer = PdfRenderer() if "pdf" in formats else None
    try:
        while True:
            name = tasks.get()
            if name is None:
                break
            results.put(_run_safely(name, school, parameters, formats, target, renderer))
    finally:
        if renderer is not None:
            renderer.close()


def run_reports(
    names: Iterable[str],
    school: SchoolFolder | None,
    parameters: Mapping[str, Any],
    workers: int | None = None,
    *,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | None = None,
    progress: ProgressCallback | None = None,
) -> list[ReportOutput]:
    """Run several reports, ``workers`` at a time in separate processes; in ``names`` order.

    Each worker process keeps one browser warm for all its reports. A failed report does
    not stop the others: its :class:`ReportOutput` has ``error`` set. ``progress`` is
    called as ``progress(done, total, output)`` after each report.
    """
    names = list(dict.fromkeys(resolve_report_name(name) for name in names))
    formats = tuple(formats)
    if not names:
        return []
    for name in names:
        notebook_path(name)
    if "pdf" in formats:
        find_browser()
    if out_dir is None and school is not None:
        out_dir = school.output(REPORTS_DIR)
    workers = max(1, min(workers or os.cpu_count() or 1, len(names)))
    done: dict[str, ReportOutput] = {}

    def record(output: ReportOutput) -> None:
        done[output.name] = output
        if progress is not None:
            progress(len(done), len(names), output)

    if workers == 1:
        renderer = PdfRenderer() if "pdf" in formats else None
        try:
            for name in names:
                record(_run_safely(name, school, dict(parameters), formats, out_dir, renderer))
        finally:
            if renderer is not None:
                renderer.close()
        return [done[name] for name in names]

    context = multiprocessing.get_context("spawn")
    tasks = context.Queue()
    results = context.Queue()
    for name in names:
        tasks.put(name)
    for _ in range(workers):
        tasks.put(None)
    args = (
        tasks, results, str(school.root) if school else None, dict(parameters), formats,
        str(out_dir) if out_dir else None,
    )
    processes = [context.Process(target=_worker, args=args, daemon=False) for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        while len(done) < len(names):
            try:
                record(results.get(timeout=1.0))
            except queue.Empty:
                if not any(p.is_alive() for p in processes) and results.empty():
                    break
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    for name in names:
        if name not in done:
            title = REPORT_TITLES.get(name, name)
            done[name] = ReportOutput(
                name=name, title=title,
                error=f"Отчёт «{title}» ({name}) не построен: рабочий процесс завершился аварийно",
            )
    return [done[name] for name in names]
