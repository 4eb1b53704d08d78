"""The settings as the district keeps them: JSON text that gives back equal settings."""

from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import make_tiny_settings

from journal.demo.content import demo_settings
from journal.school.settings import CANCEL, MOVE, TeacherTerm, TimetableChange
from journal.school.settings_json import settings_from_json, settings_to_json

D = dt.date


def test_the_demo_settings_come_back_equal():
    settings = demo_settings()
    assert settings_from_json(settings_to_json(settings)) == settings


def test_dated_rows_changes_and_teacher_terms_come_back_equal():
    settings = make_tiny_settings()
    item = settings.curriculum[0]
    replaced = dataclasses.replace(item, terms=(TeacherTerm(item.teacher, None, D(2026, 11, 15)),
                                                TeacherTerm("Новикова Анна Петровна", D(2026, 11, 16), None)),
                                   exam=True)
    row = dataclasses.replace(settings.timetable[0], valid_from=D(2026, 11, 16))
    changes = (TimetableChange(CANCEL, D(2027, 1, 25), frozenset(), end=D(2027, 1, 27), reason="мороз"),
               TimetableChange(MOVE, D(2026, 12, 7), frozenset({"5А"}), item.subject, "", 2,
                               D(2026, 12, 8), 5))
    changed = dataclasses.replace(settings, curriculum=(replaced, *settings.curriculum[1:]),
                                  timetable=(row, *settings.timetable[1:]), changes=changes,
                                  today=D(2026, 11, 27))
    text = settings_to_json(changed)
    assert settings_from_json(text) == changed
    assert settings_to_json(settings_from_json(text)) == text
