"""Paper copies of the journal (`journal print`) and the archive register.

The dataset comes from ``print_fixtures`` (built with INSERTs from the tiny school);
expected values come from the fixture's rules or straight SQL on the dataset, and
the PDFs are read back with poppler's ``pdftotext`` / ``pdfinfo`` as a person would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from support.print_fixtures import SUBSTITUTE, PrintDataset, build_print_dataset, print_settings
from typer.testing import CliRunner

from journal.cli.main import app
from journal.core.errors import UsageError
from journal.dataset import store
from journal.documents.copies import files
from journal.documents.copies.data import ClassCopy, LessonLine, load_class_copy
from journal.documents.copies.layout import (
    CONTENT_WIDTH_MM,
    DATE_COL_MM,
    FINAL_COL_MM,
    NUMBER_COL_MM,
    class_copy_html,
    class_copy_parts,
    date_chunks,
    finals_part,
    subject_part,
    title_part,
)
from journal.documents.copies.plan import plan_print
from journal.documents.pdf import PdfRenderer
from journal.documents.register import (
    COL_ARCHIVE_NO,
    COL_ARCHIVED_BY,
    COL_KIND,
    COL_SHA,
    SHEET,
    RegisterRow,
    next_version,
    read_register,
    register_path,
    write_register,
)
from journal.school.folder import PRINT_DIR, SETTINGS_FILE
from journal.school.marks import absence_shown
from journal.workbooks.settings_writer import write_settings_workbook

POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None
Q1_END = dt.date(2026, 10, 25)
MADE_ON = dt.date(2026, 11, 27)  # the 1st quarter is over, the 2nd and the 1st half-year are not
CODES = ("Н", "Б", "У", "О")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> PrintDataset:
    """The print dataset (read-only for the tests that use it)."""
    return build_print_dataset(tmp_path_factory.mktemp("printdata") / "journal.sqlite", print_settings())


# -- which copies a period gives -------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "class_name", "expected"),
    [
        ("1", None, {("1А", "1 четверть"), ("5А", "1 четверть")}),
        ("1 четверть", None, {("1А", "1 четверть"), ("5А", "1 четверть")}),
        ("2", None, {("1А", "2 четверть"), ("5А", "2 четверть"), ("10А", "1 полугодие")}),
        ("4", None, {("1А", "4 четверть"), ("5А", "4 четверть"), ("10А", "2 полугодие")}),
        ("1 полугодие", None, {("10А", "1 полугодие")}),
        ("1", "5а", {("5А", "1 четверть")}),
        ("2", "10А", {("10А", "1 полугодие")}),  # one rule: a quarter number, its half-year
        ("4", "10А", {("10А", "2 полугодие")}),
        ("1 четверть", "10А", {("10А", "1 полугодие")}),
        ("3 четверть", "10А", {("10А", "2 полугодие")}),
        ("1 ПОЛУГОДИЕ", "10 а", {("10А", "1 полугодие")}),
    ],
)
def test_plan_print_chooses_classes_and_periods(period: str, class_name: str | None,
                                                expected: set[tuple[str, str]]) -> None:
    plan = plan_print(print_settings(), period, class_name)
    assert {(j.school_class.name, j.period.name) for j in plan.jobs} == expected


def test_plan_after_first_quarter_says_why_grade_10_is_left_out() -> None:
    plan = plan_print(print_settings(), "1")
    assert len(plan.skipped) == 1
    assert "10А" in plan.skipped[0] and "1 полугодие" in plan.skipped[0]
    assert 'journal print --school … --period "1 полугодие"' in plan.skipped[0]  # a whole command


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 11, 20), ["2 четверть ещё не закончилась", "1 полугодие ещё не закончилось"]),
    (dt.date(2026, 12, 29), []),
])
def test_plan_warns_of_a_period_not_over_yet(today: dt.date, expected: list[str]) -> None:
    notes = plan_print(print_settings(), "2").unfinished(today)
    assert [n.split(" (")[0] for n in notes] == expected


@pytest.mark.parametrize(
    ("period", "class_name", "must_name"),
    [
        ("1 полугодие", "5А", "четверт"),
        ("5", "5А", "4 четверть"),
        ("1", "7Б", "5А"),
    ],
)
def test_plan_refuses_wrong_period_or_class(period: str, class_name: str, must_name: str) -> None:
    with pytest.raises(UsageError, match=must_name):
        plan_print(print_settings(), period, class_name)


# -- what a copy holds -----------------------------------------------------------------


def _load(dataset: PrintDataset, class_name: str, period: str):  # type: ignore[no-untyped-def]
    settings = print_settings()
    job = plan_print(settings, period, class_name).jobs[0]
    with store.opened(dataset.path) as conn:
        return load_class_copy(conn, settings, job.school_class, job.period)


def test_copy_has_every_subject_student_and_lesson_of_the_period(dataset: PrintDataset) -> None:
    copy = _load(dataset, "5А", "1")
    assert [s.title for s in copy.sections] == [
        "Математика", "Английский язык (1 группа)", "Английский язык (2 группа)"]
    assert {s.name for s in copy.students} == set(dataset.students["5А"])
    for section in copy.sections:
        expected = [d for d in dataset.lessons[("5А", section.subject, section.group)] if d <= Q1_END]
        assert [lesson.date for lesson in section.lessons] == expected
    math = copy.sections[0]
    assert math.lessons[2].substitute == SUBSTITUTE
    left = next(s for s in copy.students if s.name == "Григорьева София Олеговна")
    assert "выбыл" in left.note and "09.10.2026" in left.note


def test_groups_hold_only_their_students(dataset: PrintDataset) -> None:
    copy = _load(dataset, "5А", "1")
    first, second = copy.sections[1], copy.sections[2]
    names_1 = {s.name for s in first.students}
    names_2 = {s.name for s in second.students}
    assert "Алексеев Артём Павлович" in names_1 and "Борисова Дарья Игоревна" in names_2
    assert not names_1 & names_2
    assert len(names_1) + len(names_2) == len(dataset.students["5А"])


def test_cells_and_period_marks_match_the_dataset(dataset: PrintDataset) -> None:
    copy = _load(dataset, "5А", "1")
    conn = sqlite3.connect(dataset.path)
    rows = conn.execute(
        "SELECT s.full_name, l.date, l.seq, group_concat(m.value, '/') FROM marks m "
        "JOIN lessons l ON l.id = m.lesson_id JOIN students s ON s.id = m.student_id "
        "WHERE l.class = '5А' AND l.subject = 'Математика' AND l.date <= '2026-10-25' "
        "GROUP BY m.lesson_id, m.student_id").fetchall()
    conn.close()
    math = copy.sections[0]
    by_name = {s.name: s.student_id for s in math.students}
    by_lesson = {(lesson.date.isoformat(), lesson.seq): lesson.lesson_id for lesson in math.lessons}
    assert rows
    for name, date, seq, value in rows:
        assert math.cells[(by_name[name], by_lesson[(date, seq)])].endswith(value)
    assert any("/" in v and v[0].isdigit() for v in math.cells.values())  # the «5/4» cell
    for student in math.students:
        expected = dataset.period_marks.get(("5А", "Математика", "", student.name))
        assert math.period_marks.get(student.student_id) == expected


def test_attendance_totals_count_each_reason(dataset: PrintDataset) -> None:
    copy = _load(dataset, "5А", "1")
    conn = sqlite3.connect(dataset.path)
    counts = dict(conn.execute(
        "SELECT s.full_name || a.reason, count(*) FROM attendance a JOIN lessons l ON l.id = a.lesson_id "
        "JOIN students s ON s.id = a.student_id WHERE l.class = '5А' AND l.date <= '2026-10-25' "
        "GROUP BY s.full_name, a.reason").fetchall())
    conn.close()
    for total in copy.attendance:
        assert total.ill == counts.get(total.name + "Б", 0)
        assert total.excused == counts.get(total.name + "У", 0)
        assert total.unexcused == counts.get(total.name + "Н", 0)
        assert total.late == counts.get(total.name + "О", 0)
        assert total.missed == total.ill + total.excused + total.unexcused


def _give_reasons(path: Path) -> None:
    """The class teacher of 5А marks every 1st-quarter absence of three students: one ill
    (Б), one excused (У), one without a good reason (Н), over what the subject teachers wrote."""
    conn = sqlite3.connect(path)
    names = conn.execute(
        "SELECT DISTINCT s.id FROM attendance a JOIN students s ON s.id = a.student_id "
        "JOIN lessons l ON l.id = a.lesson_id WHERE l.class = '5А' AND a.code != 'О' "
        "ORDER BY s.full_name LIMIT 3").fetchall()
    for (sid,), code in zip(names, "БУН", strict=True):
        conn.execute("INSERT INTO absence_reasons (student_id, start_date, end_date, code, document) "
                     "VALUES (?, '2026-09-01', '2026-10-25', ?, '')", (sid, code))
    store.apply_absence_reasons(conn, "5А")
    conn.commit()
    conn.close()


def _grid_codes(copy: ClassCopy) -> dict[int, dict[str, int]]:
    """Student → absence code → how many grid cells of all subjects show it."""
    found: dict[int, dict[str, int]] = {}
    for section in copy.sections:
        for (sid, _lesson), value in section.cells.items():
            code = value.split("/")[0]
            if code in CODES:
                found.setdefault(sid, dict.fromkeys(CODES, 0))[code] += 1
    return found


def test_grids_and_attendance_totals_agree_when_the_class_teacher_gives_reasons(
        dataset: PrintDataset, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    shutil.copy(dataset.path, path)
    _give_reasons(path)
    settings = print_settings()
    job = plan_print(settings, "1", "5А").jobs[0]
    with store.opened(path) as conn:
        copy = load_class_copy(conn, settings, job.school_class, job.period)
    grids = _grid_codes(copy)
    for total in copy.attendance:
        codes = grids.get(total.student_id, dict.fromkeys(CODES, 0))
        assert (codes["Б"], codes["У"], codes["Н"], codes["О"]) == (
            total.ill, total.excused, total.unexcused, total.late), total.name
        missed = sum(section.missed.get(total.student_id, 0) for section in copy.sections)
        assert missed == total.missed, total.name
    # the subject teachers wrote Н on some of these days; the grid shows the class teacher's Б
    ill = next(t for t in copy.attendance if t.ill and not t.excused and not t.unexcused)
    assert grids[ill.student_id]["Н"] == 0 and grids[ill.student_id]["Б"] == ill.ill
    assert "причиной, которую указал классный руководитель" in subject_part(copy, copy.sections[0], 1)


@pytest.mark.parametrize(("code", "reason", "shown"), [
    ("Н", "Б", "Б"), ("Н", "У", "У"), ("Б", "Н", "Н"), ("Н", None, "Н"), ("Б", "", "Б"), ("О", "Б", "О")])
def test_one_rule_gives_the_code_a_missed_lesson_shows(code: str, reason: str | None, shown: str) -> None:
    assert absence_shown(code, reason) == shown


def _copy_on(dataset: PrintDataset, period: str, class_name: str, day: dt.date) -> ClassCopy:
    copy = _load(dataset, class_name, period)
    copy.made_on = day
    return copy


def test_copy_before_its_period_ends_is_a_draft_on_every_page(dataset: PrintDataset) -> None:
    draft = _copy_on(dataset, "2", "10А", MADE_ON)  # the 1st half-year runs to 28.12.2026
    assert draft.draft
    page = class_copy_html(draft, class_copy_parts(draft))
    assert 'class="draft-mark"' in page and "position: fixed" in page  # repeated on each printed page
    assert "ЧЕРНОВИК: 1 полугодие идёт по 28.12.2026" in page
    assert page.count("ЧЕРНОВИК: 1 полугодие") >= len(draft.sections) + 1  # every running head
    assert "Черновик не заверяется и в архив не сдаётся" in title_part(draft, [])
    final = _copy_on(dataset, "2", "10А", dt.date(2026, 12, 28))  # its last day counts as over
    assert not final.draft
    assert "черновик" not in class_copy_html(final, class_copy_parts(final)).lower()


def test_copy_is_dated_as_the_reports_of_the_same_run(dataset: PrintDataset) -> None:
    copy = _copy_on(dataset, "1", "5А", MADE_ON)
    copy.produced_at = dt.datetime(2026, 12, 1, 11, 53)
    title = title_part(copy, [])
    assert "сформирована 27\u00a0ноября 2026\u00a0г." in title  # as «Сформировано 27 ноября 2026 г.»
    assert "01.12.2026" not in title and "11:53" not in title


def test_grade_1_copy_carries_no_marks(dataset: PrintDataset) -> None:
    copy = _load(dataset, "1А", "1")
    assert not copy.with_marks
    section = copy.sections[0]
    assert section.cells and all(v in {"Н", "Б", "У", "О"} for v in section.cells.values())
    assert not section.period_marks


def _load_edited(dataset: PrintDataset, tmp_path: Path, period: str, *statements: str):
    """The 5А copy for ``period`` from a copy of the dataset changed by ``statements``."""
    path = tmp_path / "journal.sqlite"
    shutil.copy(dataset.path, path)
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    settings = print_settings()
    job = plan_print(settings, period, "5А").jobs[0]
    with store.opened(path) as conn2:
        return load_class_copy(conn2, settings, job.school_class, job.period), job


def test_missing_period_marks_are_reported(dataset: PrintDataset, tmp_path: Path) -> None:
    copy, _job = _load_edited(
        dataset, tmp_path, "1",
        "DELETE FROM final_marks WHERE subject = 'Математика' AND student_id = "
        "(SELECT id FROM students WHERE full_name = 'Жданов Глеб Ильич')")
    codes = [(f.code, f.message) for f in copy.findings]
    assert len(codes) == 1
    assert codes[0][0] == "P02" and "Жданов Глеб Ильич" in codes[0][1]


def test_student_without_a_group_is_reported(dataset: PrintDataset, tmp_path: Path) -> None:
    student = "(SELECT id FROM students WHERE full_name = 'Жданов Глеб Ильич')"
    english = "(SELECT id FROM lessons WHERE subject = 'Английский язык')"
    copy, _job = _load_edited(
        dataset, tmp_path, "1",
        f"DELETE FROM student_groups WHERE student_id = {student}",
        f"DELETE FROM attendance WHERE student_id = {student} AND lesson_id IN {english}",
        f"DELETE FROM marks WHERE student_id = {student} AND lesson_id IN {english}")
    lost = [f.student for f in copy.findings if f.code == "P03"]
    assert lost == ["Жданов Глеб Ильич"]


def test_names_and_topics_are_printed_as_text_not_markup(dataset: PrintDataset, tmp_path: Path) -> None:
    copy, _job = _load_edited(
        dataset, tmp_path, "1",
        "UPDATE students SET full_name = '<b>Жданов</b> & \"Глеб\"' WHERE full_name = 'Жданов Глеб Ильич'",
        "UPDATE lessons SET topic = '<script>alert(1)</script>' WHERE subject = 'Математика'")
    page = class_copy_html(copy, class_copy_parts(copy))
    assert "<script>alert" not in page and "<b>Жданов" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert html.unescape(page).count('<b>Жданов</b> & "Глеб"') >= len(copy.sections)


@pytest.mark.parametrize(("period", "with_year"), [("1", False), ("4", True)])
def test_year_marks_appear_on_the_last_period_only(dataset: PrintDataset, tmp_path: Path, period: str,
                                                   with_year: bool) -> None:
    copy, job = _load_edited(
        dataset, tmp_path, period,
        "INSERT INTO final_marks (class, subject, grp, student_id, kind, period, value, first_seen, "
        "last_seen) SELECT '5А', 'Математика', '', id, 'year', '', '4', '', '' FROM students "
        "WHERE class = '5А'")
    headers = [h for h, _ in copy.sections[0].final_columns(job.period.name, True)]
    assert headers == ([job.period.name, "Год"] if with_year else [job.period.name])
    page = finals_part(copy)
    assert ("Сводная ведомость: годовые отметки" in page) is with_year


@pytest.mark.parametrize("lessons", [0, 1, 20, 26, 27, 62, 130])
@pytest.mark.parametrize("names_mm", [34.0, 58.0])
def test_date_chunks_fit_the_page_and_keep_every_lesson(lessons: int, names_mm: float) -> None:
    lines = [LessonLine(i, dt.date(2026, 9, 1) + dt.timedelta(days=i // 2), 1 + i % 2, "", "", "", "")
             for i in range(lessons)]
    chunks = date_chunks(lines, names_mm, 2)
    assert [line for chunk in chunks for line in chunk] == lines
    for chunk in chunks:
        assert NUMBER_COL_MM + names_mm + len(chunk) * DATE_COL_MM + 2 * FINAL_COL_MM <= CONTENT_WIDTH_MM
    if lessons:
        sizes = [len(c) for c in chunks]
        assert max(sizes) - min(sizes) <= 1


# -- the register ----------------------------------------------------------------------


def _row(version: int, **kw: object) -> RegisterRow:
    return RegisterRow(class_name="5А", period="1 четверть", school_year="2026/2027", version=version,
                       pages=10, produced="26.10.2026 10:00", sha256="ab" * 32,
                       file_name=f"5А — 1 четверть (версия {version}).pdf", **kw)  # type: ignore[arg-type]


def test_register_keeps_what_the_secretary_typed(tmp_path: Path) -> None:
    path = register_path(tmp_path)
    write_register(path, [_row(1)])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index(COL_ARCHIVED_BY) + 1, value="Секретарёва Т. И.")
    ws.cell(row=2, column=header.index(COL_ARCHIVE_NO) + 1, value="А-17")
    ws.cell(row=1, column=len(header) + 1, value="Полка")
    ws.cell(row=2, column=len(header) + 1, value="3")
    wb.save(path)
    rows = read_register(path)
    write_register(path, [*rows, _row(2)])
    again = read_register(path)
    assert [r.version for r in again] == [1, 2]
    assert again[0].archived_by == "Секретарёва Т. И." and again[0].archive_number == "А-17"
    assert again[0].extra == {"Полка": "3"}


def test_register_prints_on_a4_sorted_readable_and_in_plain_russian(tmp_path: Path) -> None:
    path = register_path(tmp_path)
    rows = [dataclasses.replace(_row(1), class_name=name, file_name=f"{name}.pdf")
            for name in ("10А", "11А", "1А", "5Б", "5А")]
    write_register(path, rows)
    ws = openpyxl.load_workbook(path)[SHEET]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["№ п/п", "Класс"]
    assert all(not re.search(r"[A-Za-z]", str(h)) for h in header), header
    assert [ws.cell(row=r, column=2).value for r in range(2, 7)] == ["1А", "5А", "5Б", "10А", "11А"]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    for col in (1, 2):  # «1» and «1А» centred in their own cells, not run together as «11А»
        assert ws.cell(row=2, column=col).alignment.horizontal == "center"
    sha = ws.cell(row=2, column=header.index(COL_SHA) + 1)
    assert sha.font.name and sha.font.sz >= 9
    assert sha.value.count("\n") == 3 and "".join(sha.value.split()) == "ab" * 32
    # the whole width fits a landscape A4 page without shrinking the type below 9 pt
    width_chars = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(header) + 1))
    page_chars = (297 - 2 * 25.4 * ws.page_margins.left) / 25.4 * 96 / 7
    assert sha.font.sz * min(1.0, page_chars / width_chars) >= 9
    assert read_register(path)[0].sha256 == "ab" * 32


def test_drafts_are_registered_apart_and_take_no_version(tmp_path: Path) -> None:
    path = register_path(tmp_path)
    draft = dataclasses.replace(_row(0), draft=True, file_name="5А — 1 четверть (черновик от 27.11.2026).pdf")
    write_register(path, [draft])
    rows = read_register(path)
    assert rows[0].draft and next_version(rows) == 1
    write_register(path, [*rows, _row(1)])
    ws = openpyxl.load_workbook(path)[SHEET]
    header = [c.value for c in ws[1]]
    kinds = [ws.cell(row=r, column=header.index(COL_KIND) + 1).value for r in (2, 3)]
    versions = [ws.cell(row=r, column=header.index("Версия") + 1).value for r in (2, 3)]
    assert kinds == ["черновик", "копия за период"] and versions == ["—", 1]
    assert "в архив не сдаётся" in str(ws.cell(row=2, column=header.index("Примечание") + 1).value)
    assert [(r.draft, r.version) for r in read_register(path)] == [(True, 0), (False, 1)]


def test_register_of_an_earlier_version_is_still_read(tmp_path: Path) -> None:
    path = register_path(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["№", "Класс", "Период", "Учебный год", "Версия", "Страниц", "Сформирована",
               "SHA-256 файла PDF", "Файл"])
    ws.append([1, "5А", "1 четверть", "2026/2027", 1, 10, "26.10.2026 10:00", "ab" * 32, "5А.pdf"])
    wb.save(path)
    rows = read_register(path)
    assert [(r.class_name, r.version, r.sha256, r.draft) for r in rows] == [("5А", 1, "ab" * 32, False)]


def test_unreadable_register_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = register_path(tmp_path)
    path.write_bytes(b"not a workbook")
    with pytest.raises(UsageError, match="не читается"):
        read_register(path)
    assert path.read_bytes() == b"not a workbook"


# -- the printed PDFs ------------------------------------------------------------------


def _text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if layout:
        args.append("-layout")
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def _school(root: Path, dataset: PrintDataset, today: dt.date) -> Path:
    """A school folder with the print dataset and settings that stand on ``today``."""
    write_settings_workbook(dataclasses.replace(print_settings(), today=today), root / SETTINGS_FILE)
    shutil.copy(dataset.path, root / "journal.sqlite")
    return root


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, dataset: PrintDataset) -> tuple[Path, str]:
    """A school folder printed with `journal print --period 1` on 27.11.2026 (once for the
    module), after the class teacher of 5А gave reasons that differ from the subject
    teachers' codes."""
    root = _school(tmp_path_factory.mktemp("school"), dataset, MADE_ON)
    _give_reasons(root / "journal.sqlite")
    result = CliRunner().invoke(app, ["print", "--school", str(root), "--period", "1"])
    assert result.exit_code == 0, result.output
    return root, result.output


