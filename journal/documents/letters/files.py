"""The files of the letters to parents: one PDF per student, each class's PDF for printing.

:func:`render_letters` prints a class's letters as one document and cuts it into the
students' files; a manifest beside them (``.letters.json``) keeps what each file was
printed from, so an unchanged letter keeps its file and its checksum. The delivery
list and sending are in :mod:`journal.documents.mailing`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.errors import RenderError, UsageError
from journal.core.files import file_sha256, write_atomically
from journal.documents.letters.data import LETTER_DAYS, DateRange, Letter, default_range, letters_today
from journal.documents.letters.layout import letter_html, letters_html
from journal.documents.pdf import PdfRenderer
from journal.school.folder import LETTERS_DIR, SchoolFolder, safe_file_name
from journal.school.settings import Settings

if TYPE_CHECKING:
    from pypdf import PdfReader

MANIFEST = ".letters.json"


@dataclass(frozen=True)
class LetterFile:
    """One letter printed to PDF."""

    letter: Letter
    path: Path
    pages: int
    sha256: str  # of the PDF file
    content_sha256: str  # of the HTML it was printed from: the same letter, the same value


@dataclass
class LettersOutput:
    """What :func:`render_letters` made."""

    date_range: DateRange
    folder: Path
    files: list[LetterFile] = field(default_factory=list)
    class_files: dict[str, Path] = field(default_factory=dict)
    printed: int = 0  # PDFs printed now; the others were already there and unchanged


def letters_folder(school: SchoolFolder, date_range: DateRange) -> Path:
    """``output/Письма родителям/Письма родителям 14.11–27.11.2026/``."""
    return school.output(LETTERS_DIR, date_range.folder_name)


def letter_file_name(letter: Letter) -> str:
    """«5А — Белов Артём Игоревич.pdf»."""
    return safe_file_name(f"{letter.class_name} — {letter.student}") + ".pdf"


def class_file_name(class_name: str) -> str:
    """«5А — все письма для печати.pdf»."""
    return safe_file_name(f"{class_name} — все письма для печати") + ".pdf"


def render_letters(
    letters: Iterable[Letter], folder: Path, renderer: PdfRenderer, date_range: DateRange | None = None
) -> LettersOutput:
    """Print each letter to ``folder/<class>/<class — student>.pdf`` and each class's letters
    into ``folder/<class — все письма для печати>.pdf``, each letter of it from an odd page
    (for double-sided printing).

    A class's letters are printed as one document (one browser page load per class, which
    is several times faster than one per letter): that document is the class's file for
    printing, and it is cut into the students' files at the pages where each letter begins.
    A class whose letters are all already there from the same content is not printed
    again, and a letter whose content did not change keeps its file, so its checksum (which
    the sent-log keeps) stays the same.
    """
    letters = list(letters)
    if date_range is None:
        date_range = letters[0].date_range if letters else default_range(dt.date.today())
    result = LettersOutput(date_range, folder)
    manifest = _read_manifest(folder)
    by_class: dict[str, list[Letter]] = {}
    for letter in letters:
        by_class.setdefault(letter.class_name, []).append(letter)
    for class_name, group in by_class.items():
        class_path = folder / class_file_name(class_name)
        entries = []
        for letter in group:
            path = folder / safe_file_name(letter.class_name) / letter_file_name(letter)
            content_sha = hashlib.sha256(letter_html(letter).encode("utf-8")).hexdigest()
            known = manifest.get(path.relative_to(folder).as_posix(), {})
            fresh = (path.exists() and known.get("content_sha256") == content_sha
                     and known.get("sha256") == file_sha256(path))
            entries.append((letter, path, content_sha, fresh, known))
        if not class_path.exists() or not all(fresh for *_, fresh, _ in entries):
            renderer.render(letters_html(group, f"Письма родителям — {class_name}"), class_path)
            result.printed += len(group)
            from pypdf import PdfReader

            reader = PdfReader(str(class_path))
            starts = _letter_starts(reader, class_path.name, len(group))
            for index, (letter, path, content_sha, fresh, known) in enumerate(entries):
                if not fresh:
                    pages = split_pdf(reader, starts[index], starts[index + 1], path,
                                      f"Письмо родителям — {letter.student}")
                    known = {"content_sha256": content_sha, "pages": pages}
                    manifest[path.relative_to(folder).as_posix()] = known
                    entries[index] = (letter, path, content_sha, fresh, known)
            pad_for_duplex(reader, starts, class_path, f"Письма родителям — {class_name}")
        for letter, path, content_sha, _fresh, known in entries:
            sha = file_sha256(path)
            known["sha256"] = sha
            manifest[path.relative_to(folder).as_posix()] = known
            result.files.append(LetterFile(letter, path, int(known.get("pages", 1)), sha, content_sha))
        result.class_files[class_name] = class_path
        _write_manifest(folder, manifest)
    return result


def _letter_starts(reader: PdfReader, name: str, count: int) -> list[int]:
    """The first page of each letter of a class PDF (from its ``#letter-N`` anchors), and the
    page count at the end."""
    total = len(reader.pages)
    found: dict[int, int] = {}
    for name, destination in reader.named_destinations.items():
        match = re.fullmatch(r"/?letter-(\d+)", str(name))
        page = reader.get_destination_page_number(destination)
        if match and page is not None:
            found[int(match.group(1))] = page
    starts = [found.get(i, -1) for i in range(count)]
    if count and (starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts))):
        raise RenderError(f"В файле «{name}» не удалось найти начало каждого письма")
    return [*starts, total]


def pad_for_duplex(reader: PdfReader, starts: list[int], out: Path, title: str) -> int:
    """Rewrite a class's PDF so that each letter begins on an odd page: a blank page follows
    every letter of an odd number of pages but the last, so double-sided printing never puts
    two students on one sheet. ``starts`` are the letters' first pages and the page count.
    Returns the number of blank pages added (the file is left as it is when none is needed)."""
    from pypdf import PdfWriter

    odd = [i for i in range(len(starts) - 2) if (starts[i + 1] - starts[i]) % 2]
    if not odd:
        return 0
    writer = PdfWriter()
    for index in range(len(starts) - 1):
        for number in range(starts[index], starts[index + 1]):
            writer.add_page(reader.pages[number])
        if index in odd:
            box = reader.pages[starts[index]].mediabox
            writer.add_blank_page(width=float(box.width), height=float(box.height))
    writer.add_metadata({"/Title": title, "/Producer": "journal"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(buffer.getvalue(), out)
    return len(odd)


def split_pdf(reader: PdfReader, first: int, end: int, out: Path, title: str) -> int:
    """Pages ``first`` … ``end - 1`` of an open PDF as the PDF ``out`` (written atomically);
    their page count. Links are dropped (they pointed inside the class's file)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for number in range(first, end):
        page = writer.add_page(reader.pages[number])
        if "/Annots" in page:
            del page["/Annots"]
    writer.add_metadata({"/Title": title, "/Producer": "journal"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(buffer.getvalue(), out)
    return end - first


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(folder: Path, manifest: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomically(text.encode("utf-8"), folder / MANIFEST)


def letters_range(
    settings: Settings,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> DateRange:
    """The range of the letters: ``--from``/``--to`` when given (one of them means two
    weeks from or up to it), otherwise the two weeks up to today (see :func:`letters_today`).
    """
    if date_from and date_to:
        if date_from > date_to:
            raise UsageError(
                f"Начало интервала {date_from:%d.%m.%Y} позже его конца {date_to:%d.%m.%Y}"
            )
        return DateRange(date_from, date_to)
    if date_to:
        return default_range(date_to)
    if date_from:
        return DateRange(date_from, date_from + dt.timedelta(days=LETTER_DAYS - 1))
    return default_range(letters_today(settings, today))
