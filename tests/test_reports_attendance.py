"""Attendance in the 1st quarter, on the fixture school."""

from __future__ import annotations

import pytest
from support.reports_fixtures import load_fixture, make_settings

from journal.reports import attendance
from journal.reports.data import Dataset, empty_dataset


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_fixture(tmp_path_factory.mktemp("a"))


@pytest.fixture(scope="module")
def ranges() -> dict:
    return attendance.report_ranges(make_settings(), "1", today="2026-10-12")


def test_whole_days(data: Dataset, ranges: dict) -> None:
    days = attendance.whole_days(data, ranges)
    found = {(s, d.strftime("%d.%m"), r) for s, d, r in zip(days["student"], days["date"],
                                                           days["reason"], strict=True)}
    # Васильев missed both lessons of 14.09 (maths, Russian) and the only one of 16.09;
    # Григорьев missed maths on 07.09 but was at Russian, so that is no whole day.
    assert found == {("Васильев Пётр", "14.09", "Б"), ("Васильев Пётр", "16.09", "Б"),
                     ("Егоров Сергей", "21.09", "У")}


def test_per_student(data: Dataset, ranges: dict) -> None:
    students = attendance.student_attendance(data, ranges).set_index("student")
    v = students.loc["Васильев Пётр"]
    assert (v["lessons_missed"], v["missed_Б"], v["days_missed"], v["days_Б"]) == (3, 3, 2, 2)
    g = students.loc["Григорьев Олег"]  # Н on 07.09, late (О) on 09.09: late is not missed
    assert (g["lessons_missed"], g["missed_Н"], g["late"], g["days_missed"]) == (1, 1, 1, 0)
    assert students.loc["Алексеев Иван", "lessons_missed"] == 0
    # Дмитриева left on 05.10 but was on the list during the quarter
    assert "Дмитриева Ольга" in students.index


def test_per_class_subject_and_week(data: Dataset, ranges: dict) -> None:
    classes = attendance.class_attendance(attendance.student_attendance(data, ranges)).set_index("class")
    assert (classes.loc["5А", "students"], classes.loc["5А", "lessons_missed"],
            classes.loc["5А", "late"], classes.loc["5А", "days_missed"]) == (6, 5, 1, 3)
    subjects = attendance.subject_attendance(data, ranges).set_index("subject")
    assert (subjects.loc["Математика", "lessons"], subjects.loc["Математика", "lessons_missed"],
            subjects.loc["Математика", "late"]) == (5, 4, 1)
    weeks = attendance.weekly_attendance(data, ranges)
    assert [(w.strftime("%d.%m"), b, u, n, o) for w, b, u, n, o in
            zip(weeks["week"], weeks["Б"], weeks["У"], weeks["Н"], weeks["О"], strict=True)] == [
        ("07.09", 0, 0, 1, 1), ("14.09", 3, 0, 0, 0), ("21.09", 0, 1, 0, 0)]


def test_date_range_limits(data: Dataset) -> None:
    ranges = attendance.report_ranges(make_settings(), start="2026-09-15", end="2026-09-30")
    students = attendance.student_attendance(data, ranges).set_index("student")
    assert students.loc["Васильев Пётр", "lessons_missed"] == 1  # only 16.09


def test_empty_dataset(ranges: dict) -> None:
    empty = empty_dataset()
    assert attendance.whole_days(empty, ranges).empty
    students = attendance.student_attendance(empty, ranges)
    assert students.empty
    assert attendance.class_attendance(students).empty
    assert attendance.subject_attendance(empty, ranges).empty
    assert attendance.weekly_attendance(empty, ranges).empty
