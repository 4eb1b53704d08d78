"""Participation of parents and students (regulation 3.5), from what can be measured without a server.

Two files the documents layer writes are read here (their names live in
:mod:`journal.school.folder`, so this layer does not import the one above it):

* the diary's participation table (``output/Коды доступа/Участие семей.csv``, written by
  ``journal diary``): per class the students and the codes handed out and, when the
  coordinator gave the web server's access log, per family the visits to the diary;
* the letters' sent-log (``output/Письма родителям/Журнал отправки.jsonl``): one line per
  letter delivered by e-mail, with the moment and the student.

Per class: **students**, **codes** handed out, **opened** — families who opened the diary
(known only with an access log: the visits are those of the log given at the last build),
**letters** — students whose parents got a letter by e-mail between ``start`` and ``end``,
**reached** — families who opened the diary or got a letter by e-mail, and its share.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from journal.reports.common import DateLike, parse_day
from journal.school.folder import CODES_DIR, LETTERS_DIR, PARTICIPATION_FILE, SENT_LOG_FILE, SchoolFolder

COLUMNS = ["class", "students", "codes", "opened", "visits", "letters", "reached", "reached_pct"]


def family_participation(school: SchoolFolder, start: DateLike, end: DateLike,
                         class_name: str = "") -> pd.DataFrame:
    """Per class (see the module docstring); empty when the diary was never built.

    ``opened`` and ``visits`` are NaN when the diary was built without an access log.
    """
    classes, families = _diary_table(school.output_dir / CODES_DIR / PARTICIPATION_FILE)
    first, last = parse_day(start), parse_day(end)
    mailed = _mailed(school.output_dir / LETTERS_DIR / SENT_LOG_FILE, first, last)
    rows = []
    for name, (students, codes) in classes.items():
        if class_name and name != class_name:
            continue
        visited = {student for (cls, student), count in families.items() if cls == name and count > 0}
        got = {student for cls, student in mailed if cls == name}
        known = any(cls == name for cls, _ in families)
        reached = len(visited | got)
        rows.append({
            "class": name, "students": students, "codes": codes,
            "opened": len(visited) if known else float("nan"),
            "visits": sum(c for (cls, _), c in families.items() if cls == name) if known else float("nan"),
            "letters": len(got), "reached": reached,
            "reached_pct": round(100 * reached / students, 1) if students else float("nan"),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _diary_table(path: Path) -> tuple[dict[str, tuple[int, int]], dict[tuple[str, str], int]]:
    """({class: (students, codes)}, {(class, student): visits}) from the diary's table."""
    classes: dict[str, tuple[int, int]] = {}
    families: dict[tuple[str, str], int] = {}
    if not path.exists():
        return classes, families
    part = 0
    for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"):
        if not row or not any(row):
            part += 1
            continue
        if row[0] == "Класс":
            continue
        if part == 0 and len(row) >= 3:
            classes[row[0]] = (_int(row[1]), _int(row[2]))
        elif part >= 1 and len(row) >= 3:
            families[(row[0], row[1])] = _int(row[2])
    return classes, families


def _mailed(path: Path, start: dt.date | None, end: dt.date | None) -> set[tuple[str, str]]:
    """(class, student) of every letter e-mailed between ``start`` and ``end``."""
    found: set[tuple[str, str]] = set()
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            day = dt.date.fromisoformat(str(entry["sent_at"])[:10])
            cls, student = str(entry["student"]).split("|", 1)
        except (ValueError, KeyError, TypeError):
            continue
        if (start is None or day >= start) and (end is None or day <= end):
            found.add((cls, student))
    return found


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
