"""Validation of a subject workbook: rows and names, marks and absences, dates, the lesson log,
period and year marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from journal.core.formatting import number_ru
from journal.core.text import clean_text, name_key, parse_date_value
from journal.intake.records import (
    AttendanceRecord,
    FinalRecord,
    KnownStudent,
    LessonRecord,
    MarkRecord,
    SubjectRecords,
    Validated,
)
from journal.intake.validate_common import (
    CLASS_LIST_MISSING,
    DATE_AS_TEXT,
    FOREIGN_TEACHER,
    ROWS_MOVED,
    Findings,
    school_class_of,
    validate_messages,
)
from journal.school import year_marks
from journal.school.marks import CellEntry, CellProblem, parse_final_mark, parse_mark_cell
from journal.school.settings import WEEKDAYS_SHORT_RU, CurriculumItem, SchoolClass, Settings, WorkKind
from journal.workbooks.format import (
    FINAL_EXAM,
    FINAL_FINAL,
    FINAL_YEAR,
    LOG_DATE,
    LOG_HOMEWORK,
    LOG_SUBSTITUTE,
    LOG_TOPIC,
    META_SHEET,
    SHEET_FINALS,
    SHEET_GRID,
    SHEET_LOG,
    lesson_keys,
)
from journal.workbooks.views import Cell, SubjectView

ROWS_SHOWN = 5  # rows named in S08 before «и ещё …»
_record = tuple.__new__  # makes a MarkRecord or AttendanceRecord without the keyword-checking __new__


def moved_names(view: SubjectView) -> list[tuple[Cell, str]]:
    """(name cell, the student its row was built for) of every grid row holding another name.

    Each grid row keeps the number («№») of the student it was built for; a row whose name
    is another student's would give that student the row's marks.
    """
    moved: list[tuple[Cell, str]] = []
    for cell, expected in zip(view.students, view.row_keys, strict=False):
        name = clean_text(cell.value)
        if expected and name and name_key(name) != name_key(expected):
            moved.append((cell, expected))
    return moved


def moved_names_text(moved: list[tuple[Cell, str]]) -> str:
    """The message of ``S08`` for :func:`moved_names`' rows."""
    listed = "; ".join(f"в строке {_row_number(cell.cell)} «{clean_text(cell.value)}» вместо "
                       f"«{expected}»" for cell, expected in moved[:ROWS_SHOWN])
    more = f" и ещё {len(moved) - ROWS_SHOWN}" if len(moved) > ROWS_SHOWN else ""
    return (f"ФИО учеников стоят не в своих строках: {listed}{more}. Похоже, отсортирован только "
            "столбец с ФИО, а отметки остались на месте — они достались бы другим ученикам. "
            "Отмените сортировку (или верните прежнюю копию файла); сортируйте только строки "
            "целиком, вместе со столбцом «№» и всеми отметками")


def _check_rows_kept_names(view: SubjectView, found: Findings) -> None:
    """``S08``: names that no longer sit in their own rows (only the names column was sorted)."""
    moved = moved_names(view)
    if not moved:
        return
    found.err(ROWS_MOVED, moved_names_text(moved), sheet=SHEET_GRID, cell=moved[0][0].cell,
              student=clean_text(moved[0][0].value))


def _row_number(address: str) -> str:
    return "".join(ch for ch in address if ch.isdigit())


