"""A deterministic sample school: settings, class lists and filled workbooks.

The sample is invented: the names are generated from common Russian names, and
every number comes from a seeded random generator, so two runs give the same
school. It covers grades 1–11 (quarters and half-years), two classes split into
groups for English, students who joined and left mid-year, absences with reasons,
substitute lessons, corrections and late entries in the history, and a handful of
typical teachers' mistakes so that the feedback has something to say.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from journal.demo import names as names
from journal.school.settings import (
    DEFAULT_WORK_KINDS,
    CurriculumItem,
    Norms,
    SchoolClass,
    Settings,
    TeacherTerm,
    TimetableEntry,
    default_calendar,
)
from journal.school.year_marks import accepted_year_marks, propose_final_mark, propose_year_mark
from journal.workbooks.format import (
    AbsenceReason,
    ClassContent,
    LogEntry,
    ParentRecord,
    StudentRecord,
    SubjectContent,
    final_columns,
    lesson_keys,
)

DEMO_YEAR = 2026
DEMO_TODAY = dt.date(2026, 11, 27)
SCHOOL_NAME = "МБОУ «Сосновская средняя общеобразовательная школа»"
CLASS_SIZES = {1: 14, 2: 12, 3: 16, 4: 11, 5: 21, 6: 18, 7: 25, 8: 17, 9: 15, 10: 9, 11: 8}
SPLIT_CLASSES = ("5А", "7А")  # split into two groups for English
GROUPS = ("1 группа", "2 группа")
ENGLISH = "Английский язык"

PRIMARY = {
    "Русский язык": 5, "Литературное чтение": 4, "Математика": 4, "Окружающий мир": 2,
    "Музыка": 1, "Изобразительное искусство": 1, "Труд (технология)": 1, "Физическая культура": 2,
}
MIDDLE = {
    "Русский язык": 5, "Литература": 3, ENGLISH: 3, "Математика": 5, "История": 2,
    "География": 1, "Биология": 1, "Музыка": 1, "Изобразительное искусство": 1,
    "Труд (технология)": 2, "Физическая культура": 2,
}
UPPER_MIDDLE = {
    "Русский язык": 3, "Литература": 2, ENGLISH: 3, "Алгебра": 3, "Геометрия": 2,
    "Вероятность и статистика": 1, "Информатика": 1, "История": 2, "Обществознание": 1,
    "География": 2, "Биология": 2, "Физика": 2, "Физическая культура": 2,
}
SENIOR = {
    "Русский язык": 2, "Литература": 3, ENGLISH: 3, "Алгебра": 3, "Геометрия": 2,
    "Вероятность и статистика": 1, "Информатика": 1, "История": 2, "Обществознание": 2,
    "География": 1, "Биология": 1, "Физика": 2, "Химия": 1, "Физическая культура": 2,
    "Основы безопасности и защиты Родины": 1,
}

# Subject teachers of grades 5–11 (invented people).
SUBJECT_TEACHERS = {
    "Русский язык": ("Орлова Галина Петровна", "Сергеева Ирина Викторовна"),
    "Литература": ("Орлова Галина Петровна", "Сергеева Ирина Викторовна"),
    ENGLISH: ("Белова Ольга Николаевна", "Титов Артём Сергеевич"),
    "Математика": ("Крылова Наталья Ивановна",),
    "Алгебра": ("Крылова Наталья Ивановна", "Гаврилов Павел Андреевич"),
    "Геометрия": ("Крылова Наталья Ивановна", "Гаврилов Павел Андреевич"),
    "Вероятность и статистика": ("Гаврилов Павел Андреевич",),
    "Информатика": ("Гаврилов Павел Андреевич",),
    "История": ("Тихонов Виктор Михайлович",),
    "Обществознание": ("Тихонов Виктор Михайлович",),
    "География": ("Власова Елена Сергеевна",),
    "Биология": ("Власова Елена Сергеевна",),
    "Физика": ("Медведев Олег Юрьевич",),
    "Химия": ("Медведев Олег Юрьевич",),
    "Музыка": ("Комарова Светлана Алексеевна",),
    "Изобразительное искусство": ("Комарова Светлана Алексеевна",),
    "Труд (технология)": ("Фомин Николай Иванович",),
    "Физическая культура": ("Данилов Сергей Олегович",),
    "Основы безопасности и защиты Родины": ("Фомин Николай Иванович",),
}
PRIMARY_TEACHERS = {
    1: "Романова Татьяна Васильевна", 2: "Лазарева Марина Юрьевна",
    3: "Ефимова Людмила Петровна", 4: "Никифорова Анна Сергеевна",
}
PRIMARY_SPECIALISTS = ("Музыка", "Физическая культура", ENGLISH)
CLASS_TEACHERS = {
    5: "Белова Ольга Николаевна", 6: "Власова Елена Сергеевна", 7: "Сергеева Ирина Викторовна",
    8: "Медведев Олег Юрьевич", 9: "Тихонов Виктор Михайлович", 10: "Крылова Наталья Ивановна",
    11: "Орлова Галина Петровна",
}
DIRECTOR = "Захаров Игорь Владимирович"
DEPUTY = "Полякова Вера Андреевна"
# What the sample school changes during the year (each appears once the demo's «today» reaches it):
# 5А's Wednesday mathematics lesson moves to Thursday from the third quarter; 8А's history
# teacher leaves in February and a new one takes the class.
TIMETABLE_CHANGE = ("5А", "Математика", dt.date(2027, 1, 12))
TEACHER_CHANGE = ("8А", "История", dt.date(2027, 2, 15), "Киселёв Андрей Павлович")
EXAM_SUBJECTS = {9: ("Русский язык", "Алгебра"), 11: ("Русский язык", "Алгебра")}
EXAMS_DAY = dt.date(2027, 6, 15)  # exam marks (ОГЭ, ЕГЭ) typed by this day
# Students joining (grade → date, the last on the list) and leaving (grade → date, the second).
JOINING = {3: dt.date(2026, 10, 12), 7: dt.date(2026, 10, 12), 8: dt.date(2027, 2, 1)}
LEAVING = {6: dt.date(2026, 11, 13), 9: dt.date(2026, 11, 13), 5: dt.date(2027, 3, 5)}
# Classes with one student who falls behind (grade → ability): the year ends with academic
# debts for them (a conditional promotion, or the council keeps them down).
STRUGGLING = {4: 2.95, 7: 2.85, 8: 2.6}
# How many days after the lesson each teacher usually types marks (0 = the same day).
TEACHER_LAG = {"Гаврилов Павел Андреевич": 2, "Фомин Николай Иванович": 4}


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by its purpose, so that each piece of the sample is stable."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def demo_settings(today: dt.date = DEMO_TODAY) -> Settings:
    """The sample school's settings as they stand on ``today`` (changes of the year included
    once their day has come)."""
    periods, holidays = default_calendar(DEMO_YEAR)
    classes = []
    curriculum: list[CurriculumItem] = []
    for grade in range(1, 12):
        name = f"{grade}А"
        teacher = PRIMARY_TEACHERS.get(grade) or CLASS_TEACHERS[grade]
        classes.append(SchoolClass(name, grade, "А", teacher))
        plan = _plan(grade)
        for subject, hours in plan.items():
            subject_teacher = _teacher(grade, subject)
            if name in SPLIT_CLASSES and subject == ENGLISH:
                for i, group in enumerate(GROUPS):
                    curriculum.append(CurriculumItem(name, subject, group, hours,
                                                     SUBJECT_TEACHERS[ENGLISH][i]))
            else:
                exam = subject in EXAM_SUBJECTS.get(grade, ())
                curriculum.append(CurriculumItem(name, subject, "", hours, subject_teacher, exam=exam))
    timetable = _timetable(curriculum)
    class_name, subject, since, newcomer = TEACHER_CHANGE
    if today >= since:
        curriculum = [_changed_hands(c, since, newcomer) if c.key == (class_name, subject, "") else c
                      for c in curriculum]
    if today >= TIMETABLE_CHANGE[2] - dt.timedelta(days=7):
        timetable = _move_lesson(timetable, *TIMETABLE_CHANGE)
    return Settings(
        school_name=SCHOOL_NAME,
        school_year=f"{DEMO_YEAR}/{DEMO_YEAR + 1}",
        periods=periods,
        holidays=holidays,
        classes=tuple(classes),
        curriculum=tuple(curriculum),
        timetable=tuple(timetable),
        work_kinds=DEFAULT_WORK_KINDS,
        norms=Norms(),
        director=DIRECTOR,
        deputy=DEPUTY,
        today=today,
    )


def _changed_hands(item: CurriculumItem, since: dt.date, teacher: str) -> CurriculumItem:
    terms = (TeacherTerm(item.teacher, None, since - dt.timedelta(days=1)), TeacherTerm(teacher, since))
    return CurriculumItem(item.class_name, item.subject, item.group, item.weekly_hours, teacher,
                          terms, item.exam)


def _move_lesson(timetable: list[TimetableEntry], class_name: str, subject: str,
                 since: dt.date) -> list[TimetableEntry]:
    """The class's lesson of ``subject`` on its first weekday moves to a day without one."""
    mine = [t for t in timetable if (t.class_name, t.subject) == (class_name, subject)]
    days = {t.weekday for t in mine}
    free = [d for d in range(1, 6) if d not in days]
    if not mine or not free:
        return timetable
    moved = min(mine, key=lambda t: t.weekday)
    busy = max((t.lesson_no for t in timetable if t.class_name == class_name and t.weekday == free[0]),
               default=0)
    before = TimetableEntry(moved.class_name, moved.subject, moved.group, moved.weekday, moved.lesson_no,
                            valid_to=since - dt.timedelta(days=1))
    after = TimetableEntry(moved.class_name, moved.subject, moved.group, free[0], busy + 1,
                           valid_from=since)
    return [t for t in timetable if t is not moved] + [before, after]


