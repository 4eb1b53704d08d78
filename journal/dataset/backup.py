"""Copies of the dataset: automatic ones before each merge, encrypted ones for a flash drive.

* :func:`backup_before_merge` copies ``journal.sqlite`` with SQLite's online backup into the
  school's backup folder and rotates the folder: the newest ten copies stay, plus the
  newest copy of every week of the current term and the last copy made by each period's end.
* :func:`write_encrypted` writes an encrypted copy (scrypt-derived key, AES-256-GCM; the
  file holds no readable name or mark) and :func:`restore_encrypted` puts one back: it
  decrypts into a temporary file beside the dataset, verifies the history there, and only
  then replaces the dataset, keeping the old one in the backup folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from journal.core.errors import BackupError
from journal.dataset import chain

KEEP_LAST = 10
AUTO_PREFIX = "journal-"
AUTO_PATTERN = re.compile(r"^journal-(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})\.sqlite$")
MAGIC = b"JOURNAL-BACKUP-1\n"
SALT_BYTES = 16
NONCE_BYTES = 12
SCRYPT_N = 2 ** 15
ENCRYPTED_SUFFIX = ".jbak"


def online_copy(store_path: Path, target: Path) -> Path:
    """Copy the dataset into ``target`` with SQLite's backup API (safe while it is open)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"{Path(store_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def backup_before_merge(store_path: Path, folder: Path, *, now: dt.datetime,
                        term_start: dt.date | None = None,
                        period_ends: Iterable[dt.date] = ()) -> Path | None:
    """An automatic copy of the dataset (none when it does not exist yet), then rotation."""
    store_path = Path(store_path)
    if not store_path.exists():
        return None
    name = f"{AUTO_PREFIX}{now.strftime('%Y-%m-%d_%H-%M-%S')}.sqlite"
    target = Path(folder) / name
    tmp = target.with_name(f".~{name}")
    try:
        online_copy(store_path, tmp)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Резервная копия общей базы перед сборкой не записана в «{folder}»: "
                          f"{exc}. Освободите место на диске и повторите") from exc
    rotate(folder, term_start=term_start, period_ends=period_ends)
    return target


def automatic_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic copies in ``folder`` with their moments, oldest first."""
    found = []
    for path in Path(folder).glob(f"{AUTO_PREFIX}*.sqlite"):
        match = AUTO_PATTERN.match(path.name)
        if match:
            day, h, m, s = match.groups()
            found.append((dt.datetime.fromisoformat(f"{day} {h}:{m}:{s}"), path))
    return sorted(found)


def to_keep(moments: list[dt.datetime], *, term_start: dt.date | None = None,
            period_ends: Iterable[dt.date] = (), keep_last: int = KEEP_LAST) -> set[dt.datetime]:
    """Which copies rotation keeps: the last ``keep_last``, the newest of each week since
    ``term_start`` (all weeks when None), and the newest made by each period's end."""
    ordered = sorted(moments)
    keep = set(ordered[-keep_last:])
    weeks: dict[tuple[int, int], dt.datetime] = {}
    for moment in ordered:
        if term_start is None or moment.date() >= term_start:
            weeks[moment.isocalendar()[:2]] = moment
    keep |= set(weeks.values())
    for end in period_ends:
        before = [m for m in ordered if m.date() <= end]
        if before:
            keep.add(before[-1])
    return keep


def rotate(folder: Path, *, term_start: dt.date | None = None,
           period_ends: Iterable[dt.date] = (), keep_last: int = KEEP_LAST) -> list[Path]:
    """Delete the automatic copies that :func:`to_keep` does not keep; the deleted paths."""
    found = automatic_backups(folder)
    keep = to_keep([m for m, _ in found], term_start=term_start, period_ends=period_ends,
                   keep_last=keep_last)
    removed = []
    for moment, path in found:
        if moment not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(passphrase.encode("utf-8"))