def _workbook_teacher(view: SubjectView, item: CurriculumItem, found: Findings) -> str:
    """Whose lessons these are: the teacher of the curriculum line in the settings.

    The teacher in ``_meta`` must be that teacher or a substitute recorded in the lesson
    log; anyone else is an error (``W08``): an edited ``_meta`` would otherwise hand every
    lesson of the workbook, already merged ones included, to another person.
    """
    meta = view.meta
    if not item.teacher:
        return meta.teacher
    if not meta.teacher or name_key(meta.teacher) == name_key(item.teacher):
        return item.teacher
    substitutes = {name_key(clean_text(row[LOG_SUBSTITUTE].value))
                   for row in view.log if LOG_SUBSTITUTE in row}
    if name_key(meta.teacher) in substitutes:
        return item.teacher
    group = f" ({item.group})" if item.group else ""
    found.teacher = item.teacher
    found.err(FOREIGN_TEACHER, f"в служебных данных файла учитель — «{meta.teacher}», а по "
                               f"настройкам школы {item.subject}{group} в классе {item.class_name} "
                               f"ведёт {item.teacher} (и в листе «{SHEET_LOG}» «{meta.teacher}» не "
                               "записан как заменявший учитель). Файл не принят, чтобы уроки не "
                               "перешли к другому учителю: возьмите книгу, созданную для этого "
                               "предмета (её выдаёт ответственный за ЭЖ), или исправьте учителя в учебном "
                               "плане настроек", sheet=META_SHEET)
    return item.teacher


