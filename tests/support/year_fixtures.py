"""A small, hand-counted school at the end of its year (2026/2027, default calendar).

========  ====================  =================================================================
class     student               year
========  ====================  =================================================================
1А (1)    10 Кузнецова Вера     grade 1, no marks: переведена
5А (5)    1 Алексеев Иван       Математика 5 5 5 5 → 5; Русский 5 4 5 5 → 5: переведён
5А        2 Борисова Анна       Математика 4 3 3 4 → 4 (3,5: in her favour); Русский 4: переведена
5А        3 Васильев Пётр       Математика 2 2 3 2 → 2; Русский 3: переведён условно
5А        4 Григорьев Олег      2 in both; the teachers' council: оставлен на повторное обучение
5А        5 Дмитриева Ольга     Математика 4 4 3 4 set «3» (the rule gives 4); Русский 4 4 4 and
                                no 4th quarter and no year mark: не определено
5А        6 Егоров Сергей       left on 01.03.2027: not counted
9А (9)    7 Жуков Андрей        Математика (exam) 4 4 5 4 → 4, exam 5, final 5; Русский 4: окончил
9А        8 Зайцева Мария       Математика 3, exam 2: не окончил
9А        9 Иванов Илья         Математика 4, no exam mark yet: не определено
========  ====================  =================================================================

Merges: on 20.05.2027 (before the 4th quarter's end, 26.05.2027) every workbook but 1А's;
on 28.05.2027 all but 9А Русский язык again, 5А Русский язык rejected. One paper copy
printed: 9А, 4 четверть, on 29.05.2027.

Counts: 5А 5 students — 2 promoted, 1 conditional, 1 kept, 1 undecided; 9А 3 — 1 graduated,
1 not graduated, 1 undecided; 1А 1 promoted. The only missing 4th quarter mark is
Дмитриева's in Русский язык (5А); the only year mark missing is hers in Русский язык too.
"""

from __future__ import annotations

from pathlib import Path

from journal.dataset import store
from journal.reports.data import Dataset, load
from journal.school.settings import (
    CouncilDecision,
    CurriculumItem,
    SchoolClass,
    Settings,
    default_calendar,
)

MATH_TEACHER = "Петрова Анна Ивановна"
RUSSIAN_TEACHER = "Сидорова Ольга Николаевна"
PRIMARY_TEACHER = "Смирнова Ольга Петровна"

STUDENTS = [
    (1, "5А", "Алексеев Иван", None), (2, "5А", "Борисова Анна", None),
    (3, "5А", "Васильев Пётр", None), (4, "5А", "Григорьев Олег", None),
    (5, "5А", "Дмитриева Ольга", None), (6, "5А", "Егоров Сергей", "2027-03-01"),
    (7, "9А", "Жуков Андрей", None), (8, "9А", "Зайцева Мария", None),
    (9, "9А", "Иванов Илья", None), (10, "1А", "Кузнецова Вера", None),
]
QUARTERS = ("1 четверть", "2 четверть", "3 четверть", "4 четверть")

# class, subject, student id → (four quarter marks, year, exam, final); None = not set
MARKS: dict[tuple[str, str, int], tuple[tuple[str | None, ...], str | None, str | None, str | None]] = {
    ("5А", "Математика", 1): (("5", "5", "5", "5"), "5", None, "5"),
    ("5А", "Русский язык", 1): (("5", "4", "5", "5"), "5", None, "5"),
    ("5А", "Математика", 2): (("4", "3", "3", "4"), "4", None, "4"),
    ("5А", "Русский язык", 2): (("4", "4", "4", "4"), "4", None, "4"),
    ("5А", "Математика", 3): (("2", "2", "3", "2"), "2", None, "2"),
    ("5А", "Русский язык", 3): (("3", "3", "3", "3"), "3", None, "3"),
    ("5А", "Математика", 4): (("2", "2", "2", "2"), "2", None, "2"),
    ("5А", "Русский язык", 4): (("2", "2", "2", "2"), "2", None, "2"),
    ("5А", "Математика", 5): (("4", "4", "3", "4"), "3", None, "3"),
    ("5А", "Русский язык", 5): (("4", "4", "4", None), None, None, None),
    ("5А", "Математика", 6): (("3", "3", None, None), None, None, None),
    ("9А", "Математика", 7): (("4", "4", "5", "4"), "4", "5", "5"),
    ("9А", "Русский язык", 7): (("4", "4", "4", "4"), "4", None, "4"),
    ("9А", "Математика", 8): (("3", "3", "3", "3"), "3", "2", None),
    ("9А", "Русский язык", 8): (("4", "4", "4", "4"), "4", None, "4"),
    ("9А", "Математика", 9): (("4", "4", "4", "4"), "4", None, None),
    ("9А", "Русский язык", 9): (("4", "4", "4", "4"), "4", None, "4"),
}


