"""``journal new-year``: next year's school folder made from this year's.

The old folder is only read (its settings workbook and, read-only, its dataset): it stays
the archive of its year, byte for byte. The new folder gets a settings workbook and one
class teacher's workbook per class; ``journal templates`` then makes the subject workbooks.

The rules (also in docs/user-guide.md, «Новый учебный год»):

* **Calendar**: the default calendar of the next year (periods and holidays); the
  coordinator checks it against the regional order. Kinds of work, norms, the director,
  the deputy and the grades without marks carry over; the year's one-off timetable
  changes, mid-year teacher changes and the council's decisions do not.
* **Classes**: every class moves up a grade with its letter (5А → 6А); grades 9 and 11
  graduate; a new 1st grade and a new 10th grade start empty (the 10th is filled with the
  students admitted after the 9th, by the class teacher in the class workbook).
* **Class teachers** follow their class. The teacher freed by a graduating 9th takes the
  new 5th of the same letter, the primary teacher of the old 4th takes the new 1st, the
  teacher of the old 11th takes the new 10th — as schools usually do; the coordinator
  changes any of it in the settings.
* **Curriculum and timetable follow the grade**: the new 6А learns what the old 6А learnt,
  from the same teachers, on the same weekly timetable (the rows in force on the last day
  of the year) — the plan is set per grade. A grade the old school lacked takes its
  class's own old plan.
* **Students** follow the outcome of their year (:func:`journal.school.year_marks.year_outcome`,
  the council's decisions winning): promoted and conditionally promoted move up with
  their class, those kept down («оставлен на повторное обучение») and those who did not
  finish grade 9 or 11 join the class of their own grade, graduates leave; students who
  left during the year are not carried. Parents and English groups (where the new class
  has the same group) go with the student. A conditional promotion gets a note in the new
  class workbook; an outcome not yet decided is carried as promoted and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from journal.core.errors import UsageError
from journal.core.formatting import past_verb_ru
from journal.reports.common import class_sort_key, class_students, enrolled_on, rows_of
from journal.reports.data import Dataset, load
from journal.reports.year_end import student_outcomes, year_results
from journal.school.folder import SchoolFolder, class_workbook_name
from journal.school.settings import (
    CurriculumItem,
    SchoolClass,
    Settings,
    TimetableEntry,
    UnmarkedRule,
    default_calendar,
    normalise_class_name,
)
from journal.school.year_marks import Outcome
from journal.workbooks.build import build_class_workbook, save_workbook
from journal.workbooks.format import ClassContent, ParentRecord, StudentRecord
from journal.workbooks.settings_reader import load_settings
from journal.workbooks.settings_writer import write_settings_workbook

LAST_GRADE = 11
GRADUATING = frozenset({9, 11})
STAYS = frozenset({Outcome.KEPT, Outcome.NOT_GRADUATED})


@dataclass(frozen=True)
class Placement:
    """Where one student of the old year goes."""

    student: str
    old_class: str
    outcome: Outcome
    new_class: str | None  # None: leaves the school (graduated)
    reason: str = ""


@dataclass
class NewYear:
    """The new folder, its settings and every student's placement."""

    folder: SchoolFolder
    settings: Settings
    placements: list[Placement]
    class_lists: dict[str, list[str]] = field(default_factory=dict)

    def of(self, *outcomes: Outcome) -> list[Placement]:
        """The placements with one of ``outcomes``."""
        return [p for p in self.placements if p.outcome in outcomes]


def next_year_name(school_year: str) -> str:
    """«2027/2028» after «2026/2027»."""
    first = int(school_year.split("/")[0]) + 1
    return f"{first}/{first + 1}"


def promoted_name(school_class: SchoolClass, grade: int) -> str:
    """The class's name in ``grade`` with its letter: «6А» for «5А» in grade 6."""
    return normalise_class_name(f"{grade}{school_class.letter}")


def next_settings(old: Settings) -> Settings:
    """The settings of the next year (see the module docstring)."""
    first_year = int(old.school_year.split("/")[0]) + 1
    periods, holidays = default_calendar(first_year)
    classes = _next_classes(old)
    by_grade: dict[int, list[SchoolClass]] = {}
    for c in old.classes:
        by_grade.setdefault(c.grade, []).append(c)
    curriculum: list[CurriculumItem] = []
    timetable: list[TimetableEntry] = []
    for new in classes:
        source = _plan_source(old, new, by_grade)
        if source is None:
            continue
        for item in old.curriculum_for(source.name):
            curriculum.append(replace(item, class_name=new.name, terms=()))
        for row in old.timetable:
            if (normalise_class_name(row.class_name) == normalise_class_name(source.name)
                    and row.applies_on(old.year_end)):
                timetable.append(replace(row, class_name=new.name, valid_from=None, valid_to=None))
    return replace(
        old, school_year=next_year_name(old.school_year), periods=periods, holidays=holidays,
        classes=tuple(classes), curriculum=tuple(curriculum), timetable=tuple(timetable),
        changes=(), decisions=(), today=None,
        unmarked=tuple(UnmarkedRule(r.grade, _a_year_later(r.until), r.label) for r in old.unmarked))


