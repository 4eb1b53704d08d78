"""The settings sheets of kinds of work, norms and school events."""

from __future__ import annotations

import re

from journal.core.text import is_blank, name_key, parse_date_value, text_key
from journal.school.settings import (
    ALL_CLASSES_RU,
    MinMarksRule,
    Norms,
    SchoolClass,
    SchoolEvent,
    Settings,
    WorkKind,
    normalise_class_name,
)
from journal.workbooks.settings_format import (
    COL_EVENT_DATE,
    COL_EVENT_FOR,
    COL_EVENT_TITLE,
    COL_KIND,
    COL_MIN_HOURS,
    COL_MIN_MARKS,
    COL_PARAM,
    COL_VALUE,
    COL_WEIGHT,
    COL_WRITTEN,
    EVENT_FOR_SCHOOL,
    NAME_EVENTS,
    NAME_KINDS,
    NAME_MIN_MARKS,
    NAME_NORMS,
    NORM_INT_FIELDS,
    NORM_RANGES,
    NORM_ROWS,
    SHEET_CLASSES,
    SHEET_EVENTS,
    SHEET_KINDS,
    SHEET_NORMS,
)
from journal.workbooks.settings_read_base import Reader, parse_yes_no


def read_events(r: Reader, classes: list[SchoolClass], s: Settings) -> list[SchoolEvent]:
    """The sheet «События»; a settings file made before it has none. A row that cannot be
    shown is a warning (N53), never a reason to refuse the settings."""
    rows, _first = r.area(NAME_EVENTS, SHEET_EVENTS, (COL_EVENT_DATE, COL_EVENT_TITLE),
                          (COL_EVENT_FOR,), may_lack=True)
    by_name = {c.name: c for c in classes}
    events: list[SchoolEvent] = []
    for row in rows:
        title = r.text(row, COL_EVENT_TITLE, SHEET_EVENTS)
        value = row.values.get(COL_EVENT_DATE)
        day = None if is_blank(value) else parse_date_value(value)
        cell = row.cells.get(COL_EVENT_DATE, "")
        if not title:
            r.warn("N53", "У события нет названия: строка не попадёт в дневники. Впишите, что будет.",
                   SHEET_EVENTS, row.cells.get(COL_EVENT_TITLE, ""))
            continue
        if day is None:
            told = "не указана дата" if is_blank(value) else f"«{value}» — не дата"
            r.warn("N53", f"Событие «{title}»: {told}. Впишите дату в виде ДД.ММ.ГГГГ.", SHEET_EVENTS, cell)
            continue
        if day < s.year_start or day > s.year_end:
            r.warn("N53", f"Событие «{title}»: {day:%d.%m.%Y} — вне учебного года. Проверьте дату.",
                   SHEET_EVENTS, cell)
            continue
        audience = r.text(row, COL_EVENT_FOR, SHEET_EVENTS)
        names: list[str] = []
        unknown = ""
        if name_key(audience) not in ("", EVENT_FOR_SCHOOL, "вся школа", "все", ALL_CLASSES_RU):
            for part in re.split(r"[,;]\s*", audience):
                if not part.strip():
                    continue
                found = by_name.get(normalise_class_name(part))
                if found is None:
                    unknown = part.strip()
                    break
                names.append(found.name)
        if unknown:
            r.warn("N53", f"Событие «{title}»: класса «{unknown}» нет на листе «{SHEET_CLASSES}». "
                          f"Впишите «{EVENT_FOR_SCHOOL}» или классы через запятую: 5А, 6Б.",
                   SHEET_EVENTS, row.cells.get(COL_EVENT_FOR, ""))
            continue
        events.append(SchoolEvent(day, title, tuple(dict.fromkeys(names))))
    return events


