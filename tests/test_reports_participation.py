"""Participation of parents and students (3.5): codes, diary visits and e-mailed letters per class."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from support.letters_fixtures import build_school_folder

from journal.documents.diary.build import build_diary
from journal.documents.diary.codes import CodeBook, codes_path, family_key
from journal.documents.mailing import sent_log_path
from journal.reports.participation import family_participation
from journal.reports.tables import styled
from journal.school.folder import SchoolFolder


def _fake_render(html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")


def _sent(folder: SchoolFolder, when: str, class_name: str, student: str) -> None:
    """A line as :class:`journal.documents.mailing.SentLog` records a delivered letter."""
    with open(sent_log_path(folder), "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"sent_at": when, "student": f"{class_name}|{student}",
                                 "range": "2026-11-14 — 2026-11-27", "email": "x@example.ru",
                                 "sha256": "", "content_sha256": "", "file": "", "message_id": ""},
                                ensure_ascii=False) + "\n")


def test_participation_counts_codes_visits_and_letters_per_class(tmp_path: Path) -> None:
    fixture = build_school_folder(tmp_path)
    folder = SchoolFolder(tmp_path)
    assert family_participation(folder, "2026-11-23", "2026-11-29").empty  # no diary yet
    build_diary(folder, fixture.settings, render=_fake_render)
    book = CodeBook.load(codes_path(folder.output_dir))
    name = book.families[family_key("10Б", "Зайцев Егор Алексеевич")].name
    log = tmp_path / "access.log"
    log.write_text(f'10.0.0.1 - - [27/Nov/2026:19:00:01 +0300] "GET /d/{name}.js HTTP/1.1" 200 51\n'
                   f'10.0.0.1 - - [28/Nov/2026:08:00:00 +0300] "GET /d/{name}.js HTTP/1.1" 304 0\n',
                   encoding="utf-8")
    _sent(folder, "2026-11-27 18:30:00", "10Б", "Зайцев Егор Алексеевич")  # also visited: counted once
    _sent(folder, "2026-11-27 18:31:00", "10Б", "Кузнецов Тимофей Ильич")
    _sent(folder, "2026-11-10 18:31:00", "5А", "Белов Артём Игоревич")  # before the week

    without_log = family_participation(folder, dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    tenth = without_log.set_index("class").loc["10Б"]
    assert (tenth["students"], tenth["codes"], tenth["letters"], tenth["reached"]) == (4, 4, 2, 2)
    assert math.isnan(tenth["opened"])

    build_diary(folder, fixture.settings, render=_fake_render, access_log=log)
    frame = family_participation(folder, "2026-11-23", "2026-11-29").set_index("class")
    counts = frame.loc["10Б", ["opened", "visits", "letters", "reached", "reached_pct"]].tolist()
    assert counts == [1, 2, 2, 2, 50.0]
    assert frame.loc["5А", "letters"] == 0
    only = family_participation(folder, "2026-11-23", "2026-11-29", "5А")
    assert only["class"].tolist() == ["5А"]
    html = styled(only).to_html()
    assert "Участие, %" in html and "Выдано кодов" in html
