"""`journal print --period год`: every class's last-period copy, with the year, exam and final marks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support.print_fixtures import build_print_dataset, print_settings

from journal.core.errors import UsageError
from journal.dataset import store
from journal.documents.copies.data import load_class_copy
from journal.documents.copies.layout import finals_part
from journal.documents.copies.plan import plan_print


@pytest.mark.parametrize(("class_name", "expected"), [
    (None, {("1А", "4 четверть"), ("5А", "4 четверть"), ("10А", "2 полугодие")}),
    ("10а", {("10А", "2 полугодие")}),
])
def test_year_plan_takes_each_class_last_period(class_name, expected):
    for spec in ("год", "Год", "учебный год"):
        plan = plan_print(print_settings(), spec, class_name)
        assert {(j.school_class.name, j.period.name) for j in plan.jobs} == expected
        assert plan.skipped == []


def test_year_plan_refuses_an_unknown_class():
    with pytest.raises(UsageError, match="7Б"):
        plan_print(print_settings(), "год", "7Б")


def test_year_copy_carries_year_exam_and_final_marks(tmp_path: Path):
    settings = print_settings()
    path = build_print_dataset(tmp_path / "journal.sqlite", settings).path
    conn = sqlite3.connect(path)
    for kind, value in (("year", "4"), ("exam", "5"), ("final", "5")):
        conn.execute(
            "INSERT INTO final_marks (class, subject, grp, student_id, kind, period, value, first_seen,"
            " last_seen) SELECT '5А', 'Математика', '', id, ?, '', ?, '', '' FROM students"
            " WHERE class = '5А' AND left_on IS NULL", (kind, value))
    conn.commit()
    conn.close()
    job = plan_print(settings, "год", "5А").jobs[0]
    with store.opened(path) as opened:
        copy = load_class_copy(opened, settings, job.school_class, job.period)
    maths = next(s for s in copy.sections if s.subject == "Математика")
    headers = [h for h, _ in maths.final_columns(job.period.name, True)]
    assert headers == ["4 четверть", "Год", "Экзамен", "Итог"]
    assert set(dict(maths.final_columns(job.period.name, True))["Год"].values()) == {"4"}
    page = finals_part(copy)
    for title in ("годовые отметки", "экзаменационные отметки", "итоговые отметки"):
        assert f"Сводная ведомость: {title}" in page
