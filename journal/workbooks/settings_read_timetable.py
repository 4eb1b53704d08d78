"""The settings sheets of the timetable: the weekly timetable, its hours, and its changes."""

from __future__ import annotations

import datetime as dt
import re

from journal.core.text import is_blank
from journal.school.settings import (
    ALL_CLASSES_RU,
    CANCEL,
    CHANGE_KIND_RU,
    EXTRA,
    MOVE,
    WEEKDAYS_RU,
    CurriculumItem,
    Settings,
    TimetableChange,
    TimetableEntry,
    normalise_class_name,
)
from journal.workbooks.settings_format import (
    COL_CHANGE,
    COL_CHANGE_CLASS,
    COL_CHANGE_SUBJECT,
    COL_CLASS,
    COL_DATE,
    COL_DATE_TO,
    COL_GROUP,
    COL_LESSON_NO,
    COL_NEW_DATE,
    COL_NEW_LESSON_NO,
    COL_REASON,
    COL_SUBJECT,
    COL_VALID_FROM,
    COL_VALID_TO,
    COL_WEEKDAY,
    LESSON_NO_MAX,
    NAME_CHANGES,
    NAME_TIMETABLE,
    SHEET_CHANGES,
    SHEET_CLASSES,
    SHEET_CURRICULUM,
    SHEET_TIMETABLE,
)
from journal.workbooks.settings_read_base import (
    Reader,
    Row,
    Year,
    dates_range,
    group_name,
    overlap,
    parse_weekday,
    span_text,
)


def read_timetable(r: Reader, curriculum: list[CurriculumItem], year: Year) -> list[TimetableEntry]:
    """The weekly timetable, each lesson matched to a curriculum line."""
    rows, _first = r.area(NAME_TIMETABLE, SHEET_TIMETABLE,
                          (COL_CLASS, COL_SUBJECT, COL_WEEKDAY, COL_LESSON_NO),
                          (COL_GROUP, COL_VALID_FROM, COL_VALID_TO))
    lookup = {(c.class_name, c.subject.lower(), c.group.lower()): c for c in curriculum}
    known_classes = {c.class_name for c in curriculum}
    entries: list[TimetableEntry] = []
    slots: dict[tuple[str, int, int], list[tuple[TimetableEntry, Row]]] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_TIMETABLE, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_TIMETABLE, required=True)
        group = group_name(r.text(row, COL_GROUP, SHEET_TIMETABLE))
        weekday_value = row.values.get(COL_WEEKDAY)
        weekday = parse_weekday(weekday_value)
        if is_blank(weekday_value):
            r.text(row, COL_WEEKDAY, SHEET_TIMETABLE, required=True)
        elif weekday is None:
            r.error("N32", f"«{weekday_value}» — не день недели. Выберите из списка "
                                   f"(понедельник … суббота) или впишите число 1–6.",
                    SHEET_TIMETABLE, row.cells[COL_WEEKDAY])
        lesson = r.number(row, COL_LESSON_NO, SHEET_TIMETABLE, integer=True)
        if lesson is not None and not 1 <= lesson <= LESSON_NO_MAX:
            r.error("N33", f"Номер урока — от 1 до {LESSON_NO_MAX}.", SHEET_TIMETABLE,
                    row.cells[COL_LESSON_NO])
            lesson = None
        span = dates_range(r, row, SHEET_TIMETABLE, COL_VALID_FROM, COL_VALID_TO, year)
        if not raw or not subject:
            continue
        item = lookup.get((normalise_class_name(raw), subject.lower(), group.lower()))
        if item is None:
            where = f"{raw}, {subject}{', ' + group if group else ''}"
            hint = ("" if normalise_class_name(raw) in known_classes else
                    f" У класса «{raw}» нет ни одной строки учебного плана.")
            r.error("N34", f"Урока «{where}» нет в учебном плане.{hint} Проверьте "
                                             f"класс, предмет и группу — они должны совпадать с "
                                             f"листом «{SHEET_CURRICULUM}».", SHEET_TIMETABLE,
                    row.cells[COL_SUBJECT])
            continue
        if weekday is None or lesson is None or span is None:
            continue
        entry = TimetableEntry(item.class_name, item.subject, item.group, weekday, int(lesson), *span)
        slot = (item.class_name, weekday, int(lesson))
        for other, other_row in slots.get(slot, []):
            if not overlap((other.valid_from, other.valid_to), span):
                continue
            same = (other.subject, other.group) == (entry.subject, entry.group)
            if same or not (other.group and entry.group):
                dated = " в те же сроки" if span != (None, None) else ""
                r.error("N35", f"У {item.class_name} в {WEEKDAYS_RU[weekday - 1].lower()} "
                                          f"{int(lesson)}-м уроком{dated} уже стоит «{other.subject}» "
                                          f"(строка {other_row.number}, "
                                          f"{span_text((other.valid_from, other.valid_to))}). "
                                          f"В одно время могут идти только уроки разных групп; "
                                          f"если расписание меняется, впишите старой строке "
                                          f"«{COL_VALID_TO.split(' (')[0]}», новой — «{COL_VALID_FROM}».",
                        SHEET_TIMETABLE, row.cells[COL_LESSON_NO])
                break
        slots.setdefault(slot, []).append((entry, row))
        entries.append(entry)
    _check_hours(r, curriculum, entries)
    return entries


