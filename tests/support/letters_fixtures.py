"""A small school for the letters' tests: settings in code, a dataset filled by INSERTs.

Two classes: 5А (quarters, English split into two groups) and 10Б (half-years).
Marks, absences, period marks, notes and parents are drawn from a seeded random
generator, so every run builds the same school.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.dataset import store
from journal.school.folder import SETTINGS_FILE
from journal.school.settings import (
    CurriculumItem,
    SchoolClass,
    Settings,
    TimetableEntry,
    default_calendar,
)

TODAY = dt.date(2026, 11, 27)  # a Friday in the 2nd quarter

STUDENTS = {
    "5А": [
        "Алексеева Дарья Сергеевна",
        "Белов Артём Игоревич",
        "Васильева Полина Андреевна",
        "Григорьев Максим Олегович",
        "Дмитриева Ксения Павловна",
        "Ершов Никита Владимирович",
        "Жукова Ульяна Романовна",
    ],
    "1А": [
        "Мельникова Алиса Романовна",
        "Новиков Лев Артёмович",
    ],
    "10Б": [
        "Зайцев Егор Алексеевич",
        "Ильина Варвара Денисовна",
        "Кузнецов Тимофей Ильич",
        "Лебедева София Максимовна",
    ],
}
PARENTS = {
    "Алексеева Дарья Сергеевна": [("Алексеева Ирина Петровна", "alekseeva.ip@example.ru"),
                                  ("Алексеев Сергей Николаевич", "s.alekseev@example.ru")],
    "Белов Артём Игоревич": [("Белова Наталья Юрьевна", "belova@example.ru")],
    "Васильева Полина Андреевна": [("Васильев Андрей Викторович", "")],  # no e-mail: print
    "Григорьев Максим Олегович": [("Григорьева Ольга Ивановна", "grigorieva@example.ru")],
    "Дмитриева Ксения Павловна": [("Дмитриева Анна Сергеевна", "refuse-me@example.ru")],
    "Ершов Никита Владимирович": [("Ершова Елена Викторовна", "ershova@example.ru; ershov@example.ru")],
    "Жукова Ульяна Романовна": [("Жукова Татьяна Олеговна", "почта не указана")],
    "Зайцев Егор Алексеевич": [("Зайцева Марина Львовна", "zaitseva@example.ru")],
    "Ильина Варвара Денисовна": [("Ильин Денис Аркадьевич", "ilin@example.ru")],
    "Кузнецов Тимофей Ильич": [("Кузнецова Вера Андреевна", "kuznetsova@example.ru")],
    "Лебедева София Максимовна": [("Лебедев Максим Петрович", "lebedev@example.ru")],
}
LEFT = {"Осипов Кирилл Денисович": ("5А", "2026-11-06")}  # left before the letters' range
PARENTS["Мельникова Алиса Романовна"] = [("Мельникова Ольга Сергеевна", "melnikova@example.ru")]
PARENTS["Новиков Лев Артёмович"] = [("Новиков Артём Павлович", "")]
NOTES = {
    "Белов Артём Игоревич": "Артём стал внимательнее на уроках, но часто забывает дневник. "
                            "Прошу проверять сборы портфеля вечером.",
    "Зайцев Егор Алексеевич": "Егор хорошо выступил на школьной олимпиаде по физике.",
}
SUBJECTS = {
    "1А": [("Русский язык", "", 5, "Титова Галина Ивановна"),
           ("Окружающий мир", "", 2, "Титова Галина Ивановна")],
    "5А": [("Русский язык", "", 5, "Смирнова Елена Васильевна"),
           ("Литература", "", 3, "Смирнова Елена Васильевна"),
           ("Математика", "", 5, "Орлов Павел Сергеевич"),
           ("Английский язык", "1 группа", 3, "Петрова Анна Игоревна"),
           ("Английский язык", "2 группа", 3, "Носова Ирина Олеговна"),
           ("История", "", 2, "Фёдоров Игорь Петрович"),
           ("Биология", "", 1, "Соколова Мария Андреевна"),
           ("Физическая культура", "", 2, "Козлов Дмитрий Иванович")],
    "10Б": [("Алгебра", "", 3, "Орлов Павел Сергеевич"),
            ("Физика", "", 2, "Морозов Олег Викторович"),
            ("Русский язык", "", 2, "Смирнова Елена Васильевна")],
}
HOMEWORK = ["§ {n}, вопросы 1–3", "№ {n}, {m}", "упр. {n} (письменно)",
            "прочитать с. {n}–{m}, пересказ", "выучить правило на с. {n}", ""]


@dataclass
class School:
    """What a test needs: the settings, the dataset path and the names."""

    settings: Settings
    store_path: Path
    students: dict[str, list[str]]

    @property
    def all_names(self) -> list[str]:
        """Every student ever on a list, those who left included."""
        return [n for names in self.students.values() for n in names] + list(LEFT)


def make_settings(today: dt.date | None = TODAY) -> Settings:
    """The fixture school's settings."""
    periods, holidays = default_calendar(2026)
    classes = (SchoolClass("1А", 1, "А", "Титова Галина Ивановна"),
               SchoolClass("5А", 5, "А", "Никитина Светлана Юрьевна"),
               SchoolClass("10Б", 10, "Б", "Орлов Павел Сергеевич"))
    curriculum = tuple(CurriculumItem(c, s, g, h, t) for c, rows in SUBJECTS.items()
                       for s, g, h, t in rows)
    timetable: list[TimetableEntry] = []
    for c in classes:
        used = dict.fromkeys(range(1, 6), 0)  # weekday → lessons so far
        day = 0
        for item in (i for i in curriculum if i.class_name == c.name):
            for _ in range(int(item.weekly_hours)):
                day = day % 5 + 1
                used[day] += 1
                timetable.append(TimetableEntry(c.name, item.subject, item.group, day, used[day]))
    return Settings(
        school_name="МБОУ «Сосновская средняя общеобразовательная школа»",
        school_year="2026/2027",
        periods=periods,
        holidays=holidays,
        classes=classes,
        curriculum=curriculum,
        timetable=tuple(timetable),
        director="Иванова Галина Михайловна",
        deputy="Белкина Ольга Викторовна",
        today=today,
    )


