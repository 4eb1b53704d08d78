"""Warnings the coordinator settled: «Проверено (кто)» in the coordinator's summary.

The summary (:mod:`journal.intake.feedback`) lists every warning with an empty column
«Проверено (кто)». A name written there is read at the next merge, kept in the dataset
(table ``acknowledged``) and from then on that warning leaves the findings: it no longer
sets the exit code and the summary shows it on the sheet «Проверенные». A warning is
matched by (file, code, sheet, cell, message); the message holds the values, so when the
cell changes the warning comes back. Errors are never settled.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

from python_calamine import CalamineError, CalamineWorkbook

from journal.core.findings import SEVERITY_RU, Finding, Severity
from journal.dataset import store
from journal.intake.outcomes import FileOutcome, MergeResult
from journal.workbooks.screening import screen

SUMMARY_NAME = "_Сводка для ответственного за ЭЖ.xlsx"
FINDINGS_SHEET = "Все замечания"
SETTLED_SHEET = "Проверенные"
CHECKED_COLUMN = "Проверено (кто)"

Key = tuple[str, str, str, str, str]


def key_of(finding: Finding) -> Key:
    """What an acknowledgement is matched by: (file name, code, sheet, cell, message)."""
    name = PurePath(str(finding.file).replace("\\", "/")).name if finding.file else ""
    return (name, finding.code, finding.sheet, finding.cell, finding.message)


def read_withdrawn(path: Path) -> list[Key]:
    """The settled warnings whose name the coordinator wiped from «Проверено (кто)» on the
    summary's sheet «Проверенные»: (file, code, sheet, cell, message) each."""
    rows = _sheet_rows(path, SETTLED_SHEET)
    header_at = next((i for i, row in enumerate(rows) if CHECKED_COLUMN in map(_text, row)), None)
    if header_at is None:
        return []
    header = [_text(v) for v in rows[header_at]]
    at = {name: header.index(name) for name in header if name}
    withdrawn = []
    for row in rows[header_at + 1:]:
        def value(name: str, row: Sequence[object] = row) -> str:
            i = at.get(name)
            return _text(row[i]) if i is not None and i < len(row) else ""
        code = value("Код и суть").split(" ", 1)[0]
        if code and not value(CHECKED_COLUMN):
            withdrawn.append((value("Файл"), code, value("Лист"), value("Ячейка"),
                              value("Что не так и как исправить")))
    return withdrawn


def _sheet_rows(path: Path, sheet: str) -> list[Sequence[object]]:
    """The values of one sheet of a summary ([] when the file or the sheet is missing or
    unreadable: a summary spoiled by hand changes nothing)."""
    if not path.exists() or not screen(path).ok:  # screened like any workbook before calamine
        return []
    try:
        wb = CalamineWorkbook.from_path(str(path))
        if sheet not in wb.sheet_names:
            return []
        return [list(row) for row in wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]
    except (OSError, ValueError, KeyError, CalamineError):
        return []


def read_summary(path: Path) -> list[tuple[str, str, str, str, str, str]]:
    """The warnings of a coordinator's summary with a name in «Проверено (кто)»:
    (file, code, sheet, cell, message, who). A missing or unreadable summary gives none."""
    rows = iter(_sheet_rows(path, FINDINGS_SHEET))
    header = [_text(v) for v in next(rows, [])]
    if CHECKED_COLUMN not in header:
        return []
    at = {name: header.index(name) for name in header if name}
    warning = SEVERITY_RU[Severity.WARNING]
    found = []
    for row in rows:
        def value(name: str, row: Sequence[object] = row) -> str:
            i = at.get(name)
            return _text(row[i]) if i is not None and i < len(row) else ""
        who = value(CHECKED_COLUMN)
        if not who or value("Важность") != warning:
            continue
        code = value("Код и суть").split(" ", 1)[0]
        found.append((value("Файл"), code, value("Лист"), value("Ячейка"),
                      value("Что не так и как исправить"), who))
    return found


def _text(cell: object) -> str:
    """A cell as text ('' for an empty one)."""
    return "" if cell is None else str(cell).strip()


def settle(conn: sqlite3.Connection, result: MergeResult, summary: Path) -> None:
    """Record the names written in ``summary`` and move every settled warning of ``result``
    from its file's findings to ``result.acknowledged``."""
    store.add_acknowledgements(conn, read_summary(summary), result.started_at)
    store.remove_acknowledgements(conn, read_withdrawn(summary))
    known = store.acknowledgements(conn)
    if not known:
        return
    for finding, settled in _take_settled(result.files, known):
        result.acknowledged.append(finding)
        result.settled_by[key_of(finding)] = settled


def settle_checked(store_path: Path, outcomes: Sequence[FileOutcome]) -> list[Finding]:
    """``journal check``: take the warnings the coordinator settled (as the dataset at
    ``store_path`` holds them) out of ``outcomes``, as a merge would; returns them."""
    if not Path(store_path).exists():
        return []
    with store.opened(store_path, readonly=True) as conn:
        known = store.acknowledgements(conn)
    return [finding for finding, _who in _take_settled(outcomes, known)] if known else []


def _take_settled(outcomes: Iterable[FileOutcome],
                  known: dict[Key, tuple[str, str]]) -> list[tuple[Finding, tuple[str, str]]]:
    """Remove every settled warning from the outcomes' findings; (finding, (who, at)) each."""
    taken = []
    for outcome in outcomes:
        kept = []
        for finding in outcome.findings:
            settled = None if finding.is_error else known.get(key_of(finding))
            if settled is None:
                kept.append(finding)
            else:
                taken.append((finding, settled))
        outcome.findings = kept
    return taken