def validate_subject(view: SubjectView, settings: Settings,
                     class_list: list[KnownStudent] | None, *, file: str,
                     today: dt.date | None = None) -> Validated:
    """Check a subject workbook against the settings and the class list.

    With ``today``, marks and absences for lessons after it are flagged (``D06``).

    ``class_list`` is None when the class has no class list yet: then the workbook's own
    students are taken (with a warning) and become ``new_students`` of the records.
    """
    meta = view.meta
    found = Findings(file, meta.teacher)
    err, warn, out = found.err, found.warn, found.items
    school_class = school_class_of(meta, settings, found, "журнал")
    if school_class is None:
        return Validated(None, out)
    item = settings.curriculum_item(school_class.name, meta.subject, meta.group)
    if item is None:
        group = f", группа «{meta.group}»" if meta.group else ""
        err("W03", f"в учебном плане класса {school_class.name} нет предмета «{meta.subject}»"
                   f"{group}. Проверьте файл или учебный план в настройках")
        return Validated(None, out)
    if out:
        return Validated(None, out)
    teacher = found.teacher = _workbook_teacher(view, item, found)
    grade = school_class.grade
    year = settings.school_year
    rec = SubjectRecords(file=file, class_name=school_class.name, subject=item.subject,
                         group=item.group, teacher=teacher, grade=grade)

    # students
    known = {name_key(s.full_name): s for s in class_list} if class_list is not None else None
    if class_list is None:
        warn(CLASS_LIST_MISSING, f"общая база ещё не знает списка класса {school_class.name}: "
                                 "ученики взяты из этого журнала. Сдайте файл классного "
                                 "руководителя", sheet=SHEET_GRID)
    rows: list[KnownStudent | None] = []
    seen_names: dict[str, str] = {}
    for cell in view.students:
        name = clean_text(cell.value)
        if not name:
            rows.append(None)
            continue
        key = name_key(name)
        if key in seen_names:
            err("S02", f"ученик «{name}» записан дважды (ещё в ячейке {seen_names[key]}). "
                       "Оставьте одну строку", sheet=SHEET_GRID, cell=cell.cell, student=name)
            rows.append(None)
            continue
        seen_names[key] = cell.cell
        if known is None:
            student = KnownStudent(name)
            rec.new_students.append(name)
        elif key in known:
            student = known[key]
        else:
            err("S01", f"ученика «{name}» нет в списке класса {school_class.name}. Проверьте "
                       "написание ФИО или попросите классного руководителя добавить ученика",
                sheet=SHEET_GRID, cell=cell.cell, student=name)
            rows.append(None)
            continue
        group = dict(student.groups).get(item.subject, "")
        if item.group and group and name_key(group) != name_key(item.group):
            warn("S07", f"по списку класса ученик в группе «{group}», а этот журнал — группы "
                        f"«{item.group}». Уточните у классного руководителя, в какой группе "
                        "ученик, и исправьте список или журнал",
                 sheet=SHEET_GRID, cell=cell.cell, student=name)
        rows.append(student)
        rec.students.append(student.full_name)

    _check_rows_kept_names(view, found)

    # lesson columns
    timetable_dates = set(settings.lesson_dates(item))
    log_by_key: dict[tuple[dt.date, int], dict[str, Cell]] = {}
    log_seq: dict[dt.date, int] = {}
    for row in view.log:
        log_day = parse_date_value(row[LOG_DATE].value, year) if LOG_DATE in row else None
        if log_day is None:
            continue
        if isinstance(row[LOG_DATE].value, str):
            warn(DATE_AS_TEXT, _date_as_text(row[LOG_DATE].value, log_day),
                 sheet=SHEET_LOG, cell=row[LOG_DATE].cell, date=log_day)
        log_seq[log_day] = log_seq.get(log_day, 0) + 1
        log_by_key[(log_day, log_seq[log_day])] = row

    columns: list[tuple[dt.date, int, str, WorkKind | None] | None] = []
    column_periods: list[str] = []  # the period of each lesson column ('' outside every period)
    seq_of: dict[dt.date, int] = {}
    for index, cell in enumerate(view.dates):
        day = parse_date_value(cell.value, year)
        if cell.value is not None and clean_text(cell.value) and day is None:
            err("D01", f"«{clean_text(cell.value)}» не дата. Введите дату урока как ДД.ММ.ГГГГ",
                sheet=SHEET_GRID, cell=cell.cell)
        if day is None:
            columns.append(None)
            column_periods.append("")
            continue
        if isinstance(cell.value, str):
            warn(DATE_AS_TEXT, _date_as_text(cell.value, day), sheet=SHEET_GRID, cell=cell.cell,
                 date=day)
        seq_of[day] = seq_of.get(day, 0) + 1
        seq = seq_of[day]
        kind_cell = view.kinds[index] if index < len(view.kinds) else Cell(None, "")
        kind_text = clean_text(kind_cell.value)
        kind = settings.work_kind(kind_text) if kind_text else None
        if kind_text and kind is None:
            err("K01", f"вида работы «{kind_text}» нет в списке школы. Выберите вид работы из "
                       "выпадающего списка", sheet=SHEET_GRID, cell=kind_cell.cell, date=day)
        period = settings.period_of(school_class, day)
        outside = day < settings.year_start or day > settings.year_end or period is None
        holiday = settings.is_holiday(day, grade)
        if not outside and not holiday and day not in timetable_dates and timetable_dates:
            warn("D04", f"{WEEKDAYS_SHORT_RU[day.weekday()]} {day:%d.%m.%Y} — нет урока по "
                        "расписанию. Если урок перенесён, всё в порядке; иначе исправьте дату",
                 sheet=SHEET_GRID, cell=cell.cell, date=day)
        log_row = log_by_key.get((day, seq), {})
        topic = clean_text(log_row[LOG_TOPIC].value) if LOG_TOPIC in log_row else ""
        rec.lessons.append(LessonRecord(
            date=day, seq=seq, period=period.name if period else "",
            kind=kind.name if kind else kind_text, topic=topic,
            homework=clean_text(log_row[LOG_HOMEWORK].value) if LOG_HOMEWORK in log_row else "",
            substitute=(clean_text(log_row[LOG_SUBSTITUTE].value)
                        if LOG_SUBSTITUTE in log_row else ""),
            allowed_days=(settings.norms.written_days(grade) if kind and kind.written
                          else settings.norms.ordinary_mark_days),
            cell=cell.cell,
            topic_cell=log_row[LOG_TOPIC].cell if LOG_TOPIC in log_row else "",
            homework_cell=log_row[LOG_HOMEWORK].cell if LOG_HOMEWORK in log_row else "",
            teacher=settings.teacher_on(item, day) if item.terms else teacher))
        columns.append((day, seq, topic, kind))
        column_periods.append(period.name if period else "")

    # judged against the dataset by the plan stage (journal.intake.plan): D07
    rec.missing_lessons = _missing_lessons(settings, item, columns)

    # the grid: date checks once per column, cell parsing once per distinct value
    date_problems = [_date_problem(col[0], settings, school_class) if col else None
                     for col in columns]
    # a cell's parse once per distinct value: a problem, or (absence, marks) (_BLANK: nothing)
    parsed_cache: dict[tuple[type, object], tuple[str | None, tuple[int, ...]] | CellProblem] = {}
    future_columns: set[int] = set()
    marks_in_period: dict[tuple[str, str], list[tuple[int, float]]] = {}  # (student, period) → (mark, weight)
    column_has_marks = [False] * len(columns)
    marks_allowed = [settings.marks_on(school_class, col[0]) if col else False for col in columns]
    n_rows, n_cols = len(rows), len(columns)
    allow_marks = school_class.has_marks
    add_mark, add_absence = rec.marks.append, rec.attendance.append
    for r, c, address, value in view.marks:
        cache_key = (type(value), value)
        parsed = parsed_cache.get(cache_key)
        if parsed is None:
            parsed = parsed_cache[cache_key] = _digest(parse_mark_cell(value, allow_marks=allow_marks))
        if parsed is _BLANK:
            continue
        row_student = rows[r] if r < n_rows else None
        column = columns[c] if c < n_cols else None
        if isinstance(parsed, CellProblem):
            err(parsed.code, parsed.message, sheet=SHEET_GRID, cell=address,
                student=row_student.full_name if row_student else "",
                date=column[0] if column else None)
            continue
        absence, marks = parsed
        if row_student is None:
            if r < len(view.students) and clean_text(view.students[r].value) == "":
                err("S04", "отметка в строке без ФИО ученика. Впишите ученика или "
                           "уберите отметку", sheet=SHEET_GRID, cell=address)
            continue
        name = row_student.full_name
        if column is None:
            err("D02", "отметка в столбце без даты урока. Впишите дату урока в заголовок "
                       "столбца или перенесите отметку", sheet=SHEET_GRID, cell=address,
                student=name)
            continue
        day, seq, _topic, kind = column
        problem = date_problems[c]
        if problem is not None:
            err(problem[0], problem[1], sheet=SHEET_GRID, cell=address, student=name, date=day)
            continue
        if marks and not marks_allowed[c]:
            err("M06", f"{day:%d.%m.%Y} {school_class.name} учится без отметок "
                       f"({settings.unmarked_text(school_class)}); оставьте в ячейке только код "
                       "отсутствия (Н, Б, У, О)", sheet=SHEET_GRID, cell=address, student=name,
                date=day)
            continue
        if row_student.joined and day < row_student.joined:
            err("S05", f"запись до зачисления ученика ({row_student.joined:%d.%m.%Y}). "
                       "Уберите её или проверьте дату зачисления",
                sheet=SHEET_GRID, cell=address, student=name, date=day)
            continue
        if row_student.left and day > row_student.left:
            err("S06", f"запись после выбытия ученика ({row_student.left:%d.%m.%Y}). "
                       "Уберите её или проверьте дату выбытия",
                sheet=SHEET_GRID, cell=address, student=name, date=day)
            continue
        if today is not None and day > today:
            future_columns.add(c)
        if absence:
            add_absence(_record(AttendanceRecord, (name, day, seq, absence, address)))
        if marks:
            column_has_marks[c] = True
            weight = kind.weight if kind else 1.0
            in_period = marks_in_period.setdefault((name, column_periods[c]), [])
            for position, mark in enumerate(marks, start=1):
                add_mark(_record(MarkRecord, (name, day, seq, position, mark, weight, address)))
                in_period.append((mark, weight))
    for c in sorted(future_columns):
        future = columns[c]
        if future is not None and today is not None:
            warn("D06", f"записи за урок {future[0]:%d.%m.%Y}, который ещё не прошёл (сегодня "
                        f"{today:%d.%m.%Y}). Проверьте, в тот ли столбец они внесены",
                 sheet=SHEET_GRID, cell=view.dates[c].cell, date=future[0])
    for c, column in enumerate(columns):
        if column is None or not column_has_marks[c]:
            continue
        day, seq, topic, kind = column
        if not topic:
            topic_cell = log_by_key.get((day, seq), {}).get(LOG_TOPIC)
            warn("L01", f"за урок {day:%d.%m.%Y} стоят отметки, но не записана тема. "
                        f"Впишите тему на листе «{SHEET_LOG}»", sheet=SHEET_LOG,
                 cell=topic_cell.cell if topic_cell else "", date=day)
        if kind is None and not (c < len(view.kinds) and clean_text(view.kinds[c].value)):
            warn("K02", f"за урок {day:%d.%m.%Y} стоят отметки, но не указан вид работы. "
                        "Выберите его из выпадающего списка", sheet=SHEET_GRID,
                 cell=view.kinds[c].cell if c < len(view.kinds) else "", date=day)

    # final marks
    _validate_finals(view, settings, school_class.name, rec, rows, marks_in_period, err, warn,
                     has_exam=item.exam)
    roster = [r.full_name for r in rows if r is not None]
    rec.messages = validate_messages(view.messages, roster, settings, found)
    return Validated(rec, out)


