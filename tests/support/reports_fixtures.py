"""A small, hand-checkable school for the report tests.

School year 2026/2027 with the default calendar: the 1st quarter is 1 September – 25 October,
the 1st half-year 1 September – 28 December.

5А (grade 5, class teacher Иванова Мария Петровна), six students:

=====  ====================  ==================================================
id     student               what is special
=====  ====================  ==================================================
1      Алексеев Иван         only 5 (зч in ОДНКНР)
2      Борисова Анна         4 and 5; a double mark «5/4» in a written work
3      Васильев Пётр         one 3; exempt (осв) from PE; ill two days
4      Григорьев Олег        a 2 and нз; an unexcused absence and a late arrival
5      Дмитриева Ольга       left the school on 2026-10-05 (in the 1st quarter)
6      Егоров Сергей         no marks, н/а; an excused whole day
=====  ====================  ==================================================

Curriculum of 5А: Математика 2 h (Mon, Wed; Петрова Анна Ивановна), Русский язык 2 h
(Mon, Thu; Сидорова Ольга Николаевна), Физическая культура 1 h (Fri; Козлов Дмитрий
Сергеевич; nothing merged yet), ОДНКНР 1 h (Fri; Сидорова).
10А (grade 10, half-years): Физика 2 h (Mon, Thu; Петрова), students 7 Жуков Андрей and
8 Зайцева Мария, no period marks yet.

Norms: the minimum of marks is 2 for 1 h a week and 3 for 2 h or more.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journal.dataset import store
from journal.reports.data import Dataset, load
from journal.school.settings import (
    CurriculumItem,
    MinMarksRule,
    Norms,
    SchoolClass,
    Settings,
    TimetableEntry,
    default_calendar,
)

MATH_TEACHER = "Петрова Анна Ивановна"
RUSSIAN_TEACHER = "Сидорова Ольга Николаевна"
PE_TEACHER = "Козлов Дмитрий Сергеевич"

STUDENTS = [
    (1, "5А", "Алексеев Иван", None, None),
    (2, "5А", "Борисова Анна", None, None),
    (3, "5А", "Васильев Пётр", None, None),
    (4, "5А", "Григорьев Олег", None, None),
    (5, "5А", "Дмитриева Ольга", None, "2026-10-05"),
    (6, "5А", "Егоров Сергей", None, None),
    (7, "10А", "Жуков Андрей", None, None),
    (8, "10А", "Зайцева Мария", None, None),
]

# id, class, subject, date, kind, topic, homework, teacher, topic_first_seen
LESSONS = [
    (1, "5А", "Математика", "2026-09-07", "Ответ на уроке", "Натуральные числа", "№ 1–5",
     MATH_TEACHER, "2026-09-07 17:00:00"),
    (2, "5А", "Математика", "2026-09-09", "Самостоятельная работа", "Сложение", "№ 6–9",
     MATH_TEACHER, "2026-09-09 17:00:00"),
    (3, "5А", "Математика", "2026-09-14", "Ответ на уроке", "Вычитание", "",
     MATH_TEACHER, "2026-09-20 12:00:00"),
    (4, "5А", "Математика", "2026-09-16", "Контрольная работа", "Контрольная работа № 1", "",
     MATH_TEACHER, "2026-09-16 17:00:00"),
    (5, "5А", "Математика", "2026-09-21", "Ответ на уроке", "", "", MATH_TEACHER, None),
    (6, "5А", "Русский язык", "2026-09-07", "Ответ на уроке", "Фонетика", "упр. 3",
     RUSSIAN_TEACHER, "2026-09-07 18:00:00"),
    (7, "5А", "Русский язык", "2026-09-10", "Ответ на уроке", "Орфография", "упр. 7",
     RUSSIAN_TEACHER, "2026-09-10 18:00:00"),
    (8, "5А", "Русский язык", "2026-09-14", "Ответ на уроке", "Морфемика", "упр. 12",
     RUSSIAN_TEACHER, "2026-09-14 18:00:00"),
    (9, "10А", "Физика", "2026-09-07", "Ответ на уроке", "Кинематика", "§ 1",
     MATH_TEACHER, "2026-09-07 19:00:00"),
    (10, "10А", "Физика", "2026-09-10", "Лабораторная работа", "Лабораторная работа № 1", "§ 2",
     MATH_TEACHER, "2026-09-10 19:00:00"),
]

KIND_WEIGHTS = {"Ответ на уроке": 1.0, "Самостоятельная работа": 1.5, "Контрольная работа": 3.0,
                "Лабораторная работа": 1.5}

# lesson id, student id, position, value, first_seen
MARKS = [
    (1, 1, 1, 5, "2026-09-07 17:00:00"),
    (2, 1, 1, 5, "2026-09-09 17:00:00"),
    (4, 1, 1, 5, "2026-09-18 10:00:00"),
    (2, 2, 1, 5, "2026-09-12 10:00:00"),
    (2, 2, 2, 4, "2026-09-12 10:00:00"),
    (4, 2, 1, 4, "2026-09-25 10:00:00"),
    (2, 3, 1, 3, "2026-09-09 17:00:00"),
    (4, 3, 1, 4, "2026-09-18 10:00:00"),
    (1, 4, 1, 2, "2026-09-07 17:00:00"),
    (3, 4, 1, 3, "2026-09-14 17:00:00"),
    (4, 4, 1, 2, "2026-09-18 10:00:00"),
    (1, 5, 1, 4, "2026-09-07 17:00:00"),
    (6, 1, 1, 5, "2026-09-07 18:00:00"),
    (6, 2, 1, 5, "2026-09-07 18:00:00"),
    (7, 3, 1, 3, "2026-09-10 18:00:00"),
    (8, 4, 1, 3, "2026-09-14 18:00:00"),
    (9, 7, 1, 5, "2026-09-07 19:00:00"),
    (10, 7, 1, 4, "2026-09-16 19:00:00"),
    (9, 8, 1, 3, "2026-09-07 19:00:00"),
]

# lesson id, student id, code, reason
ATTENDANCE = [
    (3, 3, "Н", "Б"),
    (8, 3, "Н", "Б"),
    (4, 3, "Б", "Б"),
    (1, 4, "Н", "Н"),
    (2, 4, "О", "О"),
    (5, 6, "Н", "У"),
]

# class, subject, student id, period, value
FINALS = [
    ("5А", "Математика", 1, "1 четверть", "5"),
    ("5А", "Математика", 2, "1 четверть", "4"),
    ("5А", "Математика", 3, "1 четверть", "4"),
    ("5А", "Математика", 4, "1 четверть", "2"),
    ("5А", "Математика", 6, "1 четверть", "н/а"),
    ("5А", "Русский язык", 1, "1 четверть", "5"),
    ("5А", "Русский язык", 2, "1 четверть", "5"),
    ("5А", "Русский язык", 3, "1 четверть", "3"),
    ("5А", "Русский язык", 4, "1 четверть", "3"),
    ("5А", "Русский язык", 6, "1 четверть", "н/а"),
    ("5А", "Физическая культура", 1, "1 четверть", "5"),
    ("5А", "Физическая культура", 2, "1 четверть", "4"),
    ("5А", "Физическая культура", 3, "1 четверть", "осв"),
    ("5А", "Физическая культура", 4, "1 четверть", "4"),
    ("5А", "Физическая культура", 6, "1 четверть", "н/а"),
    ("5А", "ОДНКНР", 1, "1 четверть", "зч"),
    ("5А", "ОДНКНР", 2, "1 четверть", "зч"),
    ("5А", "ОДНКНР", 3, "1 четверть", "зч"),
    ("5А", "ОДНКНР", 4, "1 четверть", "нз"),
    ("5А", "ОДНКНР", 6, "1 четверть", "зч"),
]

# change, entity, class, subject, teacher, student id, lesson date, kind, old, new, days_late,
# detected. Борисова's mark for the test of 16.09 appeared on 25.09; the merge had seen the
# workbook on 18.09 without it, but the deadline for written work (5 days) was 21.09, so the
# merge made it a late entry counted to the next observation it knew of (1 day, a lower bound).
CHANGES = [
    ("correction", "mark", "5А", "Математика", MATH_TEACHER, 3, "2026-09-09", "Самостоятельная работа",
     "3", "4", None, "2026-09-14 09:00:00"),
    ("removal", "mark", "5А", "Русский язык", RUSSIAN_TEACHER, 4, "2026-09-10", "Ответ на уроке", "2",
     None, None, "2026-09-14 09:00:00"),
    ("late_entry", "mark", "5А", "Математика", MATH_TEACHER, 1, "2026-09-07", "Ответ на уроке", None,
     "5", 5, "2026-09-14 09:00:00"),
    ("late_entry", "mark", "5А", "Математика", MATH_TEACHER, 2, "2026-09-16", "Контрольная работа",
     None, "4", 1, "2026-09-25 10:00:00"),
]


def make_settings() -> Settings:
    """The settings of the fixture school (see the module docstring)."""
    periods, holidays = default_calendar(2026)
    classes = (SchoolClass("5А", 5, "А", "Иванова Мария Петровна"),
               SchoolClass("10А", 10, "А", "Орлова Елена Викторовна"))
    curriculum = (
        CurriculumItem("5А", "Математика", "", 2, MATH_TEACHER),
        CurriculumItem("5А", "Русский язык", "", 2, RUSSIAN_TEACHER),
        CurriculumItem("5А", "Физическая культура", "", 1, PE_TEACHER),
        CurriculumItem("5А", "ОДНКНР", "", 1, RUSSIAN_TEACHER),
        CurriculumItem("10А", "Физика", "", 2, MATH_TEACHER),
    )
    timetable = (
        TimetableEntry("5А", "Математика", "", 1, 1),
        TimetableEntry("5А", "Математика", "", 3, 1),
        TimetableEntry("5А", "Русский язык", "", 1, 2),
        TimetableEntry("5А", "Русский язык", "", 4, 1),
        TimetableEntry("5А", "Физическая культура", "", 5, 1),
        TimetableEntry("5А", "ОДНКНР", "", 5, 2),
        TimetableEntry("10А", "Физика", "", 1, 3),
        TimetableEntry("10А", "Физика", "", 4, 2),
    )
    norms = Norms(min_marks=(MinMarksRule(1, 2), MinMarksRule(2, 3)))
    return Settings(
        school_name="МБОУ «Тестовая ОШ»", school_year="2026/2027", periods=periods,
        holidays=holidays, classes=classes, curriculum=curriculum, timetable=timetable,
        norms=norms, director="Директоров Д. Д.", deputy="Завучева З. З.",
    )


def build_dataset(path: Path) -> Path:
    """Write the fixture school's dataset to ``path`` (a new SQLite file) and return it."""
    conn = store.connect(path)
    try:
        _fill(conn)
        conn.commit()
    finally:
        conn.close()
    return path


