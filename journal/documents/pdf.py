"""HTML to PDF with a headless Chromium, Chrome or Edge that is already on the machine.

Every printed document (reports, paper copies of the journal, letters to parents) is an
HTML page turned into PDF here. The browser is found by :func:`find_browser`; a
:class:`PdfRenderer` keeps one browser open for many documents, which is several times
faster than launching one per document::

    with PdfRenderer() as renderer:
        for html, path in documents:
            pages = renderer.render(html, path)

The page size comes from the document's CSS (``@page { size: A4 landscape }``, see
:mod:`journal.documents.html`). Rendering is offline: the page may load ``file:`` and ``data:``
resources only; any other request is refused.

All Playwright calls run on one private thread per renderer, so a renderer also works
inside Jupyter (where the main thread runs an asyncio loop) and may be shared by threads.
Separate processes each open their own renderer and browser.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import glob
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from journal.core.errors import BrowserNotFoundError, RenderError
from journal.core.files import write_atomically

BROWSER_ENV = "JOURNAL_BROWSER"

BROWSER_ARGS: tuple[str, ...] = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
)
"""Flags for the headless browser: quiet, offline, no profile work. Playwright adds
``--no-sandbox`` itself when running as root."""

_PATH_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)

HOW_TO_GET_BROWSER = (
    "Для PDF нужен браузер Chromium, Google Chrome или Microsoft Edge, но он не найден. "
    "Установите его (Debian/Ubuntu: sudo apt-get install chromium; Windows и macOS: "
    "Google Chrome или Microsoft Edge) или укажите полный путь к браузеру в переменной "
    f"окружения {BROWSER_ENV}. При доступе в интернет подойдёт и команда "
    "«python -m playwright install chromium»."
)

_T = TypeVar("_T")


def _install_folders() -> list[Path]:
    """Usual install places of Chrome, Edge and Chromium on Windows and macOS."""
    found: list[Path] = []
    if os.name == "nt":
        roots = [
            os.environ.get(name)
            for name in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA", "PROGRAMW6432")
        ]
        tails = (
            r"Google\Chrome\Application\chrome.exe",
            r"Microsoft\Edge\Application\msedge.exe",
            r"Chromium\Application\chrome.exe",
        )
        found += [Path(root) / tail for root in roots if root for tail in tails]
    if sys.platform == "darwin":
        apps = (
            "Google Chrome.app/Contents/MacOS/Google Chrome",
            "Chromium.app/Contents/MacOS/Chromium",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        )
        for base in (Path("/Applications"), Path.home() / "Applications"):
            found += [base / app for app in apps]
    return found


def _playwright_browsers() -> list[Path]:
    """Chromium copies downloaded by ``playwright install chromium``, newest first."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env and env != "0":
        bases = [Path(env)]
    elif os.name == "nt":
        bases = [Path(os.environ.get("LOCALAPPDATA", str(Path.home()))) / "ms-playwright"]
    elif sys.platform == "darwin":
        bases = [Path.home() / "Library" / "Caches" / "ms-playwright"]
    else:
        bases = [Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "ms-playwright"]
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-win*/chrome.exe",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chromium_headless_shell-*/chrome-*/headless_shell*",
    )
    found: list[Path] = []
    for base in bases:
        for pattern in patterns:
            found += [Path(p) for p in glob.glob(str(base / pattern))]
    return sorted(found, key=lambda p: _version_key(p), reverse=True)


def _version_key(path: Path) -> tuple[int, str]:
    match = re.search(r"-(\d+)", path.as_posix())
    return (int(match.group(1)) if match else 0, path.as_posix())


def _is_executable(path: Path) -> bool:
    return path.is_file() and (os.name == "nt" or os.access(path, os.X_OK))


def find_browser() -> str:
    """The path of a Chromium-family browser for PDF output.

    Looks at the ``JOURNAL_BROWSER`` environment variable first, then for chromium,
    chromium-browser, google-chrome and msedge on ``PATH``, then in the usual Windows and
    macOS install folders, then for a copy downloaded by Playwright. Raises
    :class:`BrowserNotFoundError` with a Russian message saying how to get one.
    """
    env = os.environ.get(BROWSER_ENV, "").strip().strip('"')
    if env:
        candidate = Path(env).expanduser()
        if _is_executable(candidate):
            return str(candidate)
        located = shutil.which(env)
        if located:
            return located
        raise BrowserNotFoundError(
            f"В переменной окружения {BROWSER_ENV} указан браузер «{env}», но такой программы нет. "
            + HOW_TO_GET_BROWSER
        )
    for name in _PATH_NAMES:
        located = shutil.which(name)
        if located:
            return located
    for candidate in (*_install_folders(), *_playwright_browsers()):
        if _is_executable(candidate):
            return str(candidate)
    raise BrowserNotFoundError(HOW_TO_GET_BROWSER)


def count_pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF, read from its bytes (uncompressed page objects)."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    if pages:
        return pages
    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(m) for m in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max(counts, default=0)


_OBJECT = re.compile(rb"(\d+) 0 obj\b")
_REF = re.compile(rb"(\d+) 0 R")


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    """Object number → its dictionary text (up to ``stream`` or ``endobj``)."""
    objects: dict[int, bytes] = {}
    for match in _OBJECT.finditer(data):
        body_start = match.end()
        ends = [i for i in (data.find(b"endobj", body_start), data.find(b"stream", body_start)) if i >= 0]
        if ends:
            objects.setdefault(int(match.group(1)), data[body_start:min(ends)])
    return objects


