"""Subject and class workbooks built from the settings: structure a reader and a teacher rely on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from journal.school.settings import CurriculumItem, Settings
from journal.workbooks import format as wf
from journal.workbooks.build import build_class_workbook, build_subject_workbook, save_workbook
from journal.workbooks.format import StudentRecord
from journal.workbooks.reading import RawClassWorkbook, RawSubjectWorkbook, read_workbook


def _item(settings: Settings, class_name: str, subject: str, group: str = "") -> CurriculumItem:
    item = settings.curriculum_item(class_name, subject, group)
    assert item is not None
    return item


def _save_subject(tmp_path: Path, settings: Settings, item: CurriculumItem,
                  students: list[StudentRecord], content: wf.SubjectContent | None = None) -> Path:
    path = tmp_path / f"{item.class_name}-{item.subject}-{item.group or 'all'}.xlsx"
    save_workbook(build_subject_workbook(settings, item, students, content, created="2026-11-28"), path)
    return path


def _defined(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    dn = wb.defined_names[name]
    ((sheet, ref),) = list(dn.destinations)
    return sheet, ref.replace("$", "")


SUBJECT_NAMES = [wf.NAME_STUDENTS, wf.NAME_DATES, wf.NAME_KINDS, wf.NAME_MARKS, wf.NAME_LOG,
                 wf.NAME_FINALS, wf.LIST_MARKS, wf.LIST_KINDS]


@pytest.mark.parametrize("name", SUBJECT_NAMES)
def test_subject_workbook_has_defined_name(tmp_path, tiny_settings, tiny_students, name):
    path = _save_subject(tmp_path, tiny_settings, _item(tiny_settings, "5А", "Математика"),
                         tiny_students["5А"])
    wb = openpyxl.load_workbook(path)
    assert name in wb.defined_names


def test_subject_meta_is_very_hidden_text(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Английский язык", "2 группа")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    meta = wb[wf.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert values[wf.META_KIND] == "subject"
    assert values[wf.META_CLASS] == "5А"
    assert values[wf.META_SUBJECT] == "Английский язык"
    assert values[wf.META_GROUP] == "2 группа"
    assert values[wf.META_TEACHER] == "Соколов Дмитрий Андреевич"
    assert values[wf.META_SCHOOL_YEAR] == "2026/2027"
    assert values[wf.META_FORMAT_VERSION] == wf.FORMAT_VERSION
    assert wb[wf.LISTS_SHEET].sheet_state == "hidden"


@pytest.mark.parametrize(("class_name", "subject", "group"), [
    ("1А", "Русский язык", ""), ("5А", "Математика", ""), ("5А", "Английский язык", "1 группа"),
    ("10А", "Физика", ""),
])
def test_dates_are_the_lesson_dates(tmp_path, tiny_settings, tiny_students, class_name, subject, group):
    item = _item(tiny_settings, class_name, subject, group)
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students[class_name]))
    assert isinstance(result.workbook, RawSubjectWorkbook)
    assert result.workbook.lesson_dates() == tiny_settings.lesson_dates(item)
    log = result.workbook.log
    assert log is not None
    assert [log.value(i, wf.LOG_DATE) for i in range(len(log.rows))] == tiny_settings.lesson_dates(item)


def test_no_holiday_or_weekend_appears(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    assert isinstance(result.workbook, RawSubjectWorkbook)
    dates = [d for d in result.workbook.lesson_dates() if d is not None]
    autumn = next(h for h in tiny_settings.holidays if h.name == "Осенние каникулы")
    assert dates and not any(autumn.start <= d <= autumn.end for d in dates)
    assert dt.date(2026, 11, 4) not in dates  # a Wednesday and a public holiday
    assert all(d.isoweekday() <= 6 for d in dates)
    assert not any(tiny_settings.is_holiday(d, 5) for d in dates)


def test_double_lesson_gives_two_columns(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    assert isinstance(result.workbook, RawSubjectWorkbook)
    dates = result.workbook.lesson_dates()
    assert dates.count(dt.date(2026, 9, 2)) == 2  # Wednesday: lessons 3 and 4
    assert dates.count(dt.date(2026, 9, 7)) == 1  # Monday


def test_group_workbook_lists_only_its_group(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Английский язык", "1 группа")
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    assert isinstance(result.workbook, RawSubjectWorkbook)
    names, _ = result.workbook.to_content()
    assert names == ["Алексеев Артём Павлович", "Васильев Егор Андреевич"]


def test_round_trip_of_content(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    students = tiny_students["5А"]
    wed = dt.date(2026, 9, 2)
    mon = dt.date(2026, 9, 7)
    content = wf.SubjectContent(
        marks={
            (students[0].full_name, wed, 1): "5/4",
            (students[0].full_name, wed, 2): "Н",
            (students[1].full_name, wed, 2): "О/4",
            (students[2].full_name, mon, 1): "3",
        },
        kinds={(wed, 1): "Ответ на уроке", (wed, 2): "Самостоятельная работа"},
        log={(wed, 1): wf.LogEntry("Натуральные числа", "§1 № 5"),
             (wed, 2): wf.LogEntry("Шкалы", "", "Сидорова Анна Павловна")},
        finals={(students[0].full_name, "1 четверть"): "5", (students[1].full_name, wf.FINAL_YEAR): "4"},
    )
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, students, content))
    assert result.findings == []
    assert isinstance(result.workbook, RawSubjectWorkbook)
    names, back = result.workbook.to_content()
    assert names == [s.full_name for s in students]
    assert back == content


def test_mark_cells_are_text_with_warning_dropdown(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    sheet, ref = _defined(wb, wf.NAME_MARKS)
    ws = wb[sheet]
    first = ref.split(":")[0]
    assert ws[first].number_format == "@"
    assert ws[first].protection.locked is False
    assert ws.protection.sheet is True
    assert ws.protection.password is None
    validations = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == wf.LIST_MARKS]
    assert len(validations) == 1
    assert validations[0].errorStyle == "warning"
    assert str(validations[0].sqref) == ref
    # headers stay locked
    _, dates_ref = _defined(wb, wf.NAME_DATES)
    assert ws[dates_ref.split(":")[0]].protection.locked is True


def test_grade_one_lists_only_absence_codes_and_has_no_finals(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "1А", "Русский язык")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["1А"]))
    sheet, ref = _defined(wb, wf.LIST_MARKS)
    values = [c.value for row in wb[sheet][ref] for c in row]
    assert values == ["Н", "Б", "У", "О"]
    assert wf.SHEET_FINALS not in wb.sheetnames
    assert wf.NAME_FINALS not in wb.defined_names


def test_grade_ten_finals_have_half_years(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "10А", "Физика")
    result = read_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["10А"]))
    assert isinstance(result.workbook, RawSubjectWorkbook)
    finals = result.workbook.finals
    assert finals is not None
    assert [c.value for c in finals.header] == [
        wf.FINALS_NAME_COLUMN, "1 полугодие", "2 полугодие", wf.FINAL_YEAR, wf.FINAL_EXAM, wf.FINAL_FINAL]


def test_student_who_left_is_grey(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    sheet, ref = _defined(wb, wf.NAME_STUDENTS)
    cells = [row[0] for row in wb[sheet][ref]]
    left = next(c for c in cells if c.value == "Григорьева София Олеговна")
    present = next(c for c in cells if c.value == "Алексеев Артём Павлович")
    assert left.fill.fgColor.rgb != present.fill.fgColor.rgb


def test_print_setup_is_a4_landscape_with_titles(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    ws = wb[wf.SHEET_GRID]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows and ws.print_title_cols
    assert ws.freeze_panes is not None


def test_class_workbook_structure_and_round_trip(tmp_path, tiny_settings, tiny_students):
    school_class = tiny_settings.school_class("5А")
    content = wf.ClassContent(
        students=tiny_students["5А"],
        parents=[wf.ParentRecord("Алексеев Артём Павлович", "Алексеева Ирина Сергеевна", "+7 900 000-00-01",
                                 "mama@example.ru")],
        reasons=[wf.AbsenceReason("Борисова Дарья Игоревна", dt.date(2026, 9, 14), dt.date(2026, 9, 18), "Б",
                                  "справка № 12")],
        notes={"Васильев Егор Андреевич": "Молодец!"},
    )
    path = tmp_path / "class.xlsx"
    save_workbook(build_class_workbook(tiny_settings, school_class, content), path)
    wb = openpyxl.load_workbook(path)
    for name in (wf.NAME_CLASS_STUDENTS, wf.NAME_PARENTS, wf.NAME_REASONS, wf.NAME_NOTES):
        assert name in wb.defined_names
    sheet, ref = _defined(wb, wf.NAME_CLASS_STUDENTS)
    header = [c.value for c in wb[sheet][ref][0]]
    assert header == [*wf.STUDENT_COLUMNS, "Группа: Английский язык"]
    assert len(wb[sheet][ref]) > len(content.students) + 20  # room for new students
    result = read_workbook(path)
    assert result.findings == []
    assert isinstance(result.workbook, RawClassWorkbook)
    assert result.workbook.to_content() == content


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path, tiny_settings):
    path = tmp_path / "a" / "class.xlsx"
    save_workbook(build_class_workbook(tiny_settings, tiny_settings.classes[0]), path)
    assert [p.name for p in path.parent.iterdir()] == ["class.xlsx"]


@pytest.mark.parametrize("has_marks", [True, False])
def test_values_left_unhighlighted_are_all_understood_by_the_reader(has_marks):
    from journal.school.marks import CellEntry, parse_mark_cell
    from journal.workbooks.build import understood_mark_values

    values = understood_mark_values(has_marks)
    assert "5/4" in values or not has_marks
    for value in values:
        assert isinstance(parse_mark_cell(value, allow_marks=has_marks), CellEntry), value
        assert isinstance(parse_mark_cell(value.lower(), allow_marks=has_marks), CellEntry), value


def test_grid_highlights_values_the_reader_would_reject(tmp_path, tiny_settings, tiny_students):
    item = _item(tiny_settings, "5А", "Математика")
    wb = openpyxl.load_workbook(_save_subject(tmp_path, tiny_settings, item, tiny_students["5А"]))
    _, ref = _defined(wb, wf.NAME_MARKS)
    rules = wb[wf.SHEET_GRID].conditional_formatting
    (entry,) = [cf for cf in rules if str(cf.sqref) == ref]
    assert "jr_list_understood" in entry.rules[0].formula[0]
    assert "jr_list_understood" in wb.defined_names
