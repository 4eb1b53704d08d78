"""The district database on PostgreSQL: every read and write of it goes through here.

It holds the datasets of many schools, each row with its ``school_id`` and its id in the
school's own file (``row_id``): the tables and columns that the school's hash-chained
history tracks (:data:`journal.dataset.chain.TRACKED`), so that a push is a replay of the
chain's records. The schema is versioned by the numbered SQL files of
``journal/dataset/district_migrations`` (applied by the database's owner, never by a
school's role). Reading gives the same DataFrames, with the same columns, as
:func:`journal.dataset.store.read_table` gives from a school's file.

psycopg 3 is used directly: the district needs COPY for the bulk of a first push and
PostgreSQL's own row-level security, both outside what a portable layer would give.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd
import psycopg
from psycopg import sql

from journal.core.errors import StoreError
from journal.dataset.chain import TRACKED

# The tables whose rows are the school's data (the chain's tables), in replay order.
TABLES: tuple[str, ...] = tuple(TRACKED)
# Tables whose rows have an ``id`` in the school's file (their rowid); the others
# (classes, student_groups, notes) have none among their columns.
KEYED = frozenset(TABLES) - {"classes", "student_groups", "notes"}
VIEWS = frozenset({"v_marks", "v_attendance", "v_final_marks"})
DATED = frozenset({"lessons", "v_marks", "v_attendance"})  # a ``date`` column (ISO text)
MIGRATION_LOCK = 74_201_001  # pg_advisory_xact_lock key while the schema is migrated

Connection = psycopg.Connection


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every district migration shipped with the package, in order."""
    found = []
    for entry in resources.files("journal.dataset.district_migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[4:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(v for v, _, _ in migrations())


def connect(url: str) -> Connection:
    """Open the district database named by a ``postgresql://`` address.

    The connection is in autocommit mode: writes happen inside :func:`transaction` blocks.
    """
    try:
        return psycopg.connect(url, connect_timeout=15, autocommit=True)
    except psycopg.Error as exc:
        raise StoreError(f"Не удалось подключиться к районной базе: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    try:
        with conn.transaction():
            yield conn
    except psycopg.Error as exc:
        raise StoreError(f"Запись в районную базу не удалась, база осталась прежней: "
                         f"{_reason(exc)}") from exc


def schema_version(conn: Connection) -> int:
    """The district schema's version (0 for a database never set up)."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('district_schema') IS NOT NULL")
        row = cur.fetchone()
        if not row or not row[0]:
            return 0
        cur.execute("SELECT max(version) FROM district_schema")
        found = cur.fetchone()
    return int(found[0] or 0) if found else 0


def migrate(conn: Connection) -> list[int]:
    """Apply every district migration newer than the database; returns the versions applied.

    Run by the database's owner. Concurrent callers wait for each other (an advisory lock).
    """
    applied = []
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS district_schema (version integer NOT NULL)")
            current = schema_version(conn)
            for version, _name, text in migrations():
                if version <= current:
                    continue
                cur.execute(text.encode())
                cur.execute("INSERT INTO district_schema (version) VALUES (%s)", (version,))
                applied.append(version)
    except psycopg.Error as exc:
        raise StoreError(f"Не удалось подготовить районную базу: {_reason(exc)}. "
                         "База осталась в прежнем виде") from exc
    return applied


def check_schema(conn: Connection) -> None:
    """Raise :class:`StoreError` (in Russian) unless the schema is the program's version."""
    version = schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"Районная база не подготовлена для этой версии программы (версия схемы {version}, "
            f"нужна {SCHEMA_VERSION}): администратор районной базы должен выполнить "
            "journal district setup")
    raise StoreError(f"Районная база новее программы (версия схемы {version}): обновите программу")


# ---------------------------------------------------------------------------
# Write side: used by journal.district.push only.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PushState:
    """What the district holds of a school: how far its chain has been pushed."""

    school_id: str
    pushed_chain_id: int
    pushed_hash: str
    settings: str


def lock_school(conn: Connection, school_id: str, school_name: str, school_year: str) -> PushState:
    """Register the school under the connected role if new and lock its row for this push.

    Pushes of one school wait for each other; pushes of different schools do not.
    :class:`StoreError` when the school is registered under another role.
    """
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO schools (school_id, school_name, school_year) VALUES (%s, %s, %s)"
            " ON CONFLICT (school_id) DO NOTHING", (school_id, school_name, school_year))
        cur.execute("SELECT pushed_chain_id, pushed_hash, settings FROM schools"
                    " WHERE school_id = %s FOR UPDATE", (school_id,))
        row = cur.fetchone()
    if row is None:
        raise StoreError(
            f"Школа «{school_id}» записана в районной базе за другой учётной записью: "
            "обратитесь к администратору районной базы")
    return PushState(school_id, int(row[0]), str(row[1]), str(row[2]))


def delete_school_rows(conn: Connection, school_id: str) -> None:
    """Remove every data row of a school (before pushing its whole history again)."""
    with conn.cursor() as cur:
        for table in TABLES:
            cur.execute(sql.SQL("DELETE FROM {} WHERE school_id = %s").format(sql.Identifier(table)),
                        (school_id,))