_BLANK: tuple[str | None, tuple[int, ...]] = (None, ())


def _digest(parsed: CellEntry | CellProblem) -> tuple[str | None, tuple[int, ...]] | CellProblem:
    """A parsed grid cell as the grid loop takes it: the problem, or ``(absence, marks)``
    (:data:`_BLANK` for a blank cell)."""
    if isinstance(parsed, CellProblem):
        return parsed
    return _BLANK if parsed.is_empty else (parsed.absence, parsed.marks)


def _missing_lessons(settings: Settings, item: CurriculumItem,
                     columns: list[tuple[dt.date, int, str, WorkKind | None] | None],
                     ) -> list[tuple[dt.date, int]]:
    """Lessons of the timetable (as in a fresh workbook) with no column in the grid.

    Like ``D04`` the grid is compared with the timetable; a lesson moved to another
    date leaves one date missing and one extra, so only when more lessons are missing
    than there are dates off the timetable have columns been lost.
    """
    expected = lesson_keys(settings.lesson_dates(item))
    present = {(col[0], col[1]) for col in columns if col is not None}
    missing = [key for key in expected if key not in present]
    extra = present.difference(expected)
    return missing if len(missing) > len(extra) else []


def days_text(lessons: list[tuple[dt.date, int]], limit: int = 6) -> str:
    """«12.10.2026, 13.10.2026» (a date once, however many lessons it had), «… и ещё N» after ``limit``."""
    days = sorted({day for day, _seq in lessons})
    text = ", ".join(f"{day:%d.%m.%Y}" for day in days[:limit])
    return text + (f" и ещё {len(days) - limit}" if len(days) > limit else "")


