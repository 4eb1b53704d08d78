"""Shared CSS and HTML building blocks of every printed document.

Reports, paper copies of the journal and letters to parents are HTML pages printed to
PDF by :mod:`journal.documents.pdf`. This module gives them one look:

* :func:`page_css` — the ``@page`` rule (A4 portrait or landscape, margins, «Стр. N из M»
  in the bottom-right margin box) and the base styles (DejaVu Sans for Cyrillic, tables
  whose header repeats on every page and whose rows are never split, compact grids with
  vertical date headers, signature lines drawn with borders);
* small builders that escape every piece of data: :func:`table`, :func:`document_header`,
  :func:`signature_block`, :func:`page_break`;
* :func:`document` — a whole HTML page ready for :meth:`journal.documents.pdf.PdfRenderer.render`;
* :func:`wide_table_script` — fits every table to the page width (smaller type, vertical
  headers, at last a split with the name columns repeated); :func:`document` includes it,
  a page assembled by hand should end with it.

CSS classes a document may use:

``grid``        a compact marks/attendance grid (7 pt, thin borders, centred cells);
``th.vertical`` a header written bottom-to-top (dates of a grid);
``th.name``, ``td.name`` a left-aligned, unbroken name column;
``num``         a right-aligned number cell;
``keep``        a block never split across pages;
``page-break``  starts a new page (``break-before: page``);
``muted``, ``small``, ``note`` secondary text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from journal.core.formatting import MISSING

Orientation = Literal["portrait", "landscape"]

FONT_FAMILY = '"DejaVu Sans", "DejaVu Sans Condensed", "Noto Sans", Arial, sans-serif'

DEFAULT_MARGINS_MM = (12.0, 12.0, 16.0, 15.0)
"""Top, right, bottom, left margins in millimetres (the bottom one holds the page number)."""


def esc(value: Any) -> str:
    """Text for HTML: escaped; None and NaN become an em dash."""
    if value is None:
        return MISSING
    try:
        if value != value:  # NaN, NaT
            return MISSING
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def css_string(text: str) -> str:
    """A CSS string literal (for ``content:``) holding ``text`` safely."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3c ").replace(">", "\\3e ")
    return f'"{escaped}"'


def page_rule(
    orientation: Orientation = "portrait",
    margins_mm: Sequence[float] = DEFAULT_MARGINS_MM,
    *,
    page_numbers: bool = True,
    footer_left: str | None = None,
) -> str:
    """Only the ``@page`` rule: A4 size, margins and the margin boxes."""
    if orientation not in ("portrait", "landscape"):
        raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
    top, right, bottom, left = margins_mm
    boxes = ""
    if page_numbers:
        boxes += (
            '  @bottom-right { content: "Стр. " counter(page) " из " counter(pages);'
            f" font-family: {FONT_FAMILY}; font-size: 8pt; color: #333; }}\n"
        )
    if footer_left:
        boxes += (
            f"  @bottom-left {{ content: {css_string(footer_left)};"
            f" font-family: {FONT_FAMILY}; font-size: 8pt; color: #555; }}\n"
        )
    return (
        f"@page {{\n  size: A4 {orientation};\n"
        f"  margin: {top}mm {right}mm {bottom}mm {left}mm;\n{boxes}}}\n"
    )


# Chromium repeats a table's header on the next page only while the header is at most a
# quarter of the page high; a rotated subject name is kept shorter than that (wrapped to
# a second column of text) so that no page of a long table is printed without its header.
# And a table never leaves fewer than three rows on either side of a page break.
ROW_RULES = """\
th.vertical .vtext { display: inline-block; white-space: normal; max-height: 36mm; }
table > tbody > tr:nth-last-child(-n+2) { break-before: avoid-page; }
table > tbody > tr:nth-child(-n+2) { break-after: avoid-page; }
"""

