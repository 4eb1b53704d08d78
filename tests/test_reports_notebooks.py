"""The report notebooks: committed without outputs, and they run on a school and an empty one."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest
from support.reports_fixtures import build_dataset, make_settings

from journal.workbooks.settings_writer import write_settings_workbook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
REPORTS = ["activity", "filling", "progress", "attendance", "curriculum", "preliminary", "audit"]
PARAMETERS = {"school", "settings_path", "class_name", "today"}

# Text each report must show for the fixture school (numbers computed by hand in the
# other test modules).
EXPECTED = {
    "activity": ["Петрова Анна Ивановна", "80,0"],
    "filling": ["Математика", "80,0", "Егоров Сергей"],
    "progress": ["60,0", "54,6", "Сводная ведомость", "4*"],
    "attendance": ["Васильев Пётр", "по болезни"],
    "curriculum": ["Математика", "Запланированные уроки без записанной темы"],
    "preliminary": ["Прогноз «2»", "Григорьев Олег", "Русский язык (1 из 3)"],
    "audit": ["исправление", "Контрольная работа"],
}


@pytest.mark.parametrize("name", REPORTS)
def test_notebook_is_clean_and_parameterised(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(f"{p} = " in tagged[0].source for p in PARAMETERS)
    assert 'school = "output/demo"' in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.metadata["kernelspec"]["name"] == "python3"


def _school(root: Path, with_data: bool) -> Path:
    root.mkdir(parents=True)
    write_settings_workbook(make_settings(), root / "Настройки.xlsx")
    if with_data:
        build_dataset(root / "journal.sqlite")
    return root


def _text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output
            data = output.get("data", {})
            parts.append("".join(data.get("text/html", "")) + "".join(data.get("text/markdown", ""))
                         + "".join(output.get("text", "")))
    return "\n".join(parts)


@pytest.mark.slow
def test_notebooks_run(tmp_path: Path) -> None:
    school = _school(tmp_path / "school", with_data=True)
    empty = _school(tmp_path / "empty", with_data=False)
    period_reports = {"filling", "progress", "attendance", "curriculum", "audit"}
    for name in REPORTS:
        parameters = {"school": str(school), "today": "2026-10-12" if name == "preliminary"
                      else "2026-09-17" if name == "activity" else "2026-10-30"}
        if name in period_reports:
            parameters["period"] = "1"
        out = tmp_path / f"{name}.ipynb"
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters=parameters,
                                   kernel_name="python3", progress_bar=False)
        text = _text(out)
        for expected in EXPECTED[name]:
            assert expected in text, (name, expected)
        assert "Нет данных" not in text
        assert "image/png" in out.read_text(encoding="utf-8") or name in ("activity", "preliminary", "audit")

        parameters["school"] = str(empty)
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters=parameters,
                                   kernel_name="python3", progress_bar=False)
        assert "Нет данных за выбранный период" in _text(out), name
