"""A paper copy made by a notebook: what ``notebooks/copies/class_copy.ipynb`` calls.

``journal print`` runs that notebook with papermill once per class (parameters
``school``, ``period``, ``class_name``, ``version``, ``today``), keeps the executed
notebook as the record of how the copy was made, and prints the notebook's output with
the journal's nbconvert exporter. A coordinator may open the same notebook in
JupyterLab, change a parameter and run it.

The notebook's last output is the whole copy as one HTML document, already paginated:
:func:`show_copy` prints it once in the kernel to read on which page each subject starts,
fills in the contents, and displays the document with the output metadata
``{"journal": {"document": true, "pages": N}}``. The exporter
(:mod:`journal.documents.exporter`) prints such a document as it is, so the PDF has the
pages the contents name.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from journal.core.errors import UsageError
from journal.dataset import store
from journal.documents.copies.data import ClassCopy, load_class_copy
from journal.documents.copies.document import CopyDocument, copy_day
from journal.documents.copies.files import render_pages
from journal.documents.copies.plan import resolve_period
from journal.documents.register import history_stamp, next_version, read_register, register_path
from journal.school.folder import PRINT_DIR, SchoolFolder
from journal.school.settings import normalise_class_name

Renderer = Callable[[str, Path], int]


def _day(text: str) -> dt.date | None:
    text = str(text or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if text:
        raise UsageError(f"Дата «{text}» не понятна: напишите её как 27.11.2026")
    return None


def open_copy(school: str | Path, period: str, class_name: str, version: str | int = "",
              today: str = "") -> ClassCopy:
    """Read one class's copy for ``period`` (a quarter number or a period's name, as in
    ``journal print``) from the school folder.

    ``version`` empty: the next version after those in the register. ``today`` empty: the
    day of the settings, else the calendar's. A copy made before its period ends is a draft.
    """
    from journal.reports.context import find_school
    from journal.workbooks.settings_reader import load_settings

    folder = SchoolFolder.open(find_school(school))
    settings = load_settings(folder.settings_path)
    school_class = settings.school_class(str(class_name).strip())
    if school_class is None:
        known = ", ".join(c.name for c in settings.classes) or "—"
        raise UsageError(f"Класса «{class_name}» нет в настройках. Классы школы: {known}")
    chosen = resolve_period(settings, school_class, str(period))
    with store.opened(folder.store_path, readonly=True) as conn:
        copy = load_class_copy(conn, settings, school_class, chosen)
        copy.history = history_stamp(conn)
    copy.made_on = copy_day(settings, _day(today))
    copy.produced_at = dt.datetime.now().replace(microsecond=0)
    if str(version).strip():
        copy.version = int(str(version).strip())
    else:
        rows = read_register(register_path(folder.output(PRINT_DIR)))
        copy.version = next_version(
            r for r in rows if normalise_class_name(r.class_name) == normalise_class_name(school_class.name)
            and r.period == chosen.name and r.school_year == settings.school_year)
    return copy


def paginate(copy: ClassCopy, render: Renderer | None = None) -> CopyDocument:
    """Lay out ``copy`` with its contents' page numbers, printing it in a temporary folder
    (with ``render``, or a browser opened for this copy)."""
    from journal.documents.pdf import PdfRenderer

    with tempfile.TemporaryDirectory(prefix="journal-copy-") as tmp:
        out = Path(tmp) / "copy.pdf"
        if render is not None:
            html, pages, starts = render_pages(copy, out, render)
        else:
            with PdfRenderer() as renderer:
                html, pages, starts = render_pages(copy, out, renderer.render)
    return CopyDocument(html, pages, tuple(starts))


def show_copy(copy: ClassCopy, render: Renderer | None = None) -> CopyDocument:
    """Paginate ``copy`` and display it as the notebook's output (the document to print)."""
    from IPython.display import HTML, display

    document = paginate(copy, render)
    display(HTML(document.html), metadata=document.metadata())
    return document
