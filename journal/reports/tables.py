"""Report tables for people: Russian headers, Russian numbers and dates, no index.

The report functions return DataFrames with English column names and raw values; the
notebooks show them through :func:`for_print` (a DataFrame of text) or :func:`styled`
(the same, as a pandas Styler without the index, ready for HTML and PDF).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from journal.core.formatting import MISSING, date_ru, initials_ru, number_ru, percent_ru

COLUMN_TITLES: dict[str, str] = {
    "class": "Класс", "subject": "Предмет", "grp": "Группа", "teacher": "Учитель",
    "student": "Ученик", "full_name": "Ученик", "date": "Дата", "week": "Неделя",
    "weekly_hours": "Часов в неделю", "min_marks": "Норма отметок",
    "planned": "Уроков по плану", "lessons": "Уроков в журнале", "held": "Проведено (с темой)",
    "with_topic": "С темой", "with_homework": "С домашним заданием",
    "topic_pct": "С темой, %", "homework_pct": "С д/з, %", "students": "Учеников",
    "no_marks": "Без отметок", "one_mark": "С одной отметкой", "below_min": "Меньше нормы",
    "no_marks_pct": "Без отметок, %", "one_mark_pct": "С одной отметкой, %",
    "below_min_pct": "Меньше нормы, %", "workbooks": "Журналов", "mark_count": "Отметок",
    "problem": "Что не так", "marks": "Отметок", "marks_on_day": "Выставлено в срок",
    "on_day_pct": "В срок, %", "assessed": "С отметками", "last_update": "Последнее обновление",
    "attested": "Аттестовано", "excellent": "Отличники", "good": "Хорошисты",
    "one_three": "С одной «3»", "failing": "Неуспевающие", "not_attested": "Не аттестованы",
    "pass_rate": "Успеваемость, %", "quality_rate": "Качество знаний, %", "sou": "СОУ, %",
    "average": "Средний балл", "forecasts": "Прогнозных отметок",
    "n5": "«5»", "n4": "«4»", "n3": "«3»", "n2": "«2»", "n1": "«1»", "zch": "зч", "nz": "нз",
    "osv": "осв", "nna": "н/а", "value": "Отметка", "source": "Откуда",
    "weighted_average": "Средневзвешенный балл", "forecast": "Прогноз", "at_risk": "Под угрозой",
    "risk": "Причина", "lessons_missed": "Пропущено уроков", "missed_Б": "по болезни (Б)",
    "missed_У": "по уважительной (У)", "missed_Н": "без уважительной (Н)", "late": "Опозданий (О)",
    "days_missed": "Пропущено дней", "days_Б": "дней Б", "days_У": "дней У", "days_Н": "дней Н",
    "per_student": "Уроков на ученика", "reason": "Причина", "Б": "Б", "У": "У", "Н": "Н",
    "О": "О", "gap": "Отставание", "fulfilled_pct": "Выполнено, %", "missing": "Не проведено",
    "cancelled": "Отменено (актированные дни)", "moved": "Перенесено", "extra": "Дополнительных",
    "missing_lessons": "Не проведено уроков", "detected_at": "Обнаружено", "change": "Изменение",
    "entity": "Что", "lesson_date": "Дата урока", "kind": "Вид работы", "period": "Период",
    "old_value": "Было", "new_value": "Стало", "days_late": "Дней опоздания", "file": "Файл",
    "cell": "Ячейка", "first_seen": "Впервые в базе", "days": "Дней", "allowed_days": "Норма, дней",
    "topic": "Тема", "homework": "Домашнее задание", "correction": "Исправления",
    "removal": "Удаления", "late_entry": "Запоздалые записи",
    "late_written": "Письменные работы проверены поздно", "late_topics": "Темы записаны поздно",
    "expected_marks": "Нужно к этому дню", "max_days": "Наибольшее опоздание, дней",
    "mean_days": "Среднее опоздание, дней", "first_date": "Первый урок", "last_date": "Последний урок",
    "failing_subjects": "Прогноз «2»", "few_marks_subjects": "Мало отметок (есть из нужных)",
    "no_marks_subjects": "Нет отметок", "one_mark_subjects": "Одна отметка",
    "below_min_subjects": "Меньше нормы (есть из нормы)",
    "promoted": "Переведены", "conditional": "Переведены условно (с академической задолженностью)",
    "kept": "Оставлены на повторное обучение", "graduated": "Окончили",
    "not_graduated": "Не окончили", "undecided": "Не определено", "outcome": "Итог года",
    "periods": "Отметки за периоды", "year": "Годовая", "year_proposed": "Годовая по правилу",
    "exam": "Экзамен", "final": "Итоговая", "final_proposed": "Итоговая по правилу",
    "what": "Чего нет", "ended": "Период окончен", "missing_marks": "Не выставлено отметок",
    "workbooks_behind": "Журналов не собрано", "copies": "Напечатано копий",
    "last_copy": "Последняя копия", "ready": "Готов к печати",
    "codes": "Выдано кодов", "opened": "Открывали дневник (семей)", "visits": "Посещений дневника",
    "letters": "Получили письмо по почте (семей)", "reached": "Участвовали (семей)",
    "reached_pct": "Участие, %",
}

HIDDEN = frozenset({"student_id", "id", "seq", "_order"})
PERCENT = frozenset({"pass_rate", "quality_rate", "sou"})
DECIMAL = {"average": 2, "weighted_average": 2, "per_student": 1, "weekly_hours": 1,
           "mean_days": 1}
DATES = frozenset({"date", "week", "lesson_date", "first_date", "last_date"})
MOMENT = frozenset({"first_seen", "last_update", "detected_at", "last_seen"})
VALUE_WORDS = {"final": "выставлена", "forecast": "прогноз", "correction": "исправление",
               "removal": "удаление", "late_entry": "запоздалая запись", "mark": "отметка",
               "attendance": "пропуск", "final_mark": "итоговая отметка", "topic": "тема урока",
               "homework": "домашнее задание", "message": "сообщение семьям"}
WORD_COLUMNS = frozenset({"source", "change", "entity"})
LEFT = frozenset({"student", "full_name", "teacher", "subject", "topic", "homework", "risk",
                  "problem", "file", "kind", "failing_subjects", "few_marks_subjects",
                  "no_marks_subjects", "one_mark_subjects", "below_min_subjects", "what", "reason",
                  "outcome", "last_copy"})


def _moment_ru(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return MISSING
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{date_ru(stamp.date())} {stamp:%H:%M}"


def _cell(column: str, value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return MISSING if column not in ("grp", "topic", "homework", "risk", "problem")  \
            and not column.endswith("_subjects") else ""
    if isinstance(value, bool):
        return "да" if value else ""
    if column in MOMENT:
        return _moment_ru(value)
    if isinstance(value, (pd.Timestamp,)) or column in DATES:
        return date_ru(pd.Timestamp(value).date())  # type: ignore[arg-type]
    if column.endswith("_pct") or column in PERCENT:
        return percent_ru(float(value), 1)  # type: ignore[arg-type]
    if column in DECIMAL:
        number = float(value)  # type: ignore[arg-type]
        return number_ru(number, 0 if number.is_integer() and column == "weekly_hours"
                         else DECIMAL[column])
    if column in WORD_COLUMNS:
        return VALUE_WORDS.get(str(value), str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def for_print(frame: pd.DataFrame, titles: Mapping[str, str] | None = None,
              drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame as text for a printed report: Russian headers (``COLUMN_TITLES``, then
    ``titles``), percentages «85,3 %», decimals «4,25», dates «28.11.2026», «—» for a
    missing value; technical columns (ids) and ``drop`` left out; a fresh index. Where a
    row is a subject, its teacher is shortened to «Петрова А. И.»."""
    names = {**COLUMN_TITLES, **(titles or {})}
    keep = [c for c in frame.columns if c not in HIDDEN and c not in drop]
    printed = pd.DataFrame({c: [_cell(str(c), v) for v in frame[c]] for c in keep},
                           index=range(len(frame)))
    if "teacher" in printed.columns and "subject" in printed.columns:
        printed["teacher"] = [initials_ru(t) if t != MISSING else t for t in printed["teacher"]]
    return printed.rename(columns={c: names.get(str(c), str(c)) for c in keep})


def styled(frame: pd.DataFrame, titles: Mapping[str, str] | None = None,
           drop: tuple[str, ...] = ()) -> Styler:
    """:func:`for_print` as a Styler without the index (what the notebooks display)."""
    printed = for_print(frame, titles, drop)
    names = {**COLUMN_TITLES, **(titles or {})}
    left: list[Hashable] = [names.get(c, c) for c in frame.columns if c in LEFT and c not in drop]
    styler = printed.style.hide(axis="index")
    if left:
        styler = styler.map(lambda _value: "text-align: left", subset=left)
    return styler


def styled_sheet(sheet: pd.DataFrame) -> Styler:
    """A students × subjects sheet (columns «№», «Ученик», then subjects) with centred
    marks and the names on the left."""
    styler = sheet.style.hide(axis="index").set_table_styles(
        [{"selector": "td", "props": [("text-align", "center")]}])
    if "Ученик" in sheet.columns:
        styler = styler.map(lambda _value: "text-align: left", subset=["Ученик"])
    return styler
