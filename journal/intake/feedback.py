"""Feedback after a merge: one workbook per teacher, and a summary for the coordinator.

Files go to ``output/Замечания учителям/``. Each teacher's file lists their findings
(workbook, sheet, cell, student, date, what is wrong and how to fix it) sorted by
workbook and cell, with a filter on every column; the coordinator's summary lists
every file's status, every finding and the history rows (corrections, removals, late
entries) the merge added. A file is rewritten only when what it says changes (its content
digest is kept in the file's properties); files of teachers with nothing left to do are
removed. :func:`feedback_key` tells from a merge's result alone whether the whole folder
is already up to date, so that a weekly merge with nothing new computes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from journal.core import xlsx_style as xs
from journal.core.findings import SEVERITY_RU, Finding, count_errors
from journal.core.formatting import number_ru
from journal.intake.acknowledge import (
    CHECKED_COLUMN,
    FINDINGS_SHEET,
    SETTLED_SHEET,
    SUMMARY_NAME,
    key_of,
)
from journal.intake.feedback_state import DIGEST_PREFIX, feedback_current, feedback_key, stored_identifier
from journal.intake.merge import STATUS_RU, MergeResult, changes_of_merge
from journal.intake.outcome_text import file_shown, format_outcomes, sort_key, summary_line, when_ru
from journal.school.folder import FEEDBACK_DIR, SchoolFolder, safe_file_name

__all__ = ["PeriodReadiness", "feedback_current", "feedback_key", "format_outcomes", "sort_key",
           "summary_line", "when_ru", "write_feedback"]

NO_TEACHER = "Без учителя"
FINDING_COLUMNS = ("Файл", "Лист", "Ячейка", "Ученик", "Дата", "Важность",
                   "Что не так и как исправить", "Код и суть")
_WIDTHS = (26, 11, 7, 22, 11, 13, 60, 24)
_HEADER_FILL = xs.HEADER_FILL
_ERROR_FILL = xs.ERROR_FILL
_BOLD = xs.BOLD_FONT
_WRAP = xs.WRAP


@dataclass(frozen=True)
class PeriodReadiness:
    """What is still missing at the end of each class's period (section 4 of the regulation),
    as rows of :func:`journal.reports.readiness.readiness`: ``missing`` (class, period,
    subject, grp, teacher, student, what), ``workbooks`` (class, period, subject, grp,
    teacher, problem) and ``classes`` (one line per class)."""

    missing: Sequence[Mapping[str, object]] = ()
    workbooks: Sequence[Mapping[str, object]] = ()
    classes: Sequence[Mapping[str, object]] = ()

    def teachers(self) -> set[str]:
        """The teachers with something to do."""
        return {str(r["teacher"]) for r in (*self.missing, *self.workbooks) if r.get("teacher")}


READINESS_SHEET = "Конец периода"


def write_feedback(school: SchoolFolder, result: MergeResult,
                   changes: Sequence[dict[str, object]] | None = None,
                   readiness: PeriodReadiness | None = None, *, key: str = "") -> list[Path]:
    """Write one file per teacher with findings (and, with ``readiness``, what is still
    missing in their classes at the period's end), and the coordinator's summary; return
    the paths. ``key`` (:func:`feedback_key`) is kept in the summary for :func:`feedback_current`.

    ``changes`` are the history rows the merge added; when not given they are read from the
    dataset, so the summary's «Изменения» sheet always lists the rows its count announces.
    """
    if changes is None:
        changes = changes_of_merge(school, result.merge_id) if result.changes else []
    folder = school.output(FEEDBACK_DIR)
    by_teacher: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_teacher.setdefault(finding.teacher or NO_TEACHER, []).append(finding)
    ready = readiness or PeriodReadiness()
    when = when_ru(result.started_at)
    written = []
    for teacher in sorted(set(by_teacher) | ready.teachers()):
        path = folder / (safe_file_name(teacher) + ".xlsx")
        wb = _teacher_workbook(teacher, by_teacher.get(teacher, []), when)
        if readiness is not None:
            _readiness_sheet(wb, readiness, teacher)
        _save_if_changed(wb, path, when)
        written.append(path)
    summary = folder / SUMMARY_NAME
    wb = _summary_workbook(result, by_teacher, changes)
    if readiness is not None:
        _readiness_sheet(wb, readiness, None)
    written.append(summary)
    for old in folder.glob("*.xlsx"):
        if not old.name.startswith("~$") and old not in written:
            old.unlink()
    _save_if_changed(wb, summary, when, f"{key} {len(written)}" if key else "")
    return written


def _content_digest(wb: Workbook, when: str) -> str:
    """What a person reads in ``wb`` (every sheet's values), the moment of the merge left out."""
    digest = hashlib.sha256()
    for ws in wb.worksheets:
        digest.update(ws.title.encode("utf-8"))
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).replace(when, "") for v in row]
            digest.update(json.dumps(cells, ensure_ascii=False).encode("utf-8"))
    return DIGEST_PREFIX + digest.hexdigest()


