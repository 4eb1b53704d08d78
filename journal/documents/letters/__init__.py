"""Letters to parents: each student's own diary for the last two weeks.

Split by layer: :mod:`.data` says what goes in a letter (computed from the dataset),
:mod:`.layout` how it looks (Jinja2 templates and CSS in ``templates/``), :mod:`.files`
the PDFs it becomes. Sending is in :mod:`journal.documents.mailing`. The names below
are the package's public ones.
"""

from journal.documents.letters.data import (
    LETTER_DAYS,
    Absence,
    Attendance,
    DateRange,
    HomeworkEntry,
    Letter,
    LetterBatch,
    MarkEntry,
    Parent,
    Rating,
    SubjectDiary,
    build_letters,
    current_period,
    default_range,
    gather_letters,
    letters_today,
    split_emails,
    subject_averages,
)
from journal.documents.letters.files import (
    LetterFile,
    LettersOutput,
    class_file_name,
    letter_file_name,
    letters_folder,
    letters_range,
    render_letters,
    split_pdf,
)
from journal.documents.letters.layout import (
    date_range_long,
    greeting_ru,
    letter_body,
    letter_html,
    letters_html,
)

__all__ = [
    "LETTER_DAYS",
    "Absence",
    "Attendance",
    "DateRange",
    "HomeworkEntry",
    "Letter",
    "LetterBatch",
    "LetterFile",
    "LettersOutput",
    "MarkEntry",
    "Parent",
    "Rating",
    "SubjectDiary",
    "build_letters",
    "class_file_name",
    "current_period",
    "date_range_long",
    "default_range",
    "gather_letters",
    "greeting_ru",
    "letter_body",
    "letter_file_name",
    "letter_html",
    "letters_folder",
    "letters_html",
    "letters_range",
    "letters_today",
    "render_letters",
    "split_emails",
    "split_pdf",
    "subject_averages",
]
