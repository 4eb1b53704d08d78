"""The central dataset: every read and write of ``journal.sqlite`` goes through here.

Keeping all SQL access in one module lets a district office later put the same
tables on another database. The schema lives in numbered migrations
(``journal/dataset/migrations/NNN_name.sql``) and is documented in ``docs/dataset.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.errors import StoreBusyError, StoreError
from journal.dataset import chain
from journal.school.folder import DATASET_BACKUPS_DIR

if TYPE_CHECKING:  # pandas is imported by the first frame read, not by a merge
    import pandas as pd


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("journal.dataset.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[4:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(v for v, _, _ in migrations())


# SQLite's page cache per connection (its default is 2 MiB): a district-size dataset of
# several GiB has index pages (marks by student, lessons by class) all over the file, and
# every workbook written touches some of them.
CACHE_KIB = 64 * 1024


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the dataset; a writable one is created and migrated to the current schema."""
    path = Path(path)
    try:
        if readonly:
            if not path.exists():
                raise StoreError(
                    f"Общая база «{path}» ещё не создана: сначала выполните journal merge"
                )
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    except sqlite3.Error as exc:
        raise StoreError(f"Не удалось открыть общую базу «{path}»: {exc}") from exc
    if not readonly:
        try:
            migrate(conn, backup_dir=path.parent / DATASET_BACKUPS_DIR)
        except StoreError:
            conn.close()
            raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version the dataset is at (0 for an empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, backup_dir: Path | None = None) -> Path | None:
    """Apply every migration newer than the dataset, each in its own transaction.

    A dataset that already holds data (schema version above 0) is first copied into
    ``backup_dir``; a failing migration is rolled back, and the error names the copy.
    Returns the backup's path, or None when nothing had to be backed up.
    """
    current = schema_version(conn)
    pending = [m for m in migrations() if m[0] > current]
    if not pending:
        return None
    backup = None
    if current > 0 and backup_dir is not None:
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H-%M-%S")
        backup = backup_dir / f"journal-v{current}-{stamp}.sqlite"
        target = sqlite3.connect(backup)
        try:
            conn.backup(target)
        finally:
            target.close()
    for version, _name, sql in pending:
        try:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            kept = f" Копия базы до обновления: {backup}" if backup else ""
            raise StoreError(
                f"Не удалось обновить схему общей базы до версии {version}: {exc}. "
                f"База осталась в прежнем виде.{kept}") from exc
    if current < CHAIN_VERSION <= schema_version(conn):
        conn.execute("BEGIN")
        chain.start(conn, "upgrade" if current > 0 else "new")
        conn.execute("COMMIT")
    return backup


CHAIN_VERSION = 4  # the migration that started the hash-chained history


def _statements(sql: str) -> Iterator[str]:
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        yield buffer


