"""Reading teachers' files in worker processes, so that no file can bring the merge down.

Some files make a spreadsheet library misbehave in ways Python cannot catch: one
stray value in cell XFD1048576 makes python-calamine allocate 512 GiB and abort
the process; a zip bomb eats gigabytes; openpyxl may hang. So each file is first
screened cheaply (:mod:`journal.workbooks.screening`) and then parsed, both in a worker process
with an address-space limit (``RLIMIT_AS`` where the system has it) and a
timeout. A worker that dies (SIGABRT, SIGKILL, MemoryError) or runs out of time
becomes a finding for its file; the merge goes on with the next one.

Workers are forked where the system can fork (Linux) and spawned elsewhere; a
small pool (one worker per core, at most two by default) reads many files and
returns the results in input order.

Usage from the merge::

    results = read_workbooks_safely(paths, root=school.root)   # one ReadResult per path
    result = read_workbook_safely(path)                        # a single file

:func:`merge_lock` keeps a second ``journal merge`` of the same school from running
while one is under way (an OS lock of the merging process alone, released even when it
is killed; workers die with it), :func:`send_lock` a second ``journal letters --send``.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from journal.core.findings import Finding, error
from journal.workbooks import screening as ps

DEFAULT_TIMEOUT = 60.0  # seconds for one file; a year workbook reads in ~5 ms
DEFAULT_MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space a worker may add
DEFAULT_WORKERS = 2

Parse = Callable[[Path], Any]
Progress = Callable[[int, int, str], None]


def _default_parse(path: Path) -> Any:
    from journal.workbooks.reading import read_workbook

    return read_workbook(path)


def failed_result(path: str | Path, findings: list[Finding], sha256: str = "") -> Any:
    """A :class:`journal.workbooks.reading.ReadResult` holding no workbook, only ``findings``."""
    from journal.workbooks.reading import ReadResult

    return ReadResult(path=Path(path), sha256=sha256, workbook=None, findings=list(findings))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    tasks: deque[int] = field(default_factory=deque)
    deadline: float = 0.0


def read_workbook_safely(path: str | Path, *, root: str | Path | None = None,
                         timeout: float = DEFAULT_TIMEOUT,
                         memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                         parse: Parse | None = None) -> Any:
    """Screen one file, then parse it in a worker process; never raises for a bad file.

    Returns what ``parse`` (by default :func:`journal.workbooks.reading.read_workbook`) returns,
    or, when the file is refused, the worker dies or times out, a ``ReadResult`` with
    no workbook and a finding saying why. Screening warnings are added to the result.
    """
    return read_workbooks_safely([path], root=root, timeout=timeout, memory_limit=memory_limit,
                                 workers=1, parse=parse)[0]


def read_workbooks_safely(paths: Sequence[str | Path], *, root: str | Path | None = None,
                          timeout: float = DEFAULT_TIMEOUT,
                          memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                          workers: int | None = None, parse: Parse | None = None,
                          progress: Progress | None = None,
                          limits: ps.Limits = ps.DEFAULT_LIMITS) -> list[Any]:
    """Like :func:`read_workbook_safely` for many files on a pool; results in input order.

    ``progress(done, total, file)`` is called in this process as each file finishes.
    """
    results: list[Any] = [None] * len(paths)
    for index, result in stream_workbooks_safely(paths, root=root, timeout=timeout,
                                                 memory_limit=memory_limit, workers=workers,
                                                 parse=parse, progress=progress, limits=limits):
        results[index] = result
    return results


def stream_workbooks_safely(paths: Sequence[str | Path], *, root: str | Path | None = None,
                            timeout: float = DEFAULT_TIMEOUT,
                            memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                            workers: int | None = None, parse: Parse | None = None,
                            progress: Progress | None = None,
                            limits: ps.Limits = ps.DEFAULT_LIMITS,
                            screened: dict[int, ps.Screening] | None = None,
                            screenings: dict[int, ps.Screening] | None = None,
                            ) -> Iterator[tuple[int, Any]]:
    """Like :func:`read_workbooks_safely`, yielding ``(index, result)`` in input order as soon
    as each result is ready: the caller works on one result while the workers go on.

    Each worker holds up to :data:`PREFETCH` files, so that it never waits for the caller.
    ``screened`` (index → the screening an earlier pass made of that file) skips screening
    again: the file is then only checked to be unchanged since; ``screenings``, when given,
    receives the screening of each file that passed it.
    """
    files = [Path(p) for p in paths]
    names = [ps.display_name(p, root) for p in files]
    ready: dict[int, Any] = {}
    queue: deque[int] = deque(range(len(files)))
    done = 0
    earlier = screened or {}
    screen_and_parse = _ScreenAndParse(parse or _default_parse, root, limits,
                                       frozenset(earlier))

    def finish(index: int, outcome: tuple[str, Any]) -> None:
        nonlocal done
        status, value = outcome
        if status == "ok":
            screening, parsed = value
            screening = earlier.get(index, screening)
            if screenings is not None and screening.ok:
                screenings[index] = screening
            if screening.ok:
                ready[index] = _complete(files[index], names[index], screening, ("ok", parsed))
            else:
                sha = screening.fingerprint.sha256 if screening.fingerprint else ""
                ready[index] = failed_result(files[index], screening.findings, sha)
        else:
            ready[index] = _complete(files[index], names[index],
                                     earlier.get(index, _UNSCREENED), outcome)
        done += 1
        if progress:
            progress(done, len(files), names[index])

    if not queue:
        return
    count = min(workers or min(DEFAULT_WORKERS, os.cpu_count() or 1), len(queue))
    following = 0
    for _ in _run_pool(files, queue, max(count, 1), timeout, memory_limit, screen_and_parse,
                       finish):
        while following in ready:
            yield following, ready.pop(following)
            following += 1


# Files sent to a worker at a time. A deep enough queue lets the workers run ahead while the
# merging process writes a slow workbook and catch up while it waits for one: six instead of
# two took a cold merge of 1,000 workbooks from 1.73-1.76 cores busy to 1.77-1.83.
PREFETCH = 6
# Workers run a little below the merging process: it writes one workbook after another and
# is the merge's critical path, so when the two workers and it want the two cores of a
# school computer it should not wait (cold merge of 150: 2.9 s instead of 3.1 s).
WORKER_NICENESS = 5


@dataclass
class _ScreenAndParse:
    """What a worker does with a file: screen it cheaply, and parse it only if it passes.

    Screening runs in the worker too, so that files are screened in parallel and while
    other files are parsed (it costs about as much as parsing a year workbook). Files
    screened by an earlier pass (``screened``, their indexes) are parsed at once.
    """

    parse: Parse
    root: str | Path | None
    limits: ps.Limits
    screened: frozenset[int] = frozenset()

    def __call__(self, index: int, path: Path) -> tuple[ps.Screening, Any]:
        if index in self.screened:
            return _UNSCREENED, self.parse(path)
        screening = ps.screen(path, root=self.root, limits=self.limits)
        return screening, (self.parse(path) if screening.ok else None)


_UNSCREENED = ps.Screening(findings=[], fingerprint=None)


def _complete(path: Path, name: str, screening: ps.Screening, outcome: tuple[str, Any]) -> Any:
    status, value = outcome
    fingerprint = screening.fingerprint
    sha = fingerprint.sha256 if fingerprint else ""
    if status != "ok":
        return failed_result(path, [_outcome_finding(status, value, name)], sha)
    result_sha = getattr(value, "sha256", None) or None
    if fingerprint is not None:
        changed = ps.changed_since(path, fingerprint, sha256=result_sha, file=name)
        if changed is not None:
            return failed_result(path, [changed], sha)
    if isinstance(getattr(value, "findings", None), list):
        own = {str(path), str(path.resolve()), path.name}
        named = [replace(f, file=name) if f.file in own else f for f in value.findings]
        value.findings[:] = [f for f in screening.findings if f not in named] + named
    return value


def _outcome_finding(status: str, detail: Any, name: str) -> Finding:
    if status == "timeout":
        return error(ps.PARSER_TIMEOUT,
                     f"Файл не удалось прочитать за {detail:g} с — программа прервала чтение. "
                     "Файл слишком сложный или повреждён: откройте его в Excel, удалите лишние листы "
                     "и строки ниже таблиц и сохраните, или перенесите отметки в чистый шаблон.",
                     file=name)
    if status == "died":
        how = _death_text(detail)
        return error(ps.PARSER_CRASHED,
                     f"При чтении файла программа чтения аварийно завершилась ({how}). Файл повреждён "
                     "или устроен необычно (например, значение в самой последней ячейке листа). "
                     "Откройте его в Excel, нажмите Ctrl+End, удалите лишнее и сохраните; или "
                     "перенесите отметки в чистый шаблон. Остальные файлы собраны.", file=name)
    return error(ps.PARSER_FAILED,
                 f"Файл не удалось прочитать (внутренняя ошибка программы: {detail}). Остальные файлы "
                 "собраны. Сообщите ответственному за электронный журнал и приложите этот файл.",
                 file=name)


def _death_text(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            return f"сигнал {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"сигнал {-exitcode}"
    if exitcode == _EXIT_MEMORY:
        return "не хватило памяти"
    return f"код {exitcode}"


_EXIT_MEMORY = 86


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _run_pool(paths: list[Path], queue: deque[int], count: int, timeout: float,
              memory_limit: int | None, parse: Callable[[int, Path], Any],
              finish: Callable[[int, tuple[str, Any]], None]) -> Iterator[None]:
    """Run the pool; yields after each round of finished files (the caller may work then,
    the workers go on with the files they hold). A worker holds up to :data:`PREFETCH`
    files; the deadline is that of the file it works on (counted from when the file before
    it came back); when it dies or runs out of time the file it worked on is the culprit
    and the files it held go back to the queue."""
    ctx = _context()

    def start() -> _Worker:
        parent, child = ctx.Pipe(duplex=True)
        process = ctx.Process(target=_worker_main, args=(child, memory_limit, parse, os.getpid()),
                              daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def lose(worker: _Worker, status: str, detail: Any) -> None:
        culprit, *held = worker.tasks
        finish(culprit, (status, detail))
        queue.extendleft(reversed(held))
        _replace(pool, worker, start)

    pool = [start() for _ in range(count)]
    try:
        while True:
            for worker in list(pool):
                while len(worker.tasks) < PREFETCH and queue:
                    index = queue.popleft()
                    try:
                        worker.conn.send((index, str(paths[index])))
                    except (BrokenPipeError, OSError):
                        queue.appendleft(index)
                        queue.extendleft(reversed(worker.tasks))
                        _replace(pool, worker, start)
                        break
                    if not worker.tasks:
                        worker.deadline = time.monotonic() + timeout
                    worker.tasks.append(index)
            busy = [w for w in pool if w.tasks]
            if not busy:
                break
            wait_for = min(w.deadline for w in busy) - time.monotonic()
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=max(wait_for, 0)))
            now = time.monotonic()
            for worker in busy:
                if worker.conn in ready:
                    try:
                        while worker.tasks and worker.conn.poll():
                            _, status, value = worker.conn.recv()
                            finish(worker.tasks.popleft(), (status, value))
                            worker.deadline = time.monotonic() + timeout
                    except (EOFError, OSError):
                        worker.process.join(1)
                        lose(worker, "died", worker.process.exitcode)
                        continue
                elif worker.process.sentinel in ready:
                    worker.process.join(1)
                    lose(worker, "died", worker.process.exitcode)
                elif now >= worker.deadline:
                    _stop(worker)
                    lose(worker, "timeout", timeout)
            yield
    finally:
        for worker in pool:
            if worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        for worker in pool:
            worker.process.join(2)
            if worker.process.is_alive():
                _stop(worker)
            worker.conn.close()


def _replace(pool: list[_Worker], worker: _Worker, start: Callable[[], _Worker]) -> None:
    _stop(worker)
    worker.conn.close()
    pool[pool.index(worker)] = start()


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(5)


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the timeout still applies
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        current = 0
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + limit
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError, AttributeError):  # macOS does not enforce RLIMIT_AS
        pass


def _silence_stderr() -> None:
    import faulthandler

    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


PARENT_POLL = 0.5  # seconds between a waiting worker's checks that its merge is alive


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when the process that started it dies.

    Elsewhere (or if the call fails) the worker notices by polling :func:`os.getppid`.
    """
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError, ValueError):
        return
    if os.getppid() != parent:  # the merge died before the request was made
        os._exit(0)


