"""The settings workbook reader-validator: the filled workbook back into :class:`Settings`.

Reading never raises on a coordinator's mistake: :func:`read_settings` returns findings with
the sheet, the cell and a Russian message saying how to fix it; :func:`load_settings` raises
:class:`SettingsError` when any of them is an error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell

from journal.core.errors import SettingsError
from journal.core.findings import Finding, error, warning
from journal.core.text import clean_text, is_blank, name_key, parse_date_value, text_key
from journal.school.settings import (
    ALL_CLASSES_RU,
    CANCEL,
    CHANGE_KIND_RU,
    DEFAULT_WORK_KINDS,
    EXTRA,
    HALVES,
    MOVE,
    PERIOD_SET_BY_RU,
    PERIOD_SET_RU,
    QUARTERS,
    WEEKDAYS_RU,
    WEEKDAYS_SHORT_RU,
    CouncilDecision,
    CurriculumItem,
    Holiday,
    MinMarksRule,
    Norms,
    Period,
    SchoolClass,
    SchoolEvent,
    Settings,
    TeacherTerm,
    TimetableChange,
    TimetableEntry,
    UnmarkedRule,
    WorkKind,
    normalise_class_name,
)
from journal.school.year_marks import parse_decision
from journal.workbooks.settings_format import (
    COL_CHANGE,
    COL_CHANGE_CLASS,
    COL_CHANGE_SUBJECT,
    COL_CLASS,
    COL_CLASS_TEACHER,
    COL_DATE,
    COL_DATE_TO,
    COL_DECISION,
    COL_DECISION_DATE,
    COL_DECISION_NOTE,
    COL_END,
    COL_EVENT_DATE,
    COL_EVENT_FOR,
    COL_EVENT_TITLE,
    COL_EXAM,
    COL_FROM,
    COL_GRADE,
    COL_GRADES,
    COL_GROUP,
    COL_HOURS,
    COL_KIND,
    COL_LESSON_NO,
    COL_LETTER,
    COL_MIN_HOURS,
    COL_MIN_MARKS,
    COL_NAME,
    COL_NEW_DATE,
    COL_NEW_LESSON_NO,
    COL_NUMBER,
    COL_PARAM,
    COL_REASON,
    COL_SET,
    COL_START,
    COL_STUDENT,
    COL_SUBJECT,
    COL_TEACHER,
    COL_TEACHER_EMAIL,
    COL_TO,
    COL_UNMARKED_GRADE,
    COL_UNMARKED_UNTIL,
    COL_VALID_FROM,
    COL_VALID_TO,
    COL_VALUE,
    COL_WEEKDAY,
    COL_WEIGHT,
    COL_WRITTEN,
    EVENT_FOR_SCHOOL,
    LESSON_NO_MAX,
    NAME_CHANGES,
    NAME_CLASSES,
    NAME_CURRICULUM,
    NAME_DECISIONS,
    NAME_EVENTS,
    NAME_HOLIDAYS,
    NAME_KINDS,
    NAME_MIN_MARKS,
    NAME_NORMS,
    NAME_PERIODS,
    NAME_SCHOOL,
    NAME_TIMETABLE,
    NAME_UNMARKED,
    NORM_INT_FIELDS,
    NORM_RANGES,
    NORM_ROWS,
    ROW_DEPUTY,
    ROW_DIRECTOR,
    ROW_RATING,
    ROW_SCHOOL_NAME,
    ROW_TODAY,
    ROW_YEAR,
    SHEET_CHANGES,
    SHEET_CLASSES,
    SHEET_CURRICULUM,
    SHEET_DECISIONS,
    SHEET_EVENTS,
    SHEET_HOLIDAYS,
    SHEET_KINDS,
    SHEET_NORMS,
    SHEET_PERIODS,
    SHEET_SCHOOL,
    SHEET_TIMETABLE,
)


@dataclass
class _Row:
    """One non-empty input row of an area: values and cell addresses by header."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Reads areas of one settings workbook and collects findings."""

    def __init__(self, wb: Workbook, file: str) -> None:
        self.wb = wb
        self.file = file
        self.findings: list[Finding] = []
        self.hours_cells: dict[tuple[str, str, str], str] = {}

    def error(self, code: str, message: str, sheet: str, cell: str = "") -> None:
        self.findings.append(error(code, message, file=self.file, sheet=sheet, cell=cell))

    def warn(self, code: str, message: str, sheet: str, cell: str = "") -> None:
        self.findings.append(warning(code, message, file=self.file, sheet=sheet, cell=cell))

    def area(self, name: str, sheet: str, required: tuple[str, ...],
             optional: tuple[str, ...] = (), *, may_lack: bool = False) -> tuple[list[_Row], str]:
        """Non-empty rows of area ``name`` keyed by header, and the header row's first cell
        ("" when the area is missing or lacks a required column: it cannot be read).
        ``may_lack``: the area came with a later version, so an older workbook without it
        is read as if it were empty."""
        cells = self._area_cells(name)
        if cells is None and may_lack:
            return [], ""
        if cells is None:
            self.error("N03",
                       f"Не найдена область «{name}» (таблица листа «{sheet}»). Возможно, лист "
                       f"удалён или переименован. Перенесите данные в новый файл настроек "
                       f"(journal init) и заполните его.", sheet)
            return [], ""
        ws_title, grid = cells
        header = grid[0]
        columns: dict[str, int] = {}
        wanted = {name_key(h): h for h in (*required, *optional)}
        for i, c in enumerate(header):
            h = name_key(c.value)
            if h in wanted:
                columns[wanted[h]] = i
        first = header[0].coordinate if header else ""
        missing = [h for h in required if h not in columns]
        for h in missing:
            self.error("N04",
                       f"В таблице нет столбца «{h}». Верните заголовок столбца как в новом "
                       f"файле настроек, иначе таблица не читается.", ws_title, first)
        if missing:
            return [], ""
        rows: list[_Row] = []
        for line in grid[1:]:
            if all(is_blank(c.value) for c in line):
                continue
            row = _Row(number=line[0].row)
            for h, i in columns.items():
                value = line[i].value
                row.values[h] = value.strip() if isinstance(value, str) else value
                row.cells[h] = line[i].coordinate
            rows.append(row)
        self._check_below(ws_title, grid)
        return rows, first

    def _check_below(self, ws_title: str, grid: list[tuple[Cell, ...]]) -> None:
        """Warn about values typed under the area: they are not read."""
        ws = self.wb[ws_title]
        last = grid[-1][0].row
        first_col, last_col = grid[0][0].column, grid[0][-1].column
        for line in ws.iter_rows(min_row=last + 1, max_row=max(ws.max_row, last + 1),
                                 min_col=first_col, max_col=last_col):
            for c in line:
                if not is_blank(c.value):
                    self.warn("N05",
                              f"Значение «{c.value}» стоит ниже таблицы (после строки {last}) и не "
                              f"читается. Перенесите строку в пустую строку таблицы выше.",
                              ws_title, c.coordinate)
                    return

    def _area_cells(self, name: str) -> tuple[str, list[tuple[Cell, ...]]] | None:
        dn = self.wb.defined_names.get(name)
        if dn is None:
            return None
        for title, ref in dn.destinations:
            if title not in self.wb.sheetnames:
                return None
            ws = self.wb[title]
            grid = ws[ref.replace("$", "")]
            if not isinstance(grid, tuple) or not grid or not isinstance(grid[0], tuple):
                return None
            return title, [tuple(r) for r in grid]
        return None

    # Field readers: each returns None (after a finding) when the value is unusable.

    def text(self, row: _Row, col: str, sheet: str, required: bool = False,
             what: str = "") -> str:
        value = row.values.get(col)
        if is_blank(value):
            if required:
                self.error("N07",
                           f"Не заполнено: «{what or col}». Впишите значение в эту ячейку или "
                           f"удалите строку целиком.", sheet, row.cells.get(col, ""))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        return " ".join(str(value).split())

    def date(self, row: _Row, col: str, sheet: str, required: bool = True) -> dt.date | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if is_blank(value):
            if required:
                self.error("N07", f"Не заполнено: «{col}». Впишите дату в виде ДД.ММ.ГГГГ.",
                           sheet, cell)
            return None
        parsed = parse_date_value(value)
        if parsed is None:
            self.error("N08",
                       f"«{value}» — не дата. Впишите дату в виде ДД.ММ.ГГГГ, например 01.09.2026.",
                       sheet, cell)
        return parsed

    def number(self, row: _Row, col: str, sheet: str, integer: bool = False) -> float | None:
        value = row.values.get(col)
        cell = row.cells.get(col, "")
        if is_blank(value):
            self.error("N07", f"Не заполнено: «{col}». Впишите число.", sheet, cell)
            return None
        parsed = parse_number_value(value)
        if parsed is None or (integer and not float(parsed).is_integer()):
            kind = "целое число" if integer else "число (дробная часть — через запятую, например 1,5)"
            self.error("N09", f"«{value}» — не {kind}. Впишите {kind}.", sheet, cell)
            return None
        return parsed