def _save_if_changed(wb: Workbook, path: Path, when: str, extra: str = "") -> bool:
    """Save ``wb`` unless ``path`` already says the same; True when written."""
    digest = _content_digest(wb, when)
    identifier = f"{digest} {extra}".strip()
    stored = stored_identifier(path) if path.exists() else ""
    if stored.split(" ", 1)[0] == digest:  # (a stale key only costs the next merge a recheck)
        return False
    wb.properties.identifier = identifier
    wb.save(path)
    return True


def _readiness_sheet(wb: Workbook, readiness: PeriodReadiness, teacher: str | None) -> None:
    """A sheet of what is missing at the period's end: a teacher's own lines, or (``teacher``
    None) the classes of the school and every line."""
    ws = wb.create_sheet(READINESS_SHEET)
    mine = [r for r in readiness.missing if teacher is None or r.get("teacher") == teacher]
    books = [r for r in readiness.workbooks if teacher is None or r.get("teacher") == teacher]
    title = "Готовность к концу периода" + (f": {teacher}" if teacher else " по школе")
    ws.cell(1, 1, title).font = xs.font(bold=True, size=13)
    if not mine and not books:
        ws.cell(2, 1, "Всё на месте: отметки за период выставлены, журналы собраны.")
    else:
        ws.cell(2, 1, "В первый день каникул проверьте, что выставлены все отметки за период "
                      "(для конца года — годовые и экзаменационные), и сдайте файлы журналов: "
                      "бумажные копии печатаются на второй день каникул.")
    row = 4
    if teacher is None and readiness.classes:
        headers = ("Класс", "Период", "Период окончен", "Учеников", "Нет отметок",
                   "Журналов не собрано", "Напечатано копий", "Последняя копия", "Готов к печати")
        keys = ("class", "period", "ended", "students", "missing_marks", "workbooks_behind", "copies",
                "last_copy", "ready")
        row = _table(ws, row, headers, [[_yes_no(r.get(k)) for k in keys] for r in readiness.classes])
    row = _table(ws, row, ("Класс", "Период", "Предмет", "Группа", "Учитель", "Ученик", "Чего нет"),
                 [[r.get(k) for k in ("class", "period", "subject", "grp", "teacher", "student", "what")]
                  for r in mine])
    _table(ws, row, ("Класс", "Период", "Предмет", "Группа", "Учитель", "Журнал"),
           [[r.get(k) for k in ("class", "period", "subject", "grp", "teacher", "problem")] for r in books])
    for col, width in enumerate((10, 14, 26, 12, 30, 30, 60, 24, 14), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_wide(ws)


def _yes_no(value: object) -> object:
    return ("да" if value else "нет") if isinstance(value, bool) else value


def _table(ws: Worksheet, top: int, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """A header row and ``rows`` from row ``top``; returns the row after it and a blank one
    (a table without rows is left out)."""
    if not rows:
        return top
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(top, col, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for i, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            ws.cell(i, col, value).alignment = _WRAP
    return top + len(rows) + 2


def _teacher_workbook(teacher: str, findings: list[Finding], when: str) -> Workbook:
    wb = Workbook()
    xs.use_base_font(wb)
    ws = wb.active
    assert ws is not None
    ws.title = "Замечания"
    errors = count_errors(findings)
    ws.cell(1, 1, f"Замечания по журналам: {teacher}").font = xs.font(bold=True, size=13)
    ws.cell(2, 1, f"Проверка {when}. Ошибок: {errors} (файл с ошибкой не принят в общую базу, "
                  f"пока их не исправить), предупреждений: {len(findings) - errors}. "
                  "Исправьте отмеченные ячейки в своём файле и сдайте его снова.")
    _findings_table(ws, 4, sorted(findings, key=sort_key))
    return wb


def _findings_table(ws: Worksheet, top: int, findings: list[Finding]) -> None:
    for col, (title, width) in enumerate(zip(FINDING_COLUMNS, _WIDTHS, strict=True), start=1):
        cell = ws.cell(top, col, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, f in enumerate(findings, start=top + 1):
        values = (file_shown(f.file), f.sheet, f.cell, f.student, f.date, SEVERITY_RU[f.severity],
                  f.message, f.code_title())
        for col, value in enumerate(values, start=1):
            cell = ws.cell(i, col, value)
            cell.alignment = _WRAP
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            if f.is_error and col == 6:
                cell.fill = _ERROR_FILL
        lines = max(xs.wrapped_lines(str(v), w) for v, w in zip(values, _WIDTHS, strict=True)
                    if isinstance(v, str))
        ws.row_dimensions[i].height = xs.row_height(lines)
    last = top + max(len(findings), 1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(FINDING_COLUMNS))}{last}"
    ws.freeze_panes = ws.cell(top + 1, 1)
    ws.print_title_rows = f"{top}:{top}"
    _print_wide(ws)


def _print_wide(ws: Worksheet) -> None:
    """A4 landscape, as wide as the page, narrow margins: the widths above keep it near full size."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _summary_workbook(result: MergeResult, by_teacher: dict[str, list[Finding]],
                      changes: Sequence[dict[str, object]]) -> Workbook:
    wb = Workbook()
    xs.use_base_font(wb)
    ws = wb.active
    assert ws is not None
    ws.title = "Файлы"
    ws.cell(1, 1, f"Сбор журналов {when_ru(result.started_at)}").font = xs.font(bold=True, size=13)
    ws.cell(2, 1, summary_line(result))
    headers = ("Файл", "Класс", "Предмет", "Группа", "Учитель", "Итог", "Ошибок",
               "Предупреждений", "Изменений в истории")
    widths = (34, 7, 22, 10, 26, 14, 8, 15, 12)
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(4, col, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = xs.HEADER_ALIGN
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, o in enumerate(result.files, start=5):
        values = (file_shown(o.file), o.class_name, o.subject, o.group, o.teacher,
                  STATUS_RU[o.status], o.errors, o.warnings, o.changes)
        for col, value in enumerate(values, start=1):
            ws.cell(i, col, value).alignment = _WRAP
        ws.row_dimensions[i].height = xs.row_height(xs.wrapped_lines(values[0], widths[0]))
    ws.auto_filter.ref = f"A4:I{4 + max(len(result.files), 1)}"
    ws.freeze_panes = "A5"

    teachers = wb.create_sheet("По учителям")
    for col, (title, width) in enumerate(
            zip(("Учитель", "Ошибок", "Предупреждений"), (34, 10, 16), strict=True), start=1):
        teachers.cell(1, col, title).font = _BOLD
        teachers.cell(1, col).fill = _HEADER_FILL
        teachers.column_dimensions[get_column_letter(col)].width = width
    for i, (teacher, findings) in enumerate(sorted(by_teacher.items()), start=2):
        errors = count_errors(findings)
        teachers.cell(i, 1, teacher)
        teachers.cell(i, 2, errors)
        teachers.cell(i, 3, len(findings) - errors)

    all_findings = wb.create_sheet(FINDINGS_SHEET)
    all_findings.column_dimensions["I"].width = 30
    all_findings.column_dimensions["J"].width = 22
    _findings_table(all_findings, 1, sorted(result.findings, key=sort_key))
    for i, f in enumerate(sorted(result.findings, key=sort_key), start=2):
        all_findings.cell(i, 9, f.teacher)
        if not f.is_error:
            all_findings.cell(i, 10).protection = Protection(locked=False)
    all_findings.cell(1, 9, "Учитель").font = _BOLD
    all_findings.cell(1, 10, CHECKED_COLUMN).font = _BOLD
    if result.acknowledged:
        _acknowledged_sheet(wb, result)

    history = wb.create_sheet("Изменения")
    columns = (("change", "Изменение", 14), ("entity", "Запись", 10), ("class", "Класс", 7),
               ("subject", "Предмет", 18), ("grp", "Группа", 9), ("teacher", "Учитель", 22),
               ("student", "Ученик", 22), ("lesson_date", "Дата урока", 11),
               ("kind", "Вид", 12), ("period", "Период", 11), ("old_value", "Было", 9),
               ("new_value", "Стало", 9), ("first_seen", "Впервые замечено", 17),
               ("days_late", "Опоздание, дней", 10), ("file", "Файл", 26),
               ("cell", "Ячейка", 8))
    for col, (_key, title, width) in enumerate(columns, start=1):
        history.cell(1, col, title).font = _BOLD
        history.cell(1, col).fill = _HEADER_FILL
        history.cell(1, col).alignment = xs.HEADER_ALIGN
        history.column_dimensions[get_column_letter(col)].width = width
    history.row_dimensions[1].height = xs.row_height(2)
    for i, row in enumerate(changes, start=2):
        changed = [_change_value(key, row.get(key)) for key, _title, _width in columns]
        for col, value in enumerate(changed, start=1):
            history.cell(i, col, value).alignment = _WRAP
        history.row_dimensions[i].height = xs.row_height(max(
            xs.wrapped_lines(str(v), w) for v, (_k, _t, w) in zip(changed, columns, strict=True)
            if v is not None))
    if not changes:
        history.cell(2, 1, "Этот сбор журналов ничего не добавил в историю изменений.").font = xs.MUTED_FONT
    history.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{1 + max(len(changes), 1)}"
    history.freeze_panes = "A2"
    history.print_title_rows = "1:1"
    for sheet in (ws, teachers, history):
        _print_wide(sheet)
    return wb


def _acknowledged_sheet(wb: Workbook, result: MergeResult) -> None:
    """The warnings the coordinator marked «проверено»: each with who and when."""
    ws = wb.create_sheet(SETTLED_SHEET)
    ws.cell(1, 1, "Предупреждения, проверенные ответственным: они не мешают сбору журналов. "
                  "Если ячейку изменят, предупреждение вернётся в лист «Все замечания». Чтобы "
                  "отменить отметку, сотрите фамилию в столбце «Проверено (кто)» и соберите "
                  "журналы снова.")
    findings = sorted(result.acknowledged, key=sort_key)
    _findings_table(ws, 3, findings)
    for col, (title, width) in enumerate((("Учитель", 30), ("Проверено (кто)", 22),
                                          ("Когда отмечено", 17)), start=9):
        ws.cell(3, col, title).font = _BOLD
        ws.cell(3, col).fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, f in enumerate(findings, start=4):
        who, at = result.settled_by.get(key_of(f), ("", ""))
        ws.cell(i, 9, f.teacher)
        ws.cell(i, 10, who)
        ws.cell(i, 11, when_ru(at))


CHANGE_RU = {"correction": "исправление", "removal": "удаление", "late_entry": "поздняя запись"}
ENTITY_RU = {"mark": "отметка", "attendance": "пропуск", "final_mark": "итоговая",
             "topic": "тема", "homework": "задание"}
FINAL_KIND_RU = {"period": "за период", "year": "годовая", "exam": "экзамен", "final": "итоговая"}


def _change_value(key: str, value: object) -> object:
    """A history value as the summary shows it: Russian words, dates as 27.11.2026, no paths."""
    if value is None:
        return None
    if key == "change":
        return CHANGE_RU.get(str(value), value)
    if key == "entity":
        return ENTITY_RU.get(str(value), value)
    if key == "kind":
        return FINAL_KIND_RU.get(str(value), value)
    if key == "file":
        return file_shown(str(value))
    if key == "lesson_date":
        try:
            return f"{dt.date.fromisoformat(str(value)):%d.%m.%Y}"
        except ValueError:
            return value
    if key == "first_seen":
        return when_ru(str(value))
    if isinstance(value, float):
        return number_ru(value).replace("\u00a0", " ")
    return value