def _date_as_text(text: object, day: dt.date) -> str:
    return (f"дата «{clean_text(text)}» введена текстом; она понята как {day:%d.%m.%Y} — "
            "проверьте. Чтобы замечание не повторялось, задайте ячейке формат «Дата» и введите "
            "дату заново")


def _date_problem(day: dt.date, settings: Settings,
                  school_class: SchoolClass) -> tuple[str, str] | None:
    """Why nothing may be recorded on ``day`` (finding code and message), or None."""
    if day < settings.year_start or day > settings.year_end:
        return ("D03", f"дата {day:%d.%m.%Y} вне {settings.school_year} учебного года. "
                       "Проверьте дату урока")
    if settings.is_holiday(day, school_class.grade):
        return ("D05", f"{day:%d.%m.%Y} — каникулы или выходной. Перенесите запись на день урока")
    if settings.period_of(school_class, day) is None:
        return ("D03", f"дата {day:%d.%m.%Y} не входит ни в один учебный период. "
                       "Проверьте дату урока")
    return None


FINAL_KIND_BY_COLUMN = {FINAL_YEAR: "year", FINAL_EXAM: "exam", FINAL_FINAL: "final"}


def _validate_finals(view: SubjectView, settings: Settings, class_name: str,
                     rec: SubjectRecords, rows: list[KnownStudent | None],
                     marks_in_period: dict[tuple[str, str], list[tuple[int, float]]],
                     err: Callable[..., None], warn: Callable[..., None], *,
                     has_exam: bool = False) -> None:
    periods = {p.name: p for p in settings.periods_for(class_name)}
    by_key = {name_key(s.full_name): s for s in rows if s is not None}
    tolerance = settings.norms.period_mark_tolerance
    for name_cell, cells in view.finals:
        name = clean_text(name_cell.value)
        filled = [c for c in cells if c.value is not None and clean_text(c.value)]
        if not name:
            if filled:
                err("S04", "итоговая отметка в строке без ФИО ученика. Впишите ученика или "
                           "уберите отметку", sheet=SHEET_FINALS, cell=filled[0].cell)
            continue
        student = by_key.get(name_key(name))
        if student is None:
            if filled:
                err("S01", f"ученика «{name}» нет в журнале этого предмета. Проверьте ФИО",
                    sheet=SHEET_FINALS, cell=name_cell.cell, student=name)
            continue
        typed: dict[str, tuple[str, str]] = {}  # column → (mark, cell)
        for header, cell in zip(view.finals_header, cells, strict=False):
            parsed = parse_final_mark(cell.value)
            if parsed is None:
                continue
            where = {"sheet": SHEET_FINALS, "cell": cell.cell, "student": student.full_name}
            if isinstance(parsed, CellProblem):
                err(parsed.code, parsed.message, **where)
                continue
            typed[header] = (parsed, cell.cell)
            period = periods.get(header)
            kind = "period" if period else FINAL_KIND_BY_COLUMN.get(header, header)
            rec.finals.append(FinalRecord(student.full_name, kind, header if period else "",
                                          parsed, cell.cell))
            if period is None or not parsed.isdigit():
                continue
            inside = marks_in_period.get((student.full_name, period.name))
            if not inside:
                continue
            average = sum(v * w for v, w in inside) / sum(w for _, w in inside)
            if abs(int(parsed) - average) > tolerance:
                warn("F02", f"отметка за {period.name} «{parsed}» далека от средневзвешенного "
                            f"балла {number_ru(average)}. Проверьте отметку", **where)
        _check_year_marks(typed, list(periods), settings, student.full_name, has_exam, warn)


