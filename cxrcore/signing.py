"""Ed25519 signatures on model cards: the app uses a bundle only when a key it trusts signed its card.

A card already records the SHA-256 of every file of its bundle and seals itself with its own digest
(``card_sha256``), so anyone who edits a threshold or swaps a ``.tflite`` can also re-compute every
hash: hashes catch damage, not forgery. A signature over ``card_sha256`` by a maintainer's private
key, which never enters the repository, closes that gap: one signature covers the card and, through
its hashes, every file.

``signature.json`` beside ``card.json`` holds the signing key's id and the signature. Trusted public
keys are ``*.pub`` files: the ones shipped in `SHIPPED_KEYS_DIR`, and any a user adds on purpose to
their own trusted-keys folder for models built locally (`desktop.paths.trusted_keys_dir`).
PyNaCl (libsodium) does the cryptography; nothing here is home-made.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

SIGNATURE_FILE = "signature.json"
PUBLIC_KEY_SUFFIX = ".pub"
ALGORITHM = "Ed25519"
#: Public keys of the project's maintainers, shipped with the app.
SHIPPED_KEYS_DIR = Path(__file__).resolve().parent / "trusted_keys"
#: Domain separation: a signature made for a card can never be replayed as a signature of anything else.
_CONTEXT = b"cxr-screening model card v1\n"


class SignatureError(ValueError):
    """A bundle whose card is unsigned, signed by an unknown key, or whose signature does not match."""


def key_id(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def signed_message(card_sha256: str) -> bytes:
    return _CONTEXT + card_sha256.encode("ascii")


def public_key_text(public_key: bytes, comment: str) -> str:
    """The ``.pub`` file for a public key (JSON, so a person can read whose key it is)."""
    return json.dumps({"algorithm": ALGORITHM, "key_id": key_id(public_key), "comment": comment,
                       "public_key": base64.b64encode(public_key).decode("ascii")}, indent=2) + "\n"


def signature_text(public_key: bytes, signature: bytes, card_sha256: str) -> str:
    """The ``signature.json`` for a card signed by the key whose public half is ``public_key``."""
    return json.dumps({"algorithm": ALGORITHM, "key_id": key_id(public_key), "card_sha256": card_sha256,
                       "signature": base64.b64encode(signature).decode("ascii")}, indent=2) + "\n"


@dataclass(frozen=True)
class TrustedKeys:
    """The public keys whose signatures the app accepts, by key id, and the key files that could not
    be read (ignored: an unreadable key can only take trust away, never add it)."""

    keys: dict[str, bytes]
    problems: tuple[str, ...] = ()

    @classmethod
    def load(cls, *folders: str | os.PathLike[str]) -> "TrustedKeys":
        """Every ``*.pub`` in the given folders (missing folders hold none)."""
        keys: dict[str, bytes] = {}
        problems = []
        for folder in map(Path, folders):
            for path in sorted(folder.glob(f"*{PUBLIC_KEY_SUFFIX}")) if folder.is_dir() else ():
                try:
                    public_key = _read_public_key(path)
                except SignatureError as error:
                    problems.append(str(error))
                    continue
                keys[key_id(public_key)] = public_key
        return cls(keys, tuple(problems))

    @classmethod
    def shipped(cls, *extra_folders: str | os.PathLike[str]) -> "TrustedKeys":
        return cls.load(SHIPPED_KEYS_DIR, *extra_folders)

    def verify(self, directory: Path, card_sha256: str) -> str:
        """The id of the trusted key that signed this card digest; `SignatureError` otherwise."""
        from nacl.exceptions import BadSignatureError
        from nacl.signing import VerifyKey

        path = directory / SIGNATURE_FILE
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            signature = base64.b64decode(entry["signature"], validate=True)
            signer = str(entry["key_id"])
        except FileNotFoundError as error:
            raise SignatureError(f"is not signed (no {SIGNATURE_FILE}); only signed bundles are used") from error
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SignatureError(f"{SIGNATURE_FILE} is unreadable ({error})") from error
        if signer not in self.keys:
            raise SignatureError(f"is signed by key {signer}, which this app does not trust")
        try:
            VerifyKey(self.keys[signer]).verify(signed_message(card_sha256), signature)
        except (BadSignatureError, ValueError) as error:
            raise SignatureError(f"signature does not match its card (key {signer}): the card or a file "
                                 "was changed after signing") from error
        return signer


def _read_public_key(path: Path) -> bytes:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        public_key = base64.b64decode(entry["public_key"], validate=True)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SignatureError(f"trusted key {path} is unreadable and ignored ({error})") from error
    if entry.get("algorithm") != ALGORITHM or len(public_key) != 32:
        raise SignatureError(f"trusted key {path} is not a 32-byte {ALGORITHM} public key; ignored")
    return public_key
