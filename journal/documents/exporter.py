"""nbconvert exporters of the journal's reports: HTML and PDF on A4, offline.

``JournalPDFExporter`` is registered under the ``nbconvert.exporters`` entry point as
``journal_pdf`` and ``JournalHTMLExporter`` as ``journal_html``, so that::

    jupyter nbconvert --to journal_pdf --no-input отчёт.ipynb

prints a notebook on A4 with page numbers («Стр. N из M»), table headers repeated on
every page, code and prompts hidden, and no network access. A notebook that displays a
whole HTML document marked for printing (the paper copy of a class, see
:mod:`journal.documents.copies.document`) is printed as that document, unchanged, so that
its own layout and page numbers hold. Both use the template
``journal/documents/nbconvert_templates/journal_report`` (extending nbconvert's ``lab``).

Orientation: the exporter option ``--JournalPDFExporter.orientation=landscape`` wins, then
an ``orientation`` parameter injected by papermill, then the notebook metadata
``{"journal": {"orientation": "landscape"}}``, then portrait.

The PDF exporter prints with :class:`journal.documents.pdf.PdfRenderer`: it finds an installed
browser (:func:`journal.documents.pdf.find_browser`) and honours the CSS page size. Pass a warm
renderer as ``renderer=`` to print many notebooks with one browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, WebPDFExporter
from traitlets import Bool, Enum, Unicode, default

from journal.documents import html as html_base
from journal.documents.pdf import PdfRenderer

TEMPLATES_DIR = Path(__file__).parent / "nbconvert_templates"
TEMPLATE_NAME = "journal_report"

NOTEBOOK_CSS = f"""
:root {{
  --jp-content-font-family: {html_base.FONT_FAMILY};
  --jp-ui-font-family: {html_base.FONT_FAMILY};
  --jp-code-font-family: "DejaVu Sans Mono", monospace;
  --jp-content-font-size1: 10pt;
  --jp-ui-font-size1: 9pt;
  --jp-code-font-size: 8.5pt;
  --jp-content-line-height: 1.35;
  --jp-notebook-padding: 0;
  --jp-cell-padding: 0;
}}
html, body.jp-Notebook {{ padding: 0 !important; margin: 0 !important; background: #fff; }}
body.jp-Notebook {{ font-family: {html_base.FONT_FAMILY}; font-size: 10pt; }}
main {{ padding: 0 !important; margin: 0 !important; }}
.jp-Cell {{ padding: 0 !important; margin: 0 !important; }}
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser {{ display: none !important; }}
.jp-Cell-inputWrapper, .jp-Cell-outputWrapper, .jp-OutputArea {{ display: block !important; }}
.jp-OutputArea-child {{ display: block !important; break-inside: auto !important; }}
.jp-OutputArea-output {{
  display: block !important; width: auto !important; overflow: visible !important;
  padding: 0 !important;
}}
.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] {{ display: none !important; }}
.jp-RenderedHTMLCommon {{ padding-right: 0 !important; font-size: 10pt; }}
.jp-RenderedMarkdown, .jp-MarkdownOutput, .jp-MarkdownCell .jp-InputArea {{
  padding: 0 !important; margin: 0 !important;
}}
.jp-RenderedHTMLCommon table.split-continued {{ margin-top: 6pt !important; }}
.jp-RenderedMarkdown h1 {{ font-size: 15pt; margin: 0 0 6pt 0; }}
.jp-RenderedMarkdown h2 {{ font-size: 12.5pt; margin: 12pt 0 4pt 0; break-after: avoid-page; }}
.jp-RenderedMarkdown h3 {{ font-size: 11pt; margin: 9pt 0 3pt 0; break-after: avoid-page; }}
.jp-RenderedHTMLCommon h1:first-child, .jp-RenderedHTMLCommon h2:first-child {{ margin-top: 0; }}
.jp-RenderedHTMLCommon p {{ margin: 3pt 0; }}
.jp-RenderedImage, .jp-RenderedImage img {{ break-inside: avoid-page; }}
.jp-RenderedImage img {{ max-width: 100% !important; height: auto; }}

.jp-RenderedHTMLCommon table {{
  table-layout: auto !important; font-size: 8.5pt; margin: 3pt 0 8pt 0 !important;
  max-width: 100%; border-collapse: collapse;
}}
.jp-RenderedHTMLCommon thead {{ display: table-header-group; }}
.jp-RenderedHTMLCommon tr {{ break-inside: avoid-page; }}
.jp-RenderedHTMLCommon tbody tr:nth-child(odd) {{ background: #fff; }}
.jp-RenderedHTMLCommon tbody tr:nth-child(even) {{ background: #f3f3f3; }}
.jp-RenderedHTMLCommon tbody tr:hover {{ background: inherit; }}
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {{
  border: 0.5pt solid #777 !important; padding: 1.5pt 3pt !important; line-height: 1.2 !important;
  overflow-wrap: break-word;
}}
.jp-RenderedHTMLCommon thead th {{ background: #e8e8e8; text-align: center !important; }}
.jp-RenderedHTMLCommon tbody th {{ text-align: left !important; white-space: nowrap; }}
.jp-RenderedHTMLCommon :is(td, th).name {{ text-align: left !important; white-space: nowrap; }}
.jp-RenderedHTMLCommon table.names-wrap :is(td, th).name {{ white-space: normal; }}

/* Wide tables: the fitting script adds these classes step by step (see html_base). */
.jp-RenderedHTMLCommon table.fit-small {{ font-size: 7pt !important; }}
.jp-RenderedHTMLCommon table.fit-small :is(th, td) {{ padding: 0.8pt 1.2pt !important; }}
.jp-RenderedHTMLCommon th.vertical {{
  writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  vertical-align: bottom; font-weight: normal; padding: 2pt 0.5pt !important;
  text-align: left !important;
}}
.jp-RenderedHTMLCommon table.fit-vertical td {{ white-space: nowrap; }}
"""


def notebook_css(orientation: html_base.Orientation = "portrait", footer: str | None = None) -> str:
    """The print CSS placed after the lab CSS: shared page CSS plus notebook overrides.

    ``footer`` is printed at the bottom left of every page (the dataset's history stamp).
    """
    return html_base.page_css(orientation, footer_left=footer or None) + NOTEBOOK_CSS


def notebook_orientation(nb: Any, override: str = "") -> html_base.Orientation:
    """``landscape`` or ``portrait``: the override, else an ``orientation`` parameter given to
    papermill, else the notebook's metadata ``journal.orientation``, else portrait."""
    injected = ((nb.metadata.get("papermill", {}) or {}).get("parameters", {}) or {}).get("orientation")
    declared = (nb.metadata.get("journal", {}) or {}).get("orientation")
    wanted = override or injected or declared or "portrait"
    return "landscape" if str(wanted).strip().lower() in ("landscape", "альбомная") else "portrait"


def _orientation_trait() -> Any:
    return Enum(
        ["", "portrait", "landscape"],
        default_value="",
        help="Page orientation; empty: from the notebook metadata journal.orientation, else portrait.",
    ).tag(config=True)


class _JournalTemplateMixin:
    """Template location, hidden code, Russian language and the print CSS."""

    orientation: str

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES_DIR)]

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("language_code")
    def _language_code_default(self) -> str:
        return "ru"

    def _whole_document(self, nb: Any) -> str | None:
        """The HTML document the notebook displayed to be printed as it is (a paper copy of
        the journal, see :mod:`journal.documents.copies.document`), or None."""
        from journal.documents.copies.document import document_output

        found = document_output(nb)
        return found[0] if found is not None else None

    def _journal_resources(self, nb: Any, resources: dict[str, Any] | None) -> dict[str, Any]:
        resources = dict(resources or {})
        orientation = notebook_orientation(nb, self.orientation)
        resources["journal_orientation"] = orientation
        resources["journal_css"] = notebook_css(orientation, resources.get("journal_footer"))
        resources["journal_script"] = html_base.wide_table_script(html_base.content_width_mm(orientation))
        return resources


class JournalHTMLExporter(_JournalTemplateMixin, HTMLExporter):
    """A report notebook as one offline HTML page laid out for A4 printing."""

    export_from_notebook = "Отчёт журнала (HTML)"
    orientation = _orientation_trait()

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render the notebook with the journal's template and print CSS; a notebook that
        displayed a whole document (a paper copy) gives that document as it is."""
        document = self._whole_document(nb)
        if document is not None:
            return document, self._journal_resources(nb, resources)
        return super().from_notebook_node(nb, resources=self._journal_resources(nb, resources), **kw)


class JournalPDFExporter(_JournalTemplateMixin, WebPDFExporter):
    """A report notebook printed to PDF on A4 by an installed Chromium, Chrome or Edge."""

    export_from_notebook = "Отчёт журнала (PDF)"
    orientation = _orientation_trait()

    browser_path = Unicode(
        "", help="The browser executable; empty: JOURNAL_BROWSER, then the usual places."
    ).tag(config=True)

    hide_code = Bool(True, help="Hide code cells and prompts (as --no-input).").tag(config=True)

    def __init__(self, *args: Any, renderer: PdfRenderer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.renderer = renderer

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return bool(self.hide_code)

    def run_playwright(self, html: str) -> bytes:
        """Print ``html`` with the shared renderer, or with a browser of its own."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="journal-pdf-") as tmp:
            out = Path(tmp) / "report.pdf"
            if self.renderer is not None:
                self.renderer.render(html, out)
            else:
                # Copy the configured list: the stock exporter appends to it on every call.
                with PdfRenderer(self.browser_path or None, extra_args=list(self.browser_args)) as renderer:
                    renderer.render(html, out)
            return out.read_bytes()

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """Render the notebook to HTML with the journal's template, then print it."""
        resources = self._journal_resources(nb, resources)
        document = self._whole_document(nb)
        if document is not None:
            html = document
        else:
            html, resources = HTMLExporter.from_notebook_node(self, nb, resources=resources, **kw)
        self.log.info("Печать PDF")
        pdf_data = self.run_playwright(html)
        return pdf_data, resources
