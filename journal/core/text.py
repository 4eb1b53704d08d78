"""Text helpers shared by every layer: cell values as clean text, comparison keys, dates from cells.

Cells come from people: extra spaces, «ё» for «е», whole numbers stored as 5.0, dates typed as
text in half a dozen ways. These functions are the one place where such values are normalised.
"""

from __future__ import annotations

import datetime as dt
import re


def clean_text(value: object) -> str:
    """A cell value as single-spaced text ('' for empty); a whole float loses its «.0»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def cell_text(value: object) -> str:
    """A raw value as clean text: whole floats without «.0», dates as ДД.ММ.ГГГГ."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return " ".join(str(value).split())


def blank_to_none(value: object) -> object:
    """None for an empty cell value ('' or None), the value itself otherwise."""
    if value == "" or value is None:
        return None
    return value


def is_blank(value: object) -> bool:
    """True for None and for text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_key(text: object) -> str:
    """How two spellings of a subject, group or label are compared: case and spaces ignored."""
    return " ".join(str(text or "").split()).lower()


def name_key(name: object) -> str:
    """How two spellings of a full name or a column header are compared: case, spaces and ё ignored."""
    return " ".join(str(name or "").split()).lower().replace("ё", "е")


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y.%m.%d",
                 "%d %m %Y")
_MONTHS_RU = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
              "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}


def parse_date_value(value: object, school_year: str | None = None) -> dt.date | None:
    """A date from a raw cell value, or None.

    Accepts date cells, text such as «01.09.2026», «1.9.26», «2026-09-01»,
    «01/09/2026», «01.09.2026 г.», «1 сентября 2026», an Excel serial number, and — when
    ``school_year`` («2026/2027») is given — a day and month without a year
    («01.09»: September–December in the first year, January–August in the second).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        if 20_000 <= value <= 80_000 and float(value).is_integer():
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    text = " ".join(str(value).strip().lstrip("'").split()).rstrip(".")
    if not text:
        return None
    head = text.split(" ")[0] if re.fullmatch(r"\S+ \d{1,2}:\d{2}(:\d{2})?", text) else text
    head = re.sub(r"(\d)\s*г$", r"\1", head)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{1,2})\s+([а-яё]+)\.?(?:\s+(\d{4}))?(?:\s*г)?", text.lower())
    if m and m.group(2)[:3] in _MONTHS_RU:
        month = _MONTHS_RU[m.group(2)[:3]]
        year = int(m.group(3)) if m.group(3) else _year_for(month, school_year)
        return _safe_date(year, month, int(m.group(1))) if year else None
    m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})", text)
    if m:
        month = int(m.group(2))
        year = _year_for(month, school_year)
        return _safe_date(year, month, int(m.group(1))) if year else None
    return None


def _year_for(month: int, school_year: str | None) -> int | None:
    if not school_year:
        return None
    m = re.match(r"\s*(\d{4})", school_year)
    if not m:
        return None
    first = int(m.group(1))
    return first if month >= 9 else first + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
