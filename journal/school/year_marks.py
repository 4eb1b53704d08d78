"""The year's end: year, exam and final marks, and each student's outcome of the year.

These are the school's rules in one place, used by validation (checking what a teacher
typed), the reports (the summary sheet and the year's progress report) and the next
year's folder:

* **Year mark** (годовая): the arithmetic mean of the period marks (quarters for grades
  2–9, half-years for 10–11), rounded by the school's threshold (``Norms.rounding_threshold``,
  0,6 by default: 3,6 → 4, 3,5 → 3). When the mean's fraction is at least 0,5 but below the
  threshold the teacher may also give the higher mark (in the student's favour); any other
  year mark is a disagreement. Pass/fail subjects: «зч» when no period is «нз», else «нз».
  «осв» in every period gives «осв»; a last period «н/а» (or no mark to count) gives «н/а».
  Nothing is proposed until every period has its mark.
* **Final mark** (итоговая): without an exam, the year mark; with one, the mean of the
  year and exam marks rounded half up (4 and 5 → 5, 3 and 4 → 4). A failed exam («2»,
  «1», «нз», «н/а») gives no final mark: the exam must be retaken.
* **Outcome of the year** (:func:`year_outcome`): every year mark «3» or better (or зч,
  осв) → переведён, and for grades 9 and 11 with every exam passed → окончил; one or two
  academic debts (year mark «2», «1», «нз» or «н/а») → переведён условно; three or more
  debts, or a year mark still missing, → не определено (the teachers' council decides).
  A decision of the teachers' council (the settings' sheet «Решения педсовета») wins over
  the rule: «оставлен на повторное обучение», «переведён условно» or «переведён».
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from journal.school.settings import Norms

GRADES = ("5", "4", "3", "2", "1")
PASSING = frozenset({"5", "4", "3", "зч", "осв"})
DEBTS = frozenset({"2", "1", "нз", "н/а"})
GRADUATING_GRADES = frozenset({9, 11})
MAX_CONDITIONAL_DEBTS = 2


class Outcome(StrEnum):
    """A student's outcome of the school year (the Russian words used in documents)."""

    PROMOTED = "переведён"
    CONDITIONAL = "переведён условно"
    KEPT = "оставлен на повторное обучение"
    GRADUATED = "окончил"
    NOT_GRADUATED = "не окончил"
    UNDECIDED = "не определено"


DECISIONS: dict[str, Outcome] = {
    "оставлен": Outcome.KEPT,
    "оставлен на повторное обучение": Outcome.KEPT,
    "оставить": Outcome.KEPT,
    "переведён условно": Outcome.CONDITIONAL,
    "переведен условно": Outcome.CONDITIONAL,
    "условно": Outcome.CONDITIONAL,
    "переведён": Outcome.PROMOTED,
    "переведен": Outcome.PROMOTED,
    "перевести": Outcome.PROMOTED,
}
"""The words a coordinator may write in «Решения педсовета», and what they decide."""


def parse_decision(text: object) -> Outcome | None:
    """The outcome a decision's text names, or None when it names none."""
    key = " ".join(str(text or "").lower().split()).rstrip(".")
    return DECISIONS.get(key)


def mean(values: Sequence[int]) -> float:
    """The arithmetic mean of ``values`` (NaN for none)."""
    return sum(values) / len(values) if values else math.nan


def _numeric(marks: Sequence[str]) -> list[int]:
    return [int(m) for m in marks if m in GRADES]


def propose_year_mark(period_marks: Sequence[str | None], norms: Norms) -> str | None:
    """The year mark the rule gives from the period marks in order, or None while a period
    lacks its mark (see the module docstring)."""
    if not period_marks or any(m is None or str(m).strip() == "" for m in period_marks):
        return None
    marks = [str(m) for m in period_marks]
    if all(m == "осв" for m in marks):
        return "осв"
    counted = [m for m in marks if m != "осв"]
    if counted[-1] == "н/а":
        return "н/а"
    numbers = _numeric(counted)
    if numbers:
        return str(norms.round_mark(mean(numbers)))
    if any(m in ("зч", "нз") for m in counted):
        return "нз" if "нз" in counted else "зч"
    return "н/а"


