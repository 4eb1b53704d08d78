"""The archive register of paper copies: an Excel workbook in ``output/Бумажные копии``.

One row per printed PDF: class, period, school year, version, pages, when it was made,
the SHA-256 of the file (so that a bound copy can later be matched to its file) and the
file name, then empty columns for the secretary (archived on, by whom, archive number,
remarks). The program owns the workbook: each print run reads it back (keeping what the
secretary typed, and any column she added) and writes it anew, atomically.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from journal.core import xlsx_style as xs
from journal.core.errors import UsageError
from journal.core.files import save_atomically
from journal.dataset import store

REGISTER_FILE = "Реестр бумажных копий.xlsx"
SHEET = "Реестр"

COL_NO = "№ п/п"
COL_CLASS = "Класс"
COL_PERIOD = "Период"
COL_KIND = "Вид копии"
COL_YEAR = "Учебный год"
COL_VERSION = "Версия"
COL_PAGES = "Страниц"
COL_PRODUCED = "Дата копии"
COL_SHA = "Контрольная сумма файла"
COL_FILE = "Файл"
COL_ARCHIVED_ON = "Сдана в архив (дата)"
COL_ARCHIVED_BY = "Кто принял"
COL_ARCHIVE_NO = "Номер в архиве"
COL_REMARKS = "Примечание"
COLUMNS = (COL_NO, COL_CLASS, COL_PERIOD, COL_KIND, COL_YEAR, COL_VERSION, COL_PAGES, COL_PRODUCED,
           COL_SHA, COL_FILE, COL_ARCHIVED_ON, COL_ARCHIVED_BY, COL_ARCHIVE_NO, COL_REMARKS)
WIDTHS = (6, 7, 11, 10, 10, 8, 9, 13, 16, 19, 9, 10, 9, 12)  # fits landscape A4 at 100 %
OLD_NAMES = {"№": COL_NO, "SHA-256 файла PDF": COL_SHA, "Сформирована": COL_PRODUCED,
             "Архивный номер": COL_ARCHIVE_NO}
"""Headers of earlier registers, read as today's columns."""

KIND_COPY = "копия за период"
KIND_DRAFT = "черновик"
DRAFT_REMARK = "черновик: период ещё шёл; в архив не сдаётся"
SHA_FONT = xs.font(size=9, name="Courier New")


@dataclass(frozen=True)
class RegisterRow:
    """One printed copy in the register; the secretary's columns hold whatever she typed.

    A draft (a copy made before its period ended) has version 0: it is never the period's copy.
    """

    class_name: str
    period: str
    school_year: str
    version: int
    pages: int
    produced: str  # «28.11.2026 16:40»
    sha256: str
    file_name: str
    archived_on: object = None
    archived_by: object = None
    archive_number: object = None
    remarks: object = None
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)
    draft: bool = False


def register_path(folder: Path) -> Path:
    """The register workbook inside the paper copies folder."""
    return Path(folder) / REGISTER_FILE


def next_version(earlier: Iterable[RegisterRow]) -> int:
    """The version of a new copy after ``earlier`` copies of the same class and period
    (drafts do not count)."""
    return max((r.version for r in earlier if not r.draft), default=0) + 1


def sha_text(digest: str) -> str:
    """The hash as the register shows it: four lines of two groups of eight characters."""
    groups = [digest[i:i + 8] for i in range(0, len(digest), 8)]
    return "\n".join(" ".join(groups[i:i + 2]) for i in range(0, len(groups), 2))


def _natural(text: str) -> tuple[int, str]:
    """«1А» before «10А», «1 четверть» before «2 четверть»."""
    digits = "".join(itertools.takewhile(str.isdigit, text.strip()))
    return (int(digits) if digits else 10_000, text.strip().lower())


def register_order(row: RegisterRow) -> tuple[object, ...]:
    """Rows by school year, period, class (1А … 11А), then drafts before versions."""
    return (row.school_year, _natural(row.period), _natural(row.class_name), not row.draft, row.version,
            row.produced)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _int(value: object) -> int:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return 0


