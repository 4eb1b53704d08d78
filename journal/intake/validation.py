"""Validation: from a raw workbook, the settings and the class list to findings and records.

Rules never raise on a teacher's mistake: each problem becomes a
:class:`journal.core.findings.Finding` naming the file, sheet, cell, student and date
and saying in Russian how to fix it. What passes becomes normalised records
(:class:`SubjectRecords`, :class:`ClassRecords`) that :mod:`journal.intake.merge`
writes into the dataset. A workbook with any error finding is rejected whole.

Finding codes:

* ``W…`` the workbook as a whole (unknown class or subject, another year, a copy);
* ``M…`` a mark cell (see :mod:`journal.school.marks`), ``D…`` dates, ``K…`` kinds of work,
  ``L…`` the lesson log, ``S…`` students, ``F…`` final marks;
* ``C…`` the class workbook (students, parents, absence reasons).

Every code, with its Russian title and advice, is in :mod:`journal.core.catalogue`.

The code lives in :mod:`journal.intake.validate_subject`, :mod:`journal.intake.validate_class`,
:mod:`journal.intake.validate_common` and :mod:`journal.intake.records`; this module re-exports
their public names.
"""

from __future__ import annotations

from journal.intake.records import (
    AttendanceRecord,
    ClassRecords,
    EventRow,
    FinalRecord,
    KnownStudent,
    LessonRecord,
    MarkRecord,
    MessageRow,
    ParentRow,
    ReasonRow,
    StudentRow,
    SubjectRecords,
    Validated,
)
from journal.intake.validate_class import (
    EMAIL,
    note_names_other_text,
    validate_class,
)
from journal.intake.validate_common import (
    CLASS_LIST_MISSING,
    DATE_AS_TEXT,
    EVENT_BAD_DATE,
    EVENT_EMPTY,
    EVENT_OUTSIDE_YEAR,
    FOREIGN_TEACHER,
    MESSAGE_NAMES_OTHER,
    MESSAGE_UNKNOWN_TO,
    MIN_SURNAME_STEM,
    MISSING_LESSONS,
    NOTE_NAMES_OTHER,
    ROWS_MOVED,
    TO_WHOLE_CLASS,
    message_names_other_text,
    students_named_in,
    validate_events,
    validate_messages,
)
from journal.intake.validate_subject import (
    FINAL_KIND_BY_COLUMN,
    ROWS_SHOWN,
    days_text,
    moved_names,
    moved_names_text,
    validate_subject,
)

__all__ = [
    "CLASS_LIST_MISSING",
    "DATE_AS_TEXT",
    "EMAIL",
    "EVENT_BAD_DATE",
    "EVENT_EMPTY",
    "EVENT_OUTSIDE_YEAR",
    "FINAL_KIND_BY_COLUMN",
    "FOREIGN_TEACHER",
    "MESSAGE_NAMES_OTHER",
    "MESSAGE_UNKNOWN_TO",
    "MIN_SURNAME_STEM",
    "MISSING_LESSONS",
    "NOTE_NAMES_OTHER",
    "ROWS_MOVED",
    "ROWS_SHOWN",
    "TO_WHOLE_CLASS",
    "AttendanceRecord",
    "ClassRecords",
    "EventRow",
    "FinalRecord",
    "KnownStudent",
    "LessonRecord",
    "MarkRecord",
    "MessageRow",
    "ParentRow",
    "ReasonRow",
    "StudentRow",
    "SubjectRecords",
    "Validated",
    "days_text",
    "message_names_other_text",
    "moved_names",
    "moved_names_text",
    "note_names_other_text",
    "students_named_in",
    "validate_class",
    "validate_events",
    "validate_messages",
    "validate_subject",
]
