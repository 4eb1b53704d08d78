"""The holiday days of section 4: is every class ready at the end of its period?

Day 1 of the holidays the subject teachers check that every period mark is set; day 2 the
copies are printed; days 3–5 they are signed, certified and registered. For each class
and its period that has ended (or the one asked for) :func:`readiness` lists:

* ``missing`` — every mark still to set: the period mark of each student on the list on
  the period's last day, and after the year's last period the year mark and, for a
  subject with an exam, the exam mark; with the subject, group and teacher;
* ``workbooks`` — the subject workbooks of the class not merged since the period ended
  (never merged, merged last before its end) or rejected at their last merge;
* ``classes`` — one line per class: its period, how many marks are missing, how many
  workbooks are behind, the paper copies printed (each is a line of the register) and
  whether the class is ready for printing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from journal.intake.feedback import PeriodReadiness
from journal.reports.common import (
    DateLike,
    class_students,
    enrolled_on,
    group_members,
    parse_day,
    rows_of,
    same_period,
    subject_lines,
)
from journal.reports.data import Dataset, load
from journal.school.periods import YEAR, has_ended, resolve
from journal.school.settings import Period, SchoolClass, Settings, normalise_class_name

MISSING_COLUMNS = ["class", "period", "subject", "grp", "teacher", "student", "what"]
WORKBOOK_COLUMNS = ["class", "period", "subject", "grp", "teacher", "problem"]
CLASS_COLUMNS = ["class", "period", "ended", "students", "missing_marks", "workbooks_behind",
                 "copies", "last_copy", "ready"]
BAD_STATUSES = {"rejected": "отклонён при последнем сборе: исправьте ошибки из файла замечаний",
                "held": "задержан при последнем сборе: подтвердите удаление записей",
                "unreadable": "не прочитан при последнем сборе: файл повреждён или открыт"}


@dataclass(frozen=True)
class Readiness:
    """What :func:`readiness` found (see the module docstring)."""

    missing: pd.DataFrame
    workbooks: pd.DataFrame
    classes: pd.DataFrame

    def for_teacher(self, teacher: str) -> Readiness:
        """Only the lines of one teacher's own classes and subjects."""
        classes = set(self.missing.loc[self.missing["teacher"] == teacher, "class"]) | set(
            self.workbooks.loc[self.workbooks["teacher"] == teacher, "class"])
        return Readiness(self.missing[self.missing["teacher"] == teacher],
                         self.workbooks[self.workbooks["teacher"] == teacher],
                         self.classes[self.classes["class"].isin(classes)])

    @property
    def teachers(self) -> list[str]:
        """Every teacher with something missing, in order."""
        return sorted(set(self.missing["teacher"]) | set(self.workbooks["teacher"]))


def ended_period(settings: Settings, school_class: SchoolClass, day: dt.date) -> Period | None:
    """The class's last period over by ``day``, or None before the first one ends."""
    over = [p for p in settings.periods_for(school_class) if has_ended(p, day)]
    return over[-1] if over else None


def readiness(dataset: Dataset, settings: Settings, period: str | int = "", today: DateLike = None,
              class_name: str = "") -> Readiness:
    """The readiness of every class (or ``class_name``) for ``period`` — by default each
    class's last period over by ``today`` (see the module docstring)."""
    day = parse_day(today) or settings.today or dt.date.today()
    missing: list[dict[str, object]] = []
    behind: list[dict[str, object]] = []
    lines_out: list[dict[str, object]] = []
    for school_class in settings.classes:
        if class_name and normalise_class_name(class_name) != normalise_class_name(school_class.name):
            continue
        own = (resolve(settings, school_class, period, day) if str(period).strip()
               else ended_period(settings, school_class, day))
        if own is None:
            continue
        if own.set == YEAR:
            own = settings.periods_for(school_class)[-1]
        year_end = own == settings.periods_for(school_class)[-1]
        roster = enrolled_on(class_students(dataset.students, school_class.name), own.end)
        class_missing = _missing_marks(dataset, settings, school_class, own, roster, year_end)
        class_behind = _workbooks_behind(dataset, settings, school_class, own)
        copies = _copies(dataset, school_class.name, own)
        missing += class_missing
        behind += class_behind
        lines_out.append({
            "class": school_class.name, "period": own.name, "ended": has_ended(own, day),
            "students": len(roster), "missing_marks": len(class_missing),
            "workbooks_behind": len(class_behind), "copies": len(copies),
            "last_copy": copies[-1] if copies else "",
            "ready": not class_missing and not class_behind,
        })
    return Readiness(pd.DataFrame(missing, columns=MISSING_COLUMNS),
                     pd.DataFrame(behind, columns=WORKBOOK_COLUMNS),
                     pd.DataFrame(lines_out, columns=CLASS_COLUMNS))


