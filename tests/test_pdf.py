"""HTML → PDF: A4 pages, page numbers, Cyrillic fonts, every row and column printed, offline.

What is checked is what a reader of the PDF sees: the page size (pdfinfo), the text
(pdftotext) and the embedded fonts (pdffonts).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.server
import os
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.pdf_tools import page_size, pdf_fonts, pdf_info, pdf_text

from journal.core.errors import BrowserNotFoundError
from journal.documents import html as html_base
from journal.documents.pdf import PdfRenderer, count_pdf_pages, find_browser, html_to_pdf

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def _has_browser() -> bool:
    try:
        find_browser()
    except BrowserNotFoundError:
        return False
    return True


needs_browser = pytest.mark.skipif(not _has_browser(), reason="no Chromium/Chrome/Edge installed")










# -- finding the browser ---------------------------------------------------------------------


@pytest.fixture
def no_browser_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An environment where no browser can be found: empty PATH, empty Playwright cache."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("HOME", str(empty))
    monkeypatch.setenv("XDG_CACHE_HOME", str(empty))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(empty))
    monkeypatch.delenv("JOURNAL_BROWSER", raising=False)


def test_no_browser_says_how_to_get_one(no_browser_env: None) -> None:
    with pytest.raises(BrowserNotFoundError) as info:
        find_browser()
    message = str(info.value)
    assert "apt-get install chromium" in message
    assert "JOURNAL_BROWSER" in message


def test_wrong_journal_browser_is_named(no_browser_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNAL_BROWSER", "/nonexistent/chromium")
    with pytest.raises(BrowserNotFoundError) as info:
        find_browser()
    assert "/nonexistent/chromium" in str(info.value)
    assert "apt-get install chromium" in str(info.value)


def test_renderer_without_browser_fails_before_work(no_browser_env: None) -> None:
    with pytest.raises(BrowserNotFoundError):
        PdfRenderer()


def test_journal_browser_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("JOURNAL_BROWSER", str(fake))
    assert find_browser() == str(fake)


def test_browser_found_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "google-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("JOURNAL_BROWSER", raising=False)
    assert find_browser() == str(fake)


# -- HTML building blocks --------------------------------------------------------------------


def test_document_escapes_data() -> None:
    body = html_base.table(["Ученик", "Отметка"], [["<script>alert(1)</script>", "5 & 4"]])
    page = html_base.document("Отчёт <1>", body)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page and "5 &amp; 4" in page
    assert "<title>Отчёт &lt;1&gt;</title>" in page


@pytest.mark.parametrize(
    ("orientation", "size"), [("portrait", "A4 portrait"), ("landscape", "A4 landscape")]
)
def test_page_css(orientation: html_base.Orientation, size: str) -> None:
    css = html_base.page_css(orientation)
    assert f"size: {size}" in css
    assert 'counter(page) " из " counter(pages)' in css
    assert "display: table-header-group" in css


def test_signature_lines_are_borders_not_underscores() -> None:
    block = html_base.signature_block([("Директор", "Иванов И. И.")], with_date=True)
    assert "_" not in block.replace('class="', "")
    assert "Директор" in block


# -- rendering -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    if not _has_browser():
        pytest.skip("no Chromium/Chrome/Edge installed")
    with PdfRenderer() as shared:
        yield shared


def long_table_html(rows: int, orientation: html_base.Orientation) -> str:
    header = html_base.document_header("Список учеников", school="МБОУ «Тестовая СОШ»", subtitle="5А класс")
    body = html_base.table(
        ["№", "Ученик", "Средний балл"],
        [[i, f"Ученикова{i:03d} Анна", f"{i % 5},{i % 10}0"] for i in range(1, rows + 1)],
        numeric=(0, 2),
        name_columns=(1,),
    )
    return html_base.document("Список", header + body, orientation)


@pytest.mark.slow
@needs_poppler
@pytest.mark.parametrize(
    ("orientation", "width", "height"), [("portrait", 595, 842), ("landscape", 842, 595)]
)
def test_a4_size_page_numbers_and_fonts(
    renderer: PdfRenderer, tmp_path: Path, orientation: html_base.Orientation, width: int, height: int
) -> None:
    out = tmp_path / "список.pdf"
    pages = renderer.render(long_table_html(150, orientation), out)
    w, h = page_size(out)
    assert abs(w - width) < 2 and abs(h - height) < 2
    assert pages == int(pdf_info(out)["Pages"]) >= 2
    text = pdf_text(out, layout=True)
    assert f"Стр. 1 из {pages}" in text
    assert f"Стр. {pages} из {pages}" in text
    for i in range(1, 151):
        assert f"Ученикова{i:03d} Анна" in text
    for page in range(1, pages + 1):  # the header row is repeated on every page
        assert "Средний балл" in pdf_text(out, page, layout=True)
    fonts = pdf_fonts(out)
    assert "DejaVuSans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())


@pytest.mark.slow
@needs_poppler
def test_wide_grid_fits_landscape(renderer: PdfRenderer, tmp_path: Path) -> None:
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(60)]  # 01.09 … 30.10
    columns = ["Ученик", *(d.strftime("%d.%m") for d in days)]
    rows = [[f"Ученик{r:02d} Фамилия", *("5" if (r + c) % 4 else "Н" for c in range(60))] for r in range(25)]
    body = html_base.table(columns, rows, css_class="grid", vertical=range(1, 61))
    out = tmp_path / "сетка.pdf"
    renderer.render(html_base.document("Сетка", body, "landscape"), out)
    text = pdf_text(out, 1, layout=True)
    assert "30.10" in text and "01.09" in text
    assert all(f"Ученик{r:02d} Фамилия" in text for r in range(25))


@pytest.mark.slow
@needs_poppler
def test_too_wide_table_is_split_with_names_repeated(renderer: PdfRenderer, tmp_path: Path) -> None:
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(100)]  # 01.09 … 09.12
    columns = ["№", "Ученик", *(d.strftime("%d.%m") for d in days)]
    rows = [[r, f"Ученик{r:02d} Фамилия", *("5" for _ in range(100))] for r in range(1, 26)]
    body = html_base.table(columns, rows, name_columns=(1,), numeric=(0,))  # horizontal headers
    out = tmp_path / "широкая.pdf"
    renderer.render(html_base.document("Широкая", body, "portrait"), out)
    text = pdf_text(out, layout=True)
    assert "09.12" in text  # the last date
    assert all(d.strftime("%d.%m") in text for d in days)
    for r in range(1, 26):
        assert text.count(f"Ученик{r:02d} Фамилия") >= 2


@pytest.mark.slow
@needs_poppler
def test_table_with_long_headers_fits_by_turning_them(renderer: PdfRenderer, tmp_path: Path) -> None:
    subjects = [f"Изобразительное искусство {i}" for i in range(1, 19)]
    rows = [[f"Ученик{r:02d} Фамилия", *(f"{r}к{c}" for c in range(1, 19))] for r in range(1, 11)]
    out = tmp_path / "ведомость.pdf"
    renderer.render(html_base.document("Ведомость", html_base.table(["Ученик", *subjects], rows)), out)
    text = pdf_text(out, layout=True)
    for r in range(1, 11):
        assert text.count(f"Ученик{r:02d} Фамилия") == 1  # not split: the names are not repeated
        assert f"{r}к18" in text  # the last column is on the page


@pytest.mark.slow
@needs_poppler
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_a_long_table_with_turned_headers_has_its_header_on_every_page(
        renderer: PdfRenderer, tmp_path: Path, orientation: html_base.Orientation) -> None:
    # Chromium repeats a header no higher than a quarter of the page; long turned names are not
    subjects = ["Основы безопасности и защиты Родины", "Вероятность и статистика",
                *(f"Изобразительное искусство {i}" for i in range(1, 17))]
    rows = [[f"Ученик{r:02d} Фамилия", *(f"{r}к{c}" for c in range(1, 19))] for r in range(1, 151)]
    out = tmp_path / "ведомость.pdf"
    pages = renderer.render(html_base.document(
        "Ведомость", html_base.table(["Ученик", *subjects], rows), orientation), out)
    assert pages >= 3
    on_page = []
    for page in range(1, pages + 1):
        text = pdf_text(out, page)
        assert "Изобразительное" in text, page  # the header is repeated
        on_page.append(sum(f"Ученик{r:02d} Фамилия" in text for r in range(1, 151)))
    assert min(on_page) >= 3  # never fewer than three rows on either side of a break


@pytest.mark.slow
def test_render_is_atomic_and_replaces(renderer: PdfRenderer, tmp_path: Path) -> None:
    out = tmp_path / "отчёт.pdf"
    out.write_bytes(b"old")
    renderer.render(html_base.document("Т", "<p>Один</p>"), out)
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["отчёт.pdf"]
    assert count_pdf_pages(out.read_bytes()) == 1


@pytest.mark.slow
@needs_browser
def test_renderer_recovers_when_the_browser_went_away(tmp_path: Path) -> None:
    with PdfRenderer() as own:
        assert own.render(html_base.document("Т", "<p>Раз</p>"), tmp_path / "1.pdf") == 1
        own._call(lambda: own._browser.close())  # the browser crashed or was closed
        assert own.render(html_base.document("Т", "<p>Два</p>"), tmp_path / "2.pdf") == 1
    assert (tmp_path / "2.pdf").read_bytes().startswith(b"%PDF")


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_rendering_is_offline(renderer: PdfRenderer, tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        body = (
            f'<link rel="stylesheet" href="{url}/a.css"><script src="{url}/b.js"></script>'
            f'<img src="{url}/c.png" alt=""><p>Без сети</p>'
        )
        renderer.render(html_base.document("Т", body), tmp_path / "offline.pdf")
    finally:
        server.shutdown()
    assert _CountingHandler.hits == 0
    assert (tmp_path / "offline.pdf").exists()


def _render_in_process(out: str) -> int:
    return html_to_pdf(html_base.document("Т", "<p>Параллельно</p>" * 200), Path(out))


@pytest.mark.slow
@needs_browser
def test_renderers_in_parallel_processes(tmp_path: Path) -> None:
    outs = [str(tmp_path / f"{i}.pdf") for i in range(3)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=3) as pool:
        pages = list(pool.map(_render_in_process, outs))
    assert all(p >= 2 for p in pages)
    assert all(Path(o).read_bytes().startswith(b"%PDF") for o in outs)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644)])
def test_written_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    from journal.core.files import write_atomically
    from journal.documents.register import RegisterRow, write_register

    old = os.umask(umask)
    try:
        write_atomically(b"%PDF-1.4", tmp_path / "письмо.pdf")
        row = RegisterRow("5А", "1 четверть", "2026/2027", 1, 3, "28.11.2026 17:40", "0" * 64,
                          "1 четверть/5А — 1 четверть.pdf")
        write_register(tmp_path / "реестр.xlsx", [row])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "письмо.pdf").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "реестр.xlsx").stat().st_mode) == mode