def _plan(grade: int) -> dict[str, int]:
    if grade == 1:
        return dict(PRIMARY)
    if grade <= 4:
        plan = dict(PRIMARY)
        plan[ENGLISH] = 2
        if grade == 4:
            plan["Литературное чтение"] = 3
        return plan
    if grade <= 6:
        plan = dict(MIDDLE)
        if grade == 6:
            plan["Обществознание"] = 1
        return plan
    if grade <= 9:
        plan = dict(UPPER_MIDDLE)
        if grade >= 8:
            plan["Химия"] = 2
            plan["Основы безопасности и защиты Родины"] = 1
        if grade == 7:
            plan["Труд (технология)"] = 1
        return plan
    return dict(SENIOR)


def _teacher(grade: int, subject: str) -> str:
    if grade <= 4:
        if subject in PRIMARY_SPECIALISTS:
            return SUBJECT_TEACHERS[subject][0]
        return PRIMARY_TEACHERS[grade]
    options = SUBJECT_TEACHERS[subject]
    return options[0] if grade <= 8 or len(options) == 1 else options[1]


def _timetable(curriculum: Iterable[CurriculumItem]) -> list[TimetableEntry]:
    """Spread each class's weekly hours over Monday–Friday, groups side by side."""
    by_class: dict[str, list[CurriculumItem]] = {}
    for item in curriculum:
        by_class.setdefault(item.class_name, []).append(item)
    entries: list[TimetableEntry] = []
    for class_name, items in by_class.items():
        rng = rng_for("timetable", class_name)
        subjects: dict[str, list[CurriculumItem]] = {}
        for item in items:
            subjects.setdefault(item.subject, []).append(item)
        load = {day: 0 for day in range(1, 6)}
        order = sorted(subjects, key=lambda s: (-subjects[s][0].weekly_hours, s))
        for subject in order:
            hours = int(subjects[subject][0].weekly_hours)
            days: list[int] = []
            for _ in range(hours):
                free = [d for d in load if d not in days] or list(load)
                best = min(load[d] for d in free)
                day = rng.choice([d for d in free if load[d] == best])
                days.append(day)
                load[day] += 1
                for item in subjects[subject]:
                    entries.append(TimetableEntry(class_name, subject, item.group, day, load[day]))
    return entries


