"""The low-level reader of subject and class workbooks.

What a workbook is comes from its ``_meta`` sheet; every input area is found
through a workbook-level defined name (see :mod:`journal.workbooks.format`).
Defined names, sheet paths and formulas are read from the zip directly (small
XML parts); cell values with python-calamine, keeping exact cell addresses.

Reading never raises for a bad file: :func:`read_workbook` returns a
:class:`ReadResult` with the raw values (each with its cell address) and the
findings (codes ``R..``) that explain, in Russian, why a file could not be read
or what is odd about its structure. Checking the values themselves (marks,
dates, students) is :mod:`journal.intake.validation`'s job.

Raw values are as calamine returns them: ``str``, ``float`` (numbers, also
whole ones), ``bool``, ``datetime.date``/``datetime.datetime``,
``datetime.time``; an empty cell is ``None``.

Hostile files: files whose zip directory declares more than
:data:`MAX_UNCOMPRESSED` bytes, or whose sheets reach beyond
:data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns (one stray value in XFD1048576
makes calamine abort the process), are refused before calamine sees them.
Run the reader in a worker process with limits for files from untrusted places.

The code lives in :mod:`journal.workbooks.reading_cells` (the reader),
:mod:`journal.workbooks.workbook_package` (zip and XML parts) and
:mod:`journal.workbooks.raw_workbook` (what it returns); this module re-exports their public names.
"""

from __future__ import annotations

from journal.workbooks.raw_workbook import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    R_BAD_META,
    R_BAD_NAME,
    R_BROKEN,
    R_EMPTY,
    R_FORMULA,
    R_MERGED,
    R_MISSING_COLUMN,
    R_MISSING_NAME,
    R_NO_META,
    R_NOT_XLSX,
    R_ODS,
    R_PASSWORD,
    R_TOO_LARGE,
    R_UNREADABLE,
    R_XLS,
    Area,
    Cell,
    RawClassWorkbook,
    RawSubjectWorkbook,
    RawTable,
    ReadResult,
    events_of,
    messages_of,
)
from journal.workbooks.reading_cells import (
    read_meta,
    read_workbook,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "R_BAD_META",
    "R_BAD_NAME",
    "R_BROKEN",
    "R_EMPTY",
    "R_FORMULA",
    "R_MERGED",
    "R_MISSING_COLUMN",
    "R_MISSING_NAME",
    "R_NOT_XLSX",
    "R_NO_META",
    "R_ODS",
    "R_PASSWORD",
    "R_TOO_LARGE",
    "R_UNREADABLE",
    "R_XLS",
    "Area",
    "Cell",
    "RawClassWorkbook",
    "RawSubjectWorkbook",
    "RawTable",
    "ReadResult",
    "events_of",
    "messages_of",
    "read_meta",
    "read_workbook",
]
