"""A whole school year through the commands: the sample school on 20.06.2027 (every period
ended, the year's marks set), then ``journal new-year`` from it.

The sample year is built once for the module (several minutes: every period's report set
and paper copies are rendered).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from journal.cli.main import app
from journal.demo.build import DemoResult, build_demo
from journal.demo.content import demo_settings
from journal.reports.common import class_students, enrolled_on, rows_of
from journal.reports.data import load
from journal.reports.year_end import student_outcomes, year_results
from journal.school.folder import class_workbook_name
from journal.workbooks.settings_reader import load_settings
from journal.year.new_year import next_settings

YEAR_END_DAY = dt.date(2027, 6, 20)


def test_next_settings_promote_every_class_and_carry_the_plan_by_grade() -> None:
    old = demo_settings()
    new = next_settings(old)
    assert new.school_year == "2027/2028"
    assert new.year_start == dt.date(2027, 9, 1)
    assert [c.name for c in new.classes] == [f"{g}А" for g in range(1, 12)]
    teachers = {c.name: c.class_teacher for c in old.classes}
    assert {c.name: c.class_teacher for c in new.classes}["6А"] == teachers["5А"]
    assert {c.name: c.class_teacher for c in new.classes}["11А"] == teachers["10А"]
    for grade in range(1, 12):
        old_plan = {(i.subject, i.group, i.weekly_hours, i.teacher) for i in old.curriculum_for(f"{grade}А")}
        assert {(i.subject, i.group, i.weekly_hours, i.teacher)
                for i in new.curriculum_for(f"{grade}А")} == old_plan


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return build_demo(tmp_path_factory.mktemp("year") / "school", today=YEAR_END_DAY)


@pytest.mark.slow
def test_the_year_ends_with_every_period_s_reports_and_copies(year: DemoResult) -> None:
    assert year.problems == []
    reports = [p.name for p in year.outputs["reports"] if p.suffix == ".pdf"]
    for quarter in ("1 четверть", "2 четверть", "3 четверть", "4 четверть"):
        assert any("Успеваемость" in name and quarter in name for name in reports), (quarter, reports)
        assert any("Посещаемость" in name and quarter in name for name in reports), quarter
    assert any(name.startswith("Итоги года") for name in reports), reports
    copies = [str(p) for p in year.outputs["print"]]
    settings = load_settings(year.school.settings_path)
    for school_class in settings.classes:
        last = settings.periods_for(school_class)[-1].name
        assert any(school_class.name in c and last in c for c in copies), (school_class.name, last)


@pytest.mark.slow
def test_new_year_promotes_the_classes_and_leaves_the_old_year_as_it_was(
        year: DemoResult, tmp_path: Path) -> None:
    old_root = year.school.root
    before = _hashes(old_root)
    new_root = tmp_path / "next"
    result = CliRunner().invoke(app, ["new-year", "--from", str(old_root), "--to", str(new_root)])
    assert result.exit_code == 0, result.output
    assert "Переведены условно" in result.output
    assert _hashes(old_root) == before

    # The expectation, from the old dataset's outcomes of the year.
    settings = load_settings(old_root / "Настройки.xlsx")
    dataset = load(old_root / "journal.sqlite")
    outcomes = student_outcomes(year_results(dataset, settings), settings, dataset)
    outcome_of = {(c, int(s)): o for c, s, o in rows_of(outcomes, "class", "student_id", "outcome")}
    expected: dict[str, set[str]] = {}
    for school_class in settings.classes:
        roster = enrolled_on(class_students(dataset.students, school_class.name), settings.year_end)
        for sid, name in rows_of(roster, "id", "full_name"):
            outcome = outcome_of[(school_class.name, int(sid))]
            if outcome == "окончил":
                continue
            grade = school_class.grade if outcome == "оставлен на повторное обучение" \
                else school_class.grade + 1
            expected.setdefault(f"{grade}{school_class.letter}", set()).add(str(name))
    assert "оставлен на повторное обучение" in outcome_of.values()
    new_settings = load_settings(new_root / "Настройки.xlsx")
    assert new_settings.school_year == "2027/2028"
    for school_class in new_settings.classes:
        listed = _class_list(new_root / "classes" / class_workbook_name(school_class.name))
        assert listed == expected.get(school_class.name, set()), school_class.name

    templates = CliRunner().invoke(app, ["templates", "--school", str(new_root)])
    assert templates.exit_code == 0, templates.output
    assert len(list((new_root / "workbooks").glob("*.xlsx"))) == len(new_settings.curriculum)


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _class_list(path: Path) -> set[str]:
    from journal.workbooks.format import NAME_CLASS_STUDENTS

    wb = openpyxl.load_workbook(path)
    sheet_name, ref = next(iter(wb.defined_names[NAME_CLASS_STUDENTS].destinations))
    cells = wb[sheet_name][ref.replace("$", "")]
    names = {str(row[0].value).strip() for row in list(cells)[1:] if row[0].value}
    return names
