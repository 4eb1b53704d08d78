"""The school's settings as Python values, and what follows from them.

The settings workbook (see :mod:`journal.workbooks.settings_writer` and
:mod:`journal.workbooks.settings_reader`) is read into a
:class:`Settings`. Everything else (templates, validation, reports) takes a
``Settings`` and never reads the workbook again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from journal.core.text import name_key, text_key

QUARTERS = "quarters"
HALVES = "halves"
PERIOD_SET_RU = {QUARTERS: "Четверти", HALVES: "Полугодия"}
PERIOD_SET_BY_RU = {v.lower(): k for k, v in PERIOD_SET_RU.items()}

WEEKDAYS_RU = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота"]
WEEKDAYS_SHORT_RU = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]


@dataclass(frozen=True)
class Period:
    """A quarter or a half-year."""

    set: str  # QUARTERS or HALVES
    number: int
    name: str  # «1 четверть», «2 полугодие»
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls inside the period."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Holiday:
    """School holidays or a day off; ``grades`` empty means every grade."""

    name: str
    start: dt.date
    end: dt.date
    grades: frozenset[int] = frozenset()

    def covers(self, day: dt.date, grade: int) -> bool:
        """True when ``day`` is a holiday for ``grade``."""
        return self.start <= day <= self.end and (not self.grades or grade in self.grades)


@dataclass(frozen=True)
class SchoolClass:
    """A class: «5А» is grade 5, letter А."""

    name: str
    grade: int
    letter: str
    class_teacher: str
    teacher_email: str = ""  # the class teacher's e-mail: the diary's «Написать» link

    @property
    def period_set(self) -> str:
        """Quarters for grades 1–9, half-years for 10–11."""
        return HALVES if self.grade >= 10 else QUARTERS

    @property
    def has_marks(self) -> bool:
        """Grade 1 is taught without marks all year (see :meth:`Settings.marks_on` for the
        rule by date: a grade may also go without marks until some day)."""
        return self.grade >= 2


@dataclass(frozen=True)
class TeacherTerm:
    """A teacher who teaches a curriculum line from ``start`` to ``end`` (None: open end)."""

    teacher: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        """True when ``day`` falls inside the term."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CurriculumItem:
    """One line of the curriculum: a class learns a subject (in a group) from a teacher.

    ``teacher`` is the current teacher (the one the workbook is made for). ``terms`` lists
    every teacher of the line with dates when the line changed hands or does not run all
    year; empty means ``teacher`` teaches it all year.
    """

    class_name: str
    subject: str
    group: str  # "" when the class is not split for this subject
    weekly_hours: float
    teacher: str
    terms: tuple[TeacherTerm, ...] = ()
    exam: bool = False  # the subject ends with an exam (grades 9 and 11)

    @property
    def key(self) -> tuple[str, str, str]:
        """(class, subject, group): what one subject workbook covers."""
        return (self.class_name, self.subject, self.group)

    def teacher_on(self, day: dt.date) -> str:
        """The teacher who taught (or teaches) the line on ``day``."""
        for term in self.terms:
            if term.covers(day):
                return term.teacher
        return self.teacher

    def runs_on(self, day: dt.date) -> bool:
        """True when the line has lessons on ``day`` by its dates (always without terms)."""
        return not self.terms or any(t.covers(day) for t in self.terms)


@dataclass(frozen=True)
class TimetableEntry:
    """A weekly lesson: weekday 1 (Monday) … 6 (Saturday), lesson number 1…8.

    ``valid_from``/``valid_to`` limit the row to a part of the year (None: no limit), so a
    timetable change applies from its date and the lessons before it keep their dates.
    """

    class_name: str
    subject: str
    group: str
    weekday: int
    lesson_no: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def applies_on(self, day: dt.date) -> bool:
        """True when the row is in force on ``day``."""
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))


MOVE = "move"
CANCEL = "cancel"
EXTRA = "extra"
CHANGE_KIND_RU = {MOVE: "перенос", CANCEL: "отмена", EXTRA: "дополнительный урок"}
ALL_CLASSES_RU = "все"


