"""Reference readers the merge is compared with, on the same files in the same run.

* :func:`calamine_alone` — python-calamine reading every sheet of every file into
  Python lists (``to_python``), in this one process: the floor a merge could reach
  with the fastest reader that keeps cell positions, before any checking or writing.
* :func:`pandas_openpyxl` — ``pandas.read_excel(engine="openpyxl")`` reading every
  sheet of each file, as a pandas-based merge would.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path


def calamine_alone(paths: Sequence[Path]) -> int:
    """Read every sheet of every file with python-calamine; returns the number of rows read."""
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in paths:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows += len(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return rows


def pandas_openpyxl(paths: Sequence[Path]) -> int:
    """Read every sheet of every file with ``pandas.read_excel(engine="openpyxl")``."""
    import pandas as pd

    rows = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in paths:
            frames = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
            rows += sum(len(frame) for frame in frames.values())
    return rows


def sample_of(paths: Sequence[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over ``paths`` (for the slow reference)."""
    if count >= len(paths):
        return list(paths)
    step = len(paths) / count
    return [paths[int(i * step)] for i in range(count)]