BASE_CSS = f"""
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{
  font-family: {FONT_FAMILY};
  font-size: 10pt;
  line-height: 1.3;
  color: #000;
  background: #fff;
  margin: 0;
}}
h1 {{ font-size: 14pt; margin: 0 0 4pt 0; }}
h2 {{ font-size: 12pt; margin: 10pt 0 4pt 0; break-after: avoid-page; }}
h3 {{ font-size: 10.5pt; margin: 8pt 0 3pt 0; break-after: avoid-page; }}
p {{ margin: 3pt 0; orphans: 3; widows: 3; }}
img, svg {{ max-width: 100%; height: auto; }}
figure, .keep {{ break-inside: avoid-page; }}

table {{ border-collapse: collapse; margin: 4pt 0 8pt 0; max-width: 100%; }}
thead {{ display: table-header-group; }}
tfoot {{ display: table-footer-group; }}
tr, img {{ break-inside: avoid-page; }}
th, td {{
  border: 0.5pt solid #555;
  padding: 1.5pt 3pt;
  vertical-align: middle;
  overflow-wrap: break-word;
}}
th {{ background: #ececec; font-weight: bold; text-align: center; }}
td.num, th.num {{ text-align: right; white-space: nowrap; }}
td.center {{ text-align: center; }}
th.name, td.name {{ text-align: left; white-space: nowrap; overflow-wrap: normal; }}
tr.total td, tr.total th {{ font-weight: bold; background: #f4f4f4; }}

table.grid {{ font-size: 7pt; line-height: 1.1; table-layout: auto; }}
table.grid th, table.grid td {{ padding: 0.8pt 1.2pt; text-align: center; }}
table.grid td {{ white-space: nowrap; }}
table.grid td.name, table.grid th.name {{ text-align: left; padding-right: 3pt; }}
th.vertical {{
  writing-mode: vertical-rl;
  transform: rotate(180deg);
  white-space: nowrap;
  padding: 2pt 0.5pt;
  font-weight: normal;
  vertical-align: bottom;
}}
{ROW_RULES}

.page-break {{ break-before: page; }}
table.split-continued {{ margin-top: 6pt; }}
table.names-wrap .name {{ white-space: normal; }}
table.fit-small {{ font-size: 7pt; line-height: 1.1; }}
table.fit-small th, table.fit-small td {{ padding: 0.8pt 1.2pt; }}
.muted {{ color: #555; }}
.small {{ font-size: 8pt; }}
.note {{ font-size: 8.5pt; color: #333; margin-top: 6pt; }}

.doc-header {{ margin-bottom: 8pt; border-bottom: 1pt solid #000; padding-bottom: 4pt; }}
.doc-header .school {{ font-size: 9pt; color: #333; }}
.doc-header h1 {{ margin-top: 2pt; }}
.doc-header .subtitle {{ font-size: 10.5pt; }}
.doc-header .meta {{ font-size: 9pt; color: #333; margin-top: 2pt; }}

.signatures {{ margin-top: 16pt; break-inside: avoid-page; }}
.signature {{ display: flex; align-items: flex-end; gap: 6pt; margin: 14pt 0 0 0; font-size: 10pt; }}
.signature .role {{ flex: 0 0 auto; max-width: 45%; }}
.signature .line {{
  flex: 1 1 auto; min-width: 30mm; border-bottom: 0.6pt solid #000; height: 12pt;
  position: relative;
}}
.signature .line::after {{
  content: "подпись"; position: absolute; top: 13pt; left: 0; right: 0;
  text-align: center; font-size: 6.5pt; color: #555;
}}
.signature .name {{ flex: 0 0 auto; min-width: 40mm; }}
.signature .date {{ flex: 0 0 auto; }}
.date-line {{ display: inline-block; min-width: 10mm; border-bottom: 0.6pt solid #000; height: 11pt; }}
"""


A4_MM = (210.0, 297.0)


def content_width_mm(
    orientation: Orientation = "portrait", margins_mm: Sequence[float] = DEFAULT_MARGINS_MM
) -> float:
    """The printable width of an A4 page between the left and right margins."""
    width = A4_MM[1] if orientation == "landscape" else A4_MM[0]
    return width - margins_mm[1] - margins_mm[3]