def _next_classes(old: Settings) -> list[SchoolClass]:
    teacher_of = {(c.grade, c.letter): c.class_teacher for c in old.classes}
    classes: list[SchoolClass] = []
    for c in old.classes:
        if c.grade in GRADUATING or c.grade >= LAST_GRADE:
            continue
        grade = c.grade + 1
        teacher = teacher_of.get((9, c.letter), c.class_teacher) if grade == 5 else c.class_teacher
        classes.append(SchoolClass(promoted_name(c, grade), grade, c.letter, teacher))
    for c in old.classes:
        if c.grade == 1:
            teacher = teacher_of.get((4, c.letter), c.class_teacher)
            classes.append(SchoolClass(promoted_name(c, 1), 1, c.letter, teacher))
        elif c.grade == 10:
            teacher = teacher_of.get((11, c.letter), c.class_teacher)
            classes.append(SchoolClass(promoted_name(c, 10), 10, c.letter, teacher))
    names = {c.name for c in classes}
    for c in old.classes:  # a school without a 1st or 10th class this year keeps the grade
        if c.grade == 11 and promoted_name(c, 10) not in names and (10, c.letter) not in teacher_of:
            classes.append(SchoolClass(promoted_name(c, 10), 10, c.letter, c.class_teacher))
    return sorted(classes, key=lambda c: class_sort_key(c.name))


def _plan_source(old: Settings, new: SchoolClass, by_grade: dict[int, list[SchoolClass]]
                 ) -> SchoolClass | None:
    same_grade = by_grade.get(new.grade, [])
    found = next((c for c in same_grade if c.letter == new.letter), same_grade[0] if same_grade else None)
    if found is not None:
        return found
    return next((c for c in by_grade.get(new.grade - 1, []) if c.letter == new.letter), None)


def _a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def placements(old: Settings, dataset: Dataset, new: Settings) -> list[Placement]:
    """Every student on an old class list on the year's last day, with the outcome of the
    year and the new class (see the module docstring)."""
    results = year_results(dataset, old)
    outcomes = student_outcomes(results, old, dataset)
    decided = {(str(c), int(s)): (Outcome(str(o)), str(r))
               for c, s, o, r in rows_of(outcomes, "class", "student_id", "outcome", "reason")}
    new_names = {c.name for c in new.classes}
    found: list[Placement] = []
    for school_class in old.classes:
        roster = enrolled_on(class_students(dataset.students, school_class.name), old.year_end)
        for sid, name in rows_of(roster, "id", "full_name"):
            outcome, reason = decided.get((school_class.name, int(sid)), (Outcome.UNDECIDED, ""))
            grade = school_class.grade if outcome in STAYS else school_class.grade + 1
            if school_class.grade in GRADUATING and outcome == Outcome.UNDECIDED:
                grade = school_class.grade
            target: str | None = None
            if outcome != Outcome.GRADUATED and grade <= LAST_GRADE:
                target = _class_of_grade(new, grade, school_class.letter, new_names)
            found.append(Placement(str(name), school_class.name, outcome, target, reason))
    return found


def _class_of_grade(new: Settings, grade: int, letter: str, names: set[str]) -> str | None:
    wanted = normalise_class_name(f"{grade}{letter}")
    if wanted in names:
        return wanted
    return next((c.name for c in new.classes if c.grade == grade), None)


def conditional_note(placement: Placement) -> str:
    """The note a conditionally promoted student gets in the new class workbook."""
    verb = past_verb_ru("переведён", placement.student)
    debts = placement.reason.split(": ", 1)[-1] if "задолженность" in placement.reason else ""
    subjects = f" по предметам: {debts}" if debts else ""
    return (f"{verb.capitalize()} условно из {placement.old_class} класса с академической "
            f"задолженностью{subjects}. Задолженность нужно ликвидировать в сроки, "
            f"установленные школой.")


