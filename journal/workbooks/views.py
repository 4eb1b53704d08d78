"""Workbooks as validation sees them: every input area cell by cell, with its address.

Built from :mod:`journal.workbooks.reading`'s raw workbooks (:func:`view_from_raw`), or
directly (the demo's simulated history lays out a workbook's content without a file).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journal.core.text import clean_text
from journal.workbooks.format import (
    EVENT_COLUMNS,
    GROUP_COLUMN_PREFIX,
    LOG_COLUMNS,
    MESSAGE_COLUMNS,
    NOTE_COLUMNS,
    PARENT_COLUMNS,
    REASON_COLUMNS,
    STUDENT_COLUMNS,
    WorkbookMeta,
)
from journal.workbooks.reading import Cell, RawClassWorkbook, RawSubjectWorkbook, RawTable

__all__ = ["Cell", "ClassView", "SubjectView", "view_from_raw"]


@dataclass
class SubjectView:
    """A subject workbook's input areas, cell by cell."""

    meta: WorkbookMeta
    students: list[Cell]  # one per grid row
    dates: list[Cell]  # one per lesson column
    kinds: list[Cell]  # one per lesson column
    marks: list[tuple[int, int, str, object]]  # (row, column, address, value), non-empty only
    log: list[dict[str, Cell]]  # one per lesson row, keyed by LOG_COLUMNS
    finals_header: list[str]  # columns of jr_finals after the name column
    finals: list[tuple[Cell, list[Cell]]]  # (name cell, cells under finals_header)
    row_keys: list[str | None] = field(default_factory=list)  # the student each row was built for
    messages: list[dict[str, Cell]] = field(default_factory=list)  # keyed by MESSAGE_COLUMNS


@dataclass
class ClassView:
    """A class workbook's tables, cell by cell; each row maps a column header to a cell."""

    meta: WorkbookMeta
    students: list[dict[str, Cell]]
    parents: list[dict[str, Cell]]
    reasons: list[dict[str, Cell]]
    notes: list[dict[str, Cell]]
    events: list[dict[str, Cell]] = field(default_factory=list)  # keyed by EVENT_COLUMNS
    messages: list[dict[str, Cell]] = field(default_factory=list)  # keyed by MESSAGE_COLUMNS


# ---------------------------------------------------------------------------
# from the reader's raw workbooks
# ---------------------------------------------------------------------------


def view_from_raw(raw: object) -> SubjectView | ClassView:
    """The validation view of a raw subject or class workbook (see :mod:`journal.workbooks.reading`)."""
    if isinstance(raw, RawSubjectWorkbook):
        log = _table_rows(raw.log, LOG_COLUMNS) if raw.log is not None else []
        finals_header: list[str] = []
        finals: list[tuple[Cell, list[Cell]]] = []
        if raw.finals is not None:
            finals_header = [clean_text(c.value) for c in raw.finals.header[1:]]
            finals = [(row[0], row[1:]) for _i, row in raw.finals.filled_rows() if row]
        return SubjectView(
            meta=raw.meta,
            students=list(raw.students),
            dates=list(raw.dates),
            kinds=list(raw.kinds),
            marks=list(raw.mark_cells()),
            log=log, finals_header=finals_header, finals=finals, row_keys=list(raw.row_keys),
            messages=_table_rows(raw.messages, MESSAGE_COLUMNS))
    if isinstance(raw, RawClassWorkbook):
        groups = {GROUP_COLUMN_PREFIX + subject: k for subject, k in raw.group_columns().items()}
        return ClassView(
            meta=raw.meta,
            students=_table_rows(raw.students, STUDENT_COLUMNS, groups),
            parents=_table_rows(raw.parents, PARENT_COLUMNS),
            reasons=_table_rows(raw.reasons, REASON_COLUMNS),
            notes=_table_rows(raw.notes, NOTE_COLUMNS),
            events=_table_rows(raw.events, EVENT_COLUMNS),
            messages=_table_rows(raw.messages, MESSAGE_COLUMNS))
    raise TypeError(f"not a raw workbook: {type(raw).__name__}")


def _table_rows(table: RawTable | None, names: tuple[str, ...],
                extra: dict[str, int] | None = None) -> list[dict[str, Cell]]:
    if table is None:
        return []
    columns = {name: table.column(name) for name in names}
    columns.update(extra or {})
    rows = []
    for _i, row in table.filled_rows():
        rows.append({name: row[k] for name, k in columns.items() if k is not None and k < len(row)})
    return rows