def replace_contents(conn: Connection, school_id: str, table: str,
                     rows: Sequence[tuple[int, str | None]], *, replace: bool) -> int:
    """Write the school's rows of ``table`` as the chain holds them: ``rows`` are (row_id,
    content), content the JSON array of the table's tracked columns in :data:`TRACKED`
    order, None for a removed row. ``replace``: delete the school's rows of those ids first
    (a later push; a first push only inserts). Returns how many rows were written.

    The JSON goes to the server as it is: one COPY into a temporary table, and PostgreSQL
    takes the arrays apart and casts each value to its column's type.
    """
    if table not in TRACKED:
        raise StoreError(f"Недопустимое имя таблицы: {table}")
    if not rows:
        return 0
    name = sql.Identifier(table)
    staging = sql.Identifier(f"push_{table}")
    types = _column_types(conn, table)
    values = sql.SQL(", ").join(
        sql.SQL("(content ->> {})::{}").format(sql.Literal(i), sql.SQL(types[column]))
        for i, column in enumerate(TRACKED[table]))
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in ("school_id", "row_id", *TRACKED[table]))
    # COPY text format: a JSON text holds no tab or line break, only backslashes to double.
    block = "".join(f"{row_id}\t{_copy_text(content)}\n" for row_id, content in rows)
    with conn.cursor() as cur:
        # COPY cannot write a table under row-level security: the rows go to a temporary
        # table first, then INSERT … SELECT moves them under the policies' checks.
        cur.execute(sql.SQL("CREATE TEMP TABLE {} (row_id bigint, content jsonb) ON COMMIT DROP")
                    .format(staging))
        with cur.copy(sql.SQL("COPY {} (row_id, content) FROM STDIN").format(staging)) as copy:
            copy.write(block.encode())
        if replace:
            cur.execute(sql.SQL("DELETE FROM {} t USING {} s WHERE t.school_id = %s"
                                " AND t.row_id = s.row_id").format(name, staging), (school_id,))
        cur.execute(sql.SQL("INSERT INTO {} ({}) SELECT %s, row_id, {} FROM {}"
                            " WHERE content IS NOT NULL").format(name, columns, values, staging),
                    (school_id,))
        return max(cur.rowcount, 0)


def _copy_text(content: str | None) -> str:
    return "\\N" if content is None else content.replace("\\", "\\\\")


def _column_types(conn: Connection, table: str) -> dict[str, str]:
    with conn.cursor() as cur:
        cur.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                    " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", (table,))
        return {str(n): str(t) for n, t in cur.fetchall()}


def record_push(conn: Connection, state: PushState, *, chain_id: int, chain_hash: str,
                head_at: str, settings: str, rows: int) -> None:
    """Note how far the school's chain is pushed, its settings and the push itself."""
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE schools SET pushed_chain_id = %s, pushed_hash = %s, head_at = %s,"
            " settings = %s, pushed_at = now() WHERE school_id = %s",
            (chain_id, chain_hash, head_at, settings, state.school_id))
        cur.execute("INSERT INTO pushes (school_id, from_chain_id, to_chain_id, rows)"
                    " VALUES (%s, %s, %s, %s)",
                    (state.school_id, state.pushed_chain_id, chain_id, rows))


def update_settings(conn: Connection, school_id: str, settings: str) -> None:
    """Replace a school's settings (when they changed but its data did not)."""
    with conn.cursor() as cur:
        cur.execute("UPDATE schools SET settings = %s WHERE school_id = %s", (settings, school_id))


# ---------------------------------------------------------------------------
# Read side: the reports and the district's overview.
# ---------------------------------------------------------------------------


def for_reports(conn: Connection) -> None:
    """Set the connection up for reading one school at a time: hash joins, never nested
    loops; the school's rows through its key, never a scan of every school's; no JIT.

    A report reads a school's marks, lessons and students joined (tens of thousands of
    rows); right after a big push, before PostgreSQL has gathered statistics of the new
    rows, the planner may choose nested loops for those joins and take minutes instead of
    a second. Every table's key begins with ``school_id`` and a school's rows lie together
    (a push inserts them at once), yet with 20 schools the planner reckons a school's fifth
    of the marks is cheaper to find by reading the whole table: the report's time would
    grow with the square of the schools. Compiling each query (JIT) costs more than it
    saves on one school's rows; sorting them fits in memory.
    """
    conn.execute("SET enable_nestloop = off")
    conn.execute("SET enable_seqscan = off")
    conn.execute("SET jit = off")
    conn.execute("SET work_mem = '64MB'")