def build_school_folder(root: Path, seed: int = 7) -> School:
    """A whole school folder: the settings workbook and the dataset (no teachers' workbooks)."""
    from journal.workbooks.settings_writer import write_settings_workbook

    school = build_school(root, seed)
    write_settings_workbook(school.settings, root / SETTINGS_FILE)
    return school


def build_school(root: Path, seed: int = 7) -> School:
    """Fill ``root/journal.sqlite`` with the fixture school up to :data:`TODAY`."""
    settings = make_settings()
    path = root / "journal.sqlite"
    conn = store.connect(path)
    try:
        _fill(conn, settings, random.Random(seed))
        conn.commit()
    finally:
        conn.close()
    return School(settings, path, {k: list(v) for k, v in STUDENTS.items()})


def _fill(conn: sqlite3.Connection, settings: Settings, rng: random.Random) -> None:
    now = "2026-11-27 18:00:00"
    conn.execute("INSERT INTO merges (id, started_at, finished_at, tool_version) VALUES (1, ?, ?, 'test')",
                 (now, now))
    ids: dict[str, int] = {}
    for c in settings.classes:
        conn.execute("INSERT INTO classes (name, grade, letter, class_teacher) VALUES (?, ?, ?, ?)",
                     (c.name, c.grade, c.letter, c.class_teacher))
        for name in STUDENTS[c.name]:
            cur = conn.execute("INSERT INTO students (class, full_name) VALUES (?, ?)", (c.name, name))
            assert cur.lastrowid is not None
            ids[name] = cur.lastrowid
            for parent, email in PARENTS[name]:
                conn.execute("INSERT INTO parents (student_id, full_name, email) VALUES (?, ?, ?)",
                             (ids[name], parent, email))
            if name in NOTES:
                conn.execute("INSERT INTO notes (student_id, text) VALUES (?, ?)", (ids[name], NOTES[name]))
    for name, (class_name, left_on) in LEFT.items():
        cur = conn.execute("INSERT INTO students (class, full_name, left_on) VALUES (?, ?, ?)",
                           (class_name, name, left_on))
        assert cur.lastrowid is not None
        ids[name] = cur.lastrowid
    for i, name in enumerate(STUDENTS["5А"]):
        conn.execute("INSERT INTO student_groups (student_id, subject, grp) VALUES (?, ?, ?)",
                     (ids[name], "Английский язык", "1 группа" if i % 2 == 0 else "2 группа"))
    kinds = settings.work_kinds
    for item in settings.curriculum:
        school_class = settings.school_class(item.class_name)
        assert school_class is not None
        members = [n for i, n in enumerate(STUDENTS[item.class_name])
                   if not item.group or (item.group == "1 группа") == (i % 2 == 0)]
        members += [n for n, (c, _) in LEFT.items() if c == item.class_name and not item.group]
        seq_of: dict[dt.date, int] = {}
        for day in settings.lesson_dates(item):
            if day > TODAY:
                break
            seq_of[day] = seq_of.get(day, 0) + 1
            period = settings.period_of(school_class, day)
            kind = kinds[0] if rng.random() < 0.6 else rng.choice(kinds)
            homework = rng.choice(HOMEWORK).format(n=rng.randint(3, 60), m=rng.randint(61, 99))
            cur = conn.execute(
                "INSERT INTO lessons (class, subject, grp, date, seq, period, kind, topic, homework, teacher)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item.class_name, item.subject, item.group, day.isoformat(), seq_of[day],
                 period.name if period else "", kind.name, f"Тема урока {day:%d.%m}", homework,
                 item.teacher))
            lesson_id = cur.lastrowid
            for name in members:
                if name in LEFT and day.isoformat() >= LEFT[name][1]:
                    continue
                roll = rng.random()
                if roll < 0.06:
                    code = rng.choice("НБУО")
                    conn.execute(
                        "INSERT INTO attendance (lesson_id, student_id, code, reason, first_seen, last_seen)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (lesson_id, ids[name], code, code, now, now))
                    if code != "О":
                        continue
                if school_class.has_marks and (roll < 0.45 or kind.written):
                    value = min(5, max(2, round(rng.gauss(3.9, 0.8))))
                    conn.execute(
                        "INSERT INTO marks (lesson_id, student_id, position, value, weight, first_seen,"
                        " last_seen, first_merge_id) VALUES (?, ?, 1, ?, ?, ?, ?, 1)",
                        (lesson_id, ids[name], value, kind.weight, now, now))
        first = settings.periods_for(school_class)[0]
        if first.end < TODAY and school_class.has_marks:
            for name in members:
                conn.execute(
                    "INSERT INTO final_marks (class, subject, grp, student_id, kind, period, value,"
                    " first_seen, last_seen) VALUES (?, ?, ?, ?, 'period', ?, ?, ?, ?)",
                    (item.class_name, item.subject, item.group, ids[name], first.name,
                     str(rng.choice([3, 4, 4, 5, 5])), now, now))
