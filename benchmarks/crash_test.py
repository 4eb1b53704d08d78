"""Kill ``journal merge`` with SIGKILL at random moments and check that nothing is lost.

A small school (the tiny school of ``tests/conftest.py``, made with our builders)
gets a new version of every subject workbook each round; ``journal merge`` runs as
a subprocess and is killed after a random delay (within the time a whole merge
takes). After each kill:

* ``PRAGMA integrity_check`` is ``ok``;
* every workbook in the dataset holds exactly the marks of one version that was
  written to the folder (the version whose SHA-256 the ``workbooks`` table records):
  nothing half-applied;
* every merge that recorded ``finished_at`` has a ``merge_files`` row for each
  input file, and no workbook it accepted went back to an older version (lost);
* a re-run of ``journal merge`` completes and brings every workbook up to date.

With ``--parent-only`` (:func:`parent_kill_test`) only the merging process is killed,
its reading workers running: they must die with it, the lock must not outlive it, and
the dataset must end as a clean merge's.

Prints one summary line: ``kills=N survived=N lost=0``; exit code 0 when every
kill survived and nothing was lost.

    .venv/bin/python benchmarks/crash_test.py --kills 40 --seed 1
    .venv/bin/python benchmarks/crash_test.py --parent-only --kills 50 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_tiny_settings, make_tiny_students  # noqa: E402

from journal.school.folder import class_workbook_name, subject_workbook_name  # noqa: E402
from journal.school.settings import Settings  # noqa: E402
from journal.workbooks import format as wf  # noqa: E402
from journal.workbooks.build import (  # noqa: E402
    build_class_workbook,
    build_subject_workbook,
    save_workbook,
    subject_students,
)
from journal.workbooks.settings_writer import write_settings_workbook  # noqa: E402

TODAY = "20.11.2026"
MarkKey = tuple[str, str, str, str, int, str, int]  # class, subject, grp, date, seq, student, position


@dataclass
class School:
    """The crash-test school: its folder, settings, and every version written so far."""

    root: Path
    settings: Settings
    versions: dict[str, set[MarkKey]] = field(default_factory=dict)  # sha256 → marks of that file
    current: dict[tuple[str, str, str], str] = field(default_factory=dict)  # key → sha of the file now

    @property
    def store(self) -> Path:
        """The dataset."""
        return self.root / "journal.sqlite"


def build_school(root: Path) -> School:
    """The settings workbook, the class workbooks and round 0 of every subject workbook."""
    settings = make_tiny_settings()
    write_settings_workbook(settings, root / "Настройки.xlsx")
    for school_class in settings.classes:
        content = wf.ClassContent(students=make_tiny_students(school_class.name))
        save_workbook(build_class_workbook(settings, school_class, content),
                      root / "classes" / class_workbook_name(school_class.name))
    school = School(root, settings)
    write_round(school, 0)
    return school


def write_round(school: School, round_no: int) -> None:
    """A new version of every subject workbook: more lessons filled, some marks corrected."""
    settings = school.settings
    for item in settings.curriculum:
        school_class = settings.school_class(item.class_name)
        assert school_class is not None
        students = make_tiny_students(item.class_name)
        roster = [s for s in subject_students(item, students) if s.left is None]
        content = wf.SubjectContent()
        marks: set[MarkKey] = set()
        keys = [k for k in wf.lesson_keys(settings.lesson_dates(item))
                if k[0] <= (settings.today or dt.date.max)]
        filled = keys[: min(len(keys), 6 + 2 * round_no)]
        for n, (day, seq) in enumerate(filled):
            content.kinds[(day, seq)] = settings.work_kinds[0].name
            content.log[(day, seq)] = wf.LogEntry(topic=f"Тема {n + 1}", homework=f"№ {n}")
            if not school_class.has_marks:
                continue
            for k, student in enumerate(roster):
                if student.joined and day < student.joined:
                    continue
                if (n + k) % 2 == 0:
                    value = 5 - (n + k + round_no // 3) % 3
                    content.marks[(student.full_name, day, seq)] = str(value)
                    marks.add((item.class_name, item.subject, item.group, day.isoformat(), seq,
                               student.full_name, value))
        path = school.root / "workbooks" / subject_workbook_name(item.class_name, item.subject, item.group)
        save_workbook(build_subject_workbook(settings, item, students, content), path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        school.versions[sha] = marks
        school.current[(item.class_name, item.subject, item.group)] = sha


def merge_command(school: School) -> list[str]:
    """``journal merge`` for the school, as a command line."""
    return [str(Path(sys.executable).parent / "journal"), "merge", "--school", str(school.root),
            "--today", TODAY]


def check(school: School) -> tuple[list[str], int]:
    """(problems, lost versions) of the dataset as it is now."""
    problems: list[str] = []
    lost = 0
    if not school.store.exists():
        return problems, 0
    conn = sqlite3.connect(school.store)
    try:
        state = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if state != "ok":
            return [f"integrity_check: {state}"], 0
        if not conn.execute("SELECT name FROM sqlite_master WHERE name = 'workbooks'").fetchone():
            return problems, 0  # killed before the schema was created: nothing to hold yet
        stored = {(c, s, g): sha for c, s, g, sha in conn.execute(
            "SELECT class, subject, grp, sha256 FROM workbooks WHERE kind = 'subject'")}
        marks: dict[tuple[str, str, str], set[MarkKey]] = {}
        for row in conn.execute("SELECT class, subject, grp, date, seq, student, value FROM v_marks"):
            marks.setdefault((row[0], row[1], row[2]), set()).add(row)
        for key, sha in stored.items():
            if sha not in school.versions:
                problems.append(f"{key}: unknown version {sha[:8]}")
            elif marks.get(key, set()) != school.versions[sha]:
                problems.append(f"{key}: marks differ from the version {sha[:8]} (half-applied)")
        for key in marks.keys() - stored.keys():
            problems.append(f"{key}: marks without an accepted workbook")
        files = len(list((school.root / "classes").glob("*.xlsx"))) + len(school.current)
        for merge_id, count in conn.execute(
                "SELECT m.id, COUNT(f.id) FROM merges m LEFT JOIN merge_files f ON f.merge_id = m.id"
                " WHERE m.finished_at IS NOT NULL GROUP BY m.id"):
            if count != files:
                problems.append(f"finished merge {merge_id} lists {count} of {files} files")
        last = conn.execute("SELECT MAX(id) FROM merges WHERE finished_at IS NOT NULL").fetchone()[0]
        if last is not None:
            order = {sha: n for n, sha in enumerate(school.versions)}
            for c, s, g, sha in conn.execute(
                    "SELECT class, subject, grp, sha256 FROM merge_files WHERE merge_id = ?"
                    " AND status = 'merged' AND kind = 'subject'", (last,)):
                now = stored.get((c, s, g))
                if now is None or order.get(now, -1) < order.get(sha, -1):
                    lost += 1
                    problems.append(f"{(c, s, g)}: version {sha[:8]} of finished merge {last} lost")
    finally:
        conn.close()
    return problems, lost


def up_to_date(school: School) -> list[str]:
    """Problems when the dataset does not hold the current version of every workbook."""
    conn = sqlite3.connect(school.store)
    try:
        stored = {(c, s, g): sha for c, s, g, sha in conn.execute(
            "SELECT class, subject, grp, sha256 FROM workbooks WHERE kind = 'subject'")}
    finally:
        conn.close()
    return [f"{key}: not merged after the re-run" for key, sha in school.current.items()
            if stored.get(key) != sha]


def run_merge(school: School, timeout: float = 300) -> tuple[int, float, str]:
    """Run a merge to its end: (exit code, seconds, standard error)."""
    start = time.perf_counter()
    done = subprocess.run(merge_command(school), capture_output=True, text=True, timeout=timeout,
                          check=False)
    return done.returncode, time.perf_counter() - start, done.stderr


@dataclass
class Summary:
    """What the crash test found."""

    kills: int = 0
    survived: int = 0
    lost: int = 0
    killed_while_writing: int = 0
    with_workers: int = 0  # kills that found reading workers alive (--parent-only)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one summary line."""
        return (f"kills={self.kills} survived={self.survived} lost={self.lost} "
                f"(killed after the dataset was opened: {self.killed_while_writing}; "
                f"with workers running: {self.with_workers})")


