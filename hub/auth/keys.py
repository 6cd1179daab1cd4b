"""The hub's signing keys: RS256 keys with a ``kid``, in a folder, rotated by adding one.

Each key is ``<kid>.pem`` (PKCS#8, mode 0600) in the keys folder; the kid holds the key's
creation time, so the newest key sorts last and signs, and the older ones still verify
tokens until retired (moved to ``retired/``). ``/.well-known/jwks.json`` publishes the
public halves of all keys that verify. A running hub reads the folder at start.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"
KEY_BITS = 2048
SUFFIX = ".pem"
RETIRED = "retired"


class KeyRingError(LookupError):
    """A key that is not there, or a change that would leave no signing key."""


@dataclass(frozen=True)
class KeyRing:
    """Verifying keys, oldest first; the last one signs."""

    keys: tuple[RSAKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyRingError("a key ring needs at least one key")

    @property
    def signing_key(self) -> RSAKey:
        """The newest key: every new token is signed with it."""
        return self.keys[-1]

    def find(self, kid: str) -> RSAKey | None:
        """The verifying key named ``kid``, if it is still in the ring."""
        return next((key for key in self.keys if key.kid == kid), None)

    def jwks(self) -> dict[str, Any]:
        """The public keys as a JWK Set, newest first."""
        return dict(KeySet(list(reversed(self.keys))).as_dict(private=False))


def _import(path: Path) -> RSAKey:
    kid = path.name.removesuffix(SUFFIX)
    return RSAKey.import_key(
        path.read_bytes(), parameters={"kid": kid, "use": "sig", "alg": ALGORITHM}
    )


def key_files(folder: Path) -> list[Path]:
    """The key files that verify, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(SUFFIX))


def load_keys(folder: Path) -> KeyRing:
    """The keys in ``folder``; ``KeyRingError`` when there are none."""
    files = key_files(folder)
    if not files:
        raise KeyRingError(f"no signing keys in {folder}: run `hub keys rotate` to make one")
    return KeyRing(tuple(_import(path) for path in files))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock, so replicas starting at once make one first key, not two."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _new_key(folder: Path) -> str:
    kid = f"hub-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    key = RSAKey.generate_key(KEY_BITS, parameters={"kid": kid}, private=True)
    descriptor = os.open(folder / f"{kid}{SUFFIX}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.as_pem(private=True))
    return kid


def ensure_keys(folder: Path) -> KeyRing:
    """The keys in ``folder``, after making a first one there if it has none."""
    with _locked(folder):
        if not key_files(folder):
            _new_key(folder)
    return load_keys(folder)


def rotate(folder: Path) -> str:
    """Add a new signing key to ``folder``; returns its kid. Older keys keep verifying."""
    with _locked(folder):
        return _new_key(folder)


def retire(folder: Path, kid: str) -> None:
    """Stop ``kid`` verifying: its file moves to ``retired/``. The last key cannot go."""
    with _locked(folder):
        files = key_files(folder)
        path = folder / f"{kid}{SUFFIX}"
        if path not in files:
            raise KeyRingError(f"no key {kid!r} in {folder}")
        if len(files) == 1:
            raise KeyRingError(f"{kid} is the only key: rotate first, then retire it")
        (folder / RETIRED).mkdir(exist_ok=True, mode=0o700)
        path.rename(folder / RETIRED / path.name)