def accepted_year_marks(period_marks: Sequence[str | None], norms: Norms) -> frozenset[str]:
    """Every year mark the rule allows: the proposal and, when the mean's fraction is from
    0,5 up to the threshold, the higher mark too; empty while a period lacks its mark."""
    proposed = propose_year_mark(period_marks, norms)
    if proposed is None:
        return frozenset()
    allowed = {proposed}
    numbers = _numeric([str(m) for m in period_marks])
    if proposed in GRADES and numbers:
        average = mean(numbers)
        if average - int(average) >= 0.5 - 1e-9:
            allowed.add(str(min(5, int(average) + 1)))
    return frozenset(allowed)


def propose_final_mark(year_mark: str | None, exam_mark: str | None, has_exam: bool) -> str | None:
    """The final mark from the year mark and, for an exam subject, the exam mark; None when
    it cannot be given yet (no year mark, no exam mark, or a failed exam)."""
    if year_mark is None:
        return None
    if not has_exam:
        return year_mark
    if exam_mark is None or exam_mark in DEBTS:
        return None
    if year_mark in GRADES and exam_mark in GRADES:
        return str(math.floor((int(year_mark) + int(exam_mark)) / 2 + 0.5))
    if year_mark in DEBTS:
        return None
    return exam_mark if exam_mark in GRADES else year_mark


def average_text(period_marks: Sequence[str | None]) -> str:
    """«4, 4, 3, 4: среднее 3,75» — what a year mark was proposed from, for messages."""
    shown = ", ".join(str(m) for m in period_marks)
    numbers = _numeric([str(m) for m in period_marks if m is not None])
    if not numbers:
        return shown
    return f"{shown}: среднее {mean(numbers):.2f}".replace(".", ",")


@dataclass(frozen=True)
class YearOutcome:
    """A student's outcome with the subjects behind it."""

    outcome: Outcome
    debts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    failed_exams: tuple[str, ...] = ()
    decided: bool = False  # True when a teachers' council decision set it

    def reason(self) -> str:
        """A Russian line saying why: the debts, the missing marks, the decision."""
        parts = []
        if self.decided:
            parts.append("решение педсовета")
        if self.debts:
            parts.append("академическая задолженность: " + ", ".join(self.debts))
        if self.failed_exams:
            parts.append("экзамен не сдан: " + ", ".join(self.failed_exams))
        if self.missing:
            parts.append("нет отметки: " + ", ".join(self.missing))
        return "; ".join(parts)


def year_outcome(grade: int, year_marks: Mapping[str, str | None],
                 exam_marks: Mapping[str, str | None] | None = None,
                 decision: Outcome | None = None) -> YearOutcome:
    """The outcome of the year for a student of ``grade``.

    ``year_marks``: subject → year mark (None when not given yet); ``exam_marks``: exam
    subject → exam mark (None when not given yet), only for subjects with an exam;
    ``decision``: the teachers' council's, which wins. Grade 1 (no marks) is promoted.
    """
    exams = dict(exam_marks or {})
    debts = tuple(s for s, m in year_marks.items() if m in DEBTS)
    missing = tuple(s for s, m in year_marks.items() if m is None or m == "")
    graduating = grade in GRADUATING_GRADES
    failed = tuple(s for s, m in exams.items() if m in DEBTS) if graduating else ()
    exams_missing = tuple(f"{s} (экзамен)" for s, m in exams.items() if not m) if graduating else ()
    if decision is not None:
        outcome = decision
        if decision == Outcome.PROMOTED and graduating:
            outcome = Outcome.GRADUATED
        return YearOutcome(outcome, debts, missing, failed, decided=True)
    if missing or exams_missing:
        return YearOutcome(Outcome.UNDECIDED, debts, missing + exams_missing, failed)
    if graduating:
        ok = not debts and not failed
        return YearOutcome(Outcome.GRADUATED if ok else Outcome.NOT_GRADUATED, debts, (), failed)
    if not debts:
        return YearOutcome(Outcome.PROMOTED)
    if len(debts) <= MAX_CONDITIONAL_DEBTS:
        return YearOutcome(Outcome.CONDITIONAL, debts)
    return YearOutcome(Outcome.UNDECIDED, debts)
