"""A 2nd grade taught without marks in its 1st quarter: nothing demands a mark for it.

The report fixture's 5А is turned into 2А (settings and dataset alike); the settings say
grade 2 gets no marks up to the end of the 1st quarter (25.10.2026). The fixture's marks
and period marks of that quarter are removed, as the merge would have refused them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sqlite3
from pathlib import Path

import pytest
from support.reports_fixtures import build_dataset, make_settings

from journal.dataset import store
from journal.documents.copies.data import load_class_copy
from journal.documents.letters.data import DateRange, build_letters
from journal.reports.data import load
from journal.reports.filling import filling_by_subject, mark_accumulation
from journal.reports.preliminary import preliminary_marks
from journal.reports.progress import period_results
from journal.reports.readiness import readiness
from journal.school.settings import SchoolClass, Settings, UnmarkedRule
from journal.workbooks import format as wf
from journal.workbooks.build import TABLE_HEADER_ROW, build_subject_workbook

Q1_END = dt.date(2026, 10, 25)


def _second_grade(settings: Settings) -> Settings:
    def rename(value: str) -> str:
        return "2А" if value == "5А" else value

    classes = tuple(SchoolClass("2А", 2, "А", c.class_teacher) if c.name == "5А" else c
                    for c in settings.classes)
    return dataclasses.replace(
        settings, classes=classes,
        curriculum=tuple(dataclasses.replace(c, class_name=rename(c.class_name))
                         for c in settings.curriculum),
        timetable=tuple(dataclasses.replace(t, class_name=rename(t.class_name))
                        for t in settings.timetable),
        unmarked=(UnmarkedRule(2, Q1_END, "1 четверть"),))


@pytest.fixture
def school(tmp_path: Path) -> tuple[Path, Settings]:
    path = build_dataset(tmp_path / "journal.sqlite")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE classes SET name = '2А', grade = 2 WHERE name = '5А'")
        for table in ("students", "lessons", "final_marks", "changes"):
            conn.execute(f"UPDATE {table} SET class = '2А' WHERE class = '5А'")
        conn.execute("DELETE FROM marks WHERE lesson_id IN (SELECT id FROM lessons "
                     "WHERE class = '2А')")
        conn.execute("DELETE FROM final_marks WHERE class = '2А'")
    conn.close()
    return path, _second_grade(make_settings())


def test_the_rule_says_which_periods_of_the_second_grade_end_with_a_mark(school):
    _path, settings = school
    second = settings.school_class("2А")
    assert second is not None
    assert settings.gets_marks(second)
    assert settings.final_period_names(second) == ["2 четверть", "3 четверть", "4 четверть"]


def test_reports_leave_the_unmarked_quarter_out_and_keep_the_next(school):
    path, settings = school
    dataset = load(path)
    assert "2А" not in set(period_results(dataset, settings, 1)["class"])
    assert "2А" in set(period_results(dataset, settings, 2)["class"])
    assert "2А" not in set(preliminary_marks(dataset, settings, 1, "2026-10-20")["class"])
    assert "2А" in set(preliminary_marks(dataset, settings, 2, "2026-11-20")["class"])


def test_readiness_asks_for_no_period_mark_of_an_unmarked_quarter(school):
    path, settings = school
    found = readiness(load(path), settings, 1, "2026-10-30")
    assert "2А" in set(found.classes["class"])
    assert "2А" not in set(found.missing["class"])


def test_filling_shows_no_mark_shares_for_the_unmarked_quarter(school):
    path, settings = school
    dataset = load(path)
    assert "2А" not in set(mark_accumulation(dataset, settings, period=1)["class"])
    rows = filling_by_subject(dataset, settings, period=1)
    mine = rows[rows["class"] == "2А"]
    assert not mine.empty
    assert all(math.isnan(v) for v in mine["no_marks_pct"])
    assert (mine["students"] > 0).all()


def test_the_copy_of_the_unmarked_quarter_has_no_marks_and_says_why(school):
    path, settings = school
    second = settings.school_class("2А")
    assert second is not None
    conn = store.connect(path)
    try:
        copy = load_class_copy(conn, settings, second, settings.periods_for(second)[0])
        later = load_class_copy(conn, settings, second, settings.periods_for(second)[1])
    finally:
        conn.close()
    assert not copy.with_marks
    assert copy.unmarked_note.startswith("2 класс без отметок до 25.10.2026 включительно")
    assert not [f for f in copy.findings if f.code == "P02"]
    assert later.with_marks


def test_letters_of_the_unmarked_quarter_show_no_average(school):
    path, settings = school
    conn = store.connect(path)
    try:
        early = build_letters(conn, settings, DateRange(dt.date(2026, 9, 7), dt.date(2026, 9, 20)), "2А")
    finally:
        conn.close()
    assert early and not any(letter.has_marks for letter in early)


def test_the_subject_workbook_has_no_column_for_the_unmarked_quarter(school):
    _path, settings = school
    item = settings.curriculum_item("2А", "Математика")
    assert item is not None
    wb = build_subject_workbook(settings, item, [wf.StudentRecord("Алексеев Иван")])
    header = [c.value for c in wb[wf.SHEET_FINALS][TABLE_HEADER_ROW] if c.value]
    assert "1 четверть" not in header and "2 четверть" in header
    subtitle = " ".join(str(c.value) for c in wb[wf.SHEET_GRID][1] if c.value)
    assert "Без отметок до 25.10.2026 включительно" in subtitle
