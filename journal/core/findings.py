"""Findings: problems in teachers' data, collected as values.

A finding names where the problem is (file, sheet, cell, student, date) and says
in Russian what is wrong and how to fix it. Validation never raises on bad data;
it returns findings, and the caller decides what to do with the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum

import pandas as pd


class Severity(StrEnum):
    """How bad a finding is: an error rejects the workbook, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


SEVERITY_RU = {Severity.ERROR: "ошибка", Severity.WARNING: "предупреждение"}


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

    def format(self, with_file: bool = True) -> str:
        """One line for a terminal or a feedback file."""
        head = f"[{SEVERITY_RU[self.severity]} {self.code}]"
        where = self.where()
        file = f"{self.file}: " if with_file and self.file else ""
        return f"{head} {file}{where + ': ' if where else ''}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """A plain dict (for DataFrames and JSON)."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def error(code: str, message: str, **where: object) -> Finding:
    """Make an error finding."""
    return Finding(code=code, severity=Severity.ERROR, message=message, **where)  # type: ignore[arg-type]


def warning(code: str, message: str, **where: object) -> Finding:
    """Make a warning finding."""
    return Finding(code=code, severity=Severity.WARNING, message=message, **where)  # type: ignore[arg-type]


@dataclass
class Report:
    """Findings collected over one or many files."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Add one finding."""
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add many findings."""
        self.findings.extend(findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that reject a workbook."""
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that do not reject a workbook."""
        return [f for f in self.findings if not f.is_error]

    @property
    def has_errors(self) -> bool:
        """True when at least one finding is an error."""
        return any(f.is_error for f in self.findings)

    def to_frame(self) -> pd.DataFrame:
        """The findings as a pandas DataFrame, one row each."""
        columns = ["code", "severity", "message", "file", "sheet", "cell", "student", "date", "teacher"]
        return pd.DataFrame([f.as_dict() for f in self.findings], columns=columns)
