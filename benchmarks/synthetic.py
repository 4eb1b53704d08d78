"""Synthetic schools of any size for the benchmarks, built with the journal's own builders.

A synthetic school has classes of 25 students, each learning :data:`SUBJECTS` (five
lessons a week each, so every subject workbook is year-size: ~170 lesson columns),
with marks typed up to :data:`AS_OF` (about half of the year's lessons), a lesson
log and period marks. ``size`` is the number of subject workbooks; each class also
has its class teacher's workbook.

Writing a workbook with openpyxl costs ~0.3 s, so only the first
:data:`SEED_CLASSES` classes (152 subject workbooks: a whole large school) are
written with :func:`journal.workbooks.build.build_subject_workbook`; every further class
is derived from a seed class of the same grade by rewriting, inside the zip, the
class name (``_meta`` and titles) and a few mark cells. Each derived workbook is a
distinct, valid workbook of a distinct class with its own bytes and hash, and the
settings list every class and curriculum line.

Schools are cached under :func:`cache_root` (``$JOURNAL_BENCH_CACHE`` or the system
temp folder) keyed by size and generator version, so reruns are fast::

    school, settings = ensure_school(1000)     # SchoolFolder, Settings
    .venv/bin/python benchmarks/synthetic.py 150 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from journal.demo.content import DEMO_YEAR, rng_for  # noqa: E402
from journal.demo.names import FEMALE_FIRST, MALE_FIRST, PATRONYMICS, SURNAMES  # noqa: E402
from journal.school.folder import SchoolFolder, class_workbook_name, subject_workbook_name  # noqa: E402
from journal.school.settings import (  # noqa: E402
    DEFAULT_WORK_KINDS,
    CurriculumItem,
    Norms,
    SchoolClass,
    Settings,
    TimetableEntry,
    default_calendar,
)
from journal.workbooks import format as wf  # noqa: E402
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook  # noqa: E402

GENERATOR_VERSION = "3"  # 2: class names never repeat (5Г was twice); 3: a derived class keeps
# its seed's class teacher (the teacher in its workbook's _meta: W08 rejected them before)
SUBJECTS = ("Русский язык", "Математика", "Литература", "Английский язык", "История",
            "Биология", "Физика", "Информатика")
STUDENTS = 25
SEED_CLASSES = 19  # 19 × 8 = 152 subject workbooks written with openpyxl
AS_OF = dt.date(2027, 1, 22)  # marks are typed up to this day: about half of the year
MERGE_AT = dt.datetime.combine(AS_OF, dt.time(17, 30))
CREATED = "2026-08-25 09:00:00"
LETTERS = "АБВГДЕЖИКЛМНОПРСТУФХЦЧШЭЮЯ"
COMPLETE = ".complete"

Say = Callable[[str], None]


def cache_root() -> Path:
    """Where generated schools are kept between runs."""
    base = os.environ.get("JOURNAL_BENCH_CACHE") or os.path.join(tempfile.gettempdir(),
                                                                 "journal-bench")
    return Path(base)


# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------


def class_count(size: int) -> int:
    """How many classes hold ``size`` subject workbooks."""
    return max(1, math.ceil(size / len(SUBJECTS)))


def class_of(k: int) -> SchoolClass:
    """The k-th synthetic class: grades 5–9 in turn, letters, then a number («7Б», «7Б3»).

    A class has the grade and the class teacher of its seed class (:func:`seed_of`: its
    workbook is the seed's, with the class name rewritten); names never repeat.
    """
    seed = k % SEED_CLASSES
    grade = 5 + seed % 5
    j = (k // SEED_CLASSES) * (SEED_CLASSES // 5 + 1) + seed // 5
    letter = LETTERS[j % len(LETTERS)]
    suffix = str(j // len(LETTERS)) if j >= len(LETTERS) else ""
    return SchoolClass(f"{grade}{letter}{suffix}", grade, letter, _teacher(seed, 99))


def seed_of(k: int) -> int:
    """The seed class a class is derived from (itself for the seed classes)."""
    return k % SEED_CLASSES


def _teacher(k: int, subject_index: int) -> str:
    rng = rng_for("synthetic-teacher", k, subject_index)
    female = rng.random() < 0.7
    surname = rng.choice(SURNAMES)[1 if female else 0]
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    patronymic = rng.choice(PATRONYMICS)[1 if female else 0]
    return f"{surname} {first} {patronymic}"


def synthetic_settings(size: int) -> Settings:
    """Settings listing every class and curriculum line of a school of ``size`` workbooks."""
    periods, holidays = default_calendar(DEMO_YEAR)
    classes: list[SchoolClass] = []
    curriculum: list[CurriculumItem] = []
    timetable: list[TimetableEntry] = []
    for k in range(class_count(size)):
        school_class = class_of(k)
        classes.append(school_class)
        for i, subject in enumerate(SUBJECTS):
            if len(curriculum) >= size:
                break
            curriculum.append(CurriculumItem(school_class.name, subject, "", 5,
                                             _teacher(seed_of(k), i)))
            timetable.extend(TimetableEntry(school_class.name, subject, "", day, i + 1)
                             for day in range(1, 6))
    return Settings(
        school_name=f"Синтетическая школа на {size} журналов",
        school_year=f"{DEMO_YEAR}/{DEMO_YEAR + 1}",
        periods=periods, holidays=holidays, classes=tuple(classes),
        curriculum=tuple(curriculum), timetable=tuple(timetable),
        work_kinds=DEFAULT_WORK_KINDS, norms=Norms(),
        director="Захаров Игорь Владимирович", deputy="Полякова Вера Андреевна", today=AS_OF)


# ---------------------------------------------------------------------------
# content
# ---------------------------------------------------------------------------


def class_students(k: int) -> list[wf.StudentRecord]:
    """The class list of seed class ``k`` (derived classes share their seed's list)."""
    rng = rng_for("synthetic-students", k)
    names: set[str] = set()
    students = []
    while len(students) < STUDENTS:
        female = rng.random() < 0.5
        full = (f"{rng.choice(SURNAMES)[1 if female else 0]} "
                f"{rng.choice(FEMALE_FIRST if female else MALE_FIRST)} "
                f"{rng.choice(PATRONYMICS)[1 if female else 0]}")
        if full in names:
            continue
        names.add(full)
        birth = dt.date(DEMO_YEAR - 11 - (5 + k % 5), 1, 1) + dt.timedelta(days=rng.randrange(365))
        students.append(wf.StudentRecord(full, birth_date=birth))
    students.sort(key=lambda s: s.full_name)
    return students


def subject_content(settings: Settings, item: CurriculumItem,
                    students: list[wf.StudentRecord]) -> wf.SubjectContent:
    """Marks, absences, kinds, log and period marks typed up to :data:`AS_OF`."""
    rng = rng_for("synthetic-subject", *item.key)
    content = wf.SubjectContent()
    keys = [k for k in wf.lesson_keys(settings.lesson_dates(item)) if k[0] <= AS_OF]
    ability = {s.full_name: min(4.9, max(2.4, rng.gauss(3.9, 0.6))) for s in students}
    weighted: dict[tuple[str, str], list[tuple[int, float]]] = {}
    school_class = settings.school_class(item.class_name)
    assert school_class is not None
    for n, key in enumerate(keys):
        kind = ("Контрольная работа" if n % 16 == 15 else "Самостоятельная работа" if n % 7 == 6
                else "Ответ на уроке")
        weight = next(w.weight for w in settings.work_kinds if w.name == kind)
        content.kinds[key] = kind
        content.log[key] = wf.LogEntry(topic=f"{item.subject}: тема {n // 3 + 1}, урок {n + 1}",
                                       homework=f"§ {n // 2 + 1}, упр. {rng.randint(10, 300)}")
        period = settings.period_of(school_class, key[0])
        for s in students:
            roll = rng.random()
            if roll < 0.05:
                content.marks[(s.full_name, *key)] = "Н"
            elif roll < 0.90:
                mark = max(2, min(5, round(rng.gauss(ability[s.full_name], 0.7))))
                content.marks[(s.full_name, *key)] = str(mark)
                if period is not None:
                    weighted.setdefault((s.full_name, period.name), []).append((mark, weight))
    for period in settings.periods_for(school_class):
        if period.end >= AS_OF:
            continue
        for s in students:
            marks = weighted.get((s.full_name, period.name))
            if marks:
                average = sum(m * w for m, w in marks) / sum(w for _, w in marks)
                content.finals[(s.full_name, period.name)] = str(settings.norms.round_mark(average))
    return content


def class_content(k: int, students: list[wf.StudentRecord]) -> wf.ClassContent:
    """A class teacher's workbook: the list and a parent for each student."""
    rng = rng_for("synthetic-class", k)
    content = wf.ClassContent(students=list(students))
    for s in students:
        surname = s.full_name.split()[0]
        content.parents.append(wf.ParentRecord(
            s.full_name, f"{surname} {rng.choice(FEMALE_FIRST)} {rng.choice(PATRONYMICS)[1]}",
            f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-"
            f"{rng.randint(10, 99)}", ""))
    return content


# ---------------------------------------------------------------------------
# seed workbooks (openpyxl) and derived ones (zip rewriting)
# ---------------------------------------------------------------------------


def _seed_dir() -> Path:
    return cache_root() / f"seeds-v{GENERATOR_VERSION}"


def ensure_seeds(count: int = SEED_CLASSES, say: Say = lambda _t: None) -> Path:
    """Write the seed classes' workbooks with openpyxl (once; cached)."""
    folder = _seed_dir()
    settings = synthetic_settings(SEED_CLASSES * len(SUBJECTS))
    for k in range(min(count, SEED_CLASSES)):
        done = folder / f"class-{k}" / COMPLETE
        if done.exists():
            continue
        target = done.parent
        target.mkdir(parents=True, exist_ok=True)
        school_class = settings.classes[k]
        say(f"seed class {school_class.name} (openpyxl)…")
        students = class_students(k)
        wb = build_class_workbook(settings, school_class, class_content(k, students),
                                  created=CREATED)
        save_workbook(wb, target / class_workbook_name(school_class.name))
        for item in settings.curriculum_for(school_class.name):
            wb = build_subject_workbook(settings, item, students,
                                        subject_content(settings, item, students), created=CREATED)
            save_workbook(wb, target / subject_workbook_name(*item.key))
        done.write_text("ok\n")
    return folder


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part inside the zip."""
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = {m.group(1): m.group(2) for m in
               re.finditer(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in
                    re.finditer(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    parts = {}
    for m in re.finditer(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets[m.group(2)].lstrip("/")
        parts[m.group(1)] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


_INLINE_MARK = re.compile(r'(<c r="[A-Z]+\d+"[^>]*t="inlineStr"[^>]*><is><t>)([2-5])(</t></is></c>)')


def derive_workbook(source: Path, target: Path, old_class: str, new_class: str, tweak: int) -> None:
    """Copy a seed workbook as the workbook of ``new_class`` with a few marks changed.

    The class name is replaced in ``_meta`` and in every title; ``tweak`` selects which
    few marks of the grid differ, so every derived workbook has its own bytes.
    """
    with zipfile.ZipFile(source) as archive:
        parts = _sheet_parts(archive)
        grid = parts.get(wf.SHEET_GRID)
        old_text = f">{old_class}<".encode()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = archive.read(info)
                if info.filename.endswith(".xml"):
                    data = data.replace(old_text, f">{new_class}<".encode())
                    data = data.replace(f"{old_class} —".encode(), f"{new_class} —".encode())
                if info.filename == grid:
                    data = _tweak_marks(data.decode(), tweak).encode()
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def _tweak_marks(xml: str, tweak: int) -> str:
    marks = list(_INLINE_MARK.finditer(xml))
    if not marks:
        return xml
    chosen = {(tweak * 7919 + n * 104729) % len(marks) for n in range(3)}
    pieces = []
    last = 0
    for index in sorted(chosen):
        m = marks[index]
        new = "5" if m.group(2) != "5" else "4"
        pieces.append(xml[last:m.start(2)] + new)
        last = m.end(2)
    pieces.append(xml[last:])
    return "".join(pieces)


# ---------------------------------------------------------------------------
# the school folder
# ---------------------------------------------------------------------------


def school_dir(size: int) -> Path:
    """The cached folder of the school with ``size`` subject workbooks."""
    return cache_root() / f"school-{size}-v{GENERATOR_VERSION}"


def ensure_school(size: int, say: Say = lambda _t: None) -> tuple[SchoolFolder, Settings]:
    """The synthetic school of ``size`` subject workbooks (generated once, then cached).

    The dataset (``journal.sqlite``) is not part of the cache: benchmarks delete it
    for a cold merge.
    """
    settings = synthetic_settings(size)
    root = school_dir(size)
    if not (root / COMPLETE).exists():
        seeds = ensure_seeds(class_count(size), say)
        if root.exists():
            shutil.rmtree(root)
        school = SchoolFolder(root)
        for folder in (school.classes_dir, school.workbooks_dir, school.output_dir):
            folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        items = {c.name: settings.curriculum_for(c.name) for c in settings.classes}
        for k, school_class in enumerate(settings.classes):
            s = seed_of(k)
            seed_name = class_of(s).name
            seed_folder = seeds / f"class-{s}"
            pairs = [(seed_folder / class_workbook_name(seed_name),
                      school.classes_dir / class_workbook_name(school_class.name))]
            pairs += [(seed_folder / subject_workbook_name(seed_name, item.subject, item.group),
                       school.workbooks_dir / subject_workbook_name(*item.key))
                      for item in items[school_class.name]]
            for source, target in pairs:
                if k == s:
                    shutil.copyfile(source, target)
                else:
                    derive_workbook(source, target, seed_name, school_class.name, tweak=k)
            if k % 100 == 99:
                say(f"{k + 1} of {len(settings.classes)} classes "
                    f"({time.monotonic() - started:.0f} s)…")
        with (root / "settings.pickle").open("wb") as handle:
            pickle.dump(settings, handle)
        (root / COMPLETE).write_text("ok\n")
    return SchoolFolder(root), settings


def fresh_store(school: SchoolFolder) -> None:
    """Delete the school's dataset (for a cold merge)."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        path = Path(str(school.store_path) + suffix)
        if path.exists():
            path.unlink()


def workbook_paths(school: SchoolFolder) -> list[Path]:
    """Every input workbook of the school."""
    return school.input_files()


def main(argv: list[str] | None = None) -> int:
    """Generate (or find cached) synthetic schools and print where they are."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[150])
    args = parser.parse_args(argv)
    for size in args.sizes:
        started = time.monotonic()
        school, settings = ensure_school(size, say=lambda t: print(t, flush=True))
        files = workbook_paths(school)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        print(f"school-{size}: {len(files)} files ({len(settings.classes)} classes), "
              f"{megabytes:.1f} MB, {time.monotonic() - started:.1f} s → {school.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
