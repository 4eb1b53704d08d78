"""The settings workbook's layout: sheet names, defined names, column headers, row labels.

Shared by :mod:`journal.workbooks.settings_writer` (which writes the workbook the coordinator
fills) and :mod:`journal.workbooks.settings_reader` (which reads it back). Every data area is a
header row followed by input rows, found through a workbook-level defined name (``jr_set_*``);
readers map columns by header text, so rows and columns may move.
"""

from __future__ import annotations

from collections.abc import Iterator

# Sheets
SHEET_SCHOOL = "Школа"
SHEET_PERIODS = "Периоды"
SHEET_HOLIDAYS = "Каникулы"
SHEET_CLASSES = "Классы"
SHEET_CURRICULUM = "Учебный план"
SHEET_TIMETABLE = "Расписание"
SHEET_CHANGES = "Изменения расписания"
SHEET_KINDS = "Виды работ"
SHEET_NORMS = "Нормы"
SHEET_DECISIONS = "Решения педсовета"
SHEET_EVENTS = "События"

# Data areas (header row + input rows)
NAME_SCHOOL = "jr_set_school"
NAME_PERIODS = "jr_set_periods"
NAME_HOLIDAYS = "jr_set_holidays"
NAME_CLASSES = "jr_set_classes"
NAME_CURRICULUM = "jr_set_curriculum"
NAME_TIMETABLE = "jr_set_timetable"
NAME_CHANGES = "jr_set_timetable_changes"
NAME_KINDS = "jr_set_work_kinds"
NAME_NORMS = "jr_set_norms"
NAME_MIN_MARKS = "jr_set_min_marks"
NAME_UNMARKED = "jr_set_unmarked"
NAME_DECISIONS = "jr_set_decisions"  # optional: files made before it lack the sheet
NAME_EVENTS = "jr_set_events"  # optional: files made before it lack the sheet

# Lists behind drop-downs
LIST_SETS = "jr_set_list_sets"
LIST_WEEKDAYS = "jr_set_list_weekdays"
LIST_YES_NO = "jr_set_list_yes_no"
LIST_SUBJECTS = "jr_set_list_subjects"
LIST_CLASSES = "jr_set_list_classes"
LIST_CHANGE_KINDS = "jr_set_list_change_kinds"

# Column headers
COL_PARAM = "Параметр"
COL_VALUE = "Значение"
COL_NOTE = "Пояснение"
COL_SET = "Набор периодов"
COL_NUMBER = "Номер"
COL_NAME = "Название"
COL_START = "Начало"
COL_END = "Конец"
COL_GRADES = "Для параллелей (пусто — для всех)"
COL_CLASS = "Класс"
COL_GRADE = "Параллель"
COL_LETTER = "Буква"
COL_CLASS_TEACHER = "Классный руководитель"
COL_TEACHER_EMAIL = "Эл. почта классного руководителя (для дневника)"  # optional column
COL_EVENT_DATE = "Дата"
COL_EVENT_TITLE = "Событие"
COL_EVENT_FOR = "Для кого («школа» или классы через запятую)"
EVENT_FOR_SCHOOL = "школа"
COL_SUBJECT = "Предмет"
COL_GROUP = "Группа (пусто, если класс не делится)"
COL_HOURS = "Часов в неделю"
COL_TEACHER = "Учитель"
COL_EXAM = "Экзамен (да/нет)"
COL_STUDENT = "Ученик"
COL_DECISION = "Решение"
COL_DECISION_DATE = "Дата педсовета"
COL_DECISION_NOTE = "Основание (протокол)"
COL_WEEKDAY = "День недели"
COL_LESSON_NO = "Номер урока"
COL_KIND = "Вид работы"
COL_WEIGHT = "Вес"
COL_WRITTEN = "Письменная работа (да/нет)"
COL_MIN_HOURS = "Часов в неделю, от"
COL_MIN_MARKS = "Отметок за период, не меньше"
COL_VALID_FROM = "Действует с"
COL_VALID_TO = "Действует по (пусто — до конца года)"
COL_FROM = "С (пусто — с начала года)"
COL_TO = "По (пусто — до конца года)"
COL_CHANGE = "Что меняется"
COL_CHANGE_CLASS = "Класс («все» — вся школа)"
COL_CHANGE_SUBJECT = "Предмет (пусто — все уроки)"
COL_DATE = "Дата (или первый день)"
COL_DATE_TO = "По (последний день отмены)"
COL_NEW_DATE = "Новая дата (для переноса)"
COL_NEW_LESSON_NO = "Новый номер урока"
COL_REASON = "Причина"
COL_UNMARKED_GRADE = "Параллель"
COL_UNMARKED_UNTIL = "Без отметок до (дата или период включительно)"

