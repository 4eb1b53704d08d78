"""The school folder: where the settings, workbooks, dataset and output live.

::

    DIR/
      Настройки.xlsx       the settings workbook (found by its _meta, the name is a default)
      classes/             one class-teacher workbook per class
      workbooks/           one subject workbook per class × subject (× group)
      journal.sqlite       the central dataset; only ``journal merge`` writes it
      output/              everything generated
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from journal.core.errors import UsageError

SETTINGS_FILE = "Настройки.xlsx"
CLASSES_DIR = "classes"
WORKBOOKS_DIR = "workbooks"
STORE_FILE = "journal.sqlite"
OUTPUT_DIR = "output"
DATASET_BACKUPS_DIR = "backups"  # copies of the dataset made before merges, migrations and restores
FEEDBACK_DIR = "Замечания учителям"
REPORTS_DIR = "Отчёты"
PRINT_DIR = "Бумажные копии"
LETTERS_DIR = "Письма родителям"
BACKUP_DIR = "Резервные копии"
# files the documents layer writes and the reports read (participation, regulation 3.5)
SENT_LOG_FILE = "Журнал отправки.jsonl"  # in LETTERS_DIR: one JSON line per letter e-mailed
CODES_DIR = "Коды доступа"  # owner-only: the diary's codes, slips and participation table
PARTICIPATION_FILE = "Участие семей.csv"  # in CODES_DIR, written by ``journal diary``


@dataclass(frozen=True)
class SchoolFolder:
    """Paths inside one school's folder."""

    root: Path

    @classmethod
    def open(cls, root: str | Path) -> SchoolFolder:
        """An existing school folder; :class:`UsageError` when it is not one."""
        path = Path(root).expanduser().resolve()
        if not path.is_dir():
            raise UsageError(f"Папка школы «{path}» не найдена. Создайте её: journal init {root}")
        folder = cls(path)
        if not folder.settings_path.exists():
            raise UsageError(
                f"В папке «{path}» нет файла настроек «{SETTINGS_FILE}». "
                f"Это не папка школы; новую папку создаёт команда journal init ПАПКА"
            )
        return folder

    @property
    def settings_path(self) -> Path:
        """The settings workbook."""
        return self.root / SETTINGS_FILE

    @property
    def classes_dir(self) -> Path:
        """Class teachers' workbooks."""
        return self.root / CLASSES_DIR

    @property
    def workbooks_dir(self) -> Path:
        """Subject teachers' workbooks."""
        return self.root / WORKBOOKS_DIR

    @property
    def store_path(self) -> Path:
        """The central dataset."""
        return self.root / STORE_FILE

    @property
    def backups_dir(self) -> Path:
        """``DIR/backups``: automatic copies of the dataset (see DESIGN.md)."""
        return self.root / DATASET_BACKUPS_DIR

    @property
    def output_dir(self) -> Path:
        """Everything generated."""
        return self.root / OUTPUT_DIR

    def output(self, *parts: str) -> Path:
        """A folder under ``output/``, created when missing."""
        path = self.output_dir.joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def input_files(self) -> list[Path]:
        """Every file under ``classes/`` and ``workbooks/`` that may be a teacher's file.

        Whatever its extension: a teacher's ``.xlsb``, ``.ods`` or ``.pdf`` is reported by
        name, never silently left out. Excel lock files (``~$…``), hidden and temporary
        files and the system's own clutter (``Thumbs.db``, ``desktop.ini``) are skipped.
        """
        found: list[Path] = []
        for folder in (self.classes_dir, self.workbooks_dir):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.is_file() and is_candidate_workbook(path):
                    found.append(path)
        return found

    def lock_files(self) -> list[LockFile]:
        """Lock files that Excel (``~$…``) and LibreOffice (``.~lock.…#``) keep beside open workbooks."""
        found: list[LockFile] = []
        for folder in (self.classes_dir, self.workbooks_dir):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                lock = lock_file_of(path)
                if lock is not None and path.is_file():
                    found.append(lock)
        return found


@dataclass(frozen=True)
class LockFile:
    """A lock file: the workbook it stands for is open in a spreadsheet program right now."""

    path: Path
    workbook: Path | None  # the open workbook beside it (None when it is not there)
    program: str  # «Excel» or «LibreOffice»


def lock_file_of(path: Path) -> LockFile | None:
    """The lock file at ``path`` and its workbook, or None when ``path`` is not a lock file.

    Excel names it «~$» + the workbook's name, with the first one or two letters of a
    long name dropped («~$ — Математика.xlsx» for «5А — Математика.xlsx»); LibreOffice
    «.~lock.» + the name + «#».
    """
    name = path.name
    if name.startswith("~$"):
        rest, program = name[2:], "Excel"
        siblings = sorted(p.name for p in path.parent.iterdir()) if path.parent.is_dir() else []
        candidates = [rest] + [n for n in siblings
                               if rest and not n.startswith("~$") and rest in (n[1:], n[2:])]
    elif name.startswith(".~lock.") and name.endswith("#"):
        rest, program = name[len(".~lock."):-1], "LibreOffice"
        candidates = [rest]
    else:
        return None
    workbook = next((path.parent / c for c in candidates if c and (path.parent / c).is_file()), None)
    return LockFile(path, workbook, program)


SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})


def is_candidate_workbook(path: Path) -> bool:
    """False for lock files, hidden files, temporary and backup copies, system clutter."""
    name = path.name
    if name.startswith(("~$", ".", "~")) or name.endswith(("~", ".tmp", ".bak")):
        return False
    return name.lower() not in SYSTEM_FILES


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str) -> str:
    """A file name that every file system accepts, keeping Cyrillic."""
    cleaned = _UNSAFE.sub(" ", text).strip().strip(".")
    return " ".join(cleaned.split()) or "без названия"


def subject_workbook_name(class_name: str, subject: str, group: str = "") -> str:
    """«5А — Английский язык (1 группа).xlsx»."""
    suffix = f" ({group})" if group else ""
    return safe_file_name(f"{class_name} — {subject}{suffix}") + ".xlsx"


def class_workbook_name(class_name: str) -> str:
    """«5А — классный руководитель.xlsx»."""
    return safe_file_name(f"{class_name} — классный руководитель") + ".xlsx"
