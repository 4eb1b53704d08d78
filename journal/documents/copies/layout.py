"""How a paper copy looks: HTML from the Jinja2 templates in ``templates/``, A4 landscape.

Layout: a title page; per subject its heading repeated on every page (an outer table's
header group) and the teacher's signature line at the foot of every page (its footer
group), the grid of students × lesson dates split into page-wide chunks that repeat the
names (:func:`date_chunks`), then the lesson log; the summary sheets, attendance totals
and the deputy's and director's signatures last. Grade 1 copies show absence codes,
topics and homework only.

The column widths are worked out here in millimetres; the templates only place them.
Each part (:func:`title_part`, :func:`subject_part`, :func:`finals_part`) starts a new
page, and :func:`class_copy_html` puts parts into one document under the shared print CSS
of :mod:`journal.documents.html` and ``templates/copy.css``. Templates escape every value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from journal.core.formatting import count_ru, date_long_ru, date_ru, date_short_ru, period_ru
from journal.documents.copies.data import YEAR_KINDS, ClassCopy, LessonLine, SubjectSection
from journal.documents.html import document, signature_line
from journal.school.marks import ABSENCE_CODES

PAGE_WIDTH_MM = 297.0
PAGE_MARGIN_MM = 10.0
PAGE_MARGINS_MM = (9.0, PAGE_MARGIN_MM, 11.0, PAGE_MARGIN_MM)  # top, right, bottom, left
CONTENT_WIDTH_MM = PAGE_WIDTH_MM - 2 * PAGE_MARGIN_MM - 1.0  # a millimetre for rounding
NUMBER_COL_MM = 6.0
DATE_COL_MM = 7.4  # the narrowest date column: «28.11» in 6.3 pt DejaVu Sans fits
MAX_DATE_COL_MM = 10.0
SUMMARY_MIN_COL_MM, SUMMARY_MAX_COL_MM = 8.0, 16.0
FINAL_COL_MM = 13.0
NAME_MM_PER_CHAR = 1.6
NAME_COL_MIN_MM, NAME_COL_MAX_MM = 34.0, 58.0


def name_column_mm(names: Sequence[str]) -> float:
    """Width of the names column: the longest name on one line, within limits (then it wraps)."""
    longest = max((len(n) for n in names), default=20)
    return max(NAME_COL_MIN_MM, min(NAME_COL_MAX_MM, longest * NAME_MM_PER_CHAR + 2))


def date_chunks(lessons: Sequence[LessonLine], names_mm: float, final_columns: int) -> list[list[LessonLine]]:
    """Split the lesson columns into page-wide tables of about equal width.

    Each chunk repeats the number and name columns; the final columns (period mark,
    missed lessons) are reserved on every chunk so that the last one never overflows.
    """
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm - final_columns * FINAL_COL_MM
    per_chunk = max(1, int(room // DATE_COL_MM))
    if not lessons:
        return [[]]
    count = -(-len(lessons) // per_chunk)
    base, rest = divmod(len(lessons), count)
    chunks, start = [], 0
    for i in range(count):
        size = base + (1 if i < rest else 0)
        chunks.append(list(lessons[start:start + size]))
        start += size
    return chunks


SUMMARY_TITLES = {"year": "годовые отметки", "exam": "экзаменационные отметки", "final": "итоговые отметки"}


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journal.documents.copies", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        signature=_signature, cell_class=_cell_class, copy_label=copy_label, date_ru=date_ru,
        date_short_ru=date_short_ru,
        number_col_mm=NUMBER_COL_MM, final_col_mm=FINAL_COL_MM,
    )
    return env


@cache
def print_css() -> str:
    """The copy's own CSS (``templates/copy.css``), added after the shared print CSS."""
    css = resources.files("journal.documents.copies").joinpath("templates", "copy.css")
    return "\n" + css.read_text(encoding="utf-8")


def _render(template: str, **values: object) -> str:
    return _environment().get_template(template).render(**values)


def _signature(role: str, name: str) -> Markup:
    """A signature line (role, line, the name spelled out, «__» ____ 20__ г.); already escaped."""
    return Markup(signature_line(role, name, with_date=True))


def _cell_class(value: str) -> str:
    """CSS classes of a grid cell: absences shaded, «О/5/4» (late and two marks) in small type."""
    cls = "cell absent" if value[:1] in ABSENCE_CODES else "cell"
    return cls + " long" if len(value) > 3 else cls


def title_part(copy: ClassCopy, contents: Sequence[tuple[str, str, int | None]]) -> str:
    """The title page: the class, period and class teacher, the certification, the contents.

    ``contents`` is (title, teacher, first page or None while pages are not known yet).
    """
    return _render("title.html.j2", copy=copy, contents=contents,
                   span=period_ru(copy.period.start, copy.period.end),
                   made=date_long_ru(made_on(copy)), period_end=date_ru(copy.period.end))


def made_on(copy: ClassCopy) -> dt.date:
    """The day a copy is dated: the day its run stands on (the reports of the run say the same)."""
    if copy.made_on is not None:
        return copy.made_on
    return (copy.produced_at or dt.datetime.now()).date()


def copy_label(copy: ClassCopy) -> str:
    """«копия, версия 2» or «ЧЕРНОВИК: период идёт по 28.12.2026» for the running lines."""
    if copy.draft:
        return f"ЧЕРНОВИК: {copy.period.name} идёт по {date_ru(copy.period.end)}"
    return f"копия, версия {copy.version}"


