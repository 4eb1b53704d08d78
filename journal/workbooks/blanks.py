"""The blank workbooks a school receives, kept in ``blank_workbooks/``.

``python -m journal.workbooks.blanks DIR`` (or ``make blanks``) writes the blank
settings workbook of the 2026/2027 school year and, for a tiny example class, the
class teacher's workbook and one subject workbook. Everything is deterministic,
and a test regenerates the files and compares them with the committed ones by
content (:func:`workbook_content`), so the templates never drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

from journal.school.folder import SETTINGS_FILE, class_workbook_name, subject_workbook_name
from journal.school.settings import CurriculumItem, SchoolClass, Settings, TimetableEntry
from journal.workbooks import format as wf
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook
from journal.workbooks.new_school import blank_settings
from journal.workbooks.settings_writer import write_settings_workbook

SCHOOL_YEAR = "2026/2027"
CREATED = "2026-09-01"
EXAMPLE_CLASS = SchoolClass("5А", 5, "А", "Иванова Мария Петровна")
EXAMPLE_SUBJECT = "Математика"
EXAMPLE_STUDENTS = (
    ("Алексеев Артём Игоревич", "1 группа"),
    ("Борисова Дарья Андреевна", "1 группа"),
    ("Волков Максим Сергеевич", "2 группа"),
    ("Григорьева Полина Олеговна", "2 группа"),
)


def example_settings() -> Settings:
    """The blank settings plus one class, 5А: mathematics and English in two groups."""
    blank = blank_settings(SCHOOL_YEAR)
    name = EXAMPLE_CLASS.name
    curriculum = (
        CurriculumItem(name, EXAMPLE_SUBJECT, "", 5, "Петров Иван Сергеевич"),
        CurriculumItem(name, "Английский язык", "1 группа", 3, "Сидорова Анна Викторовна"),
        CurriculumItem(name, "Английский язык", "2 группа", 3, "Кузнецов Павел Романович"),
    )
    timetable = (
        *(TimetableEntry(name, EXAMPLE_SUBJECT, "", day, lesson)
          for day, lesson in ((1, 2), (2, 1), (3, 3), (4, 2), (5, 1))),
        *(TimetableEntry(name, "Английский язык", group, day, lesson)
          for group in ("1 группа", "2 группа") for day, lesson in ((2, 3), (4, 4), (5, 2))),
    )
    return Settings(
        school_name="Пример: МБОУ «Средняя общеобразовательная школа»", school_year=SCHOOL_YEAR,
        periods=blank.periods, holidays=blank.holidays, classes=(EXAMPLE_CLASS,),
        curriculum=curriculum, timetable=timetable, director="Директорова Е. Н.",
        deputy="Завучева О. В.",
    )


def example_students() -> list[wf.StudentRecord]:
    """The example class list, with each student's English group."""
    return [wf.StudentRecord(full_name=name, groups={"Английский язык": group})
            for name, group in EXAMPLE_STUDENTS]


def write_blank_templates(directory: Path) -> list[Path]:
    """Write every blank workbook into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    settings_path = directory / SETTINGS_FILE
    write_settings_workbook(blank_settings(SCHOOL_YEAR), settings_path, created=CREATED)
    example = example_settings()
    students = example_students()
    class_path = save_workbook(
        build_class_workbook(example, EXAMPLE_CLASS, wf.ClassContent(students=students), created=CREATED),
        directory / class_workbook_name(EXAMPLE_CLASS.name))
    item = example.curriculum_item(EXAMPLE_CLASS.name, EXAMPLE_SUBJECT)
    assert item is not None
    subject_path = save_workbook(
        build_subject_workbook(example, item, students, created=CREATED),
        directory / subject_workbook_name(item.class_name, item.subject, item.group))
    return [settings_path, class_path, subject_path]


def workbook_content(path: Path) -> dict[str, object]:
    """What a workbook says, independent of its bytes: sheets and their states, defined
    names, non-empty cell values and data validations of every sheet."""
    wb = load_workbook(path)
    try:
        names = {name: dn.attr_text for name, dn in wb.defined_names.items()
                 if not name.startswith("_xlnm")}
        sheets: dict[str, object] = {}
        for ws in wb.worksheets:
            cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            validations = sorted(
                (str(dv.sqref), dv.type or "", dv.formula1 or "", dv.formula2 or "")
                for dv in ws.data_validations.dataValidation)
            sheets[ws.title] = {"state": ws.sheet_state, "cells": cells, "validations": validations}
        return {"sheets": [ws.title for ws in wb.worksheets], "names": names, "content": sheets}
    finally:
        wb.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m journal.workbooks.blanks DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("Использование: python -m journal.workbooks.blanks ПАПКА\n"
              "Пример: python -m journal.workbooks.blanks blank_workbooks", file=sys.stderr)
        return 2
    for path in write_blank_templates(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
