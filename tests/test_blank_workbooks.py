"""The committed blank workbooks in blank_workbooks/ match what the code builds."""

from __future__ import annotations

from pathlib import Path

from journal.school.folder import SETTINGS_FILE
from journal.workbooks.blanks import workbook_content, write_blank_templates
from journal.workbooks.settings_reader import read_settings

COMMITTED = Path(__file__).resolve().parent.parent / "blank_workbooks"


def test_committed_templates_match_the_code(tmp_path: Path) -> None:
    written = write_blank_templates(tmp_path)
    committed = sorted(p.name for p in COMMITTED.glob("*.xlsx"))
    assert committed == sorted(p.name for p in written), "run `make blanks` and commit the result"
    for path in written:
        assert workbook_content(path) == workbook_content(COMMITTED / path.name), (
            f"{path.name} differs from the code: run `make blanks` and commit the result")


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
    assert {f.code for f in findings} == {"N12", "N14", "N26"}