_FIT_SCRIPT = """
(function () {
  var limit = __WIDTH_MM__ * 96 / 25.4;
  var each = Array.prototype.forEach;
  function fits(table) { return table.getBoundingClientRect().width <= limit + 1; }
  function simple(table) {
    return !table.querySelector('[colspan]:not([colspan="1"]), [rowspan]:not([rowspan="1"])')
      && !table.querySelector('table');
  }
  function firstBodyRow(table) {
    return table.tBodies.length && table.tBodies[0].rows.length ? table.tBodies[0].rows[0] : null;
  }
  function stickyColumns(table) {
    var row = firstBodyRow(table), sticky = 0;
    if (!row) return 0;
    for (var i = 0; i < Math.min(3, row.cells.length - 1); i++) {
      var c = row.cells[i];
      var named = c.classList.contains('name') || c.classList.contains('sticky');
      if (c.tagName === 'TH' || named) sticky = i + 1;
    }
    return sticky;
  }
  function rotateHeaders(table, sticky) {
    if (!table.tHead) return false;
    each.call(table.tHead.rows, function (row) {
      var column = 0;
      each.call(row.cells, function (cell) {
        var span = cell.colSpan || 1;
        if (span === 1 && column >= Math.max(sticky, 1) && cell.textContent.trim().length > 2) {
          cell.classList.add('vertical');
          if (!cell.querySelector('.vtext')) {
            cell.innerHTML = '<span class="vtext">' + cell.innerHTML + '</span>';
          }
        }
        column += span;
      });
    });
    table.classList.add('fit-vertical');
    return true;
  }
  function split(table, sticky) {
    var rows = Array.prototype.slice.call(table.rows);
    var body = firstBodyRow(table) || rows[0];
    if (!simple(table) || !body) return;
    var n = body.cells.length;
    if (n < 3 || rows.some(function (r) { return r.cells.length !== n; })) return;
    var widths = Array.prototype.map.call(body.cells, function (c) {
      return c.getBoundingClientRect().width;
    });
    var fixed = widths.slice(0, sticky).reduce(function (a, b) { return a + b; }, 0);
    var room = limit - fixed - 4;
    if (room < limit / 4) return;
    var chunks = [], current = [], used = 0;
    for (var j = sticky; j < n; j++) {
      if (current.length && used + widths[j] > room) { chunks.push(current); current = []; used = 0; }
      current.push(j); used += widths[j];
    }
    if (current.length) chunks.push(current);
    if (chunks.length < 2) return;
    chunks.forEach(function (chunk, index) {
      var part = table.cloneNode(true), keep = {};
      chunk.forEach(function (k) { keep[k] = true; });
      each.call(part.rows, function (row) {
        for (var k = n - 1; k >= sticky; k--) { if (!keep[k]) row.deleteCell(k); }
      });
      part.classList.add('split-part');
      if (index > 0) part.classList.add('split-continued');
      table.parentNode.insertBefore(part, table);
    });
    table.parentNode.removeChild(table);
  }
  var personName = /^[А-ЯЁ][а-яё]+(-[А-ЯЁ][а-яё]+)?( [А-ЯЁ][а-яё]+| [А-ЯЁ]\\.){1,3}$/;
  function markNames(table) {
    each.call(table.querySelectorAll('tbody td, tbody th'), function (cell) {
      if (cell.children.length === 0 && personName.test(cell.textContent.trim().replace(/\\s+/g, ' '))) {
        cell.classList.add('name');
      }
    });
  }
  function fit(table) {
    if (table.closest('td, th')) return;
    markNames(table);
    var wrap = function (on) { table.classList.toggle('names-wrap', on); return fits(table); };
    if (fits(table) || wrap(true)) return;
    wrap(false);
    table.classList.add('fit-small');
    if (fits(table) || wrap(true)) return;
    wrap(false);
    var sticky = stickyColumns(table);
    if (rotateHeaders(table, sticky) && (fits(table) || wrap(true))) return;
    wrap(false);  // the repeated name columns read better unbroken
    split(table, sticky);
  }
  var root = document.querySelector('main') || document.body;
  var saved = root.style.width;
  root.style.width = limit + 'px';
  Array.prototype.slice.call(document.querySelectorAll('table')).forEach(fit);
  root.style.width = saved;
})();
"""


def wide_table_script(width_mm: float) -> str:
    """An inline script that makes every table fit ``width_mm``; nothing is ever clipped.

    A table wider than the page gets, step by step until it fits: names that may wrap
    (``names-wrap``), a smaller type
    (class ``fit-small``), vertical column headers (``fit-vertical``, ``th.vertical``),
    and at last a split into column groups with the leading name columns (``th`` cells or
    cells of class ``name``) repeated in every part. Tables with merged cells are not split.
    Cells holding a person's name («Иванова Мария Петровна», «Иванова М. П.») get the class
    ``name``: left-aligned and never broken across lines.
    """
    return f"<script>{_FIT_SCRIPT.replace('__WIDTH_MM__', f'{width_mm:.2f}')}</script>"


