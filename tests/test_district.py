"""The district database: concurrent pushes, equal reports, idempotence, SIGKILL, roles."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from support.district_fixtures import TODAY, build_school, remerge_with_more
from support.postgres import missing_reason, start_cluster

from journal.core.errors import StoreError
from journal.dataset import chain, postgres, store
from journal.district import reports
from journal.district.push import PushRefused, push_school, school_id_of
from journal.reports import attendance, filling, progress
from journal.reports.data import load

REASON = missing_reason()
if REASON and os.environ.get("CI") != "true":
    pytest.skip(REASON, allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster():
    running = start_cluster()
    try:
        conn = postgres.connect(running.url())
        postgres.migrate(conn)
        for n in (1, 2, 3):
            conn.execute(f"CREATE ROLE school_{n} LOGIN IN ROLE journal_school")
        conn.close()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def schools(tmp_path_factory, cluster):
    """Three schools, pushed at once, each under its own role."""
    root = tmp_path_factory.mktemp("district")
    built = {n: build_school(root / f"school-{n}", n) for n in (1, 2, 3)}
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(
            lambda n: push_school(built[n][0].store_path, built[n][1], cluster.url(f"school_{n}")),
            built))
    assert all(r.rows > 0 for r in results)
    return built


def admin(cluster) -> psycopg.Connection:
    return postgres.connect(cluster.url())


def test_district_progress_equals_each_school_report(cluster, schools):
    district = reports.open_district(cluster.url(), period="1", today=TODAY.isoformat())
    try:
        frame = reports.progress_by_school(district)
    finally:
        district.close()
    assert len(district.schools) == 3
    for school, settings in schools.values():
        own = progress.class_progress(
            progress.period_results(load(school.store_path), settings, "1", "", TODAY))
        assert set(own["class"]) >= {"5А", "10А"}  # a quarter and a half-year: never summed
        mine = frame[frame["school"] == school_id_of(settings)]
        got = mine[mine["class"].isin(set(own["class"]))]
        key = ["period", "class"]
        pd.testing.assert_frame_equal(got[progress.CLASS_COLUMNS].sort_values(key).reset_index(drop=True),
                                      own.sort_values(key).reset_index(drop=True), check_dtype=False)
    assert set(frame["school"]) == {school_id_of(settings) for _, settings in schools.values()}
    marks = {tuple(load(school.store_path).marks["value"]) for school, _ in schools.values()}
    assert len(marks) == 3  # the schools' data differ


def test_district_attendance_and_filling_equal_each_school_report(cluster, schools):
    """The district reads only some frames and columns for these reports: the sums must
    still be the school's own report's."""
    district = reports.open_district(cluster.url(), period="1", today=TODAY.isoformat())
    try:
        by_school = reports.attendance_by_school(district).set_index("school")
        filled = reports.filling_by_school(district).set_index("school")
    finally:
        district.close()
    for school, settings in schools.values():
        data = load(school.store_path)
        own = attendance.class_attendance(attendance.student_attendance(
            data, attendance.report_ranges(settings, "1", today=TODAY)))
        row = by_school.loc[school_id_of(settings)]
        for column in attendance.CLASS_COLUMNS[1:-1]:
            assert row[column] == own[column].sum(), column
        assert row["lessons_missed"] > 0
        subjects = filling.filling_by_subject(data, settings, today=TODAY, period="1")
        line = filled.loc[school_id_of(settings)]
        for column in filling.COUNT_COLUMNS:
            assert line[column] == subjects[column].sum(), column
        assert line["with_topic"] > 0 and line["no_marks"] + line["one_mark"] > 0


def test_second_push_changes_nothing(cluster, schools):
    school, settings = schools[1]
    conn = admin(cluster)
    before = postgres.data_fingerprint(conn, school_id_of(settings))
    result = push_school(school.store_path, settings, cluster.url("school_1"))
    assert not result.changed
    assert "отправлять нечего" in result.summary_ru()
    assert postgres.data_fingerprint(conn, school_id_of(settings)) == before
    conn.close()


KILLED_PUSH = """
import sys, time, pickle
from pathlib import Path
from journal.dataset import chain, postgres, store
from journal.district import push
real = postgres.record_push
def stall(*args, **kwargs):
    real(*args, **kwargs)
    Path(sys.argv[2]).write_text("written")
    time.sleep(600)
