"""File helpers shared by every layer: content hashes, atomic writes, the mode of new files.

A file the program writes (a workbook, a PDF, the register) appears whole or not at all: it is
written to a temporary file beside the target, then renamed over it, so a crash or a full disk
never leaves half a file where a coordinator expects one.
"""

from __future__ import annotations

import configparser
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from journal.core.errors import UsageError


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def new_file_mode() -> int:
    """The mode an ordinary new file gets under the process's umask (``journal`` sets 077:
    files with children's data are the owner's only); mkstemp's 0600 is replaced by it."""
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def temp_path_beside(path: Path, suffix: str | None = None, prefix: str = ".~") -> Path:
    """A new empty temporary file in ``path``'s folder (created if missing), for a later rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=path.suffix if suffix is None else suffix,
                                dir=path.parent)
    os.close(fd)
    return Path(name)


def save_atomically(write: Callable[[Path], object], target: Path, *, prefix: str = ".~",
                    keep_partial: bool = False) -> Path:
    """Call ``write`` on a temporary file beside ``target``, then rename it over ``target``.

    The new file gets :func:`new_file_mode`. When ``write`` fails, the temporary file is
    removed and the error raised; with ``keep_partial``, whatever ``write`` managed to put in
    it (if anything) replaces ``target`` first, for the person to inspect.
    """
    target = Path(target)
    tmp = temp_path_beside(target, prefix=prefix)
    try:
        write(tmp)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, target)
    except BaseException:
        if keep_partial and tmp.exists() and tmp.stat().st_size:
            os.chmod(tmp, new_file_mode())
            os.replace(tmp, target)
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_atomically(data: bytes, out: Path) -> None:
    """Write ``data`` to ``out`` through a temporary file and a rename."""
    save_atomically(lambda tmp: tmp.write_bytes(data), out)


def read_private_config(path: Path, *, explicit: bool, forbidden: Iterable[Path], what: str,
                        default: Path) -> configparser.ConfigParser | None:
    """A settings file with a password (``what``: «почты», «районной базы»): None when there is
    none, :class:`UsageError` in Russian when a given (``explicit``) file is missing, when it
    lies inside one of the ``forbidden`` folders (the school's, the program's own) or does not
    parse."""
    if explicit and not path.is_file():
        raise UsageError(f"Файл настроек {what} «{path}» не найден")
    if not path.is_file():
        return None
    resolved = path.resolve()
    for folder in forbidden:
        if resolved.is_relative_to(Path(folder).resolve()):
            raise UsageError(
                f"Файл настроек {what} «{path}» лежит в папке «{folder}». Пароль не должен "
                "храниться вместе с файлами школы или программы: перенесите файл, например, "
                f"в {default}")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise UsageError(f"Файл настроек {what} «{path}» не читается: {type(exc).__name__}") from exc
    return parser
