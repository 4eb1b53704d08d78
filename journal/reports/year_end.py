"""The year's end: year, exam and final marks per student and subject, and the year's outcome.

:func:`year_results` gives one row per student × subject: the period marks, the year mark
the teacher set and the one the rule proposes (:mod:`journal.school.year_marks`), the
exam mark (for subjects with an exam in the curriculum) and the final mark, set and
proposed. The reports count from it:

* :func:`summary_sheet` — the сводная ведомость итоговых отметок of one class: students ×
  subjects, each cell «год / экзамен / итог» as set (a proposal, not yet set, marked «*»);
* :func:`student_outcomes` — each student's outcome of the year (:func:`year_outcome`);
* :func:`outcome_counts` — per class and for the school: переведены, переведены условно
  с академической задолженностью, оставлены на повторное обучение, окончили, не окончили,
  not yet decided.

Only students on the class list on the year's last day (and classes with marks) count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from journal.reports.common import (
    class_students,
    enrolled_on,
    group_members,
    rows_of,
    same_period,
    subject_lines,
)
from journal.reports.data import Dataset
from journal.school.settings import Settings, normalise_class_name
from journal.school.year_marks import (
    Outcome,
    accepted_year_marks,
    parse_decision,
    propose_final_mark,
    propose_year_mark,
    year_outcome,
)

RESULT_COLUMNS = ["class", "grade", "subject", "grp", "student_id", "student", "periods", "year",
                  "year_proposed", "year_agrees", "has_exam", "exam", "final", "final_proposed"]
OUTCOME_COLUMNS = ["class", "student_id", "student", "outcome", "reason"]
COUNT_COLUMNS = ["class", "students", "promoted", "conditional", "kept", "graduated",
                 "not_graduated", "undecided"]
COUNT_OF = {Outcome.PROMOTED: "promoted", Outcome.CONDITIONAL: "conditional", Outcome.KEPT: "kept",
            Outcome.GRADUATED: "graduated", Outcome.NOT_GRADUATED: "not_graduated",
            Outcome.UNDECIDED: "undecided"}
SCHOOL = "Школа"
PROPOSED_MARK = "*"


def year_results(dataset: Dataset, settings: Settings, class_name: str = "") -> pd.DataFrame:
    """One row per student × subject with the year's marks (see the module docstring).

    ``periods`` is the tuple of period marks in order (None where not set); ``year``,
    ``exam`` and ``final`` are the marks set (None when not); ``*_proposed`` by the rule.
    """
    data = dataset.only_class(class_name)
    rows: list[dict[str, object]] = []
    for school_class in settings.classes:
        if not settings.gets_marks(school_class) or (class_name and normalise_class_name(school_class.name)
                                          != normalise_class_name(class_name)):
            continue
        roster = class_students(data.students, school_class.name)
        if roster.empty:
            continue
        roster = enrolled_on(roster, settings.year_end)
        periods = settings.marked_periods(school_class)
        finals = data.finals
        if not finals.empty:
            finals = finals[finals["class"] == school_class.name]
        by_key: dict[tuple[str, str, int, str, str], str] = {}
        for subject, grp, sid, kind, period, value in rows_of(finals, "subject", "grp", "student_id",
                                                              "kind", "period", "value"):
            by_key[(str(subject), str(grp or ""), int(sid), str(kind), str(period or ""))] = str(value)
        for line in subject_lines(settings, school_class.name, data.lessons, data.finals):
            has_exam = settings.has_exam(school_class.name, line.subject)
            with_data = [sid for (subj, grp, sid, _k, _p) in by_key
                         if subj == line.subject and grp == line.grp]
            members = group_members(data.student_groups, roster, line.subject, line.grp, with_data)
            for sid, full_name in rows_of(members, "id", "full_name"):
                sid = int(sid)
                own = {(k, p): v for (subj, grp, s, k, p), v in by_key.items()
                       if subj == line.subject and grp == line.grp and s == sid}
                period_marks: list[str | None] = [
                    next((v for (k, p), v in own.items() if k == "period" and same_period(p, per)), None)
                    for per in periods]
                year, exam, final = own.get(("year", "")), own.get(("exam", "")), own.get(("final", ""))
                proposed = propose_year_mark(period_marks, settings.norms)
                accepted = accepted_year_marks(period_marks, settings.norms)
                rows.append({
                    "class": school_class.name, "grade": school_class.grade, "subject": line.subject,
                    "grp": line.grp, "student_id": sid, "student": full_name,
                    "periods": tuple(period_marks), "year": year, "year_proposed": proposed,
                    "year_agrees": year is None or not accepted or year in accepted,
                    "has_exam": has_exam, "exam": exam, "final": final,
                    "final_proposed": propose_final_mark(year or proposed, exam, has_exam),
                })
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def mark(value: object) -> str | None:
    """A mark of a results row as text, None for a blank (None, NaN, "")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def cell_text(row: Mapping[str, object]) -> str:
    """«4», «4 / 5 / 5» (year / exam / final for an exam subject), «4*» for a proposal."""
    proposed_year, proposed_final = mark(row["year_proposed"]), mark(row["final_proposed"])
    year = mark(row["year"]) or (f"{proposed_year}{PROPOSED_MARK}" if proposed_year else "")
    if not row["has_exam"]:
        return year
    final = mark(row["final"]) or (f"{proposed_final}{PROPOSED_MARK}" if proposed_final else "")
    return " / ".join(v or "—" for v in (year, mark(row["exam"]), final))


