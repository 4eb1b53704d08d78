"""What the validation of both kinds of workbook shares: finding codes, the findings of one
workbook, the workbook's class, messages and events to families, students named in a text."""

from __future__ import annotations

import datetime as dt
import re

from journal.core.findings import Finding, error, warning
from journal.core.text import clean_text, name_key, parse_date_value
from journal.intake.records import EventRow, MessageRow
from journal.school.settings import SchoolClass, Settings
from journal.workbooks.format import (
    EVENT_DATE,
    EVENT_TITLE,
    MESSAGE_DATE,
    MESSAGE_TEXT,
    MESSAGE_TO,
    MESSAGE_TO_CLASS,
    SHEET_CLASS_EVENTS,
    SHEET_MESSAGES,
    WorkbookMeta,
)
from journal.workbooks.views import Cell

CLASS_LIST_MISSING = "S03"


DATE_AS_TEXT = "D08"  # a lesson date typed as text (warning: what it was taken as)


MISSING_LESSONS = "D07"  # lesson columns of the timetable missing from the grid


NOTE_NAMES_OTHER = "C10"  # a note to parents names another student of the school


EVENT_BAD_DATE = "E01"  # a message or event without a readable date


EVENT_EMPTY = "E02"  # a message without text, an event without a title


MESSAGE_UNKNOWN_TO = "E03"  # «Кому» is neither «класс» nor a student of the list


MESSAGE_NAMES_OTHER = "E04"  # a message to one family names another student


EVENT_OUTSIDE_YEAR = "E05"  # a message or event dated outside the school year


TO_WHOLE_CLASS = frozenset({MESSAGE_TO_CLASS, "весь класс", "всему классу", "всем", "все", "классу"})


ROWS_MOVED = "S08"  # a grid row holds another student's name than it was built for


FOREIGN_TEACHER = "W08"  # the teacher in _meta is not the one of the settings


class Findings:
    """The findings of one workbook, each stamped with its file and teacher."""

    def __init__(self, file: str, teacher: str) -> None:
        self.file = file
        self.teacher = teacher
        self.items: list[Finding] = []

    def err(self, code: str, message: str, **where: object) -> None:
        self.items.append(error(code, message, file=self.file, teacher=self.teacher, **where))

    def warn(self, code: str, message: str, **where: object) -> None:
        self.items.append(warning(code, message, file=self.file, teacher=self.teacher, **where))


def school_class_of(meta: WorkbookMeta, settings: Settings, found: Findings,
                    noun: str) -> SchoolClass | None:
    """The workbook's class from the settings; W02 for another school year, W01 for no such class."""
    if meta.school_year and meta.school_year != settings.school_year:
        found.err("W02", f"{noun} за {meta.school_year} учебный год, а в настройках школы "
                         f"{settings.school_year}. Возьмите {noun} этого года у ответственного за ЭЖ")
    school_class = settings.school_class(meta.class_name)
    if school_class is None:
        found.err("W01", f"класса «{meta.class_name}» нет в настройках школы. Проверьте, тот ли это "
                         "файл, или попросите ответственного за ЭЖ добавить класс")
    return school_class


def _entry_date(row: dict[str, Cell], header: str, sheet: str, what: str, settings: Settings,
                found: Findings) -> dt.date | None:
    """The date of a message or event row; a finding (and None) when it is missing, unreadable
    or outside the school year."""
    cell = row.get(header)
    typed = clean_text(cell.value) if cell else ""
    day = parse_date_value(cell.value, settings.school_year) if cell and typed else None
    if day is None:
        told = f"«{typed}» не дата" if typed else "не указана дата"
        found.warn(EVENT_BAD_DATE, f"{what}: {told}. Впишите дату ДД.ММ.ГГГГ — без неё {what} "
                                   "не попадёт в дневник", sheet=sheet, cell=cell.cell if cell else "")
        return None
    if day < settings.year_start or day > settings.year_end:
        found.warn(EVENT_OUTSIDE_YEAR, f"{what}: дата {day:%d.%m.%Y} вне учебного года "
                                       f"{settings.school_year}. Проверьте дату", sheet=sheet,
                   cell=cell.cell if cell else "", date=day)
        return None
    return day


