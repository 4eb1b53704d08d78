"""Report notebooks run by papermill and printed: files, page size, every row and column, errors.

Uses ``notebooks/_smoke.ipynb``: 25 students («Ученик 01 Фамилия» … «Ученик 25 Фамилия»)
× 60 daily dates from 01.09.2026 (so the last column is 30.10), a chart with Cyrillic labels,
landscape by its metadata.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.pdf_tools import page_size, pdf_text
from typer.testing import CliRunner

from journal.cli.main import app
from journal.core.errors import BrowserNotFoundError, RenderError, UsageError
from journal.documents.notebooks import (
    RECORDS_DIR,
    ReportOutput,
    available_reports,
    notebooks_dir,
    output_stem,
    run_report,
    run_reports,
)
from journal.documents.pdf import find_browser
from journal.school.folder import SETTINGS_FILE, SchoolFolder

SMOKE = Path(__file__).resolve().parent.parent / "notebooks" / "_smoke.ipynb"
STUDENTS = [f"Ученик {i:02d} Фамилия" for i in range(1, 26)]


def _has_browser() -> bool:
    try:
        find_browser()
    except BrowserNotFoundError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not _has_browser() or shutil.which("pdftotext") is None, reason="no browser or poppler-utils"
)






@pytest.fixture
def school(tmp_path: Path) -> SchoolFolder:
    root = tmp_path / "Школа"
    root.mkdir()
    (root / SETTINGS_FILE).write_bytes(b"")  # the runner only needs the folder
    return SchoolFolder(root)


@pytest.fixture
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notebooks folder with two copies of the smoke report, «alpha» and «beta»."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("alpha", "beta"):
        shutil.copy(SMOKE, folder / f"{name}.ipynb")
    shutil.copy(SMOKE, folder / "_smoke.ipynb")
    monkeypatch.setenv("JOURNAL_NOTEBOOKS", str(folder))
    return folder


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> ReportOutput:
    out = tmp_path_factory.mktemp("reports")
    return run_report("_smoke", None, {"rows": 25, "class_name": "5А"}, out_dir=out)


def test_repository_notebooks_are_found() -> None:
    assert notebooks_dir() == SMOKE.parent
    assert "_smoke" not in available_reports()
    assert available_reports(include_hidden=True)["_smoke"] == "Проверка печати"


def test_output_name_says_what_the_report_covers() -> None:
    import datetime as dt

    from support.reports_fixtures import make_settings

    settings = make_settings()
    assert output_stem("Успеваемость за период", {"period": "1"}, settings, "progress") == (
        "Успеваемость — 1 четверть 2026-2027"
    )
    assert output_stem("Успеваемость за период", {"period": "2", "class_name": "10А"}, settings,
                       "progress") == "Успеваемость — 1 полугодие 2026-2027 — 10А"
    assert output_stem("Посещаемость за период", {"period": "текущий", "today": "2026-11-27"},
                       settings, "attendance") == "Посещаемость — 2 четверть 2026-2027"
    assert output_stem(
        "Активность", {"date_from": dt.date(2026, 11, 23), "date_to": dt.date(2026, 11, 29)}
    ) == "Активность — 23.11–29.11.2026"
    assert output_stem("Активность", {"today": "2026-11-27"}) == "Активность — на 27.11.2026"


@pytest.mark.slow
def test_smoke_report_files(smoke_run: ReportOutput) -> None:
    assert smoke_run.ok and smoke_run.pdf and smoke_run.html and smoke_run.notebook
    assert smoke_run.pdf.name == "Проверка печати.pdf"  # class_name is not a parameter of it
    assert smoke_run.ignored == ["class_name"]
    assert smoke_run.notebook.exists() and smoke_run.html.exists()
    # the notebook and its HTML are kept in a subfolder, the PDF stands alone
    assert smoke_run.notebook.parent.name == RECORDS_DIR == smoke_run.html.parent.name
    assert smoke_run.pdf.parent == smoke_run.notebook.parent.parent
    html = smoke_run.html.read_text(encoding="utf-8")
    assert "<script src=" not in html  # no CDN scripts: works offline
    assert "def " not in html and "import pandas" not in html  # code is hidden


@pytest.mark.slow
def test_smoke_pdf_is_landscape_a4_and_holds_every_row_and_the_last_date(smoke_run: ReportOutput) -> None:
    assert smoke_run.pdf is not None
    width, height = page_size(smoke_run.pdf)
    assert abs(width - 842) < 2 and abs(height - 595) < 2
    text = pdf_text(smoke_run.pdf)
    for student in STUDENTS:
        assert student in text
    assert "01.09" in text and "30.10" in text
    assert f"Стр. 1 из {smoke_run.pages}" in text
    images = subprocess.run(["pdfimages", "-list", str(smoke_run.pdf)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header, rule, the chart
    fonts = subprocess.run(["pdffonts", str(smoke_run.pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts


@pytest.mark.slow
def test_failing_notebook_names_report_and_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError) as info:
        run_report("_smoke", None, {"fail": "да"}, out_dir=tmp_path, formats=("html",))
    message = str(info.value)
    assert "Проверка печати" in message
    assert "Проверочная ошибка в отчёте" in message
    assert "Traceback" not in message and "File \"" not in message


def test_unknown_report_lists_known_ones(notebooks: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        run_report("успеваемость", None, {}, out_dir=tmp_path)
    assert "alpha" in str(info.value) and "beta" in str(info.value)


@pytest.mark.slow
def test_reports_in_parallel_and_one_failure_does_not_stop_the_others(
    notebooks: Path, school: SchoolFolder
) -> None:
    beta = notebooks / "beta.ipynb"
    beta.write_text(beta.read_text(encoding="utf-8").replace('fail = \\"\\"', 'fail = \\"да\\"'))
    seen: list[tuple[int, int, str]] = []
    outputs = run_reports(
        ["alpha", "beta"], school, {"rows": 3, "dates": 5}, workers=2,
        progress=lambda done, total, output: seen.append((done, total, output.name)),
    )
    assert [o.name for o in outputs] == ["alpha", "beta"]
    alpha, failed = outputs
    assert alpha.ok and alpha.pdf and alpha.pdf.exists() and alpha.pages == 1
    assert alpha.pdf.parent == school.output_dir / "Отчёты"
    assert not failed.ok and "Проверочная ошибка" in (failed.error or "")
    assert sorted(name for _, _, name in seen) == ["alpha", "beta"]
    assert [(done, total) for done, total, _ in seen] == [(1, 2), (2, 2)]


# -- the command line --------------------------------------------------------------------------


def test_cli_unknown_report_exits_2(notebooks: Path, school: SchoolFolder) -> None:
    result = CliRunner().invoke(app, ["report", "nosuch", "--school", str(school.root)])
    assert result.exit_code == 2
    assert "alpha" in result.output


def test_cli_help_lists_reports_in_russian() -> None:
    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    assert "Пример" in result.output and "--period" in result.output


def test_cli_missing_browser_exits_2(
    notebooks: Path, school: SchoolFolder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JOURNAL_BROWSER", str(tmp_path / "нет-браузера"))
    result = CliRunner().invoke(app, ["report", "alpha", "--school", str(school.root)])
    assert result.exit_code == 2
    assert "apt-get install chromium" in result.output


@pytest.mark.slow
def test_cli_report_prints_where_files_are(notebooks: Path, school: SchoolFolder) -> None:
    result = CliRunner().invoke(app, ["report", "alpha", "--school", str(school.root), "--html-only"])
    assert result.exit_code == 0, result.output
    html = school.output_dir / "Отчёты" / RECORDS_DIR / "Проверка печати.html"
    assert html.exists()
    assert str(html) in result.output


@pytest.mark.slow
def test_nbconvert_to_journal_pdf_portrait_splits_the_wide_table(tmp_path: Path) -> None:
    """The notebook asks for landscape; the exporter option overrides it; 60 dates do not
    fit a portrait page, so the table is split with the names repeated."""
    notebook = tmp_path / "отчёт.ipynb"
    shutil.copy(SMOKE, notebook)
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run(
        [
            str(jupyter), "nbconvert", "--to", "journal_pdf", "--no-input", "--execute",
            "--JournalPDFExporter.orientation=portrait", str(notebook),
        ],
        check=True, capture_output=True, cwd=tmp_path,
    )
    pdf = tmp_path / "отчёт.pdf"
    assert abs(page_size(pdf)[0] - 595) < 2
    text = pdf_text(pdf)
    assert "Стр. 1 из" in text
    assert "01.09" in text and "30.10" in text
    for student in STUDENTS:
        assert text.count(student) >= 2
