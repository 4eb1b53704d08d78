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


Row = dict[str, str]  # a table row of the summary: column title → the cell as text


def read_summary(path: Path) -> tuple[list[tuple[str, str, str, str, str, str]], list[Key]]:
    """What the coordinator wrote in the summary at ``path``, read once: the warnings with a
    name in «Проверено (кто)» on the sheet «Все замечания» (file, code, sheet, cell, message,
    who), and the settled warnings whose name was wiped on the sheet «Проверенные» (file,
    code, sheet, cell, message). A missing or unreadable summary gives none."""
    sheets = _sheet_values(path, (FINDINGS_SHEET, SETTLED_SHEET))
    warning = SEVERITY_RU[Severity.WARNING]
    named = [(*_key(row), row[CHECKED_COLUMN])
             for row in _table(sheets.get(FINDINGS_SHEET, []), header_first=True)
             if row[CHECKED_COLUMN] and row["Важность"] == warning]
    wiped = [_key(row) for row in _table(sheets.get(SETTLED_SHEET, []), header_first=False)
             if _key(row)[1] and not row[CHECKED_COLUMN]]
    return named, wiped


def _sheet_values(path: Path, names: Sequence[str]) -> dict[str, list[Sequence[object]]]:
    """The values of the summary's sheets ``names`` that it has ({} when the file is missing or
    unreadable: a summary spoiled by hand changes nothing)."""
    if not path.exists() or not screen(path).ok:  # screened like any workbook before calamine
        return {}
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (OSError, ValueError, KeyError, CalamineError):
        return {}
    found: dict[str, list[Sequence[object]]] = {}
    for name in names:
        if name not in wb.sheet_names:
            continue
        try:  # one sheet that does not read leaves the other
            found[name] = [list(row) for row in
                           wb.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        except (OSError, ValueError, KeyError, CalamineError):
            continue
    return found


def _table(rows: list[Sequence[object]], *, header_first: bool) -> list[Row]:
    """The rows under the header (the row with «Проверено (кто)»: the first row only, with
    ``header_first``), each keyed by column title; [] without such a header."""
    candidates = rows[:1] if header_first else rows
    at = next((i for i, row in enumerate(candidates) if CHECKED_COLUMN in map(_text, row)), None)
    if at is None:
        return []
    header = [_text(v) for v in rows[at]]
    columns = {name: header.index(name) for name in header if name}
    wanted = (CHECKED_COLUMN, "Важность", "Файл", "Код и суть", "Лист", "Ячейка",
              "Что не так и как исправить")
    return [{name: _text(row[i]) if (i := columns.get(name)) is not None and i < len(row) else ""
             for name in wanted} for row in rows[at + 1:]]


def _key(row: Row) -> Key:
    """(file, code, sheet, cell, message) of a summary row; the code is the start of «Код и суть»."""
    return (row["Файл"], row["Код и суть"].split(" ", 1)[0], row["Лист"], row["Ячейка"],
            row["Что не так и как исправить"])


def _text(cell: object) -> str:
    """A cell as text ('' for an empty one)."""
    return "" if cell is None else str(cell).strip()


def settle(conn: sqlite3.Connection, result: MergeResult, summary: Path) -> None:
    """Record the names written in ``summary`` and move every settled warning of ``result``
    from its file's findings to ``result.acknowledged``."""
    named, wiped = read_summary(summary)
    store.add_acknowledgements(conn, named, result.started_at)
    store.remove_acknowledgements(conn, wiped)
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