def read_register(path: Path) -> list[RegisterRow]:
    """The rows of an existing register (none when the file does not exist yet).

    Raises :class:`UsageError` when the file exists but cannot be read, so that it is
    never overwritten by a run that could not keep its content.
    """
    path = Path(path)
    if not path.exists():
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:
        raise UsageError(
            f"Реестр бумажных копий «{path}» не читается ({type(exc).__name__}: {exc}). "
            f"Закройте его в Excel или восстановите из резервной копии и повторите печать; "
            f"файл не изменён"
        ) from exc
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    header_at = next((i for i, r in enumerate(rows)
                      if r and {COL_SHA, "SHA-256 файла PDF"} & {_text(v) for v in r}), None)
    if header_at is None:
        raise UsageError(
            f"В реестре «{path}» не найдена строка заголовков (столбец «{COL_SHA}»). "
            f"Верните заголовки или переименуйте файл — тогда будет начат новый реестр"
        )
    header = [OLD_NAMES.get(_text(v), _text(v)) for v in rows[header_at]]
    found: list[RegisterRow] = []
    for values in rows[header_at + 1:]:
        cells = {name: values[i] if i < len(values) else None for i, name in enumerate(header) if name}
        if not _text(cells.get(COL_SHA)) and not _text(cells.get(COL_FILE)):
            continue
        extra = {k: v for k, v in cells.items() if k not in COLUMNS}
        draft = _text(cells.get(COL_KIND)).lower() == KIND_DRAFT
        found.append(RegisterRow(
            class_name=_text(cells.get(COL_CLASS)), period=_text(cells.get(COL_PERIOD)),
            school_year=_text(cells.get(COL_YEAR)), version=0 if draft else _int(cells.get(COL_VERSION)),
            pages=_int(cells.get(COL_PAGES)), produced=_text(cells.get(COL_PRODUCED)),
            sha256="".join(_text(cells.get(COL_SHA)).split()), file_name=_text(cells.get(COL_FILE)),
            archived_on=cells.get(COL_ARCHIVED_ON), archived_by=cells.get(COL_ARCHIVED_BY),
            archive_number=cells.get(COL_ARCHIVE_NO), remarks=cells.get(COL_REMARKS), extra=extra,
            draft=draft,
        ))
    return found


def check_writable(path: Path) -> None:
    """Raise :class:`UsageError` when the register cannot be replaced (open in Excel, read-only)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "r+b"):
                pass
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".~", suffix=".tmp"):
            pass
    except OSError as exc:
        raise UsageError(
            f"Реестр бумажных копий «{path}» нельзя записать ({exc.strerror or exc}). "
            f"Закройте его в Excel и повторите печать"
        ) from exc


def write_register(path: Path, rows: Sequence[RegisterRow]) -> None:
    """Write the whole register (through a temporary file and a rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    centred_wrap = Alignment(horizontal="center", vertical="top", wrap_text=True)
    path = Path(path)
    extra_names: list[str] = []
    for row in rows:
        extra_names += [k for k in row.extra if k not in extra_names]
    header = [*COLUMNS, *extra_names]
    wb = Workbook()
    xs.use_base_font(wb)
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append(header)
    for cell in ws[1]:
        cell.font = xs.BOLD_FONT
        cell.fill = xs.HEADER_FILL
        cell.alignment = xs.HEADER_ALIGN
        cell.border = xs.BORDER
    ws.row_dimensions[1].height = 45
    centred = {COL_NO, COL_CLASS, COL_VERSION, COL_PAGES, COL_YEAR}
    for no, row in enumerate(sorted(rows, key=register_order), start=1):
        remarks = row.remarks if row.remarks not in (None, "") or not row.draft else DRAFT_REMARK
        ws.append([no, row.class_name, row.period, KIND_DRAFT if row.draft else KIND_COPY, row.school_year,
                   "—" if row.draft else row.version, row.pages, row.produced, sha_text(row.sha256),
                   row.file_name, row.archived_on, row.archived_by, row.archive_number, remarks,
                   *(row.extra.get(k) for k in extra_names)])
        for name, cell in zip(header, ws[no + 1], strict=False):
            cell.alignment = centred_wrap if name in centred else xs.WRAP
            cell.border = xs.BORDER
            if row.draft:
                cell.font = xs.MUTED_FONT
        ws.cell(row=no + 1, column=COLUMNS.index(COL_SHA) + 1).font = SHA_FONT
        ws.row_dimensions[no + 1].height = 50  # the hash in four lines
        archived = ws.cell(row=no + 1, column=COLUMNS.index(COL_ARCHIVED_ON) + 1)
        if isinstance(archived.value, dt.date | dt.datetime):
            archived.number_format = "DD.MM.YYYY"
    for i, width in enumerate([*WIDTHS, *([16] * len(extra_names))], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    ws.print_options.gridLines = True
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    try:
        save_atomically(wb.save, path)
    except OSError as exc:
        raise UsageError(
            f"Реестр бумажных копий «{path}» не записан ({exc.strerror or exc}). "
            f"Закройте его в Excel и повторите печать"
        ) from exc


def history_stamp(conn: sqlite3.Connection) -> str:
    """The footer stamp of a paper copy: the dataset's history head («журнал: контрольная
    сумма 3fa9c1d2e4b5 от 01.12.2026»), or "" for a dataset without a history."""
    head = store.chain_head(conn)
    return head.footer_ru() if head else ""


def record_in_history(store_path: Path, row: RegisterRow, printed_at: dt.datetime) -> None:
    """Add a printed copy to the dataset: a row of ``printed_copies``, a record of its history."""
    with store.opened(store_path, readonly=False) as conn:
        head = store.chain_head(conn)
        store.record_printed_copy(conn, {
            "printed_at": store.now_text(printed_at), "class": row.class_name, "period": row.period,
            "school_year": row.school_year, "version": row.version, "pages": row.pages,
            "sha256": row.sha256, "file": row.file_name, "chain_head": head.hash if head else ""})
