"""The family diary: built from the letters' fixture school, opened in Chromium as a family would."""

from __future__ import annotations

import functools
import http.server
import json
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journal.dataset import store
from journal.documents.diary.build import build_diary, count_visits, diary_folder
from journal.documents.diary.codes import CodeBook, codes_path, family_key, normalise
from journal.school.folder import SchoolFolder
from tests.support.letters_fixtures import LEFT, PARENTS, School, build_school_folder

pytestmark = pytest.mark.slow

CHOSEN = [("5А", "Белов Артём Игоревич"), ("5А", "Васильева Полина Андреевна"),
          ("10Б", "Кузнецов Тимофей Ильич")]
VIEWPORT = {"width": 360, "height": 740}


def _fake_render(html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[School, SchoolFolder]:
    root = tmp_path_factory.mktemp("diary-school")
    fixture = build_school_folder(root)
    folder = SchoolFolder(root)
    build_diary(folder, fixture.settings, render=_fake_render, site="https://school.example.ru/dnevnik/")
    return fixture, folder


def _codes(folder: SchoolFolder) -> dict[str, str]:
    book = CodeBook.load(codes_path(folder.output_dir))
    return {k: f.code for k, f in book.families.items()}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from journal.documents.pdf import find_browser

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=find_browser(),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(school: tuple[School, SchoolFolder]) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(diary_folder(school[1])))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Visit:
    """One page in a fresh browser context whose requests may not leave the machine."""

    def __init__(self, browser: Any, url: str) -> None:
        self.outside: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.goto(url)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "http://127.0.0.1:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, code: str) -> None:
        self.page.fill("#code", code)
        self.page.click("#open")
        self.page.wait_for_function(
            "() => !document.getElementById('diary').hidden || "
            "document.getElementById('message').textContent.indexOf('Открываем') < 0 && "
            "!document.getElementById('message').hidden", timeout=60_000)

    def marks(self) -> list[tuple[str, str, int]]:
        found = self.page.eval_on_selector_all(
            "[data-subject] .mk",
            "els => els.map(e => [e.closest('[data-subject]').dataset.subject, e.dataset.date,"
            " +e.dataset.value])")
        return sorted((s, d, v) for s, d, v in found)

    def close(self) -> None:
        self.context.close()


def _dataset_marks(fixture: School, class_name: str, student: str) -> list[tuple[str, str, int]]:
    with store.opened(fixture.store_path) as conn:
        frame = store.read_sql(conn, "SELECT subject, grp, date, value FROM v_marks "
                                     "WHERE class = ? AND student = ?", (class_name, student))
    return sorted((f"{r.subject} ({r.grp})" if r.grp else str(r.subject), str(r.date), int(r.value))
                  for r in frame.itertuples())


def _typed_sloppily(code: str) -> str:
    """How a parent may type it: lower case, spaces instead of dashes."""
    return code.lower().replace("-", " ")


@pytest.mark.parametrize("where", ["file", "http"])
def test_each_family_sees_its_own_marks(school: tuple[School, SchoolFolder], browser: Any,
                                        server: str, where: str) -> None:
    fixture, folder = school
    codes = _codes(folder)
    url = (diary_folder(folder) / "index.html").as_uri() if where == "file" else server
    for class_name, student in CHOSEN:
        visit = Visit(browser, url)
        try:
            visit.open(_typed_sloppily(codes[family_key(class_name, student)]))
            assert visit.page.text_content("#student") == student
            assert visit.page.is_visible("#marks")
            assert visit.marks() == _dataset_marks(fixture, class_name, student)
            assert len(visit.marks()) > 10
            assert visit.page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
            body = visit.page.text_content("body") or ""
            assert "данные на 27.11.2026, 18:00" in body
            others = [n for n in fixture.all_names if n != student]
            assert not [n for n in others if n.split()[0] in body]
            assert visit.outside == []
        finally:
            visit.close()


@pytest.mark.parametrize("where", ["file", "http"])
def test_a_wrong_code_shows_nothing(school: tuple[School, SchoolFolder], browser: Any, server: str,
                                    where: str) -> None:
    fixture, folder = school
    url = (diary_folder(folder) / "index.html").as_uri() if where == "file" else server
    visit = Visit(browser, url)
    try:
        visit.open("K7MX-3PRT-9HWA")
        message = visit.page.text_content("#message") or ""
        assert "Код не подошёл" in message
        assert visit.page.is_hidden("#diary")
        body = visit.page.text_content("body") or ""
        assert not [n for n in fixture.all_names if n.split()[0] in body]
        visit.open("K7MX-3PRT")
        assert "12 знаков" in (visit.page.text_content("#message") or "")
        assert visit.outside == []
    finally:
        visit.close()


