"""Which paper copies a ``journal print`` run makes: (class, period) jobs.

:func:`plan_print` turns ``--period`` / ``--class`` into jobs, refusing a quarter copy of
a grade 10–11 class (and a half-year copy of grades 1–9); :func:`resolve_period` names
the class's period for one class.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from journal.core.errors import UsageError
from journal.core.formatting import date_ru
from journal.school.periods import YEAR_WORDS, has_ended, resolve_named
from journal.school.settings import HALVES, QUARTERS, Period, SchoolClass, Settings


@dataclass(frozen=True)
class PrintJob:
    """One class copy to print: a class and one of its periods."""

    school_class: SchoolClass
    period: Period


@dataclass
class PrintPlan:
    """The jobs for one ``journal print`` run, and the classes left out with the reason."""

    jobs: list[PrintJob] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # Russian notes for the user

    def unfinished(self, today: dt.date) -> list[str]:
        """Russian warnings for periods that have not ended by ``today``: their copies are drafts."""
        periods = list(dict.fromkeys(job.period for job in self.jobs if not has_ended(job.period, today)))
        return [f"{p.name} ещё не {'закончилось' if p.set == HALVES else 'закончилась'} "
                f"(идёт по {date_ru(p.end)}): копия будет черновиком — она не заверяется и в архив "
                f"не сдаётся; копию за {p.name} напечатайте после {date_ru(p.end)}" for p in periods]


def _period_word(period_set: str) -> str:
    return "полугодие" if period_set == HALVES else "четверть"


def _set_rule(school_class: SchoolClass) -> str:
    if school_class.period_set == HALVES:
        return f"{school_class.name} (10–11 классы) аттестуется по полугодиям"
    return f"{school_class.name} (1–9 классы) аттестуется по четвертям"


def _containing(settings: Settings, period: Period, period_set: str) -> list[Period]:
    """Periods of ``period_set`` that overlap ``period``, in order."""
    return sorted(
        (p for p in settings.periods
         if p.set == period_set and p.start <= period.end and period.start <= p.end),
        key=lambda p: p.number,
    )


def _ending_with(settings: Settings, period: Period, period_set: str) -> Period | None:
    """The period of ``period_set`` that ends on the day ``period`` ends, if any."""
    for p in settings.periods:
        if p.set == period_set and p.end == period.end:
            return p
    return None


def resolve_period(settings: Settings, school_class: SchoolClass, spec: str) -> Period:
    """The class's period named by ``spec`` (its number in the class's set, or its name).

    A period of the other set is refused with a :class:`UsageError` that names the
    period to ask for instead (a quarter copy of a grade 10–11 class names the half-year).
    """
    own = resolve_named(settings, school_class, spec)
    if own is not None:
        return own
    other_set = QUARTERS if school_class.period_set == HALVES else HALVES
    other = settings.find_period(spec, other_set)
    own_word = _period_word(school_class.period_set)
    if other is not None and not str(spec).strip().isdigit():
        instead = _containing(settings, other, school_class.period_set)
        names = " и ".join(f"«{p.name}»" for p in instead)
        hint = (f" {other.name} входит в {names}: journal print --school … --period \"{instead[0].name}\" "
                f"--class {school_class.name}") if instead else ""
        raise UsageError(
            f"Копия «{other.name}» для {school_class.name} не печатается: {_set_rule(school_class)}, "
            f"бумажная копия делается за {own_word}.{hint}"
        )
    known = ", ".join(f"{p.number} или «{p.name}»" for p in settings.periods_for(school_class))
    raise UsageError(
        f"Период «{spec}» для {school_class.name} не найден. {_set_rule(school_class)}; "
        f"укажите {known}"
    )


def plan_print(settings: Settings, period_spec: str, class_name: str | None = None) -> PrintPlan:
    """What ``journal print --period P [--class C]`` prints.

    With ``class_name``: that class, ``period_spec`` being the number in the class's own
    set (``2`` for a grade 10 class is «2 полугодие») or a period's name.
    Without it: ``period_spec`` names a quarter (number or name); grades 1–9 get that
    quarter, grades 10–11 the half-year ending with it (2 → «1 полугодие»,
    4 → «2 полугодие»); after quarters 1 and 3 they are skipped with a note. A half-year's
    name prints grades 10–11 only.
    """
    plan = PrintPlan()
    if _words(period_spec) in YEAR_WORDS:
        return _year_plan(settings, class_name)
    if class_name is not None:
        school_class = settings.school_class(class_name)
        if school_class is None:
            known = ", ".join(c.name for c in settings.classes) or "—"
            raise UsageError(f"Класса «{class_name}» нет в настройках. Классы школы: {known}")
        plan.jobs.append(PrintJob(school_class, resolve_period(settings, school_class, period_spec)))
        return plan
    if not settings.classes:
        raise UsageError("В настройках нет ни одного класса: заполните лист классов")
    quarter = settings.find_period(period_spec, QUARTERS)
    half = None if quarter is not None else settings.find_period(period_spec, HALVES)
    if quarter is None and half is None:
        names = ", ".join(f"«{p.name}»" for p in settings.periods)
        raise UsageError(
            f"Период «{period_spec}» не найден. Укажите номер четверти (1–4) или название: {names}"
        )
    for school_class in sorted(settings.classes, key=_class_order):
        if school_class.period_set == QUARTERS:
            if quarter is not None:
                plan.jobs.append(PrintJob(school_class, quarter))
            continue
        period = half if half is not None else _ending_with(settings, quarter, HALVES)  # type: ignore[arg-type]
        if period is not None:
            plan.jobs.append(PrintJob(school_class, period))
        else:
            assert quarter is not None
            within = _containing(settings, quarter, HALVES)
            name = within[0].name if within else "полугодие"
            plan.skipped.append(
                f"{school_class.name}: полугодие ещё не закончилось ({quarter.name} — его часть); "
                f"копия печатается по его окончании: journal print --school … --period \"{name}\""
            )
    if half is not None:
        plan.skipped.append(
            f"1–9 классы не печатаются: «{half.name}» — период 10–11 классов; "
            f"для 1–9 классов укажите четверть"
        )
    return plan


def _year_plan(settings: Settings, class_name: str | None) -> PrintPlan:
    """«год»: every class's copy of its last period (4th quarter, 2nd half-year), which
    carries the year, exam and final marks; together they make the year's folder."""
    plan = PrintPlan()
    if class_name is not None:
        found = settings.school_class(class_name)
        if found is None:
            known = ", ".join(c.name for c in settings.classes) or "—"
            raise UsageError(f"Класса «{class_name}» нет в настройках. Классы школы: {known}")
        classes = [found]
    else:
        classes = sorted(settings.classes, key=_class_order)
    if not classes:
        raise UsageError("В настройках нет ни одного класса: заполните лист классов")
    for school_class in classes:
        periods = settings.periods_for(school_class)
        if periods:
            plan.jobs.append(PrintJob(school_class, periods[-1]))
    return plan


def _words(spec: str) -> str:
    return " ".join(str(spec).split()).lower()


def _class_order(c: SchoolClass) -> tuple[int, str]:
    return (c.grade, c.letter)
