"""Reading PDFs back as a person would, with poppler's tools (pdftotext, pdfinfo, pdffonts)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdf_text(path: Path, page: int | None = None, *, layout: bool = False) -> str:
    """The text of the PDF (or of one page), as pdftotext gives it."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_words(path: Path) -> str:
    """The PDF's text with every run of white space made one space."""
    return " ".join(pdf_text(path).split())


def pdf_info(path: Path) -> dict[str, str]:
    """pdfinfo's fields."""
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_size(path: Path) -> tuple[float, float]:
    """Width and height of the first page in points."""
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"])
    assert match, pdf_info(path)
    return float(match.group(1)), float(match.group(2))


def pdf_fonts(path: Path) -> str:
    """pdffonts' table of embedded fonts."""
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