def crash_test(root: Path, kills: int, seed: int, log: bool = False) -> Summary:
    """Build the school in ``root`` and kill ``kills`` merges; the summary of what happened."""
    rng = random.Random(seed)
    school = build_school(root)
    code, full, err = run_merge(school)
    if code not in (0, 1):
        raise RuntimeError(f"the first merge failed ({code}): {err[-2000:]}")
    summary = Summary()
    for round_no in range(1, kills + 1):
        write_round(school, round_no)
        merges_before = _count_merges(school)
        delay = rng.uniform(0.2, 1.1) * full  # the first fifth is the interpreter starting
        process = subprocess.Popen(merge_command(school), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the merge and its reading workers
        process.wait()
        summary.kills += 1
        if _count_merges(school) > merges_before:
            summary.killed_while_writing += 1
        problems, lost = check(school)
        code, seconds, err = run_merge(school)
        if code not in (0, 1):
            problems.append(f"re-run exited with {code}: {err.strip()[-300:]}")
        else:
            full = max(full * 0.8, seconds) if round_no < 3 else full
            more, lost_after = check(school)
            problems += more + up_to_date(school)
            lost += lost_after
        summary.lost += lost
        if not problems:
            summary.survived += 1
        summary.problems += [f"kill {round_no} after {delay:.2f}s: {p}" for p in problems]
        if log:
            print(f"kill {round_no}: after {delay:.2f}s, {problems or 'ok'}",
                  file=sys.stderr)
    return summary


WHOLE_MERGE_EVERY = 5  # every n-th kill of --parent-only falls anywhere in the merge


def parent_kill_test(root: Path, kills: int, seed: int, log: bool = False) -> Summary:
    """Kill only the merging process (SIGKILL), not its reading workers, until ``kills``
    kills found workers running.

    Each round writes new versions of the workbooks (so that every merge reads and writes)
    and starts ``journal merge``. Most rounds wait until its workers exist and kill the
    merging process at a random moment of their lifetime (as measured on the merges before,
    the window narrowed after a miss and widened after a hit, since the load varies);
    every :data:`WHOLE_MERGE_EVERY`-th round kills it at a random moment of the whole merge
    (start-up, reading, writing). After each kill: no process of the killed merge is left
    after a few seconds; the next merge runs (the lock is not stale), says that it took the
    lock over when the killed one held it, and brings the dataset up to date. At the end the
    dataset holds exactly what a clean merge of the same folder into a new dataset holds.
    """
    rng = random.Random(seed)
    school = build_school(root)
    run = watched_merge(school)
    if run.code not in (0, 1) or run.workers_at is None:
        raise RuntimeError(f"the first merge failed ({run.code}): {run.err[-2000:]}")
    workers_span, whole = run.workers_span, run.ended_at
    summary = Summary()
    round_no = 0
    aim = 1.0  # the share of the measured worker lifetime the kill moments are drawn from
    while summary.with_workers < kills and round_no < 3 * kills:
        round_no += 1
        write_round(school, round_no)
        merges_before = _count_merges(school)
        process = subprocess.Popen(merge_command(school), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        if round_no % WHOLE_MERGE_EVERY == 0:
            where, delay = "after the start", rng.random() * whole
        elif _wait_for_workers(process) is None:
            process.wait()
            summary.problems.append(f"round {round_no}: the merge ended without workers")
            continue
        else:
            where, delay = "after the workers started", rng.random() * aim * workers_span
        time.sleep(delay)
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)  # the merging process alone, not its workers
        process.wait()
        summary.kills += 1
        summary.with_workers += bool(workers)
        summary.killed_while_writing += _count_merges(school) > merges_before
        if where == "after the workers started":  # aim within the workers' life as the load varies
            aim = min(aim * 1.1, 1.0) if workers else aim * 0.7
        problems = [f"process {pid} of the killed merge still runs" for pid in
                    _left_behind(process.pid, grace=5.0)]
        more, lost = check(school)
        problems += more
        lock = Path(str(school.store) + ".lock")
        held = lock.exists() and lock.read_bytes().strip() != b""
        run = watched_merge(school)
        if run.code not in (0, 1):
            problems.append(f"next merge exited with {run.code}: {run.err.strip()[-300:]}")
        elif held and "был прерван" not in run.err:
            problems.append("the next merge did not say that it took over a dead merge's lock")
        else:
            more, lost_after = check(school)
            problems += more + up_to_date(school)
            lost += lost_after
            if run.workers_at is not None:  # follow the machine's load
                workers_span = 0.7 * workers_span + 0.3 * run.workers_span
                whole = 0.7 * whole + 0.3 * run.ended_at
        summary.lost += lost
        if not problems:
            summary.survived += 1
        said = f"kill {summary.kills} ({len(workers)} workers, {delay:.3f}s {where})"
        summary.problems += [f"{said}: {p}" for p in problems]
        if log:
            print(f"{said}: {problems or 'ok'}", file=sys.stderr)
    summary.problems += same_as_clean_merge(school)
    return summary


@dataclass
class WatchedRun:
    """A merge run to its end, with the moments (seconds from its start) of its phases."""

    code: int
    err: str
    workers_at: float | None  # its first reading worker existed (None: never seen)
    workers_gone_at: float  # its last worker ended
    ended_at: float

    @property
    def workers_span(self) -> float:
        """How long its workers lived."""
        return max(self.workers_gone_at - (self.workers_at or 0.0), 0.001)


def watched_merge(school: School, timeout: float = 300) -> WatchedRun:
    """Run a merge to its end, watching when its workers start and end."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(merge_command(school), stdout=subprocess.DEVNULL, stderr=err)
        seen = _wait_for_workers(process)
        while process.poll() is None and _children(process.pid):
            time.sleep(0.002)
        gone = time.monotonic()
        code = process.wait(timeout)
        ended = time.monotonic() - start
        err.seek(0)
        return WatchedRun(code, err.read().decode("utf-8", "replace"),
                          None if seen is None else seen - start, gone - start, ended)


def _wait_for_workers(process: subprocess.Popen[bytes], timeout: float = 120) -> float | None:
    """The moment the process's first child (a reading worker) exists; None if it ended first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if _children(process.pid):
            return time.monotonic()
        time.sleep(0.002)
    return None


def _children(pid: int) -> list[int]:
    """The live children of ``pid`` (its reading workers)."""
    try:  # one small file on Linux ≥ 3.5: fast enough to watch workers that live 0,1 s
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [member for member, parent, state in _processes() if parent == pid and state != "Z"]
    return [int(child) for child in listed if _state(int(child)) not in ("Z", "")]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, state) of every process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found.append((int(entry.name), int(fields[1]), fields[0]))
    return found