def section_pages(data: bytes, sections: int) -> list[int | None] | None:
    """The first page of each subject of a paper copy, from the PDF's named destinations ``subject-N``.

    None when the PDF does not hold them in a readable form (compressed object streams,
    another browser), so that the caller can count pages another way.
    """
    objects = _pdf_objects(data)
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)), None)
    if catalog is None:
        return None
    root = re.search(rb"/Pages\s+(\d+) 0 R", catalog)
    dests_ref = re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    if root is None or (dests_ref is None and sections):
        return None
    order: list[int] = []

    def walk(number: int, depth: int = 0) -> None:
        body = objects.get(number, b"")
        if depth > 32:
            return
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            for kid in _REF.findall(kids.group(1) if kids else b""):
                walk(int(kid), depth + 1)
        elif re.search(rb"/Type\s*/Page\b", body):
            order.append(number)

    walk(int(root.group(1)))
    page_of = {number: i for i, number in enumerate(order, start=1)}
    dests = objects.get(int(dests_ref.group(1)), b"") if dests_ref else b""
    found = {int(n): page_of.get(int(ref)) for n, ref in
             re.findall(rb"/subject-(\d+)\s*\[\s*(\d+) 0 R", dests)}
    starts = [found.get(i) for i in range(1, sections + 1)]
    if any(p is None for p in starts) or starts != sorted(starts):  # type: ignore[type-var]
        return None
    return starts


def _allowed_url(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:", "blob:"))


class PdfRenderer:
    """One headless browser kept open to print many HTML documents to PDF.

    Use as a context manager (or call :meth:`close`). ``browser`` is a path to the
    executable; by default :func:`find_browser` chooses one. ``timeout`` is in seconds
    per document.
    """

    def __init__(
        self,
        browser: str | None = None,
        *,
        timeout: float = 120.0,
        extra_args: Iterable[str] = (),
    ) -> None:
        self.browser_path = browser or find_browser()
        self.timeout_ms = int(timeout * 1000)
        self.args = [*BROWSER_ARGS, *extra_args]
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._tab: Any = None
        self._lock = threading.Lock()
        self.documents = 0

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> PdfRenderer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, func: Callable[[], _T]) -> _T:
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="journal-pdf"
            )
        return self._executor.submit(func).result()

    def start(self) -> None:
        """Launch the browser (done on first use when not called)."""
        with self._lock:
            if self._browser is None:
                self._call(self._launch)
                atexit.register(self.close)  # a forgotten renderer leaves no browser behind

    def _launch(self) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ModuleNotFoundError as exc:  # pragma: no cover - a dependency
            raise RenderError(
                "Не установлен пакет playwright, нужный для PDF: pip install playwright"
            ) from exc
        playwright = sync_playwright().start()
        try:
            self._browser = playwright.chromium.launch(
                executable_path=self.browser_path,
                args=list(self.args),
                headless=True,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
                timeout=self.timeout_ms,
            )
        except Exception as exc:
            playwright.stop()
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserNotFoundError(
                f"Браузер «{self.browser_path}» не запустился ({first_line}). " + HOW_TO_GET_BROWSER
            ) from exc
        self._playwright = playwright

    def close(self) -> None:
        """Close the browser; the renderer may be started again later."""
        with self._lock:
            if self._executor is None:
                return
            if self._browser is not None or self._playwright is not None:
                # closing a dead browser must not fail the caller
                with contextlib.suppress(Exception):
                    self._executor.submit(self._shutdown).result()
            self._executor.shutdown(wait=True)
            self._executor = None
        atexit.unregister(self.close)

    def _shutdown(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = self._tab = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    # -- rendering ---------------------------------------------------------------------
    def render(self, html: str, out: Path) -> int:
        """Print ``html`` to the PDF file ``out`` (written atomically); the page count.

        Relative links in ``html`` resolve against ``out``'s folder.
        """
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".html", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(html)
            return self.render_file(Path(tmp), out)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def render_file(self, html_path: Path, out: Path) -> int:
        """Print an HTML file to the PDF file ``out`` (written atomically); the page count."""
        self.start()
        url = Path(html_path).resolve().as_uri()
        with self._lock:
            data = self._call(lambda: self._print(url))
        write_atomically(data, Path(out))
        self.documents += 1
        return count_pdf_pages(data)

    def _page(self) -> Any:
        """The one tab every document is printed in (made again after a failure)."""
        if self._browser is None or not self._browser.is_connected():
            self._shutdown()
            self._launch()
        if self._tab is None:
            context = self._browser.new_context(java_script_enabled=True)
            context.set_default_timeout(self.timeout_ms)
            context.route(
                "**/*",
                lambda route: route.continue_() if _allowed_url(route.request.url) else route.abort(),
            )
            self._tab = context.new_page()
        return self._tab

    def _print(self, url: str) -> bytes:
        try:
            page = self._page()
            page.goto(url, wait_until="load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            data: bytes = page.pdf(prefer_css_page_size=True, print_background=True)
            return data
        except Exception as exc:
            tab, self._tab = self._tab, None
            if tab is not None:
                with contextlib.suppress(Exception):
                    tab.context.close()
            if isinstance(exc, RenderError):
                raise
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RenderError(f"Браузер не смог напечатать страницу в PDF: {first_line}") from exc


def html_to_pdf(html: str, out: Path, *, browser: str | None = None) -> int:
    """Print one HTML document to PDF with a browser of its own; the page count.

    For many documents keep one :class:`PdfRenderer` open instead.
    """
    with PdfRenderer(browser) as renderer:
        return renderer.render(html, out)