def _check_hours(r: Reader, curriculum: list[CurriculumItem], entries: list[TimetableEntry]) -> None:
    """The weekly lessons of each line equal its hours, on every day the timetable changes."""
    by_key: dict[tuple[str, str, str], list[TimetableEntry]] = {}
    for e in entries:
        by_key.setdefault((e.class_name, e.subject, e.group), []).append(e)
    for item in curriculum:
        mine = by_key.get(item.key, [])
        checks = sorted({dt.date.min} | {e.valid_from for e in mine if e.valid_from}
                        | {e.valid_to + dt.timedelta(days=1) for e in mine if e.valid_to})
        for day in checks:
            n = sum(1 for e in mine if e.applies_on(day))
            if n == item.weekly_hours or (day != dt.date.min and n == 0):
                continue
            group = f" ({item.group})" if item.group else ""
            since = f" (с {day:%d.%m.%Y})" if day != dt.date.min else ""
            r.warn("N36", f"{item.class_name} {item.subject}{group}: в учебном плане "
                                         f"{_ru_number(item.weekly_hours)} ч в неделю, а в расписании"
                                         f"{since} уроков — {n}. "
                                         f"Даты уроков в журнал берутся из расписания; поправьте "
                                         f"расписание или часы.", SHEET_CURRICULUM,
                   r.hours_cells.get(item.key, ""))
            break


def read_changes(r: Reader, s: Settings) -> list[TimetableChange]:
    """The sheet of one-off changes: moves, cancelled days, extra lessons."""
    rows, _first = r.area(NAME_CHANGES, SHEET_CHANGES, (COL_CHANGE, COL_CHANGE_CLASS, COL_DATE),
                          (COL_CHANGE_SUBJECT, COL_GROUP, COL_LESSON_NO, COL_DATE_TO, COL_NEW_DATE,
                           COL_NEW_LESSON_NO, COL_REASON), may_lack=True)
    kinds = {v: k for k, v in CHANGE_KIND_RU.items()}
    kinds.update({"доп. урок": EXTRA, "дополнительный": EXTRA, "актированный день": CANCEL,
                  "карантин": CANCEL, "отмена уроков": CANCEL})
    changes: list[TimetableChange] = []
    sh = SHEET_CHANGES
    for row in rows:
        kind_text = r.text(row, COL_CHANGE, sh, required=True)
        kind = kinds.get(kind_text.lower().strip("."))
        if kind_text and kind is None:
            r.error("N44", f"«{kind_text}» — неизвестное изменение. Выберите «перенос», «отмена» "
                           f"или «дополнительный урок».", sh, row.cells[COL_CHANGE])
        class_text = r.text(row, COL_CHANGE_CLASS, sh, required=True)
        subject = r.text(row, COL_CHANGE_SUBJECT, sh)
        group = group_name(r.text(row, COL_GROUP, sh))
        day = r.date(row, COL_DATE, sh)
        end = r.date(row, COL_DATE_TO, sh, required=False)
        new_day = r.date(row, COL_NEW_DATE, sh, required=kind == MOVE)
        lesson_no = _lesson_no(r, row, COL_LESSON_NO, sh)
        new_lesson_no = _lesson_no(r, row, COL_NEW_LESSON_NO, sh)
        reason = r.text(row, COL_REASON, sh)
        if kind is None or not class_text or day is None or lesson_no is None or new_lesson_no is None:
            continue
        classes = _change_classes(r, row, s, class_text, kind)
        if classes is None:
            continue
        bad_day = next(((d, c) for d, c in ((day, COL_DATE), (end, COL_DATE_TO), (new_day, COL_NEW_DATE))
                        if d is not None and not s.year_start <= d <= s.year_end), None)
        if bad_day is not None:
            r.error("N42", f"{bad_day[0]:%d.%m.%Y} — вне учебного года ({s.year_start:%d.%m.%Y}–"
                           f"{s.year_end:%d.%m.%Y}). Проверьте год в дате.", sh, row.cells[bad_day[1]])
            continue
        if kind == CANCEL:
            if end is not None and end < day:
                r.error("N11", f"«По» ({end:%d.%m.%Y}) раньше первого дня отмены ({day:%d.%m.%Y}). "
                               f"Исправьте одну из дат.", sh, row.cells[COL_DATE_TO])
                continue
            if subject and len(classes) == 1:
                item = s.curriculum_item(next(iter(classes)), subject, group)
                if item is None:
                    _not_in_curriculum(r, row, next(iter(classes)), subject, group)
                    continue
                subject, group = item.subject, item.group
            changes.append(TimetableChange(CANCEL, day, classes, subject, group, end=end, reason=reason))
            continue
        class_name = next(iter(classes))
        item = s.curriculum_item(class_name, subject, group) if subject else None
        if item is None:
            if not subject:
                r.text(row, COL_CHANGE_SUBJECT, sh, required=True,
                       what="Предмет (для переноса и дополнительного урока)")
            else:
                _not_in_curriculum(r, row, class_name, subject, group)
            continue
        change = TimetableChange(kind, day, classes, item.subject, item.group, int(lesson_no),
                                 new_day, int(new_lesson_no), reason=reason)
        if not _check_change(r, row, s, item, change, changes):
            continue
        changes.append(change)
    return changes


