"""Paper copies as files: printing to PDF, file names and versions, the archive register.

:func:`render_class_copy` prints one copy with a renderer (e.g.
:meth:`journal.documents.pdf.PdfRenderer.render`), filling the contents' page numbers from
a first print (:func:`journal.documents.pdf.section_pages`); :func:`print_copies` does a
whole :class:`~journal.documents.copies.plan.PrintPlan` for a school folder through the
copy notebook (:func:`run_copy_notebook`) and records every copy in the register
(:mod:`journal.documents.register`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from journal.core.errors import RenderError
from journal.core.files import file_sha256
from journal.core.findings import Finding
from journal.core.formatting import count_ru
from journal.dataset import store
from journal.documents.copies.data import ClassCopy, load_class_copy
from journal.documents.copies.document import copy_day, document_output
from journal.documents.copies.layout import class_copy_html, class_copy_parts
from journal.documents.copies.plan import PrintJob, PrintPlan
from journal.documents.pdf import section_pages
from journal.documents.register import (
    RegisterRow,
    check_writable,
    next_version,
    read_register,
    record_in_history,
    register_path,
    write_register,
)
from journal.school.folder import PRINT_DIR, SchoolFolder, safe_file_name
from journal.school.settings import Period, Settings, normalise_class_name

Renderer = Callable[[str, Path], int]


def render_pages(copy: ClassCopy, out: Path, render: Renderer) -> tuple[str, int, list[int | None]]:
    """Print a copy to ``out`` with its contents' page numbers; the final HTML, the page
    count and the first page of each subject.

    The contents link to the subjects; Chromium writes those links as named destinations,
    which say on which page each subject starts. So the copy is printed once with blank
    page numbers, the numbers are read from the PDF, and it is printed again with them
    (and checked again). When the destinations cannot be read, each part (which starts on
    a new page and is paginated alone as in the whole) is printed on its own to count its
    pages instead.
    """
    first = render(class_copy_html(copy, class_copy_parts(copy)), out)
    starts = section_pages(Path(out).read_bytes(), len(copy.sections))
    if starts is not None:
        html = class_copy_html(copy, class_copy_parts(copy, starts, first))
        total = render(html, out)
        if total == first and section_pages(Path(out).read_bytes(), len(copy.sections)) == starts:
            return html, total, starts
    parts = class_copy_parts(copy)
    with tempfile.TemporaryDirectory(prefix="journal-print-") as tmp:
        counts = [render(class_copy_html(copy, [part]), Path(tmp) / f"part{i}.pdf")
                  for i, part in enumerate(parts)]
    counted: list[int | None] = []
    page = 1 + counts[0]
    for count in counts[1:-1]:
        counted.append(page)
        page += count
    html = class_copy_html(copy, class_copy_parts(copy, counted, sum(counts)))
    total = render(html, out)
    if total != sum(counts):
        raise RenderError(
            f"{copy.school_class.name}, {copy.period.name}: страниц в копии {total}, а по частям "
            f"{sum(counts)} — номера страниц в содержании были бы неверны. Сообщите разработчикам"
        )
    return html, total, counted


def render_class_copy(copy: ClassCopy, out: Path, render: Renderer) -> int:
    """Print a copy to ``out`` with its contents' page numbers (:func:`render_pages`); the page count."""
    return render_pages(copy, out, render)[1]


@dataclass(frozen=True)
class PrintedCopy:
    """A PDF made by :func:`print_copies` and its row in the archive register."""

    class_name: str
    period: str
    version: int
    pages: int
    path: Path
    sha256: str
    previous: tuple[RegisterRow, ...] = ()
    draft: bool = False
    notebook: Path | None = None

    def describe(self) -> str:
        """One Russian line for the terminal."""
        pages = count_ru(self.pages, ("страница", "страницы", "страниц"))
        text = f"{self.class_name}, {self.period}: {pages} — {self.path.parent.name}/{self.path.name}"
        if self.draft:
            return text + " (черновик: период ещё идёт, в архив не сдаётся)"
        if self.previous:
            last = self.previous[-1]
            text += (f" (новая версия {self.version}; версия {last.version} от {last.produced} "
                     f"сохранена: {last.file_name})")
        return text


@dataclass
class PrintOutcome:
    """What :func:`print_copies` made, skipped and found."""

    copies: list[PrintedCopy] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    register: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)


NOTEBOOKS_DIR = "Блокноты"
"""The subfolder of the paper copies folder for the executed notebooks (not beside the PDFs)."""
COPY_NOTEBOOK = Path("copies") / "class_copy.ipynb"
"""The copy notebook, relative to the notebooks folder."""


def copy_file_name(class_name: str, period: Period, version: int) -> str:
    """«5А — 1 четверть.pdf»; from the second version «5А — 1 четверть (версия 2).pdf»."""
    suffix = f" (версия {version})" if version > 1 else ""
    return safe_file_name(f"{class_name} — {period.name}{suffix}") + ".pdf"


def draft_file_name(class_name: str, period: Period, day: dt.date, number: int = 1) -> str:
    """«10А — 1 полугодие (черновик от 27.11.2026).pdf»; a second one that day ends «…, 2)»."""
    suffix = f", {number}" if number > 1 else ""
    return safe_file_name(f"{class_name} — {period.name} (черновик от {day:%d.%m.%Y}{suffix})") + ".pdf"


