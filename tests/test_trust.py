"""A history that proves itself (journal verify) and backups (journal backup / restore)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from support.merge_fixtures import MON, WED, math_content, new_school, write_class, write_subject
from typer.testing import CliRunner

from journal.cli import main as cli
from journal.dataset import backup, chain, store
from journal.intake.merge import merge_school

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
PASS = "Осень у школы 2026"


def at(day: int, month: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, 16, 0)


@pytest.fixture
def school(tmp_path, tiny_settings):
    """Two merges: a first one, then a correction (a change row) and a new mark."""
    school = new_school(tmp_path / "school")
    write_class(school)
    write_subject(school, math_content({(A, WED, 2): "5", (B, WED, 2): "н"}))
    merge_school(school, tiny_settings, now=at(8))
    write_subject(school, math_content({(A, WED, 2): "4", (B, MON, 1): "3"}))
    merge_school(school, tiny_settings, now=at(9))
    return school


def run(*args: str, passphrase: str | None = PASS):
    env = {"JOURNAL_BACKUP_PASSPHRASE": passphrase} if passphrase is not None else {}
    return CliRunner().invoke(cli.app, list(args), env=env)


def edit(school, sql: str, params: tuple = ()) -> None:
    """Change the dataset around the program, as with the sqlite3 tool."""
    conn = sqlite3.connect(school.store_path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_untouched_dataset_verifies_and_says_since_when(school):
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 0, result.output
    assert "Общая база цела" in result.output
    assert "начиная с 08.09.2026" in result.output


def test_mark_edited_with_sqlite3_is_named(school):
    edit(school, "UPDATE marks SET value = 2 WHERE value = 4")
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    first = result.output.splitlines()[1]
    assert "Отметки" in first and A in first and "«Математика»" in first
    assert "02.09.2026" in first and "было 4, стало 2" in first


def test_deleted_changes_row_is_named(school):
    assert store.changes_of_merge(sqlite3.connect(school.store_path), 2)
    edit(school, "DELETE FROM changes")
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    line = next(li for li in result.output.splitlines() if "История исправлений" in li)
    assert "удалена" in line and A in line and "02.09.2026" in line and "было 5, стало 4" in line


def test_forged_merge_row_is_named(school):
    edit(school, "INSERT INTO merges (started_at, finished_at, tool_version)"
                 " VALUES ('2026-09-10 09:00:00', '2026-09-10 09:01:00', '0.1')")
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    assert "Сборки журналов: запись №3 добавлена не программой — сборка от 10.09.2026" in result.output


def test_a_mark_added_around_the_program_stays_named_after_the_next_merge(school, tiny_settings):
    # a lesson of a subject no workbook holds, and a mark in it: no merge removes them
    edit(school, "INSERT INTO lessons (class, subject, grp, date, seq, period, kind, topic,"
                 " homework, teacher, substitute) VALUES ('5А', 'Физика', '', '2026-09-03', 1,"
                 " '1 четверть', '', '', '', '', '')")
    edit(school, "INSERT INTO marks (lesson_id, student_id, position, value, weight, cell,"
                 " first_seen, last_seen, first_merge_id) SELECT (SELECT max(id) FROM lessons),"
                 " student_id, 1, 5, 1.0, cell, first_seen, last_seen, first_merge_id FROM marks"
                 " ORDER BY id LIMIT 1")
    write_subject(school, math_content({(A, WED, 2): "4", (B, MON, 1): "3", (A, MON, 1): "5"}))
    merge_school(school, tiny_settings, now=at(10))  # inserts marks after the forged one
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    named = [line for line in result.output.splitlines() if "добавлена не программой" in line]
    assert any(line.strip().startswith("Отметки") and "Физика" in line for line in named)


def test_a_mark_edited_around_the_program_stays_named_after_a_merge_touches_it(school, tiny_settings):
    # the merge of the workbook's next version moves every mark's last_seen, so it touches the
    # edited row without changing its tracked columns: the chain must not take the edit in
    edit(school, "UPDATE marks SET first_merge_id = 1 WHERE value = 3")
    write_subject(school, math_content({(A, WED, 2): "4", (B, MON, 1): "3", (A, MON, 1): "5"}))
    merge_school(school, tiny_settings, now=at(10))
    conn = sqlite3.connect(school.store_path)
    assert conn.execute("SELECT last_seen LIKE '2026-09-10%' FROM marks WHERE value = 3").fetchone()[0]
    conn.close()
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    named = result.output.splitlines()[1:]
    assert any(line.strip().startswith("Отметки") and B in line for line in named), result.output


def test_every_trigger_notes_the_tracked_columns_of_its_table(tmp_path):
    conn = store.connect(tmp_path / "journal.sqlite")
    triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                 " AND name LIKE 'chain_%'").fetchall())
    for table, columns in chain.TRACKED.items():
        old = "json_array(" + ", ".join(f"OLD.{c}" for c in columns) + ")"
        for kind in ("u", "d"):
            assert old in triggers[f"chain_{table}_{kind}"], (table, kind)
        assert (f"chain_{table}_i" in triggers) == (table not in chain.RANGED), table


def test_rows_of_the_big_tables_inserted_changed_and_removed_in_one_transaction(tmp_path):
    conn = store.connect(tmp_path / "journal.sqlite")
    lesson = ("INSERT INTO lessons (class, subject, grp, date, seq, period, kind, topic, homework,"
              " teacher, substitute) VALUES ('5А', 'Математика', '', ?, 1, '1 четверть', '', ?, '',"
              " '', '')")
    with store.transaction(conn, "print"):
        conn.execute(lesson, ("2026-09-01", "Первая"))
        conn.execute(lesson, ("2026-09-02", "Вторая"))
        conn.execute(lesson, ("2026-09-03", "Третья"))
        conn.execute("UPDATE lessons SET topic = 'Вторая, исправлена' WHERE date = '2026-09-02'")
        conn.execute("DELETE FROM lessons WHERE date = '2026-09-03'")  # inserted and removed
    with store.transaction(conn, "print"):
        conn.execute("DELETE FROM lessons WHERE date = '2026-09-02'")
        conn.execute(lesson, ("2026-09-04", "Четвёртая"))  # SQLite gives it rowid 2 again
    chained = conn.execute("SELECT chain_id, row_id, json_extract(content, '$[7]') FROM chain_rows"
                           " WHERE tbl = 'lessons' ORDER BY id").fetchall()
    assert chained == [(2, 1, "Первая"), (2, 2, "Вторая, исправлена"), (3, 2, "Четвёртая")]
    assert chain.verify(conn).intact


def test_edited_history_record_breaks_its_hash(school):
    edit(school, "UPDATE chain_rows SET content = NULL WHERE id = (SELECT max(id) FROM chain_rows"
                 " WHERE tbl = 'marks')")
    result = run("verify", "--school", str(school.root))
    assert result.exit_code == 1
    assert "контрольная сумма не сходится" in result.output


def test_merges_still_verify_after_a_rejected_workbook(school, tiny_settings):
    path = write_subject(school, math_content({(A, WED, 2): "9"}))
    assert path.exists()
    merge_school(school, tiny_settings, now=at(10))
    assert chain.verify_file(school.store_path).intact


def test_a_merge_makes_a_rotated_backup_first(school, tiny_settings):
    folder = school.backups_dir
    copies = backup.automatic_backups(folder)
    assert [m for m, _ in copies] == [at(9)]  # the first merge had no dataset to copy
    copy = sqlite3.connect(copies[0][1])
    assert copy.execute("SELECT count(*) FROM merges").fetchone()[0] == 1
    copy.close()


def test_rotation_keeps_last_ten_weekly_and_period_ends():
    start = dt.datetime(2026, 9, 1, 16)
    moments = [start + dt.timedelta(days=d) for d in range(60)]
    keep = backup.to_keep(moments, term_start=dt.date(2026, 10, 1),
                          period_ends=[dt.date(2026, 9, 20)])
    assert set(moments[-10:]) <= keep
    assert dt.datetime(2026, 9, 20, 16) in keep  # the last copy by the period's end
    october = [m for m in keep if m.month == 10 and m not in moments[-10:]]
    assert len({m.isocalendar()[1] for m in october}) == len(october)  # one per week
    assert dt.datetime(2026, 9, 10, 16) not in keep  # before the term, not a period end


def test_backup_delete_restore_gives_the_same_dataset(school, tmp_path):
    flash = tmp_path / "flash"
    flash.mkdir()
    before = store.dump(sqlite3.connect(school.store_path))
    result = run("backup", "--school", str(school.root), "--to", str(flash))
    assert result.exit_code == 0, result.output
    (written,) = flash.iterdir()
    data = written.read_bytes()
    for name in (A, B, "Математика"):
        assert name.encode("utf-8") not in data
    for suffix in ("", "-wal", "-shm"):
        (school.root / f"journal.sqlite{suffix}").unlink(missing_ok=True)
    result = run("restore", "--school", str(school.root), "--from", str(written))
    assert result.exit_code == 0, result.output
    assert "Общая база восстановлена" in result.output
    assert store.dump(sqlite3.connect(school.store_path)) == before
    assert run("verify", "--school", str(school.root)).exit_code == 0


def test_wrong_passphrase_replaces_nothing(school, tmp_path):
    target = tmp_path / "copy.jbak"
    assert run("backup", "--school", str(school.root), "--to", str(target)).exit_code == 0
    edit(school, "UPDATE marks SET value = 3")  # so that a replacement would show
    before = store.dump(sqlite3.connect(school.store_path))
    result = run("restore", "--school", str(school.root), "--from", str(target),
                 passphrase="не тот пароль")
    assert result.exit_code == 2
    assert "Пароль не подходит" in result.output and "Ничего не заменено" in result.output
    assert store.dump(sqlite3.connect(school.store_path)) == before


def test_a_tampered_backup_is_not_restored(school, tmp_path):
    edit(school, "UPDATE marks SET value = 2 WHERE value = 4")
    target = tmp_path / "copy.jbak"
    assert run("backup", "--school", str(school.root), "--to", str(target)).exit_code == 0
    (school.root / "journal.sqlite").rename(tmp_path / "gone.sqlite")
    result = run("restore", "--school", str(school.root), "--from", str(target))
    assert result.exit_code == 1
    assert "не прошла проверку" in result.output and "было 4, стало 2" in result.output
    assert not (school.root / "journal.sqlite").exists()


def test_an_older_dataset_starts_its_history_at_upgrade(tmp_path, tiny_settings):
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path)
    for version, _name, sql in store.migrations():
        if version >= store.CHAIN_VERSION:
            break
        for statement in store._statements(sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO merges (started_at, tool_version) VALUES ('2026-09-01 10:00:00', '0')")
    conn.commit()
    conn.close()
    store.connect(path).close()
    result = chain.verify_file(path)
    assert result.intact, result.problems
    assert "База создана прежней версией программы" in result.summary_ru()
    assert f"начиная с {dt.date.today().strftime('%d.%m.%Y')}" in result.summary_ru()


def test_paper_copy_footer_and_register_row_join_the_history(school, tiny_settings):
    from journal.documents.copies import class_copy_html, load_class_copy
    from journal.documents.register import RegisterRow, history_stamp, record_in_history

    with store.opened(school.store_path) as conn:
        head = store.chain_head(conn)
        assert head is not None
        copy = load_class_copy(conn, tiny_settings, tiny_settings.classes[0], tiny_settings.periods[0])
        copy.history = history_stamp(conn)
    assert f"журнал: контрольная сумма {head.hash[:12]} от 09.09.2026" in class_copy_html(copy, [])
    row = RegisterRow(class_name="5А", period="1 четверть", school_year="2026/2027", version=1,
                      pages=3, produced="01.12.2026 16:40", sha256="ab" * 32, file_name="5А.pdf")
    record_in_history(school.store_path, row, dt.datetime(2026, 12, 1, 16, 40))
    with store.opened(school.store_path) as conn:
        kind, = conn.execute("SELECT kind FROM chain ORDER BY id DESC LIMIT 1").fetchone()
        assert kind == "print"
        assert conn.execute("SELECT chain_head FROM printed_copies").fetchone() == (head.hash,)
    assert chain.verify_file(school.store_path).intact
    edit(school, "DELETE FROM printed_copies")
    problems = chain.verify_file(school.store_path).problems
    assert problems and problems[0].startswith("Бумажные копии: запись удалена")


def test_chain_record_holds_only_changed_rows_in_table_then_row_order(tmp_path):
    import hashlib

    conn = store.connect(tmp_path / "journal.sqlite")
    with store.transaction(conn, "print"):
        conn.execute("INSERT INTO classes (name, grade, letter) VALUES ('8Б', 8, 'Б'), ('7А', 7, 'А')")
        conn.execute("INSERT INTO students (class, full_name) VALUES ('7А', ?), ('8Б', ?)", (A, B))
    with store.transaction(conn, "print"):
        conn.execute("UPDATE classes SET class_teacher = '' WHERE name = '8Б'")  # same content
        conn.execute("UPDATE classes SET class_teacher = 'Иванова И. И.' WHERE name = '7А'")
        conn.execute("INSERT INTO classes (name, grade, letter) VALUES ('9В', 9, 'В')")
        conn.execute("DELETE FROM classes WHERE name = '9В'")  # inserted and removed: nothing
        conn.execute("DELETE FROM students WHERE full_name = ?", (A,))
    with store.transaction(conn, "print"):
        conn.execute("UPDATE classes SET class_teacher = '' WHERE name = '7А'")  # back again

    records = conn.execute("SELECT id, kind, merge_id, at, note, rows, prev_hash, hash FROM chain"
                           " ORDER BY id").fetchall()
    rows = {cid: [] for cid, *_ in records}
    for cid, tbl, row_id, content in conn.execute(
            "SELECT chain_id, tbl, row_id, content FROM chain_rows ORDER BY id"):
        rows[cid].append((tbl, row_id, content))
    assert rows[2] == [("classes", 1, '["8Б",8,"Б",""]'), ("classes", 2, '["7А",7,"А",""]'),
                       ("students", 1, '["7А","' + A + '",null,null,null]'),
                       ("students", 2, '["8Б","' + B + '",null,null,null]')]
    assert rows[3] == [("classes", 2, '["7А",7,"А","Иванова И. И."]'), ("students", 1, None)]
    assert rows[4] == [("classes", 2, '["7А",7,"А",""]')]
    prev = chain.GENESIS
    for cid, kind, merge_id, when, note, count, prev_hash, digest in records:
        text = f"{prev}\n{cid}\n{kind}\n{merge_id or ''}\n{when}\n{note}\n" + "".join(
            f"{t}\t{r}\t{'-' if c is None else c}\n" for t, r, c in rows[cid])
        assert (prev_hash, count) == (prev, len(rows[cid]))
        assert digest == hashlib.sha256(text.encode()).hexdigest()
        prev = digest
    assert chain.verify(conn).intact
