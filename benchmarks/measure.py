"""Measuring helpers of the benchmarks: wall and CPU time, peak memory, medians.

Peak memory is the largest memory of the whole process tree (the merge and its
worker processes together), sampled every 200 ms with psutil when it is installed:
the proportional set size (PSS, from ``/proc/PID/smaps_rollup`` on Linux), so that
pages a forked worker shares with the merge are counted once, else the resident set
(which counts shared pages once per process). Without psutil it is the larger of
``ru_maxrss`` of the process and of its children (a lower bound of the tree's peak).

The sampler runs in a thread of the measured process, and reading ``smaps_rollup`` costs
about a millisecond for every 100 MB a process maps: its own CPU time is subtracted from the
measured CPU time, which would otherwise grow with the merge's memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
MIB = 1024 * 1024


@dataclass
class Sample:
    """One measured run: seconds of wall time, CPU seconds (self + children), peak bytes."""

    wall: float = 0.0
    cpu: float = 0.0
    peak: int = 0
    sampler_cpu: float = 0.0  # CPU seconds of the memory sampler (not in ``cpu``)
    cpu_self: float = 0.0  # of ``cpu``, the measuring process's own (the merging process)

    @property
    def cores(self) -> float:
        """How many cores were busy on average (CPU time / wall time)."""
        return self.cpu / self.wall if self.wall else 0.0


def _cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return _own_cpu() + kids.ru_utime + kids.ru_stime


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _maxrss() -> int:
    factor = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) * factor


def _pss(pid: int) -> int:
    """The proportional set size of a process in bytes (0 where the system does not tell)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


class _TreeSampler:
    """Samples the resident memory of this process and its descendants in a thread."""

    def __init__(self, interval: float | None = None) -> None:
        self.interval = interval or float(os.environ.get("JOURNAL_BENCH_SAMPLE_EVERY", "0.2"))
        self.peak = 0
        self.cpu = 0.0  # CPU seconds of the sampling thread itself
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            import psutil
        except ImportError:
            self._process = None
        else:
            self._process = psutil.Process()

    def _total(self) -> int:
        assert self._process is not None
        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            try:
                total += _pss(process.pid) or process.memory_info().rss
            except Exception:  # a worker that has just ended
                continue
        return total

    def _loop(self) -> None:
        start = time.thread_time()
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.interval)
        self.cpu = time.thread_time() - start

    def __enter__(self) -> _TreeSampler:
        if self._process is not None:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@contextmanager
def measured() -> Iterator[Sample]:
    """Measure the block: ``with measured() as sample: ...``; ``sample`` is filled on exit."""
    sample = Sample()
    cpu0, own0 = _cpu(), _own_cpu()
    with _TreeSampler() as sampler:
        start = time.perf_counter()
        try:
            yield sample
        finally:
            sample.wall = time.perf_counter() - start
    sample.sampler_cpu = sampler.cpu
    sample.cpu = _cpu() - cpu0 - sampler.cpu
    sample.cpu_self = _own_cpu() - own0 - sampler.cpu
    sample.peak = max(sampler.peak, _maxrss())


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall seconds of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median(values: list[float]) -> float:
    """The median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def in_subprocess(script: str, *args: str) -> dict[str, object]:
    """Run ``benchmarks/<script> args`` in a fresh interpreter; its last stdout line is JSON."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                          text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def as_json(sample: Sample, **extra: object) -> str:
    """One JSON line with the sample and extra fields (what :func:`in_subprocess` reads)."""
    return json.dumps({**asdict(sample), "cores": sample.cores, **extra}, ensure_ascii=False)


def verdict(ok: bool) -> str:
    """«OK» or «MISSED» for a summary line."""
    return "OK" if ok else "MISSED"


def mib(value: float) -> str:
    """Bytes as «123 MiB»."""
    return f"{value / MIB:.0f} MiB"


def journal_command(*args: str, allowed: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Wall seconds and standard output of one ``journal`` command in a fresh process
    (start-up included); an exit code not in ``allowed`` fails the benchmark."""
    command = [str(Path(sys.executable).with_name("journal")), *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ), check=False)
    wall = time.perf_counter() - started
    if done.returncode not in allowed:
        raise RuntimeError(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr[-3000:]}")
    return wall, done.stdout