def summary_sheet(results: pd.DataFrame, class_name: str) -> pd.DataFrame:
    """The class's summary sheet of year marks: students (rows) × subjects (columns)."""
    mine = results[results["class"] == class_name]
    if mine.empty:
        return pd.DataFrame()
    labels = [f"{s} ({g})" if g else str(s) for s, g in zip(mine["subject"], mine["grp"], strict=True)]
    frame = pd.DataFrame({"Ученик": mine["student"].to_list(), "subject": labels,
                          "text": [cell_text({str(k): v for k, v in r.items()})
                                   for r in mine.to_dict("records")]})
    order = list(dict.fromkeys(labels))
    sheet = frame.pivot_table(index="Ученик", columns="subject", values="text", aggfunc="first",
                              sort=False).reindex(columns=order).fillna("")
    sheet.columns.name = None
    return sheet.reset_index()


def student_outcomes(results: pd.DataFrame, settings: Settings, dataset: Dataset | None = None,
                     class_name: str = "") -> pd.DataFrame:
    """Each student's outcome of the year by :func:`journal.school.year_marks.year_outcome`,
    with the teachers' council's decision (settings) winning. A subject split into groups
    counts once (the student's own group). With ``dataset``, the students of classes
    without marks (grade 1) are added too."""
    rows = []
    if dataset is not None:
        for school_class in settings.classes:
            if settings.gets_marks(school_class) or (class_name and normalise_class_name(school_class.name)
                                          != normalise_class_name(class_name)):
                continue
            roster = enrolled_on(class_students(dataset.students, school_class.name), settings.year_end)
            for sid, student in rows_of(roster, "id", "full_name"):
                found = settings.decision_for(school_class.name, str(student))
                outcome = year_outcome(school_class.grade, {}, None,
                                       parse_decision(found.decision) if found else None)
                rows.append({"class": school_class.name, "student_id": int(sid), "student": student,
                             "outcome": outcome.outcome.value, "reason": outcome.reason()})
    for key, group in results.groupby(["class", "student_id", "student"], sort=False):
        class_name, sid, student = (str(k) for k in key)
        grade = int(group["grade"].iloc[0])
        year_marks = {str(r["subject"]): mark(r["year"]) for r in group.to_dict("records")}
        exams = {str(r["subject"]): mark(r["exam"]) for r in group.to_dict("records") if r["has_exam"]}
        found = settings.decision_for(str(class_name), str(student))
        decision = parse_decision(found.decision) if found else None
        outcome = year_outcome(grade, year_marks, exams, decision)
        rows.append({"class": class_name, "student_id": int(sid), "student": student,
                     "outcome": outcome.outcome.value, "reason": outcome.reason()})
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def outcome_counts(outcomes: pd.DataFrame, school_total: bool = True) -> pd.DataFrame:
    """Per class (then the school): how many students and how many of each outcome."""
    rows = []
    for class_name, group in outcomes.groupby("class", sort=False):
        rows.append(_count_row(str(class_name), group))
    if school_total and len(rows) > 1:
        rows.append(_count_row(SCHOOL, outcomes))
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _count_row(label: str, group: pd.DataFrame) -> dict[str, object]:
    row: dict[str, object] = {"class": label, "students": len(group)}
    for outcome, column in COUNT_OF.items():
        row[column] = int((group["outcome"] == outcome.value).sum())
    return row


def disagreements(results: pd.DataFrame) -> pd.DataFrame:
    """The year marks set that the rule does not give, and final marks that differ from the rule."""
    year_off = ~results["year_agrees"].astype(bool)
    final_off = results["final"].notna() & results["final_proposed"].notna() \
        & (results["final"] != results["final_proposed"]) & results["year_agrees"].astype(bool)
    off = results[year_off | final_off].copy()
    off["periods"] = [", ".join(m or "—" for m in marks) for marks in off["periods"]]
    return off
