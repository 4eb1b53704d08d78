"""The central dataset: every read and write of ``journal.sqlite`` goes through here.

Keeping all SQL access in one module lets a district office later put the same
tables on another database. The schema lives in numbered migrations
(``journal/migrations/NNN_name.sql``) and is documented in ``docs/dataset.md``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import StoreError


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("journal.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[4:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(v for v, _, _ in migrations())


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
    except sqlite3.Error as exc:
        raise StoreError(f"Не удалось открыть общую базу «{path}»: {exc}") from exc
    if not readonly:
        migrate(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version the dataset is at (0 for an empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every migration newer than the dataset, each in its own transaction."""
    current = schema_version(conn)
    for version, _name, sql in migrations():
        if version <= current:
            continue
        try:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"Не удалось обновить схему общей базы до версии {version}: {exc}") from exc


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
    return pd.read_sql_query(sql, conn, params=params)


def read_table(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """A whole table or view as a DataFrame."""
    if not name.replace("_", "").isalnum():
        raise StoreError(f"Недопустимое имя таблицы: {name}")
    return read_sql(conn, f"SELECT * FROM {name}")


def now_text(moment: dt.datetime | None = None) -> str:
    """A moment as the dataset stores it: local ISO text to the second."""
    return (moment or dt.datetime.now()).replace(microsecond=0).isoformat(sep=" ")