@contextmanager
def opened(path: str | Path, *, readonly: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection that is closed afterwards."""
    conn = connect(path, readonly=readonly)
    try:
        yield conn
    finally:
        conn.close()


def read_sql(conn: sqlite3.Connection, sql: str, params: tuple | dict = ()) -> pd.DataFrame:
    """Run a query and return a DataFrame."""
    import pandas as pd

    return pd.read_sql_query(sql, conn, params=params)


def read_table(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """A whole table or view as a DataFrame."""
    if not name.replace("_", "").isalnum():
        raise StoreError(f"Недопустимое имя таблицы: {name}")
    return read_sql(conn, f"SELECT * FROM {name}")


def now_text(moment: dt.datetime | None = None) -> str:
    """A moment as the dataset stores it: local ISO text to the second."""
    return (moment or dt.datetime.now()).replace(microsecond=0).isoformat(sep=" ")


# ---------------------------------------------------------------------------
# Read side of the letters to parents (journal.documents.letters).
# ---------------------------------------------------------------------------


def letter_classes(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every class of the dataset: name, grade, letter, class_teacher."""
    return read_sql(conn, "SELECT name, grade, letter, class_teacher FROM classes")


def letter_students(conn: sqlite3.Connection, class_name: str) -> pd.DataFrame:
    """The students ever on a class's list (id, full_name, joined, left_on), by name."""
    return read_sql(
        conn,
        "SELECT id, full_name, joined, left_on FROM students WHERE class = ? ORDER BY full_name",
        (class_name,),
    )


def letter_marks(conn: sqlite3.Connection, class_name: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The ``v_marks`` rows of a class from ``start`` to ``end`` (both included), by date."""
    return read_sql(
        conn,
        "SELECT class, student_id, subject, grp, date, seq, kind, value, weight, teacher, position "
        "FROM v_marks WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq, position",
        (class_name, start.isoformat(), end.isoformat()),
    )


def letter_final_marks(conn: sqlite3.Connection, class_name: str) -> pd.DataFrame:
    """Every period, year, exam and final mark of a class (``v_final_marks``)."""
    return read_sql(
        conn,
        "SELECT student_id, subject, grp, kind, period, value FROM v_final_marks WHERE class = ?",
        (class_name,),
    )


def letter_lessons(conn: sqlite3.Connection, class_name: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """A class's lessons from ``start`` to ``end`` with their topic and homework, by date."""
    return read_sql(
        conn,
        "SELECT subject, grp, date, seq, topic, homework, teacher, substitute FROM lessons "
        "WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq",
        (class_name, start.isoformat(), end.isoformat()),
    )


def letter_attendance(conn: sqlite3.Connection, class_name: str, start: dt.date,
                      end: dt.date) -> pd.DataFrame:
    """A class's absences and late arrivals (``v_attendance``) from ``start`` to ``end``, by date."""
    return read_sql(
        conn,
        "SELECT student_id, subject, date, seq, reason FROM v_attendance "
        "WHERE class = ? AND date BETWEEN ? AND ? ORDER BY date, seq",
        (class_name, start.isoformat(), end.isoformat()),
    )


def letter_student_groups(conn: sqlite3.Connection, class_name: str) -> pd.DataFrame:
    """(student_id, subject, grp) of the students of a class placed in a group."""
    return read_sql(
        conn,
        "SELECT g.student_id, g.subject, g.grp FROM student_groups g "
        "JOIN students s ON s.id = g.student_id WHERE s.class = ?",
        (class_name,),
    )


def letter_parents(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every parent (student_id, full_name, email), in the order the class workbooks give them."""
    return read_sql(conn, "SELECT student_id, full_name, email FROM parents ORDER BY id")


def letter_notes(conn: sqlite3.Connection) -> pd.DataFrame:
    """The class teachers' notes to parents (student_id, text)."""
    return read_sql(conn, "SELECT student_id, text FROM notes")


# ---------------------------------------------------------------------------
# Write side: used by journal.intake.merge only.
# ---------------------------------------------------------------------------

LessonKeyText = tuple[str, int]  # (ISO date, seq)


@contextmanager
def transaction(conn: sqlite3.Connection, chain_kind: str = "merge") -> Iterator[sqlite3.Connection]:
    """One write transaction: committed when the block ends, rolled back on any exception.

    What it wrote is appended to the hash-chained history (``journal.dataset.chain``)
    in the same transaction, as a record of ``chain_kind`` (merge, print).

    :class:`StoreBusyError` when another program keeps the dataset locked.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusyError(
                "Общая база занята: её сейчас записывает другая программа (возможно, ещё идёт "
                "другой сбор журналов). Дождитесь окончания и повторите") from exc
        raise StoreError(f"Не удалось начать запись в общую базу: {exc}") from exc
    try:
        chain.forget_touched(conn)
        yield conn
        chain.append(conn, kind=chain_kind)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def merge_started_at(conn: sqlite3.Connection, merge_id: int) -> str:
    """When merge ``merge_id`` started (its stamp: what ``first_seen`` of new rows says)."""
    row = conn.execute("SELECT started_at FROM merges WHERE id = ?", (merge_id,)).fetchone()
    return str(row[0]) if row else ""


def begin_merge(conn: sqlite3.Connection, started_at: str, tool_version: str) -> int:
    """Insert the row of a new merge and return its id (committed at once)."""
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO merges (started_at, tool_version) VALUES (?, ?)", (started_at, tool_version)
        )
    return int(cur.lastrowid or 0)


def finish_merge(conn: sqlite3.Connection, merge_id: int, finished_at: str, files_json: str,
                 counts: dict[str, int]) -> None:
    """Record when a merge finished, its files and how many were merged, unchanged, …"""
    with transaction(conn):
        conn.execute(
            "UPDATE merges SET finished_at = ?, files = ?, merged = ?, unchanged = ?, rejected = ?,"
            " held = ? WHERE id = ?",
            (finished_at, files_json, counts.get("merged", 0), counts.get("unchanged", 0),
             counts.get("rejected", 0), counts.get("held", 0), merge_id),
        )


def record_merge_file(conn: sqlite3.Connection, merge_id: int, row: dict[str, object],
                      findings: list[dict[str, object]] | None) -> None:
    """One row of ``merge_files``; ``findings`` (when given) replace the file's stored findings."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO merge_files (merge_id, file, sha256, kind, class, subject, grp, teacher,"
            " status, errors, warnings, changes) VALUES (:merge_id, :file, :sha256, :kind, :class,"
            " :subject, :grp, :teacher, :status, :errors, :warnings, :changes)",
            {"merge_id": merge_id, **row},
        )
        if findings is not None:
            conn.execute("DELETE FROM findings WHERE file = ?", (row["file"],))
            conn.executemany(
                "INSERT INTO findings (merge_id, file, code, severity, sheet, cell, student, date,"
                " teacher, message) VALUES (:merge_id, :file, :code, :severity, :sheet, :cell,"
                " :student, :date, :teacher, :message)",
                [{**f, "merge_id": merge_id, "file": row["file"]} for f in findings],
            )


def stored_findings(conn: sqlite3.Connection, file: str) -> list[dict[str, object]]:
    """The findings stored for a file by the last merge that read it."""
    cur = conn.execute(
        "SELECT code, severity, message, file, sheet, cell, student, date, teacher"
        " FROM findings WHERE file = ? ORDER BY id", (file,)
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def last_file_rows(conn: sqlite3.Connection) -> dict[str, dict[str, object]]:
    """file → its row in ``merge_files`` of the last merge that listed it."""
    cur = conn.execute(
        "SELECT file, sha256, status, kind, class, subject, grp, teacher FROM merge_files"
        " WHERE id IN (SELECT max(id) FROM merge_files GROUP BY file)")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def workbook_row(conn: sqlite3.Connection, kind: str, class_name: str, subject: str = "",
                 group: str = "") -> dict[str, object] | None:
    """The last accepted version of a workbook, or None."""
    cur = conn.execute(
        "SELECT id, kind, class, subject, grp, teacher, file, sha256, first_merge_id, last_merge_id"
        " FROM workbooks WHERE kind = ? AND class = ? AND subject = ? AND grp = ?",
        (kind, class_name, subject, group),
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def accepted_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """file → sha256 of every workbook's last accepted version."""
    return {file: sha for file, sha in conn.execute("SELECT file, sha256 FROM workbooks")}


def save_workbook_row(conn: sqlite3.Connection, *, kind: str, class_name: str, subject: str,
                      group: str, teacher: str, file: str, sha256: str, merge_id: int) -> None:
    """Record the accepted version of a workbook (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO workbooks (kind, class, subject, grp, teacher, file, sha256, first_merge_id,"
        " last_merge_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (kind, class, subject, grp) DO UPDATE SET teacher = excluded.teacher,"
        " file = excluded.file, sha256 = excluded.sha256, last_merge_id = excluded.last_merge_id",
        (kind, class_name, subject, group, teacher, file, sha256, merge_id, merge_id),
    )


def class_students(conn: sqlite3.Connection, class_name: str) -> dict[str, dict[str, object]]:
    """full name → {id, birth_date, joined, left_on} for a class."""
    cur = conn.execute(
        "SELECT id, full_name, birth_date, joined, left_on FROM students WHERE class = ?",
        (class_name,),
    )
    return {name: {"id": sid, "birth_date": b, "joined": j, "left_on": lo}
            for sid, name, b, j, lo in cur.fetchall()}


def upsert_class(conn: sqlite3.Connection, name: str, grade: int, letter: str,
                 class_teacher: str) -> None:
    """Insert or update a class row (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO classes (name, grade, letter, class_teacher) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET grade = excluded.grade, letter = excluded.letter,"
        " class_teacher = excluded.class_teacher",
        (name, grade, letter, class_teacher),
    )


def replace_class_list(conn: sqlite3.Connection, class_name: str,
                       students: list[dict[str, object]], groups: list[tuple[str, str, str]],
                       parents: list[dict[str, object]], reasons: list[dict[str, object]],
                       notes: dict[str, str]) -> None:
    """Make the class's students, groups, parents, absence reasons and notes what is given.

    ``students``: {full_name, birth_date, joined, left_on}; ``groups``: (student, subject, grp);
    ``parents``: {student, full_name, phone, email}; ``reasons``: {student, start_date,
    end_date, code, document}; ``notes``: student → text. Students who left the list are
    deleted unless marks, attendance or final marks refer to them (then they stay, so the
    history keeps its names). Runs inside the caller's transaction.
    """
    conn.executemany(
        "INSERT INTO students (class, full_name, birth_date, joined, left_on)"
        " VALUES (:class, :full_name, :birth_date, :joined, :left_on)"
        " ON CONFLICT (class, full_name) DO UPDATE SET birth_date = excluded.birth_date,"
        " joined = excluded.joined, left_on = excluded.left_on",
        [{"class": class_name, **s} for s in students],
    )
    ids: dict[object, object] = {
        name: row["id"] for name, row in class_students(conn, class_name).items()}
    listed = {str(s["full_name"]) for s in students}
    class_ids = [(sid,) for sid in ids.values()]
    for table in ("student_groups", "parents", "absence_reasons", "notes"):
        conn.executemany(f"DELETE FROM {table} WHERE student_id = ?", class_ids)
    gone = [(sid,) for name, sid in ids.items() if name not in listed]
    conn.executemany(
        "DELETE FROM students WHERE id = ?"
        " AND NOT EXISTS (SELECT 1 FROM marks WHERE student_id = students.id)"
        " AND NOT EXISTS (SELECT 1 FROM attendance WHERE student_id = students.id)"
        " AND NOT EXISTS (SELECT 1 FROM final_marks WHERE student_id = students.id)",
        gone,
    )
    conn.executemany(
        "INSERT INTO student_groups (student_id, subject, grp) VALUES (?, ?, ?)",
        [(ids[s], subject, grp) for s, subject, grp in groups if s in ids],
    )
    conn.executemany(
        "INSERT INTO parents (student_id, full_name, phone, email) VALUES (?, ?, ?, ?)",
        [(ids[str(p["student"])], p["full_name"], p["phone"], p["email"])
         for p in parents if p["student"] in ids],
    )
    conn.executemany(
        "INSERT INTO absence_reasons (student_id, start_date, end_date, code, document)"
        " VALUES (?, ?, ?, ?, ?)",
        [(ids[str(r["student"])], r["start_date"], r["end_date"], r["code"], r["document"])
         for r in reasons if r["student"] in ids],
    )
    conn.executemany(
        "INSERT INTO notes (student_id, text) VALUES (?, ?)",
        [(ids[s], text) for s, text in notes.items() if s in ids],
    )


def add_students(conn: sqlite3.Connection, class_name: str, names: list[str]) -> None:
    """Add students known only from a subject workbook (a class with no class list yet)."""
    conn.executemany(
        "INSERT OR IGNORE INTO students (class, full_name) VALUES (?, ?)",
        [(class_name, n) for n in names],
    )


def apply_absence_reasons(conn: sqlite3.Connection, class_name: str,
                          subject_key: tuple[str, str] | None = None) -> None:
    """Set ``attendance.reason`` of a class from its absence reasons — of the lessons of one
    subject and group (``subject_key``) only, when only that workbook's absences changed.

    A reason covering the lesson's date replaces the subject teacher's code, except that a
    lateness mark (О) stays О; with no reason the teacher's code is kept.
    """
    lessons = "SELECT id FROM lessons WHERE class = ?"
    args: tuple[str, ...] = (class_name,)
    if subject_key is not None:
        lessons, args = lessons + " AND subject = ? AND grp = ?", (class_name, *subject_key)
    conn.execute(
        "UPDATE attendance SET reason = CASE WHEN code = 'О' THEN code ELSE COALESCE(("
        "  SELECT r.code FROM absence_reasons r JOIN lessons l ON l.id = attendance.lesson_id"
        "  WHERE r.student_id = attendance.student_id AND l.date BETWEEN r.start_date AND r.end_date"
        f"  ORDER BY r.id DESC LIMIT 1), code) END WHERE lesson_id IN ({lessons})",
        args,
    )


def subject_state(conn: sqlite3.Connection, class_name: str, subject: str,
                  group: str) -> dict[str, dict]:
    """What the dataset holds for one subject workbook, keyed for comparison.

    ``lessons``: (date, seq) → row dict; ``marks``: (student, date, seq, position) → row dict;
    ``attendance``: (student, date, seq) → row dict; ``finals``: (student, kind, period) → row.
    """
    key = (class_name, subject, group)
    state: dict[str, dict] = {}
    cur = conn.execute(
        "SELECT id, date, seq, period, kind, topic, homework, teacher, substitute,"
        " topic_first_seen, homework_first_seen FROM lessons"
        " WHERE class = ? AND subject = ? AND grp = ?", key)
    names = [d[0] for d in cur.description]
    state["lessons"] = {(r[1], r[2]): dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    cur = conn.execute(
        "SELECT m.id, s.full_name, l.date, l.seq, m.position, m.value, m.weight, m.cell,"
        " m.first_seen, m.last_seen FROM marks m JOIN lessons l ON l.id = m.lesson_id"
        " JOIN students s ON s.id = m.student_id WHERE l.class = ? AND l.subject = ? AND l.grp = ?",
        key)
    names = [d[0] for d in cur.description]
    state["marks"] = {(r[1], r[2], r[3], r[4]): dict(zip(names, r, strict=True))
                      for r in cur.fetchall()}
    cur = conn.execute(
        "SELECT a.id, s.full_name, l.date, l.seq, a.code, a.cell, a.first_seen, a.last_seen"
        " FROM attendance a JOIN lessons l ON l.id = a.lesson_id"
        " JOIN students s ON s.id = a.student_id WHERE l.class = ? AND l.subject = ? AND l.grp = ?",
        key)
    names = [d[0] for d in cur.description]
    state["attendance"] = {(r[1], r[2], r[3]): dict(zip(names, r, strict=True))
                           for r in cur.fetchall()}
    cur = conn.execute(
        "SELECT f.id, s.full_name, f.kind, f.period, f.value, f.cell, f.first_seen, f.last_seen"
        " FROM final_marks f JOIN students s ON s.id = f.student_id"
        " WHERE f.class = ? AND f.subject = ? AND f.grp = ?", key)
    names = [d[0] for d in cur.description]
    state["finals"] = {(r[1], r[2], r[3]): dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    return state


def write_subject(conn: sqlite3.Connection, plan: SubjectPlan) -> None:
    """Carry out a subject workbook's plan (inside the caller's transaction)."""
    cls, subject, grp = plan.key
    insert_rows(
        conn,
        "INSERT INTO lessons (class, subject, grp, date, seq, period, kind, topic, homework,"
        " teacher, substitute, topic_first_seen, homework_first_seen)",
        [(cls, subject, grp, row["date"], row["seq"], row["period"], row["kind"], row["topic"],
          row["homework"], row["teacher"], row["substitute"], row["topic_first_seen"],
          row["homework_first_seen"]) for row in plan.lessons],
        " ON CONFLICT (class, subject, grp, date, seq) DO UPDATE SET period = excluded.period,"
        " kind = excluded.kind, topic = excluded.topic, homework = excluded.homework,"
        " teacher = excluded.teacher, substitute = excluded.substitute,"
        " topic_first_seen = excluded.topic_first_seen,"
        " homework_first_seen = excluded.homework_first_seen",
    )
    lesson_ids = {(d, s): i for i, d, s in conn.execute(
        "SELECT id, date, seq FROM lessons WHERE class = ? AND subject = ? AND grp = ?", plan.key)}
    student_ids: dict[object, object] = {
        name: row["id"] for name, row in class_students(conn, cls).items()}

    conn.executemany("DELETE FROM marks WHERE id = ?", [(i,) for i in plan.mark_deletes])
    conn.executemany("DELETE FROM attendance WHERE id = ?",
                     [(i,) for i in plan.attendance_deletes])
    conn.executemany("DELETE FROM final_marks WHERE id = ?", [(i,) for i in plan.final_deletes])
    conn.executemany(
        "UPDATE marks SET value = :value, weight = :weight, cell = :cell, first_seen = :first_seen,"
        " last_seen = :last_seen WHERE id = :id", plan.mark_updates)
    insert_rows(
        conn,
        "INSERT INTO marks (lesson_id, student_id, position, value, weight, cell, first_seen,"
        " last_seen, first_merge_id)",
        [(lesson_ids[(date, seq)], student_ids[student], position, value, weight, cell,
          first_seen, last_seen, plan.merge_id)
         for student, date, seq, position, value, weight, cell, first_seen, last_seen
         in plan.mark_inserts],
    )
    conn.executemany(
        "UPDATE attendance SET code = :code, cell = :cell, first_seen = :first_seen,"
        " last_seen = :last_seen WHERE id = :id", plan.attendance_updates)
    insert_rows(
        conn,
        "INSERT INTO attendance (lesson_id, student_id, code, reason, cell, first_seen, last_seen)",
        [(lesson_ids[(a["date"], a["seq"])], student_ids[a["student"]], a["code"], a["code"],
          a["cell"], a["first_seen"], a["last_seen"]) for a in plan.attendance_inserts],
    )
    conn.executemany(
        "UPDATE final_marks SET value = :value, cell = :cell, first_seen = :first_seen,"
        " last_seen = :last_seen WHERE id = :id", plan.final_updates)
    insert_rows(
        conn,
        "INSERT INTO final_marks (class, subject, grp, student_id, kind, period, value, cell,"
        " first_seen, last_seen)",
        [(cls, subject, grp, student_ids[f["student"]], f["kind"], f["period"], f["value"],
          f["cell"], f["first_seen"], f["last_seen"]) for f in plan.final_inserts],
    )
    conn.executemany(
        "DELETE FROM lessons WHERE class = ? AND subject = ? AND grp = ? AND date = ? AND seq = ?",
        [(cls, subject, grp, d, s) for d, s in plan.lesson_deletes],
    )
    insert_changes(conn, plan.changes)
    apply_absence_reasons(conn, cls, (subject, grp))


# Rows one INSERT statement carries at most. One statement for many rows keeps SQLite's
# cursors on the table and its indexes open from row to row; a statement a row (executemany)
# opens them again each time: a year workbook's ~1,830 marks take 3.6 ms instead of 4.6 ms
# in a merge's dataset (2.9 instead of 4.4 ms in memory).
BATCH_ROWS = 256


def insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[Sequence[object]],
                tail: str = "") -> None:
    """Run ``head VALUES (…), (…) tail`` for ``rows``, in order (so rowids follow them).

    The rows go in batches whose sizes are powers of two, so that the few distinct
    statements stay in the connection's statement cache; a batch binds no more parameters
    than the SQLite library allows.
    """
    if not rows:
        return
    width = len(rows[0])
    most = max(1, min(BATCH_ROWS, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    start = 0
    while start < len(rows):
        size = 1 << (min(most, len(rows) - start).bit_length() - 1)
        batch = rows[start:start + size]
        conn.execute(_values_sql(head, tail, width, size), list(itertools.chain.from_iterable(batch)))
        start += size


@functools.lru_cache(maxsize=64)
def _values_sql(head: str, tail: str, width: int, size: int) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return f"{head} VALUES {', '.join([row] * size)}{tail}"


def insert_changes(conn: sqlite3.Connection, changes: list[dict[str, object]]) -> None:
    """Insert rows of ``changes`` (inside the caller's transaction)."""
    conn.executemany(
        "INSERT INTO changes (merge_id, detected_at, change, entity, class, subject, grp, teacher,"
        " student_id, student, lesson_date, seq, kind, period, old_value, new_value, first_seen,"
        " last_seen, days_late, file, cell) VALUES (:merge_id, :detected_at, :change, :entity,"
        " :class, :subject, :grp, :teacher, (SELECT id FROM students WHERE class = :class AND"
        " full_name = :student), :student, :lesson_date, :seq, :kind, :period, :old_value,"
        " :new_value, :first_seen, :last_seen, :days_late, :file, :cell)",
        changes,
    )


def stored_messages(conn: sqlite3.Connection, class_name: str, subject: str,
                    group: str) -> list[dict[str, object]]:
    """The merged messages of one workbook (the class teacher's: subject and group '')."""
    return _dict_rows(conn, "SELECT id, date, student, seq, text, first_seen FROM messages"
                            " WHERE class = ? AND subject = ? AND grp = ? ORDER BY id",
                      (class_name, subject, group))


def write_messages(conn: sqlite3.Connection, inserts: list[dict[str, object]],
                   updates: list[dict[str, object]], deletes: list[int]) -> None:
    """Insert, update (text, first_seen, cell, author by id) and delete messages (inside the
    caller's transaction)."""
    conn.executemany("DELETE FROM messages WHERE id = ?", [(i,) for i in deletes])
    conn.executemany("UPDATE messages SET text = :text, first_seen = :first_seen, cell = :cell,"
                     " author = :author WHERE id = :id", updates)
    conn.executemany(
        "INSERT INTO messages (class, subject, grp, author, student, date, seq, text, first_seen, cell)"
        " VALUES (:class, :subject, :grp, :author, :student, :date, :seq, :text, :first_seen, :cell)",
        inserts)


def stored_events(conn: sqlite3.Connection, source: str, class_name: str | None) -> list[dict[str, object]]:
    """The merged events of a source: ``settings`` (``class_name`` None: every class) or one
    class's workbook (``class``)."""
    if class_name is None:
        return _dict_rows(conn, "SELECT id, class, date, title FROM events WHERE source = ?", (source,))
    return _dict_rows(conn, "SELECT id, class, date, title FROM events WHERE source = ? AND class = ?",
                      (source, class_name))


def write_events(conn: sqlite3.Connection, inserts: list[dict[str, object]], deletes: list[int]) -> None:
    """Insert and delete events (inside the caller's transaction)."""
    conn.executemany("DELETE FROM events WHERE id = ?", [(i,) for i in deletes])
    conn.executemany("INSERT INTO events (source, class, date, title, first_seen)"
                     " VALUES (:source, :class, :date, :title, :first_seen)", inserts)


def _dict_rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> list[dict[str, object]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def class_events_and_messages(conn: sqlite3.Connection, class_name: str, start: dt.date | None = None,
                              end: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The events a class's families see (the whole school's and the class's: ``date``,
    ``title``, ``class``, ``first_seen``) and the messages to the class or its students
    (``date``, ``subject``, ``author``, ``student``, ``text``, ``first_seen``), optionally
    between ``start`` and ``end``."""
    span = "" if start is None or end is None else " AND date BETWEEN ? AND ?"
    dates: tuple[object, ...] = () if start is None or end is None else (start.isoformat(), end.isoformat())
    return {
        "events": read_sql(conn, "SELECT date, title, class, first_seen FROM events"
                                 f" WHERE (class = '' OR class = ?){span} ORDER BY date, id",
                           (class_name, *dates)),
        "messages": read_sql(conn, "SELECT date, subject, grp, author, student, text, first_seen"
                                   f" FROM messages WHERE class = ?{span} ORDER BY date, id",
                             (class_name, *dates)),
    }


MarkInsert = tuple[str, str, int, int, int, float, str, str, str]
"""A mark to insert: (student, the lesson's ISO date, seq, position, value, weight, cell,
first_seen, last_seen). A plain tuple: a year workbook's first merge has ~1,900 of them, and a
named tuple costs three times as much to pickle from the worker that planned it."""


@dataclass
class SubjectPlan:
    """What merging one subject workbook will write: computed by journal.intake.merge, run here."""

    key: tuple[str, str, str]
    merge_id: int
    lessons: list[dict[str, object]] = field(default_factory=list)
    lesson_deletes: list[LessonKeyText] = field(default_factory=list)
    mark_inserts: list[MarkInsert] = field(default_factory=list)
    mark_updates: list[dict[str, object]] = field(default_factory=list)
    mark_deletes: list[int] = field(default_factory=list)
    attendance_inserts: list[dict[str, object]] = field(default_factory=list)
    attendance_updates: list[dict[str, object]] = field(default_factory=list)
    attendance_deletes: list[int] = field(default_factory=list)
    final_inserts: list[dict[str, object]] = field(default_factory=list)
    final_updates: list[dict[str, object]] = field(default_factory=list)
    final_deletes: list[int] = field(default_factory=list)
    changes: list[dict[str, object]] = field(default_factory=list)


def dump(conn: sqlite3.Connection) -> list[str]:
    """Every statement that recreates the dataset (to compare two states in tests)."""
    return list(conn.iterdump())


def workbook_by_file(conn: sqlite3.Connection, file: str) -> dict[str, object] | None:
    """The accepted workbook row whose file is ``file``, or None."""
    cur = conn.execute("SELECT kind, class, subject, grp, teacher, sha256 FROM workbooks"
                       " WHERE file = ?", (file,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def changes_of_merge(conn: sqlite3.Connection, merge_id: int) -> list[dict[str, object]]:
    """The rows of ``changes`` one merge added."""
    cur = conn.execute("SELECT * FROM changes WHERE merge_id = ? ORDER BY id", (merge_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def last_observed(conn: sqlite3.Connection, kind: str, class_name: str, subject: str,
                  group: str) -> str | None:
    """When a workbook was last observed: merged, or found unchanged by ``journal merge``."""
    row = conn.execute(
        "SELECT max(started_at) FROM merges WHERE id IN ("
        " SELECT last_merge_id FROM workbooks WHERE kind = ? AND class = ? AND subject = ?"
        " AND grp = ? UNION SELECT merge_id FROM merge_files WHERE kind = ? AND class = ?"
        " AND subject = ? AND grp = ? AND status IN ('merged', 'unchanged'))",
        (kind, class_name, subject, group, kind, class_name, subject, group),
    ).fetchone()
    return row[0] if row else None


def set_settings_hash(conn: sqlite3.Connection, merge_id: int, settings_hash: str) -> None:
    """Record the fingerprint of the settings a merge used."""
    with transaction(conn):
        conn.execute("UPDATE merges SET settings_hash = ? WHERE id = ?", (settings_hash, merge_id))


def last_settings_hash(conn: sqlite3.Connection, before_merge: int) -> str | None:
    """The settings fingerprint of the last finished merge before ``before_merge``."""
    row = conn.execute(
        "SELECT settings_hash FROM merges WHERE id < ? AND finished_at IS NOT NULL"
        " ORDER BY id DESC LIMIT 1", (before_merge,)).fetchone()
    return row[0] if row else None


def class_groups(conn: sqlite3.Connection, class_name: str) -> dict[str, dict[str, str]]:
    """full name → {subject: group} for the students of a class."""
    found: dict[str, dict[str, str]] = {}
    for name, subject, grp in conn.execute(
            "SELECT s.full_name, g.subject, g.grp FROM student_groups g"
            " JOIN students s ON s.id = g.student_id WHERE s.class = ?", (class_name,)):
        found.setdefault(name, {})[subject] = grp
    return found


# -- paper copies of the journal (journal.documents.copies) ------------------------------


def class_names_in_data(conn: sqlite3.Connection) -> list[str]:
    """Every class name as spelt in the students and lessons tables («5А», «5 А» …)."""
    rows = conn.execute("SELECT DISTINCT class FROM students UNION SELECT DISTINCT class FROM lessons")
    return [r[0] for r in rows]


@dataclass(frozen=True)
class ClassPeriodTables:
    """The rows of one class (under any of its spellings) for one period, as DataFrames.

    ``year_finals`` (year, exam and final marks) is None unless asked for.
    """

    students: pd.DataFrame  # id, full_name, joined, left_on
    groups: pd.DataFrame  # student_id, subject, grp
    lessons: pd.DataFrame  # id, subject, grp, date, seq, kind, topic, homework, teacher, substitute
    marks: pd.DataFrame  # lesson_id, student_id, position, value
    absences: pd.DataFrame  # lesson_id, student_id, code, reason
    finals: pd.DataFrame  # subject, grp, student_id, value (period marks)
    year_finals: pd.DataFrame | None  # subject, grp, student_id, kind, value


def class_period_tables(conn: sqlite3.Connection, class_names: list[str], start: dt.date, end: dt.date,
                        period_name: str, *, with_year_finals: bool) -> ClassPeriodTables:
    """The students, groups, lessons, marks, absences and final marks a paper copy shows.

    Lessons (and their marks and absences) are those dated ``start`` … ``end``; period
    marks those of ``period_name``; year marks are read only ``with_year_finals``.
    """
    holders = ",".join("?" * len(class_names))
    names = tuple(class_names)
    span = (start.isoformat(), end.isoformat())
    students = read_sql(
        conn, f"SELECT id, full_name, joined, left_on FROM students WHERE class IN ({holders})", names)
    groups = read_sql(
        conn, f"SELECT g.student_id, g.subject, g.grp FROM student_groups g JOIN students s "
              f"ON s.id = g.student_id WHERE s.class IN ({holders})", names)
    lessons = read_sql(
        conn, f"SELECT id, subject, grp, date, seq, kind, topic, homework, teacher, substitute "
              f"FROM lessons WHERE class IN ({holders}) AND date BETWEEN ? AND ? "
              f"ORDER BY date, seq", (*names, *span))
    marks = read_sql(
        conn, f"SELECT m.lesson_id, m.student_id, m.position, m.value FROM marks m "
              f"JOIN lessons l ON l.id = m.lesson_id WHERE l.class IN ({holders}) "
              f"AND l.date BETWEEN ? AND ? ORDER BY m.position", (*names, *span))
    absences = read_sql(
        conn, f"SELECT a.lesson_id, a.student_id, a.code, a.reason FROM attendance a "
              f"JOIN lessons l ON l.id = a.lesson_id WHERE l.class IN ({holders}) "
              f"AND l.date BETWEEN ? AND ?", (*names, *span))
    finals = read_sql(
        conn, f"SELECT subject, grp, student_id, value FROM final_marks WHERE class IN ({holders}) "
              f"AND kind = 'period' AND period = ?", (*names, period_name))
    year_finals = read_sql(
        conn, f"SELECT subject, grp, student_id, kind, value FROM final_marks WHERE class IN ({holders}) "
              f"AND kind IN ('year', 'exam', 'final')", names) if with_year_finals else None
    return ClassPeriodTables(students, groups, lessons, marks, absences, finals, year_finals)


def printed_copies_mark(conn: sqlite3.Connection) -> str:
    """How many paper copies are registered and the newest one's id («count:id»), to tell
    whether any was printed since."""
    count, newest = conn.execute("SELECT count(*), max(id) FROM printed_copies").fetchone()
    return f"{count}:{newest or 0}"


def record_printed_copy(conn: sqlite3.Connection, row: dict[str, object]) -> None:
    """Record one printed paper copy; it becomes a record of the chained history."""
    with transaction(conn, chain_kind="print"):
        conn.execute(
            "INSERT INTO printed_copies (printed_at, class, period, school_year, version, pages,"
            " sha256, file, chain_head) VALUES (:printed_at, :class, :period, :school_year,"
            " :version, :pages, :sha256, :file, :chain_head)", row)


def chain_head(conn: sqlite3.Connection) -> chain.Head | None:
    """The newest record of the chained history (None for a dataset without one)."""
    return chain.head(conn)


def diary_class_tables(conn: sqlite3.Connection, class_name: str) -> dict[str, pd.DataFrame]:
    """What the family diary shows for one class, the whole year: ``students``, ``marks``
    (``v_marks``), ``finals``, ``lessons`` (planned ones too), ``attendance``, ``groups``
    and ``notes``."""
    one = (class_name,)
    return {
        "students": read_sql(conn, "SELECT id, full_name, joined, left_on FROM students "
                                   "WHERE class = ? ORDER BY full_name", one),
        "marks": read_sql(conn, "SELECT class, student_id, subject, grp, date, seq, kind, value, weight, "
                                "teacher, position, first_seen FROM v_marks WHERE class = ? "
                                "ORDER BY date, seq, position", one),
        "finals": read_sql(conn, "SELECT student_id, subject, grp, kind, period, value, first_seen "
                                 "FROM v_final_marks WHERE class = ?", one),
        "lessons": read_sql(conn, "SELECT subject, grp, date, seq, kind, topic, homework, teacher, "
                                  "substitute FROM lessons WHERE class = ? ORDER BY date, seq", one),
        "attendance": read_sql(conn, "SELECT student_id, subject, grp, date, seq, reason, first_seen "
                                     "FROM v_attendance WHERE class = ? ORDER BY date, seq", one),
        "groups": read_sql(conn, "SELECT g.student_id, g.subject, g.grp FROM student_groups g "
                                 "JOIN students s ON s.id = g.student_id WHERE s.class = ?", one),
        "notes": read_sql(conn, "SELECT n.student_id, n.text FROM notes n "
                                "JOIN students s ON s.id = n.student_id WHERE s.class = ?", one),
    }


def class_rows(conn: sqlite3.Connection) -> list[tuple[str, int, str, str]]:
    """(name, grade, letter, class teacher) of every class in the dataset."""
    return [(str(n), int(g), str(letter), str(t or "")) for n, g, letter, t in conn.execute(
        "SELECT name, grade, letter, class_teacher FROM classes")]


def last_merge_finished(conn: sqlite3.Connection) -> str | None:
    """When the last finished merge ended (local ISO text), or None before the first."""
    row = conn.execute("SELECT max(finished_at) FROM merges WHERE finished_at IS NOT NULL").fetchone()
    return str(row[0]) if row and row[0] else None


def accepted_workbooks(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Every workbook's last accepted version, with ``last_seen``: when a merge last found its file."""
    cur = conn.execute(
        "SELECT w.kind, w.class, w.subject, w.grp, w.teacher, w.file, w.sha256,"
        " (SELECT max(m.started_at) FROM merges m JOIN merge_files f ON f.merge_id = m.id"
        "  WHERE f.file = w.file AND f.status IN ('merged', 'unchanged')) AS last_seen"
        " FROM workbooks w ORDER BY w.kind, w.class, w.subject, w.grp")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def confirmed_gone(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(file, sha256) of accepted versions whose removal from the folder was confirmed."""
    return {(file, sha) for file, sha in conn.execute(
        "SELECT file, sha256 FROM merge_files WHERE status = 'removed'")}


def school_student_names(conn: sqlite3.Connection) -> list[str]:
    """The full names of every student of the school, in every class."""
    return [name for (name,) in conn.execute("SELECT full_name FROM students ORDER BY full_name")]


def acknowledgements(conn: sqlite3.Connection) -> dict[tuple[str, str, str, str, str], tuple[str, str]]:
    """The warnings the coordinator settled: (file, code, sheet, cell, message) → (who, at)."""
    rows = conn.execute("SELECT file, code, sheet, cell, message, who, at FROM acknowledged")
    return {(r[0], r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in rows}


def remove_acknowledgements(conn: sqlite3.Connection,
                            keys: list[tuple[str, str, str, str, str]]) -> None:
    """Withdraw settled warnings (file, code, sheet, cell, message): they count again."""
    if not keys:
        return
    with transaction(conn):
        conn.executemany("DELETE FROM acknowledged WHERE file = ? AND code = ? AND sheet = ?"
                         " AND cell = ? AND message = ?", keys)


def add_acknowledgements(conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str, str]],
                         at: str) -> None:
    """Record settled warnings (file, code, sheet, cell, message, who); a known one keeps its name."""
    if not rows:
        return
    with transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO acknowledged (file, code, sheet, cell, message, who, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [(*row, at) for row in rows])
