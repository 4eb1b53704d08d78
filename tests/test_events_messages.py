"""Events and messages for families: typed in the workbooks, checked, merged with their history."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
from conftest import make_tiny_settings
from support.merge_fixtures import class_content, math_content, new_school, write_class, write_subject

from journal.dataset import chain, store
from journal.intake.merge import MERGED, merge_school
from journal.school.settings import SchoolEvent
from journal.workbooks import format as wf
from journal.workbooks.reading import read_workbook
from journal.workbooks.settings_reader import read_settings
from journal.workbooks.settings_writer import write_settings_workbook

A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"
DAY = dt.date(2026, 9, 10)


def at(day: int, month: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, 16, 0)


def query(school, sql: str, params: tuple = ()) -> list[tuple]:
    with store.opened(school.store_path) as conn:
        return conn.execute(sql, params).fetchall()


def codes(result) -> list[tuple[str, str]]:
    return sorted((f.code, f.cell) for f in result.findings if f.code.startswith("E"))


def test_class_workbook_messages_and_events_are_merged(tmp_path):
    school = new_school(tmp_path)
    write_class(school, content=class_content("5А", events=[wf.ClassEvent(DAY, "Родительское собрание")],
                                              messages=[wf.Message(DAY, "класс", "Завтра экскурсия"),
                                                        wf.Message(DAY, A, "Принесите справку")]))
    result = merge_school(school, make_tiny_settings(), now=at(11))
    assert result.findings == []
    assert query(school, "SELECT source, class, date, title FROM events") == [
        ("class", "5А", "2026-09-10", "Родительское собрание")]
    assert query(school, "SELECT subject, author, student, date, text FROM messages ORDER BY id") == [
        ("", "Кузнецова Анна Ивановна", "", "2026-09-10", "Завтра экскурсия"),
        ("", "Кузнецова Анна Ивановна", A, "2026-09-10", "Принесите справку")]


def test_mistakes_in_messages_are_warnings_naming_the_cell(tmp_path):
    school = new_school(tmp_path)
    messages = [
        wf.Message(DAY, "Иванов Иван Иванович", "Зайдите в школу"),  # row 4: unknown student
        wf.Message("вчера", "класс", "Собрание"),  # row 5: not a date
        wf.Message(DAY, "класс", ""),  # row 6: no text
        wf.Message(DAY, A, "Артём подрался с Борисовой"),  # row 7: names another student
        wf.Message(dt.date(2027, 8, 1), "класс", "Летом"),  # row 8: outside the year
        wf.Message(DAY, "", "Кому-то"),  # row 9: to nobody
    ]
    write_class(school, content=class_content("5А", messages=messages,
                                              events=[wf.ClassEvent(None, "Концерт")]))
    result = merge_school(school, make_tiny_settings(), now=at(11))
    (outcome,) = result.files
    assert outcome.status == MERGED  # warnings only: the class list is still taken
    assert codes(result) == [("E01", "A4"), ("E01", "A5"), ("E02", "C6"), ("E03", "B4"), ("E03", "B9"),
                             ("E04", "C7"), ("E05", "A8")]
    named = [f for f in result.findings if f.code == "E04"]
    assert "Борисова Дарья Игоревна" in named[0].message and named[0].student == A
    # only the message naming another student is kept (with its warning), as notes are
    assert query(school, "SELECT student, text FROM messages") == [(A, "Артём подрался с Борисовой")]
    assert query(school, "SELECT COUNT(*) FROM events") == [(0,)]


def test_an_edited_message_leaves_its_old_text_in_the_history(tmp_path):
    school = new_school(tmp_path)
    settings = make_tiny_settings()
    write_class(school, content=class_content("5А", messages=[wf.Message(DAY, A, "Собрание в 18:00"),
                                                              wf.Message(DAY, "класс", "Экскурсия")]))
    merge_school(school, settings, now=at(11))
    first = query(school, "SELECT first_seen FROM messages WHERE student = ?", (A,))
    write_class(school, content=class_content("5А", messages=[wf.Message(DAY, A, "Собрание в 19:00")]))
    merge_school(school, settings, now=at(12))
    assert query(school, "SELECT student, text FROM messages") == [(A, "Собрание в 19:00")]
    assert query(school, "SELECT change, entity, student, lesson_date, old_value, new_value, first_seen "
                         "FROM changes ORDER BY id") == [
        ("correction", "message", A, "2026-09-10", "Собрание в 18:00", "Собрание в 19:00", first[0][0]),
        ("removal", "message", "", "2026-09-10", "Экскурсия", None, first[0][0])]
    with store.opened(school.store_path) as conn:
        assert chain.verify(conn).intact


def test_a_subject_teacher_writes_to_the_class_from_the_subject_workbook(tmp_path):
    school = new_school(tmp_path)
    write_class(school)
    content = math_content()
    content.messages = [wf.Message(DAY, "класс", "Контрольная работа в пятницу"),
                        wf.Message(DAY, "Григорьева София Олеговна", "Верните учебник")]
    path = write_subject(school, content)
    wb = openpyxl.load_workbook(path)
    assert wf.SHEET_MESSAGES in wb.sheetnames and wf.NAME_MESSAGES in wb.defined_names
    result = merge_school(school, make_tiny_settings(), now=at(11))
    assert [f for f in result.findings if f.code.startswith("E")] == []
    assert query(school, "SELECT subject, author, student, text FROM messages ORDER BY id") == [
        ("Математика", "Иванова Мария Сергеевна", "", "Контрольная работа в пятницу"),
        ("Математика", "Иванова Мария Сергеевна", "Григорьева София Олеговна", "Верните учебник")]


def test_workbooks_made_before_the_sheets_are_read_without_findings(tmp_path):
    school = new_school(tmp_path)
    path = write_class(school)
    wb = openpyxl.load_workbook(path)
    for sheet, name in ((wf.SHEET_CLASS_EVENTS, wf.NAME_CLASS_EVENTS), (wf.SHEET_MESSAGES, wf.NAME_MESSAGES)):
        del wb[sheet]
        del wb.defined_names[name]
    wb.save(path)
    read = read_workbook(path)
    assert read.findings == [] and read.workbook is not None
    assert read.workbook.to_content().messages == []
    assert merge_school(school, make_tiny_settings(), now=at(11)).findings == []


def test_school_events_come_from_the_settings_workbook(tmp_path):
    settings = dataclasses.replace(
        make_tiny_settings(),
        classes=tuple(dataclasses.replace(c, teacher_email="kuznetsova@school.ru") if c.name == "5А" else c
                      for c in make_tiny_settings().classes),
        events=(SchoolEvent(dt.date(2026, 9, 1), "День знаний"),
                SchoolEvent(dt.date(2026, 10, 5), "День учителя", ("5А", "10А"))))
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(settings, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["События"]
    ws["A7"], ws["B7"], ws["C7"] = "32.13.2026", "Неверная дата", "школа"
    ws["A8"], ws["B8"], ws["C8"] = dt.datetime(2026, 11, 2), "Поход", "7Ж"
    wb.save(path)
    read, findings = read_settings(path)
    assert read is not None
    assert read.events == settings.events
    assert read.school_class("5А").teacher_email == "kuznetsova@school.ru"
    assert sorted((f.code, f.cell) for f in findings if f.code == "N53") == [("N53", "A7"), ("N53", "C8")]
    assert not any(f.is_error for f in findings)

    school = new_school(tmp_path / "school")
    write_class(school)
    merge_school(school, read, now=at(11))
    assert query(school, "SELECT source, class, date, title FROM events ORDER BY date, class") == [
        ("settings", "", "2026-09-01", "День знаний"),
        ("settings", "10А", "2026-10-05", "День учителя"),
        ("settings", "5А", "2026-10-05", "День учителя")]
    fewer = dataclasses.replace(read, events=read.events[:1])
    merge_school(school, fewer, now=at(12))
    assert query(school, "SELECT title FROM events") == [("День знаний",)]


def test_letters_tell_the_fortnight_s_events_and_only_the_family_s_own_messages(tmp_path):
    from journal.documents.letters import DateRange, gather_letters, letter_body

    settings = dataclasses.replace(make_tiny_settings(), events=(
        SchoolEvent(dt.date(2026, 9, 21), "Осенний кросс"),
        SchoolEvent(dt.date(2026, 12, 1), "Зимний концерт")))  # far after the range: not in the letter
    school = new_school(tmp_path)
    write_class(school, settings=settings, content=class_content("5А", events=[
        wf.ClassEvent(DAY, "Экскурсия в музей")], messages=[
        wf.Message(DAY, A, "Артёму нужна справка"), wf.Message(DAY, "класс", "Собрание в четверг")]))
    merge_school(school, settings, now=at(15))
    with store.opened(school.store_path) as conn:
        batch = gather_letters(conn, settings, DateRange(dt.date(2026, 9, 1), dt.date(2026, 9, 14)), "5А")
    bodies = {letter.student: letter_body(letter) for letter in batch.letters}
    for body in (bodies[A], bodies[B]):
        assert "События и сообщения" in body
        assert "Экскурсия в музей" in body and "Осенний кросс" in body
        assert "Собрание в четверг" in body and "Кузнецова Анна Ивановна, классный руководитель" in body
        assert "Зимний концерт" not in body
    assert "Артёму нужна справка" in bodies[A]
    assert "Артёму нужна справка" not in bodies[B]
