"""The command line as a user meets it: help for every command, faults without personal data."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from journal.cli import main as cli

COMMANDS = ["demo", "init", "templates", "check", "merge", "report", "print", "letters"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_russian_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli.app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Пример" in result.output
    assert f"journal {command}" in result.output


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli.app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def test_unexpected_fault_names_no_personal_data(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> None:
        raise KeyError("Иванов Иван Петрович: 5")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("JOURNAL_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "KeyError" in err and "строка" in err
    assert "Иванов" not in err and "Traceback" not in err


def test_a_bad_date_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli.app, ["letters", "--school", ".", "--from", "31.02.2026"])
    assert result.exit_code == 2


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_files_the_program_creates_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "школа"
    subprocess.run([sys.executable, "-c", "from journal.cli.main import main; main()", "init", str(folder)],
                   check=True, capture_output=True)
    settings = folder / "Настройки.xlsx"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_usage_errors_are_in_russian() -> None:
    result = CliRunner().invoke(cli.app, ["merge"], prog_name="journal")
    assert result.exit_code == 2
    assert "Использование: journal merge" in result.output
    assert "Ошибка: не указан параметр '--school'" in result.output
    assert "Missing" not in result.output and "Usage" not in result.output


def test_help_frame_is_in_russian() -> None:
    result = CliRunner().invoke(cli.app, ["check", "--help"])
    assert "Параметры:" in result.output and "Показать эту справку" in result.output
    assert "Options" not in result.output and "Show this message" not in result.output
    assert "check [ПАРАМЕТРЫ]" in result.output
    top = CliRunner().invoke(cli.app, ["--help"], prog_name="journal").output
    assert "Использование: journal [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]" in top
    assert "OPTIONS" not in top + result.output and "COMMAND" not in top
    assert "ФАЙЛ <пути>" in result.output and "--school <путь>" in result.output
    assert "<path>" not in result.output and "files" not in result.output


@pytest.mark.parametrize(("options", "expected"), [
    (["--period", "7"], "Периода «7» нет"),
    (["--class", "12Б"], "Класса «12Б» нет"),
])
def test_report_refuses_a_period_or_class_the_school_has_not(tmp_path: Path, options: list[str],
                                                             expected: str) -> None:
    from conftest import make_tiny_settings

    from journal.workbooks.settings_writer import write_settings_workbook

    write_settings_workbook(make_tiny_settings(), tmp_path / "Настройки.xlsx")
    result = CliRunner().invoke(cli.app, ["report", "progress", "--school", str(tmp_path), *options])
    assert result.exit_code == 2
    assert expected in result.output


def test_demo_names_the_folder_of_teachers_feedback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal.demo import build as demo_school
    from journal.school.folder import SchoolFolder

    def built(out: Path, **_options: object) -> demo_school.DemoResult:
        out.mkdir()
        return demo_school.DemoResult(school=SchoolFolder(out))

    monkeypatch.setattr(demo_school, "build_demo", built)
    result = CliRunner().invoke(cli.app, ["demo", "--out", str(tmp_path / "школа"), "--no-reports"])
    assert result.exit_code == 0, result.output
    assert f"замечания учителям: {tmp_path / 'школа' / 'output' / 'Замечания учителям'}" in result.output


def test_unknown_report_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    from conftest import make_tiny_settings

    from journal.workbooks.settings_writer import write_settings_workbook

    write_settings_workbook(make_tiny_settings(), tmp_path / "Настройки.xlsx")
    result = CliRunner().invoke(cli.app, ["report", "нетакого", "--school", str(tmp_path)])
    assert result.exit_code == 2
    assert "Отчёта «нетакого» нет" in result.output and "Строится" not in result.output


def test_report_for_a_calendar_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_tiny_settings

    from journal.documents import notebooks
    from journal.workbooks.settings_writer import write_settings_workbook

    write_settings_workbook(make_tiny_settings(), tmp_path / "Настройки.xlsx")
    asked: dict[str, object] = {}

    def run(name: str, folder: object, parameters: dict[str, object], **_options: object) -> object:
        asked.update(parameters)
        return SimpleNamespace(error="", ignored=(), title="Заполнение", pdf=None, html=None,
                               notebook=None)

    monkeypatch.setattr(notebooks, "run_report", run)
    result = CliRunner().invoke(cli.app, ["report", "filling", "--school", str(tmp_path), "--month", "2"])
    assert result.exit_code == 0, result.output
    assert (asked["date_from"], asked["date_to"]) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    refused = CliRunner().invoke(cli.app, ["report", "filling", "--school", str(tmp_path), "--month", "2",
                                           "--period", "1"])
    assert refused.exit_code == 2 and "--month" in refused.output
