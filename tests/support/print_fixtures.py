"""A dataset for the paper-copy tests, built from ``tiny_settings`` with plain INSERTs.

:func:`print_settings` is the tiny school (see ``conftest.py``) with a dense timetable for
5А «Математика» (eight lessons a week, two on Mondays and Wednesdays), so that its grid
for the 1st quarter is wider than one page and must be split. :func:`build_print_dataset`
fills ``journal.sqlite`` for every curriculum line over the whole first half-year:

* 5А has the four tiny students plus generated ones (26 in all); Григорьева left on
  9 October; English groups as in the tiny class list (generated students alternate);
* every lesson gets a topic and homework; the third lesson of each subject was taught by
  a substitute;
* marks follow a fixed pattern (no randomness); a few absences of each code; one «5/4»;
* period marks for every student except the one who left (10А: «1 полугодие»).
* grade 1 gets marks and period marks too, as a dataset from a careless import might:
  its paper copy must show none of them.

The expected values in the tests come from these rules, not from the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from conftest import make_tiny_settings, make_tiny_students

from journal.dataset import store
from journal.school.settings import Settings, TimetableEntry, normalise_class_name
from journal.workbooks.format import StudentRecord

EXTRA_5A = [
    "Жданов Глеб Ильич", "Захарова Вера Олеговна", "Иванов Роман Петрович", "Кириллова Майя Андреевна",
    "Лебедев Тимур Сергеевич", "Морозова Алиса Денисовна", "Никитин Савелий Антонович",
    "Орлова Варвара Максимовна", "Павлов Фёдор Ильич", "Романова Ксения Юрьевна",
    "Семёнов Арсений Викторович", "Тарасова Полина Артёмовна", "Усов Даниил Олегович",
    "Фролова Есения Романовна", "Харитонов Марк Евгеньевич", "Цветкова Ульяна Игоревна",
    "Чернов Лев Александрович", "Шарова Милана Дмитриевна", "Щукин Ярослав Николаевич",
    "Юдина Таисия Васильевна", "Яковлев Константин-Александр Вячеславович",
    "Абрамова Стефания Владимировна",
]

SUBSTITUTE = "Замещающая Галина Фёдоровна"


def print_settings() -> Settings:
    """The tiny school with a timetable dense enough to split 5А's mathematics grid."""
    base = make_tiny_settings()
    dense = tuple(TimetableEntry("5А", "Математика", "", day, n)
                  for day, n in ((1, 5), (2, 2), (3, 5), (4, 2), (5, 3)))
    return dataclasses.replace(base, timetable=base.timetable + dense)


@dataclass
class PrintDataset:
    """What was put into the dataset, for the tests to compare with."""

    path: Path
    students: dict[str, list[str]] = field(default_factory=dict)  # class → names
    lessons: dict[tuple[str, str, str], list[dt.date]] = field(default_factory=dict)
    # (class, subject, group, student) → period mark
    period_marks: dict[tuple[str, str, str, str], str] = field(default_factory=dict)