# ---------------------------------------------------------------- class lists


@dataclass
class DemoStudent:
    """A generated student with the habits that drive their marks and absences."""

    record: StudentRecord
    female: bool
    ability: float
    illness: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    family_days: list[dt.date] = field(default_factory=list)


def demo_students(settings: Settings, school_class: SchoolClass) -> list[DemoStudent]:
    """The class list, with one student who joined and one who left in some classes."""
    rng = rng_for("students", school_class.name)
    size = CLASS_SIZES[school_class.grade]
    used: set[str] = set()
    students: list[DemoStudent] = []
    birth_year = DEMO_YEAR - 6 - school_class.grade
    while len(students) < size:
        female = rng.random() < 0.5
        surname = rng.choice(names.SURNAMES)[1 if female else 0]
        first = rng.choice(names.FEMALE_FIRST if female else names.MALE_FIRST)
        patronymic = rng.choice(names.PATRONYMICS)[1 if female else 0]
        full = f"{surname} {first} {patronymic}"
        if full in used or any(s.record.full_name.split()[0] == surname for s in students):
            continue
        used.add(full)
        birth = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        ability = min(5.3, max(2.9, rng.gauss(4.1, 0.45)))
        students.append(DemoStudent(StudentRecord(full, birth_date=birth), female, ability))
    students.sort(key=lambda s: s.record.full_name)
    if school_class.grade in STRUGGLING:  # the one student of the class who falls behind
        min(students, key=lambda s: s.ability).ability = STRUGGLING[school_class.grade]
    today = settings.today or DEMO_TODAY
    joining = JOINING.get(school_class.grade)
    if joining is not None:
        if joining > today:
            students.pop()  # not on the list yet
        else:
            students[-1].record.joined = joining
    leaving = LEAVING.get(school_class.grade)
    if leaving is not None and leaving <= today:
        students[1].record.left = leaving
    for s in students:
        if school_class.name in SPLIT_CLASSES:
            half = students.index(s) % 2
            s.record.groups[ENGLISH] = GROUPS[half]
        _plan_absences(settings, school_class, s, rng)
    return students