def copy_notebook() -> Path:
    """The notebook that makes a class copy."""
    from journal.documents.notebooks import notebooks_dir

    path = notebooks_dir() / COPY_NOTEBOOK
    if not path.is_file():
        raise RenderError(f"Не найден блокнот бумажной копии «{path}». Переустановите программу")
    return path


def run_copy_notebook(school: SchoolFolder, job: PrintJob, version: int, day: dt.date,
                      record: Path, render: Renderer, out: Path) -> int:
    """Run the copy notebook for ``job``, keep it at ``record``, print its document to ``out``
    with the journal's exporter; the page count (checked against the notebook's own)."""
    import nbformat

    from journal.documents.notebooks import error_message, execute, export_html

    title = f"Бумажная копия {job.school_class.name}, {job.period.name}"
    parameters = {"school": str(school.root), "period": job.period.name, "class_name": job.school_class.name,
                  "version": str(version), "today": day.isoformat()}
    record.parent.mkdir(parents=True, exist_ok=True)
    try:
        execute(copy_notebook(), record, parameters)
    except Exception as exc:
        raise RenderError(error_message("class_copy", title, exc)) from None
    found = document_output(nbformat.read(str(record), as_version=4))
    if found is None:
        raise RenderError(f"{title}: блокнот выполнен, но копии в нём нет. Блокнот сохранён: {record}")
    expected = found[1]
    pages = render(export_html(record), out)
    starts = section_pages(Path(out).read_bytes(), len(expected.get("starts") or []))
    if pages != expected.get("pages") or (starts is not None and starts != expected.get("starts")):
        raise RenderError(
            f"{title}: страниц в копии {pages}, а в блокноте {expected.get('pages')} — номера страниц "
            f"в содержании были бы неверны. Сообщите разработчикам")
    return pages


def print_copies(school: SchoolFolder, settings: Settings, plan: PrintPlan, render: Renderer,
                 *, now: dt.datetime | None = None, today: dt.date | None = None,
                 progress: Callable[[PrintedCopy], None] | None = None) -> PrintOutcome:
    """Print every job of ``plan`` into ``output/Бумажные копии/<period>/`` and register it.

    Each copy is made by the copy notebook (:mod:`journal.documents.copies.notebook`), kept
    executed in ``output/Бумажные копии/Блокноты/<period>/``, and printed by the journal's
    nbconvert exporter with ``render``. The copies are dated ``today`` (default: the day of
    the settings, else the calendar's), as the reports of the same run. A class and period
    printed before get the next version; the earlier PDF is kept. A period that has not
    ended by ``today`` gives a draft: marked «черновик», named by its day, registered as a
    draft without a version. The register (``output/Бумажные копии/Реестр бумажных
    копий.xlsx``, file names relative to that folder) is rewritten atomically after each
    copy, so a run that fails halfway leaves every PDF it made registered.
    """
    import time

    now = (now or dt.datetime.now()).replace(microsecond=0)
    day = copy_day(settings, today)
    outcome = PrintOutcome(skipped=list(plan.skipped))
    folder = school.output(PRINT_DIR)
    reg_path = register_path(folder)
    read_register(reg_path)  # refuse an unreadable register before printing anything
    if plan.jobs:
        check_writable(reg_path)
        copy_notebook()
    for job in plan.jobs:
        started = time.perf_counter()
        with store.opened(school.store_path, readonly=True) as conn:
            copy = load_class_copy(conn, settings, job.school_class, job.period)
        copy.made_on = day
        outcome.findings.extend(f for f in copy.findings if not (copy.draft and f.code == "P02"))
        rows = read_register(reg_path)  # again: another run may have added rows meanwhile
        earlier = [r for r in rows
                   if normalise_class_name(r.class_name) == normalise_class_name(job.school_class.name)
                   and r.period == job.period.name and r.school_year == settings.school_year]
        period_folder = folder / safe_file_name(job.period.name)
        if copy.draft:
            version, number = 0, 1
            while (period_folder / draft_file_name(job.school_class.name, job.period, day, number)).exists():
                number += 1
            path = period_folder / draft_file_name(job.school_class.name, job.period, day, number)
        else:
            version = next_version(earlier)
            while (period_folder / copy_file_name(job.school_class.name, job.period, version)).exists():
                version += 1
            path = period_folder / copy_file_name(job.school_class.name, job.period, version)
        record = folder / NOTEBOOKS_DIR / safe_file_name(job.period.name) / (path.stem + ".ipynb")
        pages = run_copy_notebook(school, job, version, day, record, render, path)
        digest = file_sha256(path)
        produced = f"{day:%d.%m.%Y}" + (f" {now:%H:%M}" if day == now.date() else "")
        row = RegisterRow(
            class_name=job.school_class.name, period=job.period.name, school_year=settings.school_year,
            version=version, pages=pages, produced=produced, sha256=digest,
            file_name=path.relative_to(folder).as_posix(), draft=copy.draft)
        write_register(reg_path, [*read_register(reg_path), row])
        record_in_history(school.store_path, row, now)
        outcome.register = reg_path
        printed = PrintedCopy(job.school_class.name, job.period.name, version, pages, path, digest,
                              tuple(r for r in earlier if not r.draft), draft=copy.draft,
                              notebook=record)
        outcome.copies.append(printed)
        if progress is not None:
            progress(printed)
        outcome.seconds[f"{job.school_class.name}, {job.period.name}"] = time.perf_counter() - started
    return outcome
