"""What the ``journal district`` commands do, for the CLI to call."""

from __future__ import annotations

from pathlib import Path

from journal.dataset import postgres
from journal.district.config import district_url
from journal.district.push import PushResult, push_school
from journal.documents.notebooks import ReportOutput, notebooks_dir, run_report
from journal.school.folder import SchoolFolder

DISTRICT_REPORTS = ("progress", "attendance", "filling")


def setup(url: str | None = None) -> list[int]:
    """Create or update the district schema (run by the database's owner)."""
    conn = postgres.connect(url or district_url())
    try:
        return postgres.migrate(conn)
    finally:
        conn.close()


def push_folder(school_dir: Path, *, again: bool = False) -> PushResult:
    """Push the school folder's dataset with its settings to the configured district database."""
    from journal.workbooks.settings_reader import load_settings

    school = SchoolFolder.open(Path(school_dir))
    settings = load_settings(school.settings_path)
    url = district_url(forbidden=(school.root, Path(__file__).resolve().parents[2]))
    return push_school(school.store_path, settings, url, again=again)


def district_notebooks() -> Path:
    """The folder of the district's report notebooks."""
    return notebooks_dir() / "district"


def report(name: str, *, period: str = "", today: str = "", schools: str = "",
           out_dir: Path | None = None) -> ReportOutput:
    """Run a district report notebook; files go to ``out_dir`` (default «Отчёты района»)."""
    parameters = {"period": period, "today": today, "schools": schools}
    return run_report(name, None, {k: v for k, v in parameters.items() if v},
                      out_dir=out_dir or Path("Отчёты района"), folder=district_notebooks())
