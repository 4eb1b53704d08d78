"""Paper copies of the journal: one PDF per class and period, for signing and the archive.

Section 4 of the regulation: at the end of each quarter (grades 2–9) and half-year
(10–11) the deputy directors print the current and final marks per class, subject
teachers sign every page of their subject, the class teacher certifies the title page,
the deputy signs, and the secretary registers the copy (:mod:`journal.documents.register`).

One module per layer, each usable on its own:

* :mod:`~journal.documents.copies.plan` — :func:`plan_print` turns ``--period`` /
  ``--class`` into (class, period) jobs;
* :mod:`~journal.documents.copies.data` — :func:`load_class_copy` reads one class's period
  from the dataset into a :class:`ClassCopy` (plain values, no HTML);
* :mod:`~journal.documents.copies.layout` — :func:`class_copy_parts` /
  :func:`class_copy_html` lay a copy out as HTML from the templates in ``templates/``;
* :mod:`~journal.documents.copies.files` — :func:`render_class_copy` prints a copy to PDF
  and :func:`print_copies` does a whole plan for a school folder, recording every copy in
  the archive register.
"""

from journal.documents.copies.data import (
    AttendanceTotal,
    ClassCopy,
    LessonLine,
    StudentLine,
    SubjectSection,
    load_class_copy,
)
from journal.documents.copies.files import (
    PrintedCopy,
    PrintOutcome,
    Renderer,
    copy_file_name,
    print_copies,
    render_class_copy,
)
from journal.documents.copies.layout import (
    CONTENT_WIDTH_MM,
    DATE_COL_MM,
    FINAL_COL_MM,
    NUMBER_COL_MM,
    class_copy_html,
    class_copy_parts,
    date_chunks,
    finals_part,
    name_column_mm,
    subject_part,
    title_part,
)
from journal.documents.copies.plan import PrintJob, PrintPlan, plan_print, resolve_period

__all__ = [
    "CONTENT_WIDTH_MM",
    "DATE_COL_MM",
    "FINAL_COL_MM",
    "NUMBER_COL_MM",
    "AttendanceTotal",
    "ClassCopy",
    "LessonLine",
    "PrintJob",
    "PrintOutcome",
    "PrintPlan",
    "PrintedCopy",
    "Renderer",
    "StudentLine",
    "SubjectSection",
    "class_copy_html",
    "class_copy_parts",
    "copy_file_name",
    "date_chunks",
    "finals_part",
    "load_class_copy",
    "name_column_mm",
    "plan_print",
    "print_copies",
    "render_class_copy",
    "resolve_period",
    "subject_part",
    "title_part",
]
