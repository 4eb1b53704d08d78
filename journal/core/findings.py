"""Findings: problems in teachers' data, collected as values.

A finding names where the problem is (file, sheet, cell, student, date) and says
in Russian what is wrong and how to fix it. Validation never raises on bad data;
it returns findings, and the caller decides what to do with the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from journal.core import catalogue
from journal.core.catalogue import SEVERITY_RU, Severity

__all__ = ["SEVERITY_RU", "Finding", "Severity", "count_errors", "error", "has_errors", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in one place of one input file."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    student: str = ""
    date: dt.date | None = None
    teacher: str = ""

    @property
    def is_error(self) -> bool:
        """True when the finding rejects its workbook."""
        return self.severity is Severity.ERROR

    def where(self) -> str:
        """The place in Russian: «лист «Журнал», ячейка F12, ученик …, дата …»."""
        parts = []
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.cell:
            parts.append(f"ячейка {self.cell}")
        if self.student:
            parts.append(f"ученик: {self.student}")
        if self.date:
            parts.append(f"дата {self.date:%d.%m.%Y}")
        return ", ".join(parts)

    def code_title(self) -> str:
        """The code and its title from the catalogue: «N07 · не заполнено обязательное поле»."""
        title = catalogue.title(self.code)
        return f"{self.code} · {title}" if title else self.code

    def label(self) -> str:
        """Severity, code and title: «ошибка N07 · не заполнено обязательное поле»."""
        return f"{SEVERITY_RU[self.severity]} {self.code_title()}"

    def format(self, with_file: bool = True) -> str:
        """One line for a terminal or a feedback file."""
        head = f"[{self.label()}]"
        where = self.where()
        file = f"{self.file}: " if with_file and self.file else ""
        return f"{head} {file}{where + ': ' if where else ''}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """A plain dict (for DataFrames and JSON)."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def _make(code: str, severity: Severity, message: str, where: dict[str, object]) -> Finding:
    entry = catalogue.entry(code)
    if severity not in entry.severities:
        raise catalogue.UnknownCode(f"finding code {code} is not catalogued as {severity}")
    return Finding(code=code, severity=severity, message=message, **where)  # type: ignore[arg-type]


def error(code: str, message: str, **where: object) -> Finding:
    """Make an error finding; the code must be in :mod:`journal.core.catalogue` as an error."""
    return _make(code, Severity.ERROR, message, where)


def warning(code: str, message: str, **where: object) -> Finding:
    """Make a warning finding; the code must be in :mod:`journal.core.catalogue` as a warning."""
    return _make(code, Severity.WARNING, message, where)


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when at least one finding rejects its workbook."""
    return any(f.is_error for f in findings)


def count_errors(findings: Iterable[Finding]) -> int:
    """How many findings are errors."""
    return sum(f.is_error for f in findings)