def _register(root: Path) -> list[RegisterRow]:
    return read_register(register_path(root / "output" / PRINT_DIR))


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_class_copy_pdf_holds_every_student_date_and_subject(printed: tuple[Path, str],
                                                             dataset: PrintDataset) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "5А — 1 четверть.pdf"
    text = _text(pdf)
    flat = " ".join(text.split())
    for name in dataset.students["5А"]:
        assert name in flat, name
    for (class_name, subject, _group), dates in dataset.lessons.items():
        if class_name != "5А":
            continue
        assert subject in text
        for day in (d for d in dates if d <= Q1_END):
            assert day.strftime("%d.%m.%Y") in text
            assert day.strftime("%d.%m") in text
    assert "Достоверность бумажной копии подтверждаю" in text
    assert "Кузнецова Анна Ивановна" in flat and "Завучева Нина Павловна" in flat
    later = [d for d in dataset.lessons[("5А", "Математика", "")] if d > Q1_END]
    assert later[0].strftime("%d.%m.%Y") not in text


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_pages_are_a4_landscape_numbered_and_counted_in_the_register(printed: tuple[Path, str]) -> None:
    root, output = printed
    rows = _register(root)
    assert {(r.class_name, r.period, r.version) for r in rows} == {("1А", "1 четверть", 1),
                                                                   ("5А", "1 четверть", 1)}
    for row in rows:
        pdf = root / "output" / PRINT_DIR / row.file_name
        sizes = _page_sizes(pdf)
        assert len(sizes) == row.pages > 2
        assert all(round(w) == 842 and round(h) == 595 for w, h in sizes)
        for page in range(1, row.pages + 1):
            assert f"Стр. {page} из {row.pages}" in _text(pdf, page)
        assert f"Всего в копии {row.pages} страниц" in " ".join(_text(pdf, row.pages).split())
        assert row.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert "10А" in output  # told why 10А was not printed


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_contents_page_numbers_point_at_the_subjects(printed: tuple[Path, str]) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "5А — 1 четверть.pdf"
    title = _text(pdf, 1, layout=True)
    entries = re.findall(r"^\s*(\d+)\s+(\S.*?\S)\s{2,}.*?\s(\d+)\s*$", title, flags=re.M)
    assert [e[1] for e in entries] == ["Математика", "Английский язык (1 группа)",
                                       "Английский язык (2 группа)"]
    for number, subject, page in entries:
        heading = f"{number}. {subject}"
        assert heading in " ".join(_text(pdf, int(page)).split())
        if int(page) > 2:
            assert heading not in " ".join(_text(pdf, int(page) - 1).split())