def parse_number_value(value: object) -> float | None:
    """A number cell: a number, or text with a comma or dot decimal; «20 %» is 0.2."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    share = text.endswith("%")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        return None
    return number / 100 if share else number


def parse_weekday(value: object) -> int | None:
    """1–6 from «Понедельник», «пн», «Пн.», 1 … 6; None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 6 else None
    text = str(value or "").strip().lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 6 else None
    for i, name in enumerate(WEEKDAYS_RU, start=1):
        if text == name.lower() or text == WEEKDAYS_SHORT_RU[i - 1]:
            return i
    return None


def parse_yes_no(value: object) -> bool | None:
    """«да/нет» (also д/н, +/-, 1/0, true/false); blank is «нет»; None when unclear."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if text in {"да", "д", "+", "1", "1.0", "true", "yes", "истина"}:
        return True
    if text in {"нет", "н", "-", "0", "0.0", "false", "no", "ложь"}:
        return False
    return None


def parse_grades(text: str) -> frozenset[int] | None:
    """«» → all grades; «1», «1, 2», «1–4», «5-9; 11» → the grades; None when unreadable."""
    grades: set[int] = set()
    for part in re.split(r"[,;]\s*", text.strip()):
        part = part.strip().lower().replace("классы", "").replace("класс", "").strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?", part)
        if m is None:
            return None
        low = int(m.group(1))
        high = int(m.group(2) or low)
        if not 1 <= low <= high <= 11:
            return None
        grades.update(range(low, high + 1))
    return frozenset(grades)


def _set_of(text: str) -> str | None:
    key = text.strip().lower()
    if key in PERIOD_SET_BY_RU:
        return PERIOD_SET_BY_RU[key]
    if key.startswith("четвер"):
        return QUARTERS
    if key.startswith("полугод"):
        return HALVES
    return None


def read_settings(path: Path) -> tuple[Settings | None, list[Finding]]:
    """Read and validate the settings workbook.

    Returns the settings (None when the file cannot be read at all or a part
    needed to build them is unusable) and every finding. Warnings come with
    usable settings; callers decide with :func:`load_settings` semantics.
    """
    file = path.name
    if not path.is_file():
        return None, [error("N01", f"Файл настроек «{path}» не найден. Создайте папку школы "
                                           f"командой journal init ПАПКА.", file=file)]
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return None, [error("N02",
                            f"Файл настроек не открывается ({exc.__class__.__name__}). Возможно, он "
                            f"повреждён или ещё копируется; сохраните его заново в формате .xlsx.",
                            file=file)]
    r = _Reader(wb, file)
    try:
        school = _read_school(r)
        periods = _read_periods(r, school["year"])
        classes = _read_classes(r)
        _check_period_sets(r, periods, classes)
        holidays = _read_holidays(r, periods)
        year = _year_range(periods)
        today = school["today"]
        curriculum = _read_curriculum(r, classes, year,
                                      today if isinstance(today, dt.date) else dt.date.today())
        timetable = _read_timetable(r, curriculum, year)
        unmarked = _read_unmarked(r, periods, year)
        kinds = _read_kinds(r)
        norms = _read_norms(r)
        if not periods or not school["year"]:
            return None, r.findings
        draft = Settings(
            school_name=str(school["name"]), school_year=str(school["year"]), periods=tuple(periods),
            holidays=tuple(holidays), classes=tuple(classes), curriculum=tuple(curriculum),
            timetable=tuple(timetable))
        changes = _read_changes(r, draft)
        decisions = _read_decisions(r, classes)
        events = _read_events(r, classes, draft)
    finally:
        wb.close()
    settings = Settings(
        school_name=str(school["name"]), school_year=str(school["year"]), periods=tuple(periods),
        holidays=tuple(holidays), classes=tuple(classes), curriculum=tuple(curriculum),
        timetable=tuple(timetable), changes=tuple(changes), unmarked=tuple(unmarked),
        work_kinds=tuple(kinds) or DEFAULT_WORK_KINDS,
        norms=norms, director=str(school["director"]), deputy=str(school["deputy"]),
        letter_rating=bool(school["rating"]), today=today if isinstance(today, dt.date) else None,
        decisions=tuple(decisions), events=tuple(events),
    )
    return settings, r.findings


def load_settings(path: Path) -> Settings:
    """The settings, or :class:`SettingsError` with the findings when any of them is an error."""
    settings, findings = read_settings(path)
    errors = [f for f in findings if f.is_error]
    if settings is None or errors:
        count = len(errors)
        raise SettingsError(
            f"Файл настроек «{path}» нельзя использовать: ошибок — {count}. Исправьте их и "
            f"повторите команду.", findings)
    return settings


def _read_school(r: _Reader) -> dict[str, object]:
    rows, first = r.area(NAME_SCHOOL, SHEET_SCHOOL, (COL_PARAM, COL_VALUE))
    by_label = {name_key(row.values.get(COL_PARAM)): row for row in rows}
    out: dict[str, object] = {"name": "", "year": "", "director": "", "deputy": "", "today": None,
                              "rating": True}
    if not first:
        return out

    def get(label: str) -> _Row | None:
        row = by_label.get(name_key(label))
        if row is None:
            r.error("N06", f"На листе нет строки «{label}». Верните её в столбец "
                                       f"«{COL_PARAM}» и заполните значение.", SHEET_SCHOOL, first)
        return row

    row = get(ROW_SCHOOL_NAME)
    if row is not None:
        out["name"] = r.text(row, COL_VALUE, SHEET_SCHOOL)
        if not out["name"]:
            r.error("N12", "Впишите полное название школы — оно печатается в отчётах, "
                                       "бумажных копиях и письмах родителям.",
                    SHEET_SCHOOL, row.cells[COL_VALUE])
    row = get(ROW_YEAR)
    if row is not None:
        year = r.text(row, COL_VALUE, SHEET_SCHOOL).replace("-", "/").replace(" ", "")
        m = re.fullmatch(r"(\d{4})/(\d{4})", year)
        if m is None or int(m.group(2)) != int(m.group(1)) + 1:
            r.error("N13", f"Учебный год «{year}» не распознан. Впишите его в виде "
                                       f"2026/2027.", SHEET_SCHOOL, row.cells[COL_VALUE])
        else:
            out["year"] = year
    for label, key, what in ((ROW_DIRECTOR, "director", "директора"),
                             (ROW_DEPUTY, "deputy", "заместителя директора по УВР")):
        row = get(label)
        if row is not None:
            out[key] = r.text(row, COL_VALUE, SHEET_SCHOOL)
            if not out[key]:
                r.warn("N14", f"Не указано ФИО {what}: без него в бумажных копиях "
                                        f"останется пустое место для подписи.",
                       SHEET_SCHOOL, row.cells[COL_VALUE])
    row = by_label.get(name_key(ROW_RATING))  # optional: older workbooks lack it
    if row is not None and not is_blank(row.values.get(COL_VALUE)):
        rating = parse_yes_no(row.values.get(COL_VALUE))
        if rating is None:
            r.error("N10", f"«{ROW_RATING}»: «{row.values.get(COL_VALUE)}» — впишите «да» или «нет».",
                    SHEET_SCHOOL, row.cells[COL_VALUE])
        else:
            out["rating"] = rating
    row = by_label.get(name_key(ROW_TODAY))
    if row is not None:
        out["today"] = r.date(row, COL_VALUE, SHEET_SCHOOL, required=False)
    return out


def _read_periods(r: _Reader, year: object) -> list[Period]:
    rows, _first = r.area(NAME_PERIODS, SHEET_PERIODS,
                          (COL_SET, COL_NUMBER, COL_START, COL_END), (COL_NAME,))
    periods: list[tuple[Period, _Row]] = []
    for row in rows:
        set_text = r.text(row, COL_SET, SHEET_PERIODS, required=True)
        pset = _set_of(set_text) if set_text else None
        if set_text and pset is None:
            r.error("N15", f"«{set_text}» — неизвестный набор периодов. Выберите "
                                      f"«Четверти» или «Полугодия».", SHEET_PERIODS, row.cells[COL_SET])
        number = r.number(row, COL_NUMBER, SHEET_PERIODS, integer=True)
        if number is not None and not 1 <= number <= 4:
            r.error("N16", "Номер периода — от 1 до 4 (четверти) или 1–2 (полугодия).",
                    SHEET_PERIODS, row.cells[COL_NUMBER])
            number = None
        start = r.date(row, COL_START, SHEET_PERIODS)
        end = r.date(row, COL_END, SHEET_PERIODS)
        if start and end and end < start:
            r.error("N11", f"Конец периода {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_PERIODS, row.cells[COL_END])
            continue
        if pset is None or number is None or start is None or end is None:
            continue
        name = r.text(row, COL_NAME, SHEET_PERIODS) or (
            f"{int(number)} {'четверть' if pset == QUARTERS else 'полугодие'}")
        periods.append((Period(pset, int(number), name, start, end), row))
    m = re.fullmatch(r"(\d{4})/\d{4}", str(year or ""))
    if m:
        first_day = dt.date(int(m.group(1)), 9, 1) - dt.timedelta(days=14)
        last_day = dt.date(int(m.group(1)) + 1, 8, 31)
        for p, row in periods:
            if p.start < first_day or p.end > last_day:
                r.error("N17", f"Период «{p.name}» ({p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}) "
                                           f"не входит в {year} учебный год. Проверьте год в датах.",
                        SHEET_PERIODS, row.cells[COL_START])
    for pset in (QUARTERS, HALVES):
        seen: dict[int, Period] = {}
        ordered = sorted((pr for pr in periods if pr[0].set == pset), key=lambda pr: pr[0].start)
        for i, (p, row) in enumerate(ordered):
            if p.number in seen:
                r.error("N18", f"{PERIOD_SET_RU[pset]}: номер {p.number} указан "
                                                f"дважды. У каждого периода свой номер.",
                        SHEET_PERIODS, row.cells[COL_NUMBER])
            seen[p.number] = p
            if i > 0 and p.start <= ordered[i - 1][0].end:
                prev = ordered[i - 1][0]
                r.error("N19", f"«{p.name}» начинается {p.start:%d.%m.%Y}, а "
                                              f"«{prev.name}» кончается только {prev.end:%d.%m.%Y}. "
                                              f"Периоды одного набора не должны пересекаться.",
                        SHEET_PERIODS, row.cells[COL_START])
    return [p for p, _row in periods]


def _check_period_sets(r: _Reader, periods: list[Period], classes: list[SchoolClass]) -> None:
    needed = {c.period_set for c in classes} or {QUARTERS, HALVES}
    present = {p.set for p in periods}
    first = _area_first_cell(r, NAME_PERIODS)
    for pset in sorted(needed - present):
        who = "1–9 классов" if pset == QUARTERS else "10–11 классов"
        r.error("N20", f"Нет ни одной строки «{PERIOD_SET_RU[pset]}» — они нужны "
                                          f"для {who}. Впишите периоды с датами.", SHEET_PERIODS, first)


def _area_first_cell(r: _Reader, name: str) -> str:
    found = r._area_cells(name)
    return found[1][0][0].coordinate if found else ""


def _read_holidays(r: _Reader, periods: list[Period]) -> list[Holiday]:
    rows, _first = r.area(NAME_HOLIDAYS, SHEET_HOLIDAYS, (COL_NAME, COL_START, COL_END), (COL_GRADES,))
    year_start = min((p.start for p in periods), default=None)
    year_end = max((p.end for p in periods), default=None)
    holidays: list[Holiday] = []
    for row in rows:
        name = r.text(row, COL_NAME, SHEET_HOLIDAYS, required=True)
        start = r.date(row, COL_START, SHEET_HOLIDAYS)
        end = r.date(row, COL_END, SHEET_HOLIDAYS)
        grades_text = r.text(row, COL_GRADES, SHEET_HOLIDAYS)
        grades = parse_grades(grades_text)
        if grades is None:
            r.error("N21", f"«{grades_text}» — не список параллелей. Пишите «1», "
                                          f"«1, 2» или «1–4»; пусто — для всех классов.",
                    SHEET_HOLIDAYS, row.cells.get(COL_GRADES, ""))
            continue
        if not (name and start and end):
            continue
        if end < start:
            r.error("N11", f"Конец каникул {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}. "
                                      f"Исправьте одну из дат.", SHEET_HOLIDAYS, row.cells[COL_END])
            continue
        if year_start and year_end:
            if end < year_start or start > year_end:
                r.error("N22", f"«{name}» ({start:%d.%m.%Y}–{end:%d.%m.%Y}) целиком "
                                               f"вне учебного года ({year_start:%d.%m.%Y}–"
                                               f"{year_end:%d.%m.%Y}). Проверьте год в датах.",
                        SHEET_HOLIDAYS, row.cells[COL_START])
            elif start < year_start or end > year_end:
                r.warn("N22", f"«{name}» выходит за границы учебного года "
                                              f"({year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}); дни вне "
                                              f"года не учитываются.",
                       SHEET_HOLIDAYS, row.cells[COL_START])
        holidays.append(Holiday(name, start, end, grades))
    return holidays


def _read_classes(r: _Reader) -> list[SchoolClass]:
    rows, first = r.area(NAME_CLASSES, SHEET_CLASSES, (COL_CLASS, COL_CLASS_TEACHER),
                         (COL_GRADE, COL_LETTER, COL_TEACHER_EMAIL))
    classes: list[SchoolClass] = []
    seen: dict[str, int] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_CLASSES, required=True)
        if not raw:
            continue
        name = normalise_class_name(raw)
        m = re.fullmatch(r"(\d{1,2})([А-ЯЁ]?)", name)
        grade_value = row.values.get(COL_GRADE)
        grade: int | None
        if is_blank(grade_value):
            grade = int(m.group(1)) if m else None
        else:
            number = parse_number_value(grade_value)
            grade = int(number) if number is not None and number.is_integer() else None
        cell = row.cells.get(COL_GRADE) or row.cells[COL_CLASS]
        if grade is None or not 1 <= grade <= 11:
            r.error("N23", f"Класс «{raw}»: параллель должна быть числом от 1 до 11 "
                                       f"(для «5А» — 5).", SHEET_CLASSES, cell)
            continue
        if m is not None and int(m.group(1)) != grade:
            r.error("N23", f"Класс «{raw}», а параллель указана {grade}. Исправьте "
                                       f"название класса или параллель.", SHEET_CLASSES, cell)
            continue
        letter = r.text(row, COL_LETTER, SHEET_CLASSES).upper() or (m.group(2) if m else "")
        teacher = r.text(row, COL_CLASS_TEACHER, SHEET_CLASSES)
        if not teacher:
            r.error("N24", f"У класса «{raw}» не указан классный руководитель. "
                                           f"Впишите его ФИО.", SHEET_CLASSES,
                    row.cells[COL_CLASS_TEACHER])
        if name in seen:
            r.error("N25", f"Класс «{raw}» уже есть в строке {seen[name]}. Удалите "
                                           f"повтор или исправьте букву.", SHEET_CLASSES,
                    row.cells[COL_CLASS])
            continue
        seen[name] = row.number
        email = r.text(row, COL_TEACHER_EMAIL, SHEET_CLASSES)
        if email and not EMAIL_PATTERN.match(email):
            r.warn("N52", f"«{email}» не похож на адрес электронной почты: ссылка «Написать классному "
                          f"руководителю» в дневнике класса {name} не появится. Проверьте адрес.",
                   SHEET_CLASSES, row.cells[COL_TEACHER_EMAIL])
            email = ""
        classes.append(SchoolClass(name, grade, letter, teacher, email))
    if not classes and first:
        r.error("N26", "Не указано ни одного класса. Впишите классы школы: класс, "
                                  "параллель, букву и классного руководителя.", SHEET_CLASSES, first)
    return classes


def _group(text: str) -> str:
    return clean_text(text)


Year = tuple[dt.date, dt.date] | None


def _year_range(periods: list[Period]) -> Year:
    if not periods:
        return None
    return min(p.start for p in periods), max(p.end for p in periods)


def _dates_range(r: _Reader, row: _Row, sheet: str, col_from: str, col_to: str,
                 year: Year) -> tuple[dt.date | None, dt.date | None] | None:
    """Optional «from»/«to» dates of a row; None (after a finding) when they are unusable."""
    start = r.date(row, col_from, sheet, required=False) if col_from in row.values else None
    end = r.date(row, col_to, sheet, required=False) if col_to in row.values else None
    if (not is_blank(row.values.get(col_from)) and start is None) or \
            (not is_blank(row.values.get(col_to)) and end is None):
        return None
    if start and end and end < start:
        r.error("N11", f"«По» ({end:%d.%m.%Y}) раньше «с» ({start:%d.%m.%Y}). Исправьте одну из дат.",
                sheet, row.cells[col_to])
        return None
    if year is not None:
        for day, col in ((start, col_from), (end, col_to)):
            if day is not None and not year[0] <= day <= year[1]:
                r.error("N42", f"{day:%d.%m.%Y} — вне учебного года ({year[0]:%d.%m.%Y}–"
                               f"{year[1]:%d.%m.%Y}). Проверьте год в дате.", sheet, row.cells[col])
                return None
    return start, end


def _overlap(a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]) -> bool:
    low = max(a[0] or dt.date.min, b[0] or dt.date.min)
    high = min(a[1] or dt.date.max, b[1] or dt.date.max)
    return low <= high


def _span_text(span: tuple[dt.date | None, dt.date | None]) -> str:
    start, end = span
    if start is None and end is None:
        return "весь год"
    return " ".join(part for part in (f"с {start:%d.%m.%Y}" if start else "",
                                      f"по {end:%d.%m.%Y}" if end else "") if part)


def _read_curriculum(r: _Reader, classes: list[SchoolClass], year: Year,
                     today: dt.date) -> list[CurriculumItem]:
    rows, first = r.area(NAME_CURRICULUM, SHEET_CURRICULUM,
                         (COL_CLASS, COL_SUBJECT, COL_HOURS, COL_TEACHER),
                         (COL_GROUP, COL_FROM, COL_TO, COL_EXAM))
    by_name = {c.name: c for c in classes}
    lines: dict[tuple[str, str, str], list[tuple[CurriculumItem, TeacherTerm, _Row]]] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_CURRICULUM, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_CURRICULUM, required=True)
        group = _group(r.text(row, COL_GROUP, SHEET_CURRICULUM))
        hours = r.number(row, COL_HOURS, SHEET_CURRICULUM)
        teacher = r.text(row, COL_TEACHER, SHEET_CURRICULUM)
        span = _dates_range(r, row, SHEET_CURRICULUM, COL_FROM, COL_TO, year)
        exam = parse_yes_no(row.values.get(COL_EXAM))
        if exam is None:
            r.error("N10", f"«{row.values.get(COL_EXAM)}»: впишите «да» или «нет».",
                    SHEET_CURRICULUM, row.cells[COL_EXAM])
        school_class = by_name.get(normalise_class_name(raw)) if raw else None
        if raw and school_class is None:
            r.error("N27", f"Класса «{raw}» нет на листе «{SHEET_CLASSES}». Добавьте "
                                         f"его туда или исправьте название.", SHEET_CURRICULUM,
                    row.cells[COL_CLASS])
        if not teacher:
            r.error("N24", f"{raw} {subject}: не указан учитель. Впишите ФИО "
                                           f"учителя, который ведёт предмет.", SHEET_CURRICULUM,
                    row.cells[COL_TEACHER])
        if hours is not None and hours <= 0:
            r.error("N28", "Часов в неделю должно быть больше нуля. Если предмета нет, "
                                 "удалите строку.", SHEET_CURRICULUM, row.cells[COL_HOURS])
            hours = None
        if school_class is None or not subject or hours is None or span is None:
            continue
        key = (school_class.name, subject.lower(), group.lower())
        term = TeacherTerm(teacher, *span)
        clash = next((other_row for _i, other, other_row in lines.get(key, [])
                      if _overlap((other.start, other.end), span)), None)
        if clash is not None:
            dated = span != (None, None) or any(t.start or t.end for _i, t, _r in lines[key])
            where = f"{school_class.name} {subject}{' (' + group + ')' if group else ''}"
            if dated:
                r.error("N43", f"{where}: сроки строки ({_span_text(span)}) пересекаются со строкой "
                               f"{clash.number}. Если учитель сменился, в старой строке впишите "
                               f"«по» (последний день старого учителя), в новой — «с».",
                        SHEET_CURRICULUM, row.cells.get(COL_FROM) or row.cells[COL_SUBJECT])
            else:
                r.error("N29", f"{where} уже есть в строке {clash.number}. Удалите повтор. Если "
                               f"учитель сменился, оставьте обе строки и впишите даты «с» и «по».",
                        SHEET_CURRICULUM, row.cells[COL_SUBJECT])
            continue
        lines.setdefault(key, []).append(
            (CurriculumItem(school_class.name, subject, group, hours, teacher, exam=bool(exam)), term, row))
    items: list[CurriculumItem] = []
    for entries in lines.values():
        entries.sort(key=lambda e: e[1].start or dt.date.min)
        terms = tuple(t for _i, t, _r in entries)
        started = [e for e in entries if (e[1].start or dt.date.min) <= today]
        current, _term, row = started[-1] if started else entries[0]
        dated = len(entries) > 1 or any(t.start or t.end for t in terms)
        items.append(CurriculumItem(current.class_name, current.subject, current.group,
                                    current.weekly_hours, current.teacher,
                                    terms if dated else (), exam=current.exam))
        r.hours_cells[items[-1].key] = row.cells[COL_HOURS]
    split = {(c.class_name, c.subject.lower()) for c in items if c.group}
    whole = {(c.class_name, c.subject.lower()) for c in items if not c.group}
    for class_name, subject in sorted(split & whole):
        r.error("N30", f"{class_name}, {subject}: есть строки и с группой, и без группы. "
                                   f"Если класс делится, укажите группу в каждой строке предмета.",
                SHEET_CURRICULUM, first)
    if classes and not items and first:
        r.warn("N31", "Учебный план пуст: файлы журнала по предметам не будут созданы. "
                                    "Впишите предметы классов.", SHEET_CURRICULUM, first)
    return items


EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _read_events(r: _Reader, classes: list[SchoolClass], s: Settings) -> list[SchoolEvent]:
    """The sheet «События»; a settings file made before it has none. A row that cannot be
    shown is a warning (N53), never a reason to refuse the settings."""
    rows, _first = r.area(NAME_EVENTS, SHEET_EVENTS, (COL_EVENT_DATE, COL_EVENT_TITLE),
                          (COL_EVENT_FOR,), may_lack=True)
    by_name = {c.name: c for c in classes}
    events: list[SchoolEvent] = []
    for row in rows:
        title = r.text(row, COL_EVENT_TITLE, SHEET_EVENTS)
        value = row.values.get(COL_EVENT_DATE)
        day = None if is_blank(value) else parse_date_value(value)
        cell = row.cells.get(COL_EVENT_DATE, "")
        if not title:
            r.warn("N53", "У события нет названия: строка не попадёт в дневники. Впишите, что будет.",
                   SHEET_EVENTS, row.cells.get(COL_EVENT_TITLE, ""))
            continue
        if day is None:
            told = "не указана дата" if is_blank(value) else f"«{value}» — не дата"
            r.warn("N53", f"Событие «{title}»: {told}. Впишите дату в виде ДД.ММ.ГГГГ.", SHEET_EVENTS, cell)
            continue
        if day < s.year_start or day > s.year_end:
            r.warn("N53", f"Событие «{title}»: {day:%d.%m.%Y} — вне учебного года. Проверьте дату.",
                   SHEET_EVENTS, cell)
            continue
        audience = r.text(row, COL_EVENT_FOR, SHEET_EVENTS)
        names: list[str] = []
        unknown = ""
        if name_key(audience) not in ("", EVENT_FOR_SCHOOL, "вся школа", "все", ALL_CLASSES_RU):
            for part in re.split(r"[,;]\s*", audience):
                if not part.strip():
                    continue
                found = by_name.get(normalise_class_name(part))
                if found is None:
                    unknown = part.strip()
                    break
                names.append(found.name)
        if unknown:
            r.warn("N53", f"Событие «{title}»: класса «{unknown}» нет на листе «{SHEET_CLASSES}». "
                          f"Впишите «{EVENT_FOR_SCHOOL}» или классы через запятую: 5А, 6Б.",
                   SHEET_EVENTS, row.cells.get(COL_EVENT_FOR, ""))
            continue
        events.append(SchoolEvent(day, title, tuple(dict.fromkeys(names))))
    return events


def _read_decisions(r: _Reader, classes: list[SchoolClass]) -> list[CouncilDecision]:
    """The sheet «Решения педсовета»; a settings file made before it has none."""
    if r._area_cells(NAME_DECISIONS) is None:
        return []
    rows, _first = r.area(NAME_DECISIONS, SHEET_DECISIONS, (COL_CLASS, COL_STUDENT, COL_DECISION),
                          (COL_DECISION_DATE, COL_DECISION_NOTE))
    by_name = {c.name: c for c in classes}
    decisions: list[CouncilDecision] = []
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_DECISIONS, required=True)
        student = r.text(row, COL_STUDENT, SHEET_DECISIONS, required=True)
        text = r.text(row, COL_DECISION, SHEET_DECISIONS, required=True)
        day = r.date(row, COL_DECISION_DATE, SHEET_DECISIONS, required=False)
        school_class = by_name.get(normalise_class_name(raw)) if raw else None
        if raw and school_class is None:
            r.error("N51", f"Класса «{raw}» нет на листе «{SHEET_CLASSES}». Исправьте класс "
                           f"в решении педсовета.", SHEET_DECISIONS, row.cells[COL_CLASS])
        if text and parse_decision(text) is None:
            r.error("N50", f"«{text}»: непонятное решение. Впишите «оставлен на повторное "
                           f"обучение», «переведён условно» или «переведён».", SHEET_DECISIONS,
                    row.cells[COL_DECISION])
            continue
        if school_class is None or not student or not text:
            continue
        decisions.append(CouncilDecision(school_class.name, student, text, day,
                                         r.text(row, COL_DECISION_NOTE, SHEET_DECISIONS)))
    return decisions


def _read_timetable(r: _Reader, curriculum: list[CurriculumItem], year: Year) -> list[TimetableEntry]:
    rows, _first = r.area(NAME_TIMETABLE, SHEET_TIMETABLE,
                          (COL_CLASS, COL_SUBJECT, COL_WEEKDAY, COL_LESSON_NO),
                          (COL_GROUP, COL_VALID_FROM, COL_VALID_TO))
    lookup = {(c.class_name, c.subject.lower(), c.group.lower()): c for c in curriculum}
    known_classes = {c.class_name for c in curriculum}
    entries: list[TimetableEntry] = []
    slots: dict[tuple[str, int, int], list[tuple[TimetableEntry, _Row]]] = {}
    for row in rows:
        raw = r.text(row, COL_CLASS, SHEET_TIMETABLE, required=True)
        subject = r.text(row, COL_SUBJECT, SHEET_TIMETABLE, required=True)
        group = _group(r.text(row, COL_GROUP, SHEET_TIMETABLE))
        weekday_value = row.values.get(COL_WEEKDAY)
        weekday = parse_weekday(weekday_value)
        if is_blank(weekday_value):
            r.text(row, COL_WEEKDAY, SHEET_TIMETABLE, required=True)
        elif weekday is None:
            r.error("N32", f"«{weekday_value}» — не день недели. Выберите из списка "
                                   f"(понедельник … суббота) или впишите число 1–6.",
                    SHEET_TIMETABLE, row.cells[COL_WEEKDAY])
        lesson = r.number(row, COL_LESSON_NO, SHEET_TIMETABLE, integer=True)
        if lesson is not None and not 1 <= lesson <= LESSON_NO_MAX:
            r.error("N33", f"Номер урока — от 1 до {LESSON_NO_MAX}.", SHEET_TIMETABLE,
                    row.cells[COL_LESSON_NO])
            lesson = None
        span = _dates_range(r, row, SHEET_TIMETABLE, COL_VALID_FROM, COL_VALID_TO, year)
        if not raw or not subject:
            continue
        item = lookup.get((normalise_class_name(raw), subject.lower(), group.lower()))
        if item is None:
            where = f"{raw}, {subject}{', ' + group if group else ''}"
            hint = ("" if normalise_class_name(raw) in known_classes else
                    f" У класса «{raw}» нет ни одной строки учебного плана.")
            r.error("N34", f"Урока «{where}» нет в учебном плане.{hint} Проверьте "
                                             f"класс, предмет и группу — они должны совпадать с "
                                             f"листом «{SHEET_CURRICULUM}».", SHEET_TIMETABLE,
                    row.cells[COL_SUBJECT])
            continue
        if weekday is None or lesson is None or span is None:
            continue
        entry = TimetableEntry(item.class_name, item.subject, item.group, weekday, int(lesson), *span)
        slot = (item.class_name, weekday, int(lesson))
        for other, other_row in slots.get(slot, []):
            if not _overlap((other.valid_from, other.valid_to), span):
                continue
            same = (other.subject, other.group) == (entry.subject, entry.group)
            if same or not (other.group and entry.group):
                dated = " в те же сроки" if span != (None, None) else ""
                r.error("N35", f"У {item.class_name} в {WEEKDAYS_RU[weekday - 1].lower()} "
                                          f"{int(lesson)}-м уроком{dated} уже стоит «{other.subject}» "
                                          f"(строка {other_row.number}, "
                                          f"{_span_text((other.valid_from, other.valid_to))}). "
                                          f"В одно время могут идти только уроки разных групп; "
                                          f"если расписание меняется, впишите старой строке "
                                          f"«{COL_VALID_TO.split(' (')[0]}», новой — «{COL_VALID_FROM}».",
                        SHEET_TIMETABLE, row.cells[COL_LESSON_NO])
                break
        slots.setdefault(slot, []).append((entry, row))
        entries.append(entry)
    _check_hours(r, curriculum, entries)
    return entries


def _check_hours(r: _Reader, curriculum: list[CurriculumItem], entries: list[TimetableEntry]) -> None:
    """The weekly lessons of each line equal its hours, on every day the timetable changes."""
    by_key: dict[tuple[str, str, str], list[TimetableEntry]] = {}
    for e in entries:
        by_key.setdefault((e.class_name, e.subject, e.group), []).append(e)
    for item in curriculum:
        mine = by_key.get(item.key, [])
        checks = sorted({dt.date.min} | {e.valid_from for e in mine if e.valid_from}
                        | {e.valid_to + dt.timedelta(days=1) for e in mine if e.valid_to})
        for day in checks:
            n = sum(1 for e in mine if e.applies_on(day))
            if n == item.weekly_hours or (day != dt.date.min and n == 0):
                continue
            group = f" ({item.group})" if item.group else ""
            since = f" (с {day:%d.%m.%Y})" if day != dt.date.min else ""
            r.warn("N36", f"{item.class_name} {item.subject}{group}: в учебном плане "
                                         f"{_ru_number(item.weekly_hours)} ч в неделю, а в расписании"
                                         f"{since} уроков — {n}. "
                                         f"Даты уроков в журнал берутся из расписания; поправьте "
                                         f"расписание или часы.", SHEET_CURRICULUM,
                   r.hours_cells.get(item.key, ""))
            break


def _read_changes(r: _Reader, s: Settings) -> list[TimetableChange]:
    """The sheet of one-off changes: moves, cancelled days, extra lessons."""
    rows, _first = r.area(NAME_CHANGES, SHEET_CHANGES, (COL_CHANGE, COL_CHANGE_CLASS, COL_DATE),
                          (COL_CHANGE_SUBJECT, COL_GROUP, COL_LESSON_NO, COL_DATE_TO, COL_NEW_DATE,
                           COL_NEW_LESSON_NO, COL_REASON), may_lack=True)
    kinds = {v: k for k, v in CHANGE_KIND_RU.items()}
    kinds.update({"доп. урок": EXTRA, "дополнительный": EXTRA, "актированный день": CANCEL,
                  "карантин": CANCEL, "отмена уроков": CANCEL})
    changes: list[TimetableChange] = []
    sh = SHEET_CHANGES
    for row in rows:
        kind_text = r.text(row, COL_CHANGE, sh, required=True)
        kind = kinds.get(kind_text.lower().strip("."))
        if kind_text and kind is None:
            r.error("N44", f"«{kind_text}» — неизвестное изменение. Выберите «перенос», «отмена» "
                           f"или «дополнительный урок».", sh, row.cells[COL_CHANGE])
        class_text = r.text(row, COL_CHANGE_CLASS, sh, required=True)
        subject = r.text(row, COL_CHANGE_SUBJECT, sh)
        group = _group(r.text(row, COL_GROUP, sh))
        day = r.date(row, COL_DATE, sh)
        end = r.date(row, COL_DATE_TO, sh, required=False)
        new_day = r.date(row, COL_NEW_DATE, sh, required=kind == MOVE)
        lesson_no = _lesson_no(r, row, COL_LESSON_NO, sh)
        new_lesson_no = _lesson_no(r, row, COL_NEW_LESSON_NO, sh)
        reason = r.text(row, COL_REASON, sh)
        if kind is None or not class_text or day is None or lesson_no is None or new_lesson_no is None:
            continue
        classes = _change_classes(r, row, s, class_text, kind)
        if classes is None:
            continue
        bad_day = next(((d, c) for d, c in ((day, COL_DATE), (end, COL_DATE_TO), (new_day, COL_NEW_DATE))
                        if d is not None and not s.year_start <= d <= s.year_end), None)
        if bad_day is not None:
            r.error("N42", f"{bad_day[0]:%d.%m.%Y} — вне учебного года ({s.year_start:%d.%m.%Y}–"
                           f"{s.year_end:%d.%m.%Y}). Проверьте год в дате.", sh, row.cells[bad_day[1]])
            continue
        if kind == CANCEL:
            if end is not None and end < day:
                r.error("N11", f"«По» ({end:%d.%m.%Y}) раньше первого дня отмены ({day:%d.%m.%Y}). "
                               f"Исправьте одну из дат.", sh, row.cells[COL_DATE_TO])
                continue
            if subject and len(classes) == 1:
                item = s.curriculum_item(next(iter(classes)), subject, group)
                if item is None:
                    _not_in_curriculum(r, row, next(iter(classes)), subject, group)
                    continue
                subject, group = item.subject, item.group
            changes.append(TimetableChange(CANCEL, day, classes, subject, group, end=end, reason=reason))
            continue
        class_name = next(iter(classes))
        item = s.curriculum_item(class_name, subject, group) if subject else None
        if item is None:
            if not subject:
                r.text(row, COL_CHANGE_SUBJECT, sh, required=True,
                       what="Предмет (для переноса и дополнительного урока)")
            else:
                _not_in_curriculum(r, row, class_name, subject, group)
            continue
        change = TimetableChange(kind, day, classes, item.subject, item.group, int(lesson_no),
                                 new_day, int(new_lesson_no), reason=reason)
        if not _check_change(r, row, s, item, change, changes):
            continue
        changes.append(change)
    return changes


def _lesson_no(r: _Reader, row: _Row, col: str, sheet: str) -> int | None:
    """An optional lesson number: 0 when blank, None (after a finding) when wrong."""
    if is_blank(row.values.get(col)):
        return 0
    number = r.number(row, col, sheet, integer=True)
    if number is not None and not 1 <= number <= LESSON_NO_MAX:
        r.error("N33", f"Номер урока — от 1 до {LESSON_NO_MAX}.", sheet, row.cells[col])
        return None
    return None if number is None else int(number)


def _change_classes(r: _Reader, row: _Row, s: Settings, text: str,
                    kind: str) -> frozenset[str] | None:
    if text.strip().lower() == ALL_CLASSES_RU:
        if kind != CANCEL:
            r.error("N27", "«все» подходит только для отмены уроков. Для переноса и "
                           "дополнительного урока укажите один класс.", SHEET_CHANGES,
                    row.cells[COL_CHANGE_CLASS])
            return None
        return frozenset()
    names: set[str] = set()
    for part in re.split(r"[,;]\s*", text):
        if not part.strip():
            continue
        found = s.school_class(part)
        if found is None:
            r.error("N27", f"Класса «{part.strip()}» нет на листе «{SHEET_CLASSES}». Исправьте "
                           f"название или впишите «все».", SHEET_CHANGES, row.cells[COL_CHANGE_CLASS])
            return None
        names.add(found.name)
    if kind != CANCEL and len(names) != 1:
        r.error("N27", "Для переноса и дополнительного урока укажите один класс.", SHEET_CHANGES,
                row.cells[COL_CHANGE_CLASS])
        return None
    return frozenset(names)


def _not_in_curriculum(r: _Reader, row: _Row, class_name: str, subject: str, group: str) -> None:
    where = f"{class_name}, {subject}{', ' + group if group else ''}"
    r.error("N34", f"Урока «{where}» нет в учебном плане. Проверьте класс, предмет и группу — они "
                   f"должны совпадать с листом «{SHEET_CURRICULUM}».", SHEET_CHANGES,
            row.cells.get(COL_CHANGE_SUBJECT) or row.cells[COL_CHANGE_CLASS])


def _check_change(r: _Reader, row: _Row, s: Settings, item: CurriculumItem,
                  change: TimetableChange, earlier: list[TimetableChange]) -> bool:
    """Check a move or an extra lesson against the calendar and the timetable."""
    school_class = s.school_class(item.class_name)
    assert school_class is not None
    target, target_col = ((change.new_day, COL_NEW_DATE) if change.kind == MOVE
                          else (change.day, COL_DATE))
    assert target is not None
    probe = Settings(s.school_name, s.school_year, s.periods, s.holidays, s.classes, s.curriculum,
                     s.timetable, tuple(earlier))
    if not s.is_school_day(target, school_class) or probe.is_cancelled(target, item):
        r.error("N45", f"{target:%d.%m.%Y} у {item.class_name} уроков нет (каникулы, праздник, "
                       f"воскресенье, отменённый день или вне периодов). Выберите учебный день.",
                SHEET_CHANGES, row.cells[target_col])
        return False
    if change.kind == MOVE:
        weekly = [t for t in s.timetable_for(item) if t.weekday == change.day.isoweekday()
                  and t.applies_on(change.day)]
        if change.lesson_no:
            weekly = [t for t in weekly if t.lesson_no == change.lesson_no]
        held = change.day in probe.lesson_dates(item)
        if not weekly or not held:
            lesson = f" {change.lesson_no}-м уроком" if change.lesson_no else ""
            r.error("N46", f"{change.day:%d.%m.%Y}{lesson} у {item.class_name} нет урока "
                           f"«{item.subject}» по расписанию (или он уже перенесён или отменён). "
                           f"Проверьте дату и номер урока.", SHEET_CHANGES, row.cells[COL_DATE])
            return False
    number = change.new_lesson_no if change.kind == MOVE else change.lesson_no
    if number:
        busy = [t for t in s.timetable if t.class_name == item.class_name
                and t.weekday == target.isoweekday() and t.lesson_no == number
                and t.applies_on(target) and (t.subject, t.group) != (item.subject, item.group)
                and not (t.group and item.group)]
        if busy:
            r.warn("N47", f"{target:%d.%m.%Y} {number}-м уроком у {item.class_name} по расписанию "
                          f"уже стоит «{busy[0].subject}». Проверьте номер урока.", SHEET_CHANGES,
                   row.cells.get(COL_NEW_LESSON_NO if change.kind == MOVE else COL_LESSON_NO, ""))
    return True


def _read_unmarked(r: _Reader, periods: list[Period], year: Year) -> list[UnmarkedRule]:
    """Grades taught without marks until a date or the end of a period."""
    rows, _first = r.area(NAME_UNMARKED, SHEET_PERIODS, (COL_UNMARKED_GRADE, COL_UNMARKED_UNTIL),
                          may_lack=True)
    rules: list[UnmarkedRule] = []
    for row in rows:
        grade = r.number(row, COL_UNMARKED_GRADE, SHEET_PERIODS, integer=True)
        until_value = row.values.get(COL_UNMARKED_UNTIL)
        until_text = r.text(row, COL_UNMARKED_UNTIL, SHEET_PERIODS, required=True)
        if grade is None or not until_text:
            continue
        if not 2 <= grade <= 11:
            r.error("N48", "Параллель — число от 2 до 11 (1 класс и так учится без отметок весь "
                           "год).", SHEET_PERIODS, row.cells[COL_UNMARKED_GRADE])
            continue
        pset = HALVES if grade >= 10 else QUARTERS
        period = next((p for p in periods if p.set == pset
                       and text_key(p.name) == text_key(until_text.replace("конца", "").strip())), None)
        until = period.end if period is not None else parse_date_value(until_value)
        if until_text.strip().lower() in ("весь год", "год") and year is not None:
            until = year[1]
        if until is None or (year is not None and not year[0] <= until <= year[1]):
            names = ", ".join(f"«{p.name}»" for p in periods if p.set == pset)
            r.error("N48", f"«{until_text}» — не дата учебного года и не период {grade} класса "
                           f"({names}). Впишите дату (31.10.2026), название периода или «весь год».",
                    SHEET_PERIODS, row.cells[COL_UNMARKED_UNTIL])
            continue
        rules.append(UnmarkedRule(int(grade), until, until_text))
    return rules


def _read_kinds(r: _Reader) -> list[WorkKind]:
    rows, first = r.area(NAME_KINDS, SHEET_KINDS, (COL_KIND, COL_WEIGHT), (COL_WRITTEN,))
    kinds: list[WorkKind] = []
    seen: dict[str, int] = {}
    for row in rows:
        name = r.text(row, COL_KIND, SHEET_KINDS, required=True)
        weight = r.number(row, COL_WEIGHT, SHEET_KINDS)
        written = parse_yes_no(row.values.get(COL_WRITTEN))
        if written is None:
            r.error("N10", f"«{row.values.get(COL_WRITTEN)}»: впишите «да» или «нет».",
                    SHEET_KINDS, row.cells[COL_WRITTEN])
        if weight is not None and weight <= 0:
            r.error("N37", "Вес вида работы должен быть больше нуля, например 1 или 1,5.",
                    SHEET_KINDS, row.cells[COL_WEIGHT])
            weight = None
        if not name or weight is None:
            continue
        key = text_key(name)
        if key in seen:
            r.error("N38", f"Вид работы «{name}» уже есть в строке {seen[key]}. "
                                          f"Удалите повтор.", SHEET_KINDS, row.cells[COL_KIND])
            continue
        seen[key] = row.number
        kinds.append(WorkKind(name, weight, bool(written)))
    if not kinds and first:
        r.error("N39", "Не указано ни одного вида работы. Впишите хотя бы «Ответ на уроке» "
                                "с весом 1.", SHEET_KINDS, first)
    return kinds


def _read_norms(r: _Reader) -> Norms:
    rows, first = r.area(NAME_NORMS, SHEET_NORMS, (COL_PARAM, COL_VALUE))
    by_label = {name_key(row.values.get(COL_PARAM)): row for row in rows}
    values: dict[str, object] = {}
    for label, attr, _note in NORM_ROWS:
        row = by_label.get(name_key(label))
        if row is None:
            if first:
                r.error("N06", f"На листе нет строки «{label}». Верните её и впишите "
                                           f"значение.", SHEET_NORMS, first)
            continue
        number = r.number(row, COL_VALUE, SHEET_NORMS, integer=attr in NORM_INT_FIELDS)
        if number is None:
            continue
        low, high = NORM_RANGES[attr]
        if not low <= number <= high:
            shown = (f"{low:g}–{high:g}").replace(".", ",")
            r.error("N40", f"«{label}»: значение {number:g} вне допустимых пределов "
                                      f"{shown}. Впишите число из этих пределов.",
                    SHEET_NORMS, row.cells[COL_VALUE])
            continue
        values[attr] = int(number) if attr in NORM_INT_FIELDS else number
    min_rows, min_first = r.area(NAME_MIN_MARKS, SHEET_NORMS, (COL_MIN_HOURS, COL_MIN_MARKS))
    rules: list[MinMarksRule] = []
    for row in min_rows:
        hours = r.number(row, COL_MIN_HOURS, SHEET_NORMS)
        marks = r.number(row, COL_MIN_MARKS, SHEET_NORMS, integer=True)
        if hours is not None and hours <= 0:
            r.error("N40", "Часов в неделю — число больше нуля.", SHEET_NORMS,
                    row.cells[COL_MIN_HOURS])
            continue
        if marks is not None and not 0 <= marks <= 50:
            r.error("N40", "Минимум отметок за период — от 0 до 50.", SHEET_NORMS,
                    row.cells[COL_MIN_MARKS])
            continue
        if hours is not None and marks is not None:
            rules.append(MinMarksRule(hours, int(marks)))
    if rules:
        values["min_marks"] = tuple(rules)
    elif min_first:
        r.warn("N41", "Таблица минимума отметок пуста — накопляемость отметок не будет "
                                   "проверяться.", SHEET_NORMS, min_first)
        values["min_marks"] = ()
    return Norms(**values)  # type: ignore[arg-type]


def _ru_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")
