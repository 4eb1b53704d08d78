"""The year's end and readiness notebooks run on the year-end fixture school and show its numbers."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest
from support.year_fixtures import build_dataset, make_settings
from test_reports_notebooks import NOTEBOOKS, PARAMETERS, _text

from journal.workbooks.settings_writer import write_settings_workbook

YEAR_REPORTS = ["year_end", "readiness"]


@pytest.mark.parametrize("name", YEAR_REPORTS)
def test_notebook_is_clean_and_parameterised(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and all(f"{p} = " in tagged[0].source for p in PARAMETERS)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")


@pytest.mark.slow
def test_year_notebooks_run(tmp_path: Path) -> None:
    school = tmp_path / "school"
    school.mkdir()
    write_settings_workbook(make_settings(), school / "Настройки.xlsx")
    build_dataset(school / "journal.sqlite")
    expected = {
        "year_end": ["Итоги года по классам", "оставлен на повторное обучение", "4 / 5 / 5",
                     "академическая задолженность: Математика", "Переведены условно", "Дмитриева Ольга"],
        "readiness": ["Иванов Илья", "экзаменационная отметка", "отклонён при последнем сборе",
                      "версия 1 от 29.05.2027"],
    }
    for name in YEAR_REPORTS:
        out = tmp_path / f"{name}.ipynb"
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out),
                                   parameters={"school": str(school), "today": "2027-05-27"},
                                   kernel_name="python3", progress_bar=False)
        text = _text(out)
        for piece in expected[name]:
            assert piece in text, (name, piece)
