"""Persisted queries: automatic persisted queries (APQ) and a safelist mode.

APQ follows Apollo's protocol: ``extensions.persistedQuery = {"version": 1,
"sha256Hash": "<hex>"}``, the hash being SHA-256 of the query text's UTF-8 bytes. A
request with the hash alone runs the query registered under it, or is refused with
``PERSISTED_QUERY_NOT_FOUND``; the client then sends the query with its hash, which
registers it (once its execution began: it parsed and passed the limits) and runs it.
GET works the same, with ``extensions`` as a JSON query parameter. Registered queries
live in memory (least recently used dropped past ``max_entries`` or ``max_bytes`` of
query text; no query longer than the hub's ``max_query_chars`` ever runs, so none is
kept), and in Redis as well when it is configured, so every replica knows them.

Safelist mode (a safelist configured) runs only the operations registered in it, sent
by hash or as their exact text; anything else is refused with
``PERSISTED_QUERY_NOT_ALLOWED`` and nothing new is registered. A safelist is a JSON
object mapping each query's SHA-256 hex to its text, or a folder of ``*.graphql`` files,
one operation document per file, hashed as read.

Codes: PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_NOT_ALLOWED,
PERSISTED_QUERY_HASH_MISMATCH (the query's hash is not the one sent) and
PERSISTED_QUERY_NOT_SUPPORTED (APQ turned off).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from cachetools import LRUCache

from hub.refusal import Refusal
from hub.requests import GraphQLParams, HttpError
from hub.shared import FAILURES, SharedRedis

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

REDIS_TTL_SECONDS = 7 * 24 * 3600
_HASH = re.compile(r"[0-9a-f]{64}")


class SafelistError(ValueError):
    """The safelist cannot be read, or an entry's hash is not its query's."""


def sha256_hex(query: str) -> str:
    """The APQ hash of a query text."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def load_safelist(path: Path) -> dict[str, str]:
    """The registered operations at ``path`` (JSON map or folder of .graphql), by hash."""
    try:
        if path.is_dir():
            files = sorted(path.glob("*.graphql"))
            found = {}
            for file in files:
                text = file.read_text(encoding="utf-8")
                found[sha256_hex(text)] = text
        else:
            found = _json_safelist(path)
    except (OSError, UnicodeDecodeError) as error:
        raise SafelistError(f"safelist {path}: cannot read it ({error})") from None
    if not found:
        raise SafelistError(f"safelist {path}: no operations registered")
    return found


def _json_safelist(path: Path) -> dict[str, str]:
    try:
        table = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise SafelistError(f"safelist {path}: not valid JSON ({error})") from None
    if not isinstance(table, dict) or not all(isinstance(q, str) for q in table.values()):
        raise SafelistError(f"safelist {path}: expected a JSON object of hash -> query text")
    for key, query in table.items():
        if key.lower() != sha256_hex(query):
            raise SafelistError(f"safelist {path}: {key!r} is not the SHA-256 of its query")
    return {key.lower(): query for key, query in table.items()}


# What one registered query costs beyond its text: its key, hash and cache bookkeeping.
ENTRY_OVERHEAD = 256


class MemoryStore:
    """Registered queries by hash: the most recently used, at most ``max_entries`` and
    ``max_bytes`` (each query's text plus ``ENTRY_OVERHEAD``)."""

    def __init__(self, max_entries: int, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self._queries: LRUCache[str, str] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda query: len(query) + ENTRY_OVERHEAD
        )

    def get(self, digest: str) -> str | None:
        """The query registered under ``digest``, if any."""
        return self._queries.get(digest)

    def put(self, digest: str, query: str) -> None:
        """Register ``query`` under ``digest`` (a query larger than the store is not kept)."""
        if len(query) + ENTRY_OVERHEAD > self._queries.maxsize:
            return
        self._queries[digest] = query
        while len(self._queries) > self.max_entries:
            self._queries.popitem()

    @property
    def size(self) -> int:
        """Bytes held, as counted against ``max_bytes``."""
        return int(self._queries.currsize)

    def __len__(self) -> int:
        return len(self._queries)


class PersistedQueries:
    """Turns a request's query and ``persistedQuery`` extension into the text to run."""

    def __init__(
        self,
        *,
        automatic: bool = True,
        safelist: Mapping[str, str] | None = None,
        max_entries: int = 1000,
        max_bytes: int = 16 * 1024 * 1024,
        redis: SharedRedis | None = None,
    ) -> None:
        self.automatic = automatic
        self.safelist = safelist
        self.memory = MemoryStore(max_entries, max_bytes)
        self.redis = redis

    async def resolve(self, params: GraphQLParams) -> str:
        """The query to run, or ``Refusal`` with a PERSISTED_QUERY_* code."""
        digest = _requested_hash(params.extensions)
        query = params.query
        if query is not None and digest is not None and sha256_hex(query) != digest:
            raise Refusal(
                PERSISTED_QUERY_HASH_MISMATCH,
                "The query's SHA-256 is not the sha256Hash sent with it.",
            )
        if self.safelist is not None:
            registered = self.safelist.get(digest or sha256_hex(query or ""))
            if registered is None:
                raise Refusal(
                    PERSISTED_QUERY_NOT_ALLOWED,
                    "This hub runs registered operations only, and this one is not registered.",
                )
            return registered
        if query is not None:
            return query
        if not self.automatic:
            raise Refusal(PERSISTED_QUERY_NOT_SUPPORTED, "PersistedQueryNotSupported")
        if digest is None:
            raise HttpError(400, "The request has no query: send the GraphQL document as 'query'.")
        found = await self._get(digest)
        if found is None:
            raise Refusal(PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
        return found

    async def remember(self, params: GraphQLParams) -> None:
        """Register the request's query under its hash, when it sent both (APQ only)."""
        digest = _requested_hash(params.extensions)
        query = params.query
        if (
            digest is None
            or query is None
            or not self.automatic
            or self.safelist is not None
            or self.memory.get(digest) is not None
        ):
            return
        self.memory.put(digest, query)
        redis = self.redis
        if redis is not None and redis.available:
            try:
                await redis.client.set(redis.key("apq", digest), query, ex=REDIS_TTL_SECONDS)
            except FAILURES as error:
                redis.failed(error)
            else:
                redis.succeeded()

    async def _get(self, digest: str) -> str | None:
        found = self.memory.get(digest)
        redis = self.redis
        if found is not None or redis is None or not redis.available:
            return found
        try:
            stored = await redis.client.get(redis.key("apq", digest))
        except FAILURES as error:
            redis.failed(error)
            return None
        redis.succeeded()
        if stored is None:
            return None
        query = stored.decode("utf-8") if isinstance(stored, bytes) else str(stored)
        self.memory.put(digest, query)
        return query


def _requested_hash(extensions: Mapping[str, Any]) -> str | None:
    """The ``sha256Hash`` of a well-formed ``persistedQuery`` extension, in lower case."""
    if "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise HttpError(400, 'extensions.persistedQuery must be {"version": 1, "sha256Hash": ...}.')
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest.lower()):
        raise HttpError(400, "extensions.persistedQuery.sha256Hash must be 64 hex digits.")
    return digest.lower()