def _missing_marks(dataset: Dataset, settings: Settings, school_class: SchoolClass, period: Period,
                   roster: pd.DataFrame, year_end: bool) -> list[dict[str, object]]:
    if not settings.period_has_marks(school_class, period) or roster.empty:
        return []
    finals = dataset.finals
    if not finals.empty:
        finals = finals[finals["class"].map(
            lambda c: normalise_class_name(str(c)) == normalise_class_name(school_class.name))]
    have: set[tuple[str, str, int, str]] = set()
    for subject, grp, sid, kind, label in rows_of(finals, "subject", "grp", "student_id", "kind", "period"):
        if kind == "period":
            if same_period(label, period):
                have.add((str(subject), str(grp or ""), int(sid), "period"))
        else:
            have.add((str(subject), str(grp or ""), int(sid), str(kind)))
    out: list[dict[str, object]] = []
    for line in subject_lines(settings, school_class.name, dataset.lessons, dataset.finals):
        wanted = [("period", f"отметка за {period.name}")]
        if year_end:
            wanted.append(("year", "годовая отметка"))
            if settings.has_exam(school_class.name, line.subject):
                wanted.append(("exam", "экзаменационная отметка"))
        members = group_members(dataset.student_groups, roster, line.subject, line.grp,
                                [sid for (s, g, sid, _k) in have if s == line.subject and g == line.grp])
        for sid, student in rows_of(members, "id", "full_name"):
            for kind, what in wanted:
                if (line.subject, line.grp, int(sid), kind) not in have:
                    out.append({"class": school_class.name, "period": period.name,
                                "subject": line.subject, "grp": line.grp, "teacher": line.teacher,
                                "student": student, "what": what})
    return out


def _workbooks_behind(dataset: Dataset, settings: Settings, school_class: SchoolClass,
                      period: Period) -> list[dict[str, object]]:
    files = dataset.merge_files
    merges = dataset.merges
    last: dict[tuple[str, str], tuple[pd.Timestamp, str]] = {}
    if not files.empty and not merges.empty:
        started = dict(zip(merges["id"], merges["started_at"], strict=True))
        mine = files[(files["kind"] == "subject") & files["class"].map(
            lambda c: normalise_class_name(str(c)) == normalise_class_name(school_class.name))]
        for merge_id, subject, grp, status in rows_of(mine, "merge_id", "subject", "grp", "status"):
            key = (str(subject).lower(), str(grp or "").lower())
            when = started.get(merge_id)
            if when is None or pd.isna(when):
                continue
            if key not in last or when >= last[key][0]:
                last[key] = (when, str(status))
    out: list[dict[str, object]] = []
    for item in settings.curriculum_for(school_class.name):
        seen = last.get((item.subject.lower(), item.group.lower()))
        if seen is None:
            problem = "ни разу не собран в общую базу: сдайте файл журнала"
        elif seen[1] in BAD_STATUSES:
            problem = BAD_STATUSES[seen[1]]
        elif seen[0].date() <= period.end:
            problem = (f"не собирался после окончания периода (последний сбор "
                       f"{seen[0]:%d.%m.%Y}): сдайте файл с отметками за период")
        else:
            continue
        out.append({"class": school_class.name, "period": period.name, "subject": item.subject,
                    "grp": item.group, "teacher": item.teacher, "problem": problem})
    return out


def _copies(dataset: Dataset, class_name: str, period: Period) -> list[str]:
    copies = dataset.printed_copies
    if copies.empty:
        return []
    mine = copies[(copies["class"].map(lambda c: normalise_class_name(str(c))
                                       == normalise_class_name(class_name)))
                  & (copies["period"] == period.name)].sort_values("version")
    return [f"версия {int(v)} от {pd.Timestamp(t):%d.%m.%Y}"
            for v, t in rows_of(mine, "version", "printed_at")]



def for_feedback(store_path: Path, settings: Settings, today: DateLike = None) -> PeriodReadiness:
    """The readiness of the school after a merge, as the teachers' feedback files show it."""
    view = readiness(load(store_path), settings, today=today)
    return PeriodReadiness(_records(view.missing), _records(view.workbooks), _records(view.classes))


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
