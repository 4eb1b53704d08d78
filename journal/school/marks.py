"""What a mark cell may hold, and how teachers' typing is normalised.

A cell of ``jr_marks`` holds an absence code (Н, Б, У, О) and/or up to two
marks 1–5: ``5``, ``5/4``, ``Н``, ``О/4``. Accepted and silently normalised:

* upper or lower case, spaces around or between parts, a leading apostrophe;
* Latin look-alikes: ``H``→Н, ``O``→О, ``B``→Б, ``Y``→У (and their lower case);
* separators ``/``, ``\\``, ``,``, ``;``, ``|`` or a space between two marks;
* numbers stored as numbers (``5`` or ``5.0``); ``4.5`` (a ``4,5`` that a
  Russian-locale spreadsheet turned into a number) is read as ``4/5``;
* a date that a spreadsheet made of ``4/5`` (2026-04-05: month and day both 1–5)
  is read as ``4/5``.

Everything else is a finding (see :mod:`journal.intake.validation`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ABSENCE_CODES = ("Н", "Б", "У", "О")
ABSENCE_RU = {"Н": "без уважительной причины", "Б": "по болезни",
              "У": "по уважительной причине", "О": "опоздание"}
LATE_CODE = "О"
MISSED_CODES = ("Н", "Б", "У")  # being late (О) is not missing a lesson
MARKS = (5, 4, 3, 2, 1)
FINAL_VALUES = ("5", "4", "3", "2", "1", "зч", "нз", "осв", "н/а")
MAX_MARKS_IN_CELL = 2

def absence_shown(code: str, reason: str | None) -> str:
    """The one code an absence shows in every document (grids and totals alike).

    The subject teacher marks that a student was not at the lesson (usually «Н»); the
    class teacher gives the reason for the days (Б — ill, У — excused, Н — without a good
    reason), and that reason wins. A lateness (О) stays О whatever the reason. Without a
    reason the subject teacher's code stands. The merge stores this as
    ``attendance.reason`` (:func:`journal.dataset.store.apply_absence_reasons`).
    """
    if code == LATE_CODE:
        return LATE_CODE
    text = str(reason or "").strip()
    return text if text in ABSENCE_CODES else code


_LOOKALIKE = str.maketrans({"H": "Н", "O": "О", "B": "Б", "Y": "У", "h": "Н", "o": "О",
                            "b": "Б", "y": "У", "н": "Н", "о": "О", "б": "Б", "у": "У"})
_SEPARATORS = re.compile(r"[/\\,;|\s]+")


@dataclass(frozen=True)
class CellEntry:
    """What one mark cell says: an absence code and/or marks."""

    absence: str | None = None
    marks: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True for a blank cell."""
        return self.absence is None and not self.marks

    def text(self) -> str:
        """The normalised cell text: «О/4», «5/4», «Н»."""
        parts = ([self.absence] if self.absence else []) + [str(m) for m in self.marks]
        return "/".join(parts)


@dataclass(frozen=True)
class CellProblem:
    """Why a cell value is not a valid entry: a finding code and a Russian message."""

    code: str
    message: str


EMPTY = CellEntry()