def validate_events(rows: list[dict[str, Cell]], settings: Settings, found: Findings) -> list[EventRow]:
    """The class events that can be shown: with a date in the school year and a title."""
    events: list[EventRow] = []
    for row in rows:
        title_cell = row.get(EVENT_TITLE)
        title = clean_text(title_cell.value) if title_cell else ""
        if not title:
            found.warn(EVENT_EMPTY, "у события нет названия. Впишите, что будет, или очистите строку",
                       sheet=SHEET_CLASS_EVENTS, cell=title_cell.cell if title_cell else "")
            continue
        day = _entry_date(row, EVENT_DATE, SHEET_CLASS_EVENTS, "событие", settings, found)
        if day is not None:
            events.append(EventRow(day, title, title_cell.cell if title_cell else ""))
    return events


def validate_messages(rows: list[dict[str, Cell]], students: list[str], settings: Settings,
                      found: Findings) -> list[MessageRow]:
    """The messages that can be delivered: a date in the school year, a text, and «класс» or a
    student of ``students`` in «Кому»; a message to one family naming another student is kept
    with a warning (as notes are)."""
    names = {name_key(s): s for s in students}
    messages: list[MessageRow] = []
    for row in rows:
        text_cell = row.get(MESSAGE_TEXT)
        text = clean_text(text_cell.value) if text_cell else ""
        to_cell = row.get(MESSAGE_TO)
        to = clean_text(to_cell.value) if to_cell else ""
        where = {"sheet": SHEET_MESSAGES, "cell": text_cell.cell if text_cell else ""}
        if not text:
            found.warn(EVENT_EMPTY, "у сообщения нет текста. Впишите текст или очистите строку", **where)
            continue
        if not to or name_key(to) in TO_WHOLE_CLASS:
            student = ""
            if not to:
                found.warn(MESSAGE_UNKNOWN_TO, f"не указано, кому сообщение. Впишите «{MESSAGE_TO_CLASS}» "
                                               "или ФИО ученика — до тех пор сообщение не попадёт в "
                                               "дневник", sheet=SHEET_MESSAGES,
                           cell=to_cell.cell if to_cell else "")
                continue
        elif name_key(to) in names:
            student = names[name_key(to)]
        else:
            found.warn(MESSAGE_UNKNOWN_TO, f"«{to}» нет в списке учеников. В столбце «Кому» впишите "
                                           f"«{MESSAGE_TO_CLASS}» или ФИО ученика точно как в списке — "
                                           "до тех пор сообщение не попадёт в дневник",
                       sheet=SHEET_MESSAGES, cell=to_cell.cell if to_cell else "", student=to)
            continue
        day = _entry_date(row, MESSAGE_DATE, SHEET_MESSAGES, "сообщение", settings, found)
        if day is None:
            continue
        if student:
            for other in students_named_in(text, student, students):
                found.warn(MESSAGE_NAMES_OTHER, message_names_other_text(other), student=student,
                           date=day, **where)
        messages.append(MessageRow(day, student, text, where["cell"]))
    return messages


def message_names_other_text(other: str) -> str:
    """The message of ``E04``: a message to one family names another student."""
    return (f"сообщение одной семье называет другого ученика — «{other}». Его увидит только семья "
            "адресата: о других детях в нём писать нельзя. Перепишите сообщение, не называя других "
            "учеников")


_WORD = re.compile(r"[а-яa-z]+")


_SURNAME_ENDINGS = ("ая", "ий", "ый", "ой", "а", "я", "ь")


MIN_SURNAME_STEM = 4  # shorter surnames («Ким», «Ли») are not looked for: too many false alarms


def students_named_in(text: str, own: str, students: list[str]) -> list[str]:
    """The students of ``students`` (other than ``own`` and namesakes of ``own``'s surname,
    i.e. brothers and sisters) whose surname, in any case ending, occurs in ``text``."""
    words = _WORD.findall(text.lower().replace("ё", "е"))
    own_surname = name_key(own).split(" ")[0] if own.strip() else ""
    named: list[str] = []
    for other in students:
        parts = name_key(other).split(" ")
        if not parts[0] or name_key(other) == name_key(own) or _stem(parts[0]) == _stem(own_surname):
            continue
        stem = _stem(parts[0])
        if len(stem) < MIN_SURNAME_STEM:
            continue
        if any(w.startswith(stem) and len(w) - len(stem) <= 3 for w in words):
            named.append(other)
    return named


def _stem(surname: str) -> str:
    for ending in _SURNAME_ENDINGS:
        if surname.endswith(ending) and len(surname) - len(ending) >= MIN_SURNAME_STEM:
            return surname[: -len(ending)]
    return surname
