"""What a person must never read in a document the program writes: English words, code
identifiers, program commands, file paths, ISO dates and decimal points.

:func:`scan_folder` reads the text of every PDF (pdftotext) and every visible cell of every
workbook under a folder and returns one line per thing found, saying where. E-mail addresses,
web addresses and the diary's access codes are data, not leaks, and are skipped.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl

# Latin words a Russian document may hold: names of formats and programs people know.
ALLOWED_LATIN = frozenset({
    "pdf", "xlsx", "excel", "libreoffice", "e-mail", "email", "mail", "www", "http", "https",
    "sha",  # «SHA-256»: the checksum's name in the copies register
    "qr",  # «QR-код» on the diary's code slips
})
# an address as typed, mistakes included («ivanova@@mail.ru» is a parent's address to correct)
EMAIL = re.compile(r"[\w.+-]+@+[\w-]+(?:\.[\w-]+)+")
# the diary's address and a family's access code on its slip are data a family types
URL = re.compile(r"https?://\S+")
ACCESS_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("команда", re.compile(r"\bjournal\s+[a-z][a-z-]*")),
    ("код", re.compile(r"\b(?:None|nan|NaN|True|False|Traceback|[A-Za-z]+_[A-Za-z_]+|"
                      r"[a-z]+\.[a-z_]+\()")),
    ("путь", re.compile(r"(?<![\w.@])/?(?:[A-Za-z_][\w.-]*/)+[\w\u0400-\u04ff]")),
    ("дата ISO", re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")),
    # 3.49, 74.3, 12.5 — but not a day and month such as 01.09 or 25.10
    ("точка в числе", re.compile(r"(?<![\d.])(?:\d\.\d{1,2}|\d{2,3}\.\d|(?:3[2-9]|[4-9]\d|\d{3})\.\d\d|"
                                 r"\d\d\.(?:1[3-9]|[2-9]\d))(?![\d.])")),
    ("латиница", re.compile(r"\b[A-Za-z][A-Za-z-]{2,}\b")),
)


def scan_text(where: str, text: str) -> list[str]:
    """Every forbidden thing in one text, as «kind where: «found» … context»."""
    text = ACCESS_CODE.sub("код", URL.sub("адрес", EMAIL.sub("e-mail", text)))
    hits = []
    for kind, pattern in RULES:
        for m in pattern.finditer(text):
            found = m.group(0)
            if kind == "латиница" and found.lower().strip("-") in ALLOWED_LATIN:
                continue
            around = text[max(0, m.start() - 3): m.end() + 5]
            if kind == "точка в числе" and re.search(r"\d\.\d\d\.\d", around):
                continue  # a part of a date such as 01.12.2026
            context = " ".join(text[max(0, m.start() - 30): m.end() + 30].split())
            hits.append(f"{kind} {where}: «{found}» … {context}")
    return hits


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
                         capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


def visible_cells(path: Path) -> Iterator[tuple[str, str]]:
    """(«sheet!A1», text) of every non-empty text cell of the visible sheets of a workbook."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.strip():
                        yield f"{ws.title}!{cell.coordinate}", value
    finally:
        wb.close()


def scan_folder(root: Path) -> tuple[int, list[str]]:
    """(files read, things found) for every PDF and workbook under ``root``."""
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".pdf", ".xlsx")
                   and not p.name.startswith("~$"))
    hits: list[str] = []
    for path in files:
        shown = path.relative_to(root).as_posix()
        if path.suffix.lower() == ".pdf":
            for number, page in enumerate(pdf_pages(path), start=1):
                hits += scan_text(f"{shown} с. {number}", page)
        else:
            for where, text in visible_cells(path):
                hits += scan_text(f"{shown} {where}", text)
    return len(files), hits
