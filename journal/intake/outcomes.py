"""What a merge (or a check) tells about each file: its status and findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from journal.core.findings import Finding, Severity, count_errors
from journal.school.settings import normalise_class_name
from journal.workbooks.format import KIND_CLASS

MERGED = "merged"
UNCHANGED = "unchanged"
REJECTED = "rejected"
HELD = "held"
UNREADABLE = "unreadable"
SKIPPED = "skipped"  # not a workbook: a lock file of an open one
GONE = "gone"  # merged before, no longer in the folder: its data is kept (W09)
REMOVED = "removed"  # gone, and the coordinator confirmed it was removed on purpose
STATUS_RU = {MERGED: "принят", UNCHANGED: "без изменений", REJECTED: "отклонён",
             HELD: "задержан", UNREADABLE: "не читается", SKIPPED: "пропущен",
             GONE: "нет в папке", REMOVED: "убран из папки"}
WORKBOOK_GONE = "W09"


@dataclass
class FileOutcome:
    """One input file of a merge."""

    file: str  # path relative to the school folder
    status: str
    sha256: str = ""
    kind: str = ""
    class_name: str = ""
    subject: str = ""
    group: str = ""
    teacher: str = ""
    findings: list[Finding] = field(default_factory=list)
    changes: int = 0
    kept: bool = False  # rejected before with the same bytes: its findings kept, not read again

    @property
    def errors(self) -> int:
        """How many error findings."""
        return count_errors(self.findings)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(not f.is_error for f in self.findings)


@dataclass
class MergeResult:
    """The outcome of one ``journal merge``."""

    merge_id: int
    started_at: str
    files: list[FileOutcome] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # for the coordinator, not a teacher's finding
    # warnings the coordinator marked «проверено»: out of the files' findings, not a problem
    acknowledged: list[Finding] = field(default_factory=list)
    # (file name, code, sheet, cell, message) → (who, when) for each of them
    settled_by: dict[tuple[str, str, str, str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every file (for unchanged files, those of their last merge)."""
        return [f for o in self.files for f in o.findings]

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(o.status == status for o in self.files)

    @property
    def has_problems(self) -> bool:
        """True when any file was rejected, held or unreadable, or has findings
        (acknowledged warnings are not findings any more)."""
        return bool(self.findings) or any(
            o.status in (REJECTED, HELD, UNREADABLE, GONE) for o in self.files)

    @property
    def changes(self) -> int:
        """How many history rows (corrections, removals, late entries) this merge added."""
        return sum(o.changes for o in self.files)


def file_order(outcomes: dict[str, FileOutcome]) -> Callable[[str], tuple[int, str]]:
    """The order of files in a merge's result: class workbooks first, then by name."""
    return lambda name: (0 if outcomes[name].kind == KIND_CLASS else 1, name)


def key_of(outcome: FileOutcome) -> tuple[str, str, str, str]:
    """Which journal a file is: (kind, class, subject, group), normalised."""
    return (outcome.kind, normalise_class_name(outcome.class_name),
            outcome.subject.strip().lower(), outcome.group.strip().lower())


def with_teacher(finding: Finding, teacher: str) -> Finding:
    """The finding, naming ``teacher`` when it names nobody."""
    if finding.teacher or not teacher:
        return finding
    return replace(finding, teacher=teacher)


def row_of(finding: Finding) -> dict[str, object]:
    """A finding as a row of the ``findings`` table."""
    row = finding.as_dict()
    row["date"] = finding.date.isoformat() if finding.date else None
    return row


def finding_of(row: dict[str, object]) -> Finding:
    """A finding from a row of the ``findings`` table."""
    date = row.get("date")
    return Finding(code=str(row["code"]), severity=Severity(str(row["severity"])),
                   message=str(row["message"]), file=str(row["file"]),
                   sheet=str(row["sheet"] or ""), cell=str(row["cell"] or ""),
                   student=str(row["student"] or ""),
                   date=dt.date.fromisoformat(str(date)) if date else None,
                   teacher=str(row["teacher"] or ""))
