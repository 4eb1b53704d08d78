"""The look shared by every workbook the program writes: one font, one palette, the common styles.

Every font names its face: a font without a name falls back to whatever the spreadsheet program
picks (a serif face in some LibreOffice set-ups). Arial is on every Windows PC, and LibreOffice
has the metric-compatible Liberation Sans, so columns come out the same width everywhere.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.indexed_list import IndexedList

FONT_NAME = "Arial"
FONT_SIZE = 11

# Palette (RGB hex)
BLUE_DARK = "1F3864"  # titles and headings
BLUE_LIGHT = "D9E1F2"  # header rows
GREY_TEXT = "595959"  # hints and subtitles
GREY_MUTED = "808080"  # students who left
GREY_LINE = "A6A6A6"  # cell borders
GREY_DARK = "404040"  # thick separators
GREY_FILL = "D9D9D9"  # rows of students who left
GREY_LIGHT = "EDEDED"  # cells before joining / after leaving
INPUT_YELLOW = "FFFBE6"  # cells to fill
TODO_YELLOW = "FFE699"  # a cell that must still be filled
PROBLEM_FILL_COLOR = "F8CBAD"  # a value the program does not understand
PROBLEM_TEXT = "9C0006"
ERROR_FILL_COLOR = "FCE4D6"  # rows with an error
PERIOD_COLORS = ("FCE4D6", "E2EFDA", "FFF2CC", "DDEBF7")  # periods in turn


def font(*, bold: bool = False, italic: bool = False, size: float = FONT_SIZE, color: str | None = None,
         name: str = FONT_NAME) -> Font:
    """A font with an explicit face (Arial unless ``name`` says otherwise)."""
    return Font(name=name, bold=bold, italic=italic, size=size, color=color)


def fill(color: str) -> PatternFill:
    """A solid fill."""
    return PatternFill("solid", fgColor=color)


BASE_FONT = font()
BOLD_FONT = font(bold=True)
TITLE_FONT = font(bold=True, size=14, color=BLUE_DARK)
HEADING_FONT = font(bold=True, size=12, color=BLUE_DARK)
SUBTITLE_FONT = font(italic=True, size=9, color=GREY_TEXT)
HINT_FONT = font(italic=True, color=GREY_TEXT)
HEADER_FONT = font(bold=True)
SMALL_FONT = font(size=8)
SMALL_GREY_FONT = font(size=8, color=GREY_TEXT)
MUTED_FONT = font(italic=True, color=GREY_MUTED)
PROBLEM_FONT = font(bold=True, color=PROBLEM_TEXT)
MONO_SMALL_FONT = font(size=8, name="Courier New")

HEADER_FILL = fill(BLUE_LIGHT)
INPUT_FILL = fill(INPUT_YELLOW)
TODO_FILL = fill(TODO_YELLOW)
PROBLEM_FILL = fill(PROBLEM_FILL_COLOR)
ERROR_FILL = fill(ERROR_FILL_COLOR)
LEFT_FILL = fill(GREY_FILL)
OUTSIDE_FILL = fill(GREY_LIGHT)
NO_FILL = PatternFill(fill_type=None)

THIN = Side(style="thin", color=GREY_LINE)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
THICK_LEFT_BORDER = Border(left=Side(style="medium", color=GREY_DARK), right=THIN, top=THIN, bottom=THIN)

CENTER = Alignment(horizontal="center", vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def use_base_font(wb: Workbook) -> None:
    """Make Arial the font of every cell of a new workbook that sets none of its own.

    Call right after ``Workbook()``, before any cell is styled: openpyxl keeps the default
    font as the first of the workbook's fonts and offers no public setter.
    """
    wb._fonts = IndexedList([BASE_FONT])
    normal = wb._named_styles["Normal"]
    normal.font = BASE_FONT


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    A column's width is counted in digit widths; Cyrillic text in Arial averages a little more,
    and wrapping breaks at spaces, so a line holds about 0.9 × the width in characters. Each
    line break of the text starts a new line.
    """
    per_line = max(1, int(width * 0.9))
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def row_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height in points of a row showing ``lines`` lines of text of ``size`` points."""
    return round(max(1, lines) * size * 1.35 + 3, 1)
