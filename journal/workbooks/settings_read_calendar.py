"""The settings sheets of the calendar: the school and year, periods and their sets, holidays,
unmarked weeks."""

from __future__ import annotations

import datetime as dt
import re

from journal.core.text import is_blank, name_key, parse_date_value, text_key
from journal.school.settings import (
    HALVES,
    PERIOD_SET_BY_RU,
    PERIOD_SET_RU,
    QUARTERS,
    Holiday,
    Period,
    SchoolClass,
    UnmarkedRule,
)
from journal.workbooks.settings_format import (
    COL_END,
    COL_GRADES,
    COL_NAME,
    COL_NUMBER,
    COL_PARAM,
    COL_SET,
    COL_START,
    COL_UNMARKED_GRADE,
    COL_UNMARKED_UNTIL,
    COL_VALUE,
    NAME_HOLIDAYS,
    NAME_PERIODS,
    NAME_SCHOOL,
    NAME_UNMARKED,
    ROW_DEPUTY,
    ROW_DIRECTOR,
    ROW_RATING,
    ROW_SCHOOL_NAME,
    ROW_TODAY,
    ROW_YEAR,
    SHEET_HOLIDAYS,
    SHEET_PERIODS,
    SHEET_SCHOOL,
)
from journal.workbooks.settings_read_base import Reader, Row, Year, parse_grades, parse_yes_no


def _set_of(text: str) -> str | None:
    key = text.strip().lower()
    if key in PERIOD_SET_BY_RU:
        return PERIOD_SET_BY_RU[key]
    if key.startswith("четвер"):
        return QUARTERS
    if key.startswith("полугод"):
        return HALVES
    return None


def read_school(r: Reader) -> dict[str, object]:
    """The sheet «Школа»: name, school year, director, deputy, today and rating."""
    rows, first = r.area(NAME_SCHOOL, SHEET_SCHOOL, (COL_PARAM, COL_VALUE))
    by_label = {name_key(row.values.get(COL_PARAM)): row for row in rows}
    out: dict[str, object] = {"name": "", "year": "", "director": "", "deputy": "", "today": None,
                              "rating": True}
    if not first:
        return out

    def get(label: str) -> Row | None:
        row = by_label.get(name_key(label))
        if row is None:
            r.error("N06", f"На листе нет строки «{label}». Верните её в столбец "
                                       f"«{COL_PARAM}» и заполните значение.", SHEET_SCHOOL, first)
        return row

    row = get(ROW_SCHOOL_NAME)
    if row is not None:
        out["name"] = r.text(row, COL_VALUE, SHEET_SCHOOL)
        if not out["name"]:
            r.error("N12", "Впишите полное название школы — оно печатается в отчётах, "
                                       "бумажных копиях и письмах родителям.",
                    SHEET_SCHOOL, row.cells[COL_VALUE])
    row = get(ROW_YEAR)
    if row is not None:
        year = r.text(row, COL_VALUE, SHEET_SCHOOL).replace("-", "/").replace(" ", "")
        m = re.fullmatch(r"(\d{4})/(\d{4})", year)
        if m is None or int(m.group(2)) != int(m.group(1)) + 1:
            r.error("N13", f"Учебный год «{year}» не распознан. Впишите его в виде "
                                       f"2026/2027.", SHEET_SCHOOL, row.cells[COL_VALUE])
        else:
            out["year"] = year
    for label, key, what in ((ROW_DIRECTOR, "director", "директора"),
                             (ROW_DEPUTY, "deputy", "заместителя директора по УВР")):
        row = get(label)
        if row is not None:
            out[key] = r.text(row, COL_VALUE, SHEET_SCHOOL)
            if not out[key]:
                r.warn("N14", f"Не указано ФИО {what}: без него в бумажных копиях "
                                        f"останется пустое место для подписи.",
                       SHEET_SCHOOL, row.cells[COL_VALUE])
    row = by_label.get(name_key(ROW_RATING))  # optional: older workbooks lack it
    if row is not None and not is_blank(row.values.get(COL_VALUE)):
        rating = parse_yes_no(row.values.get(COL_VALUE))
        if rating is None:
            r.error("N10", f"«{ROW_RATING}»: «{row.values.get(COL_VALUE)}» — впишите «да» или «нет».",
                    SHEET_SCHOOL, row.cells[COL_VALUE])
        else:
            out["rating"] = rating
    row = by_label.get(name_key(ROW_TODAY))
    if row is not None:
        out["today"] = r.date(row, COL_VALUE, SHEET_SCHOOL, required=False)
    return out