def _orphaned(parent: int) -> bool:
    return os.getppid() != parent


def _lower_priority() -> None:
    """Lower this worker's scheduling priority by :data:`WORKER_NICENESS` (where the system
    allows it; Windows has no ``nice``)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def _worker_main(conn: Connection, memory_limit: int | None, parse: Callable[[int, Path], Any],
                 parent: int) -> None:
    """A worker: parse each path it is sent, send back (index, status, value); stop on None.

    The worker ends with the merge that started it, whatever kills the merge (SIGKILL
    included): on Linux the kernel kills it, elsewhere it notices within
    :data:`PARENT_POLL` seconds while waiting for work. Other workers keep inherited
    copies of its pipe, so the end of the pipe alone would not tell it.

    The worker's standard error goes nowhere: a crashing native library prints its
    backtrace there, and nothing of a teacher's file may reach the terminal or a log.
    """
    _die_with_parent(parent)
    _silence_stderr()
    _limit_memory(memory_limit)
    _lower_priority()
    # A forked worker shares the merge's memory page by page; the garbage collector
    # would touch (and so copy) every inherited object unless they are frozen.
    gc.freeze()
    while True:
        try:
            while not conn.poll(PARENT_POLL):
                if _orphaned(parent):
                    return
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        index, path = task
        # Reading a workbook builds tens of thousands of small containers that live until
        # its result is sent, when reference counting frees them. The collector is paused
        # meanwhile, or it would walk them again and again while they are built; it runs
        # as usual between files, so reference cycles, if any, are still collected.
        gc.disable()
        try:
            outcome: tuple[int, str, Any] = (index, "ok", parse(index, Path(path)))
        except MemoryError:
            os._exit(_EXIT_MEMORY)
        except Exception as exc:  # a program fault; only the type, never cell contents
            outcome = (index, "error", type(exc).__name__)
        try:
            conn.send(outcome)
        except MemoryError:
            os._exit(_EXIT_MEMORY)
        except Exception as exc:  # the result could not be pickled
            conn.send((index, "error", type(exc).__name__))
        del outcome
        gc.enable()


# ---------------------------------------------------------------------------
# One merge (one sending of letters) at a time
# ---------------------------------------------------------------------------

LOCK_SUFFIX = ".lock"
SEND_LOCK_SUFFIX = ".send.lock"


@dataclass
class HeldLock:
    """A lock held by this process; ``taken_over`` is the note of a holder that died holding it."""

    path: Path
    taken_over: str = ""

    @property
    def notice(self) -> str:
        """A Russian sentence for the user when the lock was taken over from a dead process."""
        if not self.taken_over:
            return ""
        return (f"Прошлый запуск ({self.taken_over}) был прерван и не закончил работу: его "
                "процесс больше не существует. Его блокировка снята, работа начата заново; "
                "то, что прерванный запуск успел записать целиком, сохранено.")


@contextlib.contextmanager
def merge_lock(store_path: str | Path, *, wait: float = 0.0) -> Iterator[HeldLock]:
    """Hold the school's merge lock while the block runs; :class:`StoreBusyError` if another holds it.

    The lock is an OS lock on ``journal.sqlite.lock`` beside the dataset: a POSIX record
    lock (``lockf``) on Unix, which belongs to the holding process alone — the reading
    workers it forks do not inherit it — and vanishes when that process dies, even by
    SIGKILL; ``msvcrt.locking`` on Windows. The file keeps a note «начата …, процесс N»
    while the lock is held and is emptied on release: a note found on taking the lock
    is the trace of a holder that died, reported in :attr:`HeldLock.notice`.
    ``wait`` seconds are spent retrying before giving up.
    """
    with _school_lock(Path(str(store_path) + LOCK_SUFFIX), wait,
                      "Сборка журналов в этой папке уже идёт{since}. Дождитесь её окончания и "
                      "запустите journal merge снова.") as held:
        yield held


@contextlib.contextmanager
def send_lock(store_path: str | Path, *, wait: float = 0.0) -> Iterator[HeldLock]:
    """Like :func:`merge_lock` for ``journal letters --send``: one sending per school at a time."""
    with _school_lock(Path(str(store_path) + SEND_LOCK_SUFFIX), wait,
                      "Письма родителям этой школы уже отправляются{since}. Дождитесь окончания "
                      "отправки и запустите команду снова: уже отправленные письма второй раз не "
                      "уйдут.") as held:
        yield held


@contextlib.contextmanager
def _school_lock(path: Path, wait: float, busy: str) -> Iterator[HeldLock]:
    from journal.core.errors import StoreBusyError

    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                holder = _note(handle)
                since = f" (начата {holder})" if holder else ""
                raise StoreBusyError(busy.format(since=since))
            time.sleep(0.1)
        held = HeldLock(path, taken_over=_note(handle))
        _write_note(handle, f"начата {time.strftime('%d.%m.%Y %H:%M:%S')}, процесс {os.getpid()}")
        try:
            yield held
        finally:
            with contextlib.suppress(OSError):
                _write_note(handle, "")
            _unlock(handle)
    finally:
        handle.close()


def _note(handle: Any) -> str:
    try:
        handle.seek(0)
        text = handle.read(200).decode("utf-8", "replace").strip()
    except OSError:  # Windows locks are mandatory: the holder's note is unreadable
        return ""
    return text.removeprefix("начата ")


def _write_note(handle: Any, text: str) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(text.encode("utf-8"))
    handle.flush()


def _try_lock(handle: Any) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        # a record lock of this process: forked children do not hold it (flock's would be)
        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
    except OSError:
        return False
    return True


def _unlock(handle: Any) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.lockf(handle.fileno(), fcntl.LOCK_UN, 1, 0)
