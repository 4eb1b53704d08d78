"""Column letters and numbers of cell references (A = 1 … ZZZ = 18278; Excel stops at XFD).

Our own few lines rather than ``openpyxl.utils``: reading a workbook is done with calamine,
and importing openpyxl only for these would cost every merge a fifth of a second.
"""

from __future__ import annotations

from functools import lru_cache

MAX_COLUMN = 18_278  # ZZZ: every three-letter column, as openpyxl.utils accepts them


@lru_cache(maxsize=4096)
def get_column_letter(number: int) -> str:
    """1 → «A», 28 → «AB»; ValueError outside 1…18278."""
    if not 1 <= number <= MAX_COLUMN:
        raise ValueError(f"column number {number} is outside A…ZZZ")
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index_from_string(letters: str) -> int:
    """«A» → 1, «ab» → 28; ValueError for anything but one to three Latin letters."""
    text = letters.upper()
    if not 1 <= len(text) <= 3 or not all("A" <= ch <= "Z" for ch in text):
        raise ValueError(f"«{letters}» is not a column")
    number = 0
    for ch in text:
        number = number * 26 + ord(ch) - 64
    return number