def page_css(
    orientation: Orientation = "portrait",
    margins_mm: Sequence[float] = DEFAULT_MARGINS_MM,
    *,
    page_numbers: bool = True,
    footer_left: str | None = None,
) -> str:
    """The CSS of a printed document: the ``@page`` rule and the base styles."""
    return page_rule(orientation, margins_mm, page_numbers=page_numbers, footer_left=footer_left) + BASE_CSS


def page_break() -> str:
    """An element that starts a new page."""
    return '<div class="page-break"></div>'


def document_header(
    title: str,
    *,
    school: str | None = None,
    subtitle: str | None = None,
    meta: Iterable[str] = (),
) -> str:
    """The block at the top of a document: school, title, subtitle, lines of details."""
    parts = ['<header class="doc-header">']
    if school:
        parts.append(f'<div class="school">{esc(school)}</div>')
    parts.append(f"<h1>{esc(title)}</h1>")
    if subtitle:
        parts.append(f'<div class="subtitle">{esc(subtitle)}</div>')
    parts += [f'<div class="meta">{esc(line)}</div>' for line in meta]
    parts.append("</header>")
    return "\n".join(parts)


def signature_line(role: str, name: str = "", *, with_date: bool = False) -> str:
    """«Role ________ I. I. Name» with the line drawn by a CSS border."""
    date = ""
    if with_date:
        date = (
            '<span class="date">«<span class="date-line"></span>» '
            '<span class="date-line" style="min-width:25mm"></span> 20<span class="date-line"'
            ' style="min-width:6mm"></span> г.</span>'
        )
    return (
        f'<div class="signature"><span class="role">{esc(role)}</span>'
        f'<span class="line"></span><span class="name">{esc(name)}</span>{date}</div>'
    )


def signature_block(signers: Iterable[tuple[str, str]], *, with_date: bool = False) -> str:
    """Several signature lines kept together: ``[(role, name), …]``."""
    lines = "".join(signature_line(role, name, with_date=with_date) for role, name in signers)
    return f'<div class="signatures">{lines}</div>'


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    css_class: str = "",
    vertical: Iterable[int] = (),
    numeric: Iterable[int] = (),
    name_columns: Iterable[int] = (0,),
    caption: str | None = None,
    footer: Sequence[Any] | None = None,
) -> str:
    """An HTML table with a repeated header; every value escaped.

    ``vertical`` are indexes of columns whose headers are written vertically (dates),
    ``numeric`` of right-aligned number columns, ``name_columns`` of left-aligned names.
    ``footer`` is a totals row.
    """
    vertical_set, numeric_set, name_set = set(vertical), set(numeric), set(name_columns)

    def cell_class(index: int) -> str:
        if index in name_set:
            return ' class="name"'
        if index in numeric_set:
            return ' class="num"'
        return ""

    head = []
    for index, column in enumerate(columns):
        classes = [c for c, on in (("vertical", index in vertical_set), ("name", index in name_set)) if on]
        attr = f' class="{" ".join(classes)}"' if classes else ""
        head.append(f"<th{attr}>{esc(column)}</th>")
    body = []
    for row in rows:
        cells = "".join(f"<td{cell_class(i)}>{esc(v)}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    parts = [f'<table class="{esc(css_class)}">' if css_class else "<table>"]
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append(f"<thead><tr>{''.join(head)}</tr></thead>")
    parts.append(f"<tbody>{''.join(body)}</tbody>")
    if footer is not None:
        cells = "".join(f"<td{cell_class(i)}>{esc(v)}</td>" for i, v in enumerate(footer))
        parts.append(f'<tfoot><tr class="total">{cells}</tr></tfoot>')
    parts.append("</table>")
    return "\n".join(parts)


def document(
    title: str,
    body_html: str,
    orientation: Orientation = "portrait",
    *,
    margins_mm: Sequence[float] = DEFAULT_MARGINS_MM,
    extra_css: str = "",
    page_numbers: bool = True,
    footer_left: str | None = None,
) -> str:
    """A whole HTML page: ``body_html`` (already safe HTML) under the shared print CSS.

    ``title`` is escaped and goes to ``<title>`` only; put a visible heading in the body
    (see :func:`document_header`). The page ends with :func:`wide_table_script`, so a
    table wider than the page is fitted or split rather than clipped.
    """
    css = page_css(orientation, margins_mm, page_numbers=page_numbers, footer_left=footer_left)
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>\n{css}{extra_css}\n</style>\n</head>\n"
        f"<body>\n{body_html}\n{wide_table_script(content_width_mm(orientation, margins_mm))}\n"
        "</body>\n</html>\n"
    )
