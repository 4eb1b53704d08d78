"""Subject and class workbooks, built by code from the settings.

A subject workbook is what a subject teacher fills for one class × subject
(× group): the grid of marks and absences («Журнал»), the lesson log («Уроки»),
period and year marks («Итоговые»), an instruction sheet, and two hidden sheets
(``_lists`` behind the drop-downs, ``_meta`` saying what the workbook is).
A class workbook is what a class teacher fills: the class list, parents,
reasons for absences and notes to parents.

Every input area carries a workbook-level defined name from
:mod:`journal.workbooks.format`; readers rely on those names only. Content
(:class:`SubjectContent`, :class:`ClassContent`) is written by meaning, so the
same builder makes blank templates, the demo school and updated workbooks.

The code lives in :mod:`journal.workbooks.build_subject`, :mod:`journal.workbooks.build_class`
and :mod:`journal.workbooks.build_common`; this module re-exports their public names.
"""

from __future__ import annotations

from journal.workbooks.build_class import (
    build_class_workbook,
    class_group_subjects,
    class_layout,
)
from journal.workbooks.build_common import (
    CLASS_MIN_ROWS,
    CLASS_PRINTED_MIN_ROWS,
    CLASS_PRINTED_SPARE_ROWS,
    CLASS_SPARE_ROWS,
    GRID_DATE_ROW,
    GRID_FIRST_DATE_COL,
    GRID_FIRST_STUDENT_ROW,
    GRID_KIND_ROW,
    GRID_NAME_COL,
    GRID_NUMBER_COL,
    GRID_PERIOD_ROW,
    GRID_TITLE_ROW,
    GRID_WEEKDAY_ROW,
    GROUP_LISTS_FIRST_COL,
    LIST_UNDERSTOOD,
    MARK_LIST_VALUES,
    MESSAGE_ROWS,
    META_LAYOUT,
    RECIPIENTS_COL,
    TABLE_HEADER_ROW,
    save_workbook,
    understood_mark_values,
)
from journal.workbooks.build_subject import (
    build_subject_workbook,
    subject_dates,
    subject_layout,
    subject_students,
    unplaced_subject_content,
)

__all__ = [
    "CLASS_MIN_ROWS",
    "CLASS_PRINTED_MIN_ROWS",
    "CLASS_PRINTED_SPARE_ROWS",
    "CLASS_SPARE_ROWS",
    "GRID_DATE_ROW",
    "GRID_FIRST_DATE_COL",
    "GRID_FIRST_STUDENT_ROW",
    "GRID_KIND_ROW",
    "GRID_NAME_COL",
    "GRID_NUMBER_COL",
    "GRID_PERIOD_ROW",
    "GRID_TITLE_ROW",
    "GRID_WEEKDAY_ROW",
    "GROUP_LISTS_FIRST_COL",
    "LIST_UNDERSTOOD",
    "MARK_LIST_VALUES",
    "MESSAGE_ROWS",
    "META_LAYOUT",
    "RECIPIENTS_COL",
    "TABLE_HEADER_ROW",
    "build_class_workbook",
    "build_subject_workbook",
    "class_group_subjects",
    "class_layout",
    "save_workbook",
    "subject_dates",
    "subject_layout",
    "subject_students",
    "understood_mark_values",
    "unplaced_subject_content",
]