def make_new_year(old_root: Path, new_root: Path, *, created: str = "") -> NewYear:
    """Make next year's school folder ``new_root`` from the folder ``old_root``.

    Refuses (:class:`UsageError`) when ``new_root`` is not empty, lies inside the old
    folder, or the old folder has no dataset. Nothing under ``old_root`` is written.
    """
    old_folder = SchoolFolder.open(old_root)
    target = Path(new_root).expanduser().resolve()
    if target == old_folder.root or old_folder.root in target.parents:
        raise UsageError(f"Новую папку «{new_root}» нельзя создавать внутри папки прошлого года "
                         f"«{old_folder.root}»: та остаётся архивом. Укажите папку рядом с ней.")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"Папка «{new_root}» уже существует и не пуста. Укажите новую папку.")
    if not old_folder.store_path.exists():
        raise UsageError(f"В папке «{old_folder.root}» нет общей базы: сначала соберите журналы "
                         f"прошлого года командой journal merge.")
    old = load_settings(old_folder.settings_path)
    dataset = load(old_folder.store_path)
    new = next_settings(old)
    placed = placements(old, dataset, new)
    folder = SchoolFolder(target)
    for path in (folder.root, folder.classes_dir, folder.workbooks_dir, folder.output_dir):
        path.mkdir(parents=True, exist_ok=True)
    write_settings_workbook(new, folder.settings_path, created=created)
    result = NewYear(folder, new, placed)
    for school_class in new.classes:
        content = _class_content(dataset, new, school_class, placed)
        result.class_lists[school_class.name] = [s.full_name for s in content.students]
        save_workbook(build_class_workbook(new, school_class, content, created=created),
                      folder.classes_dir / class_workbook_name(school_class.name))
    return result


def _class_content(dataset: Dataset, new: Settings, school_class: SchoolClass,
                   placed: list[Placement]) -> ClassContent:
    mine = sorted((p for p in placed if p.new_class == school_class.name), key=lambda p: p.student)
    groups_here = {(i.subject, i.group) for i in new.curriculum_for(school_class.name) if i.group}
    content = ClassContent()
    for p in mine:
        row = _student_row(dataset, p)
        birth = row.get("birth_date")
        record = StudentRecord(p.student, birth_date=_date(birth))
        for subject, grp in _groups(dataset, row.get("id")):
            if (subject, grp) in groups_here:
                record.groups[subject] = grp
        content.students.append(record)
        for name, phone, email in _parents(dataset, row.get("id")):
            content.parents.append(ParentRecord(p.student, name, phone, email))
        if p.outcome == Outcome.CONDITIONAL:
            content.notes[p.student] = conditional_note(p)
    return content


def _student_row(dataset: Dataset, placement: Placement) -> dict[str, object]:
    roster = class_students(dataset.students, placement.old_class)
    rows = roster[roster["full_name"] == placement.student]
    return {str(k): v for k, v in rows.iloc[-1].items()} if not rows.empty else {}


def _groups(dataset: Dataset, sid: object) -> list[tuple[str, str]]:
    frame = dataset.student_groups
    if sid is None or frame.empty:
        return []
    return [(str(s), str(g)) for s, g in rows_of(frame[frame["student_id"] == sid], "subject", "grp")]


def _parents(dataset: Dataset, sid: object) -> list[tuple[str, str, str]]:
    frame = dataset.parents
    if sid is None or frame.empty:
        return []
    return [(str(n), str(p or ""), str(e or ""))
            for n, p, e in rows_of(frame[frame["student_id"] == sid], "full_name", "phone", "email")]


def _date(value: object) -> dt.date | None:
    if value is None or value != value:  # NaN / NaT
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def report_lines(result: NewYear) -> list[str]:
    """What the command prints: the new classes, who moves how, what to check."""
    lines = [f"Новый учебный год {result.settings.school_year}: {result.folder.root}"]
    for name, students in result.class_lists.items():
        lines.append(f"  {name}: {len(students)} уч." + ("" if students else " — список пуст, "
                                                          "впишите учеников в книгу классного руководителя"))
    graduated = result.of(Outcome.GRADUATED)
    if graduated:
        lines.append(f"Окончили школу (в новый год не переходят): {len(graduated)}")
    for title, outcomes in (("Переведены условно (заметка в книге классного руководителя)",
                             (Outcome.CONDITIONAL,)),
                            ("Остаются в той же параллели", tuple(STAYS)),
                            ("Итог года не определён — проверьте решение педсовета и списки",
                             (Outcome.UNDECIDED,))):
        found = result.of(*outcomes)
        if found:
            lines.append(f"{title}:")
            lines.extend(f"  {p.student} ({p.old_class} → {p.new_class or '—'})"
                         + (f": {_short(p.reason)}" if p.reason else "") for p in found)
    lines.append("Проверьте в файле настроек даты четвертей и каникул, классных руководителей и "
                 "учебный план, затем создайте журналы: journal templates --school "
                 f"\"{result.folder.root}\"")
    return lines


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip(" ,;") + "…"
