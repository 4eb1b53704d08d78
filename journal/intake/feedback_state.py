"""Whether the feedback folder already says what a merge would write (no openpyxl needed).

Each feedback workbook keeps, in its document properties (``dc:identifier``), the digest of
what it says; the coordinator's summary also keeps the :func:`feedback_key` of the merge
result it was written for and how many files the folder held then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from pathlib import Path

from journal.core.findings import Finding
from journal.intake.acknowledge import SUMMARY_NAME, key_of
from journal.intake.outcomes import MergeResult
from journal.school.folder import FEEDBACK_DIR, SchoolFolder

DIGEST_PREFIX = "journal:"
_IDENTIFIER = re.compile(rb"<dc:identifier>([^<]*)</dc:identifier>")


def feedback_key(result: MergeResult, *, settings_fingerprint: str, day: dt.date | None,
                 printed: str = "") -> str:
    """A digest of everything the feedback files of ``result`` are made from: every file's
    status, bytes, findings and settled warnings, the settings, the day and the paper copies
    registered (``printed``, :func:`journal.dataset.store.printed_copies_mark`): what is still
    missing at a period's end depends on them and on the accepted workbooks' bytes."""
    files = [(o.file, o.status, o.sha256, o.changes, [_finding_row(f) for f in o.findings])
             for o in result.files]
    settled = sorted((_finding_row(f), list(result.settled_by.get(key_of(f), ())))
                     for f in result.acknowledged)
    text = json.dumps([files, settled, settings_fingerprint, day.isoformat() if day else "",
                       bool(result.changes), printed], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def feedback_current(school: SchoolFolder, key: str) -> bool:
    """True when the feedback folder was written for a merge with the same :func:`feedback_key`
    and still holds every file it wrote then (nothing needs to be computed or written)."""
    folder = school.output_dir / FEEDBACK_DIR
    stored = stored_identifier(folder / SUMMARY_NAME).split()
    if len(stored) != 3 or stored[1] != key:
        return False
    present = [p for p in folder.glob("*.xlsx") if not p.name.startswith("~$")]
    return str(len(present)) == stored[2]


def _finding_row(finding: Finding) -> tuple[str, ...]:
    return (finding.code, str(finding.severity), finding.file, finding.sheet, finding.cell,
            finding.student, str(finding.date or ""), finding.teacher, finding.message)


def stored_identifier(path: Path) -> str:
    """The identifier in a workbook's document properties ('' when none or unreadable)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    found = _IDENTIFIER.search(core)
    return found.group(1).decode("utf-8", "replace") if found else ""