def _check_year_marks(typed: dict[str, tuple[str, str]], period_names: list[str], settings: Settings,
                      student: str, has_exam: bool, warn: Callable[..., None]) -> None:
    """Year, exam and final marks against the rules of :mod:`journal.school.year_marks`."""
    period_marks: list[str | None] = [typed[n][0] if n in typed else None for n in period_names]
    year = typed.get(FINAL_YEAR)
    exam = typed.get(FINAL_EXAM)
    final = typed.get(FINAL_FINAL)

    def where(cell: str) -> dict[str, str]:
        return {"sheet": SHEET_FINALS, "cell": cell, "student": student}

    if year is not None:
        accepted = year_marks.accepted_year_marks(period_marks, settings.norms)
        if accepted and year[0] not in accepted:
            proposed = year_marks.propose_year_mark(period_marks, settings.norms)
            warn("F03", f"годовая отметка «{year[0]}» не следует из отметок за периоды "
                        f"({year_marks.average_text(period_marks)}); по правилу школы — «{proposed}». "
                        "Проверьте годовую отметку", **where(year[1]))
    if exam is not None and not has_exam:
        warn("F06", f"экзаменационная отметка «{exam[0]}», но экзамена по этому предмету нет в "
                    "учебном плане. Уберите отметку или отметьте экзамен в настройках",
             **where(exam[1]))
    if has_exam and exam is None and final is not None:
        warn("F05", "выставлена итоговая отметка, но нет экзаменационной. Впишите отметку за "
                    f"экзамен в столбец «{FINAL_EXAM}»", **where(final[1]))
        return
    if final is not None and year is not None:
        expected = year_marks.propose_final_mark(year[0], exam[0] if exam else None, has_exam)
        if expected is not None and final[0] != expected:
            basis = (f"годовой «{year[0]}» и экзаменационной «{exam[0]}»" if has_exam and exam
                     else f"годовой «{year[0]}»")
            warn("F04", f"итоговая отметка «{final[0]}» не следует из {basis}; по правилу — "
                        f"«{expected}». Проверьте итоговую отметку", **where(final[1]))
