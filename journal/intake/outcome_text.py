"""The terminal texts of a merge and a check: one line per file with its findings, the summary
line, and the order findings are listed in (also in the feedback workbooks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePath

from journal.core.findings import Finding, count_errors
from journal.intake.outcomes import (
    GONE,
    HELD,
    MERGED,
    SKIPPED,
    STATUS_RU,
    UNCHANGED,
    UNREADABLE,
    FileOutcome,
    MergeResult,
)
from journal.school.folder import FEEDBACK_DIR


def when_ru(stamp: str) -> str:
    """«28.11.2026 17:46» for a stored ``2026-11-28 17:46:37``; other text as it is."""
    try:
        return f"{dt.datetime.fromisoformat(stamp):%d.%m.%Y %H:%M}"
    except (TypeError, ValueError):
        return stamp


def file_shown(path: str) -> str:
    """A workbook as a person names it: its file name, without the program's folders."""
    return PurePath(str(path).replace("\\", "/")).name if path else ""


def sort_key(finding: Finding) -> tuple[str, int, str, int, int]:
    """Errors first, then by file, sheet and cell in reading order."""
    column, row = _split_cell(finding.cell)
    return (finding.file, 0 if finding.is_error else 1, finding.sheet, row, column)


def _split_cell(cell: str) -> tuple[int, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return column, int(digits) if digits else 0


def summary_line(result: MergeResult) -> str:
    """«Принято 12, без изменений 30, отклонено 2, задержано 0; ошибок 3, предупреждений 5.»"""
    findings = result.findings
    errors = count_errors(findings)
    skipped = result.count(SKIPPED)
    locks = f", пропущено служебных файлов {skipped}" if skipped else ""
    gone = result.count("gone")
    locks += f", прежде принятых журналов нет в папке {gone}" if gone else ""
    removed = result.count("removed")
    locks += f", подтверждено, что убраны, {removed}" if removed else ""
    return (f"Принято {result.count('merged')}, без изменений {result.count('unchanged')}, "
            f"отклонено {result.count('rejected')}, задержано {result.count('held')}, "
            f"не читается {result.count('unreadable')}{locks}; ошибок {errors}, "
            f"предупреждений {len(findings) - errors}; записей в истории изменений "
            f"{result.changes}.")


def format_outcomes(outcomes: Sequence[FileOutcome], *, checking: bool = False,
                    limit: int = 25, show_all: bool = False) -> str:
    """The terminal text for files: a status line, then findings (at most ``limit`` per file).

    Unless ``show_all``, files merged or unchanged without findings or changes are left out
    (the summary line counts them).
    """
    lines: list[str] = []
    for o in outcomes:
        quiet = o.status in (MERGED, UNCHANGED) and not o.findings and not o.changes
        if quiet and not show_all:
            continue
        if checking:
            status = ("можно сдавать" if o.status == MERGED
                      else "не читается" if o.status == UNREADABLE
                      else "сбор журналов его задержит до подтверждения" if o.status == HELD
                      else "файла нет в папке, данные в базе сохранены" if o.status == GONE
                      else "будет отклонён: исправьте ошибки")
        else:
            status = STATUS_RU[o.status]
        counts = f" (ошибок {o.errors}, предупреждений {o.warnings})" if o.findings else ""
        changes = f", записей в истории изменений: {o.changes}" if o.changes else ""
        lines.append(f"{o.file}: {status}{counts}{changes}")
        ordered = sorted(o.findings, key=sort_key)
        for f in ordered[:limit]:
            lines.append("  " + f.format(with_file=False))
        if len(ordered) > limit:
            lines.append(f"  … и ещё {len(ordered) - limit}; все замечания — в файлах "
                         f"папки «{FEEDBACK_DIR}»")
    return "\n".join(lines)