@dataclass(frozen=True)
class TimetableChange:
    """A one-off change to the weekly timetable.

    * MOVE: the lesson of (class, subject, group) on ``day`` (lesson ``lesson_no``, 0 for
      any) is given on ``new_day`` (lesson ``new_lesson_no``) instead;
    * CANCEL: no lessons from ``day`` to ``end`` (актированный день, карантин) for
      ``classes`` (empty: the whole school); with a subject only that subject's lessons;
    * EXTRA: one more lesson of (class, subject, group) on ``day``.
    """

    kind: str
    day: dt.date
    classes: frozenset[str] = frozenset()
    subject: str = ""
    group: str = ""
    lesson_no: int = 0
    new_day: dt.date | None = None
    new_lesson_no: int = 0
    end: dt.date | None = None
    reason: str = ""

    def cancels(self, day: dt.date, class_name: str, subject: str, group: str) -> bool:
        """True when this is a cancellation covering the lesson."""
        if self.kind != CANCEL or not self.day <= day <= (self.end or self.day):
            return False
        if self.classes and normalise_class_name(class_name) not in self.classes:
            return False
        return not self.subject or (
            _item_key(class_name, self.subject, self.group) == _item_key(class_name, subject, group))

    def is_for(self, item: CurriculumItem) -> bool:
        """True when this move or extra lesson belongs to the curriculum line."""
        return (self.kind in (MOVE, EXTRA) and len(self.classes) == 1
                and _item_key(next(iter(self.classes)), self.subject, self.group)
                == _item_key(item.class_name, item.subject, item.group))


@dataclass(frozen=True)
class UnmarkedRule:
    """Grade ``grade`` gets no marks up to and including ``until`` (its first period, say)."""

    grade: int
    until: dt.date
    label: str = ""  # what the coordinator wrote: «1 четверть», «31.10.2026»


@dataclass(frozen=True)
class LessonPlan:
    """How a curriculum line's lessons come out of the timetable in a date range."""

    weekly: int  # by the weekly timetable, before one-off changes
    cancelled: int  # removed by cancelled days and cancelled lessons
    moved_out: int  # moved away to another date
    moved_in: int  # moved here from another date
    extra: int  # extra lessons
    dates: tuple[dt.date, ...]  # the lesson dates after every change

    @property
    def planned(self) -> int:
        """The lessons that should be given."""
        return len(self.dates)


@dataclass(frozen=True)
class CouncilDecision:
    """A teachers' council decision on a student's year (sheet «Решения педсовета»):
    ``decision`` is its text («оставлен на повторное обучение», «переведён условно»,
    «переведён»), read by :func:`journal.school.year_marks.parse_decision`."""

    class_name: str
    student: str
    decision: str
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class SchoolEvent:
    """An event from the settings' sheet «События»: for the whole school (``classes`` empty)
    or for the classes named."""

    date: dt.date
    title: str
    classes: tuple[str, ...] = ()

    def concerns(self, class_name: str) -> bool:
        """True when the event is for the whole school or names ``class_name``."""
        return not self.classes or normalise_class_name(class_name) in self.classes


@dataclass(frozen=True)
class WorkKind:
    """A kind of work with its weight in the weighted average."""

    name: str
    weight: float
    written: bool = False


@dataclass(frozen=True)
class MinMarksRule:
    """At least ``min_marks`` marks per period for subjects with ``weekly_hours`` or more."""

    weekly_hours: float
    min_marks: int