def _left_behind(group: int, grace: float) -> list[int]:
    """Processes still alive in the killed merge's process group after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while True:
        alive = _group_members(group)
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def _group_members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":  # pgrp; zombies are gone already
            members.append(int(entry.name))
    return members


CONTENT_QUERIES = {
    "marks": "SELECT class, subject, grp, date, seq, student, value FROM v_marks",
    "lessons": "SELECT * FROM lessons",
    "students": "SELECT class, full_name, birth_date, joined, left_on FROM students",
}


def dataset_content(store: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the dataset holds now (without history columns), for comparing two datasets."""
    conn = sqlite3.connect(store)
    try:
        content = {}
        for name, sql in CONTENT_QUERIES.items():
            cur = conn.execute(sql)
            drop = {i for i, d in enumerate(cur.description)
                    if d[0] in ("id", "first_seen", "last_seen", "student_id", "merge_id",
                                 "topic_first_seen", "homework_first_seen")}
            content[name] = sorted(tuple(v for i, v in enumerate(row) if i not in drop)
                                   for row in cur.fetchall())
        return content
    finally:
        conn.close()


def same_as_clean_merge(school: School) -> list[str]:
    """Problems when the dataset differs from a clean merge of the same folder into a new one."""
    clean = School(school.root.parent / (school.root.name + "-clean"), school.settings)
    shutil.copytree(school.root, clean.root, ignore=shutil.ignore_patterns("journal.sqlite*",
                                                                           "output"))
    code, _seconds, err = run_merge(clean)
    if code not in (0, 1):
        return [f"the clean merge exited with {code}: {err.strip()[-300:]}"]
    mine, theirs = dataset_content(school.store), dataset_content(clean.store)
    return [f"{table}: {len(set(mine[table]) ^ set(theirs[table]))} rows differ from a clean merge"
            for table in CONTENT_QUERIES if mine[table] != theirs[table]]


def _count_merges(school: School) -> int:
    if not school.store.exists():
        return 0
    conn = sqlite3.connect(school.store)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM merges").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def main() -> int:
    """Run the crash test from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--parent-only", action="store_true",
                        help="kill only the merging process, not its workers (default: both)")
    args = parser.parse_args()
    run = parent_kill_test if args.parent_only else crash_test
    with tempfile.TemporaryDirectory() as tmp:
        summary = run(Path(tmp) / "school", args.kills, args.seed, log=args.verbose)
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    print(summary.line())
    return 0 if summary.survived == summary.kills and summary.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