def read_kinds(r: Reader) -> list[WorkKind]:
    """The sheet of kinds of work with their weights."""
    rows, first = r.area(NAME_KINDS, SHEET_KINDS, (COL_KIND, COL_WEIGHT), (COL_WRITTEN,))
    kinds: list[WorkKind] = []
    seen: dict[str, int] = {}
    for row in rows:
        name = r.text(row, COL_KIND, SHEET_KINDS, required=True)
        weight = r.number(row, COL_WEIGHT, SHEET_KINDS)
        written = parse_yes_no(row.values.get(COL_WRITTEN))
        if written is None:
            r.error("N10", f"«{row.values.get(COL_WRITTEN)}»: впишите «да» или «нет».",
                    SHEET_KINDS, row.cells[COL_WRITTEN])
        if weight is not None and weight <= 0:
            r.error("N37", "Вес вида работы должен быть больше нуля, например 1 или 1,5.",
                    SHEET_KINDS, row.cells[COL_WEIGHT])
            weight = None
        if not name or weight is None:
            continue
        key = text_key(name)
        if key in seen:
            r.error("N38", f"Вид работы «{name}» уже есть в строке {seen[key]}. "
                                          f"Удалите повтор.", SHEET_KINDS, row.cells[COL_KIND])
            continue
        seen[key] = row.number
        kinds.append(WorkKind(name, weight, bool(written)))
    if not kinds and first:
        r.error("N39", "Не указано ни одного вида работы. Впишите хотя бы «Ответ на уроке» "
                                "с весом 1.", SHEET_KINDS, first)
    return kinds


def read_norms(r: Reader) -> Norms:
    """The sheet «Нормы»: each norm row checked against its allowed range."""
    rows, first = r.area(NAME_NORMS, SHEET_NORMS, (COL_PARAM, COL_VALUE))
    by_label = {name_key(row.values.get(COL_PARAM)): row for row in rows}
    values: dict[str, object] = {}
    for label, attr, _note in NORM_ROWS:
        row = by_label.get(name_key(label))
        if row is None:
            if first:
                r.error("N06", f"На листе нет строки «{label}». Верните её и впишите "
                                           f"значение.", SHEET_NORMS, first)
            continue
        number = r.number(row, COL_VALUE, SHEET_NORMS, integer=attr in NORM_INT_FIELDS)
        if number is None:
            continue
        low, high = NORM_RANGES[attr]
        if not low <= number <= high:
            shown = (f"{low:g}–{high:g}").replace(".", ",")
            r.error("N40", f"«{label}»: значение {number:g} вне допустимых пределов "
                                      f"{shown}. Впишите число из этих пределов.",
                    SHEET_NORMS, row.cells[COL_VALUE])
            continue
        values[attr] = int(number) if attr in NORM_INT_FIELDS else number
    min_rows, min_first = r.area(NAME_MIN_MARKS, SHEET_NORMS, (COL_MIN_HOURS, COL_MIN_MARKS))
    rules: list[MinMarksRule] = []
    for row in min_rows:
        hours = r.number(row, COL_MIN_HOURS, SHEET_NORMS)
        marks = r.number(row, COL_MIN_MARKS, SHEET_NORMS, integer=True)
        if hours is not None and hours <= 0:
            r.error("N40", "Часов в неделю — число больше нуля.", SHEET_NORMS,
                    row.cells[COL_MIN_HOURS])
            continue
        if marks is not None and not 0 <= marks <= 50:
            r.error("N40", "Минимум отметок за период — от 0 до 50.", SHEET_NORMS,
                    row.cells[COL_MIN_MARKS])
            continue
        if hours is not None and marks is not None:
            rules.append(MinMarksRule(hours, int(marks)))
    if rules:
        values["min_marks"] = tuple(rules)
    elif min_first:
        r.warn("N41", "Таблица минимума отметок пуста — накопляемость отметок не будет "
                                   "проверяться.", SHEET_NORMS, min_first)
        values["min_marks"] = ()
    return Norms(**values)  # type: ignore[arg-type]