# Rows of «Школа»
ROW_SCHOOL_NAME = "Название школы"
ROW_YEAR = "Учебный год"
ROW_DIRECTOR = "Директор"
ROW_DEPUTY = "Заместитель директора по УВР"
ROW_RATING = "Место в классе в письмах родителям"
ROW_TODAY = "Сегодня (для примера)"

# Rows of «Нормы»: label → (Norms field, explanation)
NORM_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Отметка за урок — не позднее, дней", "ordinary_mark_days",
     "Через сколько дней после урока отметка считается выставленной поздно (0 — в день урока)."),
    ("Письменные работы 2–9 классов — не позднее, дней", "written_days_lower",
     "Срок проверки и выставления отметок за письменные работы (по Положению — 5 дней)."),
    ("Письменные работы 10–11 классов — не позднее, дней", "written_days_upper",
     "То же для 10–11 классов (по Положению — 7 дней)."),
    ("Порог округления отметки за период", "rounding_threshold",
     "Средний балл округляется вверх, если дробная часть не меньше порога: при 0,6 — 3,6 → 4, 3,5 → 3."),
    ("Допустимое отклонение отметки за период от среднего балла", "period_mark_tolerance",
     "Если отметка за период отличается от среднего больше, программа предупредит."),
    ("Доля удалённых отметок, при которой файл задерживается", "large_removal_share",
     "Если учитель стёр больше этой доли уже собранных отметок, файл не сливается до проверки."),
)
NORM_INT_FIELDS = {"ordinary_mark_days", "written_days_lower", "written_days_upper"}
NORM_RANGES: dict[str, tuple[float, float]] = {
    "ordinary_mark_days": (0, 30),
    "written_days_lower": (1, 30),
    "written_days_upper": (1, 30),
    "rounding_threshold": (0.5, 0.99),
    "period_mark_tolerance": (0.1, 2.0),
    "large_removal_share": (0.01, 1.0),
}

SUBJECTS_RU = (
    "Русский язык", "Литературное чтение", "Литература", "Родной язык", "Родная литература",
    "Английский язык", "Немецкий язык", "Французский язык", "Математика", "Алгебра", "Геометрия",
    "Вероятность и статистика", "Информатика", "Окружающий мир", "История", "Обществознание",
    "География", "Биология", "Физика", "Химия", "Музыка", "Изобразительное искусство",
    "Труд (технология)", "Физическая культура", "Основы безопасности и защиты Родины", "ОРКСЭ",
    "ОДНКНР", "Индивидуальный проект",
)
YES, NO = "да", "нет"
GROUP_EXAMPLE = "1 группа"

# Input rows per area (generous: the coordinator never has to extend a range)
ROWS = {
    NAME_PERIODS: 12, NAME_HOLIDAYS: 40, NAME_CLASSES: 60, NAME_CURRICULUM: 600,
    NAME_TIMETABLE: 1500, NAME_KINDS: 30, NAME_MIN_MARKS: 10, NAME_DECISIONS: 200,
    NAME_CHANGES: 300, NAME_UNMARKED: 10, NAME_EVENTS: 200,
}
FIRST_HEADER_ROW = 3  # row 1: title, row 2: hint
DATE_FORMAT = "DD.MM.YYYY"
LESSON_NO_MAX = 8


def iter_area_names() -> Iterator[str]:
    """Every defined name of a data area the settings workbook carries."""
    yield from (NAME_SCHOOL, NAME_PERIODS, NAME_HOLIDAYS, NAME_CLASSES, NAME_CURRICULUM,
                NAME_TIMETABLE, NAME_CHANGES, NAME_KINDS, NAME_NORMS, NAME_MIN_MARKS,
                NAME_UNMARKED, NAME_DECISIONS, NAME_EVENTS)
