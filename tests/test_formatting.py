"""Russian formatting of dates, numbers, percentages and counted words."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from journal.core.formatting import (
    count_ru,
    date_long_ru,
    date_ru,
    date_short_ru,
    initials_ru,
    month_ru,
    number_ru,
    ordinal_place_ru,
    percent_ru,
    period_ru,
    plural_ru,
    weekday_ru,
)

NB = "\u00a0"
LESSON = ("урок", "урока", "уроков")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 28), "28.11.2026"),
        (dt.date(2027, 1, 5), "05.01.2027"),
        (dt.datetime(2026, 9, 1, 14, 30), "01.09.2026"),
        ("2026-03-08", "08.03.2026"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_date_ru(value: object, expected: str) -> None:
    assert date_ru(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 28), f"28{NB}ноября 2026{NB}г."),
        (dt.date(2026, 3, 1), f"1{NB}марта 2026{NB}г."),
        (dt.date(2027, 5, 31), f"31{NB}мая 2027{NB}г."),
    ],
)
def test_date_long_ru(value: dt.date, expected: str) -> None:
    assert date_long_ru(value) == expected


def test_short_date_and_period() -> None:
    assert date_short_ru(dt.date(2026, 9, 1)) == "01.09"
    assert period_ru(dt.date(2026, 9, 1), dt.date(2026, 10, 25)) == "с 01.09.2026 по 25.10.2026"


@pytest.mark.parametrize(
    ("month", "genitive", "expected"),
    [(1, False, "январь"), (5, True, "мая"), (11, False, "ноябрь"), (12, True, "декабря")],
)
def test_month_ru(month: int, genitive: bool, expected: str) -> None:
    assert month_ru(month, genitive=genitive) == expected
    assert month_ru(dt.date(2026, month, 1), genitive=genitive) == expected


def test_month_out_of_range() -> None:
    with pytest.raises(ValueError):
        month_ru(13)


@pytest.mark.parametrize(
    ("day", "full", "short"),
    [
        (dt.date(2026, 11, 28), "суббота", "сб"),  # 28.11.2026 is a Saturday
        (dt.date(2026, 9, 1), "вторник", "вт"),
        (dt.date(2026, 11, 30), "понедельник", "пн"),
    ],
)
def test_weekday_ru(day: dt.date, full: str, short: str) -> None:
    assert weekday_ru(day) == full
    assert weekday_ru(day, short=True) == short


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (4.25, 2, "4,25"),
        (4.5, 2, "4,50"),
        (2.675, 2, "2,68"),  # half up, not binary-float or banker's rounding
        (4.5, 0, "5"),
        (3.5, 0, "4"),
        (1234.5, 2, f"1{NB}234,50"),
        (1234567, 0, f"1{NB}234{NB}567"),
        (999, 1, "999,0"),
        (-1234.56, 1, f"-1{NB}234,6"),
        (-0.001, 2, "0,00"),
        (None, 2, "—"),
        (math.nan, 2, "—"),
    ],
)
def test_number_ru(value: float | None, digits: int, expected: str) -> None:
    assert number_ru(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (85.26, {}, f"85,3{NB}%"),
        (100, {}, f"100,0{NB}%"),
        (0.853, {"fraction": True}, f"85,3{NB}%"),
        (2 / 3, {"fraction": True, "digits": 0}, f"67{NB}%"),
        (None, {}, "—"),
    ],
)
def test_percent_ru(value: float | None, kwargs: dict, expected: str) -> None:
    assert percent_ru(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "уроков"), (1, "урок"), (2, "урока"), (4, "урока"), (5, "уроков"),
        (11, "уроков"), (12, "уроков"), (14, "уроков"), (21, "урок"), (22, "урока"),
        (101, "урок"), (111, "уроков"), (112, "уроков"), (1001, "урок"),
    ],
)  # fmt: skip
def test_plural_ru(n: int, expected: str) -> None:
    assert plural_ru(n, LESSON) == expected


def test_count_ru() -> None:
    assert count_ru(21, LESSON) == f"21{NB}урок"
    assert count_ru(3, ("отметка", "отметки", "отметок")) == f"3{NB}отметки"


def test_ordinal_place_ru() -> None:
    assert ordinal_place_ru(3, 21) == "3-е место из 21"
    assert ordinal_place_ru(1) == "1-е место"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Иванова Мария Петровна", f"Иванова М.{NB}П."),
        ("Петров  Пётр", "Петров П."),
        ("Сидоров", "Сидоров"),
        ("", ""),
    ],
)
def test_initials_ru(name: str, expected: str) -> None:
    assert initials_ru(name) == expected