push.postgres.record_push = stall
settings = pickle.loads(Path(sys.argv[3]).read_bytes())
push.push_school(Path(sys.argv[1]), settings, sys.argv[4])
"""


def test_push_killed_midway_leaves_district_as_before(cluster, schools, tmp_path):
    import pickle

    school, settings = schools[2]
    remerge_with_more(school, settings, 22, dt.datetime(2026, 11, 16, 16, 0))
    conn = admin(cluster)
    school_id = school_id_of(settings)
    before = postgres.data_fingerprint(conn, school_id)
    flag = tmp_path / "written"
    pickled = tmp_path / "settings.pickle"
    pickled.write_bytes(pickle.dumps(settings))
    child = subprocess.Popen([sys.executable, "-c", KILLED_PUSH, str(school.store_path), str(flag),
                              str(pickled), cluster.url("school_2")],
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while not flag.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert flag.exists(), "the push never reached the end of its writes"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    time.sleep(0.5)  # the server notices the lost connection and rolls back
    assert postgres.data_fingerprint(conn, school_id) == before
    result = push_school(school.store_path, settings, cluster.url("school_2"))
    assert result.rows > 0 and result.from_chain_id < result.to_chain_id
    assert postgres.data_fingerprint(conn, school_id) != before
    marks = postgres.read_table(conn, "v_marks", [school_id])
    assert len(marks) == len(load(school.store_path).marks)
    conn.close()


def test_a_school_role_cannot_read_or_change_another_school(cluster, schools):
    mine, theirs = school_id_of(schools[1][1]), school_id_of(schools[3][1])
    conn = postgres.connect(cluster.url("school_1"))
    try:
        students = postgres.read_table(conn, "students", [mine, theirs])
        assert set(students["school_id"]) == {mine}
        assert postgres.query(conn, "SELECT count(*) FROM v_marks WHERE school_id = %s",
                              (theirs,)).iat[0, 0] == 0
        assert postgres.query(conn, "SELECT school_id FROM schools")["school_id"].tolist() == [mine]
        with conn.cursor() as cur:
            cur.execute("DELETE FROM marks WHERE school_id = %s", (theirs,))
            assert cur.rowcount == 0
            cur.execute("UPDATE schools SET pushed_chain_id = 0 WHERE school_id = %s", (theirs,))
            assert cur.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO students (school_id, row_id, class, full_name)"
                         " VALUES (%s, 999, '5А', 'Чужой Ученик')", (theirs,))
    finally:
        conn.close()
    with pytest.raises(StoreError, match="другой учётной записью"):
        push_school(schools[3][0].store_path, schools[3][1], cluster.url("school_1"))
    check = admin(cluster)
    assert postgres.query(check, "SELECT count(*) FROM marks WHERE school_id = %s",
                          (theirs,)).iat[0, 0] > 0
    check.close()


def copy_dataset(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def flip_mark(path: Path, mark_id: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE marks SET value = CASE WHEN value = 5 THEN 4 ELSE 5 END WHERE id = ?",
                     (mark_id,))


def test_a_dataset_changed_behind_the_program_is_refused_on_a_first_push(cluster, tmp_path):
    school, settings = build_school(tmp_path / "school", 5)
    copy = copy_dataset(school.store_path, tmp_path / "journal.sqlite")
    flip_mark(copy, 1)
    with pytest.raises(PushRefused, match=r"не проходит проверку истории.*Отметки"):
        push_school(copy, settings, cluster.url())


@pytest.fixture
def fourth_school(cluster, tmp_path):
    """A school of this test only: removed from the district afterwards."""
    school, settings = build_school(tmp_path / "school", 4)
    yield school, settings
    conn = admin(cluster)
    with postgres.transaction(conn):
        postgres.delete_school_rows(conn, school_id_of(settings))
        conn.execute("DELETE FROM pushes WHERE school_id = %s", (school_id_of(settings),))
        conn.execute("DELETE FROM schools WHERE school_id = %s", (school_id_of(settings),))
    conn.close()


def test_push_verifies_what_the_chain_gained_since_the_last_push(cluster, fourth_school, tmp_path):
    """A row changed behind the program among those the program wrote after the last push, or a new
    record of the history changed, is refused; a row changed among those pushed before
    is `journal verify`'s to find (the district already holds it as the chain recorded it)."""
    school, settings = fourth_school
    first = push_school(school.store_path, settings, cluster.url())
    with store.opened(school.store_path, readonly=False) as conn, store.transaction(conn):
        conn.execute("UPDATE marks SET value = CASE WHEN value = 3 THEN 4 ELSE 3 END"
                     " WHERE id IN (SELECT id FROM marks ORDER BY id DESC LIMIT 5)")
    with sqlite3.connect(school.store_path) as conn:
        new_mark = conn.execute(
            "SELECT row_id FROM chain_rows WHERE tbl = 'marks' AND content IS NOT NULL"
            " AND chain_id > ? ORDER BY id DESC LIMIT 1", (first.to_chain_id,)).fetchone()[0]
        old_mark = conn.execute(
            "SELECT row_id FROM chain_rows WHERE tbl = 'marks' AND row_id NOT IN (SELECT row_id"
            " FROM chain_rows WHERE tbl = 'marks' AND chain_id > ?) ORDER BY id LIMIT 1",
            (first.to_chain_id,)).fetchone()[0]
        pushed_value = conn.execute("SELECT value FROM marks WHERE id = ?", (old_mark,)).fetchone()[0]

    after = copy_dataset(school.store_path, tmp_path / "after.sqlite")
    flip_mark(after, new_mark)
    with pytest.raises(PushRefused, match=r"не проходит проверку истории.*Отметки: запись изменена"):
        push_school(after, settings, cluster.url())

    record = copy_dataset(school.store_path, tmp_path / "record.sqlite")
    with sqlite3.connect(record) as conn:
        conn.execute("UPDATE chain_rows SET content = replace(content, '[', '[0,')"
                     " WHERE id = (SELECT max(id) FROM chain_rows)")
    with pytest.raises(PushRefused, match="контрольная сумма не сходится"):
        push_school(record, settings, cluster.url())

    before = copy_dataset(school.store_path, tmp_path / "before.sqlite")
    flip_mark(before, old_mark)
    result = push_school(before, settings, cluster.url())
    assert result.from_chain_id == first.to_chain_id < result.to_chain_id
    verification = chain.verify_file(before)
    assert not verification.intact and "Отметки: запись изменена" in verification.problems[0]
    conn = admin(cluster)
    held = postgres.query(conn, "SELECT value FROM marks WHERE school_id = %s AND row_id = %s",
                          (school_id_of(settings), old_mark)).iat[0, 0]
    conn.close()
    assert held == pushed_value  # the district keeps what the history recorded
    assert not push_school(school.store_path, settings, cluster.url()).changed


