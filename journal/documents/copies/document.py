"""A paper copy as one paginated HTML document a notebook displays and the exporter prints.

The copy notebook displays the whole copy as one HTML document with the output metadata
``{"journal": {"document": true, "pages": N, "starts": [...]}}``
(:meth:`CopyDocument.metadata`); :func:`document_output` finds it again in an executed
notebook, and the journal's nbconvert exporter prints it as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from journal.school.settings import Settings

DOCUMENT_KEY = "journal"
"""The output metadata key that marks a displayed HTML document to print as it is."""

def copy_day(settings: Settings, today: dt.date | None = None) -> dt.date:
    """The day a copy stands on: ``today`` when given, else the day recorded in the settings
    (a demo school), else the calendar's — the same day the reports of the run are dated."""
    return today or settings.today or dt.date.today()


@dataclass(frozen=True)
class CopyDocument:
    """A copy laid out and paginated: the HTML to print and its pages."""

    html: str
    pages: int
    starts: tuple[int | None, ...]

    def metadata(self) -> dict[str, Any]:
        """The output metadata that tells the exporter to print this document as it is."""
        return {DOCUMENT_KEY: {"document": True, "pages": self.pages, "starts": list(self.starts)}}

    def _repr_html_(self) -> str:
        return self.html


def document_output(nb: Any) -> tuple[str, dict[str, Any]] | None:
    """The HTML document a notebook displayed with :meth:`CopyDocument.metadata`, and that
    metadata; None when it displayed none."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            meta = (output.get("metadata") or {}).get(DOCUMENT_KEY) or {}
            html = (output.get("data") or {}).get("text/html")
            if meta.get("document") and html:
                text = "".join(html) if isinstance(html, list) else str(html)
                return text, dict(meta)
    return None
