"""The hash-chained history of the dataset and its verification.

Every write transaction of the program (see :func:`journal.dataset.store.transaction`)
ends by appending one record to ``chain``: the rows of the tracked tables it inserted,
changed or removed, each as ``(table, rowid, content)`` in ``chain_rows`` (content is a
JSON array of the row's tracked columns, NULL for a removed row), and
``hash = SHA-256(previous hash, the record's header, its rows)``. Which rows a
transaction touched is noted by triggers in ``chain_dirty``, with the row's content before
the transaction (schema version 8) — and, for the inserts into the big tables
(:data:`RANGED`), by their rowids above the table's end when the transaction began; the list
is emptied and the ends are taken when a transaction begins, so a row changed or added by
another program is never taken into the chain, not even when the program touches it later
without changing it.

:func:`verify` recomputes every hash, replays the rows into the state the tables must be
in, and compares it with the tables: the first difference is named in Russian (table,
student, subject, lesson date, old and new value). :func:`verify_since` checks only what
the chain gained after a given record (for ``journal district push``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64
SHORT = 12  # characters of the head hash printed on paper

# table → the columns whose content the chain holds. ``last_seen`` (the last merge that
# still saw a value) changes at every merge of a workbook and is left out on purpose.
TRACKED: dict[str, tuple[str, ...]] = {
    "merges": ("started_at", "finished_at", "tool_version", "files", "merged", "unchanged",
               "rejected", "held", "settings_hash"),
    "workbooks": ("kind", "class", "subject", "grp", "teacher", "file", "sha256",
                  "first_merge_id", "last_merge_id"),
    "classes": ("name", "grade", "letter", "class_teacher"),
    "students": ("class", "full_name", "birth_date", "joined", "left_on"),
    "student_groups": ("student_id", "subject", "grp"),
    "parents": ("student_id", "full_name", "phone", "email"),
    "absence_reasons": ("student_id", "start_date", "end_date", "code", "document"),
    "notes": ("student_id", "text"),
    "lessons": ("class", "subject", "grp", "date", "seq", "period", "kind", "topic", "homework",
                "teacher", "substitute", "topic_first_seen", "homework_first_seen"),
    "marks": ("lesson_id", "student_id", "position", "value", "weight", "cell", "first_seen",
              "first_merge_id"),
    "attendance": ("lesson_id", "student_id", "code", "reason", "cell", "first_seen"),
    "final_marks": ("class", "subject", "grp", "student_id", "kind", "period", "value", "cell",
                    "first_seen"),
    "changes": ("merge_id", "detected_at", "change", "entity", "class", "subject", "grp",
                "teacher", "student_id", "student", "lesson_date", "seq", "kind", "period",
                "old_value", "new_value", "first_seen", "last_seen", "days_late", "file", "cell"),
    "printed_copies": ("printed_at", "class", "period", "school_year", "version", "pages",
                       "sha256", "file", "chain_head"),
    "events": ("source", "class", "date", "title", "first_seen"),
    "messages": ("class", "subject", "grp", "author", "student", "date", "seq", "text", "first_seen",
                 "cell"),
    "acknowledged": ("file", "code", "sheet", "cell", "message", "who", "at"),
}

# the tables a person cares about first
VERIFY_ORDER = ("marks", "final_marks", "attendance", "lessons", "changes", "merges", "students",
                "student_groups", "parents", "absence_reasons", "notes", "classes", "workbooks",
                "printed_copies", "messages", "events", "acknowledged")

TABLE_RU = {
    "merges": "Сборки журналов", "workbooks": "Принятые файлы", "classes": "Классы",
    "students": "Ученики", "student_groups": "Группы учеников", "parents": "Родители",
    "absence_reasons": "Причины пропусков", "notes": "Заметки классного руководителя",
    "lessons": "Уроки", "marks": "Отметки", "attendance": "Посещаемость",
    "final_marks": "Итоговые отметки", "changes": "История исправлений",
    "printed_copies": "Бумажные копии", "events": "События", "messages": "Сообщения семьям",
    "acknowledged": "Проверенные предупреждения",
}

COLUMN_RU = {
    "value": "отметка", "weight": "вес", "cell": "ячейка", "first_seen": "впервые принята",
    "first_merge_id": "сборка", "position": "место в ячейке", "code": "код пропуска",
    "reason": "причина", "topic": "тема", "homework": "домашнее задание", "kind": "вид",
    "teacher": "учитель", "substitute": "замена", "period": "период", "full_name": "ФИО",
    "old_value": "прежнее значение", "new_value": "новое значение", "change": "вид записи",
    "entity": "что изменено", "detected_at": "когда замечено", "files": "список файлов",
    "started_at": "начало", "finished_at": "окончание", "sha256": "контрольная сумма",
}

FINAL_RU = {"period": "отметка за период", "year": "годовая отметка",
            "exam": "экзаменационная отметка", "final": "итоговая отметка"}
CHANGE_RU = {"correction": "исправление", "removal": "удаление", "late_entry": "запоздалая запись"}
ENTITY_RU = {"mark": "отметки", "attendance": "пропуска", "final_mark": "итоговой отметки",
             "topic": "темы урока", "homework": "домашнего задания", "message": "сообщения"}


# Tables whose inserted rows are found by rowid (above the highest at the transaction's start)
# rather than by an insert trigger (schema version 7): the big ones, written a workbook at a time.
RANGED = ("attendance", "changes", "lessons", "marks")
_NONE_BELOW = 2 ** 63 - 1
_MAX_ROWIDS = "SELECT " + ", ".join(f"(SELECT max(rowid) FROM {t})" for t in RANGED)
_STARTS: dict[int, tuple[int, ...]] = {}  # id(connection) → the RANGED tables' highest rowids


def _content_sql(table: str, where: str = "") -> str:
    columns = ", ".join(TRACKED[table])
    return f"SELECT rowid AS row_id, json_array({columns}) AS content FROM {table}{where}"


def _record_hash(prev: str, chain_id: int, kind: str, merge_id: int | None, at: str, note: str,
                 rows: Iterable[tuple[str, int, str | None]]) -> str:
    return _record_hash_of_lines(prev, chain_id, kind, merge_id, at, note, "".join(
        [f"{tbl}\t{row_id}\t{'-' if content is None else content}\n" for tbl, row_id, content in rows]))


def _record_hash_of_lines(prev: str, chain_id: int, kind: str, merge_id: int | None, at: str,
                          note: str, lines: str | bytes) -> str:
    digest = hashlib.sha256(
        f"{prev}\n{chain_id}\n{kind}\n{merge_id or ''}\n{at}\n{note}\n".encode())
    digest.update(lines if isinstance(lines, bytes) else lines.encode())
    return digest.hexdigest()


def forget_touched(conn: sqlite3.Connection) -> None:
    """Drop the rows noted as touched and mark where the big tables end (at the start of each
    of the program's transactions): their rows above the mark are the transaction's inserts."""
    if _has_chain(conn):
        conn.execute("DELETE FROM chain_dirty")
        _STARTS[id(conn)] = _max_rowids(conn)


def _max_rowids(conn: sqlite3.Connection) -> tuple[int, ...]:
    return tuple(r or 0 for r in conn.execute(_MAX_ROWIDS).fetchone())


def _has_chain(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_dirty'").fetchone())


def _touched_sql(table: str) -> str:
    """The rows of ``table`` noted as touched whose content differs from what it was when the
    transaction first touched them (``chain_dirty.old``, noted by the triggers; NULL for a row
    the transaction inserted): ``(row_id, content)`` in rowid order, content NULL for a removed
    row. Rows above ``?2`` (a :data:`RANGED` table's end when the transaction began) are left
    to :func:`_inserted_sql`."""
    columns = ", ".join(f"t.{c}" for c in TRACKED[table])
    return (
        "SELECT row_id, content FROM (SELECT d.row_id AS row_id, d.old AS old,"
        f" CASE WHEN t.rowid IS NULL THEN NULL ELSE json_array({columns}) END AS content"
        f" FROM chain_dirty d LEFT JOIN {table} t ON t.rowid = d.row_id WHERE d.tbl = ?1"
        " AND d.row_id <= ?2) WHERE content IS NOT old ORDER BY row_id")


def _inserted_sql(table: str) -> str:
    """The rows of a :data:`RANGED` table above ``?1`` with their content, in rowid order."""
    columns = ", ".join(TRACKED[table])
    return (f"SELECT rowid AS row_id, json_array({columns}) AS content FROM {table}"
            " WHERE rowid > ?1 ORDER BY rowid")


def append(conn: sqlite3.Connection, *, kind: str = "merge", note: str = "",
           at: str | None = None) -> str | None:
    """Chain what the current transaction wrote; returns the new head hash (None: nothing).

    ``kind`` merge: the record belongs to the newest merge and carries its moment.
    A touched row whose content is what it was when the transaction began (or that was
    inserted and removed again) is left out; the rest go in table, then rowid order.
    The rows are copied and hashed by :func:`_write_record`.
    """
    if not _has_chain(conn):
        return None
    ends = _max_rowids(conn)
    started = dict(zip(RANGED, _STARTS.pop(id(conn), ends), strict=True))  # (none: no inserts)
    grown = {t for t, end in zip(RANGED, ends, strict=True) if end > started[t]}
    tables = {t for (t,) in conn.execute("SELECT DISTINCT tbl FROM chain_dirty") if t in TRACKED}
    if not tables and not grown:
        return None
    merge_id = None
    if kind == "merge":
        found = conn.execute("SELECT id, started_at FROM merges ORDER BY id DESC LIMIT 1").fetchone()
        if found:
            merge_id, started_at = found
            at = at or started_at
    at = at or now_text()
    selects: list[tuple[str, str, tuple[object, ...]]] = []
    for table in sorted(tables | grown):
        below = started.get(table, _NONE_BELOW)
        selects.append((table, _touched_sql(table), (table, below)))
        if table in grown:  # inserted by this transaction: new content, in rowid order
            selects.append((table, _inserted_sql(table), (below,)))
    digest = _write_record(conn, kind, merge_id, at, note, selects, keep_empty=False)
    conn.execute("DELETE FROM chain_dirty")
    return digest


# a chain row as the record's hash reads it: table, rowid and content ('-' for none), tab-separated
_LINE_SQL = "tbl || char(9) || row_id || char(9) || ifnull(content, '-') || char(10)"
# the rows from ``?`` on: how many, and their lines joined in rowid order (the subquery's
# range scan yields them in that order, and SQLite keeps a sorted subquery's order), as the
# UTF-8 bytes the hash reads (not decoded into a Python string and encoded again)
_JOINED_SQL = (f"SELECT count(*), CAST(ifnull(group_concat(line, ''), '') AS BLOB) FROM"
               f" (SELECT {_LINE_SQL} AS line FROM chain_rows WHERE id >= ? ORDER BY id)")


def _write_record(conn: sqlite3.Connection, kind: str, merge_id: int | None, at: str, note: str,
                  selects: list[tuple[str, str, tuple[object, ...]]], *, keep_empty: bool) -> str | None:
    """Append a record whose rows are those of ``selects`` — each a table, a query giving
    ``row_id`` and ``content`` of its rows, and the query's parameters (``?1`` …) —, in that
    order: the database copies them into ``chain_rows`` (one ``INSERT … SELECT`` a query) and
    the hash reads them back from there, so a workbook's thousands of rows never become Python
    objects. Without rows the record is dropped unless ``keep_empty``."""
    head = conn.execute("SELECT id, hash FROM chain ORDER BY id DESC LIMIT 1").fetchone()
    chain_id, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    first = (conn.execute("SELECT max(id) FROM chain_rows").fetchone()[0] or 0) + 1
    conn.execute("INSERT INTO chain (id, kind, merge_id, at, note, rows, prev_hash, hash)"
                 " VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                 (chain_id, kind, merge_id, at, note, prev, f"- {chain_id}"))
    for table, sql, params in selects:
        n = len(params)
        conn.execute(f"INSERT INTO chain_rows (chain_id, tbl, row_id, content) SELECT ?{n + 1},"
                     f" ?{n + 2}, row_id, content FROM ({sql}) ORDER BY row_id",
                     (*params, chain_id, table))
    count, lines = conn.execute(_JOINED_SQL, (first,)).fetchone()
    if not count and not keep_empty:
        conn.execute("DELETE FROM chain WHERE id = ?", (chain_id,))
        return None
    digest = _record_hash_of_lines(prev, chain_id, kind, merge_id, at, note, lines)
    conn.execute("UPDATE chain SET rows = ?, hash = ? WHERE id = ?", (count, digest, chain_id))
    return digest


def start(conn: sqlite3.Connection, note: str) -> None:
    """The first record of a chain: every row the dataset holds now (inside a transaction)."""
    if conn.execute("SELECT 1 FROM chain LIMIT 1").fetchone():
        return
    _write_record(conn, "start", None, now_text(), note,
                  [(table, _content_sql(table), ()) for table in sorted(TRACKED)], keep_empty=True)
    conn.execute("DELETE FROM chain_dirty")


def now_text() -> str:
    """This moment as the dataset stores moments."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


@dataclass(frozen=True)
class Head:
    """The newest record of the chain: what reports and paper copies print."""

    hash: str
    at: str

    @property
    def short(self) -> str:
        """The first characters of the hash, as printed."""
        return self.hash[:SHORT]

    def footer_ru(self) -> str:
        """«журнал: контрольная сумма 3fa9c1d2e4b5 от 01.12.2026»."""
        return f"журнал: контрольная сумма {self.short} от {date_ru(self.at)}"


def head(conn: sqlite3.Connection) -> Head | None:
    """The head of the chain, or None for a dataset without one."""
    try:
        row = conn.execute("SELECT hash, at FROM chain ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return Head(row[0], row[1]) if row else None


def head_of_file(path: object) -> Head | None:
    """The head of the chain of the dataset file at ``path`` (None: no file, no chain)."""
    from pathlib import Path

    target = Path(str(path))
    if not target.exists():
        return None
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return head(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def date_ru(text: object) -> str:
    """An ISO date or moment as «27.11.2026» (a moment keeps its «14:05»)."""
    value = str(text or "")
    try:
        if len(value) > 10:
            return dt.datetime.fromisoformat(value).strftime("%d.%m.%Y %H:%M")
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


# ---------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------


@dataclass
class Verification:
    """What :func:`verify` found: problems in Russian (empty when intact) and since when."""

    problems: list[str] = field(default_factory=list)
    since: str = ""
    since_note: str = ""
    records: int = 0
    head: Head | None = None

    @property
    def intact(self) -> bool:
        """True when the chain and the tables agree."""
        return not self.problems

    def summary_ru(self) -> str:
        """The verdict in one Russian paragraph."""
        if self.head is None and not self.problems:
            return "История базы ещё не начата."
        if self.problems:
            return "Общая база изменена в обход программы:"
        return (f"Общая база цела: {self.records} записей истории сходятся с таблицами. "
                f"{self.since_note} Контрольная сумма: {self.head.short if self.head else ''}.")


def verify_file(path: object, *, limit: int = 20) -> Verification:
    """:func:`verify` of the dataset file at ``path`` (opened read-only, never changed)."""
    from pathlib import Path

    target = Path(str(path))
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return verify(conn, limit=limit)
    finally:
        conn.close()


def verify(conn: sqlite3.Connection, *, limit: int = 20) -> Verification:
    """Recompute the chain and compare the state it describes with the tables."""
    result = Verification()
    try:
        records = conn.execute(
            "SELECT id, kind, merge_id, at, note, rows, prev_hash, hash FROM chain ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:
        result.problems.append("В базе нет истории изменений: обновите программу и выполните "
                               "journal merge")
        return result
    result.records = len(records)
    if not records:
        return result
    first = records[0]
    result.head = Head(records[-1][7], records[-1][3])
    first_merge = next((r[3] for r in records if r[1] == "merge"), first[3])
    if first[4] == "upgrade":
        result.since = first[3]
        result.since_note = ("База создана прежней версией программы: история подтверждается "
                             f"начиная с {date_ru(first[3])}.")
    else:
        result.since = first_merge
        result.since_note = f"История подтверждается начиная с {date_ru(first_merge)}."

    expected: dict[str, dict[int, str | None]] = {t: {} for t in TRACKED}
    by_record: dict[int, list[tuple[str, int, str | None]]] = {}
    for chain_id, tbl, row_id, content in conn.execute(
            "SELECT chain_id, tbl, row_id, content FROM chain_rows ORDER BY id"):
        by_record.setdefault(chain_id, []).append((tbl, row_id, content))
        if tbl in expected:
            expected[tbl][row_id] = content
        else:
            result.problems.append(f"В истории есть запись о неизвестной таблице «{tbl}».")
    if not _links_hold(records, by_record, GENESIS, result, limit):
        return result

    describer = _Describer(conn, expected)
    for table in VERIFY_ORDER:
        actual = dict(conn.execute(_content_sql(table)).fetchall())
        want = expected[table]
        if not _rows_agree(table, sorted(set(want) | set(actual)), want, actual, describer, result,
                           limit):
            return result
    return result


def _rows_agree(table: str, row_ids: Iterable[int], want: dict[int, Any], actual: dict[int, Any],
                describer: Any, result: Verification, limit: int) -> bool:
    """Compare the rows ``row_ids`` of ``table`` as the history left them (``want``) with the
    table now (``actual``), adding a problem for each that differs; False at ``limit``."""
    for row_id in row_ids:
        old, new = want.get(row_id), actual.get(row_id)
        if old == new:
            continue
        result.problems.append(describer.describe(table, row_id, old, new))
        if len(result.problems) >= limit:
            return False
    return True


def _links_hold(records: Sequence[Any], by_record: dict[int, list[tuple[str, int, str | None]]],
                prev: str, result: Verification, limit: int) -> bool:
    """Check that each record continues the one before (starting from ``prev``) and that its
    rows still give its hash, adding a problem for each that does not; False once ``limit``
    problems are found."""
    for chain_id, kind, merge_id, at, note, count, prev_hash, digest in records:
        rows = by_record.get(chain_id, [])
        what = _record_ru(chain_id, kind, merge_id, at)
        if prev_hash != prev:
            result.problems.append(f"{what}: не продолжает предыдущую запись — история разорвана "
                                   "(запись удалена или вставлена).")
        elif len(rows) != count or _record_hash(prev, chain_id, kind, merge_id, at, note,
                                                rows) != digest:
            result.problems.append(f"{what}: изменена после записи (контрольная сумма не "
                                   "сходится).")
        prev = digest
        if len(result.problems) >= limit:
            return False
    return True


def _record_ru(chain_id: int, kind: str, merge_id: int | None, at: str) -> str:
    if kind == "merge":
        return f"Запись истории №{chain_id} (сборка №{merge_id} от {date_ru(at)})"
    if kind == "print":
        return f"Запись истории №{chain_id} (печать бумажной копии {date_ru(at)})"
    return f"Запись истории №{chain_id} (начало истории {date_ru(at)})"


class _Describer:
    """Names a row in Russian from the state the chain describes (else from the tables)."""

    def __init__(self, conn: sqlite3.Connection, expected: dict[str, dict[int, str | None]]):
        self.conn = conn
        self.expected = expected

    def _row(self, table: str, row_id: object) -> dict[str, object]:
        content = self.expected.get(table, {}).get(row_id)  # type: ignore[call-overload]
        if content is None:
            found = self.conn.execute(_content_sql(table, " WHERE rowid = ?"), (row_id,)).fetchone()
            content = found[1] if found else None
        if content is None:
            return {}
        return dict(zip(TRACKED[table], json.loads(content), strict=False))

    def student(self, student_id: object) -> str:
        row = self._row("students", student_id)
        return f"ученик {row['full_name']} ({row['class']})" if row else f"ученик №{student_id}"

    def lesson(self, lesson_id: object) -> str:
        row = self._row("lessons", lesson_id)
        if not row:
            return f"урок №{lesson_id}"
        group = f", группа {row['grp']}" if row.get("grp") else ""
        return f"предмет «{row['subject']}»{group}, урок {date_ru(row['date'])}"

    def subject_of(self, row: dict[str, object]) -> str:
        group = f", группа {row['grp']}" if row.get("grp") else ""
        return f"класс {row['class']}, предмет «{row['subject']}»{group}"

    def who(self, table: str, row: dict[str, object]) -> str:
        if table in ("marks", "attendance"):
            return f"{self.student(row['student_id'])}, {self.lesson(row['lesson_id'])}"
        if table == "final_marks":
            period = f" ({row['period']})" if row.get("period") else ""
            kind = FINAL_RU.get(str(row["kind"]), str(row["kind"]))
            return f"{self.student(row['student_id'])}, {self.subject_of(row)}, {kind}{period}"
        if table == "lessons":
            return f"{self.subject_of(row)}, урок {date_ru(row['date'])}"
        if table == "changes":
            date = f", урок {date_ru(row['lesson_date'])}" if row.get("lesson_date") else ""
            student = f", ученик {row['student']}" if row.get("student") else ""
            return (f"{CHANGE_RU.get(str(row['change']), row['change'])} "
                    f"{ENTITY_RU.get(str(row['entity']), row['entity'])}{student}, "
                    f"{self.subject_of(row)}{date}, было {_value(row['old_value'])}, стало "
                    f"{_value(row['new_value'])}, замечено {date_ru(row['detected_at'])}")
        if table == "merges":
            return f"сборка от {date_ru(row['started_at'])}"
        if table in ("student_groups", "parents", "absence_reasons", "notes"):
            return self.student(row["student_id"])
        if table == "students":
            return f"ученик {row['full_name']} ({row['class']})"
        if table == "events":
            where = f"класс {row['class']}" if row.get("class") else "вся школа"
            return f"событие {date_ru(row['date'])} «{row['title']}» ({where})"
        if table == "messages":
            to = f"ученику {row['student']}" if row.get("student") else "классу"
            return f"сообщение {date_ru(row['date'])} {to} {row['class']}"
        if table == "printed_copies":
            return f"копия {row['class']}, {row['period']}, версия {row['version']}"
        return ", ".join(f"{v}" for v in list(row.values())[:3])

    def describe(self, table: str, row_id: int, old: str | None, new: str | None) -> str:
        where = TABLE_RU.get(table, table)
        number = f"№{row_id} " if table == "merges" else ""
        if old is None and new is not None:
            row = dict(zip(TRACKED[table], json.loads(new), strict=False))
            return (f"{where}: запись {number}добавлена не программой — {self.who(table, row)}"
                    f"{_main_value(table, row)}.")
        if new is None and old is not None:
            row = dict(zip(TRACKED[table], json.loads(old), strict=False))
            return (f"{where}: запись {number}удалена не программой — {self.who(table, row)}"
                    f"{_main_value(table, row)}.")
        before = dict(zip(TRACKED[table], json.loads(old or "[]"), strict=False))
        after = dict(zip(TRACKED[table], json.loads(new or "[]"), strict=False))
        changed = [c for c in TRACKED[table] if before.get(c) != after.get(c)]
        diffs = "; ".join(f"{COLUMN_RU.get(c, 'поле «' + c + '»')}: было {_value(before.get(c))}, "
                          f"стало {_value(after.get(c))}" for c in changed)
        return f"{where}: запись {number}изменена не программой — {self.who(table, before)}: {diffs}."


def _main_value(table: str, row: dict[str, object]) -> str:
    if table in ("marks", "final_marks"):
        return f", отметка {_value(row['value'])}"
    if table == "attendance":
        return f", код {_value(row['code'])}"
    return ""


def _value(value: object) -> str:
    if value is None or value == "":
        return "пусто"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    text = str(value)
    if len(text) in (10, 19) and text[4:5] == "-" and text[7:8] == "-":
        return date_ru(text)
    return f"«{text}»" if len(text) > 0 and not text.isdigit() else text


# ---------------------------------------------------------------------------
# reading the chain for a push to the district database
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One record of the chain: its number, hash and moment."""

    id: int
    hash: str
    at: str


def last_record(conn: sqlite3.Connection) -> Record | None:
    """The newest record of the chain (None for a dataset without one)."""
    row = conn.execute("SELECT id, hash, at FROM chain ORDER BY id DESC LIMIT 1").fetchone()
    return Record(int(row[0]), row[1], row[2]) if row else None


def record(conn: sqlite3.Connection, chain_id: int) -> Record | None:
    """The record numbered ``chain_id``, or None."""
    row = conn.execute("SELECT id, hash, at FROM chain WHERE id = ?", (chain_id,)).fetchone()
    return Record(int(row[0]), row[1], row[2]) if row else None


def _first_row_after(conn: sqlite3.Connection, after: int) -> int:
    """The smallest ``chain_rows.id`` whose record is newer than ``after``.

    Rows are appended record after record, so their ids grow with ``chain_id``: a binary
    search over ids finds the boundary in a few look-ups (``chain_id`` has no index).
    """
    if after <= 0:
        return 0
    low, high = conn.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) + 1"
                             " FROM chain_rows").fetchone()
    while low < high:
        middle = (low + high) // 2
        found = conn.execute("SELECT chain_id FROM chain_rows WHERE id >= ? ORDER BY id LIMIT 1",
                             (middle,)).fetchone()
        if found is None or found[0] > after:
            high = middle
        else:
            low = middle + 1
    return int(low)


def contents_after(conn: sqlite3.Connection, after: int,
                   upto: int) -> dict[str, list[tuple[int, str | None]]]:
    """table → [(rowid, content: the JSON array of its tracked values, None for a removed
    row)] of every row that the records ``after`` < id ≤ ``upto`` touched, as the last of
    them left it, in rowid order."""
    latest: dict[tuple[str, int], str | None] = {}
    for tbl, row_id, content in conn.execute(
            "SELECT tbl, row_id, content FROM chain_rows WHERE id >= ? AND chain_id > ?"
            " AND chain_id <= ? ORDER BY id", (_first_row_after(conn, after), after, upto)):
        latest[(tbl, int(row_id))] = content
    found: dict[str, list[tuple[int, str | None]]] = {}
    for (tbl, row_id), content in sorted(latest.items(), key=lambda item: item[0]):
        found.setdefault(tbl, []).append((row_id, content))
    return found


def verify_since(conn: sqlite3.Connection, after: int, *, limit: int = 20) -> Verification:
    """Verify what the chain gained after record ``after`` (the whole chain when ``after`` is 0).

    Checked: record ``after`` exists; every newer record continues the one before it, starting
    from record ``after``'s hash, and its hash recomputed from its rows matches; every row
    those records touched is in its table exactly as the newest of them left it. Not checked
    (:func:`verify` does): the hashes of records up to ``after``, and rows no newer record
    touched. The caller compares record ``after``'s hash with the one it trusts.
    """
    if after <= 0:
        return verify(conn, limit=limit)
    result = Verification()
    try:
        records = conn.execute("SELECT id, kind, merge_id, at, note, rows, prev_hash, hash"
                               " FROM chain WHERE id >= ? ORDER BY id", (after,)).fetchall()
    except sqlite3.OperationalError:
        result.problems.append("В базе нет истории изменений: обновите программу и выполните "
                               "journal merge")
        return result
    if not records or records[0][0] != after:
        result.problems.append(f"Запись истории №{after} удалена — история разорвана.")
        return result
    result.records = len(records) - 1
    result.head = Head(records[-1][7], records[-1][3])
    by_record: dict[int, list[tuple[str, int, str | None]]] = {}
    expected: dict[str, dict[int, str | None]] = {}
    for chain_id, tbl, row_id, content in conn.execute(
            "SELECT chain_id, tbl, row_id, content FROM chain_rows WHERE id >= ? AND chain_id > ?"
            " ORDER BY id", (_first_row_after(conn, after), after)):
        by_record.setdefault(chain_id, []).append((tbl, row_id, content))
        if tbl in TRACKED:
            expected.setdefault(tbl, {})[row_id] = content
        else:
            result.problems.append(f"В истории есть запись о неизвестной таблице «{tbl}».")
    if not _links_hold(records[1:], by_record, records[0][7], result, limit):
        return result

    describer = _Describer(conn, expected)
    for table in VERIFY_ORDER:
        want = expected.get(table)
        if not want:
            continue
        actual = dict(conn.execute(_content_sql(
            table, " WHERE rowid IN (SELECT value FROM json_each(?))"),
            (json.dumps(sorted(want)),)).fetchall())
        if not _rows_agree(table, sorted(want), want, actual, describer, result, limit):
            return result
    return result