@dataclass(frozen=True)
class Norms:
    """The school's norms from the regulation and its local acts."""

    ordinary_mark_days: int = 1  # a mark for a lesson is late after this many days
    written_days_lower: int = 5  # written works in grades 2–9
    written_days_upper: int = 7  # written works in grades 10–11
    min_marks: tuple[MinMarksRule, ...] = (
        MinMarksRule(1, 3),
        MinMarksRule(2, 5),
        MinMarksRule(3, 7),
        MinMarksRule(4, 9),
    )
    rounding_threshold: float = 0.6  # 3.6 rounds up to 4, 3.5 stays 3
    period_mark_tolerance: float = 0.75  # a period mark this far from the average is a warning
    large_removal_share: float = 0.2  # a workbook removing this share of merged marks is held

    def written_days(self, grade: int) -> int:
        """Days allowed for marking written work in this grade."""
        return self.written_days_upper if grade >= 10 else self.written_days_lower

    def min_marks_for(self, weekly_hours: float) -> int:
        """The least number of marks a student needs in a period for a subject."""
        best = 0
        for rule in sorted(self.min_marks, key=lambda r: r.weekly_hours):
            if weekly_hours >= rule.weekly_hours:
                best = rule.min_marks
        return best

    def round_mark(self, average: float) -> int:
        """Round a weighted average to a period mark using the school's threshold."""
        whole = int(average)
        return whole + 1 if average - whole >= self.rounding_threshold - 1e-9 else whole


DEFAULT_WORK_KINDS: tuple[WorkKind, ...] = (
    WorkKind("Ответ на уроке", 1.0),
    WorkKind("Домашняя работа", 1.0),
    WorkKind("Практическая работа", 1.5),
    WorkKind("Самостоятельная работа", 1.5, written=True),
    WorkKind("Диктант", 2.0, written=True),
    WorkKind("Сочинение / изложение", 2.0, written=True),
    WorkKind("Лабораторная работа", 1.5, written=True),
    WorkKind("Проверочная работа", 2.0, written=True),
    WorkKind("Контрольная работа", 3.0, written=True),
)


