"""The settings workbook: written, filled (edited like a coordinator would), read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from journal.core.errors import SettingsError
from journal.core.findings import Finding, Severity
from journal.school.settings import (
    CANCEL,
    EXTRA,
    MOVE,
    CurriculumItem,
    Holiday,
    MinMarksRule,
    Norms,
    SchoolClass,
    Settings,
    TeacherTerm,
    TimetableChange,
    TimetableEntry,
    UnmarkedRule,
    WorkKind,
    default_calendar,
)
from journal.workbooks.settings_format import ROW_RATING
from journal.workbooks.settings_reader import load_settings, read_settings
from journal.workbooks.settings_writer import write_settings_workbook

D = dt.date


def sample_settings() -> Settings:
    """Two classes (quarters and half-years), a split class, two group lessons at one time."""
    periods, holidays = default_calendar(2026)
    return Settings(
        school_name="МБОУ «Берёзовская СОШ»",
        school_year="2026/2027",
        periods=periods,
        holidays=(*holidays, Holiday("Карантин 1–4 классов", D(2027, 2, 1), D(2027, 2, 5),
                                     frozenset({1, 2, 3, 4}))),
        classes=(SchoolClass("5А", 5, "А", "Иванова Мария Петровна"),
                 SchoolClass("10", 10, "", "Орлов Олег Олегович")),
        curriculum=(
            CurriculumItem("5А", "Математика", "", 2, "Петров Иван Сергеевич"),
            CurriculumItem("5А", "Английский язык", "1 группа", 1, "Сидорова Анна Викторовна"),
            CurriculumItem("5А", "Английский язык", "2 группа", 1, "Кузнецов Павел Романович"),
            CurriculumItem("10", "Физика", "", 1.5, "Орлов Олег Олегович"),
        ),
        timetable=(
            TimetableEntry("5А", "Математика", "", 1, 2),
            TimetableEntry("5А", "Математика", "", 3, 1),
            TimetableEntry("5А", "Английский язык", "1 группа", 2, 3),
            TimetableEntry("5А", "Английский язык", "2 группа", 2, 3),
            TimetableEntry("10", "Физика", "", 4, 5),
            TimetableEntry("10", "Физика", "", 5, 5),
        ),
        work_kinds=(WorkKind("Ответ на уроке", 1.0), WorkKind("Контрольная работа", 3.0, True),
                    WorkKind("Зачёт", 2.5, True)),
        norms=Norms(ordinary_mark_days=2, written_days_lower=6, written_days_upper=8,
                    min_marks=(MinMarksRule(1, 3), MinMarksRule(2.5, 6)),
                    rounding_threshold=0.5, period_mark_tolerance=1.0, large_removal_share=0.3),
        director="Директорова Е. Н.",
        deputy="Завучева О. В.",
        today=D(2026, 11, 20),
    )


@pytest.fixture(scope="module")
def written_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("settings") / "Настройки.xlsx"
    write_settings_workbook(sample_settings(), path, created="2026-09-01")
    return path


@pytest.fixture
def written(written_once: Path, tmp_path: Path) -> Path:
    path = tmp_path / "Настройки.xlsx"
    shutil.copyfile(written_once, path)
    return path


def area_cell(wb: Workbook, area: str, row: int, header: str) -> tuple[str, str]:
    """(sheet, cell) of the ``row``-th input row (from 1) under ``header`` in a named area."""
    ((sheet, ref),) = list(wb.defined_names[area].destinations)
    grid = wb[sheet][ref.replace("$", "")]
    for cell in grid[0]:
        if cell.value == header:
            return sheet, grid[row][cell.column - grid[0][0].column].coordinate
    raise KeyError(header)


def edit(path: Path, edits: list[tuple[str, int, str, object]]) -> dict[str, tuple[str, str]]:
    """Type values into the workbook like a coordinator; returns where each edit went."""
    where = {}
    wb = load_workbook(path)
    places = [area_cell(wb, area, row, header) for area, row, header, _ in edits]
    for (area, row, header, value), (sheet, cell) in zip(edits, places, strict=True):
        wb[sheet][cell].value = value
        where[f"{area}:{row}:{header}"] = (sheet, cell)
    wb.save(path)
    return where


def test_round_trip_gives_the_same_settings(written: Path) -> None:
    settings, findings = read_settings(written)
    assert findings == [f for f in findings if f.code == "N36"]
    # 10 Физика: 1,5 hours a week but two lessons in the timetable
    assert [(f.sheet, f.severity) for f in findings] == [("Учебный план", Severity.WARNING)]
    assert settings == sample_settings()


def test_workbook_structure(written: Path) -> None:
    wb = load_workbook(written)
    assert wb.sheetnames[0] == "Инструкция"
    for sheet in ("Школа", "Периоды", "Каникулы", "Классы", "Учебный план", "Расписание",
                  "Виды работ", "Нормы"):
        assert wb[sheet].sheet_state == "visible"
    assert wb["_meta"].sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert meta["kind"] == "settings" and meta["school_year"] == "2026/2027"
    assert meta["created"] == "2026-09-01"
    for name in ("jr_set_school", "jr_set_periods", "jr_set_holidays", "jr_set_classes",
                 "jr_set_curriculum", "jr_set_timetable", "jr_set_work_kinds", "jr_set_norms",
                 "jr_set_min_marks"):
        assert name in wb.defined_names
    formulas = {dv.formula1 for ws in wb.worksheets for dv in ws.data_validations.dataValidation
                if dv.type == "list"}
    assert "jr_set_list_weekdays" in formulas
    assert not any(f.startswith("=") for f in formulas)
    help_text = " ".join(str(c.value) for c in wb["Инструкция"]["A"] if c.value)
    assert "«1 группа»" in help_text and "подготовьте файлы журнала" in help_text
    assert "journal" not in help_text and "workbooks" not in help_text


def test_columns_are_found_by_header_text(written: Path) -> None:
    wb = load_workbook(written)
    ws = wb["Учебный план"]
    ((_, ref),) = list(wb.defined_names["jr_set_curriculum"].destinations)
    rows = ws[ref.replace("$", "")]
    for row in rows:  # swap «Предмет» and «Учитель»
        row[1].value, row[4].value = row[4].value, row[1].value
    wb.save(written)
    settings, _ = read_settings(written)
    assert settings is not None and settings.curriculum == sample_settings().curriculum


@pytest.mark.parametrize(("area", "header", "typed", "attr", "expected"), [
    ("jr_set_periods", "Начало", "01.09.2026", "periods", D(2026, 9, 1)),
    ("jr_set_periods", "Начало", "2026-09-01", "periods", D(2026, 9, 1)),
    ("jr_set_curriculum", "Часов в неделю", "2,0", "curriculum", 2.0),
    ("jr_set_curriculum", "Часов в неделю", "1,5", "curriculum", 1.5),
    ("jr_set_timetable", "День недели", "вт", "timetable", 2),
    ("jr_set_timetable", "День недели", 2, "timetable", 2),
    ("jr_set_timetable", "День недели", "6", "timetable", 6),
    ("jr_set_timetable", "День недели", "ВТОРНИК ", "timetable", 2),
    ("jr_set_work_kinds", "Письменная работа (да/нет)", "Да", "work_kinds", True),
    ("jr_set_work_kinds", "Письменная работа (да/нет)", "+", "work_kinds", True),
])
def test_accepted_spellings(written: Path, area: str, header: str, typed: object, attr: str,
                            expected: object) -> None:
    edit(written, [(area, 1, header, typed)])
    settings, findings = read_settings(written)
    assert settings is not None
    assert not [f for f in findings if f.is_error]
    first = getattr(settings, attr)[0]
    value = {"periods": "start", "curriculum": "weekly_hours", "timetable": "weekday",
             "work_kinds": "written"}[attr]
    assert getattr(first, value) == expected


def test_holiday_grades_as_a_range(written: Path) -> None:
    edit(written, [("jr_set_holidays", 1, "Для параллелей (пусто — для всех)", "1–4, 9")])
    settings, _ = read_settings(written)
    assert settings is not None and settings.holidays[0].grades == frozenset({1, 2, 3, 4, 9})


# (edits, code, severity, the edit whose cell the finding names, or a fixed (sheet, cell))
RULES: list[tuple[str, list[tuple[str, int, str, object]], str, Severity, int | tuple[str, str]]] = [
    ("school name blank", [("jr_set_school", 1, "Значение", None)], "N12", Severity.ERROR, 0),
    ("school year", [("jr_set_school", 2, "Значение", "2026")], "N13", Severity.ERROR, 0),
    ("director blank", [("jr_set_school", 3, "Значение", "")], "N14", Severity.WARNING, 0),
    ("bad date", [("jr_set_periods", 1, "Начало", "31.02.2026")], "N08", Severity.ERROR, 0),
    ("blank date", [("jr_set_periods", 2, "Конец", None)], "N07", Severity.ERROR, 0),
    ("end before start", [("jr_set_periods", 1, "Конец", D(2026, 8, 30))], "N11",
     Severity.ERROR, 0),
    ("overlap", [("jr_set_periods", 2, "Начало", D(2026, 10, 20))], "N19",
     Severity.ERROR, 0),
    ("unknown set", [("jr_set_periods", 1, "Набор периодов", "Триместры")], "N15",
     Severity.ERROR, 0),
    ("period outside the year", [("jr_set_periods", 1, "Начало", D(2025, 9, 1))], "N17",
     Severity.ERROR, 0),
    ("halves missing", [("jr_set_periods", 5, "Набор периодов", None), ("jr_set_periods", 5, "Номер", None),
                        ("jr_set_periods", 5, "Название", None), ("jr_set_periods", 5, "Начало", None),
                        ("jr_set_periods", 5, "Конец", None), ("jr_set_periods", 6, "Набор периодов", None),
                        ("jr_set_periods", 6, "Номер", None), ("jr_set_periods", 6, "Название", None),
                        ("jr_set_periods", 6, "Начало", None), ("jr_set_periods", 6, "Конец", None)],
     "N20", Severity.ERROR, ("Периоды", "A3")),
    ("holiday outside the year", [("jr_set_holidays", 1, "Начало", D(2025, 10, 26)),
                                  ("jr_set_holidays", 1, "Конец", D(2025, 11, 3))],
     "N22", Severity.ERROR, 0),
    ("holiday grades", [("jr_set_holidays", 1, "Для параллелей (пусто — для всех)", "младшие")],
     "N21", Severity.ERROR, 0),
    ("duplicate class", [("jr_set_classes", 2, "Класс", "5 а"), ("jr_set_classes", 2, "Параллель", 5)],
     "N25", Severity.ERROR, 0),
    ("grade 12", [("jr_set_classes", 1, "Параллель", 12)], "N23", Severity.ERROR, 0),
    ("grade not matching the name", [("jr_set_classes", 1, "Параллель", 6)], "N23",
     Severity.ERROR, 0),
    ("class teacher missing", [("jr_set_classes", 1, "Классный руководитель", None)],
     "N24", Severity.ERROR, 0),
    ("unknown class", [("jr_set_curriculum", 1, "Класс", "7Б")], "N27", Severity.ERROR, 0),
    ("teacher missing", [("jr_set_curriculum", 1, "Учитель", " ")], "N24",
     Severity.ERROR, 0),
    ("hours zero", [("jr_set_curriculum", 1, "Часов в неделю", 0)], "N28", Severity.ERROR, 0),
    ("hours not a number", [("jr_set_curriculum", 1, "Часов в неделю", "два")], "N09",
     Severity.ERROR, 0),
    ("duplicate curriculum line", [("jr_set_curriculum", 3, "Группа (пусто, если класс не делится)",
                                    "1  группа")], "N29", Severity.ERROR,
     ("Учебный план", "B6")),
    ("split and whole class", [("jr_set_curriculum", 3, "Группа (пусто, если класс не делится)", None)],
     "N30", Severity.ERROR, ("Учебный план", "A3")),
    ("timetable not in curriculum", [("jr_set_timetable", 1, "Предмет", "Химия")],
     "N34", Severity.ERROR, 0),
    ("weekday name", [("jr_set_timetable", 1, "День недели", "Воскресенье")], "N32",
     Severity.ERROR, 0),
    ("weekday number", [("jr_set_timetable", 1, "День недели", 7)], "N32", Severity.ERROR, 0),
    ("lesson number", [("jr_set_timetable", 1, "Номер урока", 9)], "N33", Severity.ERROR, 0),
    ("two lessons at once", [("jr_set_timetable", 2, "День недели", "Понедельник"),
                             ("jr_set_timetable", 2, "Номер урока", 2)], "N35",
     Severity.ERROR, 1),
    ("group lesson against the whole class", [("jr_set_timetable", 3, "День недели", "Понедельник"),
                                              ("jr_set_timetable", 3, "Номер урока", 2)],
     "N35", Severity.ERROR, 1),
    ("lessons a week differ from hours", [("jr_set_timetable", 2, "Предмет", None),
                                          ("jr_set_timetable", 2, "Класс", None),
                                          ("jr_set_timetable", 2, "День недели", None),
                                          ("jr_set_timetable", 2, "Номер урока", None)],
     "N36", Severity.WARNING, ("Учебный план", "D4")),
    ("weight zero", [("jr_set_work_kinds", 1, "Вес", "0")], "N37", Severity.ERROR, 0),
    ("duplicate kind", [("jr_set_work_kinds", 3, "Вид работы", "ответ  на уроке")],
     "N38", Severity.ERROR, 0),
    ("written yes/no", [("jr_set_work_kinds", 1, "Письменная работа (да/нет)", "иногда")], "N10",
     Severity.ERROR, 0),
    ("rounding threshold", [("jr_set_norms", 4, "Значение", "1,5")], "N40", Severity.ERROR, 0),
    ("written days", [("jr_set_norms", 2, "Значение", 0)], "N40", Severity.ERROR, 0),
    ("written days not whole", [("jr_set_norms", 3, "Значение", 2.5)], "N09",
     Severity.ERROR, 0),
    ("min marks hours", [("jr_set_min_marks", 1, "Часов в неделю, от", -1)], "N40",
     Severity.ERROR, 0),
    ("renamed column", [("jr_set_classes", 0, "Классный руководитель", "Руководитель")],
     "N04", Severity.ERROR, ("Классы", "A3")),
]


@pytest.mark.parametrize(("edits", "code", "severity", "at"), [r[1:] for r in RULES],
                         ids=[r[0] for r in RULES])
def test_rule(written: Path, edits: list[tuple[str, int, str, object]], code: str, severity: Severity,
              at: int | tuple[str, str]) -> None:
    where = edit(written, edits)
    expected_place = at if isinstance(at, tuple) else list(where.values())[at]
    _, findings = read_settings(written)
    matching = [f for f in findings if f.code == code]
    assert matching, [f.format() for f in findings]
    assert (matching[0].sheet, matching[0].cell, matching[0].severity) == (*expected_place, severity)
    assert all(f.file == "Настройки.xlsx" and f.message for f in matching)


def test_missing_area_is_a_finding(written: Path) -> None:
    wb = load_workbook(written)
    del wb.defined_names["jr_set_timetable"]
    wb.save(written)
    settings, findings = read_settings(written)
    assert [(f.code, f.sheet) for f in findings if f.code == "N03"] == [
        ("N03", "Расписание")]
    assert settings is not None and settings.timetable == ()


def test_group_lessons_may_share_a_slot(written: Path) -> None:
    _, findings = read_settings(written)
    assert "N35" not in {f.code for f in findings}


def test_load_settings_raises_with_findings(written: Path) -> None:
    assert load_settings(written) == sample_settings()
    edit(written, [("jr_set_curriculum", 1, "Часов в неделю", -2)])
    with pytest.raises(SettingsError) as info:
        load_settings(written)
    assert any(isinstance(f, Finding) and f.code == "N28" for f in info.value.findings)


@pytest.mark.parametrize("content", [None, b"not a workbook at all"])
def test_load_settings_missing_or_broken_file(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "Настройки.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "Настройки.xlsx" in str(info.value)
    assert info.value.findings and info.value.findings[0].is_error


def test_blank_optional_fields_keep_defaults(tmp_path: Path) -> None:
    settings = dataclasses.replace(sample_settings(), today=None)
    path = tmp_path / "s.xlsx"
    write_settings_workbook(settings, path)
    loaded, _ = read_settings(path)
    assert loaded is not None and loaded.today is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_settings_saved_by_libreoffice_read_the_same(written: Path, tmp_path: Path) -> None:
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
                    str(written)], check=True, timeout=120, capture_output=True,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    settings, findings = read_settings(out / written.name)
    assert settings == sample_settings()
    assert [f.code for f in findings] == ["N36"]


def test_values_below_the_area_are_reported(written: Path) -> None:
    wb = load_workbook(written)
    ((sheet, ref),) = list(wb.defined_names["jr_set_classes"].destinations)
    below = wb[sheet][ref.replace("$", "")][-1][0].row + 3
    wb[sheet][f"A{below}"] = "11Б"
    wb.save(written)
    _, findings = read_settings(written)
    assert [(f.code, f.sheet, f.cell) for f in findings if f.code == "N05"] == [
        ("N05", "Классы", f"A{below}")]


def year_of_changes() -> Settings:
    """The sample school after a mid-year timetable change, a teacher replaced, a moved
    lesson, a frost day, an extra lesson and 5th grade without marks in the 1st quarter."""
    s = sample_settings()
    math = s.curriculum[0]
    return dataclasses.replace(
        s,
        curriculum=(dataclasses.replace(math, teacher="Новикова Нина Петровна", terms=(
            TeacherTerm(math.teacher, None, D(2026, 11, 15)),
            TeacherTerm("Новикова Нина Петровна", D(2026, 11, 16), None))), *s.curriculum[1:]),
        timetable=(s.timetable[0], dataclasses.replace(s.timetable[1], valid_to=D(2026, 11, 15)),
                   dataclasses.replace(s.timetable[1], weekday=4, valid_from=D(2026, 11, 16)),
                   *s.timetable[2:]),
        changes=(TimetableChange(MOVE, D(2026, 11, 23), frozenset({"5А"}), "Математика", "", 2,
                                 D(2026, 11, 24), 4, reason="болезнь учителя"),
                 TimetableChange(CANCEL, D(2027, 1, 26), frozenset(), end=D(2027, 1, 27),
                                 reason="мороз"),
                 TimetableChange(EXTRA, D(2027, 5, 20), frozenset({"5А"}), "Математика", "", 7)),
        unmarked=(UnmarkedRule(5, D(2026, 10, 25), "1 четверть"),),
    )


def test_a_year_of_changes_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_settings_workbook(year_of_changes(), path)
    settings, findings = read_settings(path)
    assert settings == year_of_changes()
    assert [f.code for f in findings] == ["N36"]
    item = settings.curriculum[0]
    assert settings.teacher_on(item, D(2026, 11, 13)) == "Петров Иван Сергеевич"
    assert settings.teacher_on(item, D(2026, 11, 16)) == item.teacher == "Новикова Нина Петровна"


@pytest.mark.parametrize(("sheet", "column", "value", "code"), [
    ("Изменения расписания", "A", "перетасовка", "N44"),
    ("Изменения расписания", "H", D(2026, 12, 31), "N45"),  # a move into the winter holidays
    ("Изменения расписания", "E", D(2026, 11, 25), "N46"),  # no maths that Wednesday any more
    ("Изменения расписания", "B", "7Б", "N27"),
    ("Расписание", "F", D(2026, 11, 1), "N35"),  # the Thursday row clashes with itself earlier
    ("Учебный план", "F", D(2026, 11, 1), "N43"),  # the new teacher before the old one left
    ("Периоды", "H", "5 четверть", "N48"),
])
def test_bad_rows_of_the_year_are_reported(tmp_path: Path, sheet: str, column: str, value: object,
                                           code: str) -> None:
    path = tmp_path / "s.xlsx"
    write_settings_workbook(year_of_changes(), path)
    wb = load_workbook(path)
    ws = wb[sheet]
    row = {"Расписание": 6, "Учебный план": 5}.get(sheet, 4)
    if sheet == "Расписание":  # a second Thursday row from 01.11 on the same slot
        for col in "ABCDE":
            ws[f"{col}10"] = ws[f"{col}6"].value
        row = 10
    ws[f"{column}{row}"] = value
    wb.save(path)
    _settings, findings = read_settings(path)
    assert code in [f.code for f in findings if f.sheet == sheet], [f.format() for f in findings]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_year_of_changes_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_settings_workbook(year_of_changes(), path)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
                    str(path)], check=True, timeout=120, capture_output=True,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    settings, findings = read_settings(out / path.name)
    assert settings == year_of_changes()
    assert [f.code for f in findings] == ["N36"]


@pytest.mark.parametrize(("typed", "shown"), [("да", True), ("нет", False), (None, True)])
def test_the_rating_in_letters_is_a_school_setting(tmp_path: Path, typed: str | None, shown: bool) -> None:
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(sample_settings(), path)
    wb = load_workbook(path)
    ws = wb["Школа"]
    row = next(r for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == ROW_RATING)
    assert row[1].value == "да"
    row[1].value = typed
    wb.save(path)
    assert load_settings(path).letter_rating is shown


def test_a_settings_workbook_without_the_rating_row_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(sample_settings(), path)
    wb = load_workbook(path)
    ws = wb["Школа"]
    row = next(r for r in ws.iter_rows(min_col=1, max_col=3) if r[0].value == ROW_RATING)
    for cell in row:
        cell.value = None
    wb.save(path)
    settings, findings = read_settings(path)
    assert settings is not None and settings.letter_rating
    assert not [f for f in findings if f.is_error]