def _forms(text: str) -> set[str]:
    """A text as it may stand in a file: UTF-8, \\u-escaped, HTML entities (decimal, hex)."""
    return {
        text,
        json.dumps(text)[1:-1],
        json.dumps(text)[1:-1].upper().replace("\\U", "\\u"),
        "".join(f"&#{ord(c)};" for c in text),
        "".join(f"&#x{ord(c):x};" for c in text),
        "".join(f"&#x{ord(c):X};" for c in text),
    }


def test_nothing_personal_in_the_published_folder(school: tuple[School, SchoolFolder]) -> None:
    fixture, folder = school
    published = diary_folder(folder)
    files = [p for p in published.rglob("*") if p.is_file()]
    assert len(files) == 1 + sum(len(v) for v in fixture.students.values())
    secrets = {n.split()[0] for n in fixture.all_names} | set(LEFT)
    secrets |= {p[0].split()[0] for parents in PARENTS.values() for p in parents}
    secrets |= {e.strip() for parents in PARENTS.values() for _, mail in parents
                for e in re.split(r"[;\s]+", mail) if "@" in e}
    secrets |= set(_codes(folder).values()) | {normalise(c) for c in _codes(folder).values()}
    for path in files:
        text = path.read_bytes().decode("utf-8")
        for secret in secrets:
            for form in _forms(secret):
                assert form not in text, (path.name, secret)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    b64 = r'"[A-Za-z0-9+/=]+"'
    bundle = re.compile(rf'diaryBundle\("[0-9a-f]{{32}}",\{{"s": {b64}, "n": {b64}, "c": {b64}\}}\);\n')
    for path in files:
        if path.suffix == ".js":
            assert bundle.fullmatch(path.read_text(encoding="ascii")), path.name
    index = (published / "index.html").read_text(encoding="utf-8")
    outward = r"""(src|href|action)\s*=\s*["']?(https?:)?//|url\(|@import|fetch\(|XMLHttpRequest"""
    assert not re.search(outward, index)
    codes = codes_path(folder.output_dir)
    assert not codes.is_relative_to(published)
    assert stat.S_IMODE(codes.stat().st_mode) == 0o600
    assert stat.S_IMODE(codes.parent.stat().st_mode) == 0o700


def test_a_new_code_replaces_the_old_one(tmp_path: Path, browser: Any) -> None:
    fixture = build_school_folder(tmp_path)
    folder = SchoolFolder(tmp_path)
    build_diary(folder, fixture.settings, render=_fake_render)
    before = _codes(folder)
    outcome = build_diary(folder, fixture.settings, render=_fake_render, renew=("белов артём", "5а"))
    assert outcome.renewed == "Белов Артём Игоревич"
    assert outcome.written == 1 and outcome.removed == 1
    assert [p.name for p in outcome.slips] == ["5А — листки с кодами.pdf"]
    after = _codes(folder)
    key = family_key("5А", "Белов Артём Игоревич")
    assert after[key] != before[key]
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}
    url = (diary_folder(folder) / "index.html").as_uri()
    other = "Алексеева Дарья Сергеевна"
    for code, student in [(before[key], None), (after[key], "Белов Артём Игоревич"),
                          (after[family_key("5А", other)], other)]:
        visit = Visit(browser, url)
        try:
            visit.open(code)
            if student is None:
                assert "Код не подошёл" in (visit.page.text_content("#message") or "")
                assert visit.page.is_hidden("#diary")
            else:
                assert visit.page.text_content("#student") == student
        finally:
            visit.close()


def test_unchanged_bundles_are_not_rewritten(tmp_path: Path) -> None:
    fixture = build_school_folder(tmp_path)
    folder = SchoolFolder(tmp_path)
    first = build_diary(folder, fixture.settings, render=_fake_render)
    bundles = {p.name: p.read_bytes() for p in (diary_folder(folder) / "d").iterdir()}
    again = build_diary(folder, fixture.settings, render=_fake_render)
    assert first.written == len(bundles) and again.written == 0 and again.slips == []
    assert {p.name: p.read_bytes() for p in (diary_folder(folder) / "d").iterdir()} == bundles