def parse_mark_cell(value: object, allow_marks: bool = True) -> CellEntry | CellProblem:
    """Parse a raw cell value of ``jr_marks`` into a :class:`CellEntry` or a :class:`CellProblem`.

    ``allow_marks`` is False for grade 1, where only absence codes are kept.
    """
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return _unknown(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if 1 <= value.month <= 5 and 1 <= value.day <= 5:
            return _check_marks_allowed(CellEntry(marks=(value.month, value.day)), allow_marks)
        return CellProblem(
            "M03",
            f"в ячейке дата {value:%d.%m.%Y} вместо отметки. Сделайте формат ячейки «Текстовый» "
            "и введите отметку заново",
        )
    if isinstance(value, int | float):
        return _parse_number(float(value), allow_marks)
    text = str(value).strip().lstrip("'").strip()
    if not text:
        return EMPTY
    parts = [p for p in _SEPARATORS.split(text.translate(_LOOKALIKE)) if p]
    absence: str | None = None
    marks: list[int] = []
    for part in parts:
        upper = part.upper()
        if upper in ABSENCE_CODES:
            if absence is not None:
                return CellProblem("M04", f"в ячейке «{text}» два кода отсутствия; оставьте один")
            absence = upper
        elif re.fullmatch(r"[1-5](\.0+)?", part):
            marks.append(int(float(part)))
        elif re.fullmatch(r"[1-5][+-]", part):
            return CellProblem(
                "M05",
                f"отметка «{part}» с плюсом или минусом не допускается; поставьте целую отметку 1–5",
            )
        else:
            return _unknown(text)
    if len(marks) > MAX_MARKS_IN_CELL:
        return CellProblem(
            "M02",
            f"в ячейке «{text}» больше двух отметок; в одну клетку ставится не более двух "
            "отметок (например, 5/4)",
        )
    return _check_marks_allowed(CellEntry(absence=absence, marks=tuple(marks)), allow_marks)


def _parse_number(number: float, allow_marks: bool) -> CellEntry | CellProblem:
    if number.is_integer() and 1 <= number <= 5:
        return _check_marks_allowed(CellEntry(marks=(int(number),)), allow_marks)
    tenths = round(number * 10)
    if abs(number * 10 - tenths) < 1e-9 and 10 <= tenths <= 55:
        first, second = divmod(tenths, 10)
        if 1 <= first <= 5 and 1 <= second <= 5:
            return _check_marks_allowed(CellEntry(marks=(first, second)), allow_marks)
    return _unknown(number if not number.is_integer() else int(number))


def _check_marks_allowed(entry: CellEntry, allow_marks: bool) -> CellEntry | CellProblem:
    if entry.marks and not allow_marks:
        return CellProblem(
            "M06",
            "в этот день отметки не ставятся (1 класс или период без отметок); оставьте в ячейке "
            "только код отсутствия (Н, Б, У, О)",
        )
    return entry


def _unknown(value: object) -> CellProblem:
    return CellProblem(
        "M01",
        f"непонятное значение «{value}». Допустимо: отметка 1–5, до двух отметок через «/» "
        "(5/4), код отсутствия Н, Б, У, О или код с отметкой (О/4)",
    )


_FINAL_LOOKALIKE = str.maketrans("haocb", "наосв")
_FINAL_ALIASES = {
    "зч": "зч", "зачет": "зч", "зачёт": "зч", "зач": "зч",
    "нз": "нз", "незачет": "нз", "незачёт": "нз", "не зачтено": "нз",
    "осв": "осв", "освобожден": "осв", "освобождён": "осв", "освобождена": "осв",
    "н/а": "н/а", "на": "н/а", "н\\а": "н/а", "н.а": "н/а", "не аттестован": "н/а",
    "не аттестована": "н/а",
}


def parse_final_mark(value: object) -> str | CellProblem | None:
    """Parse a period, year, exam or final mark; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return str(int(value))
        return _unknown_final(value)
    text = str(value).strip().lstrip("'").strip()
    if not text:
        return None
    if re.fullmatch(r"[1-5](\.0+)?", text):
        return str(int(float(text)))
    key = " ".join(text.lower().rstrip(".").split()).translate(_FINAL_LOOKALIKE)
    if key in _FINAL_ALIASES:
        return _FINAL_ALIASES[key]
    return _unknown_final(text)


def _unknown_final(value: object) -> CellProblem:
    return CellProblem(
        "F01",
        f"итоговая отметка «{value}» недопустима. Допустимо: 5, 4, 3, 2, 1, зч (зачёт), "
        "нз (незачёт), осв (освобождён), н/а (не аттестован)",
    )