@dataclass(frozen=True)
class Settings:
    """Everything the school's settings workbook says."""

    school_name: str
    school_year: str  # «2026/2027»
    periods: tuple[Period, ...]
    holidays: tuple[Holiday, ...] = ()
    classes: tuple[SchoolClass, ...] = ()
    curriculum: tuple[CurriculumItem, ...] = ()
    timetable: tuple[TimetableEntry, ...] = ()
    changes: tuple[TimetableChange, ...] = ()
    unmarked: tuple[UnmarkedRule, ...] = ()
    work_kinds: tuple[WorkKind, ...] = DEFAULT_WORK_KINDS
    norms: Norms = field(default_factory=Norms)
    director: str = ""
    deputy: str = ""
    decisions: tuple[CouncilDecision, ...] = ()
    letter_rating: bool = True  # letters to parents show the student's place in the class
    events: tuple[SchoolEvent, ...] = ()  # the sheet «События»
    today: dt.date | None = None  # recorded by a demo school so its defaults make sense

    @cached_property
    def year_start(self) -> dt.date:
        """The first day of the school year."""
        return min(p.start for p in self.periods)

    @cached_property
    def year_end(self) -> dt.date:
        """The last day of the school year."""
        return max(p.end for p in self.periods)

    # Lookups by name are indexed once per Settings (a district has thousands of classes
    # and curriculum lines); a frozen dataclass may still cache in its __dict__.

    @cached_property
    def _classes_by_name(self) -> dict[str, SchoolClass]:
        index: dict[str, SchoolClass] = {}
        for c in self.classes:
            index.setdefault(normalise_class_name(c.name), c)
        return index

    @cached_property
    def _curriculum_by_key(self) -> dict[tuple[str, str, str], CurriculumItem]:
        index: dict[tuple[str, str, str], CurriculumItem] = {}
        for c in self.curriculum:
            index.setdefault(_item_key(c.class_name, c.subject, c.group), c)
        return index

    @cached_property
    def _timetable_by_key(self) -> dict[tuple[str, str, str], list[TimetableEntry]]:
        index: dict[tuple[str, str, str], list[TimetableEntry]] = {}
        for t in self.timetable:
            index.setdefault(_item_key(t.class_name, t.subject, t.group), []).append(t)
        return index

    @cached_property
    def _periods_by_set(self) -> dict[str, tuple[Period, ...]]:
        return {name: tuple(sorted((p for p in self.periods if p.set == name),
                                   key=lambda p: p.number))
                for name in {p.set for p in self.periods} | {QUARTERS, HALVES}}

    @cached_property
    def _memo(self) -> dict[str, dict]:
        """Answers already computed by the calendar questions below (validation asks them for
        every lesson column of every workbook, and the answers never change)."""
        return {"period_of": {}, "is_holiday": {}, "lesson_dates": {}, "lesson_plan": {}}

    def school_class(self, name: str) -> SchoolClass | None:
        """The class called ``name`` (case and spaces ignored), or None."""
        return self._classes_by_name.get(normalise_class_name(name))

    def periods_for(self, school_class: SchoolClass | str) -> tuple[Period, ...]:
        """The periods of the set the class uses, in order."""
        if isinstance(school_class, str):
            found = self.school_class(school_class)
            if found is None:
                raise KeyError(school_class)
            school_class = found
        return self._periods_by_set.get(school_class.period_set, ())

    def period_of(self, school_class: SchoolClass | str, day: dt.date) -> Period | None:
        """The class's period that contains ``day``, or None (holidays, outside the year)."""
        periods = self.periods_for(school_class)
        key = (periods[0].set if periods else "", day)
        memo = self._memo["period_of"]
        if key not in memo:
            memo[key] = next((p for p in periods if p.contains(day)), None)
        return memo[key]

    def find_period(self, spec: str | int, period_set: str) -> Period | None:
        """A period of ``period_set`` by its number («1») or its name («1 четверть»)."""
        text = str(spec).strip().lower()
        for p in self.periods:
            if p.set != period_set:
                continue
            if text == str(p.number) or text == p.name.strip().lower():
                return p
        return None

    def curriculum_for(self, class_name: str) -> list[CurriculumItem]:
        """The curriculum lines of one class."""
        wanted = normalise_class_name(class_name)
        return [c for c in self.curriculum if normalise_class_name(c.class_name) == wanted]

    def curriculum_item(self, class_name: str, subject: str, group: str = "") -> CurriculumItem | None:
        """The curriculum line for (class, subject, group), or None."""
        return self._curriculum_by_key.get(_item_key(class_name, subject, group))

    def has_exam(self, class_name: str, subject: str) -> bool:
        """True when the curriculum gives the class an exam in ``subject`` (any of its groups)."""
        wanted = text_key(subject)
        return any(c.exam and text_key(c.subject) == wanted for c in self.curriculum_for(class_name))

    def decision_for(self, class_name: str, student: str) -> CouncilDecision | None:
        """The teachers' council decision on a student's year, or None."""
        wanted = (normalise_class_name(class_name), name_key(student))
        for d in self.decisions:
            if (normalise_class_name(d.class_name), name_key(d.student)) == wanted:
                return d
        return None

    def timetable_for(self, item: CurriculumItem) -> list[TimetableEntry]:
        """The weekly lessons of one curriculum line."""
        return list(self._timetable_by_key.get(_item_key(item.class_name, item.subject, item.group), ()))

    def work_kind(self, name: str) -> WorkKind | None:
        """The kind of work called ``name`` (case and spaces ignored), or None."""
        return self._work_kinds_by_key.get(text_key(name))

    @cached_property
    def _work_kinds_by_key(self) -> dict[str, WorkKind]:
        index: dict[str, WorkKind] = {}
        for k in self.work_kinds:
            index.setdefault(text_key(k.name), k)
        return index

    def is_holiday(self, day: dt.date, grade: int) -> bool:
        """True when ``day`` is a holiday for ``grade``."""
        memo = self._memo["is_holiday"]
        if (day, grade) not in memo:
            memo[(day, grade)] = any(h.covers(day, grade) for h in self.holidays)
        return memo[(day, grade)]

    def is_school_day(self, day: dt.date, school_class: SchoolClass) -> bool:
        """True when the class can have lessons on ``day``."""
        return (
            day.isoweekday() <= 6
            and self.period_of(school_class, day) is not None
            and not self.is_holiday(day, school_class.grade)
        )

    def lesson_dates(self, item: CurriculumItem) -> list[dt.date]:
        """Every lesson date of a curriculum line for the year, in order.

        From the weekly timetable (each row only while it is in force), with holidays and
        days outside the class's periods skipped, the line's own dates (a subject taught
        part of the year) respected, then the one-off changes applied: cancelled days and
        lessons removed, moved lessons put on their new date, extra lessons added. Two
        lessons on one day give the date twice.
        """
        memo = self._memo["lesson_dates"]
        if item not in memo:
            memo[item] = self.lesson_plan(item).dates
        return list(memo[item])

    def lesson_plan(self, item: CurriculumItem, start: dt.date | None = None,
                    end: dt.date | None = None) -> LessonPlan:
        """The line's lessons in ``start``…``end`` (the whole year by default), counted by
        where they come from: the weekly timetable, cancellations, moves, extra lessons."""
        memo = self._memo["lesson_plan"]
        key = (item, start, end)
        if key not in memo:
            memo[key] = self._lesson_plan(item, start or self.year_start, end or self.year_end)
        return memo[key]

    def _lesson_plan(self, item: CurriculumItem, start: dt.date, end: dt.date) -> LessonPlan:
        school_class = self.school_class(item.class_name)
        if school_class is None:
            return LessonPlan(0, 0, 0, 0, 0, ())
        by_weekday: dict[int, list[TimetableEntry]] = {}
        for row in self.timetable_for(item):
            by_weekday.setdefault(row.weekday, []).append(row)
        weekly: list[dt.date] = []
        for day in iter_days(max(start, self.year_start), min(end, self.year_end)):
            rows = by_weekday.get(day.isoweekday())
            if not rows:
                continue
            count = sum(1 for t in rows if t.applies_on(day))
            if count and item.runs_on(day) and self.is_school_day(day, school_class):
                weekly.extend([day] * count)
        kept = [d for d in weekly if not self.is_cancelled(d, item)]
        cancelled = len(weekly) - len(kept)
        moved_out = moved_in = extra = 0
        for change in self.changes:
            if not change.is_for(item):
                continue
            if change.kind == MOVE:
                if start <= change.day <= end and change.day in kept:
                    kept.remove(change.day)
                    moved_out += 1
                if change.new_day is not None and start <= change.new_day <= end:
                    kept.append(change.new_day)
                    moved_in += 1
            elif start <= change.day <= end:
                kept.append(change.day)
                extra += 1
        return LessonPlan(len(weekly), cancelled, moved_out, moved_in, extra, tuple(sorted(kept)))

    def is_cancelled(self, day: dt.date, item: CurriculumItem) -> bool:
        """True when the line's lessons on ``day`` are cancelled (актированный день, карантин)."""
        return any(c.cancels(day, item.class_name, item.subject, item.group) for c in self.changes)

    def teacher_on(self, item: CurriculumItem, day: dt.date) -> str:
        """The teacher of the line's lesson on ``day`` (the line may have changed hands)."""
        return item.teacher_on(day)

    def marks_from(self, school_class: SchoolClass) -> dt.date | None:
        """The first day the class may get marks, or None when it gets none all year.

        Grade 1 gets none; a grade with a rule of :attr:`unmarked` gets none up to and
        including the rule's date; every other class gets marks from the first day.
        """
        if not school_class.has_marks:
            return None
        until = max((r.until for r in self.unmarked if r.grade == school_class.grade), default=None)
        if until is None:
            return self.year_start if self.periods else dt.date.min
        if until >= self.year_end:
            return None
        return until + dt.timedelta(days=1)

    def marks_on(self, school_class: SchoolClass, day: dt.date) -> bool:
        """True when the class may get marks on ``day``."""
        first = self.marks_from(school_class)
        return first is not None and day >= first

    def period_has_marks(self, school_class: SchoolClass, period: Period) -> bool:
        """True when the class gets a mark for ``period`` (some of it is taught with marks)."""
        first = self.marks_from(school_class)
        return first is not None and period.end >= first

    def gets_marks(self, school_class: SchoolClass) -> bool:
        """True when the class gets marks on some day of the year (not grade 1, not a grade
        without marks all year)."""
        return self.marks_from(school_class) is not None

    def final_period_names(self, school_class: SchoolClass) -> list[str]:
        """The names of the periods that end with a period mark: the period columns of the
        subject workbook's «Итоговые» sheet."""
        return [p.name for p in self.marked_periods(school_class)]

    def marked_periods(self, school_class: SchoolClass) -> tuple[Period, ...]:
        """The class's periods that end with a period mark."""
        return tuple(p for p in self.periods_for(school_class) if self.period_has_marks(school_class, p))

    def unmarked_text(self, school_class: SchoolClass) -> str:
        """Russian: «без отметок до 31.10.2026 включительно» or «без отметок весь год» or ""."""
        first = self.marks_from(school_class)
        if first is None:
            return "без отметок весь год"
        if self.periods and first > self.year_start:
            return f"без отметок до {first - dt.timedelta(days=1):%d.%m.%Y} включительно"
        return ""