def test_visits_are_counted_from_the_access_log(tmp_path: Path) -> None:
    fixture = build_school_folder(tmp_path)
    folder = SchoolFolder(tmp_path)
    build_diary(folder, fixture.settings, render=_fake_render)
    book = CodeBook.load(codes_path(folder.output_dir))
    name = book.families[family_key("10Б", "Зайцев Егор Алексеевич")].name
    log = tmp_path / "access.log"
    get = "GET /dnevnik/d"
    log.write_text(
        f'10.0.0.1 - - [27/Nov/2026:19:00:01 +0300] "{get}/{name}.js HTTP/1.1" 200 5120 "-" "Mozilla"\n'
        f'10.0.0.1 - - [27/Nov/2026:19:05:00 +0300] "{get}/{name}.js HTTP/1.1" 304 0 "-" "Mozilla"\n'
        f'10.0.0.1 - - [28/Nov/2026:08:00:00 +0300] "{get}/{name}.js HTTP/1.1" 200 5120\n'
        f'10.0.0.9 - - [28/Nov/2026:08:00:00 +0300] "{get}/{"0" * 32}.js HTTP/1.1" 404 0\n',
        encoding="utf-8")
    assert count_visits(log) == {name: (2, "2026-11-28")}
    outcome = build_diary(folder, fixture.settings, render=_fake_render, access_log=log)
    assert outcome.participation is not None
    table = outcome.participation.read_text(encoding="utf-8-sig")
    assert "10Б;4;4;1;2;25" in table
    assert "10Б;Зайцев Егор Алексеевич;2;28.11.2026" in table


def test_events_and_messages_reach_only_the_pages_they_are_addressed_to(tmp_path: Path, browser: Any) -> None:
    import dataclasses
    import datetime as dt

    from conftest import make_tiny_settings
    from support.merge_fixtures import class_content, math_content, new_school, write_class, write_subject

    from journal.intake.merge import merge_school
    from journal.school.settings import SchoolEvent
    from journal.workbooks import format as wf

    a, b = "Алексеев Артём Павлович", "Борисова Дарья Игоревна"
    base = make_tiny_settings()
    settings = dataclasses.replace(
        base, today=dt.date(2026, 9, 20),
        classes=tuple(dataclasses.replace(c, teacher_email="kuznetsova@school.example.ru")
                      if c.name == "5А" else c for c in base.classes),
        events=(SchoolEvent(dt.date(2026, 10, 1), "Осенний концерт"),
                SchoolEvent(dt.date(2026, 10, 2), "Олимпиада по физике", ("10А",))))
    school = new_school(tmp_path)
    day = dt.date(2026, 9, 15)
    write_class(school, settings=settings, content=class_content("5А", events=[
        wf.ClassEvent(dt.date(2026, 9, 25), "Родительское собрание 5А")], messages=[
        wf.Message(day, a, "Артёму нужна справка о прививках"),
        wf.Message(day, "класс", "В пятницу субботник")]))
    write_class(school, "10А", settings=settings)
    maths = math_content()
    maths.messages = [wf.Message(day, "класс", "Принесите циркули")]
    write_subject(school, maths, settings=settings)
    merge_school(school, settings, now=dt.datetime(2026, 9, 20, 16, 0))
    build_diary(school, settings, render=_fake_render)
    codes = _codes(school)
    url = (diary_folder(school) / "index.html").as_uri()
    pages = {}
    for class_name, student in (("5А", a), ("5А", b), ("10А", "Жуков Иван Сергеевич")):
        visit = Visit(browser, url)
        try:
            visit.open(codes[family_key(class_name, student)])
            assert visit.page.text_content("#student") == student
            pages[student] = visit.page.text_content("#messages") or ""
            link = visit.page.query_selector("#write")
            pages[student + " link"] = link.get_attribute("href") if link else ""
        finally:
            visit.close()
    assert "Артёму нужна справка о прививках" in pages[a]
    assert "только вам" in pages[a]
    assert "Артёму нужна справка" not in pages[b]
    for student in (a, b):
        assert "В пятницу субботник" in pages[student]
        assert "Принесите циркули" in pages[student] and "Математика" in pages[student]
        assert "Родительское собрание 5А" in pages[student]
        assert "Осенний концерт" in pages[student]
        assert "Олимпиада по физике" not in pages[student]
        assert str(pages[student + " link"]).startswith("mailto:kuznetsova@school.example.ru?subject=")
    tenth = pages["Жуков Иван Сергеевич"]
    assert "Осенний концерт" in tenth and "Олимпиада по физике" in tenth
    assert "субботник" not in tenth and "Родительское собрание" not in tenth and "циркули" not in tenth
    assert pages["Жуков Иван Сергеевич link"] == ""
