"""How a letter to parents looks: HTML from Jinja2 templates, CSS from a file.

The markup is in ``templates/`` beside this module (``letter.html.j2`` one letter,
``letters.html.j2`` a class's print run, ``letter.css`` the look, ``letters.css.j2``
the page breaks and each letter's footer). This module holds the wording that is
computed (the greeting, the date range, the summary boxes, the attendance sentence)
and hands it to the templates. Values are escaped by :func:`journal.documents.html.esc`,
as in every other document, so a letter's HTML (whose checksum the sent-log keeps to
know a letter already sent) does not depend on the template engine's own escaping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from markupsafe import Markup

from journal.core.formatting import (
    FEMALE,
    MISSING,
    count_ru,
    date_long_ru,
    date_short_ru,
    initials_ru,
    month_ru,
    number_ru,
    ordinal_place_ru,
    sex_ru,
)
from journal.documents.html import FONT_FAMILY, css_string, document, esc, signature_block
from journal.documents.letters.data import LATE, REASONS, DateRange, Letter, MarkEntry, Parent

REASON_RU = {"Б": "по болезни", "У": "по уважительной причине", "Н": "без уважительной причины"}

KIND_SHORT_RU = {
    "ответ на уроке": "ответ",
    "домашняя работа": "дом. работа",
    "практическая работа": "практич.",
    "самостоятельная работа": "самост.",
    "диктант": "диктант",
    "сочинение / изложение": "сочинение",
    "лабораторная работа": "лаборат.",
    "проверочная работа": "провероч.",
    "контрольная работа": "контр.",
}

LETTER_MARGINS_MM = (9.0, 11.0, 12.0, 13.0)


def _first_name_patronymic(full_name: str) -> tuple[str, bool | None]:
    """«Белова Наталья Юрьевна» → («Наталья Юрьевна», female); gender None when unclear."""
    sex = sex_ru(full_name)
    if sex is None:
        return "", None
    return " ".join(full_name.split()[1:]), sex == FEMALE


def greeting_ru(parents: Iterable[Parent]) -> str:
    """«Уважаемая Наталья Юрьевна!», «Уважаемые Ирина Петровна и Сергей Николаевич!» or
    «Уважаемые родители!» when the names do not allow more."""
    names: list[tuple[str, bool]] = []
    for p in parents:
        name, female = _first_name_patronymic(p.full_name)
        if not name or female is None:
            return "Уважаемые родители!"
        names.append((name, female))
    if len(names) == 1:
        name, female = names[0]
        return f"{'Уважаемая' if female else 'Уважаемый'} {name}!"
    if len(names) == 2:
        return f"Уважаемые {names[0][0]} и {names[1][0]}!"
    return "Уважаемые родители!"


def date_range_long(date_range: DateRange) -> str:
    """«с 14 по 27 ноября 2026 г.», «с 28 октября по 10 ноября 2026 г.»."""
    s, e = date_range.start, date_range.end
    if s.year != e.year:
        return f"с {date_long_ru(s)} по {date_long_ru(e)}"
    if s.month != e.month:
        return f"с {s.day} {month_ru(s, genitive=True)} по {date_long_ru(e)}"
    return f"с {s.day} по {date_long_ru(e)}"


def kind_short(mark: MarkEntry) -> str:
    """The kind of work of a mark as the diary table shows it: «контр.», «дом. работа»."""
    return KIND_SHORT_RU.get(" ".join(mark.kind.split()).lower(), mark.kind.lower())


def period_word(letter: Letter) -> str:
    """The period the averages are of: «2 четверть», or «учебный период» in none."""
    if letter.period is None:
        return "учебный период"
    return letter.period.name


def short_period(name: str) -> str:
    """«1 четверть» → «1 четв.», «2 полугодие» → «2 полуг.»."""
    return name.replace("четверть", "четв.").replace("полугодие", "полуг.")


def summary_boxes(letter: Letter) -> list[tuple[str, str, str]]:
    """(label, value, hint) of the boxes at the top of a letter."""
    boxes = []
    if letter.has_marks:
        boxes.append(("Средний балл", number_ru(letter.average),
                      f"{period_word(letter)}, все предметы"))
        if letter.rating_shown and letter.rating.place is not None:
            place = ordinal_place_ru(letter.rating.place, letter.rating.of)
            boxes.append(("Место в классе", place.replace(" из ", "\u00a0из\u00a0"),
                          "по среднему баллу"))
        elif letter.rating_shown:
            boxes.append(("Место в классе", MISSING, "отметок пока нет"))
    missed = letter.attendance.missed()
    boxes.append(("Пропущено уроков", str(missed),
                  "за эти две недели" if missed else "пропусков нет"))
    boxes.append(("Опозданий", str(letter.attendance.late), "за эти две недели"))
    return boxes


def _days_text(days: list[tuple[dt.date, int]]) -> str:
    return ", ".join(
        date_short_ru(day) + (f" ({count_ru(n, ('урок', 'урока', 'уроков'))})" if n > 1 else "")
        for day, n in days
    )


def attendance_text(letter: Letter) -> str:
    """The range's absences and late arrivals in one paragraph, by reason with the days."""
    a = letter.attendance
    parts = []
    missed = a.missed()
    if missed:
        reasons = "; ".join(
            f"{REASON_RU[code]} ({code}) — {count_ru(a.missed(code), ('урок', 'урока', 'уроков'))}: "
            f"{_days_text(a.days(code))}"
            for code in REASONS if a.missed(code)
        )
        parts.append(f"Пропущено {count_ru(missed, ('урок', 'урока', 'уроков'))}: {reasons}.")
    else:
        parts.append("Пропусков нет.")
    if a.late:
        parts.append(f"Опозданий (О): {a.late} — {_days_text(a.days(LATE))}.")
    return " ".join(parts)


