"""A throw-away PostgreSQL cluster for the district tests.

:func:`start_cluster` runs ``initdb`` in a temporary folder, starts the server on a free
port of 127.0.0.1 with ``pg_ctl`` and returns a :class:`Cluster`; :meth:`Cluster.stop`
stops it and removes the folder. PostgreSQL refuses to run as root: as root, the cluster
runs as the ``postgres`` user (Debian's package creates it). The binaries are looked for
on PATH and under ``/usr/lib/postgresql/*/bin``; :func:`missing_reason` says why there are
none (tests skip then, except in CI where they must run).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "district_admin"


def bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    return None


def missing_reason() -> str | None:
    """Why no cluster can be started here (None: it can)."""
    if bin_dir() is None:
        return ("PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql): "
                "run scripts/system-deps.sh --tests")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as another user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class Cluster:
    """A running throw-away cluster; ``url(role)`` connects as a role (trust authentication)."""

    root: Path
    port: int
    bins: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, role: str = ADMIN, database: str = "district") -> str:
        """The postgresql:// address of ``database`` as ``role``."""
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server (fast) and remove its folder."""
        subprocess.run(_as_owner([str(self.bins / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                  "-w", "stop"]), capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, durable: bool = False) -> Cluster:
    """initdb, start and create the ``district`` database owned by :data:`ADMIN`.

    Not ``durable`` (for tests): fsync is off, as nothing must survive a power cut.
    """
    bins = bin_dir()
    if bins is None:
        raise RuntimeError(missing_reason())
    root = Path(tempfile.mkdtemp(prefix="journal-pg-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root, _free_port(), bins)
    run = {"capture_output": True, "text": True, "timeout": 120, "check": True}
    subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(cluster.data), "-U", ADMIN,
                              "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]), **run)
    options = f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1"
    if not durable:
        options += " -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(cluster.data), "-l",
                              str(root / "server.log"), "-o", options, "-w", "start"]), **run)
    subprocess.run(_as_owner([str(bins / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port),
                              "-U", ADMIN, "district"]), **run)
    return cluster