def query(conn: Connection, text: str | sql.Composed, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a query and return a DataFrame."""
    with conn.cursor() as cur:
        cur.execute(text, params)
        names = [d.name for d in cur.description or ()]
        return pd.DataFrame.from_records(cur.fetchall(), columns=names)


def holds(name: str) -> bool:
    """True when the district database carries the table or view ``name`` of a school's file."""
    return name in VIEWS or name in TRACKED


def read_table(conn: Connection, name: str, school_ids: Sequence[str], *,
               dates: tuple[str, str] | None = None, rows: bool = True,
               columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A table or view of the schools ``school_ids``, with the columns a school's file gives.

    A ``school_id`` column comes first when more than one school is read. ``dates`` (first
    day, day after the last, ISO) keeps only the rows of a table or view with a ``date``
    column (lessons, marks, attendance) dated from the first day up to the last. ``rows``
    False: the columns only. ``columns``: only these (``id`` is the row's id in the
    school's file), in this order.
    """
    select: sql.Composable
    if name not in VIEWS and name not in TRACKED:
        raise StoreError(f"Недопустимое имя таблицы: {name}")
    if columns is not None:
        select = sql.SQL(", ").join(
            [sql.Identifier("school_id"),
             *(sql.SQL("row_id AS id") if c == "id" and name not in VIEWS else sql.Identifier(c)
               for c in columns)])
    elif name in VIEWS:
        select = sql.SQL("*")
    else:
        listed: list[sql.Composable] = [sql.Identifier(c) for c in TRACKED[name]]
        if name in KEYED:
            listed.insert(0, sql.SQL("row_id AS id"))
        select = sql.SQL(", ").join([sql.Identifier("school_id"), *listed])
    order = sql.SQL("school_id, id") if name in VIEWS else sql.SQL("school_id, row_id")
    where: sql.Composable = sql.SQL("school_id = ANY(%s)")
    params: list[Any] = [list(school_ids)]
    if len(school_ids) == 1:  # the planner sees the one school (and its statistics)
        where, params = sql.SQL("school_id = %s"), [school_ids[0]]
    if dates is not None and name in DATED:
        where = sql.SQL("{} AND date >= %s AND date < %s").format(where)
        params += list(dates)
    if not rows:
        where = sql.SQL("{} AND false").format(where)
    frame = query(conn, sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY {}")
                  .format(select, sql.Identifier(name), where, order), params)
    if len(school_ids) == 1:
        frame = frame.drop(columns=["school_id"])
    return frame


# The numbers of a mark (the rest of ``v_marks`` is its lesson's and its student's).
MARK_NUMBERS = ("id", "lesson_id", "student_id", "position", "value", "weight")


def read_marks(conn: Connection, school_id: str,
               dates: tuple[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``v_marks`` of a school (those of its lessons dated from the first day of
    ``dates`` to the day before the second), as numbers only: :data:`MARK_NUMBERS`, in the
    view's order; the caller takes the lesson's columns from its lessons.

    Numbers travel as CSV text, read by pandas' parser without a Python object per value:
    a school's quarter of marks is a hundred thousand rows and more. The view's join to the
    students (a mark of a student the district lacks is left out) and its order are done
    here rather than by the server, which takes longer for them.
    """
    where = sql.SQL("m.school_id = {}").format(sql.Literal(school_id))
    if dates is not None:
        where = sql.SQL("{} AND l.date >= {} AND l.date < {}").format(
            where, sql.Literal(dates[0]), sql.Literal(dates[1]))
    text = sql.SQL(
        "COPY (SELECT m.row_id AS id, m.lesson_id, m.student_id, m.position, m.value, m.weight"
        " FROM marks m JOIN lessons l ON l.school_id = m.school_id AND l.row_id = m.lesson_id"
        " WHERE {}) TO STDOUT (FORMAT csv, HEADER)").format(where)
    block = io.BytesIO()
    with conn.cursor() as cur, cur.copy(text) as copy:
        for data in copy:
            block.write(data)
    block.seek(0)
    marks = pd.read_csv(block)
    with conn.cursor() as cur:
        cur.execute("SELECT row_id FROM students WHERE school_id = %s", (school_id,))
        students = [row[0] for row in cur.fetchall()]
    marks = marks[marks["student_id"].isin(students)]
    return marks.sort_values("id", kind="stable").reset_index(drop=True)


def schools(conn: Connection) -> pd.DataFrame:
    """Every school the connected role may see: id, name, year, settings (JSON), how far
    pushed, the moment of its newest pushed record and when it was pushed."""
    return query(conn, "SELECT school_id, school_name, school_year, settings, pushed_chain_id,"
                       " pushed_hash, head_at, pushed_at FROM schools ORDER BY school_id")


def data_fingerprint(conn: Connection, school_id: str) -> dict[str, tuple[int, str]]:
    """table → (rows, md5 of the rows in order) of one school (to show a push changed nothing)."""
    found = {}
    for table in (*TABLES, "schools"):
        frame = query(conn, sql.SQL("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY"
                                    " t::text)), '') FROM {} t WHERE school_id = %s")
                      .format(sql.Identifier(table)), (school_id,))
        found[table] = (int(str(frame.iat[0, 0])), str(frame.iat[0, 1]))
    return found


def database_size(conn: Connection) -> int:
    """The size of the district database in bytes."""
    frame = query(conn, "SELECT pg_database_size(current_database())")
    return int(str(frame.iat[0, 0]))