def footer_text(letter: Letter) -> str:
    """«5А · Белов А. И. · письмо с 14.11.2026 по 27.11.2026»: the footer of each page."""
    return f"{letter.class_name} · {initials_ru(letter.student)} · письмо {letter.date_range.text_ru}"


def _signatures(letter: Letter) -> Markup:
    return Markup(signature_block([("Классный руководитель", initials_ru(letter.class_teacher)),
                                   ("Родитель", "")]))


@pass_eval_context
def _finalize(context: EvalContext, value: Any) -> Any:
    """In HTML templates every value is escaped by the project's own :func:`esc` (None and
    NaN print as a dash); CSS templates get values as they are."""
    if not context.autoescape or hasattr(value, "__html__"):
        return value
    return Markup(esc(value))


@cache
def environment() -> Environment:
    """The Jinja2 environment of the letters' templates: autoescape on, but for ``*.css.j2``."""
    env = Environment(
        loader=PackageLoader("journal.documents.letters", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), disabled_extensions=("css.j2",),
                                      default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update({
        "css_string": css_string,
        "date_range_long": date_range_long,
        "date_short_ru": date_short_ru,
        "footer_text": footer_text,
        "greeting_ru": greeting_ru,
        "kind_short": kind_short,
        "number_ru": number_ru,
        "period_word": period_word,
        "short_period": short_period,
        "summary_boxes": summary_boxes,
        "attendance_text": attendance_text,
    })
    env.globals.update({"MISSING": MISSING, "font_family": FONT_FAMILY, "signatures": _signatures})
    return env


def letter_body(letter: Letter) -> str:
    """The HTML of one letter (without the page around it)."""
    return environment().get_template("letter.html.j2").render(letter=letter)


def letter_css() -> str:
    """The look of a letter (``templates/letter.css``)."""
    loader = environment().loader
    assert loader is not None
    source, _name, _uptodate = loader.get_source(environment(), "letter.css")
    return source


def letters_html(letters: Sequence[Letter], title: str = "Письма родителям") -> str:
    """Letters as one printable HTML document (A4 portrait), each from a new page.

    Each letter is a named page with its own footer (class, student, range), so a
    letter never carries another's name, and an anchor ``#letter-N`` whose page the
    PDF records: :func:`journal.documents.letters.files.render_letters` cuts the
    class's PDF into letters by it.
    """
    env = environment()
    css = "\n" + letter_css() + env.get_template("letters.css.j2").render(letters=letters)
    body = env.get_template("letters.html.j2").render(letters=letters)
    return document(title, body, "portrait", margins_mm=LETTER_MARGINS_MM,
                    extra_css=css, page_numbers=False)


def letter_html(letter: Letter) -> str:
    """One letter as a whole printable HTML page (A4 portrait)."""
    return letters_html([letter], f"Письмо родителям — {letter.student}")
