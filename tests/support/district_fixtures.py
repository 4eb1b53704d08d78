"""Small schools for the district tests: the tiny school under other names, with other marks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from conftest import make_tiny_settings, make_tiny_students

from journal.intake.merge import merge_school
from journal.school.folder import SchoolFolder
from journal.school.settings import Settings
from journal.workbooks import format as wf
from support.merge_fixtures import new_school, write_class, write_subject

MERGED_AT = dt.datetime(2026, 11, 9, 16, 0)
TODAY = dt.date(2026, 11, 10)
SUBJECTS = (("5А", "Математика", ""), ("10А", "Физика", ""))


def school_settings(seed: int) -> Settings:
    """The tiny school's settings under the name «МБОУ «СОШ №seed»»."""
    return dataclasses.replace(make_tiny_settings(), school_name=f"МБОУ «СОШ №{seed}»")


def subject_content(settings: Settings, key: tuple[str, str, str], rng: random.Random,
                    lessons: int = 12) -> wf.SubjectContent:
    """Random marks (and a few absences) for the first ``lessons`` lessons of a subject."""
    item = settings.curriculum_item(*key)
    assert item is not None
    content = wf.SubjectContent()
    seen: dict[dt.date, int] = {}
    students = [s.full_name for s in make_tiny_students(key[0]) if s.left is None]
    for day in settings.lesson_dates(item)[:lessons]:
        seen[day] = seen.get(day, 0) + 1
        seq = seen[day]
        content.kinds[(day, seq)] = rng.choice(("Ответ на уроке", "Контрольная работа"))
        content.log[(day, seq)] = wf.LogEntry(topic=f"Тема {len(content.log) + 1}", homework="§ 1")
        for student in students:
            roll = rng.random()
            if roll < 0.5:
                content.marks[(student, day, seq)] = rng.choice((2, 3, 4, 4, 5, 5))
            elif roll < 0.6:
                content.marks[(student, day, seq)] = "Н"
    return content


def build_school(root: Path, seed: int, *, now: dt.datetime = MERGED_AT) -> tuple[SchoolFolder, Settings]:
    """A merged school folder of seed ``seed`` (different names and marks per seed)."""
    settings = school_settings(seed)
    school = new_school(root)
    for class_name in ("5А", "10А"):
        write_class(school, class_name, settings=settings)
    rng = random.Random(seed)
    for key in SUBJECTS:
        write_subject(school, subject_content(settings, key, rng), key=key, settings=settings)
    merge_school(school, settings, now=now)
    return school, settings


def remerge_with_more(school: SchoolFolder, settings: Settings, seed: int,
                      now: dt.datetime) -> None:
    """Rewrite the maths workbook with more lessons marked and merge again."""
    rng = random.Random(seed)
    content = subject_content(settings, SUBJECTS[0], rng, lessons=16)
    write_subject(school, content, key=SUBJECTS[0], settings=settings)
    merge_school(school, settings, now=now)