def make_settings() -> Settings:
    """The fixture school's settings: Математика in 9А ends with an exam; one council decision."""
    periods, holidays = default_calendar(2026)
    return Settings(
        school_name="МБОУ «Тестовая ОШ»", school_year="2026/2027", periods=periods,
        holidays=holidays,
        classes=(SchoolClass("1А", 1, "А", PRIMARY_TEACHER),
                 SchoolClass("5А", 5, "А", "Иванова Мария Петровна"),
                 SchoolClass("9А", 9, "А", "Орлова Елена Викторовна")),
        curriculum=(
            CurriculumItem("1А", "Русский язык", "", 4, PRIMARY_TEACHER),
            CurriculumItem("5А", "Математика", "", 5, MATH_TEACHER),
            CurriculumItem("5А", "Русский язык", "", 4, RUSSIAN_TEACHER),
            CurriculumItem("9А", "Математика", "", 5, MATH_TEACHER, exam=True),
            CurriculumItem("9А", "Русский язык", "", 3, RUSSIAN_TEACHER),
        ),
        decisions=(CouncilDecision("5А", "Григорьев Олег", "оставлен на повторное обучение"),),
        director="Директоров Д. Д.", deputy="Завучева З. З.",
    )


def build_dataset(path: Path) -> Path:
    """Write the fixture school's dataset to ``path`` and return it."""
    conn = store.connect(path)
    try:
        _fill(conn)
        conn.commit()
    finally:
        conn.close()
    return path


def _fill(conn) -> None:  # type: ignore[no-untyped-def]
    conn.executemany("INSERT INTO merges (id, started_at, finished_at, tool_version, merged) "
                     "VALUES (?, ?, ?, '0.1.0', 4)",
                     [(1, "2027-05-20 16:00:00", "2027-05-20 16:01:00"),
                      (2, "2027-05-28 16:00:00", "2027-05-28 16:01:00")])
    files = [(1, "5А", "Математика", MATH_TEACHER, "merged"),
             (1, "5А", "Русский язык", RUSSIAN_TEACHER, "merged"),
             (1, "9А", "Математика", MATH_TEACHER, "merged"),
             (1, "9А", "Русский язык", RUSSIAN_TEACHER, "merged"),
             (2, "5А", "Математика", MATH_TEACHER, "unchanged"),
             (2, "5А", "Русский язык", RUSSIAN_TEACHER, "rejected"),
             (2, "9А", "Математика", MATH_TEACHER, "merged")]
    conn.executemany("INSERT INTO merge_files (merge_id, file, kind, class, subject, grp, teacher, status)"
                     " VALUES (?, ?, 'subject', ?, ?, '', ?, ?)",
                     [(m, f"{c} — {s}.xlsx", c, s, t, st) for m, c, s, t, st in files])
    conn.execute("INSERT INTO printed_copies (printed_at, class, period, school_year, version, pages,"
                 " sha256, file) VALUES ('2027-05-29 10:00:00', '9А', '4 четверть', '2026/2027', 1, 40,"
                 " 'ab', '9А — 4 четверть.pdf')")
    settings = make_settings()
    conn.executemany("INSERT INTO classes (name, grade, letter, class_teacher) VALUES (?, ?, ?, ?)",
                     [(c.name, c.grade, c.letter, c.class_teacher) for c in settings.classes])
    conn.executemany("INSERT INTO students (id, class, full_name, left_on) VALUES (?, ?, ?, ?)",
                     STUDENTS)
    rows = []
    for (class_name, subject, sid), (quarters, year, exam, final) in MARKS.items():
        for period, value in zip(QUARTERS, quarters, strict=True):
            if value is not None:
                rows.append((class_name, subject, sid, "period", period, value))
        for kind, value in (("year", year), ("exam", exam), ("final", final)):
            if value is not None:
                rows.append((class_name, subject, sid, kind, "", value))
    conn.executemany(
        "INSERT INTO final_marks (class, subject, student_id, kind, period, value, first_seen,"
        " last_seen) VALUES (?, ?, ?, ?, ?, ?, '2027-05-28 10:00:00', '2027-05-28 10:00:00')", rows)


def load_fixture(folder: Path) -> Dataset:
    """Build the fixture dataset in ``folder`` and load it for the reports."""
    return load(build_dataset(folder / "journal.sqlite"))
