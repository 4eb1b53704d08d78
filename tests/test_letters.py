"""Letters to parents: a filled dataset in, one PDF per student out, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support.letters_fixtures import LEFT, NOTES, TODAY, School, build_school
from support.pdf_tools import pdf_text, pdf_words

from journal.core.errors import UsageError
from journal.core.formatting import number_ru
from journal.dataset import store
from journal.documents.letters import (
    DateRange,
    HomeworkEntry,
    Letter,
    LettersOutput,
    build_letters,
    default_range,
    greeting_ru,
    letter_html,
    letters_range,
    render_letters,
    split_emails,
)
from journal.documents.letters import (
    Parent as LetterParent,
)
from journal.documents.pdf import PdfRenderer
from journal.reports.data import load
from journal.reports.progress import period_results

RANGE = default_range(TODAY)




@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> School:
    return build_school(tmp_path_factory.mktemp("letters"))


@pytest.fixture(scope="module")
def letters(school: School) -> list[Letter]:
    with store.opened(school.store_path) as conn:
        return build_letters(conn, school.settings, RANGE)


@pytest.fixture(scope="module")
def renderer():
    with PdfRenderer() as r:
        yield r


@pytest.fixture(scope="module")
def rendered(school: School, letters: list[Letter], renderer: PdfRenderer) -> LettersOutput:
    return render_letters(letters, school.store_path.parent / "out", renderer, RANGE)


def test_every_student_on_the_list_gets_one_letter(school: School, letters: list[Letter]) -> None:
    expected = sorted((c, n) for c, names in school.students.items() for n in names)
    assert sorted((x.class_name, x.student) for x in letters) == expected
    assert not {n for n in LEFT} & {x.student for x in letters}


def test_one_class_only(school: School) -> None:
    with store.opened(school.store_path) as conn:
        found = build_letters(conn, school.settings, RANGE, "10 б")
    assert sorted(x.student for x in found) == sorted(school.students["10Б"])


@pytest.mark.slow
def test_each_pdf_names_its_own_student_and_nobody_else(school: School, rendered: LettersOutput) -> None:
    assert len(rendered.files) == sum(len(v) for v in school.students.values())
    for f in rendered.files:
        text = pdf_words(f.path)
        assert f.letter.student in text, f.path
        assert f.letter.class_name in f.path.name and f.letter.student in f.path.name
        others = [n for n in school.all_names if n != f.letter.student]
        leaked = [n for n in others if n in text]
        assert not leaked, (f.path.name, leaked)


@pytest.mark.slow
def test_a_letter_fits_one_page_and_shows_range_teacher_and_note(rendered: LettersOutput) -> None:
    by_name = {f.letter.student: f for f in rendered.files}
    f = by_name["Белов Артём Игоревич"]
    assert f.pages == 1
    text = pdf_words(f.path)
    assert "с 14 по 27 ноября 2026" in text
    assert "Никитина Светлана Юрьевна" in text
    assert "часто забывает дневник" in text
    assert "Уважаемая Наталья Юрьевна!" in text
    assert "подпись" in text


def _ink(pdf: Path, dpi: int = 150) -> Any:
    import subprocess

    import numpy as np

    pgm = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, check=True).stdout
    _magic, size, _depth, pixels = pgm.split(b"\n", 3)  # binary PGM: P5, «w h», 255, bytes
    width, height = (int(v) for v in size.split())
    return np.frombuffer(pixels, dtype=np.uint8).reshape(height, width) < 215  # inked pixels


def test_the_right_edges_of_the_boxes_and_the_table_are_printed(rendered: LettersOutput) -> None:
    letter = next(f for f in rendered.files if f.letter.student == "Белов Артём Игоревич")
    ink = _ink(letter.path)
    inked_rows = ink.any(axis=1)
    right = int(max(ink.shape[1] - 1 - ink[inked_rows, ::-1].argmax(axis=1)))  # farthest ink
    run = longest = ink[0].astype(int) * 0
    for row in ink:  # the longest vertical line in each column: borders, not letters
        run = (run + 1) * row
        longest = longest.clip(min=run)
    lines = [x for x in range(ink.shape[1]) if longest[x] >= 35]
    assert lines and right - max(lines) <= 3, (right, lines[-5:])


def _weighted_by_hand(conn, student_id: int, subject: str, start: dt.date, end: dt.date) -> float | None:
    rows = conn.execute(
        "SELECT m.value, m.weight FROM marks m JOIN lessons l ON l.id = m.lesson_id "
        "WHERE m.student_id = ? AND l.subject = ? AND l.date BETWEEN ? AND ?",
        (student_id, subject, start.isoformat(), end.isoformat())).fetchall()
    if not rows:
        return None
    return sum(v * w for v, w in rows) / sum(w for _, w in rows)


def test_averages_equal_the_progress_report_and_a_hand_count(school: School, letters: list[Letter]) -> None:
    dataset = load(school.store_path)
    checked = 0
    with store.opened(school.store_path) as conn:
        for class_name in ("5А", "10Б"):
            mine = [x for x in letters if x.class_name == class_name]
            period = mine[0].period
            assert period is not None and period.contains(TODAY)
            results = period_results(dataset, school.settings, period.name, class_name, today=RANGE.end)
            report = {(int(r.student_id), r.subject): float(r.weighted_average)
                      for r in results.itertuples() if r.weighted_average == r.weighted_average}
            for letter in mine:
                for d in letter.subjects:
                    by_hand = _weighted_by_hand(conn, letter.student_id, d.subject, period.start, RANGE.end)
                    if by_hand is None:
                        assert d.average is None
                        continue
                    assert d.average == pytest.approx(report[(letter.student_id, d.subject)], abs=1e-12)
                    assert d.average == pytest.approx(by_hand, abs=1e-12)
                    checked += 1
    assert checked > 40


@pytest.mark.slow
def test_the_printed_averages_are_the_report_numbers(school: School, rendered: LettersOutput) -> None:
    for f in rendered.files:
        if not f.letter.has_marks:
            continue
        text = pdf_words(f.path)
        table = text[text.index("Отметки с"):text.index("В рамке — отметки")]
        printed = sorted(re.findall(r"\b\d,\d\d\b", table))
        expected = sorted(number_ru(d.average) for d in f.letter.subjects if d.average is not None)
        assert printed == expected, f.path.name
        assert number_ru(f.letter.average) in text[:text.index("Отметки с")]


def test_rating_is_the_place_by_mean_of_subject_averages(letters: list[Letter]) -> None:
    mine = [x for x in letters if x.class_name == "5А"]
    means = {}
    for x in mine:
        values = [d.average for d in x.subjects if d.average is not None]
        means[x.student] = round(sum(values) / len(values), 2)
    for x in mine:
        better = sum(1 for v in means.values() if v > means[x.student])
        assert x.rating.place == better + 1
        assert x.rating.of == len(mine)


@pytest.mark.slow
def test_the_rating_line_is_in_the_letter(rendered: LettersOutput) -> None:
    f = next(f for f in rendered.files if f.letter.class_name == "5А")
    assert f"{f.letter.rating.place}-е место из {f.letter.rating.of}" in pdf_words(f.path)


def test_attendance_counts_by_reason(school: School, letters: list[Letter]) -> None:
    with store.opened(school.store_path) as conn:
        rows = conn.execute(
            "SELECT a.student_id, a.reason, COUNT(*) FROM attendance a JOIN lessons l ON l.id = a.lesson_id "
            "WHERE l.date BETWEEN ? AND ? GROUP BY a.student_id, a.reason",
            (RANGE.start.isoformat(), RANGE.end.isoformat())).fetchall()
    counts = {(sid, reason): n for sid, reason, n in rows}
    assert counts, "the fixture has absences in the range"
    for x in letters:
        for reason in "БУН":
            assert x.attendance.missed(reason) == counts.get((x.student_id, reason), 0)
        assert x.attendance.late == counts.get((x.student_id, "О"), 0)


@pytest.mark.slow
def test_attendance_and_homework_are_printed(school: School, rendered: LettersOutput) -> None:
    with store.opened(school.store_path) as conn:
        homework = conn.execute(
            "SELECT homework FROM lessons WHERE class = '10Б' AND subject = 'Физика' AND homework != '' "
            "AND date BETWEEN ? AND ? ORDER BY date DESC LIMIT 1",
            (RANGE.start.isoformat(), RANGE.end.isoformat())).fetchone()[0]
    for f in rendered.files:
        text = pdf_words(f.path)
        missed = f.letter.attendance.missed()
        if missed:
            assert f"Пропущено {missed} урок" in text, f.path.name
        else:
            assert "Пропусков" in text
        if f.letter.class_name == "10Б":
            assert " ".join(homework.split()) in text


def test_split_subject_shows_only_the_students_group(letters: list[Letter], school: School) -> None:
    first, second = school.students["5А"][0], school.students["5А"][1]
    teachers = {x.student: {d.subject: d.teacher for d in x.subjects} for x in letters}
    assert teachers[first]["Английский язык"] == "Петрова Анна Игоревна"
    assert teachers[second]["Английский язык"] == "Носова Ирина Олеговна"


def test_period_marks_already_set_are_listed(letters: list[Letter]) -> None:
    five = [x for x in letters if x.class_name == "5А"]
    assert all(d.period_marks and d.period_marks[0][0] == "1 четверть" for x in five for d in x.subjects)
    ten = [x for x in letters if x.class_name == "10Б"]
    assert all(not d.period_marks for x in ten for d in x.subjects)


def test_first_grade_letters_have_no_marks(letters: list[Letter]) -> None:
    first = [x for x in letters if x.class_name == "1А"]
    assert first and all(not x.has_marks and x.average is None for x in first)
    assert all(d.homework for x in first for d in x.subjects)


@pytest.mark.slow
def test_class_file_holds_every_letter_of_the_class(rendered: LettersOutput, school: School) -> None:
    from pypdf import PdfReader

    for class_name, path in rendered.class_files.items():
        files = [f for f in rendered.files if f.letter.class_name == class_name]
        text = pdf_words(path)
        assert all(n in text for n in school.students[class_name])
        # Printed double-sided, each letter begins on a sheet of its own: on an odd page.
        pages = len(PdfReader(str(path)).pages)
        first = 1
        for f in files:
            assert first % 2 == 1
            assert f.letter.student in " ".join(pdf_text(path, first).split())
            first += f.pages + f.pages % 2
        assert pages == first - 1 - files[-1].pages % 2


@pytest.mark.slow
def test_unchanged_letters_are_not_printed_again(
    school: School, letters: list[Letter], rendered: LettersOutput, renderer: PdfRenderer
) -> None:
    again = render_letters(letters, rendered.folder, renderer, RANGE)
    assert again.printed == 0
    assert [f.sha256 for f in again.files] == [f.sha256 for f in rendered.files]


@pytest.mark.parametrize(("names", "expected"), [
    (["Белова Наталья Юрьевна"], "Уважаемая Наталья Юрьевна!"),
    (["Ильин Денис Аркадьевич"], "Уважаемый Денис Аркадьевич!"),
    (["Алексеева Ирина Петровна", "Алексеев Сергей Николаевич"],
     "Уважаемые Ирина Петровна и Сергей Николаевич!"),
    (["Смит Джон"], "Уважаемые родители!"),
    ([], "Уважаемые родители!"),
])
def test_greeting(names: list[str], expected: str) -> None:
    assert greeting_ru([LetterParent(n) for n in names]) == expected


@pytest.mark.parametrize(("typed", "good", "bad"), [
    ("mama@example.ru", ("mama@example.ru",), ""),
    ("a@b.ru; c@d.ru", ("a@b.ru", "c@d.ru"), ""),
    ("a@b.ru, <c@d.ru>", ("a@b.ru", "c@d.ru"), ""),
    ("почта не указана", (), "почта не указана"),
    ("", (), ""),
    ("mama@mail", (), "mama@mail"),
])
def test_split_emails(typed: str, good: tuple[str, ...], bad: str) -> None:
    assert split_emails(typed) == (good, bad)


@pytest.mark.parametrize(("date_from", "date_to", "today", "expected"), [
    (None, None, None, DateRange(dt.date(2026, 11, 14), TODAY)),  # the demo school's own today
    (None, None, dt.date(2026, 12, 4), DateRange(dt.date(2026, 11, 21), dt.date(2026, 12, 4))),
    (dt.date(2026, 11, 2), dt.date(2026, 11, 20), None,
     DateRange(dt.date(2026, 11, 2), dt.date(2026, 11, 20))),
    (None, dt.date(2026, 11, 20), None, DateRange(dt.date(2026, 11, 7), dt.date(2026, 11, 20))),
    (dt.date(2026, 11, 2), None, None, DateRange(dt.date(2026, 11, 2), dt.date(2026, 11, 15))),
])
def test_letters_range(school: School, date_from, date_to, today, expected: DateRange) -> None:
    assert letters_range(school.settings, date_from, date_to, today) == expected


def test_range_backwards_is_a_usage_error(school: School) -> None:
    with pytest.raises(UsageError):
        letters_range(school.settings, dt.date(2026, 11, 20), dt.date(2026, 11, 2))


def test_typed_text_shows_as_text_in_the_letter(letters: list[Letter]) -> None:
    letter = next(x for x in letters if x.has_marks and x.subjects)
    typed = "<script>alert(1)</script> «стр. 5» \"упр. 3\" д'Арк & Co"
    subject = replace(letter.subjects[0], teacher=typed,
                      homework=(HomeworkEntry(letter.date_range.end, typed),))
    page = letter_html(replace(letter, note=typed, class_teacher=typed, subjects=(subject,)))
    assert "<script>alert" not in page
    # the escaping every document uses: the checksum of a letter's HTML must not change with it
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; «стр. 5» &quot;упр. 3&quot; д&#x27;Арк &amp; Co"
    assert page.count(shown) == 4  # the note, the class teacher, the subject's teacher, homework


def test_the_letters_templates_ship_with_the_package() -> None:
    import tomllib
    from fnmatch import fnmatch

    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["journal"]
    templates = sorted((root / "journal/documents/letters/templates").iterdir())
    assert templates
    for path in templates:
        relative = path.relative_to(root / "journal").as_posix()
        assert any(fnmatch(relative, p) for p in patterns), relative


def test_the_folder_is_named_as_a_person_would(school: School) -> None:
    assert RANGE.folder_name == "Письма родителям 14.11–27.11.2026"
    across = DateRange(dt.date(2026, 12, 28), dt.date(2027, 1, 10))
    assert across.folder_name == "Письма родителям 28.12.2026–10.01.2027"


def test_a_range_with_nothing_entered_makes_no_letters(school: School) -> None:
    from journal.documents.letters import gather_letters

    summer = DateRange(dt.date(2026, 8, 10), dt.date(2026, 8, 23))
    with store.opened(school.store_path, readonly=True) as conn:
        batch = gather_letters(conn, school.settings, summer)
    # nothing of the summer is in the journal; a class teacher's note is the only thing that
    # can be: a class with one still gets letters, the others get none
    with_notes = {c for c, names in school.students.items() if set(names) & set(NOTES)}
    assert {x.class_name for x in batch.letters} == with_notes
    assert set(batch.silent_classes) == {c.name for c in school.settings.classes} - with_notes
    assert batch.silent_classes


@pytest.mark.slow
def test_the_rating_can_be_turned_off(letters: list[Letter], renderer: PdfRenderer, tmp_path: Path) -> None:
    letter = next(x for x in letters if x.has_marks and x.rating.place is not None)
    render_letters([replace(letter, rating_shown=False)], tmp_path, renderer, RANGE)
    text = pdf_words(tmp_path / "5А — все письма для печати.pdf")
    assert "Место в классе" not in text and "место из" not in text
    assert "Средний балл" in text