def test_schools_not_pushed_since_the_period_ended(cluster, schools):
    district = reports.open_district(cluster.url(), period="2", today="2027-01-10")
    try:
        late = reports.not_pushed(district)
    finally:
        district.close()
    assert len(late) == 3  # every school's newest merge is of November: before the 2nd quarter ended
    assert set(late["period_end"]) == {"28.12.2026"}  # the 2nd quarter and 10А's 1st half-year
    district = reports.open_district(cluster.url(), period="1", today=TODAY.isoformat())
    try:
        attendance = reports.attendance_by_school(district)
        filling = reports.filling_by_school(district)
    finally:
        district.close()
    assert len(attendance) == 3 and (attendance["lessons_missed"] > 0).all()
    assert len(filling) == 3 and (filling["lessons"] > 0).all()


@pytest.mark.slow
def test_district_report_command_writes_a_pdf(cluster, schools, tmp_path):
    from support.pdf_tools import pdf_words

    env = {**os.environ, "PYTHONPATH": str(ROOT), "JOURNAL_DISTRICT_DB": cluster.url()}
    done = subprocess.run([sys.executable, "-m", "journal.cli.main", "district", "report", "progress",
                           "--period", "1", "--today", "10.11.2026", "--out", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    pdfs = list(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 1
    words = pdf_words(pdfs[0])
    assert "2026-" not in words  # dates are written 28.12.2026
    assert "Успеваемость по району" in words and "№2" in words
