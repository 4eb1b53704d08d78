"""Families' access codes (3.1 of the regulation): issued, kept owner-only, never published.

A code is 12 symbols from :data:`ALPHABET` (digits and capital Latin letters without the
look-alikes 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B), shown in groups of four: ``K7MX-3PRT-9HWA``.
That is 12 × log2(26) ≈ 56 bits. Typing is forgiving: case, spaces, dashes and the Cyrillic
letters that look like Latin ones (А, Е, К, М, Н, Р, С, Т, Х, У, З) do not matter.

The codes live in ``output/Коды доступа/коды.json`` (mode 0600, folder 0700), next to the
derived secrets the build needs, the school's salt and the site's address; nothing of this
file goes into ``output/Дневник/``, and no code is ever printed to the terminal or a log.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journal.documents.diary.crypto import ITERATIONS, bundle_name, master_secret
from journal.school.folder import CODES_DIR
from journal.school.settings import normalise_class_name

ALPHABET = "23456789ACDEFHJKMNPRTUVWXY"
LENGTH = 12
GROUP = 4
LOOK_ALIKES = str.maketrans({
    "А": "A", "Е": "E", "К": "K", "М": "M", "Н": "H", "Р": "P", "С": "C", "Т": "T", "Х": "X",
    "У": "Y", "З": "3", "Ё": "E",
})
CODES_FILE = "коды.json"


def new_code() -> str:
    """A fresh random code, grouped: ``K7MX-3PRT-9HWA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return group(raw)


def group(raw: str) -> str:
    """``K7MX3PRT9HWA`` → ``K7MX-3PRT-9HWA``."""
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(typed: str) -> str:
    """What a family typed, as the key derivation takes it: upper case, look-alikes mapped,
    everything but the alphabet's symbols dropped (the page does the same)."""
    text = typed.upper().translate(LOOK_ALIKES)
    return "".join(ch for ch in text if ch in ALPHABET)


def family_key(class_name: str, student: str) -> str:
    """The codes file's key of one student: class and full name."""
    return f"{normalise_class_name(class_name)}|{' '.join(student.split())}"


@dataclass
class Family:
    """One student's code and what the build derives from it."""

    class_name: str
    student: str
    code: str
    issued: str
    secret: str = ""  # hex of K, see crypto
    name: str = ""  # the bundle's file name
    content: str = ""  # SHA-256 of the last bundle's plaintext

    def as_json(self) -> dict[str, str]:
        """The codes file's record."""
        return dict(self.__dict__)


@dataclass
class CodeBook:
    """The private codes file of one school."""

    path: Path
    salt: str
    iterations: int = ITERATIONS
    site: str = ""
    families: dict[str, Family] = field(default_factory=dict)
    slips: dict[str, str] = field(default_factory=dict)  # class → fingerprint of its printed slips

    @classmethod
    def load(cls, path: Path) -> CodeBook:
        """The codes file, or a new book with a fresh school salt when there is none."""
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, secrets.token_hex(16))
        families = {k: Family(**v) for k, v in raw.get("families", {}).items()}
        return cls(path, str(raw["salt"]), int(raw.get("iterations", ITERATIONS)),
                   str(raw.get("site", "")), families, dict(raw.get("slips", {})))

    def save(self) -> None:
        """Write the file owner-only (0600) in an owner-only folder (0700)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        data = {"salt": self.salt, "iterations": self.iterations, "site": self.site,
                "families": {k: f.as_json() for k, f in sorted(self.families.items())},
                "slips": self.slips}
        write_private(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), self.path)

    def issue(self, class_name: str, student: str, now: dt.datetime) -> Family:
        """A new code for one student (replacing any old one)."""
        family = Family(class_name, student, new_code(), now.strftime("%Y-%m-%d %H:%M"))
        self.families[family_key(class_name, student)] = family
        return family

    def derive(self, workers: int = 2) -> int:
        """Compute the secret and bundle name of every family that lacks them; how many."""
        todo = [f for f in self.families.values() if not f.secret]
        if not todo:
            return 0
        salt = bytes.fromhex(self.salt)
        jobs = [(normalise(f.code), salt, self.iterations) for f in todo]
        if len(jobs) > 4 and workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(_derive_one, jobs, chunksize=4))
        else:
            results = [_derive_one(job) for job in jobs]
        for family, secret in zip(todo, results, strict=True):
            family.secret = secret.hex()
            family.name = bundle_name(secret)
            family.content = ""
        return len(todo)


def _derive_one(job: tuple[str, bytes, int]) -> bytes:
    code, salt, iterations = job
    return master_secret(code, salt, iterations)


def codes_path(output_dir: Path) -> Path:
    """``output/Коды доступа/коды.json``."""
    return output_dir / CODES_DIR / CODES_FILE


def write_private(data: bytes, out: Path) -> None:
    """Write ``data`` to ``out`` readable by its owner only (0600 from the first byte)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=out.suffix, dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