def _lesson_no(r: Reader, row: Row, col: str, sheet: str) -> int | None:
    """An optional lesson number: 0 when blank, None (after a finding) when wrong."""
    if is_blank(row.values.get(col)):
        return 0
    number = r.number(row, col, sheet, integer=True)
    if number is not None and not 1 <= number <= LESSON_NO_MAX:
        r.error("N33", f"Номер урока — от 1 до {LESSON_NO_MAX}.", sheet, row.cells[col])
        return None
    return None if number is None else int(number)


def _change_classes(r: Reader, row: Row, s: Settings, text: str,
                    kind: str) -> frozenset[str] | None:
    if text.strip().lower() == ALL_CLASSES_RU:
        if kind != CANCEL:
            r.error("N27", "«все» подходит только для отмены уроков. Для переноса и "
                           "дополнительного урока укажите один класс.", SHEET_CHANGES,
                    row.cells[COL_CHANGE_CLASS])
            return None
        return frozenset()
    names: set[str] = set()
    for part in re.split(r"[,;]\s*", text):
        if not part.strip():
            continue
        found = s.school_class(part)
        if found is None:
            r.error("N27", f"Класса «{part.strip()}» нет на листе «{SHEET_CLASSES}». Исправьте "
                           f"название или впишите «все».", SHEET_CHANGES, row.cells[COL_CHANGE_CLASS])
            return None
        names.add(found.name)
    if kind != CANCEL and len(names) != 1:
        r.error("N27", "Для переноса и дополнительного урока укажите один класс.", SHEET_CHANGES,
                row.cells[COL_CHANGE_CLASS])
        return None
    return frozenset(names)


def _not_in_curriculum(r: Reader, row: Row, class_name: str, subject: str, group: str) -> None:
    where = f"{class_name}, {subject}{', ' + group if group else ''}"
    r.error("N34", f"Урока «{where}» нет в учебном плане. Проверьте класс, предмет и группу — они "
                   f"должны совпадать с листом «{SHEET_CURRICULUM}».", SHEET_CHANGES,
            row.cells.get(COL_CHANGE_SUBJECT) or row.cells[COL_CHANGE_CLASS])


def _check_change(r: Reader, row: Row, s: Settings, item: CurriculumItem,
                  change: TimetableChange, earlier: list[TimetableChange]) -> bool:
    """Check a move or an extra lesson against the calendar and the timetable."""
    school_class = s.school_class(item.class_name)
    assert school_class is not None
    target, target_col = ((change.new_day, COL_NEW_DATE) if change.kind == MOVE
                          else (change.day, COL_DATE))
    assert target is not None
    probe = Settings(s.school_name, s.school_year, s.periods, s.holidays, s.classes, s.curriculum,
                     s.timetable, tuple(earlier))
    if not s.is_school_day(target, school_class) or probe.is_cancelled(target, item):
        r.error("N45", f"{target:%d.%m.%Y} у {item.class_name} уроков нет (каникулы, праздник, "
                       f"воскресенье, отменённый день или вне периодов). Выберите учебный день.",
                SHEET_CHANGES, row.cells[target_col])
        return False
    if change.kind == MOVE:
        weekly = [t for t in s.timetable_for(item) if t.weekday == change.day.isoweekday()
                  and t.applies_on(change.day)]
        if change.lesson_no:
            weekly = [t for t in weekly if t.lesson_no == change.lesson_no]
        held = change.day in probe.lesson_dates(item)
        if not weekly or not held:
            lesson = f" {change.lesson_no}-м уроком" if change.lesson_no else ""
            r.error("N46", f"{change.day:%d.%m.%Y}{lesson} у {item.class_name} нет урока "
                           f"«{item.subject}» по расписанию (или он уже перенесён или отменён). "
                           f"Проверьте дату и номер урока.", SHEET_CHANGES, row.cells[COL_DATE])
            return False
    number = change.new_lesson_no if change.kind == MOVE else change.lesson_no
    if number:
        busy = [t for t in s.timetable if t.class_name == item.class_name
                and t.weekday == target.isoweekday() and t.lesson_no == number
                and t.applies_on(target) and (t.subject, t.group) != (item.subject, item.group)
                and not (t.group and item.group)]
        if busy:
            r.warn("N47", f"{target:%d.%m.%Y} {number}-м уроком у {item.class_name} по расписанию "
                          f"уже стоит «{busy[0].subject}». Проверьте номер урока.", SHEET_CHANGES,
                   row.cells.get(COL_NEW_LESSON_NO if change.kind == MOVE else COL_LESSON_NO, ""))
    return True


def _ru_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")