def _plan_absences(settings: Settings, school_class: SchoolClass, student: DemoStudent,
                   rng: random.Random) -> None:
    school_days = [d for d in _days(settings.year_start, settings.year_end)
                   if settings.is_school_day(d, school_class) and d.isoweekday() <= 5]
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        start = rng.randrange(len(school_days) - 3)
        length = rng.randint(2, 6)
        span = school_days[start:start + length]
        student.illness.append((span[0], span[-1]))
    if rng.random() < 0.15:
        student.family_days.append(rng.choice(school_days))


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def demo_class_content(settings: Settings, school_class: SchoolClass,
                       students: list[DemoStudent]) -> ClassContent:
    """What the class teacher typed: the list, parents, reasons for absences, notes."""
    rng = rng_for("class", school_class.name)
    today = settings.today or DEMO_TODAY
    content = ClassContent(students=[s.record for s in students])
    for s in students:
        surname = s.record.full_name.split()[0]
        mother = surname if s.female else surname + "а"
        mother_name = f"{mother} {rng.choice(names.FEMALE_FIRST)} {rng.choice(names.PATRONYMICS)[1]}"
        phone = (f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-"
                 f"{rng.randint(10, 99)}-{rng.randint(10, 99)}")
        email = ""
        if rng.random() < 0.8:
            email = f"{_latin(mother)}.{rng.randint(10, 99)}@example.org"
        content.parents.append(ParentRecord(s.record.full_name, mother_name, phone, email))
        for start, end in s.illness:
            if end >= today:
                continue  # not back at school yet: no certificate
            content.reasons.append(AbsenceReason(
                s.record.full_name, start, end, "Б",
                f"Справка № {rng.randint(100, 999)} от {end + dt.timedelta(days=1):%d.%m.%Y}"))
        for day in s.family_days:
            if day > today:
                continue
            content.reasons.append(AbsenceReason(s.record.full_name, day, day, "У",
                                                 "Заявление родителей"))
        if s.ability < 3.2:
            content.notes[s.record.full_name] = (
                "Прошу обратить внимание на подготовку к урокам и выполнение домашних заданий. "
                "Приглашаю на консультацию в четверг после 14:00.")
        elif s.ability > 4.6:
            content.notes[s.record.full_name] = "Отличная работа в четверти! Спасибо за поддержку."
    return content


_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})