def iter_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _item_key(class_name: str, subject: str, group: str) -> tuple[str, str, str]:
    """How curriculum lines and timetable entries are matched: case and spaces ignored."""
    return (normalise_class_name(class_name), subject.strip().lower(), group.strip().lower())


def normalise_class_name(name: str) -> str:
    """«5 а», «5-А», «5А » → «5А» (Latin look-alikes become Cyrillic)."""
    text = "".join(str(name).split()).replace("-", "").upper()
    return text.translate(LATIN_TO_CYRILLIC)


LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def school_year_of(day: dt.date) -> str:
    """«2026/2027» for any day from September 2026 to August 2027."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}/{first + 1}"


def default_calendar(first_year: int) -> tuple[tuple[Period, ...], tuple[Holiday, ...]]:
    """A typical Russian school calendar for the year starting in September ``first_year``.

    The coordinator checks it against the regional order and corrects it in the
    settings workbook.
    """

    def d(year: int, month: int, day: int) -> dt.date:
        return dt.date(year, month, day)

    y, n = first_year, first_year + 1
    sept1 = d(y, 9, 1)
    # Autumn holidays: the week that contains 4 November, from Monday 26–31 October.
    autumn_start = d(y, 11, 4) - dt.timedelta(days=d(y, 11, 4).weekday() + 7)
    autumn_end = autumn_start + dt.timedelta(days=8)
    winter_start = d(y, 12, 29)
    winter_end = d(n, 1, 11)
    spring_start = d(n, 3, 23) - dt.timedelta(days=d(n, 3, 23).weekday())
    spring_end = spring_start + dt.timedelta(days=8)
    year_end = d(n, 5, 26)
    feb_extra = d(n, 2, 15) - dt.timedelta(days=d(n, 2, 15).weekday())
    periods = (
        Period(QUARTERS, 1, "1 четверть", sept1, autumn_start - dt.timedelta(days=1)),
        Period(QUARTERS, 2, "2 четверть", autumn_end + dt.timedelta(days=1),
               winter_start - dt.timedelta(days=1)),
        Period(QUARTERS, 3, "3 четверть", winter_end + dt.timedelta(days=1),
               spring_start - dt.timedelta(days=1)),
        Period(QUARTERS, 4, "4 четверть", spring_end + dt.timedelta(days=1), year_end),
        Period(HALVES, 1, "1 полугодие", sept1, winter_start - dt.timedelta(days=1)),
        Period(HALVES, 2, "2 полугодие", winter_end + dt.timedelta(days=1), year_end),
    )
    holidays = (
        Holiday("Осенние каникулы", autumn_start, autumn_end),
        Holiday("День народного единства", d(y, 11, 4), d(y, 11, 4)),
        Holiday("Зимние каникулы", winter_start, winter_end),
        Holiday("Дополнительные каникулы 1 класса", feb_extra,
                feb_extra + dt.timedelta(days=6), frozenset({1})),
        Holiday("День защитника Отечества", d(n, 2, 23), d(n, 2, 23)),
        Holiday("Международный женский день", d(n, 3, 8), d(n, 3, 8)),
        Holiday("Весенние каникулы", spring_start, spring_end),
        Holiday("Праздник Весны и Труда", d(n, 5, 1), d(n, 5, 1)),
        Holiday("День Победы", d(n, 5, 9), d(n, 5, 9)),
    )
    return periods, holidays
