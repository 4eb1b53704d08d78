"""Helpers for merge tests: a tiny school folder filled through our own workbook builders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from conftest import make_tiny_settings, make_tiny_students
from openpyxl.cell.cell import Cell

from journal.dataset import store
from journal.school.folder import SchoolFolder, class_workbook_name, subject_workbook_name
from journal.school.settings import Settings
from journal.workbooks import format as wf
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook

MATH = ("5А", "Математика", "")
# First lessons of 5А maths in the tiny school (Mon 1 lesson, Wed 2 lessons)
MON = dt.date(2026, 9, 7)
WED = dt.date(2026, 9, 2)


def new_school(root: Path) -> SchoolFolder:
    """An empty school folder (the settings are given to merge_school directly)."""
    school = SchoolFolder(root)
    school.classes_dir.mkdir(parents=True, exist_ok=True)
    school.workbooks_dir.mkdir(parents=True, exist_ok=True)
    return school


def class_content(class_name: str, **extra: object) -> wf.ClassContent:
    """The tiny class list as class-workbook content; ``extra`` sets parents/reasons/notes."""
    content = wf.ClassContent(students=make_tiny_students(class_name))
    for key, value in extra.items():
        setattr(content, key, value)
    return content


def write_class(school: SchoolFolder, class_name: str = "5А",
                content: wf.ClassContent | None = None, settings: Settings | None = None,
                name: str | None = None) -> Path:
    """Save a class workbook into ``classes/``."""
    settings = settings or make_tiny_settings()
    school_class = settings.school_class(class_name)
    assert school_class is not None
    wb = build_class_workbook(settings, school_class, content or class_content(class_name))
    return save_workbook(wb, school.classes_dir / (name or class_workbook_name(class_name)))


def write_subject(school: SchoolFolder, content: wf.SubjectContent | None = None,
                  key: tuple[str, str, str] = MATH, settings: Settings | None = None,
                  name: str | None = None) -> Path:
    """Save a subject workbook into ``workbooks/``."""
    settings = settings or make_tiny_settings()
    item = settings.curriculum_item(*key)
    assert item is not None
    wb = build_subject_workbook(settings, item, make_tiny_students(key[0]), content)
    return save_workbook(wb, school.workbooks_dir / (name or subject_workbook_name(*key)))


def math_content(marks: dict[tuple[str, dt.date, int], object] | None = None,
                 topics: bool = True) -> wf.SubjectContent:
    """5А maths content with the given marks; every lesson with a mark gets a topic and kind."""
    content = wf.SubjectContent(marks=dict(marks or {}))
    for _student, day, seq in content.marks:
        content.kinds.setdefault((day, seq), "Ответ на уроке")
        if topics:
            content.log.setdefault((day, seq), wf.LogEntry(topic="Натуральные числа",
                                                           homework="№ 12"))
    return content


def _name_range(wb: openpyxl.Workbook, name: str) -> tuple[str, list[list[Cell]]]:
    ref = wb.defined_names[name].attr_text
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    area = ws[cells.replace("$", "")]
    rows = [list(r) for r in area] if isinstance(area[0], tuple) else [list(area)]
    return ws.title, rows


def grid_cell(path: Path, student: str, day: dt.date, seq: int = 1) -> str:
    """The address of a student's mark cell for a lesson, found through the defined names."""
    wb = openpyxl.load_workbook(path)
    _, names = _name_range(wb, wf.NAME_STUDENTS)
    _, dates = _name_range(wb, wf.NAME_DATES)
    row = next(r[0].row for r in names if r[0].value == student)
    seen = 0
    for cell in dates[0]:
        value = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
        if value == day:
            seen += 1
            if seen == seq:
                return f"{cell.column_letter}{row}"
    raise KeyError((student, day, seq))


def date_cell(path: Path, day: dt.date, seq: int = 1, name: str = wf.NAME_DATES) -> str:
    """The address of a lesson's date cell (or, with ``name=jr_kinds``, its kind cell)."""
    wb = openpyxl.load_workbook(path)
    _, dates = _name_range(wb, wf.NAME_DATES)
    _, other = _name_range(wb, name)
    seen = 0
    for k, cell in enumerate(dates[0]):
        value = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
        if value == day:
            seen += 1
            if seen == seq:
                return other[0][k].coordinate
    raise KeyError((day, seq))


def find_cell(path: Path, sheet: str, value: object) -> str:
    """The address of the first cell of ``sheet`` holding ``value``."""
    ws = openpyxl.load_workbook(path)[sheet]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.coordinate
    raise KeyError(value)


def edit_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    """Change cells of a saved workbook as a teacher would (openpyxl load and save)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for address, value in values.items():
        ws[address] = value
    wb.save(path)


MERGE_LOG = ('INSERT INTO "merges"', 'INSERT INTO "merge_files"', 'INSERT INTO "findings"',
             'INSERT INTO "chain"', 'INSERT INTO "chain_rows"')


def data_dump(school: SchoolFolder) -> list[str]:
    """The dataset minus the merge log and its history records: what a rejecting merge must not touch."""
    with store.opened(school.store_path) as conn:
        return [line for line in store.dump(conn) if not line.startswith(MERGE_LOG)]
