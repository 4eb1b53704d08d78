"""The diary's cryptography, the Python half (the page's JavaScript is the other).

A family's code ``c`` (normalised by :func:`journal.documents.diary.codes.normalise`)
and the school's public salt ``S`` give, through PBKDF2-HMAC-SHA-256 with
:data:`ITERATIONS` rounds, a 32-byte secret ``K = PBKDF2(c, S)``. From ``K``:

* the bundle's file name, ``HMAC-SHA-256(K, "diary-name")`` (first 16 bytes, hex): the page
  finds the family's file without a list of files, and the name tells nothing;
* the bundle's key, ``HKDF-SHA-256(K, salt=s, info="diary-key")`` with a fresh random
  ``s`` for each bundle written; the bundle is sealed with AES-256-GCM under a fresh
  12-byte nonce, the file name being the associated data.

Someone who copies the whole folder can test a guessed code only by paying the PBKDF2 cost
once per guess (the file names are the cheapest test there is, and they need ``K``), so a
second PBKDF2 per bundle would add time on the family's phone and nothing against guessing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ITERATIONS = 600_000
NAME_INFO = b"diary-name"
KEY_INFO = b"diary-key"


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def master_secret(code: str, school_salt: bytes, iterations: int = ITERATIONS) -> bytes:
    """``K = PBKDF2-HMAC-SHA-256(code, school salt)``; ``code`` already normalised."""
    return hashlib.pbkdf2_hmac("sha256", code.encode("utf-8"), school_salt, iterations, 32)


def bundle_name(secret: bytes) -> str:
    """The bundle's file name (without extension): 32 hex digits."""
    return hmac.new(secret, NAME_INFO, hashlib.sha256).hexdigest()[:32]


def bundle_key(secret: bytes, salt: bytes) -> bytes:
    """The AES-256 key of one bundle, from ``K`` and the bundle's own salt."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=KEY_INFO).derive(secret)


@dataclass(frozen=True)
class Sealed:
    """One bundle's ciphertext with what the page needs to open it."""

    salt: bytes
    nonce: bytes
    ciphertext: bytes


def seal(secret: bytes, name: str, plaintext: bytes) -> Sealed:
    """Encrypt ``plaintext`` for the family whose ``K`` is ``secret`` (fresh salt and nonce)."""
    salt, nonce = os.urandom(16), os.urandom(12)
    ciphertext = AESGCM(bundle_key(secret, salt)).encrypt(nonce, plaintext, name.encode("ascii"))
    return Sealed(salt, nonce, ciphertext)


def unseal(secret: bytes, name: str, sealed: Sealed) -> bytes:
    """Decrypt a bundle (tests and checks); raises ``cryptography``'s InvalidTag on a wrong key."""
    key = bundle_key(secret, sealed.salt)
    return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, name.encode("ascii"))
