"""The audit of changes, late written works and late topics, on the fixture school."""

from __future__ import annotations

import pytest
from reports_fixtures import MATH_TEACHER, RUSSIAN_TEACHER, load_fixture, make_settings

from journal.reports import audit
from journal.reports.data import Dataset, empty_dataset

QUARTER = ("2026-09-01", "2026-10-25")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_fixture(tmp_path_factory.mktemp("aud"))


def test_change_log(data: Dataset) -> None:
    changes = audit.change_log(data, *QUARTER)
    assert sorted(zip(changes["change"], changes["student"], changes["teacher"], strict=True)) == [
        ("correction", "Васильев Пётр", MATH_TEACHER),
        ("late_entry", "Алексеев Иван", MATH_TEACHER),
        ("removal", "Григорьев Олег", RUSSIAN_TEACHER)]
    assert audit.change_log(data, "2026-10-01", "2026-10-25").empty


def test_late_written_works(data: Dataset) -> None:
    late = audit.late_written_works(data, make_settings(), *QUARTER)
    # the test of 16.09 in 5А: Борисова's mark appeared on 25.09, 9 days > 5;
    # the written work of 09.09 was marked in 3 days; the 10А lab work of 10.09 in 6 ≤ 7 days
    assert len(late) == 1
    row = late.iloc[0]
    assert (row["teacher"], row["class"], row["kind"], row["marks"], row["days"],
            row["allowed_days"]) == (MATH_TEACHER, "5А", "Контрольная работа", 1, 9, 5)
    assert row["date"].strftime("%d.%m") == "16.09"


def test_late_topics(data: Dataset) -> None:
    topics = audit.late_topics(data, make_settings(), *QUARTER)
    assert list(zip(topics["subject"], topics["days"], strict=True)) == [("Математика", 6)]


def test_by_teacher(data: Dataset) -> None:
    settings = make_settings()
    summary = audit.audit_by_teacher(audit.change_log(data, *QUARTER),
                                     audit.late_written_works(data, settings, *QUARTER),
                                     audit.late_topics(data, settings, *QUARTER)).set_index("teacher")
    assert summary.loc[MATH_TEACHER].tolist() == [1, 0, 1, 1, 1]
    assert summary.loc[RUSSIAN_TEACHER].tolist() == [0, 1, 0, 0, 0]


def test_empty_dataset() -> None:
    empty = empty_dataset()
    changes = audit.change_log(empty, *QUARTER)
    written = audit.late_written_works(empty, make_settings(), *QUARTER)
    topics = audit.late_topics(empty, make_settings(), *QUARTER)
    assert changes.empty and written.empty and topics.empty
    assert audit.audit_by_teacher(changes, written, topics).empty