def build_empty_dataset(path: Path) -> Path:
    """A dataset with the schema and no rows."""
    store.connect(path).close()
    return path


def _fill(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO merges (id, started_at, finished_at, tool_version, merged) "
        "VALUES (1, '2026-09-07 16:00:00', '2026-09-07 16:01:00', '0.1.0', 5)")
    conn.executemany(
        "INSERT INTO classes (name, grade, letter, class_teacher) VALUES (?, ?, ?, ?)",
        [("5А", 5, "А", "Иванова Мария Петровна"), ("10А", 10, "А", "Орлова Елена Викторовна")])
    conn.executemany(
        "INSERT INTO students (id, class, full_name, joined, left_on) VALUES (?, ?, ?, ?, ?)",
        STUDENTS)
    conn.executemany(
        "INSERT INTO lessons (id, class, subject, grp, date, seq, period, kind, topic, homework,"
        " teacher, topic_first_seen, homework_first_seen) VALUES (?, ?, ?, '', ?, 1, ?, ?, ?, ?, ?,"
        " ?, ?)",
        [(lid, cls, subj, day, "1 полугодие" if cls == "10А" else "1 четверть", kind, topic, hw,
          teacher, seen if topic else None, seen if hw else None)
         for lid, cls, subj, day, kind, topic, hw, teacher, seen in LESSONS])
    kinds = {lid: kind for lid, _c, _s, _d, kind, *_rest in LESSONS}
    conn.executemany(
        "INSERT INTO marks (lesson_id, student_id, position, value, weight, first_seen, last_seen,"
        " first_merge_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        [(lid, sid, pos, value, KIND_WEIGHTS[kinds[lid]], seen, seen)
         for lid, sid, pos, value, seen in MARKS])
    dates = {lid: day for lid, _c, _s, day, *_rest in LESSONS}
    conn.executemany(
        "INSERT INTO attendance (lesson_id, student_id, code, reason, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(lid, sid, code, reason, f"{dates[lid]} 17:00:00", f"{dates[lid]} 17:00:00")
         for lid, sid, code, reason in ATTENDANCE])
    conn.executemany(
        "INSERT INTO final_marks (class, subject, student_id, kind, period, value, first_seen,"
        " last_seen) VALUES (?, ?, ?, 'period', ?, ?, '2026-10-24 10:00:00',"
        " '2026-10-24 10:00:00')",
        FINALS)
    names = {sid: name for sid, _c, name, _j, _l in STUDENTS}
    conn.executemany(
        "INSERT INTO changes (merge_id, detected_at, change, entity, class, subject, teacher,"
        " student_id, student, lesson_date, seq, kind, old_value, new_value, days_late)"
        " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        [(detected, change, entity, cls, subj, teacher, sid, names[sid], day, kind, old, new, late)
         for change, entity, cls, subj, teacher, sid, day, kind, old, new, late, detected in CHANGES])


def load_fixture(folder: Path) -> Dataset:
    """Build the fixture dataset in ``folder`` and load it for the reports."""
    return load(build_dataset(folder / "journal.sqlite"))
