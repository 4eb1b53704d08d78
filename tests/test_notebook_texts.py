"""What a report says to its reader is Russian: no parameter names in the explanations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
COMMAND_WORDS = {"journal", "merge", "report", "class", *(p.stem for p in NOTEBOOKS)}  # quoted commands


def _reader_texts(notebook: Path) -> list[str]:
    """Markdown cells and the string literals the code cells show as Markdown."""
    texts = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            texts.append(source)
        elif "Markdown(" in source:
            texts += re.findall(r'(?<![\w])f?"((?:[^"\\]|\\.)*[а-яё](?:[^"\\]|\\.)*)"', source)
    return [re.sub(r"\{[^}]*\}", "", text) for text in texts]  # f-string fields are computed


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_explanations_name_no_parameters(notebook: Path) -> None:
    for text in _reader_texts(notebook):
        latin = set(re.findall(r"\b[A-Za-z_]{3,}\b", text)) - COMMAND_WORDS
        assert not latin, (sorted(latin), text[:120])
