"""Paper copies as files: printing to PDF, file names and versions, the archive register.

:func:`render_class_copy` prints one copy with a renderer (e.g.
:meth:`journal.documents.pdf.PdfRenderer.render`), filling the contents' page numbers from
a first print (:func:`journal.documents.pdf.section_pages`); :func:`print_copies` does a
whole :class:`~journal.documents.copies.plan.PrintPlan` for a school folder and records
every copy in the register (:mod:`journal.documents.register`).
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
from journal.documents.copies.layout import class_copy_html, class_copy_parts
from journal.documents.copies.plan import PrintPlan
from journal.documents.pdf import section_pages
from journal.documents.register import (
    RegisterRow,
    check_writable,
    history_stamp,
    next_version,
    read_register,
    record_in_history,
    register_path,
    write_register,
)
from journal.school.folder import PRINT_DIR, SchoolFolder, safe_file_name
from journal.school.settings import Period, Settings, normalise_class_name

Renderer = Callable[[str, Path], int]


def render_class_copy(copy: ClassCopy, out: Path, render: Renderer) -> int:
    """Print a copy to ``out``; the page count.

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
        total = render(class_copy_html(copy, class_copy_parts(copy, starts, first)), out)
        if total == first and section_pages(Path(out).read_bytes(), len(copy.sections)) == starts:
            return total
    parts = class_copy_parts(copy)
    with tempfile.TemporaryDirectory(prefix="journal-print-") as tmp:
        counts = [render(class_copy_html(copy, [part]), Path(tmp) / f"part{i}.pdf")
                  for i, part in enumerate(parts)]
    counted: list[int | None] = []
    page = 1 + counts[0]
    for count in counts[1:-1]:
        counted.append(page)
        page += count
    total = render(class_copy_html(copy, class_copy_parts(copy, counted, sum(counts))), out)
    if total != sum(counts):
        raise RenderError(
            f"{copy.school_class.name}, {copy.period.name}: страниц в копии {total}, а по частям "
            f"{sum(counts)} — номера страниц в содержании были бы неверны. Сообщите разработчикам"
        )
    return total



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

    def describe(self) -> str:
        """One Russian line for the terminal."""
        pages = count_ru(self.pages, ("страница", "страницы", "страниц"))
        text = f"{self.class_name}, {self.period}: {pages} — {self.path.parent.name}/{self.path.name}"
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


def copy_file_name(class_name: str, period: Period, version: int) -> str:
    """«5А — 1 четверть.pdf»; from the second version «5А — 1 четверть (версия 2).pdf»."""
    suffix = f" (версия {version})" if version > 1 else ""
    return safe_file_name(f"{class_name} — {period.name}{suffix}") + ".pdf"


def print_copies(school: SchoolFolder, settings: Settings, plan: PrintPlan, render: Renderer,
                 *, now: dt.datetime | None = None,
                 progress: Callable[[PrintedCopy], None] | None = None) -> PrintOutcome:
    """Print every job of ``plan`` into ``output/Бумажные копии/<period>/`` and register it.

    A class and period printed before get the next version; the earlier PDF is kept.
    The register (``output/Бумажные копии/Реестр бумажных копий.xlsx``, file names relative
    to that folder) is rewritten atomically after each copy, so a run that fails halfway
    leaves every PDF it made registered.
    """
    import time

    now = (now or dt.datetime.now()).replace(microsecond=0)
    outcome = PrintOutcome(skipped=list(plan.skipped))
    folder = school.output(PRINT_DIR)
    reg_path = register_path(folder)
    read_register(reg_path)  # refuse an unreadable register before printing anything
    if plan.jobs:
        check_writable(reg_path)
    with store.opened(school.store_path, readonly=True) as conn:
        for job in plan.jobs:
            started = time.perf_counter()
            copy = load_class_copy(conn, settings, job.school_class, job.period)
            outcome.findings.extend(copy.findings)
            rows = read_register(reg_path)  # again: another run may have added rows meanwhile
            earlier = [r for r in rows
                       if normalise_class_name(r.class_name) == normalise_class_name(job.school_class.name)
                       and r.period == job.period.name and r.school_year == settings.school_year]
            version = next_version(earlier)
            period_folder = folder / safe_file_name(job.period.name)
            while (period_folder / copy_file_name(job.school_class.name, job.period, version)).exists():
                version += 1
            copy.version, copy.produced_at = version, now
            copy.history = history_stamp(conn)
            path = period_folder / copy_file_name(job.school_class.name, job.period, version)
            pages = render_class_copy(copy, path, render)
            digest = file_sha256(path)
            row = RegisterRow(
                class_name=job.school_class.name, period=job.period.name, school_year=settings.school_year,
                version=version, pages=pages, produced=now.strftime("%d.%m.%Y %H:%M"),
                sha256=digest, file_name=path.relative_to(folder).as_posix())
            write_register(reg_path, [*read_register(reg_path), row])
            record_in_history(school.store_path, row, now)
            outcome.register = reg_path
            printed = PrintedCopy(job.school_class.name, job.period.name, version, pages, path, digest,
                                  tuple(earlier))
            outcome.copies.append(printed)
            if progress is not None:
                progress(printed)
            outcome.seconds[f"{job.school_class.name}, {job.period.name}"] = time.perf_counter() - started
    return outcome
