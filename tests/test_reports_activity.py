"""Teachers' activity in the week of 14–20 September, on the fixture school."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest
from support.reports_fixtures import MATH_TEACHER, PE_TEACHER, RUSSIAN_TEACHER, load_fixture, make_settings

from journal.reports import activity
from journal.reports.data import empty_dataset


@pytest.fixture(scope="module")
def teachers(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    data = load_fixture(tmp_path_factory.mktemp("act"))
    start, end = activity.week_of("2026-09-17")
    return activity.teacher_activity(data, start, end, make_settings()).set_index("teacher")


def test_week_of() -> None:
    assert activity.week_of("2026-09-17") == (dt.date(2026, 9, 14), dt.date(2026, 9, 20))
    assert activity.activity_range("", "", "2026-09-20") == (dt.date(2026, 9, 14),
                                                            dt.date(2026, 9, 20))


def test_lessons_and_marks(teachers: pd.DataFrame) -> None:
    maths = teachers.loc[MATH_TEACHER]
    # 14.09 (topic, no homework) and 16.09 (topic, no homework)
    assert (maths["lessons"], maths["with_topic"], maths["with_homework"]) == (2, 2, 0)
    # 1 mark on 14.09 (seen that day) + 4 at the test of 16.09: three seen on 18.09, within
    # the 5 days a written work may be marked in (on time), one on 25.09 (late)
    assert (maths["marks"], maths["marks_on_day"]) == (5, 4)
    assert maths["on_day_pct"] == pytest.approx(80.0)
    # the topic of 14.09 was first seen on 20.09 at 12:00; the 25.09 mark is after the week
    assert maths["last_update"] == pd.Timestamp("2026-09-20 12:00:00")
    russian = teachers.loc[RUSSIAN_TEACHER]
    assert (russian["lessons"], russian["with_homework"], russian["marks_on_day"]) == (1, 1, 1)


def test_teacher_with_nothing_is_listed(teachers: pd.DataFrame) -> None:
    pe = teachers.loc[PE_TEACHER]
    assert (pe["lessons"], pe["marks"]) == (0, 0)
    assert math.isnan(pe["on_day_pct"])


def test_substitute_gets_the_lesson(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = load_fixture(tmp_path_factory.mktemp("sub"))
    lessons = data.lessons.copy()
    lessons.loc[lessons["date"] == pd.Timestamp("2026-09-16"), "substitute"] = "Замена Зоя Петровна"
    marks = data.marks.copy()
    marks.loc[marks["date"] == pd.Timestamp("2026-09-16"), "substitute"] = "Замена Зоя Петровна"
    table = activity.teacher_activity(replace(data, lessons=lessons, marks=marks),
                                      "2026-09-14", "2026-09-20").set_index("teacher")
    assert table.loc["Замена Зоя Петровна", "lessons"] == 1
    assert table.loc["Замена Зоя Петровна", "marks"] == 4
    assert table.loc[MATH_TEACHER, "lessons"] == 1


def test_empty_dataset() -> None:
    assert activity.teacher_activity(empty_dataset(), "2026-09-14", "2026-09-20",
                                     make_settings()).empty
    assert activity.lessons_of_week(empty_dataset(), "2026-09-14", "2026-09-20").empty
