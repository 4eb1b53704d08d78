"""``journal init``: a new school folder whose settings workbook asks to be filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from journal.cli.main import app
from journal.core.errors import SettingsError, UsageError
from journal.core.findings import Severity
from journal.workbooks.new_school import init_school
from journal.workbooks.settings_reader import load_settings, read_settings


def test_cli_init_creates_the_folder_and_refuses_a_second_time(tmp_path: Path) -> None:
    target = tmp_path / "Школа 2026-2027"
    runner = CliRunner()
    first = runner.invoke(app, ["init", str(target)])
    assert first.exit_code == 0, first.output
    for sub in ("classes", "workbooks", "output"):
        assert (target / sub).is_dir()
    assert (target / "Настройки.xlsx").is_file()
    assert "Настройки.xlsx" in first.output
    second = runner.invoke(app, ["init", str(target)])
    assert second.exit_code == 2
    assert "уже есть файл настроек" in second.output


def test_init_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "school.txt"
    path.write_text("x")
    with pytest.raises(UsageError):
        init_school(path, dt.date(2026, 11, 28))


@pytest.mark.parametrize(("today", "year", "first_day"), [
    (dt.date(2026, 11, 28), "2026/2027", dt.date(2026, 9, 1)),
    (dt.date(2027, 6, 15), "2026/2027", dt.date(2026, 9, 1)),
    (dt.date(2027, 9, 1), "2027/2028", dt.date(2027, 9, 1)),
])
def test_init_workbook_asks_only_to_fill_the_school(tmp_path: Path, today: dt.date, year: str,
                                                    first_day: dt.date) -> None:
    path = init_school(tmp_path / "школа", today)
    settings, findings = read_settings(path)
    assert settings is not None
    assert settings.school_year == year and settings.year_start == first_day
    assert {p.set for p in settings.periods} == {"quarters", "halves"}
    assert settings.holidays and settings.work_kinds
    assert sorted((f.code, f.severity, f.sheet, f.cell) for f in findings) == [
        ("N12", Severity.ERROR, "Школа", "B4"),
        ("N14", Severity.WARNING, "Школа", "B6"),
        ("N14", Severity.WARNING, "Школа", "B7"),
        ("N26", Severity.ERROR, "Классы", "A3"),
    ]
    with pytest.raises(SettingsError):
        load_settings(path)


def test_filled_init_workbook_loads(tmp_path: Path) -> None:
    path = init_school(tmp_path / "школа", dt.date(2026, 11, 28))
    wb = load_workbook(path)
    school, classes = wb["Школа"], wb["Классы"]
    school["B4"], school["B6"], school["B7"] = "МБОУ «Лесная ООШ»", "Иванов И. И.", "Петрова П. П."
    classes["A4"], classes["B4"], classes["C4"], classes["D4"] = "2А", 2, "А", "Сидорова С. С."
    wb.save(path)
    settings = load_settings(path)
    assert settings.school_name == "МБОУ «Лесная ООШ»"
    assert [c.name for c in settings.classes] == ["2А"]
    _, findings = read_settings(path)
    assert [f.code for f in findings] == ["N31"]
