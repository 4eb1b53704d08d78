"""A timetable that changes over the year: dated rows, one-off changes, a teacher replaced,
periods without marks — through the settings, ``journal templates``, the merge and reports."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import make_tiny_settings
from support.merge_fixtures import MON, WED, math_content, new_school, write_class, write_subject

from journal.dataset import store
from journal.intake.merge import merge_school
from journal.intake.workbook_update import REFUSED, T_LOST, UPDATED, format_result, update_templates
from journal.reports import curriculum
from journal.reports.data import load
from journal.school.settings import (
    CANCEL,
    EXTRA,
    MOVE,
    CurriculumItem,
    Settings,
    TeacherTerm,
    TimetableChange,
    UnmarkedRule,
)
from journal.workbooks.reading import RawSubjectWorkbook, read_workbook

D = dt.date
A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
SWITCH = D(2026, 11, 16)  # Wednesday's maths become Thursday's from this Monday
NOW = dt.datetime(2026, 11, 20, 16, 0)
LATER = dt.datetime(2026, 11, 21, 16, 0)
NOV_WED = D(2026, 11, 11)


@pytest.fixture(autouse=True)
def _no_worker_processes(monkeypatch):
    import journal.intake.workbook_update as tu

    monkeypatch.setattr(tu, "_read_safely", lambda path, root: read_workbook(path))


def _math(settings: Settings) -> CurriculumItem:
    item = settings.curriculum_item("5А", "Математика")
    assert item is not None
    return item


def _wednesday_to_thursday(settings: Settings, dated: bool = True) -> Settings:
    rows = []
    for t in settings.timetable:
        if (t.class_name, t.subject, t.weekday) == ("5А", "Математика", 3):
            if dated:
                rows.append(dataclasses.replace(t, valid_to=SWITCH - dt.timedelta(days=1)))
            rows.append(dataclasses.replace(t, weekday=4, valid_from=SWITCH if dated else None))
        else:
            rows.append(t)
    return dataclasses.replace(settings, timetable=tuple(rows))


def _marks_and_changes(school) -> tuple[list[tuple], int]:
    with store.opened(school.store_path) as conn:
        marks = conn.execute("SELECT student, date, seq, position, value, weight, kind FROM v_marks"
                             " ORDER BY student, date, seq, position").fetchall()
        changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    return marks, changes


def test_dated_rows_change_only_the_lessons_after_the_date():
    before = make_tiny_settings()
    after = _wednesday_to_thursday(before)
    old, new = before.lesson_dates(_math(before)), after.lesson_dates(_math(after))
    assert [d for d in new if d < SWITCH] == [d for d in old if d < SWITCH]
    assert {d.isoweekday() for d in new if d >= SWITCH} == {1, 4}


def test_moves_cancelled_days_and_extra_lessons_shape_the_dates():
    settings = make_tiny_settings()
    frost = TimetableChange(CANCEL, D(2027, 1, 25), frozenset(), end=D(2027, 1, 27), reason="мороз")
    moved = TimetableChange(MOVE, D(2026, 12, 7), frozenset({"5А"}), "Математика", "", 2,
                            D(2026, 12, 8), 5)
    extra = TimetableChange(EXTRA, D(2026, 12, 11), frozenset({"5А"}), "Математика", "", 6)
    changed = dataclasses.replace(settings, changes=(frost, moved, extra))
    dates = changed.lesson_dates(_math(changed))
    old = settings.lesson_dates(_math(settings))
    assert D(2027, 1, 25) not in dates and D(2027, 1, 27) not in dates  # Monday, Wednesday
    assert D(2026, 12, 7) not in dates and D(2026, 12, 8) in dates and D(2026, 12, 11) in dates
    assert len(dates) == len(old) - 3 + 1  # three lessons of the frost days lost, one extra
    plan = changed.lesson_plan(_math(changed), D(2026, 12, 1), D(2027, 1, 31))
    assert (plan.cancelled, plan.moved_out, plan.moved_in, plan.extra) == (3, 1, 1, 1)


def test_templates_keep_marks_when_the_timetable_changes_with_a_date(tmp_path):
    settings = make_tiny_settings()
    school = new_school(tmp_path)
    write_class(school, settings=settings)
    content = math_content({(A, WED, 1): "5", (B, WED, 2): "4", (A, MON, 1): "3",
                            (B, NOV_WED, 1): "5"})
    path = write_subject(school, content, settings=settings)
    merge_school(school, settings, now=NOW)
    marks, changes = _marks_and_changes(school)

    changed = _wednesday_to_thursday(settings)
    result = update_templates(school, changed, now=NOW)

    assert not result.has_errors, format_result(result)
    assert [c.action for c in result.changes if c.path == path] == [UPDATED]
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawSubjectWorkbook)
    assert raw.lesson_dates() == changed.lesson_dates(_math(changed))
    assert raw.to_content()[1] == content
    merge_school(school, changed, now=LATER)
    assert _marks_and_changes(school) == (marks, changes)


def test_a_changed_row_without_a_date_keeps_past_lessons_that_hold_data(tmp_path):
    settings = make_tiny_settings()
    school = new_school(tmp_path)
    write_class(school, settings=settings)
    content = math_content({(A, WED, 1): "5", (B, WED, 2): "4", (B, NOV_WED, 1): "5"})
    path = write_subject(school, content, settings=settings)
    merge_school(school, settings, now=NOW)
    marks, changes = _marks_and_changes(school)

    changed = _wednesday_to_thursday(settings, dated=False)
    result = update_templates(school, changed, now=NOW)

    assert not result.has_errors, format_result(result)
    raw = read_workbook(path).workbook
    assert isinstance(raw, RawSubjectWorkbook)
    dates = raw.lesson_dates()
    assert dates.count(WED) == 2 and dates.count(NOV_WED) == 1  # lessons that took place stay
    assert D(2026, 9, 9) not in dates  # an empty past Wednesday follows the new timetable
    assert raw.to_content()[1] == content
    assert "оставлены прошедшие уроки" in format_result(result)
    merge_school(school, changed, now=LATER)
    assert _marks_and_changes(school) == (marks, changes)
    assert update_templates(school, changed, now=LATER).changes[-1].action != UPDATED


def test_a_future_lesson_with_data_is_refused_with_advice(tmp_path):
    settings = make_tiny_settings()
    school = new_school(tmp_path)
    write_class(school, settings=settings)
    future_wed = D(2026, 12, 2)
    path = write_subject(school, math_content({(A, future_wed, 1): "5"}), settings=settings)
    before = path.read_bytes()

    result = update_templates(school, _wednesday_to_thursday(settings, dated=False), now=NOW)

    lost = [f for f in result.findings if f.code == T_LOST]
    assert lost and {f.date for f in lost} == {future_wed}
    assert "ещё не прошёл" in lost[0].message and "Действует с" in lost[0].message
    assert [c.action for c in result.changes if c.path == path] == [REFUSED]
    assert path.read_bytes() == before


def test_a_replaced_teacher_keeps_the_lessons_given_before(tmp_path):
    settings = make_tiny_settings()
    school = new_school(tmp_path)
    write_class(school, settings=settings)
    old_teacher, new_teacher = _math(settings).teacher, "Новикова Нина Петровна"
    day_before = SWITCH - dt.timedelta(days=1)
    terms = (TeacherTerm(old_teacher, None, day_before), TeacherTerm(new_teacher, SWITCH, None))
    replaced = dataclasses.replace(settings, curriculum=tuple(
        dataclasses.replace(c, teacher=new_teacher, terms=terms) if c.subject == "Математика" else c
        for c in settings.curriculum))
    write_subject(school, math_content({(A, WED, 1): "5", (A, D(2026, 11, 16), 1): "4"}),
                  settings=settings)

    result = update_templates(school, replaced, now=NOW)
    assert not result.has_errors, format_result(result)
    assert any("учитель:" in d for c in result.changes for d in c.details)
    merge_school(school, replaced, now=NOW)

    with store.opened(school.store_path) as conn:
        rows = dict(conn.execute("SELECT date, teacher FROM lessons WHERE subject = 'Математика'"
                                 " AND seq = 1 AND date IN (?, ?)",
                                 (WED.isoformat(), "2026-11-16")).fetchall())
    assert rows == {WED.isoformat(): old_teacher, "2026-11-16": new_teacher}


def test_curriculum_report_counts_moved_cancelled_and_extra_lessons(tmp_path):
    settings = make_tiny_settings()
    frost = TimetableChange(CANCEL, D(2026, 9, 14), frozenset({"5А"}), end=D(2026, 9, 14))
    moved = TimetableChange(MOVE, D(2026, 9, 21), frozenset({"5А"}), "Математика", "", 2,
                            D(2026, 9, 22), 5)
    extra = TimetableChange(EXTRA, D(2026, 9, 25), frozenset({"5А"}), "Математика", "", 6)
    changed = dataclasses.replace(settings, changes=(frost, moved, extra))
    school = new_school(tmp_path)
    write_class(school, settings=changed)
    held = [D(2026, 9, 7), D(2026, 9, 22), D(2026, 9, 25)]
    write_subject(school, math_content({(A, day, 1): "5" for day in held}), settings=changed)
    merge_school(school, changed, now=NOW)

    plan = curriculum.fulfilment(load(school.store_path), changed, start="2026-09-07",
                                 end="2026-09-27", today="2026-11-20").set_index("subject")
    math = plan.loc["Математика"]
    # weekly: Mondays 7, 14, 21 and two lessons on Wednesdays 9, 16, 23 = 9;
    # the 14th cancelled (−1), the 21st moved to the 22nd (±0), one extra on the 25th (+1)
    assert (math["planned"], math["cancelled"], math["moved"], math["extra"]) == (9, 1, 1, 1)
    assert math["held"] == 3
    missing = curriculum.missing_lessons(load(school.store_path), changed, start="2026-09-07",
                                         end="2026-09-27", today="2026-11-20")
    days = set(missing[missing["subject"] == "Математика"]["date"].dt.date)
    assert D(2026, 9, 14) not in days and D(2026, 9, 21) not in days


def test_a_grade_without_marks_until_a_date():
    settings = dataclasses.replace(make_tiny_settings(),
                                   unmarked=(UnmarkedRule(5, D(2026, 10, 25), "1 четверть"),))
    five = settings.school_class("5А")
    first = settings.school_class("1А")
    assert five is not None and first is not None
    assert not settings.marks_on(five, D(2026, 10, 20)) and settings.marks_on(five, D(2026, 11, 9))
    assert [p.name for p in settings.marked_periods(five)] == ["2 четверть", "3 четверть",
                                                               "4 четверть"]
    assert settings.marked_periods(first) == ()
    assert settings.unmarked_text(five) == "без отметок до 25.10.2026 включительно"


def test_a_mark_typed_in_a_period_without_marks_is_an_error(tmp_path):
    settings = dataclasses.replace(make_tiny_settings(),
                                   unmarked=(UnmarkedRule(5, D(2026, 10, 25), "1 четверть"),))
    school = new_school(tmp_path)
    write_class(school, settings=settings)
    write_subject(school, math_content({(A, WED, 1): "5", (B, WED, 1): "Н",
                                        (A, D(2026, 11, 9), 1): "4"}), settings=settings)
    result = merge_school(school, settings, now=NOW)
    findings = [f for o in result.files for f in o.findings if f.code == "M06"]
    assert [(f.student, f.date) for f in findings] == [(A, WED)]
    assert "без отметок до 25.10.2026" in findings[0].message
