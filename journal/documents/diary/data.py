"""What each family's diary holds: one student's whole year, as plain JSON-ready data.

:func:`class_diaries` reads one class from the dataset (through :mod:`journal.dataset.store`)
and returns a :class:`StudentDiary` per student on the class list: every mark of the year
with its date, kind of work and weight; the weighted averages per period and for the year
and the period and year marks; the place in the class (computed as the letters compute it);
absences with the class teacher's reasons; homework and lesson topics; the week's timetable
and the control works set ahead; the class teacher's note; the school's and the class's
events, the messages to the class and those to this student's family only, and the class
teacher's e-mail for the «Написать классному руководителю» link. Nothing about another
student goes into a diary except the size of the class in the rating.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from journal.dataset import store
from journal.documents.letters.data import (
    FINAL_KIND_RU,
    class_rating,
    current_period,
    overall_averages,
    subject_averages,
)
from journal.reports.common import enrolled_on, weighted_averages
from journal.school.settings import SchoolClass, Settings, normalise_class_name

FORMAT_VERSION = 1


@dataclass(frozen=True)
class StudentDiary:
    """One student's diary: who it is for and the data the page shows."""

    student_id: int
    class_name: str
    student: str
    data: dict[str, Any]


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    return iter(frame.itertuples(index=False))


def school_classes(conn: sqlite3.Connection, settings: Settings) -> list[tuple[SchoolClass, str]]:
    """Every class of the settings and of the dataset, with its class teacher."""
    stored = {normalise_class_name(n): (n, g, letter, t) for n, g, letter, t in store.class_rows(conn)}
    found: list[tuple[SchoolClass, str]] = []
    for c in settings.classes:
        row = stored.pop(normalise_class_name(c.name), None)
        found.append((c, (row[3] if row else "") or c.class_teacher))
    for name, grade, letter, teacher in stored.values():
        found.append((SchoolClass(name, grade, letter, teacher), teacher))
    return found


def class_diaries(conn: sqlite3.Connection, settings: Settings, school_class: SchoolClass,
                  class_teacher: str, today: dt.date) -> list[StudentDiary]:
    """A diary for each student on the class list on ``today``."""
    tables = store.diary_class_tables(conn, school_class.name)
    students = enrolled_on(tables["students"], today).reset_index(drop=True)
    if students.empty:
        return []
    marks = tables["marks"]
    periods = settings.periods_for(school_class)
    period_now = current_period(settings, school_class, today)
    in_period = marks.iloc[0:0] if period_now is None else marks[
        (marks["date"] >= period_now.start.isoformat()) & (marks["date"] <= period_now.end.isoformat())]
    overall = overall_averages(subject_averages(in_period), students["id"].tolist())
    averages = _averages(marks, periods)
    subjects = _subject_groups(settings, school_class.name, tables)
    kinds = {k.name.lower(): k for k in settings.work_kinds}
    common = {
        "v": FORMAT_VERSION,
        "school": settings.school_name,
        "year": settings.school_year,
        "class": school_class.name,
        "teacher": class_teacher,
        "hasMarks": settings.gets_marks(school_class),
        "periods": [[p.name, p.start.isoformat(), p.end.isoformat()] for p in periods],
        "current": period_now.name if period_now else "",
        "teacherEmail": school_class.teacher_email,
    }
    told = store.class_events_and_messages(conn, school_class.name)
    events = [[str(r.date), str(r.title), "school" if not str(r["class"]) else "class",
               str(r.first_seen or "")] for _i, r in told["events"].iterrows()]
    messages = list(_rows(told["messages"]))
    by_student: dict[str, dict[int, list[Any]]] = {k: {} for k in ("marks", "finals", "attendance")}
    for key in by_student:
        for r in _rows(tables[key]):
            by_student[key].setdefault(int(r.student_id), []).append(r)
    groups = {(int(r.student_id), str(r.subject)): str(r.grp) for r in _rows(tables["groups"])}
    notes = {int(r.student_id): str(r.text).strip() for r in _rows(tables["notes"])}
    lessons_of: dict[tuple[str, str], list[Any]] = {}
    for r in _rows(tables["lessons"]):
        lessons_of.setdefault((str(r.subject), str(r.grp)), []).append(r)
    diaries = []
    for row in _rows(students):
        sid = int(row.id)
        mine = _student_subjects(subjects, groups, by_student["marks"].get(sid, []), sid)
        data = dict(common)
        data.update(
            student=str(row.full_name),
            subjects=[_subject(subject, grp, teacher, sid, by_student, averages, periods, kinds)
                      for subject, grp, teacher in mine],
            rating=_rating(overall, sid, period_now.name if period_now else ""),
            absences=[[str(r.date), str(r.subject), str(r.reason) or "Н", str(r.first_seen or "")]
                      for r in by_student["attendance"].get(sid, [])],
            lessons=_lessons(mine, lessons_of, kinds),
            timetable=_timetable(settings, school_class.name, mine),
            note=notes.get(sid, ""),
            events=events,
            messages=_messages(messages, str(row.full_name)),
        )
        diaries.append(StudentDiary(sid, school_class.name, str(row.full_name), data))
    return diaries