def read_periods(r: Reader, year: object) -> list[Period]:
    """The sheet of periods: quarters and halves with their dates."""
    rows, _first = r.area(NAME_PERIODS, SHEET_PERIODS,
                          (COL_SET, COL_NUMBER, COL_START, COL_END), (COL_NAME,))
    periods: list[tuple[Period, Row]] = []
    for row in rows:
        set_text = r.text(row, COL_SET, SHEET_PERIODS, required=True)
        pset = _set_of(set_text) if set_text else None
        if set_text and pset is None:
            r.error("N15", f"«{set_text}» — неизвестный набор периодов. Выберите "
                                      f"«Четверти» или «Полугодия».", SHEET_PERIODS, row.cells[COL_SET])
        number = r.number(row, COL_NUMBER, SHEET_PERIODS, integer=True)
        if number is not None and not 1 <= number <= 4:
            r.error("N16", "Номер периода — от 1 до 4 (четверти) или 1–2 (полугодия).",
                    SHEET_PERIODS, row.cells[COL_NUMBER])
            number = None
        start = r.date(row, COL_START, SHEET_PERIODS)
        end = r.date(row, COL_END, SHEET_PERIODS)
        if start and end and end < start:
            r.error("N11", f"Конец периода {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_PERIODS, row.cells[COL_END])
            continue
        if pset is None or number is None or start is None or end is None:
            continue
        name = r.text(row, COL_NAME, SHEET_PERIODS) or (
            f"{int(number)} {'четверть' if pset == QUARTERS else 'полугодие'}")
        periods.append((Period(pset, int(number), name, start, end), row))
    m = re.fullmatch(r"(\d{4})/\d{4}", str(year or ""))
    if m:
        first_day = dt.date(int(m.group(1)), 9, 1) - dt.timedelta(days=14)
        last_day = dt.date(int(m.group(1)) + 1, 8, 31)
        for p, row in periods:
            if p.start < first_day or p.end > last_day:
                r.error("N17", f"Период «{p.name}» ({p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}) "
                                           f"не входит в {year} учебный год. Проверьте год в датах.",
                        SHEET_PERIODS, row.cells[COL_START])
    for pset in (QUARTERS, HALVES):
        seen: dict[int, Period] = {}
        ordered = sorted((pr for pr in periods if pr[0].set == pset), key=lambda pr: pr[0].start)
        for i, (p, row) in enumerate(ordered):
            if p.number in seen:
                r.error("N18", f"{PERIOD_SET_RU[pset]}: номер {p.number} указан "
                                                f"дважды. У каждого периода свой номер.",
                        SHEET_PERIODS, row.cells[COL_NUMBER])
            seen[p.number] = p
            if i > 0 and p.start <= ordered[i - 1][0].end:
                prev = ordered[i - 1][0]
                r.error("N19", f"«{p.name}» начинается {p.start:%d.%m.%Y}, а "
                                              f"«{prev.name}» кончается только {prev.end:%d.%m.%Y}. "
                                              f"Периоды одного набора не должны пересекаться.",
                        SHEET_PERIODS, row.cells[COL_START])
    return [p for p, _row in periods]


def check_period_sets(r: Reader, periods: list[Period], classes: list[SchoolClass]) -> None:
    """An error for each period set (quarters, halves) the classes need and the sheet lacks."""
    needed = {c.period_set for c in classes} or {QUARTERS, HALVES}
    present = {p.set for p in periods}
    first = _area_first_cell(r, NAME_PERIODS)
    for pset in sorted(needed - present):
        who = "1–9 классов" if pset == QUARTERS else "10–11 классов"
        r.error("N20", f"Нет ни одной строки «{PERIOD_SET_RU[pset]}» — они нужны "
                                          f"для {who}. Впишите периоды с датами.", SHEET_PERIODS, first)


def _area_first_cell(r: Reader, name: str) -> str:
    found = r.area_cells(name)
    return found[1][0][0].coordinate if found else ""


def read_holidays(r: Reader, periods: list[Period]) -> list[Holiday]:
    """The sheet «Каникулы»: holidays, each for all classes or for some grades."""
    rows, _first = r.area(NAME_HOLIDAYS, SHEET_HOLIDAYS, (COL_NAME, COL_START, COL_END), (COL_GRADES,))
    year_start = min((p.start for p in periods), default=None)
    year_end = max((p.end for p in periods), default=None)
    holidays: list[Holiday] = []
    for row in rows:
        name = r.text(row, COL_NAME, SHEET_HOLIDAYS, required=True)
        start = r.date(row, COL_START, SHEET_HOLIDAYS)
        end = r.date(row, COL_END, SHEET_HOLIDAYS)
        grades_text = r.text(row, COL_GRADES, SHEET_HOLIDAYS)
        grades = parse_grades(grades_text)
        if grades is None:
            r.error("N21", f"«{grades_text}» — не список параллелей. Пишите «1», "
                                          f"«1, 2» или «1–4»; пусто — для всех классов.",
                    SHEET_HOLIDAYS, row.cells.get(COL_GRADES, ""))
            continue
        if not (name and start and end):
            continue
        if end < start:
            r.error("N11", f"Конец каникул {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_HOLIDAYS, row.cells[COL_END])
            continue
        if year_start and year_end:
            if end < year_start or start > year_end:
                r.error("N22", f"«{name}» ({start:%d.%m.%Y}–{end:%d.%m.%Y}) целиком "
                                               f"вне учебного года ({year_start:%d.%m.%Y}–"
                                               f"{year_end:%d.%m.%Y}). Проверьте год в датах.",
                        SHEET_HOLIDAYS, row.cells[COL_START])
            elif start < year_start or end > year_end:
                r.warn("N22", f"«{name}» выходит за границы учебного года "
                                              f"({year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}); дни вне "
                                              f"года не учитываются.",
                       SHEET_HOLIDAYS, row.cells[COL_START])
        holidays.append(Holiday(name, start, end, grades))
    return holidays


def read_unmarked(r: Reader, periods: list[Period], year: Year) -> list[UnmarkedRule]:
    """Grades taught without marks until a date or the end of a period."""
    rows, _first = r.area(NAME_UNMARKED, SHEET_PERIODS, (COL_UNMARKED_GRADE, COL_UNMARKED_UNTIL),
                          may_lack=True)
    rules: list[UnmarkedRule] = []
    for row in rows:
        grade = r.number(row, COL_UNMARKED_GRADE, SHEET_PERIODS, integer=True)
        until_value = row.values.get(COL_UNMARKED_UNTIL)
        until_text = r.text(row, COL_UNMARKED_UNTIL, SHEET_PERIODS, required=True)
        if grade is None or not until_text:
            continue
        if not 2 <= grade <= 11:
            r.error("N48", "Параллель — число от 2 до 11 (1 класс и так учится без отметок весь "
                           "год).", SHEET_PERIODS, row.cells[COL_UNMARKED_GRADE])
            continue
        pset = HALVES if grade >= 10 else QUARTERS
        period = next((p for p in periods if p.set == pset
                       and text_key(p.name) == text_key(until_text.replace("конца", "").strip())), None)
        until = period.end if period is not None else parse_date_value(until_value)
        if until_text.strip().lower() in ("весь год", "год") and year is not None:
            until = year[1]
        if until is None or (year is not None and not year[0] <= until <= year[1]):
            names = ", ".join(f"«{p.name}»" for p in periods if p.set == pset)
            r.error("N48", f"«{until_text}» — не дата учебного года и не период {grade} класса "
                           f"({names}). Впишите дату (31.10.2026), название периода или «весь год».",
                    SHEET_PERIODS, row.cells[COL_UNMARKED_UNTIL])
            continue
        rules.append(UnmarkedRule(int(grade), until, until_text))
    return rules
