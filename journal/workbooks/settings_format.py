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
SHEET_KINDS = "Виды работ"
SHEET_NORMS = "Нормы"

# Data areas (header row + input rows)
NAME_SCHOOL = "jr_set_school"
NAME_PERIODS = "jr_set_periods"
NAME_HOLIDAYS = "jr_set_holidays"
NAME_CLASSES = "jr_set_classes"
NAME_CURRICULUM = "jr_set_curriculum"
NAME_TIMETABLE = "jr_set_timetable"
NAME_KINDS = "jr_set_work_kinds"
NAME_NORMS = "jr_set_norms"
NAME_MIN_MARKS = "jr_set_min_marks"

# Lists behind drop-downs
LIST_SETS = "jr_set_list_sets"
LIST_WEEKDAYS = "jr_set_list_weekdays"
LIST_YES_NO = "jr_set_list_yes_no"
LIST_SUBJECTS = "jr_set_list_subjects"
LIST_CLASSES = "jr_set_list_classes"

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
COL_SUBJECT = "Предмет"
COL_GROUP = "Группа (пусто, если класс не делится)"
COL_HOURS = "Часов в неделю"
COL_TEACHER = "Учитель"
COL_WEEKDAY = "День недели"
COL_LESSON_NO = "Номер урока"
COL_KIND = "Вид работы"
COL_WEIGHT = "Вес"
COL_WRITTEN = "Письменная работа (да/нет)"
COL_MIN_HOURS = "Часов в неделю, от"
COL_MIN_MARKS = "Отметок за период, не меньше"

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
    NAME_TIMETABLE: 1500, NAME_KINDS: 30, NAME_MIN_MARKS: 10,
}
FIRST_HEADER_ROW = 3  # row 1: title, row 2: hint
DATE_FORMAT = "DD.MM.YYYY"
LESSON_NO_MAX = 8


def iter_area_names() -> Iterator[str]:
    """Every defined name of a data area the settings workbook carries."""
    yield from (NAME_SCHOOL, NAME_PERIODS, NAME_HOLIDAYS, NAME_CLASSES, NAME_CURRICULUM,
                NAME_TIMETABLE, NAME_KINDS, NAME_NORMS, NAME_MIN_MARKS)