def encrypted_target(to: Path, now: dt.datetime) -> Path:
    """The file an encrypted backup goes to: ``to`` itself, or a dated file inside a folder."""
    to = Path(to)
    if to.is_dir():
        return to / f"Журнал {now.strftime('%d.%m.%Y %H-%M')}{ENCRYPTED_SUFFIX}"
    return to


def write_encrypted(store_path: Path, to: Path, passphrase: str, *,
                    now: dt.datetime | None = None) -> Path:
    """Write an encrypted copy of the dataset to ``to`` (a file, or a folder for a dated file)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise BackupError("Пароль резервной копии пуст: задайте его")
    store_path = Path(store_path)
    if not store_path.exists():
        raise BackupError(f"Общей базы «{store_path}» нет: копировать нечего")
    target = encrypted_target(Path(to), now or dt.datetime.now())
    with tempfile.TemporaryDirectory(prefix="journal-backup-") as tmp:
        plain = online_copy(store_path, Path(tmp) / "journal.sqlite").read_bytes()
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(passphrase, salt)).encrypt(nonce, zlib.compress(plain, 6), MAGIC + salt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".~{target.name}")
        partial.write_bytes(MAGIC + salt + nonce + sealed)
        os.replace(partial, target)
    except OSError as exc:
        raise BackupError(f"Резервная копия не записана в «{target}»: {exc.strerror or exc}. "
                          "Проверьте, что флешка вставлена и на ней есть место") from exc
    return target


def decrypt(source: Path, passphrase: str) -> bytes:
    """The dataset bytes of an encrypted backup; :class:`BackupError` for a wrong passphrase."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise BackupError(f"Резервная копия «{source}» не читается: {exc.strerror or exc}") from exc
    if not data.startswith(MAGIC):
        raise BackupError(f"Файл «{source}» — не резервная копия журнала (её пишет journal backup)")
    head = len(MAGIC)
    salt = data[head:head + SALT_BYTES]
    nonce = data[head + SALT_BYTES:head + SALT_BYTES + NONCE_BYTES]
    try:
        packed = AESGCM(_key(passphrase, salt)).decrypt(
            nonce, data[head + SALT_BYTES + NONCE_BYTES:], MAGIC + salt)
    except InvalidTag:
        raise BackupError(
            f"Пароль не подходит к резервной копии «{source}» (или файл повреждён). "
            "Ничего не заменено: введите пароль, с которым копия была сделана") from None
    return zlib.decompress(packed)


@dataclass
class RestoreOutcome:
    """What :func:`restore_encrypted` did: the verification, and where the old dataset went."""

    verification: chain.Verification
    replaced: bool = False
    kept_aside: Path | None = None
    problems: list[str] = field(default_factory=list)


def restore_encrypted(store_path: Path, source: Path, passphrase: str,
                      aside_folder: Path) -> RestoreOutcome:
    """Decrypt ``source``, verify it, and only when it is intact make it the dataset.

    The dataset being replaced is first copied into ``aside_folder``. Nothing is replaced
    when the passphrase is wrong (:class:`BackupError`) or the copy does not verify.
    """
    from journal.workbooks.isolation import merge_lock

    store_path = Path(store_path)
    plain = decrypt(Path(source), passphrase)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    with merge_lock(store_path):
        return _replace(store_path, plain, aside_folder)


def _replace(store_path: Path, plain: bytes, aside_folder: Path) -> RestoreOutcome:
    fd, tmp_name = tempfile.mkstemp(prefix=".~restore-", suffix=".sqlite", dir=store_path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(plain)
        verification = chain.verify_file(tmp)
        if not verification.intact:
            return RestoreOutcome(verification)
        kept = None
        if store_path.exists():
            stamp = dt.datetime.now().strftime("%d.%m.%Y %H-%M-%S")
            kept = online_copy(store_path, Path(aside_folder) / f"до восстановления {stamp}.sqlite")
        for suffix in ("-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, store_path)
        return RestoreOutcome(verification, replaced=True, kept_aside=kept)
    finally:
        tmp.unlink(missing_ok=True)
