"""Shared fixtures: a tiny school built in Python (no workbooks committed).

``tiny_settings`` is reused by many test modules; keep it stable. It has:

* 1А — grade 1 (no marks), «Русский язык» twice a week;
* 5А — grade 5 (quarters): «Математика» on Monday and a double lesson on Wednesday,
  «Английский язык» split into «1 группа» / «2 группа»;
* 10А — grade 10 (half-years): «Физика» on Tuesday and Thursday.

Calendar: :func:`journal.school.settings.default_calendar` for 2026/2027.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import pytest

from journal.school.settings import (
    CurriculumItem,
    SchoolClass,
    Settings,
    TimetableEntry,
    default_calendar,
)
from journal.workbooks.format import StudentRecord

TINY_YEAR = 2026

# Settings read by the tests are cached in a folder of their own, never in the user's cache
# (subprocesses started by the tests inherit it).
os.environ["JOURNAL_CACHE_DIR"] = tempfile.mkdtemp(prefix="journal-test-cache-")


def make_tiny_settings() -> Settings:
    """The tiny school's settings (a function so tests can derive variants with dataclasses.replace)."""
    periods, holidays = default_calendar(TINY_YEAR)
    classes = (
        SchoolClass("1А", 1, "А", "Смирнова Ольга Петровна"),
        SchoolClass("5А", 5, "А", "Кузнецова Анна Ивановна"),
        SchoolClass("10А", 10, "А", "Попов Сергей Николаевич"),
    )
    curriculum = (
        CurriculumItem("1А", "Русский язык", "", 5, "Смирнова Ольга Петровна"),
        CurriculumItem("5А", "Математика", "", 3, "Иванова Мария Сергеевна"),
        CurriculumItem("5А", "Английский язык", "1 группа", 2, "Петрова Елена Викторовна"),
        CurriculumItem("5А", "Английский язык", "2 группа", 2, "Соколов Дмитрий Андреевич"),
        CurriculumItem("10А", "Физика", "", 2, "Попов Сергей Николаевич"),
    )
    timetable = (
        TimetableEntry("1А", "Русский язык", "", 1, 1),
        TimetableEntry("1А", "Русский язык", "", 3, 1),
        TimetableEntry("5А", "Математика", "", 1, 2),
        TimetableEntry("5А", "Математика", "", 3, 3),
        TimetableEntry("5А", "Математика", "", 3, 4),
        TimetableEntry("5А", "Английский язык", "1 группа", 2, 1),
        TimetableEntry("5А", "Английский язык", "1 группа", 4, 1),
        TimetableEntry("5А", "Английский язык", "2 группа", 2, 1),
        TimetableEntry("5А", "Английский язык", "2 группа", 5, 2),
        TimetableEntry("10А", "Физика", "", 2, 3),
        TimetableEntry("10А", "Физика", "", 4, 5),
    )
    return Settings(
        school_name="МБОУ «Тестовая СОШ»",
        school_year=f"{TINY_YEAR}/{TINY_YEAR + 1}",
        periods=periods,
        holidays=holidays,
        classes=classes,
        curriculum=curriculum,
        timetable=timetable,
        director="Директоров Иван Иванович",
        deputy="Завучева Нина Павловна",
        today=dt.date(TINY_YEAR, 11, 20),
    )


def make_tiny_students(class_name: str) -> list[StudentRecord]:
    """A few students of a tiny-school class; 5А has groups for English and one student who left."""
    if class_name == "5А":
        eng = "Английский язык"
        return [
            StudentRecord("Алексеев Артём Павлович", dt.date(2015, 3, 2), groups={eng: "1 группа"}),
            StudentRecord("Борисова Дарья Игоревна", dt.date(2015, 7, 19), groups={eng: "2 группа"}),
            StudentRecord("Васильев Егор Андреевич", groups={eng: "1 группа"}),
            StudentRecord("Григорьева София Олеговна", groups={eng: "2 группа"},
                          left=dt.date(TINY_YEAR, 10, 9)),
        ]
    if class_name == "1А":
        return [StudentRecord("Дмитриев Лев Романович"), StudentRecord("Егорова Ева Максимовна")]
    return [StudentRecord("Жуков Иван Сергеевич"), StudentRecord("Зайцева Алина Денисовна"),
            StudentRecord("Ильин Марк Витальевич", joined=dt.date(TINY_YEAR, 11, 16))]


@pytest.fixture
def tiny_settings() -> Settings:
    """A Settings with 1А (grade 1), 5А (split for English) and 10А (half-years)."""
    return make_tiny_settings()


@pytest.fixture
def tiny_students() -> dict[str, list[StudentRecord]]:
    """Class name → the class list of the tiny school."""
    return {name: make_tiny_students(name) for name in ("1А", "5А", "10А")}
