"""The committed blank workbooks in workbook_templates/ match what the code builds."""

from __future__ import annotations

from pathlib import Path

from journal.blank_templates import workbook_content, write_blank_templates
from journal.school import SETTINGS_FILE
from journal.settings_workbook import read_settings

COMMITTED = Path(__file__).resolve().parent.parent / "workbook_templates"


def test_committed_templates_match_the_code(tmp_path: Path) -> None:
    written = write_blank_templates(tmp_path)
    committed = sorted(p.name for p in COMMITTED.glob("*.xlsx"))
    assert committed == sorted(p.name for p in written), "run `make templates` and commit the result"
    for path in written:
        assert workbook_content(path) == workbook_content(COMMITTED / path.name), (
            f"{path.name} differs from the code: run `make templates` and commit the result")


def test_content_comparison_notices_a_changed_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (path, *_rest) = write_blank_templates(tmp_path)
    before = workbook_content(path)
    wb = load_workbook(path)
    wb["Нормы"]["B5"] = 9
    wb.save(path)
    assert workbook_content(path) != before


def test_blank_settings_template_is_the_init_workbook(tmp_path: Path) -> None:
    settings, findings = read_settings(COMMITTED / SETTINGS_FILE)
    assert settings is not None and settings.school_year == "2026/2027"
    assert {f.code for f in findings} == {"set-school-name", "set-signatory", "set-no-classes"}
