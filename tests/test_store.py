"""The dataset module: schema, transactions and the write helpers used by the merge."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from journal.core.errors import StoreBusyError, StoreError
from journal.dataset import store


@pytest.fixture
def conn(tmp_path):
    conn = store.connect(tmp_path / "journal.sqlite")
    yield conn
    conn.close()


def test_new_dataset_has_the_documented_tables(conn):
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN"
                                        " ('table', 'view')")}
    assert {"students", "lessons", "marks", "attendance", "final_marks", "merges", "changes",
            "merge_files", "findings", "v_marks", "v_attendance", "v_final_marks"} <= names
    assert store.schema_version(conn) == store.SCHEMA_VERSION


def test_documentation_names_every_table_and_column(conn):
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "dataset.md").read_text(encoding="utf-8")
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"):
        assert f"`{table}`" in doc, table
        for column in conn.execute(f"PRAGMA table_info({table})").fetchall():
            assert f"`{column[1]}`" in doc, f"{table}.{column[1]}"


def test_transaction_rolls_back_on_error(conn):
    store.upsert_class(conn, "5А", 5, "А", "")
    conn.commit()
    before = store.dump(conn)
    with pytest.raises(sqlite3.IntegrityError), store.transaction(conn):
        store.upsert_class(conn, "6А", 6, "А", "")
        conn.execute("INSERT INTO students (class, full_name) VALUES ('5А', 'X')")
        conn.execute("INSERT INTO students (class, full_name) VALUES ('5А', 'X')")
    assert store.dump(conn) == before


def test_class_list_replacement_keeps_students_with_history(conn):
    merge_id = store.begin_merge(conn, "2026-09-01 10:00:00", "test")
    students = [{"full_name": n, "birth_date": None, "joined": None, "left_on": None}
                for n in ("Анна", "Борис", "Вера")]
    with store.transaction(conn):
        store.replace_class_list(conn, "5А", students, [("Анна", "Английский язык", "1 группа")],
                                 [{"student": "Анна", "full_name": "Мама", "phone": "1",
                                   "email": ""}],
                                 [{"student": "Борис", "start_date": "2026-09-01",
                                   "end_date": "2026-09-03", "code": "Б", "document": ""}],
                                 {"Вера": "Заметка"})
    plan = store.SubjectPlan(key=("5А", "Математика", ""), merge_id=merge_id)
    plan.lessons.append({"date": "2026-09-02", "seq": 1, "period": "1 четверть", "kind": "",
                         "topic": "", "homework": "", "teacher": "", "substitute": "",
                         "topic_first_seen": None, "homework_first_seen": None})
    plan.mark_inserts.append(("Борис", "2026-09-02", 1, 1, 5, 1.0, "C6",
                              "2026-09-02 10:00:00", "2026-09-02 10:00:00"))
    plan.attendance_inserts.append({"student": "Анна", "date": "2026-09-02", "seq": 1,
                                    "code": "Н", "cell": "C5",
                                    "first_seen": "2026-09-02 10:00:00",
                                    "last_seen": "2026-09-02 10:00:00"})
    with store.transaction(conn):
        store.write_subject(conn, plan)
    with store.transaction(conn):
        store.replace_class_list(conn, "5А", students[2:], [], [], [], {})
    left = sorted(store.class_students(conn, "5А"))
    assert left == ["Анна", "Борис", "Вера"]  # Анна and Борис have history, so they stay
    for table in ("parents", "absence_reasons", "student_groups"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    with store.transaction(conn):
        store.replace_class_list(conn, "5А", students[:1], [], [], [], {})
    assert sorted(store.class_students(conn, "5А")) == ["Анна", "Борис"]  # Вера had none


def test_read_helpers_return_frames(conn):
    store.upsert_class(conn, "5А", 5, "А", "Кузнецова")
    conn.commit()
    frame = store.read_table(conn, "classes")
    assert isinstance(frame, pd.DataFrame) and frame.loc[0, "class_teacher"] == "Кузнецова"
    with pytest.raises(StoreError):
        store.read_table(conn, "classes; DROP TABLE classes")


def test_busy_dataset_is_a_clear_error(tmp_path):
    first = store.connect(tmp_path / "journal.sqlite")
    second = sqlite3.connect(tmp_path / "journal.sqlite", timeout=0.1)
    first.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError, match="занята"), store.transaction(second):
            pass
    finally:
        first.execute("ROLLBACK")
        first.close()
        second.close()


def test_failed_migration_rolls_back_and_keeps_a_backup(tmp_path, monkeypatch):
    """A migration that fails leaves the dataset as it was, with a copy made before it ran."""
    path = tmp_path / "journal.sqlite"
    conn = store.connect(path)
    conn.execute("INSERT INTO classes (name, grade, letter) VALUES ('5А', 5, 'А')")
    conn.commit()
    before = list(conn.iterdump())
    version = store.schema_version(conn)
    conn.close()
    bad_sql = "ALTER TABLE classes ADD COLUMN x TEXT;\nSELECT * FROM nowhere;"
    broken = [*store.migrations(), (999, "broken", bad_sql)]
    monkeypatch.setattr(store, "migrations", lambda: broken)
    with pytest.raises(StoreError, match="осталась в прежнем виде"):
        store.connect(path)
    conn = sqlite3.connect(path)
    assert list(conn.iterdump()) == before
    assert store.schema_version(conn) == version
    conn.close()
    backups = list((tmp_path / "backups").glob("journal-v*.sqlite"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert list(copy.iterdump()) == before
    copy.close()


@pytest.mark.parametrize("count", [0, 1, 2, 255, 256, 257, 1000])
@pytest.mark.parametrize("variable_limit", [None, 20])
def test_insert_rows_keeps_every_row_in_order(count, variable_limit):
    mem = sqlite3.connect(":memory:")
    if variable_limit is not None:  # an old SQLite library allows fewer parameters
        mem.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variable_limit)
    mem.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL)")
    rows = [(k * 7 % 13, f"строка {k}", k / 4) for k in range(count)]
    store.insert_rows(mem, "INSERT INTO t (a, b, c)", rows)
    assert mem.execute("SELECT a, b, c FROM t ORDER BY id").fetchall() == rows


def test_insert_rows_upserts_with_a_tail():
    mem = sqlite3.connect(":memory:")
    mem.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    mem.execute("INSERT INTO t VALUES ('б', 1)")
    store.insert_rows(mem, "INSERT INTO t (k, v)", [("а", 2), ("б", 3), ("в", 4)],
                      " ON CONFLICT (k) DO UPDATE SET v = excluded.v")
    assert mem.execute("SELECT k, v FROM t ORDER BY k").fetchall() == [("а", 2), ("б", 3), ("в", 4)]