def _averages(marks: pd.DataFrame, periods: tuple[Any, ...]) -> dict[tuple[int, str, str], float]:
    """{(student, subject, period name or ''): weighted average}; '' is the whole year."""
    found: dict[tuple[int, str, str], float] = {}
    if marks.empty:
        return found
    spans = [("", None, None)] + [(p.name, p.start.isoformat(), p.end.isoformat()) for p in periods]
    for name, start, end in spans:
        part = marks if start is None else marks[(marks["date"] >= start) & (marks["date"] <= end)]
        if part.empty:
            continue
        table = weighted_averages(part, by=["class", "subject", "student_id"])
        for r in _rows(table):
            if pd.notna(r.weighted_average):
                found[(int(r.student_id), str(r.subject), name)] = float(r.weighted_average)
    return found


def _subject_groups(settings: Settings, class_name: str,
                    tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, str]]:
    """(subject, group, teacher) of the class: the curriculum's lines, then any others in the data."""
    lines: dict[tuple[str, str], str] = {}
    for item in settings.curriculum_for(class_name):
        lines.setdefault((item.subject, item.group), item.teacher)
    for key in ("lessons", "marks"):
        for r in _rows(tables[key]):
            if (str(r.subject), str(r.grp)) not in lines:
                lines[(str(r.subject), str(r.grp))] = str(r.teacher or "")
    return [(s, g, t) for (s, g), t in lines.items()]


def _student_subjects(subjects: list[tuple[str, str, str]], groups: dict[tuple[int, str], str],
                      marks: list[Any], sid: int) -> list[tuple[str, str, str]]:
    """The subject lines this student learns: a split subject only in the student's own group."""
    split = {s for s, g, _ in subjects if g}
    marked = {(str(r.subject), str(r.grp)) for r in marks}
    chosen: list[tuple[str, str, str]] = []
    for subject, grp, teacher in subjects:
        if subject not in split:
            chosen.append((subject, grp, teacher))
            continue
        own = groups.get((sid, subject))
        if (own is not None and own == grp) or (own is None and (subject, grp) in marked):
            chosen.append((subject, grp, teacher))
    return chosen


def _weight(kinds: dict[str, Any], kind: str, stored: float) -> float:
    return float(stored) if stored else (kinds[kind.lower()].weight if kind.lower() in kinds else 1.0)


def _subject(subject: str, grp: str, teacher: str, sid: int, by_student: dict[str, dict[int, list[Any]]],
             averages: dict[tuple[int, str, str], float], periods: tuple[Any, ...],
             kinds: dict[str, Any]) -> dict[str, Any]:
    marks = [r for r in by_student["marks"].get(sid, []) if str(r.subject) == subject
             and (not grp or str(r.grp) == grp)]
    finals = [r for r in by_student["finals"].get(sid, []) if str(r.subject) == subject]
    order = {p.name: p.number for p in periods}
    period_marks = sorted(
        ((0, order.get(str(r.period), 99), str(r.period)) if r.kind == "period"
         else (1, list(FINAL_KIND_RU).index(r.kind) if r.kind in FINAL_KIND_RU else 9,
               FINAL_KIND_RU.get(str(r.kind), str(r.kind))), str(r.value), str(r.first_seen or ""))
        for r in finals)
    return {
        "name": subject,
        "group": grp,
        "teacher": teacher,
        "marks": [[str(r.date), int(r.value), str(r.kind), _weight(kinds, str(r.kind), r.weight),
                   str(r.first_seen or "")] for r in marks],
        "averages": {name: round(value, 4) for (s, subj, name), value in averages.items()
                     if s == sid and subj == subject},
        "finals": [[key[2], value, seen] for key, value, seen in period_marks],
    }


def _messages(rows: list[Any], student: str) -> list[list[Any]]:
    """[date, from whom, text, to this family only, first seen] of the messages to the class
    and to ``student``; a message to another student never enters."""
    found = []
    for r in rows:
        to = str(r.student or "")
        if to and to != student:
            continue
        author = str(r.author or "")
        source = f"{author}, {r.subject}" if str(r.subject or "") else f"{author}, классный руководитель"
        found.append([str(r.date), source.strip(", "), str(r.text), bool(to), str(r.first_seen or "")])
    return found


def _rating(overall: dict[int, float], sid: int, period: str) -> dict[str, Any]:
    rating = class_rating(overall, sid)
    average = overall.get(sid)
    return {"place": rating.place, "of": rating.of, "period": period,
            "average": round(average, 4) if average is not None else None}


def _lessons(mine: list[tuple[str, str, str]], lessons_of: dict[tuple[str, str], list[Any]],
             kinds: dict[str, Any]) -> list[list[Any]]:
    """[date, subject, kind, topic, homework, control] of every lesson of the student's subjects."""
    found = []
    for subject, grp, _teacher in mine:
        for r in lessons_of.get((subject, grp), []):
            kind = str(r.kind or "")
            known = kinds.get(kind.lower())
            control = bool(known is not None and (known.written or known.weight >= 2))
            topic = " ".join(str(r.topic or "").split())
            homework = " ".join(str(r.homework or "").split())
            if topic or homework or control:
                found.append([str(r.date), subject, kind, topic, homework, control])
    found.sort(key=lambda x: (x[0], x[1]))
    return found


def _timetable(settings: Settings, class_name: str, mine: list[tuple[str, str, str]]) -> list[list[Any]]:
    """[weekday (1–7), lesson number, subject] of the class's timetable, the student's groups only."""
    wanted = {(s, g) for s, g, _ in mine}
    rows = []
    for item in settings.curriculum_for(class_name):
        if (item.subject, item.group) not in wanted:
            continue
        for entry in settings.timetable_for(item):
            rows.append([int(entry.weekday), int(entry.lesson_no), item.subject])
    return sorted(rows)