@dataclass(frozen=True)
class _Grid:
    """One page-wide chunk of a subject's grid; the last one carries the final columns."""

    lessons: list[LessonLine]
    part_no: int
    parts: int
    final_columns: list[tuple[str, dict[int, str]]]
    finals: bool
    width: float


def subject_part(copy: ClassCopy, section: SubjectSection, number: int) -> str:
    """One subject's pages: the grid in page-wide chunks, then the lesson log.

    The subject's heading repeats at the top of every page and the teacher's signature
    line at the foot of every page (an outer table's header and footer groups).
    """
    names_mm = name_column_mm([s.name + (f" ({s.note})" if s.note else "") for s in section.students])
    final_cols = len(section.final_columns(copy.period.name, copy.with_marks)) + 1
    chunks = date_chunks(section.lessons, names_mm, final_cols)
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm - final_cols * FINAL_COL_MM
    date_mm = min(MAX_DATE_COL_MM, room / max(1, max(len(c) for c in chunks)))
    grids = []
    for i, chunk in enumerate(chunks, start=1):
        finals = i == len(chunks)
        final_columns = section.final_columns(copy.period.name, copy.with_marks) if finals else []
        extra = (len(final_columns) + 1) if finals else 0
        width = NUMBER_COL_MM + names_mm + date_mm * len(chunk) + FINAL_COL_MM * extra
        grids.append(_Grid(chunk, i, len(chunks), final_columns, finals, width))
    legend = ("Пропуск показан с причиной, которую указал классный руководитель: "
              "Н — без уважительной причины, Б — по болезни, У — по уважительной причине, О — опоздание"
              + ("; «5/4» — две отметки за урок" if copy.with_marks else "")
              + "; цифра под датой — второй (третий) урок в этот день.")
    return _render(
        "subject.html.j2", copy=copy, section=section, number=number, grids=grids,
        names_mm=names_mm, date_mm=date_mm, legend=legend,
        what="Отметки и посещаемость" if copy.with_marks else "Посещаемость",
        lessons_count=count_ru(len(section.lessons), ("урок", "урока", "уроков")))


@dataclass(frozen=True)
class _Summary:
    """A summary sheet: students × subjects with one kind of mark, in one or more tables."""

    title: str
    marks: dict[int, dict[str, str]]
    names_mm: float
    column_mm: float
    tables: list[tuple[list[str], float]]  # (subjects, table width)


def _summary(copy: ClassCopy, kind: str) -> _Summary:
    """The sheet of ``kind`` marks, split into tables only when too wide."""
    subjects, marks = copy.summary(kind)
    names_mm = name_column_mm([s.name for s in copy.students])
    room = CONTENT_WIDTH_MM - NUMBER_COL_MM - names_mm
    per_table = max(1, min(len(subjects), int(room // SUMMARY_MIN_COL_MM)))
    tables = -(-len(subjects) // per_table) if subjects else 1
    per_table = -(-len(subjects) // tables) if subjects else 1
    col = min(SUMMARY_MAX_COL_MM, room / per_table)
    parts = [subjects[i:i + per_table] for i in range(0, len(subjects), per_table)] or [[]]
    title = f"отметки за {copy.period.name}" if kind == "period" else SUMMARY_TITLES[kind]
    return _Summary(title, marks, names_mm, col,
                    [(part, NUMBER_COL_MM + names_mm + col * len(part)) for part in parts])


def finals_part(copy: ClassCopy, total: int | None = None) -> str:
    """The final pages: summary sheets, attendance totals, the page count, the signatures."""
    summaries = []
    if copy.with_marks:
        kinds = ["period"] + [k for k in YEAR_KINDS if any(s.year_marks.get(k) for s in copy.sections)]
        summaries = [_summary(copy, kind) for kind in kinds]
    fields = ("missed", "ill", "excused", "unexcused", "late")
    names_mm = name_column_mm([s.name for s in copy.students])
    return _render(
        "finals.html.j2", copy=copy, summaries=summaries, names_mm=names_mm,
        attendance_width=NUMBER_COL_MM + names_mm + 5 * 30,
        sums=[sum(getattr(t, f) for t in copy.attendance) for f in fields],
        pages_text=count_ru(total, ("страница", "страницы", "страниц")) if total else "000 страниц")


def class_copy_html(copy: ClassCopy, parts: Sequence[str]) -> str:
    """The whole HTML document of a copy made of ``parts`` (title, subjects, final pages)."""
    label = f"{copy.school_class.name} · {copy.period.name} {copy.school_year} · {copy_label(copy)}"
    label += f" · {copy.history}" if copy.history else ""
    title = f"{copy.school_class.name} — {copy.period.name} — бумажная копия журнала"
    mark = '<div class="draft-mark" aria-hidden="true">черновик</div>' if copy.draft else ""
    return document(title, mark + "".join(parts), "landscape", margins_mm=PAGE_MARGINS_MM,
                    extra_css=print_css(), footer_left=label)


def class_copy_parts(copy: ClassCopy, pages: Sequence[int | None] | None = None,
                     total: int | None = None) -> list[str]:
    """The HTML parts of a copy: the title page, one per subject, the final pages.

    ``pages`` are the first pages of the subjects for the contents and ``total`` the
    number of pages (None while unknown: placeholders of the same width are printed).
    """
    first_pages = list(pages) if pages is not None else [None] * len(copy.sections)
    contents = [(s.title, s.teacher, first_pages[i]) for i, s in enumerate(copy.sections)]
    parts = [title_part(copy, contents)]
    parts += [subject_part(copy, s, i) for i, s in enumerate(copy.sections, start=1)]
    parts.append(finals_part(copy, total))
    return parts