def _word_heights(pdf: Path, page: int) -> dict[str, list[float]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    heights: dict[str, list[float]] = {}
    for y_min, y_max, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', out):
        heights.setdefault(word, []).append(float(y_max) - float(y_min))
    return heights


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_title_page_prints_names_as_large_as_the_text_beside_them(printed: tuple[Path, str]) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "5А — 1 четверть.pdf"
    heights = _word_heights(pdf, 1)
    facts = min(heights["Учебный"])  # a label of the facts table, like the class teacher's row
    class_teacher = next(c.class_teacher for c in print_settings().classes if c.name == "5А")
    assert all(h >= 0.85 * facts for h in heights[class_teacher.split()[0]])
    subject = min(heights["Математика"])  # a contents row, beside its teacher
    for teacher in ("Иванова", "Петрова", "Соколов"):
        assert all(h >= 0.95 * subject for h in heights[teacher]), teacher


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_every_subject_page_has_the_teachers_signature_line(printed: tuple[Path, str]) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "5А — 1 четверть.pdf"
    pages = len(_page_sizes(pdf))
    teachers = ("Иванова Мария Сергеевна", "Петрова Елена Викторовна", "Соколов Дмитрий Андреевич")
    for page in range(2, pages + 1):
        text = " ".join(_text(pdf, page).split())
        assert text.startswith("МБОУ «Тестовая СОШ» · 5А класс"), text[:80]  # nothing spills over
        if any(word in text for word in ("Сводная ведомость", "Посещаемость за", "Бумажная копия проверена")):
            continue
        heading_teacher = re.search(r"Учитель: (\S+ \S+ \S+)", text)
        assert heading_teacher and heading_teacher.group(1) in teachers
        assert "подпись" in text
        assert text.count(heading_teacher.group(1)) >= 2  # the heading and the signature line


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_grade_1_pdf_shows_no_marks(printed: tuple[Path, str], dataset: PrintDataset) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "1А — 1 четверть.pdf"
    text = _text(pdf, layout=True)
    assert "Сводная ведомость" not in text and "Отметки" not in text
    students = dataset.students["1А"]
    grid_lines = [line for line in text.splitlines()
                  if any(name in line for name in students) and re.match(r"\s*\d+\s", line)]
    assert grid_lines
    for line in grid_lines:
        name = next(n for n in students if n in line)
        tokens = line.split(name, 1)[1].split()
        numbers = [t for t in tokens if t.isdigit()]
        assert all(t in {"Н", "Б", "У", "О"} for t in tokens if not t.isdigit()), line
        assert len(numbers) <= 5, line  # attendance totals, never a row of marks


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_printing_again_makes_a_new_version_and_keeps_the_old(tmp_path: Path, dataset: PrintDataset) -> None:
    _school(tmp_path, dataset, dt.date(2027, 1, 11))  # the 1st half-year is over
    args = ["print", "--school", str(tmp_path), "--period", "1 полугодие", "--class", "10А"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    folder = tmp_path / "output" / PRINT_DIR
    old = (folder / "1 полугодие" / "10А — 1 полугодие.pdf").read_bytes()
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "версия 2" in second.output and "версия 1" in second.output
    assert (folder / "1 полугодие" / "10А — 1 полугодие.pdf").read_bytes() == old
    rows = _register(tmp_path)
    assert [(r.version, r.file_name) for r in rows] == [(1, "1 полугодие/10А — 1 полугодие.pdf"),
                                                       (2, "1 полугодие/10А — 1 полугодие (версия 2).pdf")]
    assert rows[0].sha256 == hashlib.sha256(old).hexdigest()
    wb = openpyxl.load_workbook(register_path(folder))
    assert wb.active is not None and COL_SHA in [c.value for c in wb.active[1]]


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_contents_numbers_when_the_pdf_has_no_readable_destinations(
        tmp_path: Path, dataset: PrintDataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "section_pages", lambda data, sections: None)
    settings = print_settings()
    job = plan_print(settings, "1", "5А").jobs[0]
    with store.opened(dataset.path) as conn:
        copy = load_class_copy(conn, settings, job.school_class, job.period)
    out = tmp_path / "copy.pdf"
    with PdfRenderer() as renderer:
        pages = files.render_class_copy(copy, out, renderer.render)
    assert pages == len(_page_sizes(out))
    title = " ".join(_text(out, 1).split())
    for number, section in enumerate(copy.sections, start=1):
        first = next(p for p in range(2, pages + 1)
                     if f"{number}. {section.title}" in " ".join(_text(out, p).split()))
        assert re.search(rf"{re.escape(section.title)} {re.escape(section.teacher)} {first}\b", title)


def test_exporter_prints_a_displayed_copy_document_as_it_is() -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from journal.documents.copies.document import CopyDocument
    from journal.documents.exporter import JournalHTMLExporter

    page = ("<!DOCTYPE html><html><head><style>@page { size: A4 landscape }</style></head>"
            "<body>копия</body></html>")
    document = CopyDocument(page, 3, (2,))
    cell = new_code_cell("show_copy(copy)", outputs=[
        new_output("display_data", data={"text/html": page}, metadata=document.metadata())])
    html, _ = JournalHTMLExporter().from_notebook_node(new_notebook(cells=[cell]))
    assert html == page
    plain = new_code_cell("1", outputs=[new_output("display_data", data={"text/html": "<b>1</b>"})])
    html, _ = JournalHTMLExporter().from_notebook_node(new_notebook(cells=[plain]))
    assert html != "<b>1</b>" and "<b>1</b>" in html


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_each_copy_is_made_by_the_notebook_kept_apart_from_the_pdfs(printed: tuple[Path, str]) -> None:
    import nbformat

    root, _ = printed
    folder = root / "output" / PRINT_DIR
    assert sorted(p.name for p in (folder / "1 четверть").iterdir()) == ["1А — 1 четверть.pdf",
                                                                         "5А — 1 четверть.pdf"]
    record = folder / "Блокноты" / "1 четверть" / "5А — 1 четверть.ipynb"
    nb = nbformat.read(str(record), as_version=4)
    given = nb.metadata["papermill"]["parameters"]
    assert (given["class_name"], given["period"], given["version"], given["today"]) == (
        "5А", "1 четверть", "1", MADE_ON.isoformat())
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    document = next(o for o in outputs if (o.get("metadata") or {}).get("journal", {}).get("document"))
    pdf = folder / "1 четверть" / "5А — 1 четверть.pdf"
    assert document["metadata"]["journal"]["pages"] == len(_page_sizes(pdf))


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_pdf_grids_add_up_to_the_attendance_page(printed: tuple[Path, str]) -> None:
    root, _ = printed
    pdf = root / "output" / PRINT_DIR / "1 четверть" / "5А — 1 четверть.pdf"
    pages = len(_page_sizes(pdf))
    counted = dict.fromkeys(CODES, 0)
    totals: list[int] = []
    for page in range(2, pages + 1):
        text = _text(pdf, page, layout=True)
        if "Посещаемость за" in text:
            line = next(line for line in text.splitlines() if "Итого по классу" in line)
            totals = [int(t) for t in line.split("Итого по классу", 1)[1].split()]
            continue
        for line in text.splitlines():
            if "Пропуск показан" in line or "—" in line:
                continue  # the legend, whose codes are no absences
            for token in line.split():
                if token.split("/")[0] in CODES:
                    counted[token.split("/")[0]] += 1
    missed = counted["Б"] + counted["У"] + counted["Н"]
    assert totals == [missed, counted["Б"], counted["У"], counted["Н"], counted["О"]]
    assert counted["Б"] and counted["У"] and counted["Н"]


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_copy_of_a_period_not_over_is_a_draft_in_the_pdf_and_the_register(
        tmp_path: Path, dataset: PrintDataset) -> None:
    _school(tmp_path, dataset, MADE_ON)
    result = CliRunner().invoke(app, ["print", "--school", str(tmp_path), "--period", "1", "--class", "10А"])
    assert result.exit_code == 0, result.output
    assert "черновик" in result.output
    folder = tmp_path / "output" / PRINT_DIR
    pdf = folder / "1 полугодие" / "10А — 1 полугодие (черновик от 27.11.2026).pdf"
    pages = len(_page_sizes(pdf))
    for page in range(1, pages + 1):
        assert "ЧЕРНОВИК" in _text(pdf, page), page
    [row] = _register(tmp_path)
    assert row.draft and row.version == 0
    assert not (folder / "1 полугодие" / "10А — 1 полугодие.pdf").exists()


def _log_rows(text: str) -> int:
    return len(re.findall(r"^\s*\d+\s+\d\d\.\d\d\.\d{4}", text, flags=re.M))


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo) are not installed")
def test_no_page_holds_only_a_tables_tail_or_only_a_signature(dataset: PrintDataset, tmp_path: Path) -> None:
    """The lesson log of one subject grows a lesson at a time, so that at some length its
    last rows no longer fit: they never go over alone (at least three rows under the
    repeated header), and the deputy's signatures never stand on a page of their own."""
    whole = _load(dataset, "5А", "1")
    math = whole.sections[0]
    seen_breaks = 0
    with PdfRenderer() as renderer:
        for count in range(6, len(math.lessons) + 1):
            section = dataclasses.replace(math, lessons=math.lessons[:count])
            copy = dataclasses.replace(whole, sections=[section])
            out = tmp_path / f"copy{count}.pdf"
            pages = renderer.render(class_copy_html(copy, class_copy_parts(copy)), out)
            texts = [_text(out, page, layout=True) for page in range(1, pages + 1)]
            subject_pages = [t for t in texts if "1. Математика" in t]
            for text in subject_pages[1:]:
                seen_breaks += 1
                assert _log_rows(text) >= 3 or "Отметки и посещаемость" in text, text[:300]
            last = texts[-1]
            assert "Посещаемость за" in last or "Сводная ведомость" in last, last[:300]
    assert seen_breaks  # the log did run over a page at some length
