"""Russian formatting of dates, numbers, percentages and counted words.

Used by every report, printed copy and letter so that a date or a number looks the same
everywhere: ``28.11.2026``, ``28 ноября 2026 г.``, ``4,25``, ``1 234,50``, ``85,3 %``,
``5 уроков``, ``3-е место из 21``.

Thousands are separated by a no-break space (U+00A0), which never splits a number
across lines; the same no-break space stands before ``%`` and ``г.``.
Rounding is half up, as in school (4,5 → 5, 2,675 → 2,68), never banker's rounding.
A missing value (None, NaN) prints as an em dash.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

NBSP = "\u00a0"
MISSING = "—"

MONTHS_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NaT / NA
    except (TypeError, ValueError):
        return False


def _as_date(value: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text[:10], fmt).date()
            except ValueError:
                continue
    raise ValueError(f"not a date: {value!r}")


def date_ru(value: dt.date | dt.datetime | str | None) -> str:
    """``28.11.2026``; ISO text is accepted; a missing date is an em dash."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    d = _as_date(value)
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def date_short_ru(value: dt.date | dt.datetime | str | None) -> str:
    """``28.11`` — a date without the year, for column headers of a marks grid."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    d = _as_date(value)
    return f"{d.day:02d}.{d.month:02d}"


def date_long_ru(value: dt.date | dt.datetime | str | None) -> str:
    """``28 ноября 2026 г.`` (no-break spaces inside)."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    d = _as_date(value)
    return f"{d.day}{NBSP}{MONTHS_GENITIVE[d.month - 1]} {d.year}{NBSP}г."


def month_ru(value: int | dt.date, *, genitive: bool = False) -> str:
    """The month's name: ``ноябрь`` (or ``ноября`` with ``genitive=True``)."""
    number = value if isinstance(value, int) else value.month
    if not 1 <= number <= 12:
        raise ValueError(f"no month {number}")
    return (MONTHS_GENITIVE if genitive else MONTHS_NOMINATIVE)[number - 1]


def weekday_ru(value: dt.date, *, short: bool = False) -> str:
    """The day of the week: ``суббота`` (or ``сб`` with ``short=True``)."""
    return (WEEKDAYS_SHORT if short else WEEKDAYS)[value.weekday()]


def period_ru(start: dt.date, end: dt.date) -> str:
    """``с 01.09.2026 по 25.10.2026``."""
    return f"с {date_ru(start)} по {date_ru(end)}"


def _rounded(value: float | int | Decimal, digits: int) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number_ru(value: float | int | Decimal | None, digits: int = 2) -> str:
    """``4,25``; ``1 234,50`` (no-break space between thousands); ``—`` when missing.

    ``digits`` is the number of decimals, always shown; ``digits=0`` gives a whole number.
    """
    if _is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return MISSING
    assert value is not None
    rounded = _rounded(value, digits)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,00"
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{digits}f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + NBSP.join(groups)
    return f"{result},{fraction}" if digits > 0 else result


def percent_ru(value: float | int | None, digits: int = 1, *, fraction: bool = False) -> str:
    """``85,3 %`` from 85.3 (or from 0.853 with ``fraction=True``); ``—`` when missing."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    number = float(value) * 100 if fraction else float(value)
    return f"{number_ru(number, digits)}{NBSP}%"


def plural_ru(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a word for ``n``: forms are for 1, 2 and 5 (урок, урока, уроков)."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def count_ru(n: int, forms: tuple[str, str, str]) -> str:
    """``21 урок``, ``3 урока``, ``11 уроков``."""
    return f"{n}{NBSP}{plural_ru(n, forms)}"


def ordinal_place_ru(place: int, total: int | None = None) -> str:
    """``3-е место из 21`` (or ``3-е место`` without ``total``)."""
    text = f"{place}-е место"
    return f"{text} из {total}" if total is not None else text


def initials_ru(full_name: str) -> str:
    """``Иванова Мария Петровна`` → ``Иванова М. П.`` (for signature lines)."""
    parts = full_name.split()
    if not parts:
        return ""
    initials = NBSP.join(f"{p[0].upper()}." for p in parts[1:])
    return f"{parts[0]} {initials}" if initials else parts[0]


FEMALE, MALE = "female", "male"


def sex_ru(full_name: str) -> str | None:
    """A person's sex told by the patronymic of «Фамилия Имя Отчество»: ``FEMALE`` for
    -вна, -чна, -кызы, ``MALE`` for -вич, -ич, -оглы; None when there is no patronymic or
    it does not tell."""
    parts = str(full_name or "").split()
    if len(parts) < 3:
        return None
    last = parts[-1].lower().replace("ё", "е")
    if last in ("кызы", "гызы", "оглы", "углы", "улы") and len(parts) >= 4:
        return FEMALE if last in ("кызы", "гызы") else MALE
    patronymic = parts[2].lower()
    if patronymic.endswith(("вна", "чна", "кызы", "гызы")):
        return FEMALE
    if patronymic.endswith(("ич", "оглы", "углы", "улы")):
        return MALE
    return None


def past_verb_ru(stem: str, full_name: str) -> str:
    """A past-tense verb agreeing with the person: «прибыл» / «прибыла», or «прибыл(а)» when
    the name does not tell (``stem`` is the masculine form)."""
    sex = sex_ru(full_name)
    if sex == MALE:
        return stem
    if sex == FEMALE:
        return stem + "а"
    return stem + "(а)"