def build_print_dataset(path: Path, settings: Settings, until: dt.date = dt.date(2026, 12, 28),
                        class_lists: dict[str, list[StudentRecord]] | None = None) -> PrintDataset:
    """Fill a new dataset at ``path`` for every curriculum line up to ``until``.

    ``class_lists`` replaces the tiny school's class lists (e.g. for a bigger school).
    """
    result = PrintDataset(path)
    conn = store.connect(path)
    now = "2026-10-26 10:00:00"
    conn.execute("INSERT INTO merges (id, started_at, tool_version) VALUES (1, ?, 'test')", (now,))
    student_ids: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], dict[str, str]] = {}
    left_on: dict[tuple[str, str], dt.date | None] = {}
    for school_class in settings.classes:
        conn.execute("INSERT INTO classes (name, grade, letter, class_teacher) VALUES (?, ?, ?, ?)",
                     (school_class.name, school_class.grade, school_class.letter, school_class.class_teacher))
        records = (class_lists or {}).get(school_class.name) or make_tiny_students(school_class.name)
        names = [(r.full_name, r.joined, r.left, dict(r.groups)) for r in records]
        left_on.update({(school_class.name, r.full_name): r.left for r in records})
        if class_lists is None and school_class.name == "5А":
            for i, name in enumerate(EXTRA_5A):
                names.append((name, None, None, {"Английский язык": "1 группа" if i % 2 else "2 группа"}))
        result.students[school_class.name] = [n for n, *_ in names]
        for name, joined, left, student_groups in names:
            cur = conn.execute(
                "INSERT INTO students (class, full_name, joined, left_on) VALUES (?, ?, ?, ?)",
                (school_class.name, name, joined.isoformat() if joined else None,
                 left.isoformat() if left else None))
            sid = int(cur.lastrowid or 0)
            student_ids[(school_class.name, name)] = sid
            groups[(school_class.name, name)] = student_groups
            for subject, grp in student_groups.items():
                conn.execute("INSERT INTO student_groups (student_id, subject, grp) VALUES (?, ?, ?)",
                             (sid, subject, grp))
    for item in settings.curriculum:
        school_class = settings.school_class(item.class_name)
        assert school_class is not None
        dates = [d for d in settings.lesson_dates(item) if d <= until]
        result.lessons[item.key] = dates
        members = [n for n in result.students[item.class_name]
                   if not item.group or groups[(item.class_name, n)].get(item.subject) == item.group]
        seq_of: dict[dt.date, int] = {}
        for index, day in enumerate(dates):
            seq_of[day] = seq_of.get(day, 0) + 1
            period = settings.period_of(school_class, day)
            cur = conn.execute(
                "INSERT INTO lessons (class, subject, grp, date, seq, period, kind, topic, homework, "
                "teacher, substitute) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item.class_name, item.subject, item.group, day.isoformat(), seq_of[day],
                 period.name if period else "", "Ответ на уроке",
                 f"Тема {index + 1}: {item.subject.lower()}", f"Задание {index + 1}",
                 item.teacher, SUBSTITUTE if index == 2 else ""))
            lesson_id = int(cur.lastrowid or 0)
            for k, name in enumerate(members):
                sid = student_ids[(item.class_name, name)]
                pattern = (index + 3 * k) % 7
                if pattern == 0:
                    code = "НБУО"[(index + k) % 4]
                    conn.execute(
                        "INSERT INTO attendance (lesson_id, student_id, code, reason, first_seen, last_seen) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (lesson_id, sid, code, code, now, now))
                elif pattern in (2, 5):  # grade 1 too: its copy must not show them
                    values = [5 - (index + k) % 3]
                    if pattern == 5 and k == 1:
                        values.append(4)
                    for position, value in enumerate(values, start=1):
                        conn.execute(
                            "INSERT INTO marks (lesson_id, student_id, position, value, weight, first_seen, "
                            "last_seen, first_merge_id) VALUES (?, ?, ?, ?, 1, ?, ?, 1)",
                            (lesson_id, sid, position, value, now, now))
        for period in settings.periods_for(school_class):
            if period.end > until:
                continue
            for k, name in enumerate(members):
                left = left_on.get((item.class_name, name))
                if left is not None and left <= period.end:
                    continue
                value = str(5 - k % 3)
                conn.execute(
                    "INSERT INTO final_marks (class, subject, grp, student_id, kind, period, value, "
                    "first_seen, last_seen) VALUES (?, ?, ?, ?, 'period', ?, ?, ?, ?)",
                    (item.class_name, item.subject, item.group, student_ids[(item.class_name, name)],
                     period.name, value, now, now))
                key = (normalise_class_name(item.class_name), item.subject, item.group, name)
                result.period_marks[key] = value
    conn.commit()
    conn.close()
    return result
