"""Column letters and numbers: the same answers as openpyxl.utils, without importing openpyxl."""

from __future__ import annotations

import pytest
from openpyxl.utils import column_index_from_string as openpyxl_index
from openpyxl.utils import get_column_letter as openpyxl_letter

from journal.workbooks.cell_refs import column_index_from_string, get_column_letter


def test_every_column_as_openpyxl_counts_it():
    for number in range(1, 18_279):
        letters = openpyxl_letter(number)
        assert get_column_letter(number) == letters
        assert column_index_from_string(letters) == openpyxl_index(letters) == number
    assert column_index_from_string("ab") == 28


@pytest.mark.parametrize("bad", ["", "A1", "ABCD", "Ж", "1"])
def test_what_is_not_a_column_is_a_value_error(bad):
    with pytest.raises(ValueError):
        column_index_from_string(bad)
    with pytest.raises(ValueError):
        openpyxl_index(bad)


@pytest.mark.parametrize("number", [0, -1, 18_279])
def test_numbers_outside_the_columns_are_a_value_error(number):
    with pytest.raises(ValueError):
        get_column_letter(number)
