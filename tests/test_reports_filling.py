"""Journal filling and mark accumulation in September, on the fixture school."""

from __future__ import annotations

import pandas as pd
import pytest
from support.reports_fixtures import MATH_TEACHER, PE_TEACHER, load_fixture, make_settings

from journal.reports import filling
from journal.reports.data import empty_dataset

SEPTEMBER = {"start": "2026-09-01", "end": "2026-09-30", "today": "2026-09-30"}


@pytest.fixture(scope="module")
def by_subject(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    data = load_fixture(tmp_path_factory.mktemp("f"))
    return filling.filling_by_subject(data, make_settings(), **SEPTEMBER).set_index(
        ["class", "subject"])


def test_lessons_planned_and_filled(by_subject: pd.DataFrame) -> None:
    maths = by_subject.loc[("5А", "Математика")]
    # Mondays and Wednesdays of September 2026: 2, 7, 9, 14, 16, 21, 23, 28, 30
    assert maths["planned"] == 9
    assert (maths["lessons"], maths["with_topic"], maths["with_homework"]) == (5, 4, 2)
    assert maths["topic_pct"] == pytest.approx(80.0)
    assert maths["homework_pct"] == pytest.approx(40.0)
    # Fridays 4, 11, 18, 25; nothing merged
    pe = by_subject.loc[("5А", "Физическая культура")]
    assert (pe["planned"], pe["lessons"]) == (4, 0)


def test_accumulation(by_subject: pd.DataFrame) -> None:
    maths = by_subject.loc[("5А", "Математика")]
    # six students on 30 September (Дмитриева leaves on 5 October); minimum 3 for 2 h a week
    # marks: Алексеев 3, Борисова 3 («5/4» is two), Васильев 2, Григорьев 3, Дмитриева 1, Егоров 0
    assert (maths["students"], maths["no_marks"], maths["one_mark"], maths["below_min"]) == (6, 1, 1, 3)
    assert maths["below_min_pct"] == pytest.approx(50.0)
    physics = by_subject.loc[("10А", "Физика")]
    assert (physics["students"], physics["one_mark"], physics["below_min"]) == (2, 1, 2)


def test_by_teacher(by_subject: pd.DataFrame) -> None:
    teachers = filling.filling_by_teacher(by_subject.reset_index()).set_index("teacher")
    maths = teachers.loc[MATH_TEACHER]  # 5А Математика + 10А Физика
    assert (maths["workbooks"], maths["planned"], maths["lessons"], maths["with_topic"]) == (2, 17, 7, 6)
    assert maths["topic_pct"] == pytest.approx(600 / 7)
    assert teachers.loc[PE_TEACHER, "lessons"] == 0


def test_students_behind(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("b"))
    behind = filling.students_behind(filling.mark_accumulation(data, make_settings(), **SEPTEMBER))
    maths = behind[behind["subject"] == "Математика"]
    assert dict(zip(maths["student"], maths["problem"], strict=True)) == {
        "Васильев Пётр": filling.BELOW_MIN, "Дмитриева Ольга": filling.ONE_MARK,
        "Егоров Сергей": filling.NO_MARKS}


def test_behind_by_student(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("bs"))
    behind = filling.behind_by_student(filling.mark_accumulation(data, make_settings(), **SEPTEMBER))
    rows = behind.set_index("student")
    # Егоров: no marks anywhere; Васильев: 2 of 3 in maths, 1 in Russian, none in PE/ОДНКНР
    assert rows.loc["Егоров Сергей", "no_marks_subjects"] == \
        "Математика, ОДНКНР, Русский язык, Физическая культура"
    assert rows.loc["Васильев Пётр", "below_min_subjects"] == "Математика (2 из 3)"
    assert rows.loc["Васильев Пётр", "one_mark_subjects"] == "Русский язык"
    assert list(behind["class"].drop_duplicates()) == ["5А", "10А"]


def test_student_who_left_is_not_counted_after_leaving(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("l"))
    october = filling.mark_accumulation(data, make_settings(), "2026-10-01", "2026-10-31")
    assert "Дмитриева Ольга" not in set(october["student"])


def test_empty_dataset() -> None:
    empty = empty_dataset()
    frame = filling.filling_by_subject(empty, make_settings(), **SEPTEMBER)
    assert frame.empty
    assert filling.filling_by_teacher(frame).empty
    assert filling.students_behind(filling.mark_accumulation(empty, make_settings(), **SEPTEMBER)).empty


def test_a_lesson_column_with_nothing_entered_is_not_a_lesson_held(tmp_path) -> None:
    import sqlite3

    from support.reports_fixtures import build_dataset

    from journal.reports.data import load

    path = build_dataset(tmp_path / "journal.sqlite")
    with sqlite3.connect(path) as conn:  # 28.09 and 30.09: columns merged, nothing typed in them
        conn.executemany(
            "INSERT INTO lessons (id, class, subject, grp, date, seq, period, kind, topic, homework,"
            " teacher) VALUES (?, '5А', 'Математика', '', ?, 1, '1 четверть', '', '', '', ?)",
            [(50, "2026-09-28", MATH_TEACHER), (51, "2026-09-30", MATH_TEACHER)])
    rows = filling.filling_by_subject(load(path), make_settings(), **SEPTEMBER).set_index(
        ["class", "subject"])
    assert rows.loc[("5А", "Математика"), "lessons"] == 5  # 21.09 has no topic but an absence