def _latin(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


# ---------------------------------------------------------------- subject workbooks


@dataclass
class Entry:
    """One value a teacher typed, with the day it was typed (for the simulated history)."""

    key: tuple[str, dt.date, int]
    value: object
    entered: dt.date
    earlier: object = None  # a value seen before a correction (None: no correction)
    corrected: dt.date | None = None


@dataclass
class DemoSubject:
    """A subject workbook's content with the days each value was typed."""

    item: CurriculumItem
    students: list[str]
    dates: list[dt.date]
    content: SubjectContent
    mark_entries: list[Entry]
    log_entered: dict[tuple[dt.date, int], dt.date]
    removed: list[Entry] = field(default_factory=list)  # typed, then deleted before today
    finals_entered: dict[str, dt.date] = field(default_factory=dict)  # column → day typed

    def as_of(self, day: dt.date) -> SubjectContent:
        """The workbook as it was at the end of ``day``."""
        content = SubjectContent()
        for key, entered in self.log_entered.items():
            if entered <= day:
                content.log[key] = self.content.log[key]
                if key in self.content.kinds:
                    content.kinds[key] = self.content.kinds[key]
        for e in self.mark_entries:
            if e.entered > day:
                continue
            corrected_later = e.earlier is not None and e.corrected is not None and day < e.corrected
            content.marks[e.key] = e.earlier if corrected_later else e.value
        for e in self.removed:
            if e.entered <= day and (e.corrected is None or day < e.corrected):
                content.marks[e.key] = e.value
        content.finals = {k: v for k, v in self.content.finals.items()
                          if self.finals_entered.get(k[1], dt.date.max) <= day}
        return content


def demo_subject(settings: Settings, item: CurriculumItem,
                 students: list[DemoStudent]) -> DemoSubject:
    """Generate one subject workbook's content up to the demo's «today»."""
    school_class = settings.school_class(item.class_name)
    assert school_class is not None
    rng = rng_for("subject", *item.key)
    today = settings.today or DEMO_TODAY
    members = [s for s in students
               if not item.group or s.record.groups.get(item.subject) == item.group]
    dates = settings.lesson_dates(item)
    keys = lesson_keys(dates)
    topics = names.SUBJECT_TOPICS.get(item.subject, ("Тема урока",))
    lag = TEACHER_LAG.get(item.teacher, 0)
    content = SubjectContent()
    marks: list[Entry] = []
    log_entered: dict[tuple[dt.date, int], dt.date] = {}
    held = [k for k in keys if k[0] <= today]
    difficulty = rng.uniform(-0.2, 0.15) + (0.25 if item.weekly_hours <= 1 else 0.0)
    substitute_week = None
    if rng.random() < 0.12 and len(held) > 10:
        substitute_week = held[rng.randrange(len(held) - 5)][0]
    for n, key in enumerate(held):
        day, _seq = key
        topic = topics[min(n * len(topics) // max(len(keys), 1), len(topics) - 1)]
        entry = LogEntry(topic=f"{topic}. Урок {n + 1}", homework=_homework(rng, n))
        if substitute_week and 0 <= (day - substitute_week).days < 7:
            entry.substitute = _substitute(item)
        content.log[key] = entry
        log_entered[key] = _entered(day, lag, rng, today)
        kind = _kind(item, n, rng, school_class.has_marks)
        content.kinds[key] = kind
        written = settings.work_kind(kind)
        for s in members:
            name = s.record.full_name
            if (s.record.joined and day < s.record.joined) or (s.record.left and day >= s.record.left):
                continue
            absent = _absence(s, day, rng)
            value: object = None
            if absent:
                value = absent
                if absent == "О" and school_class.has_marks and rng.random() < 0.3:
                    value = f"О/{_mark(s, difficulty, rng)}"
            elif school_class.has_marks:
                chance = 1.0 if written and written.written else (0.22 if item.weekly_hours >= 3 else 0.4)
                if rng.random() < chance:
                    mark = _mark(s, difficulty, rng)
                    value = str(mark)
                    if not (written and written.written) and rng.random() < 0.04:
                        value = f"{mark}/{_mark(s, difficulty, rng)}"
            if value is None:
                continue
            delay = lag + (rng.randint(1, 4) if written and written.written else 0)
            marks.append(Entry((name, day, key[1]), value, min(day + dt.timedelta(days=delay), today)))
    for e in marks:
        content.marks[e.key] = e.value
    demo = DemoSubject(item, [s.record.full_name for s in members], dates, content, marks, log_entered)
    if school_class.has_marks:
        _period_marks(settings, demo, members)
        _year_marks(settings, demo, members)
    return demo


def _entered(day: dt.date, lag: int, rng: random.Random, today: dt.date) -> dt.date:
    extra = 0 if rng.random() < 0.85 else rng.randint(1, 3)
    return min(day + dt.timedelta(days=lag + extra), today)


def _kind(item: CurriculumItem, n: int, rng: random.Random, has_marks: bool) -> str:
    if not has_marks:
        return ""
    if n % 16 == 15:
        return "Контрольная работа"
    if item.subject == "Русский язык" and n % 9 == 8:
        return "Диктант"
    if item.subject == "Физическая культура":
        return "Практическая работа"
    if n % 7 == 6:
        return "Самостоятельная работа"
    if item.subject in ("Физика", "Химия", "Биология") and n % 11 == 10:
        return "Лабораторная работа"
    return "Ответ на уроке" if rng.random() < 0.85 else "Домашняя работа"


def _homework(rng: random.Random, n: int) -> str:
    pattern = rng.choice(names.HOMEWORK_PATTERNS)
    return pattern.format(p=n // 2 + 1, q=rng.randint(3, 6), e=rng.randint(10, 300),
                          e2=rng.randint(10, 300), pg=rng.randint(5, 180))


def _substitute(item: CurriculumItem) -> str:
    if item.teacher != "Власова Елена Сергеевна":
        return "Власова Елена Сергеевна"
    return "Тихонов Виктор Михайлович"


def _absence(s: DemoStudent, day: dt.date, rng: random.Random) -> str | None:
    for start, end in s.illness:
        if start <= day <= end:
            return "Н"
    if day in s.family_days:
        return "Н"
    roll = rng.random()
    if roll < 0.006:
        return "Н"
    if roll < 0.014:
        return "О"
    return None


def _mark(s: DemoStudent, difficulty: float, rng: random.Random) -> int:
    return max(2, min(5, round(rng.gauss(s.ability + difficulty, 0.55))))


def _period_marks(settings: Settings, demo: DemoSubject, members: list[DemoStudent]) -> None:
    """The marks of every period that has ended by «today», typed on its last day: the weighted
    average rounded by the school's rule, and now and then (fraction from 0,5 to the threshold)
    the higher mark a teacher may give in the student's favour."""
    item, content = demo.item, demo.content
    today = settings.today or DEMO_TODAY
    periods = settings.periods_for(item.class_name)
    columns = final_columns([p.name for p in periods])
    rng = rng_for("period marks", *item.key)
    for period, column in zip(periods, columns, strict=False):
        if period.end >= today:
            continue
        demo.finals_entered[column] = period.end
        for s in members:
            joined, left = s.record.joined, s.record.left
            if left is not None and left <= period.end:
                continue
            total = weight = 0.0
            for e in demo.mark_entries:
                name, day, seq = e.key
                if name != s.record.full_name or not period.contains(day):
                    continue
                kind = settings.work_kind(content.kinds.get((day, seq), "")) or settings.work_kinds[0]
                for part in str(e.value).split("/"):
                    if part.isdigit():
                        total += int(part) * kind.weight
                        weight += kind.weight
            if weight:
                average = total / weight
                mark = settings.norms.round_mark(average)
                if average - int(average) >= 0.5 and mark == int(average) and rng.random() < 0.25:
                    mark += 1
                content.finals[(s.record.full_name, column)] = str(mark)
            elif joined is None or joined <= period.end:
                content.finals[(s.record.full_name, column)] = "н/а"
            elif school_class_grade(settings, item) and joined > settings.year_start:
                # came from another school: its period marks, copied from the record it brought
                content.finals[(s.record.full_name, column)] = str(_mark(s, 0.0, rng))


def school_class_grade(settings: Settings, item: CurriculumItem) -> int:
    """The grade of the item's class (0 when the class is unknown)."""
    found = settings.school_class(item.class_name)
    return found.grade if found else 0


def _year_marks(settings: Settings, demo: DemoSubject, members: list[DemoStudent]) -> None:
    """After the year's end: the year mark by the rule (a few teachers give the higher mark
    the rule allows), the exam mark for an exam subject and the final mark."""
    today = settings.today or DEMO_TODAY
    if today <= settings.year_end:
        return
    item, content = demo.item, demo.content
    periods = settings.periods_for(item.class_name)
    columns = final_columns([p.name for p in periods])
    year_column, exam_column, final_column = columns[len(periods):]
    rng = rng_for("year marks", *item.key)
    demo.finals_entered[year_column] = demo.finals_entered[final_column] = settings.year_end
    if item.exam:
        demo.finals_entered[exam_column] = demo.finals_entered[final_column] = EXAMS_DAY
    for s in members:
        if s.record.left is not None:
            continue
        name = s.record.full_name
        marks = [_text(content.finals.get((name, c))) for c in columns[:len(periods)]]
        proposed = propose_year_mark(marks, settings.norms)
        if proposed is None:
            continue
        allowed = sorted(accepted_year_marks(marks, settings.norms))
        year = allowed[-1] if len(allowed) > 1 and rng.random() < 0.15 else proposed
        content.finals[(name, year_column)] = year
        exam = None
        if item.exam and today >= EXAMS_DAY:
            exam = str(max(2, min(5, round(rng.gauss(s.ability, 0.5)))))
            if exam == "2" and rng.random() < 0.8:
                exam = "3"  # retaken within the exam period
            content.finals[(name, exam_column)] = exam
        final = propose_final_mark(year, exam, item.exam)
        if final is not None and (not item.exam or exam is not None):
            content.finals[(name, final_column)] = final


def _text(value: object) -> str | None:
    return None if value is None else str(value)
