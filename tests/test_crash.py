"""Crashes and concurrency: a killed merge loses nothing; two merges never run at once.

The short form of ``benchmarks/crash_test.py`` (which kills many merges and prints
``kills=N survived=N lost=0``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from journal.core.errors import StoreBusyError
from journal.workbooks.isolation import merge_lock

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import crash_test


@pytest.mark.slow
def test_killed_merges_lose_nothing(tmp_path: Path) -> None:
    summary = crash_test.crash_test(tmp_path / "school", kills=4, seed=7)
    assert summary.problems == []
    assert (summary.kills, summary.survived, summary.lost) == (4, 4, 0)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts left processes in /proc (Linux)")
def test_killing_only_the_merging_process_leaves_no_lock_and_no_process(tmp_path: Path) -> None:
    """50 SIGKILLs of the merging process alone, spread over the whole merge, workers running."""
    summary = crash_test.parent_kill_test(tmp_path / "school", kills=50, seed=11)
    assert summary.problems == []
    assert summary.with_workers == 50
    assert summary.survived == summary.kills and summary.lost == 0


@pytest.mark.slow
def test_check_sees_a_half_applied_workbook(tmp_path: Path) -> None:
    """The crash test's own check must notice a workbook whose marks are not one whole version."""
    school = crash_test.build_school(tmp_path / "school")
    code, _seconds, err = crash_test.run_merge(school)
    assert code in (0, 1), err
    assert crash_test.check(school) == ([], 0)
    import sqlite3

    conn = sqlite3.connect(school.store)
    conn.execute("DELETE FROM marks WHERE id = (SELECT MAX(id) FROM marks)")
    conn.commit()
    conn.close()
    problems, _lost = crash_test.check(school)
    assert any("half-applied" in p for p in problems)


def _hold_lock(store: str, ready: object, release: object) -> None:
    with merge_lock(store):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def test_second_merge_is_refused_while_one_runs(tmp_path: Path) -> None:
    store = tmp_path / "journal.sqlite"
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusyError, match="уже идёт"), merge_lock(store):
            pass
    finally:
        release.set()
        holder.join(10)
    with merge_lock(store):  # free again once the first merge ended
        pass


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_lock_of_a_killed_merge_is_released(tmp_path: Path) -> None:
    store = tmp_path / "journal.sqlite"
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store), ready, release))
    holder.start()
    assert ready.wait(30)
    os.kill(holder.pid, signal.SIGKILL)  # type: ignore[arg-type]
    holder.join(10)
    with merge_lock(store, wait=5):
        pass


@pytest.mark.slow
def test_a_merge_started_while_another_runs_is_refused_clearly(tmp_path: Path) -> None:
    """While one merge holds the school (here: this test), a second one is refused, not run."""
    school = crash_test.build_school(tmp_path / "school")
    with merge_lock(school.store):
        second = subprocess.run(crash_test.merge_command(school), capture_output=True, text=True,
                                timeout=300)
    assert second.returncode != 0
    assert "уже идёт" in second.stderr and "Traceback" not in second.stderr
    assert not school.store.exists()  # the refused merge did not even open the dataset
    after = subprocess.run(crash_test.merge_command(school), capture_output=True, text=True,
                           timeout=300)
    assert after.returncode in (0, 1), after.stderr[-500:]
    assert crash_test.check(school) == ([], 0)
