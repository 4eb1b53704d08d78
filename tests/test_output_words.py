"""The scanner of documents for program words catches what it should and lets Russian text be."""

from __future__ import annotations

import pytest
from support.output_words import scan_text


@pytest.mark.parametrize(("text", "kind"), [
    ("файл workbooks/5А — Математика.xlsx", "путь"),
    ("средний балл 3.49", "точка в числе"),
    ("письмо за 2026-11-27", "дата ISO"),
    ("выполните journal merge --school", "команда"),
    ("столбец weighted_average", "код"),
    ("вид работы period", "латиница"),
    ("адрес school.example.ru/dnevnik без https", "латиница"),
])
def test_program_words_are_found(text: str, kind: str) -> None:
    assert any(hit.startswith(kind) for hit in scan_text("лист", text))


@pytest.mark.parametrize("text", [
    "Средний балл 3,49 на 01.12.2026, урок 25.10",
    "Родитель: ivanova@mail.ru; ошибка в адресе petrov@@mail.ru",
    "Файл PDF и SHA-256 файла, книга Excel",
    "Код доступа: W8M5-2U7C-VTP2. Адрес: https://school.example.ru/dnevnik/ или QR-код",
])
def test_russian_text_passes(text: str) -> None:
    assert scan_text("лист", text) == []
