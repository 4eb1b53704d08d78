"""The values of a filled workbook keyed by what they mean (a mark of a student on a lesson, a log
entry of a date), so that a rebuilt workbook can be checked to hold every one of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from journal.core.text import clean_text as _text
from journal.core.text import parse_date_value
from journal.workbooks import format as wf
from journal.workbooks.reading import (
    RawClassWorkbook,
    RawSubjectWorkbook,
)

Meaning = tuple[object, ...]


Place = tuple[str, str]  # (sheet, cell)


Values = dict[Meaning, tuple[Place, object]]


def _by_meaning(items: Iterator[tuple[Meaning, Place, object]]) -> Values:
    """Values keyed by meaning; a meaning met twice makes both values «unplaced» (a name written twice)."""
    out: Values = {}
    for meaning, place, value in items:
        if meaning in out and meaning[0] != "unplaced":
            first_place, first_value = out.pop(meaning)
            out[("twice", *first_place)] = (first_place, first_value)
            out[("twice", *place)] = (place, value)
        elif ("twice", *place) not in out:
            out[meaning] = (place, value)
    return out


def subject_values(raw: RawSubjectWorkbook) -> Values:
    """Every non-empty input value of a subject workbook, keyed by what it means."""
    return _by_meaning(_iter_subject_values(raw))


def _iter_subject_values(raw: RawSubjectWorkbook) -> Iterator[tuple[Meaning, Place, object]]:
    names = [_text(c.value) for c in raw.students]
    counts = {n: names.count(n) for n in names}
    keys = raw.lesson_keys()
    for i, j, address, value in raw.mark_cells():
        name = names[i] if i < len(names) else ""
        key = keys[j] if j < len(keys) else None
        if name and counts[name] > 1:
            meaning: Meaning = ("twice", raw.sheet, address)
        elif name and key:
            meaning = ("mark", name, key)
        else:
            meaning = ("unplaced", raw.sheet, address)
        yield meaning, (raw.sheet, address), value
    for j, cell in enumerate(raw.kinds):
        if cell.value is not None:
            key = keys[j] if j < len(keys) else None
            yield (("kind", key) if key else ("unplaced", raw.sheet, cell.cell)), \
                (raw.sheet, cell.cell), cell.value
    if raw.log is not None:
        log = raw.log
        seen: dict[dt.date, int] = {}
        date_col = log.column(wf.LOG_DATE)
        for i, row in enumerate(log.rows):
            day = parse_date_value(log.value(i, wf.LOG_DATE), raw.meta.school_year)
            if day is not None:
                seen[day] = seen.get(day, 0) + 1
            for k, cell in enumerate(row):
                if k == date_col or cell.value is None:
                    continue
                column = _text(log.header[k].value)
                meaning = ("log", (day, seen[day]), column) if day is not None \
                    else ("unplaced", log.sheet, cell.cell)
                yield meaning, (log.sheet, cell.cell), cell.value
    if raw.finals is not None:
        finals = raw.finals
        for _i, row in finals.filled_rows():
            name = _text(row[0].value)
            for k, cell in enumerate(row[1:], start=1):
                if cell.value is None:
                    continue
                meaning = ("final", name, _text(finals.header[k].value)) if name \
                    else ("unplaced", finals.sheet, cell.cell)
                yield meaning, (finals.sheet, cell.cell), cell.value
    if raw.messages is not None:
        seen_rows: dict[str, int] = {}
        for _i, row in raw.messages.filled_rows():
            first = _text(row[0].value)
            seen_rows[first] = seen_rows.get(first, 0) + 1
            for k, cell in enumerate(row):
                if cell.value is not None:
                    yield (("message", first, seen_rows[first], _text(raw.messages.header[k].value)),
                           (raw.messages.sheet, cell.cell), cell.value)


def class_values(raw: RawClassWorkbook) -> Values:
    """Every non-empty value of a class workbook by (table, student, n-th row of the student, column)."""
    return _by_meaning(_iter_class_values(raw))


def _iter_class_values(raw: RawClassWorkbook) -> Iterator[tuple[Meaning, Place, object]]:
    for name, table in (("students", raw.students), ("parents", raw.parents), ("reasons", raw.reasons),
                        ("notes", raw.notes), ("events", raw.events), ("messages", raw.messages)):
        if table is None:
            continue
        seen: dict[str, int] = {}
        for _i, row in table.filled_rows():
            student = _text(row[0].value)
            seen[student] = seen.get(student, 0) + 1
            for k, cell in enumerate(row):
                if cell.value is None:
                    continue
                column = _text(table.header[k].value) or f"#{k}"
                meaning = (name, student, seen[student], column) if student \
                    else ("unplaced", table.sheet, cell.cell)
                yield meaning, (table.sheet, cell.cell), cell.value


def same_value(a: object, b: object) -> bool:
    """Equal values, or the same text, or the same date written differently (01.09.2026 and a date cell)."""
    if a == b or _text(a) == _text(b):
        return True
    day = parse_date_value(a)
    return day is not None and day == parse_date_value(b)
